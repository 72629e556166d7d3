//! Locks: reservation, purchase through a lock, release, expiry by block and lazy expiry.

use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	traits::{fungible::InspectHold, Get},
	weights::Weight,
};
use sp_runtime::DispatchError;

use super::{alice_offers, energy_of};
use crate::{mock::*, weights::WeightInfo, Config, Error, Event, HoldReason, Locks, Offers};

/// The weights the mock runtime charges.
type Weights = ();

fn lock(
	who: AccountId,
	offer: u64,
	wh: u64,
	nonce: u64,
) -> Result<PostDispatchInfo, DispatchError> {
	EnergyBus::lock_offer(RuntimeOrigin::signed(who), offer, wh, factory_of(who), nonce)
		.map_err(|e| e.error)
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::OfferLock.into(), &who)
}

#[test]
fn a_lock_reserves_energy_and_holds_the_payment() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(lock(BOB, offer_id, 100_000, 0));
		assert_eq!(held(BOB), 8 * ECT);
		let offer = Offers::<Test>::get(offer_id).unwrap();
		assert_eq!((offer.available_wh, offer.locked_wh, offer.locks), (200_000, 100_000, 1));
		assert!(super::bus_events().contains(&Event::OfferLocked {
			lock_id: 0,
			offer_id,
			holder: BOB,
			energy_wh: 100_000,
			held: 8 * ECT,
			expires_at: 51,
		}));
		let (locked, locks) = EnergyBus::offer_locks(offer_id);
		assert_eq!((locked, locks.len()), (100_000, 1));
		// Others cannot buy the locked energy.
		assert_noop!(
			EnergyBus::purchase_energy(
				RuntimeOrigin::signed(CHARLIE),
				offer_id,
				200_001,
				EIGHT_CENTS,
				fid("Buyer04"),
				0
			)
			.map_err(|e| e.error),
			Error::<Test>::NotEnoughEnergy
		);
	});
}

#[test]
fn buying_through_a_lock_pays_from_the_hold() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(lock(BOB, offer_id, 100_000, 0));
		let alice_before = Balances::free_balance(ALICE);
		let bob_free = Balances::free_balance(BOB);
		// 150 kWh: 100 from the lock (held 8 ECT) and 50 from the offer (4 ECT).
		assert_ok!(EnergyBus::purchase_energy(
			RuntimeOrigin::signed(BOB),
			offer_id,
			150_000,
			EIGHT_CENTS,
			fid("Buyer03"),
			1
		));
		assert_eq!(held(BOB), 0);
		assert_eq!(Balances::free_balance(BOB), bob_free - 4 * ECT);
		assert_eq!(Balances::free_balance(ALICE), alice_before + 12 * ECT);
		assert_eq!(energy_of("Buyer03"), 150_000);
		assert!(Locks::<Test>::get(0).is_none());
	});
}

#[test]
fn lock_rejects_bad_input() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_noop!(lock(BOB, offer_id, 0, 0), Error::<Test>::ZeroEnergy);
		assert_noop!(lock(BOB, 9, 1, 0), Error::<Test>::OfferNotFound);
		assert_noop!(lock(ALICE, offer_id, 1, 0), Error::<Test>::OwnOffer);
		assert_noop!(lock(BOB, offer_id, 300_001, 0), Error::<Test>::NotEnoughEnergy);
		assert_noop!(lock(BOB, offer_id, 1, 1), Error::<Test>::NonceTooHigh);
		// A lock is for a factory of the caller's: Nobody owns none (the helper names Solar01).
		assert_noop!(lock(NOBODY, offer_id, 1_000, 0), Error::<Test>::NotFactoryOwner);
		assert_noop!(
			EnergyBus::lock_offer(RuntimeOrigin::signed(BOB), offer_id, 1, fid("Buyer04"), 0)
				.map_err(|e| e.error),
			Error::<Test>::NotFactoryOwner
		);
		assert_noop!(
			EnergyBus::lock_offer(RuntimeOrigin::signed(BOB), offer_id, 1, fid("Nope"), 0)
				.map_err(|e| e.error),
			Error::<Test>::NotFactoryOwner
		);
		assert_ok!(pallet_balances::Pallet::<Test>::force_set_balance(
			RuntimeOrigin::root(),
			DAVE,
			ECT
		));
		// 100 kWh hold 8 ECT.
		assert_noop!(lock(DAVE, offer_id, 100_000, 0), Error::<Test>::InsufficientFunds);
		assert_ok!(lock(BOB, offer_id, 1_000, 0));
		assert_noop!(lock(BOB, offer_id, 1_000, 1), Error::<Test>::AlreadyLocked);
		assert_ok!(lock(CHARLIE, offer_id, 1_000, 0));
		assert_ok!(lock(DAVE, offer_id, 1_000, 0));
		// MaxLocksPerOffer is 3.
		assert_ok!(pallet_balances::Pallet::<Test>::force_set_balance(
			RuntimeOrigin::root(),
			77,
			100 * ECT
		));
		super::register("Buyer77", 77);
		assert_noop!(
			EnergyBus::lock_offer(RuntimeOrigin::signed(77), offer_id, 1_000, fid("Buyer77"), 0)
				.map_err(|e| e.error),
			Error::<Test>::TooManyLocksOnOffer
		);
	});
}

