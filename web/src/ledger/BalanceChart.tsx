// A factory's energy balance over its recorded history, drawn with uPlot (loaded on demand, so
// the first page load does not carry it).
import { useEffect, useRef } from "react"
import type { HistoryRecord } from "../chain/queries"
import { formatEnergy } from "../units"
import "uplot/dist/uPlot.min.css"

export function BalanceChart({ history }: { history: HistoryRecord[] }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = box.current
    if (!element || history.length === 0) return
    let chart: { destroy: () => void } | undefined
    let cancelled = false
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return
      // By block number (genesis records carry no time), in kWh (a chart needs numbers; the
      // table keeps exact Wh).
      const blocks = history.map((record) => record.block)
      const kwh = history.map((record) => record.balanceWh / 1000)
      chart = new UPlot(
        {
          width: Math.min(element.clientWidth || 640, 900),
          height: 240,
          scales: { x: { time: false } },
          series: [
            { label: "Block" },
            {
              label: "Balance (kWh)",
              stroke: "#1f7a4d",
              width: 2,
              fill: "rgba(31,122,77,0.08)",
              // A balance holds until the next record changes it.
              paths: UPlot.paths.stepped?.({ align: 1 }),
            },
          ],
          axes: [
            // Whole blocks only.
            { label: "Block", incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10000, 100000] },
            { values: (_u, ticks) => ticks.map((t) => formatEnergy(BigInt(Math.round(t * 1000)))), size: 90 },
          ],
        },
        [blocks, kwh],
        element,
      )
    })
    return () => {
      cancelled = true
      chart?.destroy()
    }
  }, [history])
  const first = history[0]
  const last = history[history.length - 1]
  return (
    <figure className="chart">
      <div
        ref={box}
        role="img"
        aria-label={
          first && last
            ? `Balance from ${formatEnergy(BigInt(first.balanceWh))} at block ${first.block} to ${formatEnergy(BigInt(last.balanceWh))} at block ${last.block}`
            : "No history"
        }
      />
      <figcaption>Energy balance over the recorded history</figcaption>
    </figure>
  )
}
