//! `energy-cli`: every operation of Energy Chain's factory ledger and energy-bus market from the
//! command line, on top of the `energy-client` library. `energy-cli --help` explains it.

mod args;
mod output;

use std::process::ExitCode;

use clap::Parser;
use energy_client::{
	keys, parse_energy_type, units, views::MarketParamsView, BusChangeRequest, ChangeOutcome,
	EnergyClient, Error, NewFactory, NonceChoice, PurchaseOutcome, WaitFor,
};
use serde_json::{json, Value};

use args::{BusCmd, Cli, Command, FactoryCmd, OfferCmd, TradeCmd, TxCmd};
use output::{events_text, included, outcome_json, table, wh, who, Output};

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	let out = Output { json: cli.json };
	match run(cli, out).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			if out.json {
				println!("{}", output::error_json(&error));
			} else {
				eprintln!("error: {error}");
			}
			ExitCode::from(output::exit_code(&error) as u8)
		},
	}
}

/// The signer from `--suri`, `--suri-file` or `ENERGY_SURI`.
fn signer(cli: &Cli) -> Result<keys::Signer, Error> {
	match (&cli.suri, &cli.suri_file) {
		(Some(suri), _) => keys::signer(suri),
		(None, Some(path)) => keys::signer_from_file(path),
		(None, None) => Err(Error::BadKey(
			"this command signs a transaction: pass --suri //Alice (or --suri-file, or set \
			 ENERGY_SURI)"
				.into(),
		)),
	}
}

/// The given account, or the signer's.
fn account_or_signer(
	cli: &Cli,
	account: &Option<String>,
) -> Result<energy_client::AccountId, Error> {
	match account {
		Some(text) => keys::account(text),
		None => signer(cli).map(|signer| keys::account_of(&signer)),
	}
}

async fn run(cli: Cli, out: Output) -> Result<(), Error> {
	let spinner = out.spinner();
	let mut client = EnergyClient::connect(&cli.url).await?;
	if cli.finalized {
		client = client.wait_for(WaitFor::Finalized);
	}
	if let Some(bar) = spinner.clone() {
		client =
			client.on_progress(move |progress| bar.set_message(output::progress_message(progress)));
	}
	let result = dispatch(&cli, &client, out).await;
	if let Some(bar) = spinner {
		bar.finish_and_clear();
	}
	result
}

