//! `auction`: a bus's periodic double auction: bids and asks in its open round, cancelling
//! and claiming orders, the round, its book, the bus's results, an account's orders.

use std::collections::{btree_map::Entry, BTreeMap};

use energy_client::{
	units,
	views::{OrderSide, OrderView, RoundStatus, RoundView},
	BusId, EnergyClient, Error, NewAsk, NewBid, PlacedOrder, RoundId,
};
use serde_json::{json, Value};

use crate::{
	account_or_signer,
	args::{AuctionCmd, Cli},
	market::nonce,
	output::{included, outcome_json, table, wh, who, Output},
	signer,
};

/// Runs an `auction` command.
pub async fn run(
	cli: &Cli,
	client: &EnergyClient,
	out: Output,
	command: &AuctionCmd,
) -> Result<(), Error> {
	match command {
		AuctionCmd::Round { bus_id } => show_round(client, out, *bus_id).await,
		AuctionCmd::Book { bus_id } => show_book(client, out, *bus_id).await,
		AuctionCmd::Bid { bus_id, amount, price, into, nonce: explicit } => {
			let bid = NewBid {
				bus: *bus_id,
				energy_wh: *amount,
				limit_price_per_kwh: *price,
				into: into.clone(),
				nonce: nonce(*explicit),
			};
			let placed = client.place_bid(&signer(cli)?, bid).await?;
			let what = format!(
				"bid for up to {} into {into} at most {}",
				wh(*amount),
				units::format_price(*price)
			);
			show_placed(client, out, *bus_id, &placed, &what).await
		},
		AuctionCmd::Ask { bus_id, factory, amount, price, nonce: explicit } => {
			let ask = NewAsk {
				bus: *bus_id,
				factory: factory.clone(),
				energy_wh: *amount,
				limit_price_per_kwh: *price,
				nonce: nonce(*explicit),
			};
			let placed = client.place_ask(&signer(cli)?, ask).await?;
			let what = format!(
				"ask of up to {} of {factory} at least {}",
				wh(*amount),
				units::format_price(*price)
			);
			show_placed(client, out, *bus_id, &placed, &what).await
		},
		AuctionCmd::Cancel { order_id } => {
			// What the order holds, to say what came back.
			let order = client.order(*order_id).await?;
			let outcome = client.cancel_order(&signer(cli)?, *order_id).await?;
			out.show(outcome_json(&outcome, json!({ "orderId": order_id })), || {
				let back = match &order {
					Some(o) if o.side == OrderSide::Bid => format!(
						": its {} payment and the {} deposit came back",
						units::format_ect(o.escrow),
						units::format_ect(o.deposit)
					),
					Some(o) => format!(
						": its {} went back to {} and the {} deposit to {}",
						wh(o.energy_wh),
						o.factory,
						units::format_ect(o.deposit),
						who(&o.owner)
					),
					None => String::new(),
				};
				format!("cancelled order {order_id}{back} ({})", included(&outcome))
			});
			Ok(())
		},
		AuctionCmd::Claim { order_id } => {
			let claimed = client.claim(&signer(cli)?, *order_id).await?;
			let s = &claimed.settlement;
			out.show(outcome_json(&claimed.outcome, json!({ "settlement": s })), || {
				let traded = match s.side {
					OrderSide::Bid => {
						let fee = match s.grid_fee {
							0 => String::new(),
							fee => format!(" and a grid fee of {}", units::format_ect(fee)),
						};
						format!(
							"bought {} for {}{fee}; {} refunded",
							wh(s.filled_wh),
							units::format_ect(s.amount),
							units::format_ect(s.refund)
						)
					},
					OrderSide::Ask => format!(
						"sold {} for {}; {} returned",
						wh(s.filled_wh),
						units::format_ect(s.amount),
						wh(s.returned_wh)
					),
				};
				format!(
					"settled order {order_id} of round {} for {}: {traded}; its deposit released ({})",
					s.round_id,
					who(&s.owner),
					included(&claimed.outcome)
				)
			});
			Ok(())
		},
		AuctionCmd::Results { bus_id } => {
			ensure_bus(client, *bus_id).await?;
			let rounds = client.round_results(*bus_id).await?;
			out.show(json!(rounds), || {
				if rounds.is_empty() {
					return format!("bus {bus_id} has no settled rounds yet");
				}
				table(
					&[
						"ROUND",
						"GATE",
						"PRICE",
						"TRADED",
						"BIDS",
						"ASKS",
						"ORDERS",
						"FILLED",
						"GRID FEES",
					],
					rounds
						.iter()
						.map(|r| {
							vec![
								r.id.to_string(),
								format!("#{}", r.gate_closes_at),
								r.price_per_kwh
									.map_or_else(|| "no trade".into(), units::format_price),
								wh(r.volume_wh.unwrap_or(0)),
								wh(r.bid_wh),
								wh(r.ask_wh),
								r.orders.to_string(),
								r.filled_orders.to_string(),
								units::format_ect(r.grid_fees),
							]
						})
						.collect(),
				)
			});
			Ok(())
		},
		AuctionCmd::Orders { account } => {
			let owner = account_or_signer(cli, account)?;
			// The orders and their rounds, read at one block.
			let best = client.best_block().await?;
			let at = client.at_block(best.hash);
			let orders = at.account_orders(&owner).await?;
			let mut rounds: BTreeMap<RoundId, Option<RoundView>> = BTreeMap::new();
			for order in &orders {
				if let Entry::Vacant(slot) = rounds.entry(order.round_id) {
					slot.insert(at.round(order.round_id).await?);
				}
			}
			let stage_of =
				|order: &OrderView| Stage::of(rounds[&order.round_id].as_ref(), best.number);
			let json: Vec<Value> = orders
				.iter()
				.map(|order| {
					let mut value = json!(order);
					value["status"] = json!(stage_of(order).name());
					value
				})
				.collect();
			out.show(json!(json), || {
				if orders.is_empty() {
					return format!("{} has no unsettled orders", who(&owner));
				}
				table(
					&["ID", "ROUND", "BUS", "SIDE", "FACTORY", "ENERGY", "LIMIT", "STATUS"],
					orders
						.iter()
						.map(|o| {
							vec![
								o.id.to_string(),
								o.round_id.to_string(),
								o.bus_id.to_string(),
								o.side.to_string(),
								o.factory.to_string(),
								wh(o.energy_wh),
								units::format_price(o.limit_price_per_kwh),
								stage_of(o).describe(),
							]
						})
						.collect(),
				)
			});
			Ok(())
		},
	}
}

