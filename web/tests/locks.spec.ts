// Scenario 2, locks: Charlie sees the lock fee before locking, cannot lock more than one lock may
// take, then locks part of an offer for his factory; Bob's page shows the lock with a countdown
// and will not let Bob buy the locked part; the lock ends by itself (its duration shortened
// through sudo) and Bob's indicator clears without a reload.
import { dev, expect, kwh, openAs, screenshot, test } from "./fixtures"

test("a lock shows live with a countdown, blocks the locked part, and ends by itself", async ({
  browser,
  chain,
}) => {
  const { api } = chain
  // Sudo (Alice) shortens locks to 5 blocks, so this one ends within the test.
  const params = await api.query.EnergyBus.Params.getValue()
  const sudo = api.tx.Sudo.sudo({
    call: api.tx.EnergyBus.set_market_params({ params: { ...params, lock_duration: 5 } }).decodedCall,
  })
  expect((await sudo.signAndSubmit(dev("Alice").signer)).ok).toBe(true)

  const charlie = await openAs(browser, chain, "Charlie", "#/market/0")
  const bob = await openAs(browser, chain, "Bob", "#/market/0")

  // Offer 1 is Dave's 300 kWh of Factory16 at 0.07 ECT/kWh: one lock takes at most 10% of it,
  // 30 kWh. Charlie asks for 40: the fee is shown, the lock refused before anything is signed.
  await charlie.getByRole("button", { name: "Buy or lock offer #1" }).click()
  await charlie.getByLabel("Amount", { exact: true }).fill("40")
  await expect(charlie.getByTestId("lock-fee")).toContainText("a lock takes at most 30 kWh")
  await charlie.getByRole("button", { name: "Lock", exact: true }).click()
  await expect(
    charlie
      .getByRole("alert")
      .filter({ hasText: "One lock may take at most 30 kWh of this offer: nothing was sent" }),
  ).toBeVisible()
  // 30 kWh hold 2.1 ECT; the lock fee is 1% of that, 0.021 ECT, paid to Dave at once.
  await charlie.getByLabel("Into factory (a lock is for it too)").selectOption("Factory03")
  await charlie.getByLabel("Amount", { exact: true }).fill("30")
  await expect(charlie.getByTestId("lock-fee")).toContainText("0.021 ECT to the seller, not refunded")
  const daveBefore = (await api.query.System.Account.getValue(dev("Dave").address, { at: "best" })).data.free
  await charlie.getByRole("button", { name: "Lock", exact: true }).click()
  await expect(charlie.getByRole("status").filter({ hasText: "Locked 30 kWh for Factory03" })).toBeVisible()
  await expect(charlie.getByRole("status")).toContainText("The seller was paid a lock fee of 0.021 ECT.")
  await expect(charlie.getByText("Your lock holds 30 kWh for Factory03")).toBeVisible()
  const daveAfter = (await api.query.System.Account.getValue(dev("Dave").address, { at: "best" })).data.free
  expect(daveAfter - daveBefore).toBe(21_000_000_000n)

  // Bob sees it: who holds it, and a countdown in time and blocks.
  const row = bob.getByRole("row", { name: "Offer #1" })
  const lock = row.getByRole("list", { name: "Locks" }).getByRole("listitem")
  await expect(lock).toContainText("30 kWh locked by Charlie")
  await expect(lock).toContainText(/ends in \d+ s \(\d blocks?\)/)
  await expect(row.getByRole("cell", { name: "270 kWh", exact: true })).toBeVisible()
  await screenshot(bob, "lock")

  // Bob cannot buy the locked part: an inline message, nothing sent.
  await bob.getByRole("button", { name: "Buy or lock offer #1" }).click()
  await bob.getByLabel("Amount", { exact: true }).fill("280")
  await expect(bob.getByText("Only 270 kWh can be bought now; the rest is locked.")).toBeVisible()
  await bob.getByRole("button", { name: "Buy", exact: true }).click()
  await expect(bob.getByRole("alert").filter({ hasText: "nothing was sent" })).toBeVisible()
  await expect(bob.getByRole("region", { name: "Transactions" })).toContainText("None yet")

  // The lock ends by itself: the indicator clears and the energy is available again.
  await expect(row.getByRole("cell", { name: "300 kWh", exact: true })).toBeVisible({ timeout: 90_000 })
  await expect(row.getByRole("list", { name: "Locks" })).toHaveCount(0)
  await expect(charlie.getByText("Your lock holds")).toHaveCount(0)

  await chain.settled()
  const [locked, locks] = await api.view.EnergyBus.offer_locks(1n)
  expect([locked, locks.length]).toEqual([0n, 0])
  const offers = await api.view.EnergyBus.bus_active_offers(0, undefined, 100)
  expect(offers.find((offer) => offer.id === 1n)?.available_wh).toBe(kwh(300))
  expect(await api.view.EnergyBus.market_nonce(dev("Bob").address)).toBe(0n)
})
