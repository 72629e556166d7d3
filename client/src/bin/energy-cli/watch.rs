//! `watch`: the chain's energy events, block by block.

use energy_client::{EnergyClient, Error};
use serde_json::json;

use crate::{args, output::Output};

/// `watch`: prints each new block's events (the energy pallets' unless `--all`).
pub async fn run(client: &EnergyClient, out: Output, watch: &args::WatchArgs) -> Result<(), Error> {
	let mut seen = 0;
	let mut blocks = client.watch_blocks(watch.finalized_blocks).await?;
	while let Some(block) = blocks.next().await {
		let (number, events) = block?;
		let events: Vec<_> = events
			.into_iter()
			.filter(|e| watch.all || e.pallet == "EnergyTrading" || e.pallet == "EnergyBus")
			.collect();
		out.show(json!({ "blockNumber": number, "events": events }), || {
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
