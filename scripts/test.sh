#!/usr/bin/env bash
# Runs the whole test suite: formatting, every unit, runtime, node and client test of the
# workspace (the node and client tests start real `energy-node` processes on free ports and stop
# them; the zombienet tests spawn a five-node network), the pallets' benchmarks as tests, the
# zombienet CLI's test of zombienet/local.toml, the polkadot.js tests (client/js) and the web
# app's unit and browser tests (web/), which print `web: N passed, N failed` last.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENERGY_ROOT"

# Each step's time, printed when the next one starts and at the end (see docs/development.md).
step_name="" step_start=0
step() {
	local now
	now=$(date +%s)
	[ -n "$step_name" ] && echo "== took $((now - step_start)) s: $step_name"
	step_name="$1" step_start=$now
	[ -n "$1" ] && echo "== $1"
	return 0
}
trap 'step ""' EXIT

step "cargo fmt --check"
cargo fmt --all -- --check

step "the pallets' weights.rs are as scripts/benchmark-pallets.sh writes them"
python3 scripts/check-weights.py

step "cargo test ($ENERGY_PROFILE, target dir $CARGO_TARGET_DIR)"
cargo test --locked --profile "$ENERGY_PROFILE" --workspace

step "pallet benchmarks, each run once as a test (--features runtime-benchmarks)"
cargo test --locked --profile "$ENERGY_PROFILE" -p pallet-energy-trading -p pallet-energy-bus \
	--features runtime-benchmarks

step "zombienet CLI: zombienet/local.zndsl on a spawned zombienet/local.toml"
bash "$ENERGY_ROOT/scripts/zombienet.sh" test

step "polkadot.js tests (client/js, npm ci from the committed lockfile)"
bash "$ENERGY_ROOT/scripts/test-js.sh"

step "web app: unit and browser tests (web/, npm ci from the committed lockfile)"
bash "$ENERGY_ROOT/scripts/test-web.sh"
