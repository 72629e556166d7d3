// Transactions and their life: signing → broadcast → in a block → finalized, or the reason they
// failed. `submit` resolves once the outcome is known in a best block (or the transaction
// stalled); the record keeps following it to finality.
import { createContext, useContext, useRef, useState, type ReactNode } from "react"
import type { Transaction } from "polkadot-api"
import type { Account } from "../accounts/accounts"
import { useChain } from "../chain/ChainContext"
import { describeDispatchError, describeInvalid, type ChainError } from "./errors"

export type TxPhase = "signing" | "broadcast" | "inBlock" | "finalized" | "failed" | "refused" | "stalled"

export interface TxEventView {
  name: string
  value: unknown
}

export interface TxRecord {
  id: number
  label: string
  phase: TxPhase
  block?: number
  error?: ChainError
  events: TxEventView[]
}

export type TxOutcome =
  | { ok: true; block: number; events: TxEventView[] }
  | { ok: false; kind: "failed" | "refused" | "stalled"; error: ChainError }

/** How long a transaction may wait for a block before the app calls it stalled. */
export const STALL_MS = 60_000

interface TxState {
  records: TxRecord[]
  submit: (label: string, tx: Transaction, account: Account) => Promise<TxOutcome>
}

const TxContext = createContext<TxState | undefined>(undefined)

export function TxProvider({ children }: { children: ReactNode }) {
  const { connection } = useChain()
  const [records, setRecords] = useState<TxRecord[]>([])
  const nextId = useRef(1)
  // The last account nonce this page used per account, so that calls sent in quick succession
  // do not reuse one before the node's pool has the first.
  const lastNonce = useRef(new Map<string, number>())

  /** The account's next nonce: the node's (which counts its pool) or past the last one used here. */
  const nextNonce = async (address: string): Promise<number | undefined> => {
    if (!connection) return undefined
    const fromNode = await connection.client._request<number>("system_accountNextIndex", [address])
    const last = lastNonce.current.get(address)
    const nonce = last !== undefined && last + 1 > fromNode ? last + 1 : fromNode
    lastNonce.current.set(address, nonce)
    return nonce
  }

  const submit = (label: string, tx: Transaction, account: Account) =>
    new Promise<TxOutcome>((resolve) => {
      const id = nextId.current++
      const update = (change: Partial<TxRecord>) =>
        setRecords((list) => list.map((r) => (r.id === id ? { ...r, ...change } : r)))
      setRecords((list) => [{ id, label, phase: "signing" as TxPhase, events: [] }, ...list].slice(0, 20))
      let settled = false
      const settle = (outcome: TxOutcome) => {
        if (!settled) {
          settled = true
          resolve(outcome)
        }
      }
      const stall = window.setTimeout(() => {
        const error = {
          name: "Stalled",
          docs: `No block has included it after ${STALL_MS / 1000} s. It may still land: check before you try again.`,
        }
        update({ phase: "stalled", error })
        settle({ ok: false, kind: "stalled", error })
      }, STALL_MS)

      const watch = (nonce: number | undefined) =>
        tx.signSubmitAndWatch(account.signer, nonce === undefined ? {} : { nonce }).subscribe({
          next: async (event) => {
            if (event.type === "signed" || event.type === "broadcasted") {
              update({ phase: "broadcast" })
              return
            }
            if (event.type === "txBestBlocksState" && !event.found) return
            const events: TxEventView[] = event.events
              .filter((e) => e.type !== "System" && e.type !== "TransactionPayment")
              .map((e) => ({ name: `${e.type}.${e.value.type}`, value: e.value.value }))
            const finalized = event.type === "finalized"
            // A call through sudo succeeds as a transaction even when the call inside fails:
            // `Sudo.Sudid` carries the inner result, which is the one that counts.
            const inner = sudoFailure(event.events)
            if (event.ok && !inner) {
              window.clearTimeout(stall)
              update({
                phase: finalized ? "finalized" : "inBlock",
                block: event.block.number,
                events,
                error: undefined,
              })
              settle({ ok: true, block: event.block.number, events })
            } else {
              window.clearTimeout(stall)
              const dispatchError = event.ok ? inner : event.dispatchError
              const error =
                connection && dispatchError
                  ? await describeDispatchError(connection.client, event.block.hash, dispatchError)
                  : { name: dispatchError?.type ?? "Failed", docs: "" }
              update({ phase: "failed", block: event.block.number, error, events })
              settle({ ok: false, kind: "failed", error })
            }
          },
          error: (failure: unknown) => refused(failure),
        })
      const refused = (failure: unknown) => {
        window.clearTimeout(stall)
        // The nonce may not have reached the pool: ask the node again next time.
        lastNonce.current.delete(account.address)
        const error = describeInvalid(failure)
        update({ phase: "refused", error })
        settle({ ok: false, kind: "refused", error })
      }
      nextNonce(account.address).then(watch, refused)
    })

  return <TxContext.Provider value={{ records, submit }}>{children}</TxContext.Provider>
}

/** The dispatch error of a failed call inside `sudo`, if the events hold one. */
function sudoFailure(
  events: { type: string; value: { type: string; value: unknown } }[],
): { type: string; value?: unknown } | undefined {
  for (const event of events) {
    if (event.type !== "Sudo" || event.value.type !== "Sudid") continue
    const result = (event.value.value as { sudo_result?: { success: boolean; value: unknown } }).sudo_result
    if (result && !result.success) return result.value as { type: string; value?: unknown }
  }
  return undefined
}

export function useTx(): TxState {
  const state = useContext(TxContext)
  if (!state) throw new Error("useTx outside TxProvider")
  return state
}
