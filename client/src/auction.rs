//! The energy-bus auctions (pallet-energy-bus's periodic double auctions): bids and asks in a
//! bus's open round, with market nonces handled as for purchases; cancelling and claiming
//! orders; and the rounds, their books, a bus's results and an account's orders.

use serde::{Deserialize, Serialize};

use crate::{
	keys::{self, Signer},
	receipt,
	runtime::{self, energy_bus::events},
	units,
	views::{self, AuctionSettingsView, OrderSide, OrderView, RoundBookView, RoundView},
	AccountId, Balance, BusId, EnergyClient, EnergyWh, Error, FactoryId, Hash, NonceChoice,
	OrderId, RoundId, TxOutcome,
};

/// A bid to place in a bus's open round (see [`EnergyClient::place_bid`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBid {
	/// The bus, which runs auctions.
	pub bus: BusId,
	/// The most energy to buy, in Wh.
	pub energy_wh: EnergyWh,
	/// The most the buyer pays per kWh before the round's grid fee, in plancks: a price of the
	/// round's grid (`base + k × tick_size`, see [`EnergyClient::current_round`]).
	pub limit_price_per_kwh: Balance,
	/// The buyer's factory that receives the energy.
	pub into: FactoryId,
	/// Which market nonce the call carries.
	pub nonce: NonceChoice,
}

/// An ask to place in a bus's open round (see [`EnergyClient::place_ask`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAsk {
	/// The bus, which runs auctions.
	pub bus: BusId,
	/// The seller's factory the energy comes from; it goes into the market escrow.
	pub factory: FactoryId,
	/// The most energy to sell, in Wh.
	pub energy_wh: EnergyWh,
	/// The least the seller takes per kWh, in plancks: a price of the round's grid.
	pub limit_price_per_kwh: Balance,
	/// Which market nonce the call carries.
	pub nonce: NonceChoice,
}

/// An order placed in a round.
#[derive(Clone, Debug)]
pub struct PlacedOrder {
	/// The order's id (for [`EnergyClient::cancel_order`] and [`EnergyClient::claim`]).
	pub order_id: OrderId,
	/// The round it is in.
	pub round_id: RoundId,
	/// The market nonce it used.
	pub nonce: u64,
	/// Its receipt hash (see [`EnergyClient::is_transaction_processed`]).
	pub receipt: Hash,
	/// The write, or `None` when this exact call had already run (the chain refused the repeat
	/// with `NonceAlreadyUsed` and holds its receipt): the order is the one placed then.
	pub outcome: Option<TxOutcome>,
}

impl PlacedOrder {
	/// Whether the call had already run, so this attempt placed nothing more.
	pub fn already_processed(&self) -> bool {
		self.outcome.is_none()
	}
}

/// How an order was settled, from an `OrderSettled` event: a bid received `filled_wh`, paid
/// `amount` and the grid fee on top (`refund` of its payment came back); an ask sold
/// `filled_wh`, was paid `amount` and got `returned_wh` back. Its deposit was released either
/// way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settlement {
	/// The order.
	pub order_id: OrderId,
	/// Its round.
	pub round_id: RoundId,
	/// Its owner, who received everything.
	pub owner: AccountId,
	/// Bid or ask.
	pub side: OrderSide,
	/// The energy traded, in Wh.
	pub filled_wh: EnergyWh,
	/// What the bid paid or the ask was paid, at the clearing price, in plancks.
	#[serde(with = "views::amount")]
	pub amount: Balance,
	/// The grid fee the bid paid the bus's owners on top, in plancks (0 for an ask).
	#[serde(with = "views::amount")]
	pub grid_fee: Balance,
	/// The part of a bid's payment that came back, in plancks (0 for an ask).
	#[serde(with = "views::amount")]
	pub refund: Balance,
	/// An ask's unsold energy that came back, in Wh (0 for a bid).
	pub returned_wh: EnergyWh,
}

impl From<events::OrderSettled> for Settlement {
	fn from(event: events::OrderSettled) -> Self {
		Self {
			order_id: OrderId(event.order_id),
			round_id: RoundId(event.round_id),
			owner: event.owner,
			side: event.side.into(),
			filled_wh: event.filled_wh,
			amount: event.amount,
			grid_fee: event.grid_fee,
			refund: event.refund,
			returned_wh: event.returned_wh,
		}
	}
}

/// An order settled by [`EnergyClient::claim`].
#[derive(Clone, Debug)]
pub struct Claimed {
	/// The write.
	pub outcome: TxOutcome,
	/// What the order traded and got back.
	pub settlement: Settlement,
}

/// `error` with `detail` added, if it is a pallet error (which carries details).
fn with_detail(error: Error, detail: String) -> Error {
	match error {
		Error::Pallet { pallet, name, docs, .. } => {
			Error::Pallet { pallet, name, docs, detail: Some(detail) }
		},
		other => other,
	}
}

