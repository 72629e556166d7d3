//! v2 benchmarks of every call and of the expiry and pruning hooks, each in its worst case.

use alloc::{collections::BTreeMap, vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	weights::Weight,
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::{One, Saturating, Zero};

use crate::*;

/// Creates the benchmarks' factories through the ledger's own benchmark helper.
pub trait BenchmarkHelper<AccountId, FactoryId> {
	/// A factory owned by `owner` holding `energy_wh`, distinct per `index`.
	fn factory(owner: &AccountId, index: u32, energy_wh: EnergyWh) -> FactoryId;
}

/// An account holding plenty of the currency.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	// Enough for a bus deposit and many purchases, without nearing the issuance's limit when
	// hundreds of accounts are funded.
	let amount = T::BusDeposit::get()
		.saturating_mul(10u32.into())
		.saturating_add(T::Currency::minimum_balance().saturating_mul(1_000_000_000u32.into()));
	T::Currency::set_balance(&who, amount);
	who
}

/// A bus owned by `MaxOwners` accounts (the first being `owner`) with a huge capacity and a
/// grid fee of 1 per kWh, so that buying on it pays the fee into its pot.
fn bus<T: Config>(owner: &T::AccountId) -> BusId {
	let mut owners = vec![owner.clone()];
	for i in 1..T::MaxOwners::get() {
		owners.push(account("owner", i, 0));
	}
	let bus_id =
		Pallet::<T>::do_create_bus(owner, vec![b'b'; 8], owners, EnergyWh::MAX / 2, 1u32.into())
			.expect("the bus is created");
	Pallet::<T>::do_set_grid_fee(bus_id, 1u32.into());
	bus_id
}

/// An offer of `energy_wh` by a fresh seller on `bus_id`, at price 1 per kWh.
fn offer<T: Config>(bus_id: BusId, index: u32, energy_wh: EnergyWh) -> (OfferId, T::AccountId) {
	let seller = funded::<T>("seller", index);
	let factory = T::BenchmarkHelper::factory(&seller, 1_000 + index, energy_wh);
	let offer_id = Pallet::<T>::do_create_offer(&seller, bus_id, factory, energy_wh, 1u32.into())
		.expect("the offer is created");
	(offer_id, seller)
}

/// An offer of `energy_wh` by a fresh seller on a bus of its own, both numbered `index`.
fn offer_on_own_bus<T: Config>(index: u32, energy_wh: EnergyWh) -> (OfferId, T::AccountId) {
	let owner = funded::<T>("creator", index);
	offer::<T>(bus::<T>(&owner), index, energy_wh)
}

/// A buyer with funds and a factory to buy into.
fn buyer<T: Config>(index: u32) -> (T::AccountId, T::FactoryId) {
	let who = funded::<T>("buyer", index);
	let factory = T::BenchmarkHelper::factory(&who, 2_000 + index, 0);
	(who, factory)
}

/// The caller of the market benchmarks: the whitelisted account (its balance is read and
/// written by every transaction's fee payment anyway), with funds and a factory to buy into.
fn caller<T: Config>() -> (T::AccountId, T::FactoryId) {
	let who: T::AccountId = whitelisted_caller();
	let amount = T::Currency::minimum_balance().saturating_mul(1_000_000_000u32.into());
	T::Currency::set_balance(&who, amount);
	let factory = T::BenchmarkHelper::factory(&who, 3_000, 0);
	(who, factory)
}

/// Fills `offer_id` with `count` locks of 1 Wh from fresh buyers, lasting the market's lock
/// duration.
fn locks<T: Config>(offer_id: OfferId, count: u32, first_buyer: u32) {
	for i in 0..count {
		let (who, factory) = buyer::<T>(first_buyer + i);
		Pallet::<T>::do_lock(&who, offer_id, 1, factory, 0).expect("the lock is taken");
	}
}

/// Gives `who` `count` cooldowns on offers that do not exist, the first `ended` of which ended
/// in the previous block; the others run for 1,000 blocks more.
fn cooldowns<T: Config>(who: &T::AccountId, count: u32, ended: u32) {
	let now = frame_system::Pallet::<T>::block_number();
	let list = (0..count).map(|i| {
		let until = if i < ended { now - One::one() } else { now + 1_000u32.into() };
		(OfferId::MAX - OfferId::from(i), until)
	});
	LockCooldowns::<T>::insert(who, BoundedVec::truncate_from(list.collect::<Vec<_>>()));
}

/// Fills `offer_id` with `count` locks of 1 Wh from fresh buyers that last one block: after
/// [`advance`] by 2 they have expired, with the expiry queue not run, so the next call on the
/// offer ends them first. Locks taken before stay live.
fn expiring_locks<T: Config>(offer_id: OfferId, count: u32, first_buyer: u32) {
	let duration = Params::<T>::get().lock_duration;
	Params::<T>::mutate(|params| params.lock_duration = One::one());
	locks::<T>(offer_id, count, first_buyer);
	Params::<T>::mutate(|params| params.lock_duration = duration);
}

