//! Bilateral trades: create (escrow), execute (pay and deliver atomically), cancel.

use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{Fortitude, Preservation},
	},
};
use sp_runtime::traits::Zero;

use crate::{
	ledger::{add_wh, sub_wh},
	BalanceOf, Config, EnergyWh, Error, Event, Factories, FactoryIdOf, NextTradeId, Pallet,
	TradeId, TradeOf, TradeStatus, Trades, TradesByFactory, WH_PER_KWH,
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
		seller_factory.energy_wh = sub_wh::<T>(seller_factory.energy_wh, energy_wh)?;
		let total = total_price(energy_wh, price_per_kwh).ok_or(Error::<T>::Overflow)?;
		let trade_id = NextTradeId::<T>::get();
		let next_id = trade_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
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
}
