//! The chain's ids as types, so that an offer's id cannot be passed where a bus's is expected.
//! Each prints and parses as the chain's number (or, for a factory, its text id), and is that
//! number or text in JSON.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec, Error};

/// The most bytes a factory id has (the ledger's `MaxIdLength`).
pub const MAX_FACTORY_ID_BYTES: usize = 32;

/// A factory's id on the ledger, e.g. `Factory01`: 1 to 32 bytes of text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FactoryId(String);

impl FactoryId {
	/// The id `text`, unchecked: a call with an id of the wrong length fails on chain with
	/// the ledger's named error. [`str::parse`] checks the length first.
	pub fn new(text: impl Into<String>) -> Self {
		Self(text.into())
	}

	/// The id as text.
	pub fn as_str(&self) -> &str {
		&self.0
	}

	/// The id as the chain encodes it.
	pub(crate) fn encoded(&self) -> BoundedVec<u8> {
		BoundedVec(self.0.as_bytes().to_vec())
	}

	/// The id of a factory the chain reported.
	pub(crate) fn decoded(bytes: &BoundedVec<u8>) -> Self {
		Self(String::from_utf8_lossy(&bytes.0).into_owned())
	}
}

impl fmt::Display for FactoryId {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(&self.0)
	}
}

impl FromStr for FactoryId {
	type Err = Error;

	fn from_str(text: &str) -> Result<Self, Error> {
		if text.is_empty() || text.len() > MAX_FACTORY_ID_BYTES {
			return Err(Error::Invalid(format!(
				"a factory id has 1 to {MAX_FACTORY_ID_BYTES} bytes, not {} ({text:?})",
				text.len()
			)));
		}
		Ok(Self(text.to_string()))
	}
}

impl From<&str> for FactoryId {
	fn from(text: &str) -> Self {
		Self::new(text)
	}
}

/// Declares a numeric id: its type, its number's type and what it names.
macro_rules! numeric_id {
	($(#[$doc:meta])* $name:ident($number:ty), $what:literal) => {
		$(#[$doc])*
		#[derive(
			Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
		)]
		#[serde(transparent)]
		pub struct $name(pub $number);

		impl fmt::Display for $name {
			fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
				self.0.fmt(f)
			}
		}

		impl FromStr for $name {
			type Err = Error;

			fn from_str(text: &str) -> Result<Self, Error> {
				text.trim().parse().map(Self).map_err(|_| {
					Error::Invalid(format!(
						concat!("{:?} is not ", $what, " id (a whole number)"),
						text
					))
				})
			}
		}
	};
}

numeric_id!(
	/// An energy bus's id.
	BusId(u32),
	"a bus"
);
numeric_id!(
	/// An offer's id (ids are never reused, across buses).
	OfferId(u64),
	"an offer"
);
numeric_id!(
	/// A lock's id.
	LockId(u64),
	"a lock"
);
numeric_id!(
	/// A bilateral trade's id.
	TradeId(u64),
	"a trade"
);
numeric_id!(
	/// A market purchase's id.
	PurchaseId(u64),
	"a purchase"
);
numeric_id!(
	/// A bus change proposal's id (unique within its bus).
	ProposalId(u32),
	"a proposal"
);
numeric_id!(
	/// An auction round's id (unique across buses).
	RoundId(u64),
	"a round"
);
numeric_id!(
	/// An auction order's id (bids and asks share the numbering).
	OrderId(u64),
	"an order"
);

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn ids_parse_print_and_serialize_as_the_chain_has_them() {
		let offer: OfferId = "42".parse().unwrap();
		assert_eq!((offer, offer.to_string()), (OfferId(42), "42".to_string()));
		assert_eq!(serde_json::to_value(offer).unwrap(), serde_json::json!(42));
		assert!("x".parse::<BusId>().unwrap_err().to_string().contains("not a bus id"));
		assert!("-1".parse::<TradeId>().is_err());

		let factory: FactoryId = "Factory01".parse().unwrap();
		assert_eq!(serde_json::to_value(&factory).unwrap(), serde_json::json!("Factory01"));
		assert_eq!(factory.encoded().0, b"Factory01".to_vec());
		assert!("".parse::<FactoryId>().is_err());
		assert!("F".repeat(33).parse::<FactoryId>().is_err());
		assert!("F".repeat(32).parse::<FactoryId>().is_ok());
	}
}
