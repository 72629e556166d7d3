//! Purchases: one offer (`purchase_energy`) or several in one all-or-nothing batch, paid from
//! buyer to seller in the same call (a batch's payments together, after its last item), with
//! the energy delivered through the factory ledger.

use alloc::vec::Vec;
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, WithPostDispatchInfo},
	ensure,
	pallet_prelude::{DispatchError, DispatchResult, Weight},
	traits::{
		fungible::{Balanced, Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		Get, Imbalance,
	},
	BoundedVec,
};
use pallet_energy_trading::{total_price, EnergyLedger};
use sp_runtime::{
	traits::{Saturating, Zero},
	TokenError,
};

use crate::{
	lock::{at_least_without_locks, LocksMet},
	BalanceOf, BatchItem, BusId, Config, EnergyWh, Error, Event, HoldReason, Locks, MarketNonce,
	NextPurchaseId, OfferId, OfferStatus, Pallet, Purchase, PurchaseFailure, PurchaseId, Purchases,
	ReceiptHash, WeightInfo,
};

/// A payment a buy owes a seller: the item's index in its call, the seller, the amount.
pub(crate) type Payment<T> = (usize, <T as frame_system::Config>::AccountId, BalanceOf<T>);

/// The total of `payments`.
fn owed<T: Config>(payments: &[Payment<T>]) -> BalanceOf<T> {
	payments.iter().fold(Zero::zero(), |total, (_, _, amount)| total.saturating_add(*amount))
}

/// What one buy did that its weight depends on: what it met among the offer's locks, whether
/// it used the buyer's own lock, whether it sold the offer out (and so closed it), and the
/// offer's bus.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct BuyPath {
	pub locks: LocksMet,
	pub used_lock: bool,
	pub closed_offer: bool,
	pub bus_id: Option<BusId>,
}

impl BuyPath {
	/// The heaviest path: the buyer's lock is used, every other lock of the offer has expired
	/// and is ended first, and the offer is sold out.
	fn heaviest<T: Config>() -> Self {
		Self { locks: LocksMet::heaviest::<T>(), used_lock: true, closed_offer: true, bus_id: None }
	}
}

impl<T: Config> Pallet<T> {
	/// The weight of a `purchase_energy` that took `path`: its benchmark for an offer with
	/// locks (`l` own lock used, `r` live ones read, `e` expired ones ended), but never less
	/// than the benchmark for an offer without locks plus the own-lock lookup and what the
	/// locks add (the former's intercept is extrapolated); or the benchmark for an offer
	/// without locks. Plus closing the offer if it sold it out.
	pub(crate) fn purchase_weight(path: BuyPath) -> Weight {
		let weight = if path.locks.any {
			let (l, r, e) = (path.used_lock.into(), path.locks.live_read, path.locks.expired_ended);
			// The lookup is the buyer's own lock: `LocksByOffer` and `Locks`.
			at_least_without_locks(
				T::WeightInfo::purchase_energy(l, r, e),
				T::WeightInfo::purchase_energy(0, 0, 0),
				T::WeightInfo::purchase_without_locks(),
				T::DbWeight::get().reads(2),
			)
		} else {
			T::WeightInfo::purchase_without_locks()
		};
		if path.closed_offer {
			weight.saturating_add(Self::close_weight())
		} else {
			weight
		}
	}

	/// What closing a sold-out offer adds to a buy: the `close_offer` benchmark, less the bus
	/// read and write and the offer write that the buy's own benchmark already counts (the
	/// benchmarks count each storage key once per call).
	fn close_weight() -> Weight {
		T::WeightInfo::close_offer().saturating_sub(T::DbWeight::get().reads_writes(1, 2))
	}

	/// The most a `purchase_energy` can weigh: the buyer's lock is used, every other lock of
	/// the offer has expired and is ended first, and the offer is sold out.
	pub(crate) fn max_purchase_weight() -> Weight {
		Self::purchase_weight(BuyPath::heaviest::<T>())
	}

	/// The weight of a batch whose items took `paths`: the batch benchmark (items that buy
	/// part of an offer without locks, each on its own bus), plus, per item, what its offer's
	/// locks and closing its offer added to a purchase of an offer without locks, less the bus
	/// read and write of an item whose bus an earlier item already touched.
	pub(crate) fn batch_weight(paths: &[BuyPath]) -> Weight {
		let plain = Self::purchase_weight(BuyPath::default());
		let shared_bus = T::DbWeight::get().reads_writes(1, 1);
		let mut weight = T::WeightInfo::batch_purchase_energy(paths.len() as u32);
		for (index, path) in paths.iter().enumerate() {
			weight = weight.saturating_add(Self::purchase_weight(*path).saturating_sub(plain));
			let seen = path.bus_id.is_some()
				&& paths[..index].iter().any(|earlier| earlier.bus_id == path.bus_id);
			if seen {
				weight = weight.saturating_sub(shared_bus);
			}
		}
		weight
	}

