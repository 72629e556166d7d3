//! Offers: energy a seller escrows on a bus at an asking price, and their cancellation.

use frame_support::{ensure, pallet_prelude::DispatchError, pallet_prelude::DispatchResult};
use pallet_energy_trading::EnergyLedger;

use crate::{
	BalanceOf, BusId, Buses, Config, EnergyWh, Error, Event, NextOfferId, Offer, OfferId, OfferOf,
	OfferStatus, Offers, OffersByBus, OffersBySeller, Pallet,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_offer(
		seller: &T::AccountId,
		bus_id: BusId,
		factory: T::FactoryId,
		energy_wh: EnergyWh,
		price_per_kwh: BalanceOf<T>,
	) -> Result<OfferId, DispatchError> {
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let mut bus = Buses::<T>::get(bus_id).ok_or(Error::<T>::BusNotFound)?;
		ensure!(T::Ledger::is_owner(seller, &factory), Error::<T>::NotFactoryOwner);
		ensure!(price_per_kwh >= bus.base_price_per_kwh, Error::<T>::PriceBelowBase);
		let committed = bus.committed_wh.checked_add(energy_wh).ok_or(Error::<T>::Overflow)?;
		ensure!(committed <= bus.capacity_wh, Error::<T>::CapacityExceeded);
		let open_offers = bus.open_offers.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let offer_id = NextOfferId::<T>::get();
		let next_id = offer_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		// The escrow is the first write: if the factory has too little energy, nothing changed.
		T::Ledger::escrow(&factory, energy_wh)?;

		bus.committed_wh = committed;
		bus.open_offers = open_offers;
		Buses::<T>::insert(bus_id, bus);
		Offers::<T>::insert(
			offer_id,
			Offer {
				id: offer_id,
				bus_id,
				seller: seller.clone(),
				factory: factory.clone(),
				energy_wh,
				available_wh: energy_wh,
				locked_wh: 0,
				sold_wh: 0,
				price_per_kwh,
				locks: 0,
				status: OfferStatus::Open,
				created_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		NextOfferId::<T>::put(next_id);
		OffersByBus::<T>::insert(bus_id, offer_id, ());
		OffersBySeller::<T>::insert((seller, bus_id, offer_id), ());
		Self::deposit_event(Event::OfferCreated {
			offer_id,
			bus_id,
			seller: seller.clone(),
			factory,
			energy_wh,
			price_per_kwh,
		});
		Ok(offer_id)
	}

	pub(crate) fn do_cancel_offer(who: &T::AccountId, offer_id: OfferId) -> DispatchResult {
		let mut offer = Offers::<T>::get(offer_id).ok_or(Error::<T>::OfferNotFound)?;
		ensure!(&offer.seller == who, Error::<T>::NotOfferSeller);
		ensure!(offer.status == OfferStatus::Open, Error::<T>::OfferNotOpen);
		let returned_wh = offer.available_wh;
		if returned_wh > 0 {
			T::Ledger::release(&offer.factory, returned_wh)?;
		}

		offer.available_wh = 0;
		offer.status = OfferStatus::Cancelled;
		// The bus index lists open offers only, so a page of them reads no cancelled one.
		OffersByBus::<T>::remove(offer.bus_id, offer_id);
		Self::uncommit(offer.bus_id, returned_wh);
		let still_locked_wh = offer.locked_wh;
		Self::deposit_event(Event::OfferCancelled { offer_id, returned_wh, still_locked_wh });
		Self::store_offer(offer);
		Ok(())
	}

	/// Releases `energy_wh` of a bus's committed capacity (sold or returned energy).
	pub(crate) fn uncommit(bus_id: BusId, energy_wh: EnergyWh) {
		Buses::<T>::mutate(bus_id, |bus| {
			if let Some(bus) = bus {
				bus.committed_wh = bus.committed_wh.saturating_sub(energy_wh);
			}
		});
	}

	/// Stores `offer`, or, once it carries no energy and no locks, removes it from storage
	/// and its bus's open offers (its story is in the events) and returns `true`.
	pub(crate) fn store_offer(mut offer: OfferOf<T>) -> bool {
		if offer.available_wh == 0 && offer.locked_wh == 0 && offer.locks == 0 {
			offer.status = OfferStatus::Closed;
			Offers::<T>::remove(offer.id);
			OffersByBus::<T>::remove(offer.bus_id, offer.id);
			OffersBySeller::<T>::remove((&offer.seller, offer.bus_id, offer.id));
			Buses::<T>::mutate(offer.bus_id, |bus| {
				if let Some(bus) = bus {
					bus.open_offers = bus.open_offers.saturating_sub(1);
				}
			});
			true
		} else {
			Offers::<T>::insert(offer.id, offer);
			false
		}
	}
}
