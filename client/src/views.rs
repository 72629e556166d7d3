//! Plain, serializable views of the chain's records, in the project's one JSON convention
//! (`docs/json.md`): names in camelCase, ids and energy (Wh) as numbers, factory ids and names as
//! text, accounts as SS58 strings, hashes as 0x hex, and amounts of money (plancks, which can
//! exceed the 2^53 that JSON numbers hold exactly) as decimal strings. Both the library's
//! queries and the `--json` output of `energy-cli` use them; the node's `energy_*` RPC answers the
//! same shapes.

use std::fmt;

use serde::{Deserialize, Serialize};
use subxt::{
	events::{Events, Phase},
	ext::{
		scale_decode::Field,
		scale_value::{Composite, Primitive, Value, ValueDef},
	},
	metadata::Metadata,
};

use crate::{
	ids::{BusId, FactoryId, LockId, OfferId, OrderId, ProposalId, PurchaseId, RoundId, TradeId},
	runtime::runtime_types::{
		bounded_collections::bounded_vec::BoundedVec, pallet_energy_bus::types as bus,
		pallet_energy_trading::types as trading,
	},
	AccountId, Balance, ChainConfig, EnergyWh,
};

pub(crate) fn text(bytes: &BoundedVec<u8>) -> String {
	String::from_utf8_lossy(&bytes.0).into_owned()
}

/// An amount of money in JSON: a decimal string, as amounts can exceed what a JSON number
/// holds exactly.
pub(crate) mod amount {
	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(amount: &u128, to: S) -> Result<S::Ok, S::Error> {
		to.serialize_str(&amount.to_string())
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<u128, D::Error> {
		String::deserialize(from)?.parse().map_err(serde::de::Error::custom)
	}

	/// An optional amount: a decimal string or `null`.
	pub mod optional {
		use serde::{Deserialize, Deserializer, Serializer};

		pub fn serialize<S: Serializer>(amount: &Option<u128>, to: S) -> Result<S::Ok, S::Error> {
			match amount {
				Some(amount) => super::serialize(amount, to),
				None => to.serialize_none(),
			}
		}

		pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Option<u128>, D::Error> {
			Option::<String>::deserialize(from)?
				.map(|text| text.parse().map_err(serde::de::Error::custom))
				.transpose()
		}
	}
}

/// Declares a view of one of the chain's enums: its variants, written as in Rust for people
/// (`Solar`) and in camelCase in JSON (`solar`).
macro_rules! view_enum {
	($(#[$doc:meta])* $name:ident from $chain:path { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
		$(#[$doc])*
		#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
		#[serde(rename_all = "camelCase")]
		pub enum $name {
			$($(#[$vdoc])* $variant),+
		}

		impl fmt::Display for $name {
			fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
				fmt::Debug::fmt(self, f)
			}
		}

		impl From<$chain> for $name {
			fn from(value: $chain) -> Self {
				use $chain as C;
				match value {
					$(C::$variant => Self::$variant),+
				}
			}
		}
	};
}

/// What a factory produces (the type generated from the metadata).
pub use crate::runtime::runtime_types::pallet_energy_trading::types::EnergyType;

/// Reads an energy type by name, in any case: solar, wind, hydro, kinetic, biomass, geothermal,
/// storage or other.
pub fn parse_energy_type(name: &str) -> Result<EnergyType, crate::Error> {
	Ok(match name.to_ascii_lowercase().as_str() {
		"solar" => EnergyType::Solar,
		"wind" => EnergyType::Wind,
		"hydro" => EnergyType::Hydro,
		"kinetic" => EnergyType::Kinetic,
		"biomass" => EnergyType::Biomass,
		"geothermal" => EnergyType::Geothermal,
		"storage" => EnergyType::Storage,
		"other" => EnergyType::Other,
		_ => {
			return Err(crate::Error::Invalid(format!(
				"unknown energy type {name:?}; use solar, wind, hydro, kinetic, biomass, \
				 geothermal, storage or other"
			)))
		},
	})
}

/// An energy type's name, as people read it: `Solar`.
pub fn energy_type_name(energy_type: &EnergyType) -> String {
	format!("{energy_type:?}")
}

/// An energy type in JSON: its name in camelCase, `solar`.
mod energy_type_json {
	use serde::{Deserialize, Deserializer, Serializer};

	use super::EnergyType;

	pub fn serialize<S: Serializer>(energy_type: &EnergyType, to: S) -> Result<S::Ok, S::Error> {
		to.serialize_str(&super::energy_type_name(energy_type).to_ascii_lowercase())
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<EnergyType, D::Error> {
		super::parse_energy_type(&String::deserialize(from)?).map_err(serde::de::Error::custom)
	}
}

view_enum!(
	/// Where a bilateral trade stands.
	TradeStatus from trading::TradeStatus {
		/// Created; its energy is in escrow until the buyer executes it or either side cancels.
		Pending,
		/// Executed: paid and delivered.
		Completed,
		/// Cancelled or rejected; the energy went back to the seller.
		Cancelled,
	}
);

view_enum!(
	/// Where an offer stands.
	OfferStatus from bus::OfferStatus {
		/// Open for purchases and locks.
		Open,
		/// Cancelled by its seller (it stays listed while locks on it live).
		Cancelled,
		/// Sold out.
		Closed,
	}
);

/// Millijoules in a Wh: the ledger counts a factory's generation allowance in mJ (1 W for
/// 1 ms), so that rated power × time is exact.
const MJ_PER_WH: u64 = 3_600_000;

/// A factory on the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactoryView {
	/// Its id, e.g. `Factory01`.
	pub id: FactoryId,
	/// Its display name.
	pub name: String,
	/// What it produces.
	#[serde(with = "energy_type_json")]
	pub energy_type: EnergyType,
	/// Its owner.
	pub owner: AccountId,
	/// The account that reports its generation and consumption.
	pub meter: AccountId,
	/// Its energy, in Wh.
	pub energy_wh: EnergyWh,
	/// The block it was registered in.
	pub registered_at: u32,
}

/// A factory's rating: its rated power, and what its meter may report as generated now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RatingView {
	/// Its rated peak power, in W: its meter reports at most a day's production at this
	/// power at once, refilled as time passes.
	pub rated_power_w: u32,
	/// What its meter may report as generated now (at the queried block's time), in Wh.
	pub generation_allowance_wh: EnergyWh,
}

impl From<trading::FactoryRating> for RatingView {
	fn from(rating: trading::FactoryRating) -> Self {
		Self {
			rated_power_w: rating.rated_power_w,
			generation_allowance_wh: rating.allowance.available_mj / MJ_PER_WH,
		}
	}
}

impl From<trading::Factory<AccountId, u32, BoundedVec<u8>, BoundedVec<u8>>> for FactoryView {
	fn from(f: trading::Factory<AccountId, u32, BoundedVec<u8>, BoundedVec<u8>>) -> Self {
		Self {
			id: FactoryId::decoded(&f.id),
			name: text(&f.name),
			energy_type: f.energy_type,
			owner: f.owner,
			meter: f.meter,
			energy_wh: f.energy_wh,
			registered_at: f.registered_at,
		}
	}
}

/// What a trade costs to keep, and how long a finished one stays on chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TradeTermsView {
	/// What a pending trade holds from the seller's owner who created it, until it is executed
	/// or cancelled, in plancks.
	#[serde(with = "amount")]
	pub deposit: Balance,
	/// The most pending trades one factory may have opened as seller.
	pub max_pending: u32,
	/// How many blocks an executed or cancelled trade stays readable.
	pub retention_blocks: u32,
}

/// A bilateral trade.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TradeView {
	/// Its id.
	pub id: TradeId,
	/// The selling factory.
	pub seller: FactoryId,
	/// The buying factory.
	pub buyer: FactoryId,
	/// The energy traded, in Wh.
	pub energy_wh: EnergyWh,
	/// The price of one kWh, in plancks.
	#[serde(with = "amount")]
	pub price_per_kwh: Balance,
	/// What the buyer pays, in plancks.
	#[serde(with = "amount")]
	pub total_price: Balance,
	/// When it was created (Unix ms).
	pub created_at: u64,
	/// When it settled (Unix ms), if it did.
	pub settled_at: Option<u64>,
	/// Where it stands.
	pub status: TradeStatus,
}

impl From<trading::Trade<BoundedVec<u8>, Balance>> for TradeView {
	fn from(t: trading::Trade<BoundedVec<u8>, Balance>) -> Self {
		Self {
			id: TradeId(t.id),
			seller: FactoryId::decoded(&t.seller),
			buyer: FactoryId::decoded(&t.buyer),
			energy_wh: t.energy_wh,
			price_per_kwh: t.price_per_kwh,
			total_price: t.total_price,
			created_at: t.created_at,
			settled_at: t.settled_at,
			status: t.status.into(),
		}
	}
}

/// One change of a factory's balance, from the node's history index
/// (`energy_getFactoryHistory`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRecordView {
	/// What happened, in camelCase: `genesis`, `registered`, `minted`, `consumed`,
	/// `transferredOut`, `transferredIn`, `tradeCreated`, `tradeSold`, `tradeBought`,
	/// `tradeCancelled`, `escrowed`, `escrowReturned`, `marketSold`, `marketBought`.
	pub kind: String,
	/// The other factory, if any.
	pub counterparty: Option<FactoryId>,
	/// The trade, if any.
	pub trade_id: Option<TradeId>,
	/// The energy moved, in Wh.
	pub energy_wh: EnergyWh,
	/// The money paid or received, in plancks, for trades.
	#[serde(with = "amount::optional")]
	pub total_price: Option<Balance>,
	/// The factory's balance afterwards, in Wh.
	pub balance_wh: EnergyWh,
	/// The block.
	pub block: u32,
	/// The block's hash.
	pub block_hash: String,
	/// The block's time (Unix ms).
	pub time: u64,
	/// Whether the block is final; a record that is not may still go away.
	#[serde(rename = "final")]
	pub is_final: bool,
}

