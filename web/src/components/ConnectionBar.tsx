// The node the app talks to (changeable, as in polkadot.js apps), whether it is reachable, and
// the best and finalized blocks. A dropped connection shows a banner until it is back.
import { useState, type FormEvent } from "react"
import { useChain } from "../chain/ChainContext"
import { checkRpcUrl } from "../chain/client"

export function ConnectionBar() {
  const { url, setUrl, state, best, finalized, info, infoError } = useChain()
  const [draft, setDraft] = useState(url)
  const [problem, setProblem] = useState<string>()

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = draft.trim()
    const invalid = checkRpcUrl(trimmed)
    setProblem(invalid)
    if (!invalid && trimmed !== url) setUrl(trimmed)
  }

  return (
    <div className="connection">
      <form onSubmit={submit} className="node-form">
        <label>
          Node{" "}
          <input
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            aria-invalid={problem !== undefined}
            aria-describedby={problem ? "node-problem" : undefined}
            spellCheck={false}
            size={24}
          />
        </label>
        <button type="submit">Connect</button>
        {problem && (
          <span id="node-problem" className="field-error" role="alert">
            {problem}
          </span>
        )}
      </form>
      <p className="chain-status" aria-live="polite">
        <span className={`dot ${state}`} aria-hidden="true" />
        {state === "connected"
          ? info
            ? `${info.name} (${info.chainType})`
            : "Connected"
          : state === "connecting"
            ? "Connecting…"
            : "Disconnected"}
        {best && (
          <>
            {" · "}best <span data-testid="best-block">#{best.number}</span>
          </>
        )}
        {finalized && <> · finalized #{finalized.number}</>}
      </p>
      {infoError && (
        <p className="field-error" role="alert">
          This node does not look like an Energy Chain node: {infoError}
        </p>
      )}
    </div>
  )
}

export function ConnectionBanner() {
  const { state, url, best } = useChain()
  if (state === "connected") return null
  return (
    <div className="banner" role="status">
      {state === "connecting" && !best
        ? `Connecting to ${url}…`
        : `The connection to ${url} is down; reconnecting. What you see is from block #${best?.number ?? "?"} and may be out of date.`}
    </div>
  )
}
