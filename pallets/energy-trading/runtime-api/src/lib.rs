//! `EnergyTradingApi`: the factory ledger's queries, for the node's `energy_*` RPC methods and
//! for clients that call runtime APIs directly (polkadot.js `api.call.energyTradingApi.*`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_energy_trading::{EnergyWh, Factory, FactoryRating, Trade, TradeId};

sp_api::decl_runtime_apis! {
	/// Queries of the factory ledger (pallet-energy-trading).
	///
	/// Version 2 added `owner_factories`. Version 3 removed `factory_history`: a factory's
	/// history is the ledger's events, which the node indexes (`energy_getFactoryHistory`).
	/// Version 4 added `factory_rating`.
	#[api_version(4)]
	pub trait EnergyTradingApi<AccountId, Balance, BlockNumber, FactoryId, FactoryName>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
		FactoryId: Codec,
		FactoryName: Codec,
	{
		/// A factory by id.
		fn factory(factory_id: FactoryId) -> Option<Factory<AccountId, BlockNumber, FactoryId, FactoryName>>;

		/// A factory's energy balance in Wh.
		fn energy_balance(factory_id: FactoryId) -> Option<EnergyWh>;

		/// Up to `limit` (at most 100) factories after `start_after`, in storage order.
		fn factories(
			start_after: Option<FactoryId>,
			limit: u32,
		) -> Vec<Factory<AccountId, BlockNumber, FactoryId, FactoryName>>;

		/// Up to `limit` (at most 100) of the factories an account owns after `start_after`, in
		/// storage order. (Since version 2.)
		fn owner_factories(
			who: AccountId,
			start_after: Option<FactoryId>,
			limit: u32,
		) -> Vec<Factory<AccountId, BlockNumber, FactoryId, FactoryName>>;

		/// A trade by id.
		fn trade(trade_id: TradeId) -> Option<Trade<FactoryId, Balance>>;

		/// Up to `limit` (at most 100) trades of a factory after `start_after`.
		fn trades_of_factory(
			factory_id: FactoryId,
			start_after: Option<TradeId>,
			limit: u32,
		) -> Vec<Trade<FactoryId, Balance>>;

		/// A factory's rating: its rated power and its generation allowance (in mJ) refilled up
		/// to the block's time. (Since version 4.)
		#[api_version(4)]
		fn factory_rating(factory_id: FactoryId) -> Option<FactoryRating>;
	}
}
