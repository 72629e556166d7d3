//! Paged listings for the view functions and the `EnergyTradingApi` runtime API.

use alloc::vec::Vec;

use crate::{
	Config, Factories, FactoriesByOwner, FactoryIdOf, FactoryOf, FactoryRating, Pallet, Ratings,
	TradeId, TradeOf, Trades, TradesByFactory, MAX_PAGE,
};

impl<T: Config> Pallet<T> {
	/// A factory's rating with its allowance refilled up to the current block's time, so that
	/// it tells what the meter may report now (storage holds it as of the last report or
	/// rating).
	pub fn rating_now(factory_id: &FactoryIdOf<T>) -> Option<FactoryRating> {
		Ratings::<T>::get(factory_id).map(|rating| rating.at(Self::now_ms()))
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) factories after `start_after`, in storage order.
	pub fn factories_page(start_after: Option<FactoryIdOf<T>>, limit: u32) -> Vec<FactoryOf<T>> {
		let limit = limit.min(MAX_PAGE) as usize;
		match start_after {
			Some(id) => Factories::<T>::iter_from(Factories::<T>::hashed_key_for(id))
				.map(|(_, factory)| factory)
				.take(limit)
				.collect(),
			None => Factories::<T>::iter_values().take(limit).collect(),
		}
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) of the factories `who` owns after `start_after`, in
	/// storage order (the owner index's: by the hash of the factory id). An account may own any
	/// number of factories, so they come a page at a time: the last id of a page, passed as
	/// `start_after`, is a position in the index, valid whatever changed meanwhile. Reads at
	/// most `limit` index keys and `limit` factories.
	pub fn owner_factories_page(
		who: T::AccountId,
		start_after: Option<FactoryIdOf<T>>,
		limit: u32,
	) -> Vec<FactoryOf<T>> {
		let limit = limit.min(MAX_PAGE) as usize;
		let ids: Vec<FactoryIdOf<T>> = match start_after {
			Some(after) => FactoriesByOwner::<T>::iter_key_prefix_from(
				&who,
				FactoriesByOwner::<T>::hashed_key_for(&who, after),
			)
			.take(limit)
			.collect(),
			None => FactoriesByOwner::<T>::iter_key_prefix(&who).take(limit).collect(),
		};
		ids.into_iter().filter_map(Factories::<T>::get).collect()
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) trades of `factory_id` after `start_after`, in
	/// storage order.
	pub fn trades_of_factory_page(
		factory_id: FactoryIdOf<T>,
		start_after: Option<TradeId>,
		limit: u32,
	) -> Vec<TradeOf<T>> {
		let limit = limit.min(MAX_PAGE) as usize;
		let ids: Vec<TradeId> = match start_after {
			Some(after) => TradesByFactory::<T>::iter_key_prefix_from(
				&factory_id,
				TradesByFactory::<T>::hashed_key_for(&factory_id, after),
			)
			.take(limit)
			.collect(),
			None => TradesByFactory::<T>::iter_key_prefix(&factory_id).take(limit).collect(),
		};
		ids.into_iter().filter_map(Trades::<T>::get).collect()
	}
}
