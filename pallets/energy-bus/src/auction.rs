//! Periodic double auctions per bus: rounds, orders on a tick grid, uniform-price clearing in
//! `on_initialize` through a bounded queue, and settlement of each order in O(1), by `on_idle`
//! or by anyone's `claim`.
//!
//! Money and energy: a bid's payment at its limit, plus the round's grid fee for all its
//! energy, moves to the market account ([`Pallet::market_account`]) when it is placed; an
//! ask's energy goes into the ledger's market escrow. Each order also holds the order deposit.
//! At settlement a bid pays its part of the round's total at the clearing price and of the
//! round's grid fees, gets the rest back, and receives its energy from the escrow into its
//! factory; an ask is paid its part and gets its unsold energy back. The parts telescope: the
//! bids settled so far together have paid exactly `ceil(settled Wh × price / 1000)` (and
//! `ceil(settled Wh × grid fee / 1000)` in fees, which go to the bus's pot), and so have the
//! asks been paid, so once a round is settled its bids paid what its asks got, to the unit,
//! whatever the order of settlement.

use frame_support::{
	ensure,
	pallet_prelude::{DispatchError, DispatchResult},
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Precision, Preservation},
		Get,
	},
	weights::Weight,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_energy_trading::{total_price, EnergyLedger};
use sp_runtime::traits::{AccountIdConversion, CheckedAdd, CheckedSub, Saturating, Zero};

use crate::{
	clearing, AuctionSettings, Auctions, BalanceOf, Book, BookPage, BusId, Buses, Clearing,
	ClosingBuses, Config, CurrentRound, EnergyWh, Error, Event, GateCursor, GateQueue, HoldReason,
	MarketNonce, NextOrderId, NextRoundId, Order, OrderCount, OrderId, OrderOf, Orders,
	OrdersByAccount, OrdersByRound, Pallet, Round, RoundHistory, RoundId, RoundOf, RoundStatus,
	Rounds, Side, Tick, UnsettledRounds, WeightInfo, TICKS_PER_PAGE,
};

const LOG_TARGET: &str = "runtime::energy-bus::auction";