/// An energy bus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusView {
	/// Its id.
	pub id: BusId,
	/// Its name.
	pub name: String,
	/// Its co-owners.
	pub owners: Vec<AccountId>,
	/// How many owners must ask for a change.
	pub approval_threshold: u32,
	/// Its capacity, in Wh.
	pub capacity_wh: EnergyWh,
	/// The energy its offers carry (open ones, and cancelled ones while locks on them live),
	/// in Wh.
	pub committed_wh: EnergyWh,
	/// Capacity left for new offers, in Wh.
	pub available_wh: EnergyWh,
	/// Its reserve price per kWh, in plancks.
	#[serde(with = "amount")]
	pub base_price_per_kwh: Balance,
	/// How many offers it lists: open ones, and cancelled ones while locks on them live.
	pub open_offers: u32,
	/// Who created it and paid the deposit.
	pub creator: AccountId,
	/// The deposit held, in plancks.
	#[serde(with = "amount")]
	pub deposit: Balance,
	/// The block it was created in.
	pub created_at: u32,
}

type RawBus = bus::Bus<AccountId, Balance, u32, BoundedVec<u8>, BoundedVec<AccountId>>;

impl From<(RawBus, EnergyWh)> for BusView {
	fn from((b, available_wh): (RawBus, EnergyWh)) -> Self {
		Self {
			id: BusId(b.id),
			name: text(&b.name),
			owners: b.owners.0,
			approval_threshold: b.approval_threshold,
			capacity_wh: b.capacity_wh,
			committed_wh: b.committed_wh,
			available_wh,
			base_price_per_kwh: b.base_price_per_kwh,
			open_offers: b.open_offers,
			creator: b.creator,
			deposit: b.deposit,
			created_at: b.created_at,
		}
	}
}

impl From<RawBus> for BusView {
	/// A bus as a listing returns it: its free capacity is capacity − committed.
	fn from(b: RawBus) -> Self {
		let available_wh = b.capacity_wh.saturating_sub(b.committed_wh);
		Self::from((b, available_wh))
	}
}

