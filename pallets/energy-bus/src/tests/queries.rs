//! The listing views: all buses, page by page over the gaps closed buses leave, and an account's
//! offers across buses in id order.

use frame_support::{assert_ok, traits::fungible::Mutate};

use super::alice_offers;
use crate::{mock::*, BusId, BusPage, NextBusId, OfferId, OfferStatus, MAX_PAGE, MAX_SCAN};

/// Alice creates `count` buses she owns alone (threshold 1: her changes apply at once).
fn alice_creates_buses(count: u32) {
	Balances::set_balance(&ALICE, (count as u128 + 100) * 10 * ECT);
	for _ in 0..count {
		assert_ok!(EnergyBus::create_energy_bus(
			RuntimeOrigin::signed(ALICE),
			b"Feeder".to_vec().try_into().unwrap(),
			vec![ALICE].try_into().unwrap(),
			1_000_000,
			ECT / 100,
		));
	}
}

fn close(bus_id: BusId) {
	assert_ok!(EnergyBus::close_bus(RuntimeOrigin::signed(ALICE), bus_id));
}

/// The ids of a page, and its cursor.
fn page(start_after: Option<BusId>, limit: u32) -> (Vec<BusId>, Option<BusId>) {
	let BusPage { buses, next_start_after } = EnergyBus::buses(start_after, limit);
	(buses.into_iter().map(|bus| bus.id).collect(), next_start_after)
}

/// Every bus id, following `next_start_after` with pages of `limit`; also counts the pages.
fn walk(limit: u32) -> (Vec<BusId>, usize) {
	let (mut ids, mut pages, mut start_after) = (Vec::new(), 0, None);
	loop {
		let (found, next) = page(start_after, limit);
		pages += 1;
		assert!(found.len() <= limit.clamp(1, MAX_PAGE) as usize);
		ids.extend(found);
		match next {
			Some(next) => start_after = Some(next),
			None => return (ids, pages),
		}
	}
}

#[test]
fn buses_are_listed_in_id_order_across_the_gaps_of_closed_buses() {
	build_and_execute(|| {
		alice_creates_buses(6);
		// Buses 0..=6; 2, 3 and 6 (the newest) close.
		for bus_id in [2, 3, 6] {
			close(bus_id);
		}
		assert_eq!(NextBusId::<Test>::get(), 7);

		assert_eq!(page(None, 2), (vec![0, 1], Some(1)));
		assert_eq!(page(Some(1), 2), (vec![4, 5], Some(5)));
		// Bus 6 is a gap at the end: the last page reads it, finds nothing and ends the listing.
		assert_eq!(page(Some(5), 2), (vec![], None));
		assert_eq!(page(Some(1), 3), (vec![4, 5], None));
		assert_eq!(page(None, 100), (vec![0, 1, 4, 5], None));
		assert_eq!(walk(1), (vec![0, 1, 4, 5], 5));

		// Each bus is as stored.
		let bus = EnergyBus::buses(Some(3), 1).buses.pop().unwrap();
		assert_eq!(bus, crate::Buses::<Test>::get(4).unwrap());
		assert_eq!(bus.capacity_wh - bus.committed_wh, EnergyBus::bus_details(4).unwrap().1);
	});
}

#[test]
fn a_page_ends_where_the_ids_end() {
	build_and_execute(|| {
		// The genesis bus only: a full page that reaches the newest id is the last.
		assert_eq!(page(None, 1), (vec![0], None));
		assert_eq!(page(None, 10), (vec![0], None));
		// Cursors at or past the newest id, up to the largest id, list nothing.
		assert_eq!(page(Some(0), 10), (vec![], None));
		assert_eq!(page(Some(1_000), 10), (vec![], None));
		assert_eq!(page(Some(BusId::MAX), 10), (vec![], None));
	});
}

#[test]
fn no_buses_left_is_an_empty_last_page() {
	build_and_execute(|| {
		close(0);
		assert_eq!(NextBusId::<Test>::get(), 1);
		assert_eq!(page(None, 10), (vec![], None));
		assert_eq!(walk(10), (vec![], 1));
	});
}

#[test]
fn limits_are_taken_between_one_and_max_page() {
	build_and_execute(|| {
		alice_creates_buses(MAX_PAGE + 20);
		let all: Vec<BusId> = (0..=MAX_PAGE + 20).collect();
		// Above MAX_PAGE: MAX_PAGE buses.
		let (first, next) = page(None, u32::MAX);
		assert_eq!((first.as_slice(), next), (&all[..MAX_PAGE as usize], Some(MAX_PAGE - 1)));
		assert_eq!(page(next, MAX_PAGE + 1), (all[MAX_PAGE as usize..].to_vec(), None));
		// Zero: one bus, so that a page always moves on.
		assert_eq!(page(None, 0), (vec![0], Some(0)));
		assert_eq!(walk(0).0, all);
		assert_eq!(walk(7).0, all);
	});
}

