//! Periodic double auctions: setting them up, placing and cancelling orders, clearing at one
//! price, settling by `on_idle` and by `claim`, results, and the migration to version 5.

use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, fungible::InspectHold, Hooks},
};
use sp_runtime::DispatchError;

use super::{bus_events, energy_of};
use crate::{
	mock::*, AuctionSettings, Auctions, Book, BusChange, CurrentRound, Error, Event, GateQueue,
	HoldReason, Marginal, OrderCount, Orders, RoundHistory, RoundStatus, Rounds, Side,
	UnsettledRounds,
};

/// One cent of ECT: the grid's tick in these tests.
pub(crate) const CENT: Balance = ECT / 100;
/// The mock bus's base price: 5 cents per kWh, tick 0.
pub(crate) const BASE: Balance = 5 * CENT;
/// The mock's order deposit.
const DEPOSIT: Balance = ECT / 10;

/// Rounds of 10 blocks with 20 prices a cent apart (5 to 24 cents).
pub(crate) fn settings() -> AuctionSettings<Balance> {
	AuctionSettings { round_length: 10, tick_size: CENT, ticks: 20 }
}

/// Alice (an owner, threshold 1) turns auctions on for bus 0; returns the open round's id.
pub(crate) fn auctions_on() -> u64 {
	assert_ok!(EnergyBus::set_auction(RuntimeOrigin::signed(ALICE), 0, Some(settings())));
	CurrentRound::<Test>::get(0).expect("a round opened")
}

/// The price of tick `k` of the test grid.
pub(crate) fn tick(k: u16) -> Balance {
	BASE + k as Balance * CENT
}

pub(crate) fn bid(who: AccountId, wh: u64, k: u16) -> Result<u64, DispatchError> {
	let nonce = crate::MarketNonces::<Test>::get(who);
	EnergyBus::place_bid(RuntimeOrigin::signed(who), 0, wh, tick(k), factory_of(who), nonce)?;
	Ok(crate::NextOrderId::<Test>::get() - 1)
}

pub(crate) fn ask(who: AccountId, factory: &str, wh: u64, k: u16) -> Result<u64, DispatchError> {
	let nonce = crate::MarketNonces::<Test>::get(who);
	EnergyBus::place_ask(RuntimeOrigin::signed(who), 0, fid(factory), wh, tick(k), nonce)?;
	Ok(crate::NextOrderId::<Test>::get() - 1)
}

