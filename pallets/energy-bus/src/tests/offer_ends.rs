//! Finding 4 of the hardening review: capacity squatting. Before, an offer had no end and a bus
//! with offers could not be closed: one absurd offer filled a bus's capacity, blocked every
//! other seller with `CapacityExceeded` for good, and stranded the creator's deposit (`close_bus`
//! failed with `BusHasOpenOffers`). Now an offer ends after the offer lifetime (7 days by
//! default; 100,800 blocks in the mock too) and its owners close a bus with offers in bounded
//! steps. The squatting test uses only what the pallet had before (calls, storage, hooks), so
//! it ran, and failed, on the code before the fix.

use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_runtime::DispatchError;

use super::{alice_offers, bus_events, energy_of, set_energy};
use crate::{
	mock::*, BatchItem, Buses, ClosingBuses, Error, Event, OfferExpiries, OfferExpiryCursor,
	OfferLifetime, OfferStatus, Offers, PurchaseFailure,
};

/// The mock's default offer lifetime, in blocks.
const LIFETIME: u64 = 100_800;

/// Jumps to block `n` and runs its hooks. The blocks skipped had no offer to end: the offer
/// expiry cursor is moved to where running them would have left it (up to the first queued
/// block), since each block reads at most `MaxExpiriesPerBlock` blocks of the queue.
fn jump_to(n: u64) {
	let first_queued = OfferExpiries::<Test>::iter_keys().map(|(block, _)| block).min();
	let caught_up = first_queued.map_or(n - 1, |block| block.min(n - 1));
	if OfferExpiryCursor::<Test>::get() < caught_up {
		OfferExpiryCursor::<Test>::put(caught_up);
	}
	System::set_block_number(n);
	EnergyBus::on_initialize(n);
}

fn buy(who: AccountId, offer_id: u64, wh: u64, into: &str, nonce: u64) -> DispatchResult {
	EnergyBus::purchase_energy(RuntimeOrigin::signed(who), offer_id, wh, ECT, fid(into), nonce)
		.map(|_| ())
		.map_err(|e| e.error)
}

fn lock(who: AccountId, offer_id: u64, wh: u64, into: &str, nonce: u64) -> DispatchResult {
	EnergyBus::lock_offer(RuntimeOrigin::signed(who), offer_id, wh, fid(into), nonce)
		.map(|_| ())
		.map_err(|e| e.error)
}

type DispatchResult = Result<(), DispatchError>;

/// The attack: offers at an absurd price (a million ECT per kWh) take 1800 of the bus's 2000
/// kWh, and any offer of more than the 200 kWh left is refused. Cost to the squatter: two
/// transaction fees, and 1800 kWh of its energy kept from its own use for the lifetime. Then:
/// the offers end after their lifetime and the capacity is free again; and the bus's owners
/// can close the bus whatever offers it has (the offers cancelled, the deposit returned).
#[test]
fn a_squatting_offer_ends_and_its_bus_can_be_closed() {
	build_and_execute(|| {
		assert_ok!(EnergyBus::create_offer(
			RuntimeOrigin::signed(ALICE),
			0,
			fid("Solar01"),
			1_000_000,
			1_000_000 * ECT
		));
		assert_ok!(EnergyBus::create_offer(
			RuntimeOrigin::signed(ALICE),
			0,
			fid("Wind02"),
			800_000,
			1_000_000 * ECT
		));
		// 200 kWh left: an offer of 300 kWh is refused.
		assert_noop!(
			EnergyBus::create_offer(
				RuntimeOrigin::signed(ALICE),
				0,
				fid("Solar01"),
				300_000,
				EIGHT_CENTS
			),
			Error::<Test>::CapacityExceeded
		);
		// The offers end after block 1 + LIFETIME: in the next block their energy is back.
		jump_to(1 + LIFETIME);
		assert_eq!(Offers::<Test>::iter().count(), 2, "open through their last block");
		jump_to(2 + LIFETIME);
		assert_eq!(Offers::<Test>::iter().count(), 0);
		assert_eq!(Buses::<Test>::get(0).unwrap().committed_wh, 0);
		assert_eq!((energy_of("Solar01"), energy_of("Wind02")), (1_000_000, 800_000));
		assert_ok!(EnergyBus::create_offer(
			RuntimeOrigin::signed(ALICE),
			0,
			fid("Solar01"),
			300_000,
			EIGHT_CENTS
		));

		// And the owners close the bus with the offer on it: the offer is cancelled in the
		// next block, then the bus closes and the deposit returns.
		let reserved_before = Balances::reserved_balance(ALICE);
		assert_ok!(EnergyBus::close_bus(RuntimeOrigin::signed(BOB), 0));
		jump_to(3 + LIFETIME);
		assert!(Buses::<Test>::get(0).is_none());
		assert_eq!(energy_of("Solar01"), 1_000_000);
		assert_eq!(Balances::reserved_balance(ALICE), reserved_before - 10 * ECT);
	});
}

