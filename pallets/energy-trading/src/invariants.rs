//! The ledger's invariants, checked by `try_state` (and after every unit test).

use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{traits::Zero, TryRuntimeError};

use crate::{
	BalanceOf, Config, EnergyWh, Event, Factories, FactoriesByOwner, FactoryCount, FactoryIdOf,
	FinishedTrades, GenerationAllowance, HoldReason, MarketEscrowWh, MeterRequests, Pallet,
	PendingTradeCount, Ratings, TotalConsumedWh, TotalIssuedWh, TradeDeposits, TradeEscrowWh,
	TradePruneCursor, TradeStatus, Trades, TradesByFactory,
};

impl<T: Config> Pallet<T> {
	/// Checks that:
	/// - energy is conserved: issued − consumed = the factories' balances + the trade escrow +
	///   the market escrow (whose share per offer the energy-bus pallet checks);
	/// - the trade escrow is exactly the energy of the pending trades;
	/// - `FactoryCount` and the owner index agree with the factories;
	/// - every factory has a rating and every rating a factory; no generation allowance holds
	///   more than a day at its factory's rated power; every meter request is of a registered
	///   factory;
	/// - every trade is indexed under both its factories, and every index entry is a trade of
	///   that factory;
	/// - each factory's count of pending trades as seller is what it has; only pending trades
	///   hold deposits, and each depositor's trade-deposit hold is the sum of its deposits;
	/// - every finished trade is queued for removal exactly once, at a block the pruning cursor
	///   has not passed, and the queue names finished trades only.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut balances: u128 = 0;
		let mut count: u32 = 0;
		for (id, factory) in Factories::<T>::iter() {
			ensure!(factory.id == id, "a factory is stored under another id");
			ensure!(
				FactoriesByOwner::<T>::contains_key(&factory.owner, &id),
				"a factory is missing from its owner's index"
			);
			let rating = Ratings::<T>::get(&id).ok_or("a factory has no rating")?;
			ensure!(
				rating.allowance.available_mj
					<= GenerationAllowance::capacity_mj(rating.rated_power_w),
				"a factory's generation allowance exceeds a day at its rated power"
			);
			balances += factory.energy_wh as u128;
			count += 1;
		}
		ensure!(Ratings::<T>::iter_keys().count() as u32 == count, "a rating names no factory");
		for id in MeterRequests::<T>::iter_keys() {
			ensure!(Factories::<T>::contains_key(&id), "a meter request names no factory");
		}
		ensure!(FactoryCount::<T>::get() == count, "FactoryCount disagrees with the factories");
		for (owner, id, ()) in FactoriesByOwner::<T>::iter() {
			let factory = Factories::<T>::get(&id).ok_or("the owner index names no factory")?;
			ensure!(factory.owner == owner, "the owner index names the wrong owner");
		}

		let escrowed = TradeEscrowWh::<T>::get() as u128;
		let market = MarketEscrowWh::<T>::get() as u128;
		let issued = TotalIssuedWh::<T>::get();
		let consumed = TotalConsumedWh::<T>::get();
		ensure!(issued >= consumed, "more energy consumed than issued");
		ensure!(issued - consumed == balances + escrowed + market, "energy is not conserved");

		let mut queued = BTreeMap::new();
		let cursor = TradePruneCursor::<T>::get();
		for (block, trade_id, ()) in FinishedTrades::<T>::iter() {
			ensure!(block >= cursor, "a finished trade is queued behind the pruning cursor");
			ensure!(queued.insert(trade_id, block).is_none(), "a trade is queued twice");
		}
		let mut pending: u128 = 0;
		let mut per_factory: BTreeMap<_, u32> = BTreeMap::new();
		let mut pending_per_seller: BTreeMap<_, u32> = BTreeMap::new();
		for (trade_id, trade) in Trades::<T>::iter() {
			ensure!(trade.id == trade_id, "a trade is stored under another id");
			if trade.status == TradeStatus::Pending {
				pending += trade.energy_wh as u128;
				*pending_per_seller.entry(trade.seller.clone()).or_default() += 1;
				ensure!(!queued.contains_key(&trade_id), "a pending trade is queued for removal");
			} else {
				ensure!(queued.remove(&trade_id).is_some(), "a finished trade is not queued");
				ensure!(
					!TradeDeposits::<T>::contains_key(trade_id),
					"a finished trade still holds a deposit"
				);
			}
			for factory in [&trade.seller, &trade.buyer] {
				ensure!(
					TradesByFactory::<T>::contains_key(factory, trade_id),
					"a trade is missing from a factory's trade index"
				);
				*per_factory.entry(factory.clone()).or_default() += 1;
			}
		}
		ensure!(pending == escrowed, "the trade escrow differs from the pending trades");
		let mut indexed: BTreeMap<_, u32> = BTreeMap::new();
		for (factory, trade_id, ()) in TradesByFactory::<T>::iter() {
			let trade = Trades::<T>::get(trade_id).ok_or("the trade index names no trade")?;
			ensure!(
				trade.seller == factory || trade.buyer == factory,
				"the trade index names a trade of another factory"
			);
			*indexed.entry(factory).or_default() += 1;
		}
		ensure!(indexed == per_factory, "the trade index has entries no trade accounts for");
		ensure!(queued.is_empty(), "the removal queue names a trade that is not stored");
		let counted: BTreeMap<_, u32> = PendingTradeCount::<T>::iter().collect();
		ensure!(counted == pending_per_seller, "a seller's pending-trade count is wrong");

		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (trade_id, deposit) in TradeDeposits::<T>::iter() {
			ensure!(Trades::<T>::contains_key(trade_id), "a deposit names no trade");
			let held = deposits.entry(deposit.depositor).or_insert_with(Zero::zero);
			*held += deposit.amount;
		}
		for (depositor, amount) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::TradeDeposit.into(), &depositor)
					== amount,
				"a depositor's trade-deposit hold differs from its trades' deposits"
			);
		}
		Ok(())
	}

	/// Each factory's balance as the last of `events` (the pallet's events, in order) that
	/// changed it tells it ([`Event::ledger_entries`]). Every change of a balance is an event
	/// that carries the balance it left: the node's history index relies on it.
	pub fn balances_in_events(
		events: impl IntoIterator<Item = Event<T>>,
	) -> BTreeMap<FactoryIdOf<T>, EnergyWh> {
		let mut balances = BTreeMap::new();
		for event in events {
			balances.extend(
				event.ledger_entries().into_iter().map(|entry| (entry.factory, entry.balance_wh)),
			);
		}
		balances
	}

	/// Checks that every factory named in `events` has the balance its last event tells
	/// ([`Self::balances_in_events`]).
	pub fn check_event_balances(
		events: impl IntoIterator<Item = Event<T>>,
	) -> Result<(), TryRuntimeError> {
		for (id, balance_wh) in Self::balances_in_events(events) {
			let factory = Factories::<T>::get(&id).ok_or("an event names no factory")?;
			ensure!(
				factory.energy_wh == balance_wh,
				"a factory's balance differs from what its last event tells"
			);
		}
		Ok(())
	}
}