	/// A call's outcome with the weight it is charged, whether it succeeded or failed: the
	/// weight of the path it took (a failed call took part of it, so this bounds its work).
	pub(crate) fn charged(done: DispatchResult, weight: Weight) -> DispatchResultWithPostInfo {
		match done {
			Ok(()) => Ok(Some(weight).into()),
			Err(error) => Err(error.with_weight(weight)),
		}
	}

	/// The most a batch of `items` items can weigh: every item takes the heaviest path, on a
	/// bus of its own.
	pub(crate) fn max_batch_weight(items: u32) -> Weight {
		let heaviest = BuyPath::heaviest::<T>();
		Self::batch_weight(&alloc::vec![heaviest; items as usize])
	}

	/// Buys for `who`, recording in `path` the path the buy took (for its weight, also when it
	/// fails).
	pub(crate) fn do_purchase(
		who: &T::AccountId,
		offer_id: OfferId,
		energy_wh: EnergyWh,
		max_price_per_kwh: BalanceOf<T>,
		into_factory: T::FactoryId,
		nonce: MarketNonce,
		path: &mut BuyPath,
	) -> DispatchResult {
		// No storage layer of its own: FRAME runs every call in one, which undoes every write
		// when this returns an error.
		Self::check_nonce(who, nonce)?;
		ensure!(T::Ledger::is_owner(who, &into_factory), Error::<T>::NotFactoryOwner);
		let receipt = Self::receipt_hash(
			who,
			nonce,
			(b"purchase", offer_id, energy_wh, max_price_per_kwh, &into_factory),
		);
		let (mut delivery, mut payment) = (Vec::with_capacity(1), Vec::with_capacity(1));
		let order = BatchItem { offer_id, energy_wh, max_price_per_kwh };
		let purchase_id =
			Self::buy(who, &order, &into_factory, receipt, path, &mut delivery, &mut payment)?;
		Self::pay_all(who, payment).map_err(|(_, error)| error)?;
		T::Ledger::deliver_all(&into_factory, &delivery).map_err(|(_, error)| error)?;
		let purchases = BoundedVec::truncate_from(alloc::vec![purchase_id]);
		Self::record_receipt(who, nonce, receipt, purchases);
		Ok(())
	}

	/// Buys every item for `who`, all or none, recording in `paths` the path each item it tried
	/// took (for its weight, also when it fails).
	pub(crate) fn do_batch_purchase(
		who: &T::AccountId,
		items: BoundedVec<BatchItem<BalanceOf<T>>, T::MaxBatchSize>,
		into_factory: T::FactoryId,
		nonce: MarketNonce,
		paths: &mut BoundedVec<BuyPath, T::MaxBatchSize>,
	) -> DispatchResult {
		// No storage layer of its own: FRAME runs every call in one, which undoes every write
		// when this returns an error.
		Self::check_nonce(who, nonce)?;
		ensure!(!items.is_empty(), Error::<T>::EmptyBatch);
		ensure!(T::Ledger::is_owner(who, &into_factory), Error::<T>::NotFactoryOwner);
		let receipt = Self::receipt_hash(who, nonce, (b"batch", &items, &into_factory));
		let failed = |index: usize, error| Error::<T>::BatchItemFailed {
			index: index as u16,
			reason: Self::purchase_failure(error),
		};
		let mut purchases = BoundedVec::<PurchaseId, T::MaxBatchSize>::new();
		// Paid and delivered together after the last item: the buyer's balance is debited once,
		// and its factory and history written once, for the batch. So a payment or delivery
		// that fails (a seller's account refusing the deposit, the buyer's factory
		// overflowing) is found after every item was bought: a later item that cannot be
		// bought is reported first.
		let mut deliveries = Vec::with_capacity(items.len());
		let mut payments = Vec::with_capacity(items.len());
		for (index, item) in items.iter().enumerate() {
			let mut path = BuyPath::default();
			let bought = Self::buy(
				who,
				item,
				&into_factory,
				receipt,
				&mut path,
				&mut deliveries,
				&mut payments,
			);
			// Cannot fail: there are at most `MaxBatchSize` items.
			let _ = paths.try_push(path);
			let purchase_id = bought.map_err(|error| failed(index, error))?;
			let _ = purchases.try_push(purchase_id);
		}
		Self::pay_all(who, payments).map_err(|(index, error)| Error::<T>::BatchItemFailed {
			index: index as u16,
			reason: match Self::purchase_failure(error) {
				PurchaseFailure::InsufficientFunds => PurchaseFailure::InsufficientFunds,
				_ => PurchaseFailure::Payment,
			},
		})?;
		T::Ledger::deliver_all(&into_factory, &deliveries)
			.map_err(|(index, error)| failed(index, error))?;
		Self::record_receipt(who, nonce, receipt, purchases);
		Ok(())
	}

