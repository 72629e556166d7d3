// A dropped connection: the page keeps what it showed, marks it as not current with a banner,
// and when the node is reachable again reconnects by itself and follows the chain again. The
// page reaches the node through a relay in this test process, which the test cuts and restores.
import type { AddressInfo } from "node:net"
import { WebSocket, WebSocketServer, type RawData } from "ws"
import { expect, openAs, test } from "./fixtures"

/** A WebSocket relay to `target` that can refuse and drop its connections. */
async function relay(target: string) {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 })
  await new Promise((resolve) => server.once("listening", resolve))
  let open = true
  const pairs = new Set<() => void>()
  server.on("connection", (client) => {
    if (!open) return client.terminate()
    const upstream = new WebSocket(target)
    const waiting: [RawData, boolean][] = []
    upstream.on("open", () => waiting.splice(0).forEach(([data, binary]) => upstream.send(data, { binary })))
    client.on("message", (data, binary) =>
      upstream.readyState === WebSocket.OPEN ? upstream.send(data, { binary }) : waiting.push([data, binary]),
    )
    upstream.on("message", (data, binary) => client.send(data, { binary }))
    const cut = () => {
      client.terminate()
      upstream.terminate()
      pairs.delete(cut)
    }
    pairs.add(cut)
    for (const socket of [client, upstream]) socket.on("close", cut).on("error", cut)
  })
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut: () => {
      open = false
      for (const cut of [...pairs]) cut()
    },
    restore: () => {
      open = true
    },
    close: () => {
      open = false
      for (const cut of [...pairs]) cut()
      for (const client of server.clients) client.terminate()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}

test("a dropped connection is shown, nothing stale passes as current, and it comes back", async ({
  browser,
  chain,
}) => {
  const link = await relay(chain.ws)
  try {
    const bob = await openAs(browser, { ...chain, ws: link.url }, "Bob", "#/market/0")
    const heading = bob.getByRole("heading", { name: "Bus #0: Solar Farm A" })
    await expect(heading).toBeVisible()
    await expect(bob.getByText(/^As of block #\d+$/).first()).toBeVisible()

    link.cut()
    const banner = bob.getByRole("status").filter({ hasText: "is down; reconnecting" })
    await expect(banner).toBeVisible()
    await expect(banner).toContainText(/What you see is from block #\d+ and may be out of date/)
    // Still there, marked as not current.
    await expect(heading).toBeVisible()
    await expect(bob.getByRole("row", { name: "Offer #0" })).toBeVisible()
    await expect(bob.getByText(/^Not current: as of block #\d+$/).first()).toBeVisible()
    const before = Number(/#(\d+)/.exec((await banner.textContent()) ?? "")?.[1])

    link.restore()
    await expect(banner).toHaveCount(0, { timeout: 60_000 })
    await expect(bob.getByText(/^Not current/)).toHaveCount(0, { timeout: 30_000 })
    await expect
      .poll(
        async () =>
          Number(
            await bob
              .getByTestId("best-block")
              .textContent()
              .then((t) => t?.slice(1)),
          ),
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(before)
  } finally {
    await link.close()
  }
})
