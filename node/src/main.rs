//! The Energy Chain node.

#![warn(missing_docs)]
// Every subcommand returns sc-cli's own error type, which is large; boxing it at each call site
// would only obscure the standard node code.
#![allow(clippy::result_large_err)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod history;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