	/// Pays `payments` from `who`'s free balance. One payment is a transfer; several are one
	/// withdrawal of their total from `who` and a deposit to each seller, so a batch debits
	/// the buyer once, not once per item. On failure, names the item whose payment failed: for
	/// the withdrawal, `InsufficientFunds` at the first item that the buyer cannot pay with
	/// the ones before it (or the currency's error at the last item, if it can pay them all).
	/// A failed deposit leaves the withdrawn credit to be dropped (burned): the caller's error
	/// undoes it with every other write of the call (FRAME runs each call in a storage layer).
	fn pay_all(
		who: &T::AccountId,
		payments: Vec<Payment<T>>,
	) -> Result<(), (usize, DispatchError)> {
		if let [(index, seller, amount)] = payments.as_slice() {
			return T::Currency::transfer(who, seller, *amount, Preservation::Preserve)
				.map(|_| ())
				.map_err(|error| (*index, error));
		}
		if payments.is_empty() {
			return Ok(());
		}
		let total = owed::<T>(&payments);
		let withdrawn = T::Currency::withdraw(
			who,
			total,
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		);
		let mut credit = match withdrawn {
			Ok(credit) => credit,
			Err(error) => {
				// Each buy checked the buyer could pay it with the ones before it, so this
				// takes a balance that changed since (a freeze, say).
				let spendable =
					T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
				let mut running = BalanceOf::<T>::zero();
				let short = payments.iter().find(|(_, _, amount)| {
					running = running.saturating_add(*amount);
					running > spendable
				});
				return Err(match short {
					Some((index, ..)) => (*index, Error::<T>::InsufficientFunds.into()),
					None => (payments.last().map_or(0, |(index, ..)| *index), error),
				});
			},
		};
		for (index, seller, amount) in payments {
			let (part, rest) = credit.split(amount);
			credit = rest;
			T::Currency::resolve(&seller, part)
				.map_err(|_| (index, DispatchError::Token(TokenError::CannotCreate)))?;
		}
		Ok(())
	}

	/// Why a purchase failed, as a batch error names it.
	fn purchase_failure(error: DispatchError) -> PurchaseFailure {
		let is = |e: Error<T>| error == DispatchError::from(e);
		if is(Error::<T>::OfferNotFound) {
			PurchaseFailure::OfferNotFound
		} else if is(Error::<T>::OfferNotOpen) {
			PurchaseFailure::OfferNotOpen
		} else if is(Error::<T>::OwnOffer) {
			PurchaseFailure::OwnOffer
		} else if is(Error::<T>::ZeroEnergy) {
			PurchaseFailure::ZeroEnergy
		} else if is(Error::<T>::NotEnoughEnergy) {
			PurchaseFailure::NotEnoughEnergy
		} else if is(Error::<T>::PriceAboveLimit) {
			PurchaseFailure::PriceAboveLimit
		} else if is(Error::<T>::InsufficientFunds) {
			PurchaseFailure::InsufficientFunds
		} else if is(Error::<T>::Overflow) {
			PurchaseFailure::Overflow
		} else {
			PurchaseFailure::Ledger
		}
	}