/// Where an order's round stands, seen from the best block.
enum Stage {
	/// It takes orders (and cancellations) through its gate.
	Open { gate: u32 },
	/// Its gate closed; it clears in the next block.
	GateClosed,
	/// It cleared at this price; its orders are being settled.
	Cleared { price: u128 },
	/// It cleared without a trade; its orders are being returned.
	NoTrade,
	/// It is not in the state at the block read (its orders are being settled).
	Settling,
}

impl Stage {
	fn of(round: Option<&RoundView>, best: u64) -> Self {
		match round {
			Some(r) if r.status == RoundStatus::Open && best < u64::from(r.gate_closes_at) => {
				Stage::Open { gate: r.gate_closes_at }
			},
			Some(r) if r.status == RoundStatus::Open => Stage::GateClosed,
			Some(RoundView {
				status: RoundStatus::Cleared, price_per_kwh: Some(price), ..
			}) => Stage::Cleared { price: *price },
			Some(_) => Stage::NoTrade,
			None => Stage::Settling,
		}
	}

	/// Its name in JSON.
	fn name(&self) -> &'static str {
		match self {
			Stage::Open { .. } => "open",
			Stage::GateClosed => "gateClosed",
			Stage::Cleared { .. } => "cleared",
			Stage::NoTrade => "noTrade",
			Stage::Settling => "settling",
		}
	}

	/// What it means for the order, for people.
	fn describe(&self) -> String {
		match self {
			Stage::Open { gate } => format!("open through block #{gate}"),
			Stage::GateClosed => "gate closed, clears next block".into(),
			Stage::Cleared { price } => {
				format!("cleared at {}, settling", units::format_price(*price))
			},
			Stage::NoTrade => "no trade, being returned".into(),
			Stage::Settling => "settling".into(),
		}
	}
}

/// Fails with "bus N not found" for a bus that does not exist.
async fn ensure_bus(client: &EnergyClient, bus_id: BusId) -> Result<(), Error> {
	match client.bus(bus_id).await? {
		Some(_) => Ok(()),
		None => Err(Error::NotFound(format!("bus {bus_id}"))),
	}
}

/// A bus's open round, or why it has none.
async fn open_round(client: &EnergyClient, bus_id: BusId) -> Result<RoundView, Error> {
	ensure_bus(client, bus_id).await?;
	if let Some(round) = client.current_round(bus_id).await? {
		return Ok(round);
	}
	Err(Error::Invalid(match client.auction_settings(bus_id).await? {
		None => format!(
			"bus {bus_id} runs no auctions (its owners turn them on with the bus change \
			 SetAuction)"
		),
		Some(_) => format!(
			"bus {bus_id} has no open round right now: its last round's gate closed and it clears \
			 in the next block, which opens the next round"
		),
	}))
}

