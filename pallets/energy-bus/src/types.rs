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
	/// The payment held from the holder for that energy.
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
	/// The payment the lock holds (returned if it ends unused, paid to the seller if bought).
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
	/// The total paid: `ceil(energy_wh × price_per_kwh / 1000)`.
	pub total_price: Balance,
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
