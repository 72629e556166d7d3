// What polkadot.js learns from Energy Chain's metadata, with no type definitions: every call,
// storage item, event, error and constant of EnergyTrading and EnergyBus, and every method of
// the EnergyTradingApi and EnergyBusApi runtime APIs, is there with docs; all of the pallets'
// genesis storage decodes; and the energy_* RPC definitions cover exactly what the node serves.
//
// The expected names are written out here, from what the pallets define, so that removing or
// renaming anything fails this test (and reminds whoever does it that JavaScript clients see it).

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { connect, energyRpc } from '../lib/chain.js';
import { DevNode } from '../lib/node.js';

// pallets/energy-trading/src/lib.rs, in declaration (= call index) order.
const ENERGY_TRADING = {
  calls: [
    'register_factory',
    'set_meter',
    'mint_energy',
    'consume_energy',
    'transfer_energy',
    'create_trade',
    'execute_trade',
    'cancel_trade',
    'request_meter',
    'set_rated_power',
  ],
  storage: [
    'Factories',
    'FactoryCount',
    'FactoriesByOwner',
    'NextTradeId',
    'Trades',
    'PendingTradeCount',
    'TradeDeposits',
    'FinishedTrades',
    'TradePruneCursor',
    'TradesByFactory',
    'Ratings',
    'MeterRequests',
    'TotalIssuedWh',
    'TotalConsumedWh',
    'TradeEscrowWh',
    'MarketEscrowWh',
  ],
  events: [
    'FactoryRegistered',
    'MeterChanged',
    'EnergyMinted',
    'EnergyConsumed',
    'EnergyTransferred',
    'TradeCreated',
    'TradeExecuted',
    'TradeCancelled',
    'MarketEscrowed',
    'MarketReleased',
    'MarketDelivered',
    'MeterRequested',
    'RatedPowerChanged',
  ],
  errors: [
    'FactoryNotFound',
    'TradeNotFound',
    'FactoryAlreadyExists',
    'EmptyFactoryId',
    'FactoryIdTooLong',
    'FactoryNameTooLong',
    'NotFactoryOwner',
    'NotFactoryMeter',
    'NotTradeParty',
    'ZeroEnergy',
    'InsufficientEnergy',
    'InsufficientFunds',
    'TradeNotPending',
    'PriceAboveLimit',
    'SelfTrade',
    'SelfTransfer',
    'Overflow',
    'GenerationAboveRating',
    'TooManyPendingTrades',
    'InsufficientDeposit',
  ],
  constants: ['MaxIdLength', 'MaxNameLength', 'TradeDeposit', 'MaxPendingTrades', 'TradeRetention'],
};