#[test]
fn release_lock_returns_energy_and_payment() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(lock(BOB, offer_id, 100_000, 0));
		assert_noop!(
			EnergyBus::release_lock(RuntimeOrigin::signed(CHARLIE), 0),
			Error::<Test>::NotLockHolder
		);
		assert_noop!(
			EnergyBus::release_lock(RuntimeOrigin::signed(BOB), 9),
			Error::<Test>::LockNotFound
		);
		assert_ok!(EnergyBus::release_lock(RuntimeOrigin::signed(BOB), 0));
		assert_eq!(held(BOB), 0);
		assert_eq!(Offers::<Test>::get(offer_id).unwrap().available_wh, 300_000);
		assert_eq!(
			super::last_event(),
			Event::LockEnded { lock_id: 0, offer_id, energy_wh: 100_000, expired: false }
		);
	});
}

#[test]
fn locks_expire_by_block_number() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(lock(BOB, offer_id, 100_000, 0));
		run_to_block(51);
		assert!(Locks::<Test>::get(0).is_some(), "still valid in its last block");
		run_to_block(52);
		assert!(Locks::<Test>::get(0).is_none());
		assert_eq!(held(BOB), 0);
		assert_eq!(Offers::<Test>::get(offer_id).unwrap().available_wh, 300_000);
		assert!(super::bus_events().contains(&Event::LockEnded {
			lock_id: 0,
			offer_id,
			energy_wh: 100_000,
			expired: true
		}));
	});
}

#[test]
fn a_late_expiry_queue_does_not_block_buyers() {
	build_and_execute(|| {
		let offer_id = alice_offers(100_000);
		assert_ok!(lock(BOB, offer_id, 100_000, 0));
		// Jump past the expiry without running the hooks.
		System::set_block_number(60);
		assert_ok!(EnergyBus::purchase_energy(
			RuntimeOrigin::signed(CHARLIE),
			offer_id,
			100_000,
			EIGHT_CENTS,
			fid("Buyer04"),
			0
		));
		assert_eq!(energy_of("Buyer04"), 100_000);
		assert_eq!(held(BOB), 0);
	});
}

#[test]
fn the_expiry_queue_is_bounded_per_block() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(lock(BOB, offer_id, 1_000, 0));
		assert_ok!(lock(CHARLIE, offer_id, 1_000, 0));
		assert_ok!(lock(DAVE, offer_id, 1_000, 0));
		// All three expire after block 51; MaxExpiriesPerBlock is 2.
		run_to_block(52);
		assert_eq!(Locks::<Test>::iter().count(), 1);
		run_to_block(53);
		assert_eq!(Locks::<Test>::iter().count(), 0);
	});
}

