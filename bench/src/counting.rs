//! A state backend that counts what is read from it, so the cost-growth measurement can show
//! how many keys each call reads from the state, and how many steps it iterates, at every
//! state size: a call that iterates over offers, buses or accounts would read more as the
//! state grows.

use std::sync::atomic::{AtomicU32, Ordering};

use sp_core::{storage::ChildInfo, Hasher};
use sp_state_machine::{
	Backend, BackendTransaction, IterArgs, StateMachineStats, StorageIterator, StorageKey,
	StorageValue, UsageInfo,
};
use sp_trie::MerkleValue;

/// Keys read from the state (values, hashes, merkle values), by any counting backend.
static READS: AtomicU32 = AtomicU32::new(0);
/// Keys stepped over from the state (`next_storage_key`, iterators), by any counting backend.
static STEPS: AtomicU32 = AtomicU32::new(0);

/// What the counting backends have read so far: (keys read, iteration steps). The difference
/// of two snapshots is what ran between them read (the measurement runs on one thread).
pub fn snapshot() -> (u32, u32) {
	(READS.load(Ordering::Relaxed), STEPS.load(Ordering::Relaxed))
}

fn read() {
	READS.fetch_add(1, Ordering::Relaxed);
}

fn step() {
	STEPS.fetch_add(1, Ordering::Relaxed);
}

/// `B`, counting every key read and every iteration step.
#[derive(Debug)]
pub struct Counting<B>(pub B);

/// `Counting`'s iterator: `B`'s, counting every step.
pub struct CountingIter<I>(I);

impl<H: Hasher, I: StorageIterator<H>> StorageIterator<H> for CountingIter<I> {
	type Backend = Counting<I::Backend>;
	type Error = I::Error;

	fn next_key(&mut self, backend: &Self::Backend) -> Option<Result<StorageKey, Self::Error>> {
		step();
		self.0.next_key(&backend.0)
	}

	fn next_pair(
		&mut self,
		backend: &Self::Backend,
	) -> Option<Result<(StorageKey, StorageValue), Self::Error>> {
		step();
		self.0.next_pair(&backend.0)
	}

	fn was_complete(&self) -> bool {
		self.0.was_complete()
	}
}

impl<H: Hasher, B: Backend<H>> Backend<H> for Counting<B>
where
	H::Out: Ord,
{
	type Error = B::Error;
	type TrieBackendStorage = B::TrieBackendStorage;
	type RawIter = CountingIter<B::RawIter>;

	fn storage(&self, key: &[u8]) -> Result<Option<StorageValue>, Self::Error> {
		read();
		self.0.storage(key)
	}

	fn storage_hash(&self, key: &[u8]) -> Result<Option<H::Out>, Self::Error> {
		read();
		self.0.storage_hash(key)
	}

	fn closest_merkle_value(&self, key: &[u8]) -> Result<Option<MerkleValue<H::Out>>, Self::Error> {
		read();
		self.0.closest_merkle_value(key)
	}

	fn child_closest_merkle_value(
		&self,
		child_info: &ChildInfo,
		key: &[u8],
	) -> Result<Option<MerkleValue<H::Out>>, Self::Error> {
		read();
		self.0.child_closest_merkle_value(child_info, key)
	}

	fn child_storage(
		&self,
		child_info: &ChildInfo,
		key: &[u8],
	) -> Result<Option<StorageValue>, Self::Error> {
		read();
		self.0.child_storage(child_info, key)
	}

	fn child_storage_hash(
		&self,
		child_info: &ChildInfo,
		key: &[u8],
	) -> Result<Option<H::Out>, Self::Error> {
		read();
		self.0.child_storage_hash(child_info, key)
	}

	fn next_storage_key(&self, key: &[u8]) -> Result<Option<StorageKey>, Self::Error> {
		step();
		self.0.next_storage_key(key)
	}

	fn next_child_storage_key(
		&self,
		child_info: &ChildInfo,
		key: &[u8],
	) -> Result<Option<StorageKey>, Self::Error> {
		step();
		self.0.next_child_storage_key(child_info, key)
	}

	fn storage_root<'a>(
		&self,
		delta: impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)>,
		state_version: sp_core::storage::StateVersion,
	) -> (H::Out, BackendTransaction<H>) {
		self.0.storage_root(delta, state_version)
	}

	fn child_storage_root<'a>(
		&self,
		child_info: &ChildInfo,
		delta: impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)>,
		state_version: sp_core::storage::StateVersion,
	) -> (H::Out, bool, BackendTransaction<H>) {
		self.0.child_storage_root(child_info, delta, state_version)
	}

	fn raw_iter(&self, args: IterArgs) -> Result<Self::RawIter, Self::Error> {
		self.0.raw_iter(args).map(CountingIter)
	}

	fn register_overlay_stats(&self, stats: &StateMachineStats) {
		self.0.register_overlay_stats(stats)
	}

	fn usage_info(&self) -> UsageInfo {
		self.0.usage_info()
	}
}
