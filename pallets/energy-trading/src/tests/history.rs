//! The ledger entries each event tells (`Event::ledger_entries`): what the node's history index
//! records, and what the check after every test compares with the balances.

use frame_support::assert_ok;

use super::{balance_of, last_event};
use crate::{mock::*, EntryKind, Event, FactoryIdOf, LedgerEntry};

/// 0.08 ECT per kWh: 200 kWh cost 16 ECT.
const EIGHT_CENTS: Balance = 8 * ECT / 100;

/// An entry of the test runtime's ledger.
type Entry = LedgerEntry<FactoryIdOf<Test>, Balance>;

/// An entry of `factory` with `counterparty` and no trade.
fn entry(
	factory: &str,
	kind: EntryKind,
	counterparty: &str,
	energy_wh: u64,
	balance_wh: u64,
) -> Entry {
	LedgerEntry {
		factory: fid(factory),
		kind,
		counterparty: Some(fid(counterparty)),
		trade_id: None,
		energy_wh,
		total_price: None,
		balance_wh,
	}
}

#[test]
fn energy_between_factories_is_an_entry_of_each_sender_first() {
	let between = |transfer: bool| {
		let (from, to) = (fid("Factory01"), fid("Factory02"));
		let (energy_wh, from_balance_wh, to_balance_wh) = (250_000, 750_000, 1_050_000);
		let event: Event<Test> = if transfer {
			Event::EnergyTransferred { from, to, energy_wh, from_balance_wh, to_balance_wh }
		} else {
			Event::MarketDelivered { from, to, energy_wh, from_balance_wh, to_balance_wh }
		};
		event.ledger_entries()
	};
	assert_eq!(
		between(true),
		[
			entry("Factory01", EntryKind::TransferredOut, "Factory02", 250_000, 750_000),
			entry("Factory02", EntryKind::TransferredIn, "Factory01", 250_000, 1_050_000),
		]
	);
	assert_eq!(
		between(false),
		[
			entry("Factory01", EntryKind::MarketSold, "Factory02", 250_000, 750_000),
			entry("Factory02", EntryKind::MarketBought, "Factory01", 250_000, 1_050_000),
		]
	);
}

#[test]
fn a_trade_names_the_trade_and_its_price_but_a_cancellation_no_price() {
	build_and_execute(|| {
		let trade = |entry: Entry, total_price: Option<Balance>| Entry {
			trade_id: Some(0),
			total_price,
			..entry
		};
		assert_ok!(EnergyTrading::create_trade(
			RuntimeOrigin::signed(ALICE),
			fid("Factory01"),
			fid("Factory04"),
			200_000,
			EIGHT_CENTS
		));
		let created = entry("Factory01", EntryKind::TradeCreated, "Factory04", 200_000, 800_000);
		assert_eq!(last_event().ledger_entries(), [trade(created, Some(16 * ECT))]);

		assert_ok!(EnergyTrading::execute_trade(RuntimeOrigin::signed(CHARLIE), 0, 16 * ECT));
		let sold = entry("Factory01", EntryKind::TradeSold, "Factory04", 200_000, 800_000);
		let bought = entry("Factory04", EntryKind::TradeBought, "Factory01", 200_000, 500_000);
		assert_eq!(
			last_event().ledger_entries(),
			[trade(sold, Some(16 * ECT)), trade(bought, Some(16 * ECT))]
		);
		assert_eq!((balance_of("Factory01"), balance_of("Factory04")), (800_000, 500_000));
	});
	build_and_execute(|| {
		assert_ok!(EnergyTrading::create_trade(
			RuntimeOrigin::signed(ALICE),
			fid("Factory01"),
			fid("Factory04"),
			100_000,
			EIGHT_CENTS
		));
		assert_ok!(EnergyTrading::cancel_trade(RuntimeOrigin::signed(ALICE), 0));
		let cancelled =
			entry("Factory01", EntryKind::TradeCancelled, "Factory04", 100_000, 1_000_000);
		assert_eq!(last_event().ledger_entries(), [Entry { trade_id: Some(0), ..cancelled }]);
	});
}

#[test]
fn meter_and_rating_changes_are_no_entries() {
	build_and_execute(|| {
		assert_ok!(EnergyTrading::request_meter(RuntimeOrigin::signed(ALICE), fid("Factory01"), 5));
		assert!(last_event().ledger_entries().is_empty());
		assert_ok!(EnergyTrading::set_meter(RuntimeOrigin::root(), fid("Factory01"), BOB));
		assert!(last_event().ledger_entries().is_empty());
		assert_ok!(EnergyTrading::set_rated_power(RuntimeOrigin::root(), fid("Factory01"), 1));
		assert!(last_event().ledger_entries().is_empty());
	});
}