/// One page of the listing of all buses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusPageView {
	/// The buses found, in id order.
	pub buses: Vec<BusView>,
	/// The `start_after` of the next page, or `None` after the last page. A page may hold
	/// fewer buses than asked for (the ids of closed buses are gaps) and still have a next one.
	pub next_start_after: Option<BusId>,
}

/// An offer of energy on a bus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferView {
	/// Its id.
	pub id: OfferId,
	/// The bus.
	pub bus_id: BusId,
	/// The seller.
	pub seller: AccountId,
	/// The factory the energy came from.
	pub factory: FactoryId,
	/// The energy offered at first, in Wh.
	pub energy_wh: EnergyWh,
	/// The energy anyone can buy now, in Wh.
	pub available_wh: EnergyWh,
	/// The energy under live locks, in Wh.
	pub locked_wh: EnergyWh,
	/// The energy sold so far, in Wh.
	pub sold_wh: EnergyWh,
	/// The asking price per kWh, in plancks.
	#[serde(with = "amount")]
	pub price_per_kwh: Balance,
	/// The grid fee per kWh a buyer pays the bus's owners on top of the price, in plancks
	/// (the bus's when the offer was made): a buyer's price guard bounds price plus fee.
	#[serde(with = "amount")]
	pub grid_fee_per_kwh: Balance,
	/// How many live locks it has.
	pub locks: u32,
	/// Where it stands.
	pub status: OfferStatus,
	/// The block it was created in.
	pub created_at: u32,
	/// Its last block: it can be bought or locked up to this block, then it ends unsold.
	pub expires_at: u32,
}

impl From<bus::Offer<AccountId, Balance, u32, BoundedVec<u8>>> for OfferView {
	fn from(o: bus::Offer<AccountId, Balance, u32, BoundedVec<u8>>) -> Self {
		Self {
			id: OfferId(o.id),
			bus_id: BusId(o.bus_id),
			seller: o.seller,
			factory: FactoryId::decoded(&o.factory),
			energy_wh: o.energy_wh,
			available_wh: o.available_wh,
			locked_wh: o.locked_wh,
			sold_wh: o.sold_wh,
			price_per_kwh: o.price_per_kwh,
			grid_fee_per_kwh: o.grid_fee_per_kwh,
			locks: o.locks,
			status: o.status.into(),
			created_at: o.created_at,
			expires_at: o.expires_at,
		}
	}
}

/// A buyer's lock on part of an offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockView {
	/// Its id.
	pub id: LockId,
	/// The offer.
	pub offer_id: OfferId,
	/// The buyer holding it.
	pub holder: AccountId,
	/// The holder's factory it is for: a purchase through it delivers there.
	pub factory: FactoryId,
	/// The energy reserved, in Wh.
	pub energy_wh: EnergyWh,
	/// The price per kWh it keeps, in plancks.
	#[serde(with = "amount")]
	pub price_per_kwh: Balance,
	/// The payment held, in plancks.
	#[serde(with = "amount")]
	pub held: Balance,
	/// The last block it can be used in.
	pub expires_at: u32,
}

impl From<bus::Lock<AccountId, Balance, u32, BoundedVec<u8>>> for LockView {
	fn from(l: bus::Lock<AccountId, Balance, u32, BoundedVec<u8>>) -> Self {
		Self {
			id: LockId(l.id),
			offer_id: OfferId(l.offer_id),
			holder: l.holder,
			factory: FactoryId::decoded(&l.factory),
			energy_wh: l.energy_wh,
			price_per_kwh: l.price_per_kwh,
			held: l.held,
			expires_at: l.expires_at,
		}
	}
}

/// An offer's live locks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferLocksView {
	/// The energy they hold, in Wh.
	pub locked_wh: EnergyWh,
	/// The locks.
	pub locks: Vec<LockView>,
}

/// A purchase on the market, kept with its receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseView {
	/// Its id.
	pub id: PurchaseId,
	/// The offer.
	pub offer_id: OfferId,
	/// The bus.
	pub bus_id: BusId,
	/// The buyer.
	pub buyer: AccountId,
	/// The seller.
	pub seller: AccountId,
	/// The factory that received the energy.
	pub into_factory: FactoryId,
	/// The energy bought, in Wh.
	pub energy_wh: EnergyWh,
	/// The price per kWh, in plancks.
	#[serde(with = "amount")]
	pub price_per_kwh: Balance,
	/// What the buyer paid the seller, in plancks.
	#[serde(with = "amount")]
	pub total_price: Balance,
	/// The grid fee the buyer paid the bus's owners on top, in plancks.
	#[serde(with = "amount")]
	pub grid_fee: Balance,
	/// The block.
	pub block: u32,
	/// The receipt hash of the buying call.
	pub receipt: crate::Hash,
}

impl From<bus::Purchase<AccountId, Balance, u32, BoundedVec<u8>>> for PurchaseView {
	fn from(p: bus::Purchase<AccountId, Balance, u32, BoundedVec<u8>>) -> Self {
		Self {
			id: PurchaseId(p.id),
			offer_id: OfferId(p.offer_id),
			bus_id: BusId(p.bus_id),
			buyer: p.buyer,
			seller: p.seller,
			into_factory: FactoryId::decoded(&p.into_factory),
			energy_wh: p.energy_wh,
			price_per_kwh: p.price_per_kwh,
			total_price: p.total_price,
			grid_fee: p.grid_fee,
			block: p.block,
			receipt: p.receipt,
		}
	}
}

/// A bus change waiting for more owners' approvals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProposalView {
	/// Its id (what `bus approve` takes).
	pub id: ProposalId,
	/// The change, e.g. `AddOwner(5FLSigC9…)` or `SetCapacity(1000000 Wh)`.
	pub change: String,
	/// The owners who asked for it so far.
	pub approvals: Vec<AccountId>,
	/// The last block it can still be approved in.
	pub expires_at: u32,
}

