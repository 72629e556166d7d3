//! How the market calls' cost grows with the state: each call is dispatched natively over a
//! trie holding 10, 10 000 or 100 000 offers (each from its own seller account with a factory),
//! as a FRAME benchmark does, and timed. No call may iterate over offers, buses or accounts, so
//! the times should stay flat; what does grow with any state is the cost of reading the trie
//! (its depth, and cache misses), which the control row, a balance transfer between two of the
//! state's accounts, measures on its own.
//!
//! Each run of a call is a block of its own over the committed state: a fresh overlay, so no
//! run reads what another wrote, and offers and accounts of its own (15 offers and 4 buyers a
//! sample; a state with fewer offers than the samples use wraps around). The lock-expiry hook
//! runs in the block after the lock's last, over the state the block that took the lock left,
//! with the expiry queue up to date. The backend counts the reads each run makes from the state
//! and the keys it steps over (iterating): those counts are exact for what reaches the state (a
//! key read twice counts twice; what the block itself wrote is read from its overlay and not
//! counted), and a call that iterated over offers or accounts would read more as the state
//! grows. Every size is timed three times, with the same runs:
//! - `cold`: reads walk the trie from its root and decode every node on the way, as
//!   `TestExternalities` (and a FRAME benchmark) does; nothing is cached between reads.
//! - `trie_cache`: reads go through a trie cache of the size `energy-node` uses by default
//!   (`--trie-cache-size`, 1 GiB), as a node's block import does: a local cache per block over
//!   a shared one, which starts empty. Over a state with as many offers as the samples use,
//!   every run reads offers and accounts that no earlier run read, so it pays for walking to
//!   them.
//! - `warm`: the same runs again, through the shared cache the `trie_cache` pass left: every
//!   key is already cached, as on a node that read it before (its own block building, a recent
//!   block). What remains is the call's own work and the memory it touches.
//!
//! The trie is held in memory: a read that misses the cache decodes nodes from memory, where a
//! node would read them from its database.

use std::time::Instant;

use codec::Encode;
use energy_runtime::{
	AccountId, Balances, BuildStorage, EnergyBus, Runtime, RuntimeCall, RuntimeGenesisConfig,
	RuntimeOrigin, System,
};
use frame_support::traits::{fungible::Mutate, Hooks};
use pallet_energy_bus::{BatchItem, Call as BusCall};
use pallet_energy_trading::EnergyType;
use serde::Serialize;
use sp_core::{storage::StateVersion, Blake2Hasher, H256};
use sp_runtime::traits::Dispatchable;
use sp_state_machine::{
	DBValue, DefaultError, Ext, OverlayedChanges, TrieBackendBuilder, TrieBackendStorage,
};
use sp_trie::{
	cache::{CacheSize, SharedTrieCache},
	PrefixedMemoryDB,
};

use crate::{counting, tps::bar, Args};

const ECT: u128 = 1_000_000_000_000;
/// Energy per seller factory and offer.
const OFFER_WH: u64 = 1_000_000;
/// Items per timed batch purchase.
const BATCH: usize = 10;
/// The control row: a call that iterates over nothing.
pub const CONTROL: &str = "control: Balances::transfer_keep_alive";
/// The trie cache `energy-node` runs with by default (`--trie-cache-size`), bytes.
const NODE_TRIE_CACHE: usize = 1024 * 1024 * 1024;

/// How the timed calls read the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reads {
	/// Every read walks the trie from its root, decoding each node (no cache).
	Cold,
	/// Reads go through a trie cache of the node's default size, as a block import's do,
	/// starting empty.
	TrieCache,
	/// The same reads again, through the cache the `TrieCache` pass left.
	Warm,
}

impl Reads {
	/// How the Markdown table names it.
	pub fn label(self) -> &'static str {
		match self {
			Reads::Cold => "cold",
			Reads::TrieCache => "trie cache",
			Reads::Warm => "warm cache",
		}
	}
}

