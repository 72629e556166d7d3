// The chosen account's part of a bus's grid fees, if it is (or was) one of its owners: its
// shares, what it may claim now and the bus's unclaimed pot, read again at every new best
// block, and a Claim button (claim_grid_fees). A former owner keeps what it earned, to claim.
import { useAccounts } from "../accounts/AccountContext"
import { useChain, useLive } from "../chain/ChainContext"
import { gridFeeShare } from "../chain/queries"
import { ActionResult } from "../components/ActionResult"
import { Ect } from "../components/Amounts"
import { BlockStamp } from "../components/BlockStamp"
import { useAction } from "../tx/useAction"
import { formatEct } from "../units"

export function GridFeeShare({ busId }: { busId: number }) {
  const { connection } = useChain()
  const { selected } = useAccounts()
  const who = selected?.address
  const fees = useLive(
    `grid-fees:${who}:${busId}`,
    who ? (api, at) => gridFeeShare(api, at, who, busId) : undefined,
  )
  const action = useAction()
  const share = fees.value?.share
  const pot = fees.value?.pot
  // A former owner's record leaves the chain once it claimed: its outcome stays shown.
  if (!who || ((!share || !pot) && !action.message)) return null

  const claim = () => {
    if (!connection || !share) return
    if (share.amount === 0n) {
      return action.refuse("Nothing to claim yet: no grid fee was paid to you since you last claimed")
    }
    void action.send(
      `Claim the grid fees of bus #${busId}`,
      connection.api.tx.EnergyBus.claim_grid_fees({ bus_id: busId }),
      (block, events) => {
        const claimed = events.find((event) => event.name === "EnergyBus.GridFeesClaimed")?.value as
          { amount: bigint } | undefined
        return claimed
          ? `Claimed ${formatEct(claimed.amount, 12)} in block #${block}: it is in your balance.`
          : `Claimed in block #${block}.`
      },
    )
  }

  return (
    <section className="panel" aria-labelledby="grid-fees-title">
      <header className="panel-header">
        <h3 id="grid-fees-title">Your grid fees</h3>
        <BlockStamp block={fees.block} stale={fees.stale} />
      </header>
      {share && pot && (
        <>
          <p className="muted">
            Buyers pay this bus's grid fee to its owners, split by their shares; each owner claims its part.
          </p>
          <dl className="facts">
            <div>
              <dt>Your shares</dt>
              <dd data-testid="fee-shares">
                {share.shares > 0
                  ? `${share.shares} of ${pot.total_shares}`
                  : "none: you are no longer an owner, and keep what you earned"}
              </dd>
            </div>
            <div>
              <dt>You can claim now</dt>
              <dd data-testid="fees-claimable">
                <Ect planck={share.amount} exact />
              </dd>
            </div>
            <div>
              <dt>Unclaimed in the bus's pot</dt>
              <dd data-testid="fees-unclaimed">
                <Ect planck={pot.unclaimed} exact /> (all owners' parts)
              </dd>
            </div>
          </dl>
          <button type="button" onClick={claim} disabled={action.busy}>
            {action.busy ? "Claiming…" : "Claim"}
          </button>
        </>
      )}
      <ActionResult message={action.message} />
    </section>
  )
}
