// Browser tests: Debian's Chromium (installed by scripts/setup.sh, never `playwright install`)
// drives the built app (`vite preview`) against real `energy-node --dev --tmp` nodes that the
// tests start on free ports (tests/fixtures.ts). Each test has a chain of its own, so tests run
// side by side: ENERGY_WEB_WORKERS at once (default 3; they mostly wait for 6-second blocks).
import { defineConfig } from "@playwright/test"

const port = Number(process.env.ENERGY_WEB_TEST_PORT ?? 4310)

export default defineConfig({
  testDir: "tests",
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: Number(process.env.ENERGY_WEB_WORKERS ?? 3),
  fullyParallel: true,
  reporter: [["list"], ["json", { outputFile: "test-results/results.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 900 },
    launchOptions: { executablePath: process.env.CHROMIUM_BIN ?? "/usr/bin/chromium" },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  webServer: {
    command: `node_modules/.bin/vite preview --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
})
