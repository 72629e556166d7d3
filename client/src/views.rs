//! Plain, serializable views of the chain's records, in the project's one JSON convention
//! (`docs/json.md`): names in camelCase, ids and energy (Wh) as numbers, factory ids and names as
//! text, accounts as SS58 strings, hashes as 0x hex, and amounts of money (plancks, which can
//! exceed the 2^53 that JSON numbers hold exactly) as decimal strings. Both the library's
//! queries and the `--json` output of `energy-cli` use them; the node's `energy_*` RPC answers the
//! same shapes.

use std::fmt;

use serde::{Deserialize, Serialize};
use subxt::{
	events::{Events, Phase},
	ext::{
		scale_decode::Field,
		scale_value::{Composite, Primitive, Value, ValueDef},
	},
	metadata::Metadata,
};

use crate::{
	ids::{BusId, FactoryId, LockId, OfferId, TradeId},
	runtime::runtime_types::{
		bounded_collections::bounded_vec::BoundedVec, pallet_energy_bus::types as bus,
		pallet_energy_trading::types as trading,
	},
	AccountId, Balance, ChainConfig, EnergyWh,
};

pub(crate) fn text(bytes: &BoundedVec<u8>) -> String {
	String::from_utf8_lossy(&bytes.0).into_owned()
}

