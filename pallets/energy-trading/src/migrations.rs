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

/// Version 4: a pending trade holds a deposit and counts against its seller's
/// `MaxPendingTrades`; finished trades leave the state `TradeRetention` blocks after they
/// finish. The trades themselves keep their encoding.
pub mod v4 {
	use alloc::collections::BTreeMap;
	use frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		traits::{Get, UncheckedOnRuntimeUpgrade},
	};

	use crate::{
		Config, FinishedTrades, Pallet, PendingTradeCount, TradePruneCursor, TradeStatus, Trades,
	};

	/// Counts each seller's pending trades, and queues every trade that already finished as
	/// if it finished in the upgrade's block (so it stays readable for `TradeRetention` more
	/// blocks). The pending trades of a live chain hold no deposit: they stay free until they
	/// finish, as they were created. The pruning queue starts at the upgrade's block, so
	/// `on_idle` does not walk the blocks before it. Trades are created by factory owners and
	/// were few on the chains this runs on (the test network's, up to version 3): one block
	/// holds the walk.
	pub struct InnerMigrateV3ToV4<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV3ToV4<T> {
		fn on_runtime_upgrade() -> Weight {
			let now = frame_system::Pallet::<T>::block_number();
			let mut pending: BTreeMap<_, u32> = BTreeMap::new();
			let (mut trades, mut finished): (u64, u64) = (0, 0);
			for (trade_id, trade) in Trades::<T>::iter() {
				trades += 1;
				if trade.status == TradeStatus::Pending {
					*pending.entry(trade.seller).or_default() += 1;
				} else {
					FinishedTrades::<T>::insert(now, trade_id, ());
					finished += 1;
				}
			}
			let sellers = pending.len() as u64;
			for (seller, count) in pending {
				PendingTradeCount::<T>::insert(seller, count);
			}
			TradePruneCursor::<T>::put(now);
			T::DbWeight::get().reads_writes(trades + 1, finished + sellers + 1)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to version 4, run once: only while the stored version is 3, and it sets
	/// version 4.
	pub type MigrateV3ToV4<T> = VersionedMigration<
		3,
		4,
		InnerMigrateV3ToV4<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