/// `auction round`: the open round, its gate, grid and orders.
async fn show_round(client: &EnergyClient, out: Output, bus_id: BusId) -> Result<(), Error> {
	let best = client.best_block().await?;
	let at = client.at_block(best.hash);
	let round = open_round(&at, bus_id).await?;
	let settings = at.auction_settings(bus_id).await?;
	let mut value = json!(round);
	value["bestBlock"] = json!(best.number);
	value["settings"] = json!(settings);
	out.show(value, || {
		let gate = match Stage::of(Some(&round), best.number) {
			Stage::Open { gate } => format!(
				"open, takes orders through block #{gate} (now #{}); clears in the block after",
				best.number
			),
			stage => stage.describe(),
		};
		let fee = match round.grid_fee_per_kwh {
			0 => String::new(),
			fee => format!(
				"\n  grid fee: {} on top of the price for what bids get, to the bus's owners",
				units::format_price(fee)
			),
		};
		let next = settings.map_or_else(String::new, |s| {
			format!("\n  rounds:  {} blocks each, the next opens when this one clears", s.round_length)
		});
		let orders = match round.orders {
			0 => "none yet".to_string(),
			n => format!("{n}: bids for {}, asks of {}", wh(round.bid_wh), wh(round.ask_wh)),
		};
		format!(
			"round {} of bus {bus_id}: {gate}\n  prices:  {} to {} in steps of {} ({} prices){fee}\n  orders:  {orders}{next}",
			round.id,
			units::format_price(round.base_price_per_kwh),
			units::format_price(round.price_cap()),
			units::format_price(round.tick_size),
			round.ticks,
		)
	});
	Ok(())
}

/// `auction book`: the open round's book as a price ladder, highest price first.
async fn show_book(client: &EnergyClient, out: Output, bus_id: BusId) -> Result<(), Error> {
	// The round and its book, read at one block.
	let at = client.at_block(client.best_block().await?.hash);
	let round = open_round(&at, bus_id).await?;
	let book = at
		.round_book(round.id)
		.await?
		.ok_or_else(|| Error::NotFound(format!("the book of round {}", round.id)))?;
	out.show(json!(book), || {
		let title = format!(
			"round {} of bus {bus_id}, taking orders through block #{}",
			round.id, round.gate_closes_at
		);
		if book.levels.is_empty() {
			return format!("{title}: no orders yet");
		}
		let energy = |wh_: u64| if wh_ == 0 { String::new() } else { wh(wh_) };
		let ladder = table(
			&["BIDS", "PRICE", "ASKS"],
			book.levels
				.iter()
				.rev()
				.map(|level| {
					vec![
						energy(level.bid_wh),
						units::format_price(level.price_per_kwh),
						energy(level.ask_wh),
					]
				})
				.collect(),
		);
		format!("{title}\n{ladder}")
	});
	Ok(())
}

/// What `auction bid` or `auction ask` placed (`what` describes the order).
async fn show_placed(
	client: &EnergyClient,
	out: Output,
	bus_id: BusId,
	placed: &PlacedOrder,
	what: &str,
) -> Result<(), Error> {
	let receipt = format!("{:?}", placed.receipt);
	let (order_id, round_id) = (placed.order_id, placed.round_id);
	let Some(outcome) = &placed.outcome else {
		out.show(
			json!({ "alreadyProcessed": true, "orderId": order_id, "roundId": round_id,
				"nonce": placed.nonce, "receipt": receipt }),
			|| {
				format!(
					"already processed: market nonce {} was used by this same order (receipt \
					 {receipt}): it is order {order_id} in round {round_id}; nothing was placed \
					 twice",
					placed.nonce
				)
			},
		);
		return Ok(());
	};
	let order = client.order(order_id).await?;
	let round = client.round(round_id).await?;
	let gate = round.as_ref().map(|round| round.gate_closes_at);
	let fee = round.as_ref().map_or(0, |round| round.grid_fee_per_kwh);
	out.show(
		outcome_json(
			outcome,
			json!({ "alreadyProcessed": false, "orderId": order_id, "roundId": round_id,
				"gateClosesAt": gate, "order": order, "nonce": placed.nonce,
				"receipt": receipt }),
		),
		|| {
			let held = order.as_ref().map_or_else(String::new, |o| {
				let escrow = match o.side {
					OrderSide::Bid if fee > 0 => format!(
						"{} (the payment at your limit and the grid fee of {})",
						units::format_ect(o.escrow),
						units::format_price(fee)
					),
					OrderSide::Bid => {
						format!("{} (the payment at your limit)", units::format_ect(o.escrow))
					},
					OrderSide::Ask => format!("its {} in escrow", wh(o.energy_wh)),
				};
				format!(
					"\nholding {escrow} and a {} deposit until the round settles",
					units::format_ect(o.deposit)
				)
			});
			let cancel =
				gate.map_or_else(String::new, |gate| {
					format!("; cancel it through block #{gate} with `energy-cli auction cancel {order_id}`")
				});
			format!(
				"order {order_id}: {what} in round {round_id} of bus {bus_id} ({}){held}{cancel}\n\
				 market nonce {}, receipt {receipt}",
				included(outcome),
				placed.nonce
			)
		},
	);
	Ok(())
}