/// An amount of money in JSON: a decimal string, as amounts can exceed what a JSON number
/// holds exactly.
pub(crate) mod amount {
	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(amount: &u128, to: S) -> Result<S::Ok, S::Error> {
		to.serialize_str(&amount.to_string())
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<u128, D::Error> {
		String::deserialize(from)?.parse().map_err(serde::de::Error::custom)
	}

	/// An optional amount: a decimal string or `null`.
	pub mod optional {
		use serde::{Deserialize, Deserializer, Serializer};

		pub fn serialize<S: Serializer>(amount: &Option<u128>, to: S) -> Result<S::Ok, S::Error> {
			match amount {
				Some(amount) => super::serialize(amount, to),
				None => to.serialize_none(),
			}
		}

		pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Option<u128>, D::Error> {
			Option::<String>::deserialize(from)?
				.map(|text| text.parse().map_err(serde::de::Error::custom))
				.transpose()
		}
	}
}

/// Declares a view of one of the chain's enums: its variants, written as in Rust for people
/// (`Solar`) and in camelCase in JSON (`solar`).
macro_rules! view_enum {
	($(#[$doc:meta])* $name:ident from $chain:path { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
		$(#[$doc])*
		#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
		#[serde(rename_all = "camelCase")]
		pub enum $name {
			$($(#[$vdoc])* $variant),+
		}

		impl fmt::Display for $name {
			fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
				fmt::Debug::fmt(self, f)
			}
		}

		impl From<$chain> for $name {
			fn from(value: $chain) -> Self {
				use $chain as C;
				match value {
					$(C::$variant => Self::$variant),+
				}
			}
		}
	};
}

/// What a factory produces (the type generated from the metadata).
pub use crate::runtime::runtime_types::pallet_energy_trading::types::EnergyType;

/// Reads an energy type by name, in any case: solar, wind, hydro, kinetic, biomass, geothermal,
/// storage or other.
pub fn parse_energy_type(name: &str) -> Result<EnergyType, crate::Error> {
	Ok(match name.to_ascii_lowercase().as_str() {
		"solar" => EnergyType::Solar,
		"wind" => EnergyType::Wind,
		"hydro" => EnergyType::Hydro,
		"kinetic" => EnergyType::Kinetic,
		"biomass" => EnergyType::Biomass,
		"geothermal" => EnergyType::Geothermal,
		"storage" => EnergyType::Storage,
		"other" => EnergyType::Other,
		_ => {
			return Err(crate::Error::Invalid(format!(
				"unknown energy type {name:?}; use solar, wind, hydro, kinetic, biomass, \
				 geothermal, storage or other"
			)))
		},
	})
}

/// An energy type's name, as people read it: `Solar`.
pub fn energy_type_name(energy_type: &EnergyType) -> String {
	format!("{energy_type:?}")
}

/// An energy type in JSON: its name in camelCase, `solar`.
mod energy_type_json {
	use serde::{Deserialize, Deserializer, Serializer};

	use super::EnergyType;

	pub fn serialize<S: Serializer>(energy_type: &EnergyType, to: S) -> Result<S::Ok, S::Error> {
		to.serialize_str(&super::energy_type_name(energy_type).to_ascii_lowercase())
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<EnergyType, D::Error> {
		super::parse_energy_type(&String::deserialize(from)?).map_err(serde::de::Error::custom)
	}
}

view_enum!(
	/// Where a bilateral trade stands.
	TradeStatus from trading::TradeStatus {
		/// Created; its energy is in escrow until the buyer executes it or either side cancels.
		Pending,
		/// Executed: paid and delivered.
		Completed,
		/// Cancelled or rejected; the energy went back to the seller.
		Cancelled,
	}
);

view_enum!(
	/// Where an offer stands.
	OfferStatus from bus::OfferStatus {
		/// Open for purchases and locks.
		Open,
		/// Cancelled by its seller (it stays listed while locks on it live).
		Cancelled,
		/// Sold out.
		Closed,
	}
);

/// A factory on the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactoryView {
	/// Its id, e.g. `Factory01`.
	pub id: FactoryId,
	/// Its display name.
	pub name: String,
	/// What it produces.
	#[serde(with = "energy_type_json")]
	pub energy_type: EnergyType,
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
			id: FactoryId::decoded(&f.id),
			name: text(&f.name),
			energy_type: f.energy_type,
			owner: f.owner,
			meter: f.meter,
			energy_wh: f.energy_wh,
			registered_at: f.registered_at,
		}
	}
}

/// A bilateral trade.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TradeView {
	/// Its id.
	pub id: TradeId,
	/// The selling factory.
	pub seller: FactoryId,
	/// The buying factory.
	pub buyer: FactoryId,
	/// The energy traded, in Wh.
	pub energy_wh: EnergyWh,
	/// The price of one kWh, in plancks.
	#[serde(with = "amount")]
	pub price_per_kwh: Balance,
	/// What the buyer pays, in plancks.
	#[serde(with = "amount")]
	pub total_price: Balance,
	/// When it was created (Unix ms).
	pub created_at: u64,
	/// When it settled (Unix ms), if it did.
	pub settled_at: Option<u64>,
	/// Where it stands.
	pub status: TradeStatus,
}

impl From<trading::Trade<BoundedVec<u8>, Balance>> for TradeView {
	fn from(t: trading::Trade<BoundedVec<u8>, Balance>) -> Self {
		Self {
			id: TradeId(t.id),
			seller: FactoryId::decoded(&t.seller),
			buyer: FactoryId::decoded(&t.buyer),
			energy_wh: t.energy_wh,
			price_per_kwh: t.price_per_kwh,
			total_price: t.total_price,
			created_at: t.created_at,
			settled_at: t.settled_at,
			status: t.status.into(),
		}
	}
}

/// One change of a factory's balance, from the node's history index
/// (`energy_getFactoryHistory`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRecordView {
	/// What happened, in camelCase: `genesis`, `registered`, `minted`, `consumed`,
	/// `transferredOut`, `transferredIn`, `tradeCreated`, `tradeSold`, `tradeBought`,
	/// `tradeCancelled`, `escrowed`, `escrowReturned`, `marketSold`, `marketBought`.
	pub kind: String,
	/// The other factory, if any.
	pub counterparty: Option<FactoryId>,
	/// The trade, if any.
	pub trade_id: Option<TradeId>,
	/// The energy moved, in Wh.
	pub energy_wh: EnergyWh,
	/// The money paid or received, in plancks, for trades.
	#[serde(with = "amount::optional")]
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

/// An energy bus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusView {
	/// Its id.
	pub id: BusId,
	/// Its name.
	pub name: String,
	/// Its co-owners.
	pub owners: Vec<AccountId>,
	/// How many owners must ask for a change.
	pub approval_threshold: u32,
	/// Its capacity, in Wh.
	pub capacity_wh: EnergyWh,
	/// The energy its offers carry (open ones, and cancelled ones while locks on them live),
	/// in Wh.
	pub committed_wh: EnergyWh,
	/// Capacity left for new offers, in Wh.
	pub available_wh: EnergyWh,
	/// Its reserve price per kWh, in plancks.
	#[serde(with = "amount")]
	pub base_price_per_kwh: Balance,
	/// How many offers it lists: open ones, and cancelled ones while locks on them live.
	pub open_offers: u32,
	/// Who created it and paid the deposit.
	pub creator: AccountId,
	/// The deposit held, in plancks.
	#[serde(with = "amount")]
	pub deposit: Balance,
	/// The block it was created in.
	pub created_at: u32,
}

