// Grid fees: bus 1 ("Wind Farm B", owners Bob and Dave, changes need 1 of them) charges 0.005
// ECT/kWh from genesis on, set after its genesis offers and round 0, which carry none. Alice
// offers 100 kWh of Factory19 there at 0.08 ECT/kWh, so her offer carries the fee; Charlie buys
// 10 kWh of it and pays 0.8 ECT to Alice and 0.05 ECT of grid fee. Bob sees his half of the fee
// in his panel, is refused bad fee shares before signing, takes 3 shares of future fees, sees
// round 1 (from block 20) carry the fee, claims his 0.025 ECT, and raises the fee, which the open
// offer does not follow. The chain's state and balances are checked over RPC.
import type { SS58String } from "polkadot-api"
import { ECT, dev, enc, expect, kwh, openAs, screenshot, test, type Chain } from "./fixtures"

const CENT = ECT / 100n
const MILLI = ECT / 1000n

const free = async (chain: Chain, who: SS58String) =>
  (await chain.api.query.System.Account.getValue(who)).data.free

test("a bus's grid fee: paid by a buyer on top of the price, claimed by an owner", async ({
  browser,
  chain,
}) => {
  // Round 1, which carries the fee, opens in block 20, two minutes after genesis.
  test.setTimeout(300_000)
  const { api } = chain
  const alice = dev("Alice").address
  const bob = dev("Bob").address
  const charlie = dev("Charlie").address
  // The transaction fee each account paid in each finalized block, to check balances exactly.
  const txFees: { block: number; who: SS58String; fee: bigint }[] = []
  const feeWatch = api.event.TransactionPayment.TransactionFeePaid.watch().subscribe(({ block, events }) => {
    for (const { payload } of events)
      txFees.push({ block: block.number, who: payload.who, fee: payload.actual_fee })
  })
  const txFee = async (who: SS58String, block: number) => {
    await expect.poll(() => txFees.some((paid) => paid.who === who && paid.block === block)).toBe(true)
    return txFees
      .filter((paid) => paid.who === who && paid.block === block)
      .reduce((sum, p) => sum + p.fee, 0n)
  }
  const blockOf = (status: string | null) => Number(/in block #(\d+)/.exec(status ?? "")?.[1])

  try {
    // Bob, an owner of bus 1: the bus's fee, none on round 0, and his part of the (empty) pot.
    const bobPage = await openAs(browser, chain, "Bob", "#/market/1")
    await expect(bobPage.getByRole("heading", { name: "Bus #1: Wind Farm B" })).toBeVisible()
    await expect(bobPage.getByTestId("bus-grid-fee")).toHaveText(
      "0.005 ECT/kWh on top of the price, to the owners",
    )
    await expect(bobPage.getByText("1 of 2 owners")).toBeVisible()
    await expect(bobPage.getByTestId("round-grid-fee")).toHaveText("none")
    const fees = bobPage.getByRole("region", { name: "Your grid fees" })
    await expect(fees.getByTestId("fee-shares")).toHaveText("1 of 2")
    await expect(fees.getByTestId("fees-claimable")).toHaveText("0 ECT")
    await expect(fees.getByTestId("fees-unclaimed")).toHaveText("0 ECT (all owners' parts)")
    // A genesis offer carries no fee.
    await expect(bobPage.getByRole("row", { name: "Offer #3" })).not.toContainText("grid fee")

    // Alice offers 100 kWh of Factory19 at 0.08 ECT/kWh; the form says buyers pay the fee too.
    const alicePage = await openAs(browser, chain, "Alice", "#/market/1")
    await alicePage.getByText("Sell on this bus").click()
    const sell = alicePage.getByRole("form", { name: "Sell on this bus" })
    await sell.getByLabel("From factory").selectOption("Factory19")
    await sell.getByLabel("Energy to offer", { exact: true }).fill("100")
    await sell.getByLabel("Price (ECT per kWh)").fill("0.08")
    await expect(sell).toContainText("Buyers also pay the bus's grid fee of 0.005 ECT/kWh, to its owners")
    await sell.getByRole("button", { name: "Create offer" }).click()
    await expect(
      alicePage.getByRole("status").filter({ hasText: "Offered 100 kWh of Factory19" }),
    ).toBeVisible()
    await chain.settled()
    const offers = await api.view.EnergyBus.bus_active_offers(1, undefined, 100)
    const offer = offers.find((o) => o.id === 7n)
    expect(offer && [offer.factory, offer.price_per_kwh, offer.grid_fee_per_kwh]).toEqual([
      enc("Factory19"),
      8n * CENT,
      5n * MILLI,
    ])
    const aliceBefore = await free(chain, alice)
    const charlieBefore = await free(chain, charlie)

    // Charlie buys 10 kWh: the maximum defaults to price + fee, a lower one is refused, and the
    // estimate shows both parts.
    const charliePage = await openAs(browser, chain, "Charlie", "#/market/1")
    const row = charliePage.getByRole("row", { name: "Offer #7" })
    await expect(row).toContainText("0.08 ECT/kWh + 0.005 ECT/kWh grid fee")
    await row.getByRole("button", { name: "Buy or lock offer #7" }).click()
    const panel = charliePage.getByRole("region", { name: "Offer #7" })
    await expect(panel).toContainText("plus a grid fee of 0.005 ECT/kWh to the bus's owners")
    const maxPrice = panel.getByLabel("Maximum price (ECT per kWh)")
    await expect(maxPrice).toHaveValue("0.085")
    await panel.getByLabel("Amount", { exact: true }).fill("10")
    await panel.getByLabel("Into factory (a lock is for it too)").selectOption("Factory03")
    await expect(panel.getByTestId("offer-total")).toHaveText("0.85 ECT")
    await expect(panel.getByTestId("offer-total-parts")).toHaveText(
      "0.8 ECT to the seller and a grid fee of 0.05 ECT to the bus's owners",
    )
    await maxPrice.fill("0.08")
    await panel.getByRole("button", { name: "Buy", exact: true }).click()
    await expect(panel.getByRole("alert")).toHaveText(
      "The offer asks 0.08 ECT/kWh plus a grid fee of 0.005 ECT/kWh, 0.085 ECT/kWh in all: raise your maximum or pick another offer: nothing was sent.",
    )
    await maxPrice.fill("0.085")
    await screenshot(charliePage, "grid-fee-buy")
    await panel.getByRole("button", { name: "Buy", exact: true }).click()
    const bought = panel.getByRole("status").filter({ hasText: "Bought 10 kWh into Factory03" })
    await expect(bought).toContainText("You paid 0.8 ECT to the seller and a grid fee of 0.05 ECT.")
    const boughtIn = blockOf(await bought.textContent())
    const purchase = charliePage
      .getByRole("region", { name: "Your purchases" })
      .getByRole("row", { name: "Purchase #0" })
    await expect(purchase.getByRole("cell")).toContainText(["0.8 ECT", "0.05 ECT"])

    // The chain: the purchase record, the seller paid the price, the buyer price + fee + its
    // transaction fee.
    const charlieFee = await txFee(charlie, boughtIn)
    await chain.settled()
    const [record] = await api.view.EnergyBus.purchases(charlie, undefined, 100)
    expect([record.energy_wh, record.total_price, record.grid_fee]).toEqual([kwh(10), 80n * CENT, 5n * CENT])
    expect((await free(chain, alice)) - aliceBefore).toBe(80n * CENT)
    expect(charlieBefore - (await free(chain, charlie))).toBe(85n * CENT + charlieFee)

    // Bob's panel follows the chain: half of the fee is his.
    await expect(fees.getByTestId("fees-claimable")).toHaveText("0.025 ECT")
    await expect(fees.getByTestId("fees-unclaimed")).toHaveText("0.05 ECT (all owners' parts)")

    // Fee shares: a non-owner and 0 shares are refused before signing; then Bob takes 3.
    const propose = bobPage.getByRole("form", { name: "Propose a change" })
    await propose.getByLabel("Change").selectOption("SetFeeShares")
    const owner = propose.getByLabel("Owner (address or dev name)")
    const shares = propose.getByLabel("Shares (1 to 10,000)")
    await owner.fill("Charlie")
    await shares.fill("2")
    await expect(
      propose.getByText("Charlie is not a co-owner of this bus: only its owners have fee shares."),
    ).toBeVisible()
    await owner.fill("Dave")
    await shares.fill("0")
    await propose.getByRole("button", { name: "Propose" }).click()
    await expect(propose.getByRole("alert")).toHaveText(
      "An owner's number of fee shares is a whole number from 1 to 10,000: nothing was sent.",
    )
    await owner.fill("Bob")
    await shares.fill("3")
    await propose.getByRole("button", { name: "Propose" }).click()
    await expect(propose.getByRole("status")).toContainText(
      "Give Bob 3 shares of the grid fees: done in block #",
    )
    await expect(fees.getByTestId("fee-shares")).toHaveText("3 of 4")
    // What Bob earned before stays his.
    await expect(fees.getByTestId("fees-claimable")).toHaveText("0.025 ECT")

    // Round 1 opens in block 20 with the bus's fee: a bid holds it on all its energy.
    const auction = bobPage.getByRole("region", { name: "Auction" })
    await expect(
      auction.getByRole("status").filter({ hasText: "Round #1 takes bids and asks through block #39" }),
    ).toBeVisible({ timeout: 150_000 })
    await expect(auction.getByTestId("round-grid-fee")).toHaveText("0.005 ECT/kWh on top, on what bids get")
    const bid = auction.getByRole("form", { name: "Bid: buy in this round" })
    await bid.getByLabel("Energy to buy", { exact: true }).fill("100")
    await expect(bid.getByTestId("bid-held")).toHaveText(
      "Held until the round settles: 6.5 ECT (the energy at your limit, 6 ECT, and the round's grid fee of 0.005 ECT/kWh on all of it, 0.5 ECT; you pay the clearing price, never more, and the grid fee on what you get; the rest comes back) and an order deposit of 1 ECT.",
    )
    await expect(
      auction
        .getByRole("table", { name: "Last rounds" })
        .getByRole("row", { name: "Round #0" })
        .getByRole("cell"),
    ).toContainText(["0 ECT"])

    // Bob claims once his genesis bid of round 0 has settled (so only the claim moves his balance).
    await expect.poll(() => api.view.EnergyBus.account_orders(bob), { timeout: 30_000 }).toEqual([])
    await chain.settled()
    const bobBefore = await free(chain, bob)
    await fees.getByRole("button", { name: "Claim" }).click()
    const claimed = fees.getByRole("status")
    await expect(claimed).toContainText("Claimed 0.025 ECT in block #")
    await expect(claimed).toContainText("it is in your balance")
    const claimedIn = blockOf(await claimed.textContent())
    await expect(fees.getByTestId("fees-claimable")).toHaveText("0 ECT")
    await expect(fees.getByTestId("fees-unclaimed")).toHaveText("0.025 ECT (all owners' parts)")
    await screenshot(fees, "grid-fees-panel")
    const bobFee = await txFee(bob, claimedIn)
    await chain.settled()
    expect((await free(chain, bob)) - bobBefore).toBe(25n * MILLI - bobFee)
    expect((await api.view.EnergyBus.grid_fee(1))?.unclaimed).toBe(25n * MILLI)
    // Bob co-owns bus 0 too; Dave only bus 1.
    const onBus1 = async (who: SS58String) =>
      (await api.view.EnergyBus.claimable_grid_fees(who)).find((part) => part.bus_id === 1)
    expect(await onBus1(bob)).toEqual({ bus_id: 1, shares: 3, amount: 0n })
    expect(await onBus1(dev("Dave").address)).toEqual({ bus_id: 1, shares: 1, amount: 25n * MILLI })

    // Nothing more to claim: refused before signing.
    await fees.getByRole("button", { name: "Claim" }).click()
    await expect(fees.getByRole("alert")).toContainText("Nothing to claim yet")

    // Bob raises the fee: the bus shows it, Alice's open offer keeps the one it was made with.
    await propose.getByLabel("Change").selectOption("SetGridFee")
    await propose.getByLabel("New grid fee (ECT per kWh; 0 for none)").fill("0.01")
    await propose.getByRole("button", { name: "Propose" }).click()
    await expect(propose.getByRole("status")).toContainText(
      "Set the grid fee to 0.01 ECT/kWh: done in block #",
    )
    await expect(bobPage.getByTestId("bus-grid-fee")).toHaveText(
      "0.01 ECT/kWh on top of the price, to the owners",
    )
    await expect(bobPage.getByRole("row", { name: "Offer #7" })).toContainText("+ 0.005 ECT/kWh grid fee")
    await screenshot(bobPage, "grid-fees")
    await chain.settled()
    expect((await api.view.EnergyBus.grid_fee(1))?.per_kwh).toBe(CENT)
  } finally {
    feeWatch.unsubscribe()
  }
})
