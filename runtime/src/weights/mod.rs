//! Weights measured on this project's machine for the runtime as a whole (the energy pallets'
//! own are in their `weights.rs`): the database's (`scripts/benchmark-storage.sh`), and those of
//! the FRAME pallets, the transaction extensions, an empty block and a no-op transaction
//! (`scripts/benchmark-pallets.sh`).

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_sudo;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_utility;
pub mod paritydb_weights;