#[test]
fn the_expiry_queue_is_charged_for_the_locks_it_ended_and_its_reads() {
	use frame_support::traits::Hooks;
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(lock(BOB, offer_id, 1_000, 0));
		assert_ok!(lock(CHARLIE, offer_id, 1_000, 0));
		assert_ok!(lock(DAVE, offer_id, 1_000, 0));
		run_to_block(51);
		// All three expire after block 51; MaxExpiriesPerBlock is 2. Block 52 ends two of
		// them in one read of the queue.
		// Each read of the queue is charged `expiry_queue_reads`, each lock ended
		// `expire_locks`: two benchmarks, each of one component.
		// The offer expiry queue (one read of a block without expiries), the closing queue
		// (empty) and the auctions' gate queue (one read of a block without gates) are
		// charged alongside.
		let charged = |ended: u32, reads: u32| {
			let ending = if ended > 0 { Weights::expire_locks(ended) } else { Weight::zero() };
			Weights::expiry_queue_reads(reads)
				+ ending + Weights::offer_queue_reads(1)
				+ Weights::no_closing_bus()
				+ Weights::gate_queue_reads(1)
		};
		System::set_block_number(52);
		assert_eq!(EnergyBus::on_initialize(52), charged(2, 1));
		// Block 53 ends the third, then reads block 52's expiries: none.
		System::set_block_number(53);
		assert_eq!(EnergyBus::on_initialize(53), charged(1, 2));
		assert_eq!(Locks::<Test>::iter().count(), 0);
		// Block 54 reads block 53's: none. A block without expiries pays for its read alone.
		System::set_block_number(54);
		assert_eq!(EnergyBus::on_initialize(54), charged(0, 1));
	});
}

#[test]
fn an_account_holds_at_most_max_locks() {
	build_and_execute(|| {
		// MaxLocksPerAccount is 3.
		let offers: Vec<_> = (0..4).map(|_| alice_offers(10_000)).collect();
		for (nonce, offer_id) in offers.iter().take(3).enumerate() {
			assert_ok!(lock(BOB, *offer_id, 1_000, nonce as u64));
		}
		assert_noop!(lock(BOB, offers[3], 1_000, 3), Error::<Test>::TooManyLocks);
	});
}

#[test]
fn a_lock_is_charged_for_the_expired_locks_it_ended() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		let max_locks = <Test as Config>::MaxLocksPerOffer::get();
		let call = crate::Call::<Test>::lock_offer {
			offer_id,
			energy_wh: 1_000,
			into_factory: factory_of(BOB),
			nonce: 0,
		};
		// Declared: the offer's locks met the heaviest way, each split of them into live ones
		// (read) and expired ones (ended) tried.
		let declared = call.get_dispatch_info().call_weight;
		let met = |r: u32, e: u32| {
			let read = if r > 0 { Weights::read_live_locks(r) } else { Weight::zero() };
			read + if e > 0 { Weights::end_expired_locks(e) } else { Weight::zero() }
		};
		let heaviest =
			(0..=max_locks).map(|r| met(r, max_locks - r)).fold(Weight::zero(), |a, b| a.max(b));
		assert_eq!(declared, Weights::lock_offer() + heaviest);
		// The offer has no locks yet: none are read, and the lock is charged its benchmark.
		let first = lock(BOB, offer_id, 1_000, 0).unwrap();
		assert_eq!(first.actual_weight, Some(Weights::lock_offer()));
		// Bob's lock expires after block 51; Charlie's lock ends it first, and pays for it.
		System::set_block_number(60);
		let second = lock(CHARLIE, offer_id, 1_000, 0).unwrap();
		assert_eq!(second.actual_weight, Some(Weights::lock_offer() + met(0, 1)));
		assert!(second.actual_weight.unwrap().all_gt(first.actual_weight.unwrap()));
		assert!(second.actual_weight.unwrap().all_lt(declared));
		// Dave's lock reads Charlie's live one.
		let third = lock(DAVE, offer_id, 1_000, 0).unwrap();
		assert_eq!(third.actual_weight, Some(Weights::lock_offer() + met(1, 0)));
		assert_eq!(Locks::<Test>::iter().count(), 2);
	});
}

#[test]
fn a_failed_lock_pays_the_declared_weight() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(lock(BOB, offer_id, 1_000, 0));
		assert_ok!(lock(CHARLIE, offer_id, 1_000, 0));
		// Alice cannot lock her own offer; she is charged the declared worst case (the default
		// for a failed call).
		let failed = EnergyBus::lock_offer(
			RuntimeOrigin::signed(ALICE),
			offer_id,
			1_000,
			factory_of(ALICE),
			0,
		)
		.unwrap_err();
		assert_eq!(failed.error, Error::<Test>::OwnOffer.into());
		assert_eq!(failed.post_info.actual_weight, None);
	});
}

