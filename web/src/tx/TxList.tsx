// Every transaction of this session with its phase, its events and, if it failed, the error's
// name and documentation.
import { useTx, type TxPhase } from "./TxContext"

const PHASE_TEXT: Record<TxPhase, string> = {
  signing: "Waiting for the signature…",
  broadcast: "Sent, waiting for a block…",
  inBlock: "In block",
  finalized: "Finalized in block",
  failed: "Failed in block",
  refused: "Refused by the node",
  stalled: "Stalled",
}

export function TxList() {
  const { records } = useTx()
  return (
    <section className="txs" aria-label="Transactions">
      <h2>Transactions</h2>
      {records.length === 0 && <p className="muted">None yet in this session.</p>}
      <ol aria-live="polite">
        {records.map((record) => (
          <li key={record.id} className={`tx ${record.phase}`} data-phase={record.phase}>
            <strong>{record.label}</strong>
            <div>
              {PHASE_TEXT[record.phase]}
              {record.block !== undefined && ` #${record.block}`}
            </div>
            {record.error && (
              <div className="tx-error" role="alert">
                <code>{record.error.name}</code>
                {record.error.docs && `: ${record.error.docs}`}
              </div>
            )}
            {record.events.length > 0 && (
              <ul className="tx-events" aria-label="Events">
                {record.events.map((event, i) => (
                  <li key={i}>{event.name}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </section>
  )
}
