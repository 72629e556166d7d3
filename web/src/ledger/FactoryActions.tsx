// What the chosen account may do with a factory: its meter records generation (within the
// factory's allowance) and consumption; its owner transfers energy, offers trades and asks the
// registrar for another meter; the registrar (the sudo key) sets its meter and rating. Inputs are
// checked before anything is signed.
import { useState, type FormEvent } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { parseAddress } from "../accounts/address"
import { useChain, useLive } from "../chain/ChainContext"
import { allowanceWh, factoryKey, text, type Factory, type Rating } from "../chain/queries"
import { ActionResult } from "../components/ActionResult"
import { Ect } from "../components/Amounts"
import { EnergyInput } from "../components/EnergyInput"
import { PowerInput } from "../components/PowerInput"
import { useAction } from "../tx/useAction"
import {
  InputError,
  formatEnergy,
  formatPower,
  parseEct,
  readEnergy,
  readPowerKw,
  totalPrice,
  type EnergyUnit,
} from "../units"

export function FactoryActions({ factory, rating }: { factory: Factory; rating: Rating }) {
  const { selected } = useAccounts()
  const sudo = useLive("sudo-key", (api, at) => api.query.Sudo.Key.getValue({ at }))
  const isMeter = selected?.address === factory.meter
  const isOwner = selected?.address === factory.owner
  const isRegistrar = selected !== undefined && selected.address === sudo.value
  if (!isMeter && !isOwner && !isRegistrar) {
    return (
      <p className="muted">
        The chosen account is neither this factory's owner nor its meter: it has nothing to do here.
      </p>
    )
  }
  return (
    <div className="actions-grid">
      {isMeter && <MeterForm factory={factory} rating={rating} />}
      {isOwner && <TransferForm factory={factory} />}
      {isOwner && <TradeForm factory={factory} />}
      {isOwner && <RequestMeterForm factory={factory} />}
      {isRegistrar && <RegistrarForm factory={factory} />}
    </div>
  )
}

function MeterForm({ factory, rating }: { factory: Factory; rating: Rating }) {
  const { connection } = useChain()
  const action = useAction()
  const [value, setValue] = useState("")
  const [unit, setUnit] = useState<EnergyUnit>("kWh")
  const [tried, setTried] = useState(false)
  const id = text(factory.id)
  const { wh, error } = readEnergy(value, unit)
  const consumeError =
    wh !== undefined && wh > factory.energy_wh
      ? `${id} holds only ${formatEnergy(factory.energy_wh)}.`
      : undefined
  const allowance = allowanceWh(rating)
  const mintError =
    wh !== undefined && wh > allowance
      ? `The meter may report at most ${formatEnergy(allowance)} now: a day's production at ${id}'s rated ${formatPower(rating.rated_power_w)}, refilled as time passes.`
      : undefined

  const report = (kind: "mint" | "consume") => {
    setTried(true)
    const problem = error ?? (kind === "consume" ? consumeError : mintError)
    if (problem || wh === undefined || !connection) return action.refuse(problem ?? "Not connected")
    const args = { factory_id: factory.id, energy_wh: wh }
    const tx =
      kind === "mint"
        ? connection.api.tx.EnergyTrading.mint_energy(args)
        : connection.api.tx.EnergyTrading.consume_energy(args)
    void action
      .send(
        `${kind === "mint" ? "Mint" : "Consume"} ${formatEnergy(wh)} at ${id}`,
        tx,
        (block) =>
          `${kind === "mint" ? "Recorded generation of" : "Recorded consumption of"} ${formatEnergy(wh)} at ${id} in block #${block}.`,
      )
      .then((outcome) => outcome?.ok && (setValue(""), setTried(false)))
  }

  return (
    <form
      className="panel"
      onSubmit={(event) => (event.preventDefault(), report("mint"))}
      noValidate
      aria-labelledby="meter-title"
    >
      <h3 id="meter-title">Meter reading</h3>
      <p className="muted">
        Generation may add up to <strong data-testid="meter-allowance">{formatEnergy(allowance)}</strong> now
        (rated {formatPower(rating.rated_power_w)}).
      </p>
      <EnergyInput
        id="meter-amount"
        label="Energy"
        value={value}
        unit={unit}
        onValue={setValue}
        onUnit={setUnit}
        error={tried || value ? error : undefined}
      />
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Record generation (mint)
        </button>
        <button type="button" className="secondary" disabled={action.busy} onClick={() => report("consume")}>
          Record consumption
        </button>
      </div>
      <ActionResult message={action.message} />
    </form>
  )
}