impl<T: Config> Pallet<T> {
	/// The market account: it holds the bids' payments until their rounds settle. It keeps
	/// the existential deposit (minted at genesis or by the migration to storage version 5)
	/// so that it is never reaped between rounds.
	pub fn market_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Mints the existential deposit into the market account if it has less (at genesis and
	/// in the upgrade that brought auctions).
	pub(crate) fn ensure_market_account() {
		let account = Self::market_account();
		let minimum = T::Currency::minimum_balance();
		let balance = T::Currency::balance(&account);
		if balance < minimum {
			if let Err(error) = T::Currency::mint_into(&account, minimum - balance) {
				log::error!(target: LOG_TARGET, "the market account could not be endowed: {error:?}");
			}
		}
	}

	/// Checks auction settings: a round lasts 1 to `MaxRoundLength` blocks; the grid has
	/// 1 to `MaxTicks` prices a positive step apart.
	pub(crate) fn check_auction_settings(
		settings: &AuctionSettings<BalanceOf<T>>,
	) -> DispatchResult {
		ensure!(
			settings.round_length >= 1
				&& settings.round_length <= T::MaxRoundLength::get()
				&& settings.ticks >= 1
				&& u32::from(settings.ticks) <= T::MaxTicks::get()
				&& !settings.tick_size.is_zero(),
			Error::<T>::InvalidAuctionSettings
		);
		Ok(())
	}

	/// Applies `SetAuction`: stores the settings and opens a round if the bus has none open,
	/// or stops the auctions (the open round still clears).
	pub(crate) fn do_set_auction(
		bus_id: BusId,
		base_price_per_kwh: BalanceOf<T>,
		settings: Option<AuctionSettings<BalanceOf<T>>>,
	) -> DispatchResult {
		match settings {
			Some(settings) => {
				Auctions::<T>::insert(bus_id, settings);
				if !CurrentRound::<T>::contains_key(bus_id) {
					let now = frame_system::Pallet::<T>::block_number();
					Self::open_round(bus_id, base_price_per_kwh, &settings, now)?;
				}
			},
			None => Auctions::<T>::remove(bus_id),
		}
		Ok(())
	}

	/// Opens a round of `bus_id` in block `now` with `settings`. Emits `RoundOpened`.
	fn open_round(
		bus_id: BusId,
		base_price_per_kwh: BalanceOf<T>,
		settings: &AuctionSettings<BalanceOf<T>>,
		now: BlockNumberFor<T>,
	) -> Result<RoundId, DispatchError> {
		let round_id = NextRoundId::<T>::get();
		NextRoundId::<T>::put(round_id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		let gate_closes_at = now.saturating_add((settings.round_length - 1).into());
		let grid_fee_per_kwh = Self::grid_fee_of(bus_id);
		Rounds::<T>::insert(
			round_id,
			Round {
				id: round_id,
				bus_id,
				opened_at: now,
				gate_closes_at,
				base_price_per_kwh,
				tick_size: settings.tick_size,
				ticks: settings.ticks,
				grid_fee_per_kwh,
				grid_fees: Zero::zero(),
				orders: 0,
				unsettled: 0,
				filled_orders: 0,
				bid_wh: 0,
				ask_wh: 0,
				escrowed_wh: 0,
				escrowed: Zero::zero(),
				status: RoundStatus::Open,
			},
		);
		CurrentRound::<T>::insert(bus_id, round_id);
		GateQueue::<T>::insert(gate_closes_at, round_id, ());
		Self::deposit_event(Event::RoundOpened {
			bus_id,
			round_id,
			gate_closes_at,
			base_price_per_kwh,
			tick_size: settings.tick_size,
			ticks: settings.ticks,
			grid_fee_per_kwh,
		});
		Ok(round_id)
	}

	/// Checks that a round takes orders and cancels now: open, and its gate not passed.
	fn ensure_gate_open(round: &RoundOf<T>) -> Result<(), Error<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			round.status == RoundStatus::Open && now <= round.gate_closes_at,
			Error::<T>::GateClosed
		);
		Ok(())
	}

	/// The tick of `price_per_kwh` on a round's grid, if it is one of its prices.
	pub fn tick_of(round: &RoundOf<T>, price_per_kwh: BalanceOf<T>) -> Option<Tick> {
		let above = price_per_kwh.checked_sub(&round.base_price_per_kwh)?;
		if !(above % round.tick_size).is_zero() {
			return None;
		}
		let tick: u32 = (above / round.tick_size).try_into().ok()?;
		(tick < u32::from(round.ticks)).then_some(tick as Tick)
	}

	/// The price per kWh of a round's tick.
	pub fn price_of(round: &RoundOf<T>, tick: Tick) -> BalanceOf<T> {
		round.base_price_per_kwh.saturating_add(round.tick_size.saturating_mul(tick.into()))
	}

