# Sourced by the other scripts: one cargo target directory and one profile for everything, and
# the Wasm toolchain that scripts/setup.sh chose.
ENERGY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ENERGY_CACHE="${ENERGY_CACHE:-$HOME/.cache/energy-chain}"
# Outside the checkout, so a fresh clone (CI) reuses what earlier builds compiled.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ENERGY_CACHE/target}"
# The one profile used by the dev chain, the tests and CI.
export ENERGY_PROFILE=release
# The runtime's Wasm build looks for Cargo.lock above the target directory; point it here, so
# the Wasm runtime is built from the same locked versions as everything else.
export WASM_BUILD_WORKSPACE_HINT="$ENERGY_ROOT"
# frame-benchmarking-cli (only in `--features runtime-benchmarks` builds) carries a test runtime
# that is not part of this workspace's metadata, so its Wasm build cannot use the hint above; it
# only serves the parachain validate-block mode of `benchmark storage`, which a solochain does
# not use.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
export ENERGY_NODE_BIN="$CARGO_TARGET_DIR/$ENERGY_PROFILE/energy-node"

bash "$ENERGY_ROOT/scripts/setup.sh"
# shellcheck source=/dev/null
source "$ENERGY_CACHE/wasm-toolchain.env"
