//! Locks: a buyer reserves energy of an offer for `lock_duration` blocks at the offer's price,
//! with the payment held. Locks end when bought out, released, or expired: by the expiry queue
//! in `on_initialize` (bounded per block), or lazily by a purchase or lock of an open offer
//! that meets them (a cancelled offer's are left to the queue).

use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
	weights::Weight,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_energy_trading::{total_price, EnergyLedger};
use sp_runtime::traits::Saturating;

use crate::{
	Config, EnergyWh, Error, Event, ExpiryCursor, HoldReason, Lock, LockCount, LockExpiries,
	LockId, LockOf, Locks, LocksByOffer, MarketNonce, NextLockId, OfferId, OfferOf, OfferStatus,
	Offers, Pallet, Params, WeightInfo,
};

/// What a call that buys or locks an offer met among the offer's locks: its weight depends on
/// it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct LocksMet {
	/// Whether the offer had locks: only then are they read, and the call is weighed by the
	/// benchmark of an offer with locks.
	pub any: bool,
	/// How many live locks it read (a buy does not count the buyer's own).
	pub live_read: u32,
	/// How many expired locks it ended first.
	pub expired_ended: u32,
}

impl LocksMet {
	/// The heaviest: every lock of the offer has expired and is ended first (ending a lock
	/// costs more than reading a live one).
	pub(crate) fn heaviest<T: Config>() -> Self {
		Self { any: true, live_read: 0, expired_ended: T::MaxLocksPerOffer::get() }
	}
}

/// The weight of a call on an offer with locks, `with_locks` by its benchmark (`at_zero` at
/// zero locks read or ended), but never less than the same call on an offer without locks
/// (`without_locks`), plus the `lookup` of the caller's own lock, plus what the locks add.
/// Every sample of a with-locks benchmark has locks, so its intercept is extrapolated and may
/// fall below `without_locks`; a call that meets locks does at least what one without does.
pub(crate) fn at_least_without_locks(
	with_locks: Weight,
	at_zero: Weight,
	without_locks: Weight,
	lookup: Weight,
) -> Weight {
	let floor =
		without_locks.saturating_add(lookup).saturating_add(with_locks.saturating_sub(at_zero));
	with_locks.max(floor)
}

impl<T: Config> Pallet<T> {
	/// Takes the lock, recording in `met` what it met among the offer's locks (its weight
	/// depends on it, see [`Pallet::lock_weight`], also when it fails).
	pub(crate) fn do_lock(
		who: &T::AccountId,
		offer_id: OfferId,
		energy_wh: EnergyWh,
		nonce: MarketNonce,
		met: &mut LocksMet,
	) -> DispatchResult {
		// No storage layer of its own: FRAME runs every call in one, which undoes every write
		// when this returns an error.
		Self::check_nonce(who, nonce)?;
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let now = frame_system::Pallet::<T>::block_number();
		let (locks, offer) = Self::settled_offer(offer_id, now);
		*met = locks;
		let mut offer = offer.ok_or(Error::<T>::OfferNotFound)?;
		ensure!(offer.status == OfferStatus::Open, Error::<T>::OfferNotOpen);
		ensure!(&offer.seller != who, Error::<T>::OwnOffer);
		// Read whenever the offer had locks, as its benchmark does.
		let locked = locks.any && LocksByOffer::<T>::contains_key(offer_id, who);
		ensure!(!locked, Error::<T>::AlreadyLocked);
		ensure!(offer.locks < T::MaxLocksPerOffer::get(), Error::<T>::TooManyLocksOnOffer);
		let held_locks = LockCount::<T>::get(who);
		ensure!(held_locks < T::MaxLocksPerAccount::get(), Error::<T>::TooManyLocks);
		ensure!(offer.available_wh >= energy_wh, Error::<T>::NotEnoughEnergy);
		let held = total_price(energy_wh, offer.price_per_kwh).ok_or(Error::<T>::Overflow)?;
		let spendable =
			T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= held, Error::<T>::InsufficientFunds);
		let lock_id = NextLockId::<T>::get();
		let next_id = lock_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let expires_at = now.saturating_add(Params::<T>::get().lock_duration);
		let receipt = Self::receipt_hash(who, nonce, (b"lock", offer_id, energy_wh));
		T::Currency::hold(&HoldReason::OfferLock.into(), who, held)
			.map_err(|_| Error::<T>::InsufficientFunds)?;