/// How a bus change is described to people.
pub(crate) fn describe_change(change: &bus::BusChange<AccountId, Balance>) -> String {
	use bus::BusChange as C;
	match change {
		C::AddOwner(who) => format!("AddOwner({who})"),
		C::RemoveOwner(who) => format!("RemoveOwner({who})"),
		C::SetCapacity(wh) => format!("SetCapacity({wh} Wh)"),
		C::SetBasePrice(price) => format!("SetBasePrice({price} planck/kWh)"),
		C::SetApprovalThreshold(threshold) => format!("SetApprovalThreshold({threshold})"),
		C::Close => "Close".to_string(),
		C::SetAuction(Some(settings)) => format!(
			"SetAuction(rounds of {} blocks, {} ticks of {} planck/kWh)",
			settings.round_length, settings.ticks, settings.tick_size
		),
		C::SetAuction(None) => "SetAuction(off)".to_string(),
		C::SetGridFee(fee) => format!("SetGridFee({fee} planck/kWh)"),
		C::SetFeeShares(who, shares) => format!("SetFeeShares({who}, {shares})"),
	}
}

/// What a lock costs and how much of an offer it may take (`LockTerms`). Shares are in parts
/// per billion (10,000,000 is 1%).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockTermsView {
	/// The lock fee's share of the held payment, in parts per billion.
	pub fee_per_billion: u32,
	/// The least a lock fee is, in plancks.
	#[serde(with = "amount")]
	pub min_fee: Balance,
	/// The most of an offer's energy (as first offered) one lock may reserve, in parts per
	/// billion.
	pub max_share_per_billion: u32,
}

/// What locking energy of an offer would take (`lock_quote`), to show before signing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockQuoteView {
	/// The payment the lock holds, in plancks: back if it ends unused, the seller's if bought.
	#[serde(with = "amount")]
	pub held: Balance,
	/// The lock fee, in plancks: paid to the seller at once, never refunded.
	#[serde(with = "amount")]
	pub fee: Balance,
	/// The most energy one lock of this offer may reserve, in Wh.
	pub max_energy_wh: EnergyWh,
	/// The last block the lock could be used in, if taken in the next block.
	pub expires_at: u32,
}

/// The market parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarketParamsView {
	/// How many blocks a lock lasts.
	pub lock_duration: u32,
	/// How many blocks receipts stay queryable.
	pub receipt_retention: u32,
	/// How many blocks an owner proposal waits for approvals.
	pub proposal_lifetime: u32,
}

view_enum!(
	/// The side of an auction order.
	OrderSide from bus::Side {
		/// A buyer's order: energy wanted at most at its limit price.
		Bid,
		/// A seller's order: energy offered at least at its limit price.
		Ask,
	}
);

/// A bus's auction settings: a round every `round_length` blocks, with the prices
/// `base price + k × tick_size` for `k` in `0..ticks`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuctionSettingsView {
	/// How many blocks a round takes orders.
	pub round_length: u32,
	/// The step between two prices of the grid, per kWh, in plancks.
	#[serde(with = "amount")]
	pub tick_size: Balance,
	/// How many prices the grid has.
	pub ticks: u16,
}

impl From<bus::AuctionSettings<Balance>> for AuctionSettingsView {
	fn from(s: bus::AuctionSettings<Balance>) -> Self {
		Self { round_length: s.round_length, tick_size: s.tick_size, ticks: s.ticks }
	}
}

impl From<AuctionSettingsView> for bus::AuctionSettings<Balance> {
	fn from(s: AuctionSettingsView) -> Self {
		Self { round_length: s.round_length, tick_size: s.tick_size, ticks: s.ticks }
	}
}

/// A bus's grid fee and its pot (the shape of `energy_getGridFee`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GridFeeView {
	/// The fee per kWh that new offers and rounds of the bus carry, in plancks.
	#[serde(with = "amount")]
	pub per_kwh: Balance,
	/// The fee shares of the owners who earn now (each owner has 1 unless the owners set more).
	pub total_shares: u32,
	/// How many accounts have a part: the owners, and former owners who have not claimed yet.
	pub members: u32,
	/// The fees collected and not claimed yet, in plancks.
	#[serde(with = "amount")]
	pub unclaimed: Balance,
}

impl From<bus::GridFee<Balance>> for GridFeeView {
	fn from(fee: bus::GridFee<Balance>) -> Self {
		Self {
			per_kwh: fee.per_kwh,
			total_shares: fee.total_shares,
			members: fee.members,
			unclaimed: fee.unclaimed,
		}
	}
}

/// What an account may claim of one bus's grid fees (an item of
/// `energy_getClaimableGridFees`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimableFeesView {
	/// The bus.
	pub bus_id: BusId,
	/// The account's fee shares (0 for a former owner).
	pub shares: u16,
	/// What claiming would pay it now, in plancks.
	#[serde(with = "amount")]
	pub amount: Balance,
}

impl From<bus::ClaimableFees<Balance>> for ClaimableFeesView {
	fn from(fees: bus::ClaimableFees<Balance>) -> Self {
		Self { bus_id: BusId(fees.bus_id), shares: fees.shares, amount: fees.amount }
	}
}

/// Where an auction round stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RoundStatus {
	/// It takes orders up to its gate, then waits to clear.
	Open,
	/// It cleared at one price with a trade; its orders are settled (or were).
	Cleared,
	/// It cleared without a trade (no bid met an ask, or the bus had no free capacity); its
	/// orders get everything back.
	NoTrade,
}

impl fmt::Display for RoundStatus {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		fmt::Debug::fmt(self, f)
	}
}

