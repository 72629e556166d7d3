//! The command line: global options and the subcommands, grouped as users think of them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use energy_client::{
	units, views::EnergyType, BatchPurchaseItem, BusId, FactoryId, LockId, OfferId, ProposalId,
	TradeId,
};

/// Reads an energy amount (`1.5kWh`, `200kWh`, `1500Wh`, `1500`).
fn energy(text: &str) -> Result<u64, String> {
	units::parse_energy(text).map_err(|e| e.to_string())
}

/// Reads a power into W (`250kW`, `2MW`, …).
fn power(text: &str) -> Result<u32, String> {
	units::parse_power(text).map_err(|e| e.to_string())
}

/// Reads an energy type (`solar`, `Hydro`, …).
fn energy_type(text: &str) -> Result<EnergyType, String> {
	energy_client::parse_energy_type(text).map_err(|e| e.to_string())
}

/// Reads an ECT amount or a price per kWh (`0.08`, `16ECT`, `0.08ECT/kWh`).
fn ect(text: &str) -> Result<u128, String> {
	units::parse_ect(text).map_err(|e| e.to_string())
}

/// Reads a share as a percentage (`1%`, `12.5%`).
fn share(text: &str) -> Result<u32, String> {
	units::parse_share(text).map_err(|e| e.to_string())
}

/// Reads a batch item, `OFFER:AMOUNT` or `OFFER:AMOUNT@MAXPRICE`.
fn batch_item(text: &str) -> Result<BatchItemArg, String> {
	let (offer, rest) = text
		.split_once(':')
		.ok_or_else(|| format!("{text:?}: write OFFER:AMOUNT or OFFER:AMOUNT@MAXPRICE"))?;
	let offer_id = offer.parse::<OfferId>().map_err(|e| e.to_string())?;
	let (amount, price) = match rest.split_once('@') {
		Some((amount, price)) => (amount, Some(ect(price)?)),
		None => (rest, None),
	};
	Ok(BatchItemArg { offer_id, energy_wh: energy(amount)?, max_price_per_kwh: price })
}

/// One `OFFER:AMOUNT[@MAXPRICE]` of `batch-buy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchItemArg {
	pub offer_id: OfferId,
	pub energy_wh: u64,
	/// `None`: the offer's current price.
	pub max_price_per_kwh: Option<u128>,
}

impl BatchItemArg {
	pub fn with_price(&self, price: u128) -> BatchPurchaseItem {
		BatchPurchaseItem {
			offer_id: self.offer_id,
			energy_wh: self.energy_wh,
			max_price_per_kwh: self.max_price_per_kwh.unwrap_or(price),
		}
	}
}

const AFTER_HELP: &str = "\
Amounts: energy as 1.5kWh, 200kWh, 1500Wh, 2MWh (a bare number is Wh); money and prices in
ECT, e.g. 0.08 (ECT per kWh) or 16ECT. Accounts: SS58 addresses, 0x public keys, or dev names
(Alice, Bob, Charlie, Dave, Eve, Ferdie).

Exit codes: 0 done; 1 invalid input or other failure; 2 bad command line; 3 node unreachable;
4 bad key; 5 not found; 6 the chain refused the call (the pallet error is named); 7 the node
refused the transaction.

Examples (against a dev chain started with scripts/dev.sh):
  energy-cli factory list
  energy-cli --suri //Alice factory mint Factory01 500kWh
  energy-cli --suri //Alice trade create Factory01 Factory04 200kWh --price 0.08
  energy-cli --suri //Dave trade execute 0
  energy-cli bus get 0
  energy-cli --suri //Dave buy 0 50kWh --into Factory04
  energy-cli --json factory get Factory04";

