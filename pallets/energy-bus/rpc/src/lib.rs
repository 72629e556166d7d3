//! The energy-bus market's JSON-RPC methods, named after the original MultiBus functions. They
//! answer plain JSON in the project's one JSON convention (`docs/json.md`): camelCase names,
//! names and factory ids as strings, energy in Wh as numbers, accounts as SS58 strings, amounts
//! of money as decimal strings.
//!
//! | method | params | result |
//! |---|---|---|
//! | `energy_getBusDetails` | `busId`, `at`? | a bus with `availableWh`, or `null` |
//! | `energy_getBuses` | `startAfter`?, `limit`?, `at`? | `{ buses, nextStartAfter }`: a page of all buses, in id order |
//! | `energy_getUserBuses` | `account`, `at`? | bus ids |
//! | `energy_getBusActiveOffers` | `busId`, `startAfter`?, `limit`?, `at`? | open offers, each with its `expiresAt` |
//! | `energy_getUserBusOffers` | `account`, `busId`, `at`? | the account's offers on the bus |
//! | `energy_getAccountOffers` | `account`, `startAfter`?, `limit`?, `at`? | the account's offers on any bus, in id order |
//! | `energy_getOfferLocks` | `offerId`, `at`? | `{ lockedWh, locks }` |
//! | `energy_isTransactionProcessed` | `receipt` (0x hash), `at`? | bool |
//! | `energy_getMarketNonce` | `account`, `at`? | the next market nonce |
//! | `energy_getPurchases` | `account`, `startAfter`?, `limit`?, `at`? | purchases |
//! | `energy_getAuctionSettings` | `busId`, `at`? | `{ roundLength, tickSize, ticks }`, or `null` |
//! | `energy_getCurrentRound` | `busId`, `at`? | the bus's open round, or `null` |
//! | `energy_getRound` | `roundId`, `at`? | a round (open, cleared or settled), or `null` |
//! | `energy_getRoundBook` | `roundId`, `at`? | an open round's depth: `{ roundId, levels }`, or `null` |
//! | `energy_getRoundResults` | `busId`, `at`? | the bus's settled rounds, newest first |
//! | `energy_getAccountOrders` | `account`, `at`? | the account's unsettled orders |
//! | `energy_getGridFee` | `busId`, `at`? | `{ perKwh, totalShares, members, unclaimed }`, or `null` |
//! | `energy_getClaimableGridFees` | `account`, `at`? | `[{ busId, shares, amount }]`: the grid fees the account may claim |
//!
//! The auction methods answer `null` or `[]` at blocks of runtimes before `EnergyBusApi`
//! version 5, which had no auctions; the grid-fee methods before version 6, which had no fees
//! (offers, purchases and rounds of those runtimes show a grid fee of `"0"`).

use std::{fmt::Display, marker::PhantomData, str::FromStr, sync::Arc};

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use pallet_energy_bus::{
	AuctionSettings, Bus, BusId, BusPage, EnergyWh, Lock, MarketNonce, Offer, OfferId, OfferStatus,
	Order, Purchase, PurchaseId, Round, RoundId, RoundStatus, Side, MAX_PAGE,
};
pub use pallet_energy_bus_runtime_api::EnergyBusApi as EnergyBusRuntimeApi;
use pallet_energy_bus_runtime_api::{ClaimableFees, GridFee, OldLock, OldOffer};
use serde::{Deserialize, Serialize};
use sp_api::ApiExt;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;
use sp_runtime::traits::Block as BlockT;

/// A bus, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusJson {
	pub id: BusId,
	pub name: String,
	pub owners: Vec<String>,
	pub approval_threshold: u32,
	pub capacity_wh: EnergyWh,
	pub committed_wh: EnergyWh,
	pub available_wh: EnergyWh,
	pub base_price_per_kwh: String,
	pub open_offers: u32,
	pub creator: String,
	pub deposit: String,
	pub created_at: u64,
}

/// A page of all buses, as JSON: pass `nextStartAfter` as `startAfter` for the next page, until
/// it is `null`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusPageJson {
	pub buses: Vec<BusJson>,
	pub next_start_after: Option<BusId>,
}

