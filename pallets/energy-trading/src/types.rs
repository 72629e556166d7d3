//! The types the ledger stores and its queries return.

use alloc::string::String;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::fungible, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

use crate::Config;

/// An amount of energy in watt-hours. 1 kWh = 1000 Wh.
pub type EnergyWh = u64;

/// Watt-hours in a kilowatt-hour.
pub const WH_PER_KWH: u64 = 1_000;

/// A total of energy that only grows (all energy ever issued, all ever consumed), in Wh: wider
/// than a balance, so that no sum of legal reports can overflow it.
pub type TotalWh = u128;

/// Millijoules in a watt-hour: an allowance counts energy in mJ (1 W for 1 ms), so that a
/// rated power times milliseconds is exact, however small the factory or short the block.
pub const MJ_PER_WH: u64 = 3_600_000;

/// The longest time a factory's generation allowance accumulates over, in ms: one day. A meter
/// may report at most a day's production at rated power at once.
pub const ALLOWANCE_WINDOW_MS: u64 = 86_400_000;

/// A trade's chain-assigned id.
pub type TradeId = u64;

/// Milliseconds since the Unix epoch.
pub type Moment = u64;

/// The most items one page of a listing query returns.
pub const MAX_PAGE: u32 = 100;

/// A factory id such as `Factory01`.
pub type FactoryIdOf<T> = BoundedVec<u8, <T as Config>::MaxIdLength>;

/// A factory's display name.
pub type FactoryNameOf<T> = BoundedVec<u8, <T as Config>::MaxNameLength>;

/// The native currency's balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// What a factory produces.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum EnergyType {
	/// Photovoltaic.
	Solar,
	/// Wind turbines.
	Wind,
	/// Hydro power.
	Hydro,
	/// Kinetic energy, such as footstep tiles.
	Kinetic,
	/// Biomass or biogas.
	Biomass,
	/// Geothermal.
	Geothermal,
	/// A battery or other storage that sells what it stored.
	Storage,
	/// Anything else.
	Other,
}

/// A registered factory.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Factory<AccountId, BlockNumber, FactoryId, FactoryName> {
	/// Its unique id.
	pub id: FactoryId,
	/// Its display name.
	pub name: FactoryName,
	/// What it produces.
	pub energy_type: EnergyType,
	/// The account that transfers and trades its energy.
	pub owner: AccountId,
	/// The account that reports its generation and consumption.
	pub meter: AccountId,
	/// The energy it holds, in Wh (energy escrowed in its pending trades is not included).
	pub energy_wh: EnergyWh,
	/// The block it was registered in.
	pub registered_at: BlockNumber,
}

/// A factory's rating, kept beside the factory (`Ratings`) so that the factory's own encoding,
/// which runtime-API callers of older blocks decode, stays as it was.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct FactoryRating {
	/// Its rated peak power, in W, set by the registrar: what its meter reports as generated
	/// may not exceed what this power produces over the time the reports cover (`allowance`).
	pub rated_power_w: u32,
	/// What its meter may still report as generated.
	pub allowance: GenerationAllowance,
}

impl FactoryRating {
	/// A factory rated at `rated_power_w`, its allowance full at `now`.
	pub fn new(rated_power_w: u32, now: Moment) -> Self {
		Self { rated_power_w, allowance: GenerationAllowance::full(rated_power_w, now) }
	}

	/// The rating with its allowance refilled up to `now`.
	pub fn at(self, now: Moment) -> Self {
		Self { allowance: self.allowance.refilled(self.rated_power_w, now), ..self }
	}

	/// The rating at `rated_power_w` instead: the allowance (brought up to date beforehand with
	/// [`Self::at`]) is kept, up to a day's production at the new rating.
	pub fn rerated(self, rated_power_w: u32) -> Self {
		let capacity_mj = GenerationAllowance::capacity_mj(rated_power_w);
		let available_mj = self.allowance.available_mj.min(capacity_mj);
		Self { rated_power_w, allowance: GenerationAllowance { available_mj, ..self.allowance } }
	}
}

/// What a factory's meter may still report as generated: an allowance that refills at the
/// factory's rated power, as the block timestamps advance, and holds at most a day's production
/// at that power ([`ALLOWANCE_WINDOW_MS`]). A report of generation takes its energy from it;
/// consumption does not touch it. A new factory's allowance is full.
///
/// Amounts are in millijoules (1 Wh = [`MJ_PER_WH`] mJ), so a refill of `rated_power_w` ×
/// elapsed ms is exact and nothing is lost between reports.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct GenerationAllowance {
	/// What may still be reported, in mJ, as of `refilled_at`.
	pub available_mj: u64,
	/// When it was last brought up to date (ms since the Unix epoch; 0 at genesis).
	pub refilled_at: Moment,
}

