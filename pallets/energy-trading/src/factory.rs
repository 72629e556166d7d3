//! Factories: registration, meters, generation, consumption and free transfers.

use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::DispatchResult};

use crate::{
	ledger::{add_wh, sub_wh},
	Config, EnergyType, EnergyWh, Error, Event, Factories, FactoriesByOwner, FactoryCount,
	FactoryIdOf, FactoryOf, Pallet,
};

/// What a meter reports.
#[derive(Clone, Copy)]
pub(crate) enum MeterReport {
	/// Energy the factory generated.
	Generated,
	/// Energy the factory used.
	Consumed,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_factory(
		id: Vec<u8>,
		name: Vec<u8>,
		energy_type: EnergyType,
		owner: T::AccountId,
		meter: Option<T::AccountId>,
		initial_energy_wh: EnergyWh,
	) -> DispatchResult {
		ensure!(!id.is_empty(), Error::<T>::EmptyFactoryId);
		let id: FactoryIdOf<T> = id.try_into().map_err(|_| Error::<T>::FactoryIdTooLong)?;
		let name = name.try_into().map_err(|_| Error::<T>::FactoryNameTooLong)?;
		ensure!(!Factories::<T>::contains_key(&id), Error::<T>::FactoryAlreadyExists);
		let count = FactoryCount::<T>::get().checked_add(1).ok_or(Error::<T>::Overflow)?;
		Self::issue(initial_energy_wh)?;

		let meter = meter.unwrap_or_else(|| owner.clone());
		let factory = FactoryOf::<T> {
			id: id.clone(),
			name,
			energy_type,
			owner: owner.clone(),
			meter: meter.clone(),
			energy_wh: initial_energy_wh,
			registered_at: frame_system::Pallet::<T>::block_number(),
		};
		Factories::<T>::insert(&id, factory);
		FactoriesByOwner::<T>::insert(&owner, &id, ());
		FactoryCount::<T>::put(count);
		Self::deposit_event(Event::FactoryRegistered {
			factory_id: id,
			owner,
			meter,
			energy_type,
			initial_energy_wh,
		});
		Ok(())
	}

	pub(crate) fn do_set_meter(
		who: &T::AccountId,
		factory_id: FactoryIdOf<T>,
		meter: T::AccountId,
	) -> DispatchResult {
		let mut factory = Self::owned_factory(who, &factory_id)?;
		factory.meter = meter.clone();
		Factories::<T>::insert(&factory_id, factory);
		Self::deposit_event(Event::MeterChanged { factory_id, meter });
		Ok(())
	}

	/// Applies a meter's report on `factory_id`: generation adds `energy_wh` to its balance and
	/// to the issued total; consumption burns it from its balance into the consumed total.
	pub(crate) fn do_meter_report(
		who: &T::AccountId,
		factory_id: FactoryIdOf<T>,
		report: MeterReport,
		energy_wh: EnergyWh,
	) -> DispatchResult {
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let mut factory = Self::factory_or_err(&factory_id)?;
		ensure!(&factory.meter == who, Error::<T>::NotFactoryMeter);
		match report {
			MeterReport::Generated => {
				factory.energy_wh = add_wh::<T>(factory.energy_wh, energy_wh)?;
				Self::issue(energy_wh)?;
			},
			MeterReport::Consumed => {
				factory.energy_wh = sub_wh::<T>(factory.energy_wh, energy_wh)?;
				Self::burn(energy_wh)?;
			},
		}

		let balance_wh = factory.energy_wh;
		Factories::<T>::insert(&factory_id, factory);
		Self::deposit_event(match report {
			MeterReport::Generated => Event::EnergyMinted { factory_id, energy_wh, balance_wh },
			MeterReport::Consumed => Event::EnergyConsumed { factory_id, energy_wh, balance_wh },
		});
		Ok(())
	}

	pub(crate) fn do_transfer(
		who: &T::AccountId,
		from: FactoryIdOf<T>,
		to: FactoryIdOf<T>,
		energy_wh: EnergyWh,
	) -> DispatchResult {
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		ensure!(from != to, Error::<T>::SelfTransfer);
		let mut source = Self::owned_factory(who, &from)?;
		let mut target = Self::factory_or_err(&to)?;
		source.energy_wh = sub_wh::<T>(source.energy_wh, energy_wh)?;
		target.energy_wh = add_wh::<T>(target.energy_wh, energy_wh)?;

		let (from_balance_wh, to_balance_wh) = (source.energy_wh, target.energy_wh);
		Factories::<T>::insert(&from, source);
		Factories::<T>::insert(&to, target);
		Self::deposit_event(Event::EnergyTransferred {
			from,
			to,
			energy_wh,
			from_balance_wh,
			to_balance_wh,
		});
		Ok(())
	}
}