/// energy-cli: trade energy on Energy Chain from the command line.
///
/// Factories hold energy in Wh; meters mint what they generate; owners transfer energy, trade
/// it bilaterally and sell it on energy buses, paid in ECT. Writes are signed with --suri and
/// wait until their block is imported (or finalized, with --finalized).
#[derive(Parser, Debug)]
#[command(name = "energy-cli", version, after_help = AFTER_HELP)]
pub struct Cli {
	/// The node's JSON-RPC endpoint.
	#[arg(long, global = true, env = "ENERGY_URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// The signer's secret URI: a dev name like //Alice, a mnemonic, or a 0x seed.
	#[arg(
		long,
		global = true,
		env = "ENERGY_SURI",
		hide_env_values = true,
		conflicts_with = "suri_file"
	)]
	pub suri: Option<String>,
	/// A file whose first line is the signer's secret URI.
	#[arg(long, global = true, value_name = "PATH")]
	pub suri_file: Option<PathBuf>,
	/// Print machine-readable JSON (and no spinner).
	#[arg(long, global = true)]
	pub json: bool,
	/// Make writes wait for finality rather than inclusion.
	#[arg(long, global = true)]
	pub finalized: bool,
	#[command(subcommand)]
	pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
	/// Factories: register, look up, mint, consume and transfer energy, history.
	#[command(subcommand)]
	Factory(FactoryCmd),
	/// Bilateral trades between factories: create, execute, cancel, look up.
	#[command(subcommand)]
	Trade(TradeCmd),
	/// Energy buses: create, look up, change owners, capacity, price and threshold.
	#[command(subcommand)]
	Bus(BusCmd),
	/// Offers on a bus: create, cancel, list, locks.
	#[command(subcommand)]
	Offer(OfferCmd),
	/// Buy energy from one offer into your factory (uses your next market nonce).
	#[command(
		after_help = "Example:\n  energy-cli --suri //Dave buy 0 50kWh --into Factory04 --max-price 0.09"
	)]
	Buy(BuyArgs),
	/// Buy from several offers at once, all or nothing, with one market nonce.
	#[command(
		name = "batch-buy",
		after_help = "Example:\n  energy-cli --suri //Dave batch-buy --into Factory04 0:10kWh 1:10kWh 2:5kWh@0.07"
	)]
	BatchBuy(BatchBuyArgs),
	/// Lock part of an offer for your factory at its price for a few minutes, holding the
	/// payment. The lock pays the seller a lock fee at once, never refunded: see it first with
	/// --quote.
	#[command(
		after_help = "Example:\n  energy-cli lock 1 20kWh --quote\n  energy-cli --suri //Dave lock 1 20kWh --into Factory04\n  energy-cli --suri //Dave buy 1 20kWh --into Factory04"
	)]
	Lock(LockArgs),
	/// End one of your locks early (the held payment is released).
	Unlock {
		/// The lock's id.
		lock_id: LockId,
	},
	/// Transactions: was a buying call with this receipt hash processed?
	#[command(subcommand)]
	Tx(TxCmd),
	/// An account's next market nonce (the signer's when no account is given).
	Nonce {
		/// The account (SS58, 0x public key or dev name).
		account: Option<String>,
	},
	/// An account's recent market purchases (the signer's when no account is given).
	Purchases {
		/// The account.
		account: Option<String>,
	},
	/// Follow the chain's energy events live, block by block (Ctrl-C to stop).
	#[command(
		after_help = "Example:\n  energy-cli watch --finalized-blocks\n  energy-cli --json watch --blocks 3"
	)]
	Watch(WatchArgs),
}

