//! The factories' history: an index the node keeps of the ledger's events, served as
//! `energy_getFactoryHistory`.
//!
//! The chain's state keeps each factory's balance only; every change of a balance is an event of
//! pallet-energy-trading that carries the balances it left (`EnergyMinted`, `EnergyTransferred`,
//! `TradeExecuted`, `MarketDelivered`, ...). This module turns those events into history records,
//! one or two per event, and stores them in the node's database (the client's auxiliary storage,
//! next to the blocks), a numbered list per factory.
//!
//! **Why an indexer fed by the node's block notifications, and not offchain indexing.** Offchain
//! indexing writes from inside the runtime while a block executes: it needs every node to run with
//! `--enable-offchain-indexing`, it writes for every block executed (forks and re-executions
//! included) with no way to tell them apart afterwards, and it cannot index blocks the node
//! imported before it was switched on. An indexer beside the client (as Frontier's mapping-sync
//! maps Ethereum hashes) reads a block's events from its state after import, so it can:
//! - start on any node, indexing from the first block whose state the node still has (genesis on
//!   a node that indexed from the start, or on an archive node, which rebuilds the whole index
//!   when it starts with an empty one), and say from which block the index is complete;
//! - keep the block hash with every record and answer only records of the chain the node follows
//!   now (a record of a block that a reorganisation left is skipped), marking those of blocks that
//!   are not final yet;
//! - keep the runtime free of any of this: the runtime emits events, which it does anyway.
//!
//! The records of finalized blocks are indexed in order, block by block, so they have no gaps;
//! the blocks of the best chain above the last finalized one are indexed as they are imported
//! and marked, so finality does not index them twice, each after its parent, on from the highest
//! one indexed (which the index keeps: catching up after a finality stall does not rescan the
//! blocks above the last finalized one). Each block's records, the count of records per factory
//! and the index's progress are written in one database transaction.

use std::{collections::BTreeMap, sync::Arc};

use codec::{Decode, Encode};
use energy_runtime::{opaque::Block, FactoryId, Runtime, RuntimeEvent};
use futures::StreamExt;
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::error::ErrorObject};
use pallet_energy_trading::{Event as LedgerEvent, LedgerEntry};
use pallet_energy_trading_runtime_api::EnergyTradingApi;
use sc_client_api::{AuxStore, BlockchainEvents, StorageProvider};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::{HeaderBackend, Info};
use sp_core::{storage::StorageKey, H256};
use sp_io::hashing::twox_128;

use crate::service::FullClient;

/// What changed a factory's balance: the ledger's kinds of change, and `Genesis`, the index's own
/// record of a balance at genesis.
pub use pallet_energy_trading::EntryKind as Kind;

/// One change of a factory's balance, as the index stores it (SCALE) and answers it (JSON, in
/// camelCase, the counterparty as text and the price as a decimal string).
#[derive(Encode, Decode, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
	/// What happened, in camelCase in JSON (`minted`, `marketBought`, ...).
	pub kind: Kind,
	/// The other factory involved, if any.
	#[serde(serialize_with = "json::text")]
	pub counterparty: Option<Vec<u8>>,
	/// The trade involved, if any.
	pub trade_id: Option<u64>,
	/// The energy moved, in Wh.
	pub energy_wh: u64,
	/// The total price paid or received, for trades, in the currency's smallest unit (a decimal
	/// string in JSON: it can exceed what a JSON number holds).
	#[serde(serialize_with = "json::decimal")]
	pub total_price: Option<u128>,
	/// The factory's balance afterwards, in Wh.
	pub balance_wh: u64,
	/// The block it happened in.
	pub block: u32,
	/// That block's hash: a record whose block is no longer on the chain is not answered.
	pub block_hash: H256,
	/// When it happened: the block's timestamp, in ms since the Unix epoch (0 at genesis).
	pub time: u64,
}

/// How [`Record`]'s fields read in JSON.
mod json {
	use serde::Serializer;

	/// Bytes as text.
	pub fn text<S: Serializer>(bytes: &Option<Vec<u8>>, to: S) -> Result<S::Ok, S::Error> {
		match bytes {
			Some(bytes) => to.serialize_str(&String::from_utf8_lossy(bytes)),
			None => to.serialize_none(),
		}
	}

	/// An amount as a decimal string.
	pub fn decimal<S: Serializer>(amount: &Option<u128>, to: S) -> Result<S::Ok, S::Error> {
		match amount {
			Some(amount) => to.serialize_str(&amount.to_string()),
			None => to.serialize_none(),
		}
	}
}