	/// Buys `order` (`energy_wh` of `offer_id`) for `who` into `into_factory`: first from
	/// `who`'s live lock on the offer (paid from its hold, at the locked price), then from the
	/// offer's unlocked energy (paid from `who`'s free balance). The lock's part is paid at
	/// once; the offer's part and the energy are not yet: the payment is added to `payments`,
	/// which the caller pays (`pay_all`), and the offer's factory and the energy to
	/// `deliveries`, which the caller delivers (`EnergyLedger::deliver_all`), both after its
	/// last buy, so a batch debits the buyer and writes its factory and history once. Checks
	/// everything but the payment and the delivery before its first write (that the buyer can
	/// pay this item with the ones before it, too); the calls that use it run in FRAME's
	/// storage layer, which undoes a failed call's writes. Records in `path` what its weight
	/// depends on, as soon as it is known.
	fn buy(
		who: &T::AccountId,
		order: &BatchItem<BalanceOf<T>>,
		into_factory: &T::FactoryId,
		receipt: ReceiptHash,
		path: &mut BuyPath,
		deliveries: &mut Vec<(T::FactoryId, EnergyWh)>,
		payments: &mut Vec<Payment<T>>,
	) -> Result<PurchaseId, DispatchError> {
		let (offer_id, energy_wh, max_price_per_kwh) =
			(order.offer_id, order.energy_wh, order.max_price_per_kwh);
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let now = frame_system::Pallet::<T>::block_number();
		let (locks, offer) = Self::settled_offer(offer_id, now);
		path.locks = locks;
		let mut offer = offer.ok_or(Error::<T>::OfferNotFound)?;
		ensure!(&offer.seller != who, Error::<T>::OwnOffer);
		// Looked up whenever the offer had locks, as its benchmark does.
		let lock = if locks.any { Self::live_lock(who, offer_id, now) } else { None };
		// The buyer's own lock, if live, is weighed as `used_lock`, not as a live lock read.
		path.used_lock = lock.is_some();
		path.locks.live_read = locks.live_read.saturating_sub(lock.is_some().into());
		path.bus_id = Some(offer.bus_id);

		let from_lock = lock.as_ref().map_or(0, |lock| lock.energy_wh.min(energy_wh));
		let from_offer = energy_wh - from_lock;
		let lock_cost = match &lock {
			Some(lock) if from_lock == lock.energy_wh => lock.held,
			Some(lock) => total_price(from_lock, lock.price_per_kwh)
				.ok_or(Error::<T>::Overflow)?
				.min(lock.held),
			None => Zero::zero(),
		};
		if let Some(lock) = &lock {
			ensure!(lock.price_per_kwh <= max_price_per_kwh, Error::<T>::PriceAboveLimit);
		}
		let offer_cost = if from_offer > 0 {
			ensure!(offer.status == OfferStatus::Open, Error::<T>::OfferNotOpen);
			ensure!(offer.price_per_kwh <= max_price_per_kwh, Error::<T>::PriceAboveLimit);
			ensure!(offer.available_wh >= from_offer, Error::<T>::NotEnoughEnergy);
			total_price(from_offer, offer.price_per_kwh).ok_or(Error::<T>::Overflow)?
		} else {
			Zero::zero()
		};
		let spendable =
			T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
		// The items before it are not paid yet.
		let owed = owed::<T>(payments);
		ensure!(spendable >= owed.saturating_add(offer_cost), Error::<T>::InsufficientFunds);
		let purchase_id = NextPurchaseId::<T>::get();
		let next_id = purchase_id.checked_add(1).ok_or(Error::<T>::Overflow)?;

		// The lock's payment first: if the currency refuses it, nothing changed.
		if !lock_cost.is_zero() {
			T::Currency::transfer_on_hold(
				&HoldReason::OfferLock.into(),
				who,
				&offer.seller,
				lock_cost,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
		}
		if !offer_cost.is_zero() {
			// Paid by the caller after its last buy (`pay_all`). Each buy adds one delivery, so
			// their count is this item's index.
			payments.push((deliveries.len(), offer.seller.clone(), offer_cost));
		}
		deliveries.push((offer.factory.clone(), energy_wh));

		if let Some(mut lock) = lock {
			lock.energy_wh -= from_lock;
			lock.held = lock.held.saturating_sub(lock_cost);
			offer.locked_wh = offer.locked_wh.saturating_sub(from_lock);
			if lock.energy_wh == 0 {
				// Bought out: what is left of the hold (rounding) goes back to the buyer.
				T::Currency::release(
					&HoldReason::OfferLock.into(),
					who,
					lock.held,
					Precision::BestEffort,
				)?;
				offer.locks = offer.locks.saturating_sub(1);
				Self::forget_lock(&lock);
			} else {
				Locks::<T>::insert(lock.id, lock);
			}
		}
		offer.available_wh -= from_offer;
		offer.sold_wh = offer.sold_wh.saturating_add(energy_wh);
		Self::uncommit(offer.bus_id, energy_wh);
		let total = lock_cost.saturating_add(offer_cost);
		// An offer's price never changes, so a lock's price is the offer's.
		let price_per_kwh = offer.price_per_kwh;
		Purchases::<T>::insert(
			purchase_id,
			Purchase {
				id: purchase_id,
				offer_id,
				bus_id: offer.bus_id,
				buyer: who.clone(),
				seller: offer.seller.clone(),
				into_factory: into_factory.clone(),
				energy_wh,
				price_per_kwh,
				total_price: total,
				block: now,
				receipt,
			},
		);
		NextPurchaseId::<T>::put(next_id);
		Self::deposit_event(Event::EnergyPurchased {
			purchase_id,
			offer_id,
			buyer: who.clone(),
			into_factory: into_factory.clone(),
			energy_wh,
			total_price: total,
		});
		path.closed_offer = Self::store_offer(offer);
		Ok(purchase_id)
	}
}