type RawBus = bus::Bus<AccountId, Balance, u32, BoundedVec<u8>, BoundedVec<AccountId>>;

impl From<(RawBus, EnergyWh)> for BusView {
	fn from((b, available_wh): (RawBus, EnergyWh)) -> Self {
		Self {
			id: BusId(b.id),
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusPageView {
	/// The buses found, in id order.
	pub buses: Vec<BusView>,
	/// The `start_after` of the next page, or `None` after the last page. A page may hold
	/// fewer buses than asked for (the ids of closed buses are gaps) and still have a next one.
	pub next_start_after: Option<BusId>,
}

/// An offer of energy on a bus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferView {
	/// Its id.
	pub id: OfferId,
	/// The bus.
	pub bus_id: BusId,
	/// The seller.
	pub seller: AccountId,
	/// The factory the energy came from.
	pub factory: FactoryId,
	/// The energy offered at first, in Wh.
	pub energy_wh: EnergyWh,
	/// The energy anyone can buy now, in Wh.
	pub available_wh: EnergyWh,
	/// The energy under live locks, in Wh.
	pub locked_wh: EnergyWh,
	/// The energy sold so far, in Wh.
	pub sold_wh: EnergyWh,
	/// The asking price per kWh, in plancks.
	#[serde(with = "amount")]
	pub price_per_kwh: Balance,
	/// How many live locks it has.
	pub locks: u32,
	/// Where it stands.
	pub status: OfferStatus,
	/// The block it was created in.
	pub created_at: u32,
}

impl From<bus::Offer<AccountId, Balance, u32, BoundedVec<u8>>> for OfferView {
	fn from(o: bus::Offer<AccountId, Balance, u32, BoundedVec<u8>>) -> Self {
		Self {
			id: OfferId(o.id),
			bus_id: BusId(o.bus_id),
			seller: o.seller,
			factory: FactoryId::decoded(&o.factory),
			energy_wh: o.energy_wh,
			available_wh: o.available_wh,
			locked_wh: o.locked_wh,
			sold_wh: o.sold_wh,
			price_per_kwh: o.price_per_kwh,
			locks: o.locks,
			status: o.status.into(),
			created_at: o.created_at,
		}
	}
}

/// A buyer's lock on part of an offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockView {
	/// Its id.
	pub id: LockId,
	/// The offer.
	pub offer_id: OfferId,
	/// The buyer holding it.
	pub holder: AccountId,
	/// The energy reserved, in Wh.
	pub energy_wh: EnergyWh,
	/// The price per kWh it keeps, in plancks.
	#[serde(with = "amount")]
	pub price_per_kwh: Balance,
	/// The payment held, in plancks.
	#[serde(with = "amount")]
	pub held: Balance,
	/// The last block it can be used in.
	pub expires_at: u32,
}

impl From<bus::Lock<AccountId, Balance, u32>> for LockView {
	fn from(l: bus::Lock<AccountId, Balance, u32>) -> Self {
		Self {
			id: LockId(l.id),
			offer_id: OfferId(l.offer_id),
			holder: l.holder,
			energy_wh: l.energy_wh,
			price_per_kwh: l.price_per_kwh,
			held: l.held,
			expires_at: l.expires_at,
		}
	}
}

/// An offer's live locks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferLocksView {
	/// The energy they hold, in Wh.
	pub locked_wh: EnergyWh,
	/// The locks.
	pub locks: Vec<LockView>,
}

