//! The view functions and paged listings.

use frame_support::assert_ok;

use crate::{mock::*, Pallet, MAX_PAGE};

#[test]
fn factory_and_balance_queries() {
	build_and_execute(|| {
		let factory = Pallet::<Test>::factory(fid("Factory01")).unwrap();
		assert_eq!(factory.owner, ALICE);
		assert_eq!(Pallet::<Test>::energy_balance(fid("Factory02")), Some(800_000));
		assert_eq!(Pallet::<Test>::energy_balance(fid("Nope")), None);
		assert!(Pallet::<Test>::factory(fid("Nope")).is_none());
	});
}

#[test]
fn factories_are_listed_page_by_page() {
	build_and_execute(|| {
		for i in 0..7u32 {
			assert_ok!(EnergyTrading::register_factory(
				RuntimeOrigin::root(),
				format!("Extra{i:02}").into_bytes(),
				b"extra".to_vec(),
				crate::EnergyType::Other,
				BOB,
				None,
				0,
				i as u64,
			));
		}
		// 10 factories in pages of 4: 4 + 4 + 2, no repeats.
		let mut seen = Vec::new();
		let mut start_after = None;
		loop {
			let page = Pallet::<Test>::factories(start_after.clone(), 4);
			if page.is_empty() {
				break;
			}
			assert!(page.len() <= 4);
			start_after = page.last().map(|f| f.id.clone());
			seen.extend(page.into_iter().map(|f| f.id));
		}
		assert_eq!(seen.len(), 10);
		seen.sort();
		seen.dedup();
		assert_eq!(seen.len(), 10);
		assert_eq!(Pallet::<Test>::factories(None, 0).len(), 0);
		assert_eq!(Pallet::<Test>::factories(None, u32::MAX).len(), 10.min(MAX_PAGE as usize));
	});
}

#[test]
fn trades_of_a_factory_are_listed_page_by_page() {
	build_and_execute(|| {
		for _ in 0..5 {
			assert_ok!(EnergyTrading::create_trade(
				RuntimeOrigin::signed(ALICE),
				fid("Factory01"),
				fid("Factory02"),
				10,
				1
			));
		}
		assert_ok!(EnergyTrading::create_trade(
			RuntimeOrigin::signed(BOB),
			fid("Factory02"),
			fid("Factory04"),
			10,
			1
		));
		assert_eq!(Pallet::<Test>::trades_of_factory(fid("Factory01"), None, 100).len(), 5);
		assert_eq!(Pallet::<Test>::trades_of_factory(fid("Factory02"), None, 100).len(), 6);
		assert_eq!(Pallet::<Test>::trades_of_factory(fid("Factory04"), None, 100).len(), 1);

		let first = Pallet::<Test>::trades_of_factory(fid("Factory02"), None, 4);
		assert_eq!(first.len(), 4);
		let rest = Pallet::<Test>::trades_of_factory(fid("Factory02"), Some(first[3].id), 4);
		assert_eq!(rest.len(), 2);
		let mut ids: Vec<_> = first.iter().chain(rest.iter()).map(|t| t.id).collect();
		ids.sort();
		assert_eq!(ids, vec![0, 1, 2, 3, 4, 5]);
		assert_eq!(Pallet::<Test>::trade(5).unwrap().seller, fid("Factory02"));
		assert!(Pallet::<Test>::trade(6).is_none());
	});
}

#[test]
fn an_owners_factories_are_listed_page_by_page() {
	build_and_execute(|| {
		let register = |id: String, owner| {
			assert_ok!(EnergyTrading::register_factory(
				RuntimeOrigin::root(),
				id.into_bytes(),
				b"extra".to_vec(),
				crate::EnergyType::Other,
				owner,
				None,
				0,
				0,
			));
		};
		for i in 0..7u32 {
			register(format!("Bob{i:02}"), BOB);
		}
		// Bob owns Factory02 and seven more; in pages of 3: 3 + 3 + 2, each once, all his.
		let mut seen = Vec::new();
		let mut start_after = None;
		loop {
			let page = Pallet::<Test>::owner_factories(BOB, start_after.clone(), 3);
			if page.is_empty() {
				break;
			}
			assert!(page.len() <= 3);
			assert!(page.iter().all(|factory| factory.owner == BOB));
			for factory in &page {
				assert_eq!(Some(factory), crate::Factories::<Test>::get(&factory.id).as_ref());
			}
			start_after = page.last().map(|factory| factory.id.clone());
			seen.extend(page.into_iter().map(|factory| factory.id));
		}
		seen.sort();
		let mut expected: Vec<_> = (0..7u32).map(|i| fid(&format!("Bob{i:02}"))).collect();
		expected.push(fid("Factory02"));
		expected.sort();
		assert_eq!(seen, expected);

		let ids = |who, limit| -> Vec<_> {
			Pallet::<Test>::owner_factories(who, None, limit).into_iter().map(|f| f.id).collect()
		};
		assert_eq!(ids(ALICE, 10), vec![fid("Factory01")]);
		assert_eq!(ids(CHARLIE, 10), vec![fid("Factory04")]);
		assert!(ids(NOBODY, 10).is_empty());
		assert!(ids(BOB, 0).is_empty());
	});
}

#[test]
fn owner_factories_pages_hold_at_most_max_page() {
	build_and_execute(|| {
		for i in 0..MAX_PAGE + 5 {
			assert_ok!(EnergyTrading::register_factory(
				RuntimeOrigin::root(),
				format!("Charlie{i:03}").into_bytes(),
				b"extra".to_vec(),
				crate::EnergyType::Other,
				CHARLIE,
				None,
				0,
				0,
			));
		}
		let first = Pallet::<Test>::owner_factories(CHARLIE, None, u32::MAX);
		assert_eq!(first.len(), MAX_PAGE as usize);
		let rest =
			Pallet::<Test>::owner_factories(CHARLIE, first.last().map(|f| f.id.clone()), u32::MAX);
		// Charlie's Factory04 and the MAX_PAGE + 5 registered here.
		assert_eq!(rest.len(), 6);
		let mut all: Vec<_> = first.iter().chain(&rest).map(|f| f.id.clone()).collect();
		all.sort();
		all.dedup();
		assert_eq!(all.len(), MAX_PAGE as usize + 6);
	});
}
