//! What a lock costs its taker (hardening, finding 3), and locks that cannot be ended
//! (finding 8). The attacks these tests replay were free before: a lock needed no factory, paid
//! nothing to anyone, could cover a whole offer, and `release_lock` + `lock_offer` in one
//! `utility.batch` kept an offer unbuyable for as long as the attacker liked.

use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use sp_runtime::{BuildStorage, DispatchError, Perbill};

use super::{alice_offers, bus_events, energy_of, register};
use crate::{
	mock::*, BatchItem, Error, Event, ExpiryCursor, HoldReason, LockCooldowns, LockExpiries,
	LockQuote, LockTerms, Locks, Offers, PurchaseFailure,
};

/// Energy Chain's default terms, with the mock's currency: a fee of 1% of the held payment, at
/// least 0.01 ECT (ten existential deposits there); one lock takes at most 10% of an offer.
fn chain_terms() -> LockTerms<Balance> {
	LockTerms {
		fee: Perbill::from_percent(1),
		min_fee: ECT / 100,
		max_share: Perbill::from_percent(10),
	}
}

/// Sets the chain's terms, as Root would.
fn with_chain_terms() {
	assert_ok!(EnergyBus::set_lock_terms(RuntimeOrigin::root(), chain_terms()));
}

fn lock(who: AccountId, offer: u64, wh: u64, nonce: u64) -> Result<(), DispatchError> {
	EnergyBus::lock_offer(RuntimeOrigin::signed(who), offer, wh, factory_of(who), nonce)
		.map(|_| ())
		.map_err(|e| e.error)
}

fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::OfferLock.into(), &who)
}

#[test]
fn lock_terms_are_set_by_the_admin_within_their_bounds() {
	build_and_execute(|| {
		assert_noop!(
			EnergyBus::set_lock_terms(RuntimeOrigin::signed(ALICE), chain_terms()),
			DispatchError::BadOrigin
		);
		// The minimum fee is at least the existential deposit (1 in the mock).
		let free_locks = LockTerms { fee: Perbill::zero(), min_fee: 0, ..chain_terms() };
		assert_noop!(
			EnergyBus::set_lock_terms(RuntimeOrigin::root(), free_locks),
			Error::<Test>::InvalidLockTerms
		);
		let no_share = LockTerms { max_share: Perbill::zero(), ..chain_terms() };
		assert_noop!(
			EnergyBus::set_lock_terms(RuntimeOrigin::root(), no_share),
			Error::<Test>::InvalidLockTerms
		);
		with_chain_terms();
		assert_eq!(EnergyBus::lock_terms(), chain_terms());
		assert_eq!(super::last_event(), Event::LockTermsChanged { terms: chain_terms() });
	});
}

#[test]
#[should_panic(expected = "InvalidLockTerms")]
fn genesis_lock_terms_are_checked() {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	crate::GenesisConfig::<Test> {
		lock_terms: Some(LockTerms { min_fee: 0, ..chain_terms() }),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
}

#[test]
fn a_lock_pays_the_seller_a_fee_that_is_never_refunded() {
	build_and_execute(|| {
		with_chain_terms();
		let offer_id = alice_offers(300_000);
		// 30 kWh at 0.08 ECT/kWh hold 2.4 ECT; the fee is 1% of that, 0.024 ECT.
		let quote = EnergyBus::lock_quote(offer_id, 30_000).unwrap();
		let (payment, fee) = (24 * ECT / 10, 24 * ECT / 1_000);
		assert_eq!(quote, LockQuote { held: payment, fee, max_energy_wh: 30_000, expires_at: 52 });
		let (alice, bob) = (free(ALICE), free(BOB));
		assert_ok!(lock(BOB, offer_id, 30_000, 0));
		assert_eq!(free(ALICE), alice + fee);
		assert_eq!(free(BOB), bob - payment - fee);
		assert_eq!(held(BOB), payment);
		assert!(bus_events().contains(&Event::LockFeePaid {
			lock_id: 0,
			offer_id,
			holder: BOB,
			factory: fid("Buyer03"),
			seller: ALICE,
			fee,
		}));
		assert_eq!(Locks::<Test>::get(0).unwrap().factory, fid("Buyer03"));
		// Released: the payment comes back, the fee does not.
		assert_ok!(EnergyBus::release_lock(RuntimeOrigin::signed(BOB), 0));
		assert_eq!((free(BOB), held(BOB)), (bob - fee, 0));
		assert_eq!(free(ALICE), alice + fee);
		// A small lock pays the minimum: 1 Wh holds 0.00008 ECT, its fee is 0.01 ECT.
		let quote = EnergyBus::lock_quote(offer_id, 1).unwrap();
		assert_eq!((quote.held, quote.fee), (8 * ECT / 100_000, ECT / 100));
		assert_ok!(lock(CHARLIE, offer_id, 1, 0));
		assert_eq!(free(ALICE), alice + fee + ECT / 100);
		// No quote for an offer that is not open.
		assert_eq!(EnergyBus::lock_quote(99, 1), None);
	});
}

#[test]
fn a_buyer_who_cannot_pay_the_fee_cannot_lock() {
	build_and_execute(|| {
		with_chain_terms();
		let offer_id = alice_offers(300_000);
		// 1 Wh holds 0.00008 ECT: Dave can pay that, not with the 0.01 ECT fee (keeping the
		// existential deposit).
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), DAVE, ECT / 100));
		assert_noop!(lock(DAVE, offer_id, 1, 0), Error::<Test>::InsufficientFunds);
	});
}

