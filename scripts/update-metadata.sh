#!/usr/bin/env bash
# Regenerates client/metadata/energy.scale, the runtime metadata energy-client is generated
# from, out of the runtime in this checkout. Run it after every runtime change; the test
# `energy-runtime/tests/metadata.rs` fails while the file is stale.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENERGY_ROOT"
ENERGY_UPDATE_METADATA=1 cargo test --locked --profile "$ENERGY_PROFILE" -p energy-runtime \
	--test metadata client_metadata_is_current -- --nocapture
