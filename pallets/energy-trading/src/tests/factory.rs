//! Registration, meters, minting, consumption and transfers.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

use super::{balance_of, last_event};
use crate::{
	mock::*, EnergyType, Error, Event, Factories, FactoriesByOwner, FactoryRating, MeterRequests,
	Ratings,
};

#[test]
fn genesis_registers_the_factories() {
	build_and_execute(|| {
		assert_eq!(crate::FactoryCount::<Test>::get(), 3);
		assert_eq!(balance_of("Factory01"), 1_000_000);
		let factory = Factories::<Test>::get(fid("Factory02")).unwrap();
		assert_eq!(factory.owner, BOB);
		assert_eq!(factory.meter, BOB_METER);
		assert_eq!(factory.energy_type, EnergyType::Wind);
		assert_eq!(&factory.name[..], b"Factory02 plant");
		// Rated 100 kW; genesis (block 0) has no time: the allowance is full as of 0.
		assert_eq!(Ratings::<Test>::get(fid("Factory02")), Some(FactoryRating::new(100_000, 0)));
		// A factory without a meter in genesis is metered by its owner.
		assert_eq!(Factories::<Test>::get(fid("Factory01")).unwrap().meter, ALICE);
		assert!(FactoriesByOwner::<Test>::contains_key(ALICE, fid("Factory01")));
		assert_eq!(crate::TotalIssuedWh::<Test>::get(), 2_100_000);
	});
}

#[test]
fn register_factory_works_for_root() {
	build_and_execute(|| {
		assert_ok!(EnergyTrading::register_factory(
			RuntimeOrigin::root(),
			b"Factory05".to_vec(),
			b"Hydro dam".to_vec(),
			EnergyType::Hydro,
			CHARLIE,
			None,
			2_000,
			42_000,
		));
		let events = super::ledger_events();
		assert_eq!(
			events[events.len() - 2..],
			[
				Event::FactoryRegistered {
					factory_id: fid("Factory05"),
					owner: CHARLIE,
					meter: CHARLIE,
					energy_type: EnergyType::Hydro,
					initial_energy_wh: 42_000,
				},
				// Its allowance starts full: a day at 2 kW.
				Event::RatedPowerChanged {
					factory_id: fid("Factory05"),
					rated_power_w: 2_000,
					allowance_wh: 48_000,
				},
			]
		);
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory05")), Some(48_000));
		assert_eq!(balance_of("Factory05"), 42_000);
		assert_eq!(crate::FactoryCount::<Test>::get(), 4);
		assert!(FactoriesByOwner::<Test>::contains_key(CHARLIE, fid("Factory05")));
	});
}

#[test]
fn register_factory_rejects_bad_input() {
	build_and_execute(|| {
		let register = |origin, id: &[u8], name: &[u8]| {
			EnergyTrading::register_factory(
				origin,
				id.to_vec(),
				name.to_vec(),
				EnergyType::Solar,
				ALICE,
				None,
				1_000,
				1,
			)
		};
		// Only the registrar (Root here) may register: any other origin is `BadOrigin`.
		assert_noop!(register(RuntimeOrigin::signed(ALICE), b"F9", b"x"), DispatchError::BadOrigin);
		assert_noop!(register(RuntimeOrigin::none(), b"F9", b"x"), DispatchError::BadOrigin);
		assert_noop!(register(RuntimeOrigin::root(), b"", b"x"), Error::<Test>::EmptyFactoryId);
		assert_noop!(
			register(RuntimeOrigin::root(), &[b'x'; 17], b"x"),
			Error::<Test>::FactoryIdTooLong
		);
		assert_noop!(
			register(RuntimeOrigin::root(), b"F9", &[b'x'; 33]),
			Error::<Test>::FactoryNameTooLong
		);
		assert_noop!(
			register(RuntimeOrigin::root(), b"Factory01", b"again"),
			Error::<Test>::FactoryAlreadyExists
		);
	});
}

/// The issued total is a `u128`: even a registration with `u64::MAX` Wh leaves room for every
/// other factory's (a balance of `u64::MAX` itself can then only shrink: `Overflow` on what
/// would add to it).
#[test]
fn a_huge_registration_does_not_block_others() {
	build_and_execute(|| {
		let register = |id: &[u8], energy_wh| {
			EnergyTrading::register_factory(
				RuntimeOrigin::root(),
				id.to_vec(),
				b"x".to_vec(),
				EnergyType::Other,
				ALICE,
				None,
				1_000,
				energy_wh,
			)
		};
		assert_ok!(register(b"Huge", u64::MAX));
		assert_ok!(register(b"Small", 1));
		assert_eq!(crate::TotalIssuedWh::<Test>::get(), 2_100_001 + u64::MAX as u128);
		assert_noop!(
			EnergyTrading::mint_energy(RuntimeOrigin::signed(ALICE), fid("Huge"), 1),
			Error::<Test>::Overflow
		);
	});
}

