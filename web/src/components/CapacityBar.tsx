// A bus's capacity: committed energy against the whole, as a meter a screen reader announces.
import { formatEnergy } from "../units"

export function CapacityBar({ capacityWh, committedWh }: { capacityWh: bigint; committedWh: bigint }) {
  const free = capacityWh > committedWh ? capacityWh - committedWh : 0n
  const percent = capacityWh === 0n ? 0 : Number((committedWh * 10_000n) / capacityWh) / 100
  const label = `${formatEnergy(committedWh)} committed, ${formatEnergy(free)} free of ${formatEnergy(capacityWh)}`
  return (
    <div className="capacity">
      <div
        className="capacity-bar"
        role="meter"
        aria-label="Capacity committed"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={label}
      >
        <div className="capacity-fill" style={{ width: `${Math.min(percent, 100)}%` }} />
      </div>
      <p className="capacity-text">{label}</p>
    </div>
  )
}