/// An offer, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferJson {
	pub id: OfferId,
	pub bus_id: BusId,
	pub seller: String,
	pub factory: String,
	pub energy_wh: EnergyWh,
	pub available_wh: EnergyWh,
	pub locked_wh: EnergyWh,
	pub sold_wh: EnergyWh,
	pub price_per_kwh: String,
	/// The grid fee per kWh a buyer pays the bus's owners on top of the price.
	pub grid_fee_per_kwh: String,
	pub locks: u32,
	pub status: String,
	pub created_at: u64,
	/// Its last block (`null` from a runtime before `EnergyBusApi` version 4, whose offers had
	/// no end).
	pub expires_at: Option<u64>,
}

/// A lock, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockJson {
	pub id: u64,
	pub offer_id: OfferId,
	pub holder: String,
	/// The holder's factory the lock is for; `null` from a runtime before `EnergyBusApi`
	/// version 3, whose locks named none.
	pub factory: Option<String>,
	pub energy_wh: EnergyWh,
	pub price_per_kwh: String,
	pub held: String,
	pub expires_at: u64,
}

/// An offer's locks, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferLocksJson {
	pub locked_wh: EnergyWh,
	pub locks: Vec<LockJson>,
}

/// A purchase, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseJson {
	pub id: PurchaseId,
	pub offer_id: OfferId,
	pub bus_id: BusId,
	pub buyer: String,
	pub seller: String,
	pub into_factory: String,
	pub energy_wh: EnergyWh,
	pub price_per_kwh: String,
	pub total_price: String,
	/// The grid fee paid to the bus's owners on top of `totalPrice`.
	pub grid_fee: String,
	pub block: u64,
	pub receipt: String,
}

/// A bus's auction settings, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuctionSettingsJson {
	pub round_length: u32,
	pub tick_size: String,
	pub ticks: u16,
}

/// An auction round, as JSON. `status` is `open`, `cleared` (with `pricePerKwh` and
/// `volumeWh`) or `noTrade`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundJson {
	pub id: RoundId,
	pub bus_id: BusId,
	pub opened_at: u64,
	pub gate_closes_at: u64,
	pub base_price_per_kwh: String,
	pub tick_size: String,
	pub ticks: u16,
	/// The grid fee per kWh its bids pay on what they get.
	pub grid_fee_per_kwh: String,
	/// The grid fees its settled bids paid.
	pub grid_fees: String,
	pub orders: u32,
	pub unsettled: u32,
	pub filled_orders: u32,
	pub bid_wh: EnergyWh,
	pub ask_wh: EnergyWh,
	pub status: String,
	/// The clearing price, once it cleared with a trade.
	pub price_per_kwh: Option<String>,
	/// The energy traded, once it cleared (0 without a trade).
	pub volume_wh: Option<EnergyWh>,
}

/// One price of an open round's book with its depth, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookLevelJson {
	pub tick: u16,
	pub price_per_kwh: String,
	pub bid_wh: EnergyWh,
	pub ask_wh: EnergyWh,
}

/// An open round's book, as JSON: the prices that hold orders, lowest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundBookJson {
	pub round_id: RoundId,
	pub levels: Vec<BookLevelJson>,
}

/// An unsettled auction order, as JSON. `side` is `bid` or `ask`; `nonce` is `null` for an order
/// of the genesis config.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderJson {
	pub id: u64,
	pub round_id: RoundId,
	pub bus_id: BusId,
	pub owner: String,
	pub side: String,
	pub factory: String,
	pub energy_wh: EnergyWh,
	pub limit_price_per_kwh: String,
	pub escrow: String,
	pub deposit: String,
	pub nonce: Option<MarketNonce>,
}

/// A bus's grid fee and pot, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GridFeeJson {
	pub per_kwh: String,
	pub total_shares: u32,
	pub members: u32,
	pub unclaimed: String,
}

/// What an account may claim of a bus's grid fees, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimableFeesJson {
	pub bus_id: BusId,
	pub shares: u16,
	pub amount: String,
}

fn round_json<B: Display, N: Into<u64>>(round: Round<B, N>) -> RoundJson {
	let (status, price_per_kwh, volume_wh) = match round.status {
		RoundStatus::Open => ("open", None, None),
		RoundStatus::Cleared(clearing) => {
			("cleared", Some(clearing.price_per_kwh.to_string()), Some(clearing.volume_wh))
		},
		RoundStatus::NoTrade => ("noTrade", None, Some(0)),
	};
	RoundJson {
		id: round.id,
		bus_id: round.bus_id,
		opened_at: round.opened_at.into(),
		gate_closes_at: round.gate_closes_at.into(),
		base_price_per_kwh: round.base_price_per_kwh.to_string(),
		tick_size: round.tick_size.to_string(),
		ticks: round.ticks,
		grid_fee_per_kwh: round.grid_fee_per_kwh.to_string(),
		grid_fees: round.grid_fees.to_string(),
		orders: round.orders,
		unsettled: round.unsettled,
		filled_orders: round.filled_orders,
		bid_wh: round.bid_wh,
		ask_wh: round.ask_wh,
		status: status.into(),
		price_per_kwh,
		volume_wh,
	}
}