/// A round of a bus's periodic double auction (the shape of `energy_getRound`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundView {
	/// Its id.
	pub id: RoundId,
	/// The bus.
	pub bus_id: BusId,
	/// The block it opened in.
	pub opened_at: u32,
	/// Its gate: the last block it takes orders (and cancellations) in; it clears in the next.
	pub gate_closes_at: u32,
	/// The price of its tick 0 per kWh, in plancks: the bus's base price when it opened.
	#[serde(with = "amount")]
	pub base_price_per_kwh: Balance,
	/// The step between two of its prices, per kWh, in plancks.
	#[serde(with = "amount")]
	pub tick_size: Balance,
	/// How many prices its grid has.
	pub ticks: u16,
	/// The grid fee per kWh its bids pay on what they get, in plancks (the bus's when it
	/// opened).
	#[serde(with = "amount")]
	pub grid_fee_per_kwh: Balance,
	/// The grid fees its settled bids paid, in plancks.
	#[serde(with = "amount")]
	pub grid_fees: Balance,
	/// How many orders it has (placed and not cancelled).
	pub orders: u32,
	/// How many of them are not settled yet.
	pub unsettled: u32,
	/// How many of the settled ones traded some energy.
	pub filled_orders: u32,
	/// The energy its bids ask for, in Wh.
	pub bid_wh: EnergyWh,
	/// The energy its asks offer, in Wh.
	pub ask_wh: EnergyWh,
	/// Where it stands.
	pub status: RoundStatus,
	/// The clearing price per kWh, in plancks, once it cleared with a trade.
	#[serde(with = "amount::optional")]
	pub price_per_kwh: Option<Balance>,
	/// The energy traded, in Wh, once it cleared (0 without a trade).
	pub volume_wh: Option<EnergyWh>,
}

impl RoundView {
	/// The price per kWh of its tick `tick`: `base + tick × tick_size`, in plancks.
	pub fn price_of_tick(&self, tick: u16) -> Balance {
		self.base_price_per_kwh.saturating_add(self.tick_size.saturating_mul(tick.into()))
	}

	/// Its highest price per kWh (the grid's last tick), in plancks.
	pub fn price_cap(&self) -> Balance {
		self.price_of_tick(self.ticks.saturating_sub(1))
	}
}

impl From<bus::Round<Balance, u32>> for RoundView {
	fn from(r: bus::Round<Balance, u32>) -> Self {
		let (status, price_per_kwh, volume_wh) = match r.status {
			bus::RoundStatus::Open => (RoundStatus::Open, None, None),
			bus::RoundStatus::Cleared(clearing) => {
				(RoundStatus::Cleared, Some(clearing.price_per_kwh), Some(clearing.volume_wh))
			},
			bus::RoundStatus::NoTrade => (RoundStatus::NoTrade, None, Some(0)),
		};
		Self {
			id: RoundId(r.id),
			bus_id: BusId(r.bus_id),
			opened_at: r.opened_at,
			gate_closes_at: r.gate_closes_at,
			base_price_per_kwh: r.base_price_per_kwh,
			tick_size: r.tick_size,
			ticks: r.ticks,
			grid_fee_per_kwh: r.grid_fee_per_kwh,
			grid_fees: r.grid_fees,
			orders: r.orders,
			unsettled: r.unsettled,
			filled_orders: r.filled_orders,
			bid_wh: r.bid_wh,
			ask_wh: r.ask_wh,
			status,
			price_per_kwh,
			volume_wh,
		}
	}
}

/// One price of an open round's book and the energy bid and asked there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookLevelView {
	/// The price's tick on the round's grid.
	pub tick: u16,
	/// The price per kWh, in plancks.
	#[serde(with = "amount")]
	pub price_per_kwh: Balance,
	/// The energy the bids with this limit ask for, in Wh.
	pub bid_wh: EnergyWh,
	/// The energy the asks with this limit offer, in Wh.
	pub ask_wh: EnergyWh,
}

/// An open round's book (the shape of `energy_getRoundBook`): the prices that hold orders,
/// lowest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundBookView {
	/// The round.
	pub round_id: RoundId,
	/// Its prices that hold orders, lowest first.
	pub levels: Vec<BookLevelView>,
}

impl RoundBookView {
	/// The book `book` of `round` (the runtime's energy per tick of each side), keeping the
	/// prices that hold orders.
	pub(crate) fn new(round: &RoundView, book: bus::RoundBook) -> Self {
		let levels = book
			.bids
			.iter()
			.zip(&book.asks)
			.enumerate()
			.filter(|(_, (bid_wh, ask_wh))| **bid_wh > 0 || **ask_wh > 0)
			.map(|(tick, (bid_wh, ask_wh))| {
				let tick = tick as u16;
				BookLevelView {
					tick,
					price_per_kwh: round.price_of_tick(tick),
					bid_wh: *bid_wh,
					ask_wh: *ask_wh,
				}
			})
			.collect();
		Self { round_id: round.id, levels }
	}
}

/// An unsettled auction order (the shape of `energy_getAccountOrders`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderView {
	/// Its id.
	pub id: OrderId,
	/// Its round.
	pub round_id: RoundId,
	/// The round's bus.
	pub bus_id: BusId,
	/// Who placed it.
	pub owner: AccountId,
	/// Bid or ask.
	pub side: OrderSide,
	/// A bid's factory receives the energy; an ask's gave it.
	pub factory: FactoryId,
	/// The energy, in Wh.
	pub energy_wh: EnergyWh,
	/// The limit price per kWh, in plancks: a bid pays at most this, an ask gets at least this.
	#[serde(with = "amount")]
	pub limit_price_per_kwh: Balance,
	/// A bid's payment at its limit plus the round's grid fee, held by the market account
	/// until settlement, in plancks (0 for an ask).
	#[serde(with = "amount")]
	pub escrow: Balance,
	/// The order deposit held from its owner until settlement, in plancks.
	#[serde(with = "amount")]
	pub deposit: Balance,
	/// The market nonce it was placed with (`None` for an order of the genesis config).
	pub nonce: Option<u64>,
}

impl From<bus::Order<AccountId, Balance, BoundedVec<u8>>> for OrderView {
	fn from(o: bus::Order<AccountId, Balance, BoundedVec<u8>>) -> Self {
		Self {
			id: OrderId(o.id),
			round_id: RoundId(o.round_id),
			bus_id: BusId(o.bus_id),
			owner: o.owner,
			side: o.side.into(),
			factory: FactoryId::decoded(&o.factory),
			energy_wh: o.energy_wh,
			limit_price_per_kwh: o.limit_price_per_kwh,
			escrow: o.escrow,
			deposit: o.deposit,
			nonce: o.nonce,
		}
	}
}

