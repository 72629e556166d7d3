// Talking to Energy Chain with polkadot.js (@polkadot/api): the connection, the dev accounts,
// and submitting transactions until they are in a block.
//
// polkadot.js needs no type definitions for Energy Chain: every type comes from the runtime's
// metadata (v16), and the runtime uses only the standard FRAME transaction extensions. The one
// thing metadata cannot describe is the node's own JSON-RPC methods, `energy_*`, so they are
// declared in `energyRpc` below and passed to `ApiPromise.create({ rpc })`.

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';

/** 1 ECT in planck: the native token has 12 decimals. */
export const ECT = 10n ** 12n;

/** Energy is counted in Wh; 1 kWh = 1000 Wh. */
export const KWH = 1_000n;

// The optional trailing `at` of every energy_* method: the block to answer at (default: best).
const at = { name: 'at', type: 'BlockHash', isOptional: true };
// Optional paging parameters. `Option<...>` so that an omitted one is sent as JSON `null`.
const optional = (name, type) => ({ name, type: `Option<${type}>`, isOptional: true });

/**
 * The node's `energy_*` JSON-RPC methods for `ApiPromise.create({ rpc: energyRpc })`, from
 * pallets/energy-trading/rpc and pallets/energy-bus/rpc. They answer plain JSON (factory ids
 * and names as strings, energy in Wh as numbers, accounts as SS58 strings, balances as decimal
 * strings), which polkadot.js hands over as its `Json` type: call `.toJSON()` on the answer.
 */
export const energyRpc = {
  energy: {
    // The factory ledger (pallet-energy-trading).
    getFactory: {
      description: 'A factory by id, or null',
      params: [{ name: 'factoryId', type: 'Text' }, at],
      type: 'Option<Json>',
    },
    getFactoryRating: {
      description: "A factory's rated power and what its meter may report now ({ratedPowerW, generationAllowanceWh}), or null",
      params: [{ name: 'factoryId', type: 'Text' }, at],
      type: 'Option<Json>',
    },
    getEnergyBalance: {
      description: "A factory's energy balance in Wh, or null for an unknown factory",
      params: [{ name: 'factoryId', type: 'Text' }, at],
      type: 'Option<u64>',
    },
    getAllFactories: {
      description: 'Registered factories, a page (default and at most 100) at a time',
      params: [optional('startAfter', 'Text'), optional('limit', 'u32'), at],
      type: 'Vec<Json>',
    },
    getOwnerFactories: {
      description: 'The factories an account owns, a page (default and at most 100) at a time',
      params: [
        { name: 'account', type: 'AccountId' },
        optional('startAfter', 'Text'),
        optional('limit', 'u32'),
        at,
      ],
      type: 'Vec<Json>',
    },
    getTrade: {
      description: 'A trade by id, or null',
      params: [{ name: 'tradeId', type: 'u64' }, at],
      type: 'Option<Json>',
    },
    getFactoryTrades: {
      description: 'The trades of a factory, as seller or buyer, a page at a time',
      params: [
        { name: 'factoryId', type: 'Text' },
        optional('startAfter', 'u64'),
        optional('limit', 'u32'),
        at,
      ],
      type: 'Vec<Json>',
    },
    getFactoryHistory: {
      description:
        "A page of a factory's history from the node's index of the ledger's events, newest first",
      params: [
        { name: 'factoryId', type: 'Text' },
        optional('before', 'u32'),
        optional('limit', 'u32'),
      ],
      type: 'Json',
    },
    // The energy-bus market (pallet-energy-bus).
    getBusDetails: {
      description: 'A bus with its available capacity, or null',
      params: [{ name: 'busId', type: 'u32' }, at],
      type: 'Option<Json>',
    },
    getBuses: {
      description:
        'All buses in id order, a page at a time: { buses, nextStartAfter } (null after the last page)',
      params: [optional('startAfter', 'u32'), optional('limit', 'u32'), at],
      type: 'Json',
    },
    getUserBuses: {
      description: 'The buses an account co-owns',
      params: [{ name: 'account', type: 'AccountId' }, at],
      type: 'Vec<u32>',
    },
    getBusActiveOffers: {
      description: 'The open offers of a bus, a page at a time',
      params: [{ name: 'busId', type: 'u32' }, optional('startAfter', 'u64'), optional('limit', 'u32'), at],
      type: 'Vec<Json>',
    },
    getUserBusOffers: {
      description: "An account's offers on a bus",
      params: [{ name: 'account', type: 'AccountId' }, { name: 'busId', type: 'u32' }, at],
      type: 'Vec<Json>',
    },
    getAccountOffers: {
      description: "An account's offers on every bus with ids above startAfter, in id order, a page at a time",
      params: [
        { name: 'account', type: 'AccountId' },
        optional('startAfter', 'u64'),
        optional('limit', 'u32'),
        at,
      ],
      type: 'Vec<Json>',
    },
    getOfferLocks: {
      description: "An offer's locked energy and live locks: { lockedWh, locks }",
      params: [{ name: 'offerId', type: 'u64' }, at],
      type: 'Json',
    },
    isTransactionProcessed: {
      description: 'Whether the buying call with this receipt hash ran',
      params: [{ name: 'receipt', type: 'H256' }, at],
      type: 'bool',
    },
    getMarketNonce: {
      description: "The market nonce an account's next buying call must carry",
      params: [{ name: 'account', type: 'AccountId' }, at],
      type: 'u64',
    },
    getPurchases: {
      description: "An account's purchases with ids above startAfter, in id order, a page at a time",
      params: [
        { name: 'account', type: 'AccountId' },
        optional('startAfter', 'u64'),
        optional('limit', 'u32'),
        at,
      ],
      type: 'Vec<Json>',
    },
    // The energy-bus market's auctions.
    getAuctionSettings: {
      description: "A bus's auction settings ({ roundLength, tickSize, ticks }), or null",
      params: [{ name: 'busId', type: 'u32' }, at],
      type: 'Option<Json>',
    },
    getCurrentRound: {
      description: "A bus's open auction round, or null",
      params: [{ name: 'busId', type: 'u32' }, at],
      type: 'Option<Json>',
    },
    getRound: {
      description: 'An auction round (open, cleared or settled), or null',
      params: [{ name: 'roundId', type: 'u64' }, at],
      type: 'Option<Json>',
    },
    getRoundBook: {
      description: "An open round's book: { roundId, levels } (each price with orders), or null",
      params: [{ name: 'roundId', type: 'u64' }, at],
      type: 'Option<Json>',
    },
    getRoundResults: {
      description: "A bus's last settled rounds, newest first",
      params: [{ name: 'busId', type: 'u32' }, at],
      type: 'Vec<Json>',
    },
    getAccountOrders: {
      description: "An account's unsettled auction orders, in id order",
      params: [{ name: 'account', type: 'AccountId' }, at],
      type: 'Vec<Json>',
    },
    // The energy-bus market's grid fees.
    getGridFee: {
      description: "A bus's grid fee and pot ({ perKwh, totalShares, members, unclaimed }), or null",
      params: [{ name: 'busId', type: 'u32' }, at],
      type: 'Option<Json>',
    },
    getClaimableGridFees: {
      description: 'The grid fees an account may claim, per bus: [{ busId, shares, amount }]',
      params: [{ name: 'account', type: 'AccountId' }, at],
      type: 'Vec<Json>',
    },
  },
};