#[test]
fn set_meter_is_the_registrars() {
	build_and_execute(|| {
		// Not the owner's: it asks with `request_meter`.
		assert_noop!(
			EnergyTrading::set_meter(RuntimeOrigin::signed(ALICE), fid("Factory01"), BOB),
			DispatchError::BadOrigin
		);
		assert_noop!(
			EnergyTrading::set_meter(RuntimeOrigin::none(), fid("Factory01"), BOB),
			DispatchError::BadOrigin
		);
		assert_noop!(
			EnergyTrading::set_meter(RuntimeOrigin::root(), fid("Nope"), BOB),
			Error::<Test>::FactoryNotFound
		);
		assert_ok!(EnergyTrading::request_meter(RuntimeOrigin::signed(ALICE), fid("Factory01"), 8));
		// The registrar may choose another meter than the one asked for; the request is
		// settled either way.
		assert_ok!(EnergyTrading::set_meter(RuntimeOrigin::root(), fid("Factory01"), 7));
		assert_eq!(last_event(), Event::MeterChanged { factory_id: fid("Factory01"), meter: 7 });
		assert!(!MeterRequests::<Test>::contains_key(fid("Factory01")));
		assert_eq!(Factories::<Test>::get(fid("Factory01")).unwrap().meter, 7);
		// The old meter (the owner) can no longer mint; the new one can.
		assert_noop!(
			EnergyTrading::mint_energy(RuntimeOrigin::signed(ALICE), fid("Factory01"), 1),
			Error::<Test>::NotFactoryMeter
		);
		assert_ok!(EnergyTrading::mint_energy(RuntimeOrigin::signed(7), fid("Factory01"), 1));
	});
}

#[test]
fn an_owner_asks_for_a_meter() {
	build_and_execute(|| {
		assert_noop!(
			EnergyTrading::request_meter(RuntimeOrigin::signed(BOB), fid("Factory01"), BOB),
			Error::<Test>::NotFactoryOwner
		);
		assert_noop!(
			EnergyTrading::request_meter(RuntimeOrigin::signed(ALICE), fid("Nope"), BOB),
			Error::<Test>::FactoryNotFound
		);
		assert_noop!(
			EnergyTrading::request_meter(RuntimeOrigin::root(), fid("Factory01"), BOB),
			DispatchError::BadOrigin
		);
		assert_ok!(EnergyTrading::request_meter(RuntimeOrigin::signed(BOB), fid("Factory02"), 5));
		assert_eq!(last_event(), Event::MeterRequested { factory_id: fid("Factory02"), meter: 5 });
		// Asking changes nothing yet; a newer request replaces the older.
		assert_eq!(Factories::<Test>::get(fid("Factory02")).unwrap().meter, BOB_METER);
		assert_ok!(EnergyTrading::request_meter(RuntimeOrigin::signed(BOB), fid("Factory02"), 6));
		assert_eq!(EnergyTrading::meter_request(fid("Factory02")), Some(6));
		assert_eq!(MeterRequests::<Test>::iter().count(), 1);
	});
}

#[test]
fn a_meter_reports_at_most_what_the_rated_power_produced() {
	build_and_execute(|| {
		let mint =
			|wh| EnergyTrading::mint_energy(RuntimeOrigin::signed(BOB_METER), fid("Factory02"), wh);
		let now = Timestamp::get();
		// Rated 100 kW: a full allowance is a day's production, 2,400 kWh.
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory02")), Some(2_400_000));
		assert_noop!(mint(2_400_001), Error::<Test>::GenerationAboveRating);
		assert_ok!(mint(2_400_000));
		assert_eq!(
			last_event(),
			Event::EnergyMinted {
				factory_id: fid("Factory02"),
				energy_wh: 2_400_000,
				balance_wh: 3_200_000,
			}
		);
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory02")), Some(0));
		assert_noop!(mint(1), Error::<Test>::GenerationAboveRating);
		// 100 kW produce 1 Wh in 36 ms: nothing is lost to rounding between reports.
		Timestamp::set_timestamp(now + 35);
		assert_noop!(mint(1), Error::<Test>::GenerationAboveRating);
		Timestamp::set_timestamp(now + 36);
		assert_ok!(mint(1));
		// An hour later, 100 kWh more.
		Timestamp::set_timestamp(now + 36 + 3_600_000);
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory02")), Some(100_000));
		assert_ok!(mint(60_000));
		assert_ok!(mint(40_000));
		assert_noop!(mint(1), Error::<Test>::GenerationAboveRating);
		// Idle for a week: it holds a day's production, no more.
		Timestamp::set_timestamp(now + 7 * 86_400_000);
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory02")), Some(2_400_000));
		// Consumption does not touch it.
		assert_ok!(EnergyTrading::consume_energy(
			RuntimeOrigin::signed(BOB_METER),
			fid("Factory02"),
			1_000
		));
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory02")), Some(2_400_000));
	});
}