#[test]
fn one_lock_reserves_at_most_the_max_share_of_an_offer() {
	build_and_execute(|| {
		with_chain_terms();
		let offer_id = alice_offers(300_000);
		assert_noop!(lock(BOB, offer_id, 30_001, 0), Error::<Test>::LockTooLarge);
		assert_ok!(lock(BOB, offer_id, 30_000, 0));
		// The share is of the energy first offered: a part sold does not shrink it.
		assert_ok!(EnergyBus::purchase_energy(
			RuntimeOrigin::signed(CHARLIE),
			offer_id,
			200_000,
			EIGHT_CENTS,
			fid("Buyer04"),
			0
		));
		assert_ok!(lock(DAVE, offer_id, 30_000, 0));
		// An offer too small for a share still admits a 1 Wh lock.
		let tiny = alice_offers(5);
		assert_eq!(EnergyBus::lock_quote(tiny, 1).unwrap().max_energy_wh, 1);
		assert_noop!(lock(CHARLIE, tiny, 2, 1), Error::<Test>::LockTooLarge);
		assert_ok!(lock(CHARLIE, tiny, 1, 1));
	});
}

/// The attack: `utility.batch([release_lock, lock_offer])` in every block kept a whole offer
/// locked for ever, for two transaction fees a block, the held payment refunded each time.
/// Now a lock takes at most 10% of the offer and costs its fee (0.01 ECT or more on Energy
/// Chain, paid to the seller), and the relock in the batch fails: the holder may lock the
/// offer again only after the lock duration (50 blocks). Keeping 10% of an offer locked the
/// whole time costs a fee per lock duration (0.01 ECT × 288 = 2.88 ECT a day at the least),
/// and a lock of 10% needs 10 accounts, each with a factory, to reserve the whole offer.
#[test]
fn the_release_and_relock_loop_is_barred_for_the_lock_duration() {
	build_and_execute(|| {
		with_chain_terms();
		let offer_id = alice_offers(300_000);
		let alice = free(ALICE);
		assert_ok!(lock(BOB, offer_id, 30_000, 0));
		assert_ok!(EnergyBus::release_lock(RuntimeOrigin::signed(BOB), 0));
		assert_noop!(lock(BOB, offer_id, 30_000, 1), Error::<Test>::LockCoolingDown);
		assert_eq!(LockCooldowns::<Test>::get(BOB).into_inner(), vec![(offer_id, 51)]);
		// The released energy is anyone's to buy, Bob's too; others may lock it.
		assert_ok!(lock(CHARLIE, offer_id, 30_000, 0));
		assert_ok!(EnergyBus::purchase_energy(
			RuntimeOrigin::signed(BOB),
			offer_id,
			1_000,
			EIGHT_CENTS,
			fid("Buyer03"),
			1
		));
		// Released in block 1, Bob may lock again after block 51.
		run_to_block(51);
		assert_noop!(lock(BOB, offer_id, 30_000, 2), Error::<Test>::LockCoolingDown);
		run_to_block(52);
		assert_ok!(lock(BOB, offer_id, 30_000, 2));
		// The cooldown that ended is dropped from storage.
		assert!(!LockCooldowns::<Test>::contains_key(BOB));
		// Alice was paid three fees: 0.024 ECT for each 30 kWh lock.
		assert_eq!(free(ALICE), alice + 3 * 24 * ECT / 1_000 + 80 * ECT / 1_000);
	});
}

