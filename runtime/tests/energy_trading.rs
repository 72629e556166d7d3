//! The factory ledger in the real runtime: the example factories of the genesis presets, and the
//! original design's scenario dispatched as runtime calls, paid in ECT through pallet-balances.

mod common;

use common::{account, dev_genesis, fid};
use energy_runtime::{
	genesis_config_presets, Balances, EnergyTrading, Runtime, RuntimeCall, RuntimeOrigin, System,
	UNIT,
};
use frame_support::{
	assert_noop, assert_ok, dispatch::GetDispatchInfo, traits::UnfilteredDispatchable,
};
use pallet_energy_trading::{EnergyType, Error, Factories};
use sp_keyring::Sr25519Keyring;

#[test]
fn the_presets_register_the_twenty_example_factories() {
	dev_genesis().execute_with(|| {
		assert_eq!(pallet_energy_trading::FactoryCount::<Runtime>::get(), 20);
		let expected = [
			("Factory01", EnergyType::Solar, 1_000_000),
			("Factory02", EnergyType::Wind, 800_000),
			("Factory03", EnergyType::Kinetic, 500_000),
			("Factory04", EnergyType::Solar, 300_000),
		];
		for (id, energy_type, energy_wh) in expected {
			let factory = Factories::<Runtime>::get(fid(id)).unwrap();
			assert_eq!(factory.energy_type, energy_type, "{id}");
			assert_eq!(factory.energy_wh, energy_wh, "{id}");
			assert_eq!(factory.meter, factory.owner, "{id} is metered by its owner");
		}
		// Every example factory is rated; Factory01's 250 kW make a day 6,000 kWh, enough for
		// the original scenario's report of 500 kWh right after genesis.
		let ratings = || pallet_energy_trading::Ratings::<Runtime>::iter_values();
		assert_eq!(ratings().count(), 20);
		assert!(ratings().all(|rating| rating.rated_power_w > 0));
		assert_eq!(EnergyTrading::factory_rating(fid("Factory01")).unwrap().rated_power_w, 250_000);
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory01")), Some(6_000_000));
		assert_eq!(
			Factories::<Runtime>::get(fid("Factory01")).unwrap().owner,
			account(Sr25519Keyring::Alice)
		);
		for n in 1..=20 {
			assert!(Factories::<Runtime>::contains_key(fid(&format!("Factory{n:02}"))));
		}
		EnergyTrading::do_try_state().unwrap();
	});
	let local = genesis_config_presets::local_config_genesis();
	assert_eq!(local["energyTrading"]["factories"].as_array().unwrap().len(), 20);
}

#[test]
fn an_accounts_factories_are_listed() {
	dev_genesis().execute_with(|| {
		let mut alices: Vec<_> =
			EnergyTrading::owner_factories(account(Sr25519Keyring::Alice), None, 100)
				.into_iter()
				.map(|factory| factory.id)
				.collect();
		alices.sort();
		assert_eq!(alices, ["Factory01", "Factory07", "Factory13", "Factory19"].map(fid));
	});
}

#[test]
fn the_original_scenario_runs_in_the_runtime() {
	dev_genesis().execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		let dave = account(Sr25519Keyring::Dave);
		let eight_cents = 8 * UNIT / 100;

		assert_ok!(EnergyTrading::mint_energy(
			RuntimeOrigin::signed(alice.clone()),
			fid("Factory01"),
			500_000
		));
		assert_ok!(EnergyTrading::create_trade(
			RuntimeOrigin::signed(alice.clone()),
			fid("Factory01"),
			fid("Factory04"),
			200_000,
			eight_cents
		));
		let alice_before = Balances::free_balance(&alice);
		let dave_before = Balances::free_balance(&dave);
		// Factory04 belongs to Dave; the buyer's guard is exactly the price.
		assert_ok!(EnergyTrading::execute_trade(RuntimeOrigin::signed(dave.clone()), 0, 16 * UNIT));
		assert_eq!(Factories::<Runtime>::get(fid("Factory01")).unwrap().energy_wh, 1_300_000);
		assert_eq!(Factories::<Runtime>::get(fid("Factory04")).unwrap().energy_wh, 500_000);
		// Alice is paid, and the trade's deposit (1 ECT, held while it was pending) returns.
		assert_eq!(Balances::free_balance(&alice), alice_before + 16 * UNIT + UNIT);
		assert_eq!(Balances::free_balance(&dave), dave_before - 16 * UNIT);
		EnergyTrading::do_try_state().unwrap();
	});
}

#[test]
fn factories_are_registered_through_sudo_only() {
	dev_genesis().execute_with(|| {
		let register = RuntimeCall::EnergyTrading(pallet_energy_trading::Call::register_factory {
			id: b"Factory21".to_vec(),
			name: b"New plant".to_vec(),
			energy_type: EnergyType::Hydro,
			owner: account(Sr25519Keyring::Bob),
			meter: None,
			rated_power_w: 5_000,
			initial_energy_wh: 10_000,
		});
		assert!(register.get_dispatch_info().call_weight.ref_time() > 0);
		assert_noop!(
			register
				.clone()
				.dispatch_bypass_filter(RuntimeOrigin::signed(account(Sr25519Keyring::Bob))),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(register) })
			.dispatch_bypass_filter(RuntimeOrigin::signed(account(Sr25519Keyring::Alice))));
		System::assert_has_event(pallet_sudo::Event::Sudid { sudo_result: Ok(()) }.into());
		assert_eq!(Factories::<Runtime>::get(fid("Factory21")).unwrap().energy_wh, 10_000);
		assert_noop!(
			EnergyTrading::mint_energy(
				RuntimeOrigin::signed(account(Sr25519Keyring::Alice)),
				fid("Factory21"),
				1
			),
			Error::<Runtime>::NotFactoryMeter
		);
	});
}

