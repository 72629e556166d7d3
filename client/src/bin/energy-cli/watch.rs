//! `watch`: the chain's energy events, block by block.

use energy_client::{EnergyClient, Error};
use serde_json::json;

use crate::{args, output::Output};

/// `watch`: prints each new block's events (the energy pallets' unless `--all`).
pub async fn run(client: &EnergyClient, out: Output, watch: &args::WatchArgs) -> Result<(), Error> {
	let mut seen = 0;
	let mut blocks = client.watch_blocks(watch.finalized_blocks).await?;
	while let Some(block) = blocks.next().await {
		let mut block = block?;
		block
			.events
			.retain(|e| watch.all || e.pallet == "EnergyTrading" || e.pallet == "EnergyBus");
		let (number, events) = (block.block_number, &block.events);
		out.show(json!(block), || {
			let mut text = format!("block #{number}");
			if !events.is_empty() {
				for event in events {
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