#[test]
fn set_rated_power_is_the_registrars_and_keeps_what_was_earned() {
	build_and_execute(|| {
		let rate = |origin, id: &str, w| EnergyTrading::set_rated_power(origin, fid(id), w);
		assert_noop!(
			rate(RuntimeOrigin::signed(ALICE), "Factory01", 1_000_000),
			DispatchError::BadOrigin
		);
		assert_noop!(rate(RuntimeOrigin::root(), "Nope", 1), Error::<Test>::FactoryNotFound);
		let now = Timestamp::get();
		assert_ok!(EnergyTrading::mint_energy(
			RuntimeOrigin::signed(ALICE),
			fid("Factory01"),
			2_400_000
		));
		// Half an hour at 100 kW earns 50 kWh; rated up to 1 MW, it keeps those 50 kWh
		// (the new rating does not fill it) and earns at 1 MW from then on.
		Timestamp::set_timestamp(now + 1_800_000);
		assert_ok!(rate(RuntimeOrigin::root(), "Factory01", 1_000_000));
		assert_eq!(
			last_event(),
			Event::RatedPowerChanged {
				factory_id: fid("Factory01"),
				rated_power_w: 1_000_000,
				allowance_wh: 50_000,
			}
		);
		Timestamp::set_timestamp(now + 3_600_000);
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory01")), Some(550_000));
		// Rated down to 10 kW, it holds at most a day at 10 kW: 240 kWh.
		assert_ok!(rate(RuntimeOrigin::root(), "Factory01", 10_000));
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory01")), Some(240_000));
		// Rated 0, it generates nothing.
		assert_ok!(rate(RuntimeOrigin::root(), "Factory01", 0));
		assert_noop!(
			EnergyTrading::mint_energy(RuntimeOrigin::signed(ALICE), fid("Factory01"), 1),
			Error::<Test>::GenerationAboveRating
		);
	});
}

#[test]
fn mint_energy_adds_generation() {
	build_and_execute(|| {
		// Factory01 mints 500 kWh: 1000 kWh -> 1500 kWh.
		assert_ok!(EnergyTrading::mint_energy(
			RuntimeOrigin::signed(ALICE),
			fid("Factory01"),
			500_000
		));
		assert_eq!(balance_of("Factory01"), 1_500_000);
		assert_eq!(
			last_event(),
			Event::EnergyMinted {
				factory_id: fid("Factory01"),
				energy_wh: 500_000,
				balance_wh: 1_500_000,
			}
		);
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory01")), Some(1_900_000));
		assert_eq!(crate::TotalIssuedWh::<Test>::get(), 2_600_000);
	});
}

#[test]
fn mint_energy_rejects_bad_input() {
	build_and_execute(|| {
		let mint =
			|who, id: &str, wh| EnergyTrading::mint_energy(RuntimeOrigin::signed(who), fid(id), wh);
		assert_noop!(mint(ALICE, "Factory01", 0), Error::<Test>::ZeroEnergy);
		assert_noop!(mint(ALICE, "Nope", 1), Error::<Test>::FactoryNotFound);
		// Bob owns Factory02 but its meter is BOB_METER.
		assert_noop!(mint(BOB, "Factory02", 1), Error::<Test>::NotFactoryMeter);
		assert_noop!(mint(ALICE, "Factory01", u64::MAX), Error::<Test>::GenerationAboveRating);
		// A balance cannot overflow either.
		crate::Factories::<Test>::mutate(fid("Factory01"), |f| {
			f.as_mut().unwrap().energy_wh = u64::MAX
		});
		assert_noop!(mint(ALICE, "Factory01", 1), Error::<Test>::Overflow);
		crate::Factories::<Test>::mutate(fid("Factory01"), |f| {
			f.as_mut().unwrap().energy_wh = 1_000_000
		});
		assert_noop!(
			EnergyTrading::mint_energy(RuntimeOrigin::root(), fid("Factory01"), 1),
			DispatchError::BadOrigin
		);
		assert_ok!(mint(BOB_METER, "Factory02", 1));
	});
}

