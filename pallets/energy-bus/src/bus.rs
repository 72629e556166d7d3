//! Buses: creation (with a held deposit) and the changes their owners decide.

use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::{DispatchError, DispatchResult},
	traits::{fungible::MutateHold, tokens::Precision, Get},
};

use crate::{
	Auctions, BalanceOf, Bus, BusChange, BusChangeOf, BusId, Buses, BusesByOwner, ClosingBuses,
	Config, EnergyWh, Error, Event, HoldReason, NextBusId, OwnersOf, Pallet, Proposals,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_bus(
		creator: &T::AccountId,
		name: Vec<u8>,
		owners: Vec<T::AccountId>,
		capacity_wh: EnergyWh,
		base_price_per_kwh: BalanceOf<T>,
	) -> Result<BusId, DispatchError> {
		ensure!(!name.is_empty(), Error::<T>::EmptyBusName);
		let name: crate::BusNameOf<T> = name.try_into().map_err(|_| Error::<T>::BusNameTooLong)?;
		ensure!(!owners.is_empty(), Error::<T>::NoOwners);
		let mut sorted = owners.clone();
		sorted.sort();
		sorted.dedup();
		ensure!(sorted.len() == owners.len(), Error::<T>::DuplicateOwner);
		let owners: OwnersOf<T> = owners.try_into().map_err(|_| Error::<T>::TooManyOwners)?;
		let bus_id = NextBusId::<T>::get();
		let next_id = bus_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let deposit = T::BusDeposit::get();
		// The deposit is the first write: if it cannot be held, nothing changed.
		T::Currency::hold(&HoldReason::BusDeposit.into(), creator, deposit)
			.map_err(|_| Error::<T>::InsufficientFunds)?;

		for owner in owners.iter() {
			BusesByOwner::<T>::insert(owner, bus_id, ());
		}
		Self::open_fee_pot(bus_id, &owners);
		Buses::<T>::insert(
			bus_id,
			Bus {
				id: bus_id,
				name: name.clone(),
				owners: owners.clone(),
				approval_threshold: 1,
				capacity_wh,
				committed_wh: 0,
				base_price_per_kwh,
				open_offers: 0,
				creator: creator.clone(),
				deposit,
				created_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		NextBusId::<T>::put(next_id);
		Self::deposit_event(Event::BusCreated {
			bus_id,
			name,
			creator: creator.clone(),
			owners,
			capacity_wh,
			base_price_per_kwh,
		});
		Ok(bus_id)
	}

	/// Checks that `change` could apply to `bus` now, so a proposal that could never take
	/// effect is refused when it is made.
	pub(crate) fn check_change(bus: &crate::BusOf<T>, change: &BusChangeOf<T>) -> DispatchResult {
		match change {
			BusChange::AddOwner(who) => {
				ensure!(!bus.owners.contains(who), Error::<T>::AlreadyOwner);
				ensure!((bus.owners.len() as u32) < T::MaxOwners::get(), Error::<T>::TooManyOwners);
			},
			BusChange::RemoveOwner(who) => {
				ensure!(bus.owners.contains(who), Error::<T>::NotAnOwner);
				ensure!(bus.owners.len() > 1, Error::<T>::LastOwner);
			},
			BusChange::SetCapacity(capacity_wh) => {
				ensure!(*capacity_wh >= bus.committed_wh, Error::<T>::CapacityBelowCommitted)
			},
			BusChange::SetBasePrice(_) => {},
			BusChange::SetApprovalThreshold(threshold) => ensure!(
				*threshold >= 1 && *threshold <= bus.owners.len() as u32,
				Error::<T>::InvalidThreshold
			),
			// A bus with offers starts closing instead (`apply_change`).
			BusChange::Close => {},
			BusChange::SetAuction(Some(settings)) => Self::check_auction_settings(settings)?,
			BusChange::SetAuction(None) => {},
			BusChange::SetGridFee(_) => {},
			BusChange::SetFeeShares(who, shares) => {
				ensure!(bus.owners.contains(who), Error::<T>::NotAnOwner);
				Self::check_fee_shares(*shares)?;
			},
		}
		Ok(())
	}

	/// Applies a checked, approved `change` to the bus.
	pub(crate) fn apply_change(bus_id: BusId, change: BusChangeOf<T>) -> DispatchResult {
		let mut bus = Buses::<T>::get(bus_id).ok_or(Error::<T>::BusNotFound)?;
		Self::check_change(&bus, &change)?;
		match &change {
			BusChange::AddOwner(who) => {
				bus.owners.try_push(who.clone()).map_err(|_| Error::<T>::TooManyOwners)?;
				BusesByOwner::<T>::insert(who, bus_id, ());
				// It earns grid fees from now on.
				Self::give_fee_shares(bus_id, who, 1);
			},
			BusChange::RemoveOwner(who) => {
				bus.owners.retain(|owner| owner != who);
				// A threshold above the remaining owners could never be met again.
				bus.approval_threshold = bus.approval_threshold.min(bus.owners.len() as u32);
				BusesByOwner::<T>::remove(who, bus_id);
				// It keeps what it earned of the grid fees, to claim, and earns no more.
				Self::give_fee_shares(bus_id, who, 0);
				// Its approvals no longer count: a proposal only it approved is withdrawn; one
				// that others approved too stays theirs (the next approver becomes its
				// proposer).
				Proposals::<T>::mutate(bus_id, |proposals| {
					proposals.retain(|proposal| {
						let only_its = proposal.approvals.as_slice() == core::slice::from_ref(who);
						if only_its {
							Self::deposit_event(Event::ChangeWithdrawn {
								bus_id,
								proposal_id: proposal.id,
								owner: who.clone(),
							});
						}
						!only_its
					});
					for proposal in proposals.iter_mut() {
						proposal.approvals.retain(|owner| owner != who);
					}
				});
			},
			BusChange::SetCapacity(capacity_wh) => bus.capacity_wh = *capacity_wh,
			BusChange::SetBasePrice(price) => bus.base_price_per_kwh = *price,
			BusChange::SetApprovalThreshold(threshold) => bus.approval_threshold = *threshold,
			BusChange::SetAuction(settings) => {
				Self::do_set_auction(bus_id, bus.base_price_per_kwh, *settings)?
			},
			BusChange::SetGridFee(per_kwh) => Self::do_set_grid_fee(bus_id, *per_kwh),
			BusChange::SetFeeShares(who, shares) => Self::give_fee_shares(bus_id, who, *shares),
			BusChange::Close => {
				Proposals::<T>::remove(bus_id);
				// No new round opens; the open one clears without the bus (nothing trades) and
				// its orders are returned.
				Auctions::<T>::remove(bus_id);
				Self::deposit_event(Event::ChangeApplied { bus_id, change });
				if bus.open_offers == 0 {
					Self::finish_close(bus_id, &bus)?;
				} else {
					// Cancelling its offers is bounded work for the next blocks.
					ClosingBuses::<T>::insert(bus_id, ());
					let open_offers = bus.open_offers;
					Self::deposit_event(Event::BusClosing { bus_id, open_offers });
				}
				return Ok(());
			},
		}
		Buses::<T>::insert(bus_id, bus);
		Self::deposit_event(Event::ChangeApplied { bus_id, change });
		Ok(())
	}

	/// Closes a bus that has no offer left: the deposit returns to its creator and the bus
	/// leaves the state. Emits `BusClosed`.
	pub(crate) fn finish_close(bus_id: BusId, bus: &crate::BusOf<T>) -> DispatchResult {
		T::Currency::release(
			&HoldReason::BusDeposit.into(),
			&bus.creator,
			bus.deposit,
			Precision::BestEffort,
		)?;
		for owner in bus.owners.iter() {
			BusesByOwner::<T>::remove(owner, bus_id);
		}
		Buses::<T>::remove(bus_id);
		Self::close_fee_pot(bus_id, &bus.owners, &bus.creator)?;
		ClosingBuses::<T>::remove(bus_id);
		Self::deposit_event(Event::BusClosed { bus_id });
		Ok(())
	}
}
