//! The energy pallets: the factory ledger (pallet-energy-trading).

use frame_support::traits::ConstU32;
use frame_system::EnsureRoot;

use crate::{AccountId, Balances, Runtime, Timestamp};

impl pallet_energy_trading::Config for Runtime {
	type Currency = Balances;
	type UnixTime = Timestamp;
	/// Factories are registered by Root (through sudo on the development chain).
	type RegistrarOrigin = EnsureRoot<AccountId>;
	type MaxIdLength = ConstU32<32>;
	type MaxNameLength = ConstU32<64>;
	type MaxHistory = ConstU32<100>;
	type WeightInfo = pallet_energy_trading::weights::SubstrateWeight<Runtime>;
}