function TransferForm({ factory }: { factory: Factory }) {
  const { connection } = useChain()
  const action = useAction()
  const [to, setTo] = useState("")
  const [value, setValue] = useState("")
  const [unit, setUnit] = useState<EnergyUnit>("kWh")
  const [tried, setTried] = useState(false)
  const id = text(factory.id)
  const read = readEnergy(value, unit)
  const amountError =
    read.error ??
    (read.wh !== undefined && read.wh > factory.energy_wh
      ? `${id} holds only ${formatEnergy(factory.energy_wh)}.`
      : undefined)
  const toError =
    to.trim() === ""
      ? "Enter the receiving factory's id, such as Factory04."
      : to.trim() === id
        ? "A factory cannot transfer to itself."
        : undefined

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setTried(true)
    const problem = toError ?? amountError
    if (problem || read.wh === undefined || !connection) return action.refuse(problem ?? "Not connected")
    const wh = read.wh
    void action
      .send(
        `Transfer ${formatEnergy(wh)} ${id} → ${to.trim()}`,
        connection.api.tx.EnergyTrading.transfer_energy({
          from: factory.id,
          to: factoryKey(to.trim()),
          energy_wh: wh,
        }),
        (block) => `Transferred ${formatEnergy(wh)} to ${to.trim()} in block #${block}.`,
      )
      .then((outcome) => outcome?.ok && (setValue(""), setTried(false)))
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="transfer-title">
      <h3 id="transfer-title">Transfer energy</h3>
      <div className="field">
        <label htmlFor="transfer-to">To factory</label>
        <input
          id="transfer-to"
          value={to}
          onChange={(event) => setTo(event.target.value)}
          aria-invalid={tried && toError !== undefined}
        />
        <span className="field-error">{tried ? toError : undefined}</span>
      </div>
      <EnergyInput
        id="transfer-amount"
        label="Energy"
        value={value}
        unit={unit}
        onValue={setValue}
        onUnit={setUnit}
        error={tried || value ? amountError : undefined}
      />
      <button type="submit" disabled={action.busy}>
        Transfer
      </button>
      <ActionResult message={action.message} />
    </form>
  )
}

