// Every read the app makes of the chain, in one place: view functions and runtime APIs at a
// given block, and the node's history index. Screens call these through `useLive`, so a change
// of a call stays here.
import type { PolkadotClient, SS58String } from "polkadot-api"
import { MJ_PER_WH } from "../units"
import type { EnergyApi } from "./client"

type Awaited2<F> = F extends (...args: never[]) => Promise<infer R> ? R : never
type View = EnergyApi["view"]

export type Bus = NonNullable<Awaited2<View["EnergyBus"]["bus_details"]>>[0]
export type Offer = Awaited2<View["EnergyBus"]["bus_active_offers"]>[number]
export type Lock = Awaited2<View["EnergyBus"]["offer_locks"]>[1][number]
/** What a lock would hold and cost (`lock_quote`): shown before a lock is signed. */
export type LockQuote = NonNullable<Awaited2<View["EnergyBus"]["lock_quote"]>>
export type Purchase = Awaited2<View["EnergyBus"]["purchases"]>[number]
export type Factory = NonNullable<Awaited2<View["EnergyTrading"]["factory"]>>
export type Trade = NonNullable<Awaited2<View["EnergyTrading"]["trade"]>>
export type AuctionSettings = NonNullable<Awaited2<View["EnergyBus"]["auction_settings"]>>
export type Round = NonNullable<Awaited2<View["EnergyBus"]["round"]>>
export type RoundBook = NonNullable<Awaited2<View["EnergyBus"]["round_book"]>>
export type Order = Awaited2<View["EnergyBus"]["account_orders"]>[number]

/** The most a page of any listing holds (the pallets' `MAX_PAGE`). */
export const PAGE = 100

const decoder = new TextDecoder()
/** A name or id stored as bytes, as text. */
export const text = (bytes: Uint8Array): string => decoder.decode(bytes)
const encoder = new TextEncoder()
export type Rating = NonNullable<Awaited2<View["EnergyTrading"]["factory_rating"]>>

/**
 * What a factory's meter may report as generated now, in whole Wh: `factory_rating` answers the
 * allowance refilled up to the block's time, in mJ.
 */
export const allowanceWh = (rating: Rating): bigint => rating.allowance.available_mj / MJ_PER_WH

/** A factory id as the chain takes it. */
export const factoryKey = (id: string): Uint8Array => encoder.encode(id)

/** Every bus, in id order (the `buses` view, page by page; at most 20 pages). */
export async function allBuses(api: EnergyApi, at: string): Promise<Bus[]> {
  const buses: Bus[] = []
  let after: number | undefined = undefined
  for (let page = 0; page < 20; page++) {
    const result = await api.view.EnergyBus.buses(after, PAGE, { at })
    buses.push(...result.buses)
    if (result.next_start_after === undefined) break
    after = result.next_start_after
  }
  return buses
}

/** The buses an account co-owns, and those it has offers on. */
export async function myBusIds(api: EnergyApi, at: string, who: SS58String): Promise<Set<number>> {
  const [owned, offers] = await Promise.all([
    api.view.EnergyBus.user_buses(who, { at }),
    api.view.EnergyBus.account_offers(who, undefined, PAGE, { at }),
  ])
  return new Set([...owned, ...offers.map((offer) => offer.bus_id)])
}

/**
 * A bus with its available capacity and the grid fee per kWh its new offers and rounds carry,
 * or undefined when there is no such bus.
 */
export async function busDetails(api: EnergyApi, at: string, busId: number) {
  const [details, pot] = await Promise.all([
    api.view.EnergyBus.bus_details(busId, { at }),
    api.view.EnergyBus.grid_fee(busId, { at }),
  ])
  return details && { bus: details[0], availableWh: details[1], gridFeePerKwh: pot?.per_kwh ?? 0n }
}

/** One page of a bus's open offers after `startAfter`. */
export function busOffers(api: EnergyApi, at: string, busId: number, startAfter?: bigint) {
  return api.view.EnergyBus.bus_active_offers(busId, startAfter, PAGE, { at })
}

/** The live locks of each offer that has any. */
export async function locksOf(api: EnergyApi, at: string, offers: Offer[]): Promise<Map<bigint, Lock[]>> {
  const locked = offers.filter((offer) => offer.locks > 0)
  const answers = await Promise.all(locked.map((offer) => api.view.EnergyBus.offer_locks(offer.id, { at })))
  return new Map(locked.map((offer, i) => [offer.id, answers[i][1]]))
}

/** What the account switcher shows: free ECT, market nonce, the factories it owns. */
export async function accountSummary(api: EnergyApi, at: string, who: SS58String) {
  const [account, nonce, factories] = await Promise.all([
    api.query.System.Account.getValue(who, { at }),
    api.view.EnergyBus.market_nonce(who, { at }),
    api.view.EnergyTrading.owner_factories(who, undefined, PAGE, { at }),
  ])
  return { free: account.data.free, marketNonce: nonce, factories }
}

/** One page of all factories after `startAfter` (storage order). */
export function factoriesPage(api: EnergyApi, at: string, startAfter?: string) {
  return api.view.EnergyTrading.factories(
    startAfter === undefined ? undefined : factoryKey(startAfter),
    PAGE,
    { at },
  )
}

/** What changed a factory's balance (a history record's `kind`). */
export type HistoryKind =
  | "genesis"
  | "registered"
  | "minted"
  | "consumed"
  | "transferredOut"
  | "transferredIn"
  | "tradeCreated"
  | "tradeSold"
  | "tradeBought"
  | "tradeCancelled"
  | "escrowed"
  | "escrowReturned"
  | "marketSold"
  | "marketBought"

