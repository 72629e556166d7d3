//! The native token (pallet-balances) and transaction fees (pallet-transaction-payment).

use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU8, VariantCountOf},
	weights::{ConstantMultiplier, IdentityFee},
};
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use sp_runtime::{
	traits::{Bounded, One},
	FixedPointNumber, Perquintill,
};

use crate::{
	Balance, Balances, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, System,
	EXISTENTIAL_DEPOSIT,
};

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// What a byte of a transaction costs: as much as the weight a normal transaction may use
	/// per byte of block length it may use (2 s of weight over 5 MiB, both three quarters for
	/// normal transactions). So a block full by length costs what one full by weight does,
	/// about 1.5 ECT at rest (`runtime/tests/fees.rs` computes both).
	pub const TransactionByteFee: Balance =
		super::system::MAXIMUM_BLOCK_WEIGHT.ref_time() as Balance / super::system::MAXIMUM_BLOCK_LENGTH as Balance;
	/// The block fullness fees aim at: above it, the fee multiplier rises; below, it falls.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	/// How fast the multiplier moves, as on the Polkadot relay chain: each block full of normal
	/// transactions raises fees by about 0.0056%.
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 1_000_000);
	/// Fees never fall below their rest level (the multiplier 1).
	pub MinimumMultiplier: Multiplier = Multiplier::one();
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	/// One planck per picosecond of weight, `TransactionByteFee` per byte of length.
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	/// Sustained load makes fees dearer: the multiplier follows block fullness
	/// (`TargetedFeeAdjustment`, as the polkadot-sdk runtimes use it).
	type FeeMultiplierUpdate = TargetedFeeAdjustment<
		Self,
		TargetBlockFullness,
		AdjustmentVariable,
		MinimumMultiplier,
		MaximumMultiplier,
	>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}