#[test]
fn an_offer_is_open_through_its_last_block_and_ends_with_an_event() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		let offer = Offers::<Test>::get(offer_id).unwrap();
		assert_eq!(offer.expires_at, 1 + LIFETIME);
		assert!(OfferExpiries::<Test>::contains_key(1 + LIFETIME, offer_id));
		assert_ok!(buy(BOB, offer_id, 100_000, "Buyer03", 0));

		// In its last block it is still bought; the block after, a call treats it as gone
		// even before the queue has ended it.
		System::set_block_number(1 + LIFETIME);
		assert_ok!(buy(BOB, offer_id, 1_000, "Buyer03", 1));
		System::set_block_number(2 + LIFETIME);
		assert_noop!(buy(BOB, offer_id, 1_000, "Buyer03", 2), Error::<Test>::OfferExpired);
		assert_noop!(lock(BOB, offer_id, 1_000, "Buyer03", 2), Error::<Test>::OfferExpired);
		assert_eq!(EnergyBus::lock_quote(offer_id, 1_000), None);
		let item = BatchItem { offer_id, energy_wh: 1_000, max_price_per_kwh: ECT };
		assert_noop!(
			EnergyBus::batch_purchase_energy(
				RuntimeOrigin::signed(BOB),
				vec![item].try_into().unwrap(),
				fid("Buyer03"),
				2
			)
			.map_err(|e| e.error),
			Error::<Test>::BatchItemFailed { index: 0, reason: PurchaseFailure::OfferExpired }
		);

		jump_to(2 + LIFETIME);
		assert_eq!(
			bus_events().last(),
			Some(&Event::OfferExpired { offer_id, returned_wh: 199_000, still_locked_wh: 0 })
		);
		assert!(Offers::<Test>::get(offer_id).is_none());
		assert_eq!(energy_of("Solar01"), 1_000_000 - 101_000);
		assert_eq!(OfferExpiryCursor::<Test>::get(), 2 + LIFETIME);
	});
}

#[test]
fn a_seller_may_cancel_an_expired_offer_the_queue_has_not_ended() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		System::set_block_number(2 + LIFETIME);
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), offer_id));
		assert!(!OfferExpiries::<Test>::contains_key(1 + LIFETIME, offer_id));
		jump_to(2 + LIFETIME);
		assert!(!bus_events().iter().any(|e| matches!(e, Event::OfferExpired { .. })));
	});
}

#[test]
fn a_lock_taken_before_the_end_stays_buyable_after_it() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		System::set_block_number(LIFETIME - 10);
		assert_ok!(lock(BOB, offer_id, 50_000, "Buyer03", 0));
		jump_to(2 + LIFETIME);
		// Ended: its unlocked energy is back, the locked part waits for Bob.
		assert_eq!(
			bus_events().last(),
			Some(&Event::OfferExpired { offer_id, returned_wh: 250_000, still_locked_wh: 50_000 })
		);
		assert_eq!(Offers::<Test>::get(offer_id).unwrap().status, OfferStatus::Cancelled);
		assert_ok!(buy(BOB, offer_id, 50_000, "Buyer03", 1));
		assert!(Offers::<Test>::get(offer_id).is_none());
		assert_eq!(energy_of("Buyer03"), 50_000);
	});
}

