//! Storage migrations, one module per storage version they lead to.

/// Version 2: every proposal has an id ([`crate::Proposal::id`]), which `approve_bus_change`
/// names, and [`crate::NextProposalId`] counts them.
pub mod v2 {
	use frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		traits::{Get, UncheckedOnRuntimeUpgrade},
	};

	use crate::{Config, NextProposalId, Pallet, ProposalOf, Proposals};

	/// The storage of version 1.
	pub mod v1 {
		use super::*;

		/// A proposal of version 1: no id.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		pub struct OldProposal<Change, Owners, BlockNumber> {
			/// The change.
			pub change: Change,
			/// The owners who asked for it so far.
			pub approvals: Owners,
			/// The block after which it lapses.
			pub expires_at: BlockNumber,
		}

		/// A version-1 proposal as the pallet stored it.
		pub type OldProposalOf<T> = OldProposal<
			crate::BusChangeOf<T>,
			crate::OwnersOf<T>,
			frame_system::pallet_prelude::BlockNumberFor<T>,
		>;

		/// The open proposals of each bus, as version 1 stored them.
		#[frame_support::storage_alias]
		pub type Proposals<T: Config> = StorageMap<
			Pallet<T>,
			Twox64Concat,
			crate::BusId,
			BoundedVec<OldProposalOf<T>, <T as Config>::MaxProposals>,
			ValueQuery,
		>;
	}

	/// Gives every stored proposal an id, in storage order, and sets the next id after them.
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut next = NextProposalId::<T>::get();
			let mut buses = 0u64;
			Proposals::<T>::translate::<BoundedVec<v1::OldProposalOf<T>, T::MaxProposals>, _>(
				|_, old| {
					buses += 1;
					let proposals = old.into_iter().map(|proposal| {
						let id = next;
						next = next.saturating_add(1);
						ProposalOf::<T> {
							id,
							change: proposal.change,
							approvals: proposal.approvals,
							expires_at: proposal.expires_at,
						}
					});
					Some(BoundedVec::truncate_from(proposals.collect()))
				},
			);
			NextProposalId::<T>::put(next);
			T::DbWeight::get().reads_writes(buses + 1, buses + 1)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let count: u32 = v1::Proposals::<T>::iter_values().map(|p| p.len() as u32).sum();
			Ok(count.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "pre_upgrade state")?;
			let ids: alloc::vec::Vec<_> =
				Proposals::<T>::iter_values().flatten().map(|p| p.id).collect();
			ensure!(ids.len() as u32 == before, "a proposal was lost");
			ensure!(ids.iter().all(|id| *id < NextProposalId::<T>::get()), "an id is ahead");
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
