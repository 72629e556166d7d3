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
		Imbalance,
	},
	BoundedVec,
};
use pallet_energy_trading::{total_price, EnergyLedger};
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	TokenError,
};

use crate::{
	lock::LocksMet, BalanceOf, BatchItem, BusId, Config, EnergyWh, Error, Event, HoldReason,
	LockOf, Locks, MarketNonce, NextPurchaseId, OfferId, OfferOf, Pallet, Purchase,
	PurchaseFailure, PurchaseId, Purchases, ReceiptHash, WeightInfo,
};

/// A payment a buy owes a seller: the item's index in its call, the seller, the amount.
pub(crate) type Payment<T> = (usize, <T as frame_system::Config>::AccountId, BalanceOf<T>);

/// The total of `payments`.
fn owed<T: Config>(payments: &[Payment<T>]) -> BalanceOf<T> {
	payments.iter().fold(Zero::zero(), |total, (_, _, amount)| total.saturating_add(*amount))
}

/// What one buy did that its weight depends on: what it met among the offer's locks (its own
/// included), whether it sold the offer out (and so closed it), and the offer's bus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BuyPath {
	pub locks: LocksMet,
	pub closed_offer: bool,
	pub bus_id: BusId,
}

impl BuyPath {
	/// What this buy adds to its call's benchmark of buys without locks: the work it did
	/// among the offer's locks, and `close_offer` if it sold the offer out.
	fn extra_weight<T: Config>(&self) -> Weight {
		let closing = if self.closed_offer { T::WeightInfo::close_offer() } else { Weight::zero() };
		self.locks.weight::<T>().saturating_add(closing)
	}

	/// The most a buy can add: meeting its offer's locks the heaviest way, and selling it out.
	fn max_extra_weight<T: Config>() -> Weight {
		LocksMet::heaviest::<T>(true).saturating_add(T::WeightInfo::close_offer())
	}
}

/// What a batch did that its weight depends on: the components of its benchmark, and what its
/// items added to it (their locks, the offers they closed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct BatchPath {
	/// Items on a bus that no earlier item used.
	pub own_bus: u32,
	/// Items on a bus that an earlier item used.
	pub shared_bus: u32,
	/// The sum of what each item added ([`BuyPath`]).
	pub extra: Weight,
}

impl BatchPath {
	/// Adds an item that took `path`, `shared` if an earlier item used its bus.
	fn add<T: Config>(&mut self, path: BuyPath, shared: bool) {
		if shared {
			self.shared_bus += 1;
		} else {
			self.own_bus += 1;
		}
		self.extra.saturating_accrue(path.extra_weight::<T>());
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
			Error::LockFactoryMismatch => PurchaseFailure::LockFactoryMismatch,
			Error::OfferExpired => PurchaseFailure::OfferExpired,
			// `buy` returns no other error of this pallet; any other is the ledger's side, as
			// the reason always named it.
			_ => PurchaseFailure::Ledger,
		};
		Self { reason, error: error.into() }
	}
}

impl<T: Config> Pallet<T> {
	/// Whether the currency refused a payment for the receiving side: an account that would be
	/// created with less than the existential deposit, or whose balance would overflow.
	fn seller_refused(error: &DispatchError) -> bool {
		matches!(
			error,
			DispatchError::Token(TokenError::BelowMinimum | TokenError::CannotCreate)
				| DispatchError::Arithmetic(sp_runtime::ArithmeticError::Overflow)
		)
	}

	/// The weight of a `purchase_energy` that took `path`: its benchmark of an offer without
	/// locks, plus what the buy added (its locks, closing the offer).
	pub(crate) fn purchase_weight(path: BuyPath) -> Weight {
		T::WeightInfo::purchase_energy().saturating_add(path.extra_weight::<T>())
	}

	/// The most a `purchase_energy` can weigh: meeting an offer's `MaxLocksPerOffer` locks the
	/// heaviest way, and selling the offer out.
	pub(crate) fn max_purchase_weight() -> Weight {
		T::WeightInfo::purchase_energy().saturating_add(BuyPath::max_extra_weight::<T>())
	}

	/// The weight of a batch that took `path`: its benchmark at its items on buses of their
	/// own (`n`) and on buses an earlier item used (`s`), plus what each item added.
	pub(crate) fn batch_weight(path: BatchPath) -> Weight {
		T::WeightInfo::batch_purchase_energy(path.own_bus, path.shared_bus)
			.saturating_add(path.extra)
	}

