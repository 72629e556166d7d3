//! How energy-cli shows results: JSON for scripts, aligned tables and sentences for people, a
//! spinner while a write waits for its block (only on a terminal, never with `--json`).

use std::io::IsTerminal;

use energy_client::{
	keys, units, views::EventView, BusId, ChangeOutcome, Error, Progress, PurchaseOutcome,
	TxOutcome,
};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};

/// Where results go.
#[derive(Clone, Copy)]
pub struct Output {
	/// Machine-readable JSON on stdout.
	pub json: bool,
}

impl Output {
	/// Prints `value` as JSON, or `human()` for people.
	pub fn show(&self, value: Value, human: impl FnOnce() -> String) {
		if self.json {
			println!("{}", serde_json::to_string_pretty(&value).expect("JSON values print"));
		} else {
			println!("{}", human());
		}
	}

	/// A spinner on stderr while writes wait, or nothing off a terminal or with `--json`.
	pub fn spinner(&self) -> Option<ProgressBar> {
		if self.json || !std::io::stderr().is_terminal() {
			return None;
		}
		let bar = ProgressBar::new_spinner();
		bar.set_style(
			ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
				.expect("the template is valid"),
		);
		bar.enable_steady_tick(std::time::Duration::from_millis(120));
		bar.set_message("signing");
		Some(bar)
	}
}

/// The spinner's message for a stage of a write.
pub fn progress_message(progress: &Progress) -> String {
	match progress {
		Progress::Submitted { extrinsic_hash } => {
			format!("submitted {extrinsic_hash:?}, waiting for the pool")
		},
		Progress::InPool => "in the pool, waiting for a block (blocks come every 6 s)".into(),
		Progress::InBlock { block_hash } => {
			format!("in block {block_hash:?}, waiting for finality")
		},
	}
}

/// A write's result as JSON, with `extra` fields (ids the write created).
pub fn outcome_json(outcome: &TxOutcome, extra: Value) -> Value {
	let mut value = json!({
		"blockNumber": outcome.block_number,
		"blockHash": format!("{:?}", outcome.block_hash),
		"extrinsicHash": format!("{:?}", outcome.extrinsic_hash),
		"finalized": outcome.finalized,
		"events": outcome.events,
	});
	if let (Value::Object(map), Value::Object(more)) = (&mut value, extra) {
		map.extend(more);
	}
	value
}

/// `in block #12 (finalized)`.
pub fn included(outcome: &TxOutcome) -> String {
	let finality = if outcome.finalized { ", finalized" } else { "" };
	format!("in block #{}{finality}", outcome.block_number)
}

/// One line per event of the energy pallets (and sudo), for people.
pub fn events_text(events: &[EventView]) -> String {
	events
		.iter()
		.filter(|event| matches!(event.pallet.as_str(), "EnergyTrading" | "EnergyBus" | "Sudo"))
		.map(|event| format!("  {}.{} {}", event.pallet, event.name, event.fields))
		.collect::<Vec<_>>()
		.join("\n")
}

/// An aligned table with a header row.
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
	if rows.is_empty() {
		return "(none)".into();
	}
	let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
	for row in &rows {
		for (width, cell) in widths.iter_mut().zip(row) {
			*width = (*width).max(cell.chars().count());
		}
	}
	let line = |cells: Vec<String>| {
		cells
			.iter()
			.zip(&widths)
			.map(|(cell, width)| format!("{cell:<width$}"))
			.collect::<Vec<_>>()
			.join("  ")
			.trim_end()
			.to_string()
	};
	let mut out = vec![line(header.iter().map(|h| h.to_string()).collect())];
	out.extend(rows.into_iter().map(line));
	out.join("\n")
}

/// An account as people read it: a dev name, or its SS58 address.
pub fn who(account: &energy_client::AccountId) -> String {
	keys::display_account(account)
}

/// `1.3 MWh`.
pub fn wh(energy: u64) -> String {
	units::format_energy(energy)
}

/// The exit code for an error: 3 node unreachable, 4 bad key, 5 not found, 6 the chain refused
/// the call (pallet or dispatch error), 7 the node refused the transaction, 1 otherwise.
pub fn exit_code(error: &Error) -> i32 {
	match error {
		Error::Unreachable { .. } => 3,
		Error::BadKey(_) => 4,
		Error::NotFound(_) => 5,
		Error::Pallet { .. } | Error::Dispatch(_) => 6,
		Error::Rejected(_) => 7,
		Error::Invalid(_) | Error::Amount(_) | Error::Subxt(_) => 1,
	}
}

