//! The per-factory ring of recent balance changes.

use frame_support::traits::UnixTime;
use sp_runtime::traits::Zero;

use crate::{
	BalanceOf, Config, EnergyWh, FactoryIdOf, History, HistoryKind, HistoryRecord, Pallet, TradeId,
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
		let record = HistoryRecord {
			kind,
			counterparty: details.counterparty,
			trade_id: details.trade_id,
			energy_wh,
			total_price: details.total_price,
			balance_wh,
			block: frame_system::Pallet::<T>::block_number(),
			time: Self::now_ms(),
		};
		History::<T>::mutate(factory_id, |history| {
			if history.is_full() {
				history.remove(0);
			}
			// Cannot fail: there is room now (`MaxHistory` > 0 is checked by `integrity_test`).
			let _ = history.try_push(record);
		});
	}

	/// Fills `factory_id`'s history ring with records of nothing minted, so that a benchmark
	/// that adds a record meets the worst case: every new record drops the oldest.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn fill_history(factory_id: &FactoryIdOf<T>) {
		use frame_support::traits::Get;
		let balance_wh = crate::Factories::<T>::get(factory_id).map_or(0, |f| f.energy_wh);
		let full = T::MaxHistory::get() as usize;
		while History::<T>::decode_len(factory_id).unwrap_or(0) < full {
			Self::record(factory_id, HistoryKind::Minted, 0, balance_wh, Default::default());
		}
	}
}
