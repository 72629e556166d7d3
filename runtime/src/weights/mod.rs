//! Weights measured on this project's machine for the runtime as a whole (the pallets' own are
//! in their `weights.rs`).

pub mod paritydb_weights;
