// Receipt hashes computed as pallet-energy-bus does, `blake2_256(SCALE(buyer, nonce, call
// arguments))`, so the app can ask the chain (`is_transaction_processed`) whether a buying call
// it sent already ran, and never buy twice.
import { AccountId, Blake2256, compact, u128, u32, u64, u8 } from "@polkadot-api/substrate-bindings"
import type { SS58String } from "polkadot-api"
import { toHex } from "polkadot-api/utils"

const accountId = AccountId()
const ascii = (tag: string) => new TextEncoder().encode(tag)

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** SCALE `Vec<u8>`: a compact length, then the bytes. */
const vecU8 = (bytes: Uint8Array) => concat([compact.enc(bytes.length), bytes])

function receipt(buyer: SS58String, nonce: bigint, args: Uint8Array[]): `0x${string}` {
  return toHex(Blake2256(concat([accountId.enc(buyer), u64.enc(nonce), ...args]))) as `0x${string}`
}

/** The receipt of `purchase_energy(offer_id, energy_wh, max_price_per_kwh, into_factory, nonce)`. */
export function purchaseReceipt(
  buyer: SS58String,
  nonce: bigint,
  offerId: bigint,
  energyWh: bigint,
  maxPricePerKwh: bigint,
  intoFactory: Uint8Array,
) {
  return receipt(buyer, nonce, [
    ascii("purchase"),
    u64.enc(offerId),
    u64.enc(energyWh),
    u128.enc(maxPricePerKwh),
    vecU8(intoFactory),
  ])
}

/** The receipt of `lock_offer(offer_id, energy_wh, into_factory, nonce)`. */
export function lockReceipt(
  buyer: SS58String,
  nonce: bigint,
  offerId: bigint,
  energyWh: bigint,
  intoFactory: Uint8Array,
) {
  return receipt(buyer, nonce, [ascii("lock"), u64.enc(offerId), u64.enc(energyWh), vecU8(intoFactory)])
}

export interface BatchLine {
  offerId: bigint
  energyWh: bigint
  maxPricePerKwh: bigint
}

/** The receipt of `batch_purchase_energy(items, into_factory, nonce)`. */
export function batchReceipt(buyer: SS58String, nonce: bigint, items: BatchLine[], intoFactory: Uint8Array) {
  const encodedItems = concat([
    compact.enc(items.length),
    ...items.flatMap((item) => [
      u64.enc(item.offerId),
      u64.enc(item.energyWh),
      u128.enc(item.maxPricePerKwh),
    ]),
  ])
  return receipt(buyer, nonce, [ascii("batch"), encodedItems, vecU8(intoFactory)])
}

/** An auction order's side, SCALE-encoded as the pallet's `Side` enum (`Bid` is 0, `Ask` 1). */
export type OrderSide = "Bid" | "Ask"

/**
 * The receipt of `place_bid(bus_id, energy_wh, limit, into_factory, nonce)` or
 * `place_ask(bus_id, factory, energy_wh, limit, nonce)`: both hash
 * `(side, bus_id, factory, energy_wh, limit_price_per_kwh)`.
 */
export function orderReceipt(
  owner: SS58String,
  nonce: bigint,
  side: OrderSide,
  busId: number,
  factory: Uint8Array,
  energyWh: bigint,
  limitPricePerKwh: bigint,
) {
  return receipt(owner, nonce, [
    u8.enc(side === "Bid" ? 0 : 1),
    u32.enc(busId),
    vecU8(factory),
    u64.enc(energyWh),
    u128.enc(limitPricePerKwh),
  ])
}