	/// Places an order in the open round of `bus_id`: checks everything, then takes the bid's
	/// payment or the ask's energy, holds the deposit, adds it to the book and records the
	/// receipt (`nonce` is `None` only for genesis orders: no nonce, no receipt). FRAME's
	/// storage layer undoes a failed call's writes.
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_place_order(
		who: &T::AccountId,
		side: Side,
		bus_id: BusId,
		factory: T::FactoryId,
		energy_wh: EnergyWh,
		limit_price_per_kwh: BalanceOf<T>,
		nonce: Option<MarketNonce>,
	) -> Result<OrderId, DispatchError> {
		if let Some(nonce) = nonce {
			Self::check_nonce(who, nonce)?;
		}
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		ensure!(Buses::<T>::contains_key(bus_id), Error::<T>::BusNotFound);
		ensure!(!ClosingBuses::<T>::contains_key(bus_id), Error::<T>::BusClosing);
		let round_id = CurrentRound::<T>::get(bus_id).ok_or(Error::<T>::AuctionsOff)?;
		let mut round = Rounds::<T>::get(round_id).ok_or(Error::<T>::RoundNotFound)?;
		Self::ensure_gate_open(&round)?;
		ensure!(T::Ledger::is_owner(who, &factory), Error::<T>::NotFactoryOwner);
		let tick = Self::tick_of(&round, limit_price_per_kwh).ok_or(Error::<T>::PriceNotOnGrid)?;
		ensure!(round.orders < T::MaxOrdersPerRound::get(), Error::<T>::RoundFull);
		let count = OrderCount::<T>::get(who).unwrap_or(0);
		ensure!(count < T::MaxOrdersPerAccount::get(), Error::<T>::TooManyOrders);
		let order_id = NextOrderId::<T>::get();
		let next_id = order_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let escrow = match side {
			Side::Bid => Self::bid_escrow(&round, energy_wh, limit_price_per_kwh)
				.ok_or(Error::<T>::Overflow)?,
			Side::Ask => Zero::zero(),
		};
		let (page, at) = Self::page_of(tick);
		let mut book = Book::<T>::get((round_id, side, page));
		while book.len() <= at {
			book.try_push(0).map_err(|_| Error::<T>::Overflow)?;
		}
		book[at] = book[at].checked_add(energy_wh).ok_or(Error::<T>::Overflow)?;
		let side_wh = match side {
			Side::Bid => &mut round.bid_wh,
			Side::Ask => &mut round.ask_wh,
		};
		*side_wh = side_wh.checked_add(energy_wh).ok_or(Error::<T>::Overflow)?;

		// The payment or the energy, then the deposit: if either cannot be taken, the call
		// fails and its storage layer undoes the rest.
		match side {
			Side::Bid => {
				T::Currency::transfer(who, &Self::market_account(), escrow, Preservation::Preserve)
					.map_err(|_| Error::<T>::InsufficientFunds)?;
				round.escrowed = round.escrowed.checked_add(&escrow).ok_or(Error::<T>::Overflow)?;
			},
			Side::Ask => {
				T::Ledger::escrow(&factory, energy_wh)?;
				round.escrowed_wh =
					round.escrowed_wh.checked_add(energy_wh).ok_or(Error::<T>::Overflow)?;
			},
		}
		let deposit = T::OrderDeposit::get();
		T::Currency::hold(&HoldReason::AuctionOrder.into(), who, deposit)
			.map_err(|_| Error::<T>::InsufficientFunds)?;

		round.orders += 1;
		Book::<T>::insert((round_id, side, page), book);
		Rounds::<T>::insert(round_id, round);
		NextOrderId::<T>::put(next_id);
		let order = Order {
			id: order_id,
			round_id,
			bus_id,
			owner: who.clone(),
			side,
			factory: factory.clone(),
			energy_wh,
			limit_tick: tick,
			limit_price_per_kwh,
			escrow,
			deposit,
			nonce,
		};
		let receipt = nonce.map(|nonce| {
			(
				nonce,
				Self::receipt_hash(
					who,
					nonce,
					(side, bus_id, &factory, energy_wh, limit_price_per_kwh),
				),
			)
		});
		Orders::<T>::insert(order_id, order);
		OrdersByRound::<T>::insert(round_id, order_id, ());
		OrdersByAccount::<T>::insert(who, order_id, ());
		OrderCount::<T>::insert(who, count + 1);
		Self::deposit_event(Event::OrderPlaced {
			order_id,
			round_id,
			owner: who.clone(),
			side,
			factory,
			energy_wh,
			limit_price_per_kwh,
		});
		if let Some((nonce, receipt)) = receipt {
			Self::record_receipt(who, nonce, receipt, BoundedVec::new());
		}
		Ok(order_id)
	}

