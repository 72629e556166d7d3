//! The types the energy-bus market stores and its queries return.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::fungible, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::Perbill;

use crate::Config;

pub use pallet_energy_trading::{EnergyWh, WH_PER_KWH};

/// A bus's chain-assigned id.
pub type BusId = u32;
/// An offer's chain-assigned id.
pub type OfferId = u64;
/// A lock's chain-assigned id.
pub type LockId = u64;
/// A purchase's chain-assigned id.
pub type PurchaseId = u64;
/// A purchase id as the buyer index keys it: big-endian bytes, so that the index (hashed with
/// `Identity`) keeps each buyer's calls in id order.
pub type PurchaseKey = [u8; 8];
/// A buyer's market nonce.
pub type MarketNonce = u64;
/// The receipt hash of a buying call: `blake2_256(SCALE(buyer, nonce, call arguments))`.
pub type ReceiptHash = H256;

/// The most items one page of a listing query returns.
pub const MAX_PAGE: u32 = 100;

/// The most storage entries one page of a listing reads to find its items (four pages' worth),
/// where entries can be missing (the gaps closed buses leave in the bus ids) or must be read to
/// be ordered (an account's offers): a page stays bounded however sparse or large the set is.
pub const MAX_SCAN: u32 = 4 * MAX_PAGE;

/// The native currency's balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A bus name such as `Solar Farm A`.
pub type BusNameOf<T> = BoundedVec<u8, <T as Config>::MaxBusNameLength>;

/// The co-owners of a bus.
pub type OwnersOf<T> = BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxOwners>;

/// An energy bus: a grid segment that carries offers, owned by several accounts.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Bus<AccountId, Balance, BlockNumber, Name, Owners> {
	/// Its id.
	pub id: BusId,
	/// Its display name.
	pub name: Name,
	/// Its co-owners (at least one).
	pub owners: Owners,
	/// How many distinct owners must ask for a change before it takes effect (1 = at once).
	pub approval_threshold: u32,
	/// The most energy its open offers may carry at once, in Wh.
	pub capacity_wh: EnergyWh,
	/// The energy its open offers carry now (unsold, locked included), in Wh.
	pub committed_wh: EnergyWh,
	/// The reserve price: offers on the bus may not ask less per kWh.
	pub base_price_per_kwh: Balance,
	/// How many of its offers are still stored: open, or cancelled with energy under live locks
	/// (those leave when their last lock ends). A bus closes only without any.
	pub open_offers: u32,
	/// Who created it and holds its deposit.
	pub creator: AccountId,
	/// The deposit held from the creator until the bus is closed.
	pub deposit: Balance,
	/// The block it was created in.
	pub created_at: BlockNumber,
}

/// A bus as this pallet stores it.
pub type BusOf<T> = Bus<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	BusNameOf<T>,
	OwnersOf<T>,
>;

/// One page of the listing of all buses (the `buses` view function and runtime API method).
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct BusPage<Bus> {
	/// The buses found, in id order: at most the `limit` asked for.
	pub buses: alloc::vec::Vec<Bus>,
	/// Where the next page starts: the last bus id this page read, to pass as `start_after`;
	/// `None` once the page read up to the newest bus id, so no bus is left to list. A page may
	/// hold fewer buses than asked for (even none) and still have a next page: it reads at most
	/// [`MAX_SCAN`] ids, and the ids of closed buses are gaps.
	pub next_start_after: Option<BusId>,
}

/// A change to a bus that its owners decide together.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum BusChange<AccountId, Balance> {
	/// Add a co-owner.
	AddOwner(AccountId),
	/// Remove a co-owner.
	RemoveOwner(AccountId),
	/// Set the capacity, in Wh.
	SetCapacity(EnergyWh),
	/// Set the reserve price per kWh.
	SetBasePrice(Balance),
	/// Set how many owners must approve a change.
	SetApprovalThreshold(u32),
	/// Close the bus and return its deposit.
	Close,
	/// Run periodic double auctions with these settings (a round opens at once if none is
	/// open), or stop them (`None`: the open round still clears; no next one opens). The open
	/// round keeps the settings it opened with.
	SetAuction(Option<AuctionSettings<Balance>>),
	/// Set the grid fee per kWh that buyers pay to the bus's owners on top of the price: for
	/// offers made and rounds opened from now on (open offers and the open round keep theirs).
	SetGridFee(Balance),
	/// Set an owner's shares of the grid fees (1 to `MAX_FEE_SHARES`; every owner has 1 when
	/// added): fees collected from now on are split by shares.
	SetFeeShares(AccountId, FeeShareCount),
}

