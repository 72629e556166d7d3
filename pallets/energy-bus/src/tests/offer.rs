//! Offers: escrow, capacity, cancellation.

use frame_support::{assert_noop, assert_ok};

use super::{alice_offers, energy_of, last_event};
use crate::{mock::*, Buses, Error, Event, OfferStatus, Offers};

#[test]
fn create_offer_escrows_energy_and_commits_capacity() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_eq!(energy_of("Solar01"), 700_000);
		assert_eq!(pallet_energy_trading::MarketEscrowWh::<Test>::get(), 300_000);
		let bus = Buses::<Test>::get(0).unwrap();
		assert_eq!((bus.committed_wh, bus.open_offers), (300_000, 1));
		let offer = Offers::<Test>::get(offer_id).unwrap();
		assert_eq!((offer.available_wh, offer.status), (300_000, OfferStatus::Open));
		assert_eq!(
			last_event(),
			Event::OfferCreated {
				offer_id,
				bus_id: 0,
				seller: ALICE,
				factory: fid("Solar01"),
				energy_wh: 300_000,
				price_per_kwh: EIGHT_CENTS,
			}
		);
		assert_eq!(EnergyBus::bus_active_offers(0, None, 10).len(), 1);
		assert_eq!(EnergyBus::user_bus_offers(ALICE, 0).len(), 1);
		assert_eq!(EnergyBus::bus_details(0).unwrap().1, 1_700_000);
	});
}

#[test]
fn create_offer_rejects_bad_input() {
	build_and_execute(|| {
		let offer = |who, bus, factory: &str, wh, price| {
			EnergyBus::create_offer(RuntimeOrigin::signed(who), bus, fid(factory), wh, price)
		};
		assert_noop!(offer(ALICE, 0, "Solar01", 0, ECT), Error::<Test>::ZeroEnergy);
		assert_noop!(offer(ALICE, 9, "Solar01", 1, ECT), Error::<Test>::BusNotFound);
		assert_noop!(offer(BOB, 0, "Solar01", 1, ECT), Error::<Test>::NotFactoryOwner);
		assert_noop!(offer(ALICE, 0, "Nope", 1, ECT), Error::<Test>::NotFactoryOwner);
		assert_noop!(offer(ALICE, 0, "Solar01", 1, ECT / 100), Error::<Test>::PriceBelowBase);
		assert_noop!(offer(ALICE, 0, "Solar01", 2_000_001, ECT), Error::<Test>::CapacityExceeded);
		assert_noop!(
			offer(ALICE, 0, "Solar01", 1_000_001, ECT),
			pallet_energy_trading::Error::<Test>::InsufficientEnergy
		);
	});
}

#[test]
fn cancel_offer_returns_unlocked_energy() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_noop!(
			EnergyBus::cancel_offer(RuntimeOrigin::signed(BOB), offer_id),
			Error::<Test>::NotOfferSeller
		);
		assert_noop!(
			EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), 9),
			Error::<Test>::OfferNotFound
		);
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), offer_id));
		assert!(bus_events_contains(Event::OfferCancelled {
			offer_id,
			returned_wh: 300_000,
			still_locked_wh: 0
		}));
		assert_eq!(energy_of("Solar01"), 1_000_000);
		assert!(!Offers::<Test>::contains_key(offer_id), "an empty offer is removed");
		let bus = Buses::<Test>::get(0).unwrap();
		assert_eq!((bus.committed_wh, bus.open_offers), (0, 0));
	});
}

#[test]
fn a_cancelled_offer_keeps_its_locks_buyable() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(EnergyBus::lock_offer(
			RuntimeOrigin::signed(BOB),
			offer_id,
			100_000,
			factory_of(BOB),
			0
		));
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), offer_id));
		assert_eq!(energy_of("Solar01"), 900_000);
		assert_eq!(Offers::<Test>::get(offer_id).unwrap().status, OfferStatus::Cancelled);
		assert_noop!(
			EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), offer_id),
			Error::<Test>::OfferNotOpen
		);
		// Charlie cannot buy; Bob buys through his lock.
		assert_noop!(
			EnergyBus::purchase_energy(
				RuntimeOrigin::signed(CHARLIE),
				offer_id,
				1,
				ECT,
				fid("Buyer04"),
				0
			)
			.map_err(|e| e.error),
			Error::<Test>::OfferNotOpen
		);
		assert_ok!(EnergyBus::purchase_energy(
			RuntimeOrigin::signed(BOB),
			offer_id,
			100_000,
			EIGHT_CENTS,
			fid("Buyer03"),
			1
		));
		assert_eq!(energy_of("Buyer03"), 100_000);
		assert!(!Offers::<Test>::contains_key(offer_id));
		assert_eq!(Buses::<Test>::get(0).unwrap().committed_wh, 0);
	});
}

fn bus_events_contains(event: Event<Test>) -> bool {
	super::bus_events().contains(&event)
}

#[test]
fn offer_ids_cannot_overflow() {
	build_and_execute(|| {
		crate::NextOfferId::<Test>::put(u64::MAX);
		assert_noop!(
			EnergyBus::create_offer(RuntimeOrigin::signed(ALICE), 0, fid("Solar01"), 1, ECT),
			Error::<Test>::Overflow
		);
		crate::NextOfferId::<Test>::put(0);
	});
}