#[test]
fn a_page_reads_at_most_max_scan_ids() {
	build_and_execute(|| {
		let closed = MAX_SCAN + 20;
		alice_creates_buses(closed + 10);
		// Buses 1..=closed close: a run of gaps longer than one page reads.
		for bus_id in 1..=closed {
			close(bus_id);
		}
		assert_eq!(page(None, 10), (vec![0], Some(MAX_SCAN - 1)));
		// The next page finds nothing among the MAX_SCAN ids it reads, but is not the last.
		assert_eq!(page(Some(0), 10), (vec![], Some(MAX_SCAN)));
		let after_gap: Vec<BusId> = (closed + 1..=closed + 10).collect();
		assert_eq!(page(Some(MAX_SCAN), 10), (after_gap[..].to_vec(), None));
		assert_eq!(page(Some(MAX_SCAN), 4), (after_gap[..4].to_vec(), Some(closed + 4)));
		let (ids, pages) = walk(MAX_PAGE);
		assert_eq!(ids, [vec![0], after_gap].concat());
		assert_eq!(pages, 2);
	});
}

/// The ids of an account's offers, page by page with pages of `limit`.
fn account_offer_ids(who: AccountId, limit: u32) -> Vec<OfferId> {
	let (mut ids, mut start_after) = (Vec::new(), None);
	loop {
		let page = EnergyBus::account_offers(who, start_after, limit);
		assert!(page.len() <= limit.min(MAX_PAGE) as usize);
		assert!(page.iter().all(|offer| offer.seller == who));
		let Some(last) = page.last() else { return ids };
		start_after = Some(last.id);
		ids.extend(page.iter().map(|offer| offer.id));
	}
}

/// Bob gets a factory with energy (his `Buyer03`, metered by himself) and a bus of his own.
fn bob_sells_too() {
	assert_ok!(EnergyTrading::mint_energy(RuntimeOrigin::signed(BOB), fid("Buyer03"), 100_000));
	assert_ok!(EnergyBus::create_energy_bus(
		RuntimeOrigin::signed(BOB),
		b"Wind Farm B".to_vec().try_into().unwrap(),
		vec![BOB].try_into().unwrap(),
		1_000_000,
		ECT / 100,
	));
}

fn offer(who: AccountId, bus_id: BusId, factory: &str, wh: u64) -> OfferId {
	assert_ok!(EnergyBus::create_offer(
		RuntimeOrigin::signed(who),
		bus_id,
		fid(factory),
		wh,
		EIGHT_CENTS
	));
	crate::NextOfferId::<Test>::get() - 1
}

#[test]
fn an_accounts_offers_across_buses_come_in_id_order() {
	build_and_execute(|| {
		bob_sells_too();
		// Alice's and Bob's offers interleave, on both buses.
		let mut alices = Vec::new();
		for round in 0..5u64 {
			alices.push(offer(ALICE, 0, "Solar01", 1_000 + round));
			offer(BOB, 1, "Buyer03", 1_000);
			alices.push(offer(ALICE, 1, "Wind02", 2_000 + round));
		}
		assert_eq!(alices, vec![0, 2, 3, 5, 6, 8, 9, 11, 12, 14]);

		let all = EnergyBus::account_offers(ALICE, None, 100);
		assert_eq!(all.iter().map(|offer| offer.id).collect::<Vec<_>>(), alices);
		for stored in &all {
			assert_eq!(Some(stored), crate::Offers::<Test>::get(stored.id).as_ref());
		}
		assert_eq!(account_offer_ids(ALICE, 3), alices);
		assert_eq!(account_offer_ids(ALICE, 1), alices);
		assert_eq!(account_offer_ids(BOB, 2), vec![1, 4, 7, 10, 13]);
		// Any id is a cursor, also one that is not the account's.
		let ids = |after, limit| -> Vec<OfferId> {
			EnergyBus::account_offers(ALICE, after, limit).iter().map(|offer| offer.id).collect()
		};
		assert_eq!(ids(Some(4), 3), vec![5, 6, 8]);
		assert_eq!(ids(Some(14), 3), Vec::<OfferId>::new());
		assert_eq!(ids(Some(OfferId::MAX), 3), Vec::<OfferId>::new());
		assert_eq!(ids(None, 0), Vec::<OfferId>::new());
		assert!(EnergyBus::account_offers(NOBODY, None, 100).is_empty());
	});
}

