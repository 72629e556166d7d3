//! Plain, serializable views of the chain's records: strings for ids and names, SS58 addresses
//! for accounts, Wh for energy and plancks for money. Both the library's queries and the
//! `--json` output of `energy-cli` use them.

use serde::{Deserialize, Serialize};
use subxt::{
	events::{Events, Phase},
	ext::scale_value::{Composite, Primitive, Value, ValueDef},
};

use crate::{
	runtime::runtime_types::{
		bounded_collections::bounded_vec::BoundedVec, pallet_energy_bus::types as bus,
		pallet_energy_trading::types as trading,
	},
	AccountId, Balance, ChainConfig, EnergyWh,
};

pub(crate) fn text(bytes: &BoundedVec<u8>) -> String {
	String::from_utf8_lossy(&bytes.0).into_owned()
}

/// A factory on the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FactoryView {
	/// Its id, e.g. `Factory01`.
	pub id: String,
	/// Its display name.
	pub name: String,
	/// What it produces, e.g. `Solar`.
	pub energy_type: String,
	/// Its owner.
	pub owner: AccountId,
	/// The account that reports its generation and consumption.
	pub meter: AccountId,
	/// Its energy, in Wh.
	pub energy_wh: EnergyWh,
	/// The block it was registered in.
	pub registered_at: u32,
}

impl From<trading::Factory<AccountId, u32, BoundedVec<u8>, BoundedVec<u8>>> for FactoryView {
	fn from(f: trading::Factory<AccountId, u32, BoundedVec<u8>, BoundedVec<u8>>) -> Self {
		Self {
			id: text(&f.id),
			name: text(&f.name),
			energy_type: format!("{:?}", f.energy_type),
			owner: f.owner,
			meter: f.meter,
			energy_wh: f.energy_wh,
			registered_at: f.registered_at,
		}
	}
}

/// A bilateral trade.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TradeView {
	/// Its id.
	pub id: u64,
	/// The selling factory.
	pub seller: String,
	/// The buying factory.
	pub buyer: String,
	/// The energy traded, in Wh.
	pub energy_wh: EnergyWh,
	/// The price of one kWh, in plancks.
	pub price_per_kwh: Balance,
	/// What the buyer pays, in plancks.
	pub total_price: Balance,
	/// When it was created (Unix ms).
	pub created_at: u64,
	/// When it settled (Unix ms), if it did.
	pub settled_at: Option<u64>,
	/// `Pending`, `Completed` or `Cancelled`.
	pub status: String,
}

impl From<trading::Trade<BoundedVec<u8>, Balance>> for TradeView {
	fn from(t: trading::Trade<BoundedVec<u8>, Balance>) -> Self {
		Self {
			id: t.id,
			seller: text(&t.seller),
			buyer: text(&t.buyer),
			energy_wh: t.energy_wh,
			price_per_kwh: t.price_per_kwh,
			total_price: t.total_price,
			created_at: t.created_at,
			settled_at: t.settled_at,
			status: format!("{:?}", t.status),
		}
	}
}

/// One change of a factory's balance, from the node's history index
/// (`energy_getFactoryHistory`). JSON in camelCase, the price as a decimal string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRecordView {
	/// What happened, in camelCase: `genesis`, `registered`, `minted`, `consumed`,
	/// `transferredOut`, `transferredIn`, `tradeCreated`, `tradeSold`, `tradeBought`,
	/// `tradeCancelled`, `escrowed`, `escrowReturned`, `marketSold`, `marketBought`.
	pub kind: String,
	/// The other factory, if any.
	pub counterparty: Option<String>,
	/// The trade, if any.
	pub trade_id: Option<u64>,
	/// The energy moved, in Wh.
	pub energy_wh: EnergyWh,
	/// The money paid or received, in plancks, for trades.
	#[serde(with = "amount_string")]
	pub total_price: Option<Balance>,
	/// The factory's balance afterwards, in Wh.
	pub balance_wh: EnergyWh,
	/// The block.
	pub block: u32,
	/// The block's hash.
	pub block_hash: String,
	/// The block's time (Unix ms).
	pub time: u64,
	/// Whether the block is final; a record that is not may still go away.
	#[serde(rename = "final")]
	pub is_final: bool,
}