/// An event, decoded for display and JSON: its pallet, name and fields, written in the JSON
/// convention from the metadata's type of each field (names and enum values in camelCase,
/// 128-bit numbers such as amounts of money as decimal strings, byte strings as text or hex,
/// hashes as hex, accounts as SS58, sequences as arrays). To act on an event, decode it into the
/// types generated from the metadata instead ([`crate::TxOutcome::find`],
/// [`crate::EnergyClient::find_events`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
	/// The pallet, e.g. `EnergyTrading`.
	pub pallet: String,
	/// The event, e.g. `TradeExecuted`.
	pub name: String,
	/// Its fields.
	pub fields: serde_json::Value,
}

/// Decodes the events of one block, keeping those `keep` selects by extrinsic index.
pub(crate) fn decode_events(
	metadata: &Metadata,
	events: &Events<ChainConfig>,
	keep: impl Fn(&Phase) -> bool,
) -> Vec<EventView> {
	events
		.iter()
		.filter_map(Result::ok)
		.filter(|event| keep(&event.phase()))
		.map(|event| EventView {
			pallet: event.pallet_name().to_string(),
			name: event.event_name().to_string(),
			fields: event_fields(
				metadata,
				event.pallet_index(),
				event.event_index(),
				event.field_bytes(),
			)
			.unwrap_or(serde_json::Value::Null),
		})
		.collect()
}

/// An event's fields as JSON, decoded with their types from the metadata.
fn event_fields(
	metadata: &Metadata,
	pallet_index: u8,
	event_index: u8,
	mut bytes: &[u8],
) -> Option<serde_json::Value> {
	let variant =
		metadata.pallet_by_event_index(pallet_index)?.event_variant_by_index(event_index)?;
	let types = metadata.types();
	let mut fields =
		variant.fields.iter().map(|field| Field::new(field.ty.id, field.name.as_deref()));
	let composite =
		subxt::ext::scale_value::scale::decode_as_fields(&mut bytes, &mut fields, types).ok()?;
	let shape = |id: &u32| shape_of(types, *id);
	Some(composite_json(&composite, &shape))
}

/// How a value of some type is written in JSON, where its type decides and not its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonShape {
	/// A number of 128 bits or more (amounts of money): a decimal string.
	Wide,
	/// A byte string of any length (names, factory ids): text if it is printable UTF-8, hex
	/// otherwise.
	Bytes,
	/// A byte array of fixed length (hashes): hex.
	Hash,
	/// An account: SS58.
	Account,
	/// A sequence of anything but bytes: an array, whatever its length.
	Sequence,
	/// Anything else, written by its structure: structs as objects, enums by their variant,
	/// one-field wrappers unwrapped, other numbers as numbers.
	Other,
}

/// The shape of the type `id` (through compact encoding and one-field wrappers such as
/// bounded vectors).
fn shape_of(types: &scale_info::PortableRegistry, id: u32) -> JsonShape {
	use scale_info::{TypeDef, TypeDefPrimitive as P};
	let Some(ty) = types.resolve(id) else { return JsonShape::Other };
	if ty.path.segments.last().is_some_and(|name| name == "AccountId32") {
		return JsonShape::Account;
	}
	let is_byte = |id: u32| {
		matches!(types.resolve(id).map(|ty| &ty.type_def), Some(TypeDef::Primitive(P::U8)))
	};
	match &ty.type_def {
		TypeDef::Primitive(P::U128 | P::I128 | P::U256 | P::I256) => JsonShape::Wide,
		TypeDef::Compact(compact) => shape_of(types, compact.type_param.id),
		TypeDef::Sequence(sequence) if is_byte(sequence.type_param.id) => JsonShape::Bytes,
		TypeDef::Array(array) if is_byte(array.type_param.id) => JsonShape::Hash,
		TypeDef::Sequence(_) | TypeDef::Array(_) => JsonShape::Sequence,
		TypeDef::Composite(composite) if composite.fields.len() == 1 => {
			match shape_of(types, composite.fields[0].ty.id) {
				JsonShape::Sequence => JsonShape::Other, // a wrapper: unwrapped, then an array
				leaf => leaf,
			}
		},
		_ => JsonShape::Other,
	}
}

/// The events of the extrinsic at `index`.
pub(crate) fn extrinsic_events(
	metadata: &Metadata,
	events: &Events<ChainConfig>,
	index: u32,
) -> Vec<EventView> {
	decode_events(
		metadata,
		events,
		|phase| matches!(phase, Phase::ApplyExtrinsic(i) if *i == index),
	)
}

/// A SCALE value as JSON in the project's convention (`docs/json.md`), each part written as
/// `shape` says its type is.
pub fn to_json<T>(value: &Value<T>, shape: &dyn Fn(&T) -> JsonShape) -> serde_json::Value {
	use serde_json::Value as J;
	let leaf = match shape(&value.context) {
		JsonShape::Wide => wide_number(value).map(J::String),
		JsonShape::Bytes => flat_bytes(value).map(|bytes| text_or_hex(&bytes)),
		JsonShape::Hash => flat_bytes(value).map(|bytes| J::String(hex_of(&bytes))),
		JsonShape::Account => flat_bytes(value)
			.and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
			.map(|raw| J::String(AccountId::from(raw).to_string())),
		JsonShape::Sequence => match &value.value {
			ValueDef::Composite(Composite::Unnamed(values)) => {
				Some(J::Array(values.iter().map(|value| to_json(value, shape)).collect()))
			},
			_ => None,
		},
		JsonShape::Other => None,
	};
	if let Some(json) = leaf {
		return json;
	}
	match &value.value {
		ValueDef::Composite(composite) => composite_json(composite, shape),
		ValueDef::Variant(variant) => {
			let name = camel_case(&variant.name);
			match &variant.values {
				Composite::Unnamed(values) if values.is_empty() => J::String(name),
				values => serde_json::json!({ name: composite_json(values, shape) }),
			}
		},
		ValueDef::Primitive(Primitive::Bool(b)) => J::Bool(*b),
		ValueDef::Primitive(Primitive::Char(c)) => J::String(c.to_string()),
		ValueDef::Primitive(Primitive::String(s)) => J::String(s.clone()),
		// Not 128 bits wide by type, so at most 64: a JSON number, exact in the text.
		ValueDef::Primitive(Primitive::U128(n)) => {
			u64::try_from(*n).map(J::from).unwrap_or_else(|_| J::String(n.to_string()))
		},
		ValueDef::Primitive(Primitive::I128(n)) => {
			i64::try_from(*n).map(J::from).unwrap_or_else(|_| J::String(n.to_string()))
		},
		ValueDef::Primitive(Primitive::U256(bytes) | Primitive::I256(bytes)) => {
			J::String(hex_of(bytes))
		},
		ValueDef::BitSequence(bits) => J::String(format!("{bits:?}")),
	}
}