#[test]
fn meters_and_ratings_are_set_through_sudo_only() {
	dev_genesis().execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		let bob = account(Sr25519Keyring::Bob);
		// Bob owns Factory02: he may ask for a meter, not set one.
		assert_noop!(
			EnergyTrading::set_meter(
				RuntimeOrigin::signed(bob.clone()),
				fid("Factory02"),
				alice.clone()
			),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(EnergyTrading::request_meter(
			RuntimeOrigin::signed(bob.clone()),
			fid("Factory02"),
			alice.clone()
		));
		let sudo = |call: pallet_energy_trading::Call<Runtime>| {
			RuntimeCall::Sudo(pallet_sudo::Call::sudo {
				call: Box::new(RuntimeCall::EnergyTrading(call)),
			})
			.dispatch_bypass_filter(RuntimeOrigin::signed(alice.clone()))
		};
		assert_ok!(sudo(pallet_energy_trading::Call::set_meter {
			factory_id: fid("Factory02"),
			meter: alice.clone(),
		}));
		assert_eq!(Factories::<Runtime>::get(fid("Factory02")).unwrap().meter, alice);
		assert_eq!(EnergyTrading::meter_request(fid("Factory02")), None);
		assert_ok!(sudo(pallet_energy_trading::Call::set_rated_power {
			factory_id: fid("Factory02"),
			rated_power_w: 1_000,
		}));
		// A day at 1 kW: 24 kWh.
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory02")), Some(24_000));
		assert_noop!(
			EnergyTrading::mint_energy(
				RuntimeOrigin::signed(alice.clone()),
				fid("Factory02"),
				24_001
			),
			Error::<Runtime>::GenerationAboveRating
		);
		EnergyTrading::do_try_state().unwrap();
	});
}

/// Puts the state back as storage version 2 kept it: no ratings, the totals as `u64`.
fn store_as_version_2() {
	use frame_support::storage::unhashed;
	use pallet_energy_trading::{Ratings, TotalConsumedWh, TotalIssuedWh};
	let _ = Ratings::<Runtime>::clear(u32::MAX, None);
	let issued = TotalIssuedWh::<Runtime>::get() as u64;
	let consumed = TotalConsumedWh::<Runtime>::get() as u64;
	unhashed::put(&TotalIssuedWh::<Runtime>::hashed_key(), &issued);
	unhashed::put(&TotalConsumedWh::<Runtime>::hashed_key(), &consumed);
}

#[test]
fn a_runtime_upgrade_rates_the_factories_of_storage_version_2() {
	use frame_support::traits::{GetStorageVersion, StorageVersion};
	dev_genesis().execute_with(|| {
		let issued = pallet_energy_trading::TotalIssuedWh::<Runtime>::get();
		// A chain of spec 103.
		store_as_version_2();
		StorageVersion::new(2).put::<EnergyTrading>();

		energy_runtime::Executive::execute_on_runtime_upgrade();

		// Versions 3 and then 4 (trades' deposits and retention).
		assert_eq!(EnergyTrading::on_chain_storage_version(), 4);
		assert_eq!(Factories::<Runtime>::iter_values().count(), 20);
		let ratings = pallet_energy_trading::Ratings::<Runtime>::iter_values().collect::<Vec<_>>();
		assert_eq!(ratings.len(), 20);
		assert!(ratings.iter().all(|rating| rating.rated_power_w == 100_000));
		assert_eq!(pallet_energy_trading::TotalIssuedWh::<Runtime>::get(), issued);
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory01")), Some(2_400_000));
		EnergyTrading::do_try_state().unwrap();
	});
}

#[test]
fn a_runtime_upgrade_removes_the_history_rings_of_storage_version_1() {
	use frame_support::{
		storage::{storage_prefix, unhashed},
		traits::{GetStorageVersion, StorageVersion},
		Blake2_128Concat, StorageHasher,
	};
	dev_genesis().execute_with(|| {
		// A chain of spec 102: the pallet at storage version 1, a history ring per factory.
		store_as_version_2();
		StorageVersion::new(1).put::<EnergyTrading>();
		let prefix = storage_prefix(b"EnergyTrading", b"History");
		let ids: Vec<_> = Factories::<Runtime>::iter_keys().collect();
		assert_eq!(ids.len(), 20);
		for id in &ids {
			let key = [&prefix[..], &Blake2_128Concat::hash(&codec::Encode::encode(id))].concat();
			unhashed::put_raw(&key, &[0]);
		}

		energy_runtime::Executive::execute_on_runtime_upgrade();

		assert!(!unhashed::contains_prefixed_key(&prefix));
		// Every migration ran, in order: version 1 → 2 → 3 → 4.
		assert_eq!(EnergyTrading::on_chain_storage_version(), 4);
		assert_eq!(Factories::<Runtime>::iter_values().count(), 20);
		EnergyTrading::do_try_state().unwrap();
	});
}
