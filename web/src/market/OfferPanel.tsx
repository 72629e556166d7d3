// One offer's actions: buy part of it, lock part of it for a factory for a few minutes (the
// payment held, the lock fee paid to the seller and shown before signing, the expiry shown),
// buy from that lock, release it. Amounts in Wh, kWh or MWh; a price guard that defaults to
// the offer's price plus its grid fee (the guard bounds both); the total (price and grid fee),
// the transaction fee and the market nonce shown before signing; every input checked before
// anything is signed.
import { useEffect, useMemo, useState, type FormEvent } from "react"
import { useAccounts } from "../accounts/AccountContext"
import { useChain, useLive } from "../chain/ChainContext"
import {
  accountSummary,
  marketParams,
  text,
  type Bus,
  type Lock,
  type LockQuote,
  type Offer,
} from "../chain/queries"
import { Ect, Energy, Price } from "../components/Amounts"
import { EnergyInput } from "../components/EnergyInput"
import { buyingMessage, submitBuying, type BuyingMessage as Message } from "../tx/buying"
import { lockReceipt, purchaseReceipt } from "../tx/receipt"
import { useTx } from "../tx/TxContext"
import {
  InputError,
  formatDuration,
  formatEct,
  formatEnergy,
  formatFixed,
  parseEct,
  parseEnergy,
  payment,
  type EnergyUnit,
} from "../units"
import { useBasket } from "./BasketContext"
import { LockIndicator } from "./LockIndicator"

interface Props {
  offer: Offer
  bus?: Bus
  locks: Lock[]
  onClose: () => void
}

const encoder = new TextEncoder()

