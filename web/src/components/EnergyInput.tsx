// One way to enter energy: a number and its unit (Wh, kWh, MWh).
import { ENERGY_UNITS, type EnergyUnit } from "../units"

export function EnergyInput({
  id,
  label,
  value,
  unit,
  onValue,
  onUnit,
  error,
  autoFocus,
}: {
  id: string
  label: string
  value: string
  unit: EnergyUnit
  onValue: (value: string) => void
  onUnit: (unit: EnergyUnit) => void
  error?: string
  /** Puts the cursor here when the field appears (the first field of a panel that opens). */
  autoFocus?: boolean
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="joined">
        <input
          id={id}
          inputMode="decimal"
          value={value}
          onChange={(event) => onValue(event.target.value)}
          aria-invalid={error !== undefined}
          aria-describedby={`${id}-error`}
          autoFocus={autoFocus}
        />
        <select
          aria-label={`${label} unit`}
          value={unit}
          onChange={(event) => onUnit(event.target.value as EnergyUnit)}
        >
          {ENERGY_UNITS.map((u) => (
            <option key={u}>{u}</option>
          ))}
        </select>
      </div>
      <span id={`${id}-error`} className="field-error">
        {error}
      </span>
    </div>
  )
}
