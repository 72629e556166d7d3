#!/usr/bin/env bash
# Regenerates client/metadata/energy.scale, the runtime metadata energy-client is generated
# from, out of the runtime in this checkout. Run it after every runtime change; the test
# `energy-runtime/tests/metadata.rs` fails while the file is stale.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENERGY_ROOT"
# `--workspace --test metadata` (the runtime's metadata test) rather than `-p energy-runtime`: the
# same packages, so the same features, as scripts/test.sh's build, which it reuses.
ENERGY_UPDATE_METADATA=1 cargo test --locked --profile "$ENERGY_PROFILE" --workspace \
	--test metadata client_metadata_is_current -- --nocapture