/// A change as this pallet stores it.
pub type BusChangeOf<T> = BusChange<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// A proposal's id: unique across buses, never reused.
pub type ProposalId = u32;

/// A change some owners asked for, waiting for the rest of the approval threshold.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Proposal<Change, Owners, BlockNumber> {
	/// Its id: `approve_bus_change` names it.
	pub id: ProposalId,
	/// The change.
	pub change: Change,
	/// The owners who asked for it so far, its proposer first (see `withdraw_bus_change`).
	pub approvals: Owners,
	/// The block after which it lapses.
	pub expires_at: BlockNumber,
}

/// A proposal as this pallet stores it.
pub type ProposalOf<T> = Proposal<BusChangeOf<T>, OwnersOf<T>, BlockNumberFor<T>>;

/// Where an offer stands.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum OfferStatus {
	/// Open: its available energy can be bought or locked.
	Open,
	/// Cancelled by the seller: only live locks can still be bought.
	Cancelled,
	/// Everything was sold or returned.
	Closed,
}

/// Energy a seller offers on a bus.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Offer<AccountId, Balance, BlockNumber, FactoryId> {
	/// Its id.
	pub id: OfferId,
	/// The bus it is on.
	pub bus_id: BusId,
	/// The seller (the factory's owner when the offer was made).
	pub seller: AccountId,
	/// The factory the energy came from and returns to.
	pub factory: FactoryId,
	/// The energy first offered, in Wh.
	pub energy_wh: EnergyWh,
	/// Energy anyone may buy or lock now, in Wh.
	pub available_wh: EnergyWh,
	/// Energy reserved by live locks, in Wh.
	pub locked_wh: EnergyWh,
	/// Energy sold so far, in Wh.
	pub sold_wh: EnergyWh,
	/// The asking price per kWh.
	pub price_per_kwh: Balance,
	/// The bus's grid fee per kWh when the offer was made: a buyer pays it on top of the
	/// price, to the bus's owners, for every kWh bought (it does not change with the bus's).
	pub grid_fee_per_kwh: Balance,
	/// How many locks it has.
	pub locks: u32,
	/// Where it stands.
	pub status: OfferStatus,
	/// The block it was created in.
	pub created_at: BlockNumber,
	/// Its last block: it can be bought or locked up to this block, then it ends unsold
	/// (`OfferExpired`), its creation block plus the offer lifetime.
	pub expires_at: BlockNumber,
}

/// An offer as this pallet stores it.
pub type OfferOf<T> = Offer<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::FactoryId,
>;

/// Energy of an offer reserved for one buyer's factory until a block, with the payment held.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Lock<AccountId, Balance, BlockNumber, FactoryId> {
	/// Its id.
	pub id: LockId,
	/// The offer it reserves energy of.
	pub offer_id: OfferId,
	/// The buyer who holds it.
	pub holder: AccountId,
	/// The holder's factory the energy is for: a purchase through the lock delivers into it.
	pub factory: FactoryId,
	/// The energy reserved, in Wh.
	pub energy_wh: EnergyWh,
	/// The price per kWh, fixed when the lock was taken.
	pub price_per_kwh: Balance,
	/// The payment held from the holder for that energy: its price and the offer's grid fee.
	pub held: Balance,
	/// The last block in which it can be used; it ends after this block.
	pub expires_at: BlockNumber,
}

/// A lock as this pallet stores it.
pub type LockOf<T> = Lock<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::FactoryId,
>;

/// The offers an account released a lock on, each with the last block of its cooldown: until
/// then the account may not lock that offer again, and the entry takes one of the account's
/// `MaxLocksPerAccount` lock slots.
pub type CooldownsOf<T> =
	BoundedVec<(OfferId, BlockNumberFor<T>), <T as Config>::MaxLocksPerAccount>;

