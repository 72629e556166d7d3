//! Grid fees: a fee per kWh that a bus's owners set (through the approval threshold) and
//! buyers pay on top of the price for every kWh delivered over the bus, bought from an offer
//! or cleared in an auction round. The fees go to the bus's pot (kept in the market account)
//! and are shared by the owners' shares, each owner claiming its part in O(1) whatever the
//! number of payments, through a running fee per share (as staking reward pools do):
//!
//! - a fee `f` adds `f × FEE_PRECISION / total_shares` to the pot's `per_share`; what the
//!   division leaves over is carried into the next fee, so no fee is lost to rounding;
//! - an owner's earnings are `shares × (per_share − paid_per_share) / FEE_PRECISION` since it
//!   was last brought up to date, the fraction of a unit carried too; bringing it up to date
//!   (before its shares change, and when it claims) moves them into `earned`;
//! - an owner added later starts at the pot's `per_share` (it earns from then on); a removed
//!   owner is brought up to date and keeps its earnings with no shares.
//!
//! So the owners' claims never add up to more than the pot, and the pot exceeds them by less
//! than one unit per owner (the fractions they carry) plus one (the pot's remainder). The pot
//! of a closed bus stays until its owners have claimed: each claim then removes the owner's
//! part, and the last one takes what is left, those fractions included.

use frame_support::{
	ensure,
	pallet_prelude::{DispatchError, DispatchResult},
};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedAdd, Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero},
	Rounding,
};

use crate::{
	BalanceOf, BusId, ClaimableFees, Config, Error, Event, FeeShare, FeeShareCount, FeeShares,
	GridFee, GridFees, Pallet, FEE_PRECISION, MAX_FEE_SHARES,
};

/// An owner's part as this pallet stores it.
pub type FeeShareOf<T> = FeeShare<BalanceOf<T>>;

/// Brings `share` up to date with a pot whose fee per share is `per_share`: what it earned
/// since moves into `earned` (whole units) and `carry` (the fraction).
fn bring_up_to_date<T: Config>(share: &mut FeeShareOf<T>, per_share: u128) {
	let grown = per_share.saturating_sub(share.paid_per_share);
	// `shares × grown` in 256 bits, then split into whole units and the fraction.
	let scaled =
		multiply_by_rational_with_rounding(u128::from(share.shares), grown, 1, Rounding::Down)
			.unwrap_or(u128::MAX)
			.saturating_add(share.carry);
	let whole = BalanceOf::<T>::unique_saturated_from(scaled / FEE_PRECISION);
	share.earned = share.earned.saturating_add(whole);
	share.carry = scaled % FEE_PRECISION;
	share.paid_per_share = per_share;
}

impl<T: Config> Pallet<T> {
	/// Opens the pot of a new bus: no fee, one share for each owner.
	pub(crate) fn open_fee_pot(bus_id: BusId, owners: &[T::AccountId]) {
		for owner in owners {
			FeeShares::<T>::insert(owner, bus_id, FeeShare { shares: 1, ..Default::default() });
		}
		GridFees::<T>::insert(
			bus_id,
			GridFee {
				total_shares: owners.len() as u32,
				members: owners.len() as u32,
				..Default::default()
			},
		);
	}

	/// The grid fee per kWh that an offer made or a round opened on `bus_id` now carries.
	pub(crate) fn grid_fee_of(bus_id: BusId) -> BalanceOf<T> {
		GridFees::<T>::get(bus_id).map(|pot| pot.per_kwh).unwrap_or_else(Zero::zero)
	}

	/// Checks a number of fee shares: 1 to `MAX_FEE_SHARES`.
	pub(crate) fn check_fee_shares(shares: FeeShareCount) -> DispatchResult {
		ensure!((1..=MAX_FEE_SHARES).contains(&shares), Error::<T>::InvalidFeeShares);
		Ok(())
	}

	/// Sets the grid fee that new offers and rounds of `bus_id` carry.
	pub(crate) fn do_set_grid_fee(bus_id: BusId, per_kwh: BalanceOf<T>) {
		GridFees::<T>::mutate(bus_id, |pot| {
			pot.get_or_insert_with(Default::default).per_kwh = per_kwh;
		});
	}

	/// Gives `who` `shares` shares of `bus_id`'s fees from now on (0 when it stops being an
	/// owner): what it earned so far stays its own.
	pub(crate) fn give_fee_shares(bus_id: BusId, who: &T::AccountId, shares: FeeShareCount) {
		GridFees::<T>::mutate(bus_id, |pot| {
			let pot = pot.get_or_insert_with(Default::default);
			FeeShares::<T>::mutate_exists(who, bus_id, |entry| {
				let known = entry.is_some();
				let mut share = entry.take().unwrap_or_default();
				bring_up_to_date::<T>(&mut share, pot.per_share);
				pot.total_shares = pot
					.total_shares
					.saturating_sub(share.shares.into())
					.saturating_add(shares.into());
				share.shares = shares;
				// A former owner with nothing left to claim leaves no record; the fraction of a
				// unit it carried goes back to the pot, to be shared with the next fee.
				let empty = shares == 0 && share.earned.is_zero();
				if empty {
					pot.remainder = pot.remainder.saturating_add(share.carry);
				}
				match (known, empty) {
					(false, false) => pot.members = pot.members.saturating_add(1),
					(true, true) => pot.members = pot.members.saturating_sub(1),
					_ => {},
				}
				*entry = (!empty).then_some(share);
			});
		});
	}

