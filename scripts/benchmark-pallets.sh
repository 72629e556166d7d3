#!/usr/bin/env bash
# Regenerates the energy pallets' `weights.rs` from their v2 benchmarks, on this machine:
# builds `energy-node` with `--features runtime-benchmarks` and runs `energy-node benchmark pallet`
# for each pallet. Each generated file records the exact command in its header.
#
#   STEPS (default 50) and REPEAT (default 20) trade precision for time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENERGY_ROOT"

steps="${STEPS:-50}"
repeat="${REPEAT:-20}"
cargo build --locked --profile "$ENERGY_PROFILE" -p energy-node --features runtime-benchmarks

for pallet in energy-trading energy-bus; do
	"$ENERGY_NODE_BIN" benchmark pallet \
		--chain dev \
		--pallet "pallet_${pallet//-/_}" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template scripts/frame-weight-template.hbs \
		--output "pallets/$pallet/src/weights.rs"
done
