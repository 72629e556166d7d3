//! Purchases: one offer (`purchase_energy`) or several in one all-or-nothing batch, paid from
//! buyer to seller in the same call (a batch's payments together, after its last item), with
//! the energy delivered through the factory ledger.

use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::{DispatchError, Weight},
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
	lock::LocksMet, BalanceOf, BatchItem, BusId, Config, EnergyWh, Error, Event, HoldReason, Locks,
	MarketNonce, NextPurchaseId, OfferId, OfferStatus, Pallet, Purchase, PurchaseFailure,
	PurchaseId, Purchases, ReceiptHash, WeightInfo,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BuyPath {
	pub locks: LocksMet,
	pub used_lock: bool,
	pub closed_offer: bool,
	pub bus_id: BusId,
}

/// What a batch did that its weight depends on: the components of its benchmark, summed over
/// its items, and how many offers it closed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct BatchPath {
	/// Items on a bus that no earlier item used.
	pub own_bus: u32,
	/// Items on a bus that an earlier item used.
	pub shared_bus: u32,
	/// Items bought through the buyer's own lock.
	pub used_locks: u32,
	/// Live locks read, over all items.
	pub live_read: u32,
	/// Expired locks ended, over all items.
	pub expired_ended: u32,
	/// Offers sold out, and so closed.
	pub closed_offers: u32,
}

impl BatchPath {
	/// Adds an item that took `path`, `shared` if an earlier item used its bus.
	fn add(&mut self, path: BuyPath, shared: bool) {
		if shared {
			self.shared_bus += 1;
		} else {
			self.own_bus += 1;
		}
		self.used_locks += u32::from(path.used_lock);
		self.live_read = self.live_read.saturating_add(path.locks.live_read);
		self.expired_ended = self.expired_ended.saturating_add(path.locks.expired_ended);
		self.closed_offers += u32::from(path.closed_offer);
	}
}

/// Why a buy failed: the reason a batch names (`BatchItemFailed`), and the error a single
/// purchase returns.
#[derive(Debug)]
pub(crate) struct BuyError {
	pub reason: PurchaseFailure,
	pub error: DispatchError,
}

impl BuyError {
	/// The currency refused to move or release a lock's payment.
	fn payment(error: DispatchError) -> Self {
		Self { reason: PurchaseFailure::Payment, error }
	}
}

impl<T: Config> From<Error<T>> for BuyError {
	fn from(error: Error<T>) -> Self {
		let reason = match error {
			Error::OfferNotFound => PurchaseFailure::OfferNotFound,
			Error::OfferNotOpen => PurchaseFailure::OfferNotOpen,
			Error::OwnOffer => PurchaseFailure::OwnOffer,
			Error::ZeroEnergy => PurchaseFailure::ZeroEnergy,
			Error::NotEnoughEnergy => PurchaseFailure::NotEnoughEnergy,
			Error::PriceAboveLimit => PurchaseFailure::PriceAboveLimit,
			Error::InsufficientFunds => PurchaseFailure::InsufficientFunds,
			Error::Overflow => PurchaseFailure::Overflow,
			// `buy` returns no other error of this pallet; any other is the ledger's side, as
			// the reason always named it.
			_ => PurchaseFailure::Ledger,
		};
		Self { reason, error: error.into() }
	}
}

impl<T: Config> Pallet<T> {
	/// The weight of a `purchase_energy` that took `path`: its benchmark at `l` (own lock
	/// used), `r` (live locks read) and `e` (expired locks ended), plus `close_offer` if it
	/// sold the offer out.
	pub(crate) fn purchase_weight(path: BuyPath) -> Weight {
		let bought = T::WeightInfo::purchase_energy(
			path.used_lock.into(),
			path.locks.live_read,
			path.locks.expired_ended,
		);
		if path.closed_offer {
			bought.saturating_add(T::WeightInfo::close_offer())
		} else {
			bought
		}
	}

	/// The most a `purchase_energy` can weigh: the heaviest way to meet an offer's
	/// `MaxLocksPerOffer` locks (the buyer's own, live ones of others, expired ones), and
	/// selling the offer out.
	pub(crate) fn max_purchase_weight() -> Weight {
		Self::heaviest_locks(1, T::WeightInfo::purchase_energy)
			.saturating_add(T::WeightInfo::close_offer())
	}