	/// Adds `fee`, paid into the market account by a buyer on `bus_id`, to the bus's pot
	/// (which must have owners who earn: [`Self::collects_fees`]).
	pub(crate) fn collect_fee(bus_id: BusId, fee: BalanceOf<T>) -> Result<(), Error<T>> {
		if fee.is_zero() {
			return Ok(());
		}
		GridFees::<T>::try_mutate(bus_id, |pot| {
			let pot = pot.as_mut().ok_or(Error::<T>::BusNotFound)?;
			ensure!(pot.total_shares > 0, Error::<T>::BusNotFound);
			let units: u128 = fee.unique_saturated_into();
			let scaled = units
				.checked_mul(FEE_PRECISION)
				.and_then(|scaled| scaled.checked_add(pot.remainder))
				.ok_or(Error::<T>::Overflow)?;
			let total = u128::from(pot.total_shares);
			pot.per_share =
				pot.per_share.checked_add(scaled / total).ok_or(Error::<T>::Overflow)?;
			pot.remainder = scaled % total;
			pot.unclaimed = pot.unclaimed.checked_add(&fee).ok_or(Error::<T>::Overflow)?;
			Ok(())
		})
	}

	/// Whether fees paid on `bus_id` now can go to its pot (it has owners who earn).
	pub(crate) fn collects_fees(bus_id: BusId) -> bool {
		GridFees::<T>::get(bus_id).is_some_and(|pot| pot.total_shares > 0)
	}

	/// What `who` may claim of `bus_id`'s fees now, and its shares.
	pub(crate) fn claimable(
		bus_id: BusId,
		who: &T::AccountId,
	) -> Option<(FeeShareCount, BalanceOf<T>)> {
		let mut share = FeeShares::<T>::get(who, bus_id)?;
		let pot = GridFees::<T>::get(bus_id).unwrap_or_default();
		bring_up_to_date::<T>(&mut share, pot.per_share);
		Some((share.shares, share.earned.min(pot.unclaimed)))
	}

	/// What `who` may claim of each bus's fees (at most `MAX_PAGE` buses).
	pub(crate) fn claimable_of(who: &T::AccountId) -> alloc::vec::Vec<ClaimableFees<BalanceOf<T>>> {
		let mut buses: alloc::vec::Vec<BusId> =
			FeeShares::<T>::iter_key_prefix(who).take(crate::MAX_PAGE as usize).collect();
		buses.sort_unstable();
		buses
			.into_iter()
			.filter_map(|bus_id| {
				Self::claimable(bus_id, who).map(|(shares, amount)| ClaimableFees {
					bus_id,
					shares,
					amount,
				})
			})
			.collect()
	}

	/// Ends the pot of a bus that closed: its owners stop earning (each keeps what it earned,
	/// to claim), so fees of rounds still settling are no longer charged. A pot nobody has
	/// anything to claim of leaves the state, its rounding remainder (less than a unit per
	/// owner) going to the bus's creator with the deposit.
	pub(crate) fn close_fee_pot(
		bus_id: BusId,
		owners: &[T::AccountId],
		creator: &T::AccountId,
	) -> DispatchResult {
		for owner in owners {
			Self::give_fee_shares(bus_id, owner, 0);
		}
		if let Some(pot) = GridFees::<T>::get(bus_id) {
			if pot.members == 0 {
				GridFees::<T>::remove(bus_id);
				Self::pay_out(creator, pot.unclaimed)?;
			}
		}
		Ok(())
	}

	/// Pays `who` what it earned of `bus_id`'s fees. A former owner's record leaves the state
	/// once it claimed; so does the pot of a closed bus when its last owner claimed, that claim
	/// taking the pot's rounding remainder too. Emits `GridFeesClaimed`.
	pub(crate) fn do_claim_grid_fees(
		who: &T::AccountId,
		bus_id: BusId,
	) -> Result<BalanceOf<T>, DispatchError> {
		let mut share = FeeShares::<T>::get(who, bus_id).ok_or(Error::<T>::NoGridFees)?;
		let mut pot = GridFees::<T>::get(bus_id).unwrap_or_default();
		bring_up_to_date::<T>(&mut share, pot.per_share);
		let last =
			share.shares == 0 && pot.members == 1 && !crate::Buses::<T>::contains_key(bus_id);
		let amount = if last { pot.unclaimed } else { share.earned.min(pot.unclaimed) };
		ensure!(!amount.is_zero(), Error::<T>::NoGridFees);
		Self::pay_out(who, amount)?;
		pot.unclaimed = pot.unclaimed.saturating_sub(amount);
		share.earned = Zero::zero();
		if share.shares == 0 {
			// A former owner leaves; its fraction of a unit goes back to the pot.
			pot.remainder = pot.remainder.saturating_add(share.carry);
			pot.members = pot.members.saturating_sub(1);
			FeeShares::<T>::remove(who, bus_id);
		} else {
			FeeShares::<T>::insert(who, bus_id, share);
		}
		if last {
			GridFees::<T>::remove(bus_id);
		} else {
			GridFees::<T>::insert(bus_id, pot);
		}
		Self::deposit_event(Event::GridFeesClaimed { bus_id, owner: who.clone(), amount });
		Ok(amount)
	}
}