/**
 * One change of a factory's balance, as the node's history index answers it
 * (`energy_getFactoryHistory`). The index is the node's, not the runtime's, so its types are not
 * in the metadata: they are written here, after the node's `history.rs`.
 */
export interface HistoryRecord {
  kind: HistoryKind
  counterparty: string | null
  tradeId: number | null
  energyWh: number
  /** In plancks, as a decimal string (it can exceed what a JSON number holds). */
  totalPrice: string | null
  balanceWh: number
  block: number
  blockHash: string
  /** The block's timestamp in ms; 0 at genesis. */
  time: number
  /** Whether the block is finalized; a record that is not may still go away. */
  final: boolean
}

/** One page of a factory's history, newest first. */
export interface HistoryPage {
  /** The node's index holds every record from this block on. */
  completeFrom: number | null
  indexedTo: number | null
  finalized: number
  records: HistoryRecord[]
  /** The cursor of the next (older) page. */
  next: number | null
}

/** The newest page of a factory's history, from the node's index. */
export function historyPage(client: PolkadotClient, id: string): Promise<HistoryPage> {
  return client._request<HistoryPage>("energy_getFactoryHistory", [id, null, PAGE])
}

/** A factory, its rating, its latest history (oldest first) and its trades. */
export async function factoryPage(api: EnergyApi, at: string, client: PolkadotClient, id: string) {
  const key = factoryKey(id)
  const [factory, rating, history, trades] = await Promise.all([
    api.view.EnergyTrading.factory(key, { at }),
    api.view.EnergyTrading.factory_rating(key, { at }),
    historyPage(client, id),
    api.view.EnergyTrading.trades_of_factory(key, undefined, PAGE, { at }),
  ])
  return {
    factory,
    rating,
    history: [...history.records].reverse(),
    completeFrom: history.completeFrom,
    trades,
  }
}

/** The market's parameters: how long a lock lasts, how long receipts are kept. */
export function marketParams(api: EnergyApi, at: string) {
  return api.query.EnergyBus.Params.getValue({ at })
}

export type Proposal = Awaited2<EnergyApi["query"]["EnergyBus"]["Proposals"]["getValue"]>[number]
export type BusChange = Proposal["change"]

/** A bus's pending changes and who approved each. */
export function proposals(api: EnergyApi, at: string, busId: number) {
  return api.query.EnergyBus.Proposals.getValue(busId, { at })
}

/** One page of an account's purchases after `startAfter`, oldest first. */
export function purchasesPage(api: EnergyApi, at: string, who: SS58String, startAfter?: bigint) {
  return api.view.EnergyBus.purchases(who, startAfter, PAGE, { at })
}

/** Whether the buying call with this receipt ran, within the market's receipt retention. */
export function receiptProcessed(api: EnergyApi, at: string, receipt: `0x${string}`) {
  return api.view.EnergyBus.is_transaction_processed(receipt, { at })
}

/**
 * A bus's auctions: its settings (none when it runs none), its open round with that round's
 * book, and its last settled rounds, newest first. A bus whose owners stopped its auctions
 * still has its open round until that clears.
 */
export async function busAuction(api: EnergyApi, at: string, busId: number) {
  const [settings, round, results] = await Promise.all([
    api.view.EnergyBus.auction_settings(busId, { at }),
    api.view.EnergyBus.current_round(busId, { at }),
    api.view.EnergyBus.round_results(busId, { at }),
  ])
  const book = round ? await api.view.EnergyBus.round_book(round.id, { at }) : undefined
  return { settings, round, book, results }
}

/**
 * An account's unsettled orders on a bus, with the round of each, and how many unsettled
 * orders it has on every bus (`MaxOrdersPerAccount` counts them all).
 */
export async function busOrders(api: EnergyApi, at: string, who: SS58String, busId: number) {
  const all = await api.view.EnergyBus.account_orders(who, { at })
  const orders = all.filter((order) => order.bus_id === busId)
  const ids = [...new Set(orders.map((order) => order.round_id))]
  const rounds = await Promise.all(ids.map((id) => api.view.EnergyBus.round(id, { at })))
  return {
    orders,
    total: all.length,
    rounds: new Map(rounds.flatMap((round) => (round ? [[round.id, round] as const] : []))),
  }
}

/** What an order's settlement gave (`OrderSettled`): its fill, what it paid or got, what came back. */
export type Settlement = Awaited2<EnergyApi["event"]["EnergyBus"]["OrderSettled"]["get"]>[number]["payload"]

/**
 * Orders settled in each new best block, block by block (`new`), and those of blocks that left
 * the best chain (`drop`). The account's orders leave `account_orders` when they settle, so
 * their fills are told only by these events.
 */
export function watchSettlements(api: EnergyApi) {
  return api.event.EnergyBus.OrderSettled.watchBest()
}

/** What every auction order holds until it settles, and how many unsettled orders an account may have. */
export async function orderTerms(api: EnergyApi) {
  const [deposit, maxOrders] = await Promise.all([
    api.constants.EnergyBus.OrderDeposit(),
    api.constants.EnergyBus.MaxOrdersPerAccount(),
  ])
  return { deposit, maxOrders }
}

/**
 * An account's part of a bus's grid fees (none unless it is or was an owner with fees to
 * claim), and the bus's pot. `claimable_grid_fees` answers at most `PAGE` of its buses.
 */
export async function gridFeeShare(api: EnergyApi, at: string, who: SS58String, busId: number) {
  const [claimable, pot] = await Promise.all([
    api.view.EnergyBus.claimable_grid_fees(who, { at }),
    api.view.EnergyBus.grid_fee(busId, { at }),
  ])
  return { share: claimable.find((entry) => entry.bus_id === busId), pot }
}
