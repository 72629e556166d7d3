// The energy-bus market (pallet EnergyBus, index 11) from polkadot.js: all 17 calls, signed by
// the dev accounts, checked through their decoded events and the storage they leave, including
// a change that needs two owners' approval, a lock (with its fee) bought out and one released, an atomic batch
// purchase, a replay refused by the market nonce and a failing batch item; then every
// EnergyBusApi runtime API method (api.call.energyBusApi.*) and every energy_* RPC method of
// the market (api.rpc.energy.*), checked against storage.
//
// Blocks come every 6 s, so independent calls of different accounts go out together (and
// usually share a block); each round waits until all of its calls are in a block:
//
//   round 1  Alice (batchAll): createEnergyBus (bus 3) + sudo(setMarketParams)
//            + sudo(setLockTerms) (a largest lock of 20% instead of 10%: the round's locks take
//            less than 10%, so they do not depend on which comes first in the block)
//            Bob: purchaseEnergy   Dave: batchPurchaseEnergy   Charlie: createOffer
//            Eve: lockOffer        Ferdie: lockOffer
//   round 2  Alice (batchAll) on bus 3: setBusCapacity, setBasePrice, addBusOwner(Dave),
//            removeBusOwner(Charlie), setApprovalThreshold(2), then addBusOwner(Eve), which
//            now only counts as her approval
//            Charlie: cancelOffer   Eve: purchaseEnergy (buys her lock)   Ferdie: releaseLock
//            Bob: the same purchase again (NonceAlreadyUsed)   Dave: a batch whose item 1 fails
//   round 3  Bob: addBusOwner(Eve), the second approval   Dave: closeBus (first approval)
//            Alice: setBasePrice (first approval), which she then withdraws (withdrawBusChange)
//   round 4  Eve, now an owner: closeBus, the second approval: bus 3 closes
//
// Genesis (runtime/src/genesis_config_presets.rs): bus 0 "Solar Farm A" (Alice, Bob, Charlie),
// bus 1 "Wind Farm B" (Bob, Dave), bus 2 "Industrial Ring" (Eve, Ferdie, Alice; creator Eve);
// offers 0 (Charlie's Factory09, 200 kWh at 0.08 ECT/kWh, bus 0), 1 (Dave's Factory16, 300 kWh
// at 0.07, bus 0), 2 (Ferdie, bus 0), 3 (Bob, bus 1), 4 (Alice, bus 1), 5 (Eve's Factory05,
// 500 kWh at 0.06, bus 2), 6 (Alice's Factory07, 250 kWh at 0.05, bus 2).

import assert from 'node:assert/strict';
import { after, afterEach, before, describe } from 'node:test';

import { u8aConcat } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';

import { connect, devAccounts, ECT, eventOf, eventsOf, submit, submitOk } from '../lib/chain.js';
import { DevNode } from '../lib/node.js';
import { scenario } from '../lib/steps.js';

// Prices per kWh in planck (1 ECT = 10^12 planck).
const PRICE_OFFER_0 = 80_000_000_000n; // 0.08 ECT/kWh
const PRICE_OFFER_1 = 70_000_000_000n; // 0.07
const PRICE_OFFER_5 = 60_000_000_000n; // 0.06
const PRICE_OFFER_6 = 50_000_000_000n; // 0.05
const BUS_DEPOSIT = 10n * ECT;
const MARKET_PARAMS = { lockDuration: 50, receiptRetention: 50_400, proposalLifetime: 7_200 };
// The offer lifetime on Energy Chain: 7 days of 6-second blocks (runtime/src/configs/energy.rs).
const OFFER_LIFETIME = 7 * 14_400;
// The lock terms Alice sets: the default fee of 1% of the held payment (Perbill), at least 0.01
// ECT; one lock takes at most 20% of an offer (the default is 10%).
const LOCK_TERMS = { fee: 10_000_000, minFee: ECT / 100n, maxShare: 200_000_000 };

