//! Property tests of the auction against a brute-force oracle.
//!
//! The oracle knows only the orders: at every tick it adds up, order by order, the bids at or
//! above it and the asks at or below it, and picks the price by the stated rule (most volume
//! within the capacity, then least imbalance, then the lower middle of the ticks left). It then
//! checks that the volume is the most any uniform price of the grid could trade, and that the
//! fills follow price priority: better orders whole, the marginal tick pro rata within 1 Wh,
//! worse ones nothing, no fill beyond its limit. The pallet-level test places the orders
//! through the calls, clears through `on_initialize`, settles them in a random order through
//! `claim`, and checks energy and money: the bids paid exactly what the asks were paid, each
//! within its limit, and the ledger's and the pallet's invariants after every test.

use frame_support::traits::fungible::Inspect;
use proptest::prelude::*;

use super::auction::{auctions_on, settings, tick};
use super::bus_events;
use crate::{clearing, mock::*, Event, Marginal, Side};

/// An order of a random book: side, limit tick, energy.
type RandomOrder = (Side, u16, u64);

fn random_order(ticks: u16) -> impl Strategy<Value = RandomOrder> {
	(any::<bool>(), 0..ticks, 1..5_000u64)
		.prop_map(|(is_bid, tick, wh)| (if is_bid { Side::Bid } else { Side::Ask }, tick, wh))
}

/// Demand and supply at `tick`, order by order.
fn demand_supply(orders: &[RandomOrder], tick: u16) -> (u128, u128) {
	let demand = orders
		.iter()
		.filter(|(side, limit, _)| *side == Side::Bid && *limit >= tick)
		.map(|(.., wh)| *wh as u128)
		.sum();
	let supply = orders
		.iter()
		.filter(|(side, limit, _)| *side == Side::Ask && *limit <= tick)
		.map(|(.., wh)| *wh as u128)
		.sum();
	(demand, supply)
}

/// The oracle's price tick and volume, or `None` if nothing can trade.
fn oracle(orders: &[RandomOrder], ticks: u16, capacity: u64) -> Option<(u16, u64)> {
	let at = |tick| {
		let (demand, supply) = demand_supply(orders, tick);
		(demand.min(supply).min(capacity as u128), demand.abs_diff(supply))
	};
	let most = (0..ticks).map(|tick| at(tick).0).max()?;
	if most == 0 {
		return None;
	}
	let least = (0..ticks).filter(|t| at(*t).0 == most).map(|t| at(t).1).min()?;
	let left: Vec<u16> = (0..ticks).filter(|t| at(*t) == (most, least)).collect();
	Some((left[(left.len() - 1) / 2], most as u64))
}

/// The book of `orders`, per tick and side.
fn book(orders: &[RandomOrder], ticks: u16) -> (Vec<u64>, Vec<u64>) {
	let (mut bids, mut asks) = (vec![0u64; ticks as usize], vec![0u64; ticks as usize]);
	for (side, tick, wh) in orders {
		match side {
			Side::Bid => bids[*tick as usize] += wh,
			Side::Ask => asks[*tick as usize] += wh,
		}
	}
	(bids, asks)
}

