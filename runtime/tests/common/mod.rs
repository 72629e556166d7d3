//! What the runtime test files share: chain state built from a genesis preset, and short names
//! for factories and dev accounts. (Each test file uses a part of it.)
#![allow(dead_code)]

use codec::Encode;
use energy_runtime::Header;
use energy_runtime::{
	genesis_config_presets, AccountId, BuildStorage, Runtime, RuntimeCall, RuntimeGenesisConfig,
	SignedPayload, System, TxExtension, UncheckedExtrinsic, VERSION,
};
use pallet_energy_trading::FactoryIdOf;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::{Digest, DigestItem, Era},
	traits::Header as HeaderT,
};

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

/// A transaction signed by `signer` as a wallet would sign it: immortal, with `nonce`.
pub fn signed(signer: Sr25519Keyring, nonce: u32, call: RuntimeCall) -> UncheckedExtrinsic {
	let tx_ext: TxExtension = (
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
	);
	let genesis_hash = System::block_hash(0);
	let payload = SignedPayload::from_raw(
		call.clone(),
		tx_ext.clone(),
		(
			(),
			VERSION.spec_version,
			VERSION.transaction_version,
			genesis_hash,
			genesis_hash,
			(),
			(),
			(),
		),
	);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	UncheckedExtrinsic::new_signed(
		call,
		signer.to_account_id().into(),
		sp_runtime::MultiSignature::Sr25519(signature),
		tx_ext,
	)
}

/// The header of block `number` at Aura `slot`, on top of `parent_hash`.
pub fn header_at(number: u32, slot: u64, parent_hash: sp_core::H256) -> Header {
	let digest =
		Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(slot).encode())] };
	Header::new(number, Default::default(), Default::default(), parent_hash, digest)
}
