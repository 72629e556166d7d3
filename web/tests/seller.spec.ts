// Registration and selling: Alice (the dev chain's sudo key) registers Factory21 for Ferdie
// through sudo (a duplicate id is refused by name, although sudo itself succeeds); Ferdie asks the
// registrar for Eve as its meter, and Alice sets the meter and a new rating; Ferdie offers part
// of it on bus 0 and cancels the offer. The chain's state is checked over RPC.
import { dev, enc, expect, kwh, openAs, test } from "./fixtures"

test("register a factory through sudo, offer its energy and cancel the offer", async ({ browser, chain }) => {
  const { api } = chain
  const alice = await openAs(browser, chain, "Alice", "#/factories")
  await alice.getByText("Register a factory (sudo)").click()
  const form = alice.getByRole("form", { name: "Register a factory" })

  // An id that exists: sudo runs, the registration inside fails, and the app says so.
  await form.getByLabel("Factory id").fill("Factory01")
  await form.getByLabel(/^Owner/).fill("Ferdie")
  // A rating is required (0 for a factory that generates nothing).
  await form.getByRole("button", { name: "Register factory" }).click()
  await expect(form.getByText("Enter a rated power.")).toBeVisible()
  await form.getByLabel("Rated power (kW)").fill("50")
  await form.getByRole("button", { name: "Register factory" }).click()
  await expect(form.locator("..").getByRole("alert")).toContainText("EnergyTrading::FactoryAlreadyExists")

  await form.getByLabel("Factory id").fill("Factory21")
  await form.getByLabel("Display name").fill("Harbour Tidal")
  await form.getByLabel("Energy type").selectOption("Hydro")
  await form.getByLabel("Starting energy", { exact: true }).fill("100")
  await form.getByRole("button", { name: "Register factory" }).click()
  await expect(alice.getByRole("heading", { name: "Factory21" })).toBeVisible()
  await expect(alice.getByTestId("factory-balance")).toHaveText("100 kWh")
  await chain.settled()
  const registered = await api.view.EnergyTrading.factory(enc("Factory21"))
  expect(registered?.owner).toBe(dev("Ferdie").address)
  expect(registered?.meter).toBe(dev("Ferdie").address)
  expect(registered?.energy_type.type).toBe("Hydro")
  expect((await api.view.EnergyTrading.factory_rating(enc("Factory21")))?.rated_power_w).toBe(50_000)
  await expect(alice.getByTestId("factory-rating")).toHaveText("50 kW")
  // Full at registration: a day at 50 kW.
  await expect(alice.getByTestId("factory-allowance")).toHaveText("1.2 MWh")

  // Meters are the registrar's: Ferdie (the owner) asks for Eve, Alice (sudo) sets her and
  // re-rates the factory.
  const owner = await openAs(browser, chain, "Ferdie", "#/factories/Factory21")
  const ask = owner.getByRole("form", { name: "Ask for another meter" })
  await ask.getByLabel(/^Meter account/).fill("Eve")
  await ask.getByRole("button", { name: "Ask the registrar" }).click()
  await expect(ask.getByRole("status")).toContainText("Asked the registrar")
  await expect(ask.getByTestId("meter-request")).toHaveText(dev("Eve").address)
  const registrar = alice.getByRole("form", { name: "Registrar (sudo)" })
  await registrar.getByLabel("Meter account").fill("Eve")
  await registrar.getByRole("button", { name: "Set meter" }).click()
  await expect(alice.getByRole("status").filter({ hasText: "Factory21 is metered by" })).toBeVisible()
  await registrar.getByLabel("Rated power (kW)").fill("80")
  await registrar.getByRole("button", { name: "Set rating" }).click()
  await expect(alice.getByTestId("factory-rating")).toHaveText("80 kW")
  await chain.settled()
  expect((await api.view.EnergyTrading.factory(enc("Factory21")))?.meter).toBe(dev("Eve").address)
  expect((await api.view.EnergyTrading.factory_rating(enc("Factory21")))?.rated_power_w).toBe(80_000)
  expect(await api.view.EnergyTrading.meter_request(enc("Factory21"))).toBeUndefined()
  await owner.close()

  // Ferdie sells 40 kWh of it on bus 0 (base price 0.05 ECT/kWh); below the base price is refused.
  const ferdie = await openAs(browser, chain, "Ferdie", "#/market/0")
  await ferdie.getByText("Sell on this bus").click()
  const sell = ferdie.getByRole("form", { name: "Sell on this bus" })
  await sell.getByLabel("From factory").selectOption("Factory21")
  await sell.getByLabel("Energy to offer", { exact: true }).fill("40")
  await sell.getByLabel("Price (ECT per kWh)").fill("0.04")
  await expect(sell.getByText("At least the bus's base price of 0.05 ECT/kWh.")).toBeVisible()
  await sell.getByLabel("Energy to offer", { exact: true }).fill("150")
  await expect(sell.getByText("Factory21 holds only 100 kWh.")).toBeVisible()
  await sell.getByRole("button", { name: "Create offer" }).click()
  await expect(ferdie.getByRole("alert").filter({ hasText: "nothing was sent" })).toBeVisible()
  await sell.getByLabel("Energy to offer", { exact: true }).fill("40")
  await sell.getByLabel("Price (ECT per kWh)").fill("0.06")
  await expect(sell.getByTestId("sell-total")).toHaveText("2.4 ECT")
  // How long the offer will stay open, before signing: the offer lifetime, 7 days.
  await expect(sell.getByTestId("sell-lifetime")).toContainText("It stays open 7 days")
  await sell.getByRole("button", { name: "Create offer" }).click()
  await expect(ferdie.getByRole("status").filter({ hasText: "Offered 40 kWh of Factory21" })).toBeVisible()

  const row = ferdie.getByRole("row", { name: "Offer #7" })
  await expect(row).toContainText("Factory21")
  await expect(row.getByRole("cell", { name: "40 kWh", exact: true })).toBeVisible()
  await chain.settled()
  expect(await api.view.EnergyTrading.energy_balance(enc("Factory21"))).toBe(kwh(60))

  // The seller cancels it: the energy returns and the offer leaves the bus.
  await row.getByRole("button", { name: "Buy or lock offer #7" }).click()
  await ferdie.getByRole("button", { name: "Cancel this offer" }).click()
  // The panel closes with the offer; the transaction list keeps the record.
  const record = ferdie.getByRole("region", { name: "Transactions" }).getByRole("listitem").filter({
    hasText: "Cancel offer #7",
  })
  await expect(record).toContainText("EnergyBus.OfferCancelled")
  await expect(ferdie.getByRole("row", { name: "Offer #7" })).toHaveCount(0)
  await chain.settled()
  expect(await api.view.EnergyTrading.energy_balance(enc("Factory21"))).toBe(kwh(100))
  const offers = await api.view.EnergyBus.bus_active_offers(0, undefined, 100)
  expect(offers.some((offer) => offer.id === 7n)).toBe(false)
})
