//! Paged listings for the view functions and the `EnergyBusApi` runtime API.

use alloc::vec::Vec;
use pallet_energy_trading::EnergyWh;

use crate::{
	BusId, Config, LockOf, Locks, LocksByOffer, OfferId, OfferOf, OfferStatus, Offers, OffersByBus,
	OffersBySeller, Pallet, PurchaseId, PurchaseOf, Purchases, PurchasesByBuyer, Receipts,
	MAX_PAGE,
};

impl<T: Config> Pallet<T> {
	/// Up to `limit` (at most [`MAX_PAGE`]) open offers of a bus after `start_after`, in
	/// storage order.
	pub fn active_offers_page(
		bus_id: BusId,
		start_after: Option<OfferId>,
		limit: u32,
	) -> Vec<OfferOf<T>> {
		let limit = limit.min(MAX_PAGE) as usize;
		let ids: Vec<OfferId> = match start_after {
			Some(after) => OffersByBus::<T>::iter_key_prefix_from(
				bus_id,
				OffersByBus::<T>::hashed_key_for(bus_id, after),
			)
			.collect(),
			None => OffersByBus::<T>::iter_key_prefix(bus_id).collect(),
		};
		ids.into_iter()
			.filter_map(Offers::<T>::get)
			.filter(|offer| offer.status == OfferStatus::Open)
			.take(limit)
			.collect()
	}

	/// A seller's offers on a bus (at most [`MAX_PAGE`]).
	pub fn seller_offers(who: T::AccountId, bus_id: BusId) -> Vec<OfferOf<T>> {
		OffersBySeller::<T>::iter_key_prefix((who, bus_id))
			.take(MAX_PAGE as usize)
			.filter_map(Offers::<T>::get)
			.collect()
	}

	/// The energy locked on an offer and its live locks.
	pub fn locks_of_offer(offer_id: OfferId) -> (EnergyWh, Vec<LockOf<T>>) {
		let locked = Offers::<T>::get(offer_id).map_or(0, |offer| offer.locked_wh);
		let locks =
			LocksByOffer::<T>::iter_prefix_values(offer_id).filter_map(Locks::<T>::get).collect();
		(locked, locks)
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) of a buyer's purchases with ids above
	/// `start_after`, in id order: the rest of the call that made `start_after` (if it is still
	/// kept), then the calls whose first purchase comes after it (the buyer index is in id
	/// order). Reads `start_after`'s purchase and receipt, at most `limit` + 1 index entries and
	/// `limit` purchases.
	pub fn purchases_page(
		who: T::AccountId,
		start_after: Option<PurchaseId>,
		limit: u32,
	) -> Vec<PurchaseOf<T>> {
		let limit = limit.min(MAX_PAGE) as usize;
		let mut ids = Vec::with_capacity(limit);
		let calls = match start_after {
			Some(after) => {
				// The rest of the call that made `after`: its receipt lists the call's purchases.
				let call = Purchases::<T>::get(after)
					.filter(|purchase| purchase.buyer == who)
					.and_then(|purchase| Receipts::<T>::get(purchase.receipt));
				if let Some(call) = call {
					ids.extend(call.purchases.into_iter().filter(|id| *id > after).take(limit));
				}
				PurchasesByBuyer::<T>::iter_prefix_from(
					&who,
					PurchasesByBuyer::<T>::hashed_key_for(&who, after.to_be_bytes()),
				)
			},
			None => PurchasesByBuyer::<T>::iter_prefix(&who),
		};
		for (first, count) in calls {
			let left = limit.saturating_sub(ids.len());
			if left == 0 {
				break;
			}
			let first = PurchaseId::from_be_bytes(first);
			ids.extend((first..first.saturating_add(count.into())).take(left));
		}
		ids.into_iter().filter_map(Purchases::<T>::get).collect()
	}
}
