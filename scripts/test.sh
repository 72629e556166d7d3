#!/usr/bin/env bash
# Runs the whole test suite: formatting, every unit, runtime, node and client test of the
# workspace (the node and client tests start real `energy-node` processes on free ports and stop
# them; the zombienet tests spawn a five-node network), the pallets' benchmarks as tests, the
# polkadot.js tests (client/js) and the web app's unit and browser tests (web/), which print
# `web: N passed, N failed` last.
#
# Everything is built first; then the suites that start nodes, which mostly wait for 6-second
# blocks, run side by side (cargo-nextest runs the workspace's tests in parallel across test
# binaries; the zombienet network, the polkadot.js tests and the web app's tests run beside it).
# Each suite's output is printed whole when it ends.
#
#   ENERGY_TEST_THREADS   how many workspace tests nextest runs at once (default 6)
#   ENERGY_WEB_WORKERS    how many browser tests run at once (default 3; see web/playwright.config.ts)
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

cargo_test=(cargo test --locked --profile "$ENERGY_PROFILE")

step "cargo fmt --check"
cargo fmt --all -- --check

step "the pallets' weights.rs are as scripts/benchmark-pallets.sh writes them"
python3 scripts/check-weights.py

step "build: the workspace and its tests ($ENERGY_PROFILE, target dir $CARGO_TARGET_DIR)"
"${cargo_test[@]}" --workspace --no-run

step "doc tests"
"${cargo_test[@]}" --workspace --doc

step "pallet benchmarks, each run once as a test (--features runtime-benchmarks)"
"${cargo_test[@]}" -p pallet-energy-trading -p pallet-energy-bus --features runtime-benchmarks

# scripts/test-web.sh builds it too, but only what changed: nothing, after this.
step "build: the web app"
bash scripts/web.sh build

# The zombienet tests are one binary with its own harness (one network for four tests in
# order), which nextest cannot split: it runs beside nextest. Its path comes from the same
# build as the rest (the same packages and features, so nothing is compiled again).
zombienet_test="$("${cargo_test[@]}" --workspace --no-run --message-format=json 2>/dev/null |
	python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "network" and m.get("executable"):
        print(m["executable"])')"

logs="$(mktemp -d /tmp/energy-tests-XXXXXX)"
declare -A pids started
suite() { # $1: name; the rest: the command
	local name="$1"
	shift
	started[$name]=$(date +%s)
	("$@" >"$logs/$name.log" 2>&1) &
	pids[$name]=$!
}

step "tests, side by side (logs in $logs)"
# Filtered, not `--exclude`d: the same packages as the build, so the same features.
suite workspace cargo nextest run --cargo-profile "$ENERGY_PROFILE" --locked --workspace \
	-E 'not binary_id(energy-zombienet::network)' --no-fail-fast \
	--test-threads "${ENERGY_TEST_THREADS:-6}"
suite zombienet "$zombienet_test"
suite polkadot-js bash scripts/test-js.sh
suite web bash scripts/test-web.sh

failed=()
for name in workspace zombienet polkadot-js web; do
	status=0
	wait "${pids[$name]}" || status=$?
	echo "== $name: exit $status after $(($(date +%s) - started[$name])) s (of the side-by-side run)"
	cat "$logs/$name.log"
	[ "$status" = 0 ] || failed+=("$name")
done
if [ "${#failed[@]}" -gt 0 ]; then
	echo "test: failed: ${failed[*]} (logs in $logs)" >&2
	# The CI reads the last line: the web app's summary, or this.
	[[ " ${failed[*]} " == *" web "* ]] || echo "0 passed, ${#failed[@]} failed"
	exit 1
fi
rm -rf "$logs"