/// Where a record happened: its block and the block's time.
#[derive(Clone, Copy)]
pub struct Stamp {
	/// The block's number.
	pub block: u32,
	/// The block's hash.
	pub hash: H256,
	/// The block's timestamp, in ms.
	pub time: u64,
}

/// The record of a ledger entry at `stamp`, with the factory it belongs to.
fn record_of(entry: LedgerEntry<FactoryId, u128>, stamp: Stamp) -> (FactoryId, Record) {
	let record = Record {
		kind: entry.kind,
		counterparty: entry.counterparty.map(|factory| factory.into_inner()),
		trade_id: entry.trade_id,
		energy_wh: entry.energy_wh,
		total_price: entry.total_price,
		balance_wh: entry.balance_wh,
		block: stamp.block,
		block_hash: stamp.hash,
		time: stamp.time,
	};
	(entry.factory, record)
}

/// The history records a ledger event adds, each with the factory it belongs to: one for each
/// entry of the event ([`LedgerEvent::ledger_entries`]): two for events between two factories
/// (a transfer, an executed trade, a market delivery), one otherwise, none for events that
/// change no balance (`MeterChanged`, `MeterRequested`, `RatedPowerChanged`).
pub fn records_of(event: &LedgerEvent<Runtime>, stamp: Stamp) -> Vec<(FactoryId, Record)> {
	event.ledger_entries().into_iter().map(|entry| record_of(entry, stamp)).collect()
}

/// The keys of the index in the node's auxiliary storage.
mod keys {
	use codec::Encode;
	use energy_runtime::FactoryId;
	use sp_core::H256;

	/// The index's progress ([`super::Progress`]).
	pub const PROGRESS: &[u8] = b"energy-history/progress";

	/// How many records a factory has.
	pub fn count(factory: &FactoryId) -> Vec<u8> {
		(b"energy-history/count/", factory).encode()
	}

	/// A factory's `index`th record (from 0, oldest first).
	pub fn record(factory: &FactoryId, index: u32) -> Vec<u8> {
		(b"energy-history/record/", factory, index.to_be_bytes()).encode()
	}

	/// The number of the block above the last finalized one indexed last, or of a block of the
	/// best chain above it indexed before: where indexing the best chain goes on
	/// (`HistoryIndex::best_indexed`).
	pub const BEST_INDEXED: &[u8] = b"energy-history/best-indexed";

	/// Marks a block above the last finalized one whose records are in the index.
	pub fn unfinalized(hash: &H256) -> Vec<u8> {
		(b"energy-history/unfinalized/", hash).encode()
	}
}

/// How far the index is.
#[derive(Encode, Decode, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
	/// Every finalized block from this one on is in the index.
	pub complete_from: u32,
	/// The next finalized block to index.
	pub next: u32,
}

/// A failure to index or to read the index.
#[derive(Debug)]
pub struct IndexError(String);

impl<E: std::fmt::Display> From<E> for IndexError {
	fn from(error: E) -> Self {
		Self(error.to_string())
	}
}

/// Keys and values to write to the auxiliary storage, in one transaction.
type AuxWrites = Vec<(Vec<u8>, Vec<u8>)>;

/// The storage key of `pallet`'s `item` (a plain storage value).
fn value_key(pallet: &str, item: &str) -> StorageKey {
	StorageKey([twox_128(pallet.as_bytes()), twox_128(item.as_bytes())].concat())
}

/// The factories' history index of one node.
pub struct HistoryIndex {
	client: Arc<FullClient>,
	/// Held while a block is indexed.
	writer: std::sync::Mutex<()>,
}

impl HistoryIndex {
	/// The index of `client`'s chain.
	pub fn new(client: Arc<FullClient>) -> Self {
		Self { client, writer: Default::default() }
	}

	fn get<T: Decode>(&self, key: &[u8]) -> Result<Option<T>, IndexError> {
		match self.client.get_aux(key)? {
			Some(bytes) => Ok(Some(T::decode(&mut &bytes[..])?)),
			None => Ok(None),
		}
	}

	/// How far the index is; `None` before it indexed its first block.
	pub fn progress(&self) -> Result<Option<Progress>, IndexError> {
		self.get(keys::PROGRESS)
	}

