//! # Energy Chain runtime
//!
//! A solochain runtime: Aura block authoring and GRANDPA finality, the `ECT` native token
//! (pallet-balances, 12 decimals), transaction payment, sudo for the development chain and
//! utility batches. Energy itself is counted in integer watt-hours by the energy pallets, never
//! in the token.
//!
//! - [`configs`]: the configuration of every pallet, one file per group.
//! - [`apis`]: the runtime APIs the node and clients call.
//! - [`genesis_config_presets`]: the `development` and `local_testnet` genesis presets.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime!` does a lot of recursion and requires us to increase the limit.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

// Declared before `apis` so that its `list_benchmarks!`/`add_benchmarks!` are in scope there.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
#[cfg(feature = "std")]
pub mod testing;
pub mod weights;

extern crate alloc;

use alloc::vec::Vec;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types: what the node needs to know of blocks without knowing the runtime's types.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator: its Aura (block authoring) and GRANDPA (finality) keys.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. `spec_version` must grow with every runtime upgrade.
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("energy-chain"),
	impl_name: alloc::borrow::Cow::Borrowed("energy-chain"),
	authoring_version: 1,
	spec_version: 109,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

/// The block time we target: one block every 6 seconds.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;

/// One Aura slot per block. It cannot change once the chain has started.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute, hour and day at the target block time.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// The native token, ECT (Energy Chain Token), has 12 decimals: one ECT is 10^12 planck.
pub const TOKEN_DECIMALS: u8 = 12;
/// The native token's symbol.
pub const TOKEN_SYMBOL: &str = "ECT";
/// One ECT in the smallest unit.
pub const UNIT: Balance = 1_000_000_000_000;
/// One thousandth of an ECT.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// One millionth of an ECT.
pub const MICRO_UNIT: Balance = 1_000_000;

/// The smallest balance an account may hold: 1 milli-ECT.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// A signature of a transaction: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;

/// An account: the public key of the transaction signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// A balance of the native token, in planck (10^-12 ECT).
pub type Balance = u128;

/// An account's transaction count.
pub type Nonce = u32;

/// A block hash.
pub type Hash = sp_core::H256;

/// A block number.
pub type BlockNumber = u32;

/// A factory id on this chain (at most 32 bytes, such as `Factory01`).
pub type FactoryId = pallet_energy_trading::FactoryIdOf<Runtime>;

/// A factory's display name on this chain (at most 64 bytes).
pub type FactoryName = pallet_energy_trading::FactoryNameOf<Runtime>;

/// A bus name on this chain (at most 64 bytes).
pub type BusName = pallet_energy_bus::BusNameOf<Runtime>;

/// The co-owners of a bus on this chain (at most 16).
pub type BusOwners = pallet_energy_bus::OwnersOf<Runtime>;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A block that can carry justifications.
pub type SignedBlock = generic::SignedBlock<Block>;

/// The transaction extensions every signed transaction carries. Only the standard FRAME ones,
/// which polkadot.js apps and subxt know without any custom type definitions.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on a runtime upgrade (each runs once: it checks the pallet's stored
/// storage version). Spec 101: bus proposals get ids. Spec 103: the factories' history rings
/// leave the state (the node indexes the ledger's events instead). Spec 104: factories get a
/// rated power and a generation allowance, the ledger's totals become `u128`. Spec
/// 105: locks name their factory (the locks stored before end). Spec 106: pending trades hold
/// deposits and count per seller, finished trades leave the state. Spec 107: offers have an end.
/// Spec 108: buses run auctions (the market account is endowed). Spec 109: buses have grid fees
/// (offers, purchases and rounds carry theirs; every bus gets a fee pot).
/// The bus pallet's migrations to versions 2 and 3 read offers in the layout before version 4:
/// they left this list with spec 107, so a chain at bus storage version 2 or older upgrades to
/// spec 105 or 106 first.
type Migrations = (
	pallet_energy_bus::migrations::v4::MigrateV3ToV4<Runtime>,
	pallet_energy_bus::migrations::v5::MigrateV4ToV5<Runtime>,
	pallet_energy_bus::migrations::v6::MigrateV5ToV6<Runtime>,
	pallet_energy_trading::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_energy_trading::migrations::v3::MigrateV2ToV3<Runtime, configs::MigratedRatedPowerW>,
	pallet_energy_trading::migrations::v4::MigrateV3ToV4<Runtime>,
);

/// Executive: dispatches to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

// The pallets of the runtime. Indices are explicit and never reused: they are part of every
// encoded call and storage key that clients hold.
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(7)]
	pub type Utility = pallet_utility;

	#[runtime::pallet_index(10)]
	pub type EnergyTrading = pallet_energy_trading;

	#[runtime::pallet_index(11)]
	pub type EnergyBus = pallet_energy_bus;
}
