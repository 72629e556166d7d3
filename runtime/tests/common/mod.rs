//! What the runtime test files share: chain state built from a genesis preset (through the
//! runtime's `testing` module, which the fuzzer uses too), and short names for factories and dev
//! accounts. (Each test file uses a part of it.)
#![allow(dead_code, unused_imports)]

use energy_runtime::{testing, AccountId, Runtime, RuntimeCall, System, UncheckedExtrinsic};
use pallet_energy_trading::FactoryIdOf;
use sp_keyring::Sr25519Keyring;

pub use energy_runtime::testing::header_at;

/// The storage a chain built from the runtime preset `name` starts with.
pub fn preset_storage(name: &str) -> sp_io::TestExternalities {
	testing::preset_storage(name).into()
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

/// A transaction signed by the dev account `signer` as a wallet would sign it: immortal, with
/// `nonce`.
pub fn signed(signer: Sr25519Keyring, nonce: u32, call: RuntimeCall) -> UncheckedExtrinsic {
	testing::signed(&signer.pair(), nonce, call)
}
