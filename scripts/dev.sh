#!/usr/bin/env bash
# Builds the node and the web app, serves the web app on http://127.0.0.1:3000 and starts a
# persistent development chain: Alice validates alone, the dev accounts hold 1,000,000 ECT each,
# blocks every 6 s, finalised by GRANDPA.
#
#   ENERGY_WEB          set to 0 to start the chain alone, without the web app
#   ENERGY_WEB_PORT     the web app's port (default 3000)
#   ENERGY_DEV_BASE     where the chain's database lives (default: ~/.cache/energy-chain/dev-chain);
#                       delete it, or run `energy-node purge-chain --dev --base-path ...`, to start over
#   ENERGY_RPC_PORT     JSON-RPC port (default 9944)
#   ENERGY_PROMETHEUS_PORT  Prometheus metrics port (default 9615)
#   ENERGY_RPC_EXTERNAL set to 1 to serve RPC on all interfaces, not only localhost
# It keeps the state of every block (--state-pruning archive), so that the node can always build
# its index of the factories' history (energy_getFactoryHistory) from genesis, even when it starts
# on a database an older node wrote. Any further arguments go to energy-node.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENERGY_ROOT"

web="${ENERGY_WEB:-1}"
web_port="${ENERGY_WEB_PORT:-3000}"
if [ "$web" != 0 ]; then
	echo "Web app: http://127.0.0.1:$web_port (after the build below)"
	bash scripts/web.sh build
fi

cargo build --locked --profile "$ENERGY_PROFILE" --workspace

base="${ENERGY_DEV_BASE:-$ENERGY_CACHE/dev-chain}"
port="${ENERGY_RPC_PORT:-9944}"
metrics_port="${ENERGY_PROMETHEUS_PORT:-9615}"
extra=()
[ "${ENERGY_RPC_EXTERNAL:-0}" = 1 ] && extra+=(--rpc-external)

if [ "$web" != 0 ]; then
	ENERGY_WEB_PORT="$web_port" bash scripts/web.sh serve >"$ENERGY_CACHE/web.log" 2>&1 &
	web_pid=$!
	trap 'kill "$web_pid" 2>/dev/null || true' EXIT
	for _ in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$web_port") 2>/dev/null && break
		if ! kill -0 "$web_pid" 2>/dev/null; then
			echo "dev: the web app did not start (is port $web_port taken? ENERGY_WEB_PORT picks another):" >&2
			tail -n 20 "$ENERGY_CACHE/web.log" >&2
			exit 1
		fi
		sleep 0.2
	done
fi

cat <<MSG

Energy Chain
  web app:                http://127.0.0.1:$web_port$([ "$web" != 0 ] || echo " (not started: ENERGY_WEB=0)")
  JSON-RPC (ws and http): ws://127.0.0.1:$port
  polkadot.js apps:       https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$port#/explorer
  Prometheus metrics:     http://127.0.0.1:$metrics_port/metrics
  database:               $base
  stop with Ctrl-C; the chain continues where it stopped on the next start.

MSG
"$ENERGY_NODE_BIN" --dev --base-path "$base" --rpc-port "$port" --rpc-cors all \
	--state-pruning archive \
	--prometheus-port "$metrics_port" "${extra[@]}" "$@"