/// The same loop without a release: the attacker lets its lock expire and locks again in the
/// next block. An expired lock leaves a cooldown too, from its last block: others have a lock
/// duration to buy or lock between two of the attacker's locks.
#[test]
fn letting_a_lock_expire_and_relocking_at_once_is_barred_too() {
	build_and_execute(|| {
		with_chain_terms();
		let offer_id = alice_offers(300_000);
		assert_ok!(lock(BOB, offer_id, 30_000, 0));
		// Its last block is 51; block 52's queue ends it.
		run_to_block(52);
		assert!(!Locks::<Test>::contains_key(0));
		assert_noop!(lock(BOB, offer_id, 30_000, 1), Error::<Test>::LockCoolingDown);
		assert_eq!(LockCooldowns::<Test>::get(BOB).into_inner(), vec![(offer_id, 101)]);
		run_to_block(101);
		assert_noop!(lock(BOB, offer_id, 30_000, 1), Error::<Test>::LockCoolingDown);
		run_to_block(102);
		assert_ok!(lock(BOB, offer_id, 30_000, 1));
	});
}

/// A lock bought out leaves no cooldown, and neither does one on a cancelled offer (which
/// cannot be locked again anyway): releasing it is what the seller wants.
#[test]
fn only_locks_of_open_offers_that_were_not_bought_cool_down() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(lock(BOB, offer_id, 1_000, 0));
		assert_ok!(EnergyBus::purchase_energy(
			RuntimeOrigin::signed(BOB),
			offer_id,
			1_000,
			EIGHT_CENTS,
			fid("Buyer03"),
			1
		));
		assert_ok!(lock(BOB, offer_id, 1_000, 2));
		assert!(!LockCooldowns::<Test>::contains_key(BOB));
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), offer_id));
		let lock_id = Locks::<Test>::iter_keys().next().unwrap();
		assert_ok!(EnergyBus::release_lock(RuntimeOrigin::signed(BOB), lock_id));
		assert!(!LockCooldowns::<Test>::contains_key(BOB));
	});
}

/// The attack: accounts locking 1 Wh each fill `MaxLocksPerOffer` (16 on Energy Chain, 3 in
/// the mock), so no one else can lock the offer. Each lock now pays the minimum fee to the
/// seller: on Energy Chain, keeping the 16 slots full costs 16 × 0.01 ECT per lock duration of
/// 50 blocks (46 ECT a day), needs 16 accounts that each own a factory (registered by the
/// registrar), and keeps only 16 Wh from buyers: the rest of the offer stays buyable.
#[test]
fn filling_an_offers_lock_slots_pays_a_fee_per_lock() {
	build_and_execute(|| {
		with_chain_terms();
		let offer_id = alice_offers(300_000);
		let alice = free(ALICE);
		for (nonce, who) in [BOB, CHARLIE, DAVE].into_iter().enumerate() {
			let before = free(who);
			assert_ok!(lock(who, offer_id, 1, 0));
			assert_eq!(before - free(who), 8 * ECT / 100_000 + ECT / 100, "{nonce}");
		}
		assert_eq!(free(ALICE), alice + 3 * ECT / 100);
		register("Buyer77", 77);
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 77, 100 * ECT));
		assert_noop!(
			EnergyBus::lock_offer(RuntimeOrigin::signed(77), offer_id, 1, fid("Buyer77"), 0)
				.map_err(|e| e.error),
			Error::<Test>::TooManyLocksOnOffer
		);
		// The offer still sells: 3 Wh are locked, the rest is anyone's.
		assert_ok!(EnergyBus::purchase_energy(
			RuntimeOrigin::signed(77),
			offer_id,
			299_997,
			EIGHT_CENTS,
			fid("Buyer77"),
			0
		));
		assert_eq!(Offers::<Test>::get(offer_id).unwrap().available_wh, 0);
	});
}