function TradeForm({ factory }: { factory: Factory }) {
  const { connection } = useChain()
  const action = useAction()
  const [buyer, setBuyer] = useState("")
  const [value, setValue] = useState("")
  const [unit, setUnit] = useState<EnergyUnit>("kWh")
  const [price, setPrice] = useState("")
  const [tried, setTried] = useState(false)
  const id = text(factory.id)
  // What a trade holds from its creator, and how many more this factory may open as seller.
  const terms = useLive(`trade-terms:${id}`, async (api, at) => ({
    deposit: await api.constants.EnergyTrading.TradeDeposit(),
    maxPending: await api.constants.EnergyTrading.MaxPendingTrades(),
    pending: await api.view.EnergyTrading.pending_trade_count(factory.id, { at }),
  }))
  const slotsError =
    terms.value && terms.value.pending >= terms.value.maxPending
      ? `${id} has ${terms.value.pending} pending trades, the most a seller may have: cancel one, or wait until one is executed.`
      : undefined
  const read = readEnergy(value, unit)
  const amountError =
    read.error ??
    (read.wh !== undefined && read.wh > factory.energy_wh
      ? `${id} holds only ${formatEnergy(factory.energy_wh)}.`
      : undefined)
  const buyerError =
    buyer.trim() === ""
      ? "Enter the buying factory's id, such as Factory04."
      : buyer.trim() === id
        ? "A factory cannot trade with itself."
        : undefined
  let pricePlanck: bigint | undefined
  let priceError: string | undefined
  try {
    pricePlanck = parseEct(price)
  } catch (error) {
    priceError = error instanceof InputError ? error.message : String(error)
  }
  const total =
    read.wh !== undefined && pricePlanck !== undefined ? totalPrice(read.wh, pricePlanck) : undefined

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setTried(true)
    const problem = slotsError ?? buyerError ?? amountError ?? priceError
    if (problem || read.wh === undefined || pricePlanck === undefined || !connection)
      return action.refuse(problem ?? "Not connected")
    const wh = read.wh
    const perKwh = pricePlanck
    void action
      .send(
        `Offer ${formatEnergy(wh)} of ${id} to ${buyer.trim()}`,
        connection.api.tx.EnergyTrading.create_trade({
          seller: factory.id,
          buyer: factoryKey(buyer.trim()),
          energy_wh: wh,
          price_per_kwh: perKwh,
        }),
        (block) =>
          `Trade created in block #${block}: ${formatEnergy(wh)} escrowed and the deposit held until ${buyer.trim()}'s owner executes it or either side cancels it.`,
      )
      .then((outcome) => outcome?.ok && (setValue(""), setTried(false)))
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="trade-title">
      <h3 id="trade-title">Create a trade</h3>
      <div className="field">
        <label htmlFor="trade-buyer">Buyer factory</label>
        <input
          id="trade-buyer"
          value={buyer}
          onChange={(event) => setBuyer(event.target.value)}
          aria-invalid={tried && buyerError !== undefined}
        />
        <span className="field-error">{tried ? buyerError : undefined}</span>
      </div>
      <EnergyInput
        id="trade-amount"
        label="Energy"
        value={value}
        unit={unit}
        onValue={setValue}
        onUnit={setUnit}
        error={tried || value ? amountError : undefined}
      />
      <div className="field">
        <label htmlFor="trade-price">Price (ECT per kWh)</label>
        <input
          id="trade-price"
          inputMode="decimal"
          value={price}
          onChange={(event) => setPrice(event.target.value)}
          aria-invalid={(tried || price !== "") && priceError !== undefined}
        />
        <span className="field-error">{tried || price !== "" ? priceError : undefined}</span>
      </div>
      <p>
        Total <strong data-testid="trade-total">{total !== undefined ? <Ect planck={total} /> : "—"}</strong>
      </p>
      <p className="muted" data-testid="trade-deposit">
        Deposit held until the trade is executed or cancelled:{" "}
        {terms.value ? <Ect planck={terms.value.deposit} /> : "—"}
        {terms.value &&
          ` (${id} has ${terms.value.pending} of at most ${terms.value.maxPending} pending trades)`}
        .
      </p>
      <span className="field-error">{slotsError}</span>
      <button type="submit" disabled={action.busy}>
        Create trade
      </button>
      <ActionResult message={action.message} />
    </form>
  )
}

