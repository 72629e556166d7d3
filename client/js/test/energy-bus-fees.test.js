// Grid fees from polkadot.js, on a real `energy-node --dev`: bus 1 "Wind Farm B" (owners Bob and
// Dave, approval threshold 1) charges 0.005 ECT/kWh from genesis on offers made after it.
//
//   round 1  Alice offers 100 kWh of Factory13 on bus 1 at 0.085 ECT/kWh: the offer carries the
//            fee. Ferdie buys 10 kWh: with a price guard of 0.085 it fails (PriceAboveLimit,
//            the guard bounds price + fee); with 0.09 he pays 0.85 ECT to Alice and 0.05 ECT to
//            the bus's pot, half of it Bob's and half Dave's.
//   round 2  Bob gives Dave 3 shares (threshold 1: applied at once); Ferdie buys 20 kWh more:
//            0.1 ECT of fee, split 1:3.
//   round 3  Bob claims his 0.025 + 0.025 ECT; claiming again fails with NoGridFees; Charlie,
//            no owner, has nothing to claim.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe } from 'node:test';

import { connect, devAccounts, ECT, eventOf, submit, submitOk } from '../lib/chain.js';
import { DevNode } from '../lib/node.js';
import { scenario } from '../lib/steps.js';

const CENT = ECT / 100n;
const FEE = CENT / 2n;

describe('EnergyBus grid fees from polkadot.js', { timeout: 120_000 }, () => {
  const node = new DevNode('energy-bus-fees');
  const { round, check } = scenario();
  const { alice, bob, charlie, dave, ferdie } = devAccounts();
  let api;
  let offerId;

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

  const nonceOf = async (who) => (await api.rpc.energy.getMarketNonce(who.address)).toNumber();
  // What `who` may claim of bus 1's fees (Bob co-owns bus 0 too, where nothing is owed).
  const claimable = async (who) =>
    (await api.rpc.energy.getClaimableGridFees(who.address))
      .map((part) => part.toJSON())
      .filter((part) => part.busId === 1);
  const buy = async (wh, max) =>
    submit(api, api.tx.energyBus.purchaseEnergy(offerId, wh, max, 'Factory06', await nonceOf(ferdie)), ferdie);

  check("bus 1's grid fee and pot at genesis", async () => {
    const pot = (await api.query.energyBus.gridFees(1)).unwrap();
    assert.deepEqual(
      [pot.perKwh.toBigInt(), pot.totalShares.toNumber(), pot.members.toNumber(), pot.unclaimed.toBigInt()],
      [FEE, 2, 2, 0n],
    );
    // Its genesis offers were made before the fee: they carry none.
    const genesisOffer = (await api.query.energyBus.offers(4)).unwrap();
    assert.equal(genesisOffer.busId.toNumber(), 1);
    assert.equal(genesisOffer.gridFeePerKwh.toBigInt(), 0n);
    assert.equal((await api.call.energyBusApi.gridFee(1)).unwrap().perKwh.toBigInt(), FEE);
    assert.deepEqual((await api.rpc.energy.getGridFee(1)).unwrap().toJSON(), {
      perKwh: FEE.toString(),
      totalShares: 2,
      members: 2,
      unclaimed: '0',
    });
    assert.equal((await api.rpc.energy.getGridFee(0)).unwrap().toJSON().perKwh, '0');
  });

  round('round 1: an offer carries the fee; a purchase pays price and fee', async () => {
    const offered = await submitOk(
      api,
      api.tx.energyBus.createOffer(1, 'Factory13', 100_000, (85n * CENT) / 10n),
      alice,
    );
    offerId = eventOf(api, offered, 'energyBus', 'OfferCreated').data.offerId.toNumber();
    assert.equal((await api.query.energyBus.offers(offerId)).unwrap().gridFeePerKwh.toBigInt(), FEE);
    const rpcOffer = (await api.rpc.energy.getBusActiveOffers(1)).map((o) => o.toJSON()).find((o) => o.id === offerId);
    assert.equal(rpcOffer.gridFeePerKwh, FEE.toString());

    // A guard of the price alone is below price + fee.
    const refused = await buy(10_000, (85n * CENT) / 10n);
    assert.ok(refused.dispatchError, 'a guard of 0.085 refused');
    assert.equal(api.registry.findMetaError(refused.dispatchError.asModule).name, 'PriceAboveLimit');

    const bought = await buy(10_000, 9n * CENT);
    assert.ok(!bought.dispatchError, 'bought with a guard of 0.09');
    const purchased = eventOf(api, bought, 'energyBus', 'EnergyPurchased').data;
    assert.deepEqual(
      [purchased.totalPrice.toBigInt(), purchased.gridFee.toBigInt()],
      [(85n * ECT) / 100n, (5n * ECT) / 100n],
    );
    const pot = (await api.query.energyBus.gridFees(1)).unwrap();
    assert.equal(pot.unclaimed.toBigInt(), (5n * ECT) / 100n);
    const half = ((25n * ECT) / 1000n).toString();
    assert.deepEqual(await claimable(bob), [{ busId: 1, shares: 1, amount: half }]);
    assert.deepEqual(await claimable(dave), [{ busId: 1, shares: 1, amount: half }]);
    const purchases = (await api.rpc.energy.getPurchases(ferdie.address)).map((p) => p.toJSON());
    assert.equal(purchases.at(-1).gridFee, ((5n * ECT) / 100n).toString());
  });

  round('round 2: Dave gets 3 shares; the next fee is split 1:3', async () => {
    const changed = await submitOk(api, api.tx.energyBus.setFeeShares(1, dave.address, 3), bob);
    const applied = eventOf(api, changed, 'energyBus', 'ChangeApplied').data;
    assert.equal(applied.change.type, 'SetFeeShares');
    const bought = await buy(20_000, 9n * CENT);
    assert.ok(!bought.dispatchError);
    assert.equal(eventOf(api, bought, 'energyBus', 'EnergyPurchased').data.gridFee.toBigInt(), ECT / 10n);
    const [bobs] = await claimable(bob);
    const [daves] = await claimable(dave);
    assert.deepEqual([bobs.amount, daves.shares, daves.amount], [
      ((5n * ECT) / 100n).toString(),
      3,
      ((10n * ECT) / 100n).toString(),
    ]);
  });

  round('round 3: Bob claims his part; nothing is left to claim twice', async () => {
    const claimed = await submitOk(api, api.tx.energyBus.claimGridFees(1), bob);
    const event = eventOf(api, claimed, 'energyBus', 'GridFeesClaimed').data;
    assert.deepEqual(
      [event.busId.toNumber(), event.owner.toString(), event.amount.toBigInt()],
      [1, bob.address, (5n * ECT) / 100n],
    );
    const again = await submit(api, api.tx.energyBus.claimGridFees(1), bob);
    assert.equal(api.registry.findMetaError(again.dispatchError.asModule).name, 'NoGridFees');
    const nobody = await submit(api, api.tx.energyBus.claimGridFees(1), charlie);
    assert.equal(api.registry.findMetaError(nobody.dispatchError.asModule).name, 'NoGridFees');
    const pot = (await api.query.energyBus.gridFees(1)).unwrap();
    assert.equal(pot.unclaimed.toBigInt(), (10n * ECT) / 100n, "Dave's part is left");
  });
});
