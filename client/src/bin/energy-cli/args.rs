//! The command line: global options and the subcommands, grouped as users think of them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use energy_client::{
	units, views::EnergyType, BatchPurchaseItem, BusId, FactoryId, LockId, OfferId, OrderId,
	ProposalId, TradeId,
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
	/// `None`: the offer's price plus its grid fee.
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
  energy-cli auction book 1
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
	/// Energy buses: create, look up, change owners, capacity, price, threshold, auctions and
	/// grid fees; claim grid fees.
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
	/// Auctions on a bus: bid, ask, cancel, claim; the open round, its book, results, orders.
	///
	/// A bus with auctions runs rounds: each takes bids and asks until its gate closes, then
	/// clears them all at one price, the one that trades the most energy; everyone who trades
	/// pays or gets that price, never worse than their limit.
	#[command(subcommand)]
	Auction(AuctionCmd),
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
	/// Ask to turn auctions on (or change their settings), or off with --off.
	///
	/// Rounds of --round-length blocks, with --ticks prices from the bus's base price in steps
	/// of --tick ECT per kWh; new settings apply from the next round on.
	#[command(
		after_help = "Example:\n  energy-cli --suri //Bob bus set-auction 1 --round-length 20 --tick 0.005 --ticks 40\n  energy-cli --suri //Bob bus set-auction 1 --off"
	)]
	SetAuction {
		/// The bus.
		bus_id: BusId,
		/// How many blocks a round takes orders (6 s each).
		#[arg(long, required_unless_present = "off", conflicts_with = "off")]
		round_length: Option<u32>,
		/// The step between two prices, in ECT per kWh.
		#[arg(long, value_parser = ect, required_unless_present = "off", conflicts_with = "off")]
		tick: Option<u128>,
		/// How many prices a round has (1 to 1024).
		#[arg(long, required_unless_present = "off", conflicts_with = "off")]
		ticks: Option<u16>,
		/// Stop the auctions (the open round still clears).
		#[arg(long)]
		off: bool,
	},
	/// Ask to change the grid fee, in ECT per kWh (0 for none).
	///
	/// Buyers pay it to the owners on top of the price, on offers made and rounds opened from
	/// then on.
	#[command(after_help = "Example:\n  energy-cli --suri //Bob bus set-grid-fee 1 0.005")]
	SetGridFee {
		/// The bus.
		bus_id: BusId,
		/// The fee in ECT per kWh.
		#[arg(value_parser = ect)]
		fee: u128,
	},
	/// Ask to change an owner's shares of the grid fees (1 to 10000).
	///
	/// Every owner has 1 when added; fees collected from then on are split by shares, what was
	/// earned before stays earned.
	#[command(after_help = "Example:\n  energy-cli --suri //Bob bus set-fee-shares 1 Bob 3")]
	SetFeeShares {
		/// The bus.
		bus_id: BusId,
		/// The owner.
		owner: String,
		/// Its shares.
		shares: u16,
	},
	/// Show a bus's grid fee, the fees not claimed yet, and what each owner may claim.
	///
	/// With ACCOUNT, that account's part too (a former owner's, say).
	#[command(after_help = "Example:\n  energy-cli bus fees 1")]
	Fees {
		/// The bus.
		bus_id: BusId,
		/// Another account to show the part of.
		account: Option<String>,
	},
	/// Claim your part of a bus's grid fees: what you earned since you last claimed.
	#[command(after_help = "Example:\n  energy-cli --suri //Bob bus claim-fees 1")]
	ClaimFees {
		/// The bus.
		bus_id: BusId,
	},
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

