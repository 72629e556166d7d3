// Scenario 6, bad input: each kind of mistake shows its message inline and sends nothing; a
// purchase that loses its market nonce to another call of the same account says so, buys
// nothing, and succeeds when tried again.
import { filter, firstValueFrom } from "rxjs"
import { dev, enc, expect, kwh, openAs, test } from "./fixtures"

test("bad input is refused before signing", async ({ browser, chain }) => {
  const { api } = chain
  const bob = await openAs(browser, chain, "Bob", "#/market/0")
  await bob.getByRole("button", { name: "Buy or lock offer #0" }).click()
  const amount = bob.getByLabel("Amount", { exact: true })
  const maxPrice = bob.getByLabel("Maximum price (ECT per kWh)")
  const buy = bob.getByRole("button", { name: "Buy", exact: true })

  // Offer 0 has 200 kWh at 0.08 ECT/kWh on bus 0 (base price 0.05).
  const cases: [() => Promise<void>, string][] = [
    [() => amount.fill("250"), "Only 200 kWh can be bought now."],
    [() => amount.fill("abc"), "An amount of energy must be a number, such as 12.5."],
    [() => amount.fill("0.0005"), "An amount of energy has more than 3 decimals."],
    [() => amount.fill("0"), "The amount must be more than 0."],
    [
      async () => (await amount.fill("10"), await maxPrice.fill("0.01")),
      "Below the bus's base price of 0.05 ECT/kWh",
    ],
    [() => maxPrice.fill("0.06"), "The offer asks 0.08 ECT/kWh: raise your maximum or pick another offer."],
    [() => maxPrice.fill("1.2.3"), "An amount of ECT must be a number, such as 12.5."],
  ]
  for (const [enter, message] of cases) {
    await enter()
    await expect(bob.getByText(message)).toBeVisible()
    await buy.click()
    await expect(bob.getByRole("alert").filter({ hasText: "nothing was sent" })).toBeVisible()
  }
  // A malformed receipt.
  await bob.getByLabel("Receipt", { exact: true }).fill("0x12")
  await bob.getByRole("button", { name: "Look up" }).click()
  await expect(
    bob.getByRole("alert").filter({ hasText: "A receipt is 0x followed by 64 hexadecimal digits." }),
  ).toBeVisible()
  // Malformed node addresses.
  const node = bob.getByLabel("Node")
  await node.fill("127.0.0.1:9944")
  await bob.getByRole("button", { name: "Connect" }).click()
  await expect(
    bob
      .getByRole("alert")
      .filter({ hasText: "That is not an address: use one such as ws://127.0.0.1:9944." }),
  ).toBeVisible()
  await node.fill("http://127.0.0.1:9944")
  await bob.getByRole("button", { name: "Connect" }).click()
  await expect(
    bob.getByRole("alert").filter({ hasText: "The node's address starts with ws:// or wss://" }),
  ).toBeVisible()
  // A transfer to nowhere and a trade without a price, on Bob's Factory02.
  await bob.goto(bob.url().replace(/#.*$/, "#/factories/Factory02"))
  const transfer = bob.getByRole("form", { name: "Transfer energy" })
  await transfer.getByRole("button", { name: "Transfer" }).click()
  await expect(transfer.getByText("Enter the receiving factory's id, such as Factory04.")).toBeVisible()
  const trade = bob.getByRole("form", { name: "Create a trade" })
  await trade.getByLabel("Buyer factory").fill("Factory04")
  await trade.getByLabel("Energy", { exact: true }).fill("5")
  await trade.getByRole("button", { name: "Create trade" }).click()
  await expect(trade.getByRole("alert")).toContainText("Enter an amount of ECT: nothing was sent.")

  // Nothing reached the chain.
  await chain.settled()
  await expect(bob.getByRole("region", { name: "Transactions" })).toContainText("None yet")
  expect(await api.view.EnergyBus.market_nonce(dev("Bob").address)).toBe(0n)
  expect(await api.apis.AccountNonceApi.account_nonce(dev("Bob").address)).toBe(0)
})

test("a purchase that loses its market nonce buys nothing and can be retried", async ({ browser, chain }) => {
  const { api, client } = chain
  const bob = await openAs(browser, chain, "Bob", "#/market/0")
  await bob.getByRole("button", { name: "Buy or lock offer #0" }).click()
  await bob.getByLabel("Amount", { exact: true }).fill("20")
  await bob.getByLabel("Into factory").selectOption("Factory02")

  // Right after a block, another client of Bob's buys 10 kWh of offer 1 with market nonce 0;
  // the page, clicked at once, reads nonce 0 from the best block too.
  const best = (await client.getBestBlocks())[0].number
  await firstValueFrom(client.bestBlocks$.pipe(filter((blocks) => blocks[0].number > best)))
  const other = api.tx.EnergyBus.purchase_energy({
    offer_id: 1n,
    energy_wh: kwh(10),
    max_price_per_kwh: 70_000_000_000n,
    into_factory: enc("Factory02"),
    nonce: 0n,
  })
  const otherIncluded = new Promise<boolean>((resolve, reject) =>
    other.signSubmitAndWatch(dev("Bob").signer).subscribe({
      next: (event) => event.type === "txBestBlocksState" && event.found && resolve(event.ok),
      error: reject,
    }),
  )
  // Once the node's pool holds it, the page's call comes second.
  await expect
    .poll(() => client._request<number>("system_accountNextIndex", [dev("Bob").address]), { intervals: [50] })
    .toBe(1)
  await bob.getByRole("button", { name: "Buy", exact: true }).click()
  expect(await otherIncluded).toBe(true)
  const lost = bob
    .getByRole("region", { name: "Offer #0" })
    .getByRole("alert")
    .filter({ hasText: "EnergyBus::NonceAlreadyUsed" })
  await expect(lost).toContainText("nothing was bought")
  await chain.settled()
  expect(
    (await api.view.EnergyBus.bus_active_offers(0, undefined, 100)).find((o) => o.id === 0n)?.available_wh,
  ).toBe(kwh(200))

  await bob.getByRole("button", { name: "Try again" }).click()
  await expect(bob.getByRole("status").filter({ hasText: "Bought 20 kWh into Factory02" })).toBeVisible()
  await chain.settled()
  expect(
    (await api.view.EnergyBus.bus_active_offers(0, undefined, 100)).find((o) => o.id === 0n)?.available_wh,
  ).toBe(kwh(180))
  expect(await api.view.EnergyBus.market_nonce(dev("Bob").address)).toBe(2n)
})
