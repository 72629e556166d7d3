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
	/// Its meter; `None` (or leaving it out) makes it the owner.
	pub meter: Option<AccountId>,
	/// The energy it starts with, in Wh.
	pub energy_wh: EnergyWh,
}
