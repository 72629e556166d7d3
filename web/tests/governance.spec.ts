// Scenario 4, co-owners: Alice creates a bus owned by Alice and Bob, raises its approval
// threshold to 2, proposes a new capacity, and Bob, in another browser context, approves it;
// then Alice proposes a base price and withdraws it (only she, who opened it, can).
import { dev, expect, kwh, openAs, screenshot, test } from "./fixtures"

test("a change proposed by one owner and approved by the other", async ({ browser, chain }) => {
  const { api } = chain
  const alice = await openAs(browser, chain, "Alice", "#/market/0")
  await alice.getByText("Create a bus").click()
  const form = alice.getByRole("form", { name: "Create a bus" })
  await form.getByLabel("Name", { exact: true }).fill("Harbour Grid")
  await form.getByLabel(/^Co-owners/).fill("Alice\nBob")
  await form.getByLabel("Capacity", { exact: true }).fill("2000")
  await form.getByLabel("Base price (ECT per kWh)").fill("0.05")
  await expect(form).toContainText("Deposit held until the bus closes")
  await form.getByRole("button", { name: "Create bus" }).click()
  // The new bus (id 3 after the three example buses) opens.
  await expect(alice.getByRole("heading", { name: "Bus #3: Harbour Grid" })).toBeVisible()
  await expect(alice.getByText("1 of 2 owners")).toBeVisible()

  // Threshold 2: with threshold 1 it applies at once.
  const propose = alice.getByRole("form", { name: "Propose a change" })
  await propose.getByLabel("Change").selectOption("SetApprovalThreshold")
  await propose.getByLabel("Owners needed").fill("2")
  await propose.getByRole("button", { name: "Propose" }).click()
  await expect(alice.getByText("2 of 2 owners")).toBeVisible()

  // A new capacity now waits for Bob.
  await propose.getByLabel("Change").selectOption("SetCapacity")
  await propose.getByLabel("New capacity", { exact: true }).fill("8000")
  await propose.getByRole("button", { name: "Propose" }).click()
  const pending = alice
    .getByRole("list", { name: "Pending changes" })
    .getByRole("listitem", { name: "Set the capacity to 8 MWh" })
  await expect(pending).toContainText("approved by Alice (1 of 2 needed)")
  // The first proposal on this chain: Bob's button approves it by this id.
  await expect(pending).toContainText("(proposal 0)")

  const bob = await openAs(browser, chain, "Bob", "#/market/3")
  const bobsView = bob
    .getByRole("list", { name: "Pending changes" })
    .getByRole("listitem", { name: "Set the capacity to 8 MWh" })
  await expect(bobsView).toContainText("approved by Alice (1 of 2 needed)")
  await screenshot(bob, "governance")
  await bobsView.getByRole("button", { name: "Approve" }).click()

  // Applied: both pages show the new capacity, and no change is pending.
  for (const page of [alice, bob]) {
    await expect(page.getByRole("meter", { name: "Capacity committed" })).toHaveAttribute(
      "aria-valuetext",
      /free of 8 MWh/,
    )
    await expect(page.getByText("No change is waiting for approvals.")).toBeVisible()
  }

  await propose.getByLabel("Change").selectOption("SetBasePrice")
  await propose.getByLabel("New base price (ECT per kWh)").fill("0.06")
  await propose.getByRole("button", { name: "Propose" }).click()
  const price = (page: typeof alice) =>
    page
      .getByRole("list", { name: "Pending changes" })
      .getByRole("listitem", { name: "Set the base price to 0.06 ECT/kWh" })
  await expect(price(bob)).toContainText("approved by Alice (1 of 2 needed)")
  await expect(price(bob).getByRole("button", { name: "Withdraw" })).toHaveCount(0)
  await price(alice).getByRole("button", { name: "Withdraw" }).click()
  for (const page of [alice, bob]) {
    await expect(page.getByText("No change is waiting for approvals.")).toBeVisible()
  }
  await chain.settled()
  const details = await api.view.EnergyBus.bus_details(3)
  expect(details?.[0].capacity_wh).toBe(kwh(8000))
  expect(details?.[0].base_price_per_kwh).toBe(50_000_000_000n)
  expect(details?.[0].approval_threshold).toBe(2)
  expect(details?.[0].owners).toEqual([dev("Alice").address, dev("Bob").address])
  expect(await api.query.EnergyBus.Proposals.getValue(3)).toEqual([])
})
