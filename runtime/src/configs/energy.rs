//! The energy pallets: the factory ledger (pallet-energy-trading) and the energy-bus market
//! (pallet-energy-bus), which sells factory energy through the ledger's `EnergyLedger`.

use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;

use crate::{
	AccountId, Balance, Balances, EnergyTrading, FactoryId, Runtime, RuntimeHoldReason, Timestamp,
	DAYS, HOURS, UNIT,
};

impl pallet_energy_trading::Config for Runtime {
	type Currency = Balances;
	type UnixTime = Timestamp;
	/// Factories are registered by Root (through sudo on the development chain).
	type RegistrarOrigin = EnsureRoot<AccountId>;
	type MaxIdLength = MaxFactoryIdLength;
	type MaxNameLength = ConstU32<64>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type TradeDeposit = TradeDeposit;
	type MaxPendingTrades = ConstU32<32>;
	/// A finished trade stays in the state for a day; its events stay in the node's history.
	type TradeRetention = ConstU32<{ DAYS }>;
	type WeightInfo = pallet_energy_trading::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// What creating a trade holds from its seller's owner until the trade is executed or
	/// cancelled: 1 ECT.
	pub const TradeDeposit: Balance = UNIT;
}

parameter_types! {
	/// The rating storage version 3 gives every factory of a live chain (100 kW: a day's
	/// production is 2,400 kWh), until the registrar rates it with `set_rated_power`.
	pub const MigratedRatedPowerW: u32 = 100_000;
}

/// The longest factory id, in bytes.
pub type MaxFactoryIdLength = ConstU32<32>;

parameter_types! {
	/// What a bus creator pays, held until the bus closes: 10 ECT.
	pub const BusDeposit: Balance = 10 * UNIT;
	/// The market account (`modlpy/enbus…`), which holds auction bids' payments until
	/// settlement.
	pub const EnergyMarketPalletId: frame_support::PalletId = frame_support::PalletId(*b"py/enbus");
	/// What an auction order holds until it is settled or cancelled: 1 ECT, so that filling a
	/// round's 10,000 order slots ties up 10,000 ECT.
	pub const OrderDeposit: Balance = UNIT;
}

impl pallet_energy_bus::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type FactoryId = FactoryId;
	type Ledger = EnergyTrading;
	/// Market parameters are changed by Root (through sudo on the development chain).
	type AdminOrigin = EnsureRoot<AccountId>;
	type BusDeposit = BusDeposit;
	type MaxBusNameLength = ConstU32<64>;
	type MaxOwners = ConstU32<16>;
	type MaxProposals = ConstU32<16>;
	/// One owner may hold at most a quarter of a bus's proposal slots.
	type MaxProposalsPerOwner = ConstU32<4>;
	type MaxBatchSize = ConstU32<10>;
	type MaxLocksPerOffer = ConstU32<16>;
	type MaxLocksPerAccount = ConstU32<32>;
	type MaxExpiriesPerBlock = ConstU32<64>;
	/// Locks last at most an hour, receipts are kept at most 30 days, proposals wait at most
	/// 7 days.
	type MaxLockDuration = ConstU32<{ HOURS }>;
	type MaxReceiptRetention = ConstU32<{ 30 * DAYS }>;
	type MaxProposalLifetime = ConstU32<{ 7 * DAYS }>;
	/// Offers stay open 7 days unless Root changes it, 30 days at most.
	type DefaultOfferLifetime = ConstU32<{ 7 * DAYS }>;
	type MaxOfferLifetime = ConstU32<{ 30 * DAYS }>;
	type PalletId = EnergyMarketPalletId;
	type OrderDeposit = OrderDeposit;
	/// Auction grids of up to 1,024 prices; rounds of up to a day; 10,000 orders a round, 16
	/// unsettled orders an account; 4 rounds cleared a block; a day of 15-minute rounds kept
	/// as each bus's results.
	type MaxTicks = ConstU32<1024>;
	type MaxRoundLength = ConstU32<{ DAYS }>;
	type MaxOrdersPerRound = ConstU32<10_000>;
	type MaxOrdersPerAccount = ConstU32<16>;
	type MaxClearingsPerBlock = ConstU32<4>;
	type MaxRoundResults = ConstU32<96>;
	type WeightInfo = pallet_energy_bus::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkFactories;
}

/// Registers the factories the energy-bus benchmarks sell from and buy into.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkFactories;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_energy_bus::BenchmarkHelper<AccountId, FactoryId> for BenchmarkFactories {
	/// A factory with an id of the longest length: the worst case for the calls that read and
	/// write it.
	fn factory(owner: &AccountId, index: u32, energy_wh: u64) -> FactoryId {
		use frame_support::traits::Get;
		let mut id = alloc::format!("Bench{index}").into_bytes();
		id.resize(<MaxFactoryIdLength as Get<u32>>::get() as usize, b'-');
		EnergyTrading::register_factory(
			crate::RuntimeOrigin::root(),
			id.clone(),
			b"benchmark factory".to_vec(),
			pallet_energy_trading::EnergyType::Other,
			owner.clone(),
			None,
			u32::MAX,
			energy_wh,
		)
		.expect("a new benchmark factory registers");
		id.try_into().expect("an id of MaxIdLength bytes")
	}
}
