//! Unit tests. Every test runs through `build_and_execute`, which checks both pallets'
//! `try_state` afterwards.

mod auction;
mod auction_oracle;
mod bus;
mod grid_fees;
mod lock;
mod lock_costs;
mod offer;
mod offer_ends;
mod properties;
mod purchase;
mod queries;

use crate::{mock::*, Event};

/// The events this pallet deposited, oldest first.
pub(crate) fn bus_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::EnergyBus(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// The events pallet-balances deposited (the payments), oldest first.
pub(crate) fn balance_events() -> Vec<pallet_balances::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Balances(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// The last event this pallet deposited.
pub(crate) fn last_event() -> Event<Test> {
	bus_events().pop().expect("the pallet deposited an event")
}

/// A factory's energy balance in Wh.
pub(crate) fn energy_of(id: &str) -> u64 {
	pallet_energy_trading::Factories::<Test>::get(fid(id)).expect("factory exists").energy_wh
}

/// Sets a factory's energy balance in Wh behind the ledger's back (to make it refuse energy:
/// set it back before the test ends, or the ledger's invariants fail).
pub(crate) fn set_energy(id: &str, energy_wh: u64) {
	pallet_energy_trading::Factories::<Test>::mutate(fid(id), |factory| {
		factory.as_mut().expect("factory exists").energy_wh = energy_wh;
	})
}

/// Registers an empty factory `id` for `owner`, as the registrar.
pub(crate) fn register(id: &str, owner: AccountId) {
	frame_support::assert_ok!(EnergyTrading::register_factory(
		RuntimeOrigin::root(),
		id.as_bytes().to_vec(),
		id.as_bytes().to_vec(),
		pallet_energy_trading::EnergyType::Other,
		owner,
		None,
		1_000,
		0
	));
}

/// Alice offers `wh` of Solar01 on bus 0 at 0.08 ECT/kWh; returns the offer id.
pub(crate) fn alice_offers(wh: u64) -> crate::OfferId {
	frame_support::assert_ok!(EnergyBus::create_offer(
		RuntimeOrigin::signed(ALICE),
		0,
		fid("Solar01"),
		wh,
		EIGHT_CENTS
	));
	crate::NextOfferId::<Test>::get() - 1
}
