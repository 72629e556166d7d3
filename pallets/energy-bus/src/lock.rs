//! Locks: a buyer reserves energy of an offer for one of its factories for `lock_duration`
//! blocks at the offer's price, with the payment held, and pays the seller a lock fee that is
//! not refunded. Locks end when bought out, released, or expired: by the expiry queue in
//! `on_initialize` (bounded per block), or lazily by a purchase or lock of an open offer that
//! meets them (a cancelled offer's are left to the queue). A lock released or expired (not
//! bought out) leaves its holder a cooldown: it may not lock that open offer again for the lock
//! duration.
//!
//! A lock that cannot be ended (the ledger refusing to take its energy back, say) is left as
//! it was, still queued, and logged: the queue stops at it and tries again in the next block.

use frame_support::{
	ensure,
	pallet_prelude::{DispatchError, DispatchResult},
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
	weights::Weight,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_energy_trading::{total_price, EnergyLedger};
use sp_runtime::traits::{CheckedAdd, Saturating};

use crate::{
	BalanceOf, Config, CooldownsOf, EnergyWh, Error, Event, ExpiryCursor, HoldReason, Lock,
	LockCooldowns, LockCount, LockExpiries, LockId, LockOf, LockParams, LockQuote, Locks,
	LocksByOffer, MarketNonce, NextLockId, OfferId, OfferOf, OfferStatus, Offers, Pallet, Params,
	WeightInfo,
};

/// The log target of this pallet.
const LOG_TARGET: &str = "runtime::energy-bus";

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

/// Works an expiry queue, entries (block, id) read a block at a time from `cursor`: ends the
/// entries of the blocks before `now`, oldest first, at most `limit` of them in at most `limit`
/// reads (an empty stretch of blocks costs a read each). `due(block, n)` reads up to `n` ids of a
/// block; `end(block, id)` ends one and tells whether it could: one that cannot stops the queue
/// at its block, to be tried again in the next. Leaves `cursor` at the first block not finished
/// and returns how many entries it ended and how many reads it made. The locks' queue and the
/// offers' both run on it.
pub(crate) fn work_expiry_queue<Block, Id>(
	cursor: &mut Block,
	now: Block,
	limit: u32,
	mut due: impl FnMut(Block, usize) -> alloc::vec::Vec<Id>,
	mut end: impl FnMut(Block, Id) -> bool,
) -> (u32, u32)
where
	Block: Copy + PartialOrd + Saturating + sp_runtime::traits::One,
{
	let (mut ended, mut reads) = (0u32, 0u32);
	while *cursor < now && ended < limit && reads < limit {
		let wanted = limit - ended;
		let entries = due(*cursor, wanted as usize);
		reads += 1;
		// Fewer than asked for: this block has no more.
		let block_done = (entries.len() as u32) < wanted;
		for id in entries {
			ended += 1;
			if !end(*cursor, id) {
				return (ended, reads);
			}
		}
		if block_done {
			cursor.saturating_inc();
		}
	}
	(ended, reads)
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

/// What a stored lock is found by: its id, and the keys of its indexes and its queue entry.
pub(crate) struct LockKeys<T: Config> {
	pub id: LockId,
	pub offer_id: OfferId,
	pub holder: T::AccountId,
	pub expires_at: BlockNumberFor<T>,
}

impl<T: Config> LockKeys<T> {
	fn of(lock: &LockOf<T>) -> Self {
		Self {
			id: lock.id,
			offer_id: lock.offer_id,
			holder: lock.holder.clone(),
			expires_at: lock.expires_at,
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Takes the lock; returns what it met among the offer's locks, which its weight is
	/// charged by ([`Pallet::lock_weight`]).
	pub(crate) fn do_lock(
		who: &T::AccountId,
		offer_id: OfferId,
		energy_wh: EnergyWh,
		into_factory: T::FactoryId,
		nonce: MarketNonce,
	) -> Result<LocksMet, DispatchError> {
		// No storage layer of its own: FRAME runs every call in one, which undoes every write
		// when this returns an error.
		Self::check_nonce(who, nonce)?;
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		ensure!(T::Ledger::is_owner(who, &into_factory), Error::<T>::NotFactoryOwner);
		let now = frame_system::Pallet::<T>::block_number();
		let (met, offer) = Self::settled_offer(offer_id, now);
		let mut offer = offer.ok_or(Error::<T>::OfferNotFound)?;
		Self::check_offer_live(&offer, now)?;
		ensure!(&offer.seller != who, Error::<T>::OwnOffer);
		// An offer without live locks has none of the caller's.
		let locked = offer.locks > 0 && LocksByOffer::<T>::contains_key(offer_id, who);
		ensure!(!locked, Error::<T>::AlreadyLocked);
		let (cooldowns, dropped) = Self::cooldowns(who, now);
		let cooling = cooldowns.iter().any(|(offer, _)| *offer == offer_id);
		ensure!(!cooling, Error::<T>::LockCoolingDown);
		ensure!(offer.locks < T::MaxLocksPerOffer::get(), Error::<T>::TooManyLocksOnOffer);
		let held_locks = LockCount::<T>::get(who);
		let slots_taken = held_locks.saturating_add(cooldowns.len() as u32);
		ensure!(slots_taken < T::MaxLocksPerAccount::get(), Error::<T>::TooManyLocks);
		let terms = LockParams::<T>::get();
		ensure!(offer.available_wh >= energy_wh, Error::<T>::NotEnoughEnergy);
		ensure!(energy_wh <= Self::max_lock_wh(&offer, &terms), Error::<T>::LockTooLarge);
		let (price, grid_fee) =
			Self::lock_payment(energy_wh, &offer).ok_or(Error::<T>::Overflow)?;
		let held = price.checked_add(&grid_fee).ok_or(Error::<T>::Overflow)?;
		let fee = Self::lock_fee(price, &terms);
		let spendable =
			T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= held.saturating_add(fee), Error::<T>::InsufficientFunds);
		let lock_id = NextLockId::<T>::get();
		let next_id = lock_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let expires_at = now.saturating_add(Params::<T>::get().lock_duration);
		let receipt = Self::receipt_hash(who, nonce, (b"lock", offer_id, energy_wh, &into_factory));
		T::Currency::hold(&HoldReason::OfferLock.into(), who, held)
			.map_err(|_| Error::<T>::InsufficientFunds)?;
		// At least the existential deposit (`check_lock_terms`), so a reaped seller's account
		// can take it.
		T::Currency::transfer(who, &offer.seller, fee, Preservation::Preserve)
			.map_err(|_| Error::<T>::InsufficientFunds)?;
		if dropped {
			Self::store_cooldowns(who, cooldowns);
		}

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
				factory: into_factory.clone(),
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
		Self::deposit_event(Event::LockFeePaid {
			lock_id,
			offer_id,
			holder: who.clone(),
			factory: into_factory,
			seller: offer.seller,
			fee,
		});
		Self::record_receipt(who, nonce, receipt, BoundedVec::new());
		Ok(met)
	}

	/// What a lock of `energy_wh` of `offer` holds: the energy at the offer's price, and the
	/// offer's grid fee for it (paid to the bus's pot with the purchase).
	pub(crate) fn lock_payment(
		energy_wh: EnergyWh,
		offer: &OfferOf<T>,
	) -> Option<(BalanceOf<T>, BalanceOf<T>)> {
		Some((
			total_price(energy_wh, offer.price_per_kwh)?,
			total_price(energy_wh, offer.grid_fee_per_kwh)?,
		))
	}

	/// The lock fee of a lock holding `held` for the energy (its grid fee aside): the terms' share of it, at least their minimum.
	pub(crate) fn lock_fee(
		held: BalanceOf<T>,
		terms: &crate::LockTerms<BalanceOf<T>>,
	) -> BalanceOf<T> {
		(terms.fee * held).max(terms.min_fee)
	}

	/// The most energy one lock of `offer` may reserve: the terms' share of the energy first
	/// offered, at least 1 Wh.
	pub(crate) fn max_lock_wh(
		offer: &OfferOf<T>,
		terms: &crate::LockTerms<BalanceOf<T>>,
	) -> EnergyWh {
		(terms.max_share * offer.energy_wh).max(1)
	}

	/// `who`'s cooldowns still running at `now`, and whether any stored one had ended (so the
	/// stored list is out of date).
	pub(crate) fn cooldowns(who: &T::AccountId, now: BlockNumberFor<T>) -> (CooldownsOf<T>, bool) {
		let mut cooldowns = LockCooldowns::<T>::get(who);
		let stored = cooldowns.len();
		cooldowns.retain(|(_, until)| now <= *until);
		let dropped = cooldowns.len() < stored;
		(cooldowns, dropped)
	}

	/// Stores `who`'s cooldowns, removing the entry once none is left.
	fn store_cooldowns(who: &T::AccountId, cooldowns: CooldownsOf<T>) {
		if cooldowns.is_empty() {
			LockCooldowns::<T>::remove(who);
		} else {
			LockCooldowns::<T>::insert(who, cooldowns);
		}
	}

	/// What locking `energy_wh` of the open offer `offer_id` would take in the next block.
	pub(crate) fn quote_lock(
		offer_id: OfferId,
		energy_wh: EnergyWh,
	) -> Option<LockQuote<BalanceOf<T>, BlockNumberFor<T>>> {
		let next_block = frame_system::Pallet::<T>::block_number().saturating_add(1u32.into());
		let offer = Offers::<T>::get(offer_id)
			.filter(|offer| Self::check_offer_live(offer, next_block).is_ok())?;
		let terms = LockParams::<T>::get();
		let (price, grid_fee) = Self::lock_payment(energy_wh, &offer)?;
		Some(LockQuote {
			held: price.checked_add(&grid_fee)?,
			fee: Self::lock_fee(price, &terms),
			max_energy_wh: Self::max_lock_wh(&offer, &terms),
			expires_at: next_block.saturating_add(Params::<T>::get().lock_duration),
		})
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

	/// Ends `who`'s lock early and starts its cooldown ([`Pallet::end_lock_cooling`]): `who`
	/// may not lock the offer again through `lock_duration` blocks from now.
	pub(crate) fn do_release_lock(who: &T::AccountId, lock_id: LockId) -> DispatchResult {
		let lock = Locks::<T>::get(lock_id).ok_or(Error::<T>::LockNotFound)?;
		ensure!(&lock.holder == who, Error::<T>::NotLockHolder);
		let now = frame_system::Pallet::<T>::block_number();
		let expired = now > lock.expires_at;
		// Released: from now; expired already: from its last block, as the queue would.
		let from = if expired { lock.expires_at } else { now };
		Self::end_lock_cooling(lock, expired, from)
	}

	/// Ends a lock that was released or expired (not bought out), and, if its offer is still
	/// open, starts the holder's cooldown on it: the holder may not lock the offer again through
	/// `lock_duration` blocks after `from` (the release's block, or the lock's last block). So
	/// holding an offer's energy with lock after lock, released or left to expire, leaves
	/// others a lock duration between two of them, and each lock pays its fee. The cooldown
	/// takes the lock's slot among the holder's `MaxLocksPerAccount` until it ends, so the
	/// list cannot overflow. A cancelled offer cannot be locked again: no cooldown.
	pub(crate) fn end_lock_cooling(
		lock: LockOf<T>,
		expired: bool,
		from: BlockNumberFor<T>,
	) -> DispatchResult {
		let keys = LockKeys::of(&lock);
		let open = Self::end_stored_lock(&keys, lock.energy_wh, lock.held, expired)?;
		let (holder, offer_id) = (keys.holder, keys.offer_id);
		if open {
			let now = frame_system::Pallet::<T>::block_number();
			let (mut cooldowns, _) = Self::cooldowns(&holder, now);
			let until = from.saturating_add(Params::<T>::get().lock_duration);
			if cooldowns.try_push((offer_id, until)).is_err() {
				// Live locks and cooldowns together never exceed `MaxLocksPerAccount`.
				frame_support::defensive!("an ended lock's cooldown has no slot");
			}
			Self::store_cooldowns(&holder, cooldowns);
		}
		Ok(())
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
			// One that cannot end stays, expired: the call does not use it.
			Self::try_end_lock(lock);
		}
		// Ending a lock gave its energy back to the offer.
		(met, Offers::<T>::get(offer_id))
	}

	/// Ends the lock `keys` names, which reserves `energy_wh` and holds `held`: releases what it
	/// still holds and gives its energy back to the offer if the offer is open, or to the
	/// seller's factory (freeing the bus capacity) if not. Returns whether the offer is still
	/// stored and open afterwards. (Locks are ended through [`Pallet::end_lock_cooling`]; the
	/// migration to storage version 3 ends the locks stored before it through this, as they
	/// cannot be read as a [`crate::Lock`].)
	pub(crate) fn end_stored_lock(
		keys: &LockKeys<T>,
		energy_wh: EnergyWh,
		held: BalanceOf<T>,
		expired: bool,
	) -> Result<bool, DispatchError> {
		T::Currency::release(
			&HoldReason::OfferLock.into(),
			&keys.holder,
			held,
			Precision::BestEffort,
		)?;
		Self::forget_lock_keys(keys);
		let mut open = false;
		if let Some(mut offer) = Offers::<T>::get(keys.offer_id) {
			offer.locked_wh = offer.locked_wh.saturating_sub(energy_wh);
			offer.locks = offer.locks.saturating_sub(1);
			open = offer.status == OfferStatus::Open;
			if energy_wh > 0 {
				if open {
					offer.available_wh = offer.available_wh.saturating_add(energy_wh);
				} else {
					T::Ledger::release(&offer.factory, energy_wh)?;
					Self::uncommit(offer.bus_id, energy_wh);
				}
			}
			// An offer that carries nothing any more leaves storage.
			open &= !Self::store_offer(offer);
		}
		Self::deposit_event(Event::LockEnded {
			lock_id: keys.id,
			offer_id: keys.offer_id,
			energy_wh,
			expired,
		});
		Ok(open)
	}

	/// Ends the expired `lock` in a storage layer of its own: if it cannot be ended, nothing of
	/// it changed, the failure is logged, and `false` is returned (the lock stays, queued).
	pub(crate) fn try_end_lock(lock: LockOf<T>) -> bool {
		let (lock_id, last_block) = (lock.id, lock.expires_at);
		match with_storage_layer(|| Self::end_lock_cooling(lock, true, last_block)) {
			Ok(()) => true,
			Err(error) => {
				log::error!(
					target: LOG_TARGET,
					"expired lock {lock_id} could not be ended, left as it was: {error:?}"
				);
				false
			},
		}
	}

	/// Removes the lock `keys` names (reserving `energy_wh`, holding `held`) without giving
	/// its energy to anyone: the payment is released and the energy goes back to the offer's
	/// available energy, the offer reopening if it was cancelled (its energy is still escrowed
	/// and its capacity committed). For a lock that [`Pallet::end_stored_lock`] could not end
	/// (the migration to version 3 uses it); emits `LockEnded`.
	pub(crate) fn drop_stored_lock(keys: &LockKeys<T>, energy_wh: EnergyWh, held: BalanceOf<T>) {
		let _ = T::Currency::release(
			&HoldReason::OfferLock.into(),
			&keys.holder,
			held,
			Precision::BestEffort,
		);
		Self::forget_lock_keys(keys);
		if let Some(mut offer) = Offers::<T>::get(keys.offer_id) {
			offer.locked_wh = offer.locked_wh.saturating_sub(energy_wh);
			offer.locks = offer.locks.saturating_sub(1);
			offer.available_wh = offer.available_wh.saturating_add(energy_wh);
			offer.status = OfferStatus::Open;
			crate::OffersByBus::<T>::insert(offer.bus_id, offer.id, ());
			crate::OfferExpiries::<T>::insert(offer.expires_at, offer.id, ());
			Self::store_offer(offer);
		}
		Self::deposit_event(Event::LockEnded {
			lock_id: keys.id,
			offer_id: keys.offer_id,
			energy_wh,
			expired: false,
		});
	}

	/// Removes `lock` from storage, its indexes and the expiry queue.
	pub(crate) fn forget_lock(lock: &LockOf<T>) {
		Self::forget_lock_keys(&LockKeys::of(lock))
	}

	/// Removes the lock `keys` names from storage, its indexes and the expiry queue.
	fn forget_lock_keys(keys: &LockKeys<T>) {
		Locks::<T>::remove(keys.id);
		LocksByOffer::<T>::remove(keys.offer_id, &keys.holder);
		LockCount::<T>::mutate_exists(&keys.holder, |count| {
			*count = count.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
		LockExpiries::<T>::remove(keys.expires_at, keys.id);
	}

	/// The expiry queue: ends locks that expired before `now`, oldest first, at most
	/// `MaxExpiriesPerBlock` of them in at most `MaxExpiriesPerBlock` reads of the queue (an
	/// empty stretch of blocks costs a read each); what is left waits for the next block. A
	/// lock that cannot be ended ([`Pallet::try_end_lock`]) stops the queue at its block: it
	/// stays queued and is tried again in the next block.
	/// Returns its weight: the `expiry_queue_reads` benchmark at the queue's reads, plus
	/// `expire_locks` at the locks ended if it ended any (so a block without expiries, the
	/// common case, is charged a measured read, not an extrapolation).
	pub(crate) fn expire_locks(now: BlockNumberFor<T>) -> Weight {
		let mut cursor = ExpiryCursor::<T>::get();
		let (ended, reads) = work_expiry_queue(
			&mut cursor,
			now,
			T::MaxExpiriesPerBlock::get(),
			|block, wanted| LockExpiries::<T>::iter_key_prefix(block).take(wanted).collect(),
			|block, lock_id: LockId| match Locks::<T>::get(lock_id) {
				// Ending it takes it out of the queue.
				Some(lock) => Self::try_end_lock(lock),
				None => {
					LockExpiries::<T>::remove(block, lock_id);
					true
				},
			},
		);
		ExpiryCursor::<T>::put(cursor);
		T::WeightInfo::expiry_queue_reads(reads)
			.saturating_add(if_done(ended, T::WeightInfo::expire_locks))
	}
}