		offer.available_wh -= energy_wh;
		offer.locked_wh = offer.locked_wh.saturating_add(energy_wh);
		offer.locks += 1;
		Offers::<T>::insert(offer_id, offer.clone());
		Locks::<T>::insert(
			lock_id,
			Lock {
				id: lock_id,
				offer_id,
				holder: who.clone(),
				energy_wh,
				price_per_kwh: offer.price_per_kwh,
				held,
				expires_at,
			},
		);
		NextLockId::<T>::put(next_id);
		LocksByOffer::<T>::insert(offer_id, who, lock_id);
		LockCount::<T>::insert(who, held_locks + 1);
		LockExpiries::<T>::insert(expires_at, lock_id, ());
		Self::deposit_event(Event::OfferLocked {
			lock_id,
			offer_id,
			holder: who.clone(),
			energy_wh,
			held,
			expires_at,
		});
		Self::record_receipt(who, nonce, receipt, BoundedVec::new());
		Ok(())
	}

	/// The weight of a `lock_offer` that met `met` among the offer's locks: its benchmark for
	/// an offer with locks (`r` live ones read, `e` expired ones ended), but never less than
	/// the benchmark for an offer without locks plus the buyer's own-lock lookup and what the
	/// locks add (the former's intercept is extrapolated); or the benchmark for an offer
	/// without locks.
	pub(crate) fn lock_weight(met: LocksMet) -> Weight {
		if met.any {
			// The lookup is `LocksByOffer` of the buyer's own lock.
			at_least_without_locks(
				T::WeightInfo::lock_offer(met.live_read, met.expired_ended),
				T::WeightInfo::lock_offer(0, 0),
				T::WeightInfo::lock_offer_without_locks(),
				T::DbWeight::get().reads(1),
			)
		} else {
			T::WeightInfo::lock_offer_without_locks()
		}
	}

	/// The most a `lock_offer` can weigh: it may end every lock of the offer first (ending a
	/// lock costs more than reading a live one).
	pub(crate) fn max_lock_weight() -> Weight {
		Self::lock_weight(LocksMet::heaviest::<T>())
	}

	pub(crate) fn do_release_lock(who: &T::AccountId, lock_id: LockId) -> DispatchResult {
		let lock = Locks::<T>::get(lock_id).ok_or(Error::<T>::LockNotFound)?;
		ensure!(&lock.holder == who, Error::<T>::NotLockHolder);
		let expired = frame_system::Pallet::<T>::block_number() > lock.expires_at;
		Self::end_lock(lock, expired)
	}

	/// The live lock `who` holds on `offer_id`, if any. An expired lock is not ended here: the
	/// callers read the offer with [`Pallet::settled_offer`] first, which ends an open offer's
	/// expired locks, and leaves a cancelled offer's to the expiry queue.
	pub(crate) fn live_lock(
		who: &T::AccountId,
		offer_id: OfferId,
		now: BlockNumberFor<T>,
	) -> Option<LockOf<T>> {
		Locks::<T>::get(LocksByOffer::<T>::get(offer_id, who)?)
			.filter(|lock| now <= lock.expires_at)
	}

	/// Reads the offer `offer_id` for a call that buys or locks it. If the offer is open, every
	/// lock of it that is past its expiry (at most `MaxLocksPerOffer`) is ended first, so a late
	/// expiry queue never keeps energy from buyers; a cancelled offer sells nothing, so its
	/// expired locks are left to the queue. Returns what it met among the offer's locks (the
	/// calls are weighed by it) and the offer, if it is still stored. An offer without locks
	/// costs no lock reads.
	pub(crate) fn settled_offer(
		offer_id: OfferId,
		now: BlockNumberFor<T>,
	) -> (LocksMet, Option<OfferOf<T>>) {
		let Some(current) = Offers::<T>::get(offer_id) else {
			return (LocksMet::default(), None);
		};
		if current.locks == 0 {
			return (LocksMet::default(), Some(current));
		}
		if current.status != OfferStatus::Open {
			return (LocksMet { any: true, ..Default::default() }, Some(current));
		}
		let (expired, live): (alloc::vec::Vec<LockOf<T>>, _) =
			LocksByOffer::<T>::iter_prefix_values(offer_id)
				.filter_map(Locks::<T>::get)
				.partition(|lock| now > lock.expires_at);
		let met = LocksMet {
			any: true,
			live_read: live.len() as u32,
			expired_ended: expired.len() as u32,
		};
		if expired.is_empty() {
			return (met, Some(current));
		}
		for lock in expired {
			let _ = Self::end_lock(lock, true);
		}
		// Ending a lock gave its energy back to the offer.
		(met, Offers::<T>::get(offer_id))
	}

	/// Ends `lock`: releases what it still holds and gives its remaining energy back to the
	/// offer if the offer is open, or to the seller's factory (freeing the bus capacity) if not.
	pub(crate) fn end_lock(lock: LockOf<T>, expired: bool) -> DispatchResult {
		T::Currency::release(
			&HoldReason::OfferLock.into(),
			&lock.holder,
			lock.held,
			Precision::BestEffort,
		)?;
		Self::forget_lock(&lock);
		if let Some(mut offer) = Offers::<T>::get(lock.offer_id) {
			offer.locked_wh = offer.locked_wh.saturating_sub(lock.energy_wh);
			offer.locks = offer.locks.saturating_sub(1);
			if lock.energy_wh > 0 {
				if offer.status == OfferStatus::Open {
					offer.available_wh = offer.available_wh.saturating_add(lock.energy_wh);
				} else {
					T::Ledger::release(&offer.factory, lock.energy_wh)?;
					Self::uncommit(offer.bus_id, lock.energy_wh);
				}
			}
			Self::store_offer(offer);
		}
		Self::deposit_event(Event::LockEnded {
			lock_id: lock.id,
			offer_id: lock.offer_id,
			energy_wh: lock.energy_wh,
			expired,
		});
		Ok(())
	}

	/// Removes `lock` from storage, its indexes and the expiry queue.
	pub(crate) fn forget_lock(lock: &LockOf<T>) {
		Locks::<T>::remove(lock.id);
		LocksByOffer::<T>::remove(lock.offer_id, &lock.holder);
		LockCount::<T>::mutate_exists(&lock.holder, |count| {
			*count = count.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
		LockExpiries::<T>::remove(lock.expires_at, lock.id);
	}

	/// The expiry queue: ends locks that expired before `now`, at most `MaxExpiriesPerBlock`
	/// of them, oldest first; what is left waits for the next block.
	pub(crate) fn expire_locks(now: BlockNumberFor<T>) -> Weight {
		let limit = T::MaxExpiriesPerBlock::get();
		let mut ended = 0u32;
		let mut blocks_read = 1u32;
		let mut cursor = ExpiryCursor::<T>::get();
		while cursor < now && ended < limit {
			let due: alloc::vec::Vec<LockId> =
				LockExpiries::<T>::iter_key_prefix(cursor).take((limit - ended) as usize).collect();
			blocks_read += 1;
			if due.is_empty() {
				cursor.saturating_inc();
				// An empty stretch of blocks costs a read each: bound it like the locks.
				if blocks_read > limit {
					break;
				}
				continue;
			}
			for lock_id in due {
				LockExpiries::<T>::remove(cursor, lock_id);
				if let Some(lock) = Locks::<T>::get(lock_id) {
					let _ = Self::end_lock(lock, true);
					ended += 1;
				}
			}
		}
		ExpiryCursor::<T>::put(cursor);
		T::WeightInfo::expire_locks(ended)
			.saturating_add(T::DbWeight::get().reads(blocks_read as u64))
	}
}