#[test]
fn the_offer_expiry_queue_is_bounded_per_block() {
	build_and_execute(|| {
		// MaxExpiriesPerBlock is 2: three offers ending after the same block take two blocks.
		for _ in 0..3 {
			alice_offers(1_000);
		}
		jump_to(2 + LIFETIME);
		assert_eq!(Offers::<Test>::iter().count(), 1);
		jump_to(3 + LIFETIME);
		assert_eq!(Offers::<Test>::iter().count(), 0);
	});
}

#[test]
fn an_offer_that_cannot_end_stays_queued_and_is_tried_again() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		// Solar01 cannot take its energy back: its balance would overflow.
		let solar = energy_of("Solar01");
		set_energy("Solar01", u64::MAX);
		jump_to(2 + LIFETIME);
		assert_eq!(Offers::<Test>::get(offer_id).unwrap().status, OfferStatus::Open);
		assert!(OfferExpiries::<Test>::contains_key(1 + LIFETIME, offer_id));
		assert_eq!(OfferExpiryCursor::<Test>::get(), 1 + LIFETIME, "the queue waits at its block");
		set_energy("Solar01", solar);
		jump_to(3 + LIFETIME);
		assert!(Offers::<Test>::get(offer_id).is_none());
		assert_eq!(energy_of("Solar01"), 1_000_000);
	});
}

#[test]
fn root_sets_the_offer_lifetime_within_its_bounds() {
	build_and_execute(|| {
		assert_noop!(
			EnergyBus::set_offer_lifetime(RuntimeOrigin::signed(ALICE), 10),
			DispatchError::BadOrigin
		);
		assert_noop!(
			EnergyBus::set_offer_lifetime(RuntimeOrigin::root(), 0),
			Error::<Test>::InvalidOfferLifetime
		);
		assert_noop!(
			EnergyBus::set_offer_lifetime(RuntimeOrigin::root(), 432_001),
			Error::<Test>::InvalidOfferLifetime
		);
		let old = alice_offers(1_000);
		assert_ok!(EnergyBus::set_offer_lifetime(RuntimeOrigin::root(), 10));
		assert_eq!(bus_events().last(), Some(&Event::OfferLifetimeChanged { lifetime: 10 }));
		assert_eq!(EnergyBus::offer_lifetime(), 10);
		let new = alice_offers(1_000);
		assert_eq!(Offers::<Test>::get(new).unwrap().expires_at, 11);
		assert_eq!(Offers::<Test>::get(old).unwrap().expires_at, 1 + LIFETIME, "kept its end");
		assert_eq!(OfferLifetime::<Test>::get(), 10);
	});
}

#[test]
fn owners_close_a_bus_with_offers_in_bounded_steps() {
	build_and_execute(|| {
		let signed = RuntimeOrigin::signed;
		assert_ok!(EnergyBus::set_approval_threshold(signed(ALICE), 0, 2));
		let offers: Vec<_> = (0..5).map(|_| alice_offers(10_000)).collect();
		// Bob locks part of the last one: the bus waits for his lock.
		assert_ok!(lock(BOB, offers[4], 1_000, "Buyer03", 0));
		assert_ok!(EnergyBus::set_base_price(signed(ALICE), 0, 1));
		assert_ok!(EnergyBus::close_bus(signed(ALICE), 0));
		assert_ok!(EnergyBus::close_bus(signed(BOB), 0));
		assert_eq!(bus_events().last(), Some(&Event::BusClosing { bus_id: 0, open_offers: 5 }));
		assert!(ClosingBuses::<Test>::contains_key(0));
		// Its open proposals are dropped; it takes no new offers or proposals.
		assert!(crate::Proposals::<Test>::get(0).is_empty());
		assert_noop!(
			EnergyBus::create_offer(signed(ALICE), 0, fid("Solar01"), 1_000, EIGHT_CENTS),
			Error::<Test>::BusClosing
		);
		assert_noop!(EnergyBus::set_base_price(signed(ALICE), 0, 2), Error::<Test>::BusClosing);
		assert!(EnergyBus::bus_closing(0));

		// MaxExpiriesPerBlock is 2: two offers a block.
		run_to_block(2);
		assert_eq!(crate::OffersByBus::<Test>::iter_prefix(0).count(), 3);
		run_to_block(4);
		assert_eq!(crate::OffersByBus::<Test>::iter_prefix(0).count(), 0);
		// Bob's lock keeps the last offer, and the bus, until it ends (or he buys).
		assert!(Buses::<Test>::get(0).is_some());
		assert_ok!(buy(BOB, offers[4], 1_000, "Buyer03", 1));
		run_to_block(5);
		assert!(Buses::<Test>::get(0).is_none());
		assert!(!ClosingBuses::<Test>::contains_key(0));
		assert_eq!(bus_events().last(), Some(&Event::BusClosed { bus_id: 0 }));
		assert_eq!(energy_of("Solar01"), 1_000_000 - 1_000);
		assert_eq!(Balances::reserved_balance(ALICE), 0);
	});
}

