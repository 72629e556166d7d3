// Create an energy bus with several co-owners: its name, owners, capacity and base price, and
// the deposit held from the creator until the bus closes.
import { useState, type FormEvent } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { parseAddress } from "../accounts/address"
import { useChain, useLive } from "../chain/ChainContext"
import { ActionResult } from "../components/ActionResult"
import { Ect } from "../components/Amounts"
import { EnergyInput } from "../components/EnergyInput"
import { navigate } from "../route"
import { useAction } from "../tx/useAction"
import { InputError, parseEct, parseEnergy, type EnergyUnit } from "../units"

export function CreateBus() {
  const { connection } = useChain()
  const { accounts } = useAccounts()
  const action = useAction()
  const limits = useLive("bus-limits", async (api) => ({
    deposit: await api.constants.EnergyBus.BusDeposit(),
    maxOwners: await api.constants.EnergyBus.MaxOwners(),
    maxName: await api.constants.EnergyBus.MaxBusNameLength(),
  }))
  const [name, setName] = useState("")
  const [owners, setOwners] = useState("")
  const [capacity, setCapacity] = useState("")
  const [unit, setUnit] = useState<EnergyUnit>("kWh")
  const [price, setPrice] = useState("")
  const [tried, setTried] = useState(false)

  const problems: { name?: string; owners?: string; capacity?: string; price?: string } = {}
  const nameBytes = new TextEncoder().encode(name.trim())
  if (nameBytes.length === 0) problems.name = "Enter a name, such as Solar Farm C."
  else if (limits.value && nameBytes.length > limits.value.maxName)
    problems.name = `At most ${limits.value.maxName} bytes.`
  const lines = owners
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean)
  const ownerAddresses: string[] = []
  for (const line of lines) {
    const { address, error } = parseAddress(line, accounts)
    if (!address) {
      problems.owners = error
      break
    }
    if (ownerAddresses.includes(address)) {
      problems.owners = `${line} is listed twice.`
      break
    }
    ownerAddresses.push(address)
  }
  if (!problems.owners && lines.length === 0) problems.owners = "Enter at least one co-owner."
  if (!problems.owners && limits.value && lines.length > limits.value.maxOwners)
    problems.owners = `At most ${limits.value.maxOwners} co-owners.`
  let capacityWh: bigint | undefined
  let pricePlanck: bigint | undefined
  try {
    capacityWh = parseEnergy(capacity, unit)
  } catch (error) {
    problems.capacity = error instanceof InputError ? error.message : String(error)
  }
  try {
    pricePlanck = parseEct(price)
  } catch (error) {
    problems.price = error instanceof InputError ? error.message : String(error)
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setTried(true)
    const problem = problems.name ?? problems.owners ?? problems.capacity ?? problems.price
    if (problem || !connection || capacityWh === undefined || pricePlanck === undefined)
      return action.refuse(problem ?? "Not connected")
    const outcome = await action.send(
      `Create bus ${name.trim()}`,
      connection.api.tx.EnergyBus.create_energy_bus({
        name: nameBytes,
        owners: ownerAddresses,
        capacity_wh: capacityWh,
        base_price_per_kwh: pricePlanck,
      }),
      (block) => `Bus ${name.trim()} created in block #${block}.`,
    )
    const created = outcome?.ok ? outcome.events.find((e) => e.name === "EnergyBus.BusCreated") : undefined
    if (created) navigate({ page: "market", busId: (created.value as { bus_id: number }).bus_id })
  }

  const show = (error: string | undefined) => (tried ? error : undefined)
  return (
    <details className="panel create-bus">
      <summary>Create a bus</summary>
      <form onSubmit={submit} noValidate aria-label="Create a bus" className="form-grid">
        <div className="field">
          <label htmlFor="bus-name">Name</label>
          <input
            id="bus-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={tried && problems.name !== undefined}
          />
          <span className="field-error">{show(problems.name)}</span>
        </div>
        <div className="field">
          <label htmlFor="bus-owners">Co-owners (one per line: an address, or a dev name such as Bob)</label>
          <textarea
            id="bus-owners"
            rows={3}
            value={owners}
            onChange={(event) => setOwners(event.target.value)}
            aria-invalid={tried && problems.owners !== undefined}
          />
          <span className="field-error">{tried || owners ? problems.owners : undefined}</span>
        </div>
        <EnergyInput
          id="bus-capacity"
          label="Capacity"
          value={capacity}
          unit={unit}
          onValue={setCapacity}
          onUnit={setUnit}
          error={show(problems.capacity)}
        />
        <div className="field">
          <label htmlFor="bus-price">Base price (ECT per kWh)</label>
          <input
            id="bus-price"
            inputMode="decimal"
            value={price}
            onChange={(event) => setPrice(event.target.value)}
            aria-invalid={tried && problems.price !== undefined}
          />
          <span className="field-error">{show(problems.price)}</span>
        </div>
        <p className="summary">
          Deposit held until the bus closes: {limits.value ? <Ect planck={limits.value.deposit} /> : "—"}.
          Changes start with a threshold of one owner; raise it with a proposal.
        </p>
        <div>
          <button type="submit" disabled={action.busy}>
            Create bus
          </button>
        </div>
      </form>
      <ActionResult message={action.message} />
    </details>
  )
}
