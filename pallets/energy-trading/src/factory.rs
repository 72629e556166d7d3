//! Factories: registration, meters and their ratings, generation, consumption and free
//! transfers.

use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::DispatchResult};

use crate::{
	ledger::{add_wh, sub_wh},
	Config, EnergyType, EnergyWh, Error, Event, Factories, FactoriesByOwner, FactoryCount,
	FactoryIdOf, FactoryOf, FactoryRating, MeterRequests, Pallet, Ratings,
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
		rated_power_w: u32,
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
		let rating = FactoryRating::new(rated_power_w, Self::now_ms());
		Factories::<T>::insert(&id, factory);
		Ratings::<T>::insert(&id, rating);
		FactoriesByOwner::<T>::insert(&owner, &id, ());
		FactoryCount::<T>::put(count);
		Self::deposit_event(Event::FactoryRegistered {
			factory_id: id.clone(),
			owner,
			meter,
			energy_type,
			initial_energy_wh,
		});
		Self::deposit_event(Event::RatedPowerChanged {
			factory_id: id,
			rated_power_w,
			allowance_wh: rating.allowance.available_wh(),
		});
		Ok(())
	}

	/// The registrar's act: `meter` reports the factory's generation and consumption from now
	/// on, and the owner's pending request, if any, is settled.
	pub(crate) fn do_set_meter(factory_id: FactoryIdOf<T>, meter: T::AccountId) -> DispatchResult {
		let mut factory = Self::factory_or_err(&factory_id)?;
		factory.meter = meter.clone();
		Factories::<T>::insert(&factory_id, factory);
		MeterRequests::<T>::remove(&factory_id);
		Self::deposit_event(Event::MeterChanged { factory_id, meter });
		Ok(())
	}

	/// An owner asks the registrar for `meter`; the request replaces an earlier one.
	pub(crate) fn do_request_meter(
		who: &T::AccountId,
		factory_id: FactoryIdOf<T>,
		meter: T::AccountId,
	) -> DispatchResult {
		Self::owned_factory(who, &factory_id)?;
		MeterRequests::<T>::insert(&factory_id, &meter);
		Self::deposit_event(Event::MeterRequested { factory_id, meter });
		Ok(())
	}

	/// The registrar rates a factory anew: the allowance earned at the old rating up to now is
	/// kept, up to a day's production at the new one.
	pub(crate) fn do_set_rated_power(
		factory_id: FactoryIdOf<T>,
		rated_power_w: u32,
	) -> DispatchResult {
		let rating = Self::rating_now(&factory_id)
			.ok_or(Error::<T>::FactoryNotFound)?
			.rerated(rated_power_w);
		Ratings::<T>::insert(&factory_id, rating);
		let allowance_wh = rating.allowance.available_wh();
		Self::deposit_event(Event::RatedPowerChanged { factory_id, rated_power_w, allowance_wh });
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
		let mut rating = None;
		match report {
			MeterReport::Generated => {
				let current = Self::rating_now(&factory_id).ok_or(Error::<T>::FactoryNotFound)?;
				let allowance =
					current.allowance.take(energy_wh).ok_or(Error::<T>::GenerationAboveRating)?;
				rating = Some(FactoryRating { allowance, ..current });
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
		if let Some(rating) = rating {
			Ratings::<T>::insert(&factory_id, rating);
		}
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