	/// What a bid of `energy_wh` at `limit_price_per_kwh` in `round` moves to the market
	/// account: its payment at its limit plus the round's grid fee for all of it.
	pub(crate) fn bid_escrow(
		round: &RoundOf<T>,
		energy_wh: EnergyWh,
		limit_price_per_kwh: BalanceOf<T>,
	) -> Option<BalanceOf<T>> {
		total_price(energy_wh, limit_price_per_kwh)?
			.checked_add(&total_price(energy_wh, round.grid_fee_per_kwh)?)
	}

	/// One side of a round's book: the energy at each of its `ticks` ticks, read page by page
	/// (and removed if `take`).
	pub(crate) fn book_side(
		round_id: RoundId,
		side: Side,
		ticks: Tick,
		take: bool,
	) -> alloc::vec::Vec<EnergyWh> {
		let ticks = usize::from(ticks);
		let pages = (ticks as u32).div_ceil(TICKS_PER_PAGE) as u16;
		let mut energy = alloc::vec::Vec::with_capacity(pages as usize * TICKS_PER_PAGE as usize);
		for page in 0..pages {
			let key = (round_id, side, page);
			let book: BookPage = if take { Book::<T>::take(key) } else { Book::<T>::get(key) };
			let mut book = book.into_inner();
			book.resize(TICKS_PER_PAGE as usize, 0);
			energy.extend(book);
		}
		energy.truncate(ticks);
		energy
	}

	/// The book page of a tick and its place in the page.
	fn page_of(tick: Tick) -> (u16, usize) {
		let tick = u32::from(tick);
		((tick / TICKS_PER_PAGE) as u16, (tick % TICKS_PER_PAGE) as usize)
	}

	/// Cancels an order before its round's gate closes: the bid's payment or the ask's
	/// energy and the deposit go back to its owner. Returns its side.
	pub(crate) fn do_cancel_order(
		who: &T::AccountId,
		order_id: OrderId,
	) -> Result<Side, DispatchError> {
		let order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		ensure!(&order.owner == who, Error::<T>::NotOrderOwner);
		let mut round = Rounds::<T>::get(order.round_id).ok_or(Error::<T>::RoundNotFound)?;
		Self::ensure_gate_open(&round)?;
		let (page, at) = Self::page_of(order.limit_tick);
		Book::<T>::mutate((order.round_id, order.side, page), |book| {
			if let Some(energy_wh) = book.get_mut(at) {
				*energy_wh = energy_wh.saturating_sub(order.energy_wh);
			}
		});
		match order.side {
			Side::Bid => {
				round.bid_wh = round.bid_wh.saturating_sub(order.energy_wh);
				round.escrowed = round.escrowed.saturating_sub(order.escrow);
				Self::pay_out(&order.owner, order.escrow)?;
			},
			Side::Ask => {
				round.ask_wh = round.ask_wh.saturating_sub(order.energy_wh);
				round.escrowed_wh = round.escrowed_wh.saturating_sub(order.energy_wh);
				T::Ledger::release(&order.factory, order.energy_wh)?;
			},
		}
		round.orders = round.orders.saturating_sub(1);
		Rounds::<T>::insert(order.round_id, round);
		Self::forget_order(&order)?;
		Self::deposit_event(Event::OrderCancelled { order_id, owner: order.owner });
		Ok(order.side)
	}

	/// Pays `amount` from the market account (which keeps its existential deposit).
	pub(crate) fn pay_out(to: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer(&Self::market_account(), to, amount, Preservation::Preserve)?;
		Ok(())
	}

	/// Releases an order's deposit and removes it with its index entries.
	fn forget_order(order: &OrderOf<T>) -> DispatchResult {
		T::Currency::release(
			&HoldReason::AuctionOrder.into(),
			&order.owner,
			order.deposit,
			Precision::BestEffort,
		)?;
		Orders::<T>::remove(order.id);
		OrdersByRound::<T>::remove(order.round_id, order.id);
		OrdersByAccount::<T>::remove(&order.owner, order.id);
		OrderCount::<T>::mutate_exists(&order.owner, |count| {
			*count = count.map(|count| count.saturating_sub(1)).filter(|count| *count > 0);
		});
		Ok(())
	}

