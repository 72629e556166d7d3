//! `offer`: sellers' offers on a bus: create, cancel, list, look up, locks.

use energy_client::{units, EnergyClient, Error, NewOffer};
use serde_json::json;

use crate::{
	account_or_signer,
	args::{Cli, OfferCmd},
	output::{included, outcome_json, table, wh, who, Output},
	signer,
};

/// Runs an `offer` command.
pub async fn run(
	cli: &Cli,
	client: &EnergyClient,
	out: Output,
	command: &OfferCmd,
) -> Result<(), Error> {
	let offer_row = |o: &energy_client::views::OfferView| {
		vec![
			o.id.to_string(),
			o.bus_id.to_string(),
			o.factory.to_string(),
			who(&o.seller),
			wh(o.available_wh),
			wh(o.locked_wh),
			wh(o.sold_wh),
			units::format_price(o.price_per_kwh),
			o.status.to_string(),
			format!("#{}", o.expires_at),
		]
	};
	const HEADER: [&str; 10] = [
		"ID",
		"BUS",
		"FACTORY",
		"SELLER",
		"AVAILABLE",
		"LOCKED",
		"SOLD",
		"PRICE",
		"STATUS",
		"ENDS AFTER",
	];
	match command {
		OfferCmd::Create { bus_id, factory, amount, price } => {
			let offer = NewOffer {
				bus: *bus_id,
				factory: factory.clone(),
				energy_wh: *amount,
				price_per_kwh: *price,
			};
			let created = client.create_offer(&signer(cli)?, offer).await?;
			let (outcome, offer_id) = (created.outcome, created.id);
			let expires_at = client.offer(offer_id).await?.map(|offer| offer.expires_at);
			let extra = json!({ "offerId": offer_id, "expiresAt": expires_at });
			out.show(outcome_json(&outcome, extra), || {
				let end = expires_at.map_or_else(String::new, |block| {
					format!("\nopen through block #{block}; then its unsold energy returns")
				});
				format!(
					"offer {offer_id}: {} of {factory} on bus {bus_id} at {} ({}){end}",
					wh(*amount),
					units::format_price(*price),
					included(&outcome)
				)
			});
		},
		OfferCmd::Cancel { offer_id } => {
			let outcome = client.cancel_offer(&signer(cli)?, *offer_id).await?;
			out.show(outcome_json(&outcome, json!({ "offerId": offer_id })), || {
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
			let locks = client.offer_locks(*offer_id).await?;
			out.show(json!(locks), || {
				table(
					&["LOCK", "HOLDER", "FACTORY", "ENERGY", "PRICE", "HELD", "EXPIRES AT"],
					locks
						.locks
						.iter()
						.map(|l| {
							vec![
								l.id.to_string(),
								who(&l.holder),
								l.factory.to_string(),
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
