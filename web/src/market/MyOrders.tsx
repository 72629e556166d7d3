// The account's auction orders on a bus: each one's side, factory, energy, limit and where it
// stands, with a Cancel button while its round's gate is open. An order leaves the chain's
// state when it settles, so its fill comes from its `OrderSettled` event: the orders this page
// saw settle stay listed with their fills.
import { useEffect, useState } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { useChain, useLive } from "../chain/ChainContext"
import {
  busOrders,
  orderTerms,
  text,
  watchSettlements,
  type Order,
  type Round,
  type Settlement,
} from "../chain/queries"
import { ActionResult } from "../components/ActionResult"
import { Energy, Price } from "../components/Amounts"
import { href } from "../route"
import { useAction } from "../tx/useAction"
import { formatEct, formatEnergy, formatPrice } from "../units"

type Settled = Settlement & { block: number }

export function MyOrders({ busId, results }: { busId: number; results: Round[] }) {
  const { connection, best } = useChain()
  const { selected } = useAccounts()
  const who = selected?.address
  const mine = useLive(
    `orders:${who}:${busId}`,
    who ? (api, at) => busOrders(api, at, who, busId) : undefined,
  )
  const terms = useLive("order-terms", orderTerms)
  const action = useAction()
  // The orders this page has seen, so that a settled one can still be shown.
  const [seen, setSeen] = useState(new Map<bigint, Order>())
  const [settled, setSettled] = useState(new Map<bigint, Settled>())

  useEffect(() => {
    setSeen(new Map())
    setSettled(new Map())
  }, [who])
  useEffect(() => {
    const orders = mine.value?.orders
    if (orders?.some((order) => !seen.has(order.id))) {
      setSeen((known) => new Map([...known, ...orders.map((order) => [order.id, order] as const)]))
    }
  }, [mine.value])
  useEffect(() => {
    if (!connection || !who) return
    const subscription = watchSettlements(connection.api).subscribe(({ type, block, events }) => {
      const ours = events.map((event) => event.payload).filter((payload) => payload.owner === who)
      if (ours.length === 0) return
      setSettled((list) => {
        const next = new Map(list)
        for (const payload of ours) {
          if (type === "drop") next.delete(payload.order_id)
          else next.set(payload.order_id, { ...payload, block: block.number })
        }
        return next
      })
    })
    return () => subscription.unsubscribe()
  }, [connection, who])

  if (!who) return null
  const open = mine.value?.orders ?? []
  const openIds = new Set(open.map((order) => order.id))
  const done = [...settled.values()].filter((s) => !openIds.has(s.order_id))
  const rows: { order: Order; settlement?: Settled }[] = [
    ...open.map((order) => ({ order })),
    ...done.flatMap((settlement) => {
      const order = seen.get(settlement.order_id)
      return order ? [{ order, settlement }] : []
    }),
  ].sort((a, b) => (a.order.id < b.order.id ? -1 : 1))
  const priceOf = (roundId: bigint) => {
    const status = results.find((round) => round.id === roundId)?.status
    return status?.type === "Cleared" ? status.value.price_per_kwh : undefined
  }

  const cancel = (order: Order) => {
    if (!connection) return
    const what = order.side.type === "Bid" ? "its payment" : "its energy"
    void action.send(
      `Cancel order #${order.id}`,
      connection.api.tx.EnergyBus.cancel_order({ order_id: order.id }),
      (block) => `Cancelled order #${order.id} in block #${block}: ${what} and its deposit came back.`,
    )
  }

  return (
    <>
      <h4 id="my-orders-title">My orders</h4>
      {!mine.value ? (
        <p>Loading your orders…</p>
      ) : rows.length === 0 ? (
        <p className="muted">You have no orders on this bus.</p>
      ) : (
        <table className="offers" aria-labelledby="my-orders-title">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Side</th>
              <th scope="col">Factory</th>
              <th scope="col">Energy</th>
              <th scope="col">Limit</th>
              <th scope="col">Round</th>
              <th scope="col">Status</th>
              <th scope="col">Filled</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ order, settlement }) => {
              const round = mine.value?.rounds.get(order.round_id)
              const gateOpen =
                !settlement &&
                round?.status.type === "Open" &&
                best !== undefined &&
                best.number < round.gate_closes_at
              const factory = text(order.factory)
              return (
                <tr key={order.id.toString()} aria-label={`Order #${order.id}`}>
                  <th scope="row">#{order.id.toString()}</th>
                  <td data-label="Side">{order.side.type}</td>
                  <td data-label="Factory">
                    <a href={href({ page: "factories", factoryId: factory })}>{factory}</a>
                  </td>
                  <td data-label="Energy">
                    <Energy wh={order.energy_wh} />
                  </td>
                  <td data-label="Limit">
                    <Price perKwh={order.limit_price_per_kwh} />
                  </td>
                  <td data-label="Round">#{order.round_id.toString()}</td>
                  <td data-label="Status">
                    {settlement
                      ? settledText(settlement, priceOf(settlement.round_id))
                      : statusText(round, gateOpen)}
                  </td>
                  <td data-label="Filled">{settlement ? <Energy wh={settlement.filled_wh} /> : "—"}</td>
                  <td>
                    {gateOpen && (
                      <button
                        type="button"
                        className="secondary"
                        disabled={action.busy}
                        onClick={() => cancel(order)}
                        aria-label={`Cancel order #${order.id}`}
                      >
                        Cancel
                      </button>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {mine.value && terms.value && (
        <p className="muted">
          {mine.value.total} of the {terms.value.maxOrders} unsettled orders an account may have (on every
          bus). Each holds a deposit of {formatEct(terms.value.deposit)} until it settles.
        </p>
      )}
      <ActionResult message={action.message} />
    </>
  )
}

/** Where an unsettled order's round stands. */
function statusText(round: Round | undefined, gateOpen: boolean): string {
  if (!round) return "Settling"
  switch (round.status.type) {
    case "Open":
      return gateOpen
        ? `Open through block #${round.gate_closes_at}`
        : "Gate closed: the round clears in the next block"
    case "Cleared":
      return `Round cleared at ${formatPrice(round.status.value.price_per_kwh)}: being settled`
    case "NoTrade":
      return "Round cleared without a trade: everything is being returned"
  }
}

/** What a settled order got, from its `OrderSettled` event. */
function settledText(s: Settled, price: bigint | undefined): string {
  const at = price !== undefined ? ` at ${formatPrice(price)}` : ""
  const when = `Settled in block #${s.block}`
  if (s.side.type === "Bid") {
    const fee = s.grid_fee > 0n ? ` and a grid fee of ${formatEct(s.grid_fee, 12)}` : ""
    return s.filled_wh > 0n
      ? `${when}: bought ${formatEnergy(s.filled_wh)}${at} for ${formatEct(s.amount)}${fee}; ${formatEct(s.refund)} of the payment and the deposit came back`
      : `${when}: nothing bought; the payment and the deposit came back`
  }
  return s.filled_wh > 0n
    ? `${when}: sold ${formatEnergy(s.filled_wh)}${at} for ${formatEct(s.amount)}` +
        (s.returned_wh > 0n
          ? `; ${formatEnergy(s.returned_wh)} and the deposit came back`
          : "; the deposit came back")
    : `${when}: nothing sold; the energy and the deposit came back`
}
