// A bus change as a call and in words. A change takes effect once `approval_threshold`
// distinct owners have sent it; approving a pending change means sending the same change.
import type { SS58String, Transaction } from "polkadot-api"
import type { EnergyApi } from "../chain/client"
import type { BusChange } from "../chain/queries"
import { formatEnergy, formatFixed, formatPrice } from "../units"

/** The most shares of a bus's grid fees one owner may have: the chain's `MaxFeeShares` constant (a unit test checks it). */
export const MAX_FEE_SHARES = 10_000

export function changeCall(api: EnergyApi, busId: number, change: BusChange): Transaction {
  const bus_id = busId
  switch (change.type) {
    case "AddOwner":
      return api.tx.EnergyBus.add_bus_owner({ bus_id, new_owner: change.value })
    case "RemoveOwner":
      return api.tx.EnergyBus.remove_bus_owner({ bus_id, owner: change.value })
    case "SetCapacity":
      return api.tx.EnergyBus.set_bus_capacity({ bus_id, capacity_wh: change.value })
    case "SetBasePrice":
      return api.tx.EnergyBus.set_base_price({ bus_id, base_price_per_kwh: change.value })
    case "SetApprovalThreshold":
      return api.tx.EnergyBus.set_approval_threshold({ bus_id, threshold: change.value })
    case "Close":
      return api.tx.EnergyBus.close_bus({ bus_id })
    case "SetAuction":
      return api.tx.EnergyBus.set_auction({ bus_id, settings: change.value })
    case "SetGridFee":
      return api.tx.EnergyBus.set_grid_fee({ bus_id, fee_per_kwh: change.value })
    case "SetFeeShares": {
      const [owner, shares] = change.value
      return api.tx.EnergyBus.set_fee_shares({ bus_id, owner, shares })
    }
  }
}

export function describeChange(change: BusChange, nameOf: (address: SS58String) => string): string {
  switch (change.type) {
    case "AddOwner":
      return `Add ${nameOf(change.value)} as a co-owner`
    case "RemoveOwner":
      return `Remove co-owner ${nameOf(change.value)}`
    case "SetCapacity":
      return `Set the capacity to ${formatEnergy(change.value)}`
    case "SetBasePrice":
      return `Set the base price to ${formatPrice(change.value)}`
    case "SetApprovalThreshold":
      return `Require ${change.value} ${change.value === 1 ? "owner" : "owners"} for changes`
    case "Close":
      return "Close the bus"
    case "SetAuction": {
      const settings = change.value
      if (settings === undefined) return "Stop the auctions"
      const blocks = settings.round_length === 1 ? "block" : "blocks"
      return `Run auctions: rounds of ${settings.round_length} ${blocks}, ${settings.ticks} prices ${formatPrice(settings.tick_size)} apart`
    }
    case "SetGridFee":
      return change.value === 0n ? "Charge no grid fee" : `Set the grid fee to ${formatPrice(change.value)}`
    case "SetFeeShares": {
      const [owner, shares] = change.value
      return `Give ${nameOf(owner)} ${formatFixed(BigInt(shares), 0)} ${shares === 1 ? "share" : "shares"} of the grid fees`
    }
  }
}
