//! The storage migrations, run as a runtime upgrade would run them.

use frame_support::{
	storage::{storage_prefix, unhashed},
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	Blake2_128Concat, StorageHasher,
};

use crate::{migrations::v2, mock::*, Factories, Pallet};

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

#[test]
fn the_pallet_is_at_storage_version_2() {
	build_and_execute(|| {
		assert_eq!(Pallet::<Test>::in_code_storage_version(), 2);
	});
}