	/// How many records `factory` has (those of blocks a reorganisation left included).
	fn count(&self, factory: &FactoryId) -> Result<u32, IndexError> {
		Ok(self.get(&keys::count(factory))?.unwrap_or(0))
	}

	/// `factory`'s `index`th record.
	fn record(&self, factory: &FactoryId, index: u32) -> Result<Record, IndexError> {
		self.get(&keys::record(factory, index))?
			.ok_or_else(|| IndexError(format!("record {index} is missing")))
	}

	/// The history records of the block `number` (hash `hash`), from its events; for genesis,
	/// which has no events, a `Genesis` record of each factory's balance.
	fn records_of_block(
		&self,
		number: u32,
		hash: H256,
	) -> Result<Vec<(FactoryId, Record)>, IndexError> {
		let storage = |key: StorageKey| self.client.storage(hash, &key);
		let time = match storage(value_key("Timestamp", "Now"))? {
			Some(data) => u64::decode(&mut &data.0[..])?,
			None => 0,
		};
		let stamp = Stamp { block: number, hash, time };
		if number == 0 {
			return self.genesis_records(stamp);
		}
		let Some(events) = storage(value_key("System", "Events"))? else { return Ok(vec![]) };
		let events =
			Vec::<frame_system::EventRecord<RuntimeEvent, H256>>::decode(&mut &events.0[..])?;
		Ok(events
			.iter()
			.filter_map(|record| match &record.event {
				RuntimeEvent::EnergyTrading(event) => Some(records_of(event, stamp)),
				_ => None,
			})
			.flatten()
			.collect())
	}

	/// A `Genesis` record of every factory's balance at genesis.
	fn genesis_records(&self, stamp: Stamp) -> Result<Vec<(FactoryId, Record)>, IndexError> {
		let api = self.client.runtime_api();
		let mut records = Vec::new();
		let mut after = None;
		loop {
			let page = api.factories(stamp.hash, after, pallet_energy_trading::MAX_PAGE)?;
			let Some(last) = page.last() else { break };
			after = Some(last.id.clone());
			records.extend(page.into_iter().map(|factory| {
				let balance = factory.energy_wh;
				record_of(LedgerEntry::new(&factory.id, Kind::Genesis, balance, balance), stamp)
			}));
		}
		Ok(records)
	}

	/// The writes that add `records` to the index.
	fn writes(&self, records: Vec<(FactoryId, Record)>) -> Result<AuxWrites, IndexError> {
		let mut counts: BTreeMap<FactoryId, u32> = BTreeMap::new();
		let mut writes = Vec::new();
		for (factory, record) in records {
			let count = match counts.get(&factory) {
				Some(count) => *count,
				None => self.count(&factory)?,
			};
			writes.push((keys::record(&factory, count), record.encode()));
			counts.insert(factory, count + 1);
		}
		writes.extend(counts.iter().map(|(factory, count)| (keys::count(factory), count.encode())));
		Ok(writes)
	}

	/// Whether the state of block `number` of the canonical chain is still kept.
	fn has_state(&self, number: u32) -> bool {
		match self.client.hash(number) {
			Ok(Some(hash)) => self.client.storage(hash, &value_key("System", "Number")).is_ok(),
			_ => false,
		}
	}

	/// The first finalized block whose state the node still has: where a new index begins.
	fn first_with_state(&self, finalized: u32) -> u32 {
		if self.has_state(0) {
			return 0;
		}
		// The pruned blocks are a prefix of the chain: find its end.
		let (mut low, mut high) = (0, finalized);
		while low < high {
			let middle = low + (high - low) / 2;
			if self.has_state(middle) {
				high = middle;
			} else {
				low = middle + 1;
			}
		}
		low
	}

	/// Indexes every block not indexed yet: the finalized ones in order, then those of the best
	/// chain above them. Returns how far the index is then.
	pub fn catch_up(&self) -> Result<Progress, IndexError> {
		loop {
			if let Step::UpToDate(progress) = self.index_next()? {
				return Ok(progress);
			}
		}
	}