async fn dispatch(cli: &Cli, client: &EnergyClient, out: Output) -> Result<(), Error> {
	match &cli.command {
		Command::Factory(command) => factory(cli, client, out, command).await,
		Command::Trade(command) => trade(cli, client, out, command).await,
		Command::Bus(command) => bus(cli, client, out, command).await,
		Command::Offer(command) => offer(cli, client, out, command).await,
		Command::Buy(buy) => {
			let max_price = match buy.max_price {
				Some(price) => price,
				None => offer_price(client, buy.offer_id).await?,
			};
			let done = client
				.purchase(
					&signer(cli)?,
					buy.offer_id,
					buy.amount,
					max_price,
					&buy.into,
					nonce(buy.nonce),
				)
				.await?;
			show_purchase(out, &done, &buy.into);
			Ok(())
		},
		Command::BatchBuy(batch) => {
			let mut items = Vec::new();
			for item in &batch.items {
				let price = match item.max_price_per_kwh {
					Some(price) => price,
					None => offer_price(client, item.offer_id).await?,
				};
				items.push(item.with_price(price));
			}
			let done = client
				.batch_purchase(&signer(cli)?, &items, &batch.into, nonce(batch.nonce))
				.await?;
			show_purchase(out, &done, &batch.into);
			Ok(())
		},
		Command::Lock(lock) => {
			let done = client
				.lock_offer(&signer(cli)?, lock.offer_id, lock.amount, nonce(lock.nonce))
				.await?;
			out.show(
				outcome_json(
					&done.outcome,
					json!({ "lock_id": done.lock_id, "held": done.held, "expires_at": done.expires_at,
						"nonce": done.nonce, "receipt": format!("{:?}", done.receipt) }),
				),
				|| {
					format!(
						"locked {} of offer {} as lock {} ({}), holding {} until block #{}\n\
						 market nonce {}, receipt {:?}",
						wh(lock.amount),
						lock.offer_id,
						done.lock_id,
						included(&done.outcome),
						units::format_ect(done.held),
						done.expires_at,
						done.nonce,
						done.receipt
					)
				},
			);
			Ok(())
		},
		Command::Unlock { lock_id } => {
			let outcome = client.release_lock(&signer(cli)?, *lock_id).await?;
			out.show(outcome_json(&outcome, json!({ "lock_id": lock_id })), || {
				format!("released lock {lock_id} ({})", included(&outcome))
			});
			Ok(())
		},
		Command::Tx(TxCmd::Processed { receipt }) => {
			let hash = parse_hash(receipt)?;
			let processed = client.is_transaction_processed(hash).await?;
			out.show(json!({ "receipt": receipt, "processed": processed }), || {
				if processed {
					format!("{receipt}: processed (a buying call with this receipt ran)")
				} else {
					format!("{receipt}: not processed (or older than the receipt retention)")
				}
			});
			Ok(())
		},
		Command::Nonce { account } => {
			let who_ = account_or_signer(cli, account)?;
			let nonce = client.market_nonce(&who_).await?;
			out.show(json!({ "account": who_, "market_nonce": nonce }), || {
				format!("{}: next market nonce {nonce}", who(&who_))
			});
			Ok(())
		},
		Command::Purchases { account } => {
			let buyer = account_or_signer(cli, account)?;
			let purchases = client.purchases(&buyer).await?;
			out.show(json!(purchases), || {
				table(
					&["ID", "OFFER", "BUS", "INTO", "ENERGY", "PRICE", "PAID", "BLOCK"],
					purchases
						.iter()
						.map(|p| {
							vec![
								p.id.to_string(),
								p.offer_id.to_string(),
								p.bus_id.to_string(),
								p.into_factory.clone(),
								wh(p.energy_wh),
								units::format_price(p.price_per_kwh),
								units::format_ect(p.total_price),
								p.block.to_string(),
							]
						})
						.collect(),
				)
			});
			Ok(())
		},
		Command::Watch(watch) => watch_events(client, out, watch).await,
	}
}

fn nonce(explicit: Option<u64>) -> NonceChoice {
	explicit.map(NonceChoice::Exactly).unwrap_or_default()
}

fn parse_hash(text: &str) -> Result<energy_client::Hash, Error> {
	let bytes = hex::decode(text.trim().trim_start_matches("0x"))
		.map_err(|_| Error::Invalid(format!("{text:?} is not a hex hash")))?;
	let raw: [u8; 32] =
		bytes.try_into().map_err(|_| Error::Invalid(format!("{text:?} is not 32 bytes")))?;
	Ok(energy_client::Hash::from(raw))
}

async fn offer_price(client: &EnergyClient, offer_id: u64) -> Result<u128, Error> {
	client
		.offer(offer_id)
		.await?
		.map(|offer| offer.price_per_kwh)
		.ok_or_else(|| Error::NotFound(format!("offer {offer_id}")))
}

fn show_purchase(out: Output, done: &PurchaseOutcome, into: &str) {
	let receipt = format!("{:?}", done.receipt);
	let Some(outcome) = &done.outcome else {
		out.show(
			json!({ "already_processed": true, "nonce": done.nonce, "receipt": receipt }),
			|| {
				format!(
					"already processed: market nonce {} was used by this same call (receipt \
					 {receipt}); nothing was bought twice",
					done.nonce
				)
			},
		);
		return;
	};
	out.show(
		outcome_json(
			outcome,
			json!({ "already_processed": false, "nonce": done.nonce, "receipt": receipt,
				"purchases": done.purchases }),
		),
		|| {
			let lines: Vec<String> = done
				.purchases
				.iter()
				.map(|p| {
					format!(
						"bought {} of offer {} into {into} for {} (purchase {})",
						wh(p.energy_wh),
						p.offer_id,
						units::format_ect(p.total_price),
						p.purchase_id
					)
				})
				.collect();
			format!(
				"{}\n{}; market nonce {}, receipt {receipt}",
				lines.join("\n"),
				included(outcome),
				done.nonce
			)
		},
	);
}