#[derive(Subcommand, Debug)]
pub enum FactoryCmd {
	/// Register a factory (Root only: sign with the sudo key, //Alice on the dev chain).
	#[command(
		after_help = "Example:\n  energy-cli --suri //Alice factory register Factory21 --name \"Harbour Tidal\" --type hydro --owner Ferdie --rated-power 50kW --energy 100kWh"
	)]
	Register {
		/// A unique id, e.g. Factory21 (1 to 32 bytes).
		id: FactoryId,
		/// Its display name.
		#[arg(long)]
		name: String,
		/// What it produces: solar, wind, hydro, kinetic, biomass, geothermal, storage, other.
		#[arg(long = "type", value_name = "TYPE", value_parser = energy_type)]
		energy_type: EnergyType,
		/// Its owner.
		#[arg(long)]
		owner: String,
		/// The account that reports its generation (default: the owner).
		#[arg(long)]
		meter: Option<String>,
		/// Its rated peak power, e.g. 250kW: its meter may report at most a day's production
		/// at this power at once (the allowance refills as time passes); 0 for a factory that
		/// generates nothing.
		#[arg(long, value_parser = power, value_name = "POWER")]
		rated_power: u32,
		/// The energy it starts with.
		#[arg(long, value_parser = energy, default_value = "0")]
		energy: u64,
	},
	/// Show a factory.
	Get {
		/// The factory's id.
		id: FactoryId,
	},
	/// List every factory.
	List,
	/// The factories an account owns (the signer's when no account is given).
	Mine {
		/// The account.
		account: Option<String>,
	},
	/// Show a factory's energy.
	Balance {
		/// The factory's id.
		id: FactoryId,
	},
	/// Report energy a factory generated (sign as its meter). At most what the factory's
	/// generation allowance holds (`factory get` shows it): a day's production at its rated
	/// power, refilled as time passes.
	#[command(after_help = "Example:\n  energy-cli --suri //Alice factory mint Factory01 500kWh")]
	Mint {
		/// The factory's id.
		id: FactoryId,
		/// How much, e.g. 500kWh.
		#[arg(value_parser = energy)]
		amount: u64,
	},
	/// Report energy a factory consumed, which is burned (sign as its meter).
	Consume {
		/// The factory's id.
		id: FactoryId,
		/// How much.
		#[arg(value_parser = energy)]
		amount: u64,
	},
	/// Move energy between factories without payment (sign as the sender's owner).
	#[command(
		after_help = "Example:\n  energy-cli --suri //Alice factory transfer Factory01 Factory07 10kWh"
	)]
	Transfer {
		/// The factory it leaves.
		from: FactoryId,
		/// The factory it reaches.
		to: FactoryId,
		/// How much.
		#[arg(value_parser = energy)]
		amount: u64,
	},
	/// Make an account a factory's meter (Root only: sign with the sudo key, //Alice on the dev
	/// chain). An owner asks with `factory request-meter`.
	#[command(
		after_help = "Example:\n  energy-cli --suri //Alice factory set-meter Factory02 Ferdie"
	)]
	SetMeter {
		/// The factory's id.
		id: FactoryId,
		/// The new meter account.
		meter: String,
	},
	/// Ask the registrar to make an account your factory's meter (sign as its owner): meters
	/// are the registrar's to assign, so that no owner reports its own generation unchecked.
	#[command(
		after_help = "Example:\n  energy-cli --suri //Bob factory request-meter Factory02 Ferdie"
	)]
	RequestMeter {
		/// The factory's id.
		id: FactoryId,
		/// The meter account asked for.
		meter: String,
	},
	/// Change a factory's rated power (Root only: sign with the sudo key). Its allowance keeps
	/// what it earned, up to a day at the new rating.
	#[command(
		after_help = "Example:\n  energy-cli --suri //Alice factory set-rating Factory02 3MW"
	)]
	SetRating {
		/// The factory's id.
		id: FactoryId,
		/// Its new rated peak power, e.g. 3MW.
		#[arg(value_parser = power)]
		rated_power: u32,
	},
	/// A factory's history from the node's index of the ledger's events: the newest 100 records,
	/// or every record from a block on.
	#[command(
		after_help = "Examples:\n  energy-cli factory history Factory01\n  energy-cli factory history Factory01 --from-block 0"
	)]
	History {
		/// The factory's id.
		id: FactoryId,
		/// Every record from this block on (the node's index says from which block it is
		/// complete).
		#[arg(long, value_name = "BLOCK")]
		from_block: Option<u32>,
	},
}

#[derive(Subcommand, Debug)]
pub enum TradeCmd {
	/// Offer a factory's energy to another factory at a price (sign as the seller's owner; a
	/// deposit, 1 ECT on Energy Chain, is held until the trade is executed or cancelled).
	#[command(
		after_help = "Example:\n  energy-cli --suri //Alice trade create Factory01 Factory04 200kWh --price 0.08"
	)]
	Create {
		/// The selling factory.
		seller: FactoryId,
		/// The buying factory.
		buyer: FactoryId,
		/// How much energy.
		#[arg(value_parser = energy)]
		amount: u64,
		/// The price in ECT per kWh, e.g. 0.08.
		#[arg(long, value_parser = ect)]
		price: u128,
	},
	/// Pay for a pending trade and receive its energy (sign as the buyer's owner).
	#[command(after_help = "Example:\n  energy-cli --suri //Dave trade execute 0 --max-total 16")]
	Execute {
		/// The trade's id.
		trade_id: TradeId,
		/// The most you pay in ECT (default: the trade's total price as it stands).
		#[arg(long, value_parser = ect)]
		max_total: Option<u128>,
	},
	/// Cancel (seller) or reject (buyer) a pending trade.
	Cancel {
		/// The trade's id.
		trade_id: TradeId,
	},
	/// Show a trade.
	Get {
		/// The trade's id.
		trade_id: TradeId,
	},
	/// List a factory's trades: pending ones, and those finished within the trade retention (a
	/// day on Energy Chain; older ones are in `factory history`).
	List {
		/// The factory's id.
		factory: FactoryId,
	},
}

