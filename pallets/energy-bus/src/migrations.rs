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
/// open ones are queued in `OfferExpiries`, the queue starting at the upgrade's block. It writes
/// offers in the layout of versions 4 and 5 ([`v6::v5::OldOffer`]), which version 6's migration
/// reads.
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
		BusId, Config, EnergyWh, OfferExpiries, OfferExpiryCursor, OfferId, OfferLifetime,
		OfferStatus, Pallet,
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
			crate::migrations::v6::v5::Offers::<T>::translate::<v3::OldOfferOf<T>, _>(|_, old| {
				count += 1;
				if old.status == OfferStatus::Open {
					OfferExpiries::<T>::insert(expires_at, old.id, ());
				}
				Some(crate::migrations::v6::v5::OldOffer {
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
			// The offers are in version 5's layout until version 6's migration: checked there.
			Ok(())
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
			// Offers, purchases and rounds are in version 5's layout until version 6's
			// migration: checked there.
			Ok(())
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

/// Version 6: buses have grid fees. Offers ([`crate::Offer::grid_fee_per_kwh`]), rounds
/// ([`crate::Round::grid_fee_per_kwh`], [`crate::Round::grid_fees`]) and purchases
/// ([`crate::Purchase::grid_fee`]) carry theirs: zero for everything stored before, as no fee
/// existed. Every bus gets its fee pot ([`crate::GridFees`]: no fee, nothing collected) and
/// each of its owners one share ([`crate::FeeShares`]). Locks keep their layout: the grid fee
/// they hold is their offer's, zero.
pub mod v6 {
	use frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		traits::{Get, UncheckedOnRuntimeUpgrade},
	};
	use frame_system::pallet_prelude::BlockNumberFor;
	use sp_runtime::traits::Zero;

	use crate::{
		BusId, Buses, Config, EnergyWh, Offer, OfferId, OfferStatus, Offers, Pallet, Purchase,
		PurchaseId, Purchases, ReceiptHash, Round, RoundId, RoundStatus, Rounds, Tick,
	};

	/// The storage of versions 4 and 5.
	pub mod v5 {
		use super::*;

		/// An offer of versions 4 and 5: no grid fee.
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
			/// Its last block.
			pub expires_at: BlockNumber,
		}

		/// A version-5 offer as the pallet stored it.
		pub type OldOfferOf<T> = OldOffer<
			<T as frame_system::Config>::AccountId,
			crate::BalanceOf<T>,
			BlockNumberFor<T>,
			<T as Config>::FactoryId,
		>;

		/// The offers, as versions 4 and 5 stored them.
		#[frame_support::storage_alias]
		pub type Offers<T: Config> = StorageMap<Pallet<T>, Twox64Concat, OfferId, OldOfferOf<T>>;

		/// A purchase of version 5: no grid fee.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		pub struct OldPurchase<AccountId, Balance, BlockNumber, FactoryId> {
			/// Its id.
			pub id: PurchaseId,
			/// The offer bought from.
			pub offer_id: OfferId,
			/// The offer's bus.
			pub bus_id: BusId,
			/// The buyer.
			pub buyer: AccountId,
			/// The seller.
			pub seller: AccountId,
			/// The factory that received the energy.
			pub into_factory: FactoryId,
			/// The energy bought, in Wh.
			pub energy_wh: EnergyWh,
			/// The price per kWh paid.
			pub price_per_kwh: Balance,
			/// The total paid.
			pub total_price: Balance,
			/// The block it happened in.
			pub block: BlockNumber,
			/// The receipt of the buying call it was part of.
			pub receipt: ReceiptHash,
		}

		/// A version-5 purchase as the pallet stored it.
		pub type OldPurchaseOf<T> = OldPurchase<
			<T as frame_system::Config>::AccountId,
			crate::BalanceOf<T>,
			BlockNumberFor<T>,
			<T as Config>::FactoryId,
		>;

		/// A round of version 5: no grid fee.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		pub struct OldRound<Balance, BlockNumber> {
			/// Its id.
			pub id: RoundId,
			/// The bus.
			pub bus_id: BusId,
			/// The block it opened in.
			pub opened_at: BlockNumber,
			/// Its gate.
			pub gate_closes_at: BlockNumber,
			/// The price of its tick 0.
			pub base_price_per_kwh: Balance,
			/// The step between two of its prices.
			pub tick_size: Balance,
			/// How many prices its grid has.
			pub ticks: Tick,
			/// How many orders it has.
			pub orders: u32,
			/// How many of them are not settled yet.
			pub unsettled: u32,
			/// How many of the settled ones traded some energy.
			pub filled_orders: u32,
			/// The energy its bids ask for, in Wh.
			pub bid_wh: EnergyWh,
			/// The energy its asks offer, in Wh.
			pub ask_wh: EnergyWh,
			/// The energy the market escrow holds for it, in Wh.
			pub escrowed_wh: EnergyWh,
			/// The money the market account holds for it.
			pub escrowed: Balance,
			/// Where it stands.
			pub status: RoundStatus<Balance>,
		}

		/// A version-5 round as the pallet stored it.
		pub type OldRoundOf<T> = OldRound<crate::BalanceOf<T>, BlockNumberFor<T>>;

		impl<AccountId, Balance: Zero, BlockNumber, FactoryId>
			OldOffer<AccountId, Balance, BlockNumber, FactoryId>
		{
			/// The offer in the current layout: no grid fee, as none existed.
			pub fn with_no_fee(self) -> Offer<AccountId, Balance, BlockNumber, FactoryId> {
				Offer {
					id: self.id,
					bus_id: self.bus_id,
					seller: self.seller,
					factory: self.factory,
					energy_wh: self.energy_wh,
					available_wh: self.available_wh,
					locked_wh: self.locked_wh,
					sold_wh: self.sold_wh,
					price_per_kwh: self.price_per_kwh,
					grid_fee_per_kwh: Zero::zero(),
					locks: self.locks,
					status: self.status,
					created_at: self.created_at,
					expires_at: self.expires_at,
				}
			}
		}

		impl<AccountId, Balance: Zero, BlockNumber, FactoryId>
			OldPurchase<AccountId, Balance, BlockNumber, FactoryId>
		{
			/// The purchase in the current layout: no grid fee paid, as none existed.
			pub fn with_no_fee(self) -> Purchase<AccountId, Balance, BlockNumber, FactoryId> {
				Purchase {
					id: self.id,
					offer_id: self.offer_id,
					bus_id: self.bus_id,
					buyer: self.buyer,
					seller: self.seller,
					into_factory: self.into_factory,
					energy_wh: self.energy_wh,
					price_per_kwh: self.price_per_kwh,
					total_price: self.total_price,
					grid_fee: Zero::zero(),
					block: self.block,
					receipt: self.receipt,
				}
			}
		}

		impl<Balance: Zero, BlockNumber> OldRound<Balance, BlockNumber> {
			/// The round in the current layout: no grid fee, as none existed.
			pub fn with_no_fee(self) -> Round<Balance, BlockNumber> {
				Round {
					id: self.id,
					bus_id: self.bus_id,
					opened_at: self.opened_at,
					gate_closes_at: self.gate_closes_at,
					base_price_per_kwh: self.base_price_per_kwh,
					tick_size: self.tick_size,
					ticks: self.ticks,
					grid_fee_per_kwh: Zero::zero(),
					grid_fees: Zero::zero(),
					orders: self.orders,
					unsettled: self.unsettled,
					filled_orders: self.filled_orders,
					bid_wh: self.bid_wh,
					ask_wh: self.ask_wh,
					escrowed_wh: self.escrowed_wh,
					escrowed: self.escrowed,
					status: self.status,
				}
			}
		}
	}

	/// Adds the grid fee, zero, to every offer, purchase and round, and opens each bus's fee
	/// pot with one share per owner.
	pub struct InnerMigrateV5ToV6<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV5ToV6<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut translated: u64 = 0;
			Offers::<T>::translate::<v5::OldOfferOf<T>, _>(|_, old| {
				translated += 1;
				Some(old.with_no_fee())
			});
			Purchases::<T>::translate::<v5::OldPurchaseOf<T>, _>(|_, old| {
				translated += 1;
				Some(old.with_no_fee())
			});
			Rounds::<T>::translate::<v5::OldRoundOf<T>, _>(|_, old| {
				translated += 1;
				Some(old.with_no_fee())
			});
			let (mut buses, mut owners) = (0u64, 0u64);
			for bus in Buses::<T>::iter_values() {
				buses += 1;
				owners += bus.owners.len() as u64;
				Pallet::<T>::open_fee_pot(bus.id, &bus.owners);
			}
			// Each value read and written; each bus read, its pot and each owner's share written.
			T::DbWeight::get().reads_writes(translated + buses, translated + buses + owners)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to version 6, run once: only while the stored version is 5, and it sets
	/// version 6.
	pub type MigrateV5ToV6<T> = VersionedMigration<
		5,
		6,
		InnerMigrateV5ToV6<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