fn factory_table(factories: &[energy_client::views::FactoryView]) -> String {
	table(
		&["ID", "NAME", "TYPE", "ENERGY", "OWNER"],
		factories
			.iter()
			.map(|f| {
				vec![
					f.id.clone(),
					f.name.clone(),
					f.energy_type.clone(),
					wh(f.energy_wh),
					who(&f.owner),
				]
			})
			.collect(),
	)
}

async fn factory(
	cli: &Cli,
	client: &EnergyClient,
	out: Output,
	command: &FactoryCmd,
) -> Result<(), Error> {
	match command {
		FactoryCmd::Register { id, name, energy_type, owner, meter, energy } => {
			let factory = NewFactory {
				id: id.clone(),
				name: name.clone(),
				energy_type: parse_energy_type(energy_type)?,
				owner: keys::account(owner)?,
				meter: meter.as_deref().map(keys::account).transpose()?,
				initial_energy_wh: *energy,
			};
			let outcome = client.register_factory(&signer(cli)?, factory).await?;
			out.show(outcome_json(&outcome, json!({ "factory_id": id })), || {
				format!("registered {id} with {} ({})", wh(*energy), included(&outcome))
			});
		},
		FactoryCmd::Get { id } => {
			let factory = client
				.factory(id)
				.await?
				.ok_or_else(|| Error::NotFound(format!("factory {id}")))?;
			out.show(json!(factory), || {
				format!(
					"{}  {}\n  type:       {}\n  energy:     {} ({} Wh)\n  owner:      {}\n  meter:      {}\n  registered: block #{}",
					factory.id,
					factory.name,
					factory.energy_type,
					wh(factory.energy_wh),
					factory.energy_wh,
					who(&factory.owner),
					who(&factory.meter),
					factory.registered_at
				)
			});
		},
		FactoryCmd::List => {
			let factories = client.all_factories().await?;
			out.show(json!(factories), || factory_table(&factories));
		},
		FactoryCmd::Mine { account } => {
			let owner = account_or_signer(cli, account)?;
			let factories = client.owner_factories(&owner).await?;
			out.show(json!(factories), || factory_table(&factories));
		},
		FactoryCmd::Balance { id } => {
			let balance = client.energy_balance(id).await?;
			out.show(json!({ "factory_id": id, "energy_wh": balance }), || {
				format!("{id}: {} ({balance} Wh)", wh(balance))
			});
		},
		FactoryCmd::Mint { id, amount } | FactoryCmd::Consume { id, amount } => {
			let minting = matches!(command, FactoryCmd::Mint { .. });
			let signer = signer(cli)?;
			let outcome = if minting {
				client.mint_energy(&signer, id, *amount).await?
			} else {
				client.consume_energy(&signer, id, *amount).await?
			};
			let balance = outcome
				.events
				.iter()
				.find(|e| e.name == "EnergyMinted" || e.name == "EnergyConsumed")
				.and_then(|e| e.fields.get("balance_wh"))
				.and_then(Value::as_u64)
				.unwrap_or_default();
			out.show(outcome_json(&outcome, json!({ "balance_wh": balance })), || {
				let verb = if minting { "minted" } else { "consumed" };
				format!(
					"{verb} {} for {id}; it now holds {} ({})",
					wh(*amount),
					wh(balance),
					included(&outcome)
				)
			});
		},
		FactoryCmd::Transfer { from, to, amount } => {
			let outcome = client.transfer_energy(&signer(cli)?, from, to, *amount).await?;
			out.show(outcome_json(&outcome, json!({})), || {
				format!("moved {} from {from} to {to} ({})", wh(*amount), included(&outcome))
			});
		},
		FactoryCmd::SetMeter { id, meter } => {
			let meter = keys::account(meter)?;
			let outcome = client.set_meter(&signer(cli)?, id, meter).await?;
			out.show(outcome_json(&outcome, json!({})), || {
				format!("{id} is now metered by {} ({})", who(&meter), included(&outcome))
			});
		},
		FactoryCmd::History { id, from_block } => {
			if client.factory(id).await?.is_none() {
				return Err(Error::NotFound(format!("factory {id}")));
			}
			match from_block {
				None => {
					let records = client.recent_history(id).await?;
					out.show(json!(records), || {
						table(
							&["BLOCK", "KIND", "ENERGY", "BALANCE", "OTHER", "TRADE", "PAID"],
							records
								.iter()
								.map(|r| {
									vec![
										r.block.to_string(),
										r.kind.clone(),
										wh(r.energy_wh),
										wh(r.balance_wh),
										r.counterparty.clone().unwrap_or_default(),
										r.trade_id.map(|t| t.to_string()).unwrap_or_default(),
										r.total_price.map(units::format_ect).unwrap_or_default(),
									]
								})
								.collect(),
						)
					});
				},
				Some(from) => {
					let bar = out.spinner();
					let events = client
						.factory_history_from_events(id, *from, |n, best| {
							if let Some(bar) = &bar {
								bar.set_message(format!("reading block {n} of {best}"));
							}
						})
						.await?;
					if let Some(bar) = bar {
						bar.finish_and_clear();
					}
					out.show(json!(events), || {
						table(
							&["BLOCK", "EVENT", "FIELDS"],
							events
								.iter()
								.map(|h| {
									vec![
										h.block.to_string(),
										format!("{}.{}", h.event.pallet, h.event.name),
										h.event.fields.to_string(),
									]
								})
								.collect(),
						)
					});
				},
			}
		},
	}
	Ok(())
}

