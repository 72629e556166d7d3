//! `factory`: registering, reading and running factories: balance, history, meter and rating,
//! transfer.

use energy_client::{keys, units, EnergyClient, Error, History, NewFactory};
use serde_json::json;

use crate::{
	account_or_signer,
	args::{Cli, FactoryCmd},
	output::{factory_table, included, outcome_json, table, wh, who, Output},
	signer,
};

/// Runs a `factory` command.
pub async fn run(
	cli: &Cli,
	client: &EnergyClient,
	out: Output,
	command: &FactoryCmd,
) -> Result<(), Error> {
	match command {
		FactoryCmd::Register { id, name, energy_type, owner, meter, rated_power, energy } => {
			let factory = NewFactory {
				id: id.clone(),
				name: name.clone(),
				energy_type: energy_type.clone(),
				owner: keys::account(owner)?,
				meter: meter.as_deref().map(keys::account).transpose()?,
				rated_power_w: *rated_power,
				initial_energy_wh: *energy,
			};
			let outcome = client.register_factory(&signer(cli)?, factory).await?;
			out.show(outcome_json(&outcome, json!({ "factoryId": id })), || {
				format!("registered {id} with {} ({})", wh(*energy), included(&outcome))
			});
		},
		FactoryCmd::Get { id } => {
			let not_found = || Error::NotFound(format!("factory {id}"));
			let factory = client.factory(id).await?.ok_or_else(not_found)?;
			let rating = client.factory_rating(id).await?.ok_or_else(not_found)?;
			let mut answer = json!(factory);
			answer["rating"] = json!(rating);
			out.show(answer, || {
				format!(
					"{}  {}\n  type:       {}\n  energy:     {} ({} Wh)\n  owner:      {}\n  meter:      {}\n  rated:      {}\n  may report: {} of generation now\n  registered: block #{}",
					factory.id,
					factory.name,
					energy_client::views::energy_type_name(&factory.energy_type),
					wh(factory.energy_wh),
					factory.energy_wh,
					who(&factory.owner),
					who(&factory.meter),
					units::format_power(rating.rated_power_w),
					wh(rating.generation_allowance_wh),
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
			out.show(json!({ "factoryId": id, "energyWh": balance }), || {
				format!("{id}: {} ({balance} Wh)", wh(balance))
			});
		},
		FactoryCmd::Mint { id, amount } | FactoryCmd::Consume { id, amount } => {
			let minting = matches!(command, FactoryCmd::Mint { .. });
			let signer = signer(cli)?;
			let report = if minting {
				client.mint_energy(&signer, id, *amount).await?
			} else {
				client.consume_energy(&signer, id, *amount).await?
			};
			let (outcome, balance) = (report.outcome, report.balance_wh);
			out.show(outcome_json(&outcome, json!({ "balanceWh": balance })), || {
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
		FactoryCmd::RequestMeter { id, meter } => {
			let meter = keys::account(meter)?;
			let outcome = client.request_meter(&signer(cli)?, id, meter).await?;
			out.show(outcome_json(&outcome, json!({})), || {
				format!(
					"asked the registrar to make {} {id}'s meter ({})",
					who(&meter),
					included(&outcome)
				)
			});
		},
		FactoryCmd::SetRating { id, rated_power } => {
			let outcome = client.set_rated_power(&signer(cli)?, id, *rated_power).await?;
			out.show(outcome_json(&outcome, json!({})), || {
				format!(
					"{id} is now rated {} ({})",
					units::format_power(*rated_power),
					included(&outcome)
				)
			});
		},
		FactoryCmd::History { id, from_block } => {
			if client.factory(id).await?.is_none() {
				return Err(Error::NotFound(format!("factory {id}")));
			}
			let history = match from_block {
				// The newest page, shown oldest first.
				None => {
					let page = client.history_page(id, None, 100).await?;
					let mut records = page.records;
					records.reverse();
					History { complete_from: page.complete_from, records }
				},
				Some(from) => client.history_since(id, *from).await?,
			};
			out.show(json!(history), || {
				let rows = history
					.records
					.iter()
					.map(|r| {
						vec![
							r.block.to_string(),
							if r.is_final { "yes" } else { "no" }.into(),
							r.kind.clone(),
							wh(r.energy_wh),
							wh(r.balance_wh),
							r.counterparty.as_ref().map(ToString::to_string).unwrap_or_default(),
							r.trade_id.map(|t| t.to_string()).unwrap_or_default(),
							r.total_price.map(units::format_ect).unwrap_or_default(),
						]
					})
					.collect();
				let header =
					["BLOCK", "FINAL", "KIND", "ENERGY", "BALANCE", "OTHER", "TRADE", "PAID"];
				let complete = match history.complete_from {
					Some(block) => {
						format!("this node's history index is complete from block #{block}")
					},
					None => "this node's history index has no block yet".into(),
				};
				format!("{}\n{complete}", table(&header, rows))
			});
		},
	}
	Ok(())
}
