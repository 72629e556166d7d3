//! The storage migrations, run as a runtime upgrade would run them.

use frame_support::{
	assert_ok,
	storage::{storage_prefix, unhashed},
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	Blake2_128Concat, StorageHasher,
};

use crate::{
	migrations::{v2, v3, v4},
	mock::*,
	Factories, FactoryRating, FinishedTrades, Pallet, PendingTradeCount, Ratings, TotalConsumedWh,
	TotalIssuedWh, TradeDeposits, TradePruneCursor, TradeStatus, Trades, TradesByFactory,
};

/// The raw key of a version-1 history ring.
fn history_key(id: &str) -> Vec<u8> {
	let mut key = storage_prefix(b"EnergyTrading", v2::HISTORY).to_vec();
	key.extend(Blake2_128Concat::hash(&codec::Encode::encode(&fid(id))));
	key
}

#[test]
fn v2_removes_the_history_rings_once() {
	build_and_execute(|| {
		StorageVersion::new(1).put::<Pallet<Test>>();
		for id in ["Factory01", "Factory02", "Factory04"] {
			unhashed::put_raw(&history_key(id), &[4, 1, 2, 3, 4]);
		}
		let factories: Vec<_> = Factories::<Test>::iter().collect();

		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();

		for id in ["Factory01", "Factory02", "Factory04"] {
			assert_eq!(unhashed::get_raw(&history_key(id)), None);
		}
		let prefix = storage_prefix(b"EnergyTrading", v2::HISTORY);
		assert!(!unhashed::contains_prefixed_key(&prefix));
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
		// Nothing else changed.
		assert_eq!(Factories::<Test>::iter().collect::<Vec<_>>(), factories);

		// At version 2 it does nothing: a ring written now stays.
		unhashed::put_raw(&history_key("Factory01"), &[0]);
		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(unhashed::get_raw(&history_key("Factory01")), Some(vec![0]));
		unhashed::kill(&history_key("Factory01"));
	});
}

frame_support::parameter_types! {
	/// The rating the v3 test's runtime gives the factories it migrates.
	pub const MigratedRating: u32 = 50_000;
}

#[test]
fn v3_rates_every_factory_and_widens_the_totals_once() {
	build_and_execute(|| {
		// A version-2 state: no ratings, totals of 8 bytes.
		let _ = Ratings::<Test>::clear(u32::MAX, None);
		let issued = TotalIssuedWh::<Test>::get();
		assert_eq!(TotalConsumedWh::<Test>::get(), 0);
		unhashed::put(&TotalIssuedWh::<Test>::hashed_key(), &(issued as u64));
		unhashed::put(&TotalConsumedWh::<Test>::hashed_key(), &7u64);
		StorageVersion::new(2).put::<Pallet<Test>>();
		Timestamp::set_timestamp(1_700_000_600_000);
		let factories: Vec<_> = Factories::<Test>::iter().collect();

		v3::MigrateV2ToV3::<Test, MigratedRating>::on_runtime_upgrade();

		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 3);
		for (id, _) in &factories {
			assert_eq!(
				Ratings::<Test>::get(id),
				Some(FactoryRating::new(50_000, 1_700_000_600_000)),
				"every factory is rated"
			);
		}
		// The factories themselves are untouched.
		assert_eq!(Factories::<Test>::iter().collect::<Vec<_>>(), factories);
		assert_eq!(TotalIssuedWh::<Test>::get(), issued);
		assert_eq!(TotalConsumedWh::<Test>::get(), 7);
		// A day at 50 kW is 1,200 kWh: the migrated meter may report that much, no more.
		assert_eq!(EnergyTrading::generation_allowance(fid("Factory01")), Some(1_200_000));

		// At version 3 it does nothing: a factory rated since keeps its rating.
		assert_ok!(EnergyTrading::set_rated_power(RuntimeOrigin::root(), fid("Factory01"), 9));
		v3::MigrateV2ToV3::<Test, MigratedRating>::on_runtime_upgrade();
		assert_eq!(Ratings::<Test>::get(fid("Factory01")).unwrap().rated_power_w, 9);
		// The consumed total the test made up goes, so that energy is conserved again.
		TotalConsumedWh::<Test>::put(0);
	});
}

