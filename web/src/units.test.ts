import { describe, expect, it } from "vitest"
import {
  InputError,
  formatDuration,
  formatEct,
  formatEnergy,
  formatEnergyIn,
  formatFixed,
  formatPower,
  formatPrice,
  parseEct,
  parseEnergy,
  parsePowerKw,
  payment,
  readPowerKw,
  totalPrice,
} from "./units"

describe("energy", () => {
  it("formats in the largest unit that keeps the amount at or above 1, exactly", () => {
    expect(formatEnergy(0n)).toBe("0 Wh")
    expect(formatEnergy(999n)).toBe("999 Wh")
    expect(formatEnergy(1_000n)).toBe("1 kWh")
    expect(formatEnergy(1_500n)).toBe("1.5 kWh")
    expect(formatEnergy(999_999n)).toBe("999.999 kWh")
    expect(formatEnergy(1_300_000n)).toBe("1.3 MWh")
    expect(formatEnergy(1_234_567n)).toBe("1.234567 MWh")
    expect(formatEnergy(18_446_744_073_709_551_615n)).toBe("18,446,744,073,709.551615 MWh")
  })

  it("formats in a chosen unit", () => {
    expect(formatEnergyIn(1_300_000n, "kWh")).toBe("1,300")
    expect(formatEnergyIn(500n, "kWh")).toBe("0.5")
  })

  it("parses every unit to whole watt-hours", () => {
    expect(parseEnergy("500", "kWh")).toBe(500_000n)
    expect(parseEnergy(" 1,234.5 ", "kWh")).toBe(1_234_500n)
    expect(parseEnergy("0.000001", "MWh")).toBe(1n)
    expect(parseEnergy("2.5", "MWh")).toBe(2_500_000n)
    expect(parseEnergy("42", "Wh")).toBe(42n)
    expect(parseEnergy(".5", "kWh")).toBe(500n)
    expect(parseEnergy("18446744073709551615", "Wh")).toBe(18_446_744_073_709_551_615n)
  })

  it("refuses what is not a whole number of Wh above zero", () => {
    expect(() => parseEnergy("0.5", "Wh")).toThrow("must be a whole number")
    expect(() => parseEnergy("0.0005", "kWh")).toThrow("more than 3 decimals")
    expect(() => parseEnergy("0", "kWh")).toThrow("more than 0")
    expect(() => parseEnergy("", "kWh")).toThrow("Enter an amount of energy")
    expect(() => parseEnergy("abc", "kWh")).toThrow("must be a number")
    expect(() => parseEnergy("-5", "kWh")).toThrow(InputError)
    expect(() => parseEnergy("1e3", "kWh")).toThrow(InputError)
    expect(() => parseEnergy(".", "kWh")).toThrow(InputError)
  })
})

describe("power", () => {
  it("reads kW as whole watts and shows them in the largest unit", () => {
    expect(parsePowerKw("250")).toBe(250_000)
    expect(parsePowerKw("0.5")).toBe(500)
    expect(parsePowerKw("0")).toBe(0)
    expect(() => parsePowerKw("0.0005")).toThrow("more than 3 decimals")
    expect(() => parsePowerKw("5000000")).toThrow("At most")
    expect(() => parsePowerKw("")).toThrow("Enter a rated power")
    expect(readPowerKw("0.5")).toEqual({ watts: 500 })
    expect(readPowerKw("")).toEqual({ error: "Enter a rated power." })
    expect(formatPower(500)).toBe("500 W")
    expect(formatPower(250_000)).toBe("250 kW")
    expect(formatPower(2_500_000)).toBe("2.5 MW")
  })
})