	/// Clears the rounds whose gate closed before `now`, from the gate queue, at most
	/// `MaxClearingsPerBlock` and reading the queue at most that often; the rest wait for the
	/// next blocks (their gates are closed meanwhile). Each opens its bus's next round if the
	/// bus still runs auctions. Returns its weight: the `gate_queue_reads` benchmark at the
	/// queue's reads, plus [`Pallet::clearing_weight`] per cleared round.
	pub(crate) fn clear_rounds(now: BlockNumberFor<T>) -> Weight {
		let mut cursor = GateCursor::<T>::get();
		let mut weight = Weight::zero();
		let (_, reads) = crate::lock::work_expiry_queue(
			&mut cursor,
			now,
			T::MaxClearingsPerBlock::get(),
			|block, wanted| GateQueue::<T>::iter_key_prefix(block).take(wanted).collect(),
			|block, round_id| {
				let ticks = Self::try_clear_round(block, round_id, now);
				weight.saturating_accrue(Self::clearing_weight(ticks));
				true
			},
		);
		GateCursor::<T>::put(cursor);
		T::WeightInfo::gate_queue_reads(reads).saturating_add(weight)
	}

	/// What clearing a round of `ticks` ticks weighs: the `clear_round` benchmark at the round's
	/// pages of ticks and at `MaxOrdersPerRound` orders, so that the charge does not depend on
	/// the number of orders (the benchmark measures how little the cost does: the book's pages
	/// fill up as orders arrive, until every tick holds some).
	pub(crate) fn clearing_weight(ticks: Tick) -> Weight {
		let pages = u32::from(ticks).div_ceil(TICKS_PER_PAGE).max(1);
		T::WeightInfo::clear_round(pages, T::MaxOrdersPerRound::get())
	}

	/// Clears one round in a storage layer of its own and returns its ticks, for the weight. Clearing writes only this pallet's storage and fails only on a bug; if it
	/// does, the failure is logged and the round ends without a trade, so that its orders are
	/// settled (returned) as usual.
	fn try_clear_round(
		block: BlockNumberFor<T>,
		round_id: RoundId,
		now: BlockNumberFor<T>,
	) -> Tick {
		GateQueue::<T>::remove(block, round_id);
		let Some(round) = Rounds::<T>::get(round_id) else { return 0 };
		let measure = round.ticks;
		if let Err(error) = with_storage_layer(|| Self::clear_round(round.clone(), now)) {
			log::error!(target: LOG_TARGET, "round {round_id} could not be cleared: {error:?}");
			let mut round = round;
			round.status = RoundStatus::NoTrade;
			round.unsettled = round.orders;
			if CurrentRound::<T>::get(round.bus_id) == Some(round_id) {
				CurrentRound::<T>::remove(round.bus_id);
			}
			UnsettledRounds::<T>::insert(round_id, ());
			Rounds::<T>::insert(round_id, round);
		}
		measure
	}

