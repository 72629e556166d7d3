// A bus's co-owners deciding together: the pending changes with who approved them, an approve
// button (approve_bus_change, by the proposal's id) for the owners who have not, a withdraw
// button for the owner who opened it (each owner may have 4 open on a bus), and a form to
// propose a change (its capacity, prices, owners, auctions, grid fee and the owners' fee shares).
import { useState, type FormEvent } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { shortAddress } from "../accounts/accounts"
import { parseAddress } from "../accounts/address"
import { useChain, useLive } from "../chain/ChainContext"
import { proposals, type Bus, type BusChange, type Proposal } from "../chain/queries"
import { ActionResult } from "../components/ActionResult"
import { EnergyInput } from "../components/EnergyInput"
import { useAction } from "../tx/useAction"
import { InputError, formatFixed, parseEct, parseEnergy, type EnergyUnit } from "../units"
import { MAX_FEE_SHARES, changeCall, describeChange } from "./governance"

export function BusGovernance({ bus }: { bus: Bus }) {
  const { selected, nameOf } = useAccounts()
  const pending = useLive(`proposals:${bus.id}`, (api, at) => proposals(api, at, bus.id))
  const isOwner = selected !== undefined && bus.owners.includes(selected.address)
  const name = (address: string) => nameOf(address) ?? shortAddress(address)
  return (
    <section aria-labelledby="governance-title">
      <h3 id="governance-title">Changes to this bus</h3>
      {pending.value && pending.value.length === 0 && (
        <p className="muted">No change is waiting for approvals.</p>
      )}
      {pending.value && pending.value.length > 0 && (
        <ul className="proposals" aria-label="Pending changes">
          {pending.value.map((proposal) => (
            <PendingChange key={proposal.id} bus={bus} proposal={proposal} isOwner={isOwner} name={name} />
          ))}
        </ul>
      )}
      {isOwner ? (
        <ProposeForm bus={bus} />
      ) : (
        <p className="muted">Only the bus's co-owners propose and approve changes.</p>
      )}
    </section>
  )
}

function PendingChange({
  bus,
  proposal,
  isOwner,
  name,
}: {
  bus: Bus
  proposal: Proposal
  isOwner: boolean
  name: (address: string) => string
}) {
  const { connection } = useChain()
  const { selected } = useAccounts()
  const action = useAction()
  const approved = selected !== undefined && proposal.approvals.includes(selected.address)
  // Its first approver opened it, and may withdraw it.
  const opened = selected !== undefined && proposal.approvals[0] === selected.address
  const text = describeChange(proposal.change, name)
  return (
    <li aria-label={text}>
      <strong>{text}</strong> (proposal {proposal.id}): approved by {proposal.approvals.map(name).join(", ")}{" "}
      ({proposal.approvals.length} of {bus.approval_threshold} needed), lapses after block #
      {proposal.expires_at}.
      {isOwner && !approved && connection && (
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            void action.send(
              `Approve: ${text}`,
              connection.api.tx.EnergyBus.approve_bus_change({
                bus_id: bus.id,
                proposal_id: proposal.id,
              }),
              (block) => `Approved in block #${block}.`,
            )
          }
        >
          Approve
        </button>
      )}
      {approved && <span className="muted"> You approved it.</span>}
      {opened && connection && (
        <button
          type="button"
          className="secondary"
          disabled={action.busy}
          onClick={() =>
            void action.send(
              `Withdraw: ${text}`,
              connection.api.tx.EnergyBus.withdraw_bus_change({
                bus_id: bus.id,
                proposal_id: proposal.id,
              }),
              (block) => `Withdrawn in block #${block}.`,
            )
          }
        >
          Withdraw
        </button>
      )}
      <ActionResult message={action.message} />
    </li>
  )
}

// "StopAuctions" is SetAuction without settings.
type Kind = BusChange["type"] | "StopAuctions"
const KINDS: { kind: Kind; label: string }[] = [
  { kind: "SetCapacity", label: "Set the capacity" },
  { kind: "SetBasePrice", label: "Set the base price" },
  { kind: "SetApprovalThreshold", label: "Set the approval threshold" },
  { kind: "AddOwner", label: "Add a co-owner" },
  { kind: "RemoveOwner", label: "Remove a co-owner" },
  { kind: "SetAuction", label: "Run auctions (or change their rounds)" },
  { kind: "StopAuctions", label: "Stop the auctions" },
  { kind: "SetGridFee", label: "Set the grid fee" },
  { kind: "SetFeeShares", label: "Set an owner's fee shares" },
  { kind: "Close", label: "Close the bus" },
]

