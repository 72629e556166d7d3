#!/usr/bin/env bash
# Runs the whole test suite: formatting, every unit, runtime and node test of the workspace (the
# node tests start real `energy-node` processes on free ports and stop them), and the pallets'
# benchmarks as tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENERGY_ROOT"

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo test ($ENERGY_PROFILE, target dir $CARGO_TARGET_DIR)"
cargo test --locked --profile "$ENERGY_PROFILE" --workspace

echo "== pallet benchmarks, each run once as a test (--features runtime-benchmarks)"
cargo test --locked --profile "$ENERGY_PROFILE" -p pallet-energy-trading -p pallet-energy-bus \
	--features runtime-benchmarks