/// The worst case of a call that asks for a bus change: a bus of `owners` owners (the first
/// is the returned caller) that needs all of them for a change, its proposal list full with
/// `MaxProposals - 1` proposals of the largest change, then one of `change`, each approved by
/// every owner but the caller. The caller's call for `change` reads and decodes the whole list,
/// finds `change` last, and applies it. Returns the caller, the bus and `change`'s proposal.
fn governed_bus<T: Config>(
	owners: u32,
	change: impl FnOnce(&[T::AccountId]) -> BusChangeOf<T>,
) -> (T::AccountId, BusId, ProposalId) {
	let caller = funded::<T>("creator", 0);
	let mut all = vec![caller.clone()];
	for i in 1..owners {
		all.push(account("owner", i, 0));
	}
	let bus_id = Pallet::<T>::do_create_bus(
		&caller,
		vec![b'b'; 8],
		all.clone(),
		EnergyWh::MAX / 2,
		1u32.into(),
	)
	.expect("the bus is created");
	Buses::<T>::mutate(bus_id, |bus| {
		if let Some(bus) = bus {
			bus.approval_threshold = owners;
		}
	});
	// Every owner but the caller approved each proposal; their proposers take turns, so no
	// owner opened more than `MaxProposalsPerOwner` of them.
	let others = all[1..].to_vec();
	let approvals = |id: u32| -> OwnersOf<T> {
		let mut turn = others.clone();
		if !turn.is_empty() {
			let first = id as usize % turn.len();
			turn.rotate_left(first);
		}
		BoundedVec::truncate_from(turn)
	};
	let expires_at = frame_system::Pallet::<T>::block_number() + 1_000u32.into();
	let last = T::MaxProposals::get() - 1;
	let mut proposals: Vec<ProposalOf<T>> = (0..last)
		.map(|id| Proposal {
			id,
			change: BusChange::AddOwner(account("candidate", id, 0)),
			approvals: approvals(id),
			expires_at,
		})
		.collect();
	proposals.push(Proposal {
		id: last,
		change: change(&all),
		approvals: approvals(last),
		expires_at,
	});
	Proposals::<T>::insert(bus_id, BoundedVec::truncate_from(proposals));
	NextProposalId::<T>::put(last + 1);
	(caller, bus_id, last)
}

/// A bus with auctions of `ticks` prices (base 1, tick 1, rounds of 10 blocks) and its open
/// round.
fn auction_bus<T: Config>(ticks: u32) -> (BusId, RoundId) {
	let owner = funded::<T>("creator", 0);
	let bus_id = bus::<T>(&owner);
	let settings =
		AuctionSettings { round_length: 10, tick_size: 1u32.into(), ticks: ticks as Tick };
	Pallet::<T>::do_set_auction(bus_id, 1u32.into(), Some(settings)).expect("auctions start");
	(bus_id, CurrentRound::<T>::get(bus_id).expect("a round is open"))
}

/// A fresh trader numbered `index` with funds and a factory holding `energy_wh`.
fn trader<T: Config>(index: u32, energy_wh: EnergyWh) -> (T::AccountId, T::FactoryId) {
	let who = funded::<T>("trader", index);
	let factory = T::BenchmarkHelper::factory(&who, 4_000 + index, energy_wh);
	(who, factory)
}

/// Places an order of 1,000 Wh at `tick` (price `1 + tick`) for `who`.
fn place<T: Config>(
	who: &T::AccountId,
	factory: &T::FactoryId,
	side: Side,
	bus_id: BusId,
	tick: u32,
) -> OrderId {
	let nonce = MarketNonces::<T>::get(who);
	let price: BalanceOf<T> = (1 + tick).into();
	Pallet::<T>::do_place_order(who, side, bus_id, factory.clone(), 1_000, price, Some(nonce))
		.expect("the order is placed")
}

/// The worst case of placing or cancelling for the caller: the round's book page of the
/// order's tick is full (an order at each of its ticks, from other traders), and the caller
/// has `MaxOrdersPerAccount - 1` other orders in the round.
fn busy_round<T: Config>(side: Side) -> (BusId, RoundId, T::AccountId, T::FactoryId) {
	let (bus_id, round_id) = auction_bus::<T>(T::MaxTicks::get());
	let page = TICKS_PER_PAGE.min(T::MaxTicks::get());
	let room = T::MaxOrdersPerRound::get().saturating_sub(T::MaxOrdersPerAccount::get());
	for tick in 0..page.min(room) {
		let (who, factory) = trader::<T>(tick, 1_000_000);
		place::<T>(&who, &factory, side, bus_id, tick);
	}
	let (caller, factory) = trader::<T>(10_000, 1_000_000);
	for _ in 1..T::MaxOrdersPerAccount::get() {
		place::<T>(&caller, &factory, side, bus_id, 0);
	}
	(bus_id, round_id, caller, factory)
}