async fn trade(
	cli: &Cli,
	client: &EnergyClient,
	out: Output,
	command: &TradeCmd,
) -> Result<(), Error> {
	let trade_row = |t: &energy_client::views::TradeView| {
		vec![
			t.id.to_string(),
			t.seller.clone(),
			t.buyer.clone(),
			wh(t.energy_wh),
			units::format_price(t.price_per_kwh),
			units::format_ect(t.total_price),
			t.status.clone(),
		]
	};
	const HEADER: [&str; 7] = ["ID", "SELLER", "BUYER", "ENERGY", "PRICE", "TOTAL", "STATUS"];
	match command {
		TradeCmd::Create { seller, buyer, amount, price } => {
			let (outcome, trade_id) =
				client.create_trade(&signer(cli)?, seller, buyer, *amount, *price).await?;
			let total = units::total_price(*amount, *price).unwrap_or_default();
			out.show(outcome_json(&outcome, json!({ "trade_id": trade_id })), || {
				format!(
					"trade {trade_id}: {seller} sells {} to {buyer} at {} = {} ({})\n\
					 the buyer's owner executes it with: energy-cli trade execute {trade_id}",
					wh(*amount),
					units::format_price(*price),
					units::format_ect(total),
					included(&outcome)
				)
			});
		},
		TradeCmd::Execute { trade_id, max_total } => {
			let max_total = match max_total {
				Some(max) => *max,
				None => {
					client
						.trade(*trade_id)
						.await?
						.ok_or_else(|| Error::NotFound(format!("trade {trade_id}")))?
						.total_price
				},
			};
			let outcome = client.execute_trade(&signer(cli)?, *trade_id, max_total).await?;
			let paid = outcome
				.events
				.iter()
				.find(|e| e.name == "TradeExecuted")
				.and_then(|e| e.field("total_price"))
				.and_then(|p| p.trim_matches('"').parse::<u128>().ok())
				.unwrap_or_default();
			out.show(outcome_json(&outcome, json!({ "trade_id": trade_id, "paid": paid })), || {
				format!(
					"executed trade {trade_id}, paid {} ({})",
					units::format_ect(paid),
					included(&outcome)
				)
			});
		},
		TradeCmd::Cancel { trade_id } => {
			let outcome = client.cancel_trade(&signer(cli)?, *trade_id).await?;
			out.show(outcome_json(&outcome, json!({ "trade_id": trade_id })), || {
				format!(
					"cancelled trade {trade_id}; the energy went back to the seller ({})",
					included(&outcome)
				)
			});
		},
		TradeCmd::Get { trade_id } => {
			let trade = client
				.trade(*trade_id)
				.await?
				.ok_or_else(|| Error::NotFound(format!("trade {trade_id}")))?;
			out.show(json!(trade), || table(&HEADER, vec![trade_row(&trade)]));
		},
		TradeCmd::List { factory } => {
			if client.factory(factory).await?.is_none() {
				return Err(Error::NotFound(format!("factory {factory}")));
			}
			let trades = client.trades_of_factory(factory).await?;
			out.show(json!(trades), || table(&HEADER, trades.iter().map(trade_row).collect()));
		},
	}
	Ok(())
}