describe("ECT", () => {
  it("formats planck with 12 decimals, rounded to the shown digits", () => {
    expect(formatEct(0n)).toBe("0 ECT")
    expect(formatEct(16_000_000_000_000n)).toBe("16 ECT")
    expect(formatEct(80_000_000_000n)).toBe("0.08 ECT")
    expect(formatEct(1_000_000_000_000_000_000n)).toBe("1,000,000 ECT")
    expect(formatEct(1n, 12)).toBe("0.000000000001 ECT")
    expect(formatEct(1n)).toBe("0 ECT")
    expect(formatEct(99_995_000_000n)).toBe("0.1 ECT")
    expect(formatEct(99_949_999_999n)).toBe("0.0999 ECT")
    expect(formatEct(999_950_000_000n)).toBe("1 ECT")
  })

  it("formats prices per kWh", () => {
    expect(formatPrice(80_000_000_000n)).toBe("0.08 ECT/kWh")
    expect(formatPrice(1n)).toBe("0 ECT/kWh")
    expect(formatPrice(1_500_000n)).toBe("0.000002 ECT/kWh")
  })

  it("parses ECT to planck", () => {
    expect(parseEct("0.08")).toBe(80_000_000_000n)
    expect(parseEct("16")).toBe(16_000_000_000_000n)
    expect(parseEct("0.000000000001")).toBe(1n)
    expect(parseEct("1,000,000")).toBe(1_000_000_000_000_000_000n)
    expect(parseEct("0")).toBe(0n)
    expect(parseEct("340282366920938463463374607.431768211455")).toBe(2n ** 128n - 1n)
  })

  it("refuses malformed ECT", () => {
    expect(() => parseEct("0.0000000000001")).toThrow("more than 12 decimals")
    expect(() => parseEct("1.2.3")).toThrow("must be a number")
    expect(() => parseEct("")).toThrow("Enter an amount of ECT")
  })
})

describe("prices", () => {
  it("rounds a purchase's total up, as the pallet does", () => {
    // 200 kWh at 0.08 ECT/kWh = 16 ECT (the ledger's example trade).
    expect(totalPrice(200_000n, 80_000_000_000n)).toBe(16_000_000_000_000n)
    expect(totalPrice(1n, 1n)).toBe(1n)
    expect(totalPrice(1_000n, 1n)).toBe(1n)
    expect(totalPrice(1_001n, 1n)).toBe(2n)
    expect(totalPrice(0n, 5n)).toBe(0n)
  })

  it("rounds the price and the grid fee up each on its own, as the pallet charges them", () => {
    // 10 kWh at 0.08 ECT/kWh with a grid fee of 0.005 ECT/kWh.
    expect(payment(10_000n, 80_000_000_000n, 5_000_000_000n)).toEqual({
      price: 800_000_000_000n,
      gridFee: 50_000_000_000n,
      total: 850_000_000_000n,
    })
    // 1 Wh at 1 planck/kWh plus a fee of 1 planck/kWh: a planck each, not one for both.
    expect(payment(1n, 1n, 1n)).toEqual({ price: 1n, gridFee: 1n, total: 2n })
    expect(payment(1_500n, 3n, 0n)).toEqual({ price: 5n, gridFee: 0n, total: 5n })
  })

  it("keeps exact digits beyond 2^53", () => {
    expect(formatFixed(9_007_199_254_740_993n, 0)).toBe("9,007,199,254,740,993")
  })
})

describe("durations", () => {
  it("shows blocks as time", () => {
    expect(formatDuration(0, 6000)).toBe("0 s")
    expect(formatDuration(5, 6000)).toBe("30 s")
    expect(formatDuration(10, 6000)).toBe("1 min")
    expect(formatDuration(15, 6000)).toBe("1 min 30 s")
    expect(formatDuration(-3, 6000)).toBe("0 s")
    expect(formatDuration(600, 6000)).toBe("1 h")
    expect(formatDuration(750, 6000)).toBe("1 h 15 min")
    expect(formatDuration(14_400, 6000)).toBe("1 day")
    expect(formatDuration(100_800, 6000)).toBe("7 days")
    expect(formatDuration(15_000, 6000)).toBe("1 day 1 h")
  })
})
