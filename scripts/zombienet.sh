#!/usr/bin/env bash
# The zombienet CLI (native provider) on zombienet/local.toml: four validators (alice, bob,
# charlie, dave) and a non-validating RPC node on the `local` chain.
#
#   scripts/zombienet.sh          builds the node and spawns the network (Ctrl-C stops it)
#
# The same network is tested by zombienet-sdk in zombienet/tests/network.rs (scripts/test.sh).
#
#   RPC node   ws://127.0.0.1:9944     alice   ws://127.0.0.1:9945    bob  ws://127.0.0.1:9946
#                                      charlie ws://127.0.0.1:9947    dave ws://127.0.0.1:9948
#
# The CLI (@zombienet/cli, pinned with its lockfile in zombienet/cli) is installed with `npm ci`
# on first use. The nodes' files and logs go to ENERGY_ZOMBIENET_DIR (default: a new directory
# under /tmp, printed below). Further arguments go to `zombienet`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENERGY_ROOT"

if [ "${1:-}" = spawn ]; then shift; fi

cli="zombienet/cli/node_modules/.bin/zombienet"
if [ ! -x "$cli" ]; then
	npm ci --no-audit --no-fund --prefix zombienet/cli
fi

cargo build --locked --profile "$ENERGY_PROFILE" --workspace

# local.toml names its command `energy-node`: the one just built comes first on PATH.
export PATH="$(dirname "$ENERGY_NODE_BIN"):$PATH"
dir="${ENERGY_ZOMBIENET_DIR:-$(mktemp -d /tmp/energy-zombienet-cli-XXXXXX)}"
rmdir "$dir" 2>/dev/null || true # zombienet creates it
echo "zombienet: the nodes' files and logs go to $dir"

exec "$cli" --provider native --dir "$dir" "$@" spawn zombienet/local.toml