/** The owner asks the registrar for another meter: meters are the registrar's to assign. */
function RequestMeterForm({ factory }: { factory: Factory }) {
  const { connection } = useChain()
  const { accounts } = useAccounts()
  const action = useAction()
  const [meter, setMeter] = useState("")
  const [tried, setTried] = useState(false)
  const id = text(factory.id)
  const request = useLive(`meter-request:${id}`, (api, at) =>
    api.view.EnergyTrading.meter_request(factory.id, { at }),
  )
  const read = parseAddress(meter, accounts)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setTried(true)
    if (!read.address || !connection) return action.refuse(read.error ?? "Not connected")
    const address = read.address
    void action
      .send(
        `Ask for ${address} as ${id}'s meter`,
        connection.api.tx.EnergyTrading.request_meter({ factory_id: factory.id, meter: address }),
        (block) => `Asked the registrar in block #${block}; the meter changes when the registrar sets it.`,
      )
      .then((outcome) => outcome?.ok && (setMeter(""), setTried(false)))
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="request-meter-title">
      <h3 id="request-meter-title">Ask for another meter</h3>
      <p className="muted">
        The registrar assigns meters, so that no owner reports its own generation unchecked.
        {request.value && (
          <>
            {" "}
            Pending request: <span data-testid="meter-request">{request.value}</span>.
          </>
        )}
      </p>
      <div className="field">
        <label htmlFor="request-meter">Meter account (an address, or a dev name such as Eve)</label>
        <input
          id="request-meter"
          value={meter}
          onChange={(event) => setMeter(event.target.value)}
          spellCheck={false}
          aria-invalid={tried && !read.address}
        />
        <span className="field-error">{tried ? read.error : undefined}</span>
      </div>
      <button type="submit" disabled={action.busy}>
        Ask the registrar
      </button>
      <ActionResult message={action.message} />
    </form>
  )
}

/** The registrar (the sudo key) sets a factory's meter and its rated power, through `Sudo.sudo`. */
function RegistrarForm({ factory }: { factory: Factory }) {
  const { connection } = useChain()
  const { accounts } = useAccounts()
  const action = useAction()
  const [meter, setMeter] = useState("")
  const [ratedKw, setRatedKw] = useState("")
  const [tried, setTried] = useState<"meter" | "rating" | undefined>()
  const id = text(factory.id)
  const meterRead = parseAddress(meter, accounts)
  const { watts: ratedW, error: ratedError } = readPowerKw(ratedKw)

  const setMeterCall = () => {
    setTried("meter")
    if (!meterRead.address || !connection) return action.refuse(meterRead.error ?? "Not connected")
    const address = meterRead.address
    const call = connection.api.tx.EnergyTrading.set_meter({ factory_id: factory.id, meter: address })
    void action.send(
      `Set ${id}'s meter (sudo)`,
      connection.api.tx.Sudo.sudo({ call: call.decodedCall }),
      (block) => `${id} is metered by ${address} from block #${block}.`,
    )
  }
  const setRating = () => {
    setTried("rating")
    if (ratedW === undefined || !connection) return action.refuse(ratedError ?? "Not connected")
    const watts = ratedW
    const call = connection.api.tx.EnergyTrading.set_rated_power({
      factory_id: factory.id,
      rated_power_w: watts,
    })
    void action.send(
      `Rate ${id} at ${formatPower(watts)} (sudo)`,
      connection.api.tx.Sudo.sudo({ call: call.decodedCall }),
      (block) => `${id} is rated ${formatPower(watts)} from block #${block}.`,
    )
  }

  return (
    <form
      className="panel"
      onSubmit={(event) => event.preventDefault()}
      noValidate
      aria-labelledby="registrar-title"
    >
      <h3 id="registrar-title">Registrar (sudo)</h3>
      <div className="field">
        <label htmlFor="registrar-meter">Meter account</label>
        <input
          id="registrar-meter"
          value={meter}
          onChange={(event) => setMeter(event.target.value)}
          spellCheck={false}
          aria-invalid={tried === "meter" && !meterRead.address}
        />
        <span className="field-error">{tried === "meter" ? meterRead.error : undefined}</span>
      </div>
      <button type="button" disabled={action.busy} onClick={setMeterCall}>
        Set meter
      </button>
      <PowerInput
        id="registrar-rated"
        value={ratedKw}
        onValue={setRatedKw}
        error={tried === "rating" ? ratedError : undefined}
      />
      <button type="button" disabled={action.busy} onClick={setRating}>
        Set rating
      </button>
      <ActionResult message={action.message} />
    </form>
  )
}
