// Units of the chain, in one place: energy is integer watt-hours (Wh), money is ECT with 12
// decimals (1 ECT = 10^12 planck), prices are planck per kWh. Every amount is a bigint from the
// chain to the screen; these functions are the only way amounts are shown or read.

export const ECT_DECIMALS = 12
export const PLANCK_PER_ECT = 10n ** BigInt(ECT_DECIMALS)
export const WH_PER_KWH = 1_000n
export const WH_PER_MWH = 1_000_000n

export type EnergyUnit = "Wh" | "kWh" | "MWh"
export const ENERGY_UNITS: readonly EnergyUnit[] = ["Wh", "kWh", "MWh"]
/** How many decimals of a Wh amount each unit shows: 1 kWh = 10^3 Wh. */
const UNIT_DECIMALS: Record<EnergyUnit, number> = { Wh: 0, kWh: 3, MWh: 6 }

/** A parse that failed, with the message shown next to the input. */
export class InputError extends Error {}

const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")

/** `value / 10^decimals` as a decimal string, thousands grouped, trailing zeros dropped. */
export function formatFixed(value: bigint, decimals: number, maxFraction = decimals): string {
  const negative = value < 0n
  const abs = negative ? -value : value
  const scale = 10n ** BigInt(decimals)
  let whole = abs / scale
  let fraction = abs % scale
  if (maxFraction < decimals) {
    // Round half up to maxFraction digits.
    const drop = 10n ** BigInt(decimals - maxFraction)
    fraction = (fraction + drop / 2n) / drop
    if (fraction >= 10n ** BigInt(maxFraction)) {
      whole += 1n
      fraction = 0n
    }
    decimals = maxFraction
  }
  let fractionText = decimals > 0 ? fraction.toString().padStart(decimals, "0") : ""
  fractionText = fractionText.replace(/0+$/, "")
  const text = group(whole.toString()) + (fractionText ? "." + fractionText : "")
  return negative ? "-" + text : text
}

/** Reads a non-negative decimal with at most `decimals` fraction digits as `value × 10^decimals`. */
export function parseFixed(input: string, decimals: number, what: string): bigint {
  const text = input.trim().replace(/[,_\s]/g, "")
  if (text === "") throw new InputError(`Enter ${what}.`)
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text)
  if (!match || (match[1] === "" && (match[2] ?? "") === "")) {
    throw new InputError(`${what[0].toUpperCase()}${what.slice(1)} must be a number, such as 12.5.`)
  }
  const whole = match[1] || "0"
  const fraction = match[2] ?? ""
  if (fraction.replace(/0+$/, "").length > decimals) {
    throw new InputError(
      decimals === 0
        ? `${what[0].toUpperCase()}${what.slice(1)} must be a whole number.`
        : `${what[0].toUpperCase()}${what.slice(1)} has more than ${decimals} decimals.`,
    )
  }
  return (
    BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.slice(0, decimals).padEnd(decimals, "0") || "0")
  )
}

/** Energy in the largest unit that keeps it at or above 1: `999 Wh`, `1.5 kWh`, `2.25 MWh`. */
export function formatEnergy(wh: bigint): string {
  const abs = wh < 0n ? -wh : wh
  const unit: EnergyUnit = abs >= WH_PER_MWH ? "MWh" : abs >= WH_PER_KWH ? "kWh" : "Wh"
  return `${formatEnergyIn(wh, unit)} ${unit}`
}

/** Energy as a number of `unit`, exact (1,234.5 kWh is 1234500 Wh), without the unit. */
export function formatEnergyIn(wh: bigint, unit: EnergyUnit): string {
  return formatFixed(wh, UNIT_DECIMALS[unit])
}

/** An amount typed in `unit` (`1.5` kWh) as whole watt-hours; fractions of a Wh are refused. */
export function parseEnergy(input: string, unit: EnergyUnit): bigint {
  const wh = parseFixed(input, UNIT_DECIMALS[unit], "an amount of energy")
  if (wh === 0n) throw new InputError("The amount must be more than 0.")
  return wh
}

