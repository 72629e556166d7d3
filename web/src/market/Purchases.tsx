// What the account bought (the `purchases` view, page by page: what each paid the seller and
// the grid fee it paid the bus's owners), and a receipt lookup: "was my transaction
// processed?", for a receipt hash the app or `energy-cli` printed.
import { useEffect, useState, type FormEvent } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { useChain, useLive } from "../chain/ChainContext"
import { marketParams, PAGE, purchasesPage, receiptProcessed, text } from "../chain/queries"
import { Address, Ect, Energy, Price } from "../components/Amounts"
import { BlockStamp } from "../components/BlockStamp"
import { Pager, useCursors } from "../components/Pager"
import { href } from "../route"

export function Purchases() {
  const { selected } = useAccounts()
  const who = selected?.address
  const cursors = useCursors<bigint>()
  useEffect(() => cursors.reset(), [who])
  const { startAfter } = cursors
  const page = useLive(
    `purchases:${who}:${startAfter}`,
    who ? (api, at) => purchasesPage(api, at, who, startAfter) : undefined,
  )

  return (
    <section className="purchases" aria-labelledby="purchases-title">
      <header className="bus-header">
        <h2 id="purchases-title">Your purchases</h2>
        {who && <BlockStamp block={page.block} stale={page.stale} />}
      </header>
      {!who ? (
        <p>Choose an account to see what it bought.</p>
      ) : !page.value ? (
        <p>Loading purchases…</p>
      ) : page.value.length === 0 && cursors.page === 1 ? (
        <p>No purchases yet (or none within the market's receipt retention).</p>
      ) : (
        <table className="offers">
          <caption className="visually-hidden">Your purchases</caption>
          <thead>
            <tr>
              <th scope="col">Purchase</th>
              <th scope="col">Offer</th>
              <th scope="col">Bus</th>
              <th scope="col">Seller</th>
              <th scope="col">Into</th>
              <th scope="col">Energy</th>
              <th scope="col">Price</th>
              <th scope="col">Paid the seller</th>
              <th scope="col">Grid fee</th>
              <th scope="col">Block</th>
            </tr>
          </thead>
          <tbody>
            {page.value.map((purchase) => (
              <tr key={purchase.id.toString()} aria-label={`Purchase #${purchase.id}`}>
                <th scope="row" title={`Receipt ${purchase.receipt}`}>
                  #{purchase.id.toString()}
                </th>
                <td data-label="Offer">#{purchase.offer_id.toString()}</td>
                <td data-label="Bus">
                  <a href={href({ page: "market", busId: purchase.bus_id })}>#{purchase.bus_id}</a>
                </td>
                <td data-label="Seller">
                  <Address address={purchase.seller} />
                </td>
                <td data-label="Into">
                  <a href={href({ page: "factories", factoryId: text(purchase.into_factory) })}>
                    {text(purchase.into_factory)}
                  </a>
                </td>
                <td data-label="Energy">
                  <Energy wh={purchase.energy_wh} />
                </td>
                <td data-label="Price">
                  <Price perKwh={purchase.price_per_kwh} />
                </td>
                <td data-label="Paid the seller">
                  <Ect planck={purchase.total_price} exact />
                </td>
                <td data-label="Grid fee">
                  <Ect planck={purchase.grid_fee} exact />
                </td>
                <td data-label="Block">#{purchase.block}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {who && (cursors.page > 1 || (page.value?.length ?? 0) >= PAGE) && (
        <Pager
          label="Purchase pages"
          cursors={cursors}
          items={page.value}
          cursorOf={(purchase) => purchase.id}
          previousText="Earlier purchases"
          nextText="Later purchases"
        />
      )}
      <ReceiptLookup />
    </section>
  )
}

type Lookup =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "answer"; receipt: string; processed: boolean; block: number; retention: number }
  | { kind: "failed"; message: string }

/** Asks the chain whether the buying call with a receipt hash ran. */
function ReceiptLookup() {
  const { connection, best } = useChain()
  const [draft, setDraft] = useState("")
  const [problem, setProblem] = useState<string>()
  const [lookup, setLookup] = useState<Lookup>({ kind: "idle" })

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const receipt = draft.trim().toLowerCase()
    if (!/^0x[0-9a-f]{64}$/.test(receipt)) {
      setProblem("A receipt is 0x followed by 64 hexadecimal digits.")
      return
    }
    setProblem(undefined)
    if (!connection || !best) {
      setLookup({ kind: "failed", message: "Not connected to a node." })
      return
    }
    setLookup({ kind: "checking" })
    try {
      const [processed, params] = await Promise.all([
        receiptProcessed(connection.api, best.hash, receipt as `0x${string}`),
        marketParams(connection.api, best.hash),
      ])
      setLookup({
        kind: "answer",
        receipt,
        processed,
        block: best.number,
        retention: params.receipt_retention,
      })
    } catch (error) {
      setLookup({ kind: "failed", message: error instanceof Error ? error.message : String(error) })
    }
  }

  return (
    <form className="panel receipt-lookup" onSubmit={(event) => void submit(event)} noValidate>
      <h3 id="receipt-title">Was my transaction processed?</h3>
      <label>
        Receipt{" "}
        <input
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="0x…"
          spellCheck={false}
          size={40}
          aria-invalid={problem !== undefined}
          aria-describedby={problem ? "receipt-problem" : undefined}
        />
      </label>{" "}
      <button type="submit" disabled={lookup.kind === "checking"}>
        Look up
      </button>
      {problem && (
        <p id="receipt-problem" className="field-error" role="alert">
          {problem}
        </p>
      )}
      <div aria-live="polite">
        {lookup.kind === "checking" && <p>Asking the chain…</p>}
        {lookup.kind === "failed" && <p role="alert">The lookup failed: {lookup.message}</p>}
        {lookup.kind === "answer" && (
          <p role="status" data-testid="receipt-answer">
            {lookup.processed
              ? `Processed: the buying call with this receipt ran (as of block #${lookup.block}). Do not send it again.`
              : `Not processed as of block #${lookup.block}: no buying call with this receipt ran in the last ${lookup.retention} blocks (the market's receipt retention).`}
          </p>
        )}
      </div>
    </form>
  )
}
