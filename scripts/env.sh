# Sourced by the other scripts: one cargo target directory and one profile for everything, and
# the Wasm toolchain that scripts/setup.sh chose.
ENERGY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ENERGY_CACHE="${ENERGY_CACHE:-$HOME/.cache/energy-chain}"
# Outside the checkout, so a fresh clone (CI) reuses what earlier builds compiled.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ENERGY_CACHE/target}"
# The one profile used by the dev chain, the tests and CI.
export ENERGY_PROFILE=release
# The runtime's Wasm build looks for Cargo.lock above the target directory; point it here.
export WASM_BUILD_WORKSPACE_HINT="$ENERGY_ROOT"
export ENERGY_NODE_BIN="$CARGO_TARGET_DIR/$ENERGY_PROFILE/energy-node"

bash "$ENERGY_ROOT/scripts/setup.sh"
# shellcheck source=/dev/null
source "$ENERGY_CACHE/wasm-toolchain.env"
