//! Storage migrations, one module per storage version they lead to.

/// Version 2: factories' history is the pallet's events, which the node indexes; the history
/// rings (`History`, each factory's last 100 records) leave the state.
pub mod v2 {
	use frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		storage::migration::clear_storage_prefix,
		traits::{Get, PalletInfoAccess, UncheckedOnRuntimeUpgrade},
	};

	use crate::{Config, Pallet};

	/// The name of version 1's history storage.
	pub const HISTORY: &[u8] = b"History";

	/// Removes every history ring. Registering a factory takes the `RegistrarOrigin` (Root on
	/// Energy Chain), so there are as many rings as registered factories: few enough to remove
	/// in one block.
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let pallet = Pallet::<T>::name().as_bytes();
			let removed = clear_storage_prefix(pallet, HISTORY, &[], None, None);
			T::DbWeight::get().reads_writes(removed.loops.into(), removed.unique.into())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let prefix =
				frame_support::storage::storage_prefix(Pallet::<T>::name().as_bytes(), HISTORY);
			ensure!(
				!frame_support::storage::unhashed::contains_prefixed_key(&prefix),
				"a history ring is left"
			);
			Ok(())
		}
	}

	/// The migration to version 2, run once: only while the stored version is 1, and it sets
	/// version 2.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 3: meters are the registrar's, and what they report is bounded by the factory's
/// rated power. Each factory gains a rating (`Ratings`: a rated power and a generation allowance),
/// and the totals that only grow (`TotalIssuedWh`, `TotalConsumedWh`) become `u128`. The
/// factories themselves keep their encoding.
pub mod v3 {
	use frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		traits::{Get, UncheckedOnRuntimeUpgrade},
	};

	use crate::{
		Config, Factories, FactoryRating, Pallet, Ratings, TotalConsumedWh, TotalIssuedWh,
	};

	/// Rates every factory at `RatedPowerW` (W) with a full allowance, and widens the totals.
	/// A live chain's registrar then rates each factory with `set_rated_power`; until it does,
	/// a meter may report at most a day at `RatedPowerW`. Factories are registered by the
	/// registrar only, so they are few enough to rate in one block.
	pub struct InnerMigrateV2ToV3<T, RatedPowerW>(core::marker::PhantomData<(T, RatedPowerW)>);

	impl<T: Config, RatedPowerW: Get<u32>> UncheckedOnRuntimeUpgrade
		for InnerMigrateV2ToV3<T, RatedPowerW>
	{
		fn on_runtime_upgrade() -> Weight {
			let rating = FactoryRating::new(RatedPowerW::get(), Pallet::<T>::now_ms());
			let mut factories: u64 = 0;
			for id in Factories::<T>::iter_keys() {
				Ratings::<T>::insert(id, rating);
				factories += 1;
			}
			// Both totals are stored once a factory exists; a missing one stays missing.
			let widen = |old: Option<u64>| old.map(u128::from);
			let _ = TotalIssuedWh::<T>::translate::<u64, _>(widen);
			let _ = TotalConsumedWh::<T>::translate::<u64, _>(widen);
			T::DbWeight::get().reads_writes(factories + 2, factories + 2)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			ensure!(
				Factories::<T>::iter_keys().all(|id| Ratings::<T>::contains_key(id)),
				"a factory has no rating after the migration"
			);
			Ok(())
		}
	}

	/// The migration to version 3, run once: only while the stored version is 2, and it sets
	/// version 3.
	pub type MigrateV2ToV3<T, RatedPowerW> = VersionedMigration<
		2,
		3,
		InnerMigrateV2ToV3<T, RatedPowerW>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
