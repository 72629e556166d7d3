// A bus with 1,000 open offers: the page shows them 100 at a time and pages through them, and
// follows new blocks as on a quiet bus. Records (does not assert) how long each block took to
// reach the page and the longest main-thread task while it did, in
// test-results/busy-bus.json, for docs/performance.md's figures.
import { writeFileSync } from "node:fs"
import { dev, enc, expect, openAs, test } from "./fixtures"

test("a bus with 1,000 offers pages through them and stays live", async ({ browser, chain }) => {
  test.setTimeout(300_000)
  const { api } = chain
  // Alice offers 0.5 kWh of Factory01 a thousand times on bus 2 (base price 0.04 ECT/kWh), in
  // four batches of 250.
  for (let batch = 0; batch < 4; batch++) {
    const calls = Array.from(
      { length: 250 },
      (_, i) =>
        api.tx.EnergyBus.create_offer({
          bus_id: 2,
          factory: enc("Factory01"),
          energy_wh: 500n,
          price_per_kwh: 40_000_000_000n + BigInt(batch * 250 + i),
        }).decodedCall,
    )
    const result = await api.tx.Utility.batch_all({ calls }).signAndSubmit(dev("Alice").signer)
    expect(result.ok).toBe(true)
  }
  await chain.settled()
  const bus = await api.view.EnergyBus.bus_details(2)
  expect(bus?.[0].open_offers).toBeGreaterThanOrEqual(1000)

  const bob = await openAs(browser, chain, "Bob", "#/market/2")
  await bob.evaluate(() => {
    const w = window as unknown as { __longest: number }
    w.__longest = 0
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longest = Math.max(w.__longest, entry.duration)
    }).observe({ type: "longtask", buffered: true })
  })
  const rows = bob
    .getByRole("table")
    .first()
    .getByRole("row", { name: /^Offer #/ })
  await expect(rows).toHaveCount(100)
  await bob.getByRole("button", { name: "Next offers" }).click()
  await expect(bob.getByText("Page 2", { exact: true })).toBeVisible()
  await expect(rows).toHaveCount(100)
  const firstOnPage2 = await rows.first().getAttribute("aria-label")
  await bob.getByRole("button", { name: "Previous offers" }).click()
  await expect(rows.first()).not.toHaveAttribute("aria-label", firstOnPage2 ?? "")

  // Live: watch five more blocks reach the page.
  type Timed = { __energyShown?: Record<number, number> }
  const lastShown = () =>
    bob.evaluate(() => Math.max(0, ...Object.keys((window as Timed).__energyShown ?? {}).map(Number)))
  const start = await lastShown()
  await expect.poll(lastShown, { timeout: 90_000 }).toBeGreaterThanOrEqual(start + 5)

  const shown: Record<number, number> = await bob.evaluate(
    () => (window as unknown as { __energyShown?: Record<number, number> }).__energyShown ?? {},
  )
  const delays = Object.entries(shown)
    .map(([block, at]) => at - (chain.seenAt.get(Number(block)) ?? Number.NaN))
    .filter((delay) => Number.isFinite(delay))
    .sort((a, b) => a - b)
  const longestTaskMs = await bob.evaluate(() => (window as unknown as { __longest: number }).__longest)
  writeFileSync(
    "test-results/busy-bus.json",
    JSON.stringify({
      offers: Number(bus?.[0].open_offers),
      blocks: delays.length,
      medianMs: delays[Math.floor(delays.length / 2)],
      maxMs: delays[delays.length - 1],
      longestTaskMs,
    }),
  )
  expect(delays.length).toBeGreaterThan(0)
})
