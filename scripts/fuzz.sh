#!/usr/bin/env bash
# Runs the cross-pallet fuzzer (fuzz/) for N steps (default 100000) from seed SEED (default 1),
# in chunks of 100,000 steps, each from a fresh development chain seeded SEED + its index, with
# a progress bar; exits 1 on the first violation, naming its chunk's seed to replay it.
#
#   bash scripts/fuzz.sh 1000000        # the README's million-step run
#   bash scripts/fuzz.sh 20000 7        # 20,000 steps from seed 7
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENERGY_ROOT"
steps="${1:-100000}"
seed="${2:-1}"
# The workspace's test build (scripts/test.sh's) builds the fuzzer too: building it the same way
# reuses every artifact instead of building the runtime again with another feature set.
cargo test --locked --profile "$ENERGY_PROFILE" --workspace --no-run --quiet
"$CARGO_TARGET_DIR/$ENERGY_PROFILE/energy-fuzz" --steps "$steps" --seed "$seed"