// pallets/energy-bus/src/lib.rs.
const ENERGY_BUS = {
  calls: [
    'create_energy_bus',
    'add_bus_owner',
    'remove_bus_owner',
    'set_bus_capacity',
    'set_base_price',
    'set_approval_threshold',
    'close_bus',
    'create_offer',
    'cancel_offer',
    'purchase_energy',
    'batch_purchase_energy',
    'lock_offer',
    'release_lock',
    // In declaration order (pallets/energy-bus/src/lib.rs), not call-index order.
    'approve_bus_change',
    'withdraw_bus_change',
    'set_market_params',
    'set_lock_terms',
    'set_auction',
    'set_offer_lifetime',
    'place_bid',
    'place_ask',
    'cancel_order',
    'claim',
    'set_grid_fee',
    'set_fee_shares',
    'claim_grid_fees',
  ],
  storage: [
    'Buses',
    'NextBusId',
    'BusesByOwner',
    'Proposals',
    'NextProposalId',
    'Offers',
    'OfferLifetime',
    'OfferExpiries',
    'OfferExpiryCursor',
    'ClosingBuses',
    'NextOfferId',
    'OffersByBus',
    'OffersBySeller',
    'Locks',
    'NextLockId',
    'LocksByOffer',
    'LockCount',
    'LockExpiries',
    'ExpiryCursor',
    'MarketNonces',
    'Receipts',
    'ReceiptsByBlock',
    'ReceiptPruneCursor',
    'Purchases',
    'NextPurchaseId',
    'PurchasesByBuyer',
    'Auctions',
    'CurrentRound',
    'Rounds',
    'NextRoundId',
    'GateQueue',
    'GateCursor',
    'Book',
    'Orders',
    'NextOrderId',
    'OrdersByRound',
    'OrdersByAccount',
    'OrderCount',
    'UnsettledRounds',
    'RoundHistory',
    'GridFees',
    'FeeShares',
    'Params',
    'LockParams',
    'LockCooldowns',
  ],
  events: [
    'BusCreated',
    'ChangeProposed',
    'ChangeApplied',
    'BusClosed',
    'OfferCreated',
    'OfferCancelled',
    'EnergyPurchased',
    'ReceiptRecorded',
    'OfferLocked',
    'LockEnded',
    'ParamsChanged',
    'LockFeePaid',
    'LockTermsChanged',
    'ChangeWithdrawn',
    'OfferExpired',
    'OfferLifetimeChanged',
    'BusClosing',
    'RoundOpened',
    'OrderPlaced',
    'OrderCancelled',
    'RoundCleared',
    'OrderSettled',
    'RoundSettled',
    'GridFeesClaimed',
  ],
  errors: [
    'BusNotFound',
    'OfferNotFound',
    'LockNotFound',
    'EmptyBusName',
    'BusNameTooLong',
    'NoOwners',
    'TooManyOwners',
    'DuplicateOwner',
    'InvalidThreshold',
    'NotBusOwner',
    'AlreadyOwner',
    'NotAnOwner',
    'LastOwner',
    'AlreadyApproved',
    'TooManyProposals',
    'CapacityBelowCommitted',
    'BusHasOpenOffers',
    'NotFactoryOwner',
    'ZeroEnergy',
    'CapacityExceeded',
    'PriceBelowBase',
    'NotOfferSeller',
    'OfferNotOpen',
    'NotEnoughEnergy',
    'PriceAboveLimit',
    'OwnOffer',
    'InsufficientFunds',
    'NonceAlreadyUsed',
    'NonceTooHigh',
    'EmptyBatch',
    'BatchItemFailed',
    'TooManyLocksOnOffer',
    'TooManyLocks',
    'NotLockHolder',
    'AlreadyLocked',
    'InvalidParams',
    'Overflow',
    'ProposalNotFound',
    'LockTooLarge',
    'LockCoolingDown',
    'LockFactoryMismatch',
    'InvalidLockTerms',
    'TooManyOwnProposals',
    'NotProposer',
    'ProposalHasApprovals',
    'SellerCannotReceive',
    'OfferExpired',
    'InvalidOfferLifetime',
    'BusClosing',
    'AuctionsOff',
    'RoundNotFound',
    'GateClosed',
    'PriceNotOnGrid',
    'RoundFull',
    'TooManyOrders',
    'OrderNotFound',
    'NotOrderOwner',
    'RoundNotCleared',
    'InvalidAuctionSettings',
    'InvalidFeeShares',
    'NoGridFees',
  ],
  constants: [
    'BusDeposit',
    'MaxBusNameLength',
    'MaxOwners',
    'MaxProposals',
    'MaxProposalsPerOwner',
    'MaxBatchSize',
    'MaxLocksPerOffer',
    'MaxLocksPerAccount',
    'MaxExpiriesPerBlock',
    'MaxLockDuration',
    'MaxReceiptRetention',
    'MaxProposalLifetime',
    'DefaultOfferLifetime',
    'MaxOfferLifetime',
    'PalletId',
    'OrderDeposit',
    'MaxTicks',
    'MaxRoundLength',
    'MaxOrdersPerRound',
    'MaxOrdersPerAccount',
    'MaxClearingsPerBlock',
    'MaxRoundResults',
    'MaxFeeShares',
  ],
};

