#!/usr/bin/env bash
# The throughput benchmark in one command: builds the node and energy-bench, then measures
# included tx/s of every workload against balance transfers on a fresh dev node, and the market
# calls' cost at 10, 10 000 and 100 000 offers; writes bench/RESULTS.md, bench/results/run-*.json
# and a chart per workload (bench/results/tps-*.png). Arguments go to energy-bench (see
# `energy-bench --help`), e.g. --accounts 500 or --workloads transfer,purchase or --smoke.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENERGY_ROOT"

cargo build --locked --profile "$ENERGY_PROFILE" --workspace
exec "$CARGO_TARGET_DIR/$ENERGY_PROFILE/energy-bench" --node "$ENERGY_NODE_BIN" "$@"