/// What a lock costs and how much of an offer it may take: kept in storage, changed by
/// `AdminOrigin` (`set_lock_terms`).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct LockTerms<Balance> {
	/// The lock fee's share of the payment a lock holds (default 1%). The fee is paid to the
	/// seller when the lock is taken and is not refunded: a lock keeps energy from other
	/// buyers, and the seller from selling it, for the lock's duration.
	pub fee: Perbill,
	/// The least a lock fee is (default ten times the existential deposit; never below the
	/// existential deposit, so the fee can always be paid to a seller whose account was
	/// reaped).
	pub min_fee: Balance,
	/// The most of an offer's energy (as first offered) one lock may reserve (default 10%;
	/// at least 1 Wh).
	pub max_share: Perbill,
}

/// What locking energy of an offer would take now: the `lock_quote` view, shown before a lock
/// is signed.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct LockQuote<Balance, BlockNumber> {
	/// The payment the lock holds: the energy at the offer's price plus its grid fee (returned
	/// if it ends unused; if bought, the price goes to the seller and the fee to the bus).
	pub held: Balance,
	/// The lock fee, paid to the seller when the lock is taken and never refunded.
	pub fee: Balance,
	/// The most energy one lock of this offer may reserve, in Wh.
	pub max_energy_wh: EnergyWh,
	/// The last block the lock could be used in, if taken in the next block.
	pub expires_at: BlockNumber,
}

/// A completed purchase.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Purchase<AccountId, Balance, BlockNumber, FactoryId> {
	/// Its id.
	pub id: PurchaseId,
	/// The offer bought from.
	pub offer_id: OfferId,
	/// The offer's bus.
	pub bus_id: BusId,
	/// The buyer.
	pub buyer: AccountId,
	/// The seller.
	pub seller: AccountId,
	/// The factory that received the energy.
	pub into_factory: FactoryId,
	/// The energy bought, in Wh.
	pub energy_wh: EnergyWh,
	/// The price per kWh paid.
	pub price_per_kwh: Balance,
	/// The total paid to the seller: `ceil(energy_wh × price_per_kwh / 1000)`.
	pub total_price: Balance,
	/// The grid fee paid to the bus's owners on top: `ceil(energy_wh × the offer's grid fee
	/// per kWh / 1000)`.
	pub grid_fee: Balance,
	/// The block it happened in.
	pub block: BlockNumber,
	/// The receipt of the buying call it was part of.
	pub receipt: ReceiptHash,
}

/// A purchase as this pallet stores it.
pub type PurchaseOf<T> = Purchase<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::FactoryId,
>;

/// The record that a buying call ran.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Receipt<AccountId, BlockNumber, PurchaseIds> {
	/// The buyer.
	pub buyer: AccountId,
	/// The buyer's market nonce the call used.
	pub nonce: MarketNonce,
	/// The block it ran in.
	pub block: BlockNumber,
	/// The purchases it made (none for a lock).
	pub purchases: PurchaseIds,
}

/// A receipt as this pallet stores it.
pub type ReceiptOf<T> = Receipt<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	BoundedVec<PurchaseId, <T as Config>::MaxBatchSize>,
>;

/// One item of a batch purchase.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct BatchItem<Balance> {
	/// The offer to buy from.
	pub offer_id: OfferId,
	/// How much, in Wh.
	pub energy_wh: EnergyWh,
	/// The most the buyer pays per kWh.
	pub max_price_per_kwh: Balance,
}

/// The market parameters kept in storage and changed by `AdminOrigin`.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct MarketParams<BlockNumber> {
	/// How many blocks a lock lasts (default 50: five minutes at 6 s).
	pub lock_duration: BlockNumber,
	/// How many blocks receipts stay queryable before they are pruned (default 7 days).
	pub receipt_retention: BlockNumber,
	/// How many blocks an owner proposal waits for approvals (default 1 day).
	pub proposal_lifetime: BlockNumber,
}

