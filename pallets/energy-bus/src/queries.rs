//! Paged listings for the view functions and the `EnergyBusApi` runtime API.

use alloc::vec::Vec;
use frame_support::traits::Get;
use pallet_energy_trading::EnergyWh;

use crate::{
	BusId, BusOf, BusPage, Buses, Config, LockOf, Locks, LocksByOffer, NextBusId, OfferId, OfferOf,
	Offers, OffersByBus, OffersBySeller, Pallet, PurchaseId, PurchaseOf, Purchases,
	PurchasesByBuyer, Receipts, MAX_PAGE, MAX_SCAN,
};

impl<T: Config> Pallet<T> {
	/// Up to `limit` buses with ids above `start_after` (from the first when `None`), in id
	/// order. `limit` is taken between 1 and [`MAX_PAGE`], so that every page moves on.
	///
	/// Bus ids are handed out in order from `NextBusId`, and closed buses leave gaps, so the page
	/// reads the ids after `start_after` one by one: at most [`MAX_SCAN`] of them, stopping once
	/// it found `limit` buses or reached `NextBusId`. Its `next_start_after` is the last id it
	/// read while ids remain below `NextBusId`, and `None` at the end. Reads `NextBusId` and at
	/// most `MAX_SCAN` buses.
	pub fn buses_page(start_after: Option<BusId>, limit: u32) -> BusPage<BusOf<T>> {
		let limit = limit.clamp(1, MAX_PAGE) as usize;
		let end = NextBusId::<T>::get();
		// `start_after` is at most `BusId::MAX`, and then at or above `end`: nothing to read.
		let start = start_after.map_or(0, |after| after.saturating_add(1));
		let mut buses = Vec::with_capacity(limit);
		let mut last_read = None;
		for bus_id in start..end.min(start.saturating_add(MAX_SCAN)) {
			last_read = Some(bus_id);
			if let Some(bus) = Buses::<T>::get(bus_id) {
				buses.push(bus);
				if buses.len() == limit {
					break;
				}
			}
		}
		let next_start_after = last_read.filter(|id| id.saturating_add(1) < end);
		BusPage { buses, next_start_after }
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) of an account's stored offers (open, or cancelled
	/// with live locks) on any bus, with ids above `start_after`, in id order.
	///
	/// The seller index is keyed by hashes (bus, then offer), so its order is not id order and
	/// no position in it follows from an offer id. The page therefore reads the account's
	/// first [`MAX_SCAN`] index entries (keys only), sorts their ids and reads the offers of the
	/// first `limit` above `start_after`: exact id order, and a cursor (the last id of a page)
	/// that stays valid when offers close between pages, for every account with at most
	/// `MAX_SCAN` stored offers. Of an account with more, the pages list the `MAX_SCAN` offers
	/// that come first in storage order (its offers on one bus are also listed by
	/// `user_bus_offers`). Reads at most `MAX_SCAN` index keys and `limit` offers.
	pub fn account_offers_page(
		who: T::AccountId,
		start_after: Option<OfferId>,
		limit: u32,
	) -> Vec<OfferOf<T>> {
		let limit = limit.min(MAX_PAGE) as usize;
		let mut ids: Vec<OfferId> = OffersBySeller::<T>::iter_key_prefix((&who,))
			.take(MAX_SCAN as usize)
			.map(|(_bus_id, offer_id)| offer_id)
			.filter(|offer_id| start_after.is_none_or(|after| *offer_id > after))
			.collect();
		ids.sort_unstable();
		ids.into_iter().take(limit).filter_map(Offers::<T>::get).collect()
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) open offers of a bus after `start_after`, in
	/// storage order (the bus index's: by the hash of the offer id); pass the last id of a page
	/// for the next. The bus index holds open offers only, so the page reads at most `limit`
	/// index keys and `limit` offers, however many offers the bus carries.
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
			.take(limit)
			.collect(),
			None => OffersByBus::<T>::iter_key_prefix(bus_id).take(limit).collect(),
		};
		ids.into_iter().filter_map(Offers::<T>::get).collect()
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

impl<T: Config> Pallet<T> {
	/// An open round's book, every tick of both sides (`None` once it has cleared or if it does
	/// not exist). Reads the round and its pages.
	pub fn book_of(round_id: crate::RoundId) -> Option<crate::RoundBook> {
		let round = crate::Rounds::<T>::get(round_id)?;
		if round.status != crate::RoundStatus::Open {
			return None;
		}
		let side = |side| Self::book_side(round_id, side, round.ticks, false);
		Some(crate::RoundBook { bids: side(crate::Side::Bid), asks: side(crate::Side::Ask) })
	}

	/// A bus's settled rounds, newest first.
	pub fn results_of(bus_id: BusId) -> Vec<crate::RoundOf<T>> {
		crate::RoundHistory::<T>::get(bus_id)
			.iter()
			.rev()
			.filter_map(crate::Rounds::<T>::get)
			.collect()
	}

	/// An account's unsettled orders, in id order.
	pub fn orders_of(who: T::AccountId) -> Vec<crate::OrderOf<T>> {
		let mut orders: Vec<crate::OrderOf<T>> = crate::OrdersByAccount::<T>::iter_key_prefix(who)
			.take(T::MaxOrdersPerAccount::get() as usize)
			.filter_map(crate::Orders::<T>::get)
			.collect();
		orders.sort_by_key(|order| order.id);
		orders
	}
}
