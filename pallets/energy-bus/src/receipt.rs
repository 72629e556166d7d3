//! Market nonces and receipts: replay protection, idempotent retries, and receipts anyone can
//! look up by hash for `receipt_retention` blocks, pruned in bounded `on_idle` work.

use codec::Encode;
use frame_support::{ensure, weights::Weight, BoundedVec};
use sp_core::H256;
use sp_runtime::traits::Saturating;

use crate::{
	Config, Error, Event, MarketNonce, MarketNonces, Pallet, Params, PurchaseId, Purchases,
	PurchasesByBuyer, Receipt, ReceiptHash, ReceiptPruneCursor, Receipts, ReceiptsByBlock,
	WeightInfo,
};

impl<T: Config> Pallet<T> {
	/// Checks that `nonce` is `who`'s market nonce: a lower one was used already (a replay or
	/// a retry of a call that ran), a higher one is ahead.
	pub(crate) fn check_nonce(who: &T::AccountId, nonce: MarketNonce) -> Result<(), Error<T>> {
		let expected = MarketNonces::<T>::get(who);
		ensure!(nonce >= expected, Error::<T>::NonceAlreadyUsed);
		ensure!(nonce == expected, Error::<T>::NonceTooHigh);
		Ok(())
	}

	/// The receipt hash of a buying call: `blake2_256(SCALE(buyer, nonce, call arguments))`.
	pub fn receipt_hash(
		who: &T::AccountId,
		nonce: MarketNonce,
		arguments: impl Encode,
	) -> ReceiptHash {
		H256(sp_io::hashing::blake2_256(&(who, nonce, arguments).encode()))
	}

	/// Records that `who`'s buying call with `nonce` ran, advances its nonce, indexes its
	/// `purchases` (ids that follow each other) under `who`, and queues the receipt for
	/// pruning.
	pub(crate) fn record_receipt(
		who: &T::AccountId,
		nonce: MarketNonce,
		receipt: ReceiptHash,
		purchases: BoundedVec<PurchaseId, T::MaxBatchSize>,
	) {
		let block = frame_system::Pallet::<T>::block_number();
		MarketNonces::<T>::insert(who, nonce.saturating_add(1));
		if let Some(first) = purchases.first() {
			PurchasesByBuyer::<T>::insert(who, first.to_be_bytes(), purchases.len() as u32);
		}
		Receipts::<T>::insert(receipt, Receipt { buyer: who.clone(), nonce, block, purchases });
		ReceiptsByBlock::<T>::insert(block, receipt, ());
		Self::deposit_event(Event::ReceiptRecorded { receipt, buyer: who.clone(), nonce });
	}

	/// What pruning `pruned` receipts and passing `passed` blocks of the queue weighs: the
	/// `receipt_queue_reads` benchmark at the blocks passed, plus `prune_receipts` at the
	/// receipts pruned if it pruned any.
	pub(crate) fn pruning_weight(pruned: u32, passed: u32) -> Weight {
		T::WeightInfo::receipt_queue_reads(passed)
			.saturating_add(crate::lock::if_done(pruned, T::WeightInfo::prune_receipts))
	}

	/// Prunes the receipts (and their purchases) of blocks older than `receipt_retention`,
	/// one receipt at a time, as long as `remaining_weight` has room for the next step. Each
	/// step reads the pruning queue once: it finds a receipt to prune, or a block with none
	/// left to pass. Returns its weight ([`Pallet::pruning_weight`]).
	pub(crate) fn prune_receipts(
		now: frame_system::pallet_prelude::BlockNumberFor<T>,
		remaining_weight: Weight,
	) -> Weight {
		// Room for one step, whichever it turns out to be (the weight grows with both).
		let room = |pruned: u32, passed: u32| {
			Self::pruning_weight(pruned + 1, passed + 1).all_lte(remaining_weight)
		};
		if !room(0, 0) {
			return Weight::zero();
		}
		let retention = Params::<T>::get().receipt_retention;
		let (mut pruned, mut passed) = (0u32, 0u32);
		if now <= retention {
			return Self::pruning_weight(pruned, passed);
		}
		let prunable_until = now.saturating_sub(retention);
		let mut cursor = ReceiptPruneCursor::<T>::get();
		while cursor < prunable_until && room(pruned, passed) {
			match ReceiptsByBlock::<T>::iter_key_prefix(cursor).next() {
				Some(receipt) => {
					ReceiptsByBlock::<T>::remove(cursor, receipt);
					if let Some(old) = Receipts::<T>::take(receipt) {
						if let Some(first) = old.purchases.first() {
							PurchasesByBuyer::<T>::remove(&old.buyer, first.to_be_bytes());
						}
						for purchase_id in old.purchases {
							Purchases::<T>::remove(purchase_id);
						}
					}
					pruned += 1;
				},
				None => {
					cursor.saturating_inc();
					passed += 1;
				},
			}
		}
		ReceiptPruneCursor::<T>::put(cursor);
		Self::pruning_weight(pruned, passed)
	}
}