#[test]
fn consume_energy_burns() {
	build_and_execute(|| {
		assert_ok!(EnergyTrading::consume_energy(
			RuntimeOrigin::signed(BOB_METER),
			fid("Factory02"),
			300_000
		));
		assert_eq!(balance_of("Factory02"), 500_000);
		assert_eq!(
			last_event(),
			Event::EnergyConsumed {
				factory_id: fid("Factory02"),
				energy_wh: 300_000,
				balance_wh: 500_000
			}
		);
		assert_eq!(crate::TotalConsumedWh::<Test>::get(), 300_000);
	});
}

#[test]
fn consume_energy_rejects_bad_input() {
	build_and_execute(|| {
		let consume = |who, id: &str, wh| {
			EnergyTrading::consume_energy(RuntimeOrigin::signed(who), fid(id), wh)
		};
		assert_noop!(consume(BOB_METER, "Factory02", 0), Error::<Test>::ZeroEnergy);
		assert_noop!(consume(BOB_METER, "Nope", 1), Error::<Test>::FactoryNotFound);
		assert_noop!(consume(BOB, "Factory02", 1), Error::<Test>::NotFactoryMeter);
		assert_noop!(consume(BOB_METER, "Factory02", 800_001), Error::<Test>::InsufficientEnergy);
		assert_noop!(
			EnergyTrading::consume_energy(RuntimeOrigin::none(), fid("Factory02"), 1),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn transfer_energy_moves_energy_between_factories() {
	build_and_execute(|| {
		assert_ok!(EnergyTrading::transfer_energy(
			RuntimeOrigin::signed(ALICE),
			fid("Factory01"),
			fid("Factory02"),
			250_000
		));
		assert_eq!(balance_of("Factory01"), 750_000);
		assert_eq!(balance_of("Factory02"), 1_050_000);
		assert_eq!(
			last_event(),
			Event::EnergyTransferred {
				from: fid("Factory01"),
				to: fid("Factory02"),
				energy_wh: 250_000,
				from_balance_wh: 750_000,
				to_balance_wh: 1_050_000,
			}
		);
	});
}

#[test]
fn transfer_energy_rejects_bad_input() {
	build_and_execute(|| {
		let transfer = |who, from: &str, to: &str, wh| {
			EnergyTrading::transfer_energy(RuntimeOrigin::signed(who), fid(from), fid(to), wh)
		};
		assert_noop!(transfer(ALICE, "Factory01", "Factory02", 0), Error::<Test>::ZeroEnergy);
		assert_noop!(transfer(ALICE, "Factory01", "Factory01", 1), Error::<Test>::SelfTransfer);
		assert_noop!(transfer(ALICE, "Nope", "Factory02", 1), Error::<Test>::FactoryNotFound);
		assert_noop!(transfer(ALICE, "Factory01", "Nope", 1), Error::<Test>::FactoryNotFound);
		assert_noop!(transfer(BOB, "Factory01", "Factory02", 1), Error::<Test>::NotFactoryOwner);
		assert_noop!(
			transfer(ALICE, "Factory01", "Factory02", 1_000_001),
			Error::<Test>::InsufficientEnergy
		);
		// The receiver's balance cannot overflow.
		crate::Factories::<Test>::mutate(fid("Factory02"), |f| {
			f.as_mut().unwrap().energy_wh = u64::MAX
		});
		assert_noop!(transfer(ALICE, "Factory01", "Factory02", 1), Error::<Test>::Overflow);
		// Restore the invariant for try_state.
		crate::Factories::<Test>::mutate(fid("Factory02"), |f| {
			f.as_mut().unwrap().energy_wh = 800_000
		});
		assert_noop!(
			EnergyTrading::transfer_energy(
				RuntimeOrigin::root(),
				fid("Factory01"),
				fid("Factory02"),
				1
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn nobody_without_a_factory_can_do_anything() {
	build_and_execute(|| {
		assert_noop!(
			EnergyTrading::transfer_energy(
				RuntimeOrigin::signed(NOBODY),
				fid("Factory01"),
				fid("Factory02"),
				1
			),
			Error::<Test>::NotFactoryOwner
		);
	});
}
