//! The client's types are generated at compile time from `metadata/energy.scale` (subxt's
//! `#[subxt]` macro), which cargo does not know the crate reads: this tells it, so that a new
//! metadata file (`scripts/update-metadata.sh`) rebuilds the client.

fn main() {
	println!("cargo:rerun-if-changed=metadata/energy.scale");
}
