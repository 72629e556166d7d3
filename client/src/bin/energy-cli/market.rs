//! The buyer's commands: `buy`, `batch-buy`, `lock`, `unlock`, `tx processed`, `nonce` and
//! `purchases`.

use energy_client::{units, EnergyClient, Error, LockId, NonceChoice, OfferId, Purchase};
use serde_json::json;

use crate::{
	account_or_signer,
	args::{BatchBuyArgs, BuyArgs, LockArgs},
	output::{included, outcome_json, show_purchase, table, wh, who, Output},
	signer,
};

/// `buy`: one purchase, at the offer's price plus its grid fee unless `--max-price` says
/// otherwise.
pub async fn buy(
	cli: &crate::args::Cli,
	client: &EnergyClient,
	out: Output,
	buy: &BuyArgs,
) -> Result<(), Error> {
	let max_price = match buy.max_price {
		Some(price) => price,
		None => offer_price(client, buy.offer_id).await?,
	};
	let purchase = Purchase {
		offer: buy.offer_id,
		energy_wh: buy.amount,
		max_price_per_kwh: max_price,
		into: buy.into.clone(),
		nonce: nonce(buy.nonce),
	};
	let done = client.purchase(&signer(cli)?, purchase).await?;
	show_purchase(out, &done, &buy.into);
	Ok(())
}

/// `batch-buy`: several purchases in one all-or-nothing call.
pub async fn batch_buy(
	cli: &crate::args::Cli,
	client: &EnergyClient,
	out: Output,
	batch: &BatchBuyArgs,
) -> Result<(), Error> {
	let mut items = Vec::new();
	for item in &batch.items {
		let price = match item.max_price_per_kwh {
			Some(price) => price,
			None => offer_price(client, item.offer_id).await?,
		};
		items.push(item.with_price(price));
	}
	let done =
		client.batch_purchase(&signer(cli)?, &items, &batch.into, nonce(batch.nonce)).await?;
	show_purchase(out, &done, &batch.into);
	Ok(())
}

/// `lock`: reserves part of an offer, holding the payment.
pub async fn lock(
	cli: &crate::args::Cli,
	client: &EnergyClient,
	out: Output,
	lock: &LockArgs,
) -> Result<(), Error> {
	let Some(into) = lock.into.as_ref().filter(|_| !lock.quote) else {
		let quote = client.lock_quote(lock.offer_id, lock.amount).await?.ok_or_else(|| {
			Error::Invalid(format!("offer {} is not open: it cannot be locked", lock.offer_id))
		})?;
		out.show(json!(quote), || {
			format!(
				"locking {} of offer {} would hold {} and cost a lock fee of {} (paid to the \
				 seller at once, not refunded); one lock may take at most {}; it would last \
				 until block #{}",
				wh(lock.amount),
				lock.offer_id,
				units::format_ect(quote.held),
				units::format_ect(quote.fee),
				wh(quote.max_energy_wh),
				quote.expires_at
			)
		});
		return Ok(());
	};
	let done = client
		.lock_offer(&signer(cli)?, lock.offer_id, lock.amount, into, nonce(lock.nonce))
		.await?;
	out.show(
		outcome_json(
			&done.outcome,
			json!({ "lockId": done.lock_id, "factory": into, "held": done.held.to_string(),
					"fee": done.fee.to_string(), "expiresAt": done.expires_at,
					"nonce": done.nonce, "receipt": format!("{:?}", done.receipt) }),
		),
		|| {
			format!(
				"locked {} of offer {} for {} as lock {} ({}), holding {} until block #{}\n\
					 paid the seller a lock fee of {} (not refunded)\n\
					 market nonce {}, receipt {:?}",
				wh(lock.amount),
				lock.offer_id,
				into,
				done.lock_id,
				included(&done.outcome),
				units::format_ect(done.held),
				done.expires_at,
				units::format_ect(done.fee),
				done.nonce,
				done.receipt
			)
		},
	);
	Ok(())
}

/// `unlock`: ends a lock early.
pub async fn unlock(
	cli: &crate::args::Cli,
	client: &EnergyClient,
	out: Output,
	lock_id: &LockId,
) -> Result<(), Error> {
	let outcome = client.release_lock(&signer(cli)?, *lock_id).await?;
	out.show(outcome_json(&outcome, json!({ "lockId": lock_id })), || {
		format!("released lock {lock_id} ({})", included(&outcome))
	});
	Ok(())
}

/// `tx processed`: whether a buying call with this receipt ran.
pub async fn processed(client: &EnergyClient, out: Output, receipt: &str) -> Result<(), Error> {
	let hash = parse_hash(receipt)?;
	let processed = client.is_transaction_processed(hash).await?;
	let receipt = format!("{hash:?}");
	out.show(json!({ "receipt": receipt, "processed": processed }), || {
		if processed {
			format!("{receipt}: processed (a buying call with this receipt ran)")
		} else {
			format!("{receipt}: not processed (or older than the receipt retention)")
		}
	});
	Ok(())
}

/// `nonce`: an account's next market nonce.
pub async fn nonce_of(
	cli: &crate::args::Cli,
	client: &EnergyClient,
	out: Output,
	account: &Option<String>,
) -> Result<(), Error> {
	let who_ = account_or_signer(cli, account)?;
	let nonce = client.market_nonce(&who_).await?;
	out.show(json!({ "account": who_, "marketNonce": nonce }), || {
		format!("{}: next market nonce {nonce}", who(&who_))
	});
	Ok(())
}

/// `purchases`: an account's purchases.
pub async fn purchases(
	cli: &crate::args::Cli,
	client: &EnergyClient,
	out: Output,
	account: &Option<String>,
) -> Result<(), Error> {
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
						p.into_factory.to_string(),
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
}

/// The market nonce to send: `--nonce`, or the chain's next one.
pub(crate) fn nonce(explicit: Option<u64>) -> NonceChoice {
	explicit.map(NonceChoice::Exactly).unwrap_or_default()
}

/// A receipt hash from hex.
fn parse_hash(text: &str) -> Result<energy_client::Hash, Error> {
	let bytes = hex::decode(text.trim().trim_start_matches("0x"))
		.map_err(|_| Error::Invalid(format!("{text:?} is not a hex hash")))?;
	let raw: [u8; 32] =
		bytes.try_into().map_err(|_| Error::Invalid(format!("{text:?} is not 32 bytes")))?;
	Ok(energy_client::Hash::from(raw))
}

/// The offer's asking price plus its grid fee (what a kWh costs the buyer): the default price
/// limit of a purchase.
pub(crate) async fn offer_price(client: &EnergyClient, offer_id: OfferId) -> Result<u128, Error> {
	client
		.offer(offer_id)
		.await?
		.map(|offer| offer.price_per_kwh.saturating_add(offer.grid_fee_per_kwh))
		.ok_or_else(|| Error::NotFound(format!("offer {offer_id}")))
}
