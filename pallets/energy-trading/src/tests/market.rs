//! `EnergyLedger`, the interface the energy-bus market uses.

use frame_support::{assert_noop, assert_ok};

use super::balance_of;
use crate::{mock::*, EnergyLedger, Error, HistoryKind, MarketEscrowWh};

type Ledger = EnergyTrading;

#[test]
fn ownership_and_existence() {
	build_and_execute(|| {
		assert!(Ledger::is_owner(&ALICE, &fid("Factory01")));
		assert!(!Ledger::is_owner(&BOB, &fid("Factory01")));
		assert!(!Ledger::is_owner(&ALICE, &fid("Nope")));
		assert!(Ledger::exists(&fid("Factory02")));
		assert!(!Ledger::exists(&fid("Nope")));
	});
}

#[test]
fn escrow_release_and_deliver_keep_energy_conserved() {
	build_and_execute(|| {
		assert_ok!(Ledger::escrow(&fid("Factory01"), 300_000));
		assert_eq!(balance_of("Factory01"), 700_000);
		assert_eq!(Ledger::escrowed(), 300_000);

		assert_ok!(Ledger::deliver(&fid("Factory01"), &fid("Factory04"), 100_000));
		assert_eq!(balance_of("Factory04"), 400_000);
		assert_eq!(MarketEscrowWh::<Test>::get(), 200_000);

		assert_ok!(Ledger::release(&fid("Factory01"), 150_000));
		assert_eq!(balance_of("Factory01"), 850_000);
		assert_eq!(Ledger::escrowed(), 50_000);
		EnergyTrading::do_try_state().unwrap();

		let kinds =
			|id| crate::History::<Test>::get(fid(id)).iter().map(|r| r.kind).collect::<Vec<_>>();
		assert_eq!(
			kinds("Factory01")[1..],
			[HistoryKind::Escrowed, HistoryKind::MarketSold, HistoryKind::EscrowReturned]
		);
		assert_eq!(kinds("Factory04").last(), Some(&HistoryKind::MarketBought));
		let bought = crate::History::<Test>::get(fid("Factory04"));
		assert_eq!(bought.last().unwrap().counterparty, Some(fid("Factory01")));
		// Leave nothing in escrow: try_state after the test sees a consistent ledger either way.
		assert_ok!(Ledger::release(&fid("Factory01"), 50_000));
	});
}

#[test]
fn escrow_rejects_bad_input() {
	build_and_execute(|| {
		assert_noop!(Ledger::escrow(&fid("Factory01"), 0), Error::<Test>::ZeroEnergy);
		assert_noop!(Ledger::escrow(&fid("Nope"), 1), Error::<Test>::FactoryNotFound);
		assert_noop!(
			Ledger::escrow(&fid("Factory01"), 1_000_001),
			Error::<Test>::InsufficientEnergy
		);
	});
}

#[test]
fn release_and_deliver_reject_bad_input() {
	build_and_execute(|| {
		assert_ok!(Ledger::escrow(&fid("Factory01"), 10));
		assert_noop!(Ledger::release(&fid("Factory01"), 0), Error::<Test>::ZeroEnergy);
		assert_noop!(Ledger::release(&fid("Nope"), 1), Error::<Test>::FactoryNotFound);
		assert_noop!(Ledger::release(&fid("Factory01"), 11), Error::<Test>::InsufficientEnergy);
		assert_noop!(
			Ledger::deliver(&fid("Factory01"), &fid("Factory02"), 0),
			Error::<Test>::ZeroEnergy
		);
		assert_noop!(
			Ledger::deliver(&fid("Nope"), &fid("Factory02"), 1),
			Error::<Test>::FactoryNotFound
		);
		assert_noop!(
			Ledger::deliver(&fid("Factory01"), &fid("Nope"), 1),
			Error::<Test>::FactoryNotFound
		);
		assert_noop!(
			Ledger::deliver(&fid("Factory01"), &fid("Factory02"), 11),
			Error::<Test>::InsufficientEnergy
		);
		crate::Factories::<Test>::mutate(fid("Factory02"), |f| {
			f.as_mut().unwrap().energy_wh = u64::MAX
		});
		assert_noop!(
			Ledger::deliver(&fid("Factory01"), &fid("Factory02"), 1),
			Error::<Test>::Overflow
		);
		crate::Factories::<Test>::mutate(fid("Factory02"), |f| {
			f.as_mut().unwrap().energy_wh = 800_000
		});
		crate::Factories::<Test>::mutate(fid("Factory01"), |f| {
			f.as_mut().unwrap().energy_wh = u64::MAX
		});
		assert_noop!(Ledger::release(&fid("Factory01"), 1), Error::<Test>::Overflow);
		crate::Factories::<Test>::mutate(fid("Factory01"), |f| {
			f.as_mut().unwrap().energy_wh = 999_990
		});
		assert_ok!(Ledger::release(&fid("Factory01"), 10));
	});
}
