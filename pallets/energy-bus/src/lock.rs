//! Locks: a buyer reserves energy of an offer for `lock_duration` blocks at the offer's price,
//! with the payment held. Locks end when bought out, released, or expired: by the expiry queue
//! in `on_initialize` (bounded per block), or lazily by a purchase or lock of an open offer
//! that meets them (a cancelled offer's are left to the queue).

use frame_support::{
	ensure,
	pallet_prelude::{DispatchError, DispatchResult},
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

/// What a call that buys or locks an offer did among the offer's locks. Each kind of work is
/// weighed by a benchmark of its own, added to the call's benchmark of an offer without locks
/// ([`LocksMet::weight`]); so the commonest case, an offer without locks, is measured, not
/// extrapolated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct LocksMet {
	/// How many live locks it read (the buyer's own included): `read_live_locks`.
	pub live_read: u32,
	/// How many expired locks it ended first: `end_expired_locks`.
	pub expired_ended: u32,
	/// Whether a buy went through the buyer's own lock: `buy_from_lock`.
	pub used_own: bool,
}

/// The benchmark of work done `count` times, or nothing if it was not done: a benchmark's
/// range starts at 1, so its value at 0 would be extrapolated.
pub(crate) fn if_done(count: u32, benchmark: impl FnOnce(u32) -> Weight) -> Weight {
	if count > 0 {
		benchmark(count)
	} else {
		Weight::zero()
	}
}

impl LocksMet {
	/// What this work adds to the call's benchmark: the sum of the benchmarks of what it did.
	pub(crate) fn weight<T: Config>(&self) -> Weight {
		let mut weight = if_done(self.live_read, T::WeightInfo::read_live_locks);
		weight.saturating_accrue(if_done(self.expired_ended, T::WeightInfo::end_expired_locks));
		if self.used_own {
			weight.saturating_accrue(T::WeightInfo::buy_from_lock());
		}
		weight
	}

	/// The most meeting an offer's `MaxLocksPerOffer` locks can add: `k` of them live (one of
	/// them the buyer's own, if `buys` and `k > 0`) and the rest expired. Each benchmark is
	/// linear in its component, so the heaviest `k` is at an end of the range where both are
	/// met (1 or `MaxLocksPerOffer - 1`) or where only one is (0 or `MaxLocksPerOffer`).
	pub(crate) fn heaviest<T: Config>(buys: bool) -> Weight {
		let most = T::MaxLocksPerOffer::get();
		[0, 1, most.saturating_sub(1), most]
			.into_iter()
			.map(|live| {
				let met = LocksMet {
					live_read: live,
					expired_ended: most - live,
					used_own: buys && live > 0,
				};
				met.weight::<T>()
			})
			.fold(Weight::zero(), |heaviest, weight| heaviest.max(weight))
	}
}

impl<T: Config> Pallet<T> {
	/// Takes the lock; returns what it met among the offer's locks, which its weight is
	/// charged by ([`Pallet::lock_weight`]).
	pub(crate) fn do_lock(
		who: &T::AccountId,
		offer_id: OfferId,
		energy_wh: EnergyWh,
		nonce: MarketNonce,
	) -> Result<LocksMet, DispatchError> {
		// No storage layer of its own: FRAME runs every call in one, which undoes every write
		// when this returns an error.
		Self::check_nonce(who, nonce)?;
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let now = frame_system::Pallet::<T>::block_number();
		let (met, offer) = Self::settled_offer(offer_id, now);
		let mut offer = offer.ok_or(Error::<T>::OfferNotFound)?;
		ensure!(offer.status == OfferStatus::Open, Error::<T>::OfferNotOpen);
		ensure!(&offer.seller != who, Error::<T>::OwnOffer);
		// An offer without live locks has none of the caller's.
		let locked = offer.locks > 0 && LocksByOffer::<T>::contains_key(offer_id, who);
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
		Ok(met)
	}

	/// The weight of a `lock_offer` that met `met` among the offer's locks: its benchmark of
	/// an offer without locks, plus what meeting them added.
	pub(crate) fn lock_weight(met: LocksMet) -> Weight {
		T::WeightInfo::lock_offer().saturating_add(met.weight::<T>())
	}

	/// The most a `lock_offer` can weigh: an offer has at most `MaxLocksPerOffer` locks, each
	/// live (read) or expired (ended).
	pub(crate) fn max_lock_weight() -> Weight {
		T::WeightInfo::lock_offer().saturating_add(LocksMet::heaviest::<T>(false))
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
		if current.locks == 0 || current.status != OfferStatus::Open {
			return (LocksMet::default(), Some(current));
		}
		let (expired, live): (alloc::vec::Vec<LockOf<T>>, _) =
			LocksByOffer::<T>::iter_prefix_values(offer_id)
				.filter_map(Locks::<T>::get)
				.partition(|lock| now > lock.expires_at);
		let met = LocksMet {
			live_read: live.len() as u32,
			expired_ended: expired.len() as u32,
			used_own: false,
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

	/// The expiry queue: ends locks that expired before `now`, oldest first, at most
	/// `MaxExpiriesPerBlock` of them in at most `MaxExpiriesPerBlock` reads of the queue (an
	/// empty stretch of blocks costs a read each); what is left waits for the next block.
	/// Returns its weight: the `expiry_queue_reads` benchmark at the queue's reads, plus
	/// `expire_locks` at the locks ended if it ended any (so a block without expiries, the
	/// common case, is charged a measured read, not an extrapolation).
	pub(crate) fn expire_locks(now: BlockNumberFor<T>) -> Weight {
		let limit = T::MaxExpiriesPerBlock::get();
		let (mut ended, mut reads) = (0u32, 0u32);
		let mut cursor = ExpiryCursor::<T>::get();
		while cursor < now && ended < limit && reads < limit {
			let wanted = limit - ended;
			let due: alloc::vec::Vec<LockId> =
				LockExpiries::<T>::iter_key_prefix(cursor).take(wanted as usize).collect();
			reads += 1;
			// Fewer than asked for: this block has no more.
			let block_done = (due.len() as u32) < wanted;
			for lock_id in due {
				LockExpiries::<T>::remove(cursor, lock_id);
				if let Some(lock) = Locks::<T>::get(lock_id) {
					let _ = Self::end_lock(lock, true);
				}
				ended += 1;
			}
			if block_done {
				cursor.saturating_inc();
			}
		}
		ExpiryCursor::<T>::put(cursor);
		T::WeightInfo::expiry_queue_reads(reads)
			.saturating_add(if_done(ended, T::WeightInfo::expire_locks))
	}
}
