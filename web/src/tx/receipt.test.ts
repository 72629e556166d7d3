import { describe, expect, it } from "vitest"
import { purchaseReceipt } from "./receipt"

const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"

describe("receipts", () => {
  it("hashes a purchase as the pallet does", () => {
    // Bob's first purchase on a fresh dev chain: 50 kWh of offer 0 at 0.08 ECT/kWh into
    // Factory02, market nonce 0 (the same vector client/js and docs/polkadot-js.md check).
    const receipt = purchaseReceipt(
      BOB,
      0n,
      0n,
      50_000n,
      80_000_000_000n,
      new TextEncoder().encode("Factory02"),
    )
    expect(receipt).toBe("0x7c4291283a9303cbc4a243aeb7ae558724ecf881b585ec37dceb33916ec8b6df")
  })
})