	/// Indexes the next block not indexed yet, if there is one: the next finalized block, or a
	/// block of the best chain above the last finalized one. One block at a time, under the
	/// writer's lock, so that the task that follows the chain and an RPC call that catches up
	/// take turns.
	fn index_next(&self) -> Result<Step, IndexError> {
		let _writer = self.writer.lock().map_err(|_| IndexError("a writer panicked".into()))?;
		let info = self.client.info();
		let mut progress = match self.progress()? {
			Some(progress) => progress,
			None => {
				let first = self.first_with_state(info.finalized_number);
				Progress { complete_from: first, next: first }
			},
		};
		if progress.next <= info.finalized_number {
			let number = progress.next;
			let hash = self
				.client
				.hash(number)?
				.ok_or_else(|| IndexError(format!("no finalized block #{number}")))?;
			let marker = keys::unfinalized(&hash);
			let marked = self.client.get_aux(&marker)?.is_some();
			let mut writes = Vec::new();
			if !marked {
				match self.records_of_block(number, hash) {
					Ok(records) => writes = self.writes(records)?,
					Err(error) if !self.has_state(number) => {
						// The node no longer has this block's state (it pruned it before the
						// index got there): the index is complete again from the next block
						// whose state it has.
						log::warn!(
							target: "energy-history",
							"block #{number}'s state is pruned ({error:?}): the factories' history \
							 is complete from a later block"
						);
						let first = self.first_with_state(info.finalized_number).max(number + 1);
						progress = Progress { complete_from: first, next: first };
						self.client.insert_aux(&[(keys::PROGRESS, &progress.encode()[..])], &[])?;
						return Ok(Step::Indexed);
					},
					Err(error) => return Err(error),
				}
			}
			progress.next = number + 1;
			writes.push((keys::PROGRESS.to_vec(), progress.encode()));
			let inserts: Vec<_> = writes.iter().map(|(k, v)| (&k[..], &v[..])).collect();
			let deletes: Vec<&[u8]> = if marked { vec![&marker[..]] } else { vec![] };
			self.client.insert_aux(&inserts, &deletes)?;
			return Ok(Step::Indexed);
		}
		// The best chain above the last finalized block, on from its highest indexed block: each
		// block after checking that its parent is the block before (the best chain may change
		// while this reads it; the block notification that says so catches up again).
		let (start, mut parent) = self.best_indexed(&info)?;
		let mut number = start;
		while number < info.best_number {
			let Some(hash) = self.client.hash(number + 1)? else { break };
			if self.client.header(hash)?.map(|header| header.parent_hash) != Some(parent) {
				break;
			}
			number += 1;
			parent = hash;
			let marker = keys::unfinalized(&hash);
			if self.client.get_aux(&marker)?.is_some() {
				continue; // indexed while it was on the best chain before
			}
			let mut writes = self.writes(self.records_of_block(number, hash)?)?;
			writes.push((marker, vec![]));
			writes.push((keys::BEST_INDEXED.to_vec(), number.encode()));
			let inserts: Vec<_> = writes.iter().map(|(k, v)| (&k[..], &v[..])).collect();
			self.client.insert_aux(&inserts, &[])?;
			return Ok(Step::Indexed);
		}
		if number > start {
			// It went past blocks indexed before: start there next time.
			self.client.insert_aux(&[(keys::BEST_INDEXED, &number.encode()[..])], &[])?;
		}
		Ok(Step::UpToDate(progress))
	}

	/// Where indexing the best chain goes on: the best chain's highest block above the last
	/// finalized one that the index holds, with its hash (the last finalized block if none).
	/// Blocks are indexed after their parents, so every block below it is indexed too. Found
	/// from the block indexed last: that block, unless a reorganisation left it; then the new
	/// best chain's highest indexed block below it, where the chains fork or above. One lookup
	/// and one read, but after a reorganisation, which costs its depth once.
	fn best_indexed(&self, info: &Info<Block>) -> Result<(u32, H256), IndexError> {
		let found = highest_marked(
			self.get::<u32>(keys::BEST_INDEXED)?,
			(info.finalized_number, info.best_number),
			|number| Ok(self.client.hash(number)?),
			|hash| Ok(self.client.get_aux(&keys::unfinalized(hash))?.is_some()),
		)?;
		Ok(found.unwrap_or((info.finalized_number, info.finalized_hash)))
	}

	/// Keeps the index up to date: catches up now, then after every imported or finalized block,
	/// until the node stops.
	pub async fn run(self: Arc<Self>) {
		let imported = self.client.import_notification_stream().map(|_| ());
		let finalized = self.client.finality_notification_stream().map(|_| ());
		let mut blocks = futures::stream::select(imported, finalized);
		loop {
			if let Err(error) = self.catch_up() {
				log::error!(target: "energy-history", "indexing the factories' history: {error:?}");
			}
			if blocks.next().await.is_none() {
				return;
			}
		}
	}