#[derive(Subcommand, Debug)]
pub enum BusCmd {
	/// Create a bus (you pay a 10 ECT deposit, returned when it closes).
	#[command(
		after_help = "Example:\n  energy-cli --suri //Alice bus create \"Harbour Grid\" --owner Alice --owner Bob --capacity 2MWh --base-price 0.05"
	)]
	Create {
		/// Its name.
		name: String,
		/// A co-owner (repeat for several).
		#[arg(long = "owner", required = true)]
		owners: Vec<String>,
		/// The most energy its open offers may carry.
		#[arg(long, value_parser = energy)]
		capacity: u64,
		/// The reserve price in ECT per kWh.
		#[arg(long, value_parser = ect)]
		base_price: u128,
	},
	/// Show a bus.
	Get {
		/// The bus's id.
		bus_id: BusId,
	},
	/// List every bus, with its owners, capacity (and how much is free) and base price.
	List,
	/// The buses an account co-owns (the signer's when no account is given).
	Mine {
		/// The account.
		account: Option<String>,
	},
	/// Ask to add a co-owner (takes effect once enough owners asked).
	AddOwner { bus_id: BusId, account: String },
	/// Ask to remove a co-owner.
	RemoveOwner { bus_id: BusId, account: String },
	/// Ask to change the capacity.
	SetCapacity {
		bus_id: BusId,
		#[arg(value_parser = energy)]
		capacity: u64,
	},
	/// Ask to change the reserve price (ECT per kWh).
	SetBasePrice {
		bus_id: BusId,
		#[arg(value_parser = ect)]
		price: u128,
	},
	/// Ask to change how many owners must agree to a change.
	SetThreshold { bus_id: BusId, threshold: u32 },
	/// Ask to close the bus (it must have no open offers).
	Close { bus_id: BusId },
	/// The changes waiting for approvals, with their ids.
	Proposals { bus_id: BusId },
	/// Approve a pending change by its id (see `bus proposals`); fails if it was applied or
	/// lapsed.
	#[command(
		after_help = "Example:\n  energy-cli bus proposals 3\n  energy-cli --suri //Bob bus approve 3 0"
	)]
	Approve { bus_id: BusId, proposal_id: ProposalId },
	/// Withdraw a proposal you opened (an owner may have 4 open on a bus at once).
	#[command(after_help = "Example:\n  energy-cli --suri //Alice bus withdraw 3 1")]
	Withdraw { bus_id: BusId, proposal_id: ProposalId },
	/// Show the market parameters (lock duration, receipt retention, proposal lifetime, offer
	/// lifetime).
	Params,
	/// Show the lock terms: the lock fee and the largest share of an offer one lock may take.
	LockTerms,
	/// Set the lock terms (Root only: sign with the sudo key); unset ones keep their value.
	#[command(
		after_help = "Example:\n  energy-cli --suri //Alice bus set-lock-terms --fee 2% --min-fee 0.01 --max-share 25%"
	)]
	SetLockTerms {
		/// The lock fee's share of the payment a lock holds, e.g. 1%.
		#[arg(long, value_parser = share)]
		fee: Option<u32>,
		/// The least a lock fee is, in ECT (at least the existential deposit, 0.001).
		#[arg(long, value_parser = ect)]
		min_fee: Option<u128>,
		/// The most of an offer one lock may reserve, e.g. 10%.
		#[arg(long, value_parser = share)]
		max_share: Option<u32>,
	},
	/// Set the market parameters (Root only: sign with the sudo key); unset ones keep their
	/// value.
	#[command(
		after_help = "Example:\n  energy-cli --suri //Alice bus set-params --lock-duration 100 --offer-lifetime 14400"
	)]
	SetParams {
		/// How many blocks a lock lasts.
		#[arg(long)]
		lock_duration: Option<u32>,
		/// How many blocks receipts are kept.
		#[arg(long)]
		receipt_retention: Option<u32>,
		/// How many blocks a proposal waits for approvals.
		#[arg(long)]
		proposal_lifetime: Option<u32>,
		/// How many blocks a new offer stays open.
		#[arg(long)]
		offer_lifetime: Option<u32>,
	},
}

#[derive(Subcommand, Debug)]
pub enum OfferCmd {
	/// Offer a factory's energy on a bus (sign as the factory's owner).
	#[command(
		after_help = "Example:\n  energy-cli --suri //Alice offer create 0 Factory01 100kWh --price 0.09"
	)]
	Create {
		/// The bus.
		bus_id: BusId,
		/// The factory the energy comes from.
		factory: FactoryId,
		/// How much.
		#[arg(value_parser = energy)]
		amount: u64,
		/// The asking price in ECT per kWh.
		#[arg(long, value_parser = ect)]
		price: u128,
	},
	/// Cancel your offer; its unlocked energy returns to the factory.
	Cancel { offer_id: OfferId },
	/// Show an offer.
	Get { offer_id: OfferId },
	/// The open offers on a bus.
	List { bus_id: BusId },
	/// An account's offers on every bus (the signer's when no account is given).
	Mine {
		/// The account.
		account: Option<String>,
	},
	/// An offer's live locks.
	Locks { offer_id: OfferId },
}