/// Why one item of a batch purchase failed.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	frame_support::PalletError,
)]
pub enum PurchaseFailure {
	/// No open offer has this id.
	OfferNotFound,
	/// The offer is cancelled and the buyer holds no lock on it.
	OfferNotOpen,
	/// The buyer is the offer's seller.
	OwnOffer,
	/// The item asks for zero energy.
	ZeroEnergy,
	/// The offer has less unlocked energy than asked for.
	NotEnoughEnergy,
	/// The offer's price is above the item's limit.
	PriceAboveLimit,
	/// The buyer cannot pay for this item (with the items before it).
	InsufficientFunds,
	/// An amount would overflow.
	Overflow,
	/// The factory ledger refused the delivery.
	Ledger,
	/// The currency refused the payment: the seller's account could not take it (it was
	/// reaped and the payment is below the existential deposit, or its balance would
	/// overflow). A single purchase fails with `SellerCannotReceive` for this.
	Payment,
	/// The buyer holds a lock on the offer for another factory than the call's: a lock's
	/// energy goes only into the factory it was taken for.
	LockFactoryMismatch,
	/// The offer reached its end (`expires_at`).
	OfferExpired,
}

/// A bus in the genesis config.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisBus<AccountId, Balance> {
	/// Its display name.
	pub name: alloc::string::String,
	/// Who creates it and pays the deposit.
	pub creator: AccountId,
	/// Its co-owners.
	pub owners: alloc::vec::Vec<AccountId>,
	/// Its capacity, in Wh.
	pub capacity_wh: EnergyWh,
	/// Its reserve price per kWh.
	pub base_price_per_kwh: Balance,
}

/// An offer in the genesis config.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisOffer<AccountId, Balance> {
	/// The bus (genesis buses get ids 0, 1, 2, … in order).
	pub bus_id: BusId,
	/// The seller, who owns `factory`.
	pub seller: AccountId,
	/// The id of the factory the energy comes from, such as `Factory01`.
	pub factory: alloc::string::String,
	/// How much, in Wh.
	pub energy_wh: EnergyWh,
	/// The asking price per kWh.
	pub price_per_kwh: Balance,
}

/// An auction round's chain-assigned id (unique across buses).
pub type RoundId = u64;
/// An auction order's chain-assigned id.
pub type OrderId = u64;
/// A price's place on a round's tick grid: tick `k` is the price `base + k × tick_size`.
pub type Tick = u16;

/// How many ticks one page of a round's book holds: placing or cancelling an order reads and
/// writes one page; clearing reads every page of both sides (at most `MaxTicks / 64` each).
pub const TICKS_PER_PAGE: u32 = 64;

/// One page of one side of a round's book: the energy its orders ask for at each of
/// [`TICKS_PER_PAGE`] ticks, in Wh (shorter when its last ticks hold nothing yet).
pub type BookPage = BoundedVec<EnergyWh, frame_support::traits::ConstU32<TICKS_PER_PAGE>>;

/// A bus's auction settings, set by its owners through the approval threshold
/// (`BusChange::SetAuction`): a new round opens every `round_length` blocks, with prices on
/// the grid `base price + k × tick_size` for `k` in `0..ticks`.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct AuctionSettings<Balance> {
	/// How many blocks a round accepts orders (1 to `MaxRoundLength`; 150 is 15 minutes at
	/// 6 s).
	pub round_length: u32,
	/// The step between two prices of the grid, per kWh (above zero).
	pub tick_size: Balance,
	/// How many prices the grid has (1 to `MaxTicks`): the highest is the price cap,
	/// `base price + (ticks − 1) × tick_size`.
	pub ticks: Tick,
}

/// The side of an auction order.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Side {
	/// A buyer's order: energy wanted at most at its limit price.
	Bid,
	/// A seller's order: energy offered at least at its limit price.
	Ask,
}

/// How the orders at one side's marginal tick share what is left of the volume for them,
/// `share_wh` of their `of_wh`: cumulatively, so that settling them in any order adds up to
/// `share_wh` exactly. An order settled when the tick's orders settled before it asked for
/// `settled_wh` gets `floor(share × (settled + its energy) / of) − floor(share × settled / of)`:
/// its pro-rata share `energy × share / of` rounded down or up (never by a whole Wh), and never
/// more than its energy. Which orders get the rounded-up shares depends on the order they are
/// settled in.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Marginal {
	/// The side's marginal tick: better orders fill whole, worse ones not at all.
	pub tick: Tick,
	/// The energy the tick's orders share, in Wh (above zero, at most `of_wh`).
	pub share_wh: EnergyWh,
	/// The energy the tick's orders ask for, in Wh.
	pub of_wh: EnergyWh,
	/// The energy the tick's orders settled so far asked for, in Wh.
	pub settled_wh: EnergyWh,
}

