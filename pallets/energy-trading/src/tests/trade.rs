//! Trades: create, execute, cancel, and the original design's scenario.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

use super::{balance_of, last_event};
use crate::{
	mock::*, trade::total_price, Error, Event, TradeEscrowWh, TradeStatus, Trades, TradesByFactory,
};

/// 0.08 ECT per kWh.
const EIGHT_CENTS: Balance = 8 * ECT / 100;

fn create(
	who: AccountId,
	seller: &str,
	buyer: &str,
	wh: u64,
	price: Balance,
) -> sp_runtime::DispatchResult {
	EnergyTrading::create_trade(RuntimeOrigin::signed(who), fid(seller), fid(buyer), wh, price)
}

#[test]
fn total_price_rounds_up_to_the_smallest_unit() {
	assert_eq!(total_price::<u128>(200_000, EIGHT_CENTS), Some(16 * ECT));
	assert_eq!(total_price::<u128>(1, 1_000), Some(1));
	assert_eq!(total_price::<u128>(1, 1), Some(1), "a fraction of a unit rounds up");
	assert_eq!(total_price::<u128>(1_500, 3), Some(5), "4.5 rounds up to 5");
	assert_eq!(total_price::<u128>(0, 3), Some(0));
	assert_eq!(total_price::<u128>(10, 0), Some(0));
	assert_eq!(total_price::<u64>(u64::MAX, 2), None, "overflow is reported");
}

#[test]
fn the_original_scenario_settles_as_designed() {
	build_and_execute(|| {
		// Factory01 mints 500 kWh -> 1500 kWh.
		assert_ok!(EnergyTrading::mint_energy(
			RuntimeOrigin::signed(ALICE),
			fid("Factory01"),
			500_000
		));
		assert_eq!(balance_of("Factory01"), 1_500_000);

		// A trade of 200 kWh at 0.08 ECT/kWh to Factory04 costs 16 ECT.
		assert_ok!(create(ALICE, "Factory01", "Factory04", 200_000, EIGHT_CENTS));
		assert_eq!(
			last_event(),
			Event::TradeCreated {
				trade_id: 0,
				seller: fid("Factory01"),
				buyer: fid("Factory04"),
				energy_wh: 200_000,
				price_per_kwh: EIGHT_CENTS,
				total_price: 16 * ECT,
				seller_balance_wh: 1_300_000,
			}
		);
		// The energy is in escrow at once.
		assert_eq!(balance_of("Factory01"), 1_300_000);
		assert_eq!(TradeEscrowWh::<Test>::get(), 200_000);

		let alice_before = Balances::free_balance(ALICE);
		let charlie_before = Balances::free_balance(CHARLIE);
		assert_ok!(EnergyTrading::execute_trade(RuntimeOrigin::signed(CHARLIE), 0, 16 * ECT));
		assert_eq!(
			last_event(),
			Event::TradeExecuted {
				trade_id: 0,
				seller: fid("Factory01"),
				buyer: fid("Factory04"),
				energy_wh: 200_000,
				total_price: 16 * ECT,
				payer: CHARLIE,
				payee: ALICE,
				seller_balance_wh: 1_300_000,
				buyer_balance_wh: 500_000,
			}
		);
		assert_eq!(balance_of("Factory01"), 1_300_000);
		assert_eq!(balance_of("Factory04"), 500_000);
		assert_eq!(Balances::free_balance(CHARLIE), charlie_before - 16 * ECT);
		// Alice is paid, and gets back the deposit the trade held.
		assert_eq!(Balances::free_balance(ALICE), alice_before + 16 * ECT + TradeDeposit::get());
		assert_eq!(TradeEscrowWh::<Test>::get(), 0);

		let trade = Trades::<Test>::get(0).unwrap();
		assert_eq!(trade.status, TradeStatus::Completed);
		assert_eq!(trade.settled_at, Some(1_700_000_000_000));
	});
}

