// A pending trade's actions for the chosen account: the buyer's owner executes it (with a price
// guard, the total by default) or rejects it; the seller's owner cancels it.
import { useState } from "react"
import { useChain } from "../chain/ChainContext"
import { text, type Trade } from "../chain/queries"
import { ActionResult } from "../components/ActionResult"
import { useAction } from "../tx/useAction"
import { InputError, formatEct, formatEnergy, formatFixed, parseEct } from "../units"

export function TradeActions({ trade, mine }: { trade: Trade; mine: Set<string> }) {
  const { connection } = useChain()
  const action = useAction()
  const [maxTotal, setMaxTotal] = useState(() => formatFixed(trade.total_price, 12).replace(/,/g, ""))
  const seller = text(trade.seller)
  const buyer = text(trade.buyer)
  const isBuyer = mine.has(buyer)
  const isSeller = mine.has(seller)
  if (trade.status.type !== "Pending" || (!isBuyer && !isSeller) || !connection) {
    // The trade was settled (perhaps by this very action): keep saying how it went.
    return action.message ? (
      <div className="trade-actions">
        <ActionResult message={action.message} />
      </div>
    ) : null
  }

  const execute = () => {
    let limit: bigint
    try {
      limit = parseEct(maxTotal)
    } catch (error) {
      return action.refuse(error instanceof InputError ? error.message : String(error))
    }
    if (limit < trade.total_price) {
      return action.refuse(`The trade costs ${formatEct(trade.total_price, 12)}, more than your maximum`)
    }
    void action.send(
      `Execute trade #${trade.id}`,
      connection.api.tx.EnergyTrading.execute_trade({ trade_id: trade.id, max_total_price: limit }),
      (block) =>
        `Trade #${trade.id} executed in block #${block}: ${formatEnergy(trade.energy_wh)} to ${buyer}, ${formatEct(trade.total_price)} paid.`,
    )
  }
  const cancel = () =>
    void action.send(
      `${isSeller ? "Cancel" : "Reject"} trade #${trade.id}`,
      connection.api.tx.EnergyTrading.cancel_trade({ trade_id: trade.id }),
      (block) =>
        `Trade #${trade.id} ${isSeller ? "cancelled" : "rejected"} in block #${block}; the energy went back to ${seller}.`,
    )

  return (
    <div className="trade-actions">
      {isBuyer && (
        <>
          <label>
            Pay at most (ECT){" "}
            <input
              inputMode="decimal"
              size={10}
              value={maxTotal}
              onChange={(event) => setMaxTotal(event.target.value)}
            />
          </label>
          <button
            type="button"
            onClick={execute}
            disabled={action.busy}
            aria-label={`Execute trade #${trade.id}`}
          >
            Execute
          </button>
        </>
      )}
      <button
        type="button"
        className="secondary"
        onClick={cancel}
        disabled={action.busy}
        aria-label={`${isSeller ? "Cancel" : "Reject"} trade #${trade.id}`}
      >
        {isSeller ? "Cancel" : "Reject"}
      </button>
      <ActionResult message={action.message} />
    </div>
  )
}
