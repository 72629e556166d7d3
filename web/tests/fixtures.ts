// What every browser test gets: a real dev node of its own (started on free ports by the same
// helper the polkadot.js tests use, stopped after), a typed polkadot-api client of that node to
// check the chain's state independently of the page, and a way to open the app as an account.
import { test as base, expect, type Browser, type Locator, type Page } from "@playwright/test"
import { energy } from "@polkadot-api/descriptors"
import { createClient, type PolkadotClient, type TypedApi } from "polkadot-api"
import { DEV_NAMES, devAccounts, type Account } from "../src/accounts/accounts"
import { getWsProvider } from "polkadot-api/ws"
import { mkdirSync } from "node:fs"
import { filter, firstValueFrom } from "rxjs"
import path from "node:path"
import { WebSocket } from "ws"
import { DevNode } from "../../client/js/lib/node.js"

export interface Chain {
  ws: string
  client: PolkadotClient
  api: TypedApi<typeof energy>
  /** `Date.now()` when this test process saw each best block: the page's latency reference. */
  seenAt: Map<number, number>
  /**
   * Waits until the block that is best now is finalized. polkadot-api reads finalized state
   * unless told otherwise, so a test calls this before it checks what the page just did.
   */
  settled: () => Promise<void>
}

/** Where screenshots go: `ENERGY_WEB_SCREENSHOTS` (relative to the repository), else test-results. */
export const SCREENSHOTS = process.env.ENERGY_WEB_SCREENSHOTS
  ? path.resolve("..", process.env.ENERGY_WEB_SCREENSHOTS)
  : path.resolve("test-results/screenshots")

// Each test gets a fresh chain from the genesis preset, so every scenario can assert exact
// balances whatever ran before it.
export const test = base.extend<{ chain: Chain }>({
  chain: async ({}, use, testInfo) => {
    process.env.ENERGY_JS_LOG_DIR ??= path.resolve("logs")
    const node = new DevNode(`web-${path.basename(testInfo.file, ".spec.ts")}-${testInfo.line}`)
    await node.start()
    const client = createClient(getWsProvider(node.wsUrl, { websocketClass: WebSocket as never }))
    const seenAt = new Map<number, number>()
    const sub = client.bestBlocks$.subscribe((blocks) => {
      if (blocks[0] && !seenAt.has(blocks[0].number)) seenAt.set(blocks[0].number, Date.now())
    })
    try {
      const settled = async () => {
        const best = (await client.getBestBlocks())[0].number
        await firstValueFrom(client.finalizedBlock$.pipe(filter((block) => block.number >= best)))
      }
      await use({ ws: node.wsUrl, client, api: client.getTypedApi(energy), seenAt, settled })
    } finally {
      sub.unsubscribe()
      client.destroy()
      if (testInfo.status !== testInfo.expectedStatus) node.printLogTail()
      await node.stop()
    }
  },
})

export { expect }

/** A fresh browser context (its own storage) with the app open as `account` on `route`. */
export async function openAs(
  browser: Browser,
  chain: Chain,
  account: string,
  route = "#/market",
): Promise<Page> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`/?rpc=${encodeURIComponent(chain.ws)}${route}`)
  const picker = page.getByRole("combobox", { name: "Account" })
  await expect(picker.getByRole("option", { name: new RegExp(`^${account} `) })).toHaveCount(1)
  await picker.selectOption({
    label: (await picker.getByRole("option", { name: new RegExp(`^${account} `) }).textContent()) ?? "",
  })
  return page
}

/** A screenshot of the whole page, or of one part of it (a panel). */
export async function screenshot(target: Page | Locator, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const file = path.join(SCREENSHOTS, `${name}.png`)
  await ("goto" in target
    ? target.screenshot({ path: file, fullPage: true })
    : target.screenshot({ path: file }))
}

export const kwh = (n: number) => BigInt(n) * 1000n
export const ECT = 10n ** 12n
export const enc = (s: string) => new TextEncoder().encode(s)

const DEV = devAccounts(42)

/** A dev account's address and signer (the app's own), for the test's setup transactions. */
export function dev(name: (typeof DEV_NAMES)[number]): Account {
  const account = DEV.find((a) => a.name === name)
  if (!account) throw new Error(`no dev account ${name}`)
  return account
}