/// A purchase on the market, kept with its receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseView {
	/// Its id.
	pub id: u64,
	/// The offer.
	pub offer_id: OfferId,
	/// The bus.
	pub bus_id: BusId,
	/// The buyer.
	pub buyer: AccountId,
	/// The seller.
	pub seller: AccountId,
	/// The factory that received the energy.
	pub into_factory: FactoryId,
	/// The energy bought, in Wh.
	pub energy_wh: EnergyWh,
	/// The price per kWh, in plancks.
	#[serde(with = "amount")]
	pub price_per_kwh: Balance,
	/// What the buyer paid, in plancks.
	#[serde(with = "amount")]
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
			offer_id: OfferId(p.offer_id),
			bus_id: BusId(p.bus_id),
			buyer: p.buyer,
			seller: p.seller,
			into_factory: FactoryId::decoded(&p.into_factory),
			energy_wh: p.energy_wh,
			price_per_kwh: p.price_per_kwh,
			total_price: p.total_price,
			block: p.block,
			receipt: p.receipt,
		}
	}
}

/// A bus change waiting for more owners' approvals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProposalView {
	/// Its id (what `bus approve` takes).
	pub id: u32,
	/// The change, e.g. `AddOwner(5FLSigC9…)` or `SetCapacity(1000000 Wh)`.
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarketParamsView {
	/// How many blocks a lock lasts.
	pub lock_duration: u32,
	/// How many blocks receipts stay queryable.
	pub receipt_retention: u32,
	/// How many blocks an owner proposal waits for approvals.
	pub proposal_lifetime: u32,
}

/// An event, decoded for display and JSON: its pallet, name and fields (field names in
/// camelCase, ids and names as text, accounts as SS58, hashes as hex, 128-bit numbers such as
/// amounts of money as decimal strings). To act on an event, decode it into the types generated
/// from the metadata instead ([`crate::TxOutcome::find`], [`crate::EnergyClient::find_events`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventView {
	/// The pallet, e.g. `EnergyTrading`.
	pub pallet: String,
	/// The event, e.g. `TradeExecuted`.
	pub name: String,
	/// Its fields.
	pub fields: serde_json::Value,
}

/// Decodes the events of one block, keeping those `keep` selects by extrinsic index.
pub(crate) fn decode_events(
	metadata: &Metadata,
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
			fields: event_fields(
				metadata,
				event.pallet_index(),
				event.event_index(),
				event.field_bytes(),
			)
			.unwrap_or(serde_json::Value::Null),
		})
		.collect()
}

/// An event's fields as JSON, decoded with their types from the metadata (so that a 128-bit
/// number is a string whatever its value).
fn event_fields(
	metadata: &Metadata,
	pallet_index: u8,
	event_index: u8,
	mut bytes: &[u8],
) -> Option<serde_json::Value> {
	let variant =
		metadata.pallet_by_event_index(pallet_index)?.event_variant_by_index(event_index)?;
	let types = metadata.types();
	let mut fields =
		variant.fields.iter().map(|field| Field::new(field.ty.id, field.name.as_deref()));
	let composite =
		subxt::ext::scale_value::scale::decode_as_fields(&mut bytes, &mut fields, types).ok()?;
	let wide = |id: &u32| is_wide(types, *id);
	Some(composite_json(&composite, &wide))
}

/// Whether the type `id` is a 128-bit (or wider) number, directly or through compact encoding
/// or a one-field wrapper.
fn is_wide(types: &scale_info::PortableRegistry, id: u32) -> bool {
	use scale_info::{TypeDef, TypeDefPrimitive as P};
	match types.resolve(id).map(|ty| &ty.type_def) {
		Some(TypeDef::Primitive(P::U128 | P::I128 | P::U256 | P::I256)) => true,
		Some(TypeDef::Compact(compact)) => is_wide(types, compact.type_param.id),
		Some(TypeDef::Composite(composite)) if composite.fields.len() == 1 => {
			is_wide(types, composite.fields[0].ty.id)
		},
		_ => false,
	}
}

/// The events of the extrinsic at `index`.
pub(crate) fn extrinsic_events(
	metadata: &Metadata,
	events: &Events<ChainConfig>,
	index: u32,
) -> Vec<EventView> {
	decode_events(
		metadata,
		events,
		|phase| matches!(phase, Phase::ApplyExtrinsic(i) if *i == index),
	)
}