/** A whole number from `min` to `max`, or an error naming `what`. */
function wholeNumber(text: string, what: string, min: number, max: number): number {
  const n = Number(text.trim())
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
    const range = (k: number) => formatFixed(BigInt(k), 0)
    throw new InputError(`${what} is a whole number from ${range(min)} to ${range(max)}.`)
  }
  return n
}

function ProposeForm({ bus }: { bus: Bus }) {
  const { connection } = useChain()
  const { accounts, nameOf } = useAccounts()
  const action = useAction()
  const [kind, setKind] = useState<Kind>("SetCapacity")
  const [value, setValue] = useState("")
  const [unit, setUnit] = useState<EnergyUnit>("kWh")
  const limits = useLive("auction-limits", async (api) => ({
    maxRound: await api.constants.EnergyBus.MaxRoundLength(),
    maxTicks: await api.constants.EnergyBus.MaxTicks(),
  }))
  const [tickSize, setTickSize] = useState("0.01")
  const [ticks, setTicks] = useState("100")
  const [shares, setShares] = useState("")
  const [tried, setTried] = useState(false)

  const read = (): { change?: BusChange; error?: string } => {
    try {
      switch (kind) {
        case "SetCapacity":
          return { change: { type: kind, value: parseEnergy(value, unit) } }
        case "SetBasePrice":
          return { change: { type: kind, value: parseEct(value) } }
        case "SetApprovalThreshold": {
          const n = Number(value.trim())
          if (!/^\d+$/.test(value.trim()) || n < 1 || n > bus.owners.length) {
            return {
              error: `The threshold is a whole number from 1 to ${bus.owners.length} (the number of owners).`,
            }
          }
          return { change: { type: kind, value: n } }
        }
        case "AddOwner":
        case "RemoveOwner": {
          const { address, error } = parseAddress(value, accounts)
          if (!address) return { error }
          if (kind === "AddOwner" && bus.owners.includes(address))
            return { error: "That account is already a co-owner." }
          if (kind === "RemoveOwner" && !bus.owners.includes(address))
            return { error: "That account is not a co-owner." }
          return { change: { type: kind, value: address } }
        }
        case "SetAuction": {
          const round_length = wholeNumber(value, "The round length", 1, limits.value?.maxRound ?? 1)
          const tick_size = parseEct(tickSize)
          if (tick_size === 0n) return { error: "The tick size is above zero." }
          const count = wholeNumber(ticks, "The number of prices", 1, limits.value?.maxTicks ?? 1)
          return { change: { type: kind, value: { round_length, tick_size, ticks: count } } }
        }
        case "StopAuctions":
          return { change: { type: "SetAuction", value: undefined } }
        case "SetGridFee":
          return { change: { type: kind, value: parseEct(value) } }
        case "SetFeeShares": {
          const { address, error } = parseAddress(value, accounts)
          if (!address) return { error }
          if (!bus.owners.includes(address)) {
            return {
              error: `${nameOf(address) ?? shortAddress(address)} is not a co-owner of this bus: only its owners have fee shares.`,
            }
          }
          const count = wholeNumber(shares, "An owner's number of fee shares", 1, MAX_FEE_SHARES)
          return { change: { type: kind, value: [address, count] } }
        }
        case "Close":
          return { change: { type: kind, value: undefined } }
      }
    } catch (error) {
      return { error: error instanceof InputError ? error.message : String(error) }
    }
  }
  const { change, error } = read()

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setTried(true)
    if (!change || !connection) return action.refuse(error ?? "Not connected")
    const text = describeChange(change, (a) => nameOf(a) ?? shortAddress(a))
    void action
      .send(`Propose: ${text}`, changeCall(connection.api, bus.id, change), (block) =>
        bus.approval_threshold <= 1
          ? `${text}: done in block #${block}.`
          : `${text}: proposed in block #${block}; it waits for ${bus.approval_threshold - 1} more approval(s).`,
      )
      .then((outcome) => outcome?.ok && (setValue(""), setShares(""), setTried(false)))
  }

  const showError = tried || value !== "" || shares !== ""
  // A dev account's name is what the owner field takes for it; any other owner, its address.
  const devName = (address: string) =>
    accounts.find((account) => account.source === "dev" && account.address === address)?.name
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="propose-title">
      <h4 id="propose-title">Propose a change</h4>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="change-kind">Change</label>
          <select
            id="change-kind"
            value={kind}
            onChange={(event) => (setKind(event.target.value as Kind), setValue(""), setShares(""))}
          >
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        {kind === "SetCapacity" && (
          <EnergyInput
            id="change-capacity"
            label="New capacity"
            value={value}
            unit={unit}
            onValue={setValue}
            onUnit={setUnit}
            error={showError ? error : undefined}
          />
        )}
        {kind === "SetAuction" && (
          <>
            <div className="field">
              <label htmlFor="auction-round">Round length (blocks; 150 is 15 minutes)</label>
              <input
                id="auction-round"
                inputMode="numeric"
                value={value}
                onChange={(event) => setValue(event.target.value)}
                aria-invalid={showError && error !== undefined}
                aria-describedby="change-error"
              />
            </div>
            <div className="field">
              <label htmlFor="auction-tick">Tick size (ECT per kWh)</label>
              <input
                id="auction-tick"
                value={tickSize}
                onChange={(event) => setTickSize(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="auction-ticks">Prices on the grid (from the base price up)</label>
              <input
                id="auction-ticks"
                inputMode="numeric"
                value={ticks}
                onChange={(event) => setTicks(event.target.value)}
              />
            </div>
            <span id="change-error" className="field-error">
              {showError ? error : undefined}
            </span>
          </>
        )}
        {kind === "SetFeeShares" && (
          <>
            <div className="field">
              <label htmlFor="fee-owner">Owner (address or dev name)</label>
              <input
                id="fee-owner"
                list="fee-owners"
                value={value}
                onChange={(event) => setValue(event.target.value)}
                aria-invalid={showError && error !== undefined}
                aria-describedby="change-error"
              />
              <datalist id="fee-owners">
                {bus.owners.map((owner) => (
                  <option key={owner} value={devName(owner) ?? owner}>
                    {nameOf(owner) ?? shortAddress(owner)}
                  </option>
                ))}
              </datalist>
            </div>
            <div className="field">
              <label htmlFor="fee-shares">Shares (1 to {formatFixed(BigInt(MAX_FEE_SHARES), 0)})</label>
              <input
                id="fee-shares"
                inputMode="numeric"
                value={shares}
                onChange={(event) => setShares(event.target.value)}
                aria-invalid={showError && error !== undefined}
                aria-describedby="change-error fee-shares-hint"
              />
              <span id="fee-shares-hint" className="muted">
                The fees collected from then on are split by the owners' shares; what each earned before stays
                its own.
              </span>
            </div>
            <span id="change-error" className="field-error">
              {showError ? error : undefined}
            </span>
          </>
        )}
        {kind !== "SetCapacity" &&
          kind !== "Close" &&
          kind !== "SetAuction" &&
          kind !== "StopAuctions" &&
          kind !== "SetFeeShares" && (
            <div className="field">
              <label htmlFor="change-value">
                {kind === "SetBasePrice"
                  ? "New base price (ECT per kWh)"
                  : kind === "SetGridFee"
                    ? "New grid fee (ECT per kWh; 0 for none)"
                    : kind === "SetApprovalThreshold"
                      ? "Owners needed"
                      : "Account (address or dev name)"}
              </label>
              <input
                id="change-value"
                value={value}
                onChange={(event) => setValue(event.target.value)}
                aria-invalid={showError && error !== undefined}
                aria-describedby="change-error"
              />
              <span id="change-error" className="field-error">
                {showError ? error : undefined}
              </span>
            </div>
          )}
      </div>
      {kind === "SetGridFee" && (
        <p className="muted">
          Buyers pay the grid fee on top of the price for every kWh bought over this bus, to its owners.
          Offers made and rounds opened from then on carry it; open offers and the open round keep theirs.
        </p>
      )}
      <p className="muted">
        {bus.approval_threshold <= 1
          ? "Any one owner's change takes effect at once."
          : `A change takes effect once ${bus.approval_threshold} owners have sent it.`}
      </p>
      <button type="submit" disabled={action.busy}>
        Propose
      </button>
      <ActionResult message={action.message} />
    </form>
  )
}
