// A buying call (purchase, batch, lock) with the market nonce handled for the buyer: the nonce
// is read at the best block just before signing, and when the call loses a race for it (or
// stalls) the call's receipt tells whether it ran after all, so nothing is bought twice.
import type { Transaction } from "polkadot-api"
import type { Account } from "../accounts/accounts"
import type { EnergyApi } from "../chain/client"
import { describeInvalid } from "./errors"
import type { TxEventView, TxOutcome } from "./TxContext"

export type BuyingResult =
  | { kind: "done"; block: number; receipt: string; events: TxEventView[] }
  | { kind: "alreadyDone"; receipt: string }
  | { kind: "failed"; name: string; docs: string; value?: unknown; raced: boolean }

const RACES = ["EnergyBus::NonceAlreadyUsed", "EnergyBus::NonceTooHigh"]

export async function submitBuying(
  api: EnergyApi,
  submit: (label: string, tx: Transaction, account: Account) => Promise<TxOutcome>,
  account: Account,
  label: string,
  build: (nonce: bigint) => { tx: Transaction; receipt: `0x${string}` },
): Promise<BuyingResult> {
  try {
    const nonce = await api.view.EnergyBus.market_nonce(account.address, { at: "best" })
    const { tx, receipt } = build(nonce)
    const outcome = await submit(label, tx, account)
    if (outcome.ok) return { kind: "done", block: outcome.block, receipt, events: outcome.events }
    const raced = RACES.includes(outcome.error.name) || outcome.kind === "stalled"
    if (raced && (await api.view.EnergyBus.is_transaction_processed(receipt, { at: "best" }))) {
      return { kind: "alreadyDone", receipt }
    }
    return { kind: "failed", ...outcome.error, raced }
  } catch (error) {
    return { kind: "failed", ...describeInvalid(error), raced: false }
  }
}

/**
 * What a failed buying call means for the buyer, in one sentence after the error's own docs;
 * `nothing` says what did not happen (`nothing was bought`, `no order was placed`).
 */
export function failureAdvice(
  result: Extract<BuyingResult, { kind: "failed" }>,
  nothing = "nothing was bought",
): string {
  return result.raced
    ? `Another buying call of this account used its market nonce first, or the call stalled; ${nothing}. The market is shown as it is now: check it and try again.`
    : "Nothing changed on the chain; the market is shown as it is now."
}

/** A buying call's outcome as the form shows it; `retry` when sending it again is safe. */
export type BuyingMessage = { kind: "ok" | "error" | "info"; text: string; retry?: boolean }

/**
 * The one message a form shows for a buying call's result; `done` words the success, from its
 * block and the events it emitted.
 */
export function buyingMessage(
  result: BuyingResult,
  done: (block: number, events: TxEventView[]) => string,
  nothing?: string,
): BuyingMessage {
  if (result.kind === "done") {
    return { kind: "ok", text: `${done(result.block, result.events)} Receipt ${result.receipt}.` }
  }
  if (result.kind === "alreadyDone") {
    return {
      kind: "info",
      text: `This call already went through (receipt ${result.receipt}): nothing was done twice.`,
    }
  }
  return {
    kind: "error",
    text: `${result.name}: ${result.docs} ${failureAdvice(result, nothing)}`,
    retry: result.raced,
  }
}
