//! Hardening, finding 1: self-metering and unbounded minting. Each test is an attack that
//! worked before meters became the registrar's and reports were bounded by a rated power.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

use super::balance_of;
use crate::{mock::*, EnergyType, Error, Factories, TotalIssuedWh};

/// An owner that named itself (or an account it controls) its factory's meter could report any
/// generation it liked. Bob owns Factory02, metered by `BOB_METER`: he can no longer replace
/// the meter, only ask the registrar.
#[test]
fn an_owner_cannot_make_itself_its_factorys_meter() {
	build_and_execute(|| {
		assert_noop!(
			EnergyTrading::set_meter(RuntimeOrigin::signed(BOB), fid("Factory02"), BOB),
			DispatchError::BadOrigin
		);
		assert_eq!(Factories::<Test>::get(fid("Factory02")).unwrap().meter, BOB_METER);
		assert_noop!(
			EnergyTrading::mint_energy(RuntimeOrigin::signed(BOB), fid("Factory02"), 1),
			Error::<Test>::NotFactoryMeter
		);
	});
}

/// One report of `u64::MAX − TotalIssuedWh` used to succeed: the factory owned unlimited energy
/// and every later mint and every registration with starting energy failed with `Overflow`,
/// for every factory, for good. A report may not exceed what the factory's rated power can
/// produce (at most a day's production), so that report fails, and the ledger goes on.
#[test]
fn a_meter_cannot_mint_the_rest_of_the_issuance() {
	build_and_execute(|| {
		let rest = u64::MAX - TotalIssuedWh::<Test>::get() as u64;
		assert_noop!(
			EnergyTrading::mint_energy(RuntimeOrigin::signed(ALICE), fid("Factory01"), rest),
			Error::<Test>::GenerationAboveRating
		);
		// Others mint and register as before.
		assert_ok!(EnergyTrading::mint_energy(
			RuntimeOrigin::signed(BOB_METER),
			fid("Factory02"),
			1_000
		));
		assert_ok!(EnergyTrading::register_factory(
			RuntimeOrigin::root(),
			b"Factory09".to_vec(),
			b"late joiner".to_vec(),
			EnergyType::Hydro,
			CHARLIE,
			None,
			10_000,
			5_000,
		));
		assert_eq!(balance_of("Factory09"), 5_000);
	});
}

/// The totals that only grow are wider than any balance: at `u64::MAX` issued, a legal report
/// still goes through (it failed with `Overflow` while the totals were `u64`).
#[test]
fn the_issued_total_does_not_overflow_at_u64_max() {
	build_and_execute(|| {
		let issued = TotalIssuedWh::<Test>::get();
		TotalIssuedWh::<Test>::put(u64::MAX as u128);
		assert_ok!(EnergyTrading::mint_energy(RuntimeOrigin::signed(ALICE), fid("Factory01"), 1));
		assert_eq!(TotalIssuedWh::<Test>::get(), u64::MAX as u128 + 1);
		// Back to the real total, plus the report, for the conservation check.
		TotalIssuedWh::<Test>::put(issued + 1);
	});
}
