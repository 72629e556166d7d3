// One bus: who owns it, its capacity and base price, and its open offers page by page, each
// with its locks. Everything is read again at every new best block.
import { useEffect, useState } from "react"
import { useChain, useLive } from "../chain/ChainContext"
import { busDetails, busOffers, locksOf, text, type Lock, type Offer } from "../chain/queries"
import { Address, Energy, Price } from "../components/Amounts"
import { BlockStamp } from "../components/BlockStamp"
import { CapacityBar } from "../components/CapacityBar"
import { Pager, useCursors } from "../components/Pager"
import { href } from "../route"
import { recordShown } from "../timing"
import { formatDuration } from "../units"
import { OfferPanel } from "./OfferPanel"
import { SellOffer } from "./SellOffer"
import { AuctionSection } from "./Auction"
import { BusGovernance } from "./BusGovernance"
import { GridFeeShare } from "./GridFeeShare"
import { LockIndicator } from "./LockIndicator"

export function BusView({ busId }: { busId: number }) {
  const cursors = useCursors<bigint>()
  const [buying, setBuying] = useState<bigint>()
  useEffect(() => {
    cursors.reset()
    setBuying(undefined)
  }, [busId])
  const { startAfter } = cursors

  const details = useLive(`bus:${busId}`, (api, at) => busDetails(api, at, busId))
  const closing = useLive(`bus-closing:${busId}`, (api, at) => api.view.EnergyBus.bus_closing(busId, { at }))
  const offers = useLive(`offers:${busId}:${startAfter}`, async (api, at) => {
    const page = await busOffers(api, at, busId, startAfter)
    return { page, locks: await locksOf(api, at, page) }
  })
  const block = offers.block
  useEffect(() => {
    if (block) recordShown(block.number)
  }, [block?.number])

  if (details.value === undefined && details.block) {
    return <p role="alert">There is no bus #{busId}.</p>
  }
  const bus = details.value?.bus
  const gridFeePerKwh = details.value?.gridFeePerKwh ?? 0n
  const buyingOffer = offers.value?.page.find((offer) => offer.id === buying)
  return (
    <article className="bus" aria-labelledby="bus-title">
      {bus ? (
        <>
          <header className="bus-header">
            <h2 id="bus-title">
              Bus #{bus.id}: {text(bus.name)}
            </h2>
            <BlockStamp block={offers.block} stale={offers.stale || details.stale} />
          </header>
          <dl className="facts">
            <div>
              <dt>Co-owners</dt>
              <dd>
                <ul className="inline-list" aria-label="Co-owners">
                  {bus.owners.map((owner) => (
                    <li key={owner}>
                      <Address address={owner} />
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
            <div>
              <dt>Changes need</dt>
              <dd>
                {bus.approval_threshold} of {bus.owners.length} owners
              </dd>
            </div>
            <div>
              <dt>Base price</dt>
              <dd>
                <Price perKwh={bus.base_price_per_kwh} />
              </dd>
            </div>
            <div>
              <dt>Grid fee</dt>
              <dd data-testid="bus-grid-fee">
                {gridFeePerKwh > 0n ? (
                  <>
                    <Price perKwh={gridFeePerKwh} /> on top of the price, to the owners
                  </>
                ) : (
                  "none"
                )}
              </dd>
            </div>
            <div>
              <dt>Open offers</dt>
              <dd>{bus.open_offers}</dd>
            </div>
          </dl>
          {closing.value && (
            <p role="status" className="notice">
              Its owners closed this bus: its offers are being cancelled, their energy returned to their
              factories, and it closes once none is left. It takes no new offers.
            </p>
          )}
          <CapacityBar capacityWh={bus.capacity_wh} committedWh={bus.committed_wh} />
        </>
      ) : (
        <p>Loading bus #{busId}…</p>
      )}
      <OffersTable page={offers.value?.page} locks={offers.value?.locks} onBuy={setBuying} />
      {buying !== undefined && !buyingOffer && offers.value && (
        <p role="status" className="muted">
          Offer #{buying.toString()} is no longer open here: sold out or cancelled.
        </p>
      )}
      {buyingOffer && (
        <OfferPanel
          key={`offer-${buyingOffer.id}`}
          offer={buyingOffer}
          bus={bus}
          locks={offers.value?.locks.get(buyingOffer.id) ?? []}
          onClose={() => setBuying(undefined)}
        />
      )}
      <Pager
        label="Offer pages"
        cursors={cursors}
        items={offers.value?.page}
        cursorOf={(offer) => offer.id}
        previousText="Previous offers"
        nextText="Next offers"
      />
      {bus && (
        <SellOffer
          key={`sell-${bus.id}`}
          bus={bus}
          availableWh={details.value?.availableWh}
          gridFeePerKwh={gridFeePerKwh}
        />
      )}
      {bus && <AuctionSection key={`auction-${bus.id}`} bus={bus} />}
      {bus && <GridFeeShare key={`fees-${bus.id}`} busId={bus.id} />}
      {bus && <BusGovernance bus={bus} />}
    </article>
  )
}

function OffersTable({
  page,
  locks,
  onBuy,
}: {
  page?: Offer[]
  locks?: Map<bigint, Lock[]>
  onBuy: (offerId: bigint) => void
}) {
  if (!page) return <p>Loading offers…</p>
  if (page.length === 0) return <p>No open offers on this bus.</p>
  return (
    <table className="offers">
      <caption className="visually-hidden">Open offers</caption>
      <thead>
        <tr>
          <th scope="col">Offer</th>
          <th scope="col">Seller factory</th>
          <th scope="col">Seller</th>
          <th scope="col">Available</th>
          <th scope="col">Locked</th>
          <th scope="col">Sold</th>
          <th scope="col">Price</th>
          <th scope="col">Locks</th>
          <th scope="col">Ends</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {page.map((offer) => {
          const factory = text(offer.factory)
          return (
            <tr key={offer.id.toString()} aria-label={`Offer #${offer.id}`}>
              <th scope="row">#{offer.id.toString()}</th>
              <td>
                <a href={href({ page: "factories", factoryId: factory })}>{factory}</a>
              </td>
              <td>
                <Address address={offer.seller} />
              </td>
              <td data-label="Available">
                <Energy wh={offer.available_wh} />
              </td>
              <td data-label="Locked">
                <Energy wh={offer.locked_wh} />
              </td>
              <td data-label="Sold">
                <Energy wh={offer.sold_wh} />
              </td>
              <td>
                <Price perKwh={offer.price_per_kwh} />
                {offer.grid_fee_per_kwh > 0n && (
                  <span className="grid-fee">
                    {" "}
                    + <Price perKwh={offer.grid_fee_per_kwh} /> grid fee
                  </span>
                )}
              </td>
              <td>
                <LockIndicator locks={locks?.get(offer.id) ?? []} />
              </td>
              <td data-label="Ends">
                <OfferEnd expiresAt={offer.expires_at} />
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => onBuy(offer.id)}
                  aria-label={`Buy or lock offer #${offer.id}`}
                >
                  Buy or lock
                </button>
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

/** When an offer ends: it can be bought through its `expires_at` block, then its unsold energy returns. */
function OfferEnd({ expiresAt }: { expiresAt: number }) {
  const { best, info } = useChain()
  if (!best) return <span>after block #{expiresAt}</span>
  const blocksLeft = Math.max(0, expiresAt - best.number + 1)
  return (
    <span title={`Open through block #${expiresAt}`}>
      in {formatDuration(blocksLeft, info?.blockMs ?? 6000)}
    </span>
  )
}
