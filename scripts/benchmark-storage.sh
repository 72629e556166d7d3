#!/usr/bin/env bash
# Measures what one storage read and one storage write cost on this machine, on a database that
# holds a market's state, and writes them to runtime/src/weights/paritydb_weights.rs (the
# runtime's `DbWeight`):
#   1. builds the workspace with `energy-node/runtime-benchmarks` (the `benchmark` subcommand);
#   2. runs energy-bench's throughput part against a dev node whose database it keeps, which
#      leaves thousands of accounts, factories, offers, purchases and receipts in the state;
#   3. runs `energy-node benchmark storage` on that database: it times reading every key, then
#      writing every key with the trie and database commit, a thousand keys per commit (a full
#      block's writes are committed together on import; the tool's default, 100 000 per commit,
#      needs more keys than this state holds), and keeps the average of each (the tool's
#      default metric).
#
#   ACCOUNTS (default 2000) sets how many accounts energy-bench prepares.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENERGY_ROOT"

accounts="${ACCOUNTS:-2000}"
cargo build --locked --profile "$ENERGY_PROFILE" --workspace --features energy-node/runtime-benchmarks

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$CARGO_TARGET_DIR/$ENERGY_PROFILE/energy-bench" --node "$ENERGY_NODE_BIN" --skip-cost \
	--accounts "$accounts" --txs-per-account 1 --base-path "$work/db" \
	--out "$work/results" --results-md "$work/RESULTS.md"

"$ENERGY_NODE_BIN" benchmark storage \
	--dev \
	--base-path "$work/db" \
	--database paritydb \
	--state-version 1 \
	--batch-size 1000 \
	--template-path scripts/db-weights-template.hbs \
	--weight-path runtime/src/weights/
