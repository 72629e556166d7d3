//! v2 benchmarks of every call, each in its worst case: the longest ids and names, and payments
//! between existing accounts.

use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	weights::Weight,
};
use frame_system::RawOrigin;

use crate::*;

/// A factory id of the maximum length, distinct per `n`.
fn long_id<T: Config>(n: u8) -> FactoryIdOf<T> {
	let mut id = vec![b'F'; T::MaxIdLength::get() as usize];
	if let Some(last) = id.last_mut() {
		*last = b'A' + n;
	}
	id.try_into().expect("exactly MaxIdLength bytes")
}

/// A rating no report in a benchmark exceeds: u32::MAX W, about 103 GWh a day.
const RATED_W: u32 = u32::MAX;

/// Registers a factory owned and metered by `owner` with `energy_wh`.
fn factory<T: Config>(n: u8, owner: &T::AccountId, energy_wh: EnergyWh) -> FactoryIdOf<T> {
	let id = long_id::<T>(n);
	let name = vec![b'n'; T::MaxNameLength::get() as usize];
	Pallet::<T>::do_register_factory(
		id.to_vec(),
		name,
		EnergyType::Solar,
		owner.clone(),
		None,
		RATED_W,
		energy_wh,
	)
	.expect("a new factory registers");
	id
}

/// Plenty of the currency.
fn rich<T: Config>() -> BalanceOf<T> {
	BalanceOf::<T>::from(u32::MAX) * BalanceOf::<T>::from(u32::MAX)
}

/// An account holding plenty of the currency.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, rich::<T>());
	who
}

#[benchmarks]
mod benches {
	use super::*;