// The runtime APIs (pallets/*/runtime-api), with their parameter names.
const RUNTIME_APIS = {
  EnergyTradingApi: {
    factory: ['factory_id'],
    energy_balance: ['factory_id'],
    factories: ['start_after', 'limit'],
    owner_factories: ['who', 'start_after', 'limit'],
    trade: ['trade_id'],
    trades_of_factory: ['factory_id', 'start_after', 'limit'],
    factory_rating: ['factory_id'],
  },
  EnergyBusApi: {
    bus_details: ['bus_id'],
    user_buses: ['who'],
    bus_active_offers: ['bus_id', 'start_after', 'limit'],
    user_bus_offers: ['who', 'bus_id'],
    buses: ['start_after', 'limit'],
    account_offers: ['who', 'start_after', 'limit'],
    offer_locks: ['offer_id'],
    lock_terms: [],
    offer_lifetime: [],
    lock_quote: ['offer_id', 'energy_wh'],
    is_transaction_processed: ['receipt'],
    market_nonce: ['who'],
    purchases: ['who', 'start_after', 'limit'],
    auction_settings: ['bus_id'],
    current_round: ['bus_id'],
    round: ['round_id'],
    round_book: ['round_id'],
    round_results: ['bus_id'],
    account_orders: ['who'],
    grid_fee: ['bus_id'],
    claimable_grid_fees: ['who'],
  },
};

// The node's energy_* JSON-RPC methods (pallets/*/rpc, and energy_getFactoryHistory from the
// node's history index, node/src/history.rs; registered in node/src/rpc.rs).
const ENERGY_RPC_METHODS = [
  'energy_getFactory',
  'energy_getEnergyBalance',
  'energy_getAllFactories',
  'energy_getOwnerFactories',
  'energy_getFactoryRating',
  'energy_getTrade',
  'energy_getFactoryTrades',
  'energy_getFactoryHistory',
  'energy_getBusDetails',
  'energy_getBuses',
  'energy_getUserBuses',
  'energy_getBusActiveOffers',
  'energy_getUserBusOffers',
  'energy_getAccountOffers',
  'energy_getOfferLocks',
  'energy_isTransactionProcessed',
  'energy_getMarketNonce',
  'energy_getPurchases',
  'energy_getAuctionSettings',
  'energy_getCurrentRound',
  'energy_getRound',
  'energy_getRoundBook',
  'energy_getRoundResults',
  'energy_getAccountOrders',
  'energy_getGridFee',
  'energy_getClaimableGridFees',
];

// snake_case (metadata) -> camelCase (polkadot.js api.tx.*, api.call.*).
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const lowerFirst = (name) => name[0].toLowerCase() + name.slice(1);
// Docs are lists of lines; some lines are blank separators, but the first must say something.
const hasDocs = (docs) => docs.length > 0 && docs.map(String).join('').trim().length > 0;

