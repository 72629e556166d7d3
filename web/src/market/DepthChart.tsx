// The depth of an open round's book: the energy bid at or above each price (demand, falling
// with the price) and asked at or below it (supply, rising), as a step chart, with the same
// numbers in a table for screen readers and for exact reading.
import type { Round } from "../chain/queries"
import { Energy, Price } from "../components/Amounts"
import { formatEnergy, formatPrice } from "../units"
import { pricesWithOrders, type Level } from "./auction"

const WIDTH = 600
const HEIGHT = 224
const LEFT = 92
const RIGHT = 590
const TOP = 12
const BOTTOM = 190

export function DepthChart({ round, levels }: { round: Round; levels: Level[] }) {
  const held = pricesWithOrders(levels)
  if (held.length === 0) return <p className="muted">No orders in this round yet.</p>
  // The prices that hold orders, and one tick either side.
  const low = Math.max(0, held[0].tick - 1)
  const high = Math.min(levels.length - 1, held[held.length - 1].tick + 1)
  const shown = levels.slice(low, high + 1)
  const top = [shown[0].demandWh, shown[shown.length - 1].supplyWh].reduce((a, b) => (a > b ? a : b))
  const x = (tick: number) => LEFT + ((tick - low) / Math.max(1, high - low)) * (RIGHT - LEFT)
  const y = (wh: bigint) => BOTTOM - (Number((wh * 10_000n) / top) / 10_000) * (BOTTOM - TOP)
  const steps = (of: (level: Level) => bigint) =>
    shown
      .map((level, i) =>
        i === 0 ? `M${x(level.tick)},${y(of(level))}` : `H${x(level.tick)}V${y(of(level))}`,
      )
      .join("")
  const totalBid = shown[0].demandWh
  const totalAsked = shown[shown.length - 1].supplyWh
  return (
    <figure className="chart depth">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="depth-title depth-desc"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id="depth-title">Depth of round #{round.id.toString()}'s book</title>
        <desc id="depth-desc">
          {`Bids of ${formatEnergy(totalBid)} and asks of ${formatEnergy(totalAsked)}, at prices from ${formatPrice(held[0].price)} to ${formatPrice(held[held.length - 1].price)}. The table below lists each price.`}
        </desc>
        <line x1={LEFT} y1={BOTTOM} x2={RIGHT} y2={BOTTOM} className="axis" />
        <line x1={LEFT} y1={TOP} x2={LEFT} y2={BOTTOM} className="axis" />
        <text x={LEFT - 6} y={TOP + 4} textAnchor="end">
          {formatEnergy(top)}
        </text>
        <text x={LEFT - 6} y={BOTTOM} textAnchor="end">
          0
        </text>
        <text x={LEFT} y={BOTTOM + 22} textAnchor="start">
          {formatPrice(shown[0].price)}
        </text>
        <text x={RIGHT} y={BOTTOM + 22} textAnchor="end">
          {formatPrice(shown[shown.length - 1].price)}
        </text>
        <path d={steps((level) => level.demandWh)} className="demand" />
        <path d={steps((level) => level.supplyWh)} className="supply" />
      </svg>
      <figcaption>
        <span className="key demand">Bids at or above the price</span>{" "}
        <span className="key supply">Asks at or below the price</span>
      </figcaption>
      <table className="offers book">
        <caption>Round #{round.id.toString()}'s book by price</caption>
        <thead>
          <tr>
            <th scope="col">Price</th>
            <th scope="col">Bid at it</th>
            <th scope="col">Asked at it</th>
            <th scope="col">Bid at or above</th>
            <th scope="col">Asked at or below</th>
          </tr>
        </thead>
        <tbody>
          {held.map((level) => (
            <tr key={level.tick} aria-label={formatPrice(level.price)}>
              <th scope="row">
                <Price perKwh={level.price} />
              </th>
              <td data-label="Bid at it">
                <Energy wh={level.bidWh} />
              </td>
              <td data-label="Asked at it">
                <Energy wh={level.askWh} />
              </td>
              <td data-label="Bid at or above">
                <Energy wh={level.demandWh} />
              </td>
              <td data-label="Asked at or below">
                <Energy wh={level.supplyWh} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
