import { energy } from "@polkadot-api/descriptors"
import { decAnyMetadata, unifyMetadata } from "@polkadot-api/substrate-bindings"
import { describe, expect, it } from "vitest"
import { palletErrorDocs, plainDocs } from "./errors"

// The metadata the app's descriptors were generated from (client/metadata/energy.scale).
const meta = energy.getMetadata().then((bytes) => unifyMetadata(decAnyMetadata(bytes)))

describe("error docs", () => {
  it("reads a doc comment as sentences, without code marks", () => {
    expect(plainDocs([" The bus has `MaxProposals` open", " proposals."])).toBe(
      "The bus has MaxProposals open proposals.",
    )
    expect(plainDocs([])).toBe("")
  })

  it("explains the grid fees' errors in the chain's words", async () => {
    const m = await meta
    expect(palletErrorDocs(m, "EnergyBus", "NoGridFees")).toBe(
      "The account has no grid fees of this bus to claim.",
    )
    expect(palletErrorDocs(m, "EnergyBus", "InvalidFeeShares")).toBe(
      "An owner's fee shares must be a whole number from 1 to 10,000 (MaxFeeShares).",
    )
    expect(palletErrorDocs(m, "EnergyBus", "NoSuchError")).toBe("")
  })
})
