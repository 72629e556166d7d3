//! The factory ledger's JSON-RPC methods. They answer plain JSON, as the original REST API did,
//! in the project's one JSON convention (`docs/json.md`): camelCase names, factory ids and names
//! as strings, trade ids and energy in Wh as numbers, accounts as SS58 strings, and amounts of
//! money (which can exceed what JSON numbers hold exactly) as decimal strings.
//!
//! | method | params | result |
//! |---|---|---|
//! | `energy_getFactory` | `factoryId`, `at`? | a factory or `null` |
//! | `energy_getEnergyBalance` | `factoryId`, `at`? | Wh, or `null` for an unknown factory |
//! | `energy_getAllFactories` | `startAfter`?, `limit`? (default and maximum 100), `at`? | factories |
//! | `energy_getOwnerFactories` | `account`, `startAfter`?, `limit`?, `at`? | the factories the account owns |
//! | `energy_getFactoryRating` | `factoryId`, `at`? | `{ ratedPowerW, generationAllowanceWh }` (what its meter may report then), or `null` |
//! | `energy_getTrade` | `tradeId`, `at`? | a trade or `null` |
//! | `energy_getFactoryTrades` | `factoryId`, `startAfter`?, `limit`?, `at`? | trades |
//!
//! A factory's history is served by the node from its index of this pallet's events
//! (`energy_getFactoryHistory`, in `energy-node`).

use std::{fmt::Display, marker::PhantomData, str::FromStr, sync::Arc};

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use pallet_energy_trading::{
	EnergyType, EnergyWh, Factory, Moment, Trade, TradeId, TradeStatus, MAX_PAGE,
};
pub use pallet_energy_trading_runtime_api::EnergyTradingApi as EnergyTradingRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;

/// A factory, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactoryJson {
	pub id: String,
	pub name: String,
	pub energy_type: EnergyType,
	pub owner: String,
	pub meter: String,
	pub energy_wh: EnergyWh,
	pub registered_at: u64,
}

/// A factory's rating, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RatingJson {
	/// Its rated peak power, in W.
	pub rated_power_w: u32,
	/// What its meter may report as generated now (at the block's time), in whole Wh.
	pub generation_allowance_wh: EnergyWh,
}

/// A trade, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TradeJson {
	pub id: TradeId,
	pub seller: String,
	pub buyer: String,
	pub energy_wh: EnergyWh,
	pub price_per_kwh: String,
	pub total_price: String,
	pub created_at: Moment,
	pub settled_at: Option<Moment>,
	pub status: String,
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

fn factory_json<AccountId: Display, BlockNumber: Into<u64>, Id: AsRef<[u8]>, Name: AsRef<[u8]>>(
	factory: Factory<AccountId, BlockNumber, Id, Name>,
) -> FactoryJson {
	FactoryJson {
		id: text(factory.id.as_ref()),
		name: text(factory.name.as_ref()),
		energy_type: factory.energy_type,
		owner: factory.owner.to_string(),
		meter: factory.meter.to_string(),
		energy_wh: factory.energy_wh,
		registered_at: factory.registered_at.into(),
	}
}

fn trade_json<Id: AsRef<[u8]>, Balance: Display>(trade: Trade<Id, Balance>) -> TradeJson {
	let status = match trade.status {
		TradeStatus::Pending => "pending",
		TradeStatus::Completed => "completed",
		TradeStatus::Cancelled => "cancelled",
	};
	TradeJson {
		id: trade.id,
		seller: text(trade.seller.as_ref()),
		buyer: text(trade.buyer.as_ref()),
		energy_wh: trade.energy_wh,
		price_per_kwh: trade.price_per_kwh.to_string(),
		total_price: trade.total_price.to_string(),
		created_at: trade.created_at,
		settled_at: trade.settled_at,
		status: status.into(),
	}
}

