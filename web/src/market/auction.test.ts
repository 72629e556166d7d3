import { describe, expect, it } from "vitest"
import { depth, gridPrices, pricesWithOrders, priceText, readLimit, type Grid } from "./auction"

const CENT = 10_000_000_000n
// Bus 1's grid on the dev chain: 0.06 ECT/kWh up in 40 steps of 0.005.
const grid: Grid = { base_price_per_kwh: 6n * CENT, tick_size: CENT / 2n, ticks: 40 }

describe("the grid", () => {
  it("lists its prices from the base up to the cap", () => {
    const prices = gridPrices(grid)
    expect(prices).toHaveLength(40)
    expect(priceText(prices[0])).toBe("0.06")
    expect(priceText(prices[5])).toBe("0.085")
    expect(priceText(prices[39])).toBe("0.255")
  })

  it("takes a limit on the grid, and names the neighbours of one off it", () => {
    expect(readLimit("0.085", grid)).toEqual({ price: 85n * (CENT / 10n) })
    expect(readLimit("0.06", grid)).toEqual({ price: 6n * CENT })
    expect(readLimit("0.255", grid)).toEqual({ price: 255n * (CENT / 10n) })
    expect(readLimit("0.0875", grid).error).toBe(
      "0.0875 ECT/kWh is not a price of this round: they go up from 0.06 ECT/kWh in steps of 0.005 ECT/kWh; the nearest are 0.085 ECT/kWh and 0.09 ECT/kWh.",
    )
    expect(readLimit("0.05", grid).error).toBe("This round's lowest price is 0.06 ECT/kWh.")
    expect(readLimit("0.26", grid).error).toBe("This round's highest price (its cap) is 0.255 ECT/kWh.")
    expect(readLimit("", grid).error).toBe("Enter an amount of ECT.")
  })
})

describe("the book's depth", () => {
  it("adds up the bids from the top and the asks from the bottom", () => {
    // The genesis round: bids of 80 kWh at 0.065 and 200 kWh at 0.09, asks of 300 kWh at 0.07
    // and 200 kWh at 0.10.
    const bids = Array<bigint>(40).fill(0n)
    const asks = Array<bigint>(40).fill(0n)
    bids[1] = 80_000n
    bids[6] = 200_000n
    asks[2] = 300_000n
    asks[8] = 200_000n
    const levels = depth({ bids, asks }, grid)
    expect(levels).toHaveLength(40)
    expect(pricesWithOrders(levels).map((l) => [l.tick, l.bidWh, l.askWh, l.demandWh, l.supplyWh])).toEqual([
      [1, 80_000n, 0n, 280_000n, 0n],
      [2, 0n, 300_000n, 200_000n, 300_000n],
      [6, 200_000n, 0n, 200_000n, 300_000n],
      [8, 0n, 200_000n, 0n, 500_000n],
    ])
    expect(levels[0].demandWh).toBe(280_000n)
    expect(levels[39].supplyWh).toBe(500_000n)
  })
})
