//! [`EnergyLedger`]: how other pallets (the energy-bus market) use factory energy without
//! touching this pallet's storage. Energy they take is held in the market escrow
//! (`MarketEscrowWh`) until they return it to its factory or deliver it to another factory;
//! every movement is an event of this pallet with the balances it left.

use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::DispatchResult};
use sp_runtime::DispatchError;

use crate::{
	ledger::{add_wh, sub_wh},
	Config, EnergyWh, Error, Event, Factories, FactoryIdOf, MarketEscrowWh, Pallet,
};

/// The factory ledger as another pallet sees it.
pub trait EnergyLedger<AccountId, FactoryId> {
	/// Whether `who` owns the factory `factory_id` (false for an unknown factory).
	fn is_owner(who: &AccountId, factory_id: &FactoryId) -> bool;

	/// Moves `energy_wh` from the factory's balance into the market escrow. Emits
	/// `MarketEscrowed`.
	fn escrow(factory_id: &FactoryId, energy_wh: EnergyWh) -> DispatchResult;

	/// Returns `energy_wh` from the market escrow to the factory it came from. Emits
	/// `MarketReleased`.
	fn release(factory_id: &FactoryId, energy_wh: EnergyWh) -> DispatchResult;

	/// Delivers escrowed energy from several factories to the factory `to`, in order: each
	/// `(from, energy_wh)` moves `energy_wh` that `from` (another factory) escrowed to `to`.
	/// `to` is read and written once for all of them, and each seller read once. Emits one
	/// `MarketDelivered` per delivery, in order, with `to`'s balance after that delivery.
	/// Checks every delivery before it writes anything; on failure, returns the index of the
	/// first delivery that failed (0 if `to` is not a factory) and why. Nothing to deliver
	/// changes nothing.
	fn deliver_all(
		to: &FactoryId,
		deliveries: &[(FactoryId, EnergyWh)],
	) -> Result<(), (usize, DispatchError)>;

	/// All energy in the market escrow, in Wh.
	fn escrowed() -> EnergyWh;
}

impl<T: Config> EnergyLedger<T::AccountId, FactoryIdOf<T>> for Pallet<T> {
	fn is_owner(who: &T::AccountId, factory_id: &FactoryIdOf<T>) -> bool {
		Factories::<T>::get(factory_id).is_some_and(|factory| &factory.owner == who)
	}

	fn escrow(factory_id: &FactoryIdOf<T>, energy_wh: EnergyWh) -> DispatchResult {
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let mut factory = Self::factory_or_err(factory_id)?;
		factory.energy_wh = sub_wh::<T>(factory.energy_wh, energy_wh)?;
		let escrowed = add_wh::<T>(MarketEscrowWh::<T>::get(), energy_wh)?;

		let balance_wh = factory.energy_wh;
		Factories::<T>::insert(factory_id, factory);
		MarketEscrowWh::<T>::put(escrowed);
		Self::deposit_event(Event::MarketEscrowed {
			factory_id: factory_id.clone(),
			energy_wh,
			balance_wh,
		});
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
		Self::deposit_event(Event::MarketReleased {
			factory_id: factory_id.clone(),
			energy_wh,
			balance_wh,
		});
		Ok(())
	}

	fn deliver_all(
		to: &FactoryIdOf<T>,
		deliveries: &[(FactoryIdOf<T>, EnergyWh)],
	) -> Result<(), (usize, DispatchError)> {
		if deliveries.is_empty() {
			return Ok(());
		}
		let mut buyer = Self::factory_or_err(to).map_err(|error| (0, error.into()))?;
		let mut escrowed = MarketEscrowWh::<T>::get();
		// Each seller read once, for its balance (a sale from escrow leaves it as it is).
		let mut sellers: Vec<(&FactoryIdOf<T>, EnergyWh)> = Vec::new();
		let mut delivered = Vec::with_capacity(deliveries.len());
		for (index, (from, energy_wh)) in deliveries.iter().enumerate() {
			let at = |error: Error<T>| (index, DispatchError::from(error));
			ensure!(*energy_wh > 0, at(Error::<T>::ZeroEnergy));
			ensure!(from != to, at(Error::<T>::SelfTransfer));
			let from_balance_wh = match sellers.iter().find(|(id, _)| *id == from) {
				Some((_, balance_wh)) => *balance_wh,
				None => {
					let balance_wh = Self::factory_or_err(from).map_err(at)?.energy_wh;
					sellers.push((from, balance_wh));
					balance_wh
				},
			};
			buyer.energy_wh = add_wh::<T>(buyer.energy_wh, *energy_wh).map_err(at)?;
			escrowed = sub_wh::<T>(escrowed, *energy_wh).map_err(at)?;
			delivered.push(Event::MarketDelivered {
				from: from.clone(),
				to: to.clone(),
				energy_wh: *energy_wh,
				from_balance_wh,
				to_balance_wh: buyer.energy_wh,
			});
		}
		// Every delivery checked: now the writes.
		Factories::<T>::insert(to, buyer);
		MarketEscrowWh::<T>::put(escrowed);
		delivered.into_iter().for_each(Self::deposit_event);
		Ok(())
	}

	fn escrowed() -> EnergyWh {
		MarketEscrowWh::<T>::get()
	}
}
