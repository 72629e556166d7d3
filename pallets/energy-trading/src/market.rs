//! [`EnergyLedger`]: how other pallets (the energy-bus market) use factory energy without
//! touching this pallet's storage. Energy they take is held in the market escrow
//! (`MarketEscrowWh`) until they return it to its factory or deliver it to another factory;
//! every movement is in both factories' history.

use frame_support::{ensure, pallet_prelude::DispatchResult};

use crate::{
	history::RecordDetails,
	ledger::{add_wh, sub_wh},
	Config, EnergyWh, Error, Factories, FactoryIdOf, HistoryKind, MarketEscrowWh, Pallet,
};

/// The factory ledger as another pallet sees it.
pub trait EnergyLedger<AccountId, FactoryId> {
	/// Whether `who` owns the factory `factory_id` (false for an unknown factory).
	fn is_owner(who: &AccountId, factory_id: &FactoryId) -> bool;

	/// Whether a factory `factory_id` is registered.
	fn exists(factory_id: &FactoryId) -> bool;

	/// Moves `energy_wh` from the factory's balance into the market escrow.
	fn escrow(factory_id: &FactoryId, energy_wh: EnergyWh) -> DispatchResult;

	/// Returns `energy_wh` from the market escrow to the factory it came from.
	fn release(factory_id: &FactoryId, energy_wh: EnergyWh) -> DispatchResult;

	/// Delivers `energy_wh` that `from` escrowed to the factory `to`.
	fn deliver(from: &FactoryId, to: &FactoryId, energy_wh: EnergyWh) -> DispatchResult;

	/// All energy in the market escrow, in Wh.
	fn escrowed() -> EnergyWh;
}

impl<T: Config> EnergyLedger<T::AccountId, FactoryIdOf<T>> for Pallet<T> {
	fn is_owner(who: &T::AccountId, factory_id: &FactoryIdOf<T>) -> bool {
		Factories::<T>::get(factory_id).is_some_and(|factory| &factory.owner == who)
	}

	fn exists(factory_id: &FactoryIdOf<T>) -> bool {
		Factories::<T>::contains_key(factory_id)
	}

	fn escrow(factory_id: &FactoryIdOf<T>, energy_wh: EnergyWh) -> DispatchResult {
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let mut factory = Self::factory_or_err(factory_id)?;
		factory.energy_wh = sub_wh::<T>(factory.energy_wh, energy_wh)?;
		let escrowed = add_wh::<T>(MarketEscrowWh::<T>::get(), energy_wh)?;

		let balance_wh = factory.energy_wh;
		Factories::<T>::insert(factory_id, factory);
		MarketEscrowWh::<T>::put(escrowed);
		Self::record(factory_id, HistoryKind::Escrowed, energy_wh, balance_wh, Default::default());
		Ok(())
	}

	fn release(factory_id: &FactoryIdOf<T>, energy_wh: EnergyWh) -> DispatchResult {
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let mut factory = Self::factory_or_err(factory_id)?;
		factory.energy_wh = add_wh::<T>(factory.energy_wh, energy_wh)?;
		let escrowed = sub_wh::<T>(MarketEscrowWh::<T>::get(), energy_wh)?;

		let balance_wh = factory.energy_wh;
		Factories::<T>::insert(factory_id, factory);
		MarketEscrowWh::<T>::put(escrowed);
		Self::record(
			factory_id,
			HistoryKind::EscrowReturned,
			energy_wh,
			balance_wh,
			Default::default(),
		);
		Ok(())
	}

	fn deliver(from: &FactoryIdOf<T>, to: &FactoryIdOf<T>, energy_wh: EnergyWh) -> DispatchResult {
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let seller = Self::factory_or_err(from)?;
		let mut buyer = Self::factory_or_err(to)?;
		buyer.energy_wh = add_wh::<T>(buyer.energy_wh, energy_wh)?;
		let escrowed = sub_wh::<T>(MarketEscrowWh::<T>::get(), energy_wh)?;

		let buyer_balance = buyer.energy_wh;
		Factories::<T>::insert(to, buyer);
		MarketEscrowWh::<T>::put(escrowed);
		Self::record(
			from,
			HistoryKind::MarketSold,
			energy_wh,
			seller.energy_wh,
			RecordDetails { counterparty: Some(to.clone()), ..Default::default() },
		);
		Self::record(
			to,
			HistoryKind::MarketBought,
			energy_wh,
			buyer_balance,
			RecordDetails { counterparty: Some(from.clone()), ..Default::default() },
		);
		Ok(())
	}

	fn escrowed() -> EnergyWh {
		MarketEscrowWh::<T>::get()
	}
}
