//! Finding 2 of the hardening review: trades spam. Before, any owner could create and cancel
//! 1 Wh trades toward any factory for free, growing `Trades` and the victim's index for ever.
//! Now a pending trade holds a deposit from its creator, a factory has at most
//! `MaxPendingTrades` pending trades as seller, and finished trades leave the state
//! `TradeRetention` blocks after they finish. The spam test uses only what the pallet had before
//! (calls, storage, the currency's holds), so it ran, and failed, on the code before the fix.

use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, Hooks},
	weights::Weight,
};

use crate::{mock::*, Error, TradeStatus, Trades, TradesByFactory};

/// Runs blocks up to `n`, with `on_idle` given a whole block's worth of weight.
fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		EnergyTrading::on_idle(next, Weight::from_parts(2_000_000_000_000, u64::MAX));
	}
}

fn create(who: AccountId, seller: &str, buyer: &str, wh: u64) -> sp_runtime::DispatchResult {
	EnergyTrading::create_trade(RuntimeOrigin::signed(who), fid(seller), fid(buyer), wh, 1)
}

fn held(who: AccountId) -> Balance {
	Balances::total_balance_on_hold(&who)
}

/// The attack: Alice creates and cancels 1 Wh trades toward Charlie's factory, 100 times. Its
/// cost to Alice: 100 × 2 transaction fees (and 1 ECT held for a block each time); what it
/// leaves: nothing, once the retention (10 blocks in the mock, a day on Energy Chain) passed.
#[test]
fn create_and_cancel_spam_leaves_no_state_after_the_retention() {
	build_and_execute(|| {
		run_to_block(1);
		for trade_id in 0..100 {
			assert_ok!(create(ALICE, "Factory01", "Factory04", 1));
			assert_ok!(EnergyTrading::cancel_trade(RuntimeOrigin::signed(ALICE), trade_id));
		}
		// Within the retention the trades are still readable...
		assert_eq!(Trades::<Test>::iter().count(), 100);
		run_to_block(11);
		assert_eq!(Trades::<Test>::iter().count(), 100);
		// ...and after it they are gone, with the victim's index.
		run_to_block(12);
		assert_eq!(Trades::<Test>::iter().count(), 0);
		assert_eq!(TradesByFactory::<Test>::iter_prefix(fid("Factory04")).count(), 0);
		assert_eq!(TradesByFactory::<Test>::iter_prefix(fid("Factory01")).count(), 0);
		assert_eq!(held(ALICE), 0, "every deposit came back");
	});
}

/// Pending trades count against their seller: Alice's Factory01 may have five (the mock's
/// `MaxPendingTrades`) pending at once, each holding 1 ECT of Alice's; a sixth fails and changes
/// nothing. Bob's factory still trades with Charlie's: the bound is Alice's, not Charlie's.
#[test]
fn a_seller_has_at_most_max_pending_trades_each_holding_a_deposit() {
	build_and_execute(|| {
		for _ in 0..5 {
			assert_ok!(create(ALICE, "Factory01", "Factory04", 1));
		}
		assert_eq!(held(ALICE), 5 * ECT);
		assert_noop!(
			create(ALICE, "Factory01", "Factory04", 1),
			Error::<Test>::TooManyPendingTrades
		);
		assert_ok!(create(BOB, "Factory02", "Factory04", 1));
		assert_eq!(held(BOB), ECT);

		// Executing one frees its slot and returns its deposit.
		assert_ok!(EnergyTrading::execute_trade(RuntimeOrigin::signed(CHARLIE), 0, 1));
		assert_eq!(held(ALICE), 4 * ECT);
		assert_ok!(create(ALICE, "Factory01", "Factory04", 1));
		// Charlie rejecting one does too.
		assert_ok!(EnergyTrading::cancel_trade(RuntimeOrigin::signed(CHARLIE), 1));
		assert_eq!(held(ALICE), 4 * ECT);
		assert_eq!(Trades::<Test>::get(1).map(|t| t.status), Some(TradeStatus::Cancelled));
	});
}

/// An owner that cannot hold the deposit (keeping its account alive) cannot create a trade.
#[test]
fn a_trade_needs_its_deposit() {
	build_and_execute(|| {
		// Charlie keeps 1 ECT: less than the deposit and the existential deposit together.
		let charlie = Balances::free_balance(CHARLIE);
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(CHARLIE),
			NOBODY,
			charlie - ECT
		));
		assert_noop!(
			create(CHARLIE, "Factory04", "Factory01", 1),
			Error::<Test>::InsufficientDeposit
		);
	});
}