impl GenerationAllowance {
	/// The most a factory rated at `rated_power_w` may hold: a day's production, in mJ.
	pub fn capacity_mj(rated_power_w: u32) -> u64 {
		// At most u32::MAX × 86,400,000 ≈ 3.7 × 10^17: fits in u64.
		u64::from(rated_power_w).saturating_mul(ALLOWANCE_WINDOW_MS)
	}

	/// A full allowance at `now`.
	pub fn full(rated_power_w: u32, now: Moment) -> Self {
		Self { available_mj: Self::capacity_mj(rated_power_w), refilled_at: now }
	}

	/// The allowance at `now` of a factory rated at `rated_power_w`: refilled by the energy that
	/// power produces from `refilled_at` to `now`, up to the capacity. A clock that went back
	/// refills nothing.
	pub fn refilled(self, rated_power_w: u32, now: Moment) -> Self {
		let elapsed = now.saturating_sub(self.refilled_at);
		let gained = u128::from(rated_power_w) * u128::from(elapsed);
		let capacity = u128::from(Self::capacity_mj(rated_power_w));
		let available = (u128::from(self.available_mj) + gained).min(capacity);
		// `available` ≤ capacity, which fits in u64.
		Self { available_mj: available as u64, refilled_at: now.max(self.refilled_at) }
	}

	/// The whole Wh it holds.
	pub fn available_wh(&self) -> EnergyWh {
		self.available_mj / MJ_PER_WH
	}

	/// The allowance after a report of `energy_wh` of generation, or `None` if it holds less.
	pub fn take(self, energy_wh: EnergyWh) -> Option<Self> {
		let cost = energy_wh.checked_mul(MJ_PER_WH)?;
		Some(Self { available_mj: self.available_mj.checked_sub(cost)?, ..self })
	}
}

/// A factory as this pallet stores it.
pub type FactoryOf<T> = Factory<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	FactoryIdOf<T>,
	FactoryNameOf<T>,
>;

/// Where a trade stands.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum TradeStatus {
	/// Created; the energy is in escrow, waiting for the buyer.
	Pending,
	/// Executed: paid and delivered.
	Completed,
	/// Cancelled by the seller or rejected by the buyer; the escrow went back to the seller.
	Cancelled,
}

/// A bilateral trade between two factories.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Trade<FactoryId, Balance> {
	/// Its id.
	pub id: TradeId,
	/// The selling factory.
	pub seller: FactoryId,
	/// The buying factory.
	pub buyer: FactoryId,
	/// The energy traded, in Wh.
	pub energy_wh: EnergyWh,
	/// The price of one kWh, in the currency's smallest unit.
	pub price_per_kwh: Balance,
	/// What the buyer pays: `ceil(energy_wh × price_per_kwh / 1000)`.
	pub total_price: Balance,
	/// When it was created (ms since the Unix epoch).
	pub created_at: Moment,
	/// When it was executed or cancelled.
	pub settled_at: Option<Moment>,
	/// Where it stands.
	pub status: TradeStatus,
}

/// A trade as this pallet stores it.
pub type TradeOf<T> = Trade<FactoryIdOf<T>, BalanceOf<T>>;

/// A deposit a pending trade holds.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct HeldDeposit<AccountId, Balance> {
	/// The account it is held from (the seller factory's owner who created the trade), which
	/// gets it back.
	pub depositor: AccountId,
	/// How much is held.
	pub amount: Balance,
}

/// A trade deposit as this pallet stores it.
pub type HeldDepositOf<T> = HeldDeposit<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// A factory in the genesis config. Text fields are strings, so chain specs stay readable.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisFactory<AccountId> {
	/// Its unique id, such as `Factory01`.
	pub id: String,
	/// Its display name.
	pub name: String,
	/// What it produces.
	pub energy_type: EnergyType,
	/// Its owner.
	pub owner: AccountId,
	/// Its meter; `None` (or leaving it out) makes it the owner. Genesis is the registrar's
	/// act: it may name any meter.
	pub meter: Option<AccountId>,
	/// Its rated peak power, in W (see [`FactoryRating`]).
	pub rated_power_w: u32,
	/// The energy it starts with, in Wh.
	pub energy_wh: EnergyWh,
}