	/// Clears a round whose gate closed: reads its book (every page of both sides), finds the
	/// price and volume ([`clearing::clear`]) within the bus's free capacity, removes the
	/// book, queues its orders for settlement and opens the bus's next round. Emits
	/// `RoundCleared`.
	pub(crate) fn clear_round(mut round: RoundOf<T>, now: BlockNumberFor<T>) -> DispatchResult {
		let round_id = round.id;
		let ticks = round.ticks;
		let side = |side| Self::book_side(round_id, side, ticks, true);
		let (bids, asks) = (side(Side::Bid), side(Side::Ask));
		let bus = Buses::<T>::get(round.bus_id);
		let free_wh =
			bus.as_ref().map_or(0, |bus| bus.capacity_wh.saturating_sub(bus.committed_wh));
		let cleared = clearing::clear(&bids, &asks, free_wh);
		let (price_per_kwh, volume_wh) = match cleared {
			Some(cleared) => {
				let price_per_kwh = Self::price_of(&round, cleared.price_tick);
				round.status = RoundStatus::Cleared(Clearing {
					price_tick: cleared.price_tick,
					price_per_kwh,
					volume_wh: cleared.volume_wh,
					bids: cleared.bids,
					asks: cleared.asks,
					bids_settled_wh: 0,
					asks_settled_wh: 0,
				});
				(Some(price_per_kwh), cleared.volume_wh)
			},
			None => {
				round.status = RoundStatus::NoTrade;
				(None, 0)
			},
		};
		round.unsettled = round.orders;
		let bus_id = round.bus_id;
		Self::deposit_event(Event::RoundCleared {
			bus_id,
			round_id,
			price_per_kwh,
			volume_wh,
			bid_wh: round.bid_wh,
			ask_wh: round.ask_wh,
			orders: round.orders,
		});
		if round.unsettled > 0 {
			UnsettledRounds::<T>::insert(round_id, ());
			Rounds::<T>::insert(round_id, round);
		} else {
			// Nothing to settle or to show: an empty round leaves no result.
			Rounds::<T>::remove(round_id);
		}
		if CurrentRound::<T>::get(bus_id) == Some(round_id) {
			CurrentRound::<T>::remove(bus_id);
			let settings = Auctions::<T>::get(bus_id);
			if let (Some(settings), Some(bus)) = (settings, bus) {
				if !ClosingBuses::<T>::contains_key(bus_id) {
					Self::open_round(bus_id, bus.base_price_per_kwh, &settings, now)?;
				}
			}
		}
		Ok(())
	}

	/// Settles an order of a cleared round: a bid receives its fill into its factory and pays
	/// its part at the clearing price, the rest of its payment returned; an ask is paid its
	/// part and gets its unsold energy back; the deposit is released. The last order of a
	/// round moves the round into its bus's results. Emits `OrderSettled` (and `RoundSettled`).
	pub(crate) fn do_settle(order_id: OrderId) -> Result<Side, DispatchError> {
		let order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		let mut round = Rounds::<T>::get(order.round_id).ok_or(Error::<T>::RoundNotFound)?;
		// A bid pays the round's grid fee for what it gets, unless the bus closed and its pot
		// takes no more fees.
		let charges_fee = order.side == Side::Bid
			&& !round.grid_fee_per_kwh.is_zero()
			&& Self::collects_fees(round.bus_id);
		let (filled_wh, amount, fee) = match &mut round.status {
			RoundStatus::Open => return Err(Error::<T>::RoundNotCleared.into()),
			RoundStatus::NoTrade => (0, Zero::zero(), Zero::zero()),
			RoundStatus::Cleared(clearing) => {
				let filled_wh = clearing.fill(order.side, order.limit_tick, order.energy_wh);
				let settled_wh = match order.side {
					Side::Bid => &mut clearing.bids_settled_wh,
					Side::Ask => &mut clearing.asks_settled_wh,
				};
				let before = *settled_wh;
				let after = before.checked_add(filled_wh).ok_or(Error::<T>::Overflow)?;
				*settled_wh = after;
				// This order's part of the round's total at `per_kwh`: the totals of the orders
				// settled so far telescope.
				let part = |per_kwh: BalanceOf<T>| -> Result<BalanceOf<T>, Error<T>> {
					let total = |wh| total_price(wh, per_kwh).ok_or(Error::<T>::Overflow);
					Ok(total(after)?.saturating_sub(total(before)?))
				};
				let fee = if charges_fee { part(round.grid_fee_per_kwh)? } else { Zero::zero() };
				(filled_wh, part(clearing.price_per_kwh)?, fee)
			},
		};
		// What goes back to the order's factory and owner: a bid's energy bought and the rest
		// of its payment (`amount` is at most `ceil(filled × price)` and `fee` at most
		// `ceil(filled × grid fee)`, together at most its escrow); an ask's unsold energy and
		// its proceeds.
		let (energy_wh, money) = match order.side {
			Side::Bid => (filled_wh, order.escrow.saturating_sub(amount).saturating_sub(fee)),
			Side::Ask => (order.energy_wh.saturating_sub(filled_wh), amount),
		};
		if energy_wh > 0 {
			T::Ledger::release(&order.factory, energy_wh)?;
		}
		Self::pay_out(&order.owner, money)?;
		// The fee stays in the market account, in the bus's pot.
		Self::collect_fee(round.bus_id, fee)?;
		round.grid_fees = round.grid_fees.saturating_add(fee);
		round.escrowed = round.escrowed.saturating_sub(money).saturating_sub(fee);
		round.escrowed_wh = round.escrowed_wh.saturating_sub(energy_wh);
		let (refund, returned_wh) = match order.side {
			Side::Bid => (money, 0),
			Side::Ask => (Zero::zero(), energy_wh),
		};
		Self::forget_order(&order)?;
		if filled_wh > 0 {
			round.filled_orders += 1;
		}
		round.unsettled = round.unsettled.saturating_sub(1);
		Self::deposit_event(Event::OrderSettled {
			order_id,
			round_id: order.round_id,
			owner: order.owner.clone(),
			side: order.side,
			filled_wh,
			amount,
			grid_fee: fee,
			refund,
			returned_wh,
		});
		if round.unsettled == 0 {
			Self::finish_round(round);
		} else {
			Rounds::<T>::insert(order.round_id, round);
		}
		Ok(order.side)
	}