/// A SCALE value as JSON that people can read: byte strings that are text become strings,
/// 32-byte strings become SS58 accounts, other byte strings hex; one-field wrappers (such as
/// bounded vectors) are unwrapped; field names are camelCase; numbers whose type `wide` says is
/// 128 bits or more are decimal strings.
pub fn to_json<T>(value: &Value<T>, wide: &dyn Fn(&T) -> bool) -> serde_json::Value {
	use serde_json::Value as J;
	match &value.value {
		ValueDef::Composite(composite) => composite_json(composite, wide),
		ValueDef::Variant(variant) => match &variant.values {
			Composite::Unnamed(values) if values.is_empty() => J::String(variant.name.clone()),
			values => serde_json::json!({ variant.name.clone(): composite_json(values, wide) }),
		},
		ValueDef::Primitive(Primitive::Bool(b)) => J::Bool(*b),
		ValueDef::Primitive(Primitive::Char(c)) => J::String(c.to_string()),
		ValueDef::Primitive(Primitive::String(s)) => J::String(s.clone()),
		ValueDef::Primitive(Primitive::U128(n)) if wide(&value.context) => J::String(n.to_string()),
		ValueDef::Primitive(Primitive::U128(n)) => number(*n),
		ValueDef::Primitive(Primitive::I128(n)) if wide(&value.context) => J::String(n.to_string()),
		ValueDef::Primitive(Primitive::I128(n)) => {
			i64::try_from(*n).map(J::from).unwrap_or_else(|_| J::String(n.to_string()))
		},
		ValueDef::Primitive(Primitive::U256(bytes) | Primitive::I256(bytes)) => {
			J::String(format!("0x{}", hex::encode(bytes)))
		},
		ValueDef::BitSequence(bits) => J::String(format!("{bits:?}")),
	}
}

/// A number that is not 128 bits wide; one beyond what JSON readers hold exactly (2^53) would
/// still be written as a string.
fn number(n: u128) -> serde_json::Value {
	if n <= (1u128 << 53) {
		serde_json::Value::from(n as u64)
	} else {
		serde_json::Value::String(n.to_string())
	}
}

/// `energy_wh` → `energyWh`.
fn camel_case(name: &str) -> String {
	let mut out = String::with_capacity(name.len());
	let mut upper = false;
	for c in name.chars() {
		if c == '_' {
			upper = !out.is_empty();
		} else if upper {
			out.extend(c.to_uppercase());
			upper = false;
		} else {
			out.push(c);
		}
	}
	out
}

/// Hashes (receipts) are 32 bytes like accounts, but read as hex.
fn field_json<T>(name: &str, value: &Value<T>, wide: &dyn Fn(&T) -> bool) -> serde_json::Value {
	let is_hash = name == "receipt" || name.ends_with("hash");
	match &value.value {
		ValueDef::Composite(Composite::Unnamed(values)) if is_hash => {
			let inner = match values.as_slice() {
				[Value { value: ValueDef::Composite(Composite::Unnamed(inner)), .. }] => inner,
				other => other,
			};
			match as_bytes(inner) {
				Some(bytes) => serde_json::Value::String(format!("0x{}", hex::encode(bytes))),
				None => to_json(value, wide),
			}
		},
		_ => to_json(value, wide),
	}
}

