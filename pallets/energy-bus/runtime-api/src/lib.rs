//! `EnergyBusApi`: the energy-bus market's queries, for the node's `energy_*` RPC methods and
//! for clients that call runtime APIs directly (polkadot.js `api.call.energyBusApi.*`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_energy_bus::{
	migrations::{
		v3::v2::OldLock,
		v4::v3::OldOffer,
		v6::v5::{OldOffer as V5Offer, OldPurchase as V5Purchase, OldRound as V5Round},
	},
	AuctionSettings, Bus, BusId, BusPage, ClaimableFees, EnergyWh, GridFee, Lock, LockQuote,
	LockTerms, MarketNonce, Offer, OfferId, Order, Purchase, PurchaseId, ReceiptHash, Round,
	RoundBook, RoundId,
};

/// A bus and its available capacity in Wh.
pub type BusDetails<AccountId, Balance, BlockNumber, BusName, Owners> =
	(Bus<AccountId, Balance, BlockNumber, BusName, Owners>, EnergyWh);

sp_api::decl_runtime_apis! {
	/// Queries of the energy-bus market (pallet-energy-bus).
	///
	/// Version 2 added `buses` and `account_offers`. Version 3: locks name the factory they
	/// buy into (`offer_locks`), and `lock_terms` and `lock_quote` tell what a lock costs.
	/// Version 4: offers have an end (`Offer::expires_at`), and `offer_lifetime` tells how long
	/// a new offer stays open. Version 5: the auctions (`auction_settings`, `current_round`,
	/// `round`, `round_book`, `round_results`, `account_orders`: a runtime before it has
	/// none of them). Version 6: grid fees (offers, purchases and rounds carry theirs;
	/// `grid_fee` and `claimable_grid_fees`).
	#[api_version(6)]
	pub trait EnergyBusApi<AccountId, Balance, BlockNumber, FactoryId, BusName, Owners>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
		FactoryId: Codec,
		BusName: Codec,
		Owners: Codec,
	{
		/// A bus and its available capacity in Wh.
		fn bus_details(bus_id: BusId) -> Option<BusDetails<AccountId, Balance, BlockNumber, BusName, Owners>>;

		/// The buses an account co-owns.
		fn user_buses(who: AccountId) -> Vec<BusId>;

		/// Up to `limit` (at most 100) open offers of a bus after `start_after`.
		#[changed_in(4)]
		fn bus_active_offers(
			bus_id: BusId,
			start_after: Option<OfferId>,
			limit: u32,
		) -> Vec<OldOffer<AccountId, Balance, BlockNumber, FactoryId>>;

		/// Up to `limit` (at most 100) open offers of a bus after `start_after`, each with its
		/// end.
		#[changed_in(6)]
		fn bus_active_offers(
			bus_id: BusId,
			start_after: Option<OfferId>,
			limit: u32,
		) -> Vec<V5Offer<AccountId, Balance, BlockNumber, FactoryId>>;

		/// Up to `limit` (at most 100) open offers of a bus after `start_after`, each with its
		/// end and grid fee.
		fn bus_active_offers(
			bus_id: BusId,
			start_after: Option<OfferId>,
			limit: u32,
		) -> Vec<Offer<AccountId, Balance, BlockNumber, FactoryId>>;

		/// An account's offers on a bus.
		#[changed_in(4)]
		fn user_bus_offers(who: AccountId, bus_id: BusId) -> Vec<OldOffer<AccountId, Balance, BlockNumber, FactoryId>>;

		/// An account's offers on a bus, each with its end.
		#[changed_in(6)]
		fn user_bus_offers(who: AccountId, bus_id: BusId) -> Vec<V5Offer<AccountId, Balance, BlockNumber, FactoryId>>;

		/// An account's offers on a bus, each with its end and grid fee.
		fn user_bus_offers(who: AccountId, bus_id: BusId) -> Vec<Offer<AccountId, Balance, BlockNumber, FactoryId>>;

		/// All buses, a page at a time, in id order: up to `limit` (1 to 100) buses with ids
		/// above `start_after`; pass the page's `next_start_after` for the next page until it is
		/// `None`.
		fn buses(
			start_after: Option<BusId>,
			limit: u32,
		) -> BusPage<Bus<AccountId, Balance, BlockNumber, BusName, Owners>>;

		/// Up to `limit` (at most 100) of an account's offers on any bus with ids above
		/// `start_after`, in id order (complete for an account with at most 400 offers).
		#[changed_in(4)]
		fn account_offers(
			who: AccountId,
			start_after: Option<OfferId>,
			limit: u32,
		) -> Vec<OldOffer<AccountId, Balance, BlockNumber, FactoryId>>;

		/// Up to `limit` (at most 100) of an account's offers on any bus with ids above
		/// `start_after`, in id order, each with its end.
		#[changed_in(6)]
		fn account_offers(
			who: AccountId,
			start_after: Option<OfferId>,
			limit: u32,
		) -> Vec<V5Offer<AccountId, Balance, BlockNumber, FactoryId>>;

		/// Up to `limit` (at most 100) of an account's offers on any bus with ids above
		/// `start_after`, in id order, each with its end and grid fee.
		fn account_offers(
			who: AccountId,
			start_after: Option<OfferId>,
			limit: u32,
		) -> Vec<Offer<AccountId, Balance, BlockNumber, FactoryId>>;

		/// The energy locked on an offer and its live locks.
		#[changed_in(3)]
		fn offer_locks(offer_id: OfferId) -> (EnergyWh, Vec<OldLock<AccountId, Balance, BlockNumber>>);

		/// The energy locked on an offer and its live locks, each with the factory it is for.
		fn offer_locks(offer_id: OfferId) -> (EnergyWh, Vec<Lock<AccountId, Balance, BlockNumber, FactoryId>>);

		/// The lock terms: the lock fee's share of the held payment and its minimum, and the
		/// largest share of an offer one lock may reserve.
		fn lock_terms() -> LockTerms<Balance>;

		/// How many blocks a new offer stays open.
		fn offer_lifetime() -> BlockNumber;

		/// What locking `energy_wh` of an open offer would take in the next block: the payment
		/// held, the lock fee, the largest lock allowed, the lock's last block.
		fn lock_quote(offer_id: OfferId, energy_wh: EnergyWh) -> Option<LockQuote<Balance, BlockNumber>>;

		/// Whether the buying call with this receipt hash ran.
		fn is_transaction_processed(receipt: ReceiptHash) -> bool;

		/// The market nonce an account's next buying call must carry.
		fn market_nonce(who: AccountId) -> MarketNonce;

		/// Up to `limit` (at most 100) of an account's purchases with ids above `start_after`, in
		/// id order.
		#[changed_in(6)]
		fn purchases(
			who: AccountId,
			start_after: Option<PurchaseId>,
			limit: u32,
		) -> Vec<V5Purchase<AccountId, Balance, BlockNumber, FactoryId>>;

		/// Up to `limit` (at most 100) of an account's purchases with ids above `start_after`, in
		/// id order, each with the grid fee paid.
		fn purchases(
			who: AccountId,
			start_after: Option<PurchaseId>,
			limit: u32,
		) -> Vec<Purchase<AccountId, Balance, BlockNumber, FactoryId>>;

		/// A bus's auction settings, if it runs auctions.
		fn auction_settings(bus_id: BusId) -> Option<AuctionSettings<Balance>>;

		/// A bus's open auction round, if any.
		#[changed_in(6)]
		fn current_round(bus_id: BusId) -> Option<V5Round<Balance, BlockNumber>>;

		/// A bus's open auction round, if any, with its grid fee.
		fn current_round(bus_id: BusId) -> Option<Round<Balance, BlockNumber>>;

		/// A round: open, waiting to clear, settling, or one of its bus's results.
		#[changed_in(6)]
		fn round(round_id: RoundId) -> Option<V5Round<Balance, BlockNumber>>;

		/// A round, with its grid fee and the fees its bids paid.
		fn round(round_id: RoundId) -> Option<Round<Balance, BlockNumber>>;

		/// An open round's book: the energy bid and asked at each tick, in Wh.
		fn round_book(round_id: RoundId) -> Option<RoundBook>;

		/// A bus's last settled rounds, newest first.
		#[changed_in(6)]
		fn round_results(bus_id: BusId) -> Vec<V5Round<Balance, BlockNumber>>;

		/// A bus's last settled rounds, newest first, with the grid fees their bids paid.
		fn round_results(bus_id: BusId) -> Vec<Round<Balance, BlockNumber>>;

		/// An account's unsettled orders, in id order.
		fn account_orders(who: AccountId) -> Vec<Order<AccountId, Balance, FactoryId>>;

		/// A bus's grid fee and pot: the fee per kWh new offers and rounds carry, the owners'
		/// shares, and the fees not claimed yet.
		#[api_version(6)]
		fn grid_fee(bus_id: BusId) -> Option<GridFee<Balance>>;

		/// What an account may claim of each bus's grid fees, with its shares.
		#[api_version(6)]
		fn claimable_grid_fees(who: AccountId) -> Vec<ClaimableFees<Balance>>;
	}
}
