// Bid or ask in a bus's open auction round: the energy (in Wh, kWh or MWh), a limit price of the
// round's grid, and the factory that receives (bid) or gives (ask) the energy. What the order
// holds until its round settles is shown before signing; it carries the market nonce, as a
// purchase does, so a lost race never places it twice.
import { useEffect, useState, type FormEvent } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { useChain, useLive } from "../chain/ChainContext"
import { accountSummary, factoryKey, orderTerms, text, type Bus, type Round } from "../chain/queries"
import { Ect, Energy, Price } from "../components/Amounts"
import { EnergyInput } from "../components/EnergyInput"
import { buyingMessage, submitBuying, type BuyingMessage } from "../tx/buying"
import { orderReceipt, type OrderSide } from "../tx/receipt"
import { useTx } from "../tx/TxContext"
import { formatEct, formatEnergy, formatPrice, payment, readEnergy, type EnergyUnit } from "../units"
import { gridPrices, priceText, readLimit } from "./auction"

/** The id of the list of the round's prices that both limit fields offer (`GridPrices`). */
export const GRID_PRICES = "grid-prices"

export function OrderForm({ side, bus, round }: { side: OrderSide; bus: Bus; round: Round }) {
  const { connection, best } = useChain()
  const { selected } = useAccounts()
  const { submit } = useTx()
  const who = selected?.address
  const account = useLive(`account:${who}`, who ? (api, at) => accountSummary(api, at, who) : undefined)
  const terms = useLive("order-terms", orderTerms)
  const factories = account.value?.factories ?? []
  const bid = side === "Bid"
  const id = bid ? "bid" : "ask"

  const [value, setValue] = useState("")
  const [unit, setUnit] = useState<EnergyUnit>("kWh")
  const [limit, setLimit] = useState(() => priceText(round.base_price_per_kwh))
  const [factoryId, setFactoryId] = useState("")
  const [tried, setTried] = useState(false)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<BuyingMessage>()

  useEffect(() => {
    if (!factories.some((f) => text(f.id) === factoryId) && factories[0]) setFactoryId(text(factories[0].id))
  }, [factories, factoryId])

  if (!who) return null
  const factory = factories.find((f) => text(f.id) === factoryId)
  const deposit = terms.value?.deposit

  const problems: { amount?: string; limit?: string; account?: string } = {}
  const { wh: energyWh, error: energyError } = readEnergy(value, unit)
  const { price, error: limitError } = readLimit(limit, round)
  problems.limit = limitError
  // A bid moves its payment at the limit, and the round's grid fee on all of it, to the market
  // account until its round settles.
  const gridFeePerKwh = round.grid_fee_per_kwh
  const escrow =
    bid && energyWh !== undefined && price !== undefined ? payment(energyWh, price, gridFeePerKwh) : undefined
  if (energyError) problems.amount = energyError
  else if (!bid && factory && energyWh !== undefined && energyWh > factory.energy_wh)
    problems.amount = `${factoryId} holds only ${formatEnergy(factory.energy_wh)}.`
  else if (
    escrow !== undefined &&
    deposit !== undefined &&
    account.value &&
    escrow.total + deposit > account.value.free
  )
    problems.amount = `This holds ${formatEct(escrow.total + deposit)}; the account has ${formatEct(account.value.free)}.`
  if (account.value && factories.length === 0)
    problems.account = bid
      ? "This account owns no factory to receive the energy."
      : "This account owns no factory to sell from."
  else if (best && best.number >= round.gate_closes_at)
    problems.account = `Round #${round.id}'s gate has closed: the next round opens in the next block.`

  const place = (event: FormEvent) => {
    event.preventDefault()
    setTried(true)
    const problem = problems.account ?? problems.amount ?? problems.limit
    if (problem || !connection || !selected || !factory || energyWh === undefined || price === undefined) {
      const reason = (problem ?? (factory ? "Not connected" : "Choose a factory")).replace(/\.$/, "")
      setMessage({ kind: "error", text: `${reason}: nothing was sent.` })
      return
    }
    const wh = energyWh
    const key = factoryKey(factoryId)
    const api = connection.api
    const what = `${bid ? "Bid for" : "Ask"} ${formatEnergy(wh)} at ${formatPrice(price)}`
    setBusy(true)
    setMessage(undefined)
    void submitBuying(api, submit, selected, `${what} on bus #${bus.id}`, (nonce) => ({
      tx: bid
        ? api.tx.EnergyBus.place_bid({
            bus_id: bus.id,
            energy_wh: wh,
            limit_price_per_kwh: price,
            into_factory: key,
            nonce,
          })
        : api.tx.EnergyBus.place_ask({
            bus_id: bus.id,
            factory: key,
            energy_wh: wh,
            limit_price_per_kwh: price,
            nonce,
          }),
      receipt: orderReceipt(selected.address, nonce, side, bus.id, key, wh, price),
    }))
      .then((result) => {
        setMessage(
          buyingMessage(
            result,
            (block) => `${what} placed in block #${block}, for ${factoryId}.`,
            "no order was placed",
          ),
        )
        if (result.kind !== "failed") {
          setValue("")
          setTried(false)
        }
      })
      .finally(() => setBusy(false))
  }

  const title = bid ? "Bid" : "Ask"
  return (
    <form className="panel" onSubmit={place} noValidate aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{bid ? "Bid: buy in this round" : "Ask: sell in this round"}</h4>
      <div className="form-grid">
        <EnergyInput
          id={`${id}-amount`}
          label={bid ? "Energy to buy" : "Energy to sell"}
          value={value}
          unit={unit}
          onValue={setValue}
          onUnit={setUnit}
          error={tried || value ? problems.amount : undefined}
        />
        <div className="field">
          <label htmlFor={`${id}-limit`}>
            {bid ? "Highest price (ECT per kWh)" : "Lowest price (ECT per kWh)"}
          </label>
          <input
            id={`${id}-limit`}
            inputMode="decimal"
            list={GRID_PRICES}
            value={limit}
            onChange={(event) => setLimit(event.target.value)}
            aria-invalid={problems.limit !== undefined}
            aria-describedby={`${id}-limit-error`}
          />
          <span id={`${id}-limit-error`} className="field-error">
            {problems.limit}
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-factory`}>{bid ? "Into factory" : "From factory"}</label>
          <select
            id={`${id}-factory`}
            value={factoryId}
            onChange={(event) => setFactoryId(event.target.value)}
          >
            {factories.map((f) => (
              <option key={text(f.id)} value={text(f.id)}>
                {text(f.id)} ({formatEnergy(f.energy_wh)})
              </option>
            ))}
          </select>
        </div>
      </div>
      <p data-testid={`${id}-held`}>
        Held until the round settles:{" "}
        {bid ? (
          <>
            <strong>{escrow !== undefined ? <Ect planck={escrow.total} exact /> : "—"}</strong>{" "}
            {gridFeePerKwh > 0n ? (
              <>
                (the energy at your limit, {escrow !== undefined ? <Ect planck={escrow.price} exact /> : "—"},
                and the round's grid fee of <Price perKwh={gridFeePerKwh} /> on all of it,{" "}
                {escrow !== undefined ? <Ect planck={escrow.gridFee} exact /> : "—"}; you pay the clearing
                price, never more, and the grid fee on what you get; the rest comes back)
              </>
            ) : (
              "(the energy at your limit; you pay the clearing price, never more, and the rest comes back)"
            )}
          </>
        ) : (
          <>
            <strong>{energyWh !== undefined ? <Energy wh={energyWh} /> : "—"}</strong> of{" "}
            {factoryId || "the factory"} in escrow (what does not sell comes back; you are paid the clearing
            price, never less than your limit)
          </>
        )}{" "}
        and an order deposit of {deposit !== undefined ? <Ect planck={deposit} /> : "—"}.
      </p>
      {problems.account && (
        <p className="field-error" role="alert">
          {problems.account}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? "Sending…" : message?.retry ? "Try again" : `Place ${title.toLowerCase()}`}
        </button>
      </div>
      {message && (
        <p className={`result ${message.kind}`} role={message.kind === "error" ? "alert" : "status"}>
          {message.text}
        </p>
      )}
    </form>
  )
}

/** The round's prices, offered by the limit fields of both forms. */
export function GridPrices({ round }: { round: Round }) {
  return (
    <datalist id={GRID_PRICES}>
      {gridPrices(round).map((price) => (
        <option key={price.toString()} value={priceText(price)} />
      ))}
    </datalist>
  )
}