#[test]
fn cooldowns_take_the_accounts_lock_slots_until_they_end() {
	build_and_execute(|| {
		let offers: Vec<_> = (0..4).map(|_| alice_offers(10_000)).collect();
		// MaxLocksPerAccount is 3: three released locks leave Bob no slot for a fourth.
		for (nonce, offer_id) in offers[..3].iter().enumerate() {
			assert_ok!(lock(BOB, *offer_id, 1_000, nonce as u64));
			let lock_id = Locks::<Test>::iter_keys().max().unwrap();
			assert_ok!(EnergyBus::release_lock(RuntimeOrigin::signed(BOB), lock_id));
		}
		assert_eq!(LockCooldowns::<Test>::get(BOB).len(), 3);
		assert_noop!(lock(BOB, offers[3], 1_000, 3), Error::<Test>::TooManyLocks);
		run_to_block(52);
		assert_ok!(lock(BOB, offers[3], 1_000, 3));
		assert!(!LockCooldowns::<Test>::contains_key(BOB));
	});
}

#[test]
fn a_lock_delivers_only_into_its_factory() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		register("Bob2", BOB);
		assert_ok!(lock(BOB, offer_id, 1_000, 0));
		assert_noop!(
			EnergyBus::purchase_energy(
				RuntimeOrigin::signed(BOB),
				offer_id,
				1_000,
				EIGHT_CENTS,
				fid("Bob2"),
				1
			)
			.map_err(|e| e.error),
			Error::<Test>::LockFactoryMismatch
		);
		let item = BatchItem { offer_id, energy_wh: 1_000, max_price_per_kwh: EIGHT_CENTS };
		assert_noop!(
			EnergyBus::batch_purchase_energy(
				RuntimeOrigin::signed(BOB),
				BoundedVec::truncate_from(vec![item]),
				fid("Bob2"),
				1
			)
			.map_err(|e| e.error),
			Error::<Test>::BatchItemFailed {
				index: 0,
				reason: PurchaseFailure::LockFactoryMismatch
			}
		);
		assert_ok!(EnergyBus::purchase_energy(
			RuntimeOrigin::signed(BOB),
			offer_id,
			1_000,
			EIGHT_CENTS,
			fid("Buyer03"),
			1
		));
		assert_eq!(energy_of("Buyer03"), 1_000);
	});
}

/// Finding 8: the expiry queue dropped a lock's queue entry before ending it and discarded the
/// result: a lock whose end failed halfway was gone, its payment released, and its energy
/// neither back with the seller nor on the offer. Now it is left as it was, still queued, the
/// queue stops at it, and the next block tries again.
#[test]
fn an_expired_lock_that_cannot_end_is_left_queued() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(lock(BOB, offer_id, 1_000, 0));
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), offer_id));
		let bob_held = held(BOB);
		// Charlie's lock of another offer expires later: the stuck queue holds it up too.
		let other = alice_offers(10_000);
		run_to_block(5);
		assert_ok!(lock(CHARLIE, other, 1_000, 0));
		// Solar01 cannot take the lock's 1 kWh back: its balance would overflow.
		let solar = energy_of("Solar01");
		super::set_energy("Solar01", u64::MAX);
		// Bob's lock expires after block 51; from block 52 on the queue tries to end it.
		run_to_block(60);
		assert!(Locks::<Test>::contains_key(0));
		assert!(LockExpiries::<Test>::contains_key(51, 0));
		assert_eq!(ExpiryCursor::<Test>::get(), 51);
		assert_eq!(held(BOB), bob_held);
		assert_eq!(Offers::<Test>::get(offer_id).unwrap().locked_wh, 1_000);
		// Charlie's lock (last block 55) waits behind it.
		assert!(Locks::<Test>::contains_key(1));
		// Once it can, the next block ends it, and the queue catches up (2 reads a block in
		// the mock) with Charlie's.
		super::set_energy("Solar01", solar);
		run_to_block(61);
		assert!(!Locks::<Test>::contains_key(0));
		assert!(!Offers::<Test>::contains_key(offer_id));
		run_to_block(80);
		assert!(!Locks::<Test>::contains_key(1));
		assert_eq!(ExpiryCursor::<Test>::get(), 80);
		assert_eq!((held(BOB), energy_of("Solar01")), (0, solar + 1_000));
	});
}
