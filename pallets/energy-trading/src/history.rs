//! The per-factory ring of recent balance changes.

use frame_support::{
	traits::{Get, UnixTime},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

use crate::{
	BalanceOf, Config, EnergyWh, FactoryIdOf, History, HistoryKind, HistoryOf, HistoryRecord,
	HistoryRecordOf, Pallet, TradeId,
};

/// What a history record says besides its kind, amount, block and time.
pub(crate) struct RecordDetails<T: Config> {
	pub counterparty: Option<FactoryIdOf<T>>,
	pub trade_id: Option<TradeId>,
	pub total_price: Option<BalanceOf<T>>,
}

impl<T: Config> Default for RecordDetails<T> {
	fn default() -> Self {
		Self { counterparty: None, trade_id: None, total_price: None }
	}
}

impl<T: Config> Pallet<T> {
	/// The wall-clock time of the current block, in ms since the Unix epoch; 0 at genesis,
	/// which has no timestamp.
	pub(crate) fn now_ms() -> u64 {
		if frame_system::Pallet::<T>::block_number().is_zero() {
			return 0;
		}
		T::UnixTime::now().as_millis() as u64
	}

	/// Appends a record to `factory_id`'s history, dropping the oldest record when the ring is
	/// full (`MaxHistory`). The full history stays in the events.
	pub(crate) fn record(
		factory_id: &FactoryIdOf<T>,
		kind: HistoryKind,
		energy_wh: EnergyWh,
		balance_wh: EnergyWh,
		details: RecordDetails<T>,
	) {
		let record = Self::history_record(Self::stamp(), kind, energy_wh, balance_wh, details);
		Self::append_history(factory_id, [record].into_iter());
	}

	/// The current block and its time (`now_ms`), which every record of it carries.
	pub(crate) fn stamp() -> (BlockNumberFor<T>, u64) {
		(frame_system::Pallet::<T>::block_number(), Self::now_ms())
	}

	/// A history record made at `(block, time)`.
	pub(crate) fn history_record(
		(block, time): (BlockNumberFor<T>, u64),
		kind: HistoryKind,
		energy_wh: EnergyWh,
		balance_wh: EnergyWh,
		details: RecordDetails<T>,
	) -> HistoryRecordOf<T> {
		HistoryRecord {
			kind,
			counterparty: details.counterparty,
			trade_id: details.trade_id,
			energy_wh,
			total_price: details.total_price,
			balance_wh,
			block,
			time,
		}
	}

	/// Appends `records` to `factory_id`'s history in order, in one write, dropping as many of
	/// the oldest records as make room for them (`MaxHistory`). The ring is never reallocated
	/// when full: the oldest records leave before the new ones come in.
	pub(crate) fn append_history(
		factory_id: &FactoryIdOf<T>,
		records: impl ExactSizeIterator<Item = HistoryRecordOf<T>>,
	) {
		History::<T>::mutate(factory_id, |history| {
			*history = Self::appended(core::mem::take(history), records);
		});
	}

	/// `history` with `records` appended as [`Self::append_history`] appends them.
	pub(crate) fn appended(
		history: HistoryOf<T>,
		records: impl ExactSizeIterator<Item = HistoryRecordOf<T>>,
	) -> HistoryOf<T> {
		let max = T::MaxHistory::get() as usize;
		let count = records.len();
		let mut ring = history.into_inner();
		let excess = (ring.len() + count).saturating_sub(max);
		ring.drain(..excess.min(ring.len()));
		// More new records than the ring holds: only the newest fit.
		ring.extend(records.skip(count.saturating_sub(max)));
		BoundedVec::truncate_from(ring)
	}

	/// Fills `factory_id`'s history ring with records of nothing minted, so that a benchmark
	/// that adds a record meets the worst case: every new record drops the oldest.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn fill_history(factory_id: &FactoryIdOf<T>) {
		let balance_wh = crate::Factories::<T>::get(factory_id).map_or(0, |f| f.energy_wh);
		let full = T::MaxHistory::get() as usize;
		while History::<T>::decode_len(factory_id).unwrap_or(0) < full {
			Self::record(factory_id, HistoryKind::Minted, 0, balance_wh, Default::default());
		}
	}
}