/// An error as JSON, for `--json`.
pub fn error_json(error: &Error) -> Value {
	match error {
		Error::Pallet { pallet, name, docs, detail } => json!({
			"error": { "kind": "pallet", "pallet": pallet, "name": name, "docs": docs, "detail": detail }
		}),
		other => json!({ "error": { "kind": kind(other), "message": other.to_string() } }),
	}
}

fn kind(error: &Error) -> &'static str {
	match error {
		Error::Unreachable { .. } => "unreachable",
		Error::BadKey(_) => "badKey",
		Error::NotFound(_) => "notFound",
		Error::Dispatch(_) => "dispatch",
		Error::Rejected(_) => "rejected",
		Error::Invalid(_) | Error::Amount(_) => "invalid",
		_ => "rpc",
	}
}

/// A purchase or batch: what was bought, or that the call had run already.
pub fn show_purchase(out: Output, done: &PurchaseOutcome, into: &energy_client::FactoryId) {
	let receipt = format!("{:?}", done.receipt);
	let Some(outcome) = &done.outcome else {
		out.show(
			json!({ "alreadyProcessed": true, "nonce": done.nonce, "receipt": receipt,
				"purchases": [] }),
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
			json!({ "alreadyProcessed": false, "nonce": done.nonce, "receipt": receipt,
				"purchases": done.purchases }),
		),
		|| {
			let lines: Vec<String> = done
				.purchases
				.iter()
				.map(|p| {
					let fee = match p.grid_fee {
						0 => String::new(),
						fee => format!(" and a grid fee of {}", units::format_ect(fee)),
					};
					format!(
						"bought {} of offer {} into {into} for {}{fee} (purchase {})",
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

/// A table of factories.
pub fn factory_table(factories: &[energy_client::views::FactoryView]) -> String {
	table(
		&["ID", "NAME", "TYPE", "ENERGY", "OWNER"],
		factories
			.iter()
			.map(|f| {
				vec![
					f.id.to_string(),
					f.name.clone(),
					energy_client::views::energy_type_name(&f.energy_type),
					wh(f.energy_wh),
					who(&f.owner),
				]
			})
			.collect(),
	)
}

/// What an owner's change request or approval did.
pub fn show_change(out: Output, bus_id: BusId, change: &ChangeOutcome, what: &str) {
	match change {
		ChangeOutcome::Applied { outcome } => out
			.show(outcome_json(outcome, json!({ "applied": true })), || {
				format!("{what}: done ({})", included(outcome))
			}),
		ChangeOutcome::Proposed { outcome, proposal_id, approvals, threshold } => out.show(
			outcome_json(
				outcome,
				json!({
					"applied": false,
					"proposalId": proposal_id,
					"approvals": approvals,
					"threshold": threshold,
				}),
			),
			|| {
				format!(
					"{what}: proposal {proposal_id}, {approvals} of {threshold} owners agree ({}); \
					 other owners approve it with `energy-cli bus approve {bus_id} {proposal_id}`",
					included(outcome)
				)
			},
		),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn tables_align_columns() {
		let text = table(
			&["ID", "ENERGY"],
			vec![vec!["Factory01".into(), "1.3 MWh".into()], vec!["F2".into(), "5 Wh".into()]],
		);
		assert_eq!(text, "ID         ENERGY\nFactory01  1.3 MWh\nF2         5 Wh");
		assert_eq!(table(&["ID"], vec![]), "(none)");
	}

	#[test]
	fn errors_map_to_documented_exit_codes_and_json() {
		let pallet = Error::Pallet {
			pallet: "EnergyTrading".into(),
			name: "InsufficientEnergy".into(),
			docs: "The factory has less energy than the call needs.".into(),
			detail: None,
		};
		assert_eq!(exit_code(&pallet), 6);
		assert_eq!(error_json(&pallet)["error"]["name"], "InsufficientEnergy");
		let unreachable = Error::Unreachable { url: "ws://x".into(), reason: "refused".into() };
		assert_eq!(exit_code(&unreachable), 3);
		assert_eq!(error_json(&unreachable)["error"]["kind"], "unreachable");
		assert_eq!(exit_code(&Error::BadKey("x".into())), 4);
		assert_eq!(exit_code(&Error::NotFound("x".into())), 5);
		assert_eq!(exit_code(&Error::Rejected("x".into())), 7);
		assert_eq!(exit_code(&Error::Invalid("x".into())), 1);
	}
}