/// One call's times over one state size.
#[derive(Clone, Debug, Serialize)]
pub struct CostRow {
	/// The call (or hook).
	pub call: &'static str,
	/// Offers and seller accounts in the state.
	pub state_size: u32,
	/// How the state was read.
	pub reads: Reads,
	/// Median time of one call, µs.
	pub median_us: f64,
	/// 90th percentile, µs.
	pub p90_us: f64,
	/// Keys one run read from the state: fewest and most over the runs.
	pub state_reads: (u32, u32),
	/// Keys one run stepped over in the state (iterating): fewest and most over the runs.
	pub iteration_steps: (u32, u32),
}

/// The cost-growth result.
#[derive(Clone, Debug, Serialize)]
pub struct CostResult {
	/// Calls timed per call and size.
	pub samples: u32,
	/// Every call at every size.
	pub rows: Vec<CostRow>,
	/// Per call and way of reading: median at the largest size over the median at the
	/// smallest.
	pub growth: Vec<(String, Reads, f64)>,
}

impl CostResult {
	/// The row of `call`, read `reads`, at `state_size` offers.
	pub fn row(&self, call: &str, reads: Reads, state_size: u32) -> Option<&CostRow> {
		self.rows.iter().find(|r| r.call == call && r.reads == reads && r.state_size == state_size)
	}
}

fn account(kind: u8, index: u32) -> AccountId {
	AccountId::new(sp_crypto_hashing::blake2_256(&(kind, index).encode()))
}

fn factory_id(kind: u8, index: u32) -> Vec<u8> {
	format!("{}{index:07}", if kind == 0 { "S" } else { "B" }).into_bytes()
}

/// A state with `size` sellers each offering on one bus, and `buyers` buyers with factories.
fn state(size: u32, buyers: u32, progress: &indicatif::ProgressBar) -> sp_io::TestExternalities {
	let storage =
		RuntimeGenesisConfig::default().build_storage().expect("the default genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		let owner = account(2, 0);
		Balances::set_balance(&owner, 1_000 * ECT);
		let root = RuntimeOrigin::root;
		let bus = pallet_energy_bus::NextBusId::<Runtime>::get();
		EnergyBus::create_energy_bus(
			RuntimeOrigin::signed(owner.clone()),
			b"bench".to_vec().try_into().expect("a short name"),
			vec![owner.clone()].try_into().expect("one owner"),
			u64::MAX / 4,
			1,
		)
		.expect("the bus opens");
		let register = |kind: u8, index: u32, who: &AccountId, energy: u64| {
			pallet_energy_trading::Pallet::<Runtime>::register_factory(
				root(),
				factory_id(kind, index),
				b"cost".to_vec(),
				EnergyType::Solar,
				who.clone(),
				None,
				u32::MAX,
				energy,
			)
			.expect("the factory registers");
		};
		for i in 0..size {
			let seller = account(0, i);
			Balances::set_balance(&seller, 10 * ECT);
			register(0, i, &seller, OFFER_WH);
			let factory = factory_id(0, i).try_into().expect("a short id");
			EnergyBus::create_offer(
				RuntimeOrigin::signed(seller),
				bus,
				factory,
				OFFER_WH,
				ECT / 1_000,
			)
			.expect("the offer opens");
			if i % 1_000 == 0 {
				progress.set_position(i as u64);
			}
		}
		for b in 0..buyers {
			let buyer = account(1, b);
			Balances::set_balance(&buyer, 1_000 * ECT);
			register(1, b, &buyer, 0);
		}
		// A block starts with no events (`frame_system` clears them as it initializes one).
		// Left in the state, the setup's hundreds of thousands of events would be read back
		// by every timed call's first event, which appends to them.
		System::reset_events();
	});
	// Into the trie, as a block's state would be.
	ext.commit_all().expect("the state commits");
	ext
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
	let rank = ((p / 100.0) * (sorted.len().saturating_sub(1)) as f64).round() as usize;
	sorted.get(rank).copied().unwrap_or_default()
}

/// One timed run of a call.
#[derive(Clone, Copy, Debug)]
struct Sample {
	/// How long it took, µs.
	us: f64,
	/// Keys it read from the state.
	reads: u32,
	/// Keys it stepped over in the state.
	steps: u32,
}