impl EnergyClient {
	/// Bids in the open round of a bus: buys up to `energy_wh` into the buyer's factory at
	/// most at the limit price. The payment at the limit, plus the round's grid fee, moves to
	/// the market account and the order deposit (1 ECT) is held until the round settles; the
	/// bid then pays the clearing price and the grid fee for what it gets, and the rest comes
	/// back. With [`NonceChoice::Next`] the market
	/// nonce is handled for the caller; a repeat of a call that already ran places nothing
	/// twice and answers with the order placed then.
	///
	/// A limit off the round's grid fails with `EnergyBus::PriceNotOnGrid`, whose detail tells
	/// the round's prices.
	pub async fn place_bid(&self, buyer: &Signer, bid: NewBid) -> Result<PlacedOrder, Error> {
		let who = keys::account_of(buyer);
		self.place_order(
			buyer,
			bid.bus,
			bid.nonce,
			|n| receipt::bid_receipt(&who, n, &bid),
			|n| {
				runtime::tx().energy_bus().place_bid(
					bid.bus.0,
					bid.energy_wh,
					bid.limit_price_per_kwh,
					bid.into.encoded(),
					n,
				)
			},
		)
		.await
	}

	/// Asks in the open round of a bus: sells up to `energy_wh` of the seller's factory at
	/// least at the limit price. The energy goes into the market escrow and the order deposit
	/// is held until the round settles; the ask is then paid the clearing price for what it
	/// sells, and its unsold energy comes back. Nonces and errors as for
	/// [`EnergyClient::place_bid`].
	pub async fn place_ask(&self, seller: &Signer, ask: NewAsk) -> Result<PlacedOrder, Error> {
		let who = keys::account_of(seller);
		self.place_order(
			seller,
			ask.bus,
			ask.nonce,
			|n| receipt::ask_receipt(&who, n, &ask),
			|n| {
				runtime::tx().energy_bus().place_ask(
					ask.bus.0,
					ask.factory.encoded(),
					ask.energy_wh,
					ask.limit_price_per_kwh,
					n,
				)
			},
		)
		.await
	}

	/// Places a bid or an ask as a buying call (market nonce and receipt), and reads the
	/// order it placed.
	async fn place_order<C: subxt::transactions::Payload>(
		&self,
		owner: &Signer,
		bus: BusId,
		nonce: NonceChoice,
		receipt_of: impl Fn(u64) -> Hash,
		call_with: impl Fn(u64) -> C,
	) -> Result<PlacedOrder, Error> {
		let done = match self.buying_call(owner, nonce, receipt_of, call_with).await {
			Ok(done) => done,
			Err(error) if error.is_pallet_error("EnergyBus", "PriceNotOnGrid") => {
				return Err(match self.current_round(bus).await {
					Ok(Some(round)) => with_detail(error, grid_of(&round)),
					_ => error,
				})
			},
			Err(error) => return Err(error),
		};
		let (order_id, round_id) = match &done.outcome {
			Some(outcome) => {
				let placed = outcome.expect_event::<events::OrderPlaced>("the new order")?;
				(OrderId(placed.order_id), RoundId(placed.round_id))
			},
			None => {
				// The call ran before: its order carries the nonce, unless it settled since.
				let orders = self.account_orders(&keys::account_of(owner)).await?;
				let order =
					orders.into_iter().find(|o| o.nonce == Some(done.nonce)).ok_or_else(|| {
						Error::Invalid(format!(
							"market nonce {} was used by this same order already (receipt \
							 {:?}); it has been settled or cancelled since",
							done.nonce, done.receipt
						))
					})?;
				(order.id, order.round_id)
			},
		};
		Ok(PlacedOrder {
			order_id,
			round_id,
			nonce: done.nonce,
			receipt: done.receipt,
			outcome: done.outcome,
		})
	}

	/// Cancels an order before its round's gate closes (`EnergyBus::GateClosed` after): the
	/// bid's payment or the ask's energy, and the deposit, go back at once. Signed by the
	/// order's owner.
	pub async fn cancel_order(&self, owner: &Signer, order: OrderId) -> Result<TxOutcome, Error> {
		let call = runtime::tx().energy_bus().cancel_order(order.0);
		match self.submit(owner, call).await {
			Ok(outcome) => {
				outcome.expect_event::<events::OrderCancelled>("the cancelled order")?;
				Ok(outcome)
			},
			Err(error) => Err(self.explain_missing_order(error, order).await),
		}
	}

