// The factory ledger (pallet EnergyTrading, index 10) from polkadot.js: every call, signed by
// the dev accounts, checked through its decoded events and the storage it leaves; every
// EnergyTradingApi runtime API method (api.call.energyTradingApi.*) and every energy_* RPC
// method of the ledger (api.rpc.energy.*) checked against storage; and failed calls reporting
// the pallet's error by name and docs.
//
// Blocks come every 6 s, so independent calls of different accounts go out together (and
// usually share a block); each round waits until all of its calls are in a block:
//
//   round 1  Alice (batchAll): sudo(registerFactory Factory21) + mintEnergy + createTrade
//              + sudo(setMeter Factory02 → Ferdie): meters are the registrar's
//            Bob: requestMeter (he may only ask)   Charlie: transferEnergy   Eve: createTrade
//   round 2  Dave: executeTrade   Eve: cancelTrade   Ferdie (batchAll): consumeEnergy + mintEnergy
//            Charlie and Bob: calls that fail (InsufficientEnergy, NotFactoryMeter)
//            Alice: sudo(registerFactory Factory01), which fails inside sudo (FactoryAlreadyExists)
//
// Genesis (runtime/src/genesis_config_presets.rs): Factory01 (Alice, 1000 kWh, rated 250 kW: a
// day's allowance of 6,000 kWh), Factory02 (Bob, 800 kWh), Factory03 (Charlie, 500 kWh), Factory04 (Dave, 300 kWh), Factory05 (Eve, 1200 kWh,
// 500 kWh of it offered on the energy-bus market), Factory06 (Ferdie, 450 kWh), … each metered
// by its owner.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe } from 'node:test';

import { connect, devAccounts, ECT, eventOf, eventsOf, submit, submitOk } from '../lib/chain.js';
import { DevNode } from '../lib/node.js';
import { scenario } from '../lib/steps.js';

