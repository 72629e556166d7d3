// The first load's JavaScript, gzip, as the browser fetched it until the market showed: the
// budget is 250 KB (the full metadata may load later, on demand). Writes
// test-results/first-load.json for docs/performance.md's figure.
import { readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { gzipSync } from "node:zlib"
import { expect, test } from "./fixtures"

test("the first load fits in 250 KB of gzip JavaScript", async ({ page, chain }) => {
  const scripts = new Set<string>()
  page.on("request", (request) => {
    const url = new URL(request.url())
    if (url.pathname.endsWith(".js")) scripts.add(url.pathname)
  })
  await page.goto(`/?rpc=${encodeURIComponent(chain.ws)}#/market/0`)
  await expect(page.getByRole("row", { name: "Offer #0" })).toBeVisible()
  const files = [...scripts].map((pathname) => {
    const bytes = readFileSync(path.join("dist", pathname))
    return { file: pathname, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
  })
  const gzip = files.reduce((sum, f) => sum + f.gzip, 0)
  writeFileSync("test-results/first-load.json", JSON.stringify({ gzipBytes: gzip, files }, null, 2))
  expect(files.length).toBeGreaterThan(0)
  expect(gzip).toBeLessThan(250 * 1024)
})
