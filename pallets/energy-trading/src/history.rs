//! What each ledger event does to the factories' balances, in one place: the unit tests' check
//! that the events tell every balance and the node's history index both read it from here.

use alloc::{vec, vec::Vec};

use codec::{Decode, Encode};
use serde::{Deserialize, Serialize};

use crate::{BalanceOf, Config, EnergyWh, Event, FactoryIdOf, TradeId};

/// What changed a factory's balance. The node's history index stores it (SCALE: append new
/// kinds at the end) and answers it in camelCase JSON (`tradeSold`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EntryKind {
	/// Its balance at genesis: the node's history index records it for the factories of the
	/// chain spec, as genesis has no events. No event makes one.
	Genesis,
	/// It was registered with an initial balance.
	Registered,
	/// Its meter reported generation.
	Minted,
	/// Its meter reported consumption.
	Consumed,
	/// It sent energy to the counterparty.
	TransferredOut,
	/// It received energy from the counterparty.
	TransferredIn,
	/// It offered energy in a trade; the energy went into escrow.
	TradeCreated,
	/// Its trade was executed: it delivered the escrowed energy and was paid.
	TradeSold,
	/// It bought energy in a trade and paid for it.
	TradeBought,
	/// Its trade was cancelled; as the seller, its escrow came back.
	TradeCancelled,
	/// The energy-bus market took energy into escrow (an offer).
	Escrowed,
	/// The energy-bus market returned escrowed energy (a cancelled, closed or expired offer).
	EscrowReturned,
	/// Energy it escrowed in the energy-bus market was sold to the counterparty.
	MarketSold,
	/// It bought energy in the energy-bus market from the counterparty.
	MarketBought,
}

/// One change of one factory's balance, as a ledger event tells it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LedgerEntry<FactoryId, Balance> {
	/// The factory whose balance changed.
	pub factory: FactoryId,
	/// What changed it.
	pub kind: EntryKind,
	/// The other factory involved, if any.
	pub counterparty: Option<FactoryId>,
	/// The trade involved, if any.
	pub trade_id: Option<TradeId>,
	/// The energy moved, in Wh.
	pub energy_wh: EnergyWh,
	/// The trade's total price, for a trade created or executed.
	pub total_price: Option<Balance>,
	/// The factory's balance afterwards, in Wh.
	pub balance_wh: EnergyWh,
}

impl<FactoryId: Clone, Balance> LedgerEntry<FactoryId, Balance> {
	/// An entry of `kind` for `factory`, without counterparty, trade or price.
	pub fn new(
		factory: &FactoryId,
		kind: EntryKind,
		energy_wh: EnergyWh,
		balance_wh: EnergyWh,
	) -> Self {
		Self {
			factory: factory.clone(),
			kind,
			counterparty: None,
			trade_id: None,
			energy_wh,
			total_price: None,
			balance_wh,
		}
	}

	/// This entry, with `counterparty` as the other factory.
	fn with(mut self, counterparty: &FactoryId) -> Self {
		self.counterparty = Some(counterparty.clone());
		self
	}

	/// This entry, of the trade `trade_id` (and its total price, if the event tells it).
	fn of_trade(mut self, trade_id: TradeId, total_price: Option<Balance>) -> Self {
		self.trade_id = Some(trade_id);
		self.total_price = total_price;
		self
	}
}

impl<T: Config> Event<T> {
	/// One entry for each factory whose balance this event changes, with the balance it left:
	/// two for events between two factories (a transfer, an executed trade, a market delivery;
	/// the sender's first), one for the others, none for an event that changes no balance
	/// (`MeterChanged`, `MeterRequested`, `RatedPowerChanged`).
	pub fn ledger_entries(&self) -> Vec<LedgerEntry<FactoryIdOf<T>, BalanceOf<T>>> {
		match self {
			Event::FactoryRegistered { factory_id, initial_energy_wh, .. } => {
				vec![LedgerEntry::new(
					factory_id,
					EntryKind::Registered,
					*initial_energy_wh,
					*initial_energy_wh,
				)]
			},
			Event::MeterChanged { .. }
			| Event::MeterRequested { .. }
			| Event::RatedPowerChanged { .. }
			| Event::__Ignore(..) => vec![],
			Event::EnergyMinted { factory_id, energy_wh, balance_wh }
			| Event::EnergyConsumed { factory_id, energy_wh, balance_wh }
			| Event::MarketEscrowed { factory_id, energy_wh, balance_wh }
			| Event::MarketReleased { factory_id, energy_wh, balance_wh } => {
				let kind = match self {
					Event::EnergyMinted { .. } => EntryKind::Minted,
					Event::EnergyConsumed { .. } => EntryKind::Consumed,
					Event::MarketEscrowed { .. } => EntryKind::Escrowed,
					_ => EntryKind::EscrowReturned,
				};
				vec![LedgerEntry::new(factory_id, kind, *energy_wh, *balance_wh)]
			},
			// Energy from one factory to another: an entry of each, the sender's first.
			Event::EnergyTransferred { from, to, energy_wh, from_balance_wh, to_balance_wh }
			| Event::MarketDelivered { from, to, energy_wh, from_balance_wh, to_balance_wh } => {
				let (out, into) = match self {
					Event::EnergyTransferred { .. } => {
						(EntryKind::TransferredOut, EntryKind::TransferredIn)
					},
					_ => (EntryKind::MarketSold, EntryKind::MarketBought),
				};
				vec![
					LedgerEntry::new(from, out, *energy_wh, *from_balance_wh).with(to),
					LedgerEntry::new(to, into, *energy_wh, *to_balance_wh).with(from),
				]
			},
			Event::TradeCreated {
				trade_id,
				seller,
				buyer,
				energy_wh,
				total_price,
				seller_balance_wh,
				..
			} => {
				let created = LedgerEntry::new(
					seller,
					EntryKind::TradeCreated,
					*energy_wh,
					*seller_balance_wh,
				);
				vec![created.with(buyer).of_trade(*trade_id, Some(*total_price))]
			},
			Event::TradeExecuted {
				trade_id,
				seller,
				buyer,
				energy_wh,
				total_price,
				seller_balance_wh,
				buyer_balance_wh,
				..
			} => {
				let sold =
					LedgerEntry::new(seller, EntryKind::TradeSold, *energy_wh, *seller_balance_wh);
				let bought =
					LedgerEntry::new(buyer, EntryKind::TradeBought, *energy_wh, *buyer_balance_wh);
				vec![
					sold.with(buyer).of_trade(*trade_id, Some(*total_price)),
					bought.with(seller).of_trade(*trade_id, Some(*total_price)),
				]
			},
			// The event does not carry the trade's price.
			Event::TradeCancelled {
				trade_id, seller, buyer, energy_wh, seller_balance_wh, ..
			} => {
				let cancelled = LedgerEntry::new(
					seller,
					EntryKind::TradeCancelled,
					*energy_wh,
					*seller_balance_wh,
				);
				vec![cancelled.with(buyer).of_trade(*trade_id, None)]
			},
		}
	}
}
