// Scenario 1, the market: Bob buys part of an offer on bus 0; Dave, in another browser context,
// sees the lower availability without reloading. The chain's state is checked over RPC.
import { writeFileSync } from "node:fs"
import { ECT, dev, enc, expect, kwh, openAs, screenshot, test } from "./fixtures"

test("buy part of an offer; another account sees it live", async ({ browser, chain }) => {
  const { api } = chain
  // Genesis: offer 0 is Charlie's 200 kWh of Factory09 on bus 0 at 0.08 ECT/kWh.
  const before = await api.view.EnergyBus.bus_active_offers(0, undefined, 100)
  const offer0 = before.find((offer) => offer.id === 0n)
  expect(offer0?.available_wh).toBe(kwh(200))
  // A genesis offer is open for the offer lifetime, 7 days of 6 s blocks from block 0.
  expect(offer0?.expires_at).toBe(7 * 14_400)
  const factory02Before = await api.view.EnergyTrading.energy_balance(enc("Factory02"))
  const charlie = dev("Charlie").address
  const charlieBefore = (await api.query.System.Account.getValue(charlie)).data.free

  const bob = await openAs(browser, chain, "Bob", "#/market/0")
  const dave = await openAs(browser, chain, "Dave", "#/market/0")
  for (const page of [bob, dave]) {
    await expect(page.getByRole("heading", { name: "Bus #0: Solar Farm A" })).toBeVisible()
    await expect(
      page.getByRole("row", { name: "Offer #0" }).getByRole("cell", { name: "200 kWh", exact: true }),
    ).toBeVisible()
  }
  // Its end, as time left (the chain is younger than an hour).
  await expect(
    dave.getByRole("row", { name: "Offer #0" }).getByRole("cell", { name: /^in 6 days 23 h$/ }),
  ).toBeVisible()
  await screenshot(dave, "market")

  // Bob buys 50 kWh into Factory02; the total (4 ECT) is shown before signing.
  await bob.getByRole("button", { name: "Buy or lock offer #0" }).click()
  await bob.getByLabel("Amount", { exact: true }).fill("50")
  await bob.getByLabel("Into factory").selectOption("Factory02")
  await expect(bob.getByTestId("offer-total")).toHaveText("4 ECT")
  await screenshot(bob, "buy")
  await bob.getByRole("button", { name: "Buy", exact: true }).click()
  const done = bob.getByRole("status").filter({ hasText: "Bought 50 kWh into Factory02" })
  await expect(done).toBeVisible()
  const receipt = /Receipt (0x[0-9a-f]{64})/.exec((await done.textContent()) ?? "")?.[1]
  expect(receipt).toBeDefined()
  await expect(bob.getByRole("region", { name: "Transactions" })).toContainText("Buy 50 kWh of offer #0")

  // Bob's purchases list it, and the receipt lookup says the call ran (a made-up one did not).
  const purchase = bob
    .getByRole("region", { name: "Your purchases" })
    .getByRole("row", { name: "Purchase #0" })
  await expect(purchase).toContainText("Factory02")
  await expect(purchase).toContainText("4 ECT")
  const lookup = bob.getByLabel("Receipt", { exact: true })
  await lookup.fill(receipt ?? "")
  await bob.getByRole("button", { name: "Look up" }).click()
  await expect(bob.getByTestId("receipt-answer")).toContainText("Processed")
  await lookup.fill(`0x${"ab".repeat(32)}`)
  await bob.getByRole("button", { name: "Look up" }).click()
  await expect(bob.getByTestId("receipt-answer")).toContainText("Not processed")

  // Dave's page follows the chain: offer 0 now has 150 kWh available and 50 kWh sold.
  const daveRow = dave.getByRole("row", { name: "Offer #0" })
  await expect(daveRow.getByRole("cell", { name: "150 kWh", exact: true })).toBeVisible()
  await expect(daveRow.getByRole("cell", { name: "50 kWh", exact: true })).toBeVisible()
  await screenshot(dave, "market-after-purchase")

  // The chain: the offer, Bob's factory, Charlie's payment and the receipt the page computed.
  await chain.settled()
  const after = await api.view.EnergyBus.bus_active_offers(0, undefined, 100)
  expect(after.find((offer) => offer.id === 0n)?.available_wh).toBe(kwh(150))
  expect(await api.view.EnergyTrading.energy_balance(enc("Factory02"))).toBe(
    (factory02Before ?? 0n) + kwh(50),
  )
  expect((await api.query.System.Account.getValue(charlie)).data.free).toBe(charlieBefore + 4n * ECT)
  expect(await api.view.EnergyBus.is_transaction_processed(receipt as `0x${string}`)).toBe(true)
  expect(await api.view.EnergyBus.market_nonce(dev("Bob").address)).toBe(1n)

  // From a block's arrival at this process to Dave's page showing it (same machine, same clock).
  const shown: Record<number, number> = await dave.evaluate(
    () => (window as unknown as { __energyShown?: Record<number, number> }).__energyShown ?? {},
  )
  const delays = Object.entries(shown)
    .map(([block, at]) => at - (chain.seenAt.get(Number(block)) ?? Number.NaN))
    .filter((delay) => Number.isFinite(delay))
    .sort((a, b) => a - b)
  expect(delays.length).toBeGreaterThan(0)
  writeFileSync(
    "test-results/block-to-page.json",
    JSON.stringify({
      blocks: delays.length,
      medianMs: delays[Math.floor(delays.length / 2)],
      maxMs: delays[delays.length - 1],
    }),
  )
})
