// At phone width (390 px) the market fits the screen without sideways scrolling, and a purchase
// can be made with the keyboard alone: Tab to the offer's button, type the amount, Enter.
import { dev, expect, kwh, openAs, screenshot, test } from "./fixtures"

test("a phone-width screen and the keyboard alone buy energy", async ({ browser, chain }) => {
  const { api } = chain
  const bob = await openAs(browser, chain, "Bob", "#/market/0")
  await bob.setViewportSize({ width: 390, height: 844 })
  await expect(bob.getByRole("row", { name: "Offer #0" })).toBeVisible()
  const overflow = await bob.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect(overflow).toBeLessThanOrEqual(0)
  await screenshot(bob, "phone")

  // Keyboard only: focus moves by Tab until it reaches offer 0's button.
  const target = bob.getByRole("button", { name: "Buy or lock offer #0" })
  for (let presses = 0; presses < 60; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) break
    await bob.keyboard.press("Tab")
  }
  await expect(target).toBeFocused()
  await bob.keyboard.press("Enter")
  // The offer's panel opens with the cursor in its amount field.
  await expect(bob.getByLabel("Amount", { exact: true })).toBeFocused()
  await bob.keyboard.type("5")
  await bob.keyboard.press("Enter")
  await expect(bob.getByRole("status").filter({ hasText: /Bought 5 kWh into Factory\d+/ })).toBeVisible()

  await chain.settled()
  const offers = await api.view.EnergyBus.bus_active_offers(0, undefined, 100)
  expect(offers.find((offer) => offer.id === 0n)?.available_wh).toBe(kwh(195))
  expect(await api.view.EnergyBus.market_nonce(dev("Bob").address)).toBe(1n)
})
