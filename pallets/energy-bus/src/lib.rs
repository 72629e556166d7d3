#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub use benchmarking::BenchmarkHelper;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod auction;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod bus;
pub mod clearing;
mod fees;
mod governance;
// `do_try_state`: for `try_state`, the unit tests, and the runtime's native tests
// (`invariants`, which the runtime's `std` build turns on: never the Wasm runtime).
#[cfg(any(feature = "try-runtime", feature = "invariants", test))]
mod invariants;
mod lock;
pub mod migrations;
#[cfg(test)]
mod mock;
mod offer;
mod purchase;
mod queries;
mod receipt;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

/// The energy-bus market. A bus is a grid segment with co-owners, a capacity and a base price;
/// sellers post offers of factory energy on it; buyers buy part or all of an offer, or several
/// offers in one atomic batch, with their market nonce (replay protection and a receipt anyone
/// can look up); a buyer can lock part of an offer for a few blocks and the lock expires by
/// itself.
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;
	use pallet_energy_trading::EnergyLedger;

	/// The in-code storage version: 6 since buses have grid fees, carried by offers, rounds
	/// and purchases and shared by owners ([`migrations::v6`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(6);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a bus, returned when it closes.
		BusDeposit,
		/// A buyer's payment for locked energy, paid to the seller on purchase or released
		/// when the lock ends.
		OfferLock,
		/// The deposit of an auction order, returned when the order is settled or cancelled.
		AuctionOrder,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The native currency: purchases are paid in it, deposits and lock payments are held.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::Balanced<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// A factory id of the ledger.
		type FactoryId: Parameter + Member + MaxEncodedLen + Ord + TryFrom<Vec<u8>>;

		/// The factory ledger: who owns which factory, and where energy is escrowed.
		type Ledger: EnergyLedger<Self::AccountId, Self::FactoryId>;

		/// Who may change the market parameters (Root in the Energy Chain runtime).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The deposit a bus creator pays, returned when the bus closes.
		#[pallet::constant]
		type BusDeposit: Get<BalanceOf<Self>>;

		/// The longest bus name, in bytes.
		#[pallet::constant]
		type MaxBusNameLength: Get<u32>;

		/// The most co-owners a bus may have.
		#[pallet::constant]
		type MaxOwners: Get<u32>;

		/// The most open proposals a bus may have at once.
		#[pallet::constant]
		type MaxProposals: Get<u32>;

		/// The most open proposals one owner may have opened on a bus at once (at most
		/// `MaxProposals`): one owner cannot take every slot and keep the others from proposing.
		#[pallet::constant]
		type MaxProposalsPerOwner: Get<u32>;

		/// The most items in one batch purchase.
		#[pallet::constant]
		type MaxBatchSize: Get<u32>;

		/// The most live locks on one offer.
		#[pallet::constant]
		type MaxLocksPerOffer: Get<u32>;

		/// The most live locks one account may hold.
		#[pallet::constant]
		type MaxLocksPerAccount: Get<u32>;

		/// The most expired locks `on_initialize` ends in one block; the rest wait for the
		/// next blocks (and calls treat them as expired meanwhile).
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;

		/// The longest lock duration `set_market_params` accepts, in blocks: a lock keeps energy
		/// from other buyers for its whole duration.
		#[pallet::constant]
		type MaxLockDuration: Get<BlockNumberFor<Self>>;

		/// The longest receipt retention `set_market_params` accepts, in blocks: receipts and
		/// purchase records stay in state that long.
		#[pallet::constant]
		type MaxReceiptRetention: Get<BlockNumberFor<Self>>;

		/// The longest proposal lifetime `set_market_params` accepts, in blocks: an open
		/// proposal holds one of its bus's `MaxProposals` slots that long.
		#[pallet::constant]
		type MaxProposalLifetime: Get<BlockNumberFor<Self>>;

		/// How long an offer stays open unless `set_offer_lifetime` says otherwise, in blocks
		/// (at most `MaxOfferLifetime`).
		#[pallet::constant]
		type DefaultOfferLifetime: Get<BlockNumberFor<Self>>;

		/// The longest offer lifetime `set_offer_lifetime` accepts, in blocks: an offer holds
		/// its bus's capacity and its seller's energy that long at most.
		#[pallet::constant]
		type MaxOfferLifetime: Get<BlockNumberFor<Self>>;

		/// The market account's id: it holds the auction bids' payments until settlement.
		#[pallet::constant]
		type PalletId: Get<frame_support::PalletId>;

		/// The deposit an auction order holds until it is settled or cancelled.
		#[pallet::constant]
		type OrderDeposit: Get<BalanceOf<Self>>;

		/// The most prices an auction's tick grid may have.
		#[pallet::constant]
		type MaxTicks: Get<u32>;

		/// The longest auction round, in blocks.
		#[pallet::constant]
		type MaxRoundLength: Get<u32>;

		/// The most orders one round takes.
		#[pallet::constant]
		type MaxOrdersPerRound: Get<u32>;

		/// The most unsettled orders one account may have, across rounds.
		#[pallet::constant]
		type MaxOrdersPerAccount: Get<u32>;

		/// The most rounds `on_initialize` clears in one block; the rest wait for the next
		/// blocks.
		#[pallet::constant]
		type MaxClearingsPerBlock: Get<u32>;

		/// How many settled rounds each bus keeps as results; older ones leave the state.
		#[pallet::constant]
		type MaxRoundResults: Get<u32>;

		/// Weights of this pallet's calls and hooks, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Registers factories in the ledger for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId, Self::FactoryId>;
	}

	/// Every bus, by id.
	#[pallet::storage]
	pub type Buses<T: Config> = StorageMap<_, Twox64Concat, BusId, BusOf<T>>;

	/// The id the next bus gets.
	#[pallet::storage]
	pub type NextBusId<T: Config> = StorageValue<_, BusId, ValueQuery>;

	/// Index: the buses each account co-owns.
	#[pallet::storage]
	pub type BusesByOwner<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, BusId, (), OptionQuery>;

	/// The open owner proposals of each bus.
	#[pallet::storage]
	pub type Proposals<T: Config> =
		StorageMap<_, Twox64Concat, BusId, BoundedVec<ProposalOf<T>, T::MaxProposals>, ValueQuery>;

	/// The id the next proposal gets.
	#[pallet::storage]
	pub type NextProposalId<T: Config> = StorageValue<_, ProposalId, ValueQuery>;

	/// Every offer that still has energy (open, or cancelled or expired with live locks), by id.
	#[pallet::storage]
	pub type Offers<T: Config> = StorageMap<_, Twox64Concat, OfferId, OfferOf<T>>;

	/// How many blocks a new offer stays open (`expires_at` is its creation block plus this).
	#[pallet::storage]
	pub type OfferLifetime<T: Config> =
		StorageValue<_, BlockNumberFor<T>, ValueQuery, T::DefaultOfferLifetime>;

	/// The offer expiry queue: the open offers that end after each block (their `expires_at`).
	#[pallet::storage]
	pub type OfferExpiries<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Twox64Concat,
		OfferId,
		(),
		OptionQuery,
	>;

	/// The first block whose expired offers `on_initialize` has not finished ending.
	#[pallet::storage]
	pub type OfferExpiryCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Buses their owners closed while they had offers: `on_initialize` cancels their open
	/// offers in bounded steps, and closes each once none of its offers is left (cancelled
	/// offers wait for their locks to end).
	#[pallet::storage]
	pub type ClosingBuses<T: Config> = StorageMap<_, Twox64Concat, BusId, (), OptionQuery>;

	/// The id the next offer gets.
	#[pallet::storage]
	pub type NextOfferId<T: Config> = StorageValue<_, OfferId, ValueQuery>;

	/// Index: each bus's open offers, which `bus_active_offers` pages through (a cancelled
	/// offer leaves it at once, though it stays stored, and counted in `Bus::open_offers`,
	/// while live locks hold energy of it).
	#[pallet::storage]
	pub type OffersByBus<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BusId, Twox64Concat, OfferId, (), OptionQuery>;

	/// Index: each seller's offers, by bus.
	#[pallet::storage]
	pub type OffersBySeller<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, BusId>,
			NMapKey<Twox64Concat, OfferId>,
		),
		(),
		OptionQuery,
	>;

	/// Every live lock, by id.
	#[pallet::storage]
	pub type Locks<T: Config> = StorageMap<_, Twox64Concat, LockId, LockOf<T>>;

	/// The id the next lock gets.
	#[pallet::storage]
	pub type NextLockId<T: Config> = StorageValue<_, LockId, ValueQuery>;

	/// Index: the live lock each account holds on an offer (at most one per account and offer).
	#[pallet::storage]
	pub type LocksByOffer<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		OfferId,
		Blake2_128Concat,
		T::AccountId,
		LockId,
		OptionQuery,
	>;

	/// How many live locks each account holds.
	#[pallet::storage]
	pub type LockCount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The expiry queue: the locks that end after each block.
	#[pallet::storage]
	pub type LockExpiries<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, LockId, (), OptionQuery>;

	/// The first block whose expired locks `on_initialize` has not finished ending.
	#[pallet::storage]
	pub type ExpiryCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Each account's market nonce: what its next buying call must carry.
	#[pallet::storage]
	pub type MarketNonces<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, MarketNonce, ValueQuery>;

	/// The receipts of buying calls, by receipt hash, kept for `receipt_retention` blocks.
	#[pallet::storage]
	pub type Receipts<T: Config> = StorageMap<_, Identity, ReceiptHash, ReceiptOf<T>>;

	/// The pruning queue: the receipts written in each block.
	#[pallet::storage]
	pub type ReceiptsByBlock<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Identity,
		ReceiptHash,
		(),
		OptionQuery,
	>;

	/// The first block whose receipts `on_idle` has not pruned yet.
	#[pallet::storage]
	pub type ReceiptPruneCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Completed purchases, by id (pruned with their receipts).
	#[pallet::storage]
	pub type Purchases<T: Config> = StorageMap<_, Twox64Concat, PurchaseId, PurchaseOf<T>>;

	/// The id the next purchase gets.
	#[pallet::storage]
	pub type NextPurchaseId<T: Config> = StorageValue<_, PurchaseId, ValueQuery>;

	/// Index: each buyer's purchases, one entry per buying call: its first purchase id
	/// (big-endian, so that a buyer's entries are in id order) and how many purchases it made
	/// (their ids follow each other).
	#[pallet::storage]
	pub type PurchasesByBuyer<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Identity,
		PurchaseKey,
		u32,
		OptionQuery,
	>;

	/// Each bus's auction settings: a bus with an entry runs rounds.
	#[pallet::storage]
	pub type Auctions<T: Config> =
		StorageMap<_, Twox64Concat, BusId, AuctionSettings<BalanceOf<T>>, OptionQuery>;

	/// Each bus's open round (none while a round waits to clear, or when it runs no auctions).
	#[pallet::storage]
	pub type CurrentRound<T: Config> = StorageMap<_, Twox64Concat, BusId, RoundId, OptionQuery>;

	/// Rounds: open, clearing, settling, and each bus's last `MaxRoundResults` settled ones.
	#[pallet::storage]
	pub type Rounds<T: Config> = StorageMap<_, Twox64Concat, RoundId, RoundOf<T>, OptionQuery>;

	/// The id the next round gets.
	#[pallet::storage]
	pub type NextRoundId<T: Config> = StorageValue<_, RoundId, ValueQuery>;

	/// The clearing queue: the rounds whose gate closes after each block.
	#[pallet::storage]
	pub type GateQueue<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Twox64Concat,
		RoundId,
		(),
		OptionQuery,
	>;

	/// The first block whose closed rounds `on_initialize` has not finished clearing.
	#[pallet::storage]
	pub type GateCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The book of the open rounds: the energy at each tick of each side, by page of
	/// `TICKS_PER_PAGE` ticks (removed when the round clears).
	#[pallet::storage]
	pub type Book<T: Config> = StorageNMap<
		_,
		(NMapKey<Twox64Concat, RoundId>, NMapKey<Twox64Concat, Side>, NMapKey<Twox64Concat, u16>),
		BookPage,
		ValueQuery,
	>;

	/// Every unsettled order, by id.
	#[pallet::storage]
	pub type Orders<T: Config> = StorageMap<_, Twox64Concat, OrderId, OrderOf<T>, OptionQuery>;

	/// The id the next order gets.
	#[pallet::storage]
	pub type NextOrderId<T: Config> = StorageValue<_, OrderId, ValueQuery>;

	/// Index: each round's unsettled orders.
	#[pallet::storage]
	pub type OrdersByRound<T: Config> =
		StorageDoubleMap<_, Twox64Concat, RoundId, Twox64Concat, OrderId, (), OptionQuery>;

	/// Index: each account's unsettled orders.
	#[pallet::storage]
	pub type OrdersByAccount<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, OrderId, (), OptionQuery>;

	/// How many unsettled orders each account has (at most `MaxOrdersPerAccount`).
	#[pallet::storage]
	pub type OrderCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, OptionQuery>;

	/// The settlement queue: cleared rounds with unsettled orders, which `on_idle` settles.
	#[pallet::storage]
	pub type UnsettledRounds<T: Config> = StorageMap<_, Twox64Concat, RoundId, (), OptionQuery>;

	/// Each bus's settled rounds, oldest first: at most `MaxRoundResults`.
	#[pallet::storage]
	pub type RoundHistory<T: Config> =
		StorageMap<_, Twox64Concat, BusId, BoundedVec<RoundId, T::MaxRoundResults>, ValueQuery>;

	/// Each bus's grid fee and fee pot (kept after the bus closes until its owners claimed).
	#[pallet::storage]
	pub type GridFees<T: Config> =
		StorageMap<_, Twox64Concat, BusId, GridFee<BalanceOf<T>>, OptionQuery>;

	/// Each account's part of each bus's grid fees: its shares and what it earned.
	#[pallet::storage]
	pub type FeeShares<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		BusId,
		FeeShare<BalanceOf<T>>,
		OptionQuery,
	>;

	/// The market parameters: lock duration, receipt retention, proposal lifetime.
	#[pallet::storage]
	pub type Params<T: Config> =
		StorageValue<_, MarketParams<BlockNumberFor<T>>, ValueQuery, DefaultParams<T>>;

	/// What a lock costs and how much of an offer it may take.
	#[pallet::storage]
	pub type LockParams<T: Config> =
		StorageValue<_, LockTerms<BalanceOf<T>>, ValueQuery, DefaultLockTerms<T>>;

	/// The defaults: a lock fee of 1% of the held payment, at least ten existential deposits;
	/// one lock reserves at most 10% of an offer.
	#[pallet::type_value]
	pub fn DefaultLockTerms<T: Config>() -> LockTerms<BalanceOf<T>> {
		use {fungible::Inspect, sp_runtime::Saturating};
		LockTerms {
			fee: sp_runtime::Perbill::from_percent(1),
			min_fee: T::Currency::minimum_balance().saturating_mul(10u32.into()),
			max_share: sp_runtime::Perbill::from_percent(10),
		}
	}

	/// Each account's released locks that are still cooling down (see [`CooldownsOf`]): at
	/// most `MaxLocksPerAccount` together with its live locks, so bounded per account; expired
	/// entries are dropped when the account next locks or releases.
	#[pallet::storage]
	pub type LockCooldowns<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, CooldownsOf<T>, ValueQuery>;

	/// The defaults: locks last 50 blocks (5 minutes at 6 s), receipts 7 days, proposals 1 day.
	#[pallet::type_value]
	pub fn DefaultParams<T: Config>() -> MarketParams<BlockNumberFor<T>> {
		MarketParams {
			lock_duration: 50u32.into(),
			receipt_retention: (7u32 * 24 * 600).into(),
			proposal_lifetime: (24u32 * 600).into(),
		}
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The market parameters; `None` keeps the defaults.
		pub params: Option<MarketParams<BlockNumberFor<T>>>,
		/// The lock terms; `None` keeps the defaults.
		pub lock_terms: Option<LockTerms<BalanceOf<T>>>,
		/// The offer lifetime, in blocks; `None` keeps `DefaultOfferLifetime`.
		pub offer_lifetime: Option<BlockNumberFor<T>>,
		/// Buses created at genesis (their creators pay the deposit).
		pub buses: Vec<GenesisBus<T::AccountId, BalanceOf<T>>>,
		/// Offers posted at genesis, on the buses above (by their position, from 0).
		pub offers: Vec<GenesisOffer<T::AccountId, BalanceOf<T>>>,
		/// Buses above that run auctions from genesis.
		pub auctions: Vec<GenesisAuction<BalanceOf<T>>>,
		/// Orders placed at genesis in those buses' first rounds.
		pub orders: Vec<GenesisOrder<T::AccountId, BalanceOf<T>>>,
		/// Grid fees of the buses above, set after their genesis offers and orders.
		pub grid_fees: Vec<GenesisGridFee<BalanceOf<T>>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::ensure_market_account();
			if let Some(params) = &self.params {
				if let Err(error) = Pallet::<T>::check_params(params) {
					panic!("genesis market parameters: {error:?}");
				}
				Params::<T>::put(params.clone());
			}
			if let Some(terms) = &self.lock_terms {
				if let Err(error) = Pallet::<T>::check_lock_terms(terms) {
					panic!("genesis lock terms: {error:?}");
				}
				LockParams::<T>::put(terms.clone());
			}
			if let Some(lifetime) = self.offer_lifetime {
				if let Err(error) = Pallet::<T>::check_offer_lifetime(lifetime) {
					panic!("genesis offer lifetime: {error:?}");
				}
				OfferLifetime::<T>::put(lifetime);
			}
			for bus in &self.buses {
				if let Err(error) = Pallet::<T>::do_create_bus(
					&bus.creator,
					bus.name.as_bytes().to_vec(),
					bus.owners.clone(),
					bus.capacity_wh,
					bus.base_price_per_kwh,
				) {
					panic!("genesis bus {}: {error:?}", bus.name);
				}
			}
			for offer in &self.offers {
				let Ok(factory) = T::FactoryId::try_from(offer.factory.as_bytes().to_vec()) else {
					panic!("genesis offer: factory id {} is too long", offer.factory);
				};
				if let Err(error) = Pallet::<T>::do_create_offer(
					&offer.seller,
					offer.bus_id,
					factory,
					offer.energy_wh,
					offer.price_per_kwh,
				) {
					panic!("genesis offer on bus {}: {error:?}", offer.bus_id);
				}
			}
			for auction in &self.auctions {
				let Some(bus) = Buses::<T>::get(auction.bus_id) else {
					panic!("genesis auction: no bus {}", auction.bus_id);
				};
				let settings = auction.settings;
				if let Err(error) = Pallet::<T>::check_auction_settings(&settings).and_then(|()| {
					Pallet::<T>::do_set_auction(
						auction.bus_id,
						bus.base_price_per_kwh,
						Some(settings),
					)
				}) {
					panic!("genesis auction on bus {}: {error:?}", auction.bus_id);
				}
			}
			for order in &self.orders {
				let Ok(factory) = T::FactoryId::try_from(order.factory.as_bytes().to_vec()) else {
					panic!("genesis order: factory id {} is too long", order.factory);
				};
				if let Err(error) = Pallet::<T>::do_place_order(
					&order.owner,
					order.side,
					order.bus_id,
					factory,
					order.energy_wh,
					order.limit_price_per_kwh,
					None,
				) {
					panic!("genesis order on bus {}: {error:?}", order.bus_id);
				}
			}
			for fee in &self.grid_fees {
				if !Buses::<T>::contains_key(fee.bus_id) {
					panic!("genesis grid fee: no bus {}", fee.bus_id);
				}
				Pallet::<T>::do_set_grid_fee(fee.bus_id, fee.per_kwh);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A bus was created.
		BusCreated {
			/// The new bus.
			bus_id: BusId,
			/// Its name.
			name: BusNameOf<T>,
			/// Its creator, who paid the deposit.
			creator: T::AccountId,
			/// Its co-owners.
			owners: OwnersOf<T>,
			/// Its capacity, in Wh.
			capacity_wh: EnergyWh,
			/// Its reserve price per kWh.
			base_price_per_kwh: BalanceOf<T>,
		},
		/// An owner asked for a change that needs more approvals.
		ChangeProposed {
			/// The bus.
			bus_id: BusId,
			/// The proposal: other owners approve it with `approve_bus_change`.
			proposal_id: ProposalId,
			/// The change.
			change: BusChangeOf<T>,
			/// The owner who asked.
			owner: T::AccountId,
			/// How many owners have asked so far.
			approvals: u32,
			/// How many must.
			threshold: u32,
		},
		/// A change took effect.
		ChangeApplied {
			/// The bus.
			bus_id: BusId,
			/// The change.
			change: BusChangeOf<T>,
		},
		/// A bus closed; the deposit went back to its creator.
		BusClosed {
			/// The bus.
			bus_id: BusId,
		},
		/// A seller offered energy on a bus; it is in escrow until bought or returned.
		OfferCreated {
			/// The new offer.
			offer_id: OfferId,
			/// The bus.
			bus_id: BusId,
			/// The seller.
			seller: T::AccountId,
			/// The factory the energy came from.
			factory: T::FactoryId,
			/// How much, in Wh.
			energy_wh: EnergyWh,
			/// The asking price per kWh.
			price_per_kwh: BalanceOf<T>,
		},
		/// A seller cancelled an offer; its unlocked energy went back to the factory.
		OfferCancelled {
			/// The offer.
			offer_id: OfferId,
			/// The energy returned at once, in Wh.
			returned_wh: EnergyWh,
			/// The energy still locked by buyers, in Wh.
			still_locked_wh: EnergyWh,
		},
		/// A buyer bought energy of an offer.
		EnergyPurchased {
			/// The purchase.
			purchase_id: PurchaseId,
			/// The offer.
			offer_id: OfferId,
			/// The buyer.
			buyer: T::AccountId,
			/// The factory that received the energy.
			into_factory: T::FactoryId,
			/// How much, in Wh.
			energy_wh: EnergyWh,
			/// What the buyer paid the seller.
			total_price: BalanceOf<T>,
			/// The grid fee the buyer paid the bus's owners on top.
			grid_fee: BalanceOf<T>,
		},
		/// A buying call ran: its receipt can be looked up by hash.
		ReceiptRecorded {
			/// The receipt hash.
			receipt: ReceiptHash,
			/// The buyer.
			buyer: T::AccountId,
			/// The market nonce it used.
			nonce: MarketNonce,
		},
		/// A buyer locked energy of an offer; the payment is held.
		OfferLocked {
			/// The lock.
			lock_id: LockId,
			/// The offer.
			offer_id: OfferId,
			/// The buyer.
			holder: T::AccountId,
			/// How much, in Wh.
			energy_wh: EnergyWh,
			/// The payment held.
			held: BalanceOf<T>,
			/// The last block it can be used in.
			expires_at: BlockNumberFor<T>,
		},
		/// A lock ended without (all of) its energy being bought: released by its holder or
		/// expired. The energy went back to the offer, or to the seller if the offer is cancelled.
		LockEnded {
			/// The lock.
			lock_id: LockId,
			/// The offer.
			offer_id: OfferId,
			/// The energy it still reserved, in Wh.
			energy_wh: EnergyWh,
			/// Whether it expired (rather than being released).
			expired: bool,
		},
		/// `AdminOrigin` changed the market parameters.
		ParamsChanged {
			/// The new parameters.
			params: MarketParams<BlockNumberFor<T>>,
		},
		/// A lock's holder paid the lock fee to the offer's seller (with `OfferLocked`).
		LockFeePaid {
			/// The lock.
			lock_id: LockId,
			/// The offer.
			offer_id: OfferId,
			/// The holder, who paid.
			holder: T::AccountId,
			/// The holder's factory the lock is for.
			factory: T::FactoryId,
			/// The seller, who was paid.
			seller: T::AccountId,
			/// The fee: not refunded, whatever becomes of the lock.
			fee: BalanceOf<T>,
		},
		/// `AdminOrigin` changed the lock terms.
		LockTermsChanged {
			/// The new terms.
			terms: LockTerms<BalanceOf<T>>,
		},
		/// An owner proposal ended without taking effect: its proposer withdrew it, or was
		/// removed from the bus while no other owner had approved it.
		ChangeWithdrawn {
			/// The bus.
			bus_id: BusId,
			/// The proposal.
			proposal_id: ProposalId,
			/// Its proposer.
			owner: T::AccountId,
		},
		/// An offer reached its end (`expires_at`) unsold: its unlocked energy went back to the
		/// factory and its capacity was released, as for a cancelled offer.
		OfferExpired {
			/// The offer.
			offer_id: OfferId,
			/// The energy returned at once, in Wh.
			returned_wh: EnergyWh,
			/// The energy still locked by buyers (who may still buy it until their locks end),
			/// in Wh.
			still_locked_wh: EnergyWh,
		},
		/// `AdminOrigin` changed the offer lifetime (new offers get it; open ones keep their
		/// end).
		OfferLifetimeChanged {
			/// The new lifetime, in blocks.
			lifetime: BlockNumberFor<T>,
		},
		/// Its owners closed a bus that still had offers (with `ChangeApplied`): it takes no
		/// new offers or proposals; its open offers are cancelled in the next blocks
		/// (`OfferCancelled`), and `BusClosed` follows once no offer of it is left.
		BusClosing {
			/// The bus.
			bus_id: BusId,
			/// How many offers it still had (open ones, and cancelled ones with live locks).
			open_offers: u32,
		},
		/// An auction round opened on a bus: it takes orders up to `gate_closes_at`.
		RoundOpened {
			/// The bus.
			bus_id: BusId,
			/// The round.
			round_id: RoundId,
			/// The last block it takes orders in.
			gate_closes_at: BlockNumberFor<T>,
			/// The price of its tick 0.
			base_price_per_kwh: BalanceOf<T>,
			/// The step between its prices.
			tick_size: BalanceOf<T>,
			/// How many prices its grid has.
			ticks: Tick,
			/// The grid fee per kWh its bids pay on what they get.
			grid_fee_per_kwh: BalanceOf<T>,
		},
		/// An order was placed in a round: a bid's payment at its limit moved to the market
		/// account, an ask's energy into the market escrow, and the deposit was held.
		OrderPlaced {
			/// The order.
			order_id: OrderId,
			/// The round.
			round_id: RoundId,
			/// Who placed it.
			owner: T::AccountId,
			/// Bid or ask.
			side: Side,
			/// The factory that receives (bid) or gives (ask) the energy.
			factory: T::FactoryId,
			/// The energy, in Wh.
			energy_wh: EnergyWh,
			/// The limit price per kWh.
			limit_price_per_kwh: BalanceOf<T>,
		},
		/// Its owner cancelled an order before the gate closed; everything it held went back.
		OrderCancelled {
			/// The order.
			order_id: OrderId,
			/// Its owner.
			owner: T::AccountId,
		},
		/// A round's gate closed and it cleared at one price (`None`: nothing traded); its
		/// orders are settled next, by `on_idle` or `claim`.
		RoundCleared {
			/// The bus.
			bus_id: BusId,
			/// The round.
			round_id: RoundId,
			/// The uniform price per kWh, if anything traded.
			price_per_kwh: Option<BalanceOf<T>>,
			/// The energy traded, in Wh.
			volume_wh: EnergyWh,
			/// The energy the bids asked for, in Wh.
			bid_wh: EnergyWh,
			/// The energy the asks offered, in Wh.
			ask_wh: EnergyWh,
			/// How many orders it had.
			orders: u32,
		},
		/// An order was settled: a bid received `filled_wh` into its factory and paid `amount`
		/// (`refund` of its payment came back); an ask sold `filled_wh`, was paid `amount`, and
		/// got `returned_wh` back. The deposit was released.
		OrderSettled {
			/// The order.
			order_id: OrderId,
			/// The round.
			round_id: RoundId,
			/// Its owner.
			owner: T::AccountId,
			/// Bid or ask.
			side: Side,
			/// The energy traded, in Wh.
			filled_wh: EnergyWh,
			/// What the bid paid or the ask was paid, at the clearing price.
			amount: BalanceOf<T>,
			/// The grid fee the bid paid the bus's owners on top (zero for an ask).
			grid_fee: BalanceOf<T>,
			/// The part of a bid's payment that came back (zero for an ask).
			refund: BalanceOf<T>,
			/// An ask's unsold energy that came back, in Wh (zero for a bid).
			returned_wh: EnergyWh,
		},
		/// The last order of a round was settled: the round is one of its bus's results.
		RoundSettled {
			/// The round.
			round_id: RoundId,
			/// How many of its orders traded.
			filled_orders: u32,
			/// The grid fees its bids paid.
			grid_fees: BalanceOf<T>,
			/// What the market account still holds for it (zero: its bids paid what its asks
			/// got).
			escrowed: BalanceOf<T>,
		},
		/// An owner (or former owner) of a bus claimed its part of the bus's grid fees.
		GridFeesClaimed {
			/// The bus.
			bus_id: BusId,
			/// Who claimed.
			owner: T::AccountId,
			/// What it was paid.
			amount: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No bus has this id.
		BusNotFound,
		/// No open offer has this id.
		OfferNotFound,
		/// No live lock has this id.
		LockNotFound,
		/// The bus name is empty.
		EmptyBusName,
		/// The bus name is longer than `MaxBusNameLength`.
		BusNameTooLong,
		/// A bus needs at least one owner.
		NoOwners,
		/// More owners than `MaxOwners`.
		TooManyOwners,
		/// An account is listed twice as an owner.
		DuplicateOwner,
		/// The approval threshold must be between 1 and the number of owners.
		InvalidThreshold,
		/// The caller is not an owner of this bus.
		NotBusOwner,
		/// The account to add already owns this bus.
		AlreadyOwner,
		/// The account does not own this bus (to be removed, or to get fee shares, it must).
		NotAnOwner,
		/// The last owner of a bus cannot be removed.
		LastOwner,
		/// This owner already asked for this change.
		AlreadyApproved,
		/// The bus has `MaxProposals` open proposals.
		TooManyProposals,
		/// The capacity cannot be set below the energy its open offers carry.
		CapacityBelowCommitted,
		/// Not returned since a closing bus cancels its offers itself (`BusClosing`); kept so
		/// that the errors of older blocks keep their names.
		BusHasOpenOffers,
		/// The caller does not own this factory.
		NotFactoryOwner,
		/// The amount of energy is zero.
		ZeroEnergy,
		/// The offer would carry more energy than the bus has capacity left.
		CapacityExceeded,
		/// The price is below the bus's base price.
		PriceBelowBase,
		/// Only the seller may do this.
		NotOfferSeller,
		/// The offer is cancelled: only energy locked before can be bought.
		OfferNotOpen,
		/// The offer has less unlocked energy than asked for.
		NotEnoughEnergy,
		/// The price plus the grid fee is above the buyer's limit.
		PriceAboveLimit,
		/// A seller cannot buy or lock its own offer.
		OwnOffer,
		/// The buyer cannot pay (keeping its account alive).
		InsufficientFunds,
		/// This nonce was used already: a replay, or a retry of a call that ran (look up its
		/// receipt with `is_transaction_processed`).
		NonceAlreadyUsed,
		/// This nonce is ahead of the buyer's market nonce.
		NonceTooHigh,
		/// A batch needs at least one item.
		EmptyBatch,
		/// Item `index` of a batch failed for `reason`; nothing of the batch happened.
		BatchItemFailed {
			/// The failing item's position, from 0.
			index: u16,
			/// Why it failed.
			reason: PurchaseFailure,
		},
		/// The offer has `MaxLocksPerOffer` live locks.
		TooManyLocksOnOffer,
		/// The caller holds `MaxLocksPerAccount` live locks and released locks still cooling
		/// down.
		TooManyLocks,
		/// Only the lock's holder may do this.
		NotLockHolder,
		/// The caller already holds a live lock on this offer: buy or release it first.
		AlreadyLocked,
		/// A market parameter is out of its range: each is at least one block, and at most
		/// `MaxLockDuration`, `MaxReceiptRetention` and `MaxProposalLifetime` blocks.
		InvalidParams,
		/// An amount would overflow.
		Overflow,
		/// The bus has no open proposal with this id: it never existed, was applied, or lapsed.
		ProposalNotFound,
		/// One lock may reserve at most the `max_share` of the lock terms of an offer's energy
		/// (as first offered; at least 1 Wh): see the `lock_quote` view.
		LockTooLarge,
		/// The caller released a lock on this offer less than the lock duration ago: it may
		/// lock the offer again once that cooldown ends (it may buy the offer meanwhile).
		LockCoolingDown,
		/// The caller holds a lock on this offer for another factory than the call's: the
		/// lock's energy goes only into the factory it was taken for.
		LockFactoryMismatch,
		/// A lock term is out of range: the minimum fee must be at least the existential
		/// deposit, and the largest share of an offer a lock may take above zero.
		InvalidLockTerms,
		/// The caller has `MaxProposalsPerOwner` open proposals on this bus: wait for them to
		/// take effect or lapse, or withdraw one.
		TooManyOwnProposals,
		/// Only the owner who opened a proposal may withdraw it.
		NotProposer,
		/// Other owners approved this proposal: it cannot be withdrawn (it lapses, or takes
		/// effect).
		ProposalHasApprovals,
		/// The seller's account cannot take the payment: it was reaped and the payment is below
		/// the existential deposit (buy more, so the payment reaches it), or its balance would
		/// overflow. A batch names this `BatchItemFailed { reason: Payment }`.
		SellerCannotReceive,
		/// The offer reached its end (`expires_at`): it can no longer be bought or locked
		/// (energy locked before stays buyable by the lock's holder until the lock ends).
		OfferExpired,
		/// The offer lifetime must be at least one block and at most `MaxOfferLifetime`.
		InvalidOfferLifetime,
		/// The bus is closing: it takes no new offers or proposals.
		BusClosing,
		/// The bus runs no auctions: its owners have not set them up (`set_auction`), or stopped
		/// them.
		AuctionsOff,
		/// No round has this id (it left the state, or never existed).
		RoundNotFound,
		/// The round's gate has closed: it takes no orders and its orders cannot be cancelled. A
		/// bus's next round opens when the closed one clears, in the next block's
		/// `on_initialize` (later only when many rounds close at once).
		GateClosed,
		/// The limit price is not one of the round's prices: it must be the round's base price
		/// plus a whole number of its price steps, up to its highest price.
		PriceNotOnGrid,
		/// The round has `MaxOrdersPerRound` orders.
		RoundFull,
		/// The caller has `MaxOrdersPerAccount` unsettled orders: wait for their rounds to
		/// settle, or claim them.
		TooManyOrders,
		/// No unsettled order has this id (it never existed, or it was settled or cancelled).
		OrderNotFound,
		/// Only the order's owner may cancel it.
		NotOrderOwner,
		/// The order's round has not cleared yet: it can be settled once it has.
		RoundNotCleared,
		/// Auction settings out of range: a round lasts 1 to `MaxRoundLength` blocks, the grid
		/// has 1 to `MaxTicks` prices, and its tick size is above zero.
		InvalidAuctionSettings,
		/// An owner's fee shares must be a whole number from 1 to 10,000 (`MaxFeeShares`).
		InvalidFeeShares,
		/// The account has no grid fees of this bus to claim.
		NoGridFees,
	}

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// The most shares of a bus's grid fees one owner may have (`set_fee_shares`).
		#[pallet::constant_name(MaxFeeShares)]
		fn max_fee_shares() -> FeeShareCount {
			MAX_FEE_SHARES
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Ends the locks that expired before this block, then the offers, at most
		/// `MaxExpiriesPerBlock` of each, and cancels up to `MaxExpiriesPerBlock` offers of
		/// closing buses (closing each bus that has none left).
		///
		/// Then clears the auction rounds whose gate closed before this block, at most
		/// `MaxClearingsPerBlock`, opening their buses' next rounds.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::expire_locks(now)
				.saturating_add(Self::expire_offers(now))
				.saturating_add(Self::close_buses_step())
				.saturating_add(Self::clear_rounds(now))
		}

		/// Settles the orders of cleared rounds, then prunes receipts (and their purchases)
		/// older than `receipt_retention`, as far as the block's leftover weight allows.
		fn on_idle(now: BlockNumberFor<T>, remaining_weight: Weight) -> Weight {
			let settled = Self::settle_orders(remaining_weight);
			settled
				.saturating_add(Self::prune_receipts(now, remaining_weight.saturating_sub(settled)))
		}

		fn integrity_test() {
			assert!(T::MaxOwners::get() > 0, "a bus needs room for an owner");
			assert!(T::MaxBatchSize::get() > 0, "a batch needs room for an item");
			// The lock benchmarks' ranges run from 1 to `MaxLocksPerOffer`.
			assert!(T::MaxLocksPerOffer::get() > 0, "an offer needs room for a lock");
			assert!(T::MaxBatchSize::get() <= u16::MAX as u32, "batch indexes are u16");
			assert!(T::MaxExpiriesPerBlock::get() > 0, "locks must be able to expire");
			assert!(
				T::MaxProposalsPerOwner::get() > 0
					&& T::MaxProposalsPerOwner::get() <= T::MaxProposals::get(),
				"an owner may open between one proposal and a bus's MaxProposals"
			);
			assert!(
				Pallet::<T>::check_params(&DefaultParams::<T>::get()).is_ok(),
				"the default market parameters are within their bounds"
			);
			assert!(
				Pallet::<T>::check_offer_lifetime(T::DefaultOfferLifetime::get()).is_ok(),
				"the default offer lifetime is within its bounds"
			);
			assert!(
				T::MaxTicks::get() >= 1 && T::MaxTicks::get() <= u32::from(Tick::MAX),
				"a grid has 1 to u16::MAX ticks"
			);
			assert!(T::MaxClearingsPerBlock::get() > 0, "rounds must be able to clear");
			assert!(T::MaxRoundResults::get() > 0, "a bus keeps its last result");
			assert!(
				T::MaxOrdersPerRound::get() > 0 && T::MaxOrdersPerAccount::get() > 0,
				"rounds and accounts need room for an order"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Create an energy bus: a grid segment on which sellers post offers.
		///
		/// Origin: any signed account, which pays the `BusDeposit` (held until the bus closes).
		///
		/// - `name`: a display name such as `Solar Farm A` (1..=`MaxBusNameLength` bytes; a
		///   longer one does not decode, so the transaction is invalid).
		/// - `owners`: the co-owners (1..=`MaxOwners`, no duplicates); the creator need not be one.
		///   More than `MaxOwners` do not decode.
		/// - `capacity_wh`: the most energy its open offers may carry at once.
		/// - `base_price_per_kwh`: the reserve price; offers may not ask less.
		///
		/// The approval threshold starts at 1: any owner's change takes effect at once.
		/// Emits `BusCreated`. O(owners).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_energy_bus(owners.len() as u32))]
		pub fn create_energy_bus(
			origin: OriginFor<T>,
			name: BusNameOf<T>,
			owners: OwnersOf<T>,
			capacity_wh: EnergyWh,
			base_price_per_kwh: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (name, owners) = (name.into_inner(), owners.into_inner());
			Self::do_create_bus(&who, name, owners, capacity_wh, base_price_per_kwh).map(|_| ())
		}

		/// Add a co-owner. Origin: an owner. Takes effect once `approval_threshold` distinct
		/// owners have asked for it (emits `ChangeProposed` with the proposal's id until then,
		/// then `ChangeApplied`). The others approve it with `approve_bus_change`; asking for
		/// the same change while it is open approves it too.
		#[pallet::call_index(1)]
		pub fn add_bus_owner(
			origin: OriginFor<T>,
			bus_id: BusId,
			new_owner: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_change(&who, bus_id, BusChange::AddOwner(new_owner))
		}

		/// Remove a co-owner (never the last). Origin: an owner; approved like `add_bus_owner`.
		#[pallet::call_index(2)]
		pub fn remove_bus_owner(
			origin: OriginFor<T>,
			bus_id: BusId,
			owner: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_change(&who, bus_id, BusChange::RemoveOwner(owner))
		}

		/// Set the capacity in Wh (never below what open offers carry). Origin: an owner;
		/// approved like `add_bus_owner`.
		#[pallet::call_index(3)]
		pub fn set_bus_capacity(
			origin: OriginFor<T>,
			bus_id: BusId,
			capacity_wh: EnergyWh,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_change(&who, bus_id, BusChange::SetCapacity(capacity_wh))
		}

		/// Set the reserve price per kWh for new offers. Origin: an owner; approved like
		/// `add_bus_owner`.
		#[pallet::call_index(4)]
		pub fn set_base_price(
			origin: OriginFor<T>,
			bus_id: BusId,
			base_price_per_kwh: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_change(&who, bus_id, BusChange::SetBasePrice(base_price_per_kwh))
		}

		/// Set how many distinct owners must ask for a change (1..=owners). Origin: an owner;
		/// approved under the current threshold.
		#[pallet::call_index(5)]
		pub fn set_approval_threshold(
			origin: OriginFor<T>,
			bus_id: BusId,
			threshold: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_change(&who, bus_id, BusChange::SetApprovalThreshold(threshold))
		}

		/// Close a bus; the deposit returns to its creator. A bus without offers closes at once
		/// (`BusClosed`). One with offers starts closing (`BusClosing`): it takes no new offers
		/// or proposals, its open proposals are dropped, `on_initialize` cancels its open offers
		/// (up to `MaxExpiriesPerBlock` a block, returning their energy), and it closes
		/// (`BusClosed`) once no offer of it is left: cancelled offers with live locks leave when
		/// their locks end, within the lock duration. Origin: an owner; approved like
		/// `add_bus_owner`.
		#[pallet::call_index(6)]
		pub fn close_bus(origin: OriginFor<T>, bus_id: BusId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_change(&who, bus_id, BusChange::Close)
		}

		/// Offer `energy_wh` of `factory`'s energy on a bus at `price_per_kwh` (at least the
		/// bus's base price). The energy goes into escrow and the bus capacity is committed.
		/// The offer is open for the offer lifetime (`offer_lifetime`, 7 days on Energy Chain):
		/// its `expires_at` is its last block; then `on_initialize` ends it as a cancellation
		/// would (`OfferExpired`). To end it earlier, cancel it. A closing bus takes no offers
		/// (`BusClosing`).
		///
		/// Origin: the factory's owner. Emits `OfferCreated`. O(1).
		#[pallet::call_index(7)]
		pub fn create_offer(
			origin: OriginFor<T>,
			bus_id: BusId,
			factory: T::FactoryId,
			energy_wh: EnergyWh,
			price_per_kwh: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_offer(&who, bus_id, factory, energy_wh, price_per_kwh).map(|_| ())
		}

		/// Cancel an offer: its unlocked energy returns to the factory at once and its capacity
		/// is released; energy under live locks stays buyable by their holders until the locks
		/// end, then returns too.
		///
		/// Origin: the seller. Emits `OfferCancelled`. O(1).
		#[pallet::call_index(8)]
		pub fn cancel_offer(origin: OriginFor<T>, offer_id: OfferId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_offer(&who, offer_id)
		}

		/// Buy `energy_wh` of an offer into `into_factory` (which the caller owns), paying the
		/// seller at once. The caller's own live lock on the offer is used first; the rest comes
		/// from the offer's unlocked energy.
		///
		/// - `max_price_per_kwh`: fails with `PriceAboveLimit` if the offer asks more.
		/// - `nonce`: the caller's market nonce (see `NonceAlreadyUsed`, `NonceTooHigh`).
		///
		/// Emits `EnergyPurchased` and `ReceiptRecorded`. O(1): if the offer is open and has
		/// locks, it reads them (at most `MaxLocksPerOffer`) and ends the expired ones first (of
		/// a cancelled offer it looks up only the caller's own lock). Charged its benchmark of
		/// an offer without locks, plus the benchmarks of what it did among the offer's locks
		/// (`read_live_locks`, `end_expired_locks`, `buy_from_lock`) and `close_offer` if it
		/// sold the offer out; a failed call pays the declared worst case.
		#[pallet::call_index(9)]
		#[pallet::weight(Pallet::<T>::max_purchase_weight())]
		pub fn purchase_energy(
			origin: OriginFor<T>,
			offer_id: OfferId,
			energy_wh: EnergyWh,
			max_price_per_kwh: BalanceOf<T>,
			into_factory: T::FactoryId,
			nonce: MarketNonce,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let path = Self::do_purchase(
				&who,
				offer_id,
				energy_wh,
				max_price_per_kwh,
				into_factory,
				nonce,
			)?;
			Ok(Some(Self::purchase_weight(path)).into())
		}

		/// Buy from several offers, across buses, in one call with one nonce and one receipt:
		/// all items or none. If an item fails, the error is `BatchItemFailed { index, reason }`.
		///
		/// Origin: a buyer who owns `into_factory`. The items are paid after the last one: the
		/// total of the offers' parts is withdrawn from the buyer once and deposited to each
		/// item's seller (one item's is a transfer). Emits one `EnergyPurchased` per item and
		/// `ReceiptRecorded`. O(items). Charged its benchmark at its items on buses of their
		/// own and on buses an earlier item used, plus, per item, what it did among its offer's
		/// locks and `close_offer` if it sold the offer out, as `purchase_energy`; a failed
		/// call pays the declared worst case.
		#[pallet::call_index(10)]
		#[pallet::weight(Pallet::<T>::max_batch_weight(items.len() as u32))]
		pub fn batch_purchase_energy(
			origin: OriginFor<T>,
			items: BoundedVec<BatchItem<BalanceOf<T>>, T::MaxBatchSize>,
			into_factory: T::FactoryId,
			nonce: MarketNonce,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let path = Self::do_batch_purchase(&who, items, into_factory, nonce)?;
			Ok(Some(Self::batch_weight(path)).into())
		}

		/// Reserve `energy_wh` of an offer for `into_factory` for `lock_duration` blocks at its
		/// current price, holding the payment, so the purchase can always complete. Others
		/// cannot buy locked energy. The lock ends by itself.
		///
		/// A lock costs what it takes from others (see `LockTerms`): the caller pays the seller
		/// a **lock fee** at once, never refunded (`fee` of the held payment, at least
		/// `min_fee`); one lock reserves at most `max_share` of the offer's energy
		/// (`LockTooLarge`); an account holds at most one lock per offer, and may not lock an
		/// offer again within the lock duration after releasing a lock on it
		/// (`LockCoolingDown`). The `lock_quote` view tells the payment, the fee and the largest
		/// lock before signing.
		///
		/// Origin: a buyer who owns `into_factory` (a purchase through the lock delivers into
		/// it); `nonce` is its market nonce. Emits `OfferLocked`, `LockFeePaid` and
		/// `ReceiptRecorded`. O(1): if the offer is open and has locks, it reads them (at most
		/// `MaxLocksPerOffer`) and ends the expired ones first. Charged its benchmark of an
		/// offer without locks, plus `read_live_locks` and `end_expired_locks` at the locks it
		/// read and ended; a failed call pays the declared worst case.
		#[pallet::call_index(11)]
		#[pallet::weight(Pallet::<T>::max_lock_weight())]
		pub fn lock_offer(
			origin: OriginFor<T>,
			offer_id: OfferId,
			energy_wh: EnergyWh,
			into_factory: T::FactoryId,
			nonce: MarketNonce,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let met = Self::do_lock(&who, offer_id, energy_wh, into_factory, nonce)?;
			Ok(Some(Self::lock_weight(met)).into())
		}

		/// End a lock early: the held payment is released and the energy returns to the offer.
		/// The lock fee is not refunded, and the caller may not lock the offer again for the
		/// lock duration (`LockCoolingDown`); the cooldown takes one of its `MaxLocksPerAccount`
		/// lock slots until it ends.
		///
		/// Origin: the lock's holder. Emits `LockEnded`. O(1).
		#[pallet::call_index(12)]
		pub fn release_lock(origin: OriginFor<T>, lock_id: LockId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_release_lock(&who, lock_id)
		}

		/// Approve the open proposal `proposal_id` of a bus: the change takes effect once
		/// `approval_threshold` distinct owners have asked for it (emits `ChangeProposed` until
		/// then, then `ChangeApplied`). Fails with `ProposalNotFound` if the proposal was
		/// applied or lapsed, so an approval never opens a new proposal.
		///
		/// Origin: an owner of the bus. Charged as asking for the proposal's change: that
		/// call's benchmark, whose worst case is this one's too (a full proposal list read,
		/// the proposal found last, the change applied); declared as the heaviest change.
		#[pallet::call_index(14)]
		#[pallet::weight(Pallet::<T>::max_change_weight())]
		pub fn approve_bus_change(
			origin: OriginFor<T>,
			bus_id: BusId,
			proposal_id: ProposalId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let change = Self::do_approve_change(&who, bus_id, proposal_id)?;
			Ok(Some(Self::change_weight(&change)).into())
		}

		/// Withdraw an open proposal of a bus that no other owner approved yet: it ends without
		/// taking effect and frees its slot.
		///
		/// Origin: the owner who opened it (its first approver). Emits `ChangeWithdrawn`.
		/// `ProposalNotFound` if it was applied or lapsed, `NotProposer` for anyone else,
		/// `ProposalHasApprovals` once another owner approved it.
		#[pallet::call_index(16)]
		pub fn withdraw_bus_change(
			origin: OriginFor<T>,
			bus_id: BusId,
			proposal_id: ProposalId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_change(&who, bus_id, proposal_id)
		}

		/// Change the market parameters (lock duration, receipt retention, proposal lifetime).
		/// Each must be at least one block and at most its bound (`MaxLockDuration`,
		/// `MaxReceiptRetention`, `MaxProposalLifetime`): `InvalidParams` otherwise. A lock
		/// duration without bound would let locks never expire.
		///
		/// Origin: `AdminOrigin` (Root, through sudo, on Energy Chain). Emits `ParamsChanged`.
		#[pallet::call_index(13)]
		pub fn set_market_params(
			origin: OriginFor<T>,
			params: MarketParams<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}

		/// Change the lock terms: the lock fee's share of the held payment, its minimum (at
		/// least the existential deposit), and the largest share of an offer one lock may
		/// reserve (above zero): `InvalidLockTerms` otherwise. Locks already taken keep what
		/// they paid and reserved.
		///
		/// Origin: `AdminOrigin` (Root, through sudo, on Energy Chain). Emits
		/// `LockTermsChanged`.
		#[pallet::call_index(15)]
		pub fn set_lock_terms(
			origin: OriginFor<T>,
			terms: LockTerms<BalanceOf<T>>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_lock_terms(terms)
		}

		/// Run periodic double auctions on a bus with `settings` (round length, tick size and
		/// number of ticks: the grid is the bus's base price plus whole ticks), or stop them
		/// (`None`). A round opens at once if none is open; the open round keeps its settings
		/// (changes apply from the next round), and after `None` it still clears. Origin: an
		/// owner; approved like `add_bus_owner` (`InvalidAuctionSettings` for settings out of
		/// range).
		#[pallet::call_index(22)]
		pub fn set_auction(
			origin: OriginFor<T>,
			bus_id: BusId,
			settings: Option<AuctionSettings<BalanceOf<T>>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_change(&who, bus_id, BusChange::SetAuction(settings))
		}

		/// Change the offer lifetime: how many blocks a new offer stays open (at least one, at
		/// most `MaxOfferLifetime`: `InvalidOfferLifetime` otherwise). Open offers keep their
		/// end.
		///
		/// Origin: `AdminOrigin` (Root, through sudo, on Energy Chain). Emits
		/// `OfferLifetimeChanged`.
		#[pallet::call_index(17)]
		pub fn set_offer_lifetime(
			origin: OriginFor<T>,
			lifetime: BlockNumberFor<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_offer_lifetime(lifetime)
		}

		/// Bid in the open auction round of a bus: buy up to `energy_wh` into `into_factory`
		/// (which the caller owns) at a price per kWh of at most `limit_price_per_kwh`, a price
		/// of the round's grid (`PriceNotOnGrid` otherwise; see `current_round`).
		///
		/// The payment at the limit, `ceil(energy_wh × limit / 1000)`, moves to the market
		/// account and the order deposit is held. When the round clears, the bid pays the
		/// clearing price (never above its limit) for what it gets and the rest comes back at
		/// settlement. `nonce` is the caller's market nonce, as for purchases (the receipt
		/// hashes `(Bid, bus_id, into_factory, energy_wh, limit_price_per_kwh)`).
		///
		/// Emits `OrderPlaced` and `ReceiptRecorded`. O(1): one page of the book.
		#[pallet::call_index(18)]
		pub fn place_bid(
			origin: OriginFor<T>,
			bus_id: BusId,
			energy_wh: EnergyWh,
			limit_price_per_kwh: BalanceOf<T>,
			into_factory: T::FactoryId,
			nonce: MarketNonce,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_place_order(
				&who,
				Side::Bid,
				bus_id,
				into_factory,
				energy_wh,
				limit_price_per_kwh,
				Some(nonce),
			)
			.map(|_| ())
		}

		/// Ask in the open auction round of a bus: sell up to `energy_wh` of `factory` (which
		/// the caller owns) at a price per kWh of at least `limit_price_per_kwh`, a price of
		/// the round's grid (whose lowest price is the bus's base price).
		///
		/// The energy goes into the market escrow and the order deposit is held. When the
		/// round clears, the ask is paid the clearing price (never below its limit) for what it
		/// sells and its unsold energy comes back at settlement. `nonce` as for `place_bid`.
		///
		/// Emits `OrderPlaced` and `ReceiptRecorded`. O(1): one page of the book.
		#[pallet::call_index(19)]
		pub fn place_ask(
			origin: OriginFor<T>,
			bus_id: BusId,
			factory: T::FactoryId,
			energy_wh: EnergyWh,
			limit_price_per_kwh: BalanceOf<T>,
			nonce: MarketNonce,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_place_order(
				&who,
				Side::Ask,
				bus_id,
				factory,
				energy_wh,
				limit_price_per_kwh,
				Some(nonce),
			)
			.map(|_| ())
		}

		/// Cancel an order before its round's gate closes: the bid's payment or the ask's
		/// energy, and the deposit, go back at once.
		///
		/// Origin: the order's owner. Emits `OrderCancelled`. O(1). Charged the benchmark of
		/// its side (declared as the heavier).
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::cancel_bid().max(T::WeightInfo::cancel_ask()))]
		pub fn cancel_order(origin: OriginFor<T>, order_id: OrderId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let side = Self::do_cancel_order(&who, order_id)?;
			Ok(Some(match side {
				Side::Bid => T::WeightInfo::cancel_bid(),
				Side::Ask => T::WeightInfo::cancel_ask(),
			})
			.into())
		}

		/// Settle an order of a cleared round now rather than waiting for `on_idle`: a bid
		/// receives its energy and its refund, an ask its payment and its unsold energy, and the
		/// deposit is released (all to the order's owner, whoever calls).
		///
		/// Origin: any signed account. Emits `OrderSettled` (and `RoundSettled` for a round's
		/// last order). O(1). Charged the benchmark of its side (declared as the heavier).
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::claim_bid().max(T::WeightInfo::claim_ask()))]
		pub fn claim(origin: OriginFor<T>, order_id: OrderId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let side = Self::do_settle(order_id)?;
			Ok(Some(match side {
				Side::Bid => T::WeightInfo::claim_bid(),
				Side::Ask => T::WeightInfo::claim_ask(),
			})
			.into())
		}

		/// Set the bus's grid fee per kWh: what buyers pay the owners, on top of the price, for
		/// every kWh delivered over the bus, bought from an offer or cleared in a round. Offers
		/// made and rounds opened from then on carry it; open offers and the open round keep
		/// the fee they were made with, so locks and buyers' price guards stay exact. Origin: an
		/// owner; approved like `add_bus_owner`.
		#[pallet::call_index(23)]
		pub fn set_grid_fee(
			origin: OriginFor<T>,
			bus_id: BusId,
			fee_per_kwh: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_change(&who, bus_id, BusChange::SetGridFee(fee_per_kwh))
		}

		/// Set how many shares of the bus's grid fees `owner` gets (1 to `MAX_FEE_SHARES`,
		/// `InvalidFeeShares` otherwise; every owner has 1 when added): fees collected from then
		/// on are split by shares, what was earned before stays earned. Origin: an owner;
		/// approved like `add_bus_owner` (`NotAnOwner` if `owner` is not one).
		#[pallet::call_index(24)]
		pub fn set_fee_shares(
			origin: OriginFor<T>,
			bus_id: BusId,
			owner: T::AccountId,
			shares: FeeShareCount,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_change(&who, bus_id, BusChange::SetFeeShares(owner, shares))
		}

		/// Claim the caller's part of a bus's grid fees: everything it earned as an owner, by
		/// its shares, since it last claimed (a former owner claims what it earned before it
		/// was removed; after the bus closed, its owners still claim). O(1) however many fees
		/// were paid.
		///
		/// Origin: an owner or former owner with fees to claim (`NoGridFees` otherwise). Emits
		/// `GridFeesClaimed`.
		#[pallet::call_index(25)]
		#[pallet::weight(T::WeightInfo::claim_grid_fees())]
		pub fn claim_grid_fees(origin: OriginFor<T>, bus_id: BusId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_grid_fees(&who, bus_id).map(|_| ())
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// A bus, with its available capacity (capacity − committed) in Wh.
		pub fn bus_details(bus_id: BusId) -> Option<(BusOf<T>, EnergyWh)> {
			Buses::<T>::get(bus_id).map(|bus| {
				let available = bus.capacity_wh.saturating_sub(bus.committed_wh);
				(bus, available)
			})
		}

		/// All buses, a page at a time, in id order: up to `limit` (1 to `MAX_PAGE`) buses with
		/// ids above `start_after` (from the first when `None`). Pass the page's
		/// `next_start_after` as `start_after` for the next page until it is `None`. A page reads
		/// at most `MAX_SCAN` ids (closed buses leave gaps), so it may hold fewer buses than
		/// asked for and still have a next page. Each bus is as stored: its available capacity is
		/// `capacity_wh - committed_wh`.
		pub fn buses(start_after: Option<BusId>, limit: u32) -> BusPage<BusOf<T>> {
			Self::buses_page(start_after, limit)
		}

		/// The buses an account co-owns (at most `MAX_PAGE`), in ascending order.
		pub fn user_buses(who: T::AccountId) -> Vec<BusId> {
			let mut buses: Vec<BusId> =
				BusesByOwner::<T>::iter_key_prefix(who).take(MAX_PAGE as usize).collect();
			buses.sort_unstable();
			buses
		}

		/// Up to `limit` (at most `MAX_PAGE`) open offers of a bus after `start_after`.
		pub fn bus_active_offers(
			bus_id: BusId,
			start_after: Option<OfferId>,
			limit: u32,
		) -> Vec<OfferOf<T>> {
			Self::active_offers_page(bus_id, start_after, limit)
		}

		/// An account's offers on a bus.
		pub fn user_bus_offers(who: T::AccountId, bus_id: BusId) -> Vec<OfferOf<T>> {
			Self::seller_offers(who, bus_id)
		}

		/// Up to `limit` (at most `MAX_PAGE`) of an account's offers on any bus (open, or
		/// cancelled with live locks) with ids above `start_after`, in id order; pass the last id
		/// of a page for the next. The seller index is keyed by hashes, so each page reads the
		/// account's first `MAX_SCAN` index entries and sorts them: complete and in id order for
		/// an account with at most `MAX_SCAN` offers; of one with more, only those `MAX_SCAN`.
		pub fn account_offers(
			who: T::AccountId,
			start_after: Option<OfferId>,
			limit: u32,
		) -> Vec<OfferOf<T>> {
			Self::account_offers_page(who, start_after, limit)
		}

		/// An offer's locks: the energy locked and each live lock.
		pub fn offer_locks(offer_id: OfferId) -> (EnergyWh, Vec<LockOf<T>>) {
			Self::locks_of_offer(offer_id)
		}

		/// The lock terms: the lock fee's share and minimum, and the largest share of an offer
		/// one lock may reserve.
		pub fn lock_terms() -> LockTerms<BalanceOf<T>> {
			LockParams::<T>::get()
		}

		/// How many blocks a new offer stays open.
		pub fn offer_lifetime() -> BlockNumberFor<T> {
			OfferLifetime::<T>::get()
		}

		/// Whether a bus is closing (its owners closed it while it had offers).
		pub fn bus_closing(bus_id: BusId) -> bool {
			ClosingBuses::<T>::contains_key(bus_id)
		}

		/// What locking `energy_wh` of an open offer would take if done in the next block: the
		/// payment held, the lock fee, the largest lock allowed and the lock's last block.
		/// `None` if no open offer has this id, or the price overflows.
		pub fn lock_quote(
			offer_id: OfferId,
			energy_wh: EnergyWh,
		) -> Option<LockQuote<BalanceOf<T>, BlockNumberFor<T>>> {
			Self::quote_lock(offer_id, energy_wh)
		}

		/// Whether the buying call with this receipt hash ran (within `receipt_retention`).
		pub fn is_transaction_processed(receipt: ReceiptHash) -> bool {
			Receipts::<T>::contains_key(receipt)
		}

		/// The market nonce an account's next buying call must carry.
		pub fn market_nonce(who: T::AccountId) -> MarketNonce {
			MarketNonces::<T>::get(who)
		}

		/// A bus's auction settings, if it runs auctions.
		pub fn auction_settings(bus_id: BusId) -> Option<AuctionSettings<BalanceOf<T>>> {
			Auctions::<T>::get(bus_id)
		}

		/// A bus's open auction round (orders go into it until `gate_closes_at`), if any.
		pub fn current_round(bus_id: BusId) -> Option<RoundOf<T>> {
			CurrentRound::<T>::get(bus_id).and_then(Rounds::<T>::get)
		}

		/// A round: open, waiting to clear, settling, or one of its bus's results.
		pub fn round(round_id: RoundId) -> Option<RoundOf<T>> {
			Rounds::<T>::get(round_id)
		}

		/// An open round's book: the energy bid and asked at each tick of its grid, in Wh
		/// (tick `k` is the price `base + k × tick_size`). `None` once it has cleared.
		pub fn round_book(round_id: RoundId) -> Option<RoundBook> {
			Self::book_of(round_id)
		}

		/// A bus's last settled rounds, newest first (at most `MaxRoundResults`).
		pub fn round_results(bus_id: BusId) -> Vec<RoundOf<T>> {
			Self::results_of(bus_id)
		}

		/// An account's unsettled orders, in id order (at most `MaxOrdersPerAccount`).
		pub fn account_orders(who: T::AccountId) -> Vec<OrderOf<T>> {
			Self::orders_of(who)
		}

		/// A bus's grid fee and pot: the fee per kWh new offers and rounds carry, the owners'
		/// total shares and the fees not claimed yet.
		pub fn grid_fee(bus_id: BusId) -> Option<GridFee<BalanceOf<T>>> {
			GridFees::<T>::get(bus_id)
		}

		/// The grid fees an account may claim, per bus (at most `MAX_PAGE` buses), with its
		/// shares.
		pub fn claimable_grid_fees(who: T::AccountId) -> Vec<ClaimableFees<BalanceOf<T>>> {
			Self::claimable_of(&who)
		}

		/// Up to `limit` (at most `MAX_PAGE`) of an account's purchases with ids above
		/// `start_after`, in id order.
		pub fn purchases(
			who: T::AccountId,
			start_after: Option<PurchaseId>,
			limit: u32,
		) -> Vec<PurchaseOf<T>> {
			Self::purchases_page(who, start_after, limit)
		}
	}
}