describe('metadata, seen by polkadot.js without type definitions', { timeout: 120_000 }, () => {
  const node = new DevNode('metadata');
  let api;

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

  test('the chain identifies itself: Energy Chain, metadata v16, ECT with 12 decimals', async () => {
    assert.equal(api.runtimeVersion.specName.toString(), 'energy-chain');
    assert.equal(api.runtimeMetadata.version, 16);
    const properties = await api.rpc.system.properties();
    assert.deepEqual(properties.tokenSymbol.unwrap().toJSON(), ['ECT']);
    assert.deepEqual(properties.tokenDecimals.unwrap().toJSON(), [12]);
    assert.equal(api.registry.chainDecimals[0], 12);
    assert.equal(api.registry.chainTokens[0], 'ECT');
    // Only the standard FRAME transaction extensions, which polkadot.js signs without help.
    const extensions = api.runtimeMetadata.asLatest.extrinsic.transactionExtensions.map((ext) =>
      ext.identifier.toString(),
    );
    assert.deepEqual(extensions, [
      'CheckNonZeroSender',
      'CheckSpecVersion',
      'CheckTxVersion',
      'CheckGenesis',
      'CheckMortality',
      'CheckNonce',
      'CheckWeight',
      'ChargeTransactionPayment',
    ]);
  });

  for (const [pallet, expected] of [
    ['EnergyTrading', ENERGY_TRADING],
    ['EnergyBus', ENERGY_BUS],
  ]) {
    const section = lowerFirst(pallet);

    describe(pallet, () => {
      const meta = () => api.runtimeMetadata.asLatest.pallets.find((p) => p.name.eq(pallet));

      test('is in the runtime with its pallet index', () => {
        assert.ok(meta(), `pallet ${pallet} is not in the metadata`);
        assert.equal(meta().index.toNumber(), pallet === 'EnergyTrading' ? 10 : 11);
      });

      test('every call, with docs, as api.tx.' + section + '.*', () => {
        const calls = Object.values(api.tx[section]).map((call) => call.meta);
        assert.deepEqual(
          calls.map((call) => call.name.toString()),
          expected.calls,
        );
        for (const call of calls) {
          assert.ok(hasDocs(call.docs), `call ${pallet}.${call.name} has no docs`);
        }
        assert.deepEqual(Object.keys(api.tx[section]), expected.calls.map(camel));
      });

      test('every storage item, with docs, as api.query.' + section + '.*', () => {
        const items = meta().storage.unwrap().items;
        assert.deepEqual(
          items.map((item) => item.name.toString()),
          expected.storage,
        );
        for (const item of items) {
          assert.ok(hasDocs(item.docs), `storage ${pallet}.${item.name} has no docs`);
          assert.equal(typeof api.query[section][lowerFirst(item.name.toString())], 'function');
        }
      });

      test('every event, with docs on it and on each field, as api.events.' + section + '.*', () => {
        const events = Object.values(api.events[section]).map((event) => event.meta);
        assert.deepEqual(
          events.map((event) => event.name.toString()),
          expected.events,
        );
        for (const event of events) {
          assert.ok(hasDocs(event.docs), `event ${pallet}.${event.name} has no docs`);
          for (const field of event.fields) {
            assert.ok(
              hasDocs(field.docs),
              `field ${field.name} of event ${pallet}.${event.name} has no docs`,
            );
          }
        }
      });

      test('every error, with docs, as api.errors.' + section + '.*', () => {
        const errors = Object.values(api.errors[section]).map((error) => error.meta);
        assert.deepEqual(
          errors.map((error) => error.name.toString()),
          expected.errors,
        );
        for (const error of errors) {
          assert.ok(hasDocs(error.docs), `error ${pallet}.${error.name} has no docs`);
        }
      });

      test('every constant, with docs, as api.consts.' + section + '.*', () => {
        const constants = meta().constants;
        assert.deepEqual(
          constants.map((constant) => constant.name.toString()),
          expected.constants,
        );
        for (const constant of constants) {
          assert.ok(hasDocs(constant.docs), `constant ${pallet}.${constant.name} has no docs`);
          // The decorated constant decodes (polkadot.js knows its type from the metadata).
          assert.ok(api.consts[section][lowerFirst(constant.name.toString())].toJSON() !== undefined);
        }
      });

      test('all of its genesis storage decodes', async () => {
        for (const item of meta().storage.unwrap().items) {
          const query = api.query[section][lowerFirst(item.name.toString())];
          if (item.type.isPlain) {
            await query();
          } else {
            // Reading every entry decodes every key and value; a type polkadot.js got
            // wrong would throw here or produce garbage that the checks below catch.
            await query.entries();
          }
        }
      });
    });
  }

  test('the runtime APIs EnergyTradingApi and EnergyBusApi, with docs, as api.call.*', () => {
    const apis = api.runtimeMetadata.asLatest.apis;
    for (const [name, methods] of Object.entries(RUNTIME_APIS)) {
      const runtimeApi = apis.find((a) => a.name.eq(name));
      assert.ok(runtimeApi, `runtime API ${name} is not in the metadata`);
      assert.ok(hasDocs(runtimeApi.docs), `runtime API ${name} has no docs`);
      assert.deepEqual(
        Object.fromEntries(
          runtimeApi.methods.map((m) => [m.name.toString(), m.inputs.map((i) => i.name.toString())]),
        ),
        methods,
      );
      for (const method of runtimeApi.methods) {
        assert.ok(hasDocs(method.docs), `${name}.${method.name} has no docs`);
      }
      // polkadot.js decorates them from the metadata: api.call.energyTradingApi.factory, …
      assert.deepEqual(Object.keys(api.call[lowerFirst(name)]), Object.keys(methods).map(camel));
    }
  });

  test('the energy_* RPC definitions match what the node serves', async () => {
    // rpc_methods lists every JSON-RPC method of the node.
    const served = (await api.rpc.rpc.methods()).methods
      .map(String)
      .filter((method) => method.startsWith('energy_'));
    assert.deepEqual([...served].sort(), [...ENERGY_RPC_METHODS].sort());
    const defined = Object.keys(energyRpc.energy).map((method) => `energy_${method}`);
    assert.deepEqual([...defined].sort(), [...ENERGY_RPC_METHODS].sort());
    // With the definitions, polkadot.js decorates each of them as api.rpc.energy.*.
    for (const method of Object.keys(energyRpc.energy)) {
      assert.equal(typeof api.rpc.energy[method], 'function', `api.rpc.energy.${method}`);
    }
  });

  test('the constants decode to the runtime configuration (runtime/src/configs/energy.rs)', () => {
    assert.equal(api.consts.energyTrading.maxIdLength.toNumber(), 32);
    assert.equal(api.consts.energyTrading.maxNameLength.toNumber(), 64);
    assert.equal(api.consts.energyTrading.tradeDeposit.toBigInt(), 10n ** 12n, '1 ECT');
    assert.equal(api.consts.energyTrading.maxPendingTrades.toNumber(), 32);
    assert.equal(api.consts.energyTrading.tradeRetention.toNumber(), 14_400, 'a day of 6 s blocks');
    assert.equal(api.consts.energyBus.busDeposit.toBigInt(), 10n * 10n ** 12n, '10 ECT');
    assert.equal(api.consts.energyBus.maxOwners.toNumber(), 16);
    assert.equal(api.consts.energyBus.maxBatchSize.toNumber(), 10);
    assert.equal(api.consts.energyBus.maxLocksPerOffer.toNumber(), 16);
    assert.equal(api.consts.energyBus.maxProposalsPerOwner.toNumber(), 4);
    assert.equal(api.consts.energyBus.defaultOfferLifetime.toNumber(), 7 * 14_400, '7 days');
    assert.equal(api.consts.energyBus.maxOfferLifetime.toNumber(), 30 * 14_400, '30 days');
    assert.equal(api.consts.energyBus.orderDeposit.toBigInt(), 10n ** 12n, '1 ECT');
    assert.equal(api.consts.energyBus.maxTicks.toNumber(), 1024);
    assert.equal(api.consts.energyBus.maxOrdersPerRound.toNumber(), 10_000);
    assert.equal(api.consts.energyBus.maxOrdersPerAccount.toNumber(), 16);
    assert.equal(api.consts.energyBus.maxRoundResults.toNumber(), 96);
  });

  test('the genesis example data is there: 20 factories, 3 buses, 7 offers', async () => {
    assert.equal((await api.query.energyTrading.factoryCount()).toNumber(), 20);
    const ids = (await api.query.energyTrading.factories.keys()).map((key) => key.args[0].toUtf8());
    assert.deepEqual(
      ids.sort(),
      Array.from({ length: 20 }, (_, i) => `Factory${String(i + 1).padStart(2, '0')}`),
    );
    const buses = (await api.query.energyBus.buses.entries()).map(([, bus]) => bus.unwrap().name.toUtf8());
    assert.deepEqual(buses.sort(), ['Industrial Ring', 'Solar Farm A', 'Wind Farm B']);
    assert.equal((await api.query.energyBus.offers.keys()).length, 7);
    assert.equal((await api.query.energyBus.nextOfferId()).toNumber(), 7);
  });
});