fn composite_json<T>(
	composite: &Composite<T>,
	shape: &dyn Fn(&T) -> JsonShape,
) -> serde_json::Value {
	match composite {
		Composite::Named(fields) => serde_json::Value::Object(
			fields.iter().map(|(name, value)| (camel_case(name), to_json(value, shape))).collect(),
		),
		// A one-field wrapper (a tuple struct) is its field.
		Composite::Unnamed(values) if values.len() == 1 => to_json(&values[0], shape),
		Composite::Unnamed(values) => {
			serde_json::Value::Array(values.iter().map(|value| to_json(value, shape)).collect())
		},
	}
}

/// The number inside a value (through one-field wrappers), as a decimal string.
fn wide_number<T>(value: &Value<T>) -> Option<String> {
	match &value.value {
		ValueDef::Primitive(Primitive::U128(n)) => Some(n.to_string()),
		ValueDef::Primitive(Primitive::I128(n)) => Some(n.to_string()),
		ValueDef::Composite(Composite::Unnamed(values)) if values.len() == 1 => {
			wide_number(&values[0])
		},
		_ => None,
	}
}

/// The bytes of a byte string or array (through one-field wrappers).
fn flat_bytes<T>(value: &Value<T>) -> Option<Vec<u8>> {
	match &value.value {
		ValueDef::Primitive(Primitive::U128(n)) => u8::try_from(*n).ok().map(|byte| vec![byte]),
		ValueDef::Composite(Composite::Unnamed(values)) => {
			let mut bytes = Vec::with_capacity(values.len());
			for value in values {
				bytes.extend(flat_bytes(value)?);
			}
			Some(bytes)
		},
		_ => None,
	}
}