fn show_change(out: Output, change: &ChangeOutcome, what: &str) {
	match change {
		ChangeOutcome::Applied { outcome } => out
			.show(outcome_json(outcome, json!({ "applied": true })), || {
				format!("{what}: done ({})", included(outcome))
			}),
		ChangeOutcome::Proposed { outcome, approvals, threshold } => out.show(
			outcome_json(
				outcome,
				json!({ "applied": false, "approvals": approvals, "threshold": threshold }),
			),
			|| {
				format!(
					"{what}: proposed, {approvals} of {threshold} owners agree ({}); other owners \
					 approve it with `energy-cli bus approve`",
					included(outcome)
				)
			},
		),
	}
}

async fn bus(cli: &Cli, client: &EnergyClient, out: Output, command: &BusCmd) -> Result<(), Error> {
	let change = |bus_id: u32, request: BusChangeRequest, what: String| async move {
		let done = client.request_bus_change(&signer(cli)?, bus_id, request).await?;
		show_change(out, &done, &what);
		Ok::<(), Error>(())
	};
	match command {
		BusCmd::Create { name, owners, capacity, base_price } => {
			let owners = owners.iter().map(|o| keys::account(o)).collect::<Result<Vec<_>, _>>()?;
			let (outcome, bus_id) =
				client.create_bus(&signer(cli)?, name, owners, *capacity, *base_price).await?;
			out.show(outcome_json(&outcome, json!({ "bus_id": bus_id })), || {
				format!("created bus {bus_id} {name:?} ({})", included(&outcome))
			});
		},
		BusCmd::Get { bus_id } => {
			let bus = client
				.bus(*bus_id)
				.await?
				.ok_or_else(|| Error::NotFound(format!("bus {bus_id}")))?;
			out.show(json!(bus), || {
				format!(
					"bus {}  {}\n  owners:      {} (threshold {})\n  capacity:    {} ({} free)\n  base price:  {}\n  open offers: {}\n  creator:     {} (deposit {})",
					bus.id,
					bus.name,
					bus.owners.iter().map(who).collect::<Vec<_>>().join(", "),
					bus.approval_threshold,
					wh(bus.capacity_wh),
					wh(bus.available_wh),
					units::format_price(bus.base_price_per_kwh),
					bus.open_offers,
					who(&bus.creator),
					units::format_ect(bus.deposit)
				)
			});
		},
		BusCmd::List => {
			let buses = client.all_buses().await?;
			out.show(json!(buses), || {
				table(
					&["ID", "NAME", "OWNERS", "CAPACITY", "FREE", "BASE PRICE", "OFFERS"],
					buses
						.iter()
						.map(|b| {
							vec![
								b.id.to_string(),
								b.name.clone(),
								b.owners.iter().map(who).collect::<Vec<_>>().join(", "),
								wh(b.capacity_wh),
								wh(b.available_wh),
								units::format_price(b.base_price_per_kwh),
								b.open_offers.to_string(),
							]
						})
						.collect(),
				)
			});
		},
		BusCmd::Mine { account } => {
			let owner = account_or_signer(cli, account)?;
			let buses = client.user_buses(&owner).await?;
			out.show(json!({ "account": owner, "buses": buses }), || {
				format!(
					"{} co-owns buses: {}",
					who(&owner),
					buses.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
				)
			});
		},
		BusCmd::AddOwner { bus_id, account } => {
			let account = keys::account(account)?;
			let what = format!("add {} to bus {bus_id}", who(&account));
			change(*bus_id, BusChangeRequest::AddOwner(account), what).await?;
		},
		BusCmd::RemoveOwner { bus_id, account } => {
			let account = keys::account(account)?;
			let what = format!("remove {} from bus {bus_id}", who(&account));
			change(*bus_id, BusChangeRequest::RemoveOwner(account), what).await?;
		},
		BusCmd::SetCapacity { bus_id, capacity } => {
			let what = format!("set bus {bus_id}'s capacity to {}", wh(*capacity));
			change(*bus_id, BusChangeRequest::SetCapacity(*capacity), what).await?;
		},
		BusCmd::SetBasePrice { bus_id, price } => {
			let what = format!("set bus {bus_id}'s base price to {}", units::format_price(*price));
			change(*bus_id, BusChangeRequest::SetBasePrice(*price), what).await?;
		},
		BusCmd::SetThreshold { bus_id, threshold } => {
			let what = format!("set bus {bus_id}'s approval threshold to {threshold}");
			change(*bus_id, BusChangeRequest::SetApprovalThreshold(*threshold), what).await?;
		},
		BusCmd::Close { bus_id } => {
			change(*bus_id, BusChangeRequest::Close, format!("close bus {bus_id}")).await?;
		},
		BusCmd::Proposals { bus_id } => {
			let proposals = client.bus_proposals(*bus_id).await?;
			out.show(json!(proposals), || {
				table(
					&["INDEX", "CHANGE", "APPROVED BY", "EXPIRES AT"],
					proposals
						.iter()
						.map(|p| {
							vec![
								p.index.to_string(),
								p.change.clone(),
								p.approvals.iter().map(who).collect::<Vec<_>>().join(", "),
								format!("block #{}", p.expires_at),
							]
						})
						.collect(),
				)
			});
		},
		BusCmd::Approve { bus_id, index } => {
			let done = client.approve_bus_change(&signer(cli)?, *bus_id, *index).await?;
			show_change(out, &done, &format!("approve proposal {index} of bus {bus_id}"));
		},
		BusCmd::Params => {
			let params = client.market_params().await?;
			out.show(json!(params), || {
				format!(
					"lock duration:     {} blocks\nreceipt retention: {} blocks\nproposal lifetime: {} blocks",
					params.lock_duration, params.receipt_retention, params.proposal_lifetime
				)
			});
		},
		BusCmd::SetParams { lock_duration, receipt_retention, proposal_lifetime } => {
			let current = client.market_params().await?;
			let params = MarketParamsView {
				lock_duration: lock_duration.unwrap_or(current.lock_duration),
				receipt_retention: receipt_retention.unwrap_or(current.receipt_retention),
				proposal_lifetime: proposal_lifetime.unwrap_or(current.proposal_lifetime),
			};
			let outcome = client.set_market_params(&signer(cli)?, params.clone()).await?;
			out.show(outcome_json(&outcome, json!({ "params": params })), || {
				format!(
					"market parameters set ({})\n{}",
					included(&outcome),
					events_text(&outcome.events)
				)
			});
		},
	}
	Ok(())
}

