//! Bilateral trades: create (escrow and deposit), execute (pay and deliver atomically),
//! cancel; finished trades leave the state after `TradeRetention` blocks, in bounded `on_idle`
//! work.

use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

use crate::{
	ledger::{add_wh, sub_wh},
	BalanceOf, Config, EnergyWh, Error, Event, Factories, FactoryIdOf, FinishedTrades, HeldDeposit,
	HoldReason, NextTradeId, Pallet, PendingTradeCount, TradeDeposits, TradeId, TradeOf,
	TradePruneCursor, TradeStatus, Trades, TradesByFactory, WeightInfo, WH_PER_KWH,
};

/// What `energy_wh` costs at `price_per_kwh`: `ceil(energy_wh × price_per_kwh / 1000)`, so a
/// seller is never paid less than the energy is worth. `None` on overflow.
pub fn total_price<Balance>(energy_wh: EnergyWh, price_per_kwh: Balance) -> Option<Balance>
where
	Balance: sp_runtime::traits::AtLeast32BitUnsigned + Copy,
{
	let energy: Balance = energy_wh.try_into().ok()?;
	let wh_per_kwh: Balance = WH_PER_KWH.try_into().ok()?;
	let value = energy.checked_mul(&price_per_kwh)?;
	let whole = value / wh_per_kwh;
	let rounded_up = if (value % wh_per_kwh).is_zero() { whole } else { whole + 1u32.into() };
	Some(rounded_up)
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_trade(
		who: &T::AccountId,
		seller: FactoryIdOf<T>,
		buyer: FactoryIdOf<T>,
		energy_wh: EnergyWh,
		price_per_kwh: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		ensure!(seller != buyer, Error::<T>::SelfTrade);
		let mut seller_factory = Self::owned_factory(who, &seller)?;
		ensure!(Factories::<T>::contains_key(&buyer), Error::<T>::FactoryNotFound);
		let pending = PendingTradeCount::<T>::get(&seller);
		ensure!(pending < T::MaxPendingTrades::get(), Error::<T>::TooManyPendingTrades);
		seller_factory.energy_wh = sub_wh::<T>(seller_factory.energy_wh, energy_wh)?;
		let total = total_price(energy_wh, price_per_kwh).ok_or(Error::<T>::Overflow)?;
		let trade_id = NextTradeId::<T>::get();
		let next_id = trade_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let deposit = T::TradeDeposit::get();
		let spendable =
			T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= deposit, Error::<T>::InsufficientDeposit);
		// The deposit is the first write: if it cannot be held, nothing changed.
		T::Currency::hold(&HoldReason::TradeDeposit.into(), who, deposit)
			.map_err(|_| Error::<T>::InsufficientDeposit)?;
		Self::escrow_for_trade(energy_wh)?;

		let balance_wh = seller_factory.energy_wh;
		Factories::<T>::insert(&seller, seller_factory);
		Trades::<T>::insert(
			trade_id,
			TradeOf::<T> {
				id: trade_id,
				seller: seller.clone(),
				buyer: buyer.clone(),
				energy_wh,
				price_per_kwh,
				total_price: total,
				created_at: Self::now_ms(),
				settled_at: None,
				status: TradeStatus::Pending,
			},
		);
		NextTradeId::<T>::put(next_id);
		PendingTradeCount::<T>::insert(&seller, pending.saturating_add(1));
		TradeDeposits::<T>::insert(
			trade_id,
			HeldDeposit { depositor: who.clone(), amount: deposit },
		);
		TradesByFactory::<T>::insert(&seller, trade_id, ());
		TradesByFactory::<T>::insert(&buyer, trade_id, ());
		Self::deposit_event(Event::TradeCreated {
			trade_id,
			seller,
			buyer,
			energy_wh,
			price_per_kwh,
			total_price: total,
			seller_balance_wh: balance_wh,
		});
		Ok(())
	}

	/// The trade `trade_id` if it is still pending.
	fn pending_trade(trade_id: TradeId) -> Result<TradeOf<T>, Error<T>> {
		let trade = Trades::<T>::get(trade_id).ok_or(Error::<T>::TradeNotFound)?;
		ensure!(trade.status == TradeStatus::Pending, Error::<T>::TradeNotPending);
		Ok(trade)
	}

	pub(crate) fn do_execute_trade(
		who: &T::AccountId,
		trade_id: TradeId,
		max_total_price: BalanceOf<T>,
	) -> DispatchResult {
		let mut trade = Self::pending_trade(trade_id)?;
		let mut buyer = Self::owned_factory(who, &trade.buyer)?;
		let seller = Self::factory_or_err(&trade.seller)?;
		ensure!(trade.total_price <= max_total_price, Error::<T>::PriceAboveLimit);
		let pays = !trade.total_price.is_zero() && seller.owner != *who;
		if pays {
			let spendable =
				T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
			ensure!(spendable >= trade.total_price, Error::<T>::InsufficientFunds);
		}
		buyer.energy_wh = add_wh::<T>(buyer.energy_wh, trade.energy_wh)?;
		// The payment is the first write: if the currency refuses it (for example a payment
		// below the existential deposit to an account that does not exist yet), nothing changed.
		if pays {
			T::Currency::transfer(who, &seller.owner, trade.total_price, Preservation::Preserve)?;
		}
		Self::unescrow_from_trade(trade.energy_wh)?;

		let now = Self::now_ms();
		trade.status = TradeStatus::Completed;
		trade.settled_at = Some(now);
		let buyer_balance = buyer.energy_wh;
		Factories::<T>::insert(&trade.buyer, buyer);
		Self::finish_trade(&trade);
		Trades::<T>::insert(trade_id, trade.clone());
		Self::deposit_event(Event::TradeExecuted {
			trade_id,
			seller: trade.seller,
			buyer: trade.buyer,
			energy_wh: trade.energy_wh,
			total_price: trade.total_price,
			payer: who.clone(),
			payee: seller.owner,
			seller_balance_wh: seller.energy_wh,
			buyer_balance_wh: buyer_balance,
		});
		Ok(())
	}

	pub(crate) fn do_cancel_trade(who: &T::AccountId, trade_id: TradeId) -> DispatchResult {
		let mut trade = Self::pending_trade(trade_id)?;
		let mut seller = Self::factory_or_err(&trade.seller)?;
		let buyer_owner = Factories::<T>::get(&trade.buyer).map(|buyer| buyer.owner);
		ensure!(
			seller.owner == *who || buyer_owner.as_ref() == Some(who),
			Error::<T>::NotTradeParty
		);
		seller.energy_wh = add_wh::<T>(seller.energy_wh, trade.energy_wh)?;
		Self::unescrow_from_trade(trade.energy_wh)?;

		trade.status = TradeStatus::Cancelled;
		trade.settled_at = Some(Self::now_ms());
		let balance_wh = seller.energy_wh;
		Factories::<T>::insert(&trade.seller, seller);
		Self::finish_trade(&trade);
		Trades::<T>::insert(trade_id, trade.clone());
		Self::deposit_event(Event::TradeCancelled {
			trade_id,
			cancelled_by: who.clone(),
			seller: trade.seller,
			buyer: trade.buyer,
			energy_wh: trade.energy_wh,
			seller_balance_wh: balance_wh,
		});
		Ok(())
	}

	/// What a trade leaving the pending ones does besides its own record: its deposit returns
	/// to its creator, its seller's count of pending trades falls, and it is queued for removal
	/// `TradeRetention` blocks from now.
	fn finish_trade(trade: &TradeOf<T>) {
		if let Some(deposit) = TradeDeposits::<T>::take(trade.id) {
			// The hold was made by `do_create_trade` and nothing else takes this reason's
			// holds: all of it is there.
			let _ = T::Currency::release(
				&HoldReason::TradeDeposit.into(),
				&deposit.depositor,
				deposit.amount,
				Precision::BestEffort,
			);
		}
		PendingTradeCount::<T>::mutate_exists(&trade.seller, |count| {
			*count = count.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
		FinishedTrades::<T>::insert(frame_system::Pallet::<T>::block_number(), trade.id, ());
	}

	/// What removing `removed` finished trades and passing `passed` blocks of the queue
	/// weighs: the `trade_queue_reads` benchmark at the blocks passed, plus `prune_trades` at
	/// the trades removed if it removed any.
	pub(crate) fn trade_pruning_weight(removed: u32, passed: u32) -> Weight {
		let pruning =
			if removed == 0 { Weight::zero() } else { T::WeightInfo::prune_trades(removed) };
		T::WeightInfo::trade_queue_reads(passed).saturating_add(pruning)
	}

	/// Removes the trades that finished more than `TradeRetention` blocks before `now` (the
	/// trade and its two index entries), one at a time, as long as `remaining_weight` has room
	/// for the next step. Each step reads the queue once: it finds a trade to remove, or a
	/// block with none left to pass. Returns its weight ([`Pallet::trade_pruning_weight`]).
	pub(crate) fn prune_trades(now: BlockNumberFor<T>, remaining_weight: Weight) -> Weight {
		// Room for one step, whichever it turns out to be (the weight grows with both).
		let room = |removed: u32, passed: u32| {
			Self::trade_pruning_weight(removed + 1, passed + 1).all_lte(remaining_weight)
		};
		if !room(0, 0) {
			return Weight::zero();
		}
		let (mut removed, mut passed) = (0u32, 0u32);
		let retention = T::TradeRetention::get();
		if now <= retention {
			return Self::trade_pruning_weight(removed, passed);
		}
		let removable_until = now.saturating_sub(retention);
		let mut cursor = TradePruneCursor::<T>::get();
		while cursor < removable_until && room(removed, passed) {
			match FinishedTrades::<T>::iter_key_prefix(cursor).next() {
				Some(trade_id) => {
					FinishedTrades::<T>::remove(cursor, trade_id);
					if let Some(trade) = Trades::<T>::take(trade_id) {
						TradesByFactory::<T>::remove(&trade.seller, trade_id);
						TradesByFactory::<T>::remove(&trade.buyer, trade_id);
					}
					removed += 1;
				},
				None => {
					cursor.saturating_inc();
					passed += 1;
				},
			}
		}
		TradePruneCursor::<T>::put(cursor);
		Self::trade_pruning_weight(removed, passed)
	}
}
