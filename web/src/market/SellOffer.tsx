// Sell on a bus: offer energy of one of your factories at a price of at least the bus's base
// price. The energy goes into escrow and commits the bus's capacity until it is bought or the
// offer is cancelled (in the offer's panel).
import { useEffect, useState, type FormEvent } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { useChain, useLive } from "../chain/ChainContext"
import { accountSummary, text, type Bus } from "../chain/queries"
import { ActionResult } from "../components/ActionResult"
import { Ect, Price } from "../components/Amounts"
import { EnergyInput } from "../components/EnergyInput"
import { useAction } from "../tx/useAction"
import {
  InputError,
  formatEct,
  formatEnergy,
  formatDuration,
  formatFixed,
  parseEct,
  readEnergy,
  totalPrice,
  type EnergyUnit,
} from "../units"

export function SellOffer({
  bus,
  availableWh,
  gridFeePerKwh,
}: {
  bus: Bus
  availableWh?: bigint
  /** The bus's grid fee now, which the offer will carry. */
  gridFeePerKwh: bigint
}) {
  const { connection, info } = useChain()
  const { selected } = useAccounts()
  const who = selected?.address
  const lifetime = useLive("offer-lifetime", (api, at) => api.view.EnergyBus.offer_lifetime({ at }))
  const account = useLive(`account:${who}`, who ? (api, at) => accountSummary(api, at, who) : undefined)
  const factories = account.value?.factories ?? []
  const action = useAction()
  const [factoryId, setFactoryId] = useState("")
  const [value, setValue] = useState("")
  const [unit, setUnit] = useState<EnergyUnit>("kWh")
  const [price, setPrice] = useState(() => formatFixed(bus.base_price_per_kwh, 12).replace(/,/g, ""))
  const [tried, setTried] = useState(false)

  useEffect(() => {
    if (!factories.some((f) => text(f.id) === factoryId) && factories[0]) setFactoryId(text(factories[0].id))
  }, [factories, factoryId])

  if (!who || factories.length === 0) return null
  const factory = factories.find((f) => text(f.id) === factoryId)

  const problems: { amount?: string; price?: string } = {}
  const { wh: energyWh, error: energyError } = readEnergy(value, unit)
  let perKwh: bigint | undefined
  if (energyError) problems.amount = energyError
  else if (factory && energyWh !== undefined && energyWh > factory.energy_wh)
    problems.amount = `${factoryId} holds only ${formatEnergy(factory.energy_wh)}.`
  else if (availableWh !== undefined && energyWh !== undefined && energyWh > availableWh)
    problems.amount = `The bus has only ${formatEnergy(availableWh)} of capacity free.`
  try {
    perKwh = parseEct(price)
    if (perKwh < bus.base_price_per_kwh)
      problems.price = `At least the bus's base price of ${formatEct(bus.base_price_per_kwh, 12)}/kWh.`
  } catch (error) {
    problems.price = error instanceof InputError ? error.message : String(error)
  }
  const worth = energyWh !== undefined && perKwh !== undefined ? totalPrice(energyWh, perKwh) : undefined

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setTried(true)
    const problem = problems.amount ?? problems.price
    if (problem || energyWh === undefined || perKwh === undefined || !factory || !connection)
      return action.refuse(problem ?? "Not connected")
    const wh = energyWh
    void action
      .send(
        `Offer ${formatEnergy(wh)} of ${factoryId} on bus #${bus.id}`,
        connection.api.tx.EnergyBus.create_offer({
          bus_id: bus.id,
          factory: factory.id,
          energy_wh: wh,
          price_per_kwh: perKwh,
        }),
        (block) => `Offered ${formatEnergy(wh)} of ${factoryId} in block #${block}; the energy is in escrow.`,
      )
      .then((outcome) => outcome?.ok && (setValue(""), setTried(false)))
  }

  return (
    <details className="panel sell">
      <summary>Sell on this bus</summary>
      <form onSubmit={submit} noValidate className="form-grid" aria-label="Sell on this bus">
        <div className="field">
          <label htmlFor="sell-factory">From factory</label>
          <select id="sell-factory" value={factoryId} onChange={(event) => setFactoryId(event.target.value)}>
            {factories.map((f) => (
              <option key={text(f.id)} value={text(f.id)}>
                {text(f.id)} ({formatEnergy(f.energy_wh)})
              </option>
            ))}
          </select>
        </div>
        <EnergyInput
          id="sell-amount"
          label="Energy to offer"
          value={value}
          unit={unit}
          onValue={setValue}
          onUnit={setUnit}
          error={tried || value ? problems.amount : undefined}
        />
        <div className="field">
          <label htmlFor="sell-price">Price (ECT per kWh)</label>
          <input
            id="sell-price"
            inputMode="decimal"
            value={price}
            onChange={(event) => setPrice(event.target.value)}
            aria-invalid={problems.price !== undefined}
            aria-describedby="sell-price-error"
          />
          <span id="sell-price-error" className="field-error">
            {problems.price}
          </span>
        </div>
        <p>
          Worth <strong data-testid="sell-total">{worth !== undefined ? <Ect planck={worth} /> : "—"}</strong>{" "}
          when all of it sells.
          {gridFeePerKwh > 0n && (
            <>
              {" "}
              Buyers also pay the bus's grid fee of <Price perKwh={gridFeePerKwh} />, to its owners; the offer
              keeps this fee if they change it.
            </>
          )}
        </p>
        <p className="muted" data-testid="sell-lifetime">
          It stays open{" "}
          {lifetime.value !== undefined ? formatDuration(lifetime.value, info?.blockMs ?? 6000) : "—"}; then
          its unsold energy returns to the factory (cancel it to end it sooner).
        </p>
        <div className="actions">
          <button type="submit" disabled={action.busy}>
            Create offer
          </button>
        </div>
      </form>
      <ActionResult message={action.message} />
    </details>
  )
}