	/// The heaviest of `weight(l, r, e)` over the ways `items` buys can meet their offers'
	/// locks: each uses its own lock or not, and meets its offer's other locks all live or all
	/// expired (`weight` is linear in each, so a corner is the heaviest).
	fn heaviest_locks(items: u32, weight: impl Fn(u32, u32, u32) -> Weight) -> Weight {
		let most = T::MaxLocksPerOffer::get();
		let (others, all) = (items.saturating_mul(most - 1), items.saturating_mul(most));
		[weight(items, others, 0), weight(items, 0, others), weight(0, all, 0), weight(0, 0, all)]
			.into_iter()
			.fold(Weight::zero(), |heaviest, w| heaviest.max(w))
	}

	/// The weight of a batch that took `path`: its benchmark at its items on buses of their
	/// own (`n`) and on buses an earlier item used (`s`), its own locks used (`l`), live locks
	/// read (`r`) and expired locks ended (`e`), plus `close_offer` per offer it sold out.
	pub(crate) fn batch_weight(path: BatchPath) -> Weight {
		T::WeightInfo::batch_purchase_energy(
			path.own_bus,
			path.shared_bus,
			path.used_locks,
			path.live_read,
			path.expired_ended,
		)
		.saturating_add(T::WeightInfo::close_offer().saturating_mul(path.closed_offers.into()))
	}

	/// The most a batch of `items` items can weigh: each on a bus of its own, meeting its
	/// offer's locks the heaviest way and selling it out.
	pub(crate) fn max_batch_weight(items: u32) -> Weight {
		Self::heaviest_locks(items, |l, r, e| {
			T::WeightInfo::batch_purchase_energy(items, 0, l, r, e)
		})
		.saturating_add(T::WeightInfo::close_offer().saturating_mul(items.into()))
	}

	/// Buys for `who`; returns the path the buy took, which its weight is charged by.
	pub(crate) fn do_purchase(
		who: &T::AccountId,
		offer_id: OfferId,
		energy_wh: EnergyWh,
		max_price_per_kwh: BalanceOf<T>,
		into_factory: T::FactoryId,
		nonce: MarketNonce,
	) -> Result<BuyPath, DispatchError> {
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
		let (purchase_id, path) =
			Self::buy(who, &order, &into_factory, receipt, &mut delivery, &mut payment)
				.map_err(|failed| failed.error)?;
		Self::pay_all(who, payment).map_err(|(_, _, error)| error)?;
		T::Ledger::deliver_all(&into_factory, &delivery).map_err(|(_, error)| error)?;
		let purchases = BoundedVec::truncate_from(alloc::vec![purchase_id]);
		Self::record_receipt(who, nonce, receipt, purchases);
		Ok(path)
	}

	/// Buys every item for `who`, all or none; returns the path the batch took, which its
	/// weight is charged by.
	pub(crate) fn do_batch_purchase(
		who: &T::AccountId,
		items: BoundedVec<BatchItem<BalanceOf<T>>, T::MaxBatchSize>,
		into_factory: T::FactoryId,
		nonce: MarketNonce,
	) -> Result<BatchPath, DispatchError> {
		// No storage layer of its own: FRAME runs every call in one, which undoes every write
		// when this returns an error.
		Self::check_nonce(who, nonce)?;
		ensure!(!items.is_empty(), Error::<T>::EmptyBatch);
		ensure!(T::Ledger::is_owner(who, &into_factory), Error::<T>::NotFactoryOwner);
		let receipt = Self::receipt_hash(who, nonce, (b"batch", &items, &into_factory));
		let failed =
			|index: usize, reason| Error::<T>::BatchItemFailed { index: index as u16, reason };
		let mut purchases = BoundedVec::<PurchaseId, T::MaxBatchSize>::new();
		let mut buses = Vec::with_capacity(items.len());
		let mut path = BatchPath::default();
		// Paid and delivered together after the last item: the buyer's balance is debited once,
		// and its factory written once, for the batch. So a payment or delivery that fails (a
		// seller's account refusing the deposit, the buyer's factory overflowing) is found
		// after every item was bought: a later item that cannot be bought is reported first.
		let mut deliveries = Vec::with_capacity(items.len());
		let mut payments = Vec::with_capacity(items.len());
		for (index, item) in items.iter().enumerate() {
			let (purchase_id, bought) =
				Self::buy(who, item, &into_factory, receipt, &mut deliveries, &mut payments)
					.map_err(|error| failed(index, error.reason))?;
			path.add(bought, buses.contains(&bought.bus_id));
			buses.push(bought.bus_id);
			// Cannot fail: there are at most `MaxBatchSize` items.
			let _ = purchases.try_push(purchase_id);
		}
		Self::pay_all(who, payments).map_err(|(index, reason, _)| failed(index, reason))?;
		T::Ledger::deliver_all(&into_factory, &deliveries)
			.map_err(|(index, _)| failed(index, PurchaseFailure::Ledger))?;
		Self::record_receipt(who, nonce, receipt, purchases);
		Ok(path)
	}