#[derive(Args, Debug)]
pub struct BuyArgs {
	/// The offer.
	pub offer_id: OfferId,
	/// How much energy.
	#[arg(value_parser = energy)]
	pub amount: u64,
	/// Your factory that receives it.
	#[arg(long)]
	pub into: FactoryId,
	/// The most you pay in ECT per kWh (default: the offer's current price).
	#[arg(long, value_parser = ect)]
	pub max_price: Option<u128>,
	/// Use exactly this market nonce (to repeat a call whose outcome you did not see).
	#[arg(long)]
	pub nonce: Option<u64>,
}

#[derive(Args, Debug)]
pub struct BatchBuyArgs {
	/// Your factory that receives the energy.
	#[arg(long)]
	pub into: FactoryId,
	/// Items as OFFER:AMOUNT or OFFER:AMOUNT@MAXPRICE (default price: the offer's), at most 10.
	#[arg(required = true, value_parser = batch_item)]
	pub items: Vec<BatchItemArg>,
	/// Use exactly this market nonce.
	#[arg(long)]
	pub nonce: Option<u64>,
}

#[derive(Args, Debug)]
pub struct LockArgs {
	/// The offer.
	pub offer_id: OfferId,
	/// How much energy (at most the lock terms' share of the offer).
	#[arg(value_parser = energy)]
	pub amount: u64,
	/// Your factory the energy is for (a purchase through the lock delivers there).
	#[arg(long, required_unless_present = "quote")]
	pub into: Option<FactoryId>,
	/// Only show what the lock would hold and cost (the lock fee), without signing.
	#[arg(long)]
	pub quote: bool,
	/// Use exactly this market nonce.
	#[arg(long)]
	pub nonce: Option<u64>,
}

#[derive(Subcommand, Debug)]
pub enum TxCmd {
	/// Whether the buying call with this receipt hash ran (receipts are kept for 7 days).
	Processed {
		/// The receipt hash (0x + 64 hex digits), as `buy` prints it.
		receipt: String,
	},
}

#[derive(Args, Debug)]
pub struct WatchArgs {
	/// Follow finalized blocks rather than best blocks.
	#[arg(long)]
	pub finalized_blocks: bool,
	/// Show every event, not only the energy pallets'.
	#[arg(long)]
	pub all: bool,
	/// Stop after this many blocks.
	#[arg(long)]
	pub blocks: Option<u64>,
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::CommandFactory;

	#[test]
	fn the_command_line_is_consistent() {
		Cli::command().debug_assert();
	}

	#[test]
	fn batch_items_read_offer_amount_and_price() {
		assert_eq!(
			batch_item("3:1.5kWh"),
			Ok(BatchItemArg { offer_id: OfferId(3), energy_wh: 1_500, max_price_per_kwh: None })
		);
		assert_eq!(
			batch_item("0:10kWh@0.07"),
			Ok(BatchItemArg {
				offer_id: OfferId(0),
				energy_wh: 10_000,
				max_price_per_kwh: Some(70_000_000_000)
			})
		);
		assert!(batch_item("10kWh").unwrap_err().contains("OFFER:AMOUNT"));
		assert!(batch_item("x:10kWh").unwrap_err().contains("not an offer id"));
		assert!(batch_item("1:10 joules").is_err());
	}

	#[test]
	fn global_options_and_amounts_parse() {
		let cli = Cli::try_parse_from([
			"energy-cli",
			"--json",
			"--suri",
			"//Dave",
			"buy",
			"2",
			"1.5kWh",
			"--into",
			"Factory04",
			"--max-price",
			"0.08",
		])
		.unwrap();
		assert!(cli.json);
		match cli.command {
			Command::Buy(buy) => {
				assert_eq!(
					(buy.offer_id, buy.amount, buy.max_price),
					(OfferId(2), 1_500, Some(80_000_000_000))
				);
				assert_eq!(buy.into.as_str(), "Factory04");
			},
			other => panic!("parsed {other:?}"),
		}
		let error = Cli::try_parse_from(["energy-cli", "factory", "mint", "Factory01", "5 joules"])
			.unwrap_err()
			.to_string();
		assert!(error.contains("unknown unit"), "{error}");
		assert!(Cli::try_parse_from(["energy-cli", "--suri", "//A", "--suri-file", "f", "nonce"])
			.is_err());
	}
}
