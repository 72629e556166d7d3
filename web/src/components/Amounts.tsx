// One way to show each kind of amount: energy, ECT, a price per kWh, an account.
import { useAccounts } from "../accounts/AccountContext"
import { shortAddress } from "../accounts/accounts"
import { formatEct, formatEnergy, formatPrice } from "../units"

export function Energy({ wh }: { wh: bigint }) {
  return <span className="amount">{formatEnergy(wh)}</span>
}

export function Ect({ planck }: { planck: bigint }) {
  return (
    <span className="amount" title={`${formatEct(planck, 12)}`}>
      {formatEct(planck)}
    </span>
  )
}

export function Price({ perKwh }: { perKwh: bigint }) {
  return <span className="amount">{formatPrice(perKwh)}</span>
}

/** An account by the name the app knows it by (a dev or wallet account), else its short address. */
export function Address({ address }: { address: string }) {
  const { nameOf, selected } = useAccounts()
  const name = nameOf(address)
  const you = selected?.address === address
  return (
    <span className="address" title={address}>
      {name ?? shortAddress(address)}
      {you && <span className="you"> (you)</span>}
    </span>
  )
}
