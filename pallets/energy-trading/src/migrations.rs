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
