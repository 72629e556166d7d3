//! The client's one error type: every failure says what went wrong in words a user can act on.

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The node could not be reached.
	#[error("cannot reach a node at {url}: {reason} (is energy-node running? start one with scripts/dev.sh)")]
	Unreachable {
		/// Where the client looked.
		url: String,
		/// Why it failed.
		reason: String,
	},
	/// A secret key or account could not be read.
	#[error("bad key: {0}")]
	BadKey(String),
	/// The extrinsic ran and a pallet refused it, e.g. `EnergyTrading::InsufficientEnergy`.
	#[error("{pallet}::{name}: {docs}{}", detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default())]
	Pallet {
		/// The pallet, e.g. `EnergyTrading`.
		pallet: String,
		/// The error, e.g. `InsufficientEnergy`.
		name: String,
		/// The error's documentation.
		docs: String,
		/// The error's fields, when it has any (e.g. which batch item failed and why).
		detail: Option<String>,
	},
	/// The extrinsic ran and failed for a reason outside the pallets (e.g. `BadOrigin`).
	#[error("the extrinsic failed: {0}")]
	Dispatch(String),
	/// The node did not accept the transaction into its pool (bad signature, stale nonce, too
	/// little balance for fees, ...).
	#[error("the node refused the transaction: {0}")]
	Rejected(String),
	/// A factory, trade, bus, offer, lock or proposal does not exist.
	#[error("{0} not found")]
	NotFound(String),
	/// An argument cannot be used.
	#[error("{0}")]
	Invalid(String),
	/// An amount could not be read.
	#[error(transparent)]
	Amount(#[from] crate::units::ParseAmountError),
	/// Talking to the node failed.
	#[error("{0}")]
	Subxt(Box<subxt::Error>),
}

impl Error {
	/// Whether this is the pallet error `pallet::name`.
	pub fn is_pallet_error(&self, pallet: &str, name: &str) -> bool {
		matches!(self, Error::Pallet { pallet: p, name: n, .. } if p == pallet && n == name)
	}
}

impl<E: Into<subxt::Error>> From<E> for Error {
	fn from(error: E) -> Self {
		Error::Subxt(Box::new(error.into()))
	}
}