fn order_json<A: Display, B: Display, F: AsRef<[u8]>>(order: Order<A, B, F>) -> OrderJson {
	OrderJson {
		id: order.id,
		round_id: order.round_id,
		bus_id: order.bus_id,
		owner: order.owner.to_string(),
		side: match order.side {
			Side::Bid => "bid",
			Side::Ask => "ask",
		}
		.into(),
		factory: text(order.factory.as_ref()),
		energy_wh: order.energy_wh,
		limit_price_per_kwh: order.limit_price_per_kwh.to_string(),
		escrow: order.escrow.to_string(),
		deposit: order.deposit.to_string(),
		nonce: order.nonce,
	}
}

/// A lock as JSON: its fields (as a runtime before `EnergyBusApi` version 3 gave them) and the
/// factory it is for, if the runtime names one.
fn lock_json<A: Display, B: Display, N: Into<u64>>(
	lock: OldLock<A, B, N>,
	factory: Option<String>,
) -> LockJson {
	LockJson {
		id: lock.id,
		offer_id: lock.offer_id,
		holder: lock.holder.to_string(),
		factory,
		energy_wh: lock.energy_wh,
		price_per_kwh: lock.price_per_kwh.to_string(),
		held: lock.held.to_string(),
		expires_at: lock.expires_at.into(),
	}
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

fn bus_json<A: Display, B: Display, N: Into<u64>, Name: AsRef<[u8]>, Owners: AsRef<[A]>>(
	bus: Bus<A, B, N, Name, Owners>,
) -> BusJson {
	BusJson {
		id: bus.id,
		name: text(bus.name.as_ref()),
		owners: bus.owners.as_ref().iter().map(ToString::to_string).collect(),
		approval_threshold: bus.approval_threshold,
		capacity_wh: bus.capacity_wh,
		committed_wh: bus.committed_wh,
		available_wh: bus.capacity_wh.saturating_sub(bus.committed_wh),
		base_price_per_kwh: bus.base_price_per_kwh.to_string(),
		open_offers: bus.open_offers,
		creator: bus.creator.to_string(),
		deposit: bus.deposit.to_string(),
		created_at: bus.created_at.into(),
	}
}

/// An offer as JSON, from a runtime of `EnergyBusApi` version 4 or later.
fn offer_json<A: Display, B: Display, N: Into<u64>, F: AsRef<[u8]>>(
	offer: Offer<A, B, N, F>,
) -> OfferJson {
	let Offer {
		id,
		bus_id,
		seller,
		factory,
		energy_wh,
		available_wh,
		locked_wh,
		sold_wh,
		price_per_kwh,
		grid_fee_per_kwh,
		locks,
		status,
		created_at,
		expires_at,
	} = offer;
	let fields = OldOffer {
		id,
		bus_id,
		seller,
		factory,
		energy_wh,
		available_wh,
		locked_wh,
		sold_wh,
		price_per_kwh,
		locks,
		status,
		created_at,
	};
	old_offer_json(fields, Some(expires_at.into()), grid_fee_per_kwh.to_string())
}

/// An offer as JSON: its fields (as a runtime before `EnergyBusApi` version 4 gave them), its
/// end, if the runtime gives one, and its grid fee ("0" before version 6).
fn old_offer_json<A: Display, B: Display, N: Into<u64>, F: AsRef<[u8]>>(
	offer: OldOffer<A, B, N, F>,
	expires_at: Option<u64>,
	grid_fee_per_kwh: String,
) -> OfferJson {
	let status = match offer.status {
		OfferStatus::Open => "open",
		OfferStatus::Cancelled => "cancelled",
		OfferStatus::Closed => "closed",
	};
	OfferJson {
		id: offer.id,
		bus_id: offer.bus_id,
		seller: offer.seller.to_string(),
		factory: text(offer.factory.as_ref()),
		energy_wh: offer.energy_wh,
		available_wh: offer.available_wh,
		locked_wh: offer.locked_wh,
		sold_wh: offer.sold_wh,
		price_per_kwh: offer.price_per_kwh.to_string(),
		grid_fee_per_kwh,
		locks: offer.locks,
		status: status.into(),
		created_at: offer.created_at.into(),
		expires_at,
	}
}

/// The `energy_*` methods of the energy-bus market.
#[rpc(client, server)]
pub trait EnergyBusApi<BlockHash> {
	/// A bus with its available capacity, or `null`.
	#[method(name = "energy_getBusDetails")]
	fn get_bus_details(&self, bus_id: BusId, at: Option<BlockHash>) -> RpcResult<Option<BusJson>>;

	/// All buses, a page at a time, in id order: up to `limit` (1 to 100, default 100) buses
	/// with ids above `startAfter`. Pass the page's `nextStartAfter` for the next page until it
	/// is `null`; a page may hold fewer buses than asked for (closed buses leave gaps in the ids)
	/// and still have a next page.
	#[method(name = "energy_getBuses")]
	fn get_buses(
		&self,
		start_after: Option<BusId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<BusPageJson>;

	/// The buses an account co-owns.
	#[method(name = "energy_getUserBuses")]
	fn get_user_buses(&self, account: String, at: Option<BlockHash>) -> RpcResult<Vec<BusId>>;

	/// The open offers of a bus, a page at a time.
	#[method(name = "energy_getBusActiveOffers")]
	fn get_bus_active_offers(
		&self,
		bus_id: BusId,
		start_after: Option<OfferId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<OfferJson>>;

	/// An account's offers on a bus.
	#[method(name = "energy_getUserBusOffers")]
	fn get_user_bus_offers(
		&self,
		account: String,
		bus_id: BusId,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<OfferJson>>;

	/// An account's offers on any bus with ids above `startAfter`, in id order, a page at a
	/// time (complete for an account with at most 400 offers).
	#[method(name = "energy_getAccountOffers")]
	fn get_account_offers(
		&self,
		account: String,
		start_after: Option<OfferId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<OfferJson>>;

	/// An offer's locked energy and live locks.
	#[method(name = "energy_getOfferLocks")]
	fn get_offer_locks(
		&self,
		offer_id: OfferId,
		at: Option<BlockHash>,
	) -> RpcResult<OfferLocksJson>;

	/// Whether the buying call with this receipt hash ran.
	#[method(name = "energy_isTransactionProcessed")]
	fn is_transaction_processed(&self, receipt: H256, at: Option<BlockHash>) -> RpcResult<bool>;

	/// The market nonce an account's next buying call must carry.
	#[method(name = "energy_getMarketNonce")]
	fn get_market_nonce(&self, account: String, at: Option<BlockHash>) -> RpcResult<MarketNonce>;

	/// An account's purchases with ids above `startAfter`, in id order, a page at a time.
	#[method(name = "energy_getPurchases")]
	fn get_purchases(
		&self,
		account: String,
		start_after: Option<PurchaseId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<PurchaseJson>>;

	/// A bus's auction settings, or `null` if it runs no auctions.
	#[method(name = "energy_getAuctionSettings")]
	fn get_auction_settings(
		&self,
		bus_id: BusId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<AuctionSettingsJson>>;

	/// A bus's open auction round (its gate, grid and orders), or `null`.
	#[method(name = "energy_getCurrentRound")]
	fn get_current_round(
		&self,
		bus_id: BusId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<RoundJson>>;

	/// A round: open, cleared (with its price and volume) or settled, or `null`.
	#[method(name = "energy_getRound")]
	fn get_round(&self, round_id: RoundId, at: Option<BlockHash>) -> RpcResult<Option<RoundJson>>;

	/// An open round's book: each price that holds orders with the energy bid and asked there,
	/// lowest first; `null` once the round has cleared.
	#[method(name = "energy_getRoundBook")]
	fn get_round_book(
		&self,
		round_id: RoundId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<RoundBookJson>>;

	/// A bus's last settled rounds, newest first.
	#[method(name = "energy_getRoundResults")]
	fn get_round_results(&self, bus_id: BusId, at: Option<BlockHash>) -> RpcResult<Vec<RoundJson>>;

	/// An account's unsettled auction orders, in id order.
	#[method(name = "energy_getAccountOrders")]
	fn get_account_orders(
		&self,
		account: String,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<OrderJson>>;

	/// A bus's grid fee and pot (the fee new offers and rounds carry, the owners' shares, the
	/// fees not claimed yet), or `null`.
	#[method(name = "energy_getGridFee")]
	fn get_grid_fee(&self, bus_id: BusId, at: Option<BlockHash>) -> RpcResult<Option<GridFeeJson>>;

	/// The grid fees an account may claim, per bus, with its shares.
	#[method(name = "energy_getClaimableGridFees")]
	fn get_claimable_grid_fees(
		&self,
		account: String,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<ClaimableFeesJson>>;
}

/// The JSON-RPC error codes of these methods.
pub mod error_codes {
	/// The runtime API call failed.
	pub const RUNTIME_ERROR: i32 = 9101;
	/// A parameter is invalid (for example an account that is not SS58).
	pub const INVALID_PARAMS: i32 = 9102;
}

fn runtime_error(error: impl std::fmt::Debug) -> ErrorObjectOwned {
	ErrorObject::owned(
		error_codes::RUNTIME_ERROR,
		"runtime API call failed",
		Some(format!("{error:?}")),
	)
}

/// Serves the `energy_*` market methods from a client's runtime API.
pub struct EnergyBus<C, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners> {
	client: Arc<C>,
	_marker: PhantomData<(Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners)>,
}

impl<C, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>
	EnergyBus<C, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>
{
	/// Methods answering from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: PhantomData }
	}
}

impl<C, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>
	EnergyBus<C, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>
where
	Block: BlockT,
	C: HeaderBackend<Block>,
	AccountId: FromStr,
{
	fn at(&self, at: Option<Block::Hash>) -> Block::Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}

	fn account(account: String) -> RpcResult<AccountId> {
		AccountId::from_str(&account).map_err(|_| {
			ErrorObject::owned(
				error_codes::INVALID_PARAMS,
				"not an SS58 address or 0x-prefixed account id",
				Some(account),
			)
		})
	}
}

impl<C, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>
	EnergyBus<C, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block>,
	C::Api: EnergyBusRuntimeApi<Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>,
	AccountId: Codec,
	Balance: Codec,
	BlockNumber: Codec,
	FactoryId: Codec,
	BusName: Codec,
	Owners: Codec,
{
	/// Whether the runtime at `at` has `EnergyBusApi` below `version`: its methods changed in
	/// `version` are then called by their `*_before_version_*` names.
	fn api_version_below(&self, at: Block::Hash, version: u32) -> RpcResult<bool> {
		let found = self
			.client
			.runtime_api()
			.api_version::<dyn EnergyBusRuntimeApi<
				Block,
				AccountId,
				Balance,
				BlockNumber,
				FactoryId,
				BusName,
				Owners,
			>>(at)
			.map_err(runtime_error)?;
		Ok(found.is_some_and(|found| found < version))
	}
}

impl<C, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>
	EnergyBus<C, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
	C::Api: EnergyBusRuntimeApi<Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>,
	AccountId: Codec + FromStr,
	Balance: Codec + sp_runtime::traits::Zero,
	BlockNumber: Codec,
	FactoryId: Codec,
	BusName: Codec,
	Owners: Codec,
{
	/// Answers an auction query at `at` (default: the best block) with `query`, or with `none`
	/// at a block whose runtime has no auctions (`EnergyBusApi` before version 5).
	fn auctions<R>(
		&self,
		at: Option<Block::Hash>,
		none: R,
		query: impl FnOnce(&C::Api, Block::Hash) -> Result<R, sp_api::ApiError>,
	) -> RpcResult<R> {
		let at = self.at(at);
		if self.api_version_below(at, 5)? {
			return Ok(none);
		}
		query(&self.client.runtime_api(), at).map_err(runtime_error)
	}

	/// Answers a query of rounds at `at` (default: the best block): `none` before auctions
	/// (`EnergyBusApi` before version 5), `old` converted with `convert` before grid fees
	/// (version 5), else `query`.
	fn rounds<R, Old>(
		&self,
		at: Option<Block::Hash>,
		none: R,
		old: impl FnOnce(&C::Api, Block::Hash) -> Result<Old, sp_api::ApiError>,
		convert: impl FnOnce(Old) -> R,
		query: impl FnOnce(&C::Api, Block::Hash) -> Result<R, sp_api::ApiError>,
	) -> RpcResult<R> {
		let at = self.at(at);
		if self.api_version_below(at, 5)? {
			return Ok(none);
		}
		let api = self.client.runtime_api();
		if self.api_version_below(at, 6)? {
			return old(&api, at).map(convert).map_err(runtime_error);
		}
		query(&api, at).map_err(runtime_error)
	}

	/// A round at `at`, in the current layout (no grid fee before `EnergyBusApi` version 6).
	fn round_at(
		&self,
		at: Option<Block::Hash>,
		round_id: RoundId,
	) -> RpcResult<Option<Round<Balance, BlockNumber>>> {
		#[allow(deprecated)]
		self.rounds(
			at,
			None,
			|api, at| api.round_before_version_6(at, round_id),
			|round| round.map(|round| round.with_no_fee()),
			|api, at| api.round(at, round_id),
		)
	}

	/// Answers a grid-fee query at `at` with `query`, or with `none` before grid fees
	/// (`EnergyBusApi` before version 6).
	fn fees<R>(
		&self,
		at: Option<Block::Hash>,
		none: R,
		query: impl FnOnce(&C::Api, Block::Hash) -> Result<R, sp_api::ApiError>,
	) -> RpcResult<R> {
		let at = self.at(at);
		if self.api_version_below(at, 6)? {
			return Ok(none);
		}
		query(&self.client.runtime_api(), at).map_err(runtime_error)
	}
}

impl<C, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>
	EnergyBusApiServer<Block::Hash>
	for EnergyBus<C, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: EnergyBusRuntimeApi<Block, AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>,
	AccountId: Codec + Display + FromStr + Send + Sync + 'static,
	Balance:
		Codec + Display + sp_runtime::traits::AtLeast32BitUnsigned + Copy + Send + Sync + 'static,
	BlockNumber: Codec + Into<u64> + Send + Sync + 'static,
	FactoryId: Codec + AsRef<[u8]> + Send + Sync + 'static,
	BusName: Codec + AsRef<[u8]> + Send + Sync + 'static,
	Owners: Codec + AsRef<[AccountId]> + Send + Sync + 'static,
{
	fn get_bus_details(
		&self,
		bus_id: BusId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<BusJson>> {
		let details =
			self.client.runtime_api().bus_details(self.at(at), bus_id).map_err(runtime_error)?;
		Ok(details.map(|(bus, _available_wh)| bus_json(bus)))
	}

	fn get_buses(
		&self,
		start_after: Option<BusId>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<BusPageJson> {
		let page: BusPage<Bus<AccountId, Balance, BlockNumber, BusName, Owners>> = self
			.client
			.runtime_api()
			.buses(self.at(at), start_after, limit.unwrap_or(MAX_PAGE))
			.map_err(runtime_error)?;
		Ok(BusPageJson {
			buses: page.buses.into_iter().map(bus_json).collect(),
			next_start_after: page.next_start_after,
		})
	}

	fn get_user_buses(&self, account: String, at: Option<Block::Hash>) -> RpcResult<Vec<BusId>> {
		let who = Self::account(account)?;
		self.client.runtime_api().user_buses(self.at(at), who).map_err(runtime_error)
	}

	fn get_bus_active_offers(
		&self,
		bus_id: BusId,
		start_after: Option<OfferId>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<OfferJson>> {
		let (api, at) = (self.client.runtime_api(), self.at(at));
		let limit = limit.unwrap_or(MAX_PAGE);
		if self.api_version_below(at, 4)? {
			#[allow(deprecated)]
			let offers = api
				.bus_active_offers_before_version_4(at, bus_id, start_after, limit)
				.map_err(runtime_error)?;
			return Ok(offers
				.into_iter()
				.map(|offer| old_offer_json(offer, None, "0".into()))
				.collect());
		}
		if self.api_version_below(at, 6)? {
			#[allow(deprecated)]
			let offers = api
				.bus_active_offers_before_version_6(at, bus_id, start_after, limit)
				.map_err(runtime_error)?;
			return Ok(offers.into_iter().map(|offer| offer_json(offer.with_no_fee())).collect());
		}
		let offers =
			api.bus_active_offers(at, bus_id, start_after, limit).map_err(runtime_error)?;
		Ok(offers.into_iter().map(offer_json).collect())
	}

	fn get_user_bus_offers(
		&self,
		account: String,
		bus_id: BusId,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<OfferJson>> {
		let who = Self::account(account)?;
		let (api, at) = (self.client.runtime_api(), self.at(at));
		if self.api_version_below(at, 4)? {
			#[allow(deprecated)]
			let offers = api.user_bus_offers_before_version_4(at, who, bus_id).map_err(runtime_error)?;
			return Ok(offers
				.into_iter()
				.map(|offer| old_offer_json(offer, None, "0".into()))
				.collect());
		}
		if self.api_version_below(at, 6)? {
			#[allow(deprecated)]
			let offers = api.user_bus_offers_before_version_6(at, who, bus_id).map_err(runtime_error)?;
			return Ok(offers.into_iter().map(|offer| offer_json(offer.with_no_fee())).collect());
		}
		let offers = api.user_bus_offers(at, who, bus_id).map_err(runtime_error)?;
		Ok(offers.into_iter().map(offer_json).collect())
	}

	fn get_account_offers(
		&self,
		account: String,
		start_after: Option<OfferId>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<OfferJson>> {
		let who = Self::account(account)?;
		let (api, at) = (self.client.runtime_api(), self.at(at));
		let limit = limit.unwrap_or(MAX_PAGE);
		if self.api_version_below(at, 4)? {
			#[allow(deprecated)]
			let offers = api
				.account_offers_before_version_4(at, who, start_after, limit)
				.map_err(runtime_error)?;
			return Ok(offers
				.into_iter()
				.map(|offer| old_offer_json(offer, None, "0".into()))
				.collect());
		}
		if self.api_version_below(at, 6)? {
			#[allow(deprecated)]
			let offers = api
				.account_offers_before_version_6(at, who, start_after, limit)
				.map_err(runtime_error)?;
			return Ok(offers.into_iter().map(|offer| offer_json(offer.with_no_fee())).collect());
		}
		let offers = api.account_offers(at, who, start_after, limit).map_err(runtime_error)?;
		Ok(offers.into_iter().map(offer_json).collect())
	}

	fn get_offer_locks(
		&self,
		offer_id: OfferId,
		at: Option<Block::Hash>,
	) -> RpcResult<OfferLocksJson> {
		let (api, at) = (self.client.runtime_api(), self.at(at));
		if self.api_version_below(at, 3)? {
			#[allow(deprecated)]
			let (locked_wh, locks) =
				api.offer_locks_before_version_3(at, offer_id).map_err(runtime_error)?;
			let locks = locks.into_iter().map(|lock| lock_json(lock, None)).collect();
			return Ok(OfferLocksJson { locked_wh, locks });
		}
		let (locked_wh, locks) = api.offer_locks(at, offer_id).map_err(runtime_error)?;
		let locks = locks
			.into_iter()
			.map(|lock: Lock<AccountId, Balance, BlockNumber, FactoryId>| {
				let Lock {
					id,
					offer_id,
					holder,
					factory,
					energy_wh,
					price_per_kwh,
					held,
					expires_at,
				} = lock;
				let factory = Some(text(factory.as_ref()));
				let fields =
					OldLock { id, offer_id, holder, energy_wh, price_per_kwh, held, expires_at };
				lock_json(fields, factory)
			})
			.collect();
		Ok(OfferLocksJson { locked_wh, locks })
	}

	fn is_transaction_processed(&self, receipt: H256, at: Option<Block::Hash>) -> RpcResult<bool> {
		self.client
			.runtime_api()
			.is_transaction_processed(self.at(at), receipt)
			.map_err(runtime_error)
	}

	fn get_market_nonce(&self, account: String, at: Option<Block::Hash>) -> RpcResult<MarketNonce> {
		let who = Self::account(account)?;
		self.client.runtime_api().market_nonce(self.at(at), who).map_err(runtime_error)
	}

	fn get_purchases(
		&self,
		account: String,
		start_after: Option<PurchaseId>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<PurchaseJson>> {
		let who = Self::account(account)?;
		let (api, at) = (self.client.runtime_api(), self.at(at));
		let limit = limit.unwrap_or(MAX_PAGE);
		let purchases: Vec<Purchase<AccountId, Balance, BlockNumber, FactoryId>> =
			if self.api_version_below(at, 6)? {
				#[allow(deprecated)]
				let purchases = api
					.purchases_before_version_6(at, who, start_after, limit)
					.map_err(runtime_error)?;
				purchases.into_iter().map(|purchase| purchase.with_no_fee()).collect()
			} else {
				api.purchases(at, who, start_after, limit).map_err(runtime_error)?
			};
		Ok(purchases
			.into_iter()
			.map(|purchase| PurchaseJson {
				id: purchase.id,
				offer_id: purchase.offer_id,
				bus_id: purchase.bus_id,
				buyer: purchase.buyer.to_string(),
				seller: purchase.seller.to_string(),
				into_factory: text(purchase.into_factory.as_ref()),
				energy_wh: purchase.energy_wh,
				price_per_kwh: purchase.price_per_kwh.to_string(),
				total_price: purchase.total_price.to_string(),
				grid_fee: purchase.grid_fee.to_string(),
				block: purchase.block.into(),
				receipt: format!("{:?}", purchase.receipt),
			})
			.collect())
	}

	fn get_auction_settings(
		&self,
		bus_id: BusId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<AuctionSettingsJson>> {
		let settings: Option<AuctionSettings<Balance>> =
			self.auctions(at, None, |api, at| api.auction_settings(at, bus_id))?;
		Ok(settings.map(|settings| AuctionSettingsJson {
			round_length: settings.round_length,
			tick_size: settings.tick_size.to_string(),
			ticks: settings.ticks,
		}))
	}

	fn get_current_round(
		&self,
		bus_id: BusId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<RoundJson>> {
		#[allow(deprecated)]
		let round = self.rounds(
			at,
			None,
			|api, at| api.current_round_before_version_6(at, bus_id),
			|round| round.map(|round| round.with_no_fee()),
			|api, at| api.current_round(at, bus_id),
		)?;
		Ok(round.map(round_json))
	}

	fn get_round(
		&self,
		round_id: RoundId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<RoundJson>> {
		Ok(self.round_at(at, round_id)?.map(round_json))
	}

	fn get_round_book(
		&self,
		round_id: RoundId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<RoundBookJson>> {
		let at = Some(self.at(at));
		let book = self.auctions(at, None, |api, at| api.round_book(at, round_id))?;
		let Some((round, book)) = self.round_at(at, round_id)?.zip(book) else { return Ok(None) };
		// The grid's prices, as the runtime computes them: base + tick × tick size.
		let price = |tick: usize| {
			let steps = round.tick_size.saturating_mul(Balance::from(tick as u32));
			round.base_price_per_kwh.saturating_add(steps).to_string()
		};
		let levels = book
			.bids
			.iter()
			.zip(book.asks.iter())
			.enumerate()
			.filter(|(_, (bid_wh, ask_wh))| **bid_wh > 0 || **ask_wh > 0)
			.map(|(tick, (bid_wh, ask_wh))| BookLevelJson {
				tick: tick as u16,
				price_per_kwh: price(tick),
				bid_wh: *bid_wh,
				ask_wh: *ask_wh,
			})
			.collect();
		Ok(Some(RoundBookJson { round_id, levels }))
	}

	fn get_round_results(
		&self,
		bus_id: BusId,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<RoundJson>> {
		#[allow(deprecated)]
		let rounds = self.rounds(
			at,
			Vec::new(),
			|api, at| api.round_results_before_version_6(at, bus_id),
			|rounds| rounds.into_iter().map(|round| round.with_no_fee()).collect(),
			|api, at| api.round_results(at, bus_id),
		)?;
		Ok(rounds.into_iter().map(round_json).collect())
	}

	fn get_account_orders(
		&self,
		account: String,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<OrderJson>> {
		let who = Self::account(account)?;
		let orders = self.auctions(at, Vec::new(), |api, at| api.account_orders(at, who))?;
		Ok(orders.into_iter().map(order_json).collect())
	}

	fn get_grid_fee(
		&self,
		bus_id: BusId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<GridFeeJson>> {
		let pot: Option<GridFee<Balance>> =
			self.fees(at, None, |api, at| api.grid_fee(at, bus_id))?;
		Ok(pot.map(|pot| GridFeeJson {
			per_kwh: pot.per_kwh.to_string(),
			total_shares: pot.total_shares,
			members: pot.members,
			unclaimed: pot.unclaimed.to_string(),
		}))
	}

	fn get_claimable_grid_fees(
		&self,
		account: String,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<ClaimableFeesJson>> {
		let who = Self::account(account)?;
		let claimable: Vec<ClaimableFees<Balance>> =
			self.fees(at, Vec::new(), |api, at| api.claimable_grid_fees(at, who))?;
		Ok(claimable
			.into_iter()
			.map(|part| ClaimableFeesJson {
				bus_id: part.bus_id,
				shares: part.shares,
				amount: part.amount.to_string(),
			})
			.collect())
	}
}
