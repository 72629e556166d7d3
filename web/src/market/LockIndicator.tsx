// An offer's live locks: how much each holds, whose it is, and a countdown to its end in time
// and in blocks. A lock can be used through its `expires_at` block and ends after it.
import { useAccounts } from "../accounts/AccountContext"
import { useChain } from "../chain/ChainContext"
import type { Lock } from "../chain/queries"
import { formatDuration, formatEnergy } from "../units"
import { Address } from "../components/Amounts"
import { useSecondTick } from "../components/useSecondTick"

export function LockIndicator({ locks }: { locks: Lock[] }) {
  const { best, bestAt, info } = useChain()
  const { selected } = useAccounts()
  useSecondTick()
  if (locks.length === 0 || !best) return <span className="muted">none</span>
  const blockMs = info?.blockMs ?? 6000
  return (
    <ul className="locks" aria-label="Locks">
      {locks.map((lock) => {
        const blocksLeft = Math.max(0, lock.expires_at - best.number + 1)
        const msLeft = Math.max(0, blocksLeft * blockMs - (Date.now() - bestAt))
        const mine = lock.holder === selected?.address
        return (
          <li key={lock.id.toString()} className={mine ? "lock mine" : "lock"}>
            <svg className="lock-icon" aria-hidden="true" viewBox="0 0 16 16" width="12" height="12">
              <rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor" />
              <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.8" />
            </svg>{" "}
            {formatEnergy(lock.energy_wh)} locked by {mine ? "you" : <Address address={lock.holder} />},{" "}
            <span className="countdown">
              ends in {formatDuration(msLeft / blockMs, blockMs)} ({blocksLeft}{" "}
              {blocksLeft === 1 ? "block" : "blocks"})
            </span>
          </li>
        )
      })}
    </ul>
  )
}
