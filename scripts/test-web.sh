#!/usr/bin/env bash
# The web app's tests: TypeScript's check (in the build), formatting, the unit tests (vitest: units, money, receipts) and
# the browser tests (Playwright driving Debian's Chromium against the built app and real
# `energy-node --dev --tmp` nodes that the tests start on free ports and stop).
#
#   ENERGY_NODE_BIN         the energy-node binary (default: the release build in the target dir)
#   CHROMIUM_BIN            the browser (default /usr/bin/chromium, which scripts/setup.sh installs)
#   ENERGY_WEB_TEST_PORT    where the app under test is served (default 4310)
#   ENERGY_WEB_SCREENSHOTS  where the scenarios' screenshots go (default web/test-results/screenshots)
# Arguments go to `playwright test` (e.g. tests/market.spec.ts, or -g 'basket').
# Prints `web: N passed, N failed` last.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ENERGY_NODE_BIN="${ENERGY_NODE_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/energy-chain/target}/release/energy-node}"
if [ ! -x "$ENERGY_NODE_BIN" ]; then
	echo "test-web: no energy-node at $ENERGY_NODE_BIN: build it first (scripts/test.sh)" >&2
	exit 1
fi
chromium="${CHROMIUM_BIN:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
	echo "test-web: no Chromium at $chromium: scripts/setup.sh installs Debian's chromium" >&2
	exit 1
fi

bash "$root/scripts/web.sh" build
cd "$root/web"

echo "== web: formatting (prettier --check)"
node_modules/.bin/prettier --check src tests ./*.ts

echo "== web: unit tests (vitest)"
node_modules/.bin/vitest run

echo "== web: browser tests (Playwright, $chromium)"
set +e
node_modules/.bin/playwright test "$@"
status=$?
set -e
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/results.json", "utf8"));
  const s = r.stats;
  console.log(`web: ${s.expected} passed, ${s.unexpected + s.flaky} failed`);
' || echo "web: 0 passed, 1 failed"
exit "$status"
