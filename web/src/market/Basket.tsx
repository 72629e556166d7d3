// The basket's view: each item with its amount, price and grid fee, the total (the prices and
// the grid fees), one "buy all" that sends
// one batch purchase. A failing item is marked in its row with the reason; nothing was bought.
import { useEffect, useState } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { useChain, useLive } from "../chain/ChainContext"
import { accountSummary, text } from "../chain/queries"
import { Ect, Energy, Price } from "../components/Amounts"
import { failureAdvice, submitBuying } from "../tx/buying"
import { variantDocs } from "../tx/errors"
import { batchReceipt } from "../tx/receipt"
import { useTx } from "../tx/TxContext"
import { formatEct, payment } from "../units"
import { useBasket } from "./BasketContext"

type Message = { kind: "ok" | "error" | "info"; text: string }
interface ItemFailure {
  index: number
  reason: string
  docs: string
}

export function Basket() {
  const { items, remove, clear } = useBasket()
  const { connection, best } = useChain()
  const { selected } = useAccounts()
  const { submit } = useTx()
  const who = selected?.address
  const account = useLive(`account:${who}`, who ? (api, at) => accountSummary(api, at, who) : undefined)
  const factories = account.value?.factories ?? []
  const [into, setInto] = useState("")
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<Message>()
  const [failure, setFailure] = useState<ItemFailure>()

  useEffect(() => {
    if (!factories.some((f) => text(f.id) === into) && factories[0]) setInto(text(factories[0].id))
  }, [factories, into])
  useEffect(() => setFailure(undefined), [items])

  if (items.length === 0 && !message) return null
  const costs = items.map((item) =>
    payment(item.energyWh, item.offer.price_per_kwh, item.offer.grid_fee_per_kwh),
  )
  const total = costs.reduce((sum, cost) => sum + cost.total, 0n)
  const gridFees = costs.reduce((sum, cost) => sum + cost.gridFee, 0n)

  const buyAll = async () => {
    if (!connection || !selected) return
    if (!into) {
      setMessage({
        kind: "error",
        text: "This account owns no factory to receive the energy: nothing was sent.",
      })
      return
    }
    if (account.value && total > account.value.free) {
      setMessage({
        kind: "error",
        text: `The basket costs ${formatEct(total)}; the account has ${formatEct(account.value.free)}: nothing was sent.`,
      })
      return
    }
    setBusy(true)
    setMessage(undefined)
    setFailure(undefined)
    const intoKey = new TextEncoder().encode(into)
    const lines = items.map((item) => ({
      offerId: item.offer.id,
      energyWh: item.energyWh,
      maxPricePerKwh: item.maxPricePerKwh,
    }))
    const result = await submitBuying(
      connection.api,
      submit,
      selected,
      `Buy a basket of ${items.length} offers`,
      (nonce) => ({
        tx: connection.api.tx.EnergyBus.batch_purchase_energy({
          items: lines.map((line) => ({
            offer_id: line.offerId,
            energy_wh: line.energyWh,
            max_price_per_kwh: line.maxPricePerKwh,
          })),
          into_factory: intoKey,
          nonce,
        }),
        receipt: batchReceipt(selected.address, nonce, lines, intoKey),
      }),
    )
    setBusy(false)
    if (result.kind === "done") {
      setMessage({
        kind: "ok",
        text: `Bought all ${items.length} items into ${into} in block #${result.block}. Receipt ${result.receipt}.`,
      })
      clear()
    } else if (result.kind === "alreadyDone") {
      setMessage({
        kind: "info",
        text: `This basket was already bought (receipt ${result.receipt}): nothing was bought twice.`,
      })
      clear()
    } else if (result.name === "EnergyBus::BatchItemFailed") {
      const { index, reason } = result.value as { index: number; reason: { type: string } }
      const docs = best ? await variantDocs(connection.client, best.hash, "PurchaseFailure", reason.type) : ""
      setFailure({ index, reason: reason.type, docs })
      setMessage({
        kind: "error",
        text: `Item ${index + 1} failed (${reason.type}${docs ? `: ${docs}` : ""}). Nothing of the basket was bought.`,
      })
    } else {
      setMessage({ kind: "error", text: `${result.name}: ${result.docs} ${failureAdvice(result)}` })
    }
  }

  return (
    <section className="basket" aria-labelledby="basket-title">
      <h2 id="basket-title">Basket</h2>
      {items.length > 0 && (
        <>
          <table>
            <caption className="visually-hidden">Items in the basket</caption>
            <thead>
              <tr>
                <th scope="col">Offer</th>
                <th scope="col">Amount</th>
                <th scope="col">Price</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item, index) => (
                <tr
                  key={item.offer.id.toString()}
                  aria-label={`Basket item ${index + 1}: offer #${item.offer.id}`}
                  className={failure?.index === index ? "failed-item" : undefined}
                >
                  <th scope="row">
                    #{item.offer.id.toString()} <span className="muted">bus #{item.offer.bus_id}</span>
                    {failure?.index === index && (
                      <div className="field-error">
                        Failed: {failure.reason}
                        {failure.docs && ` (${failure.docs})`}
                      </div>
                    )}
                  </th>
                  <td>
                    <Energy wh={item.energyWh} />
                  </td>
                  <td>
                    <Price perKwh={item.offer.price_per_kwh} />
                    {item.offer.grid_fee_per_kwh > 0n && (
                      <span className="grid-fee">
                        {" "}
                        + <Price perKwh={item.offer.grid_fee_per_kwh} /> grid fee
                      </span>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => remove(item.offer.id)}
                      aria-label={`Remove offer #${item.offer.id} from the basket`}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            Total{" "}
            <strong data-testid="basket-total">
              <Ect planck={total} exact />
            </strong>
            {gridFees > 0n && (
              <span data-testid="basket-total-parts">
                {" "}
                (<Ect planck={total - gridFees} exact /> to the sellers and <Ect planck={gridFees} exact /> in
                grid fees to the buses' owners)
              </span>
            )}
          </p>
          <label className="field">
            Into factory
            <select value={into} onChange={(event) => setInto(event.target.value)}>
              {factories.map((factory) => (
                <option key={text(factory.id)}>{text(factory.id)}</option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void buyAll()} disabled={busy}>
            {busy ? "Buying…" : "Buy all in one transaction"}
          </button>
        </>
      )}
      {message && (
        <p className={`result ${message.kind}`} role={message.kind === "error" ? "alert" : "status"}>
          {message.text}
        </p>
      )}
    </section>
  )
}