	/// Up to `limit` of `factory`'s records of the chain the node follows now, newest first,
	/// before the record numbered `before` (all, if `None`).
	pub fn page(
		&self,
		factory: &FactoryId,
		before: Option<u32>,
		limit: u32,
	) -> Result<HistoryPage, IndexError> {
		// An answer includes the blocks the node has just imported, unless the index is far
		// behind (rebuilding from an early block): then it answers what it has, and says so.
		let progress = self.progress()?;
		let finalized = self.client.info().finalized_number;
		let behind = finalized.saturating_sub(progress.map_or(0, |progress| progress.next));
		let progress = if behind > CATCH_UP_ON_READ { progress } else { Some(self.catch_up()?) };
		let info = self.client.info();
		let (records, next) = newest_canonical(
			self.count(factory)?,
			before,
			limit,
			|index| self.record(factory, index),
			|block| Ok(self.client.hash(block)?),
		)?;
		Ok(HistoryPage {
			complete_from: progress.map(|p| p.complete_from),
			indexed_to: progress.and_then(|p| p.next.checked_sub(1)),
			finalized: info.finalized_number,
			records: records
				.into_iter()
				.map(|record| RecordJson::new(record, info.finalized_number))
				.collect(),
			next,
		})
	}
}

/// The best chain's highest block above the last finalized one that is marked as indexed
/// (`is_marked`), searched down from `indexed_last` (the block indexed last; the best block if
/// that is higher): `(finalized, best)` are the last finalized and the best block's numbers,
/// `canonical_hash(n)` the hash of the best chain's block `n`. `None` if no block above the last
/// finalized one is marked.
fn highest_marked(
	indexed_last: Option<u32>,
	(finalized, best): (u32, u32),
	mut canonical_hash: impl FnMut(u32) -> Result<Option<H256>, IndexError>,
	mut is_marked: impl FnMut(&H256) -> Result<bool, IndexError>,
) -> Result<Option<(u32, H256)>, IndexError> {
	let mut number = indexed_last.map_or(finalized, |indexed| indexed.min(best));
	while number > finalized {
		if let Some(hash) = canonical_hash(number)? {
			if is_marked(&hash)? {
				return Ok(Some((number, hash)));
			}
		}
		number -= 1;
	}
	Ok(None)
}

/// What [`HistoryIndex::index_next`] did.
enum Step {
	/// It indexed a block (or skipped blocks whose state is pruned): there may be more.
	Indexed,
	/// Nothing was left to index; how far the index is.
	UpToDate(Progress),
}

/// Up to `limit` of a factory's `count` records (`read(index)` reads the `index`th), newest
/// first, before the one numbered `before` (all, if `None`), skipping those of blocks a
/// reorganisation left: those whose block hash is not `canonical_hash(block)`, the hash of the
/// block of that number on the chain the node follows now. With them, the `before` of the next
/// page, if older records are left.
fn newest_canonical(
	count: u32,
	before: Option<u32>,
	limit: u32,
	mut read: impl FnMut(u32) -> Result<Record, IndexError>,
	mut canonical_hash: impl FnMut(u32) -> Result<Option<H256>, IndexError>,
) -> Result<(Vec<Record>, Option<u32>), IndexError> {
	let mut index = before.unwrap_or(count).min(count);
	let mut records = Vec::new();
	while index > 0 && (records.len() as u32) < limit {
		index -= 1;
		let record = read(index)?;
		if canonical_hash(record.block)? != Some(record.block_hash) {
			continue; // of a block a reorganisation left
		}
		records.push(record);
	}
	Ok((records, (index > 0).then_some(index)))
}

/// A history record as `energy_getFactoryHistory` answers it: the record and whether its block
/// is final.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordJson {
	/// The record.
	#[serde(flatten)]
	pub record: Record,
	/// Whether the block is finalized; a record that is not may still go away.
	#[serde(rename = "final")]
	pub is_final: bool,
}

impl RecordJson {
	fn new(record: Record, finalized: u32) -> Self {
		let is_final = record.block <= finalized;
		Self { record, is_final }
	}
}