/// The `energy_*` methods of the factory ledger.
#[rpc(client, server)]
pub trait EnergyTradingApi<BlockHash> {
	/// A factory by id, or `null`.
	#[method(name = "energy_getFactory")]
	fn get_factory(
		&self,
		factory_id: String,
		at: Option<BlockHash>,
	) -> RpcResult<Option<FactoryJson>>;

	/// A factory's energy balance in Wh, or `null` for an unknown factory.
	#[method(name = "energy_getEnergyBalance")]
	fn get_energy_balance(
		&self,
		factory_id: String,
		at: Option<BlockHash>,
	) -> RpcResult<Option<EnergyWh>>;

	/// Registered factories, a page at a time: pass the last id of a page as `start_after`.
	#[method(name = "energy_getAllFactories")]
	fn get_all_factories(
		&self,
		start_after: Option<String>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<FactoryJson>>;

	/// The factories an account owns, a page at a time (in storage order): pass the last id of a
	/// page as `start_after`.
	#[method(name = "energy_getOwnerFactories")]
	fn get_owner_factories(
		&self,
		account: String,
		start_after: Option<String>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<FactoryJson>>;

	/// A factory's rated power and what its meter may report as generated now, or `null` for
	/// an unknown factory.
	#[method(name = "energy_getFactoryRating")]
	fn get_factory_rating(
		&self,
		factory_id: String,
		at: Option<BlockHash>,
	) -> RpcResult<Option<RatingJson>>;

	/// A trade by id, or `null`.
	#[method(name = "energy_getTrade")]
	fn get_trade(&self, trade_id: TradeId, at: Option<BlockHash>) -> RpcResult<Option<TradeJson>>;

	/// The trades of a factory, as seller or buyer, a page at a time.
	#[method(name = "energy_getFactoryTrades")]
	fn get_factory_trades(
		&self,
		factory_id: String,
		start_after: Option<TradeId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<TradeJson>>;
}

/// The JSON-RPC error codes of these methods.
pub mod error_codes {
	/// The runtime API call failed.
	pub const RUNTIME_ERROR: i32 = 9001;
	/// A parameter is invalid (for example a factory id longer than the chain allows, or an
	/// account that is not SS58).
	pub const INVALID_PARAMS: i32 = 9002;
}

fn runtime_error(error: impl std::fmt::Debug) -> ErrorObjectOwned {
	ErrorObject::owned(
		error_codes::RUNTIME_ERROR,
		"runtime API call failed",
		Some(format!("{error:?}")),
	)
}

/// Serves the `energy_*` ledger methods from a client's runtime API.
pub struct EnergyTrading<C, Block, AccountId, Balance, BlockNumber, FactoryId, FactoryName> {
	client: Arc<C>,
	_marker: PhantomData<(Block, AccountId, Balance, BlockNumber, FactoryId, FactoryName)>,
}

impl<C, Block, AccountId, Balance, BlockNumber, FactoryId, FactoryName>
	EnergyTrading<C, Block, AccountId, Balance, BlockNumber, FactoryId, FactoryName>
{
	/// Methods answering from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: PhantomData }
	}
}

impl<C, Block, AccountId, Balance, BlockNumber, FactoryId, FactoryName>
	EnergyTrading<C, Block, AccountId, Balance, BlockNumber, FactoryId, FactoryName>
where
	Block: BlockT,
	C: HeaderBackend<Block>,
	FactoryId: TryFrom<Vec<u8>>,
{
	fn at(&self, at: Option<Block::Hash>) -> Block::Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}

	fn account(account: String) -> RpcResult<AccountId>
	where
		AccountId: FromStr,
	{
		AccountId::from_str(&account).map_err(|_| {
			ErrorObject::owned(
				error_codes::INVALID_PARAMS,
				"not an SS58 address or 0x-prefixed account id",
				Some(account),
			)
		})
	}

	fn factory_id(id: String) -> RpcResult<FactoryId> {
		parse_factory_id(id)
	}
}

/// A factory id from its text, or `INVALID_PARAMS` if it is longer than the chain allows (for
/// every `energy_*` method that takes one, the node's `energy_getFactoryHistory` too).
pub fn parse_factory_id<FactoryId: TryFrom<Vec<u8>>>(id: String) -> RpcResult<FactoryId> {
	FactoryId::try_from(id.into_bytes()).map_err(|_| {
		ErrorObject::owned(
			error_codes::INVALID_PARAMS,
			"factory id longer than the chain allows",
			None::<()>,
		)
	})
}

impl<C, Block, AccountId, Balance, BlockNumber, FactoryId, FactoryName>
	EnergyTradingApiServer<Block::Hash>
	for EnergyTrading<C, Block, AccountId, Balance, BlockNumber, FactoryId, FactoryName>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: EnergyTradingRuntimeApi<Block, AccountId, Balance, BlockNumber, FactoryId, FactoryName>,
	AccountId: Codec + Display + FromStr + Send + Sync + 'static,
	Balance: Codec + Display + Send + Sync + 'static,
	BlockNumber: Codec + Into<u64> + Send + Sync + 'static,
	FactoryId: Codec + AsRef<[u8]> + TryFrom<Vec<u8>> + Send + Sync + 'static,
	FactoryName: Codec + AsRef<[u8]> + Send + Sync + 'static,
{
	fn get_factory(
		&self,
		factory_id: String,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<FactoryJson>> {
		let id = Self::factory_id(factory_id)?;
		let factory = self.client.runtime_api().factory(self.at(at), id).map_err(runtime_error)?;
		Ok(factory.map(factory_json))
	}

	fn get_energy_balance(
		&self,
		factory_id: String,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<EnergyWh>> {
		let id = Self::factory_id(factory_id)?;
		self.client.runtime_api().energy_balance(self.at(at), id).map_err(runtime_error)
	}

	fn get_all_factories(
		&self,
		start_after: Option<String>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<FactoryJson>> {
		let start_after = start_after.map(Self::factory_id).transpose()?;
		let factories = self
			.client
			.runtime_api()
			.factories(self.at(at), start_after, limit.unwrap_or(MAX_PAGE))
			.map_err(runtime_error)?;
		Ok(factories.into_iter().map(factory_json).collect())
	}

	fn get_owner_factories(
		&self,
		account: String,
		start_after: Option<String>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<FactoryJson>> {
		let who = Self::account(account)?;
		let start_after = start_after.map(Self::factory_id).transpose()?;
		let factories = self
			.client
			.runtime_api()
			.owner_factories(self.at(at), who, start_after, limit.unwrap_or(MAX_PAGE))
			.map_err(runtime_error)?;
		Ok(factories.into_iter().map(factory_json).collect())
	}

	fn get_factory_rating(
		&self,
		factory_id: String,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<RatingJson>> {
		let id = Self::factory_id(factory_id)?;
		let rating =
			self.client.runtime_api().factory_rating(self.at(at), id).map_err(runtime_error)?;
		Ok(rating.map(|rating| RatingJson {
			rated_power_w: rating.rated_power_w,
			generation_allowance_wh: rating.allowance.available_wh(),
		}))
	}

	fn get_trade(
		&self,
		trade_id: TradeId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<TradeJson>> {
		let trade =
			self.client.runtime_api().trade(self.at(at), trade_id).map_err(runtime_error)?;
		Ok(trade.map(trade_json))
	}

	fn get_factory_trades(
		&self,
		factory_id: String,
		start_after: Option<TradeId>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<TradeJson>> {
		let id = Self::factory_id(factory_id)?;
		let trades = self
			.client
			.runtime_api()
			.trades_of_factory(self.at(at), id, start_after, limit.unwrap_or(MAX_PAGE))
			.map_err(runtime_error)?;
		Ok(trades.into_iter().map(trade_json).collect())
	}
}
