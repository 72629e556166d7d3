#!/usr/bin/env bash
# Runs the JavaScript client tests (client/js): polkadot.js (@polkadot/api) against real
# `energy-node --dev --tmp` nodes that the tests start on free ports and stop again. Installs the
# locked npm packages first (`npm ci`, from client/js/package-lock.json).
#
# Needs Node.js 20 or newer and npm, and a built node:
#   ENERGY_NODE_BIN   the energy-node binary (default: $CARGO_TARGET_DIR/release/energy-node,
#                     with CARGO_TARGET_DIR defaulting to ~/.cache/energy-chain/target as in
#                     scripts/env.sh); build it with `cargo build --release -p energy-node`
#   ENERGY_JS_LOG_DIR where the nodes' logs go (default: client/js/logs)
# Arguments go to `node --test` instead of the whole test/ directory, e.g. test/metadata.test.js.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/client/js"

export ENERGY_NODE_BIN="${ENERGY_NODE_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/energy-chain/target}/release/energy-node}"
if [ ! -x "$ENERGY_NODE_BIN" ]; then
	echo "test-js: no energy-node at $ENERGY_NODE_BIN" >&2
	echo "test-js: build it first (scripts/test.sh or cargo build --release -p energy-node)," >&2
	echo "test-js: or set ENERGY_NODE_BIN to the binary" >&2
	exit 1
fi
for tool in node npm; do
	if ! command -v "$tool" >/dev/null; then
		echo "test-js: $tool is not installed (Node.js 20 or newer is needed)" >&2
		exit 1
	fi
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
	echo "test-js: Node.js $(node --version) is too old: 20 or newer is needed" >&2
	exit 1
fi

echo "== npm ci (client/js)"
npm ci --no-audit --no-fund --prefer-offline

echo "== node --test (client/js, energy-node: $ENERGY_NODE_BIN)"
if [ "$#" -gt 0 ]; then
	node --test --test-concurrency=1 "$@"
else
	npm test
fi
