// One factory: its balance, its history (a chart and a table) and its trades.
import { useMemo } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { useChain, useLive } from "../chain/ChainContext"
import {
  accountSummary,
  allowanceWh,
  factoryPage,
  text,
  type HistoryKind,
  type HistoryRecord,
  type Trade,
} from "../chain/queries"
import { Address, Ect, Energy, Price } from "../components/Amounts"
import { formatDuration, formatPower } from "../units"
import { BlockStamp } from "../components/BlockStamp"
import { href } from "../route"
import { BalanceChart } from "./BalanceChart"
import { FactoryActions } from "./FactoryActions"
import { TradeActions } from "./TradeActions"

export function FactoryPage({ id }: { id: string }) {
  const page = useLive(`factory:${id}`, (api, at, client) => factoryPage(api, at, client, id))
  const factory = page.value?.factory
  const rating = page.value?.rating
  const { selected } = useAccounts()
  const who = selected?.address
  const account = useLive(`account:${who}`, who ? (api, at) => accountSummary(api, at, who) : undefined)
  const mine = useMemo(
    () => new Set((account.value?.factories ?? []).map((f) => text(f.id))),
    [account.value],
  )
  return (
    <section aria-labelledby="factory-title">
      <p>
        <a href={href({ page: "factories" })}>← All factories</a>
      </p>
      <header className="bus-header">
        <h1 id="factory-title">{id}</h1>
        <BlockStamp block={page.block} stale={page.stale} />
      </header>
      {page.value && !factory && <p role="alert">There is no factory {id}.</p>}
      {!page.value && <p>Loading…</p>}
      {factory && rating && page.value && (
        <>
          <dl className="facts">
            <div>
              <dt>Name</dt>
              <dd>{text(factory.name)}</dd>
            </div>
            <div>
              <dt>Energy type</dt>
              <dd>{factory.energy_type.type}</dd>
            </div>
            <div>
              <dt>Owner</dt>
              <dd>
                <Address address={factory.owner} />
              </dd>
            </div>
            <div>
              <dt>Meter</dt>
              <dd>
                <Address address={factory.meter} />
              </dd>
            </div>
            <div>
              <dt>Rated power</dt>
              <dd data-testid="factory-rating">{formatPower(rating.rated_power_w)}</dd>
            </div>
            <div>
              <dt>Meter may report now</dt>
              <dd
                data-testid="factory-allowance"
                title="A day's production at the rated power at most; it refills as time passes"
              >
                <Energy wh={allowanceWh(rating)} />
              </dd>
            </div>
            <div>
              <dt>Balance</dt>
              <dd className="big" data-testid="factory-balance">
                <Energy wh={factory.energy_wh} />
              </dd>
            </div>
          </dl>
          <h2>Actions</h2>
          <FactoryActions factory={factory} rating={rating} />
          <h2>History</h2>
          <BalanceChart history={page.value.history} />
          <HistoryTable history={page.value.history} completeFrom={page.value.completeFrom} />
          <h2>Trades</h2>
          <TradesTable trades={page.value.trades} mine={mine} />
          <TradeRetention />
        </>
      )}
    </section>
  )
}

const KIND_NAMES: Record<HistoryKind, string> = {
  genesis: "Balance at genesis",
  registered: "Registered",
  minted: "Metered generation",
  consumed: "Metered consumption",
  transferredOut: "Transferred out",
  transferredIn: "Transferred in",
  tradeCreated: "Trade created (escrowed)",
  tradeSold: "Trade sold",
  tradeBought: "Trade bought",
  tradeCancelled: "Trade cancelled",
  escrowed: "Offered on a bus (escrowed)",
  escrowReturned: "Returned from a bus",
  marketSold: "Sold on a bus",
  marketBought: "Bought on a bus",
}

function HistoryTable({ history, completeFrom }: { history: HistoryRecord[]; completeFrom: number | null }) {
  if (history.length === 0) return <p>No history.</p>
  return (
    <table className="history">
      <caption>
        Newest first: the latest {history.length} records of the node's history index
        {completeFrom !== null && `, which is complete from block #${completeFrom}`}. A record of a block that
        is not final yet is marked “pending”.
      </caption>
      <thead>
        <tr>
          <th scope="col">Block</th>
          <th scope="col">Time</th>
          <th scope="col">What</th>
          <th scope="col">Energy</th>
          <th scope="col">Counterparty</th>
          <th scope="col">Paid</th>
          <th scope="col">Balance after</th>
        </tr>
      </thead>
      <tbody>
        {[...history].reverse().map((record, i) => (
          <tr key={`${record.blockHash}-${i}`} data-final={record.final}>
            <td>
              #{record.block}
              {!record.final && <span className="pending"> (pending)</span>}
            </td>
            <td>{record.time > 0 ? new Date(record.time).toLocaleString() : "genesis"}</td>
            <td>{KIND_NAMES[record.kind] ?? record.kind}</td>
            <td>
              <Energy wh={BigInt(record.energyWh)} />
            </td>
            <td>
              {record.counterparty ? (
                <a href={href({ page: "factories", factoryId: record.counterparty })}>
                  {record.counterparty}
                </a>
              ) : (
                "—"
              )}
            </td>
            <td>{record.totalPrice !== null ? <Ect planck={BigInt(record.totalPrice)} /> : "—"}</td>
            <td>
              <Energy wh={BigInt(record.balanceWh)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Finished trades leave the chain's state after a while; the history keeps them. */
function TradeRetention() {
  const { info } = useChain()
  const retention = useLive("trade-retention", (api) => api.constants.EnergyTrading.TradeRetention())
  if (retention.value === undefined) return null
  const blockMs = info?.blockMs ?? 6000
  return (
    <p className="muted">
      Pending trades, and trades executed or cancelled in the last {formatDuration(retention.value, blockMs)}.
      Older ones are in the history above.
    </p>
  )
}

function TradesTable({ trades, mine }: { trades: Trade[]; mine: Set<string> }) {
  if (trades.length === 0) return <p>No trades.</p>
  return (
    <table className="trades">
      <thead>
        <tr>
          <th scope="col">Trade</th>
          <th scope="col">Seller</th>
          <th scope="col">Buyer</th>
          <th scope="col">Energy</th>
          <th scope="col">Price</th>
          <th scope="col">Total</th>
          <th scope="col">Status</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {trades.map((trade) => (
          <tr key={trade.id.toString()} aria-label={`Trade #${trade.id}`}>
            <th scope="row">#{trade.id.toString()}</th>
            <td>{text(trade.seller)}</td>
            <td>{text(trade.buyer)}</td>
            <td>
              <Energy wh={trade.energy_wh} />
            </td>
            <td>
              <Price perKwh={trade.price_per_kwh} />
            </td>
            <td>
              <Ect planck={trade.total_price} />
            </td>
            <td>{trade.status.type}</td>
            <td>
              <TradeActions trade={trade} mine={mine} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
