// A periodic double auction from polkadot.js, on a real `energy-node --dev`: bus 1 "Wind Farm B"
// runs 20-block rounds from genesis, and its first round (id 0) holds four genesis orders: Eve
// asks 300 kWh at 0.07 ECT/kWh and 200 kWh at 0.10 (Factory11), Dave bids 200 kWh at 0.09
// (Factory10), Bob 80 kWh at 0.065 (Factory14). The grid: 0.06 ECT/kWh up in 40 steps of 0.005.
//
//   round 1  Ferdie: placeAsk 50 kWh of Factory06 at 0.07   Charlie: placeBid 100 kWh into
//            Factory15 at 0.085; a bid off the grid (0.0875) fails with PriceNotOnGrid
//   round 2  the gate closes after block 19; block 20 clears round 0: 300 kWh trade where demand
//            (300 kWh at 0.07 to 0.085) meets supply (350 kWh from 0.07), at the middle of those
//            ticks, 0.075 ECT/kWh; on_idle settles every order: Dave and Charlie fill whole and
//            pay 0.075 ECT/kWh, Eve's and Ferdie's 0.07 asks share the 300 kWh pro rata
//            (257.14 and 42.86 kWh, rounded to whole Wh), Bob's bid and Eve's 0.10 ask do not
//            trade; round 1 is open.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe } from 'node:test';

import { connect, devAccounts, ECT, eventOf, submit, submitOk } from '../lib/chain.js';
import { DevNode } from '../lib/node.js';
import { scenario } from '../lib/steps.js';

// Prices per kWh in planck (1 ECT = 10^12 planck).
const CENT = ECT / 100n;
const ORDER_DEPOSIT = ECT;

