// Scenario 5, the original ledger: Alice's meter mints 500 kWh for Factory01, Alice offers
// 200 kWh of it to Factory04 at 0.08 ECT/kWh, and Dave (Factory04's owner) executes the trade.
import { ECT, dev, enc, expect, kwh, openAs, screenshot, test } from "./fixtures"

test("mint, trade and execute: Factory01 → Factory04", async ({ browser, chain }) => {
  const { api } = chain
  const alice = await openAs(browser, chain, "Alice", "#/factories/Factory01")
  await expect(alice.getByTestId("factory-balance")).toHaveText("1 MWh")
  // Rated 250 kW: its meter may report a day's production, 6 MWh, and no more.
  await expect(alice.getByTestId("factory-rating")).toHaveText("250 kW")
  await expect(alice.getByTestId("factory-allowance")).toHaveText("6 MWh")

  // The meter's reading: +500 kWh (more than the allowance is refused before signing).
  const meter = alice.getByRole("form", { name: "Meter reading" })
  await meter.getByLabel("Energy", { exact: true }).fill("6001")
  await meter.getByRole("button", { name: "Record generation (mint)" }).click()
  await expect(alice.getByRole("alert").filter({ hasText: "may report at most 6 MWh now" })).toBeVisible()
  await meter.getByLabel("Energy", { exact: true }).fill("500")
  await meter.getByRole("button", { name: "Record generation (mint)" }).click()
  await expect(meter.getByRole("status")).toContainText("Recorded generation of 500 kWh at Factory01")
  await expect(alice.getByTestId("factory-balance")).toHaveText("1.5 MWh")

  // The trade: 200 kWh at 0.08 ECT/kWh = 16 ECT, shown before signing.
  const trade = alice.getByRole("form", { name: "Create a trade" })
  await trade.getByLabel("Buyer factory").fill("Factory04")
  await trade.getByLabel("Energy", { exact: true }).fill("200")
  await trade.getByLabel("Price (ECT per kWh)").fill("0.08")
  await expect(trade.getByTestId("trade-total")).toHaveText("16 ECT")
  // What the trade holds until it settles, shown before signing.
  await expect(trade.getByTestId("trade-deposit")).toContainText("1 ECT")
  await expect(trade.getByTestId("trade-deposit")).toContainText("of at most 32 pending trades")
  await trade.getByRole("button", { name: "Create trade" }).click()
  await expect(trade.getByRole("status")).toContainText("Trade created in block")
  await expect(alice.getByTestId("factory-balance")).toHaveText("1.3 MWh")
  // The history, from the node's index of the ledger's events, newest first.
  const history = alice.getByRole("table", { name: /node's history index/ })
  await expect(history.getByRole("row").nth(1)).toContainText("Trade created (escrowed)")
  await expect(history.getByRole("row").nth(2)).toContainText("Metered generation")
  await expect(history.getByRole("row").last()).toContainText("Balance at genesis")
  await screenshot(alice, "factory")

  await chain.settled()
  const aliceBefore = (await api.query.System.Account.getValue(dev("Alice").address)).data.free
  const dave = await openAs(browser, chain, "Dave", "#/factories/Factory04")
  const row = dave.getByRole("row", { name: "Trade #0" })
  await expect(row).toContainText("Pending")
  await row.getByRole("button", { name: "Execute trade #0" }).click()
  await expect(row.getByRole("status")).toContainText("Trade #0 executed")
  await expect(dave.getByTestId("factory-balance")).toHaveText("500 kWh")
  await expect(row).toContainText("Completed")
  const bought = dave
    .getByRole("table", { name: /node's history index/ })
    .getByRole("row")
    .nth(1)
  await expect(bought).toContainText("Trade bought")
  await expect(bought).toContainText("Factory01")

  // The chain: 1300 / 500 kWh, and the seller's owner got exactly 16 ECT, and the trade's
  // deposit (1 ECT, held while it was pending) back.
  await chain.settled()
  expect(await api.view.EnergyTrading.energy_balance(enc("Factory01"))).toBe(kwh(1300))
  expect(await api.view.EnergyTrading.energy_balance(enc("Factory04"))).toBe(kwh(500))
  const aliceAfter = (await api.query.System.Account.getValue(dev("Alice").address)).data.free
  expect(aliceAfter - aliceBefore).toBe(17n * ECT)
})
