// A plain signed call from a form: sends it with the chosen account, keeps the form busy
// meanwhile, and turns the outcome into the one message the form shows.
import { useState } from "react"
import type { Transaction } from "polkadot-api"
import { useAccounts } from "../accounts/AccountContext"
import { useTx, type TxEventView, type TxOutcome } from "./TxContext"

export interface ActionMessage {
  kind: "ok" | "error"
  text: string
}

export function useAction() {
  const { selected } = useAccounts()
  const { submit } = useTx()
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<ActionMessage>()

  /**
   * Sends `tx`; `done` words the success, from its block and the events it emitted. Resolves to
   * the outcome (undefined: not sent).
   */
  const send = async (
    label: string,
    tx: Transaction,
    done: (block: number, events: TxEventView[]) => string,
  ): Promise<TxOutcome | undefined> => {
    if (!selected) {
      setMessage({ kind: "error", text: "Choose an account first: nothing was sent." })
      return undefined
    }
    setBusy(true)
    setMessage(undefined)
    try {
      const outcome = await submit(label, tx, selected)
      setMessage(
        outcome.ok
          ? { kind: "ok", text: done(outcome.block, outcome.events) }
          : { kind: "error", text: `${outcome.error.name}: ${outcome.error.docs} Nothing changed.` },
      )
      return outcome
    } finally {
      setBusy(false)
    }
  }

  /** Shows why the form was not sent. */
  const refuse = (text: string) =>
    setMessage({ kind: "error", text: `${text.replace(/\.$/, "")}: nothing was sent.` })

  return { busy, message, send, refuse }
}
