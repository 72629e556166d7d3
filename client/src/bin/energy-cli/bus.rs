//! `bus`: energy buses: create, list, the co-owners' changes and approvals, and their grid
//! fees.

use energy_client::{
	keys, units,
	views::{AuctionSettingsView, LockTermsView, MarketParamsView},
	AccountId, BusChangeRequest, BusId, EnergyClient, Error, NewBus,
};
use serde_json::json;

use crate::{
	account_or_signer,
	args::{BusCmd, Cli},
	output::{events_text, included, outcome_json, show_change, table, wh, who, Output},
	signer,
};

/// Runs a `bus` command.
pub async fn run(
	cli: &Cli,
	client: &EnergyClient,
	out: Output,
	command: &BusCmd,
) -> Result<(), Error> {
	let change = |bus_id: BusId, request: BusChangeRequest, what: String| async move {
		let done = client.request_bus_change(&signer(cli)?, bus_id, request).await?;
		show_change(out, bus_id, &done, &what);
		Ok::<(), Error>(())
	};
	match command {
		BusCmd::Create { name, owners, capacity, base_price } => {
			let owners = owners.iter().map(|o| keys::account(o)).collect::<Result<Vec<_>, _>>()?;
			let bus = NewBus {
				name: name.clone(),
				owners,
				capacity_wh: *capacity,
				base_price_per_kwh: *base_price,
			};
			let created = client.create_bus(&signer(cli)?, bus).await?;
			let (outcome, bus_id) = (created.outcome, created.id);
			out.show(outcome_json(&outcome, json!({ "busId": bus_id })), || {
				format!("created bus {bus_id} {name:?} ({})", included(&outcome))
			});
		},
		BusCmd::Get { bus_id } => {
			let bus = client
				.bus(*bus_id)
				.await?
				.ok_or_else(|| Error::NotFound(format!("bus {bus_id}")))?;
			let closing = client.bus_closing(*bus_id).await?;
			let mut value = json!(bus);
			value["closing"] = json!(closing);
			out.show(value, || {
				let closing = if closing {
					"\n  closing:     its offers are being cancelled; it closes once none is left"
				} else {
					""
				};
				format!(
					"bus {}  {}\n  owners:      {} (threshold {})\n  capacity:    {} ({} free)\n  base price:  {}\n  open offers: {}\n  creator:     {} (deposit {}){closing}",
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
					buses.iter().map(BusId::to_string).collect::<Vec<_>>().join(", ")
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
		BusCmd::SetAuction { bus_id, round_length, tick, ticks, off } => {
			// The command line holds either --off or all three settings.
			let (settings, what) = match (off, round_length, tick, ticks) {
				(false, Some(round_length), Some(tick_size), Some(ticks)) => (
					Some(AuctionSettingsView {
						round_length: *round_length,
						tick_size: *tick_size,
						ticks: *ticks,
					}),
					format!(
						"run auctions on bus {bus_id} in rounds of {round_length} blocks, {ticks} \
						 prices in steps of {}",
						units::format_price(*tick_size)
					),
				),
				_ => (None, format!("stop the auctions on bus {bus_id}")),
			};
			change(*bus_id, BusChangeRequest::SetAuction(settings), what).await?;
		},
		BusCmd::SetGridFee { bus_id, fee } => {
			let what = format!("set bus {bus_id}'s grid fee to {}", units::format_price(*fee));
			change(*bus_id, BusChangeRequest::SetGridFee(*fee), what).await?;
		},
		BusCmd::SetFeeShares { bus_id, owner, shares } => {
			let owner = keys::account(owner)?;
			let what = format!("give {} {shares} fee shares of bus {bus_id}", who(&owner));
			change(*bus_id, BusChangeRequest::SetFeeShares(owner, *shares), what).await?;
		},
		BusCmd::Fees { bus_id, account } => show_fees(client, out, *bus_id, account).await?,
		BusCmd::ClaimFees { bus_id } => {
			let owner = signer(cli)?;
			let claimed = client.claim_grid_fees(&owner, *bus_id).await?;
			let amount = claimed.amount.to_string();
			out.show(
				outcome_json(&claimed.outcome, json!({ "busId": bus_id, "amount": amount })),
				|| {
					format!(
						"{} claimed {} of bus {bus_id}'s grid fees ({})",
						who(&keys::account_of(&owner)),
						units::format_ect(claimed.amount),
						included(&claimed.outcome)
					)
				},
			);
		},
		BusCmd::Proposals { bus_id } => {
			let proposals = client.bus_proposals(*bus_id).await?;
			out.show(json!(proposals), || {
				table(
					&["ID", "CHANGE", "APPROVED BY", "EXPIRES AT"],
					proposals
						.iter()
						.map(|p| {
							vec![
								p.id.to_string(),
								p.change.clone(),
								p.approvals.iter().map(who).collect::<Vec<_>>().join(", "),
								format!("block #{}", p.expires_at),
							]
						})
						.collect(),
				)
			});
		},
		BusCmd::Approve { bus_id, proposal_id } => {
			let done = client.approve_bus_change(&signer(cli)?, *bus_id, *proposal_id).await?;
			show_change(
				out,
				*bus_id,
				&done,
				&format!("approve proposal {proposal_id} of bus {bus_id}"),
			);
		},
		BusCmd::Withdraw { bus_id, proposal_id } => {
			let outcome = client.withdraw_bus_change(&signer(cli)?, *bus_id, *proposal_id).await?;
			out.show(
				outcome_json(&outcome, json!({ "busId": bus_id, "proposalId": proposal_id })),
				|| {
					format!(
						"withdrew proposal {proposal_id} of bus {bus_id} ({})",
						included(&outcome)
					)
				},
			);
		},
		BusCmd::Params => {
			let params = client.market_params().await?;
			let offer_lifetime = client.offer_lifetime().await?;
			let mut value = json!(params);
			value["offerLifetime"] = json!(offer_lifetime);
			out.show(value, || {
				format!(
					"lock duration:     {} blocks\nreceipt retention: {} blocks\nproposal lifetime: {} blocks\noffer lifetime:    {offer_lifetime} blocks",
					params.lock_duration, params.receipt_retention, params.proposal_lifetime
				)
			});
		},
		BusCmd::LockTerms => {
			let terms = client.lock_terms().await?;
			out.show(json!(terms), || {
				format!(
					"lock fee:      {} of the held payment, at least {}\nlargest lock:  {} of an offer",
					units::format_share(terms.fee_per_billion),
					units::format_ect(terms.min_fee),
					units::format_share(terms.max_share_per_billion)
				)
			});
		},
		BusCmd::SetLockTerms { fee, min_fee, max_share } => {
			let current = client.lock_terms().await?;
			let terms = LockTermsView {
				fee_per_billion: fee.unwrap_or(current.fee_per_billion),
				min_fee: min_fee.unwrap_or(current.min_fee),
				max_share_per_billion: max_share.unwrap_or(current.max_share_per_billion),
			};
			let outcome = client.set_lock_terms(&signer(cli)?, terms.clone()).await?;
			out.show(outcome_json(&outcome, json!({ "terms": terms })), || {
				format!("lock terms set ({})\n{}", included(&outcome), events_text(&outcome.events))
			});
		},
		BusCmd::SetParams {
			lock_duration,
			receipt_retention,
			proposal_lifetime,
			offer_lifetime,
		} => {
			let sudo = signer(cli)?;
			// The offer lifetime has a call of its own.
			let mut outcomes = Vec::new();
			if lock_duration.is_some() || receipt_retention.is_some() || proposal_lifetime.is_some()
			{
				let current = client.market_params().await?;
				let params = MarketParamsView {
					lock_duration: lock_duration.unwrap_or(current.lock_duration),
					receipt_retention: receipt_retention.unwrap_or(current.receipt_retention),
					proposal_lifetime: proposal_lifetime.unwrap_or(current.proposal_lifetime),
				};
				outcomes.push(client.set_market_params(&sudo, params).await?);
			}
			if let Some(blocks) = offer_lifetime {
				outcomes.push(client.set_offer_lifetime(&sudo, *blocks).await?);
			}
			let Some(last) = outcomes.last() else {
				return Err(Error::Invalid(
					"name a parameter to set: --lock-duration, --receipt-retention, \
					 --proposal-lifetime or --offer-lifetime"
						.into(),
				));
			};
			let json = outcome_json(last, json!({ "transactions": outcomes.len() }));
			out.show(json, || {
				outcomes
					.iter()
					.map(|outcome| {
						format!(
							"market parameters set ({})\n{}",
							included(outcome),
							events_text(&outcome.events)
						)
					})
					.collect::<Vec<_>>()
					.join("\n")
			});
		},
	}
	Ok(())
}

/// `bus fees`: the grid fee, the pot, and what each owner (and `account`) may claim, read at
/// one block.
async fn show_fees(
	client: &EnergyClient,
	out: Output,
	bus_id: BusId,
	account: &Option<String>,
) -> Result<(), Error> {
	let at = client.at_block(client.best_block().await?.hash);
	// A closed bus has no owners left, but its former owners may still have fees to claim.
	let bus = at.bus(bus_id).await?;
	let fee = at.grid_fee(bus_id).await?;
	let Some(fee) = fee.filter(|_| bus.is_some() || account.is_some()) else {
		return Err(Error::NotFound(format!("bus {bus_id}")));
	};
	let mut accounts: Vec<AccountId> = bus.map(|bus| bus.owners).unwrap_or_default();
	if let Some(text) = account {
		let named = keys::account(text)?;
		if !accounts.contains(&named) {
			accounts.push(named);
		}
	}
	let mut parts = Vec::new();
	for account in accounts {
		let part = at.claimable_grid_fees(&account).await?.into_iter().find(|p| p.bus_id == bus_id);
		let (shares, amount) = part.map_or((0, 0), |p| (p.shares, p.amount));
		parts.push((account, shares, amount));
	}
	let mut value = json!(fee);
	value["busId"] = json!(bus_id);
	value["parts"] = parts
		.iter()
		.map(|(account, shares, amount)| {
			json!({ "account": account, "shares": shares, "amount": amount.to_string() })
		})
		.collect();
	out.show(value, || {
		let charged = match fee.per_kwh {
			0 => "no grid fee".to_string(),
			per_kwh => format!(
				"grid fee {}, paid by buyers on top of the price",
				units::format_price(per_kwh)
			),
		};
		format!(
			"bus {bus_id}: {charged}\n  unclaimed: {} ({} shares earn now)\n{}",
			units::format_ect(fee.unclaimed),
			fee.total_shares,
			table(
				&["ACCOUNT", "SHARES", "CLAIMABLE"],
				parts
					.iter()
					.map(|(account, shares, amount)| {
						vec![who(account), shares.to_string(), units::format_ect(*amount)]
					})
					.collect(),
			)
		)
	});
	Ok(())
}
