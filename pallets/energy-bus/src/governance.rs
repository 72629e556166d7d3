//! Owner proposals: a change takes effect once `approval_threshold` distinct owners asked for
//! it within `proposal_lifetime` blocks, by asking for the same change or approving the
//! proposal by its id. An owner may have at most `MaxProposalsPerOwner` open proposals on a bus
//! and may withdraw its own; a proposal's first approver is its proposer. And the market
//! parameters and lock terms, set by `AdminOrigin`.

use frame_support::{
	ensure,
	pallet_prelude::{DispatchError, DispatchResult, Weight},
	traits::Get,
	BoundedVec,
};
use sp_runtime::traits::Saturating;

use crate::{
	BalanceOf, BusChange, BusChangeOf, BusId, BusOf, Buses, Config, Error, Event, LockParams,
	LockTerms, MarketParams, NextProposalId, OwnersOf, Pallet, Params, Proposal, ProposalId,
	ProposalOf, Proposals, WeightInfo,
};
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// `who`, an owner of `bus_id`, asks for `change`: it approves the open proposal for that
	/// change, or opens one, and applies it once the threshold is met.
	pub(crate) fn do_propose_change(
		who: &T::AccountId,
		bus_id: BusId,
		change: BusChangeOf<T>,
	) -> DispatchResult {
		let bus = Buses::<T>::get(bus_id).ok_or(Error::<T>::BusNotFound)?;
		ensure!(bus.owners.contains(who), Error::<T>::NotBusOwner);
		ensure!(!crate::ClosingBuses::<T>::contains_key(bus_id), Error::<T>::BusClosing);
		Self::check_change(&bus, &change)?;
		let proposals = Self::live_proposals(bus_id);
		let position = proposals.iter().position(|proposal| proposal.change == change);
		Self::approve(who, bus_id, &bus, proposals, position, change)
	}

	/// `who`, an owner of `bus_id`, approves its open proposal `proposal_id`; returns the
	/// proposal's change (its weight is that change's).
	pub(crate) fn do_approve_change(
		who: &T::AccountId,
		bus_id: BusId,
		proposal_id: ProposalId,
	) -> Result<BusChangeOf<T>, DispatchError> {
		let bus = Buses::<T>::get(bus_id).ok_or(Error::<T>::BusNotFound)?;
		ensure!(bus.owners.contains(who), Error::<T>::NotBusOwner);
		let proposals = Self::live_proposals(bus_id);
		let position = proposals
			.iter()
			.position(|proposal| proposal.id == proposal_id)
			.ok_or(Error::<T>::ProposalNotFound)?;
		let change = proposals[position].change.clone();
		// The bus may have changed since the proposal was made.
		Self::check_change(&bus, &change)?;
		Self::approve(who, bus_id, &bus, proposals, Some(position), change.clone())?;
		Ok(change)
	}

	/// `who` withdraws its open proposal `proposal_id` of `bus_id`.
	pub(crate) fn do_withdraw_change(
		who: &T::AccountId,
		bus_id: BusId,
		proposal_id: ProposalId,
	) -> DispatchResult {
		ensure!(Buses::<T>::contains_key(bus_id), Error::<T>::BusNotFound);
		let mut proposals = Self::live_proposals(bus_id);
		let position = proposals
			.iter()
			.position(|proposal| proposal.id == proposal_id)
			.ok_or(Error::<T>::ProposalNotFound)?;
		let approvals = &proposals[position].approvals;
		ensure!(approvals.first() == Some(who), Error::<T>::NotProposer);
		// Others' approvals are theirs: a proposer cannot throw them away.
		ensure!(approvals.len() == 1, Error::<T>::ProposalHasApprovals);
		proposals.remove(position);
		Proposals::<T>::insert(bus_id, proposals);
		Self::deposit_event(Event::ChangeWithdrawn { bus_id, proposal_id, owner: who.clone() });
		Ok(())
	}

	/// The open proposals of `bus_id`: lapsed ones are dropped as soon as anyone touches the
	/// bus's proposals.
	fn live_proposals(bus_id: BusId) -> BoundedVec<ProposalOf<T>, T::MaxProposals> {
		let now = frame_system::Pallet::<T>::block_number();
		let mut proposals = Proposals::<T>::get(bus_id);
		proposals.retain(|proposal| proposal.expires_at >= now);
		proposals
	}

	/// Records `who`'s approval of `change` (the proposal at `position` of `proposals`, or a
	/// new one), and applies the change once `approval_threshold` owners asked for it.
	fn approve(
		who: &T::AccountId,
		bus_id: BusId,
		bus: &BusOf<T>,
		mut proposals: BoundedVec<ProposalOf<T>, T::MaxProposals>,
		position: Option<usize>,
		change: BusChangeOf<T>,
	) -> DispatchResult {
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

		let proposal_id = match position {
			Some(index) => {
				proposals[index]
					.approvals
					.try_push(who.clone())
					.map_err(|_| Error::<T>::TooManyOwners)?;
				proposals[index].id
			},
			None => {
				let opened = proposals
					.iter()
					.filter(|proposal| proposal.approvals.first() == Some(who))
					.count() as u32;
				ensure!(opened < T::MaxProposalsPerOwner::get(), Error::<T>::TooManyOwnProposals);
				let mut first: OwnersOf<T> = BoundedVec::new();
				first.try_push(who.clone()).map_err(|_| Error::<T>::TooManyOwners)?;
				let lifetime = Params::<T>::get().proposal_lifetime;
				let id = NextProposalId::<T>::get();
				let next_id = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
				let now = frame_system::Pallet::<T>::block_number();
				proposals
					.try_push(Proposal {
						id,
						change: change.clone(),
						approvals: first,
						expires_at: now.saturating_add(lifetime),
					})
					.map_err(|_| Error::<T>::TooManyProposals)?;
				NextProposalId::<T>::put(next_id);
				id
			},
		};
		Proposals::<T>::insert(bus_id, proposals);
		Self::deposit_event(Event::ChangeProposed {
			bus_id,
			proposal_id,
			change,
			owner: who.clone(),
			approvals,
			threshold: bus.approval_threshold,
		});
		Ok(())
	}

	/// What asking for `change` weighs: the benchmark of the call that asks for it (its kind's:
	/// the account or the amount it carries weighs nothing).
	pub(crate) fn change_weight<AccountId, Balance>(
		change: &BusChange<AccountId, Balance>,
	) -> Weight {
		match change {
			BusChange::AddOwner(_) => T::WeightInfo::add_bus_owner(),
			BusChange::RemoveOwner(_) => T::WeightInfo::remove_bus_owner(),
			BusChange::SetCapacity(_) => T::WeightInfo::set_bus_capacity(),
			BusChange::SetBasePrice(_) => T::WeightInfo::set_base_price(),
			BusChange::SetApprovalThreshold(_) => T::WeightInfo::set_approval_threshold(),
			BusChange::Close => T::WeightInfo::close_bus(),
			BusChange::SetAuction(_) => T::WeightInfo::set_auction(),
			BusChange::SetGridFee(_) => T::WeightInfo::set_grid_fee(),
			BusChange::SetFeeShares(..) => T::WeightInfo::set_fee_shares(),
		}
	}

	/// The most asking for any change weighs: [`Self::change_weight`] of each kind of change.
	pub(crate) fn max_change_weight() -> Weight {
		core::iter::successors(Some(BusChange::AddOwner(())), kind_after)
			.map(|change| Self::change_weight(&change))
			.fold(Weight::zero(), |heaviest, weight| heaviest.max(weight))
	}

	/// Whether each market parameter is within its range: at least one block, at most its
	/// bound.
	pub(crate) fn check_params(params: &MarketParams<BlockNumberFor<T>>) -> DispatchResult {
		let within = |value: BlockNumberFor<T>, max: BlockNumberFor<T>| {
			value >= BlockNumberFor::<T>::from(1u32) && value <= max
		};
		ensure!(
			within(params.lock_duration, T::MaxLockDuration::get())
				&& within(params.receipt_retention, T::MaxReceiptRetention::get())
				&& within(params.proposal_lifetime, T::MaxProposalLifetime::get()),
			Error::<T>::InvalidParams
		);
		Ok(())
	}

	pub(crate) fn do_set_params(params: MarketParams<BlockNumberFor<T>>) -> DispatchResult {
		Self::check_params(&params)?;
		Params::<T>::put(params.clone());
		Self::deposit_event(Event::ParamsChanged { params });
		Ok(())
	}

	/// Checks lock terms: the minimum fee is at least the existential deposit (so paying it to
	/// a seller whose account was reaped creates the account, and a lock is never free), and a
	/// lock may take some of an offer.
	pub(crate) fn check_lock_terms(terms: &LockTerms<BalanceOf<T>>) -> DispatchResult {
		use frame_support::traits::fungible::Inspect;
		ensure!(
			terms.min_fee >= T::Currency::minimum_balance() && !terms.max_share.is_zero(),
			Error::<T>::InvalidLockTerms
		);
		Ok(())
	}

	pub(crate) fn do_set_lock_terms(terms: LockTerms<BalanceOf<T>>) -> DispatchResult {
		Self::check_lock_terms(&terms)?;
		LockParams::<T>::put(terms.clone());
		Self::deposit_event(Event::LockTermsChanged { terms });
		Ok(())
	}

	/// Checks an offer lifetime: at least a block, at most `MaxOfferLifetime`.
	pub(crate) fn check_offer_lifetime(lifetime: BlockNumberFor<T>) -> DispatchResult {
		ensure!(
			lifetime >= BlockNumberFor::<T>::from(1u32) && lifetime <= T::MaxOfferLifetime::get(),
			Error::<T>::InvalidOfferLifetime
		);
		Ok(())
	}

	pub(crate) fn do_set_offer_lifetime(lifetime: BlockNumberFor<T>) -> DispatchResult {
		Self::check_offer_lifetime(lifetime)?;
		crate::OfferLifetime::<T>::put(lifetime);
		Self::deposit_event(Event::OfferLifetimeChanged { lifetime });
		Ok(())
	}
}

/// A kind of change: a change that carries `()` or 0, as only its kind weighs.
pub(crate) type ChangeKind = BusChange<(), ()>;

/// Every kind of change, one after the other from `AddOwner`: the kind after `kind`, `None`
/// after the last. A match, so that a new kind of change does not compile until it has its place
/// here, and [`Pallet::max_change_weight`] weighs it (the unit tests check that the chain meets
/// every variant).
pub(crate) fn kind_after(kind: &ChangeKind) -> Option<ChangeKind> {
	match kind {
		BusChange::AddOwner(()) => Some(BusChange::RemoveOwner(())),
		BusChange::RemoveOwner(()) => Some(BusChange::SetCapacity(0)),
		BusChange::SetCapacity(_) => Some(BusChange::SetBasePrice(())),
		BusChange::SetBasePrice(()) => Some(BusChange::SetApprovalThreshold(0)),
		BusChange::SetApprovalThreshold(_) => Some(BusChange::Close),
		BusChange::Close => Some(BusChange::SetAuction(None)),
		BusChange::SetAuction(_) => Some(BusChange::SetGridFee(())),
		BusChange::SetGridFee(()) => Some(BusChange::SetFeeShares((), 0)),
		BusChange::SetFeeShares(..) => None,
	}
}