/// What a round's clearing found, and how far its settlement got.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Clearing<Balance> {
	/// The uniform price's tick.
	pub price_tick: Tick,
	/// The uniform price per kWh every fill trades at.
	pub price_per_kwh: Balance,
	/// The energy traded, in Wh.
	pub volume_wh: EnergyWh,
	/// The bids' marginal tick and what is left of its share.
	pub bids: Marginal,
	/// The asks' marginal tick and what is left of its share.
	pub asks: Marginal,
	/// The energy delivered to the bids settled so far, in Wh.
	pub bids_settled_wh: EnergyWh,
	/// The energy sold by the asks settled so far, in Wh.
	pub asks_settled_wh: EnergyWh,
}

/// Where a round stands.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub enum RoundStatus<Balance> {
	/// It accepts orders up to its gate (then waits in the clearing queue).
	Open,
	/// It cleared with a trade: its orders are being settled.
	Cleared(Clearing<Balance>),
	/// It cleared without a trade (no bid met an ask, or the bus had no free capacity): its
	/// orders are being returned.
	NoTrade,
}

/// A round of a bus's periodic double auction.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Round<Balance, BlockNumber> {
	/// Its id.
	pub id: RoundId,
	/// The bus.
	pub bus_id: BusId,
	/// The block it opened in.
	pub opened_at: BlockNumber,
	/// Its gate: the last block it accepts orders in; it clears in a later block's
	/// `on_initialize` (the next one, unless many rounds close at once).
	pub gate_closes_at: BlockNumber,
	/// The price of its tick 0: the bus's base price when it opened.
	pub base_price_per_kwh: Balance,
	/// The step between two of its prices.
	pub tick_size: Balance,
	/// How many prices its grid has.
	pub ticks: Tick,
	/// How many orders it has (placed and not cancelled).
	pub orders: u32,
	/// How many of them are not settled yet.
	pub unsettled: u32,
	/// How many of the settled ones traded some energy.
	pub filled_orders: u32,
	/// The energy its bids ask for, in Wh.
	pub bid_wh: EnergyWh,
	/// The energy its asks offer, in Wh.
	pub ask_wh: EnergyWh,
	/// The bus's grid fee per kWh when it opened: its bids pay it on top of the clearing
	/// price for every kWh they get.
	pub grid_fee_per_kwh: Balance,
	/// The grid fees its settled bids paid so far (all of them once it is a result).
	pub grid_fees: Balance,
	/// The energy the market escrow holds for it now (its asks' energy, less what settled), in
	/// Wh.
	pub escrowed_wh: EnergyWh,
	/// The money the market account holds for it now (its bids' payments, less what settled).
	pub escrowed: Balance,
	/// Where it stands.
	pub status: RoundStatus<Balance>,
}

/// A round as this pallet stores it.
pub type RoundOf<T> = Round<BalanceOf<T>, BlockNumberFor<T>>;

/// An order in an auction round.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Order<AccountId, Balance, FactoryId> {
	/// Its id.
	pub id: OrderId,
	/// The round.
	pub round_id: RoundId,
	/// The round's bus.
	pub bus_id: BusId,
	/// Who placed it.
	pub owner: AccountId,
	/// Bid or ask.
	pub side: Side,
	/// A bid's factory receives the energy; an ask's gave it.
	pub factory: FactoryId,
	/// The energy, in Wh.
	pub energy_wh: EnergyWh,
	/// The limit price's tick.
	pub limit_tick: Tick,
	/// The limit price per kWh: a bid pays at most this, an ask gets at least this.
	pub limit_price_per_kwh: Balance,
	/// A bid's payment at its limit plus the round's grid fee, moved to the market account
	/// until settlement (zero for an ask).
	pub escrow: Balance,
	/// The order deposit held from its owner until settlement.
	pub deposit: Balance,
	/// The market nonce it was placed with (`None` for an order of the genesis config).
	pub nonce: Option<MarketNonce>,
}