	/// A round whose last order settled becomes one of its bus's results; the oldest result
	/// leaves the state when the bus has `MaxRoundResults`.
	fn finish_round(round: RoundOf<T>) {
		let (round_id, bus_id) = (round.id, round.bus_id);
		UnsettledRounds::<T>::remove(round_id);
		Self::deposit_event(Event::RoundSettled {
			round_id,
			filled_orders: round.filled_orders,
			grid_fees: round.grid_fees,
			escrowed: round.escrowed,
		});
		Rounds::<T>::insert(round_id, round);
		RoundHistory::<T>::mutate(bus_id, |history| {
			if history.is_full() {
				let oldest = history.remove(0);
				Rounds::<T>::remove(oldest);
			}
			// Room was made above.
			let _ = history.try_push(round_id);
		});
	}

	/// Settles the orders of cleared rounds, a round at a time, as long as `remaining_weight`
	/// has room for the next (the `settle_orders` benchmark at one more order; with no room
	/// even to read the queue, `settle_orders(0)`, it does nothing). An order that cannot be
	/// settled (which only a bug could cause) is logged and the settling stops until the next
	/// block. Returns its weight: `settle_orders` at the orders it settled.
	pub(crate) fn settle_orders(remaining_weight: Weight) -> Weight {
		if !T::WeightInfo::settle_orders(0).all_lte(remaining_weight) {
			return Weight::zero();
		}
		let mut settled = 0u32;
		while T::WeightInfo::settle_orders(settled + 1).all_lte(remaining_weight) {
			let Some(round_id) = UnsettledRounds::<T>::iter_keys().next() else { break };
			let Some(order_id) = OrdersByRound::<T>::iter_key_prefix(round_id).next() else {
				// Every order of it settled (the round should have left the queue with its last).
				UnsettledRounds::<T>::remove(round_id);
				break;
			};
			let result = with_storage_layer(|| Self::do_settle(order_id));
			settled += 1;
			if let Err(error) = result {
				log::error!(target: LOG_TARGET, "order {order_id} could not be settled: {error:?}");
				break;
			}
		}
		T::WeightInfo::settle_orders(settled)
	}
}
