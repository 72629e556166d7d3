//! The metadata `energy-client` is generated from (`client/metadata/energy.scale`) must be the
//! metadata of this runtime, so that a runtime change cannot silently break the client.
//!
//! After changing the runtime, regenerate the file with
//! `ENERGY_UPDATE_METADATA=1 cargo test --release -p energy-runtime --test metadata`
//! (or `scripts/update-metadata.sh`), then rebuild the client against it.

use std::path::PathBuf;

/// The metadata version the client is generated from: V16, the newest stable one, which also
/// describes the pallets' view functions.
const METADATA_VERSION: u32 = 16;

fn checked_in_path() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../client/metadata/energy.scale")
}

fn runtime_metadata() -> Vec<u8> {
	energy_runtime::Runtime::metadata_at_version(METADATA_VERSION)
		.expect("the runtime serves metadata V16")
		.to_vec()
}

#[test]
fn client_metadata_is_current() {
	let current = runtime_metadata();
	let path = checked_in_path();
	if std::env::var_os("ENERGY_UPDATE_METADATA").is_some() {
		std::fs::write(&path, &current).expect("client/metadata is writable");
		eprintln!("wrote {} ({} bytes)", path.display(), current.len());
		return;
	}
	let checked_in = std::fs::read(&path).unwrap_or_else(|error| {
		panic!("{} cannot be read ({error}); run scripts/update-metadata.sh", path.display())
	});
	assert!(
		checked_in == current,
		"{} is stale: it differs from the runtime's metadata ({} vs {} bytes). Run \
		 scripts/update-metadata.sh and rebuild energy-client.",
		path.display(),
		checked_in.len(),
		current.len()
	);
}

#[test]
fn metadata_starts_with_the_meta_prefix_and_version() {
	let metadata = runtime_metadata();
	// `RuntimeMetadataPrefixed`: the magic number "meta", then the version's enum index.
	assert_eq!(&metadata[..4], b"meta");
	assert_eq!(metadata[4], METADATA_VERSION as u8);
}
