//! The configuration of every pallet in the runtime, one file per group.

mod consensus;
mod energy;
mod monetary;
mod system;
mod utility;

pub use energy::MigratedRatedPowerW;
pub use system::{BlockHashCount, RuntimeBlockLength, RuntimeBlockWeights};
