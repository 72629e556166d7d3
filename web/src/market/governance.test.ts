import { energy } from "@polkadot-api/descriptors"
import { decAnyMetadata, u16, unifyMetadata } from "@polkadot-api/substrate-bindings"
import { describe, expect, it } from "vitest"
import { MAX_FEE_SHARES } from "./governance"

describe("governance limits", () => {
  it("checks fee shares against the chain's MaxFeeShares", async () => {
    const m = unifyMetadata(decAnyMetadata(await energy.getMetadata()))
    const constant = m.pallets
      .find((pallet) => pallet.name === "EnergyBus")
      ?.constants.find((c) => c.name === "MaxFeeShares")
    expect(constant).toBeDefined()
    expect(u16.dec(constant!.value)).toBe(MAX_FEE_SHARES)
  })
})
