//! The storage migrations, run as a runtime upgrade would run them.

use frame_support::{
	assert_ok,
	storage::{storage_prefix, unhashed},
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	Blake2_128Concat, StorageHasher,
};

use crate::{
	migrations::{v2, v3},
	mock::*,
	Factories, FactoryRating, Pallet, Ratings, TotalConsumedWh, TotalIssuedWh,
};

/// The raw key of a version-1 history ring.
fn history_key(id: &str) -> Vec<u8> {
	let mut key = storage_prefix(b"EnergyTrading", v2::HISTORY).to_vec();
	key.extend(Blake2_128Concat::hash(&codec::Encode::encode(&fid(id))));
	key
}

#[test]
fn v2_removes_the_history_rings_once() {
	build_and_execute(|| {
		StorageVersion::new(1).put::<Pallet<Test>>();
		for id in ["Factory01", "Factory02", "Factory04"] {
			unhashed::put_raw(&history_key(id), &[4, 1, 2, 3, 4]);
		}
		let factories: Vec<_> = Factories::<Test>::iter().collect();

		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();

		for id in ["Factory01", "Factory02", "Factory04"] {
			assert_eq!(unhashed::get_raw(&history_key(id)), None);
		}
		let prefix = storage_prefix(b"EnergyTrading", v2::HISTORY);
		assert!(!unhashed::contains_prefixed_key(&prefix));
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
		// Nothing else changed.
		assert_eq!(Factories::<Test>::iter().collect::<Vec<_>>(), factories);

		// At version 2 it does nothing: a ring written now stays.
		unhashed::put_raw(&history_key("Factory01"), &[0]);
		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(unhashed::get_raw(&history_key("Factory01")), Some(vec![0]));
		unhashed::kill(&history_key("Factory01"));
	});
}

frame_support::parameter_types! {
	/// The rating the v3 test's runtime gives the factories it migrates.
	pub const MigratedRating: u32 = 50_000;
}

#[test]
fn v3_rates_every_factory_and_widens_the_totals_once() {
	build_and_execute(|| {
		// A version-2 state: no ratings, totals of 8 bytes.
		let _ = Ratings::<Test>::clear(u32::MAX, None);
		let issued = TotalIssuedWh::<Test>::get();
		assert_eq!(TotalConsumedWh::<Test>::get(), 0);
		unhashed::put(&TotalIssuedWh::<Test>::hashed_key(), &(issued as u64));
		unhashed::put(&TotalConsumedWh::<Test>::hashed_key(), &7u64);
		StorageVersion::new(2).put::<Pallet<Test>>();
		Timestamp::set_timestamp(1_700_000_600_000);
		let factories: Vec<_> = Factories::<Test>::iter().collect();

		v3::MigrateV2ToV3::<Test, MigratedRating>::on_runtime_upgrade();

		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 3);
		for (id, _) in &factories {
			assert_eq!(
				Ratings::<Test>::get(id),
				Some(FactoryRating::new(50_000, 1_700_000_600_000)),
				"every factory is rated"
			);
		}
		// The factories themselves are untouched.
		assert_eq!(Factories::<Test>::iter().collect::<Vec<_>>(), factories);
		assert_eq!(TotalIssuedWh::<Test>::get(), issued);
		assert_eq!(TotalConsumedWh::<Test>::get(), 7);
		// A day at 50 kW is 1,200 kWh: the migrated meter may report that much, no more.
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory01")), Some(1_200_000));

		// At version 3 it does nothing: a factory rated since keeps its rating.
		assert_ok!(EnergyTrading::set_rated_power(RuntimeOrigin::root(), fid("Factory01"), 9));
		v3::MigrateV2ToV3::<Test, MigratedRating>::on_runtime_upgrade();
		assert_eq!(Ratings::<Test>::get(fid("Factory01")).unwrap().rated_power_w, 9);
		// The consumed total the test made up goes, so that energy is conserved again.
		TotalConsumedWh::<Test>::put(0);
	});
}

#[test]
fn the_pallet_is_at_storage_version_3() {
	build_and_execute(|| {
		assert_eq!(Pallet::<Test>::in_code_storage_version(), 3);
	});
}