/// Runs the blocks up to and including the one after the round's gate (which clears it)
/// without settling: `on_idle` gets no weight.
fn close_gate(round_id: u64) {
	let gate = Rounds::<Test>::get(round_id).unwrap().gate_closes_at;
	while System::block_number() <= gate {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		EnergyBus::on_initialize(next);
	}
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

fn settled_events() -> Vec<Event<Test>> {
	bus_events().into_iter().filter(|e| matches!(e, Event::OrderSettled { .. })).collect()
}

#[test]
fn owners_set_auctions_up_and_a_round_opens_at_once() {
	build_and_execute(|| {
		// Not an owner; settings out of range.
		assert_noop!(
			EnergyBus::set_auction(RuntimeOrigin::signed(CHARLIE), 0, Some(settings())),
			Error::<Test>::NotBusOwner
		);
		for bad in [
			AuctionSettings { round_length: 0, ..settings() },
			AuctionSettings { round_length: 14_401, ..settings() },
			AuctionSettings { ticks: 0, ..settings() },
			AuctionSettings { ticks: 1025, ..settings() },
			AuctionSettings { tick_size: 0, ..settings() },
		] {
			assert_noop!(
				EnergyBus::set_auction(RuntimeOrigin::signed(ALICE), 0, Some(bad)),
				Error::<Test>::InvalidAuctionSettings
			);
		}
		let round_id = auctions_on();
		assert_eq!(Auctions::<Test>::get(0), Some(settings()));
		let round = Rounds::<Test>::get(round_id).unwrap();
		assert_eq!((round.opened_at, round.gate_closes_at), (1, 10));
		assert_eq!((round.base_price_per_kwh, round.tick_size, round.ticks), (BASE, CENT, 20));
		assert!(GateQueue::<Test>::contains_key(10, round_id));
		assert!(bus_events().contains(&Event::RoundOpened {
			bus_id: 0,
			round_id,
			gate_closes_at: 10,
			base_price_per_kwh: BASE,
			tick_size: CENT,
			ticks: 20,
			grid_fee_per_kwh: 0,
		}));
		assert_eq!(
			bus_events().last(),
			Some(&Event::ChangeApplied {
				bus_id: 0,
				change: BusChange::SetAuction(Some(settings()))
			})
		);
		// Setting them again does not open a second round; the open one keeps its settings.
		let wider = AuctionSettings { ticks: 40, ..settings() };
		assert_ok!(EnergyBus::set_auction(RuntimeOrigin::signed(ALICE), 0, Some(wider)));
		assert_eq!(CurrentRound::<Test>::get(0), Some(round_id));
		assert_eq!(Rounds::<Test>::get(round_id).unwrap().ticks, 20);
		// The next round opens with the new ones as the gate closes.
		close_gate(round_id);
		let next = CurrentRound::<Test>::get(0).unwrap();
		let next = Rounds::<Test>::get(next).unwrap();
		assert_eq!((next.opened_at, next.gate_closes_at, next.ticks), (11, 20, 40));
	});
}

#[test]
fn a_bid_moves_its_payment_at_its_limit_and_holds_the_deposit() {
	build_and_execute(|| {
		let round_id = auctions_on();
		let before = free(BOB);
		let order_id = bid(BOB, 150_000, 5).unwrap();
		// 150 kWh at 10 cents: 15 ECT to the market account, and the deposit held.
		let escrow = 15 * ECT;
		assert_eq!(free(BOB), before - escrow - DEPOSIT);
		assert_eq!(Balances::balance_on_hold(&HoldReason::AuctionOrder.into(), &BOB), DEPOSIT);
		assert_eq!(free(EnergyBus::market_account()), 1 + escrow, "the ED plus the escrow");
		let order = Orders::<Test>::get(order_id).unwrap();
		assert_eq!((order.side, order.limit_tick, order.escrow), (Side::Bid, 5, escrow));
		assert_eq!(Book::<Test>::get((round_id, Side::Bid, 0u16))[5], 150_000);
		assert_eq!(OrderCount::<Test>::get(BOB), Some(1));
		assert_eq!(crate::MarketNonces::<Test>::get(BOB), 1);
		let events = bus_events();
		assert!(events.contains(&Event::OrderPlaced {
			order_id,
			round_id,
			owner: BOB,
			side: Side::Bid,
			factory: fid("Buyer03"),
			energy_wh: 150_000,
			limit_price_per_kwh: tick(5),
		}));
		assert!(matches!(events.last(), Some(Event::ReceiptRecorded { buyer: BOB, nonce: 0, .. })));
		let receipt = EnergyBus::receipt_hash(
			&BOB,
			0,
			(Side::Bid, 0u32, fid("Buyer03"), 150_000u64, tick(5)),
		);
		assert!(EnergyBus::is_transaction_processed(receipt));
		// The view shows the depth.
		let book = EnergyBus::book_of(round_id).unwrap();
		assert_eq!((book.bids.len(), book.bids[5], book.asks[5]), (20, 150_000, 0));
	});
}

#[test]
fn an_ask_escrows_its_energy() {
	build_and_execute(|| {
		let round_id = auctions_on();
		let order_id = ask(ALICE, "Solar01", 100_000, 1).unwrap();
		assert_eq!(energy_of("Solar01"), 900_000);
		assert_eq!(Rounds::<Test>::get(round_id).unwrap().escrowed_wh, 100_000);
		assert_eq!(Orders::<Test>::get(order_id).unwrap().escrow, 0);
		assert_eq!(Balances::balance_on_hold(&HoldReason::AuctionOrder.into(), &ALICE), DEPOSIT);
		assert_eq!(EnergyBus::book_of(round_id).unwrap().asks[1], 100_000);
	});
}

#[test]
fn bad_orders_fail_with_named_errors_and_change_nothing() {
	build_and_execute(|| {
		let place = |who: AccountId, bus: u32, wh: u64, price: Balance, nonce: u64| {
			EnergyBus::place_bid(RuntimeOrigin::signed(who), bus, wh, price, factory_of(who), nonce)
		};
		assert_noop!(place(BOB, 0, 1_000, tick(5), 0), Error::<Test>::AuctionsOff);
		let round_id = auctions_on();
		assert_noop!(place(BOB, 7, 1_000, tick(5), 0), Error::<Test>::BusNotFound);
		assert_noop!(place(BOB, 0, 0, tick(5), 0), Error::<Test>::ZeroEnergy);
		assert_noop!(place(BOB, 0, 1_000, tick(5), 1), Error::<Test>::NonceTooHigh);
		// Off the grid: between two ticks, below the base price, above the cap.
		assert_noop!(place(BOB, 0, 1_000, tick(5) + 1, 0), Error::<Test>::PriceNotOnGrid);
		assert_noop!(place(BOB, 0, 1_000, BASE - CENT, 0), Error::<Test>::PriceNotOnGrid);
		assert_noop!(place(BOB, 0, 1_000, tick(20), 0), Error::<Test>::PriceNotOnGrid);
		// Another's factory.
		assert_noop!(
			EnergyBus::place_bid(RuntimeOrigin::signed(BOB), 0, 1_000, tick(5), fid("Solar01"), 0),
			Error::<Test>::NotFactoryOwner
		);
		assert_noop!(
			EnergyBus::place_ask(RuntimeOrigin::signed(BOB), 0, fid("Solar01"), 1_000, tick(5), 0),
			Error::<Test>::NotFactoryOwner
		);
		// More than Bob can pay (1,000 ECT): 10,000 kWh at 24 cents is 2,400 ECT.
		assert_noop!(place(BOB, 0, 10_000_000, tick(19), 0), Error::<Test>::InsufficientFunds);
		// More energy than the factory has.
		assert_noop!(
			EnergyBus::place_ask(
				RuntimeOrigin::signed(ALICE),
				0,
				fid("Solar01"),
				2_000_000,
				BASE,
				0
			),
			pallet_energy_trading::Error::<Test>::InsufficientEnergy
		);
		// A used nonce.
		assert_ok!(place(BOB, 0, 1_000, tick(5), 0));
		assert_noop!(place(BOB, 0, 1_000, tick(5), 0), Error::<Test>::NonceAlreadyUsed);
		// MaxOrdersPerAccount (4) unsettled orders.
		for nonce in 1..4 {
			assert_ok!(place(BOB, 0, 1_000, tick(5), nonce));
		}
		assert_noop!(place(BOB, 0, 1_000, tick(5), 4), Error::<Test>::TooManyOrders);
		// MaxOrdersPerRound (12).
		for nonce in 0..4 {
			assert_ok!(place(CHARLIE, 0, 1_000, tick(5), nonce));
			assert_ok!(place(DAVE, 0, 1_000, tick(5), nonce));
		}
		assert_eq!(Rounds::<Test>::get(round_id).unwrap().orders, 12);
		assert_noop!(
			EnergyBus::place_ask(RuntimeOrigin::signed(ALICE), 0, fid("Solar01"), 1_000, BASE, 0),
			Error::<Test>::RoundFull
		);
		// After the gate: closed until the next round opens.
		let gate = Rounds::<Test>::get(round_id).unwrap().gate_closes_at;
		System::set_block_number(gate + 1);
		assert_noop!(
			EnergyBus::place_ask(RuntimeOrigin::signed(ALICE), 0, fid("Solar01"), 1_000, BASE, 0),
			Error::<Test>::GateClosed
		);
		// The blocks before had no gate to close.
		crate::GateCursor::<Test>::put(gate);
		EnergyBus::on_initialize(gate + 1);
		assert_ne!(CurrentRound::<Test>::get(0), Some(round_id));
	});
}

#[test]
fn cancelling_before_the_gate_returns_everything() {
	build_and_execute(|| {
		let round_id = auctions_on();
		let (bob, alice) = (free(BOB), free(ALICE));
		let bid_id = bid(BOB, 150_000, 5).unwrap();
		let ask_id = ask(ALICE, "Solar01", 100_000, 1).unwrap();
		assert_noop!(
			EnergyBus::cancel_order(RuntimeOrigin::signed(ALICE), bid_id),
			Error::<Test>::NotOrderOwner
		);
		assert_noop!(
			EnergyBus::cancel_order(RuntimeOrigin::signed(BOB), 99),
			Error::<Test>::OrderNotFound
		);
		assert_ok!(EnergyBus::cancel_order(RuntimeOrigin::signed(BOB), bid_id));
		assert_ok!(EnergyBus::cancel_order(RuntimeOrigin::signed(ALICE), ask_id));
		assert_eq!((free(BOB), free(ALICE)), (bob, alice));
		assert_eq!(energy_of("Solar01"), 1_000_000);
		assert_eq!(Balances::balance_on_hold(&HoldReason::AuctionOrder.into(), &BOB), 0);
		assert_eq!(OrderCount::<Test>::get(BOB), None);
		let round = Rounds::<Test>::get(round_id).unwrap();
		assert_eq!((round.orders, round.bid_wh, round.ask_wh, round.escrowed), (0, 0, 0, 0));
		assert_eq!(
			bus_events().last(),
			Some(&Event::OrderCancelled { order_id: ask_id, owner: ALICE })
		);
		// After the gate an order cannot be cancelled.
		let late = bid(BOB, 1_000, 5).unwrap();
		System::set_block_number(11);
		assert_noop!(
			EnergyBus::cancel_order(RuntimeOrigin::signed(BOB), late),
			Error::<Test>::GateClosed
		);
	});
}

/// Two asks (100 kWh at 6 cents, 100 kWh at 9 cents) and two bids (150 kWh at 10 cents, 100
/// kWh at 7 cents). The volume is 150 kWh at ticks 4 and 5 (9 and 10 cents), both with an
/// imbalance of 50 kWh: the price is the lower middle, 9 cents. Bob's bid fills whole,
/// Charlie's not at all; the 6-cent ask fills whole and the 9-cent one (the asks' marginal
/// tick) sells the 50 kWh left.
fn two_by_two() -> (u64, [u64; 4]) {
	let round_id = auctions_on();
	let orders = [
		ask(ALICE, "Solar01", 100_000, 1).unwrap(),
		ask(ALICE, "Wind02", 100_000, 4).unwrap(),
		bid(BOB, 150_000, 5).unwrap(),
		bid(CHARLIE, 100_000, 2).unwrap(),
	];
	(round_id, orders)
}

#[test]
fn a_round_clears_at_one_price_and_on_idle_settles_it() {
	build_and_execute(|| {
		let (alice, bob, charlie) = (free(ALICE), free(BOB), free(CHARLIE));
		let (round_id, [cheap, dear, bob_bid, charlie_bid]) = two_by_two();
		close_gate(round_id);
		assert!(bus_events().contains(&Event::RoundCleared {
			bus_id: 0,
			round_id,
			price_per_kwh: Some(9 * CENT),
			volume_wh: 150_000,
			bid_wh: 250_000,
			ask_wh: 200_000,
			orders: 4,
		}));
		let round = Rounds::<Test>::get(round_id).unwrap();
		let RoundStatus::Cleared(clearing) = round.status else { panic!("it traded") };
		assert_eq!((clearing.price_tick, clearing.volume_wh), (4, 150_000));
		assert_eq!(
			clearing.bids,
			Marginal { tick: 5, share_wh: 150_000, of_wh: 150_000, settled_wh: 0 }
		);
		assert_eq!(
			clearing.asks,
			Marginal { tick: 4, share_wh: 50_000, of_wh: 100_000, settled_wh: 0 }
		);
		assert!(UnsettledRounds::<Test>::contains_key(round_id));
		// The book left with the clearing, and the next round is open.
		assert_eq!(Book::<Test>::iter().count(), 0);
		assert!(EnergyBus::book_of(round_id).is_none());
		assert_ne!(CurrentRound::<Test>::get(0), Some(round_id));

		// on_idle settles every order.
		EnergyBus::on_idle(System::block_number(), frame_support::weights::Weight::MAX);
		assert_eq!(Orders::<Test>::iter().count(), 0);
		assert!(!UnsettledRounds::<Test>::contains_key(round_id));
		// Bob paid 150 kWh at 9 cents, 13.5 ECT; Alice got it; Charlie got everything back.
		assert_eq!(free(BOB), bob - 135 * ECT / 10);
		assert_eq!(free(ALICE), alice + 135 * ECT / 10);
		assert_eq!(free(CHARLIE), charlie);
		assert_eq!(free(EnergyBus::market_account()), 1);
		assert_eq!(energy_of("Buyer03"), 150_000);
		assert_eq!(energy_of("Buyer04"), 0);
		assert_eq!(energy_of("Solar01"), 900_000);
		assert_eq!(energy_of("Wind02"), 750_000);
		let mut settled = settled_events();
		settled.sort_by_key(|e| match e {
			Event::OrderSettled { order_id, .. } => *order_id,
			_ => unreachable!(),
		});
		assert_eq!(
			settled,
			vec![
				Event::OrderSettled {
					order_id: cheap,
					round_id,
					owner: ALICE,
					side: Side::Ask,
					filled_wh: 100_000,
					amount: 9 * ECT,
					grid_fee: 0,
					refund: 0,
					returned_wh: 0,
				},
				Event::OrderSettled {
					order_id: dear,
					round_id,
					owner: ALICE,
					side: Side::Ask,
					filled_wh: 50_000,
					amount: 45 * ECT / 10,
					grid_fee: 0,
					refund: 0,
					returned_wh: 50_000,
				},
				Event::OrderSettled {
					order_id: bob_bid,
					round_id,
					owner: BOB,
					side: Side::Bid,
					filled_wh: 150_000,
					amount: 135 * ECT / 10,
					grid_fee: 0,
					refund: 15 * ECT / 10,
					returned_wh: 0,
				},
				Event::OrderSettled {
					order_id: charlie_bid,
					round_id,
					owner: CHARLIE,
					side: Side::Bid,
					filled_wh: 0,
					amount: 0,
					grid_fee: 0,
					refund: 7 * ECT,
					returned_wh: 0,
				},
			]
		);
		assert_eq!(
			bus_events().last(),
			Some(&Event::RoundSettled { round_id, filled_orders: 3, grid_fees: 0, escrowed: 0 })
		);
		assert_eq!(EnergyBus::results_of(0).iter().map(|r| r.id).collect::<Vec<_>>(), [round_id]);
	});
}

#[test]
fn anyone_may_claim_an_order_of_a_cleared_round() {
	build_and_execute(|| {
		let bob = free(BOB);
		let (round_id, [_, _, bob_bid, _]) = two_by_two();
		assert_noop!(
			EnergyBus::claim(RuntimeOrigin::signed(DAVE), bob_bid),
			Error::<Test>::RoundNotCleared
		);
		close_gate(round_id);
		// Dave claims Bob's order: Bob gets the energy and the refund.
		assert_ok!(EnergyBus::claim(RuntimeOrigin::signed(DAVE), bob_bid));
		assert_eq!(energy_of("Buyer03"), 150_000);
		assert_eq!(free(BOB), bob - 135 * ECT / 10);
		assert_noop!(
			EnergyBus::claim(RuntimeOrigin::signed(DAVE), bob_bid),
			Error::<Test>::OrderNotFound
		);
		// The bid settled before the asks: the market account still holds their payment.
		assert_eq!(Rounds::<Test>::get(round_id).unwrap().escrowed, 135 * ECT / 10 + 7 * ECT);
		assert_eq!(Rounds::<Test>::get(round_id).unwrap().unsettled, 3);
	});
}

#[test]
fn a_book_that_does_not_cross_trades_nothing_and_returns_everything() {
	build_and_execute(|| {
		let round_id = auctions_on();
		let (alice, bob) = (free(ALICE), free(BOB));
		ask(ALICE, "Solar01", 100_000, 8).unwrap();
		bid(BOB, 100_000, 7).unwrap();
		close_gate(round_id);
		assert!(bus_events().contains(&Event::RoundCleared {
			bus_id: 0,
			round_id,
			price_per_kwh: None,
			volume_wh: 0,
			bid_wh: 100_000,
			ask_wh: 100_000,
			orders: 2,
		}));
		assert_eq!(Rounds::<Test>::get(round_id).unwrap().status, RoundStatus::NoTrade);
		run_to_block(System::block_number() + 1);
		assert_eq!((free(ALICE), free(BOB)), (alice, bob));
		assert_eq!(energy_of("Solar01"), 1_000_000);
		assert_eq!(
			bus_events().last(),
			Some(&Event::RoundSettled { round_id, filled_orders: 0, grid_fees: 0, escrowed: 0 })
		);
	});
}

#[test]
fn the_volume_is_capped_by_the_free_capacity() {
	build_and_execute(|| {
		// An offer takes 950 kWh of the 1,000 kWh: 50 kWh are free.
		assert_ok!(EnergyBus::set_bus_capacity(RuntimeOrigin::signed(ALICE), 0, 1_000_000));
		super::alice_offers(950_000);
		let round_id = auctions_on();
		ask(ALICE, "Wind02", 100_000, 0).unwrap();
		bid(BOB, 60_000, 3).unwrap();
		bid(CHARLIE, 40_000, 3).unwrap();
		close_gate(round_id);
		run_to_block(System::block_number() + 1);
		// 50 kWh trade, the bids share them pro rata: 30 and 20 kWh.
		assert_eq!(energy_of("Buyer03") + energy_of("Buyer04"), 50_000);
		assert_eq!((energy_of("Buyer03"), energy_of("Buyer04")), (30_000, 20_000));
		assert_eq!(energy_of("Wind02"), 750_000);
	});
}

#[test]
fn orders_at_the_marginal_tick_share_it_and_the_shares_add_up() {
	build_and_execute(|| {
		let round_id = auctions_on();
		// 2 Wh for three bids of 1 Wh at the same tick.
		ask(ALICE, "Solar01", 2, 0).unwrap();
		for who in [BOB, CHARLIE, DAVE] {
			bid(who, 1, 3).unwrap();
		}
		close_gate(round_id);
		run_to_block(System::block_number() + 1);
		let fills: Vec<u64> = settled_events()
			.into_iter()
			.filter_map(|e| match e {
				Event::OrderSettled { side: Side::Bid, filled_wh, .. } => Some(filled_wh),
				_ => None,
			})
			.collect();
		assert_eq!(fills.iter().sum::<u64>(), 2, "the shares add up to the volume");
		assert!(fills.iter().all(|fill| *fill <= 1));
		assert_eq!(energy_of("Buyer03") + energy_of("Buyer04") + energy_of("Buyer05"), 2);
	});
}

#[test]
fn results_are_kept_for_the_last_rounds_only() {
	build_and_execute(|| {
		auctions_on();
		let mut rounds = Vec::new();
		for _ in 0..4 {
			let round_id = CurrentRound::<Test>::get(0).unwrap();
			ask(ALICE, "Solar01", 1_000, 0).unwrap();
			bid(BOB, 1_000, 0).unwrap();
			rounds.push(round_id);
			close_gate(round_id);
			run_to_block(System::block_number() + 1);
		}
		// MaxRoundResults is 3: the first round left the state.
		assert_eq!(RoundHistory::<Test>::get(0).into_inner(), rounds[1..].to_vec());
		assert!(Rounds::<Test>::get(rounds[0]).is_none());
		let newest_first: Vec<u64> = EnergyBus::results_of(0).iter().map(|r| r.id).collect();
		assert_eq!(newest_first, vec![rounds[3], rounds[2], rounds[1]]);
		// An empty round leaves no result.
		let empty = CurrentRound::<Test>::get(0).unwrap();
		close_gate(empty);
		assert!(Rounds::<Test>::get(empty).is_none());
	});
}

#[test]
fn stopping_auctions_lets_the_open_round_clear_and_opens_no_next() {
	build_and_execute(|| {
		let round_id = auctions_on();
		ask(ALICE, "Solar01", 1_000, 0).unwrap();
		bid(BOB, 1_000, 0).unwrap();
		assert_ok!(EnergyBus::set_auction(RuntimeOrigin::signed(ALICE), 0, None));
		assert_eq!(Auctions::<Test>::get(0), None);
		close_gate(round_id);
		assert_eq!(CurrentRound::<Test>::get(0), None);
		run_to_block(System::block_number() + 1);
		assert_eq!(energy_of("Buyer03"), 1_000);
		assert_noop!(bid(BOB, 1_000, 0), Error::<Test>::AuctionsOff);
	});
}

#[test]
fn closing_a_bus_ends_its_auctions_and_returns_the_open_round() {
	build_and_execute(|| {
		let round_id = auctions_on();
		let bob = free(BOB);
		ask(ALICE, "Solar01", 1_000, 0).unwrap();
		bid(BOB, 1_000, 0).unwrap();
		assert_ok!(EnergyBus::close_bus(RuntimeOrigin::signed(ALICE), 0));
		assert!(crate::Buses::<Test>::get(0).is_none());
		close_gate(round_id);
		assert_eq!(Rounds::<Test>::get(round_id).unwrap().status, RoundStatus::NoTrade);
		run_to_block(System::block_number() + 1);
		assert_eq!((free(BOB), energy_of("Solar01")), (bob, 1_000_000));
		assert_eq!(CurrentRound::<Test>::get(0), None);
	});
}

#[test]
fn a_closing_bus_takes_no_orders() {
	build_and_execute(|| {
		auctions_on();
		// With an offer, closing the bus starts closing it.
		super::alice_offers(1_000);
		assert_ok!(EnergyBus::close_bus(RuntimeOrigin::signed(ALICE), 0));
		assert!(crate::ClosingBuses::<Test>::contains_key(0));
		assert_noop!(bid(BOB, 1_000, 0), Error::<Test>::BusClosing);
		assert_noop!(ask(ALICE, "Wind02", 1_000, 0), Error::<Test>::BusClosing);
	});
}

#[test]
fn many_rounds_closing_in_one_block_spill_into_the_next() {
	build_and_execute(|| {
		// Three more buses, all with auctions (MaxClearingsPerBlock is 2).
		for _ in 0..3 {
			assert_ok!(EnergyBus::create_energy_bus(
				RuntimeOrigin::signed(ALICE),
				b"Bus".to_vec().try_into().unwrap(),
				vec![ALICE].try_into().unwrap(),
				1_000_000,
				BASE,
			));
		}
		for bus in 0..4 {
			assert_ok!(EnergyBus::set_auction(RuntimeOrigin::signed(ALICE), bus, Some(settings())));
		}
		let rounds: Vec<u64> = (0..4).map(|bus| CurrentRound::<Test>::get(bus).unwrap()).collect();
		run_to_block(10);
		System::set_block_number(11);
		// One read of the gate queue clears two rounds, each charged `clear_round` at its pages
		// (one, for 20 ticks) and at `MaxOrdersPerRound` orders, whatever it holds; the lock and
		// offer queues read one block each, no bus is closing.
		use crate::weights::WeightInfo;
		let charged = <() as WeightInfo>::expiry_queue_reads(1)
			+ <() as WeightInfo>::offer_queue_reads(1)
			+ <() as WeightInfo>::no_closing_bus()
			+ <() as WeightInfo>::gate_queue_reads(1)
			+ <() as WeightInfo>::clear_round(1, 12) * 2;
		assert_eq!(EnergyBus::on_initialize(11), charged);
		let open = |round: &u64| CurrentRound::<Test>::iter_values().any(|r| r == *round);
		let cleared = rounds.iter().filter(|round| !open(round)).count();
		assert_eq!(cleared, 2, "two cleared in the first block");
		System::set_block_number(12);
		EnergyBus::on_initialize(12);
		assert!(rounds.iter().all(|round| !open(round)), "the rest in the next");
	});
}

#[test]
fn the_v5_migration_endows_the_market_account_once() {
	use crate::migrations::v5::MigrateV4ToV5;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		let market = EnergyBus::market_account();
		// As on a chain of version 4: no market account.
		let _ = <Balances as frame_support::traits::fungible::Mutate<_>>::burn_from(
			&market,
			1,
			frame_support::traits::tokens::Preservation::Expendable,
			frame_support::traits::tokens::Precision::Exact,
			frame_support::traits::tokens::Fortitude::Force,
		);
		assert_eq!(free(market), 0);
		StorageVersion::new(4).put::<crate::Pallet<Test>>();
		System::set_block_number(500);

		MigrateV4ToV5::<Test>::on_runtime_upgrade();

		assert_eq!(crate::Pallet::<Test>::on_chain_storage_version(), 5);
		assert_eq!(free(market), 1, "the existential deposit");
		assert_eq!(crate::GateCursor::<Test>::get(), 500);
		let issuance = Balances::total_issuance();
		MigrateV4ToV5::<Test>::on_runtime_upgrade();
		assert_eq!(Balances::total_issuance(), issuance, "it runs once");
		// Auctions work on the migrated chain.
		let round_id = auctions_on();
		ask(ALICE, "Solar01", 1_000, 0).unwrap();
		bid(BOB, 1_000, 0).unwrap();
		close_gate(round_id);
		run_to_block(System::block_number() + 1);
		assert_eq!(energy_of("Buyer03"), 1_000);
	});
}