/// One page of a factory's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
	/// The index holds every record from this block on (`null` before it indexed a block).
	pub complete_from: Option<u32>,
	/// The last finalized block indexed (`null` before the first).
	pub indexed_to: Option<u32>,
	/// The last finalized block the node knows.
	pub finalized: u32,
	/// The records, newest first.
	pub records: Vec<RecordJson>,
	/// Pass this as `before` for the next (older) page; `null` after the oldest record.
	pub next: Option<u32>,
}

/// An RPC call indexes the blocks the index lacks before it answers if they are at most this
/// many finalized blocks (and the best chain above them).
const CATCH_UP_ON_READ: u32 = 16;

/// The most records one page holds.
pub const MAX_PAGE: u32 = 100;

/// The records a page asks for: `limit`, at least 1 and at most [`MAX_PAGE`]; the most if
/// `None`.
fn page_limit(limit: Option<u32>) -> u32 {
	limit.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE)
}

/// `energy_getFactoryHistory`.
#[rpc(server)]
pub trait FactoryHistoryApi {
	/// A page of a factory's history, newest first: up to `limit` (default and at most 100)
	/// records before the cursor `before` (the `next` of the previous page; none for the
	/// newest). Each record says whether its block is final; the page says from which block the
	/// node's index is complete. An unknown factory has no records.
	#[method(name = "energy_getFactoryHistory")]
	fn get_factory_history(
		&self,
		factory_id: String,
		before: Option<u32>,
		limit: Option<u32>,
	) -> RpcResult<HistoryPage>;
}

/// The JSON-RPC error code of an index that could not be read (a bad factory id is the other
/// `energy_*` methods' `INVALID_PARAMS`, [`pallet_energy_trading_rpc::error_codes`]).
pub const INDEX_ERROR: i32 = 9001;

impl FactoryHistoryApiServer for Arc<HistoryIndex> {
	fn get_factory_history(
		&self,
		factory_id: String,
		before: Option<u32>,
		limit: Option<u32>,
	) -> RpcResult<HistoryPage> {
		let factory: FactoryId = pallet_energy_trading_rpc::parse_factory_id(factory_id)?;
		self.page(&factory, before, page_limit(limit))
			.map_err(|error| ErrorObject::owned(INDEX_ERROR, error.0, None::<()>))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn alice() -> energy_runtime::AccountId {
		sp_keyring::Sr25519Keyring::Alice.to_account_id()
	}

	fn id(text: &str) -> FactoryId {
		text.as_bytes().to_vec().try_into().unwrap()
	}

	const STAMP: Stamp = Stamp { block: 7, hash: H256::repeat_byte(7), time: 42 };

	/// Each record `event` adds: (factory, kind, energy, balance, counterparty, trade, price).
	type Summary = (&'static str, Kind, u64, u64, Option<&'static str>, Option<u64>, Option<u128>);

	fn summary(event: LedgerEvent<Runtime>) -> Vec<Summary> {
		let text = |bytes: &[u8]| -> &'static str {
			Box::leak(String::from_utf8(bytes.to_vec()).unwrap().into_boxed_str())
		};
		records_of(&event, STAMP)
			.into_iter()
			.map(|(factory, r)| {
				assert_eq!((r.block, r.block_hash, r.time), (7, STAMP.hash, 42));
				let counterparty = r.counterparty.as_deref().map(text);
				let energy = (r.energy_wh, r.balance_wh);
				(
					text(&factory),
					r.kind,
					energy.0,
					energy.1,
					counterparty,
					r.trade_id,
					r.total_price,
				)
			})
			.collect()
	}

	#[test]
	fn a_transfer_or_delivery_is_a_record_of_each_factory_with_its_balance() {
		let transferred = LedgerEvent::EnergyTransferred {
			from: id("A"),
			to: id("B"),
			energy_wh: 10,
			from_balance_wh: 90,
			to_balance_wh: 110,
		};
		let delivered = LedgerEvent::MarketDelivered {
			from: id("S"),
			to: id("B"),
			energy_wh: 5,
			from_balance_wh: 50,
			to_balance_wh: 15,
		};
		let records: Vec<_> = [transferred, delivered].into_iter().flat_map(summary).collect();
		assert_eq!(
			records,
			[
				("A", Kind::TransferredOut, 10, 90, Some("B"), None, None),
				("B", Kind::TransferredIn, 10, 110, Some("A"), None, None),
				("S", Kind::MarketSold, 5, 50, Some("B"), None, None),
				("B", Kind::MarketBought, 5, 15, Some("S"), None, None),
			]
		);
	}