export function OfferPanel({ offer, bus, locks, onClose }: Props) {
  const { connection, info } = useChain()
  const { selected } = useAccounts()
  const { submit } = useTx()
  const basket = useBasket()
  const who = selected?.address
  const account = useLive(`account:${who}`, who ? (api, at) => accountSummary(api, at, who) : undefined)
  const params = useLive("market-params", marketParams)
  const factories = account.value?.factories ?? []

  const [amount, setAmount] = useState("")
  const [unit, setUnit] = useState<EnergyUnit>("kWh")
  // The buyer's guard bounds what it pays per kWh: the offer's price and its grid fee.
  const perKwh = offer.price_per_kwh + offer.grid_fee_per_kwh
  const hasGridFee = offer.grid_fee_per_kwh > 0n
  const [maxPrice, setMaxPrice] = useState(() => formatFixed(perKwh, 12).replace(/,/g, ""))
  const [into, setInto] = useState("")
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<Message>()
  const [txFee, setTxFee] = useState<bigint>()
  const [quote, setQuote] = useState<LockQuote>()
  const [tried, setTried] = useState(false)

  const myLock = locks.find((lock) => lock.holder === who)
  const lockFactory = myLock ? text(myLock.factory) : undefined
  useEffect(() => {
    // Your lock's energy goes only into the factory it is for: buy into that one.
    if (lockFactory) setInto(lockFactory)
    else if (!into && factories[0]) setInto(text(factories[0].id))
  }, [factories, into, lockFactory])
  // A purchase uses the buyer's own lock first, then the offer's unlocked energy.
  const buyable = offer.available_wh + (myLock?.energy_wh ?? 0n)

  const checked = useMemo(() => {
    const problems: { amount?: string; price?: string; account?: string } = {}
    let energyWh: bigint | undefined
    let priceLimit: bigint | undefined
    try {
      energyWh = parseEnergy(amount, unit)
      if (energyWh > buyable) {
        problems.amount = `Only ${formatEnergy(buyable)} can be bought now${offer.locked_wh > 0n ? "; the rest is locked" : ""}.`
      }
    } catch (error) {
      problems.amount = error instanceof InputError ? error.message : String(error)
    }
    try {
      priceLimit = parseEct(maxPrice)
      if (bus && priceLimit < bus.base_price_per_kwh) {
        problems.price = `Below the bus's base price of ${formatEct(bus.base_price_per_kwh, 12)}/kWh: no offer here asks less.`
      } else if (priceLimit < perKwh) {
        const asks = hasGridFee
          ? `${formatEct(offer.price_per_kwh, 12)}/kWh plus a grid fee of ${formatEct(offer.grid_fee_per_kwh, 12)}/kWh, ${formatEct(perKwh, 12)}/kWh in all`
          : `${formatEct(offer.price_per_kwh, 12)}/kWh`
        problems.price = `The offer asks ${asks}: raise your maximum or pick another offer.`
      }
    } catch (error) {
      problems.price = error instanceof InputError ? error.message : String(error)
    }
    if (!who) problems.account = "Choose an account first."
    else if (offer.seller === who) problems.account = "This is your own offer: you cannot buy or lock it."
    else if (account.value && factories.length === 0) {
      problems.account = "This account owns no factory to receive the energy."
    }
    const cost =
      energyWh !== undefined ? payment(energyWh, offer.price_per_kwh, offer.grid_fee_per_kwh) : undefined
    if (
      !problems.amount &&
      cost !== undefined &&
      account.value &&
      cost.total + (txFee ?? 0n) > account.value.free
    ) {
      problems.amount = `This costs ${formatEct(cost.total)} plus the transaction fee; the account has ${formatEct(account.value.free)}.`
    }
    return { problems, energyWh, priceLimit, cost }
  }, [amount, unit, maxPrice, who, offer, bus, buyable, account.value, factories.length, txFee])

  // The transaction fee estimate for the purchase as it would be sent.
  useEffect(() => {
    setTxFee(undefined)
    const { energyWh, priceLimit } = checked
    if (!connection || !who || energyWh === undefined || priceLimit === undefined || !into) return
    let cancelled = false
    connection.api.tx.EnergyBus.purchase_energy({
      offer_id: offer.id,
      energy_wh: energyWh,
      max_price_per_kwh: priceLimit,
      into_factory: encoder.encode(into),
      nonce: account.value?.marketNonce ?? 0n,
    })
      .getEstimatedFees(who)
      .then((estimate) => !cancelled && setTxFee(estimate))
      .catch(() => undefined)
    return () => {
      cancelled = true
    }
  }, [connection, who, checked.energyWh, checked.priceLimit, into, offer.id])

  // What a lock of this amount would hold and cost (its lock fee), shown before it is signed.
  useEffect(() => {
    setQuote(undefined)
    const { energyWh } = checked
    if (!connection || energyWh === undefined || energyWh === 0n) return
    let cancelled = false
    connection.api.view.EnergyBus.lock_quote(offer.id, energyWh, { at: "best" })
      .then((answer) => !cancelled && setQuote(answer ?? undefined))
      .catch(() => undefined)
    return () => {
      cancelled = true
    }
  }, [connection, checked.energyWh, offer.id])

  const run = async (work: () => Promise<Message>) => {
    setBusy(true)
    setMessage(undefined)
    try {
      const result = await work()
      setMessage(result)
      if (result.kind !== "error") setAmount("")
    } finally {
      setBusy(false)
      setTried(false)
    }
  }

  const refuse = (problem: string | undefined) => {
    setTried(true)
    const reason = (problem ?? "Fix the marked fields first").replace(/\.$/, "")
    setMessage({ kind: "error", text: `${reason}: nothing was sent.` })
  }

  const buy = (event: FormEvent) => {
    event.preventDefault()
    const { problems, energyWh, priceLimit } = checked
    const problem =
      problems.account ??
      problems.amount ??
      problems.price ??
      (!into ? "Choose the factory that receives the energy" : undefined)
    if (problem || !connection || !selected || energyWh === undefined || priceLimit === undefined)
      return refuse(problem)
    const intoKey = encoder.encode(into)
    void run(async () =>
      buyingMessage(
        await submitBuying(
          connection.api,
          submit,
          selected,
          `Buy ${formatEnergy(energyWh)} of offer #${offer.id}`,
          (nonce) => ({
            tx: connection.api.tx.EnergyBus.purchase_energy({
              offer_id: offer.id,
              energy_wh: energyWh,
              max_price_per_kwh: priceLimit,
              into_factory: intoKey,
              nonce,
            }),
            receipt: purchaseReceipt(selected.address, nonce, offer.id, energyWh, priceLimit, intoKey),
          }),
        ),
        (block, events) => {
          const bought = events.find((event) => event.name === "EnergyBus.EnergyPurchased")?.value as
            { total_price: bigint; grid_fee: bigint } | undefined
          const paid = !bought
            ? ""
            : bought.grid_fee > 0n
              ? ` You paid ${formatEct(bought.total_price, 12)} to the seller and a grid fee of ${formatEct(bought.grid_fee, 12)}.`
              : ` You paid ${formatEct(bought.total_price, 12)}.`
          return `Bought ${formatEnergy(energyWh)} into ${into} in block #${block}.${paid}`
        },
      ),
    )
  }

  const lock = () => {
    const { problems, energyWh } = checked
    const problem =
      problems.account ??
      (myLock ? "You already hold a lock on this offer: buy from it or release it first" : undefined) ??
      (energyWh !== undefined && energyWh > offer.available_wh
        ? `Only ${formatEnergy(offer.available_wh)} can be locked now`
        : undefined) ??
      (energyWh !== undefined && quote && energyWh > quote.max_energy_wh
        ? `One lock may take at most ${formatEnergy(quote.max_energy_wh)} of this offer`
        : undefined) ??
      (quote && account.value && quote.held + quote.fee > account.value.free
        ? `This lock holds ${formatEct(quote.held)} and costs a lock fee of ${formatEct(quote.fee)}; the account has ${formatEct(account.value.free)}`
        : undefined) ??
      problems.amount ??
      (!into ? "Choose the factory the locked energy is for" : undefined)
    if (problem || !connection || !selected || energyWh === undefined) return refuse(problem)
    const intoKey = encoder.encode(into)
    const lockFee = quote?.fee
    void run(async () =>
      buyingMessage(
        await submitBuying(
          connection.api,
          submit,
          selected,
          `Lock ${formatEnergy(energyWh)} of offer #${offer.id}`,
          (nonce) => ({
            tx: connection.api.tx.EnergyBus.lock_offer({
              offer_id: offer.id,
              energy_wh: energyWh,
              into_factory: intoKey,
              nonce,
            }),
            receipt: lockReceipt(selected.address, nonce, offer.id, energyWh, intoKey),
          }),
        ),
        (block) =>
          `Locked ${formatEnergy(energyWh)} for ${into} in block #${block}: only you can buy it until the lock ends.` +
          (lockFee !== undefined ? ` The seller was paid a lock fee of ${formatEct(lockFee)}.` : ""),
      ),
    )
  }

  const addToBasket = () => {
    const { problems, energyWh, priceLimit } = checked
    const problem = problems.account ?? problems.amount ?? problems.price
    if (problem || energyWh === undefined || priceLimit === undefined) return refuse(problem)
    basket.put({ offer, energyWh, maxPricePerKwh: priceLimit })
    setMessage({ kind: "info", text: `Added ${formatEnergy(energyWh)} of offer #${offer.id} to the basket.` })
    setAmount("")
  }

  const release = () => {
    if (!connection || !selected || !myLock) return
    void run(async () => {
      const outcome = await submit(
        `Release lock #${myLock.id}`,
        connection.api.tx.EnergyBus.release_lock({ lock_id: myLock.id }),
        selected,
      )
      return outcome.ok
        ? {
            kind: "ok",
            text: `Released your lock in block #${outcome.block}; the held payment is free again.`,
          }
        : { kind: "error", text: `${outcome.error.name}: ${outcome.error.docs}` }
    })
  }

  const cancel = () => {
    if (!connection || !selected) return
    void run(async () => {
      const outcome = await submit(
        `Cancel offer #${offer.id}`,
        connection.api.tx.EnergyBus.cancel_offer({ offer_id: offer.id }),
        selected,
      )
      return outcome.ok
        ? {
            kind: "ok",
            text: `Cancelled offer #${offer.id} in block #${outcome.block}: its unlocked energy is back in ${text(offer.factory)}.`,
          }
        : { kind: "error", text: `${outcome.error.name}: ${outcome.error.docs}` }
    })
  }

  const { problems, cost } = checked
  const showInputErrors = amount !== "" || tried
  const lockBlocks = params.value?.lock_duration
  return (
    <section className="panel" aria-labelledby="offer-title">
      <header className="panel-header">
        <h3 id="offer-title">Offer #{offer.id.toString()}</h3>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </header>
      <p>
        {text(offer.factory)} offers <Energy wh={offer.available_wh} /> at{" "}
        <Price perKwh={offer.price_per_kwh} />
        {hasGridFee && (
          <>
            , plus a grid fee of <Price perKwh={offer.grid_fee_per_kwh} /> to the bus's owners
          </>
        )}
        .
      </p>
      {offer.seller === who && (
        <div className="actions">
          <button type="button" className="danger" onClick={cancel} disabled={busy}>
            Cancel this offer
          </button>
        </div>
      )}
      {myLock && (
        <div className="my-lock">
          <p>
            Your lock holds <Energy wh={myLock.energy_wh} /> for {text(myLock.factory)} at{" "}
            <Price perKwh={myLock.price_per_kwh} /> with <Ect planck={myLock.held} /> of your balance held
            {hasGridFee && " (its price and grid fee)"}; it can be used through block #{myLock.expires_at}.
            Buy it into {text(myLock.factory)}.
          </p>
          <LockIndicator locks={[myLock]} />
          <button type="button" className="secondary" onClick={release} disabled={busy}>
            Release my lock
          </button>
        </div>
      )}
      <form onSubmit={buy} noValidate className="form-grid">
        <EnergyInput
          id="offer-amount"
          label="Amount"
          value={amount}
          unit={unit}
          onValue={setAmount}
          onUnit={setUnit}
          error={showInputErrors ? problems.amount : undefined}
          autoFocus
        />
        <div className="field">
          <label htmlFor="offer-max-price">Maximum price (ECT per kWh)</label>
          <input
            id="offer-max-price"
            inputMode="decimal"
            value={maxPrice}
            onChange={(event) => setMaxPrice(event.target.value)}
            aria-invalid={problems.price !== undefined}
            aria-describedby={hasGridFee ? "offer-price-error offer-price-hint" : "offer-price-error"}
          />
          {hasGridFee && (
            <span id="offer-price-hint" className="muted">
              What you pay per kWh: the price and the grid fee.
            </span>
          )}
          <span id="offer-price-error" className="field-error">
            {problems.price}
          </span>
        </div>
        <div className="field">
          <label htmlFor="offer-into">Into factory (a lock is for it too)</label>
          <select id="offer-into" value={into} onChange={(event) => setInto(event.target.value)}>
            {factories.map((factory) => (
              <option key={text(factory.id)}>{text(factory.id)}</option>
            ))}
          </select>
        </div>
        <dl className="facts summary">
          <div>
            <dt>Total</dt>
            <dd data-testid="offer-total">{cost !== undefined ? <Ect planck={cost.total} exact /> : "—"}</dd>
          </div>
          {hasGridFee && (
            <div>
              <dt>Of which</dt>
              <dd data-testid="offer-total-parts">
                {cost !== undefined ? (
                  <>
                    <Ect planck={cost.price} exact /> to the seller and a grid fee of{" "}
                    <Ect planck={cost.gridFee} exact /> to the bus's owners
                  </>
                ) : (
                  "—"
                )}
              </dd>
            </div>
          )}
          <div>
            <dt>Transaction fee (estimate)</dt>
            <dd>{txFee !== undefined ? formatEct(txFee, 6) : "—"}</dd>
          </div>
          <div>
            <dt>Market nonce</dt>
            <dd>{account.value ? account.value.marketNonce.toString() : "—"} (chosen for you)</dd>
          </div>
          <div>
            <dt>Lock fee</dt>
            <dd data-testid="lock-fee">
              {quote ? (
                <>
                  <Ect planck={quote.fee} /> to the seller, not refunded (a lock takes at most{" "}
                  <Energy wh={quote.max_energy_wh} />)
                </>
              ) : (
                "—"
              )}
            </dd>
          </div>
          <div>
            <dt>A lock lasts</dt>
            <dd>
              {lockBlocks !== undefined
                ? `${lockBlocks} blocks (${formatDuration(lockBlocks, info?.blockMs ?? 6000)}), the total held meanwhile`
                : "—"}
            </dd>
          </div>
        </dl>
        {problems.account && (
          <p className="field-error" role="alert">
            {problems.account}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Sending…" : message?.retry ? "Try again" : "Buy"}
          </button>
          <button type="button" className="secondary" onClick={lock} disabled={busy}>
            Lock
          </button>
          <button type="button" className="secondary" onClick={addToBasket} disabled={busy}>
            Add to basket
          </button>
        </div>
      </form>
      {message && (
        <p className={`result ${message.kind}`} role={message.kind === "error" ? "alert" : "status"}>
          {message.text}
        </p>
      )}
    </section>
  )
}