async fn offer(
	cli: &Cli,
	client: &EnergyClient,
	out: Output,
	command: &OfferCmd,
) -> Result<(), Error> {
	let offer_row = |o: &energy_client::views::OfferView| {
		vec![
			o.id.to_string(),
			o.bus_id.to_string(),
			o.factory.clone(),
			who(&o.seller),
			wh(o.available_wh),
			wh(o.locked_wh),
			wh(o.sold_wh),
			units::format_price(o.price_per_kwh),
			o.status.clone(),
		]
	};
	const HEADER: [&str; 9] =
		["ID", "BUS", "FACTORY", "SELLER", "AVAILABLE", "LOCKED", "SOLD", "PRICE", "STATUS"];
	match command {
		OfferCmd::Create { bus_id, factory, amount, price } => {
			let (outcome, offer_id) =
				client.create_offer(&signer(cli)?, *bus_id, factory, *amount, *price).await?;
			out.show(outcome_json(&outcome, json!({ "offer_id": offer_id })), || {
				format!(
					"offer {offer_id}: {} of {factory} on bus {bus_id} at {} ({})",
					wh(*amount),
					units::format_price(*price),
					included(&outcome)
				)
			});
		},
		OfferCmd::Cancel { offer_id } => {
			let outcome = client.cancel_offer(&signer(cli)?, *offer_id).await?;
			out.show(outcome_json(&outcome, json!({ "offer_id": offer_id })), || {
				format!("cancelled offer {offer_id} ({})", included(&outcome))
			});
		},
		OfferCmd::Get { offer_id } => {
			let offer = client
				.offer(*offer_id)
				.await?
				.ok_or_else(|| Error::NotFound(format!("offer {offer_id}")))?;
			out.show(json!(offer), || table(&HEADER, vec![offer_row(&offer)]));
		},
		OfferCmd::List { bus_id } => {
			if client.bus(*bus_id).await?.is_none() {
				return Err(Error::NotFound(format!("bus {bus_id}")));
			}
			let offers = client.bus_offers(*bus_id).await?;
			out.show(json!(offers), || table(&HEADER, offers.iter().map(offer_row).collect()));
		},
		OfferCmd::Mine { account } => {
			let seller = account_or_signer(cli, account)?;
			let offers = client.account_offers(&seller).await?;
			out.show(json!(offers), || table(&HEADER, offers.iter().map(offer_row).collect()));
		},
		OfferCmd::Locks { offer_id } => {
			let (locked, locks) = client.offer_locks(*offer_id).await?;
			out.show(json!({ "locked_wh": locked, "locks": locks }), || {
				table(
					&["LOCK", "HOLDER", "ENERGY", "PRICE", "HELD", "EXPIRES AT"],
					locks
						.iter()
						.map(|l| {
							vec![
								l.id.to_string(),
								who(&l.holder),
								wh(l.energy_wh),
								units::format_price(l.price_per_kwh),
								units::format_ect(l.held),
								format!("block #{}", l.expires_at),
							]
						})
						.collect(),
				)
			});
		},
	}
	Ok(())
}

async fn watch_events(
	client: &EnergyClient,
	out: Output,
	watch: &args::WatchArgs,
) -> Result<(), Error> {
	let mut seen = 0;
	let mut blocks = client.watch_blocks(watch.finalized_blocks).await?;
	while let Some(block) = blocks.next().await {
		let (number, events) = block?;
		let events: Vec<_> = events
			.into_iter()
			.filter(|e| watch.all || e.pallet == "EnergyTrading" || e.pallet == "EnergyBus")
			.collect();
		out.show(json!({ "block_number": number, "events": events }), || {
			let mut text = format!("block #{number}");
			if !events.is_empty() {
				for event in &events {
					text.push_str(&format!("\n  {}.{} {}", event.pallet, event.name, event.fields));
				}
			}
			text
		});
		seen += 1;
		if watch.blocks.is_some_and(|limit| seen >= limit) {
			break;
		}
	}
	Ok(())
}
