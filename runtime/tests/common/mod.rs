//! What the runtime test files share: chain state built from a genesis preset, and short names
//! for factories and dev accounts. (Each test file uses a part of it.)
#![allow(dead_code)]

use energy_runtime::{
	genesis_config_presets, AccountId, BuildStorage, Runtime, RuntimeGenesisConfig, System,
};
use pallet_energy_trading::FactoryIdOf;
use sp_keyring::Sr25519Keyring;

/// The storage a chain built from the runtime preset `name` starts with: the preset's JSON patch
/// merged over the default genesis config, as the genesis builder does.
pub fn preset_storage(name: &str) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&name.into())
		.unwrap_or_else(|| panic!("preset {name} exists"));
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	json_merge(&mut config, serde_json::from_slice(&patch).unwrap());
	let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
	config.build_storage().unwrap().into()
}

/// Applies a JSON merge patch.
fn json_merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				json_merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// The `development` preset's state at block 1.
pub fn dev_genesis() -> sp_io::TestExternalities {
	let mut ext = preset_storage("development");
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// A factory id from text.
pub fn fid(id: &str) -> FactoryIdOf<Runtime> {
	id.as_bytes().to_vec().try_into().unwrap()
}

/// A dev account.
pub fn account(key: Sr25519Keyring) -> AccountId {
	key.to_account_id()
}
