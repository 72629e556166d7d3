//! What native tests and the fuzzer (`fuzz/`) need to drive this runtime as a node would:
//! chain state built from a genesis preset, transactions signed as a wallet signs them, and block
//! headers with an Aura slot. Native only (`std`): the Wasm runtime has none of it.

use codec::Encode;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{sr25519, Pair};
use sp_runtime::{
	generic::{Digest, DigestItem, Era},
	traits::{Header as HeaderT, IdentifyAccount},
	BuildStorage,
};

use crate::{
	genesis_config_presets, Header, Runtime, RuntimeCall, RuntimeGenesisConfig, SignedPayload,
	System, TxExtension, UncheckedExtrinsic, VERSION,
};

/// The storage a chain built from the runtime preset `name` starts with: the preset's JSON patch
/// merged over the default genesis config, as the genesis builder does. Panics on an unknown
/// preset.
pub fn preset_storage(name: &str) -> sp_runtime::Storage {
	let patch = genesis_config_presets::get_preset(&name.into())
		.unwrap_or_else(|| panic!("preset {name} exists"));
	let mut config =
		serde_json::to_value(RuntimeGenesisConfig::default()).expect("the config serializes");
	json_merge(&mut config, serde_json::from_slice(&patch).expect("the preset is JSON"));
	let config: RuntimeGenesisConfig =
		serde_json::from_value(config).expect("the merged config deserializes");
	config.build_storage().expect("the genesis builds")
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

/// A transaction signed by `signer` as a wallet would sign it: immortal, with `nonce`, no tip.
/// Call it inside the chain's externalities (it reads the genesis hash).
pub fn signed(signer: &sr25519::Pair, nonce: u32, call: RuntimeCall) -> UncheckedExtrinsic {
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
		sp_runtime::MultiSigner::from(signer.public()).into_account().into(),
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
