#!/usr/bin/env bash
# Regenerates, on this machine, every benchmarked weight the runtime charges (all but the database
# weights, which `scripts/benchmark-storage.sh` measures): builds `energy-node` with
# `--features runtime-benchmarks`, then
#   1. `energy-node benchmark pallet` for the energy pallets, into their `weights.rs`
#      (scripts/frame-weight-template.hbs);
#   2. the same for the FRAME pallets of the runtime (frame-system, its transaction extensions,
#      balances, transaction payment, timestamp, sudo, utility), into runtime/src/weights/ (the
#      benchmark CLI's own template);
#   3. `energy-node benchmark overhead`: what an empty block and a no-op transaction cost
#      (`BlockExecutionWeight`, `ExtrinsicBaseWeight`), into runtime/src/weights/.
# Each generated file records the exact command in its header.
#
#   STEPS (default 50) and REPEAT (default 20) trade precision for time in 1 and 2.
#   PALLETS (default: all of 1 and 2) picks pallets, e.g. PALLETS="pallet_energy_bus";
#   OVERHEAD=0 skips 3.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENERGY_ROOT"

steps="${STEPS:-50}"
repeat="${REPEAT:-20}"
energy_pallets="pallet_energy_trading pallet_energy_bus"
frame_pallets="frame_system frame_system_extensions pallet_balances pallet_transaction_payment
	pallet_timestamp pallet_sudo pallet_utility"
pallets="${PALLETS:-$energy_pallets $frame_pallets}"
cargo build --locked --profile "$ENERGY_PROFILE" -p energy-node --features runtime-benchmarks

for pallet in $pallets; do
	case " $energy_pallets " in
	*" $pallet "*)
		crate="${pallet#pallet_}"
		output=(--template scripts/frame-weight-template.hbs
			--output "pallets/${crate//_/-}/src/weights.rs")
		;;
	*)
		output=(--header scripts/runtime-weights-header.txt
			--output "runtime/src/weights/$pallet.rs")
		;;
	esac
	"$ENERGY_NODE_BIN" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		"${output[@]}"
done
if [ "${OVERHEAD:-1}" != 0 ]; then
	"$ENERGY_NODE_BIN" benchmark overhead \
		--chain dev \
		--header scripts/runtime-weights-header.txt \
		--weight-path runtime/src/weights/
	# The runtime reaches these types through frame-support.
	sed -i 's/^use sp_core::parameter_types;/use frame_support::parameter_types;/;
		s/^use sp_weights::{constants::WEIGHT_REF_TIME_PER_NANOS, Weight};/use frame_support::weights::{constants::WEIGHT_REF_TIME_PER_NANOS, Weight};/;
		s/use sp_weights::constants;/use frame_support::weights::constants;/' \
		runtime/src/weights/block_weights.rs runtime/src/weights/extrinsic_weights.rs
fi
