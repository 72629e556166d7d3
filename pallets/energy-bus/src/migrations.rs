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

/// Version 3: a lock names the holder's factory it buys into ([`crate::Lock::factory`]). The
/// locks stored before cannot say which factory they were for, so the migration ends them as a
/// release would (their payment released, their energy back to the offer, or to the seller's
/// factory if the offer was cancelled; `LockEnded` emitted), without a cooldown or a fee. A
/// lock lasts at most `MaxLockDuration` (an hour on Energy Chain), so this ends what would have
/// ended within the hour anyway; its holders may lock again at once, under the new terms. Ending
/// every lock also removes every cancelled offer (one is stored only while locks hold energy of
/// it), whose entries in `OffersByBus` version 2 kept: version 3's bus index lists open offers
/// only.
pub mod v3 {
	use frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		traits::{Get, UncheckedOnRuntimeUpgrade},
	};

	use crate::{lock::LockKeys, Config, LockId, Pallet};

	/// The storage of version 2.
	pub mod v2 {
		use super::*;

		/// A lock of version 2: no factory.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		pub struct OldLock<AccountId, Balance, BlockNumber> {
			/// Its id.
			pub id: LockId,
			/// The offer it reserves energy of.
			pub offer_id: crate::OfferId,
			/// The buyer who holds it.
			pub holder: AccountId,
			/// The energy reserved, in Wh.
			pub energy_wh: crate::EnergyWh,
			/// The price per kWh, fixed when the lock was taken.
			pub price_per_kwh: Balance,
			/// The payment held from the holder for that energy.
			pub held: Balance,
			/// The last block in which it can be used.
			pub expires_at: BlockNumber,
		}

		/// A version-2 lock as the pallet stored it.
		pub type OldLockOf<T> = OldLock<
			<T as frame_system::Config>::AccountId,
			crate::BalanceOf<T>,
			frame_system::pallet_prelude::BlockNumberFor<T>,
		>;

		/// Every live lock, as version 2 stored them.
		#[frame_support::storage_alias]
		pub type Locks<T: Config> = StorageMap<Pallet<T>, Twox64Concat, LockId, OldLockOf<T>>;
	}

	/// Ends every lock stored in the version-2 layout.
	pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let old: alloc::vec::Vec<(LockId, v2::OldLockOf<T>)> = v2::Locks::<T>::iter().collect();
			let count = old.len() as u64;
			for (id, lock) in old {
				let keys = LockKeys::<T> {
					id,
					offer_id: lock.offer_id,
					holder: lock.holder,
					expires_at: lock.expires_at,
				};
				// Each in a storage layer of its own. One that cannot end that way (the seller's
				// factory refusing the energy of a cancelled offer, its balance full) is still
				// removed with its indexes and its payment released, no lock of the old layout
				// being left to be misread; its energy stays on its offer, buyable again (the
				// offer reopens), and it is logged.
				let ended = frame_support::storage::with_storage_layer(|| {
					Pallet::<T>::end_stored_lock(&keys, lock.energy_wh, lock.held, false)
						.map(|_| ())
				});
				if let Err(error) = ended {
					log::error!(
						target: "runtime::energy-bus",
						"migration v3: lock {id} could not be ended ({error:?}); its energy is \
						 back on offer {}",
						keys.offer_id
					);
					Pallet::<T>::drop_stored_lock(&keys, lock.energy_wh, lock.held);
				}
			}
			// Per lock: the lock, its offer, the holder's hold and account, the lock count, the
			// seller's factory and the bus read; the same written, with the indexes and queue.
			T::DbWeight::get().reads_writes(1 + 8 * count, 1 + 10 * count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((v2::Locks::<T>::iter_keys().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "pre_upgrade state")?;
			log::info!(target: "runtime::energy-bus", "migration v3 ended {before} locks");
			ensure!(crate::Locks::<T>::iter_keys().next().is_none(), "a lock was left");
			ensure!(crate::LockCount::<T>::iter_keys().next().is_none(), "a lock count was left");
			ensure!(crate::LocksByOffer::<T>::iter_keys().next().is_none(), "an index was left");
			ensure!(
				crate::LockExpiries::<T>::iter_keys().next().is_none(),
				"a queue entry was left"
			);
			Ok(())
		}
	}

	/// The migration to version 3, run once: only while the stored version is 2, and it sets
	/// version 3.
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		InnerMigrateV2ToV3<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 4: offers have an end ([`crate::Offer::expires_at`]). Every stored offer gets the
/// end a new offer would get in the upgrade's block (its block plus the offer lifetime), and the
/// open ones are queued in `OfferExpiries`, the queue starting at the upgrade's block.
///
/// Version 3's migration (and version 2's) read offers in the layout before this one: a chain at
/// an older storage version upgrades through a runtime of that layout (spec 105) first, as the
/// Energy Chain runtime's migration list says.
pub mod v4 {
	use frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		traits::{Get, UncheckedOnRuntimeUpgrade},
	};
	use frame_system::pallet_prelude::BlockNumberFor;
	use sp_runtime::traits::Saturating;

	use crate::{
		BusId, Config, EnergyWh, Offer, OfferExpiries, OfferExpiryCursor, OfferId, OfferLifetime,
		OfferStatus, Offers, Pallet,
	};

	/// The storage of version 3.
	pub mod v3 {
		use super::*;

		/// An offer of version 3: no end.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		pub struct OldOffer<AccountId, Balance, BlockNumber, FactoryId> {
			/// Its id.
			pub id: OfferId,
			/// The bus it is on.
			pub bus_id: BusId,
			/// The seller.
			pub seller: AccountId,
			/// The factory the energy came from and returns to.
			pub factory: FactoryId,
			/// The energy first offered, in Wh.
			pub energy_wh: EnergyWh,
			/// Energy anyone may buy or lock now, in Wh.
			pub available_wh: EnergyWh,
			/// Energy reserved by live locks, in Wh.
			pub locked_wh: EnergyWh,
			/// Energy sold so far, in Wh.
			pub sold_wh: EnergyWh,
			/// The asking price per kWh.
			pub price_per_kwh: Balance,
			/// How many locks it has.
			pub locks: u32,
			/// Where it stands.
			pub status: OfferStatus,
			/// The block it was created in.
			pub created_at: BlockNumber,
		}

		/// A version-3 offer as the pallet stored it.
		pub type OldOfferOf<T> = OldOffer<
			<T as frame_system::Config>::AccountId,
			crate::BalanceOf<T>,
			BlockNumberFor<T>,
			<T as Config>::FactoryId,
		>;
	}

	/// Gives every offer an end and queues the open ones.
	pub struct InnerMigrateV3ToV4<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV3ToV4<T> {
		fn on_runtime_upgrade() -> Weight {
			let now = frame_system::Pallet::<T>::block_number();
			let expires_at = now.saturating_add(OfferLifetime::<T>::get());
			let mut count: u64 = 0;
			Offers::<T>::translate::<v3::OldOfferOf<T>, _>(|_, old| {
				count += 1;
				if old.status == OfferStatus::Open {
					OfferExpiries::<T>::insert(expires_at, old.id, ());
				}
				Some(Offer {
					id: old.id,
					bus_id: old.bus_id,
					seller: old.seller,
					factory: old.factory,
					energy_wh: old.energy_wh,
					available_wh: old.available_wh,
					locked_wh: old.locked_wh,
					sold_wh: old.sold_wh,
					price_per_kwh: old.price_per_kwh,
					locks: old.locks,
					status: old.status,
					created_at: old.created_at,
					expires_at,
				})
			});
			OfferExpiryCursor::<T>::put(now);
			// Per offer: read and written, and queued if open.
			T::DbWeight::get().reads_writes(1 + count, 1 + 2 * count)
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

/// Version 5: buses may run periodic double auctions. The new storage starts empty (no bus runs
/// auctions until its owners set them up); the market account, which holds the bids' payments,
/// gets the existential deposit so that it is never reaped between rounds.
pub mod v5 {
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	use crate::{Config, GateCursor, Pallet};

	/// Endows the market account with the existential deposit (minted, if it has less) and
	/// starts the clearing queue's cursor at the upgrade's block (no round closes before it).
	pub struct InnerMigrateV4ToV5<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV4ToV5<T> {
		fn on_runtime_upgrade() -> Weight {
			Pallet::<T>::ensure_market_account();
			GateCursor::<T>::put(frame_system::Pallet::<T>::block_number());
			// The account and the total issuance read and written; the cursor written.
			T::DbWeight::get().reads_writes(2, 3)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to version 5, run once: only while the stored version is 4, and it sets
	/// version 5.
	pub type MigrateV4ToV5<T> = VersionedMigration<
		4,
		5,
		InnerMigrateV4ToV5<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
