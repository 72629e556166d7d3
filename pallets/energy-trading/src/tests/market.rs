//! `EnergyLedger`, the interface the energy-bus market uses.

use frame_support::{assert_noop, assert_ok};

use super::{balance_of, ledger_events};
use crate::{mock::*, EnergyLedger, Error, Event, MarketEscrowWh};

type Ledger = EnergyTrading;

/// One delivery of escrowed energy, `from` to `to`.
fn deliver(
	from: &crate::FactoryIdOf<Test>,
	to: &crate::FactoryIdOf<Test>,
	energy_wh: u64,
) -> sp_runtime::DispatchResult {
	Ledger::deliver_all(to, &[(from.clone(), energy_wh)]).map_err(|(_, error)| error)
}

#[test]
fn ownership() {
	build_and_execute(|| {
		assert!(Ledger::is_owner(&ALICE, &fid("Factory01")));
		assert!(!Ledger::is_owner(&BOB, &fid("Factory01")));
		assert!(!Ledger::is_owner(&ALICE, &fid("Nope")));
	});
}

#[test]
fn escrow_release_and_deliver_keep_energy_conserved() {
	build_and_execute(|| {
		assert_ok!(Ledger::escrow(&fid("Factory01"), 300_000));
		assert_eq!(balance_of("Factory01"), 700_000);
		assert_eq!(Ledger::escrowed(), 300_000);

		assert_ok!(deliver(&fid("Factory01"), &fid("Factory04"), 100_000));
		assert_eq!(balance_of("Factory04"), 400_000);
		assert_eq!(MarketEscrowWh::<Test>::get(), 200_000);

		assert_ok!(Ledger::release(&fid("Factory01"), 150_000));
		assert_eq!(balance_of("Factory01"), 850_000);
		assert_eq!(Ledger::escrowed(), 50_000);
		EnergyTrading::do_try_state().unwrap();

		assert_eq!(
			ledger_events(),
			[
				Event::MarketEscrowed {
					factory_id: fid("Factory01"),
					energy_wh: 300_000,
					balance_wh: 700_000
				},
				Event::MarketDelivered {
					from: fid("Factory01"),
					to: fid("Factory04"),
					energy_wh: 100_000,
					from_balance_wh: 700_000,
					to_balance_wh: 400_000
				},
				Event::MarketReleased {
					factory_id: fid("Factory01"),
					energy_wh: 150_000,
					balance_wh: 850_000
				},
			]
		);
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
		assert_noop!(deliver(&fid("Factory01"), &fid("Factory02"), 0), Error::<Test>::ZeroEnergy);
		assert_noop!(deliver(&fid("Nope"), &fid("Factory02"), 1), Error::<Test>::FactoryNotFound);
		assert_noop!(deliver(&fid("Factory01"), &fid("Nope"), 1), Error::<Test>::FactoryNotFound);
		assert_noop!(
			deliver(&fid("Factory01"), &fid("Factory02"), 11),
			Error::<Test>::InsufficientEnergy
		);
		crate::Factories::<Test>::mutate(fid("Factory02"), |f| {
			f.as_mut().unwrap().energy_wh = u64::MAX
		});
		assert_noop!(deliver(&fid("Factory01"), &fid("Factory02"), 1), Error::<Test>::Overflow);
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

#[test]
fn deliver_all_emits_every_delivery_in_order_with_the_balance_after_it() {
	build_and_execute(|| {
		assert_ok!(Ledger::escrow(&fid("Factory01"), 300));
		assert_ok!(Ledger::escrow(&fid("Factory02"), 200));
		let before = balance_of("Factory04");
		assert_ok!(Ledger::deliver_all(
			&fid("Factory04"),
			&[(fid("Factory01"), 100), (fid("Factory02"), 200), (fid("Factory01"), 200)]
		));
		assert_eq!(balance_of("Factory04"), before + 500);
		assert_eq!(Ledger::escrowed(), 0);
		// One event per delivery, in order, with the seller's balance (unchanged by a sale from
		// escrow) and the buyer's after that delivery.
		let (f1, f2) = (balance_of("Factory01"), balance_of("Factory02"));
		let delivered = |from, energy_wh, from_balance_wh, to_balance_wh| Event::MarketDelivered {
			from: fid(from),
			to: fid("Factory04"),
			energy_wh,
			from_balance_wh,
			to_balance_wh,
		};
		assert_eq!(
			ledger_events()[2..],
			[
				delivered("Factory01", 100, f1, before + 100),
				delivered("Factory02", 200, f2, before + 300),
				delivered("Factory01", 200, f1, before + 500),
			]
		);
		EnergyTrading::do_try_state().unwrap();
	});
}

#[test]
fn deliver_all_names_the_delivery_that_failed() {
	build_and_execute(|| {
		assert_ok!(Ledger::escrow(&fid("Factory01"), 10));
		let f1 = || fid("Factory01");
		for (to, deliveries, index, error) in [
			("Nope", vec![(f1(), 1)], 0, Error::<Test>::FactoryNotFound),
			("Factory02", vec![(f1(), 1), (fid("Nope"), 1)], 1, Error::<Test>::FactoryNotFound),
			("Factory02", vec![(f1(), 1), (f1(), 0)], 1, Error::<Test>::ZeroEnergy),
			("Factory02", vec![(f1(), 5), (f1(), 6)], 1, Error::<Test>::InsufficientEnergy),
			("Factory01", vec![(fid("Factory02"), 0), (f1(), 1)], 0, Error::<Test>::ZeroEnergy),
			("Factory01", vec![(f1(), 1)], 0, Error::<Test>::SelfTransfer),
		] {
			// Every delivery is checked before anything is written.
			assert_noop!(
				Ledger::deliver_all(&fid(to), &deliveries),
				(index, sp_runtime::DispatchError::from(error))
			);
		}
		// Nothing to deliver changes nothing, even for an unknown factory.
		frame_support::assert_storage_noop!(assert_eq!(
			Ledger::deliver_all(&fid("Nope"), &[]),
			Ok(())
		));
		assert_ok!(Ledger::deliver_all(&fid("Factory02"), &[(f1(), 4), (f1(), 6)]));
		assert_eq!(Ledger::escrowed(), 0);
	});
}