describe('An EnergyBus auction round from polkadot.js', { timeout: 240_000 }, () => {
  const node = new DevNode('energy-bus-auction');
  const { round, check } = scenario();
  const { charlie, dave, ferdie } = devAccounts();
  let api;
  const orders = {};

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
  const energyOf = async (id) => (await api.query.energyTrading.factories(id)).unwrap().energyWh.toBigInt();

  check('the genesis round of bus 1: its grid, its gate and its book', async () => {
    const settings = (await api.query.energyBus.auctions(1)).unwrap();
    assert.deepEqual(
      [settings.roundLength.toNumber(), settings.tickSize.toBigInt(), settings.ticks.toNumber()],
      [20, CENT / 2n, 40],
    );
    assert.equal((await api.query.energyBus.currentRound(1)).unwrap().toNumber(), 0);
    const round0 = (await api.query.energyBus.rounds(0)).unwrap();
    assert.equal(round0.gateClosesAt.toNumber(), 19);
    assert.equal(round0.orders.toNumber(), 4);
    assert.equal(round0.basePricePerKwh.toBigInt(), 6n * CENT);
    assert.ok(round0.status.isOpen);
    // The book, page 0 of each side: Dave's bid at tick 6 (0.09), Eve's asks at ticks 2 and 8.
    const bids = await api.query.energyBus.book(0, 'Bid', 0);
    const asks = await api.query.energyBus.book(0, 'Ask', 0);
    assert.equal(bids[6].toNumber(), 200_000);
    assert.equal(bids[1].toNumber(), 80_000);
    assert.deepEqual([asks[2].toNumber(), asks[8].toNumber()], [300_000, 200_000]);

    // The same through the runtime API (EnergyBusApi version 5)…
    const call = api.call.energyBusApi;
    assert.equal((await call.auctionSettings(1)).unwrap().ticks.toNumber(), 40);
    assert.equal((await call.currentRound(1)).unwrap().id.toNumber(), 0);
    assert.equal((await call.round(0)).unwrap().gateClosesAt.toNumber(), 19);
    const book = (await call.roundBook(0)).unwrap();
    assert.deepEqual([book.bids.length, book.bids[6].toNumber(), book.asks[2].toNumber()], [40, 200_000, 300_000]);
    const daveOrders = await call.accountOrders(dave.address);
    assert.deepEqual(
      daveOrders.map((o) => [o.side.type, o.energyWh.toNumber(), o.nonce.isNone]),
      [['Bid', 200_000, true]],
      "Dave's genesis bid, placed without a market nonce",
    );
    assert.equal((await call.roundResults(1)).length, 0);
    // … and the energy_* RPC, in plain JSON.
    const rpc = api.rpc.energy;
    assert.deepEqual((await rpc.getAuctionSettings(1)).unwrap().toJSON(), {
      roundLength: 20,
      tickSize: (CENT / 2n).toString(),
      ticks: 40,
    });
    const current = (await rpc.getCurrentRound(1)).unwrap().toJSON();
    assert.deepEqual(
      [current.id, current.status, current.gateClosesAt, current.orders, current.pricePerKwh],
      [0, 'open', 19, 4, null],
    );
    assert.deepEqual((await rpc.getRoundBook(0)).unwrap().toJSON(), {
      roundId: 0,
      levels: [
        { tick: 1, pricePerKwh: ((65n * CENT) / 10n).toString(), bidWh: 80_000, askWh: 0 },
        { tick: 2, pricePerKwh: (7n * CENT).toString(), bidWh: 0, askWh: 300_000 },
        { tick: 6, pricePerKwh: (9n * CENT).toString(), bidWh: 200_000, askWh: 0 },
        { tick: 8, pricePerKwh: (10n * CENT).toString(), bidWh: 0, askWh: 200_000 },
      ],
    });
    const rpcOrders = (await rpc.getAccountOrders(dave.address)).map((o) => o.toJSON());
    assert.deepEqual(
      rpcOrders.map((o) => [o.side, o.factory, o.energyWh, o.limitPricePerKwh, o.escrow, o.nonce]),
      [['bid', 'Factory10', 200_000, (9n * CENT).toString(), (18n * ECT).toString(), null]],
    );
  });

  round('round 1: an ask and a bid in round 0; a bid off the grid refused', async () => {
    const tx = api.tx.energyBus;
    const [ferdieNonce, charlieNonce] = await Promise.all([nonceOf(ferdie), nonceOf(charlie)]);
    const [ask, bid] = await Promise.all([
      submitOk(api, tx.placeAsk(1, 'Factory06', 50_000, 7n * CENT, ferdieNonce), ferdie),
      submitOk(api, tx.placeBid(1, 100_000, 85n * CENT / 10n, 'Factory15', charlieNonce), charlie),
    ]);
    assert.ok(ask.blockNumber <= 19 && bid.blockNumber <= 19, 'placed before the gate');
    const asked = eventOf(api, ask, 'energyBus', 'OrderPlaced').data;
    assert.deepEqual(
      [asked.roundId.toNumber(), asked.side.type, asked.energyWh.toNumber(), asked.owner.toString()],
      [0, 'Ask', 50_000, ferdie.address],
    );
    const bidden = eventOf(api, bid, 'energyBus', 'OrderPlaced').data;
    assert.equal(bidden.side.type, 'Bid');
    orders.ferdie = asked.orderId.toNumber();
    orders.charlie = bidden.orderId.toNumber();
    // The bid's payment at its limit (100 kWh at 0.085: 8.5 ECT) went to the market account;
    // the order deposit is held.
    const transfer = eventOf(api, bid, 'balances', 'Transfer').data;
    assert.equal(transfer.amount.toBigInt(), (85n * ECT) / 10n);
    const held = (await api.query.balances.holds(charlie.address)).find(
      ({ id }) => id.value.type === 'AuctionOrder',
    );
    assert.equal(held.amount.toBigInt(), ORDER_DEPOSIT);
    eventOf(api, bid, 'energyBus', 'ReceiptRecorded');
    // Off the grid: 0.0875 is between two ticks.
    const off = await submit(
      api,
      tx.placeBid(1, 1_000, 875n * CENT / 100n, 'Factory15', charlieNonce + 1),
      charlie,
    );
    assert.ok(off.dispatchError?.isModule);
    assert.equal(api.registry.findMetaError(off.dispatchError.asModule).name, 'PriceNotOnGrid');
  });

  round('round 2: the gate closes, the round clears at one price and settles', async () => {
    const before = {
      factory10: await energyOf('Factory10'),
      factory15: await energyOf('Factory15'),
      charlie: (await api.query.system.account(charlie.address)).data.free.toBigInt(),
    };
    // Wait for the block that clears round 0 (20), and the settlement by on_idle.
    const cleared = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('round 0 did not clear by block 30')), 200_000);
      let unsubscribe;
      api.query.system
        .events((records) => {
          for (const { event } of records) {
            if (api.events.energyBus.RoundCleared.is(event) && event.data.roundId.toNumber() === 0) {
              clearTimeout(timer);
              unsubscribe?.();
              resolve({ cleared: event.data, records });
            }
          }
        })
        .then((unsub) => (unsubscribe = unsub), reject);
    });
    const { cleared: data, records } = cleared;
    assert.equal(data.busId.toNumber(), 1);
    assert.equal(data.pricePerKwh.unwrap().toBigInt(), (75n * CENT) / 10n, '0.075 ECT/kWh');
    assert.equal(data.volumeWh.toNumber(), 300_000);
    assert.equal(data.orders.toNumber(), 6);
    // The same block's on_idle settled every order.
    const settled = records
      .map(({ event }) => event)
      .filter((event) => api.events.energyBus.OrderSettled.is(event))
      .map((event) => event.data);
    assert.equal(settled.length, 6);
    const byOrder = Object.fromEntries(settled.map((s) => [s.orderId.toNumber(), s]));
    const charlieSettled = byOrder[orders.charlie];
    assert.equal(charlieSettled.filledWh.toNumber(), 100_000);
    assert.equal(charlieSettled.amount.toBigInt(), (75n * ECT) / 10n, 'paid 7.5 ECT');
    assert.equal(charlieSettled.refund.toBigInt(), ECT, 'got 1 ECT of the 8.5 back');
    const ferdieFill = byOrder[orders.ferdie].filledWh.toNumber();
    assert.ok(ferdieFill === 42_857 || ferdieFill === 42_858, `Ferdie's pro-rata share: ${ferdieFill}`);
    const bids = settled.filter((s) => s.side.type === 'Bid');
    const asks = settled.filter((s) => s.side.type === 'Ask');
    const total = (list, field) => list.reduce((sum, s) => sum + s[field].toBigInt(), 0n);
    assert.equal(total(bids, 'filledWh'), 300_000n);
    assert.equal(total(asks, 'filledWh'), 300_000n);
    assert.equal(total(bids, 'amount'), total(asks, 'amount'), 'the bids paid what the asks got');
    const roundSettled = records
      .map(({ event }) => event)
      .find((event) => api.events.energyBus.RoundSettled.is(event));
    assert.deepEqual(
      [roundSettled.data.filledOrders.toNumber(), roundSettled.data.escrowed.toBigInt()],
      [4, 0n],
    );
    // Energy and money moved; the deposit came back.
    assert.equal(await energyOf('Factory10'), before.factory10 + 200_000n);
    assert.equal(await energyOf('Factory15'), before.factory15 + 100_000n);
    const charlieFree = (await api.query.system.account(charlie.address)).data.free.toBigInt();
    assert.equal(charlieFree, before.charlie + ECT + ORDER_DEPOSIT);
    assert.equal((await api.query.energyBus.orders(orders.charlie)).isNone, true);
  });

  check('the round is a result of bus 1, and round 1 is open', async () => {
    assert.deepEqual(
      (await api.query.energyBus.roundHistory(1)).map((id) => id.toNumber()),
      [0],
    );
    const round0 = (await api.query.energyBus.rounds(0)).unwrap();
    assert.ok(round0.status.isCleared);
    assert.equal(round0.status.asCleared.pricePerKwh.toBigInt(), (75n * CENT) / 10n);
    assert.equal(round0.filledOrders.toNumber(), 4);
    const current = (await api.query.energyBus.currentRound(1)).unwrap().toNumber();
    const round1 = (await api.query.energyBus.rounds(current)).unwrap();
    assert.ok(round1.status.isOpen);
    assert.equal(round1.gateClosesAt.toNumber(), 39);
    // The results through the runtime API and the RPC.
    const results = await api.call.energyBusApi.roundResults(1);
    assert.deepEqual(
      results.map((r) => r.id.toNumber()),
      [0],
    );
    const rpcResults = (await api.rpc.energy.getRoundResults(1)).map((r) => r.toJSON());
    assert.deepEqual(
      [rpcResults[0].id, rpcResults[0].status, rpcResults[0].pricePerKwh, rpcResults[0].volumeWh],
      [0, 'cleared', ((75n * CENT) / 10n).toString(), 300_000],
    );
    assert.deepEqual((await api.rpc.energy.getRound(0)).unwrap().toJSON(), rpcResults[0]);
    assert.ok((await api.rpc.energy.getRoundBook(0)).isNone, 'a cleared round has no book');
    assert.deepEqual((await api.rpc.energy.getAccountOrders(dave.address)).length, 0);
  });
});