/// Times `f` and counts what it reads from the state.
fn measured(f: impl FnOnce()) -> Sample {
	let (reads, steps) = counting::snapshot();
	let start = Instant::now();
	f();
	let us = start.elapsed().as_secs_f64() * 1e6;
	let (reads_after, steps_after) = counting::snapshot();
	Sample { us, reads: reads_after - reads, steps: steps_after - steps }
}

/// Dispatches `call` from `who`, timed, and checks it succeeded.
fn timed(call: RuntimeCall, who: &AccountId) -> Sample {
	let mut result = None;
	let sample = measured(|| result = Some(call.dispatch(RuntimeOrigin::signed(who.clone()))));
	result.expect("it ran").expect("the timed call succeeds");
	sample
}

fn row(call: &'static str, state_size: u32, reads: Reads, samples: &[Sample]) -> CostRow {
	let mut times: Vec<f64> = samples.iter().map(|s| s.us).collect();
	times.sort_by(|a, b| a.total_cmp(b));
	let state_reads = samples.iter().map(|s| s.reads);
	let iteration_steps = samples.iter().map(|s| s.steps);
	CostRow {
		call,
		state_size,
		reads,
		median_us: percentile(&times, 50.0),
		p90_us: percentile(&times, 90.0),
		state_reads: (
			state_reads.clone().min().unwrap_or_default(),
			state_reads.max().unwrap_or_default(),
		),
		iteration_steps: (
			iteration_steps.clone().min().unwrap_or_default(),
			iteration_steps.max().unwrap_or_default(),
		),
	}
}

/// Times `purchase_energy`, `batch_purchase_energy`, `lock_offer` and the lock-expiry hook at
/// every size, reading the state cold, through an empty trie cache and through the warm cache
/// that leaves.
pub fn run(args: &Args) -> Result<CostResult, String> {
	let samples = args.cost_samples.max(1);
	let mut rows = Vec::new();
	for &size in &args.cost_sizes {
		let size = size.max(BATCH as u32);
		let progress = crate::tps::bar(args, size as u64, &format!("state of {size} offers"));
		let ext = state(size, samples * uses::BUYERS, &progress);
		progress.finish_and_clear();
		let cache = SharedTrieCache::new(CacheSize::new(NODE_TRIE_CACHE), None);
		for reads in [Reads::Cold, Reads::TrieCache, Reads::Warm] {
			let timing =
				bar(args, samples as u64, &format!("timing at {size} offers ({})", reads.label()));
			let state = State {
				storage: ext.backend.backend_storage(),
				root: *ext.backend.root(),
				cache: (reads != Reads::Cold).then_some(&cache),
			};
			let mut times = Times::default();
			for s in 0..samples {
				times.sample(&state, size, s);
				timing.inc(1);
			}
			timing.finish_and_clear();
			rows.extend(times.rows(size, reads));
		}
	}
	let mut growth = Vec::new();
	let kinds: std::collections::BTreeSet<_> = rows.iter().map(|r| (r.call, r.reads)).collect();
	for (call, reads) in kinds {
		let of: Vec<&CostRow> =
			rows.iter().filter(|r| r.call == call && r.reads == reads).collect();
		if let (Some(first), Some(last)) = (of.first(), of.last()) {
			growth.push((
				call.to_string(),
				reads,
				last.median_us / first.median_us.max(f64::EPSILON),
			));
		}
	}
	Ok(CostResult { samples, rows, growth })
}

/// The committed state the calls run over, and the trie cache they read it through (none:
/// cold).
struct State<'a> {
	storage: &'a PrefixedMemoryDB<Blake2Hasher>,
	root: H256,
	cache: Option<&'a SharedTrieCache<Blake2Hasher>>,
}

impl State<'_> {
	/// Runs `f` as a block of its own over the committed state (see [`run_block`]).
	fn in_block<R>(&self, f: impl FnOnce() -> R) -> R {
		run_block(self.storage, self.root, self.cache, false, f).0
	}
}