describe('EnergyBus from polkadot.js', { timeout: 180_000 }, () => {
  const node = new DevNode('energy-bus');
  const { round, check } = scenario();
  const { alice, bob, charlie, dave, eve, ferdie } = devAccounts();
  let api;
  const round1 = {};
  const round2 = {};
  const round3 = {};
  const round4 = {};
  let busId; // the bus Alice creates in round 1
  let offerId; // the offer Charlie creates in round 1
  let bobReceipt; // the receipt of Bob's purchase

  before(async () => {
    await node.start();
    api = await connect(node.wsUrl);
  });

  afterEach((t) => {
    if (t.passed === false) node.printLogTail();
  });

  after(async () => {
    await api?.disconnect();
    await node.stop();
  });

  const offer = async (id) => (await api.query.energyBus.offers(id)).unwrap();
  const bus = async (id) => (await api.query.energyBus.buses(id)).unwrap();
  // An account's holds (pallet-balances), as { 'EnergyBus.BusDeposit': amount, … }.
  // An account's holds, by reason. Bus 1's genesis auction orders (Eve's asks, Dave's and Bob's
  // bids) hold order deposits until their round settles, a few blocks after block 20, which
  // these rounds may or may not have reached: those are left out (nothing here places orders).
  const holds = async (who) =>
    Object.fromEntries(
      (await api.query.balances.holds(who))
        .map(({ id, amount }) => [`${id.type}.${id.value.type}`, amount.toBigInt()])
        .filter(([reason]) => reason !== 'EnergyBus.AuctionOrder'),
    );

  round('round 1: create a bus, set market params (sudo), buy, batch-buy, offer, lock', async () => {
    const tx = api.tx;
    // Every buying call carries the buyer's market nonce: 0 for an account that never bought.
    const nonceOf = async (who) => (await api.rpc.energy.getMarketNonce(who.address)).toNumber();
    const [bobNonce, daveNonce, eveNonce, ferdieNonce] = await Promise.all(
      [bob, dave, eve, ferdie].map(nonceOf),
    );
    assert.deepEqual([bobNonce, daveNonce, eveNonce, ferdieNonce], [0, 0, 0, 0]);
    const aliceHoldsBefore = await holds(alice.address);
    assert.deepEqual(aliceHoldsBefore, { 'EnergyBus.BusDeposit': BUS_DEPOSIT }, 'the deposit of bus 0');

    [round1.alice, round1.bob, round1.dave, round1.charlie, round1.eve, round1.ferdie] = await Promise.all([
      // Alice creates a bus with three owners (she pays the 10 ECT deposit) and, as sudo,
      // sets the market parameters (Root only).
      submitOk(
        api,
        tx.utility.batchAll([
          tx.energyBus.createEnergyBus(
            'JS Test Bus',
            [alice.address, bob.address, charlie.address],
            1_000_000,
            50_000_000_000n,
          ),
          tx.sudo.sudo(tx.energyBus.setMarketParams(MARKET_PARAMS)),
          tx.sudo.sudo(tx.energyBus.setLockTerms(LOCK_TERMS)),
        ]),
        alice,
      ),
      // Bob buys 50 kWh of offer 0 (Charlie's, 0.08 ECT/kWh) into his Factory02: 4 ECT.
      submitOk(api, tx.energyBus.purchaseEnergy(0, 50_000, PRICE_OFFER_0, 'Factory02', bobNonce), bob),
      // Dave buys from two offers on two buses at once, into Factory04: all or nothing.
      submitOk(
        api,
        tx.energyBus.batchPurchaseEnergy(
          [
            { offerId: 0, energyWh: 1_000, maxPricePerKwh: PRICE_OFFER_0 },
            { offerId: 5, energyWh: 2_000, maxPricePerKwh: PRICE_OFFER_5 },
          ],
          'Factory04',
          daveNonce,
        ),
        dave,
      ),
      // Charlie offers 100 kWh of Factory15 on bus 2 (base price 0.04) at 0.05 ECT/kWh.
      submitOk(api, tx.energyBus.createOffer(2, 'Factory15', 100_000, 50_000_000_000n), charlie),
      // Eve locks 30 kWh of offer 1 (Dave's, 0.07 ECT/kWh; 10% of its 300 kWh, the most one
      // lock may take by default) for her Factory05: 2.1 ECT are held, and she pays Dave a lock fee of 1%
      // of that, 0.021 ECT.
      submitOk(api, tx.energyBus.lockOffer(1, 30_000, 'Factory05', eveNonce), eve),
      // Ferdie locks 20 kWh of offer 6 (Alice's, 0.05 ECT/kWh) for Factory12: 1 ECT held, and
      // the minimum fee, 0.01 ECT (1% would be less).
      submitOk(api, tx.energyBus.lockOffer(6, 20_000, 'Factory12', ferdieNonce), ferdie),
    ]);

    // Alice's bus: id 3 (genesis made 0, 1, 2), threshold 1, and the deposit held.
    const created = eventOf(api, round1.alice, 'energyBus', 'BusCreated').data;
    busId = created.busId.toNumber();
    assert.equal(busId, 3);
    assert.equal(created.name.toUtf8(), 'JS Test Bus');
    assert.equal(created.creator.toString(), alice.address);
    assert.deepEqual(created.owners.map(String), [alice.address, bob.address, charlie.address]);
    assert.equal(created.capacityWh.toNumber(), 1_000_000);
    assert.equal(created.basePricePerKwh.toBigInt(), 50_000_000_000n);
    const stored = await bus(busId);
    assert.equal(stored.approvalThreshold.toNumber(), 1);
    assert.equal(stored.deposit.toBigInt(), BUS_DEPOSIT);
    assert.equal(stored.createdAt.toNumber(), round1.alice.blockNumber);
    assert.deepEqual(await holds(alice.address), { 'EnergyBus.BusDeposit': 2n * BUS_DEPOSIT });
    for (const owner of [alice, bob, charlie]) {
      assert.ok((await api.query.energyBus.busesByOwner(owner.address, busId)).isSome);
    }
    // The market parameters, through sudo.
    const paramsChanged = eventOf(api, round1.alice, 'energyBus', 'ParamsChanged').data;
    assert.deepEqual(paramsChanged.params.toJSON(), MARKET_PARAMS);
    assert.deepEqual((await api.query.energyBus.params()).toJSON(), MARKET_PARAMS);

    // Bob's purchase: the energy, the payment to Charlie, and the receipt.
    const purchased = eventOf(api, round1.bob, 'energyBus', 'EnergyPurchased').data;
    assert.equal(purchased.offerId.toNumber(), 0);
    assert.equal(purchased.buyer.toString(), bob.address);
    assert.equal(purchased.intoFactory.toUtf8(), 'Factory02');
    assert.equal(purchased.energyWh.toNumber(), 50_000);
    assert.equal(purchased.totalPrice.toBigInt(), 4n * ECT, '50 kWh at 0.08 ECT/kWh');
    const paid = eventOf(api, round1.bob, 'balances', 'Transfer').data;
    assert.deepEqual(
      [paid.from.toString(), paid.to.toString(), paid.amount.toBigInt()],
      [bob.address, charlie.address, 4n * ECT],
    );
    const receipt = eventOf(api, round1.bob, 'energyBus', 'ReceiptRecorded').data;
    assert.equal(receipt.buyer.toString(), bob.address);
    assert.equal(receipt.nonce.toNumber(), bobNonce);
    bobReceipt = receipt.receipt.toHex();
    // A client can compute the receipt before sending, to look it up after a lost connection:
    // blake2_256(SCALE(buyer, nonce, (b"purchase", offer_id, energy_wh, max_price_per_kwh, into_factory))).
    const expectedReceipt = blake2AsHex(
      u8aConcat(
        api.createType('AccountId', bob.address).toU8a(),
        api.createType('u64', bobNonce).toU8a(),
        new TextEncoder().encode('purchase'), // a byte array: no length prefix
        api.createType('u64', 0).toU8a(),
        api.createType('u64', 50_000).toU8a(),
        api.createType('u128', PRICE_OFFER_0).toU8a(),
        api.createType('Bytes', 'Factory02').toU8a(), // a BoundedVec<u8>: length-prefixed
      ),
      256,
    );
    assert.equal(bobReceipt, expectedReceipt);
    // The same on every fresh dev chain: docs/polkadot-js.md quotes it.
    assert.equal(bobReceipt, '0x7c4291283a9303cbc4a243aeb7ae558724ecf881b585ec37dceb33916ec8b6df');
    const storedReceipt = (await api.query.energyBus.receipts(bobReceipt)).unwrap();
    assert.equal(storedReceipt.buyer.toString(), bob.address);
    assert.equal(storedReceipt.block.toNumber(), round1.bob.blockNumber);
    assert.deepEqual(storedReceipt.purchases.map(Number), [purchased.purchaseId.toNumber()]);

    // Dave's batch: one EnergyPurchased per item, one receipt for both.
    const batch = eventsOf(api, round1.dave, 'energyBus', 'EnergyPurchased').map((e) => e.data);
    assert.deepEqual(
      batch.map((p) => [p.offerId.toNumber(), p.energyWh.toNumber(), p.totalPrice.toBigInt()]),
      [
        [0, 1_000, 80_000_000_000n], // 1 kWh at 0.08 ECT/kWh
        [5, 2_000, 120_000_000_000n], // 2 kWh at 0.06 ECT/kWh
      ],
    );
    const daveReceipt = eventOf(api, round1.dave, 'energyBus', 'ReceiptRecorded').data.receipt;
    assert.deepEqual(
      (await api.query.energyBus.receipts(daveReceipt)).unwrap().purchases.map(Number),
      batch.map((p) => p.purchaseId.toNumber()),
    );
    // Offer 0 after both buyers: 200 kWh − 50 − 1.
    const offer0 = await offer(0);
    assert.deepEqual([offer0.availableWh.toNumber(), offer0.soldWh.toNumber()], [149_000, 51_000]);

    // Charlie's offer: escrowed from Factory15, committed on bus 2.
    const offered = eventOf(api, round1.charlie, 'energyBus', 'OfferCreated').data;
    offerId = offered.offerId.toNumber();
    assert.equal(offerId, 7);
    assert.deepEqual(
      [
        offered.busId.toNumber(),
        offered.seller.toString(),
        offered.factory.toUtf8(),
        offered.energyWh.toNumber(),
      ],
      [2, charlie.address, 'Factory15', 100_000],
    );
    assert.equal((await offer(offerId)).status.type, 'Open');
    assert.ok((await api.query.energyBus.offersByBus(2, offerId)).isSome);
    assert.ok((await api.query.energyBus.offersBySeller(charlie.address, 2, offerId)).isSome);

    // The lock terms, through sudo.
    const termsChanged = eventOf(api, round1.alice, 'energyBus', 'LockTermsChanged').data;
    assert.deepEqual(termsChanged.terms.toJSON(), { ...LOCK_TERMS, minFee: Number(LOCK_TERMS.minFee) });

    // The locks: energy reserved for a factory, payment held, the fee paid to the seller,
    // expiry lock_duration (50) blocks later.
    for (const [result, who, lockedOffer, wh, held, factory, fee, seller] of [
      [round1.eve, eve, 1, 30_000, (21n * ECT) / 10n, 'Factory05', (21n * ECT) / 1000n, dave],
      [round1.ferdie, ferdie, 6, 20_000, ECT, 'Factory12', ECT / 100n, alice],
    ]) {
      const paid = eventOf(api, result, 'energyBus', 'LockFeePaid').data;
      assert.deepEqual(
        [paid.factory.toUtf8(), paid.seller.toString(), paid.fee.toBigInt()],
        [factory, seller.address, fee],
      );
      const locked = eventOf(api, result, 'energyBus', 'OfferLocked').data;
      assert.equal(locked.offerId.toNumber(), lockedOffer);
      assert.equal(locked.holder.toString(), who.address);
      assert.equal(locked.energyWh.toNumber(), wh);
      assert.equal(locked.held.toBigInt(), held);
      assert.equal(locked.expiresAt.toNumber(), result.blockNumber + MARKET_PARAMS.lockDuration);
      eventOf(api, result, 'energyBus', 'ReceiptRecorded');
      const lock = (await api.query.energyBus.locks(locked.lockId)).unwrap();
      assert.equal(lock.pricePerKwh.toBigInt(), lockedOffer === 1 ? PRICE_OFFER_1 : PRICE_OFFER_6);
      assert.equal(lock.factory.toUtf8(), factory);
      assert.equal(
        (await api.query.energyBus.locksByOffer(lockedOffer, who.address)).unwrap().toNumber(),
        locked.lockId.toNumber(),
      );
      result.lockId = locked.lockId.toNumber();
    }
    assert.deepEqual(await holds(eve.address), {
      'EnergyBus.BusDeposit': BUS_DEPOSIT,
      'EnergyBus.OfferLock': (21n * ECT) / 10n,
    });
    assert.deepEqual(await holds(ferdie.address), { 'EnergyBus.OfferLock': ECT });
    const offer1 = await offer(1);
    assert.deepEqual(
      [offer1.availableWh.toNumber(), offer1.lockedWh.toNumber(), offer1.locks.toNumber()],
      [270_000, 30_000, 1],
    );

    // Each buyer's market nonce moved on by one.
    for (const who of [bob, dave, eve, ferdie]) {
      assert.equal((await api.query.energyBus.marketNonces(who.address)).toNumber(), 1);
    }
  });

  round(
    'round 2: owner changes, cancel an offer, buy a lock, release a lock; replay and batch refused',
    async () => {
      const tx = api.tx;
      [round2.alice, round2.charlie, round2.eve, round2.ferdie, round2.bob, round2.dave] = await Promise.all([
        // Alice changes bus 3; with threshold 1 each change applies at once, until the threshold
        // is 2: her last call, adding Eve, is then only a proposal with her approval.
        submitOk(
          api,
          tx.utility.batchAll([
            tx.energyBus.setBusCapacity(busId, 2_000_000),
            tx.energyBus.setBasePrice(busId, 60_000_000_000n),
            tx.energyBus.addBusOwner(busId, dave.address),
            tx.energyBus.removeBusOwner(busId, charlie.address),
            tx.energyBus.setApprovalThreshold(busId, 2),
            tx.energyBus.addBusOwner(busId, eve.address),
          ]),
          alice,
        ),
        // Charlie cancels his offer: its 100 kWh return to Factory15.
        submitOk(api, tx.energyBus.cancelOffer(offerId), charlie),
        // Eve buys what she locked (nonce 1): paid from her hold, at the locked price.
        submitOk(api, tx.energyBus.purchaseEnergy(1, 100_000, PRICE_OFFER_1, 'Factory05', 1), eve),
        // Ferdie releases his lock early.
        submitOk(api, tx.energyBus.releaseLock(round1.ferdie.lockId), ferdie),
        // Bob sends his round-1 purchase again, nonce 0 included: a replay, refused.
        submit(api, tx.energyBus.purchaseEnergy(0, 50_000, PRICE_OFFER_0, 'Factory02', 0), bob),
        // Dave's second batch: item 1 accepts at most 0.05 ECT/kWh for offer 5 (0.06): it fails
        // and so does the whole batch.
        submit(
          api,
          tx.energyBus.batchPurchaseEnergy(
            [
              { offerId: 0, energyWh: 1_000, maxPricePerKwh: PRICE_OFFER_0 },
              { offerId: 5, energyWh: 1_000, maxPricePerKwh: 50_000_000_000n },
            ],
            'Factory04',
            1,
          ),
          dave,
        ),
      ]);

      // Alice's changes, in order: five applied, then the proposal.
      const applied = eventsOf(api, round2.alice, 'energyBus', 'ChangeApplied').map((e) => e.data.change);
      assert.deepEqual(
        applied.map((change) => change.toJSON()),
        [
          { setCapacity: 2_000_000 },
          { setBasePrice: 60_000_000_000 },
          { addOwner: dave.address },
          { removeOwner: charlie.address },
          { setApprovalThreshold: 2 },
        ],
      );
      const proposed = eventOf(api, round2.alice, 'energyBus', 'ChangeProposed').data;
      assert.deepEqual(proposed.change.toJSON(), { addOwner: eve.address });
      assert.equal(proposed.owner.toString(), alice.address);
      assert.deepEqual([proposed.approvals.toNumber(), proposed.threshold.toNumber()], [1, 2]);
      const bus3 = await bus(busId);
      assert.deepEqual(bus3.owners.map(String), [alice.address, bob.address, dave.address]);
      assert.deepEqual(
        [bus3.capacityWh.toNumber(), bus3.basePricePerKwh.toBigInt(), bus3.approvalThreshold.toNumber()],
        [2_000_000, 60_000_000_000n, 2],
      );
      assert.ok((await api.query.energyBus.busesByOwner(charlie.address, busId)).isNone);
      // The open proposal, waiting for a second owner; it lapses proposal_lifetime (7200) blocks on.
      const proposals = await api.query.energyBus.proposals(busId);
      assert.equal(proposals.length, 1);
      // Its id is in the event and in storage: other owners approve it by that id.
      assert.equal(proposals[0].id.toNumber(), proposed.proposalId.toNumber());
      assert.deepEqual(proposals[0].change.toJSON(), { addOwner: eve.address });
      assert.deepEqual(proposals[0].approvals.map(String), [alice.address]);
      assert.equal(
        proposals[0].expiresAt.toNumber(),
        round2.alice.blockNumber + MARKET_PARAMS.proposalLifetime,
      );

      // Charlie's cancelled offer returned everything and is gone.
      const cancelled = eventOf(api, round2.charlie, 'energyBus', 'OfferCancelled').data;
      assert.deepEqual(
        [cancelled.offerId.toNumber(), cancelled.returnedWh.toNumber(), cancelled.stillLockedWh.toNumber()],
        [offerId, 100_000, 0],
      );
      assert.ok((await api.query.energyBus.offers(offerId)).isNone);

      // Eve's purchase used her lock (2.1 ECT from the hold for 30 kWh, 4.9 ECT paid for the
      // other 70): the lock is gone, only the bus deposit is still held.
      const bought = eventOf(api, round2.eve, 'energyBus', 'EnergyPurchased').data;
      assert.deepEqual(
        [bought.offerId.toNumber(), bought.energyWh.toNumber(), bought.totalPrice.toBigInt()],
        [1, 100_000, 7n * ECT],
      );
      assert.equal(
        eventsOf(api, round2.eve, 'energyBus', 'LockEnded').length,
        0,
        'a bought-out lock does not "end"',
      );
      assert.ok((await api.query.energyBus.locks(round1.eve.lockId)).isNone);
      assert.deepEqual(await holds(eve.address), { 'EnergyBus.BusDeposit': BUS_DEPOSIT });
      const offer1 = await offer(1);
      assert.deepEqual(
        [
          offer1.availableWh.toNumber(),
          offer1.lockedWh.toNumber(),
          offer1.soldWh.toNumber(),
          offer1.locks.toNumber(),
        ],
        [200_000, 0, 100_000, 0],
      );

      // Ferdie's released lock: the energy is back on offer 6, the hold is gone.
      const ended = eventOf(api, round2.ferdie, 'energyBus', 'LockEnded').data;
      assert.deepEqual(
        [ended.lockId.toNumber(), ended.offerId.toNumber(), ended.energyWh.toNumber(), ended.expired.isTrue],
        [round1.ferdie.lockId, 6, 20_000, false],
      );
      assert.deepEqual(await holds(ferdie.address), {});
      assert.equal((await offer(6)).availableWh.toNumber(), 250_000);

      // The replay: NonceAlreadyUsed, by name and docs; and the original is known by its receipt.
      assert.ok(round2.bob.dispatchError?.isModule, 'the replay must fail');
      const replay = api.registry.findMetaError(round2.bob.dispatchError.asModule);
      assert.deepEqual([replay.section, replay.name], ['energyBus', 'NonceAlreadyUsed']);
      assert.deepEqual(replay.docs, [
        'This nonce was used already: a replay, or a retry of a call that ran (look up its',
        'receipt with `is_transaction_processed`).',
      ]);
      assert.equal((await api.rpc.energy.isTransactionProcessed(bobReceipt)).isTrue, true);

      // The failed batch: BatchItemFailed names the item (index 1) and the reason in the error's
      // fields, which polkadot.js decodes with the pallet's error type from the metadata.
      assert.ok(round2.dave.dispatchError?.isModule, 'the batch must fail');
      const batchError = round2.dave.dispatchError.asModule;
      const meta = api.registry.findMetaError(batchError);
      assert.deepEqual([meta.section, meta.name], ['energyBus', 'BatchItemFailed']);
      assert.deepEqual(meta.docs, [
        'Item `index` of a batch failed for `reason`; nothing of the batch happened.',
      ]);
      const decoded = api.createType('PalletEnergyBusError', batchError.error);
      assert.ok(decoded.isBatchItemFailed);
      assert.equal(decoded.asBatchItemFailed.index.toNumber(), 1);
      assert.equal(decoded.asBatchItemFailed.reason.type, 'PriceAboveLimit');
      // Nothing of it happened: offer 0 and Dave's market nonce are as after round 1.
      assert.equal((await offer(0)).availableWh.toNumber(), 149_000);
      assert.equal((await api.query.energyBus.marketNonces(dave.address)).toNumber(), 1);
    },
  );

  round('rounds 3 and 4: a second owner approves; the new owner approves closing the bus', async () => {
    const tx = api.tx;
    // Round 3: Bob's approval makes two: Eve becomes an owner. Dave asks to close the bus
    // (one approval of two).
    [round3.bob, round3.dave, round3.alice] = await Promise.all([
      submitOk(api, tx.energyBus.addBusOwner(busId, eve.address), bob),
      submitOk(api, tx.energyBus.closeBus(busId), dave),
      submitOk(api, tx.energyBus.setBasePrice(busId, 60_000_000_000n), alice),
    ]);
    const applied = eventOf(api, round3.bob, 'energyBus', 'ChangeApplied').data;
    assert.deepEqual(applied.change.toJSON(), { addOwner: eve.address });
    const closeProposed = eventOf(api, round3.dave, 'energyBus', 'ChangeProposed').data;
    assert.equal(closeProposed.change.type, 'Close');
    const closeId = closeProposed.proposalId.toNumber();
    assert.deepEqual([closeProposed.approvals.toNumber(), closeProposed.threshold.toNumber()], [1, 2]);
    assert.deepEqual((await bus(busId)).owners.map(String), [
      alice.address,
      bob.address,
      dave.address,
      eve.address,
    ]);
    // Alice withdraws the proposal she opened; only Dave's is left.
    const priceId = eventOf(api, round3.alice, 'energyBus', 'ChangeProposed').data.proposalId.toNumber();
    const withdrawn = await submitOk(api, tx.energyBus.withdrawBusChange(busId, priceId), alice);
    const ended = eventOf(api, withdrawn, 'energyBus', 'ChangeWithdrawn').data;
    assert.deepEqual(
      [ended.busId.toNumber(), ended.proposalId.toNumber(), ended.owner.toString()],
      [busId, priceId, alice.address],
    );
    assert.deepEqual(
      (await api.query.energyBus.proposals(busId)).map((p) => [p.id.toNumber(), p.change.type]),
      [[closeId, 'Close']],
    );

    // Round 4: Eve, owner since round 3, approves the proposal by its id: the bus closes and
    // Alice, its creator, gets her deposit back.
    round4.eve = await submitOk(api, tx.energyBus.approveBusChange(busId, closeId), eve);
    assert.equal(eventOf(api, round4.eve, 'energyBus', 'ChangeApplied').data.change.type, 'Close');
    assert.equal(eventOf(api, round4.eve, 'energyBus', 'BusClosed').data.busId.toNumber(), busId);
    assert.ok((await api.query.energyBus.buses(busId)).isNone);
    assert.equal((await api.query.energyBus.proposals(busId)).length, 0);
    assert.equal((await api.query.energyBus.busesByOwner.keys(alice.address)).length, 2);
    assert.deepEqual(await holds(alice.address), { 'EnergyBus.BusDeposit': BUS_DEPOSIT });
  });

  check('EnergyBusApi: every runtime API method, through api.call.energyBusApi', async () => {
    const call = api.call.energyBusApi;

    // bus_details(bus_id): the stored bus and its available capacity.
    const details = (await call.busDetails(0)).unwrap();
    const [bus0, available] = details;
    assert.deepEqual(bus0.toJSON(), (await bus(0)).toJSON());
    assert.equal(available.toNumber(), bus0.capacityWh.toNumber() - bus0.committedWh.toNumber());
    // Committed on bus 0: offer 0 (149 kWh), offer 1 (200), offer 2 (100).
    assert.equal(bus0.committedWh.toNumber(), 449_000);
    assert.ok((await call.busDetails(busId)).isNone, 'bus 3 is closed');
    // At the block of round 3 it still existed, with four owners.
    const atRound3 = await api.at(round3.bob.blockHash);
    assert.equal((await atRound3.call.energyBusApi.busDetails(busId)).unwrap()[0].owners.length, 4);

    // user_buses(who).
    assert.deepEqual((await call.userBuses(alice.address)).map(Number), [0, 2]);
    assert.deepEqual((await call.userBuses(eve.address)).map(Number), [2]);
    assert.deepEqual((await atRound3.call.energyBusApi.userBuses(eve.address)).map(Number), [2, busId]);

    // offer_lifetime(): how long a new offer stays open; each offer's end is its creation block
    // plus the lifetime then.
    assert.equal((await call.offerLifetime()).toNumber(), OFFER_LIFETIME);

    // bus_active_offers(bus_id, start_after, limit): bus 0's three offers, in pages.
    const offers = await call.busActiveOffers(0, null, 100);
    for (const o of offers) assert.equal(o.expiresAt.toNumber(), o.createdAt.toNumber() + OFFER_LIFETIME);
    assert.deepEqual(offers.map((o) => o.id.toNumber()).sort(), [0, 1, 2]);
    for (const o of offers) assert.deepEqual(o.toJSON(), (await offer(o.id)).toJSON());
    const first = await call.busActiveOffers(0, null, 1);
    const rest = await call.busActiveOffers(0, first[0].id, 100);
    assert.deepEqual(
      [...first, ...rest].map((o) => o.id.toNumber()),
      offers.map((o) => o.id.toNumber()),
    );

    // user_bus_offers(who, bus_id).
    assert.deepEqual(
      (await call.userBusOffers(alice.address, 2)).map((o) => o.id.toNumber()),
      [6],
    );
    assert.equal((await call.userBusOffers(charlie.address, 2)).length, 0, 'his offer was cancelled');

    // buses(start_after, limit): every bus in id order, a page at a time. Bus 3 closed in round
    // 4: a gap at the end, which the last page reads past.
    const page = await call.buses(null, 100);
    assert.deepEqual(page.buses.map((b) => b.id.toNumber()), [0, 1, 2]);
    assert.ok(page.nextStartAfter.isNone);
    for (const b of page.buses) assert.deepEqual(b.toJSON(), (await bus(b.id)).toJSON());
    const firstTwo = await call.buses(null, 2);
    assert.equal(firstTwo.nextStartAfter.unwrap().toNumber(), 1);
    const lastPage = await call.buses(firstTwo.nextStartAfter, 2);
    assert.deepEqual(lastPage.buses.map((b) => b.id.toNumber()), [2]);
    assert.ok(lastPage.nextStartAfter.isNone);
    assert.deepEqual(
      (await atRound3.call.energyBusApi.buses(null, 100)).buses.map((b) => b.id.toNumber()),
      [0, 1, 2, busId],
    );

    // account_offers(who, start_after, limit): an account's offers on every bus, in id order.
    assert.deepEqual(
      (await call.accountOffers(alice.address, null, 100)).map((o) => o.id.toNumber()),
      [4, 6],
    );
    assert.deepEqual(
      (await call.accountOffers(alice.address, 4, 100)).map((o) => o.id.toNumber()),
      [6],
    );
    // Charlie's genesis offer 0; the one he created in round 1 was cancelled.
    const charlies = await call.accountOffers(charlie.address, null, 100);
    assert.deepEqual(charlies.map((o) => o.id.toNumber()), [0]);
    assert.deepEqual(charlies[0].toJSON(), (await offer(0)).toJSON());

    // offer_locks(offer_id): none now; Eve's lock at the block of round 1.
    assert.deepEqual((await call.offerLocks(1)).toJSON(), [0, []]);
    const [lockedWh, locks] = await (await api.at(round1.eve.blockHash)).call.energyBusApi.offerLocks(1);
    assert.equal(lockedWh.toNumber(), 30_000);
    assert.deepEqual(
      locks.map((l) => [
        l.id.toNumber(),
        l.holder.toString(),
        l.factory.toUtf8(),
        l.energyWh.toNumber(),
        l.held.toBigInt(),
      ]),
      [[round1.eve.lockId, eve.address, 'Factory05', 30_000, (21n * ECT) / 10n]],
    );

    // lock_terms() and lock_quote(offer_id, energy_wh): what a lock of offer 6 would cost.
    assert.deepEqual((await call.lockTerms()).toJSON(), { ...LOCK_TERMS, minFee: Number(LOCK_TERMS.minFee) });
    const quote = (await call.lockQuote(6, 25_000)).unwrap();
    assert.deepEqual(
      [quote.held.toBigInt(), quote.fee.toBigInt(), quote.maxEnergyWh.toNumber()],
      [(125n * ECT) / 100n, (125n * ECT) / 10_000n, 50_000],
      "20% of offer 6's 250 kWh, under Alice's terms",
    );
    assert.ok((await call.lockQuote(99, 1)).isNone);

    // is_transaction_processed(receipt).
    assert.equal((await call.isTransactionProcessed(bobReceipt)).isTrue, true);
    assert.equal((await call.isTransactionProcessed('0x' + '00'.repeat(32))).isTrue, false);

    // market_nonce(who): one per successful buying call (the failed ones did not count).
    const nonces = {};
    for (const [name, who] of Object.entries({ alice, bob, dave, eve, ferdie })) {
      nonces[name] = (await call.marketNonce(who.address)).toNumber();
      assert.equal(nonces[name], (await api.query.energyBus.marketNonces(who.address)).toNumber());
    }
    assert.deepEqual(nonces, { alice: 0, bob: 1, dave: 1, eve: 2, ferdie: 1 });

    // purchases(who, start_after, limit): Dave's two, in id order.
    const davePurchases = await call.purchases(dave.address, null, 100);
    assert.equal(davePurchases.length, 2);
    for (const p of davePurchases) {
      assert.deepEqual(p.toJSON(), (await api.query.energyBus.purchases(p.id)).unwrap().toJSON());
    }
    assert.deepEqual(
      davePurchases.map((p) => [p.offerId.toNumber(), p.intoFactory.toUtf8(), p.seller.toString()]).sort(),
      [
        [0, 'Factory04', charlie.address],
        [5, 'Factory04', eve.address],
      ],
    );
  });

  check('energy_* RPC methods of the market, through api.rpc.energy', async () => {
    const rpc = api.rpc.energy;

    // energy_getBusDetails: plain JSON, balances as decimal strings.
    const bus0 = await bus(0);
    assert.deepEqual((await rpc.getBusDetails(0)).unwrap().toJSON(), {
      id: 0,
      name: 'Solar Farm A',
      owners: [alice.address, bob.address, charlie.address],
      approvalThreshold: 1,
      capacityWh: 5_000_000,
      committedWh: bus0.committedWh.toNumber(),
      availableWh: 5_000_000 - bus0.committedWh.toNumber(),
      basePricePerKwh: '50000000000',
      openOffers: 3,
      creator: alice.address,
      deposit: BUS_DEPOSIT.toString(),
      createdAt: 0,
    });
    assert.ok((await rpc.getBusDetails(busId)).isNone);
    assert.equal(
      (await rpc.getBusDetails(busId, round3.bob.blockHash)).unwrap().toJSON().approvalThreshold,
      2,
    );

    // energy_getBuses(startAfter?, limit?): { buses, nextStartAfter }, in id order.
    const buses = (await rpc.getBuses()).toJSON();
    assert.deepEqual(buses.buses.map((b) => b.id), [0, 1, 2]);
    assert.equal(buses.nextStartAfter, null);
    assert.deepEqual(buses.buses[0], (await rpc.getBusDetails(0)).unwrap().toJSON());
    assert.equal((await rpc.getBuses(null, 2)).toJSON().nextStartAfter, 1);
    assert.deepEqual(
      (await rpc.getBuses(null, null, round3.bob.blockHash)).toJSON().buses.map((b) => b.id),
      [0, 1, 2, busId],
    );

    // energy_getUserBuses.
    assert.deepEqual((await rpc.getUserBuses(alice.address)).toJSON(), [0, 2]);

    // energy_getBusActiveOffers(busId, startAfter?, limit?).
    const offers = (await rpc.getBusActiveOffers(0)).map((o) => o.toJSON());
    assert.deepEqual(offers.map((o) => o.id).sort(), [0, 1, 2]);
    const offer0 = offers.find((o) => o.id === 0);
    assert.deepEqual(offer0, {
      id: 0,
      busId: 0,
      seller: charlie.address,
      factory: 'Factory09',
      energyWh: 200_000,
      availableWh: 149_000,
      lockedWh: 0,
      soldWh: 51_000,
      pricePerKwh: PRICE_OFFER_0.toString(),
      // Bus 0 charges no grid fee.
      gridFeePerKwh: '0',
      locks: 0,
      status: 'open',
      createdAt: 0,
      // A genesis offer is open for the offer lifetime (7 days of 6 s blocks) from block 0.
      expiresAt: OFFER_LIFETIME,
    });
    const page = await rpc.getBusActiveOffers(0, offers[0].id, 1);
    assert.deepEqual(
      page.map((o) => o.toJSON().id),
      [offers[1].id],
    );

    // energy_getUserBusOffers(account, busId).
    assert.deepEqual(
      (await rpc.getUserBusOffers(alice.address, 2)).map((o) => o.toJSON().id),
      [6],
    );

    // energy_getAccountOffers(account, startAfter?, limit?): on every bus, in id order.
    assert.deepEqual(
      (await rpc.getAccountOffers(alice.address)).map((o) => {
        const { id, busId: onBus, factory } = o.toJSON();
        return [id, onBus, factory];
      }),
      [
        [4, 1, 'Factory13'],
        [6, 2, 'Factory07'],
      ],
    );
    assert.deepEqual(
      (await rpc.getAccountOffers(alice.address, 4, 1)).map((o) => o.toJSON().id),
      [6],
    );

    // energy_getOfferLocks: Eve's lock at the block of round 1, none now.
    assert.deepEqual((await rpc.getOfferLocks(1)).toJSON(), { lockedWh: 0, locks: [] });
    assert.deepEqual((await rpc.getOfferLocks(1, round1.eve.blockHash)).toJSON(), {
      lockedWh: 30_000,
      locks: [
        {
          id: round1.eve.lockId,
          offerId: 1,
          holder: eve.address,
          factory: 'Factory05',
          energyWh: 30_000,
          pricePerKwh: PRICE_OFFER_1.toString(),
          held: ((21n * ECT) / 10n).toString(),
          expiresAt: round1.eve.blockNumber + MARKET_PARAMS.lockDuration,
        },
      ],
    });

    // energy_isTransactionProcessed: Bob's receipt, and one that never was.
    assert.equal((await rpc.isTransactionProcessed(bobReceipt)).isTrue, true);
    assert.equal((await rpc.isTransactionProcessed('0x' + '00'.repeat(32))).isTrue, false);
    // Before Bob's purchase (at genesis) it was not processed yet.
    const genesisHash = await api.rpc.chain.getBlockHash(0);
    assert.equal((await rpc.isTransactionProcessed(bobReceipt, genesisHash)).isTrue, false);

    // energy_getMarketNonce.
    assert.equal((await rpc.getMarketNonce(eve.address)).toNumber(), 2);
    assert.equal((await rpc.getMarketNonce(alice.address)).toNumber(), 0);

    // energy_getPurchases(account, startAfter?, limit?): Bob's one purchase, with its receipt.
    const bobPurchases = (await rpc.getPurchases(bob.address)).map((p) => p.toJSON());
    const stored = (await api.query.energyBus.purchases(bobPurchases[0].id)).unwrap();
    assert.deepEqual(bobPurchases, [
      {
        id: stored.id.toNumber(),
        offerId: 0,
        busId: 0,
        buyer: bob.address,
        seller: charlie.address,
        intoFactory: 'Factory02',
        energyWh: 50_000,
        pricePerKwh: PRICE_OFFER_0.toString(),
        totalPrice: (4n * ECT).toString(),
        gridFee: '0',
        block: round1.bob.blockNumber,
        receipt: bobReceipt,
      },
    ]);
    const davePage = await rpc.getPurchases(dave.address, null, 1);
    assert.equal(davePage.length, 1);
    assert.equal((await rpc.getPurchases(dave.address, davePage[0].toJSON().id, 10)).length, 1);
  });
});