/// A cleared round of `bus_id` whose orders (bids at the top tick and asks at tick 0, from
/// fresh traders from `first`) all trade, with the bus's results full, so that the last order
/// settled removes the oldest result. Returns its orders.
fn cleared_round<T: Config>(
	bus_id: BusId,
	round_id: RoundId,
	orders: u32,
	first: u32,
) -> Vec<OrderId> {
	let top = T::MaxTicks::get() - 1;
	let placed: Vec<OrderId> = (0..orders)
		.map(|i| {
			let (who, factory) = trader::<T>(first + i, 1_000_000);
			let (side, tick) = if i % 2 == 0 { (Side::Bid, top) } else { (Side::Ask, 0) };
			place::<T>(&who, &factory, side, bus_id, tick)
		})
		.collect();
	let results: Vec<RoundId> =
		(0..T::MaxRoundResults::get()).map(|i| RoundId::MAX - i as RoundId).collect();
	RoundHistory::<T>::insert(bus_id, BoundedVec::truncate_from(results));
	let round = Rounds::<T>::get(round_id).expect("the round is open");
	let gate = round.gate_closes_at;
	frame_system::Pallet::<T>::set_block_number(gate + One::one());
	Pallet::<T>::clear_round(round, gate + One::one()).expect("the round clears");
	placed
}

fn advance<T: Config>(blocks: u32) {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now + blocks.into());
}

#[benchmarks]
mod benches {
	use super::*;

	#[benchmark]
	fn create_energy_bus(o: Linear<1, { T::MaxOwners::get() }>) {
		let creator = funded::<T>("creator", 0);
		let owners: Vec<T::AccountId> = (0..o).map(|i| account("owner", i, 0)).collect();
		let owners: OwnersOf<T> = owners.try_into().expect("at most MaxOwners");
		let name = vec![b'n'; T::MaxBusNameLength::get() as usize];
		let name: BusNameOf<T> = name.try_into().expect("MaxBusNameLength bytes");

		#[extrinsic_call]
		_(RawOrigin::Signed(creator), name, owners, 1_000, 1u32.into());

		assert!(Buses::<T>::contains_key(0));
	}

	/// This and the other change calls: the worst case of [`governed_bus`], the change
	/// applied by the last approval it needs.
	#[benchmark]
	fn add_bus_owner() {
		let new_owner: T::AccountId = account("new", 0, 0);
		let added = new_owner.clone();
		let (caller, bus_id, _) =
			governed_bus::<T>(T::MaxOwners::get() - 1, |_| BusChange::AddOwner(added));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id, new_owner.clone());