fn composite_json<T>(composite: &Composite<T>, wide: &dyn Fn(&T) -> bool) -> serde_json::Value {
	match composite {
		Composite::Named(fields) => serde_json::Value::Object(
			fields
				.iter()
				.map(|(name, value)| (camel_case(name), field_json(name, value, wide)))
				.collect(),
		),
		Composite::Unnamed(values) => {
			if let Some(bytes) = as_bytes(values) {
				return bytes_json(&bytes);
			}
			if values.len() == 1 {
				return to_json(&values[0], wide);
			}
			serde_json::Value::Array(values.iter().map(|value| to_json(value, wide)).collect())
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

	/// Values whose context says whether their type is 128 bits wide, as the metadata's types
	/// say in use.
	fn narrow(value: Value) -> Value<bool> {
		value.map_context(|()| false)
	}

	#[test]
	fn event_fields_read_as_text_accounts_numbers_and_amounts() {
		let alice = [0xd4u8; 32];
		let factory: Vec<Value> = b"Factory01".iter().map(|b| Value::u128(*b as u128)).collect();
		let account: Vec<Value> = alice.iter().map(|b| Value::u128(*b as u128)).collect();
		let amount =
			|n: u128| Value { value: ValueDef::Primitive(Primitive::U128(n)), context: true };
		let fields = [
			("factory_id", narrow(Value::unnamed_composite([Value::unnamed_composite(factory)]))),
			("owner", narrow(Value::unnamed_composite([Value::unnamed_composite(account)]))),
			("energy_wh", narrow(Value::u128(500_000))),
			("total_price", amount(16_000_000_000_000_000)),
			("held", amount(5)),
			("energy_type", narrow(value!(Solar()))),
			("reason", narrow(value!(BatchItemFailed { index: 1u8 }))),
			(
				"receipt",
				narrow(Value::unnamed_composite([Value::unnamed_composite(
					[7u8; 32].iter().map(|b| Value::u128(*b as u128)).collect::<Vec<_>>(),
				)])),
			),
		];
		let fields = fields.into_iter().map(|(name, value)| (name.to_string(), value)).collect();
		let event = Value { value: ValueDef::Composite(Composite::Named(fields)), context: false };
		let json = to_json(&event, &|wide: &bool| *wide);
		assert_eq!(json["factoryId"], "Factory01");
		assert_eq!(json["owner"], AccountId::from(alice).to_string());
		assert_eq!(json["energyWh"], 500_000);
		assert_eq!(json["totalPrice"], "16000000000000000");
		// An amount is a string whatever its value, so readers need not check.
		assert_eq!(json["held"], "5");
		assert_eq!(json["energyType"], "Solar");
		assert_eq!(json["reason"], serde_json::json!({ "BatchItemFailed": { "index": 1 } }));
		assert_eq!(json["receipt"], format!("0x{}", "07".repeat(32)));
	}

	#[test]
	fn binary_bytes_are_hex() {
		let bytes: Vec<Value> =
			[0u8, 159, 146, 150].iter().map(|b| Value::u128(*b as u128)).collect();
		assert_eq!(to_json(&Value::unnamed_composite(bytes), &|_: &()| false), "0x009f9296");
	}

	#[test]
	fn names_are_camel_case() {
		assert_eq!(camel_case("energy_wh"), "energyWh");
		assert_eq!(camel_case("max_price_per_kwh"), "maxPricePerKwh");
		assert_eq!(camel_case("who"), "who");
	}

	#[test]
	fn views_follow_the_json_convention() {
		let lock = LockView {
			id: LockId(3),
			offer_id: OfferId(7),
			holder: AccountId::from([1u8; 32]),
			energy_wh: 1_000,
			price_per_kwh: 30_000_000_000_000,
			held: 30_000_000_000_000,
			expires_at: 90,
		};
		let json = serde_json::to_value(&lock).unwrap();
		assert_eq!(json["offerId"], 7);
		assert_eq!(json["pricePerKwh"], "30000000000000");
		assert_eq!(json["expiresAt"], 90);
		assert_eq!(serde_json::from_value::<LockView>(json).unwrap(), lock);
		assert_eq!(serde_json::to_value(OfferStatus::Open).unwrap(), "open");
		assert_eq!(OfferStatus::Open.to_string(), "Open");
		assert_eq!(parse_energy_type("Geothermal").unwrap(), EnergyType::Geothermal);
		assert!(parse_energy_type("coal").unwrap_err().to_string().contains("solar, wind"));
		let factory = FactoryView {
			id: "Factory01".into(),
			name: "Sunfield".into(),
			energy_type: EnergyType::Solar,
			owner: AccountId::from([1u8; 32]),
			meter: AccountId::from([1u8; 32]),
			energy_wh: 5,
			registered_at: 0,
		};
		let json = serde_json::to_value(&factory).unwrap();
		assert_eq!((&json["energyType"], &json["energyWh"]), (&"solar".into(), &5.into()));
		assert_eq!(serde_json::from_value::<FactoryView>(json).unwrap(), factory);
	}
}