fn hex_of(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

fn text_or_hex(bytes: &[u8]) -> serde_json::Value {
	match std::str::from_utf8(bytes) {
		Ok(text) if text.chars().all(|c| !c.is_control()) => text.into(),
		_ => hex_of(bytes).into(),
	}
}

/// `energy_wh` → `energyWh`, `BatchItemFailed` → `batchItemFailed`.
fn camel_case(name: &str) -> String {
	let mut out = String::with_capacity(name.len());
	let mut upper = false;
	for c in name.chars() {
		if c == '_' {
			upper = !out.is_empty();
		} else if out.is_empty() {
			out.extend(c.to_lowercase());
		} else if upper {
			out.extend(c.to_uppercase());
			upper = false;
		} else {
			out.push(c);
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A value whose context is the shape its type gives it.
	fn typed(value: Value, shape: JsonShape) -> Value<JsonShape> {
		Value { value: value.map_context(|()| JsonShape::Other).value, context: shape }
	}

	/// A composite of values that have their shapes already.
	fn composite(values: Vec<Value<JsonShape>>, shape: JsonShape) -> Value<JsonShape> {
		Value { value: ValueDef::Composite(Composite::Unnamed(values)), context: shape }
	}

	fn bytes(raw: &[u8]) -> Value {
		Value::unnamed_composite(raw.iter().map(|b| Value::u128(*b as u128)).collect::<Vec<_>>())
	}

	fn json_of(fields: Vec<(&str, Value<JsonShape>)>) -> serde_json::Value {
		let fields = fields.into_iter().map(|(name, value)| (name.to_string(), value)).collect();
		let event = Value {
			value: ValueDef::Composite(Composite::Named(fields)),
			context: JsonShape::Other,
		};
		to_json(&event, &|shape: &JsonShape| *shape)
	}

	#[test]
	fn event_fields_are_written_by_their_types() {
		let alice = [0xd4u8; 32];
		// One owner in a bounded vector (a wrapper of a sequence): still an array, of accounts.
		let owners = composite(
			vec![composite(vec![typed(bytes(&alice), JsonShape::Account)], JsonShape::Sequence)],
			JsonShape::Other,
		);
		let json = json_of(vec![
			(
				"factory_id",
				typed(Value::unnamed_composite([bytes(b"Factory01")]), JsonShape::Bytes),
			),
			("name", typed(bytes(&[0, 159, 146, 150]), JsonShape::Bytes)),
			("owner", typed(Value::unnamed_composite([bytes(&alice)]), JsonShape::Account)),
			// A 32-byte factory id is text, not an account.
			("buyer", typed(bytes(&[b'F'; 32]), JsonShape::Bytes)),
			("energy_wh", typed(Value::u128(500_000), JsonShape::Other)),
			("capacity_wh", typed(Value::u128(u64::MAX as u128 / 4), JsonShape::Other)),
			("total_price", typed(Value::u128(16_000_000_000_000_000), JsonShape::Wide)),
			("held", typed(Value::u128(5), JsonShape::Wide)),
			("energy_type", typed(Value::unnamed_variant("Solar", []), JsonShape::Other)),
			(
				"reason",
				typed(
					Value::named_variant("BatchItemFailed", [("index", Value::u128(1))]),
					JsonShape::Other,
				),
			),
			("receipt", typed(Value::unnamed_composite([bytes(&[7u8; 32])]), JsonShape::Hash)),
			("owners", owners),
		]);
		assert_eq!(json["factoryId"], "Factory01");
		assert_eq!(json["name"], "0x009f9296");
		assert_eq!(json["owner"], AccountId::from(alice).to_string());
		assert_eq!(json["buyer"], "F".repeat(32));
		assert_eq!(json["energyWh"], 500_000);
		// Not an amount of money by type: a number, exact in the JSON text.
		assert_eq!(json["capacityWh"], u64::MAX / 4);
		assert_eq!(json["totalPrice"], "16000000000000000");
		// An amount is a string whatever its value, so readers need not check.
		assert_eq!(json["held"], "5");
		assert_eq!(json["energyType"], "solar");
		assert_eq!(json["reason"], serde_json::json!({ "batchItemFailed": { "index": 1 } }));
		assert_eq!(json["receipt"], format!("0x{}", "07".repeat(32)));
		assert_eq!(json["owners"], serde_json::json!([AccountId::from(alice).to_string()]));
	}

	#[test]
	fn auction_views_have_the_shapes_of_the_rpc() {
		let raw = bus::Round {
			id: 3,
			bus_id: 1,
			opened_at: 40,
			gate_closes_at: 59,
			base_price_per_kwh: 60_000_000_000,
			tick_size: 5_000_000_000,
			ticks: 40,
			grid_fee_per_kwh: 5_000_000_000,
			grid_fees: 0,
			orders: 2,
			unsettled: 0,
			filled_orders: 0,
			bid_wh: 5_000,
			ask_wh: 7_000,
			escrowed_wh: 0,
			escrowed: 0,
			status: bus::RoundStatus::NoTrade,
		};
		let round = RoundView::from(raw.clone());
		assert_eq!((round.price_of_tick(2), round.price_cap()), (70_000_000_000, 255_000_000_000));
		let json = serde_json::to_value(&round).unwrap();
		assert_eq!((&json["status"], &json["volumeWh"]), (&"noTrade".into(), &0.into()));
		assert_eq!(
			(&json["pricePerKwh"], &json["tickSize"]),
			(&serde_json::Value::Null, &"5000000000".into())
		);
		assert_eq!(serde_json::from_value::<RoundView>(json).unwrap(), round);
		let open = RoundView::from(bus::Round { status: bus::RoundStatus::Open, ..raw });
		assert_eq!((open.status, open.volume_wh), (RoundStatus::Open, None));

		// The book keeps the prices that hold orders, lowest first.
		let book = RoundBookView::new(
			&round,
			bus::RoundBook { bids: vec![0, 5_000, 0], asks: vec![0, 0, 7_000] },
		);
		assert_eq!(
			serde_json::to_value(&book).unwrap(),
			serde_json::json!({ "roundId": 3, "levels": [
				{ "tick": 1, "pricePerKwh": "65000000000", "bidWh": 5_000, "askWh": 0 },
				{ "tick": 2, "pricePerKwh": "70000000000", "bidWh": 0, "askWh": 7_000 },
			] })
		);

		let order = OrderView {
			id: OrderId(4),
			round_id: RoundId(3),
			bus_id: BusId(1),
			owner: AccountId::from([1u8; 32]),
			side: OrderSide::Bid,
			factory: "Factory06".into(),
			energy_wh: 50_000,
			limit_price_per_kwh: 90_000_000_000,
			escrow: 4_500_000_000_000,
			deposit: 1_000_000_000_000,
			nonce: None,
		};
		let json = serde_json::to_value(&order).unwrap();
		assert_eq!(
			(&json["side"], &json["escrow"], &json["nonce"]),
			(&"bid".into(), &"4500000000000".into(), &serde_json::Value::Null)
		);
		assert_eq!(serde_json::from_value::<OrderView>(json).unwrap(), order);
		assert_eq!(OrderSide::Ask.to_string(), "Ask");
	}

	#[test]
	fn names_are_camel_case() {
		assert_eq!(camel_case("energy_wh"), "energyWh");
		assert_eq!(camel_case("max_price_per_kwh"), "maxPricePerKwh");
		assert_eq!(camel_case("who"), "who");
		assert_eq!(camel_case("NotEnoughEnergy"), "notEnoughEnergy");
	}
	#[test]
	fn views_follow_the_json_convention() {
		let lock = LockView {
			id: LockId(3),
			offer_id: OfferId(7),
			holder: AccountId::from([1u8; 32]),
			factory: "Factory04".into(),
			energy_wh: 1_000,
			price_per_kwh: 30_000_000_000_000,
			held: 30_000_000_000_000,
			expires_at: 90,
		};
		let json = serde_json::to_value(&lock).unwrap();
		assert_eq!(json["offerId"], 7);
		assert_eq!(json["pricePerKwh"], "30000000000000");
		assert_eq!(json["expiresAt"], 90);
		assert_eq!(json["factory"], "Factory04");
		assert_eq!(serde_json::from_value::<LockView>(json).unwrap(), lock);
		assert_eq!(serde_json::to_value(OfferStatus::Open).unwrap(), "open");
		assert_eq!(OfferStatus::Open.to_string(), "Open");
		assert_eq!(parse_energy_type("Geothermal").unwrap(), EnergyType::Geothermal);
		assert!(parse_energy_type("coal").unwrap_err().to_string().contains("solar, wind"));
		let factory = FactoryView {
			id: "Factory01".into(),
			name: "Sunfield".into(),
			energy_type: EnergyType::Solar,
			owner: AccountId::from([1u8; 32]),
			meter: AccountId::from([1u8; 32]),
			energy_wh: 5,
			registered_at: 0,
		};
		let json = serde_json::to_value(&factory).unwrap();
		assert_eq!((&json["energyType"], &json["energyWh"]), (&"solar".into(), &5.into()));
		let rating = RatingView { rated_power_w: 250_000, generation_allowance_wh: 6_000_000 };
		assert_eq!(
			serde_json::to_value(rating).unwrap(),
			serde_json::json!({ "ratedPowerW": 250_000, "generationAllowanceWh": 6_000_000 })
		);
		assert_eq!(serde_json::from_value::<FactoryView>(json).unwrap(), factory);
	}
}
