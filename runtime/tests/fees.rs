//! What transactions cost in the runtime (hardening, finding 10): a block full by length costs
//! what one full by weight does, and fees rise while blocks stay full. The figures the README
//! gives come from this test: `cargo test -p energy-runtime --test fees -- --nocapture` prints
//! them.

mod common;

use common::dev_genesis;
use energy_runtime::{Runtime, System, TransactionPayment, UNIT};
use frame_support::{dispatch::DispatchClass, traits::Hooks};
use pallet_transaction_payment::{Multiplier, NextFeeMultiplier};
use sp_runtime::{traits::One, FixedPointNumber};

/// Plancks as ECT, for the printout.
fn ect(plancks: u128) -> f64 {
	plancks as f64 / UNIT as f64
}

#[test]
fn a_full_block_costs_the_same_by_weight_and_by_length_and_more_while_blocks_stay_full() {
	dev_genesis().execute_with(|| {
		let weights = <Runtime as frame_system::Config>::BlockWeights::get();
		let normal_weight = weights.get(DispatchClass::Normal).max_total.expect("a limit");
		let lengths = <Runtime as frame_system::Config>::BlockLength::get();
		let normal_length = *lengths.max.get(DispatchClass::Normal);
		// At rest (the multiplier is 1): what the transactions filling a block pay for their
		// weight, or for their length.
		assert_eq!(NextFeeMultiplier::<Runtime>::get(), Multiplier::one());
		let by_weight = TransactionPayment::weight_to_fee(normal_weight);
		let by_length = TransactionPayment::length_to_fee(normal_length);
		println!(
			"a block full by weight: {:.4} ECT; by length: {:.4} ECT",
			ect(by_weight),
			ect(by_length)
		);
		assert_eq!(by_weight, 3 * UNIT / 2, "1.5 s of weight at 1 planck per picosecond");
		assert!(by_length <= by_weight && by_weight - by_length < UNIT / 100_000, "{by_length}");

		// Blocks full of normal transactions, one after the other: the multiplier rises.
		let mut factors = Vec::new();
		for block in 1..=14_400u32 {
			System::set_block_number(block);
			System::set_block_consumed_resources(normal_weight, normal_length as usize);
			TransactionPayment::on_finalize(block);
			if block == 600 || block == 14_400 {
				factors.push(NextFeeMultiplier::<Runtime>::get());
			}
		}
		let (hour, day) = (factors[0], factors[1]);
		println!(
			"fees after an hour (600 blocks) of full blocks: x{:.4}; after a day (14,400): x{:.4}",
			hour.to_float(),
			day.to_float()
		);
		assert!(hour > Multiplier::saturating_from_rational(103, 100), "{hour:?}");
		assert!(hour < Multiplier::saturating_from_rational(104, 100), "{hour:?}");
		assert!(day > Multiplier::saturating_from_rational(2, 1), "{day:?}");

		// Empty blocks bring fees back down, never below their rest level.
		for block in 14_401..=60_000u32 {
			System::set_block_number(block);
			System::set_block_consumed_resources(Default::default(), 0);
			TransactionPayment::on_finalize(block);
		}
		assert_eq!(NextFeeMultiplier::<Runtime>::get(), Multiplier::one());
	});
}