		assert!(BusesByOwner::<T>::contains_key(new_owner, bus_id));
	}

	/// The removed owner's approvals are taken off every other proposal, too.
	#[benchmark]
	fn remove_bus_owner() {
		let owners = T::MaxOwners::get();
		let (caller, bus_id, _) =
			governed_bus::<T>(owners, |all| BusChange::RemoveOwner(all[all.len() - 1].clone()));
		let removed: T::AccountId = account("owner", owners - 1, 0);
		// The removed owner alone approved `MaxProposalsPerOwner` of the other proposals: they
		// are withdrawn, each with an event; it is stripped from the rest.
		Proposals::<T>::mutate(bus_id, |proposals| {
			let last = proposals.len() - 1;
			let own = (T::MaxProposalsPerOwner::get() as usize).min(last);
			for proposal in proposals[..own].iter_mut() {
				proposal.approvals = BoundedVec::truncate_from(vec![removed.clone()]);
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id, removed.clone());

		assert!(!BusesByOwner::<T>::contains_key(removed, bus_id));
	}

	#[benchmark]
	fn set_bus_capacity() {
		let (caller, bus_id, _) =
			governed_bus::<T>(T::MaxOwners::get(), |_| BusChange::SetCapacity(5_000));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id, 5_000);

		assert_eq!(Buses::<T>::get(bus_id).map(|b| b.capacity_wh), Some(5_000));
	}

	#[benchmark]
	fn set_base_price() {
		let (caller, bus_id, _) =
			governed_bus::<T>(T::MaxOwners::get(), |_| BusChange::SetBasePrice(7u32.into()));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id, 7u32.into());

		assert_eq!(Buses::<T>::get(bus_id).map(|b| b.base_price_per_kwh), Some(7u32.into()));
	}

	#[benchmark]
	fn set_approval_threshold() {
		let (caller, bus_id, _) =
			governed_bus::<T>(T::MaxOwners::get(), |_| BusChange::SetApprovalThreshold(1));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id, 1);

		assert_eq!(Buses::<T>::get(bus_id).map(|b| b.approval_threshold), Some(1));
	}

	/// Every owner's index entry leaves with the bus.
	#[benchmark]
	fn close_bus() {
		let (caller, bus_id, _) = governed_bus::<T>(T::MaxOwners::get(), |_| BusChange::Close);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id);

		assert!(!Buses::<T>::contains_key(bus_id));
	}

	/// The worst case: a full proposal list, read and written, the caller's proposal last
	/// (approved by the caller alone, as it must be to be withdrawn).
	#[benchmark]
	fn withdraw_bus_change() {
		let (_, bus_id, _) = governed_bus::<T>(T::MaxOwners::get(), |_| BusChange::Close);
		let mut proposals = Proposals::<T>::get(bus_id);
		let last = proposals.len() - 1;
		let caller = proposals[last].approvals[0].clone();
		proposals[last].approvals = BoundedVec::truncate_from(vec![caller.clone()]);
		Proposals::<T>::insert(bus_id, proposals.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id, last as ProposalId);

		proposals.remove(last);
		assert_eq!(Proposals::<T>::get(bus_id), proposals);
	}

	#[benchmark]
	fn create_offer() {
		let owner = funded::<T>("creator", 0);
		let bus_id = bus::<T>(&owner);
		let seller = funded::<T>("seller", 0);
		let factory = T::BenchmarkHelper::factory(&seller, 0, 1_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(seller), bus_id, factory, 1_000, 1u32.into());

		assert!(Offers::<T>::contains_key(0));
	}

	#[benchmark]
	fn cancel_offer() {
		let (offer_id, seller) = offer_on_own_bus::<T>(0, 1_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(seller), offer_id);

		assert!(!Offers::<T>::contains_key(offer_id));
	}

	/// A purchase of part of an offer without locks. What meeting locks adds is weighed by
	/// `read_live_locks`, `end_expired_locks` and `buy_from_lock`; selling the offer out, by
	/// `close_offer`.
	#[benchmark]
	fn purchase_energy() {
		let (offer_id, _) = offer_on_own_bus::<T>(0, 1_000_000);
		let (who, into) = caller::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), offer_id, 1_000, 2u32.into(), into, 0);

		assert_eq!(MarketNonces::<T>::get(&who), 1);
	}

	/// A batch of `n` items each on a bus of its own and `s` items on the first item's bus,
	/// each buying part of an offer of its own, without locks. What meeting locks adds, and
	/// selling offers out, is weighed per item as for `purchase_energy`. The ranges keep the
	/// batch within `MaxBatchSize`.
	#[benchmark]
	fn batch_purchase_energy(
		n: Linear<1, { T::MaxBatchSize::get() / 2 }>,
		s: Linear<0, { T::MaxBatchSize::get() / 2 }>,
	) {
		let (who, into) = caller::<T>();
		let mut items = Vec::new();
		let mut buses = Vec::new();
		for i in 0..n {
			let owner = funded::<T>("creator", i);
			buses.push(bus::<T>(&owner));
			let (offer_id, _) = offer::<T>(buses[i as usize], i, 1_000_000);
			items.push(BatchItem { offer_id, energy_wh: 1_000, max_price_per_kwh: 2u32.into() });
		}
		for i in 0..s {
			let (offer_id, _) = offer::<T>(buses[0], n + i, 1_000_000);
			items.push(BatchItem { offer_id, energy_wh: 1_000, max_price_per_kwh: 2u32.into() });
		}
		let items: BoundedVec<_, T::MaxBatchSize> = BoundedVec::truncate_from(items);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), items, into, 0);

		assert_eq!(MarketNonces::<T>::get(&who), 1);
	}

	/// What meeting `r` live locks of an open offer adds to a purchase or a lock of it: reading
	/// them (with the offer) and looking up the caller's own, which it has none of here (a
	/// buyer's own is read as one of the `r`; spending it is `buy_from_lock`).
	#[benchmark]
	fn read_live_locks(r: Linear<1, { T::MaxLocksPerOffer::get() }>) {
		let (offer_id, _) = offer_on_own_bus::<T>(0, 1_000_000);
		locks::<T>(offer_id, r, 100);
		let (who, _) = caller::<T>();
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			let (met, offer) = Pallet::<T>::settled_offer(offer_id, now);
			assert!(offer.is_some() && Pallet::<T>::live_lock(&who, offer_id, now).is_none());
			assert_eq!(met.live_read, r);
		}
	}

	/// What ending `e` expired locks of an open offer adds to a purchase or a lock of it: each
	/// lock's hold released, the lock and its indexes removed, its energy back to the offer.
	#[benchmark]
	fn end_expired_locks(e: Linear<1, { T::MaxLocksPerOffer::get() }>) {
		let (offer_id, _) = offer_on_own_bus::<T>(0, 1_000_000);
		expiring_locks::<T>(offer_id, e, 200);
		advance::<T>(2);
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			let (met, offer) = Pallet::<T>::settled_offer(offer_id, now);
			assert!(offer.is_some());
			assert_eq!(met.expired_ended, e);
		}

		assert_eq!(LocksByOffer::<T>::iter_prefix(offer_id).count(), 0);
	}

	/// What buying through the buyer's own lock adds: the lock read, its part paid from the
	/// hold, and the lock bought out (the rest of the hold released, the lock and its indexes
	/// removed).
	#[benchmark]
	fn buy_from_lock() {
		let (offer_id, _) = offer_on_own_bus::<T>(0, 1_000_000);
		let (who, factory) = caller::<T>();
		Pallet::<T>::do_lock(&who, offer_id, 500, factory, 0).expect("the caller's lock");
		let mut offer = Offers::<T>::get(offer_id).expect("the offer is stored");
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			let lock = Pallet::<T>::live_lock(&who, offer_id, now).expect("the caller's lock");
			let fee =
				pallet_energy_trading::total_price(500, offer.grid_fee_per_kwh).expect("the fee");
			let cost = lock.held - fee;
			Pallet::<T>::spend_lock(&who, lock, 500, (cost, fee, true), &mut offer)
				.expect("bought out");
		}

		assert_eq!(offer.locks, 0);
		assert!(!LocksByOffer::<T>::contains_key(offer_id, &who));
	}

	/// What a purchase adds when it sells an offer out: the offer leaves storage, its bus's
	/// and its seller's indexes, and its bus's count of open offers.
	#[benchmark]
	fn close_offer() {
		let (offer_id, _) = offer_on_own_bus::<T>(0, 1_000);
		let mut sold = Offers::<T>::get(offer_id).expect("the offer is stored");
		let bus_id = sold.bus_id;
		sold.sold_wh = sold.available_wh;
		sold.available_wh = 0;

		#[block]
		{
			assert!(Pallet::<T>::store_offer(sold));
		}

		assert!(!Offers::<T>::contains_key(offer_id));
		assert!(!OffersByBus::<T>::contains_key(bus_id, offer_id));
	}

	/// A lock on an offer without locks. What meeting locks adds is weighed by
	/// `read_live_locks` and `end_expired_locks`.
	#[benchmark]
	fn lock_offer() {
		let (offer_id, seller) = offer_on_own_bus::<T>(0, 1_000_000);
		// The seller's account was reaped: the lock fee creates it again.
		T::Currency::set_balance(&seller, Zero::zero());
		let (who, factory) = caller::<T>();
		advance::<T>(2);
		// The caller's cooldown list is as long as it can be beside the new lock, and one of
		// its cooldowns has ended: the list is read, checked and written.
		let room = T::MaxLocksPerAccount::get() - 1;
		cooldowns::<T>(&who, room, 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), offer_id, 1_000, factory, 0);

		assert!(LocksByOffer::<T>::contains_key(offer_id, &who));
		assert_eq!(LockCooldowns::<T>::get(&who).len() as u32, room - 1);
		assert!(!T::Currency::balance(&seller).is_zero());
	}

	/// The worst case: the last lock of a cancelled offer, whose energy goes back to the
	/// seller's factory and whose end closes the offer; the holder's cooldown list as long as
	/// it can be beside the lock, one of them ended (dropped as the new one is added).
	#[benchmark]
	fn release_lock() {
		let (offer_id, seller) = offer_on_own_bus::<T>(0, 1_000_000);
		let (who, factory) = buyer::<T>(0);
		Pallet::<T>::do_lock(&who, offer_id, 1_000, factory, 0).expect("lock");
		Pallet::<T>::do_cancel_offer(&seller, offer_id).expect("the offer is cancelled");
		let lock_id = LocksByOffer::<T>::get(offer_id, &who).expect("indexed");
		advance::<T>(2);
		let room = T::MaxLocksPerAccount::get() - 1;
		cooldowns::<T>(&who, room, 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), lock_id);

		assert!(!Locks::<T>::contains_key(lock_id));
		assert!(!Offers::<T>::contains_key(offer_id));
		assert_eq!(LockCooldowns::<T>::get(&who).len() as u32, room);
	}

	#[benchmark]
	fn set_lock_terms() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let terms = LockTerms {
			fee: sp_runtime::Perbill::from_percent(2),
			min_fee: T::Currency::minimum_balance(),
			max_share: sp_runtime::Perbill::from_percent(50),
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, terms.clone());

		assert_eq!(LockParams::<T>::get(), terms);
		Ok(())
	}

	#[benchmark]
	fn set_market_params() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = MarketParams {
			lock_duration: 10u32.into(),
			receipt_retention: 100u32.into(),
			proposal_lifetime: 20u32.into(),
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params.clone());

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// The expiry queue reading `b` blocks of it without expiries.
	#[benchmark]
	fn expiry_queue_reads(b: Linear<1, { T::MaxExpiriesPerBlock::get() }>) {
		advance::<T>(T::MaxExpiriesPerBlock::get() + 1);
		let now = frame_system::Pallet::<T>::block_number();
		ExpiryCursor::<T>::put(now - b.into());

		#[block]
		{
			Pallet::<T>::expire_locks(now);
		}

		assert_eq!(ExpiryCursor::<T>::get(), now);
	}

	/// The expiry queue ending `n` locks that expired in the same block, in one read of the
	/// queue. The worst case for each lock: it is the last of a cancelled offer on a bus of its
	/// own, so ending it gives its energy back to the seller's factory, frees that bus's
	/// capacity and closes the offer.
	#[benchmark]
	fn expire_locks(n: Linear<1, { T::MaxExpiriesPerBlock::get() }>) {
		for index in 0..n {
			let (offer_id, seller) = offer_on_own_bus::<T>(index, 1_000_000);
			locks::<T>(offer_id, 1, 1_000 * (index + 1));
			Pallet::<T>::do_cancel_offer(&seller, offer_id).expect("the offer is cancelled");
		}
		let expiry = frame_system::Pallet::<T>::block_number() + Params::<T>::get().lock_duration;
		ExpiryCursor::<T>::put(expiry);

		#[block]
		{
			Pallet::<T>::expire_locks(expiry + One::one());
		}

		assert_eq!(Locks::<T>::iter().count(), 0);
	}

	/// The receipt pruning queue passing `b` blocks without receipts to prune.
	#[benchmark]
	fn receipt_queue_reads(b: Linear<1, 10>) {
		advance::<T>(10);
		let written = frame_system::Pallet::<T>::block_number();
		ReceiptPruneCursor::<T>::put(written - b.into());
		let now = written + Params::<T>::get().receipt_retention;

		#[block]
		{
			Pallet::<T>::prune_receipts(now, Weight::MAX);
		}

		assert_eq!(ReceiptPruneCursor::<T>::get(), written);
	}

	/// Pruning `n` receipts written in one block, each of a batch of `MaxBatchSize` purchases
	/// (the worst case), then passing that block.
	#[benchmark]
	fn prune_receipts(n: Linear<1, 10>) {
		let owner = funded::<T>("creator", 0);
		let bus_id = bus::<T>(&owner);
		let size = T::MaxBatchSize::get();
		for receipt in 0..n {
			let (who, into) = buyer::<T>(receipt);
			let mut items = Vec::new();
			for i in 0..size {
				let (offer_id, _) = offer::<T>(bus_id, receipt * size + i, 1_000);
				items.push(BatchItem {
					offer_id,
					energy_wh: 1_000,
					max_price_per_kwh: 2u32.into(),
				});
			}
			let items = BoundedVec::truncate_from(items);
			Pallet::<T>::do_batch_purchase(&who, items, into, 0).expect("the batch runs");
		}
		let written = frame_system::Pallet::<T>::block_number();
		ReceiptPruneCursor::<T>::put(written);
		let now = written + One::one() + Params::<T>::get().receipt_retention;

		#[block]
		{
			Pallet::<T>::prune_receipts(now, Weight::MAX);
		}

		assert_eq!(Receipts::<T>::iter().count(), 0);
		assert_eq!(ReceiptPruneCursor::<T>::get(), written + One::one());
	}

	#[benchmark]
	fn set_offer_lifetime() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let lifetime = T::MaxOfferLifetime::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lifetime);

		assert_eq!(OfferLifetime::<T>::get(), lifetime);
		Ok(())
	}

	/// The offer expiry queue reading `b` blocks of it without expiries.
	#[benchmark]
	fn offer_queue_reads(b: Linear<1, { T::MaxExpiriesPerBlock::get() }>) {
		advance::<T>(T::MaxExpiriesPerBlock::get() + 1);
		let now = frame_system::Pallet::<T>::block_number();
		OfferExpiryCursor::<T>::put(now - b.into());

		#[block]
		{
			Pallet::<T>::expire_offers(now);
		}

		assert_eq!(OfferExpiryCursor::<T>::get(), now);
	}

	/// The offer expiry queue ending `n` offers that expired in the same block, in one read of
	/// the queue. Each is on a bus of its own and returns its energy to its seller's factory.
	#[benchmark]
	fn expire_offers(n: Linear<1, { T::MaxExpiriesPerBlock::get() }>) {
		// A block after genesis: a chain's genesis offers end after a block of their own.
		advance::<T>(1);
		let offers: Vec<OfferId> =
			(0..n).map(|index| offer_on_own_bus::<T>(index, 1_000_000).0).collect();
		let expiry = frame_system::Pallet::<T>::block_number() + OfferLifetime::<T>::get();
		OfferExpiryCursor::<T>::put(expiry);

		#[block]
		{
			Pallet::<T>::expire_offers(expiry + One::one());
		}

		assert!(offers.iter().all(|offer_id| !Offers::<T>::contains_key(offer_id)));
	}

	/// One closing bus visited: `n` of its open offers cancelled (each returning its energy to
	/// its seller's factory), then the bus closed (its deposit released, its `MaxOwners`
	/// owners' index entries removed).
	#[benchmark]
	fn close_offers(n: Linear<0, { T::MaxExpiriesPerBlock::get() }>) {
		let owner = funded::<T>("creator", 0);
		let bus_id = bus::<T>(&owner);
		for index in 0..n {
			offer::<T>(bus_id, index, 1_000);
		}
		ClosingBuses::<T>::insert(bus_id, ());

		#[block]
		{
			Pallet::<T>::close_buses_step();
		}

		assert!(!Buses::<T>::contains_key(bus_id));
		assert!(!ClosingBuses::<T>::contains_key(bus_id));
	}

	/// A block with no closing bus: one read of the closing queue.
	#[benchmark]
	fn no_closing_bus() {
		#[block]
		{
			Pallet::<T>::close_buses_step();
		}

		assert!(ClosingBuses::<T>::iter_keys().next().is_none());
	}

	/// Owners turning auctions on with the largest grid: a round opens.
	#[benchmark]
	fn set_auction() {
		let settings = AuctionSettings {
			round_length: 10,
			tick_size: 1u32.into(),
			ticks: T::MaxTicks::get() as Tick,
		};
		let (caller, bus_id, _) =
			governed_bus::<T>(T::MaxOwners::get(), |_| BusChange::SetAuction(Some(settings)));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id, Some(settings));

		assert!(CurrentRound::<T>::contains_key(bus_id));
	}

	/// A bid into a full book page, by a caller with `MaxOrdersPerAccount - 1` orders.
	#[benchmark]
	fn place_bid() {
		let (bus_id, round_id, caller, factory) = busy_round::<T>(Side::Bid);
		let nonce = MarketNonces::<T>::get(&caller);
		let orders = Rounds::<T>::get(round_id).map(|r| r.orders);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id, 1_000, 1u32.into(), factory, nonce);

		assert_eq!(Rounds::<T>::get(round_id).map(|r| r.orders), orders.map(|o| o + 1));
	}

	/// An ask into a full book page, by a caller with `MaxOrdersPerAccount - 1` orders.
	#[benchmark]
	fn place_ask() {
		let (bus_id, round_id, caller, factory) = busy_round::<T>(Side::Ask);
		let nonce = MarketNonces::<T>::get(&caller);
		let orders = Rounds::<T>::get(round_id).map(|r| r.orders);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id, factory, 1_000, 1u32.into(), nonce);

		assert_eq!(Rounds::<T>::get(round_id).map(|r| r.orders), orders.map(|o| o + 1));
	}

	/// Cancelling a bid in a full book page.
	#[benchmark]
	fn cancel_bid() {
		let (_, _, caller, _) = busy_round::<T>(Side::Bid);
		let order_id = NextOrderId::<T>::get() - 1;

		#[extrinsic_call]
		cancel_order(RawOrigin::Signed(caller), order_id);

		assert!(!Orders::<T>::contains_key(order_id));
	}

	/// Cancelling an ask in a full book page.
	#[benchmark]
	fn cancel_ask() {
		let (_, _, caller, _) = busy_round::<T>(Side::Ask);
		let order_id = NextOrderId::<T>::get() - 1;

		#[extrinsic_call]
		cancel_order(RawOrigin::Signed(caller), order_id);

		assert!(!Orders::<T>::contains_key(order_id));
	}

	/// The clearing queue reading `b` blocks of it without gates.
	#[benchmark]
	fn gate_queue_reads(b: Linear<1, { T::MaxClearingsPerBlock::get() }>) {
		advance::<T>(T::MaxClearingsPerBlock::get() + 1);
		let now = frame_system::Pallet::<T>::block_number();
		GateCursor::<T>::put(now - b.into());

		#[block]
		{
			Pallet::<T>::clear_rounds(now);
		}

		assert_eq!(GateCursor::<T>::get(), now);
	}

	/// Clearing a round of `p` full pages of ticks (`64 × p` ticks, at most `MaxTicks`) whose
	/// book holds `o` orders of 1,000 Wh, bids and asks spread over every tick so that they
	/// cross, then opening the bus's next round. The book is written as `o` placed orders leave
	/// it (clearing reads only the round and the book's `2 × p` pages, never an order).
	#[benchmark]
	fn clear_round(
		p: Linear<1, { T::MaxTicks::get().div_ceil(TICKS_PER_PAGE) }>,
		o: Linear<10, { T::MaxOrdersPerRound::get() }>,
	) {
		let t = (p * TICKS_PER_PAGE).min(T::MaxTicks::get());
		let (bus_id, round_id) = auction_bus::<T>(t);
		let mut pages: BTreeMap<(Side, u16), Vec<EnergyWh>> = BTreeMap::new();
		for i in 0..o {
			let side = if i % 2 == 0 { Side::Bid } else { Side::Ask };
			let tick = (i / 2) % t;
			let page = pages.entry((side, (tick / TICKS_PER_PAGE) as u16)).or_default();
			let slot = (tick % TICKS_PER_PAGE) as usize;
			if page.len() <= slot {
				page.resize(slot + 1, 0);
			}
			page[slot] += 1_000;
		}
		for ((side, page), energy) in pages {
			Book::<T>::insert((round_id, side, page), BookPage::truncate_from(energy));
		}
		Rounds::<T>::mutate(round_id, |round| {
			if let Some(round) = round {
				round.orders = o;
				round.bid_wh = 1_000 * EnergyWh::from(o.div_ceil(2));
				round.ask_wh = 1_000 * EnergyWh::from(o / 2);
			}
		});
		let round = Rounds::<T>::get(round_id).expect("the round is open");
		let now = round.gate_closes_at + One::one();

		#[block]
		{
			Pallet::<T>::clear_round(round, now).expect("the round clears");
		}

		assert!(matches!(
			Rounds::<T>::get(round_id).map(|r| r.status),
			Some(RoundStatus::Cleared(_))
		));
		assert!(CurrentRound::<T>::get(bus_id).is_some_and(|next| next != round_id));
	}

	/// `on_idle` settling `n` orders of a cleared round in which every order trades, half bids
	/// and half asks, the last of them finishing the round (whose bus's results are full).
	#[benchmark]
	fn settle_orders(n: Linear<0, { T::MaxOrdersPerRound::get().min(100) }>) {
		let (bus_id, round_id) = auction_bus::<T>(T::MaxTicks::get());
		let orders = cleared_round::<T>(bus_id, round_id, n, 0);

		#[block]
		{
			Pallet::<T>::settle_orders(Weight::MAX);
		}

		assert!(orders.iter().all(|order_id| !Orders::<T>::contains_key(order_id)));
	}

	/// Claiming a traded bid, the last order of its round (the bus's results full).
	#[benchmark]
	fn claim_bid() {
		let (bus_id, round_id) = auction_bus::<T>(T::MaxTicks::get());
		let orders = cleared_round::<T>(bus_id, round_id, 2, 0);
		Pallet::<T>::do_settle(orders[1]).expect("the ask settles");
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		claim(RawOrigin::Signed(caller), orders[0]);

		assert!(RoundHistory::<T>::get(bus_id).contains(&round_id));
	}

	/// Claiming a traded ask, the last order of its round (the bus's results full).
	#[benchmark]
	fn claim_ask() {
		let (bus_id, round_id) = auction_bus::<T>(T::MaxTicks::get());
		let orders = cleared_round::<T>(bus_id, round_id, 2, 0);
		Pallet::<T>::do_settle(orders[0]).expect("the bid settles");
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		claim(RawOrigin::Signed(caller), orders[1]);

		assert!(RoundHistory::<T>::get(bus_id).contains(&round_id));
	}

	/// Owners setting the grid fee.
	#[benchmark]
	fn set_grid_fee() {
		let (caller, bus_id, _) =
			governed_bus::<T>(T::MaxOwners::get(), |_| BusChange::SetGridFee(7u32.into()));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id, 7u32.into());

		assert_eq!(Pallet::<T>::grid_fee_of(bus_id), 7u32.into());
	}

	/// Owners setting an owner's fee shares: its earnings brought up to date first.
	#[benchmark]
	fn set_fee_shares() {
		let owner: T::AccountId = account("owner", 1, 0);
		let target = owner.clone();
		let (caller, bus_id, _) = governed_bus::<T>(T::MaxOwners::get(), |_| {
			BusChange::SetFeeShares(target, MAX_FEE_SHARES)
		});
		Pallet::<T>::collect_fee(bus_id, 1_000_000u32.into()).expect("a fee is collected");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), bus_id, owner.clone(), MAX_FEE_SHARES);

		assert_eq!(
			FeeShares::<T>::get(owner, bus_id).map(|share| share.shares),
			Some(MAX_FEE_SHARES)
		);
	}

	/// A former owner claiming its earnings from a closed bus's pot, the last to claim: its
	/// part and the pot leave the state (O(1) whatever the number of fees paid).
	#[benchmark]
	fn claim_grid_fees() {
		let owner = funded::<T>("creator", 0);
		let bus_id = bus::<T>(&owner);
		// Enough for every owner's part to be above the existential deposit.
		let fees = T::Currency::minimum_balance().saturating_mul(1_000_000u32.into());
		T::Currency::mint_into(&Pallet::<T>::market_account(), fees).expect("the fee is paid in");
		Pallet::<T>::collect_fee(bus_id, fees).expect("a fee is collected");
		let bus = Buses::<T>::get(bus_id).expect("the bus is stored");
		// Every other owner claimed and left before.
		for other in bus.owners.iter().skip(1) {
			Pallet::<T>::do_claim_grid_fees(other, bus_id).expect("its part is paid");
			Pallet::<T>::give_fee_shares(bus_id, other, 0);
		}
		Pallet::<T>::give_fee_shares(bus_id, &owner, 0);
		Buses::<T>::remove(bus_id);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), bus_id);

		assert!(!GridFees::<T>::contains_key(bus_id));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