/// An order as this pallet stores it.
pub type OrderOf<T> =
	Order<<T as frame_system::Config>::AccountId, BalanceOf<T>, <T as Config>::FactoryId>;

/// An open round's book: the energy bid and asked at each tick, in Wh (the `round_book` view).
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct RoundBook {
	/// The bids' energy at each tick, from tick 0 (the base price) up.
	pub bids: alloc::vec::Vec<EnergyWh>,
	/// The asks' energy at each tick, from tick 0 up.
	pub asks: alloc::vec::Vec<EnergyWh>,
}

/// A bus that runs auctions from genesis: its first round opens in block 0.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisAuction<Balance> {
	/// The bus (genesis buses get ids 0, 1, 2, … in order).
	pub bus_id: BusId,
	/// Its auction settings.
	pub settings: AuctionSettings<Balance>,
}

/// A bus's grid fee set at genesis, after the genesis offers and orders (which carry none): the
/// bus's later offers and rounds carry it.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisGridFee<Balance> {
	/// The bus (genesis buses get ids 0, 1, 2, … in order).
	pub bus_id: BusId,
	/// The fee per kWh.
	pub per_kwh: Balance,
}

/// An order placed at genesis in a bus's first round (without a market nonce: the owner's
/// stays at 0).
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisOrder<AccountId, Balance> {
	/// The bus, which runs auctions from genesis.
	pub bus_id: BusId,
	/// Who places it, the factory's owner.
	pub owner: AccountId,
	/// Bid or ask.
	pub side: Side,
	/// The factory that receives (bid) or gives (ask) the energy, such as `Factory10`.
	pub factory: alloc::string::String,
	/// How much, in Wh.
	pub energy_wh: EnergyWh,
	/// The limit price per kWh, a price of the bus's grid.
	pub limit_price_per_kwh: Balance,
}

/// How many shares of its bus's grid fees an owner has.
pub type FeeShareCount = u16;

/// The most shares of a bus's grid fees one owner may have.
pub const MAX_FEE_SHARES: FeeShareCount = 10_000;

/// The fraction of a unit the fee-per-share accumulator keeps: `per_share` counts units of
/// `1 / FEE_PRECISION` of the currency's smallest unit.
pub const FEE_PRECISION: u128 = 1_000_000_000;

/// A bus's grid fee and its pot: the fees its buyers paid, kept in the market account until
/// the owners claim them, and the running fee per share that says what each owner may claim.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen, Default)]
pub struct GridFee<Balance> {
	/// The fee per kWh that new offers and rounds of the bus carry.
	pub per_kwh: Balance,
	/// The shares of the owners who earn now (removed owners have none).
	pub total_shares: u32,
	/// How many accounts have a part ([`FeeShare`]): the owners, and former owners who have
	/// not claimed their earnings yet.
	pub members: u32,
	/// All fees collected per share since the bus was created, in `1 / FEE_PRECISION` units.
	pub per_share: u128,
	/// What the last division of collected fees by the shares left over, in the same units:
	/// added to the next fee, so that nothing is lost to rounding.
	pub remainder: u128,
	/// The fees in the pot: collected and not claimed yet.
	pub unclaimed: Balance,
}

/// An owner's (or former owner's) part of a bus's grid fees.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen, Default)]
pub struct FeeShare<Balance> {
	/// Its shares (zero once it is no longer an owner).
	pub shares: FeeShareCount,
	/// The pot's `per_share` when its earnings were last brought up to date.
	pub paid_per_share: u128,
	/// The fraction of a unit it earned beyond `earned`, in `1 / FEE_PRECISION` units.
	pub carry: u128,
	/// What it earned up to then and has not claimed.
	pub earned: Balance,
}

/// What an account may claim of one bus's grid fees (the `claimable_grid_fees` view).
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct ClaimableFees<Balance> {
	/// The bus.
	pub bus_id: BusId,
	/// The account's shares (zero for a former owner).
	pub shares: FeeShareCount,
	/// What `claim_grid_fees` would pay it now.
	pub amount: Balance,
}
