//! Uniform-price clearing of a round's book, in O(ticks) whatever the number of orders.
//!
//! The book is the energy at each limit tick of each side. At a price tick `p`, the demand is
//! the bids' energy at `p` or above, the supply the asks' energy at `p` or below, and the
//! volume that can trade is the least of demand, supply and the bus's free capacity. The
//! rule:
//! 1. the price maximises that volume;
//! 2. among the ticks that do, it minimises the imbalance `|demand − supply|` (the energy
//!    left unmatched at the price);
//! 3. among those (a range of ticks), it is the middle one, the lower of two middles.
//!
//! Both sets are ranges: demand falls and supply rises with the price, so the volume rises then
//! falls and the imbalance falls then rises. Which orders trade does not depend on the tick
//! chosen within the first range: the volume goes to the best bids and the best asks (price
//! priority), so the surplus (welfare) is the same; the rule only shares it.
//!
//! Each side fills by price priority: orders better than the side's marginal tick (the tick
//! where its priority reaches the volume) fill whole, orders at it share the rest pro rata
//! ([`crate::Marginal`]), worse ones do not trade. A bid's marginal tick is at or above the
//! price and an ask's at or below it, so no order trades at a price worse than its limit.

use crate::{Clearing, EnergyWh, Marginal, Side, Tick};

/// The volume, price tick and marginal ticks of a book, or `None` if nothing can trade.
/// `bids[k]` and `asks[k]` are the energy at tick `k` (the two have the round's tick count);
/// the clearing's price per kWh and settlement counters are left to the caller.
pub fn clear(bids: &[EnergyWh], asks: &[EnergyWh], capacity_wh: EnergyWh) -> Option<Cleared> {
	let ticks = bids.len().min(asks.len());
	if ticks == 0 {
		return None;
	}
	// Demand at each tick: the bids at it or above (sums of u64 in u128 cannot overflow).
	let mut demand = alloc::vec![0u128; ticks];
	let mut above = 0u128;
	for tick in (0..ticks).rev() {
		above += bids[tick] as u128;
		demand[tick] = above;
	}
	let capacity = capacity_wh as u128;
	// (volume, imbalance) at the best tick so far, and the range of ticks that share it.
	let mut best: Option<(u128, u128, usize, usize)> = None;
	let mut supply = 0u128;
	for (tick, demand) in demand.iter().copied().enumerate() {
		supply += asks[tick] as u128;
		let volume = demand.min(supply).min(capacity);
		let imbalance = demand.abs_diff(supply);
		best = match best {
			Some((v, i, first, _)) if volume == v && imbalance == i => Some((v, i, first, tick)),
			Some((v, i, ..)) if volume < v || (volume == v && imbalance > i) => best,
			_ => Some((volume, imbalance, tick, tick)),
		};
	}
	let (volume, _, first, last) = best?;
	if volume == 0 {
		return None;
	}
	// `volume` is at most the capacity, a u64.
	let volume_wh = volume as EnergyWh;
	let price_tick = first + (last - first) / 2;
	Some(Cleared {
		price_tick: price_tick as Tick,
		volume_wh,
		bids: marginal(volume_wh, (0..ticks).rev().map(|tick| (tick, bids[tick]))),
		asks: marginal(volume_wh, (0..ticks).map(|tick| (tick, asks[tick]))),
	})
}

/// What [`clear`] found.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Cleared {
	/// The price tick.
	pub price_tick: Tick,
	/// The volume, in Wh.
	pub volume_wh: EnergyWh,
	/// The bids' marginal tick and its share.
	pub bids: Marginal,
	/// The asks' marginal tick and its share.
	pub asks: Marginal,
}

/// The marginal tick of a side whose ticks come best first: the first where the energy so far
/// reaches `volume_wh`, with what is left of the volume for its orders.
fn marginal(volume_wh: EnergyWh, best_first: impl Iterator<Item = (usize, EnergyWh)>) -> Marginal {
	let mut before = 0u128;
	let mut last = Marginal { tick: 0, share_wh: 0, of_wh: 0, settled_wh: 0 };
	for (tick, energy_wh) in best_first {
		if energy_wh == 0 {
			continue;
		}
		let reached = before + energy_wh as u128;
		last = Marginal {
			tick: tick as Tick,
			// At most `energy_wh`, and above zero as `before` is below the volume.
			share_wh: (volume_wh as u128 - before).min(energy_wh as u128) as EnergyWh,
			of_wh: energy_wh,
			settled_wh: 0,
		};
		if reached >= volume_wh as u128 {
			break;
		}
		before = reached;
	}
	last
}

impl Marginal {
	/// The energy an order of `side` at `tick` asking for `energy_wh` gets, taking its share
	/// of the marginal tick if it is there (see [`Marginal`]).
	pub fn fill(&mut self, side: Side, tick: Tick, energy_wh: EnergyWh) -> EnergyWh {
		let better = match side {
			Side::Bid => tick > self.tick,
			Side::Ask => tick < self.tick,
		};
		if better {
			return energy_wh;
		}
		if tick != self.tick || self.of_wh == 0 {
			return 0;
		}
		// What the tick's orders settled so far got together, before and after this one.
		let (share, of) = (self.share_wh as u128, self.of_wh as u128);
		let cumulative = |asked: u128| asked * share / of;
		let before = self.settled_wh as u128;
		let after = (before + energy_wh as u128).min(of);
		self.settled_wh = after as EnergyWh;
		// At most `after − before`, itself at most `energy_wh`: a u64.
		(cumulative(after) - cumulative(before)) as EnergyWh
	}
}

impl<Balance> Clearing<Balance> {
	/// The energy an order gets (see [`Marginal::fill`]).
	pub fn fill(&mut self, side: Side, tick: Tick, energy_wh: EnergyWh) -> EnergyWh {
		match side {
			Side::Bid => self.bids.fill(side, tick, energy_wh),
			Side::Ask => self.asks.fill(side, tick, energy_wh),
		}
	}
}