#[test]
fn a_bus_without_offers_closes_at_once() {
	build_and_execute(|| {
		assert_ok!(EnergyBus::close_bus(RuntimeOrigin::signed(ALICE), 0));
		assert!(Buses::<Test>::get(0).is_none());
		assert_eq!(bus_events().last(), Some(&Event::BusClosed { bus_id: 0 }));
	});
}

#[test]
fn the_v4_migration_gives_every_offer_an_end_once() {
	use crate::migrations::v4::{v3::OldOffer, MigrateV3ToV4};
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		let open = alice_offers(300_000);
		let cancelled = alice_offers(100_000);
		assert_ok!(lock(BOB, cancelled, 1_000, "Buyer03", 0));
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), cancelled));
		// Write both back in version 3's layout, with no expiry queue.
		for offer_id in [open, cancelled] {
			let offer = Offers::<Test>::get(offer_id).unwrap();
			let old = OldOffer {
				id: offer.id,
				bus_id: offer.bus_id,
				seller: offer.seller,
				factory: offer.factory,
				energy_wh: offer.energy_wh,
				available_wh: offer.available_wh,
				locked_wh: offer.locked_wh,
				sold_wh: offer.sold_wh,
				price_per_kwh: offer.price_per_kwh,
				locks: offer.locks,
				status: offer.status,
				created_at: offer.created_at,
			};
			frame_support::storage::unhashed::put_raw(
				&Offers::<Test>::hashed_key_for(offer_id),
				&old.encode(),
			);
		}
		let _ = OfferExpiries::<Test>::clear(u32::MAX, None);
		StorageVersion::new(3).put::<crate::Pallet<Test>>();
		System::set_block_number(40);

		MigrateV3ToV4::<Test>::on_runtime_upgrade();

		assert_eq!(crate::Pallet::<Test>::on_chain_storage_version(), 4);
		// In the layout of versions 4 and 5.
		for offer_id in [open, cancelled] {
			let offer = crate::migrations::v6::v5::Offers::<Test>::get(offer_id).unwrap();
			assert_eq!(offer.expires_at, 40 + LIFETIME);
		}
		let queued: Vec<_> = OfferExpiries::<Test>::iter().map(|(b, o, ())| (b, o)).collect();
		assert_eq!(queued, vec![(40 + LIFETIME, open)], "only the open offer is queued");
		assert_eq!(OfferExpiryCursor::<Test>::get(), 40);
		// The next migrations bring the offers to the current layout.
		crate::migrations::v5::MigrateV4ToV5::<Test>::on_runtime_upgrade();
		crate::migrations::v6::MigrateV5ToV6::<Test>::on_runtime_upgrade();
		for offer_id in [open, cancelled] {
			assert_eq!(Offers::<Test>::get(offer_id).unwrap().expires_at, 40 + LIFETIME);
		}
		crate::Pallet::<Test>::do_try_state().expect("the migrated state is consistent");

		// At a later version it does nothing.
		System::set_block_number(50);
		MigrateV3ToV4::<Test>::on_runtime_upgrade();
		assert_eq!(Offers::<Test>::get(open).unwrap().expires_at, 40 + LIFETIME);
	});
}
