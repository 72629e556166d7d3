//! Paged listings for the view functions and the `EnergyTradingApi` runtime API.

use alloc::vec::Vec;

use crate::{
	Config, Factories, FactoryIdOf, FactoryOf, Pallet, TradeId, TradeOf, Trades, TradesByFactory,
	MAX_PAGE,
};

impl<T: Config> Pallet<T> {
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
