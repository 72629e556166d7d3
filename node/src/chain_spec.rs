//! The chains `energy-node` knows by name: `dev` and `local`. Their genesis is the runtime's
//! presets (`runtime/src/genesis_config_presets.rs`), written into the spec as a full patch
//! rather than a preset name, so that an exported spec shows (and tools such as zombienet can
//! rewrite) its authorities and balances.

use energy_runtime::{
	genesis_config_presets::{development_config_genesis, local_config_genesis},
	TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY,
};
use sc_service::{ChainType, Properties};

/// A chain spec of Energy Chain.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The token properties polkadot.js apps reads to show balances as ECT with 12 decimals.
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime's Wasm binary is not available: this node was built with SKIP_WASM_BUILD"
			.to_string()
	})
}

/// The development chain (`--dev`): Alice validates alone.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Energy Chain Development")
		.with_id("energy_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_patch(development_config_genesis())
		.with_properties(properties())
		.build())
}

/// The local test network (`--chain local`): Alice and Bob validate.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Energy Chain Local Testnet")
		.with_id("energy_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_patch(local_config_genesis())
		.with_properties(properties())
		.build())
}
