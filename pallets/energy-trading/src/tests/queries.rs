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
fn factory_history_is_oldest_first() {
	build_and_execute(|| {
		assert_ok!(EnergyTrading::mint_energy(RuntimeOrigin::signed(ALICE), fid("Factory01"), 5));
		let history = Pallet::<Test>::factory_history(fid("Factory01"));
		assert_eq!(history.len(), 2);
		assert_eq!(history[0].kind, crate::HistoryKind::Registered);
		assert_eq!(history[1].kind, crate::HistoryKind::Minted);
		assert!(Pallet::<Test>::factory_history(fid("Nope")).is_empty());
	});
}