#[test]
fn v4_counts_pending_trades_and_queues_finished_ones_once() {
	build_and_execute(|| {
		System::set_block_number(5);
		// Trades made as version 3 made them: no deposit, no count, no removal queue.
		let create = |who, seller: &str, buyer: &str| {
			EnergyTrading::create_trade(RuntimeOrigin::signed(who), fid(seller), fid(buyer), 10, 1)
		};
		for _ in 0..3 {
			assert_ok!(create(ALICE, "Factory01", "Factory02"));
		}
		assert_ok!(create(BOB, "Factory02", "Factory04"));
		assert_ok!(EnergyTrading::execute_trade(RuntimeOrigin::signed(BOB), 0, 1));
		assert_ok!(EnergyTrading::cancel_trade(RuntimeOrigin::signed(CHARLIE), 3));
		let trades: Vec<_> = Trades::<Test>::iter().collect();
		for trade_id in 0..4 {
			if let Some(deposit) = TradeDeposits::<Test>::take(trade_id) {
				assert_ok!(<Balances as frame_support::traits::fungible::MutateHold<_>>::release(
					&crate::HoldReason::TradeDeposit.into(),
					&deposit.depositor,
					deposit.amount,
					frame_support::traits::tokens::Precision::Exact,
				));
			}
		}
		let _ = PendingTradeCount::<Test>::clear(u32::MAX, None);
		let _ = FinishedTrades::<Test>::clear(u32::MAX, None);
		TradePruneCursor::<Test>::kill();
		StorageVersion::new(3).put::<Pallet<Test>>();
		System::set_block_number(20);

		v4::MigrateV3ToV4::<Test>::on_runtime_upgrade();

		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 4);
		assert_eq!(
			Trades::<Test>::iter().collect::<Vec<_>>(),
			trades,
			"trades keep their encoding"
		);
		assert_eq!(PendingTradeCount::<Test>::get(fid("Factory01")), 2);
		assert_eq!(PendingTradeCount::<Test>::get(fid("Factory02")), 0);
		let queued: Vec<_> = FinishedTrades::<Test>::iter().map(|(b, id, ())| (b, id)).collect();
		assert_eq!(queued.len(), 2);
		assert!(queued.contains(&(20, 0)) && queued.contains(&(20, 3)));
		assert_eq!(TradePruneCursor::<Test>::get(), 20);
		Pallet::<Test>::do_try_state().expect("the migrated state is consistent");

		// At version 4 it does nothing.
		v4::MigrateV3ToV4::<Test>::on_runtime_upgrade();
		assert_eq!(FinishedTrades::<Test>::iter().count(), 2);

		// A migrated pending trade settles without a deposit to return...
		System::set_block_number(25);
		assert_ok!(EnergyTrading::cancel_trade(RuntimeOrigin::signed(ALICE), 1));
		assert_eq!(PendingTradeCount::<Test>::get(fid("Factory01")), 1);
		assert_eq!(Trades::<Test>::get(1).map(|t| t.status), Some(TradeStatus::Cancelled));
		// ...and the finished ones leave when the retention (10 blocks) has passed.
		use frame_support::traits::Hooks;
		EnergyTrading::on_idle(31, frame_support::weights::Weight::MAX);
		assert!(Trades::<Test>::get(0).is_none() && Trades::<Test>::get(3).is_none());
		assert!(Trades::<Test>::get(1).is_some(), "cancelled after the upgrade: kept longer");
		assert!(!TradesByFactory::<Test>::contains_key(fid("Factory04"), 3));
	});
}

#[test]
fn the_pallet_is_at_storage_version_4() {
	build_and_execute(|| {
		assert_eq!(Pallet::<Test>::in_code_storage_version(), 4);
	});
}
