//! Offers: energy a seller escrows on a bus at an asking price until it is sold, cancelled or
//! reaches its end; the expiry queue; and the closing of a bus that still has offers, in
//! bounded steps.

use frame_support::{
	ensure,
	pallet_prelude::{DispatchError, DispatchResult},
	storage::with_storage_layer,
	traits::Get,
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_energy_trading::EnergyLedger;
use sp_runtime::traits::{CheckedAdd, Saturating};

use crate::{
	lock::{if_done, work_expiry_queue},
	BalanceOf, BusId, Buses, ClosingBuses, Config, EnergyWh, Error, Event, NextOfferId, Offer,
	OfferExpiries, OfferExpiryCursor, OfferId, OfferLifetime, OfferOf, OfferStatus, Offers,
	OffersByBus, OffersBySeller, Pallet, WeightInfo,
};

const LOG_TARGET: &str = "runtime::energy-bus";

/// Why an open offer ended unsold.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum OfferEnd {
	/// Its seller cancelled it, or its bus is closing.
	Cancelled,
	/// It reached its `expires_at`.
	Expired,
}

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
		ensure!(!ClosingBuses::<T>::contains_key(bus_id), Error::<T>::BusClosing);
		ensure!(T::Ledger::is_owner(seller, &factory), Error::<T>::NotFactoryOwner);
		ensure!(price_per_kwh >= bus.base_price_per_kwh, Error::<T>::PriceBelowBase);
		// The bus's grid fee now: the offer keeps it, so buyers' guards and locks stay exact.
		let grid_fee_per_kwh = Self::grid_fee_of(bus_id);
		price_per_kwh.checked_add(&grid_fee_per_kwh).ok_or(Error::<T>::Overflow)?;
		let committed = bus.committed_wh.checked_add(energy_wh).ok_or(Error::<T>::Overflow)?;
		ensure!(committed <= bus.capacity_wh, Error::<T>::CapacityExceeded);
		let open_offers = bus.open_offers.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let offer_id = NextOfferId::<T>::get();
		let next_id = offer_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let expires_at = now.saturating_add(OfferLifetime::<T>::get());
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
				grid_fee_per_kwh,
				locks: 0,
				status: OfferStatus::Open,
				created_at: now,
				expires_at,
			},
		);
		NextOfferId::<T>::put(next_id);
		OffersByBus::<T>::insert(bus_id, offer_id, ());
		OfferExpiries::<T>::insert(expires_at, offer_id, ());
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
		let offer = Offers::<T>::get(offer_id).ok_or(Error::<T>::OfferNotFound)?;
		ensure!(&offer.seller == who, Error::<T>::NotOfferSeller);
		ensure!(offer.status == OfferStatus::Open, Error::<T>::OfferNotOpen);
		Self::end_offer(offer, OfferEnd::Cancelled)
	}

	/// Ends an open offer unsold: its unlocked energy returns to its factory and its capacity
	/// is released; it leaves the bus index and the expiry queue. Energy under live locks stays
	/// buyable by their holders until the locks end (the offer stays stored, `Cancelled`, until
	/// then). Emits `OfferCancelled` or `OfferExpired`.
	pub(crate) fn end_offer(mut offer: OfferOf<T>, how: OfferEnd) -> DispatchResult {
		let returned_wh = offer.available_wh;
		if returned_wh > 0 {
			T::Ledger::release(&offer.factory, returned_wh)?;
		}

		offer.available_wh = 0;
		offer.status = OfferStatus::Cancelled;
		// The bus index lists open offers only, so a page of them reads no cancelled one.
		OffersByBus::<T>::remove(offer.bus_id, offer.id);
		OfferExpiries::<T>::remove(offer.expires_at, offer.id);
		Self::uncommit(offer.bus_id, returned_wh);
		let (offer_id, still_locked_wh) = (offer.id, offer.locked_wh);
		Self::deposit_event(match how {
			OfferEnd::Cancelled => Event::OfferCancelled { offer_id, returned_wh, still_locked_wh },
			OfferEnd::Expired => Event::OfferExpired { offer_id, returned_wh, still_locked_wh },
		});
		Self::store_offer(offer);
		Ok(())
	}

	/// Whether `offer` can still be bought or locked at block `now`: open, and not past its
	/// last block (`on_initialize` may not have ended it yet: a call treats it as ended).
	pub(crate) fn check_offer_live(
		offer: &OfferOf<T>,
		now: BlockNumberFor<T>,
	) -> Result<(), Error<T>> {
		ensure!(offer.status == OfferStatus::Open, Error::<T>::OfferNotOpen);
		ensure!(now <= offer.expires_at, Error::<T>::OfferExpired);
		Ok(())
	}

	/// Ends the offers whose last block is before `now`, from the expiry queue, at most
	/// `MaxExpiriesPerBlock` and reading the queue at most that often; the rest wait for the
	/// next blocks. An offer that cannot be ended ([`Pallet::try_expire_offer`]) stops the
	/// queue at its block: it stays queued and is tried again in the next block.
	/// Returns its weight: the `offer_queue_reads` benchmark at the queue's reads, plus
	/// `expire_offers` at the offers ended if it ended any.
	pub(crate) fn expire_offers(now: BlockNumberFor<T>) -> Weight {
		let mut cursor = OfferExpiryCursor::<T>::get();
		let (ended, reads) = work_expiry_queue(
			&mut cursor,
			now,
			T::MaxExpiriesPerBlock::get(),
			|block, wanted| OfferExpiries::<T>::iter_key_prefix(block).take(wanted).collect(),
			Self::try_expire_offer,
		);
		OfferExpiryCursor::<T>::put(cursor);
		T::WeightInfo::offer_queue_reads(reads)
			.saturating_add(if_done(ended, T::WeightInfo::expire_offers))
	}

	/// Ends the expired offer `offer_id`, queued at `block`, in a storage layer of its own:
	/// if that fails (its factory refusing the energy back, its balance full), nothing of it
	/// changed, it stays queued, and the failure is logged. Returns whether it ended.
	fn try_expire_offer(block: BlockNumberFor<T>, offer_id: OfferId) -> bool {
		let ended = with_storage_layer(|| match Offers::<T>::get(offer_id) {
			Some(offer) if offer.status == OfferStatus::Open => {
				Self::end_offer(offer, OfferEnd::Expired)
			},
			// Not open any more: nothing to end (its entry should have left with it).
			_ => {
				OfferExpiries::<T>::remove(block, offer_id);
				Ok(())
			},
		});
		if let Err(error) = &ended {
			log::error!(
				target: LOG_TARGET,
				"expired offer {offer_id} could not be ended, left as it was: {error:?}"
			);
		}
		ended.is_ok()
	}

	/// One step of closing buses: visits up to `MaxExpiriesPerBlock` closing buses, cancelling
	/// up to `MaxExpiriesPerBlock` of their open offers in all, and closes each visited bus that
	/// has no offer left (its cancelled offers leave when their last lock ends, within the lock
	/// duration). Returns its weight: `no_closing_bus` if none is closing, else the
	/// `close_offers` benchmark (one bus visited, its offers cancelled, the bus closed) for each
	/// bus visited, at the offers it cancelled there.
	pub(crate) fn close_buses_step() -> Weight {
		let limit = T::MaxExpiriesPerBlock::get();
		let closing: alloc::vec::Vec<BusId> =
			ClosingBuses::<T>::iter_keys().take(limit as usize).collect();
		if closing.is_empty() {
			return T::WeightInfo::no_closing_bus();
		}
		let (mut budget, mut weight) = (limit, Weight::zero());
		for bus_id in closing {
			let cancelled = Self::close_bus_step(bus_id, budget);
			weight.saturating_accrue(T::WeightInfo::close_offers(cancelled));
			budget = budget.saturating_sub(cancelled);
		}
		weight
	}

	/// Cancels up to `budget` open offers of the closing bus `bus_id`, each in a storage layer
	/// of its own, then closes the bus if it has no offer left. An offer that cannot be
	/// cancelled (its factory refusing the energy back) is logged and left open, and the bus
	/// waits for the next block. Returns how many offers it tried to cancel.
	fn close_bus_step(bus_id: BusId, budget: u32) -> u32 {
		let due: alloc::vec::Vec<OfferId> =
			OffersByBus::<T>::iter_key_prefix(bus_id).take(budget as usize).collect();
		let mut tried = 0u32;
		for offer_id in due {
			tried += 1;
			let ended = with_storage_layer(|| match Offers::<T>::get(offer_id) {
				Some(offer) => Self::end_offer(offer, OfferEnd::Cancelled),
				None => Ok(()),
			});
			if let Err(error) = ended {
				log::error!(
					target: LOG_TARGET,
					"offer {offer_id} of closing bus {bus_id} could not be cancelled: {error:?}"
				);
				return tried;
			}
		}
		match Buses::<T>::get(bus_id) {
			Some(bus) if bus.open_offers == 0 => {
				if let Err(error) = with_storage_layer(|| Self::finish_close(bus_id, &bus)) {
					log::error!(target: LOG_TARGET, "bus {bus_id} could not close: {error:?}");
				}
			},
			// Cancelled offers of it wait for their locks to end.
			Some(_) => {},
			None => ClosingBuses::<T>::remove(bus_id),
		}
		tried
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
			if offer.status == OfferStatus::Open {
				// Sold out: it leaves the expiry queue too.
				OfferExpiries::<T>::remove(offer.expires_at, offer.id);
			}
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