/// An optional amount as a decimal string in JSON: amounts can exceed what a JSON number holds.
mod amount_string {
	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(amount: &Option<u128>, to: S) -> Result<S::Ok, S::Error> {
		match amount {
			Some(amount) => to.serialize_str(&amount.to_string()),
			None => to.serialize_none(),
		}
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Option<u128>, D::Error> {
		Option::<String>::deserialize(from)?
			.map(|text| text.parse().map_err(serde::de::Error::custom))
			.transpose()
	}
}

/// An energy bus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BusView {
	/// Its id.
	pub id: u32,
	/// Its name.
	pub name: String,
	/// Its co-owners.
	pub owners: Vec<AccountId>,
	/// How many owners must ask for a change.
	pub approval_threshold: u32,
	/// Its capacity, in Wh.
	pub capacity_wh: EnergyWh,
	/// The energy its open offers carry, in Wh.
	pub committed_wh: EnergyWh,
	/// Capacity left for new offers, in Wh.
	pub available_wh: EnergyWh,
	/// Its reserve price per kWh, in plancks.
	pub base_price_per_kwh: Balance,
	/// How many offers are open.
	pub open_offers: u32,
	/// Who created it and paid the deposit.
	pub creator: AccountId,
	/// The deposit held, in plancks.
	pub deposit: Balance,
	/// The block it was created in.
	pub created_at: u32,
}

type RawBus = bus::Bus<AccountId, Balance, u32, BoundedVec<u8>, BoundedVec<AccountId>>;

impl From<(RawBus, EnergyWh)> for BusView {
	fn from((b, available_wh): (RawBus, EnergyWh)) -> Self {
		Self {
			id: b.id,
			name: text(&b.name),
			owners: b.owners.0,
			approval_threshold: b.approval_threshold,
			capacity_wh: b.capacity_wh,
			committed_wh: b.committed_wh,
			available_wh,
			base_price_per_kwh: b.base_price_per_kwh,
			open_offers: b.open_offers,
			creator: b.creator,
			deposit: b.deposit,
			created_at: b.created_at,
		}
	}
}

impl From<RawBus> for BusView {
	/// A bus as a listing returns it: its free capacity is capacity − committed.
	fn from(b: RawBus) -> Self {
		let available_wh = b.capacity_wh.saturating_sub(b.committed_wh);
		Self::from((b, available_wh))
	}
}

/// One page of the listing of all buses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BusPageView {
	/// The buses found, in id order.
	pub buses: Vec<BusView>,
	/// The `start_after` of the next page, or `None` after the last page. A page may hold
	/// fewer buses than asked for (the ids of closed buses are gaps) and still have a next one.
	pub next_start_after: Option<u32>,
}

/// An offer of energy on a bus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OfferView {
	/// Its id.
	pub id: u64,
	/// The bus.
	pub bus_id: u32,
	/// The seller.
	pub seller: AccountId,
	/// The factory the energy came from.
	pub factory: String,
	/// The energy offered at first, in Wh.
	pub energy_wh: EnergyWh,
	/// The energy anyone can buy now, in Wh.
	pub available_wh: EnergyWh,
	/// The energy under live locks, in Wh.
	pub locked_wh: EnergyWh,
	/// The energy sold so far, in Wh.
	pub sold_wh: EnergyWh,
	/// The asking price per kWh, in plancks.
	pub price_per_kwh: Balance,
	/// How many live locks it has.
	pub locks: u32,
	/// `Open`, `Cancelled` or `Closed`.
	pub status: String,
	/// The block it was created in.
	pub created_at: u32,
}