	#[benchmark]
	fn register_factory() -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let owner: T::AccountId = account("owner", 0, 0);
		let id = long_id::<T>(0).to_vec();
		let name = vec![b'n'; T::MaxNameLength::get() as usize];

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			id.clone(),
			name,
			EnergyType::Wind,
			owner,
			None,
			RATED_W,
			1_000,
		);

		let id: FactoryIdOf<T> = id.try_into().expect("fits");
		assert!(Factories::<T>::contains_key(id));
		Ok(())
	}

	/// With a pending request of the owner's, which the call removes.
	#[benchmark]
	fn set_meter() -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let owner: T::AccountId = account("owner", 0, 0);
		let id = factory::<T>(0, &owner, 0);
		let meter: T::AccountId = account("meter", 0, 0);
		Pallet::<T>::do_request_meter(&owner, id.clone(), meter.clone()).expect("the owner asks");

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id.clone(), meter.clone());

		assert_eq!(Factories::<T>::get(&id).map(|f| f.meter), Some(meter));
		assert!(!MeterRequests::<T>::contains_key(id));
		Ok(())
	}

	/// Replacing an earlier request.
	#[benchmark]
	fn request_meter() {
		let owner: T::AccountId = whitelisted_caller();
		let id = factory::<T>(0, &owner, 0);
		Pallet::<T>::do_request_meter(&owner, id.clone(), account("meter", 0, 0))
			.expect("the owner asks");
		let meter: T::AccountId = account("meter", 1, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id.clone(), meter.clone());

		assert_eq!(MeterRequests::<T>::get(id), Some(meter));
	}

	#[benchmark]
	fn set_rated_power() -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let id = factory::<T>(0, &account("owner", 0, 0), 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id.clone(), 1_000);

		assert_eq!(Ratings::<T>::get(id).map(|rating| rating.rated_power_w), Some(1_000));
		Ok(())
	}

	#[benchmark]
	fn mint_energy() {
		let owner: T::AccountId = whitelisted_caller();
		let id = factory::<T>(0, &owner, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id.clone(), 1_000);

		assert_eq!(Factories::<T>::get(id).map(|f| f.energy_wh), Some(1_000));
	}

	#[benchmark]
	fn consume_energy() {
		let owner: T::AccountId = whitelisted_caller();
		let id = factory::<T>(0, &owner, 1_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id.clone(), 1_000);

		assert_eq!(Factories::<T>::get(id).map(|f| f.energy_wh), Some(0));
	}

	#[benchmark]
	fn transfer_energy() {
		let owner: T::AccountId = whitelisted_caller();
		let from = factory::<T>(0, &owner, 1_000);
		let to = factory::<T>(1, &account("other", 0, 0), 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), from, to.clone(), 1_000);

		assert_eq!(Factories::<T>::get(to).map(|f| f.energy_wh), Some(1_000));
	}

	/// The seller's owner holds the deposit; the seller has `MaxPendingTrades − 1` pending
	/// trades (its count is one read whatever it holds).
	#[benchmark]
	fn create_trade() {
		let owner: T::AccountId = whitelisted_caller();
		T::Currency::set_balance(&owner, rich::<T>());
		let seller = factory::<T>(0, &owner, 1_000);
		let buyer = factory::<T>(1, &account("buyer", 0, 0), 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), seller, buyer, 1_000, 1_000u32.into());

		assert!(Trades::<T>::contains_key(0));
		assert!(TradeDeposits::<T>::contains_key(0));
	}

	#[benchmark]
	fn execute_trade() {
		let seller_owner = funded::<T>("seller", 0);
		let buyer_owner = funded::<T>("buyer", 0);
		let seller = factory::<T>(0, &seller_owner, 1_000);
		let buyer = factory::<T>(1, &buyer_owner, 0);
		Pallet::<T>::do_create_trade(&seller_owner, seller, buyer.clone(), 1_000, 1_000u32.into())
			.expect("the trade is created");

		#[extrinsic_call]
		_(RawOrigin::Signed(buyer_owner), 0, 1_000u32.into());

		assert_eq!(Factories::<T>::get(buyer).map(|f| f.energy_wh), Some(1_000));
	}

	#[benchmark]
	fn cancel_trade() {
		let owner: T::AccountId = whitelisted_caller();
		T::Currency::set_balance(&owner, rich::<T>());
		let seller = factory::<T>(0, &owner, 1_000);
		let buyer = factory::<T>(1, &account("buyer", 0, 0), 0);
		Pallet::<T>::do_create_trade(&owner, seller.clone(), buyer, 1_000, 1_000u32.into())
			.expect("the trade is created");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), 0);

		assert_eq!(Factories::<T>::get(seller).map(|f| f.energy_wh), Some(1_000));
	}

	/// Passing `b` blocks of the removal queue that hold no finished trade.
	#[benchmark]
	fn trade_queue_reads(b: Linear<1, 10>) {
		let written = frame_system::Pallet::<T>::block_number() + 10u32.into();
		frame_system::Pallet::<T>::set_block_number(written);
		TradePruneCursor::<T>::put(written - b.into());
		let now = written + T::TradeRetention::get();

		#[block]
		{
			Pallet::<T>::prune_trades(now, Weight::MAX);
		}

		assert_eq!(TradePruneCursor::<T>::get(), written);
	}

	/// Removing `n` trades that finished in one block, between factories of the longest ids,
	/// then passing that block.
	#[benchmark]
	fn prune_trades(n: Linear<1, 10>) {
		let owner = funded::<T>("seller", 0);
		let seller = factory::<T>(0, &owner, 1_000_000);
		let buyer = factory::<T>(1, &account("buyer", 0, 0), 0);
		for trade_id in 0..n {
			Pallet::<T>::do_create_trade(&owner, seller.clone(), buyer.clone(), 1, 1u32.into())
				.expect("the trade is created");
			Pallet::<T>::do_cancel_trade(&owner, trade_id.into()).expect("the trade is cancelled");
		}
		let written = frame_system::Pallet::<T>::block_number();
		TradePruneCursor::<T>::put(written);
		let now = written + 1u32.into() + T::TradeRetention::get();

		#[block]
		{
			Pallet::<T>::prune_trades(now, Weight::MAX);
		}

		assert_eq!(Trades::<T>::iter().count(), 0);
		assert_eq!(TradePruneCursor::<T>::get(), written + 1u32.into());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
