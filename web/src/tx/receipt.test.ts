import { describe, expect, it } from "vitest"
import { orderReceipt, purchaseReceipt } from "./receipt"

const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
const CHARLIE = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y"
const FERDIE = "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL"
const enc = (text: string) => new TextEncoder().encode(text)

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

  // The receipts a fresh dev chain recorded (`ReceiptRecorded`) for the first auction orders of
  // Charlie and Ferdie in bus 1's genesis round, market nonce 0.
  it("hashes a bid as the pallet does", () => {
    // place_bid(1, 100 kWh, 0.085 ECT/kWh, Factory15, 0)
    expect(orderReceipt(CHARLIE, 0n, "Bid", 1, enc("Factory15"), 100_000n, 85_000_000_000n)).toBe(
      "0xf7705373a080e1547e13c68710be9eb152b9df70a6135fb21e04cafe14252477",
    )
  })

  it("hashes an ask as the pallet does", () => {
    // place_ask(1, Factory06, 50 kWh, 0.07 ECT/kWh, 0)
    expect(orderReceipt(FERDIE, 0n, "Ask", 1, enc("Factory06"), 50_000n, 70_000_000_000n)).toBe(
      "0xb78835174ec4b7f639dd914fed89eae28cc64f2a5cdbddaaf4171a46e8e541b4",
    )
  })
})
