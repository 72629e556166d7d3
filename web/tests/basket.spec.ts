// Scenario 3, the basket: Dave buys parts of three offers on three buses in one batch; then a
// basket whose second item went bad meanwhile fails whole, names the item, and changes nothing.
import { dev, enc, expect, kwh, openAs, screenshot, test, type Chain } from "./fixtures"
import type { Page } from "@playwright/test"

async function addToBasket(page: Page, bus: number, offer: number, amountKwh: string) {
  await page.getByLabel("Energy bus").selectOption(String(bus))
  await page.getByRole("button", { name: `Buy or lock offer #${offer}` }).click()
  await page.getByLabel("Amount", { exact: true }).fill(amountKwh)
  await page.getByRole("button", { name: "Add to basket" }).click()
  await expect(page.getByRole("status").filter({ hasText: `to the basket` })).toBeVisible()
}

async function available(chain: Chain, bus: number, offer: bigint) {
  const offers = await chain.api.view.EnergyBus.bus_active_offers(bus, undefined, 100)
  return offers.find((o) => o.id === offer)?.available_wh
}

test("a basket of three offers is bought in one batch; a bad item fails it whole", async ({
  browser,
  chain,
}) => {
  const { api } = chain
  const dave = await openAs(browser, chain, "Dave", "#/market/0")
  const into = "Factory04"
  const before = await api.view.EnergyTrading.energy_balance(enc(into))

  // Offer 2 (bus 0, 0.075 ECT/kWh), offer 3 (bus 1, 0.09), offer 6 (bus 2, 0.05): 10 kWh each.
  await addToBasket(dave, 0, 2, "10")
  await addToBasket(dave, 1, 3, "10")
  await addToBasket(dave, 2, 6, "10")
  const basket = dave.getByRole("region", { name: "Basket" })
  await expect(basket.getByRole("row", { name: /^Basket item/ })).toHaveCount(3)
  // 10 kWh × (0.075 + 0.09 + 0.05) ECT/kWh = 2.15 ECT.
  await expect(basket.getByTestId("basket-total")).toHaveText("2.15 ECT")
  await basket.getByLabel("Into factory").selectOption(into)
  await screenshot(dave, "basket")
  await basket.getByRole("button", { name: "Buy all in one transaction" }).click()
  await expect(basket.getByRole("status")).toContainText("Bought all 3 items into Factory04")

  await chain.settled()
  expect(await api.view.EnergyTrading.energy_balance(enc(into))).toBe((before ?? 0n) + kwh(30))
  expect(await available(chain, 0, 2n)).toBe(kwh(90))
  expect(await available(chain, 1, 3n)).toBe(kwh(240))
  expect(await available(chain, 2, 6n)).toBe(kwh(240))

  // Now a basket whose second item's offer is cancelled before Dave buys.
  await addToBasket(dave, 0, 2, "5")
  await addToBasket(dave, 1, 4, "5")
  const alice = dev("Alice")
  expect((await api.tx.EnergyBus.cancel_offer({ offer_id: 4n }).signAndSubmit(alice.signer)).ok).toBe(true)
  await chain.settled()
  const energyBefore = await api.view.EnergyTrading.energy_balance(enc(into))
  await basket.getByRole("button", { name: "Buy all in one transaction" }).click()
  await expect(basket.getByRole("alert")).toContainText("Item 2 failed")
  await expect(basket.getByRole("alert")).toContainText("Nothing of the basket was bought")
  await expect(basket.getByRole("row", { name: "Basket item 2: offer #4" })).toContainText(
    "Failed: OfferNotFound",
  )
  await screenshot(dave, "basket-failed")

  await chain.settled()
  expect(await api.view.EnergyTrading.energy_balance(enc(into))).toBe(energyBefore)
  expect(await available(chain, 0, 2n)).toBe(kwh(90))
  expect(await api.view.EnergyBus.market_nonce(dev("Dave").address)).toBe(1n)
})