	#[test]
	fn an_executed_trade_names_the_trade_and_its_price_on_both_sides() {
		let event = LedgerEvent::TradeExecuted {
			trade_id: 3,
			seller: id("S"),
			buyer: id("B"),
			energy_wh: 1_000,
			total_price: 5,
			payer: alice(),
			payee: alice(),
			seller_balance_wh: 4_000,
			buyer_balance_wh: 2_000,
		};
		assert_eq!(
			summary(event),
			[
				("S", Kind::TradeSold, 1_000, 4_000, Some("B"), Some(3), Some(5)),
				("B", Kind::TradeBought, 1_000, 2_000, Some("S"), Some(3), Some(5)),
			]
		);
	}

	#[test]
	fn the_other_changes_are_a_record_of_one_factory() {
		let cancelled = LedgerEvent::TradeCancelled {
			trade_id: 9,
			cancelled_by: alice(),
			seller: id("S"),
			buyer: id("B"),
			energy_wh: 8,
			seller_balance_wh: 80,
		};
		assert_eq!(
			summary(cancelled),
			[("S", Kind::TradeCancelled, 8, 80, Some("B"), Some(9), None)]
		);
		let escrowed =
			LedgerEvent::MarketEscrowed { factory_id: id("F"), energy_wh: 3, balance_wh: 7 };
		assert_eq!(summary(escrowed), [("F", Kind::Escrowed, 3, 7, None, None, None)]);
		let released =
			LedgerEvent::MarketReleased { factory_id: id("F"), energy_wh: 3, balance_wh: 10 };
		assert_eq!(summary(released), [("F", Kind::EscrowReturned, 3, 10, None, None, None)]);
		let minted =
			LedgerEvent::EnergyMinted { factory_id: id("F"), energy_wh: 2, balance_wh: 12 };
		assert_eq!(summary(minted), [("F", Kind::Minted, 2, 12, None, None, None)]);
		let consumed =
			LedgerEvent::EnergyConsumed { factory_id: id("F"), energy_wh: 1, balance_wh: 11 };
		assert_eq!(summary(consumed), [("F", Kind::Consumed, 1, 11, None, None, None)]);
	}

	/// A record of `kind` at `stamp`, without counterparty, trade or price.
	fn record(stamp: Stamp, kind: Kind, energy_wh: u64, balance_wh: u64) -> Record {
		record_of(LedgerEntry::new(&id("F"), kind, energy_wh, balance_wh), stamp).1
	}

	#[test]
	fn a_meter_change_is_no_record() {
		let event = LedgerEvent::MeterChanged { factory_id: id("A"), meter: alice() };
		assert!(records_of(&event, STAMP).is_empty());
	}

	#[test]
	fn records_serialize_in_camel_case_with_prices_as_strings() {
		let mut record = record(STAMP, Kind::MarketBought, 5, 15);
		record.total_price = Some(u128::MAX);
		record.counterparty = Some(b"Solar01".to_vec());
		let json = serde_json::to_value(RecordJson::new(record, 6)).unwrap();
		assert_eq!(json["counterparty"], "Solar01");
		assert_eq!(json["tradeId"], serde_json::Value::Null);
		assert_eq!(json["kind"], "marketBought");
		assert_eq!(json["totalPrice"], u128::MAX.to_string());
		assert_eq!(json["balanceWh"], 15);
		assert_eq!(json["final"], false);
	}

	#[test]
	fn a_page_holds_at_least_one_record_and_at_most_100() {
		assert_eq!(MAX_PAGE, 100);
		assert_eq!(page_limit(None), 100);
		assert_eq!(page_limit(Some(7)), 7);
		assert_eq!(page_limit(Some(0)), 1);
		assert_eq!(page_limit(Some(101)), 100);
		assert_eq!(page_limit(Some(u32::MAX)), 100);
		// A factory with 150 records: a page asked for 1000 holds the newest 100.
		let read = |index: u32| -> Result<Record, IndexError> {
			Ok(record(Stamp { block: index, ..STAMP }, Kind::Minted, 1, index.into()))
		};
		let canonical = |_block: u32| -> Result<Option<H256>, IndexError> { Ok(Some(STAMP.hash)) };
		let (records, next) =
			newest_canonical(150, None, page_limit(Some(1_000)), read, canonical).unwrap();
		assert_eq!(records.len(), 100);
		assert_eq!((records[0].block, records[99].block, next), (149, 50, Some(50)));
	}

