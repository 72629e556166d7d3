// Register a factory. Registration is Root's (the ledger's `RegistrarOrigin`), so the app offers
// it only to the sudo key's account and sends it through `Sudo.sudo`; the call inside succeeds
// or fails on its own, and the app reports that inner result.
import { useState, type FormEvent } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { parseAddress } from "../accounts/address"
import { useChain, useLive } from "../chain/ChainContext"
import { factoryKey } from "../chain/queries"
import { ActionResult } from "../components/ActionResult"
import { EnergyInput } from "../components/EnergyInput"
import { PowerInput } from "../components/PowerInput"
import { navigate } from "../route"
import { useAction } from "../tx/useAction"
import { InputError, formatEnergy, formatPower, parseEnergy, readPowerKw, type EnergyUnit } from "../units"

const ENERGY_TYPES = [
  "Solar",
  "Wind",
  "Hydro",
  "Kinetic",
  "Biomass",
  "Geothermal",
  "Storage",
  "Other",
] as const
type EnergyType = (typeof ENERGY_TYPES)[number]

export function RegisterFactory() {
  const { connection } = useChain()
  const { selected, accounts } = useAccounts()
  const limits = useLive("factory-limits", async (api, at) => ({
    sudo: await api.query.Sudo.Key.getValue({ at }),
    maxId: await api.constants.EnergyTrading.MaxIdLength(),
    maxName: await api.constants.EnergyTrading.MaxNameLength(),
  }))
  const action = useAction()
  const [id, setId] = useState("")
  const [name, setName] = useState("")
  const [type, setType] = useState<EnergyType>("Solar")
  const [owner, setOwner] = useState("")
  const [meter, setMeter] = useState("")
  const [ratedKw, setRatedKw] = useState("")
  const [value, setValue] = useState("0")
  const [unit, setUnit] = useState<EnergyUnit>("kWh")
  const [tried, setTried] = useState(false)

  if (!limits.value?.sudo || selected?.address !== limits.value.sudo) return null
  const { maxId, maxName } = limits.value

  const problems: {
    id?: string
    name?: string
    owner?: string
    meter?: string
    rated?: string
    energy?: string
  } = {}
  const idBytes = factoryKey(id.trim())
  if (idBytes.length === 0) problems.id = "Enter an id, such as Factory21."
  else if (idBytes.length > maxId) problems.id = `At most ${maxId} bytes.`
  const nameBytes = new TextEncoder().encode(name.trim())
  if (nameBytes.length > maxName) problems.name = `At most ${maxName} bytes.`
  const ownerRead = parseAddress(owner, accounts)
  if (!ownerRead.address) problems.owner = ownerRead.error
  const meterRead = meter.trim() === "" ? { address: undefined } : parseAddress(meter, accounts)
  if (meter.trim() !== "" && !meterRead.address) problems.meter = meterRead.error
  const { watts: ratedW, error: ratedError } = readPowerKw(ratedKw)
  if (ratedError) problems.rated = ratedError
  let energyWh: bigint | undefined
  try {
    // Zero is a valid start; parseEnergy refuses it for amounts that move energy.
    energyWh = /^\s*0*\.?0*\s*$/.test(value) && /0/.test(value) ? 0n : parseEnergy(value, unit)
  } catch (error) {
    problems.energy = error instanceof InputError ? error.message : String(error)
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setTried(true)
    const problem =
      problems.id ?? problems.name ?? problems.owner ?? problems.meter ?? problems.rated ?? problems.energy
    if (problem || !ownerRead.address || energyWh === undefined || ratedW === undefined || !connection)
      return action.refuse(problem ?? "Not connected")
    const factoryId = id.trim()
    const wh = energyWh
    const register = connection.api.tx.EnergyTrading.register_factory({
      id: idBytes,
      name: nameBytes,
      energy_type: { type, value: undefined },
      owner: ownerRead.address,
      meter: meterRead.address,
      rated_power_w: ratedW,
      initial_energy_wh: wh,
    })
    const rated = formatPower(ratedW)
    void action
      .send(
        `Register ${factoryId} (sudo)`,
        connection.api.tx.Sudo.sudo({ call: register.decodedCall }),
        (block) => `Registered ${factoryId} with ${formatEnergy(wh)}, rated ${rated}, in block #${block}.`,
      )
      .then((outcome) => outcome?.ok && navigate({ page: "factories", factoryId }))
  }

  const show = (error: string | undefined) => (tried ? error : undefined)
  return (
    <details className="panel">
      <summary>Register a factory (sudo)</summary>
      <form onSubmit={submit} noValidate aria-label="Register a factory" className="form-grid">
        <div className="field">
          <label htmlFor="reg-id">Factory id</label>
          <input
            id="reg-id"
            value={id}
            onChange={(e) => setId(e.target.value)}
            aria-invalid={!!show(problems.id)}
          />
          <span className="field-error">{show(problems.id)}</span>
        </div>
        <div className="field">
          <label htmlFor="reg-name">Display name</label>
          <input id="reg-name" value={name} onChange={(e) => setName(e.target.value)} />
          <span className="field-error">{show(problems.name)}</span>
        </div>
        <div className="field">
          <label htmlFor="reg-type">Energy type</label>
          <select id="reg-type" value={type} onChange={(e) => setType(e.target.value as EnergyType)}>
            {ENERGY_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="reg-owner">Owner (an address, or a dev name such as Ferdie)</label>
          <input id="reg-owner" value={owner} onChange={(e) => setOwner(e.target.value)} spellCheck={false} />
          <span className="field-error">{show(problems.owner)}</span>
        </div>
        <div className="field">
          <label htmlFor="reg-meter">Meter (empty: the owner)</label>
          <input id="reg-meter" value={meter} onChange={(e) => setMeter(e.target.value)} spellCheck={false} />
          <span className="field-error">{show(problems.meter)}</span>
        </div>
        <PowerInput id="reg-rated" value={ratedKw} onValue={setRatedKw} error={show(problems.rated)} />
        <EnergyInput
          id="reg-energy"
          label="Starting energy"
          value={value}
          unit={unit}
          onValue={setValue}
          onUnit={setUnit}
          error={show(problems.energy)}
        />
        <div className="actions">
          <button type="submit" disabled={action.busy}>
            Register factory
          </button>
        </div>
      </form>
      <ActionResult message={action.message} />
    </details>
  )
}