impl From<bus::Offer<AccountId, Balance, u32, BoundedVec<u8>>> for OfferView {
	fn from(o: bus::Offer<AccountId, Balance, u32, BoundedVec<u8>>) -> Self {
		Self {
			id: o.id,
			bus_id: o.bus_id,
			seller: o.seller,
			factory: text(&o.factory),
			energy_wh: o.energy_wh,
			available_wh: o.available_wh,
			locked_wh: o.locked_wh,
			sold_wh: o.sold_wh,
			price_per_kwh: o.price_per_kwh,
			locks: o.locks,
			status: format!("{:?}", o.status),
			created_at: o.created_at,
		}
	}
}

/// A buyer's lock on part of an offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LockView {
	/// Its id.
	pub id: u64,
	/// The offer.
	pub offer_id: u64,
	/// The buyer holding it.
	pub holder: AccountId,
	/// The energy reserved, in Wh.
	pub energy_wh: EnergyWh,
	/// The price per kWh it keeps, in plancks.
	pub price_per_kwh: Balance,
	/// The payment held, in plancks.
	pub held: Balance,
	/// The last block it can be used in.
	pub expires_at: u32,
}

impl From<bus::Lock<AccountId, Balance, u32>> for LockView {
	fn from(l: bus::Lock<AccountId, Balance, u32>) -> Self {
		Self {
			id: l.id,
			offer_id: l.offer_id,
			holder: l.holder,
			energy_wh: l.energy_wh,
			price_per_kwh: l.price_per_kwh,
			held: l.held,
			expires_at: l.expires_at,
		}
	}
}

/// A purchase on the market, kept with its receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PurchaseView {
	/// Its id.
	pub id: u64,
	/// The offer.
	pub offer_id: u64,
	/// The bus.
	pub bus_id: u32,
	/// The buyer.
	pub buyer: AccountId,
	/// The seller.
	pub seller: AccountId,
	/// The factory that received the energy.
	pub into_factory: String,
	/// The energy bought, in Wh.
	pub energy_wh: EnergyWh,
	/// The price per kWh, in plancks.
	pub price_per_kwh: Balance,
	/// What the buyer paid, in plancks.
	pub total_price: Balance,
	/// The block.
	pub block: u32,
	/// The receipt hash of the buying call.
	pub receipt: crate::Hash,
}

impl From<bus::Purchase<AccountId, Balance, u32, BoundedVec<u8>>> for PurchaseView {
	fn from(p: bus::Purchase<AccountId, Balance, u32, BoundedVec<u8>>) -> Self {
		Self {
			id: p.id,
			offer_id: p.offer_id,
			bus_id: p.bus_id,
			buyer: p.buyer,
			seller: p.seller,
			into_factory: text(&p.into_factory),
			energy_wh: p.energy_wh,
			price_per_kwh: p.price_per_kwh,
			total_price: p.total_price,
			block: p.block,
			receipt: p.receipt,
		}
	}
}

/// A bus change waiting for more owners' approvals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProposalView {
	/// Its id (what `bus approve` takes).
	pub id: u32,
	/// The change, e.g. `AddOwner(5FLSigC9…)` or `SetCapacity(1000000)`.
	pub change: String,
	/// The owners who asked for it so far.
	pub approvals: Vec<AccountId>,
	/// The last block it can still be approved in.
	pub expires_at: u32,
}

/// How a bus change is described to people.
pub(crate) fn describe_change(change: &bus::BusChange<AccountId, Balance>) -> String {
	use bus::BusChange as C;
	match change {
		C::AddOwner(who) => format!("AddOwner({who})"),
		C::RemoveOwner(who) => format!("RemoveOwner({who})"),
		C::SetCapacity(wh) => format!("SetCapacity({wh} Wh)"),
		C::SetBasePrice(price) => format!("SetBasePrice({price} planck/kWh)"),
		C::SetApprovalThreshold(threshold) => format!("SetApprovalThreshold({threshold})"),
		C::Close => "Close".to_string(),
	}
}

