//! A factory's whole history, rebuilt from the chain's events: everything that changed its
//! energy, from a start block to the best block. The chain itself keeps only the last 100
//! records per factory ([`EnergyClient::recent_history`]).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::{runtime, views::EventView, EnergyClient, Error};

/// An event that concerns a factory, with the block it happened in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryEvent {
	/// The block.
	pub block: u64,
	/// The event.
	pub event: EventView,
}

/// What the scan knows about the factory: its trades and its offers.
struct Tracker<'a> {
	factory: &'a str,
	trades: BTreeSet<u64>,
	offers: BTreeSet<u64>,
}

impl Tracker<'_> {
	fn is(&self, event: &EventView, field: &str) -> bool {
		event.field(field).as_deref() == Some(self.factory)
	}

	fn id(event: &EventView, field: &str) -> Option<u64> {
		event.fields.get(field)?.as_u64()
	}

	/// Whether `event` concerns the factory, learning its trades and offers on the way.
	/// `offer_is_ours` answers for offers created before the scan started.
	async fn concerns(
		&mut self,
		event: &EventView,
		offer_is_ours: impl AsyncFnOnce(u64) -> Result<bool, Error>,
	) -> Result<bool, Error> {
		let mine = match (event.pallet.as_str(), event.name.as_str()) {
			(
				"EnergyTrading",
				"FactoryRegistered" | "MeterChanged" | "EnergyMinted" | "EnergyConsumed",
			) => self.is(event, "factory_id"),
			("EnergyTrading", "EnergyTransferred") => {
				self.is(event, "from") || self.is(event, "to")
			},
			("EnergyTrading", "TradeCreated" | "TradeExecuted") => {
				let mine = self.is(event, "seller") || self.is(event, "buyer");
				if let (true, Some(trade)) = (mine, Self::id(event, "trade_id")) {
					self.trades.insert(trade);
				}
				mine
			},
			("EnergyTrading", "TradeCancelled") => {
				Self::id(event, "trade_id").is_some_and(|id| self.trades.contains(&id))
			},
			("EnergyBus", "OfferCreated") => {
				let mine = self.is(event, "factory");
				if let (true, Some(offer)) = (mine, Self::id(event, "offer_id")) {
					self.offers.insert(offer);
				}
				mine
			},
			("EnergyBus", "EnergyPurchased" | "OfferCancelled" | "LockEnded") => {
				if self.is(event, "into_factory") {
					return Ok(true);
				}
				let Some(offer) = Self::id(event, "offer_id") else { return Ok(false) };
				let ours = self.offers.contains(&offer) || offer_is_ours(offer).await?;
				if ours {
					self.offers.insert(offer);
				}
				ours
			},
			_ => false,
		};
		Ok(mine)
	}
}

impl EnergyClient {
	/// Every event that changed or described `factory`, from block `from` to the best block,
	/// oldest first: registration, meter reports, transfers, trades (created, executed,
	/// cancelled), and market offers, purchases into it and sales from it.
	///
	/// Reading old blocks' events needs their state: a node keeps the last 256 blocks' state
	/// unless it runs with `--state-pruning archive` (as `scripts/dev.sh` does).
	/// `on_block` is called with each block number scanned, for progress reports.
	pub async fn factory_history_from_events(
		&self,
		factory: &str,
		from: u64,
		on_block: impl Fn(u64, u64),
	) -> Result<Vec<HistoryEvent>, Error> {
		let (_, best) = self.best_block().await?;
		// Trades that started before `from` are known from the ledger's trade index.
		let trades = if from > 0 {
			self.trades_of_factory(factory).await?.into_iter().map(|t| t.id).collect()
		} else {
			BTreeSet::new()
		};
		let mut tracker = Tracker { factory, trades, offers: BTreeSet::new() };
		let mut history = Vec::new();
		for number in from..=best {
			on_block(number, best);
			let at =
				self.api.at_block(number).await.map_err(|error| pruned(number, error.into()))?;
			let events = at.events().fetch().await.map_err(|error| pruned(number, error.into()))?;
			for event in crate::views::decode_events(&events, |_| true) {
				let offer_is_ours = async |offer: u64| -> Result<bool, Error> {
					// The offer existed just before this block (it may be gone after it).
					let parent = self.api.at_block(number.saturating_sub(1)).await?;
					let stored = parent
						.storage()
						.try_fetch(runtime::storage().energy_bus().offers(), (offer,))
						.await?;
					Ok(match stored {
						Some(value) => crate::views::text(&value.decode()?.factory) == factory,
						None => false,
					})
				};
				if tracker.concerns(&event, offer_is_ours).await? {
					history.push(HistoryEvent { block: number, event });
				}
			}
		}
		Ok(history)
	}
}

/// A failure to read an old block, explained.
fn pruned(number: u64, error: Error) -> Error {
	let text = error.to_string();
	if text.contains("State already discarded")
		|| text.contains("pruned")
		|| text.contains("not found")
	{
		Error::Invalid(format!(
			"block #{number}'s state is no longer kept by this node ({text}); start the scan \
			 later, or run the node with --state-pruning archive"
		))
	} else {
		error
	}
}

/// New blocks as they come, each with its decoded events (see [`EnergyClient::watch_blocks`]).
pub struct BlockEvents {
	blocks: subxt::client::Blocks<crate::ChainConfig>,
}

impl BlockEvents {
	/// The next block's number and events; `None` when the node closes the subscription.
	pub async fn next(&mut self) -> Option<Result<(u64, Vec<EventView>), Error>> {
		let block = match self.blocks.next().await? {
			Ok(block) => block,
			Err(error) => return Some(Err(error.into())),
		};
		let number = block.number();
		let events = async {
			let at = block.at().await?;
			let events = at.events().fetch().await?;
			Ok::<_, Error>(crate::views::decode_events(&events, |_| true))
		};
		Some(events.await.map(|events| (number, events)))
	}
}

impl EnergyClient {
	/// The decoded events of the block queries read: the best block, or the block this client
	/// is pinned to with [`EnergyClient::at_block`].
	pub async fn events(&self) -> Result<Vec<EventView>, Error> {
		let at = self.at_query_block().await?;
		let events = at.events().fetch().await?;
		Ok(crate::views::decode_events(&events, |_| true))
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
