//! The ledger's totals and the checked arithmetic on energy: issued, consumed and escrowed
//! energy change only through here, so the conservation invariant
//! (issued − consumed = balances + escrow) is kept in one place.

use frame_support::{ensure, pallet_prelude::DispatchResult, traits::UnixTime};
use sp_runtime::traits::Zero;

use crate::{
	Config, EnergyWh, Error, Factories, FactoryIdOf, FactoryOf, Pallet, TotalConsumedWh,
	TotalIssuedWh, TotalWh, TradeEscrowWh,
};

/// Result of a checked addition of energy.
pub(crate) fn add_wh<T: Config>(a: EnergyWh, b: EnergyWh) -> Result<EnergyWh, Error<T>> {
	a.checked_add(b).ok_or(Error::<T>::Overflow)
}

/// Result of a checked addition of energy to a total.
fn add_total<T: Config>(total: TotalWh, energy_wh: EnergyWh) -> Result<TotalWh, Error<T>> {
	total.checked_add(TotalWh::from(energy_wh)).ok_or(Error::<T>::Overflow)
}

/// Result of a checked subtraction of energy that fails with `InsufficientEnergy`.
pub(crate) fn sub_wh<T: Config>(a: EnergyWh, b: EnergyWh) -> Result<EnergyWh, Error<T>> {
	a.checked_sub(b).ok_or(Error::<T>::InsufficientEnergy)
}

impl<T: Config> Pallet<T> {
	/// The wall-clock time of the current block, in ms since the Unix epoch; 0 at genesis,
	/// which has no timestamp.
	pub(crate) fn now_ms() -> u64 {
		if frame_system::Pallet::<T>::block_number().is_zero() {
			return 0;
		}
		T::UnixTime::now().as_millis() as u64
	}

	/// The factory `factory_id`, or `FactoryNotFound`.
	pub(crate) fn factory_or_err(factory_id: &FactoryIdOf<T>) -> Result<FactoryOf<T>, Error<T>> {
		Factories::<T>::get(factory_id).ok_or(Error::<T>::FactoryNotFound)
	}

	/// The factory `factory_id` if `who` owns it.
	pub(crate) fn owned_factory(
		who: &T::AccountId,
		factory_id: &FactoryIdOf<T>,
	) -> Result<FactoryOf<T>, Error<T>> {
		let factory = Self::factory_or_err(factory_id)?;
		ensure!(&factory.owner == who, Error::<T>::NotFactoryOwner);
		Ok(factory)
	}

	/// New energy enters the ledger (registration or minting). The total is a `u128`: adding
	/// a `u64` to it overflows only after 2^64 additions, more than a chain can ever make.
	pub(crate) fn issue(energy_wh: EnergyWh) -> DispatchResult {
		let issued = add_total::<T>(TotalIssuedWh::<T>::get(), energy_wh)?;
		TotalIssuedWh::<T>::put(issued);
		Ok(())
	}

	/// Energy leaves the ledger for good (consumption).
	pub(crate) fn burn(energy_wh: EnergyWh) -> DispatchResult {
		let consumed = add_total::<T>(TotalConsumedWh::<T>::get(), energy_wh)?;
		TotalConsumedWh::<T>::put(consumed);
		Ok(())
	}

	/// Energy enters the escrow of pending trades.
	pub(crate) fn escrow_for_trade(energy_wh: EnergyWh) -> DispatchResult {
		let escrowed = add_wh::<T>(TradeEscrowWh::<T>::get(), energy_wh)?;
		TradeEscrowWh::<T>::put(escrowed);
		Ok(())
	}

	/// Energy leaves the escrow of pending trades (to the buyer, or back to the seller).
	pub(crate) fn unescrow_from_trade(energy_wh: EnergyWh) -> DispatchResult {
		let escrowed = sub_wh::<T>(TradeEscrowWh::<T>::get(), energy_wh)?;
		TradeEscrowWh::<T>::put(escrowed);
		Ok(())
	}
}
