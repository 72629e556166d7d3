//! A factory's history, from the node's index of the ledger's events
//! (`energy_getFactoryHistory`): every change of its balance, from the block on which the node's
//! index is complete. And the chain's events as blocks come ([`EnergyClient::watch_blocks`]).

use serde::{Deserialize, Serialize};

use crate::{
	views::{EventView, HistoryRecordView},
	EnergyClient, Error, FactoryId,
};

/// One page of a factory's history, as `energy_getFactoryHistory` answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
	/// The node's index holds every record from this block on (`None` before it indexed one).
	pub complete_from: Option<u32>,
	/// The last finalized block the index holds.
	pub indexed_to: Option<u32>,
	/// The last finalized block the node knows.
	pub finalized: u32,
	/// The records, newest first.
	pub records: Vec<HistoryRecordView>,
	/// The cursor of the next (older) page; `None` after the oldest record.
	pub next: Option<u32>,
}

/// A factory's history from a block on, oldest first (see [`EnergyClient::history_since`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct History {
	/// The node's index is complete from this block (`None` before it indexed one): records of
	/// earlier blocks may be missing.
	pub complete_from: Option<u32>,
	/// The records, oldest first.
	pub records: Vec<HistoryRecordView>,
}

impl EnergyClient {
	/// A page of `factory`'s history, newest first: up to `limit` (at most 100) records before
	/// the cursor `before` (the [`HistoryPage::next`] of the previous page; `None` for the
	/// newest). Records of blocks that are not final say so ([`HistoryRecordView::is_final`]).
	pub async fn history_page(
		&self,
		factory: &FactoryId,
		before: Option<u32>,
		limit: u32,
	) -> Result<HistoryPage, Error> {
		let params = subxt::rpcs::rpc_params![factory.as_str(), before, limit];
		Ok(self.rpc.request("energy_getFactoryHistory", params).await?)
	}

	/// Every record of `factory`'s history from block `from` on, oldest first, read a page at
	/// a time.
	pub async fn history_since(&self, factory: &FactoryId, from: u32) -> Result<History, Error> {
		let mut records = Vec::new();
		let mut before = None;
		let complete_from = loop {
			let page = self.history_page(factory, before, 100).await?;
			let older = page.records.iter().any(|record| record.block < from);
			records.extend(page.records.into_iter().filter(|record| record.block >= from));
			match page.next {
				Some(next) if !older => before = Some(next),
				_ => break page.complete_from,
			}
		};
		records.reverse();
		Ok(History { complete_from, records })
	}
}

/// A block and its events, decoded for display and JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockEventsView {
	/// The block's number.
	pub block_number: u64,
	/// Its events.
	pub events: Vec<EventView>,
}

/// New blocks as they come, each with its decoded events (see [`EnergyClient::watch_blocks`]).
pub struct BlockEvents {
	blocks: subxt::client::Blocks<crate::ChainConfig>,
}

impl BlockEvents {
	/// The next block's number and events; `None` when the node closes the subscription.
	pub async fn next(&mut self) -> Option<Result<BlockEventsView, Error>> {
		let block = match self.blocks.next().await? {
			Ok(block) => block,
			Err(error) => return Some(Err(error.into())),
		};
		let number = block.number();
		let events = async {
			let at = block.at().await?;
			let events = at.events().fetch().await?;
			Ok::<_, Error>(crate::views::decode_events(&at.metadata(), &events, |_| true))
		};
		Some(events.await.map(|events| BlockEventsView { block_number: number, events }))
	}
}

impl EnergyClient {
	/// The decoded events of the block queries read: the best block, or the block this client
	/// is pinned to with [`EnergyClient::at_block`].
	pub async fn events(&self) -> Result<Vec<EventView>, Error> {
		let at = self.at_query_block().await?;
		let events = at.events().fetch().await?;
		Ok(crate::views::decode_events(&at.metadata(), &events, |_| true))
	}

	/// The events of type `E` of the block queries read, decoded into the types generated from
	/// the metadata, e.g. `runtime::energy_bus::events::LockEnded`.
	pub async fn find_events<E: subxt::events::DecodeAsEvent>(&self) -> Result<Vec<E>, Error> {
		let at = self.at_query_block().await?;
		let events = at.events().fetch().await?;
		Ok(events.find::<E>().collect::<Result<_, _>>()?)
	}

	/// Follows new best blocks (or finalized ones) with their events, as `energy-cli watch`
	/// does.
	pub async fn watch_blocks(&self, finalized: bool) -> Result<BlockEvents, Error> {
		let blocks = if finalized {
			self.api.stream_blocks().await?
		} else {
			self.api.stream_best_blocks().await?
		};
		Ok(BlockEvents { blocks })
	}
}