/// The market parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MarketParamsView {
	/// How many blocks a lock lasts.
	pub lock_duration: u32,
	/// How many blocks receipts stay queryable.
	pub receipt_retention: u32,
	/// How many blocks an owner proposal waits for approvals.
	pub proposal_lifetime: u32,
}

/// An event, decoded: its pallet, name and fields (ids and names as text, accounts as SS58).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventView {
	/// The pallet, e.g. `EnergyTrading`.
	pub pallet: String,
	/// The event, e.g. `TradeExecuted`.
	pub name: String,
	/// Its fields.
	pub fields: serde_json::Value,
}

impl EventView {
	/// A field as a string (text, account or number), for display.
	pub fn field(&self, name: &str) -> Option<String> {
		match self.fields.get(name)? {
			serde_json::Value::String(text) => Some(text.clone()),
			other => Some(other.to_string()),
		}
	}
}

/// Decodes the events of one block, keeping those `keep` selects by extrinsic index.
pub(crate) fn decode_events(
	events: &Events<ChainConfig>,
	keep: impl Fn(&Phase) -> bool,
) -> Vec<EventView> {
	events
		.iter()
		.filter_map(Result::ok)
		.filter(|event| keep(&event.phase()))
		.map(|event| EventView {
			pallet: event.pallet_name().to_string(),
			name: event.event_name().to_string(),
			fields: event
				.decode_fields_unchecked_as::<Value>()
				.map(|value| to_json(&value))
				.unwrap_or(serde_json::Value::Null),
		})
		.collect()
}

/// The events of the extrinsic at `index`.
pub(crate) fn extrinsic_events(events: &Events<ChainConfig>, index: u32) -> Vec<EventView> {
	decode_events(events, |phase| matches!(phase, Phase::ApplyExtrinsic(i) if *i == index))
}

/// A SCALE value as JSON that people can read: byte strings that are text become strings,
/// 32-byte strings become SS58 accounts, other byte strings hex; one-field wrappers (such as
/// bounded vectors) are unwrapped.
pub fn to_json<T>(value: &Value<T>) -> serde_json::Value {
	use serde_json::Value as J;
	match &value.value {
		ValueDef::Composite(composite) => composite_json(composite),
		ValueDef::Variant(variant) => match &variant.values {
			Composite::Unnamed(values) if values.is_empty() => J::String(variant.name.clone()),
			values => serde_json::json!({ variant.name.clone(): composite_json(values) }),
		},
		ValueDef::Primitive(Primitive::Bool(b)) => J::Bool(*b),
		ValueDef::Primitive(Primitive::Char(c)) => J::String(c.to_string()),
		ValueDef::Primitive(Primitive::String(s)) => J::String(s.clone()),
		ValueDef::Primitive(Primitive::U128(n)) => number(*n),
		ValueDef::Primitive(Primitive::I128(n)) => {
			i64::try_from(*n).map(J::from).unwrap_or_else(|_| J::String(n.to_string()))
		},
		ValueDef::Primitive(Primitive::U256(bytes) | Primitive::I256(bytes)) => {
			J::String(format!("0x{}", hex::encode(bytes)))
		},
		ValueDef::BitSequence(bits) => J::String(format!("{bits:?}")),
	}
}

/// Numbers beyond what JSON readers hold exactly (2^53) are written as strings.
fn number(n: u128) -> serde_json::Value {
	if n <= (1u128 << 53) {
		serde_json::Value::from(n as u64)
	} else {
		serde_json::Value::String(n.to_string())
	}
}

