// An auction round's arithmetic, as the pallet does it: the tick grid of its prices, a limit
// price read against that grid, and the book's depth (the energy bid at or above, and asked at
// or below, each price).
import type { Round, RoundBook } from "../chain/queries"
import { formatFixed, formatPrice, InputError, parseEct } from "../units"

export type Grid = Pick<Round, "base_price_per_kwh" | "tick_size" | "ticks">

/** The price of tick `k`: `base + k × tick_size`. */
export const priceOfTick = (grid: Grid, tick: number): bigint =>
  grid.base_price_per_kwh + grid.tick_size * BigInt(tick)

/** Every price of the grid, lowest first. */
export const gridPrices = (grid: Grid): bigint[] =>
  Array.from({ length: grid.ticks }, (_, tick) => priceOfTick(grid, tick))

/** A price as the limit field shows it: `0.085`. */
export const priceText = (perKwh: bigint): string => formatFixed(perKwh, 12).replace(/,/g, "")

/**
 * A limit price typed in ECT per kWh, checked against the round's grid as `place_bid` and
 * `place_ask` check it (`PriceNotOnGrid`): a price off the grid is refused with its neighbours.
 */
export function readLimit(input: string, grid: Grid): { price?: bigint; error?: string } {
  let price: bigint
  try {
    price = parseEct(input)
  } catch (error) {
    return { error: error instanceof InputError ? error.message : String(error) }
  }
  const base = grid.base_price_per_kwh
  const cap = priceOfTick(grid, grid.ticks - 1)
  if (price < base) return { error: `This round's lowest price is ${formatPrice(base)}.` }
  if (price > cap) return { error: `This round's highest price (its cap) is ${formatPrice(cap)}.` }
  const above = price - base
  if (above % grid.tick_size !== 0n) {
    const lower = base + (above / grid.tick_size) * grid.tick_size
    return {
      error:
        `${formatPrice(price)} is not a price of this round: they go up from ${formatPrice(base)} in ` +
        `steps of ${formatPrice(grid.tick_size)}; the nearest are ${formatPrice(lower)} and ` +
        `${formatPrice(lower + grid.tick_size)}.`,
    }
  }
  return { price }
}

/** One price of the book: the energy bid and asked there, and the depth of each side. */
export interface Level {
  tick: number
  price: bigint
  bidWh: bigint
  askWh: bigint
  /** The energy bid at this price or above: what buyers take at this price. */
  demandWh: bigint
  /** The energy asked at this price or below: what sellers give at this price. */
  supplyWh: bigint
}

/** The depth at every tick of the grid, lowest price first. */
export function depth(book: RoundBook, grid: Grid): Level[] {
  const levels: Level[] = []
  let supply = 0n
  for (let tick = 0; tick < grid.ticks; tick++) {
    const askWh = book.asks[tick] ?? 0n
    supply += askWh
    levels.push({
      tick,
      price: priceOfTick(grid, tick),
      bidWh: book.bids[tick] ?? 0n,
      askWh,
      demandWh: 0n,
      supplyWh: supply,
    })
  }
  let demand = 0n
  for (let tick = grid.ticks - 1; tick >= 0; tick--) {
    demand += levels[tick].bidWh
    levels[tick].demandWh = demand
  }
  return levels
}

/** The prices that hold orders. */
export const pricesWithOrders = (levels: Level[]): Level[] =>
  levels.filter((level) => level.bidWh > 0n || level.askWh > 0n)
