//! Owner proposals: a change takes effect once `approval_threshold` distinct owners asked for
//! it within `proposal_lifetime` blocks; and the market parameters, set by `AdminOrigin`.

use frame_support::{ensure, pallet_prelude::DispatchResult, BoundedVec};
use sp_runtime::traits::Saturating;

use crate::{
	BusChangeOf, BusId, Buses, Config, Error, Event, MarketParams, OwnersOf, Pallet, Params,
	Proposal, Proposals,
};
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// `who`, an owner of `bus_id`, asks for `change`: it joins (or starts) the proposal for
	/// that change, and applies it once the threshold is met.
	pub(crate) fn do_propose_change(
		who: &T::AccountId,
		bus_id: BusId,
		change: BusChangeOf<T>,
	) -> DispatchResult {
		let bus = Buses::<T>::get(bus_id).ok_or(Error::<T>::BusNotFound)?;
		ensure!(bus.owners.contains(who), Error::<T>::NotBusOwner);
		Self::check_change(&bus, &change)?;

		let now = frame_system::Pallet::<T>::block_number();
		let mut proposals = Proposals::<T>::get(bus_id);
		// Lapsed proposals are dropped as soon as anyone touches the bus's proposals.
		proposals.retain(|proposal| proposal.expires_at >= now);
		let position = proposals.iter().position(|proposal| proposal.change == change);
		let approvals = match position {
			Some(index) => {
				let approvals = &proposals[index].approvals;
				ensure!(!approvals.contains(who), Error::<T>::AlreadyApproved);
				approvals.len() as u32 + 1
			},
			None => 1,
		};

		if approvals >= bus.approval_threshold {
			if let Some(index) = position {
				proposals.remove(index);
			}
			Proposals::<T>::insert(bus_id, proposals);
			return Self::apply_change(bus_id, change);
		}

		match position {
			Some(index) => proposals[index]
				.approvals
				.try_push(who.clone())
				.map_err(|_| Error::<T>::TooManyOwners)?,
			None => {
				let mut first: OwnersOf<T> = BoundedVec::new();
				first.try_push(who.clone()).map_err(|_| Error::<T>::TooManyOwners)?;
				let lifetime = Params::<T>::get().proposal_lifetime;
				proposals
					.try_push(Proposal {
						change: change.clone(),
						approvals: first,
						expires_at: now.saturating_add(lifetime),
					})
					.map_err(|_| Error::<T>::TooManyProposals)?;
			},
		}
		Proposals::<T>::insert(bus_id, proposals);
		Self::deposit_event(Event::ChangeProposed {
			bus_id,
			change,
			owner: who.clone(),
			approvals,
			threshold: bus.approval_threshold,
		});
		Ok(())
	}

	pub(crate) fn do_set_params(params: MarketParams<BlockNumberFor<T>>) -> DispatchResult {
		let one = BlockNumberFor::<T>::from(1u32);
		ensure!(
			params.lock_duration >= one
				&& params.receipt_retention >= one
				&& params.proposal_lifetime >= one,
			Error::<T>::InvalidParams
		);
		Params::<T>::put(params.clone());
		Self::deposit_event(Event::ParamsChanged { params });
		Ok(())
	}
}