/// The trie a block left: its new root, and the trie nodes it wrote over the state it ran on.
type BlockChanges = (H256, PrefixedMemoryDB<Blake2Hasher>);

/// Runs `f` as a block of its own over the state at `root` in `storage`: with a fresh overlay,
/// so it reads nothing an earlier block wrote and leaves nothing behind, counting what it reads,
/// and, with a cache, through a local trie cache over it that is merged into it afterwards, as
/// a node imports a block. Without one, every read walks the trie. With `keep`, also returns
/// the block's changes, committed into a new trie over the old one.
fn run_block<S: TrieBackendStorage<Blake2Hasher>, R>(
	storage: S,
	root: H256,
	cache: Option<&SharedTrieCache<Blake2Hasher>>,
	keep: bool,
	f: impl FnOnce() -> R,
) -> (R, Option<BlockChanges>) {
	let backend = counting::Counting(
		TrieBackendBuilder::new(storage, root)
			.with_optional_cache(cache.map(|cache| cache.local_cache_trusted()))
			.build(),
	);
	let mut overlay = OverlayedChanges::<Blake2Hasher>::default();
	let result = {
		let mut ext = Ext::new(&mut overlay, &backend, None);
		sp_externalities::set_and_run_with_externalities(&mut ext, f)
	};
	let changes = keep.then(|| {
		let changes = overlay
			.drain_storage_changes(&backend, StateVersion::V1)
			.expect("the block's changes commit");
		(changes.transaction_storage_root, changes.transaction)
	});
	(result, changes)
}

/// A state with a block's trie nodes over it: nodes are looked up among the block's first.
struct Layered<'a> {
	base: &'a PrefixedMemoryDB<Blake2Hasher>,
	top: PrefixedMemoryDB<Blake2Hasher>,
}

impl TrieBackendStorage<Blake2Hasher> for Layered<'_> {
	fn get(
		&self,
		key: &H256,
		prefix: (&[u8], Option<u8>),
	) -> Result<Option<DBValue>, DefaultError> {
		match TrieBackendStorage::<Blake2Hasher>::get(&self.top, key, prefix)? {
			Some(node) => Ok(Some(node)),
			None => TrieBackendStorage::<Blake2Hasher>::get(self.base, key, prefix),
		}
	}
}

/// What one sample uses, each its own: offers (`offer_of`) and buyers (`buyer_of`).
mod uses {
	/// The purchase's offer.
	pub const PURCHASE: u32 = 0;
	/// The batch's offers: `BATCH_FIRST..BATCH_FIRST + BATCH`.
	pub const BATCH_FIRST: u32 = 1;
	/// The lock's offer.
	pub const LOCK: u32 = 1 + super::BATCH as u32;
	/// The expiring lock's offer.
	pub const EXPIRY: u32 = LOCK + 1;
	/// The control transfer's sender and receiver: these offers' sellers.
	pub const CONTROL: u32 = EXPIRY + 1;
	/// Offers per sample.
	pub const OFFERS: u32 = CONTROL + 2;
	/// Buyers per sample: the purchase's, the batch's, the lock's and the expiring lock's.
	pub const BUYERS: u32 = 4;
}

/// The `k`th offer of sample `s` over a state of `size` offers. Different `(s, k)` get
/// different offers as long as the state has as many as the samples use (a step coprime to the
/// sizes walks every offer once), spread over the whole state; a smaller state wraps around.
fn offer_of(size: u32, s: u32, k: u32) -> u64 {
	((s as u64 * uses::OFFERS as u64 + k as u64) * 7_919) % size as u64
}

/// The `k`th buyer of sample `s`, and the factory it buys into.
fn buyer_of(s: u32, k: u32) -> (AccountId, pallet_energy_trading::FactoryIdOf<Runtime>) {
	let index = s * uses::BUYERS + k;
	(account(1, index), factory_id(1, index).try_into().expect("a short id"))
}

/// The runs of each call at one size and way of reading.
#[derive(Default)]
struct Times {
	purchase: Vec<Sample>,
	batch: Vec<Sample>,
	lock: Vec<Sample>,
	expiry: Vec<Sample>,
	control: Vec<Sample>,
}