	/// Records of `(block, hash byte)`, oldest first.
	fn records_at(blocks: &[(u32, u8)]) -> Vec<Record> {
		let at =
			|&(block, hash): &(u32, u8)| Stamp { block, hash: H256::repeat_byte(hash), time: 0 };
		blocks.iter().map(|block| record(at(block), Kind::Minted, 1, 1)).collect()
	}

	#[test]
	fn an_answer_skips_the_records_of_blocks_a_reorganisation_left() {
		// Blocks 2 and 3 were indexed as 0x20 and 0x30, then a reorganisation replaced them with
		// 0x21 and 0x31, indexed in turn, and block 4 followed.
		let stored =
			records_at(&[(1, 0x10), (2, 0x20), (3, 0x30), (2, 0x21), (3, 0x31), (4, 0x40)]);
		let canonical = |block: u32| -> Result<Option<H256>, IndexError> {
			let hash = match block {
				1 => Some(0x10),
				2 => Some(0x21),
				3 => Some(0x31),
				4 => Some(0x40),
				_ => None,
			};
			Ok(hash.map(H256::repeat_byte))
		};
		let read =
			|index: u32| -> Result<Record, IndexError> { Ok(stored[index as usize].clone()) };
		let page = |before: Option<u32>, limit: u32| {
			let (records, next) =
				newest_canonical(stored.len() as u32, before, limit, &read, &canonical).unwrap();
			let blocks: Vec<_> = records
				.iter()
				.map(|record| (record.block, record.block_hash.as_bytes()[0]))
				.collect();
			(blocks, next)
		};
		assert_eq!(page(None, 100), (vec![(4, 0x40), (3, 0x31), (2, 0x21), (1, 0x10)], None));
		// In pages of two, the records left behind fill no page.
		assert_eq!(page(None, 2), (vec![(4, 0x40), (3, 0x31)], Some(4)));
		assert_eq!(page(Some(4), 2), (vec![(2, 0x21), (1, 0x10)], None));
	}

	#[test]
	fn indexing_the_best_chain_goes_on_from_its_highest_indexed_block() {
		// Blocks 1 to 10 are final; 11 to 14 (0xb1..0xb4) were indexed on one fork, which a
		// reorganisation replaced from block 13 on (0xc3, 0xc4, 0xc5: not indexed yet).
		let marked = [0xb1u8, 0xb2, 0xb3, 0xb4].map(H256::repeat_byte);
		let canonical = |number: u32| -> Result<Option<H256>, IndexError> {
			Ok(match number {
				11 => Some(H256::repeat_byte(0xb1)),
				12 => Some(H256::repeat_byte(0xb2)),
				13..=15 => Some(H256::repeat_byte(0xc0 + (number - 10) as u8)),
				_ => None,
			})
		};
		let reads = std::cell::Cell::new(0);
		let is_marked = |hash: &H256| -> Result<bool, IndexError> {
			reads.set(reads.get() + 1);
			Ok(marked.contains(hash))
		};
		// Indexed last: block 14 of the old fork. The walk finds where the chains fork.
		let found = highest_marked(Some(14), (10, 15), canonical, &is_marked).unwrap();
		assert_eq!(found, Some((12, H256::repeat_byte(0xb2))));
		assert_eq!(reads.get(), 3, "blocks 14, 13 and 12: the reorganisation's depth, once");
		// Without a reorganisation: one read.
		reads.set(0);
		let on_chain = |number: u32| -> Result<Option<H256>, IndexError> {
			Ok((11..=14).contains(&number).then(|| H256::repeat_byte(0xb0 + (number - 10) as u8)))
		};
		let found = highest_marked(Some(14), (10, 14), on_chain, &is_marked).unwrap();
		assert_eq!((found, reads.get()), (Some((14, H256::repeat_byte(0xb4))), 1));
		// The block indexed last is above the best block (the best chain got shorter): from the
		// best block down.
		reads.set(0);
		let found = highest_marked(Some(20), (10, 12), on_chain, &is_marked).unwrap();
		assert_eq!((found, reads.get()), (Some((12, H256::repeat_byte(0xb2))), 1));
		// Nothing indexed above finality (a new index, or finality passed every marked block).
		assert_eq!(highest_marked(None, (10, 14), on_chain, &is_marked).unwrap(), None);
		assert_eq!(highest_marked(Some(9), (10, 14), on_chain, &is_marked).unwrap(), None);
	}
}