	/// Settles an order of a cleared round now, rather than waiting for the chain to do it
	/// (it settles every order of a cleared round by itself in the blocks after it clears,
	/// often the very block). Anyone may call; everything goes to the order's owner. Fails
	/// with `EnergyBus::RoundNotCleared` before the round cleared, and with
	/// `EnergyBus::OrderNotFound` for an order that was settled already (its detail says
	/// which of the two it is: settled or cancelled, or never placed).
	pub async fn claim(&self, caller: &Signer, order: OrderId) -> Result<Claimed, Error> {
		let call = runtime::tx().energy_bus().claim(order.0);
		let outcome = match self.submit(caller, call).await {
			Ok(outcome) => outcome,
			Err(error) => return Err(self.explain_missing_order(error, order).await),
		};
		let settled = outcome.expect_event::<events::OrderSettled>("the settlement")?;
		Ok(Claimed { settlement: settled.into(), outcome })
	}

	/// `error`, with a detail saying why the order is missing when it is
	/// `EnergyBus::OrderNotFound`: settled or cancelled already, or never placed.
	async fn explain_missing_order(&self, error: Error, order: OrderId) -> Error {
		if !error.is_pallet_error("EnergyBus", "OrderNotFound") {
			return error;
		}
		let next = async {
			let at = self.at_query_block().await?;
			let next =
				at.storage().fetch(runtime::storage().energy_bus().next_order_id(), ()).await?;
			Ok::<_, Error>(next.decode()?)
		};
		match next.await {
			Ok(next) if order.0 < next => with_detail(
				error,
				format!(
					"order {order} was placed and has been settled or cancelled since: the chain \
					 settles every order of a cleared round by itself, and its OrderSettled \
					 event tells what it traded"
				),
			),
			Ok(next) => with_detail(
				error,
				format!("no order {order} was placed yet; the next order gets id {next}"),
			),
			Err(_) => error,
		}
	}

	/// A bus's auction settings, or `None` if it runs no auctions.
	pub async fn auction_settings(&self, bus: BusId) -> Result<Option<AuctionSettingsView>, Error> {
		let call = runtime::runtime_apis().energy_bus_api().auction_settings(bus.0);
		Ok(self.runtime_api(call).await?.map(AuctionSettingsView::from))
	}

	/// A bus's open round (orders go into it up to its gate), or `None`: the bus runs no
	/// auctions, or its last round's gate closed and it waits to clear (the next round opens
	/// when it clears, normally in the block after the gate).
	pub async fn current_round(&self, bus: BusId) -> Result<Option<RoundView>, Error> {
		let call = runtime::runtime_apis().energy_bus_api().current_round(bus.0);
		Ok(self.runtime_api(call).await?.map(RoundView::from))
	}

	/// A round: open, waiting to clear, settling, or one of its bus's results; `None` once it
	/// left the state (or if it never existed).
	pub async fn round(&self, round: RoundId) -> Result<Option<RoundView>, Error> {
		let call = runtime::runtime_apis().energy_bus_api().round(round.0);
		Ok(self.runtime_api(call).await?.map(RoundView::from))
	}

	/// An open round's book: the prices that hold orders, lowest first, with the energy bid
	/// and asked at each; `None` once the round has cleared.
	pub async fn round_book(&self, round: RoundId) -> Result<Option<RoundBookView>, Error> {
		// The round (for its prices) and its book, read at one block.
		let at = self.at_query_block().await?;
		let api = runtime::runtime_apis().energy_bus_api();
		let Some(found) = at.runtime_apis().call(api.round(round.0)).await? else {
			return Ok(None);
		};
		let book = at.runtime_apis().call(api.round_book(round.0)).await?;
		Ok(book.map(|book| RoundBookView::new(&RoundView::from(found), book)))
	}

	/// A bus's last settled rounds (its results), newest first: each with its clearing price
	/// and the energy traded.
	pub async fn round_results(&self, bus: BusId) -> Result<Vec<RoundView>, Error> {
		let call = runtime::runtime_apis().energy_bus_api().round_results(bus.0);
		Ok(self.runtime_api(call).await?.into_iter().map(RoundView::from).collect())
	}

	/// An account's unsettled orders (at most 16), in id order. An order leaves once it is
	/// settled or cancelled.
	pub async fn account_orders(&self, who: &AccountId) -> Result<Vec<OrderView>, Error> {
		let call = runtime::runtime_apis().energy_bus_api().account_orders(*who);
		Ok(self.runtime_api(call).await?.into_iter().map(OrderView::from).collect())
	}

	/// An unsettled order, or `None` once it is settled or cancelled.
	pub async fn order(&self, order: OrderId) -> Result<Option<OrderView>, Error> {
		let at = self.at_query_block().await?;
		let found =
			at.storage().try_fetch(runtime::storage().energy_bus().orders(), (order.0,)).await?;
		Ok(match found {
			Some(value) => Some(OrderView::from(value.decode()?)),
			None => None,
		})
	}
}

/// A round's prices in words, for `PriceNotOnGrid`.
fn grid_of(round: &RoundView) -> String {
	format!(
		"round {} of bus {} takes limits from {} to {} in steps of {}",
		round.id,
		round.bus_id,
		units::format_price(round.base_price_per_kwh),
		units::format_price(round.price_cap()),
		units::format_price(round.tick_size)
	)
}