impl Times {
	/// Runs each call once, each in a block of its own over `state` (so no call reads what
	/// another wrote) with offers and accounts of its own (so no call finds in the trie cache
	/// what another of its sample read), as sample `s` over a state of `size` offers.
	fn sample(&mut self, state: &State, size: u32, s: u32) {
		let offer = |k: u32| offer_of(size, s, k);
		let (buyer, into) = buyer_of(s, 0);
		self.purchase.push(state.in_block(|| {
			timed(
				RuntimeCall::EnergyBus(BusCall::purchase_energy {
					offer_id: offer(uses::PURCHASE),
					energy_wh: 10,
					max_price_per_kwh: ECT,
					into_factory: into,
					nonce: 0,
				}),
				&buyer,
			)
		}));
		let (buyer, into) = buyer_of(s, 1);
		let items: Vec<_> = (0..BATCH as u32)
			.map(|k| BatchItem {
				offer_id: offer(uses::BATCH_FIRST + k),
				energy_wh: 1,
				max_price_per_kwh: ECT,
			})
			.collect();
		self.batch.push(state.in_block(|| {
			timed(
				RuntimeCall::EnergyBus(BusCall::batch_purchase_energy {
					items: items.try_into().expect("within MaxBatchSize"),
					into_factory: into,
					nonce: 0,
				}),
				&buyer,
			)
		}));
		let (buyer, into) = buyer_of(s, 2);
		self.lock.push(state.in_block(|| {
			timed(
				RuntimeCall::EnergyBus(BusCall::lock_offer {
					offer_id: offer(uses::LOCK),
					energy_wh: 1,
					into_factory: into,
					nonce: 0,
				}),
				&buyer,
			)
		}));
		// One lock that expires: taken in a block of its own, with the expiry queue up to
		// date (its cursor at the lock's last block), then the hook is timed in the block
		// after the lock's last, over the state that block left.
		let (holder, into) = buyer_of(s, 3);
		let ((lock_id, expires_at), changes) =
			run_block(state.storage, state.root, state.cache, true, || {
				EnergyBus::lock_offer(
					RuntimeOrigin::signed(holder),
					offer(uses::EXPIRY),
					1,
					into,
					0,
				)
				.expect("the lock is taken");
				let lock_id = pallet_energy_bus::NextLockId::<Runtime>::get() - 1;
				let expires_at = pallet_energy_bus::Locks::<Runtime>::get(lock_id)
					.expect("the lock exists")
					.expires_at;
				pallet_energy_bus::ExpiryCursor::<Runtime>::put(expires_at);
				System::reset_events();
				(lock_id, expires_at)
			});
		let (root, top) = changes.expect("kept");
		let locked = Layered { base: state.storage, top };
		let (expiry, _) = run_block(&locked, root, state.cache, false, || {
			System::set_block_number(expires_at + 1);
			let sample = measured(|| {
				EnergyBus::on_initialize(expires_at + 1);
			});
			assert!(pallet_energy_bus::Locks::<Runtime>::get(lock_id).is_none());
			sample
		});
		self.expiry.push(expiry);
		// The control: a balance transfer between two of the state's sellers, which
		// iterates over nothing, so it shows what the trie's size alone costs.
		let (from, to) = (offer(uses::CONTROL) as u32, offer(uses::CONTROL + 1) as u32);
		self.control.push(state.in_block(|| {
			timed(
				RuntimeCall::Balances(energy_runtime::BalancesCall::transfer_keep_alive {
					dest: account(0, to).into(),
					value: ECT / 1_000,
				}),
				&account(0, from),
			)
		}));
	}

	/// Each call's row.
	fn rows(self, size: u32, reads: Reads) -> [CostRow; 5] {
		[
			row("purchase_energy", size, reads, &self.purchase),
			row("batch_purchase_energy (10 items)", size, reads, &self.batch),
			row("lock_offer", size, reads, &self.lock),
			row("lock expiry (on_initialize, 1 lock)", size, reads, &self.expiry),
			row(CONTROL, size, reads, &self.control),
		]
	}
}