	/// The most a batch of `items` items can weigh: each on a bus of its own, meeting its
	/// offer's locks the heaviest way and selling it out.
	pub(crate) fn max_batch_weight(items: u32) -> Weight {
		T::WeightInfo::batch_purchase_energy(items, 0)
			.saturating_add(BuyPath::max_extra_weight::<T>().saturating_mul(items.into()))
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
		// The seller's account refusing the payment is named for what it is.
		let named = |reason, error: DispatchError| {
			if reason == PurchaseFailure::Payment && Self::seller_refused(&error) {
				Error::<T>::SellerCannotReceive.into()
			} else {
				error
			}
		};
		let (purchase_id, path) =
			Self::buy(who, &order, &into_factory, receipt, &mut delivery, &mut payment)
				.map_err(|failed| named(failed.reason, failed.error))?;
		Self::pay_all(who, payment).map_err(|(_, reason, error)| named(reason, error))?;
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
			path.add::<T>(bought, buses.contains(&bought.bus_id));
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
	/// `who`'s live lock on the offer (paid from its hold, at the locked price; the lock must
	/// be for `into_factory`), then from the
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
		locks.used_own = lock.is_some();

		let from_lock = lock.as_ref().map_or(0, |lock| lock.energy_wh.min(energy_wh));
		let from_offer = energy_wh - from_lock;
		// The offer's grid fee goes to the bus's pot; a closed bus's pot takes no more, and
		// then the fee is not charged (a lock's part of it comes back with the lock's hold).
		let fee_per_kwh = offer.grid_fee_per_kwh;
		let collects = !fee_per_kwh.is_zero() && Self::collects_fees(offer.bus_id);
		let fee_of = |energy_wh| total_price(energy_wh, fee_per_kwh).ok_or(Error::<T>::Overflow);
		// What the buyer pays per kWh, the buyer's guard bounds.
		let with_fee = |price: BalanceOf<T>| -> Result<BalanceOf<T>, Error<T>> {
			price.checked_add(&fee_per_kwh).ok_or(Error::<T>::Overflow)
		};
		let (lock_cost, lock_fee) = match &lock {
			Some(lock) => {
				// The hold is the lock's energy at its price plus the offer's fee.
				let fee_due = fee_of(from_lock)?.min(lock.held);
				let cost = if from_lock == lock.energy_wh {
					lock.held - fee_due
				} else {
					total_price(from_lock, lock.price_per_kwh)
						.ok_or(Error::<T>::Overflow)?
						.min(lock.held - fee_due)
				};
				(cost, fee_due)
			},
			None => (Zero::zero(), Zero::zero()),
		};
		if let Some(lock) = &lock {
			ensure!(&lock.factory == into_factory, Error::<T>::LockFactoryMismatch);
			ensure!(
				with_fee(lock.price_per_kwh)? <= max_price_per_kwh,
				Error::<T>::PriceAboveLimit
			);
		}
		let (offer_cost, offer_fee) = if from_offer > 0 {
			Self::check_offer_live(&offer, now)?;
			ensure!(
				with_fee(offer.price_per_kwh)? <= max_price_per_kwh,
				Error::<T>::PriceAboveLimit
			);
			ensure!(offer.available_wh >= from_offer, Error::<T>::NotEnoughEnergy);
			let cost = total_price(from_offer, offer.price_per_kwh).ok_or(Error::<T>::Overflow)?;
			(cost, if collects { fee_of(from_offer)? } else { Zero::zero() })
		} else {
			(Zero::zero(), Zero::zero())
		};
		let spendable =
			T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
		// The items before it are not paid yet.
		let owed = owed::<T>(payments);
		ensure!(
			spendable >= owed.saturating_add(offer_cost).saturating_add(offer_fee),
			Error::<T>::InsufficientFunds
		);
		let purchase_id = NextPurchaseId::<T>::get();
		let next_id = purchase_id.checked_add(1).ok_or(Error::<T>::Overflow)?;

		// The lock's part first: if the currency refuses its payment, nothing changed.
		if let Some(lock) = lock {
			Self::spend_lock(who, lock, from_lock, (lock_cost, lock_fee, collects), &mut offer)
				.map_err(BuyError::payment)?;
		}
		let lock_fee = if collects { lock_fee } else { Zero::zero() };
		// Paid by the caller after its last buy (`pay_all`). Each buy adds one delivery, so
		// their count is this item's index.
		if !offer_cost.is_zero() {
			payments.push((deliveries.len(), offer.seller.clone(), offer_cost));
		}
		if !offer_fee.is_zero() {
			payments.push((deliveries.len(), Self::market_account(), offer_fee));
		}
		let grid_fee = lock_fee.saturating_add(offer_fee);
		Self::collect_fee(offer.bus_id, grid_fee)?;
		deliveries.push((offer.factory.clone(), energy_wh));
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
				grid_fee,
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
			grid_fee,
		});
		let bus_id = offer.bus_id;
		let closed_offer = Self::store_offer(offer);
		Ok((purchase_id, BuyPath { locks, closed_offer, bus_id }))
	}

	/// Buys `from_lock` Wh of `offer` through `who`'s `lock` on it: pays `lock_cost` from the
	/// hold to the seller and `grid_fee` to the market account (the bus's pot) if `collected`,
	/// else releases it to `who`, and ends the lock if that bought it out (what is left of the
	/// hold, rounding, goes back to `who`). The offer is updated in memory; the caller stores
	/// it.
	pub(crate) fn spend_lock(
		who: &T::AccountId,
		mut lock: LockOf<T>,
		from_lock: EnergyWh,
		(lock_cost, grid_fee, collected): (BalanceOf<T>, BalanceOf<T>, bool),
		offer: &mut OfferOf<T>,
	) -> Result<(), DispatchError> {
		if !collected && !grid_fee.is_zero() {
			T::Currency::release(&HoldReason::OfferLock.into(), who, grid_fee, Precision::Exact)?;
		}
		let fee_to = collected.then(Self::market_account);
		let paid = [(Some(&offer.seller), lock_cost), (fee_to.as_ref(), grid_fee)];
		for (to, amount) in paid {
			let Some(to) = to else { continue };
			if !amount.is_zero() {
				T::Currency::transfer_on_hold(
					&HoldReason::OfferLock.into(),
					who,
					to,
					amount,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)?;
			}
		}
		lock.held = lock.held.saturating_sub(lock_cost).saturating_sub(grid_fee);
		lock.energy_wh -= from_lock;
		offer.locked_wh = offer.locked_wh.saturating_sub(from_lock);
		if lock.energy_wh == 0 {
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
		Ok(())
	}
}