#[derive(Subcommand, Debug)]
pub enum AuctionCmd {
	/// Show a bus's open round: its gate (the last block it takes orders and cancellations
	/// in), its prices (a limit must be one of them) and its orders so far.
	#[command(after_help = "Example:\n  energy-cli auction round 1")]
	Round {
		/// The bus.
		bus_id: BusId,
	},
	/// Show the book of a bus's open round as a price ladder: the energy bid and asked at each
	/// price that holds orders, highest price first.
	#[command(after_help = "Example:\n  energy-cli auction book 1")]
	Book {
		/// The bus.
		bus_id: BusId,
	},
	/// Bid in a bus's open round: buy up to AMOUNT into your factory, paying at most --price
	/// per kWh (plus the round's grid fee, if the bus charges one). The payment at your limit
	/// and the fee move to the market account and a 1 ECT deposit is held until the round
	/// settles; you then pay the clearing price and the fee for what you get and the rest comes
	/// back. Uses your next market nonce.
	#[command(
		after_help = "Example:\n  energy-cli --suri //Ferdie auction bid 1 50kWh --price 0.09 --into Factory06"
	)]
	Bid {
		/// The bus.
		bus_id: BusId,
		/// The most energy to buy, e.g. 50kWh.
		#[arg(value_parser = energy)]
		amount: u64,
		/// Your limit, the most you pay in ECT per kWh before the grid fee: one of the round's
		/// prices (see `auction round`).
		#[arg(long, value_parser = ect)]
		price: u128,
		/// Your factory that receives the energy.
		#[arg(long)]
		into: FactoryId,
		/// Use exactly this market nonce (to repeat a call whose outcome you did not see).
		#[arg(long)]
		nonce: Option<u64>,
	},
	/// Ask in a bus's open round: sell up to AMOUNT of your factory for at least --price per
	/// kWh. The energy goes into escrow and a 1 ECT deposit is held until the round settles;
	/// you are then paid the clearing price for what you sell and the rest comes back. Uses
	/// your next market nonce.
	#[command(
		after_help = "Example:\n  energy-cli --suri //Ferdie auction ask 1 Factory12 40kWh --price 0.07"
	)]
	Ask {
		/// The bus.
		bus_id: BusId,
		/// Your factory the energy comes from.
		factory: FactoryId,
		/// The most energy to sell.
		#[arg(value_parser = energy)]
		amount: u64,
		/// Your limit, the least you take in ECT per kWh: one of the round's prices (the
		/// lowest is the bus's base price).
		#[arg(long, value_parser = ect)]
		price: u128,
		/// Use exactly this market nonce.
		#[arg(long)]
		nonce: Option<u64>,
	},
	/// Cancel your order before its round's gate closes: its payment or energy, and the
	/// deposit, come back at once.
	#[command(after_help = "Example:\n  energy-cli --suri //Ferdie auction cancel 5")]
	Cancel {
		/// The order's id (`auction orders` lists yours).
		order_id: OrderId,
	},
	/// Settle an order of a cleared round now (anyone may; everything goes to the order's
	/// owner). Rarely needed: the chain settles every order of a cleared round by itself right
	/// after it clears, and then the order is gone (OrderNotFound).
	#[command(after_help = "Example:\n  energy-cli --suri //Ferdie auction claim 4")]
	Claim {
		/// The order's id.
		order_id: OrderId,
	},
	/// A bus's last settled rounds, newest first: the clearing price, the energy traded, and
	/// the energy bid and asked.
	#[command(after_help = "Example:\n  energy-cli auction results 1")]
	Results {
		/// The bus.
		bus_id: BusId,
	},
	/// An account's unsettled orders and where each stands (the signer's when no account is
	/// given). An order leaves once it is settled or cancelled.
	#[command(after_help = "Example:\n  energy-cli auction orders Ferdie")]
	Orders {
		/// The account.
		account: Option<String>,
	},
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
	/// The most you pay in ECT per kWh, the bus's grid fee included (default: the offer's price
	/// plus its grid fee).
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
		let cli = Cli::try_parse_from([
			"energy-cli",
			"auction",
			"bid",
			"1",
			"50kWh",
			"--price",
			"0.09",
			"--into",
			"Factory06",
		])
		.unwrap();
		match cli.command {
			Command::Auction(AuctionCmd::Bid { bus_id, amount, price, into, nonce }) => {
				assert_eq!(
					(bus_id, amount, price, into.as_str(), nonce),
					(BusId(1), 50_000, 90_000_000_000, "Factory06", None)
				);
			},
			other => panic!("parsed {other:?}"),
		}
		assert!(Cli::try_parse_from(["energy-cli", "auction", "bid", "1", "50kWh", "--into", "F"])
			.unwrap_err()
			.to_string()
			.contains("--price"));
		let cli = Cli::try_parse_from(["energy-cli", "bus", "set-auction", "1", "--off"]).unwrap();
		match cli.command {
			Command::Bus(BusCmd::SetAuction { bus_id, round_length, tick, ticks, off }) => {
				assert_eq!(
					(bus_id, round_length, tick, ticks, off),
					(BusId(1), None, None, None, true)
				);
			},
			other => panic!("parsed {other:?}"),
		}
		let both = ["energy-cli", "bus", "set-auction", "1", "--off", "--ticks", "40"];
		assert!(Cli::try_parse_from(both).unwrap_err().to_string().contains("--off"));
		let error = Cli::try_parse_from(["energy-cli", "factory", "mint", "Factory01", "5 joules"])
			.unwrap_err()
			.to_string();
		assert!(error.contains("unknown unit"), "{error}");
		assert!(Cli::try_parse_from(["energy-cli", "--suri", "//A", "--suri-file", "f", "nonce"])
			.is_err());
	}
}
