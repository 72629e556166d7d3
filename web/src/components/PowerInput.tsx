// One way to enter a factory's rated power: kW, to the watt. Its meter may report at most a day's
// production at this power at once; the allowance refills as time passes.
export function PowerInput({
  id,
  value,
  onValue,
  error,
}: {
  id: string
  value: string
  onValue: (value: string) => void
  error?: string
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Rated power (kW)</label>
      <input
        id={id}
        inputMode="decimal"
        value={value}
        onChange={(event) => onValue(event.target.value)}
        aria-invalid={error !== undefined}
        aria-describedby={`${id}-help`}
      />
      <span id={`${id}-help`} className="muted">
        Its meter may report at most a day's production at this power at once; the allowance refills as time
        passes.
      </span>
      <span className="field-error">{error}</span>
    </div>
  )
}