#[test]
fn create_trade_indexes_the_trade_under_both_factories() {
	build_and_execute(|| {
		assert_ok!(create(ALICE, "Factory01", "Factory02", 1_000, 5));
		assert_ok!(create(ALICE, "Factory01", "Factory04", 1_000, 5));
		assert!(TradesByFactory::<Test>::contains_key(fid("Factory01"), 0));
		assert!(TradesByFactory::<Test>::contains_key(fid("Factory02"), 0));
		assert!(TradesByFactory::<Test>::contains_key(fid("Factory04"), 1));
		assert!(!TradesByFactory::<Test>::contains_key(fid("Factory02"), 1));
		assert_eq!(crate::NextTradeId::<Test>::get(), 2);
	});
}

#[test]
fn create_trade_rejects_bad_input() {
	build_and_execute(|| {
		assert_noop!(create(ALICE, "Factory01", "Factory02", 0, 5), Error::<Test>::ZeroEnergy);
		assert_noop!(create(ALICE, "Factory01", "Factory01", 1, 5), Error::<Test>::SelfTrade);
		assert_noop!(create(ALICE, "Nope", "Factory02", 1, 5), Error::<Test>::FactoryNotFound);
		assert_noop!(create(ALICE, "Factory01", "Nope", 1, 5), Error::<Test>::FactoryNotFound);
		assert_noop!(create(BOB, "Factory01", "Factory02", 1, 5), Error::<Test>::NotFactoryOwner);
		assert_noop!(
			create(ALICE, "Factory01", "Factory02", 1_000_001, 5),
			Error::<Test>::InsufficientEnergy
		);
		assert_noop!(
			create(ALICE, "Factory01", "Factory02", 1_000, Balance::MAX),
			Error::<Test>::Overflow
		);
		assert_noop!(
			EnergyTrading::create_trade(
				RuntimeOrigin::root(),
				fid("Factory01"),
				fid("Factory02"),
				1,
				5
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn execute_trade_rejects_bad_input() {
	build_and_execute(|| {
		// 100 kWh at 2 ECT/kWh = 200 ECT; Charlie (Factory04) has only 100 ECT.
		assert_ok!(create(ALICE, "Factory01", "Factory04", 100_000, 2 * ECT));
		assert_noop!(
			EnergyTrading::execute_trade(RuntimeOrigin::signed(CHARLIE), 7, 200 * ECT),
			Error::<Test>::TradeNotFound
		);
		assert_noop!(
			EnergyTrading::execute_trade(RuntimeOrigin::signed(BOB), 0, 200 * ECT),
			Error::<Test>::NotFactoryOwner
		);
		assert_noop!(
			EnergyTrading::execute_trade(RuntimeOrigin::signed(CHARLIE), 0, 200 * ECT - 1),
			Error::<Test>::PriceAboveLimit
		);
		assert_noop!(
			EnergyTrading::execute_trade(RuntimeOrigin::signed(CHARLIE), 0, 200 * ECT),
			Error::<Test>::InsufficientFunds
		);
		assert_noop!(
			EnergyTrading::execute_trade(RuntimeOrigin::none(), 0, 200 * ECT),
			DispatchError::BadOrigin
		);
		// Once settled, a trade cannot be executed again.
		assert_ok!(EnergyTrading::cancel_trade(RuntimeOrigin::signed(ALICE), 0));
		assert_noop!(
			EnergyTrading::execute_trade(RuntimeOrigin::signed(CHARLIE), 0, 200 * ECT),
			Error::<Test>::TradeNotPending
		);
	});
}

#[test]
fn execute_trade_rejects_a_buyer_balance_overflow() {
	build_and_execute(|| {
		assert_ok!(create(ALICE, "Factory01", "Factory02", 1, 1));
		crate::Factories::<Test>::mutate(fid("Factory02"), |f| {
			f.as_mut().unwrap().energy_wh = u64::MAX
		});
		assert_noop!(
			EnergyTrading::execute_trade(RuntimeOrigin::signed(BOB), 0, 1),
			Error::<Test>::Overflow
		);
		crate::Factories::<Test>::mutate(fid("Factory02"), |f| {
			f.as_mut().unwrap().energy_wh = 800_000
		});
	});
}

#[test]
fn a_trade_between_factories_of_one_owner_moves_no_money() {
	build_and_execute(|| {
		assert_ok!(EnergyTrading::register_factory(
			RuntimeOrigin::root(),
			b"Factory09".to_vec(),
			b"Alice's second plant".to_vec(),
			crate::EnergyType::Storage,
			ALICE,
			None,
			0,
			0,
		));
		let alice_before = Balances::free_balance(ALICE);
		assert_ok!(create(ALICE, "Factory01", "Factory09", 10_000, ECT));
		assert_ok!(EnergyTrading::execute_trade(RuntimeOrigin::signed(ALICE), 0, 10 * ECT));
		assert_eq!(Balances::free_balance(ALICE), alice_before);
		assert_eq!(balance_of("Factory09"), 10_000);
	});
}

#[test]
fn cancel_trade_returns_the_escrow_to_the_seller() {
	build_and_execute(|| {
		assert_ok!(create(ALICE, "Factory01", "Factory02", 100_000, 5));
		assert_eq!(balance_of("Factory01"), 900_000);
		assert_ok!(EnergyTrading::cancel_trade(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!(
			last_event(),
			Event::TradeCancelled {
				trade_id: 0,
				cancelled_by: ALICE,
				seller: fid("Factory01"),
				buyer: fid("Factory02"),
				energy_wh: 100_000,
				seller_balance_wh: 1_000_000,
			}
		);
		assert_eq!(balance_of("Factory01"), 1_000_000);
		assert_eq!(TradeEscrowWh::<Test>::get(), 0);
		let trade = Trades::<Test>::get(0).unwrap();
		assert_eq!(trade.status, TradeStatus::Cancelled);
		assert!(trade.settled_at.is_some());
	});
}

#[test]
fn the_buyer_can_reject_a_trade() {
	build_and_execute(|| {
		assert_ok!(create(ALICE, "Factory01", "Factory02", 100_000, 5));
		assert_ok!(EnergyTrading::cancel_trade(RuntimeOrigin::signed(BOB), 0));
		assert_eq!(
			last_event(),
			Event::TradeCancelled {
				trade_id: 0,
				cancelled_by: BOB,
				seller: fid("Factory01"),
				buyer: fid("Factory02"),
				energy_wh: 100_000,
				seller_balance_wh: 1_000_000,
			}
		);
		assert_eq!(balance_of("Factory01"), 1_000_000);
	});
}

#[test]
fn cancel_trade_rejects_bad_input() {
	build_and_execute(|| {
		assert_ok!(create(ALICE, "Factory01", "Factory02", 100_000, 5));
		assert_noop!(
			EnergyTrading::cancel_trade(RuntimeOrigin::signed(ALICE), 9),
			Error::<Test>::TradeNotFound
		);
		assert_noop!(
			EnergyTrading::cancel_trade(RuntimeOrigin::signed(CHARLIE), 0),
			Error::<Test>::NotTradeParty
		);
		assert_noop!(
			EnergyTrading::cancel_trade(RuntimeOrigin::root(), 0),
			DispatchError::BadOrigin
		);
		// 100 kWh at 5 units/kWh: 500 units.
		assert_ok!(EnergyTrading::execute_trade(RuntimeOrigin::signed(BOB), 0, 500));
		assert_noop!(
			EnergyTrading::cancel_trade(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::TradeNotPending
		);
	});
}

#[test]
fn cancel_trade_rejects_a_seller_balance_overflow() {
	build_and_execute(|| {
		assert_ok!(create(ALICE, "Factory01", "Factory02", 1, 1));
		crate::Factories::<Test>::mutate(fid("Factory01"), |f| {
			f.as_mut().unwrap().energy_wh = u64::MAX
		});
		assert_noop!(
			EnergyTrading::cancel_trade(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::Overflow
		);
		crate::Factories::<Test>::mutate(fid("Factory01"), |f| {
			f.as_mut().unwrap().energy_wh = 999_999
		});
	});
}

#[test]
fn escrowed_energy_cannot_be_spent_twice() {
	build_and_execute(|| {
		assert_ok!(create(ALICE, "Factory01", "Factory02", 1_000_000, 5));
		assert_eq!(balance_of("Factory01"), 0);
		assert_noop!(
			create(ALICE, "Factory01", "Factory04", 1, 5),
			Error::<Test>::InsufficientEnergy
		);
		assert_noop!(
			EnergyTrading::transfer_energy(
				RuntimeOrigin::signed(ALICE),
				fid("Factory01"),
				fid("Factory04"),
				1
			),
			Error::<Test>::InsufficientEnergy
		);
	});
}
