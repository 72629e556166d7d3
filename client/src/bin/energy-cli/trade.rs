//! `trade`: bilateral trades between factories: create, execute, cancel, look up.

use energy_client::{units, EnergyClient, Error, NewTrade};
use serde_json::json;

use crate::{
	args::{Cli, TradeCmd},
	output::{included, outcome_json, table, wh, Output},
	signer,
};

/// Runs a `trade` command.
pub async fn run(
	cli: &Cli,
	client: &EnergyClient,
	out: Output,
	command: &TradeCmd,
) -> Result<(), Error> {
	let trade_row = |t: &energy_client::views::TradeView| {
		vec![
			t.id.to_string(),
			t.seller.to_string(),
			t.buyer.to_string(),
			wh(t.energy_wh),
			units::format_price(t.price_per_kwh),
			units::format_ect(t.total_price),
			t.status.to_string(),
		]
	};
	const HEADER: [&str; 7] = ["ID", "SELLER", "BUYER", "ENERGY", "PRICE", "TOTAL", "STATUS"];
	match command {
		TradeCmd::Create { seller, buyer, amount, price } => {
			let trade = NewTrade {
				seller: seller.clone(),
				buyer: buyer.clone(),
				energy_wh: *amount,
				price_per_kwh: *price,
			};
			let created = client.create_trade(&signer(cli)?, trade).await?;
			let (outcome, trade_id) = (created.outcome, created.id);
			let total = units::total_price(*amount, *price).unwrap_or_default();
			let deposit = client.trade_terms().await?.deposit;
			let extra = json!({ "tradeId": trade_id, "deposit": deposit.to_string() });
			out.show(outcome_json(&outcome, extra), || {
				format!(
					"trade {trade_id}: {seller} sells {} to {buyer} at {} = {} ({})\n\
					 {} deposit held until it is executed or cancelled\n\
					 the buyer's owner executes it with: energy-cli trade execute {trade_id}",
					wh(*amount),
					units::format_price(*price),
					units::format_ect(total),
					included(&outcome),
					units::format_ect(deposit)
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
			let settled = client.execute_trade(&signer(cli)?, *trade_id, max_total).await?;
			let (outcome, paid) = (settled.outcome, settled.paid);
			let extra = json!({ "tradeId": trade_id, "paid": paid.to_string() });
			out.show(outcome_json(&outcome, extra), || {
				format!(
					"executed trade {trade_id}, paid {} ({})",
					units::format_ect(paid),
					included(&outcome)
				)
			});
		},
		TradeCmd::Cancel { trade_id } => {
			let outcome = client.cancel_trade(&signer(cli)?, *trade_id).await?;
			out.show(outcome_json(&outcome, json!({ "tradeId": trade_id })), || {
				format!(
					"cancelled trade {trade_id}; the energy went back to the seller, the deposit to \
					 its creator ({})",
					included(&outcome)
				)
			});
		},
		TradeCmd::Get { trade_id } => {
			let trade = client.trade(*trade_id).await?.ok_or_else(|| {
				Error::NotFound(format!(
					"trade {trade_id} (a finished trade leaves the chain's state after the trade \
					 retention; its factories' history keeps it: energy-cli factory history ID)"
				))
			})?;
			out.show(json!(trade), || table(&HEADER, vec![trade_row(&trade)]));
		},
		TradeCmd::List { factory } => {
			if client.factory(factory).await?.is_none() {
				return Err(Error::NotFound(format!("factory {factory}")));
			}
			let trades = client.trades_of_factory(factory).await?;
			let retention = client.trade_terms().await?.retention_blocks;
			out.show(json!(trades), || {
				format!(
					"{}\npending trades, and those finished in the last {retention} blocks \
					 (older ones: energy-cli factory history {factory})",
					table(&HEADER, trades.iter().map(trade_row).collect())
				)
			});
		},
	}
	Ok(())
}