/// Moves every stored lock to the layout of storage version 2 (no factory).
fn store_locks_as_v2() {
	use crate::migrations::v3::v2;
	for (id, lock) in Locks::<Test>::drain().collect::<Vec<_>>() {
		v2::Locks::<Test>::insert(
			id,
			v2::OldLock {
				id,
				offer_id: lock.offer_id,
				holder: lock.holder,
				energy_wh: lock.energy_wh,
				price_per_kwh: lock.price_per_kwh,
				held: lock.held,
				expires_at: lock.expires_at,
			},
		);
	}
}

#[test]
fn the_v3_migration_ends_the_locks_stored_without_a_factory() {
	use crate::migrations::v3::MigrateV2ToV3;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		// A version-2 chain: Bob's lock on an open offer, Charlie's on a cancelled one, stored
		// without a factory.
		let open = alice_offers(300_000);
		let cancelled = alice_offers(100_000);
		assert_ok!(lock(BOB, open, 10_000, 0));
		assert_ok!(lock(CHARLIE, cancelled, 5_000, 0));
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), cancelled));
		let solar = energy_of("Solar01");
		StorageVersion::new(2).put::<EnergyBus>();
		store_locks_as_v2();

		MigrateV2ToV3::<Test>::on_runtime_upgrade();

		assert_eq!(EnergyBus::on_chain_storage_version(), StorageVersion::new(3));
		assert_eq!(Locks::<Test>::iter().count(), 0);
		assert_eq!((held(BOB), held(CHARLIE)), (0, 0));
		let offer = Offers::<Test>::get(open).unwrap();
		assert_eq!((offer.available_wh, offer.locked_wh, offer.locks), (300_000, 0, 0));
		// The cancelled offer's energy went back to Solar01, and the offer left.
		assert!(!Offers::<Test>::contains_key(cancelled));
		assert_eq!(energy_of("Solar01"), solar + 5_000);
		let ended = super::bus_events()
			.into_iter()
			.filter(|event| matches!(event, Event::LockEnded { expired: false, .. }))
			.count();
		assert_eq!(ended, 2);
		// Bob may lock again at once: the migration started no cooldown.
		assert_ok!(lock(BOB, open, 10_000, 1));
		// Run again, it changes nothing: the stored version is 3.
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(Locks::<Test>::iter().count(), 1);
	});
}

/// A stored lock the migration cannot end as a release would (its cancelled offer's factory
/// cannot take the energy back) is still removed, with its indexes and its payment: its energy
/// goes back on its offer, which reopens so it can be bought.
#[test]
fn the_v3_migration_removes_a_lock_it_cannot_end() {
	use crate::migrations::v3::MigrateV2ToV3;
	use frame_support::traits::{OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		let cancelled = alice_offers(100_000);
		assert_ok!(lock(CHARLIE, cancelled, 5_000, 0));
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), cancelled));
		StorageVersion::new(2).put::<EnergyBus>();
		store_locks_as_v2();
		let solar = energy_of("Solar01");
		super::set_energy("Solar01", u64::MAX);

		MigrateV2ToV3::<Test>::on_runtime_upgrade();

		super::set_energy("Solar01", solar);
		assert_eq!(Locks::<Test>::iter().count(), 0);
		assert_eq!(crate::LocksByOffer::<Test>::iter().count(), 0);
		assert_eq!(crate::LockExpiries::<Test>::iter().count(), 0);
		assert!(!crate::LockCount::<Test>::contains_key(CHARLIE));
		assert_eq!(held(CHARLIE), 0);
		let offer = Offers::<Test>::get(cancelled).unwrap();
		assert_eq!(
			(offer.status, offer.available_wh, offer.locked_wh, offer.locks),
			(crate::OfferStatus::Open, 5_000, 0, 0)
		);
		assert_eq!(energy_of("Solar01"), solar);
	});
}