/// Checks one side's fills against price priority: orders better than the marginal tick
/// whole, at it pro rata within 1 Wh, worse ones nothing, and all within the limit price.
fn check_side(
	side: Side,
	orders: &[(RandomOrder, u64)],
	marginal: &Marginal,
	price_tick: u16,
	volume: u64,
) -> Result<(), TestCaseError> {
	let mine: Vec<&(RandomOrder, u64)> = orders.iter().filter(|((s, ..), _)| *s == side).collect();
	let total: u64 = mine.iter().map(|(_, fill)| fill).sum();
	prop_assert_eq!(total, volume, "a side's fills add up to the volume");
	let at_marginal: u128 = mine
		.iter()
		.filter(|((_, tick, _), _)| *tick == marginal.tick)
		.map(|((.., wh), _)| *wh as u128)
		.sum();
	let better_total: u128 = mine
		.iter()
		.filter(|((_, tick, _), _)| match side {
			Side::Bid => *tick > marginal.tick,
			Side::Ask => *tick < marginal.tick,
		})
		.map(|((.., wh), _)| *wh as u128)
		.sum();
	let share = volume as u128 - better_total;
	for ((_, tick, wh), fill) in mine {
		prop_assert!(fill <= wh, "a fill beyond the order");
		if *fill > 0 {
			match side {
				Side::Bid => prop_assert!(*tick >= price_tick, "a bid filled above its limit"),
				Side::Ask => prop_assert!(*tick <= price_tick, "an ask filled below its limit"),
			}
		}
		let better = match side {
			Side::Bid => *tick > marginal.tick,
			Side::Ask => *tick < marginal.tick,
		};
		if better {
			prop_assert_eq!(fill, wh, "a better order did not fill whole");
		} else if *tick == marginal.tick {
			// Pro rata: |fill − wh × share / at_marginal| < 1.
			let exact_times = *wh as u128 * share;
			let fill_times = *fill as u128 * at_marginal;
			prop_assert!(
				exact_times.abs_diff(fill_times) < at_marginal,
				"a marginal fill is more than 1 Wh from pro rata"
			);
		} else {
			prop_assert_eq!(*fill, 0, "a worse order traded");
		}
	}
	Ok(())
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(400))]

	/// The clearing matches the oracle, no uniform price of the grid trades more, and the
	/// fills, taken in any order, follow price priority and add up on both sides.
	#[test]
	fn clearing_matches_the_brute_force_oracle(
		(ticks, orders) in (1..24u16).prop_flat_map(|ticks| {
			(Just(ticks), prop::collection::vec(random_order(ticks), 0..40))
		}),
		capacity in prop_oneof![0..100u64, 0..60_000u64, Just(u64::MAX)],
		order_seed in any::<u64>(),
	) {
		let (bids, asks) = book(&orders, ticks);
		let cleared = clearing::clear(&bids, &asks, capacity);
		let expected = oracle(&orders, ticks, capacity);
		prop_assert_eq!(cleared.as_ref().map(|c| (c.price_tick, c.volume_wh)), expected);
		let Some(cleared) = cleared else { return Ok(()) };
		// No price of the grid trades more (the oracle's maximum, checked order by order).
		for tick in 0..ticks {
			let (demand, supply) = demand_supply(&orders, tick);
			prop_assert!(demand.min(supply).min(capacity as u128) <= cleared.volume_wh as u128);
		}
		// Settle in a random order.
		let mut indexes: Vec<usize> = (0..orders.len()).collect();
		let mut seed = order_seed;
		for i in (1..indexes.len()).rev() {
			seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
			indexes.swap(i, (seed >> 33) as usize % (i + 1));
		}
		let (mut bid_marginal, mut ask_marginal) = (cleared.bids.clone(), cleared.asks.clone());
		let mut fills = vec![0u64; orders.len()];
		for i in indexes {
			let (side, tick, wh) = orders[i];
			fills[i] = match side {
				Side::Bid => bid_marginal.fill(side, tick, wh),
				Side::Ask => ask_marginal.fill(side, tick, wh),
			};
		}
		let filled: Vec<(RandomOrder, u64)> = orders.iter().copied().zip(fills).collect();
		check_side(Side::Bid, &filled, &cleared.bids, cleared.price_tick, cleared.volume_wh)?;
		check_side(Side::Ask, &filled, &cleared.asks, cleared.price_tick, cleared.volume_wh)?;
	}
}

/// The accounts of the pallet-level test: each with money and a factory with energy.
const TRADERS: u64 = 10;

fn trader(index: u64) -> AccountId {
	100 + index
}

fn trader_factory(index: u64) -> String {
	format!("Trader{index:02}")
}