/** Connects to a node: the only option beyond the endpoint is the energy_* RPC definitions. */
export async function connect(wsUrl) {
  await cryptoWaitReady();
  // No automatic reconnection: a test against a node that went away should fail, not hang.
  const provider = new WsProvider(wsUrl, false);
  await provider.connect();
  return ApiPromise.create({ provider, rpc: energyRpc, throwOnConnect: true, noInitWarn: true });
}

/** The dev accounts (sr25519, `//Alice` …), as keyring pairs, with their SS58 addresses. */
export function devAccounts() {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const names = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];
  return Object.fromEntries(
    names.map((name) => [name.toLowerCase(), keyring.addFromUri(`//${name}`, { name })]),
  );
}

/** `pallet.Error: docs` of a dispatch error, as polkadot.js apps shows it. */
export function describeDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}: ${docs.join(' ')}`;
  }
  return dispatchError.toString();
}

/**
 * Signs `tx` with `signer`, sends it, and resolves once it is in a block with
 * `{ blockHash, blockNumber, events, dispatchError }`: `events` are this extrinsic's own events
 * (polkadot.js `Event`s), `dispatchError` is set if the call failed (the fee is still paid).
 * Rejects if the pool refuses or drops the transaction.
 */
export function submit(api, tx, signer) {
  const what = `${tx.method.section}.${tx.method.method} by ${signer.meta.name ?? signer.address}`;
  return new Promise((resolve, reject) => {
    let done = false;
    let unsubscribe = null;
    const finish = (action) => {
      if (done) return;
      done = true;
      if (unsubscribe) unsubscribe();
      action();
    };
    tx.signAndSend(signer, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInBlock) {
        const blockHash = status.asInBlock;
        api.rpc.chain.getHeader(blockHash).then(
          (header) =>
            finish(() =>
              resolve({
                what,
                blockHash,
                blockNumber: header.number.toNumber(),
                events: events.map(({ event }) => event),
                dispatchError,
              }),
            ),
          (error) => finish(() => reject(error)),
        );
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish(() => reject(new Error(`${what}: the transaction pool reported ${status.type}`)));
      }
    })
      .then((unsub) => {
        unsubscribe = unsub;
        if (done) unsub();
      })
      .catch((error) => finish(() => reject(new Error(`${what}: ${error.message}`))));
  });
}

/**
 * `submit`, and fails unless the call succeeded: no `dispatchError`, and when it went through
 * `sudo.sudo`, the `Sudid` event reports `Ok` (sudo itself succeeds even when the call it
 * dispatched as Root failed).
 */
export async function submitOk(api, tx, signer) {
  const result = await submit(api, tx, signer);
  if (result.dispatchError) {
    throw new Error(`${result.what} failed: ${describeDispatchError(api, result.dispatchError)}`);
  }
  for (const event of result.events) {
    if (api.events.sudo.Sudid.is(event) && event.data.sudoResult.isErr) {
      const error = event.data.sudoResult.asErr;
      throw new Error(`${result.what}: the sudo call failed: ${describeDispatchError(api, error)}`);
    }
  }
  return result;
}

/** The events of `result` that `api.events.<section>.<method>.is` recognises. */
export function eventsOf(api, result, section, method) {
  return result.events.filter((event) => api.events[section][method].is(event));
}

/** The one event of that kind in `result` (fails if there are none or several). */
export function eventOf(api, result, section, method) {
  const found = eventsOf(api, result, section, method);
  if (found.length !== 1) {
    const seen = result.events.map((event) => `${event.section}.${event.method}`).join(', ');
    throw new Error(
      `${result.what}: expected one ${section}.${method}, found ${found.length} (events: ${seen})`,
    );
  }
  return found[0];
}

/** Bytes (a factory id, a bus name) from a polkadot.js codec, as a string. */
export const text = (codec) => codec.toUtf8();
