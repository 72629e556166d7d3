// The market: pick a bus, see its owners, capacity and offers, live.
import { useState } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { useLive } from "../chain/ChainContext"
import { allBuses, myBusIds, text } from "../chain/queries"
import { navigate } from "../route"
import { BusView } from "./BusView"
import { CreateBus } from "./CreateBus"
import { Purchases } from "./Purchases"

export function MarketPage({ busId }: { busId?: number }) {
  const { selected } = useAccounts()
  const [mineOnly, setMineOnly] = useState(false)
  const buses = useLive("buses", allBuses)
  const who = selected?.address
  const mine = useLive(`mine:${who}`, mineOnly && who ? (api, at) => myBusIds(api, at, who) : undefined)
  const list = (buses.value ?? []).filter((bus) => !mineOnly || (mine.value?.has(bus.id) ?? false))
  const chosen = busId ?? list[0]?.id

  return (
    <section aria-labelledby="market-title">
      <h1 id="market-title">Energy market</h1>
      <div className="toolbar">
        <label>
          Energy bus{" "}
          <select
            value={chosen ?? ""}
            onChange={(event) => navigate({ page: "market", busId: Number(event.target.value) })}
            disabled={list.length === 0}
          >
            {list.length === 0 && <option value="">{buses.value ? "No buses" : "Loading…"}</option>}
            {list.map((bus) => (
              <option key={bus.id} value={bus.id}>
                #{bus.id} {text(bus.name)}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="segmented">
          <legend className="visually-hidden">Which buses</legend>
          <label>
            <input type="radio" name="bus-filter" checked={!mineOnly} onChange={() => setMineOnly(false)} />
            All buses
          </label>
          <label>
            <input
              type="radio"
              name="bus-filter"
              checked={mineOnly}
              onChange={() => setMineOnly(true)}
              disabled={!who}
            />
            Mine
          </label>
        </fieldset>
      </div>
      {buses.error !== undefined && <p role="alert">Could not read the buses: {String(buses.error)}</p>}
      {chosen !== undefined && <BusView busId={chosen} />}
      <Purchases />
      <CreateBus />
    </section>
  )
}
