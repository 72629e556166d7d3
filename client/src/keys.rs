//! Signers and accounts: secret URIs such as `//Alice`, mnemonics and hex seeds; SS58 addresses.

use std::str::FromStr;

use subxt_signer::{sr25519::Keypair, SecretUri};

use crate::{AccountId, Error};

/// A key that signs transactions (sr25519, like the chain's dev accounts).
pub type Signer = Keypair;

/// The SS58 address format of Energy Chain (the generic Substrate prefix, 42).
pub const SS58_PREFIX: u16 = 42;

/// Reads a secret URI: a dev name such as `//Alice` (also `Alice`), a 12- or 24-word mnemonic
/// with optional `//hard/soft` derivations and `///password`, or a `0x` hex seed.
pub fn signer(suri: &str) -> Result<Signer, Error> {
	let suri = suri.trim();
	let text = match dev_name(suri) {
		Some(name) => format!("//{name}"),
		None => suri.to_string(),
	};
	let uri = SecretUri::from_str(&text).map_err(|_| {
		Error::BadKey(
			"not a secret URI; use a dev name like //Alice, a mnemonic or a 0x seed".into(),
		)
	})?;
	Keypair::from_uri(&uri).map_err(|error| Error::BadKey(error.to_string()))
}

/// Reads a secret URI from a file (its first non-empty line), as `--suri-file` does.
pub fn signer_from_file(path: &std::path::Path) -> Result<Signer, Error> {
	let text = std::fs::read_to_string(path)
		.map_err(|error| Error::BadKey(format!("cannot read {}: {error}", path.display())))?;
	let line = text
		.lines()
		.map(str::trim)
		.find(|line| !line.is_empty())
		.ok_or_else(|| Error::BadKey(format!("{} is empty", path.display())))?;
	signer(line)
}

/// The account of a signer.
pub fn account_of(signer: &Signer) -> AccountId {
	signer.public_key().to_account_id()
}

/// The dev accounts' names, in the order the chain's genesis uses them.
pub const DEV_NAMES: [&str; 6] = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];

/// `Alice` or `alice` for `//Alice`: a bare dev name.
fn dev_name(text: &str) -> Option<&'static str> {
	let bare = text.strip_prefix("//").unwrap_or(text);
	DEV_NAMES.iter().copied().find(|name| name.eq_ignore_ascii_case(bare))
}

/// Reads an account: an SS58 address, a `0x` hex public key, or a dev name (`Alice`, `//Bob`).
pub fn account(text: &str) -> Result<AccountId, Error> {
	let text = text.trim();
	if let Some(name) = dev_name(text) {
		return Ok(account_of(&signer(name)?));
	}
	if let Some(hex) = text.strip_prefix("0x") {
		let bytes =
			hex::decode(hex).map_err(|_| Error::BadKey(format!("{text:?} is not valid hex")))?;
		let raw: [u8; 32] = bytes
			.try_into()
			.map_err(|_| Error::BadKey(format!("{text:?} is not a 32-byte public key")))?;
		return Ok(AccountId::from(raw));
	}
	AccountId::from_str(text).map_err(|_| {
		Error::BadKey(format!("{text:?} is not an SS58 address, a 0x public key or a dev name"))
	})
}

/// An account's SS58 address, or its dev name when it is one of the dev accounts.
pub fn display_account(account: &AccountId) -> String {
	for name in DEV_NAMES {
		if let Ok(dev) = signer(name) {
			if &account_of(&dev) == account {
				return name.to_string();
			}
		}
	}
	account.to_string()
}

#[cfg(test)]
mod tests {
	use super::*;

	const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

	#[test]
	fn dev_names_and_uris_give_the_well_known_accounts() {
		for text in ["//Alice", "Alice", "alice", " //alice "] {
			assert_eq!(account_of(&signer(text).unwrap()).to_string(), ALICE, "{text}");
		}
		assert_eq!(account("Alice").unwrap().to_string(), ALICE);
		assert_eq!(account(ALICE).unwrap(), account("//Alice").unwrap());
		let hex = format!("0x{}", hex::encode(account("Alice").unwrap().0));
		assert_eq!(account(&hex).unwrap(), account("Alice").unwrap());
		assert_eq!(display_account(&account(ALICE).unwrap()), "Alice");
		assert_ne!(account("Bob").unwrap(), account("Alice").unwrap());
	}

	#[test]
	fn bad_keys_are_refused_with_a_reason() {
		assert!(matches!(signer("not a key at all"), Err(Error::BadKey(_))));
		assert!(matches!(account("5Grwva"), Err(Error::BadKey(_))));
		assert!(
			matches!(account("0x1234"), Err(Error::BadKey(message)) if message.contains("32-byte"))
		);
		assert!(matches!(account("0xzz"), Err(Error::BadKey(message)) if message.contains("hex")));
	}

	#[test]
	fn suri_files_are_read_from_their_first_line() {
		let dir = std::env::temp_dir().join(format!("energy-keys-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let path = dir.join("suri");
		std::fs::write(&path, "\n  //Bob \n").unwrap();
		assert_eq!(account_of(&signer_from_file(&path).unwrap()), account("Bob").unwrap());
		std::fs::write(&path, "\n\n").unwrap();
		assert!(matches!(signer_from_file(&path), Err(Error::BadKey(m)) if m.contains("empty")));
		assert!(signer_from_file(&dir.join("missing")).is_err());
		std::fs::remove_dir_all(dir).unwrap();
	}
}
