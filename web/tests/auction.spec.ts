// An auction round in the browser: bus 1 runs 20-block rounds from genesis, and its first round
// (0) holds four genesis orders (Eve asks 300 kWh at 0.07 and 200 kWh at 0.10 ECT/kWh, Dave bids
// 200 kWh at 0.09, Bob 80 kWh at 0.065). Charlie sees that book, is refused a limit off the
// grid, bids 100 kWh at 0.085 into Factory15, asks 50 kWh of Factory03 and cancels the ask.
// The gate closes after block 19; block 20 clears the round: 300 kWh at 0.075 ECT/kWh (the
// middle of the prices where demand and supply meet), and Charlie's bid fills whole.
import { dev, ECT, enc, expect, kwh, openAs, screenshot, test } from "./fixtures"

const CENT = ECT / 100n

test("an auction round: the book, a bid, a limit off the grid, an ask cancelled, the round cleared", async ({
  browser,
  chain,
}) => {
  // The round clears in block 20, two minutes after genesis.
  test.setTimeout(300_000)
  const { api } = chain
  const charlie = await openAs(browser, chain, "Charlie", "#/market/1")
  const auction = charlie.getByRole("region", { name: "Auction" })

  // The genesis round and its book, as a chart and as a table.
  await expect(
    auction.getByRole("status").filter({ hasText: "Round #0 takes bids and asks through block #19" }),
  ).toBeVisible()
  await expect(auction.getByTestId("gate-countdown")).toContainText(/\(in .+, \d+ blocks?\)/)
  await expect(auction.getByRole("img", { name: /^Depth of round #0's book/ })).toBeVisible()
  const book = auction.getByRole("table", { name: "Round #0's book by price" })
  const level = (price: string) => book.getByRole("row", { name: price, exact: true }).getByRole("cell")
  await expect(level("0.065 ECT/kWh")).toHaveText(["80 kWh", "0 Wh", "280 kWh", "0 Wh"])
  await expect(level("0.07 ECT/kWh")).toHaveText(["0 Wh", "300 kWh", "200 kWh", "300 kWh"])
  await expect(level("0.09 ECT/kWh")).toHaveText(["200 kWh", "0 Wh", "200 kWh", "300 kWh"])
  await expect(level("0.1 ECT/kWh")).toHaveText(["0 Wh", "200 kWh", "0 Wh", "500 kWh"])
  await expect(auction.getByText("You have no orders on this bus.")).toBeVisible()

  // A limit between two prices of the grid is refused before signing, with its neighbours.
  const bid = auction.getByRole("form", { name: "Bid: buy in this round" })
  await bid.getByLabel("Energy to buy", { exact: true }).fill("100")
  await bid.getByLabel("Into factory").selectOption("Factory15")
  await bid.getByLabel("Highest price (ECT per kWh)").fill("0.0875")
  await expect(bid.getByText("the nearest are 0.085 ECT/kWh and 0.09 ECT/kWh.")).toBeVisible()
  await bid.getByRole("button", { name: "Place bid" }).click()
  await expect(bid.getByRole("alert")).toHaveText(
    "0.0875 ECT/kWh is not a price of this round: they go up from 0.06 ECT/kWh in steps of 0.005 ECT/kWh; the nearest are 0.085 ECT/kWh and 0.09 ECT/kWh: nothing was sent.",
  )
  expect(await api.view.EnergyBus.account_orders(dev("Charlie").address, { at: "best" })).toHaveLength(0)

  // On the grid: what the bid holds is shown before signing, then it is placed.
  await bid.getByLabel("Highest price (ECT per kWh)").fill("0.085")
  await expect(bid.getByTestId("bid-held")).toHaveText(
    "Held until the round settles: 8.5 ECT (the energy at your limit; you pay the clearing price, never more, and the rest comes back) and an order deposit of 1 ECT.",
  )
  await bid.getByRole("button", { name: "Place bid" }).click()
  const placed = bid.getByRole("status").filter({ hasText: "placed in block" })
  await expect(placed).toContainText("Bid for 100 kWh at 0.085 ECT/kWh placed in block #")
  const receipt = /Receipt (0x[0-9a-f]{64})/.exec((await placed.textContent()) ?? "")?.[1] as `0x${string}`
  const myBid = auction.getByRole("row", { name: "Order #4" })
  await expect(myBid.getByRole("cell")).toHaveText([
    "Bid",
    "Factory15",
    "100 kWh",
    "0.085 ECT/kWh",
    "#0",
    "Open through block #19",
    "—",
    "Cancel",
  ])
  await expect(level("0.085 ECT/kWh")).toHaveText(["100 kWh", "0 Wh", "300 kWh", "300 kWh"])
  await chain.settled()
  const orders = await api.view.EnergyBus.account_orders(dev("Charlie").address)
  expect(orders.map((o) => [o.id, o.side.type, o.energy_wh, o.limit_price_per_kwh, o.escrow])).toEqual([
    [4n, "Bid", kwh(100), (85n * CENT) / 10n, (85n * ECT) / 10n],
  ])
  expect(await api.view.EnergyBus.is_transaction_processed(receipt)).toBe(true)

  // An ask from Factory03, cancelled before the gate: its energy comes back.
  const ask = auction.getByRole("form", { name: "Ask: sell in this round" })
  await ask.getByLabel("From factory").selectOption("Factory03")
  await ask.getByLabel("Energy to sell", { exact: true }).fill("600")
  await expect(ask.getByText("Factory03 holds only 500 kWh.")).toBeVisible()
  await ask.getByLabel("Energy to sell", { exact: true }).fill("50")
  await ask.getByLabel("Lowest price (ECT per kWh)").fill("0.075")
  await expect(ask.getByTestId("ask-held")).toContainText("50 kWh of Factory03 in escrow")
  await ask.getByRole("button", { name: "Place ask" }).click()
  await expect(ask.getByRole("status")).toContainText("Ask 50 kWh at 0.075 ECT/kWh placed in block #")
  await expect(level("0.075 ECT/kWh")).toHaveText(["0 Wh", "50 kWh", "300 kWh", "350 kWh"])
  await chain.settled()
  expect(await api.view.EnergyTrading.energy_balance(enc("Factory03"))).toBe(kwh(450))
  await screenshot(charlie, "auction")

  await auction.getByRole("button", { name: "Cancel order #5" }).click()
  await expect(auction.getByRole("status").filter({ hasText: "Cancelled order #5" })).toContainText(
    "its energy and its deposit came back",
  )
  await expect(auction.getByRole("row", { name: "Order #5" })).toHaveCount(0)
  await expect(book.getByRole("row", { name: "0.075 ECT/kWh", exact: true })).toHaveCount(0)
  await chain.settled()
  expect(await api.view.EnergyTrading.energy_balance(enc("Factory03"))).toBe(kwh(500))
  expect(await api.view.EnergyBus.account_orders(dev("Charlie").address)).toHaveLength(1)

  // Block 20 clears round 0: demand and supply meet at 300 kWh from 0.07 to 0.085 ECT/kWh, and
  // the round trades at the lower middle of those prices. On_idle settles every order at once.
  const results = auction.getByRole("table", { name: "Last rounds" })
  await expect(results.getByRole("row", { name: "Round #0" }).getByRole("cell")).toHaveText(
    // Round 0 opened before bus 1's grid fee was set: its bids paid none.
    ["block #19", "0.075 ECT/kWh", "300 kWh", "380 kWh", "500 kWh", "3 of 5", "0 ECT"],
    { timeout: 150_000 },
  )
  await expect(myBid.getByRole("cell")).toHaveText([
    "Bid",
    "Factory15",
    "100 kWh",
    "0.085 ECT/kWh",
    "#0",
    /^Settled in block #20: bought 100 kWh at 0.075 ECT\/kWh for 7.5 ECT; 1 ECT of the payment and the deposit came back$/,
    "100 kWh",
    "",
  ])
  await expect(
    auction.getByRole("status").filter({ hasText: "Round #1 takes bids and asks through block #39" }),
  ).toBeVisible()
  await expect(auction.getByRole("table", { name: "Round #1's book by price" })).toHaveCount(0)
  await expect(auction.getByText("No orders in this round yet.")).toBeVisible()
  await screenshot(charlie, "auction-cleared")
  await chain.settled()
  expect(await api.view.EnergyTrading.energy_balance(enc("Factory15"))).toBe(kwh(560 + 100))
  expect(await api.view.EnergyBus.account_orders(dev("Charlie").address)).toHaveLength(0)
})

test("at phone width the auction fits the screen; a bus without auctions says so", async ({
  browser,
  chain,
}) => {
  const bob = await openAs(browser, chain, "Bob", "#/market/1")
  await bob.setViewportSize({ width: 390, height: 844 })
  const auction = bob.getByRole("region", { name: "Auction" })
  // Bob's genesis bid is his order in round 0.
  await expect(auction.getByRole("row", { name: "Order #3" }).getByRole("cell")).toHaveText([
    "Bid",
    "Factory14",
    "80 kWh",
    "0.065 ECT/kWh",
    "#0",
    /^Open through block #19$/,
    "—",
    "Cancel",
  ])
  await expect(auction.getByRole("img", { name: /^Depth of round #0's book/ })).toBeVisible()
  const overflow = await bob.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect(overflow).toBeLessThanOrEqual(0)
  await screenshot(bob, "auction-phone")

  await bob.getByRole("combobox", { name: "Energy bus" }).selectOption({ value: "0" })
  await expect(bob.getByRole("heading", { name: /^Bus #0/ })).toBeVisible()
  await expect(bob.getByText("This bus runs no auctions.")).toBeVisible()
  await expect(bob.getByRole("region", { name: "Auction" })).toHaveCount(0)
})