	/// Pays `payments` from `who`'s free balance. One payment is a transfer; several are one
	/// withdrawal of their total from `who` and a deposit to each seller, so a batch debits
	/// the buyer once, not once per item. On failure, names the item whose payment failed: for
	/// the withdrawal, `InsufficientFunds` at the first item that the buyer cannot pay with
	/// the ones before it (or the currency's error at the last item, if it can pay them all).
	/// A failed deposit leaves the withdrawn credit to be dropped (burned): the caller's error
	/// undoes it with every other write of the call (FRAME runs each call in a storage layer).
	/// The reason a batch names is `InsufficientFunds` or `Payment`.
	fn pay_all(
		who: &T::AccountId,
		payments: Vec<Payment<T>>,
	) -> Result<(), (usize, PurchaseFailure, DispatchError)> {
		if let [(index, seller, amount)] = payments.as_slice() {
			return T::Currency::transfer(who, seller, *amount, Preservation::Preserve)
				.map(|_| ())
				.map_err(|error| (*index, PurchaseFailure::Payment, error));
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
					Some((index, ..)) => (
						*index,
						PurchaseFailure::InsufficientFunds,
						Error::<T>::InsufficientFunds.into(),
					),
					None => (
						payments.last().map_or(0, |(index, ..)| *index),
						PurchaseFailure::Payment,
						error,
					),
				});
			},
		};
		for (index, seller, amount) in payments {
			let (part, rest) = credit.split(amount);
			credit = rest;
			T::Currency::resolve(&seller, part).map_err(|_| {
				(index, PurchaseFailure::Payment, DispatchError::Token(TokenError::CannotCreate))
			})?;
		}
		Ok(())
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
	/// storage layer, which undoes a failed call's writes. Returns the purchase and the path
	/// the buy took, which the call's weight is charged by.
	fn buy(
		who: &T::AccountId,
		order: &BatchItem<BalanceOf<T>>,
		into_factory: &T::FactoryId,
		receipt: ReceiptHash,
		deliveries: &mut Vec<(T::FactoryId, EnergyWh)>,
		payments: &mut Vec<Payment<T>>,
	) -> Result<(PurchaseId, BuyPath), BuyError> {
		let (offer_id, energy_wh, max_price_per_kwh) =
			(order.offer_id, order.energy_wh, order.max_price_per_kwh);
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let now = frame_system::Pallet::<T>::block_number();
		let (mut locks, offer) = Self::settled_offer(offer_id, now);
		let mut offer = offer.ok_or(Error::<T>::OfferNotFound)?;
		ensure!(&offer.seller != who, Error::<T>::OwnOffer);
		// An offer without live locks has none of the buyer's.
		let lock = if offer.locks > 0 { Self::live_lock(who, offer_id, now) } else { None };
		// The buyer's own lock, if live, is weighed as `used_lock`, not as a live lock read.
		locks.live_read = locks.live_read.saturating_sub(lock.is_some().into());
		let used_lock = lock.is_some();

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
			)
			.map_err(BuyError::payment)?;
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
				)
				.map_err(BuyError::payment)?;
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
		let bus_id = offer.bus_id;
		let closed_offer = Self::store_offer(offer);
		Ok((purchase_id, BuyPath { locks, used_lock, closed_offer, bus_id }))
	}
}