/** The highest rated power a factory can have: a u32 of W. */
export const MAX_RATED_POWER_W = 4_294_967_295

/** Millijoules in a Wh: the ledger counts a generation allowance in mJ (1 W for 1 ms). */
export const MJ_PER_WH = 3_600_000n

/** A power typed in kW (`250`, `0.5`) as whole watts; zero is allowed (a factory that does not generate). */
export function parsePowerKw(input: string): number {
  const watts = parseFixed(input, 3, "a rated power")
  if (watts > BigInt(MAX_RATED_POWER_W)) throw new InputError("At most 4,294,967.295 kW.")
  return Number(watts)
}

/** A power in watts as people read it: `500 W`, `250 kW`, `2.5 MW`. */
export function formatPower(watts: number): string {
  const w = BigInt(watts)
  if (watts >= 1_000_000) return `${formatFixed(w, 6)} MW`
  if (watts >= 1_000) return `${formatFixed(w, 3)} kW`
  return `${watts} W`
}

/** Planck as ECT: `16 ECT`, `0.08 ECT`, with at most `maxFraction` decimals (rounded). */
export function formatEct(planck: bigint, maxFraction = 4): string {
  return `${formatFixed(planck, ECT_DECIMALS, maxFraction)} ECT`
}

/** ECT typed by a user (`0.08`) as planck; more than 12 decimals are refused. */
export function parseEct(input: string): bigint {
  return parseFixed(input, ECT_DECIMALS, "an amount of ECT")
}

/** A price in planck per kWh: `0.08 ECT/kWh`. */
export function formatPrice(planckPerKwh: bigint): string {
  return `${formatFixed(planckPerKwh, ECT_DECIMALS, 6)} ECT/kWh`
}

/** What a purchase pays, as the pallet computes it: `ceil(energy_wh × price_per_kwh / 1000)`. */
export function totalPrice(energyWh: bigint, planckPerKwh: bigint): bigint {
  const product = energyWh * planckPerKwh
  return (product + WH_PER_KWH - 1n) / WH_PER_KWH
}

/** What a buyer pays for energy over a bus: the price, and the grid fee on top, for the bus's owners. */
export interface Payment {
  /** `ceil(energy_wh × price_per_kwh / 1000)`, to the seller. */
  price: bigint
  /** `ceil(energy_wh × grid_fee_per_kwh / 1000)`, to the bus's owners. */
  gridFee: bigint
  total: bigint
}

/** The price and the grid fee of `energyWh`, each rounded up on its own, as the pallet charges them. */
export function payment(energyWh: bigint, pricePerKwh: bigint, gridFeePerKwh: bigint): Payment {
  const price = totalPrice(energyWh, pricePerKwh)
  const gridFee = totalPrice(energyWh, gridFeePerKwh)
  return { price, gridFee, total: price + gridFee }
}

/** How long `blocks` blocks take at `blockMs` per block, as `1 min 30 s`, `2 h 5 min` or `1 day`. */
export function formatDuration(blocks: number, blockMs: number): string {
  const seconds = Math.max(0, Math.round((blocks * blockMs) / 1000))
  const minutes = Math.floor(seconds / 60)
  const rest = seconds % 60
  if (minutes === 0) return `${rest} s`
  if (minutes < 60) return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`
  const days = Math.floor(hours / 24)
  const unit = days === 1 ? "day" : "days"
  return hours % 24 === 0 ? `${days} ${unit}` : `${days} ${unit} ${hours % 24} h`
}

/** `parsePowerKw`, with a refused input as its message instead of a throw (for a form field). */
export function readPowerKw(value: string): { watts?: number; error?: string } {
  try {
    return { watts: parsePowerKw(value) }
  } catch (error) {
    return { error: error instanceof InputError ? error.message : String(error) }
  }
}

/** `parseEnergy`, with a refused input as its message instead of a throw (for a form field). */
export function readEnergy(value: string, unit: EnergyUnit): { wh?: bigint; error?: string } {
  try {
    return { wh: parseEnergy(value, unit) }
  } catch (error) {
    return { error: error instanceof InputError ? error.message : String(error) }
  }
}
