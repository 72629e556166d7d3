// A bus's periodic double auction: the open round and its gate (counting down block by block),
// the depth of its book, forms to bid and ask in it, the account's orders, and the last rounds'
// prices, volumes and the grid fees their bids paid. Read again at every new best block.
import { useChain, useLive } from "../chain/ChainContext"
import { busAuction, type Bus, type Round } from "../chain/queries"
import { Ect, Energy, Price } from "../components/Amounts"
import { BlockStamp } from "../components/BlockStamp"
import { useSecondTick } from "../components/useSecondTick"
import { formatDuration, formatPrice } from "../units"
import { depth, priceOfTick } from "./auction"
import { DepthChart } from "./DepthChart"
import { MyOrders } from "./MyOrders"
import { GridPrices, OrderForm } from "./OrderForm"

export function AuctionSection({ bus }: { bus: Bus }) {
  const auction = useLive(`auction:${bus.id}`, (api, at) => busAuction(api, at, bus.id))
  const { best } = useChain()
  const value = auction.value
  if (!value) {
    return auction.error !== undefined ? (
      <p role="alert">Could not read this bus's auction: {String(auction.error)}</p>
    ) : null
  }
  const { settings, round, book, results } = value
  if (!settings && !round && results.length === 0) {
    return <p className="muted">This bus runs no auctions.</p>
  }
  const gateOpen = round !== undefined && best !== undefined && best.number < round.gate_closes_at
  return (
    <section aria-labelledby="auction-title" className="auction">
      <header className="bus-header">
        <h3 id="auction-title">Auction</h3>
        <BlockStamp block={auction.block} stale={auction.stale} />
      </header>
      {round ? (
        <>
          <RoundFacts round={round} />
          <p role="status" className="muted">
            {gateOpen
              ? `Round #${round.id} takes bids and asks through block #${round.gate_closes_at}; then all of them trade at one price.`
              : `Round #${round.id}'s gate has closed: it clears in the next block, and the next round opens.`}
            {!settings && " The bus's owners stopped its auctions: this is its last round."}
          </p>
          {book ? <DepthChart round={round} levels={depth(book, round)} /> : null}
          {gateOpen && (
            <div className="actions-grid">
              <OrderForm side="Bid" bus={bus} round={round} />
              <OrderForm side="Ask" bus={bus} round={round} />
              <GridPrices round={round} />
            </div>
          )}
        </>
      ) : (
        <p className="muted">
          {settings
            ? "The next round opens when the last one has cleared."
            : "This bus runs no more auctions."}
        </p>
      )}
      <MyOrders busId={bus.id} results={results} />
      <RoundResults results={results} />
    </section>
  )
}

function RoundFacts({ round }: { round: Round }) {
  return (
    <dl className="facts">
      <div>
        <dt>Open round</dt>
        <dd>#{round.id.toString()}</dd>
      </div>
      <div>
        <dt>Gate closes after</dt>
        <dd>
          block #{round.gate_closes_at} <GateCountdown gate={round.gate_closes_at} />
        </dd>
      </div>
      <div>
        <dt>Prices</dt>
        <dd>
          <Price perKwh={round.base_price_per_kwh} /> to{" "}
          <Price perKwh={priceOfTick(round, round.ticks - 1)} />, in steps of {formatPrice(round.tick_size)}
        </dd>
      </div>
      <div>
        <dt>Grid fee</dt>
        <dd data-testid="round-grid-fee">
          {round.grid_fee_per_kwh > 0n ? (
            <>
              <Price perKwh={round.grid_fee_per_kwh} /> on top, on what bids get
            </>
          ) : (
            "none"
          )}
        </dd>
      </div>
      <div>
        <dt>Bid</dt>
        <dd>
          <Energy wh={round.bid_wh} />
        </dd>
      </div>
      <div>
        <dt>Asked</dt>
        <dd>
          <Energy wh={round.ask_wh} />
        </dd>
      </div>
      <div>
        <dt>Orders</dt>
        <dd>{round.orders}</dd>
      </div>
    </dl>
  )
}

/**
 * Time and blocks until the gate: orders can still go into the blocks after the best one,
 * through the gate's block.
 */
function GateCountdown({ gate }: { gate: number }) {
  const { best, bestAt, info } = useChain()
  useSecondTick()
  if (!best) return null
  const blocksLeft = gate - best.number
  if (blocksLeft <= 0) return <span className="countdown">(closed)</span>
  const blockMs = info?.blockMs ?? 6000
  const msLeft = Math.max(0, blocksLeft * blockMs - (Date.now() - bestAt))
  return (
    <span className="countdown" data-testid="gate-countdown">
      (in {formatDuration(msLeft / blockMs, blockMs)}, {blocksLeft} {blocksLeft === 1 ? "block" : "blocks"})
    </span>
  )
}

/** The bus's last settled rounds, newest first: each one's price, volume and grid fees. */
function RoundResults({ results }: { results: Round[] }) {
  return (
    <>
      <h4 id="results-title">Last rounds</h4>
      {results.length === 0 ? (
        <p className="muted">No round of this bus has settled yet.</p>
      ) : (
        <table className="offers" aria-labelledby="results-title">
          <thead>
            <tr>
              <th scope="col">Round</th>
              <th scope="col">Gate closed after</th>
              <th scope="col">Price</th>
              <th scope="col">Traded</th>
              <th scope="col">Bid</th>
              <th scope="col">Asked</th>
              <th scope="col">Orders that traded</th>
              <th scope="col">Grid fees</th>
            </tr>
          </thead>
          <tbody>
            {results.map((round) => (
              <tr key={round.id.toString()} aria-label={`Round #${round.id}`}>
                <th scope="row">#{round.id.toString()}</th>
                <td data-label="Gate closed after">block #{round.gate_closes_at}</td>
                {round.status.type === "Cleared" ? (
                  <>
                    <td data-label="Price">
                      <Price perKwh={round.status.value.price_per_kwh} />
                    </td>
                    <td data-label="Traded">
                      <Energy wh={round.status.value.volume_wh} />
                    </td>
                  </>
                ) : (
                  <td colSpan={2}>No trade (no bid met an ask, or the bus had no free capacity)</td>
                )}
                <td data-label="Bid">
                  <Energy wh={round.bid_wh} />
                </td>
                <td data-label="Asked">
                  <Energy wh={round.ask_wh} />
                </td>
                <td data-label="Orders that traded">
                  {round.filled_orders} of {round.orders}
                </td>
                <td data-label="Grid fees">
                  <Ect planck={round.grid_fees} exact />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
