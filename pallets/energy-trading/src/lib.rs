#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use history::{EntryKind, LedgerEntry};
pub use market::EnergyLedger;
pub use pallet::*;
pub use trade::total_price;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod factory;
mod history;
// `do_try_state`: for `try_state`, the unit tests, and the runtime's native tests
// (`invariants`, which the runtime's `std` build turns on: never the Wasm runtime).
#[cfg(any(feature = "try-runtime", feature = "invariants", test))]
mod invariants;
mod ledger;
mod market;
pub mod migrations;
#[cfg(test)]
mod mock;
mod queries;
#[cfg(test)]
mod tests;
mod trade;
pub mod types;
pub mod weights;

/// The factory ledger. Factories hold energy tokens in integer Wh; meters mint what is generated
/// and burn what is consumed; owners transfer energy and make bilateral trades (create, then
/// execute, paid atomically in the native currency). Every change of a balance is an event that
/// carries the balance it left: a factory's history is these events, which the node indexes
/// (`energy_getFactoryHistory`); the chain's state keeps balances only.
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, UnixTime},
	};
	use frame_system::pallet_prelude::*;

	/// The in-code storage version: 4 since pending trades hold deposits and are counted per
	/// seller, and finished trades leave the state after `TradeRetention` ([`migrations::v4`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(4);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit a pending trade holds from its seller's owner, returned when the trade
		/// is executed or cancelled.
		TradeDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The native currency: trades are paid in it, trade deposits are held in it.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The wall clock, for the times recorded in trades.
		type UnixTime: UnixTime;

		/// Who may register factories (Root, through sudo, in the Energy Chain runtime).
		type RegistrarOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The longest factory id, in bytes (for example `Factory01`).
		#[pallet::constant]
		type MaxIdLength: Get<u32>;

		/// The longest factory display name, in bytes.
		#[pallet::constant]
		type MaxNameLength: Get<u32>;

		/// What creating a trade holds from the seller factory's owner until the trade is
		/// executed or cancelled: what keeping a trade in the state costs its creator.
		#[pallet::constant]
		type TradeDeposit: Get<BalanceOf<Self>>;

		/// How many pending trades one factory may have opened as seller. The bound is the
		/// seller's own: nobody can fill another factory's slots, and a factory is a buyer in
		/// at most `MaxPendingTrades` pending trades of each other factory (each of which it may
		/// reject).
		#[pallet::constant]
		type MaxPendingTrades: Get<u32>;

		/// How many blocks an executed or cancelled trade stays in the state (for `trade` and
		/// `trades_of_factory`) before `on_idle` removes it. Its events stay in the node's
		/// history index (`energy_getFactoryHistory`).
		#[pallet::constant]
		type TradeRetention: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Every registered factory, by id.
	#[pallet::storage]
	pub type Factories<T: Config> = StorageMap<_, Blake2_128Concat, FactoryIdOf<T>, FactoryOf<T>>;

	/// How many factories are registered.
	#[pallet::storage]
	pub type FactoryCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Index: the factories each account owns.
	#[pallet::storage]
	pub type FactoriesByOwner<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		FactoryIdOf<T>,
		(),
		OptionQuery,
	>;

	/// The id the next trade gets.
	#[pallet::storage]
	pub type NextTradeId<T: Config> = StorageValue<_, TradeId, ValueQuery>;

	/// Every pending trade, and every trade executed or cancelled in the last `TradeRetention`
	/// blocks, by id.
	#[pallet::storage]
	pub type Trades<T: Config> = StorageMap<_, Twox64Concat, TradeId, TradeOf<T>>;

	/// How many pending trades each factory opened as seller (at most `MaxPendingTrades`).
	#[pallet::storage]
	pub type PendingTradeCount<T: Config> =
		StorageMap<_, Blake2_128Concat, FactoryIdOf<T>, u32, ValueQuery>;

	/// The deposit each pending trade holds, and from whom (trades created before deposits
	/// existed hold none).
	#[pallet::storage]
	pub type TradeDeposits<T: Config> = StorageMap<_, Twox64Concat, TradeId, HeldDepositOf<T>>;

	/// Executed and cancelled trades, by the block they finished in: `on_idle` removes them
	/// from the state `TradeRetention` blocks later.
	#[pallet::storage]
	pub type FinishedTrades<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Twox64Concat,
		TradeId,
		(),
		OptionQuery,
	>;

	/// The first block whose finished trades `on_idle` has not removed yet.
	#[pallet::storage]
	pub type TradePruneCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Index: the trades each factory takes part in, as seller or buyer.
	#[pallet::storage]
	pub type TradesByFactory<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		FactoryIdOf<T>,
		Twox64Concat,
		TradeId,
		(),
		OptionQuery,
	>;

	/// Each factory's rating: its rated power and its generation allowance, as of its last
	/// report or rating (queries answer it refilled up to the current block's time).
	#[pallet::storage]
	pub type Ratings<T: Config> = StorageMap<_, Blake2_128Concat, FactoryIdOf<T>, FactoryRating>;

	/// Meters that factories' owners asked the registrar for, by factory: at most one a
	/// factory (a newer request replaces it), removed when the registrar sets the meter.
	#[pallet::storage]
	pub type MeterRequests<T: Config> =
		StorageMap<_, Blake2_128Concat, FactoryIdOf<T>, T::AccountId>;

	/// All energy ever put on the ledger, in Wh: registration balances plus everything minted.
	#[pallet::storage]
	pub type TotalIssuedWh<T: Config> = StorageValue<_, TotalWh, ValueQuery>;

	/// All energy ever consumed (burned), in Wh.
	#[pallet::storage]
	pub type TotalConsumedWh<T: Config> = StorageValue<_, TotalWh, ValueQuery>;

	/// Energy held in escrow by pending trades, in Wh.
	#[pallet::storage]
	pub type TradeEscrowWh<T: Config> = StorageValue<_, EnergyWh, ValueQuery>;

	/// Energy held in escrow for other pallets (the energy-bus market's offers) through
	/// [`EnergyLedger`], in Wh.
	#[pallet::storage]
	pub type MarketEscrowWh<T: Config> = StorageValue<_, EnergyWh, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Factories registered at genesis.
		pub factories: Vec<GenesisFactory<T::AccountId>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for factory in &self.factories {
				if let Err(error) = Pallet::<T>::do_register_factory(
					factory.id.as_bytes().to_vec(),
					factory.name.as_bytes().to_vec(),
					factory.energy_type,
					factory.owner.clone(),
					factory.meter.clone(),
					factory.rated_power_w,
					factory.energy_wh,
				) {
					panic!("genesis factory {}: {error:?}", factory.id);
				}
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A factory joined the ledger.
		FactoryRegistered {
			/// The new factory.
			factory_id: FactoryIdOf<T>,
			/// Its owner.
			owner: T::AccountId,
			/// The account that reports its generation and consumption.
			meter: T::AccountId,
			/// What kind of energy it produces.
			energy_type: EnergyType,
			/// The energy it starts with, in Wh.
			initial_energy_wh: EnergyWh,
		},
		/// The registrar set a factory's meter account.
		MeterChanged {
			/// The factory.
			factory_id: FactoryIdOf<T>,
			/// Its new meter account.
			meter: T::AccountId,
		},
		/// A meter reported generated energy.
		EnergyMinted {
			/// The factory that generated it.
			factory_id: FactoryIdOf<T>,
			/// How much, in Wh.
			energy_wh: EnergyWh,
			/// The factory's balance afterwards, in Wh.
			balance_wh: EnergyWh,
		},
		/// A meter reported consumed energy, which is burned.
		EnergyConsumed {
			/// The factory that used it.
			factory_id: FactoryIdOf<T>,
			/// How much, in Wh.
			energy_wh: EnergyWh,
			/// The factory's balance afterwards, in Wh.
			balance_wh: EnergyWh,
		},
		/// Energy moved from one factory to another without payment.
		EnergyTransferred {
			/// The factory it left.
			from: FactoryIdOf<T>,
			/// The factory it reached.
			to: FactoryIdOf<T>,
			/// How much, in Wh.
			energy_wh: EnergyWh,
			/// `from`'s balance afterwards, in Wh.
			from_balance_wh: EnergyWh,
			/// `to`'s balance afterwards, in Wh.
			to_balance_wh: EnergyWh,
		},
		/// A seller offered energy to a buyer; the energy is in escrow until the trade settles.
		TradeCreated {
			/// The new trade.
			trade_id: TradeId,
			/// The selling factory.
			seller: FactoryIdOf<T>,
			/// The buying factory.
			buyer: FactoryIdOf<T>,
			/// The energy traded, in Wh.
			energy_wh: EnergyWh,
			/// The price of one kWh, in the currency's smallest unit.
			price_per_kwh: BalanceOf<T>,
			/// What the buyer pays: `ceil(energy_wh × price_per_kwh / 1000)`.
			total_price: BalanceOf<T>,
			/// The seller's balance afterwards (the energy left it for escrow), in Wh.
			seller_balance_wh: EnergyWh,
		},
		/// The buyer paid and received the energy.
		TradeExecuted {
			/// The trade.
			trade_id: TradeId,
			/// The selling factory.
			seller: FactoryIdOf<T>,
			/// The buying factory.
			buyer: FactoryIdOf<T>,
			/// The energy delivered, in Wh.
			energy_wh: EnergyWh,
			/// What the buyer paid.
			total_price: BalanceOf<T>,
			/// The account that paid (the buyer factory's owner).
			payer: T::AccountId,
			/// The account that was paid (the seller factory's owner).
			payee: T::AccountId,
			/// The seller's balance (unchanged: the energy came from escrow), in Wh.
			seller_balance_wh: EnergyWh,
			/// The buyer's balance afterwards, in Wh.
			buyer_balance_wh: EnergyWh,
		},
		/// A pending trade was cancelled by the seller or rejected by the buyer; the escrowed
		/// energy went back to the seller.
		TradeCancelled {
			/// The trade.
			trade_id: TradeId,
			/// Who cancelled it.
			cancelled_by: T::AccountId,
			/// The selling factory, which got its energy back.
			seller: FactoryIdOf<T>,
			/// The buying factory.
			buyer: FactoryIdOf<T>,
			/// The energy that went back to the seller, in Wh.
			energy_wh: EnergyWh,
			/// The seller's balance afterwards, in Wh.
			seller_balance_wh: EnergyWh,
		},
		/// Another pallet (the energy-bus market, for an offer) took energy from a factory into
		/// the market escrow.
		MarketEscrowed {
			/// The factory.
			factory_id: FactoryIdOf<T>,
			/// How much, in Wh.
			energy_wh: EnergyWh,
			/// Its balance afterwards, in Wh.
			balance_wh: EnergyWh,
		},
		/// Escrowed market energy went back to the factory it came from (a cancelled, closed
		/// or expired offer).
		MarketReleased {
			/// The factory.
			factory_id: FactoryIdOf<T>,
			/// How much, in Wh.
			energy_wh: EnergyWh,
			/// Its balance afterwards, in Wh.
			balance_wh: EnergyWh,
		},
		/// Escrowed market energy of one factory was delivered to another (a purchase).
		MarketDelivered {
			/// The factory that escrowed it (the seller).
			from: FactoryIdOf<T>,
			/// The factory that received it (the buyer).
			to: FactoryIdOf<T>,
			/// How much, in Wh.
			energy_wh: EnergyWh,
			/// The seller's balance (unchanged: the energy came from escrow), in Wh.
			from_balance_wh: EnergyWh,
			/// The buyer's balance afterwards, in Wh.
			to_balance_wh: EnergyWh,
		},
		// New events go last: the node decodes the events of old blocks with these types.
		/// A factory's owner asked the registrar for another meter account.
		MeterRequested {
			/// The factory.
			factory_id: FactoryIdOf<T>,
			/// The meter account its owner asks for.
			meter: T::AccountId,
		},
		/// The registrar rated a factory: at its registration (right after `FactoryRegistered`)
		/// and on every `set_rated_power`.
		RatedPowerChanged {
			/// The factory.
			factory_id: FactoryIdOf<T>,
			/// Its rated peak power, in W.
			rated_power_w: u32,
			/// What its meter may report as generated now, in Wh (at most a day at this
			/// rating).
			allowance_wh: EnergyWh,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No factory has this id.
		FactoryNotFound,
		/// No trade has this id.
		TradeNotFound,
		/// A factory with this id is already registered.
		FactoryAlreadyExists,
		/// The factory id is empty.
		EmptyFactoryId,
		/// The factory id is longer than `MaxIdLength`.
		FactoryIdTooLong,
		/// The factory name is longer than `MaxNameLength`.
		FactoryNameTooLong,
		/// The caller does not own this factory.
		NotFactoryOwner,
		/// The caller is not this factory's meter.
		NotFactoryMeter,
		/// The caller is neither the seller's owner nor the buyer's owner of this trade.
		NotTradeParty,
		/// The amount of energy is zero.
		ZeroEnergy,
		/// The factory has less energy than the call needs.
		InsufficientEnergy,
		/// The buyer cannot pay the total price (keeping its account alive).
		InsufficientFunds,
		/// The trade is already completed or cancelled.
		TradeNotPending,
		/// The total price is above the buyer's `max_total_price`.
		PriceAboveLimit,
		/// A factory cannot trade with itself.
		SelfTrade,
		/// A factory cannot transfer energy to itself.
		SelfTransfer,
		/// An amount would overflow.
		Overflow,
		/// The meter reported more generation than the factory's rated power can have produced:
		/// its allowance refills at the rated power and holds at most a day's production
		/// (`generation_allowance` tells what it holds now).
		GenerationAboveRating,
		/// The seller factory has `MaxPendingTrades` pending trades: wait for one to be
		/// executed, or cancel one.
		TooManyPendingTrades,
		/// The seller factory's owner cannot hold the trade deposit (`TradeDeposit`) and keep
		/// its account alive.
		InsufficientDeposit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Removes the trades that finished `TradeRetention` blocks ago, as far as the block's
		/// leftover weight allows.
		fn on_idle(now: BlockNumberFor<T>, remaining_weight: Weight) -> Weight {
			Self::prune_trades(now, remaining_weight)
		}

		fn integrity_test() {
			assert!(T::MaxIdLength::get() > 0, "factory ids need at least one byte");
			assert!(T::MaxPendingTrades::get() > 0, "a factory needs room for a trade");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Register a factory, so it can hold and trade energy.
		///
		/// Origin: `RegistrarOrigin` (Root, through sudo, on Energy Chain).
		///
		/// - `id`: a unique short id such as `Factory01` (1..=`MaxIdLength` bytes).
		/// - `name`: a display name (at most `MaxNameLength` bytes).
		/// - `energy_type`: what it produces.
		/// - `owner`: the account that transfers and trades its energy.
		/// - `meter`: the account that reports its generation; `None` makes it the owner.
		/// - `rated_power_w`: its rated peak power in W, which bounds what its meter may report
		///   as generated (a day's production at most, refilled as time passes); 0 for a
		///   factory that generates nothing.
		/// - `initial_energy_wh`: the energy it starts with.
		///
		/// Its generation allowance starts full. Emits `FactoryRegistered`, then
		/// `RatedPowerChanged` with its rating. O(1).
		#[pallet::call_index(0)]
		// The origin and the seven fields of a factory, as polkadot.js apps shows them one per
		// input; a struct would hide them behind one composite field.
		#[allow(clippy::too_many_arguments)]
		pub fn register_factory(
			origin: OriginFor<T>,
			id: Vec<u8>,
			name: Vec<u8>,
			energy_type: EnergyType,
			owner: T::AccountId,
			meter: Option<T::AccountId>,
			rated_power_w: u32,
			initial_energy_wh: EnergyWh,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_register_factory(
				id,
				name,
				energy_type,
				owner,
				meter,
				rated_power_w,
				initial_energy_wh,
			)
		}

		/// Set the account that reports a factory's generation and consumption. The meter is
		/// the registrar's to assign, not the owner's (an owner that metered itself could
		/// report what it liked): an owner asks with `request_meter`. Removes the factory's
		/// pending request, whichever meter it asked for.
		///
		/// Origin: `RegistrarOrigin`. Emits `MeterChanged`. O(1).
		#[pallet::call_index(1)]
		pub fn set_meter(
			origin: OriginFor<T>,
			factory_id: FactoryIdOf<T>,
			meter: T::AccountId,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_set_meter(factory_id, meter)
		}

		/// Record energy a factory generated: its balance grows by `energy_wh`, which its
		/// generation allowance must hold (`GenerationAboveRating` otherwise): the allowance
		/// refills at the factory's rated power and holds at most a day's production.
		///
		/// Origin: the factory's meter. Emits `EnergyMinted`. O(1).
		#[pallet::call_index(2)]
		pub fn mint_energy(
			origin: OriginFor<T>,
			factory_id: FactoryIdOf<T>,
			energy_wh: EnergyWh,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_meter_report(&who, factory_id, factory::MeterReport::Generated, energy_wh)
		}

		/// Record energy a factory used: `energy_wh` is burned from its balance.
		///
		/// Origin: the factory's meter. Emits `EnergyConsumed`. O(1).
		#[pallet::call_index(3)]
		pub fn consume_energy(
			origin: OriginFor<T>,
			factory_id: FactoryIdOf<T>,
			energy_wh: EnergyWh,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_meter_report(&who, factory_id, factory::MeterReport::Consumed, energy_wh)
		}

		/// Move energy from one factory to another, without payment.
		///
		/// Origin: the owner of `from`; `to` must be registered. Emits `EnergyTransferred`. O(1).
		#[pallet::call_index(4)]
		pub fn transfer_energy(
			origin: OriginFor<T>,
			from: FactoryIdOf<T>,
			to: FactoryIdOf<T>,
			energy_wh: EnergyWh,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_transfer(&who, from, to, energy_wh)
		}

		/// Offer `energy_wh` of the seller's energy to the buyer at `price_per_kwh` (in the
		/// currency's smallest unit). The energy leaves the seller's balance into escrow at once,
		/// so the trade can always settle, and `TradeDeposit` is held from the caller until the
		/// trade is executed or cancelled. A factory has at most `MaxPendingTrades` pending
		/// trades as seller (`TooManyPendingTrades`).
		///
		/// Origin: the seller's owner. Emits `TradeCreated`. O(1).
		#[pallet::call_index(5)]
		pub fn create_trade(
			origin: OriginFor<T>,
			seller: FactoryIdOf<T>,
			buyer: FactoryIdOf<T>,
			energy_wh: EnergyWh,
			price_per_kwh: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_trade(&who, seller, buyer, energy_wh, price_per_kwh)
		}

		/// Settle a pending trade: the buyer factory's owner pays the total price to the seller
		/// factory's owner and the escrowed energy moves to the buyer, atomically.
		///
		/// Origin: the buyer's owner. `max_total_price` guards the buyer: the call fails with
		/// `PriceAboveLimit` if the total is higher. The trade's deposit returns to its creator;
		/// the trade stays readable for `TradeRetention` blocks. Emits `TradeExecuted`. O(1).
		#[pallet::call_index(6)]
		pub fn execute_trade(
			origin: OriginFor<T>,
			trade_id: TradeId,
			max_total_price: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_execute_trade(&who, trade_id, max_total_price)
		}

		/// Cancel (seller) or reject (buyer) a pending trade; the escrow returns to the seller
		/// and the deposit to the trade's creator. The trade stays readable for
		/// `TradeRetention` blocks.
		///
		/// Origin: the seller's owner or the buyer's owner. Emits `TradeCancelled`. O(1).
		#[pallet::call_index(7)]
		pub fn cancel_trade(origin: OriginFor<T>, trade_id: TradeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_trade(&who, trade_id)
		}

		/// Ask the registrar to make `meter` the factory's meter account. The request is kept
		/// (`MeterRequests`, one a factory: a newer one replaces it) until the registrar sets
		/// the factory's meter with `set_meter`.
		///
		/// Origin: the factory's owner. Emits `MeterRequested`. O(1).
		#[pallet::call_index(8)]
		pub fn request_meter(
			origin: OriginFor<T>,
			factory_id: FactoryIdOf<T>,
			meter: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_meter(&who, factory_id, meter)
		}

		/// Change a factory's rated peak power, in W. Its generation allowance is first brought
		/// up to now at the old rating, then held to a day's production at the new one.
		///
		/// Origin: `RegistrarOrigin`. Emits `RatedPowerChanged`. O(1).
		#[pallet::call_index(9)]
		pub fn set_rated_power(
			origin: OriginFor<T>,
			factory_id: FactoryIdOf<T>,
			rated_power_w: u32,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_set_rated_power(factory_id, rated_power_w)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// A factory by id.
		pub fn factory(factory_id: FactoryIdOf<T>) -> Option<FactoryOf<T>> {
			Factories::<T>::get(factory_id)
		}

		/// A factory's rating: its rated power, and its generation allowance (in mJ) refilled
		/// up to the current block's time (`None` for an unknown factory).
		pub fn factory_rating(factory_id: FactoryIdOf<T>) -> Option<FactoryRating> {
			Self::rating_now(&factory_id)
		}

		/// A factory's energy balance in Wh (`None` for an unknown factory).
		pub fn energy_balance(factory_id: FactoryIdOf<T>) -> Option<EnergyWh> {
			Factories::<T>::get(factory_id).map(|factory| factory.energy_wh)
		}

		/// What a factory's meter may report as generated now, in whole Wh: its allowance
		/// refilled up to the current block's time (`None` for an unknown factory).
		pub fn generation_allowance(factory_id: FactoryIdOf<T>) -> Option<EnergyWh> {
			Self::rating_now(&factory_id).map(|rating| rating.allowance.available_wh())
		}

		/// The meter a factory's owner asked the registrar for, if a request is pending.
		pub fn meter_request(factory_id: FactoryIdOf<T>) -> Option<T::AccountId> {
			MeterRequests::<T>::get(factory_id)
		}

		/// Up to `limit` (at most `MAX_PAGE`) factories after `start_after`, in storage order;
		/// pass the last id of a page to get the next.
		pub fn factories(start_after: Option<FactoryIdOf<T>>, limit: u32) -> Vec<FactoryOf<T>> {
			Self::factories_page(start_after, limit)
		}

		/// Up to `limit` (at most `MAX_PAGE`) of the factories an account owns, after
		/// `start_after`, in storage order; pass the last id of a page to get the next.
		pub fn owner_factories(
			who: T::AccountId,
			start_after: Option<FactoryIdOf<T>>,
			limit: u32,
		) -> Vec<FactoryOf<T>> {
			Self::owner_factories_page(who, start_after, limit)
		}

		/// A trade by id: a pending one, or one executed or cancelled in the last
		/// `TradeRetention` blocks (older ones are in the factory's history).
		pub fn trade(trade_id: TradeId) -> Option<TradeOf<T>> {
			Trades::<T>::get(trade_id)
		}

		/// The deposit a pending trade holds, and from whom (`None` once it is executed or
		/// cancelled, or for a trade created before deposits existed).
		pub fn trade_deposit(trade_id: TradeId) -> Option<HeldDepositOf<T>> {
			TradeDeposits::<T>::get(trade_id)
		}

		/// How many pending trades a factory opened as seller (at most `MaxPendingTrades`).
		pub fn pending_trade_count(factory_id: FactoryIdOf<T>) -> u32 {
			PendingTradeCount::<T>::get(factory_id)
		}

		/// Up to `limit` (at most `MAX_PAGE`) trades of a factory, as seller or buyer, after
		/// `start_after`, in storage order: its pending trades and those finished in the last
		/// `TradeRetention` blocks.
		pub fn trades_of_factory(
			factory_id: FactoryIdOf<T>,
			start_after: Option<TradeId>,
			limit: u32,
		) -> Vec<TradeOf<T>> {
			Self::trades_of_factory_page(factory_id, start_after, limit)
		}
	}
}