fn set_up_traders() {
	use frame_support::traits::fungible::Mutate;
	for index in 0..TRADERS {
		let who = trader(index);
		Balances::mint_into(&who, 1_000 * ECT).unwrap();
		let id = trader_factory(index);
		frame_support::assert_ok!(EnergyTrading::register_factory(
			RuntimeOrigin::root(),
			id.as_bytes().to_vec(),
			id.as_bytes().to_vec(),
			pallet_energy_trading::EnergyType::Solar,
			who,
			None,
			1_000,
			100_000,
		));
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(60))]

	/// Orders placed through the calls clear as the oracle says and settle, in any order,
	/// into exactly the volume on both sides, with the bids paying what the asks get.
	#[test]
	fn a_round_settles_as_the_oracle_says_in_any_order(
		orders in prop::collection::vec((0..TRADERS, random_order(settings().ticks)), 1..12),
		claim_seed in any::<u64>(),
	) {
		let mut outcome = Ok(());
		build_and_execute(|| outcome = (|| -> Result<(), TestCaseError> {
			set_up_traders();
			let round_id = auctions_on();
			let money_before: Balance =
				(0..TRADERS).map(|i| Balances::total_balance(&trader(i))).sum();
			let energy_before: u64 =
				(0..TRADERS).map(|i| super::energy_of(&trader_factory(i))).sum();

			let mut placed = Vec::new();
			for (index, (side, k, wh)) in orders.iter().copied() {
				let who = trader(index);
				let nonce = crate::MarketNonces::<Test>::get(who);
				let factory = fid(&trader_factory(index));
				let result = match side {
					Side::Bid => EnergyBus::place_bid(
						RuntimeOrigin::signed(who), 0, wh, tick(k), factory, nonce,
					),
					Side::Ask => EnergyBus::place_ask(
						RuntimeOrigin::signed(who), 0, factory, wh, tick(k), nonce,
					),
				};
				// A trader with MaxOrdersPerAccount orders is refused; the rest are placed.
				if result.is_ok() {
					placed.push((crate::NextOrderId::<Test>::get() - 1, index, (side, k, wh)));
				}
			}
			let book_orders: Vec<RandomOrder> = placed.iter().map(|(.., o)| *o).collect();
			let expected = oracle(&book_orders, settings().ticks, 2_000_000);
			let gate = crate::Rounds::<Test>::get(round_id).unwrap().gate_closes_at;
			run_to_block_without_idle(gate + 1);
			let cleared = bus_events().into_iter().find_map(|e| match e {
				Event::RoundCleared { round_id: r, price_per_kwh, volume_wh, .. }
					if r == round_id => Some((price_per_kwh, volume_wh)),
				_ => None,
			});
			let expected_event = match expected {
				Some((price_tick, volume)) => (Some(tick(price_tick)), volume),
				None => (None, 0),
			};
			prop_assert_eq!(cleared, Some(expected_event));

			// Anyone claims the orders, in a random order.
			let mut ids: Vec<u64> = placed.iter().map(|(id, ..)| *id).collect();
			let mut seed = claim_seed;
			for i in (1..ids.len()).rev() {
				seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
				ids.swap(i, (seed >> 33) as usize % (i + 1));
			}
			for id in ids {
				frame_support::assert_ok!(EnergyBus::claim(RuntimeOrigin::signed(NOBODY), id));
			}
			let (mut paid, mut received, mut bought, mut sold) = (0u128, 0u128, 0u64, 0u64);
			for event in bus_events() {
				if let Event::OrderSettled { order_id, side, filled_wh, amount, .. } = event {
					let (_, _, (_, k, wh)) =
						placed.iter().find(|(id, ..)| *id == order_id).unwrap();
					prop_assert!(filled_wh <= *wh);
					let at_limit = pallet_energy_trading::total_price(filled_wh, tick(*k)).unwrap();
					match side {
						Side::Bid => {
							prop_assert!(amount <= at_limit, "a bid paid above its limit");
							paid += amount;
							bought += filled_wh;
						},
						Side::Ask => {
							prop_assert!(
								amount + 1 >= at_limit,
								"an ask was paid below its limit"
							);
							received += amount;
							sold += filled_wh;
						},
					}
				}
			}
			let volume = expected.map_or(0, |(_, v)| v);
			prop_assert_eq!((bought, sold), (volume, volume));
			prop_assert_eq!(paid, received, "the bids paid what the asks got");
			if let Some((price_tick, volume)) = expected {
				let total = pallet_energy_trading::total_price(volume, tick(price_tick)).unwrap();
				prop_assert_eq!(paid, total);
			}
			let money_after: Balance =
				(0..TRADERS).map(|i| Balances::total_balance(&trader(i))).sum();
			let energy_after: u64 =
				(0..TRADERS).map(|i| super::energy_of(&trader_factory(i))).sum();
			prop_assert_eq!(money_after, money_before, "money is conserved among the traders");
			prop_assert_eq!(energy_after, energy_before, "energy is conserved");
			prop_assert_eq!(
				Balances::free_balance(EnergyBus::market_account()),
				1,
				"the market account keeps only its existential deposit"
			);
			Ok(())
		})());
		outcome?;
	}
}

/// Runs blocks up to `n` with `on_initialize` only, so nothing is settled by `on_idle`.
fn run_to_block_without_idle(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		EnergyBus::on_initialize(next);
	}
}