/// Hashes (receipts) are 32 bytes like accounts, but read as hex.
fn field_json<T>(name: &str, value: &Value<T>) -> serde_json::Value {
	let is_hash = name == "receipt" || name.ends_with("hash");
	match &value.value {
		ValueDef::Composite(Composite::Unnamed(values)) if is_hash => {
			let inner = match values.as_slice() {
				[Value { value: ValueDef::Composite(Composite::Unnamed(inner)), .. }] => inner,
				other => other,
			};
			match as_bytes(inner) {
				Some(bytes) => serde_json::Value::String(format!("0x{}", hex::encode(bytes))),
				None => to_json(value),
			}
		},
		_ => to_json(value),
	}
}

fn composite_json<T>(composite: &Composite<T>) -> serde_json::Value {
	match composite {
		Composite::Named(fields) => serde_json::Value::Object(
			fields.iter().map(|(name, value)| (name.clone(), field_json(name, value))).collect(),
		),
		Composite::Unnamed(values) => {
			if let Some(bytes) = as_bytes(values) {
				return bytes_json(&bytes);
			}
			if values.len() == 1 {
				return to_json(&values[0]);
			}
			serde_json::Value::Array(values.iter().map(to_json).collect())
		},
	}
}

fn as_bytes<T>(values: &[Value<T>]) -> Option<Vec<u8>> {
	if values.is_empty() {
		return None;
	}
	values
		.iter()
		.map(|value| match value.value {
			ValueDef::Primitive(Primitive::U128(n)) if n <= 255 => Some(n as u8),
			_ => None,
		})
		.collect()
}

fn bytes_json(bytes: &[u8]) -> serde_json::Value {
	let printable = |text: &str| text.chars().all(|c| !c.is_control());
	if bytes.len() == 32 {
		let raw: [u8; 32] = bytes.try_into().expect("32 bytes");
		// Hashes (receipts) and accounts are both 32 bytes; accounts read better as SS58, and
		// a receipt hash shows as hex where the event names it `receipt`.
		return serde_json::Value::String(AccountId::from(raw).to_string());
	}
	match std::str::from_utf8(bytes) {
		Ok(text) if printable(text) => serde_json::Value::String(text.to_string()),
		_ => serde_json::Value::String(format!("0x{}", hex::encode(bytes))),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use subxt::ext::scale_value::value;

	#[test]
	fn event_fields_read_as_text_accounts_and_numbers() {
		let alice = [0xd4u8; 32];
		let factory: Vec<Value> = b"Factory01".iter().map(|b| Value::u128(*b as u128)).collect();
		let account: Vec<Value> = alice.iter().map(|b| Value::u128(*b as u128)).collect();
		let event = Value::named_composite([
			("factory_id", Value::unnamed_composite([Value::unnamed_composite(factory)])),
			("owner", Value::unnamed_composite([Value::unnamed_composite(account)])),
			("energy_wh", Value::u128(500_000)),
			("total_price", Value::u128(16_000_000_000_000_000)),
			("energy_type", value!(Solar())),
			("reason", value!(BatchItemFailed { index: 1u8 })),
			(
				"receipt",
				Value::unnamed_composite([Value::unnamed_composite(
					[7u8; 32].iter().map(|b| Value::u128(*b as u128)).collect::<Vec<_>>(),
				)]),
			),
		]);
		let json = to_json(&event);
		assert_eq!(json["factory_id"], "Factory01");
		assert_eq!(json["owner"], AccountId::from(alice).to_string());
		assert_eq!(json["energy_wh"], 500_000);
		assert_eq!(json["total_price"], "16000000000000000");
		assert_eq!(json["energy_type"], "Solar");
		assert_eq!(json["reason"], serde_json::json!({ "BatchItemFailed": { "index": 1 } }));
		assert_eq!(json["receipt"], format!("0x{}", "07".repeat(32)));
	}

	#[test]
	fn binary_bytes_are_hex() {
		let bytes: Vec<Value> =
			[0u8, 159, 146, 150].iter().map(|b| Value::u128(*b as u128)).collect();
		assert_eq!(to_json(&Value::unnamed_composite(bytes)), "0x009f9296");
	}
}
