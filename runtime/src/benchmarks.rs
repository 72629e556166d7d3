//! The pallets whose benchmarks the runtime runs (`energy-node benchmark pallet`).

pub use frame_benchmarking::baseline::Pallet as BaselineBench;
pub use frame_system_benchmarking::{
	extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
};

// The benchmark macros expand where they are called (in `apis.rs`), which imports this module's
// items: the pallets they name must be here.
pub use crate::{
	Balances, EnergyBus, EnergyTrading, Runtime, Sudo, Timestamp, TransactionPayment, Utility,
};

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_energy_trading, EnergyTrading]
	[pallet_energy_bus, EnergyBus]
);