describe('EnergyTrading from polkadot.js', { timeout: 180_000 }, () => {
  const node = new DevNode('energy-trading');
  const { round, check } = scenario();
  const { alice, bob, charlie, dave, eve, ferdie } = devAccounts();
  let api;
  let genesisHash;
  // The results of the two rounds, for the tests that check them.
  const round1 = {};
  const round2 = {};

  before(async () => {
    await node.start();
    api = await connect(node.wsUrl);
    genesisHash = await api.rpc.chain.getBlockHash(0);
  });

  afterEach((t) => {
    if (t.passed === false) node.printLogTail();
  });

  after(async () => {
    await api?.disconnect();
    await node.stop();
  });

  // A factory as stored (api.query.energyTrading.factories), at the best block or at `at`.
  const factory = async (id, at) => {
    const query = at ? await api.at(at) : api;
    return (await query.query.energyTrading.factories(id)).unwrap();
  };

  round('round 1: register a factory through sudo, mint, ask for and set a meter, transfer, create trades', async () => {
    const tx = api.tx;
    // Registering is for Root: Alice, the dev chain's sudo key, wraps it in sudo.sudo. In the
    // same batch (utility.batchAll: all or nothing) she mints 500 kWh into Factory01 as its
    // meter and offers 200 kWh of it to Factory04 at 0.08 ECT/kWh (the README scenario).
    const aliceBatch = tx.utility.batchAll([
      tx.sudo.sudo(
        tx.energyTrading.registerFactory('Factory21', 'JS Test Hydro', 'Hydro', ferdie.address, null, 10_000, 50_000),
      ),
      tx.energyTrading.mintEnergy('Factory01', 500_000),
      tx.energyTrading.createTrade('Factory01', 'Factory04', 200_000, 80_000_000_000n),
      // The registrar makes Ferdie the meter of Bob's Factory02.
      tx.sudo.sudo(tx.energyTrading.setMeter('Factory02', ferdie.address)),
    ]);
    [round1.alice, round1.bob, round1.charlie, round1.eve] = await Promise.all([
      submitOk(api, aliceBatch, alice),
      // Bob may only ask the registrar for a meter (he asks for Ferdie).
      submitOk(api, tx.energyTrading.requestMeter('Factory02', ferdie.address), bob),
      // Charlie gives 10 kWh of Factory03 to Dave's Factory04, for free.
      submitOk(api, tx.energyTrading.transferEnergy('Factory03', 'Factory04', 10_000), charlie),
      // Eve offers 5 kWh of Factory05 to Ferdie's Factory06 at 0.1 ECT/kWh (cancelled in round 2).
      submitOk(api, tx.energyTrading.createTrade('Factory05', 'Factory06', 5_000, 100_000_000_000n), eve),
    ]);

    // Alice's batch: sudo reports Ok (submitOk checked it), then the ledger's three events.
    const registered = eventOf(api, round1.alice, 'energyTrading', 'FactoryRegistered').data;
    assert.equal(registered.factoryId.toUtf8(), 'Factory21');
    assert.equal(registered.owner.toString(), ferdie.address);
    assert.equal(registered.meter.toString(), ferdie.address, 'meter None makes the owner the meter');
    assert.equal(registered.energyType.type, 'Hydro');
    assert.equal(registered.initialEnergyWh.toNumber(), 50_000);
    // Its rating follows: 10 kW, the allowance full (a day at 10 kW, 240 kWh).
    const rated = eventOf(api, round1.alice, 'energyTrading', 'RatedPowerChanged').data;
    assert.deepEqual(
      [rated.factoryId.toUtf8(), rated.ratedPowerW.toNumber(), rated.allowanceWh.toNumber()],
      ['Factory21', 10_000, 240_000],
    );
    // Two sudo calls in the batch (the registration, the meter), both Ok inside.
    const sudid = eventsOf(api, round1.alice, 'sudo', 'Sudid');
    assert.deepEqual(
      sudid.map((event) => event.data.sudoResult.isOk),
      [true, true],
    );
    eventOf(api, round1.alice, 'utility', 'BatchCompleted');

    const minted = eventOf(api, round1.alice, 'energyTrading', 'EnergyMinted').data;
    assert.equal(minted.factoryId.toUtf8(), 'Factory01');
    assert.equal(minted.energyWh.toNumber(), 500_000);
    assert.equal(minted.balanceWh.toNumber(), 1_500_000, '1000 kWh + 500 kWh');

    const created = eventOf(api, round1.alice, 'energyTrading', 'TradeCreated').data;
    assert.equal(created.seller.toUtf8(), 'Factory01');
    assert.equal(created.buyer.toUtf8(), 'Factory04');
    assert.equal(created.energyWh.toNumber(), 200_000);
    assert.equal(created.pricePerKwh.toBigInt(), 80_000_000_000n);
    assert.equal(created.totalPrice.toBigInt(), 16n * ECT, '200 kWh at 0.08 ECT/kWh = 16 ECT');
    round1.tradeId = created.tradeId.toNumber();
    // A pending trade holds a deposit (1 ECT) from its creator: a balances hold, recorded per
    // trade in TradeDeposits, until it is executed or cancelled.
    const held = eventsOf(api, round1.alice, 'balances', 'Held').map((event) => event.data);
    assert.deepEqual(
      held.map((data) => [data.reason.toJSON(), data.who.toString(), data.amount.toBigInt()]),
      [[{ energyTrading: 'TradeDeposit' }, alice.address, ECT]],
    );
    const deposit = (await api.query.energyTrading.tradeDeposits(round1.tradeId)).unwrap();
    assert.deepEqual([deposit.depositor.toString(), deposit.amount.toBigInt()], [alice.address, ECT]);
    assert.equal((await api.query.energyTrading.pendingTradeCount('Factory01')).toNumber(), 1);

    const meterChanged = eventOf(api, round1.alice, 'energyTrading', 'MeterChanged').data;
    assert.equal(meterChanged.factoryId.toUtf8(), 'Factory02');
    assert.equal(meterChanged.meter.toString(), ferdie.address);
    const meterRequested = eventOf(api, round1.bob, 'energyTrading', 'MeterRequested').data;
    assert.equal(meterRequested.meter.toString(), ferdie.address);

    // Every change of a balance is an event with the balances it left.
    const transferred = eventOf(api, round1.charlie, 'energyTrading', 'EnergyTransferred').data;
    assert.deepEqual(
      [
        transferred.from.toUtf8(),
        transferred.to.toUtf8(),
        transferred.energyWh.toNumber(),
        transferred.fromBalanceWh.toNumber(),
        transferred.toBalanceWh.toNumber(),
      ],
      ['Factory03', 'Factory04', 10_000, 490_000, 310_000],
    );

    const eveCreated = eventOf(api, round1.eve, 'energyTrading', 'TradeCreated').data;
    assert.equal(eveCreated.totalPrice.toBigInt(), ECT / 2n, '5 kWh at 0.1 ECT/kWh = 0.5 ECT');
    round1.eveTradeId = eveCreated.tradeId.toNumber();
    // The two trades got the ids 0 and 1, in whichever order they were included.
    assert.deepEqual([round1.tradeId, round1.eveTradeId].sort(), [0, 1]);

    // Storage after Alice's batch: Factory21 as registered, in its owner's index.
    const registeredAt = round1.alice.blockNumber;
    const factory21 = await factory('Factory21', round1.alice.blockHash);
    const registeredTime = await (await api.at(round1.alice.blockHash)).query.timestamp.now();
    assert.deepEqual(factory21.toJSON(), {
      id: api.createType('Bytes', 'Factory21').toHex(),
      name: api.createType('Bytes', 'JS Test Hydro').toHex(),
      energyType: 'Hydro',
      owner: ferdie.address,
      meter: ferdie.address,
      energyWh: 50_000,
      registeredAt,
    });
    // Its rating, beside it: full, a day at 10 kW (240 kWh) in millijoules, as of the block's time.
    const rating = (await (await api.at(round1.alice.blockHash)).query.energyTrading.ratings('Factory21')).unwrap();
    assert.deepEqual(rating.toJSON(), {
      ratedPowerW: 10_000,
      allowance: { availableMj: 240_000 * 3_600_000, refilledAt: registeredTime.toNumber() },
    });
    assert.ok((await api.query.energyTrading.factoriesByOwner(ferdie.address, 'Factory21')).isSome);
    assert.equal((await api.query.energyTrading.factoryCount()).toNumber(), 21);

    // Both trades are pending with their energy in escrow.
    const trade = (await api.query.energyTrading.trades(round1.tradeId)).unwrap();
    assert.equal(trade.status.type, 'Pending');
    assert.equal(trade.settledAt.isNone, true);
    const createdAt = await (await api.at(round1.alice.blockHash)).query.timestamp.now();
    assert.equal(trade.createdAt.toNumber(), createdAt.toNumber(), 'created at the block time (ms)');
    const escrowed = await api.query.energyTrading.tradeEscrowWh();
    assert.equal(escrowed.toNumber(), 205_000, '200 kWh + 5 kWh of pending trades');
    assert.equal((await factory('Factory01')).energyWh.toNumber(), 1_300_000);
    assert.equal((await factory('Factory02')).meter.toString(), ferdie.address);
    assert.equal((await factory('Factory04')).energyWh.toNumber(), 310_000, '300 kWh + 10 kWh');
  });

  round(
    'round 2: execute a trade, cancel one, meter reports; failed calls name the pallet error',
    async () => {
      const tx = api.tx;
      [round2.dave, round2.eve, round2.ferdie, round2.charlie, round2.bob, round2.alice] = await Promise.all([
        // Dave, owner of the buyer Factory04, pays at most 16 ECT: exactly the total.
        submitOk(api, tx.energyTrading.executeTrade(round1.tradeId, 16n * ECT), dave),
        // Eve, the seller, cancels her trade: the 5 kWh return to Factory05.
        submitOk(api, tx.energyTrading.cancelTrade(round1.eveTradeId), eve),
        // Ferdie is now the meter of Factory02 (round 1) and of his new Factory21.
        submitOk(
          api,
          tx.utility.batchAll([
            tx.energyTrading.consumeEnergy('Factory02', 1_000),
            tx.energyTrading.mintEnergy('Factory21', 2_000),
          ]),
          ferdie,
        ),
        // Two calls that fail; they are included (and pay their fee) but change nothing.
        // Charlie asks Factory03 (490 kWh) to consume 10 MWh.
        submit(api, tx.energyTrading.consumeEnergy('Factory03', 10_000_000), charlie),
        // Bob is no longer Factory02's meter.
        submit(api, tx.energyTrading.consumeEnergy('Factory02', 1), bob),
        // Alice, through sudo, registers Factory01 a second time: sudo itself succeeds, and the
        // failure of the call it dispatched is in its Sudid event.
        submit(
          api,
          tx.sudo.sudo(
            tx.energyTrading.registerFactory('Factory01', 'Again', 'Solar', alice.address, null, 0, 0),
          ),
          alice,
        ),
      ]);

      const executed = eventOf(api, round2.dave, 'energyTrading', 'TradeExecuted').data;
      assert.equal(executed.tradeId.toNumber(), round1.tradeId);
      assert.equal(executed.totalPrice.toBigInt(), 16n * ECT);
      assert.equal(executed.payer.toString(), dave.address);
      assert.equal(executed.payee.toString(), alice.address);
      assert.equal(executed.sellerBalanceWh.toNumber(), 1_300_000);
      assert.equal(executed.buyerBalanceWh.toNumber(), 510_000);
      // The payment is an ordinary balances transfer, in the same extrinsic.
      const paid = eventOf(api, round2.dave, 'balances', 'Transfer').data;
      assert.deepEqual(
        [paid.from.toString(), paid.to.toString(), paid.amount.toBigInt()],
        [dave.address, alice.address, 16n * ECT],
      );

      // Both trades returned their deposits to their creators: Alice's (executed by Dave) and
      // Eve's; the trades stay readable for a day (TradeRetention), queued for removal.
      const released = eventOf(api, round2.dave, 'balances', 'Released').data;
      assert.deepEqual([released.who.toString(), released.amount.toBigInt()], [alice.address, ECT]);
      eventOf(api, round2.eve, 'balances', 'Released');
      assert.ok((await api.query.energyTrading.tradeDeposits(round1.tradeId)).isNone);
      assert.equal((await api.query.energyTrading.pendingTradeCount('Factory01')).toNumber(), 0);
      assert.equal((await api.query.energyTrading.trades(round1.tradeId)).unwrap().status.type, 'Completed');

      const cancelled = eventOf(api, round2.eve, 'energyTrading', 'TradeCancelled').data;
      assert.equal(cancelled.tradeId.toNumber(), round1.eveTradeId);
      assert.equal(cancelled.cancelledBy.toString(), eve.address);
      assert.equal(cancelled.energyWh.toNumber(), 5_000);

      const consumed = eventOf(api, round2.ferdie, 'energyTrading', 'EnergyConsumed').data;
      assert.deepEqual(
        [consumed.factoryId.toUtf8(), consumed.energyWh.toNumber(), consumed.balanceWh.toNumber()],
        ['Factory02', 1_000, 799_000],
      );
      const minted = eventOf(api, round2.ferdie, 'energyTrading', 'EnergyMinted').data;
      assert.deepEqual(
        [minted.factoryId.toUtf8(), minted.energyWh.toNumber(), minted.balanceWh.toNumber()],
        ['Factory21', 2_000, 52_000],
      );

      // The failures: dispatchError is a module error that the metadata names and documents.
      for (const [result, name, docs] of [
        [round2.charlie, 'InsufficientEnergy', ['The factory has less energy than the call needs.']],
        [round2.bob, 'NotFactoryMeter', ["The caller is not this factory's meter."]],
      ]) {
        assert.ok(result.dispatchError, `${result.what} should have failed`);
        assert.ok(result.dispatchError.isModule);
        const error = api.registry.findMetaError(result.dispatchError.asModule);
        assert.equal(error.section, 'energyTrading');
        assert.equal(error.name, name);
        assert.deepEqual(error.docs, docs);
        // The same error is what System.ExtrinsicFailed carries, and api.errors can match it.
        const failed = eventOf(api, result, 'system', 'ExtrinsicFailed').data;
        assert.ok(api.errors.energyTrading[name].is(failed.dispatchError.asModule));
      }
      assert.equal(
        (await factory('Factory03')).energyWh.toNumber(),
        490_000,
        'the failed call changed nothing',
      );

      // The failed sudo call: no dispatchError (the sudo call worked), but Sudid carries Err.
      assert.equal(round2.alice.dispatchError, undefined);
      const sudid = eventOf(api, round2.alice, 'sudo', 'Sudid').data;
      assert.ok(sudid.sudoResult.isErr);
      const sudoError = api.registry.findMetaError(sudid.sudoResult.asErr.asModule);
      assert.deepEqual(
        [sudoError.section, sudoError.name, sudoError.docs],
        ['energyTrading', 'FactoryAlreadyExists', ['A factory with this id is already registered.']],
      );
      assert.equal((await factory('Factory01')).name.toUtf8(), 'Sunfield Solar Works');
    },
  );

  check('storage after both rounds: balances, trades, history, totals', async () => {
    const expectedWh = {
      Factory01: 1_300_000, // 1000 kWh + 500 minted − 200 sold
      Factory02: 799_000, // 800 kWh − 1 consumed
      Factory03: 490_000, // 500 kWh − 10 transferred
      Factory04: 510_000, // 300 kWh + 10 received + 200 bought
      Factory05: 700_000, // 1200 kWh − 500 on the market; the cancelled trade came back
      Factory21: 52_000, // registered with 50 kWh + 2 minted
    };
    for (const [id, wh] of Object.entries(expectedWh)) {
      assert.equal((await factory(id)).energyWh.toNumber(), wh, id);
    }

    const trade = (await api.query.energyTrading.trades(round1.tradeId)).unwrap();
    assert.equal(trade.status.type, 'Completed');
    assert.ok(trade.settledAt.isSome);
    assert.equal((await api.query.energyTrading.trades(round1.eveTradeId)).unwrap().status.type, 'Cancelled');
    assert.equal((await api.query.energyTrading.nextTradeId()).toNumber(), 2);
    // The trade index, both sides.
    for (const id of ['Factory01', 'Factory04']) {
      const keys = await api.query.energyTrading.tradesByFactory.keys(id);
      assert.deepEqual(
        keys.map((key) => key.args[1].toNumber()),
        [round1.tradeId],
        `trades of ${id}`,
      );
    }

    // Totals, compared with genesis: issued +50 kWh (registration) +500 +2 (mints), consumed
    // +1 kWh, no trade escrow left, and the market escrow untouched.
    const genesis = await api.at(genesisHash);
    const delta = async (item) =>
      (await api.query.energyTrading[item]()).toNumber() -
      (await genesis.query.energyTrading[item]()).toNumber();
    assert.equal(await delta('totalIssuedWh'), 552_000);
    assert.equal(await delta('totalConsumedWh'), 1_000);
    assert.equal((await api.query.energyTrading.tradeEscrowWh()).toNumber(), 0);
    assert.equal(await delta('marketEscrowWh'), 0);

    // History: every balance change of Factory01, from the node's index of the ledger's events
    // (energy_getFactoryHistory), oldest first.
    const page = (await api.rpc.energy.getFactoryHistory('Factory01')).toJSON();
    assert.equal(page.completeFrom, 0);
    const history = page.records.reverse();
    assert.deepEqual(
      history.map((record) => [record.kind, record.energyWh, record.balanceWh]),
      [
        ['genesis', 1_000_000, 1_000_000],
        ['minted', 500_000, 1_500_000],
        ['tradeCreated', 200_000, 1_300_000],
        ['tradeSold', 200_000, 1_300_000],
      ],
    );
    const sold = history[3];
    assert.equal(sold.counterparty, 'Factory04');
    assert.equal(sold.tradeId, round1.tradeId);
    assert.equal(sold.totalPrice, (16n * ECT).toString());
    assert.equal(sold.block, round2.dave.blockNumber);
  });

  check('EnergyTradingApi: every runtime API method, through api.call.energyTradingApi', async () => {
    const call = api.call.energyTradingApi;

    // factory(id): the stored factory, or None.
    for (const id of ['Factory01', 'Factory21']) {
      assert.deepEqual((await call.factory(id)).unwrap().toJSON(), (await factory(id)).toJSON());
    }
    assert.ok((await call.factory('NoSuchFactory')).isNone);

    // energy_balance(id).
    assert.equal((await call.energyBalance('Factory04')).unwrap().toNumber(), 510_000);
    assert.ok((await call.energyBalance('NoSuchFactory')).isNone);

    // factories(start_after, limit): pages in storage order that together list all 21.
    const all = await call.factories(null, 100);
    assert.equal(all.length, 21);
    const stored = await api.query.energyTrading.factories.entries();
    assert.deepEqual(
      all.map((f) => f.id.toUtf8()).sort(),
      stored.map(([key]) => key.args[0].toUtf8()).sort(),
    );
    const page1 = await call.factories(null, 10);
    const page2 = await call.factories(page1[9].id, 10);
    const page3 = await call.factories(page2[9].id, 10);
    assert.deepEqual([page1.length, page2.length, page3.length], [10, 10, 1]);
    assert.deepEqual(
      [...page1, ...page2, ...page3].map((f) => f.id.toUtf8()),
      all.map((f) => f.id.toUtf8()),
    );

    // owner_factories(who, start_after, limit): Ferdie's three genesis factories and his new
    // Factory21, as stored, in pages that together list each once.
    const ferdies = await call.ownerFactories(ferdie.address, null, 100);
    assert.deepEqual(
      ferdies.map((f) => f.id.toUtf8()).sort(),
      ['Factory06', 'Factory12', 'Factory18', 'Factory21'],
    );
    for (const f of ferdies) {
      assert.deepEqual(f.toJSON(), (await factory(f.id.toUtf8())).toJSON());
    }
    const ferdies1 = await call.ownerFactories(ferdie.address, null, 2);
    const ferdies2 = await call.ownerFactories(ferdie.address, ferdies1[1].id, 2);
    assert.deepEqual(
      [...ferdies1, ...ferdies2].map((f) => f.id.toUtf8()),
      ferdies.map((f) => f.id.toUtf8()),
    );
    assert.equal((await call.ownerFactories(ferdie.address, ferdies[3].id, 100)).length, 0);

    // trade(id), trades_of_factory(id, start_after, limit).
    const trade = await call.trade(round1.tradeId);
    assert.deepEqual(
      trade.unwrap().toJSON(),
      (await api.query.energyTrading.trades(round1.tradeId)).unwrap().toJSON(),
    );
    assert.ok((await call.trade(99)).isNone);
    const ofFactory05 = await call.tradesOfFactory('Factory05', null, 100);
    assert.deepEqual(
      ofFactory05.map((t) => [t.id.toNumber(), t.status.type]),
      [[round1.eveTradeId, 'Cancelled']],
    );
  });

  check('energy_* RPC methods of the ledger, through api.rpc.energy', async () => {
    const rpc = api.rpc.energy;

    // energy_getFactory: plain JSON, the energy type in lower case.
    assert.deepEqual((await rpc.getFactory('Factory21')).unwrap().toJSON(), {
      id: 'Factory21',
      name: 'JS Test Hydro',
      energyType: 'hydro',
      owner: ferdie.address,
      meter: ferdie.address,
      energyWh: 52_000,
      registeredAt: round1.alice.blockNumber,
    });
    assert.ok((await rpc.getFactory('NoSuchFactory')).isNone);

    // energy_getFactoryRating, at the block of Ferdie's report: a day at 10 kW less the 2 kWh
    // it reported (the allowance was full before it); it refills from then on.
    assert.deepEqual((await rpc.getFactoryRating('Factory21', round2.ferdie.blockHash)).unwrap().toJSON(), {
      ratedPowerW: 10_000,
      generationAllowanceWh: 238_000,
    });
    assert.ok((await rpc.getFactoryRating('NoSuchFactory')).isNone);

    // energy_getEnergyBalance, now and at the block of round 1 (the optional `at`).
    assert.equal((await rpc.getEnergyBalance('Factory04')).unwrap().toNumber(), 510_000);
    assert.equal(
      (await rpc.getEnergyBalance('Factory04', round1.charlie.blockHash)).unwrap().toNumber(),
      310_000,
    );
    assert.ok((await rpc.getEnergyBalance('NoSuchFactory')).isNone);

    // energy_getAllFactories(startAfter?, limit?): the same pages as the runtime API.
    const all = await rpc.getAllFactories();
    assert.equal(all.length, 21);
    const page1 = await rpc.getAllFactories(null, 5);
    const rest = await rpc.getAllFactories(page1[4].toJSON().id);
    assert.deepEqual(
      [...page1, ...rest].map((f) => f.toJSON().id),
      all.map((f) => f.toJSON().id),
    );
    const stored = await factory('Factory01');
    const listed = all.map((f) => f.toJSON()).find((f) => f.id === 'Factory01');
    assert.equal(listed.energyWh, stored.energyWh.toNumber());
    assert.equal(listed.owner, stored.owner.toString());

    // energy_getOwnerFactories(account, startAfter?, limit?): the same pages as the runtime
    // API; Factory21 only after round 1.
    const ferdies = (await rpc.getOwnerFactories(ferdie.address)).map((f) => f.toJSON());
    assert.deepEqual(
      ferdies.map((f) => f.id).sort(),
      ['Factory06', 'Factory12', 'Factory18', 'Factory21'],
    );
    assert.ok(ferdies.every((f) => f.owner === ferdie.address));
    assert.deepEqual(
      (await rpc.getOwnerFactories(ferdie.address, ferdies[0].id, 10)).map((f) => f.toJSON().id),
      ferdies.slice(1).map((f) => f.id),
    );
    const genesisHash = await api.rpc.chain.getBlockHash(0);
    assert.equal((await rpc.getOwnerFactories(ferdie.address, null, null, genesisHash)).length, 3);

    // energy_getTrade: balances as decimal strings, the status in lower case.
    const trade = (await rpc.getTrade(round1.tradeId)).unwrap().toJSON();
    const storedTrade = (await api.query.energyTrading.trades(round1.tradeId)).unwrap();
    assert.deepEqual(trade, {
      id: round1.tradeId,
      seller: 'Factory01',
      buyer: 'Factory04',
      energyWh: 200_000,
      pricePerKwh: '80000000000',
      totalPrice: '16000000000000',
      createdAt: storedTrade.createdAt.toNumber(),
      settledAt: storedTrade.settledAt.unwrap().toNumber(),
      status: 'completed',
    });
    assert.ok((await rpc.getTrade(99)).isNone);

    // energy_getFactoryTrades(id, startAfter?, limit?).
    const trades = await rpc.getFactoryTrades('Factory05');
    assert.deepEqual(
      trades.map((t) => [t.toJSON().id, t.toJSON().status, t.toJSON().totalPrice]),
      [[round1.eveTradeId, 'cancelled', '500000000000']],
    );
    assert.equal((await rpc.getFactoryTrades('Factory05', round1.eveTradeId, 10)).length, 0);

    // energy_getFactoryHistory: from the node's index, newest first, kinds in camelCase, a page
    // at a time (`before` is the previous page's `next`).
    const newest = (await rpc.getFactoryHistory('Factory04', null, 2)).toJSON();
    const older = (await rpc.getFactoryHistory('Factory04', newest.next, 2)).toJSON();
    assert.equal(older.next, null);
    const history = [...newest.records, ...older.records].reverse();
    assert.ok(history.every((r) => r.final === (r.block <= newest.finalized)));
    assert.deepEqual(
      history.map((r) => [r.kind, r.counterparty, r.energyWh, r.balanceWh, r.totalPrice]),
      [
        ['genesis', null, 300_000, 300_000, null],
        ['transferredIn', 'Factory03', 10_000, 310_000, null],
        ['tradeBought', 'Factory01', 200_000, 510_000, '16000000000000'],
      ],
    );
  });
});
