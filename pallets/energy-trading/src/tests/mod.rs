//! Unit tests. Every test runs through `build_and_execute`, which checks `try_state` afterwards.

mod factory;
mod history;
mod market;
mod meters;
mod migrations;
mod properties;
mod queries;
mod trade;
mod trade_spam;

use crate::{mock::*, Event};

/// The last event the pallet deposited.
pub(crate) fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::EnergyTrading(event) => Some(event),
			_ => None,
		})
		.expect("the pallet deposited an event")
}

/// Every event the pallet deposited, in order.
pub(crate) fn ledger_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::EnergyTrading(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// A factory's energy balance in Wh.
pub(crate) fn balance_of(id: &str) -> u64 {
	crate::Factories::<Test>::get(fid(id)).expect("factory exists").energy_wh
}