#[test]
fn account_offers_follow_offers_that_close_or_keep_locks() {
	build_and_execute(|| {
		let ids: Vec<OfferId> = (0..5).map(|_| alice_offers(10_000)).collect();
		let first = EnergyBus::account_offers(ALICE, None, 2);
		assert_eq!(first.iter().map(|offer| offer.id).collect::<Vec<_>>(), ids[..2]);
		// Between pages the cursor's offer closes (cancelled without locks), and Bob locks part
		// of another, which Alice then cancels: it stays listed while the lock lives.
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), ids[1]));
		assert!(crate::Offers::<Test>::get(ids[1]).is_none());
		assert_ok!(EnergyBus::lock_offer(
			RuntimeOrigin::signed(BOB),
			ids[3],
			1_000,
			factory_of(BOB),
			0
		));
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), ids[3]));
		let rest = EnergyBus::account_offers(ALICE, Some(ids[1]), 100);
		assert_eq!(rest.iter().map(|offer| offer.id).collect::<Vec<_>>(), ids[2..]);
		assert_eq!(rest[1].status, OfferStatus::Cancelled);
		assert_eq!(rest[1].locked_wh, 1_000);
		assert_eq!(account_offer_ids(ALICE, 100), vec![ids[0], ids[2], ids[3], ids[4]]);
	});
}

#[test]
fn account_offers_pages_hold_at_most_max_page() {
	build_and_execute(|| {
		let ids: Vec<OfferId> = (0..MAX_PAGE + 20).map(|_| alice_offers(10)).collect();
		let first = EnergyBus::account_offers(ALICE, None, u32::MAX);
		assert_eq!(first.iter().map(|offer| offer.id).collect::<Vec<_>>(), ids[..100]);
		let rest = EnergyBus::account_offers(ALICE, first.last().map(|offer| offer.id), 1_000);
		assert_eq!(rest.iter().map(|offer| offer.id).collect::<Vec<_>>(), ids[100..]);
		assert_eq!(account_offer_ids(ALICE, 7), ids);
	});
}

#[test]
fn account_offers_read_at_most_max_scan_index_entries() {
	build_and_execute(|| {
		let total = MAX_SCAN + 10;
		for _ in 0..total {
			alice_offers(10);
		}
		// Of an account with more than MAX_SCAN offers, the pages list MAX_SCAN of them (those
		// first in storage order), still in id order and each once.
		let listed = account_offer_ids(ALICE, MAX_PAGE);
		assert_eq!(listed.len(), MAX_SCAN as usize);
		assert!(listed.windows(2).all(|pair| pair[0] < pair[1]));
		assert!(listed.iter().all(|id| *id < OfferId::from(total)));
	});
}

/// Hardening, finding 6: a query's cost must not grow with the state. `bus_active_offers`
/// collected every offer id of the bus before taking a page, so `energy_getBusActiveOffers` read
/// O(offers on the bus). Here each listing query runs on a bus with 500 offers and on one with
/// 10,000 (all Alice's), and the storage it reads is measured as the size of the proof of its
/// reads (every trie node it touched): with 20 times the offers, no query may read more than
/// twice as much (the trie is a few levels deeper; a page reads the same number of keys: at
/// most `MAX_SCAN` of the seller index for `account_offers`, a page's otherwise).
#[test]
fn no_query_reads_more_as_the_bus_grows() {
	let proof_size = |offers: u32, query: &dyn Fn()| -> usize {
		let mut ext = new_test_ext();
		ext.execute_with(|| {
			// One lock, so `offer_locks` has something to read.
			for _ in 0..offers {
				alice_offers(100);
			}
			assert_ok!(EnergyBus::lock_offer(
				RuntimeOrigin::signed(BOB),
				0,
				10,
				factory_of(BOB),
				0
			));
			EnergyBus::do_try_state().expect("market invariants hold");
			EnergyTrading::do_try_state().expect("ledger invariants hold");
		});
		ext.commit_all().expect("the state commits");
		let (_, proof) = ext.execute_and_prove(query);
		codec::Encode::encoded_size(&proof)
	};
	let queries: [(&str, &dyn Fn()); 5] = [
		("bus_active_offers", &|| {
			assert_eq!(EnergyBus::bus_active_offers(0, None, 100).len(), 100)
		}),
		("bus_active_offers, second page", &|| {
			let first = EnergyBus::bus_active_offers(0, None, 100);
			assert_eq!(EnergyBus::bus_active_offers(0, Some(first[49].id), 100).len(), 100)
		}),
		("user_bus_offers", &|| assert_eq!(EnergyBus::user_bus_offers(ALICE, 0).len(), 100)),
		("account_offers", &|| assert_eq!(EnergyBus::account_offers(ALICE, None, 100).len(), 100)),
		("offer_locks", &|| assert_eq!(EnergyBus::offer_locks(0).1.len(), 1)),
	];
	for (name, query) in queries {
		let (small, large) = (proof_size(500, query), proof_size(10_000, query));
		println!("{name}: {small} bytes read with 500 offers, {large} with 10,000");
		assert!(
			large < 2 * small,
			"{name}: {small} bytes read with 500 offers, {large} with 10,000"
		);
	}
}
