// One way to show each kind of amount: energy, ECT, a price per kWh, an account.
import { useAccounts } from "../accounts/AccountContext"
import { shortAddress } from "../accounts/accounts"
import { formatEct, formatEnergy, formatPrice } from "../units"

export function Energy({ wh }: { wh: bigint }) {
  return <span className="amount">{formatEnergy(wh)}</span>
}

/** ECT to 4 decimals (the exact amount in its title), or `exact`: every decimal, for small amounts such as fees. */
export function Ect({ planck, exact = false }: { planck: bigint; exact?: boolean }) {
  return (
    <span className="amount" title={`${formatEct(planck, 12)}`}>
      {formatEct(planck, exact ? 12 : 4)}
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
