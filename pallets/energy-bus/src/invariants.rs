//! The market's invariants, checked by `try_state` (and after every unit test).

use alloc::{
	collections::{BTreeMap, BTreeSet},
	vec::Vec,
};
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use pallet_energy_trading::EnergyLedger;
use sp_runtime::{traits::Zero, TryRuntimeError};

use crate::{
	BalanceOf, Buses, BusesByOwner, ClosingBuses, Config, ExpiryCursor, HoldReason, LockCooldowns,
	LockCount, LockExpiries, Locks, LocksByOffer, NextBusId, NextLockId, NextOfferId,
	NextProposalId, NextPurchaseId, OfferExpiries, OfferExpiryCursor, OfferStatus, Offers,
	OffersByBus, OffersBySeller, Pallet, Proposals, PurchaseId, Purchases, PurchasesByBuyer,
	ReceiptPruneCursor, Receipts, ReceiptsByBlock,
};

impl<T: Config> Pallet<T> {
	/// Checks that:
	/// - per bus, committed = the unsold energy of its offers (locked included), at most the
	///   capacity, and `open_offers` counts its offers;
	/// - per offer, locked = the energy of its stored locks (live, or expired and not yet
	///   ended), and `locks` counts them;
	/// - per account, the held lock payments equal its live locks' `held`;
	/// - the ledger's market escrow = the unsold energy of all offers (this pallet is its only
	///   user), so energy is conserved across both pallets;
	/// - every proposal is of a bus that exists, has an id of its own below `NextProposalId`,
	///   and is approved by owners only (a removed owner's approvals are dropped);
	/// - the owner, offer, lock and purchase indexes agree with storage: each buyer-index entry
	///   names one call's purchases (the buyer's, ids that follow each other, with one receipt)
	///   and every stored purchase is in exactly one entry; the bus and seller offer indexes
	///   name stored offers of that bus and seller;
	/// - each creator's bus-deposit hold is the deposits of its buses;
	/// - every lock is of a stored offer and queued in `LockExpiries` at its `expires_at`, none
	///   below `ExpiryCursor`, and every queue entry names a lock; lock counts are within their
	///   bounds; an account's live locks plus its cooldowns are within `MaxLocksPerAccount`;
	/// - `ReceiptsByBlock` and `Receipts` agree, none behind the pruning cursor;
	/// - every stored id is below its `Next*Id`;
	/// - every open offer is queued in `OfferExpiries` at its `expires_at`, none below
	///   `OfferExpiryCursor`, and every queue entry names an open offer;
	/// - every closing bus exists and has no open proposal.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut committed: BTreeMap<_, u128> = BTreeMap::new();
		let mut open: BTreeMap<_, u32> = BTreeMap::new();
		let mut escrow: u128 = 0;
		for (offer_id, offer) in Offers::<T>::iter() {
			ensure!(offer.id == offer_id, "an offer is stored under another id");
			ensure!(offer.status != OfferStatus::Closed, "a closed offer is still stored");
			ensure!(
				OffersByBus::<T>::contains_key(offer.bus_id, offer_id)
					== (offer.status == OfferStatus::Open),
				"the bus index does not list exactly the open offers"
			);
			let unsold = offer.available_wh as u128 + offer.locked_wh as u128;
			ensure!(
				offer.sold_wh as u128 + unsold <= offer.energy_wh as u128,
				"an offer sold or holds more than it offered"
			);
			*committed.entry(offer.bus_id).or_default() += unsold;
			*open.entry(offer.bus_id).or_default() += 1;
			escrow += unsold;

			let mut locked: u128 = 0;
			let mut locks: u32 = 0;
			for (holder, lock_id) in LocksByOffer::<T>::iter_prefix(offer_id) {
				let lock = Locks::<T>::get(lock_id).ok_or("the lock index names no lock")?;
				ensure!(lock.holder == holder && lock.offer_id == offer_id, "a lock is misindexed");
				locked += lock.energy_wh as u128;
				locks += 1;
			}
			ensure!(locked == offer.locked_wh as u128, "an offer's locked energy is off");
			ensure!(locks == offer.locks, "an offer's lock count is off");
		}
		let round_escrow: u128 =
			crate::Rounds::<T>::iter_values().map(|round| round.escrowed_wh as u128).sum();
		ensure!(escrow + round_escrow == T::Ledger::escrowed() as u128, "the market escrow is off");

		let expiry_cursor = OfferExpiryCursor::<T>::get();
		let mut queued_offers = 0usize;
		for (block, offer_id, ()) in OfferExpiries::<T>::iter() {
			ensure!(block >= expiry_cursor, "an offer is queued behind the expiry cursor");
			let offer =
				Offers::<T>::get(offer_id).ok_or("the offer expiry queue names no offer")?;
			ensure!(
				offer.status == OfferStatus::Open && offer.expires_at == block,
				"the offer expiry queue names an offer that is not open, or at another block"
			);
			queued_offers += 1;
		}
		ensure!(
			queued_offers == OffersByBus::<T>::iter_keys().count(),
			"an open offer is not in the expiry queue"
		);
		for bus_id in ClosingBuses::<T>::iter_keys() {
			ensure!(Buses::<T>::contains_key(bus_id), "a closing bus does not exist");
			ensure!(Proposals::<T>::get(bus_id).is_empty(), "a closing bus has proposals");
		}

		for (bus_id, bus) in Buses::<T>::iter() {
			ensure!(bus.id == bus_id, "a bus is stored under another id");
			let expected = committed.remove(&bus_id).unwrap_or(0);
			ensure!(bus.committed_wh as u128 == expected, "a bus's committed energy is off");
			ensure!(bus.committed_wh <= bus.capacity_wh, "a bus carries more than its capacity");
			ensure!(open.remove(&bus_id).unwrap_or(0) == bus.open_offers, "open_offers is off");
			ensure!(!bus.owners.is_empty(), "a bus has no owner");
			ensure!(
				bus.approval_threshold >= 1 && bus.approval_threshold <= bus.owners.len() as u32,
				"a bus's threshold is out of range"
			);
			for owner in bus.owners.iter() {
				ensure!(BusesByOwner::<T>::contains_key(owner, bus_id), "an owner is unindexed");
			}
		}
		ensure!(committed.is_empty(), "offers on a bus that does not exist");
		let mut proposal_ids = BTreeSet::new();
		for (bus_id, proposals) in Proposals::<T>::iter() {
			let bus = Buses::<T>::get(bus_id).ok_or("proposals of a bus that does not exist")?;
			for proposal in proposals {
				ensure!(!proposal.approvals.is_empty(), "a proposal has no approval");
				ensure!(proposal.id < NextProposalId::<T>::get(), "a proposal id is ahead");
				ensure!(proposal_ids.insert(proposal.id), "two proposals share an id");
				ensure!(
					proposal.approvals.iter().all(|who| bus.owners.contains(who)),
					"a proposal is approved by a non-owner"
				);
			}
		}
		for (owner, bus_id, ()) in BusesByOwner::<T>::iter() {
			let bus = Buses::<T>::get(bus_id).ok_or("the owner index names no bus")?;
			ensure!(bus.owners.contains(&owner), "the owner index names a non-owner");
		}
		// Each creator's bus-deposit hold is its buses' deposits; ids are below the next id.
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for bus in Buses::<T>::iter_values() {
			ensure!(bus.id < NextBusId::<T>::get(), "a bus id is ahead");
			*deposits.entry(bus.creator.clone()).or_insert_with(Zero::zero) += bus.deposit;
		}
		for (creator, deposit) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::BusDeposit.into(), &creator) == deposit,
				"a creator's bus-deposit hold differs from its buses' deposits"
			);
		}
		// The offer indexes name stored offers, under their bus and seller.
		for (bus_id, offer_id, ()) in OffersByBus::<T>::iter() {
			let offer = Offers::<T>::get(offer_id).ok_or("the bus index names no offer")?;
			ensure!(offer.bus_id == bus_id, "the bus index names another bus's offer");
		}
		for ((seller, bus_id, offer_id), ()) in OffersBySeller::<T>::iter() {
			let offer = Offers::<T>::get(offer_id).ok_or("the seller index names no offer")?;
			ensure!(
				offer.seller == seller && offer.bus_id == bus_id,
				"the seller index names another seller's offer"
			);
		}
		for offer in Offers::<T>::iter_values() {
			ensure!(offer.id < NextOfferId::<T>::get(), "an offer id is ahead");
			ensure!(
				OffersBySeller::<T>::contains_key((&offer.seller, offer.bus_id, offer.id)),
				"an offer is missing from its seller's index"
			);
			ensure!(offer.locks <= T::MaxLocksPerOffer::get(), "an offer has too many locks");
		}
		// Every lock is of a stored offer, queued at its last block, and not behind the queue's
		// cursor; every queue entry names a lock.
		let cursor = ExpiryCursor::<T>::get();
		for lock in Locks::<T>::iter_values() {
			ensure!(lock.id < NextLockId::<T>::get(), "a lock id is ahead");
			ensure!(Offers::<T>::contains_key(lock.offer_id), "a lock of no offer");
			ensure!(
				LockExpiries::<T>::contains_key(lock.expires_at, lock.id),
				"a lock is not queued at its last block"
			);
			ensure!(lock.expires_at >= cursor, "a lock is queued behind the expiry cursor");
		}
		for (expires_at, lock_id, ()) in LockExpiries::<T>::iter() {
			let lock = Locks::<T>::get(lock_id).ok_or("the expiry queue names no lock")?;
			ensure!(lock.expires_at == expires_at, "a lock is queued at another block");
		}
		for count in LockCount::<T>::iter_values() {
			ensure!(count <= T::MaxLocksPerAccount::get(), "an account holds too many locks");
		}
		// The pruning queue and the receipts agree; purchases are below the next id.
		for (block, receipt, ()) in ReceiptsByBlock::<T>::iter() {
			let stored = Receipts::<T>::get(receipt).ok_or("the pruning queue names no receipt")?;
			ensure!(stored.block == block, "a receipt is queued at another block");
		}
		for (receipt, stored) in Receipts::<T>::iter() {
			ensure!(
				ReceiptsByBlock::<T>::contains_key(stored.block, receipt),
				"a receipt is missing from the pruning queue"
			);
			ensure!(stored.block >= ReceiptPruneCursor::<T>::get(), "a receipt behind the cursor");
		}
		for id in Purchases::<T>::iter_keys() {
			ensure!(id < NextPurchaseId::<T>::get(), "a purchase id is ahead");
		}

		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut counts: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (_, lock) in Locks::<T>::iter() {
			ensure!(
				LocksByOffer::<T>::get(lock.offer_id, &lock.holder) == Some(lock.id),
				"a lock is missing from its offer's index"
			);
			let entry = held.entry(lock.holder.clone()).or_insert_with(Zero::zero);
			*entry += lock.held;
			*counts.entry(lock.holder.clone()).or_default() += 1;
		}
		for (holder, amount) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::OfferLock.into(), &holder) == amount,
				"held lock payments differ from the live locks"
			);
		}
		for (holder, count) in LockCount::<T>::iter() {
			ensure!(counts.remove(&holder) == Some(count), "LockCount is off");
		}
		ensure!(counts.is_empty(), "a lock holder is missing from LockCount");
		for (holder, cooldowns) in LockCooldowns::<T>::iter() {
			ensure!(!cooldowns.is_empty(), "an empty cooldown list is stored");
			ensure!(
				LockCount::<T>::get(&holder).saturating_add(cooldowns.len() as u32)
					<= T::MaxLocksPerAccount::get(),
				"an account's locks and cooldowns exceed MaxLocksPerAccount"
			);
		}

		let mut indexed = BTreeSet::new();
		for (buyer, first, count) in PurchasesByBuyer::<T>::iter() {
			let first = PurchaseId::from_be_bytes(first);
			ensure!(count >= 1, "a buyer-index entry names no purchase");
			let end = first.checked_add(count.into()).ok_or("a buyer-index entry overflows")?;
			let receipt = Purchases::<T>::get(first).ok_or("the buyer index names no purchase")?;
			let receipt = receipt.receipt;
			let call = Receipts::<T>::get(receipt).ok_or("a purchase has no receipt")?;
			let ids: Vec<PurchaseId> = (first..end).collect();
			ensure!(call.buyer == buyer, "the buyer index names another buyer's call");
			ensure!(call.purchases.as_slice() == ids.as_slice(), "the buyer index is off");
			for id in ids {
				let purchase =
					Purchases::<T>::get(id).ok_or("the buyer index names no purchase")?;
				ensure!(
					purchase.buyer == buyer && purchase.receipt == receipt,
					"the buyer index names a purchase of another call"
				);
				ensure!(indexed.insert(id), "the buyer index names a purchase twice");
			}
		}
		ensure!(
			indexed.len() == Purchases::<T>::iter().count(),
			"a purchase is missing from the buyer index"
		);
		Self::check_auctions()?;
		Self::check_fees()
	}

	/// Checks that:
	/// - every order is of a stored round, indexed by round and by account, and counted in
	///   `OrderCount`; each account's order-deposit hold is its orders' deposits;
	/// - an open round's book, orders, energy and escrow are those of its orders (a bid's
	///   escrow is its payment at its limit, an ask's energy is in the ledger's escrow: checked
	///   with the offers' above), and it is queued at its gate, not behind the cursor;
	/// - a cleared round's unsettled orders are its stored orders; it is in the settlement
	///   queue exactly while it has some; its settlement counters stay within the volume;
	/// - each bus's results are settled rounds of that bus, at most `MaxRoundResults`;
	/// - each bus's current round is open and of that bus;
	/// - the market account holds its existential deposit plus what the rounds hold.
	fn check_auctions() -> Result<(), TryRuntimeError> {
		use crate::{RoundStatus, Side};
		use frame_support::traits::fungible::Inspect;
		let mut per_round: BTreeMap<crate::RoundId, (u32, u128, u128, BalanceOf<T>)> =
			BTreeMap::new();
		let mut books: BTreeMap<(crate::RoundId, u8, crate::Tick), u128> = BTreeMap::new();
		let mut deposits: BTreeMap<T::AccountId, (u32, BalanceOf<T>)> = BTreeMap::new();
		for (order_id, order) in crate::Orders::<T>::iter() {
			ensure!(order.id == order_id, "an order is stored under another id");
			ensure!(
				crate::OrdersByRound::<T>::contains_key(order.round_id, order_id)
					&& crate::OrdersByAccount::<T>::contains_key(&order.owner, order_id),
				"an order is missing from an index"
			);
			let round = crate::Rounds::<T>::get(order.round_id).ok_or("an order has no round")?;
			ensure!(round.bus_id == order.bus_id, "an order names another bus than its round");
			ensure!(
				Pallet::<T>::tick_of(&round, order.limit_price_per_kwh) == Some(order.limit_tick),
				"an order's limit is not its tick's price"
			);
			let entry = per_round.entry(order.round_id).or_insert((0, 0, 0, Zero::zero()));
			entry.0 += 1;
			match order.side {
				Side::Bid => {
					entry.1 += order.energy_wh as u128;
					entry.3 += order.escrow;
					ensure!(
						Pallet::<T>::bid_escrow(&round, order.energy_wh, order.limit_price_per_kwh)
							== Some(order.escrow),
						"a bid's escrow is not its payment at its limit plus the grid fee"
					);
				},
				Side::Ask => {
					entry.2 += order.energy_wh as u128;
					ensure!(order.escrow.is_zero(), "an ask holds money");
				},
			}
			if round.status == crate::RoundStatus::Open {
				*books.entry((order.round_id, order.side as u8, order.limit_tick)).or_default() +=
					order.energy_wh as u128;
			}
			let deposit = deposits.entry(order.owner.clone()).or_insert((0, Zero::zero()));
			deposit.0 += 1;
			deposit.1 += order.deposit;
		}
		for (owner, (count, amount)) in deposits.iter() {
			ensure!(crate::OrderCount::<T>::get(owner) == Some(*count), "OrderCount is off");
			ensure!(*count <= T::MaxOrdersPerAccount::get(), "an account has too many orders");
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::AuctionOrder.into(), owner) == *amount,
				"an account's order deposits differ from its orders'"
			);
		}
		ensure!(
			crate::OrderCount::<T>::iter().count() == deposits.len(),
			"OrderCount counts an account without orders"
		);
		ensure!(
			crate::OrdersByRound::<T>::iter().count() == crate::Orders::<T>::iter().count()
				&& crate::OrdersByAccount::<T>::iter().count()
					== crate::Orders::<T>::iter().count(),
			"an order index names an order that is not stored"
		);

		let gate_cursor = crate::GateCursor::<T>::get();
		let mut held: BalanceOf<T> = Zero::zero();
		for (round_id, round) in crate::Rounds::<T>::iter() {
			ensure!(round.id == round_id, "a round is stored under another id");
			ensure!(round_id < crate::NextRoundId::<T>::get(), "a round id is not handed out");
			let (orders, bid_wh, ask_wh, escrowed) =
				per_round.remove(&round_id).unwrap_or((0, 0, 0, Zero::zero()));
			held += round.escrowed;
			match &round.status {
				RoundStatus::Open => {
					ensure!(round.orders == orders, "an open round's order count is off");
					ensure!(
						round.bid_wh as u128 == bid_wh
							&& round.ask_wh as u128 == ask_wh
							&& round.escrowed_wh as u128 == ask_wh
							&& round.escrowed == escrowed,
						"an open round's totals are off"
					);
					for side in [Side::Bid, Side::Ask] {
						let book = Pallet::<T>::book_side(round_id, side, round.ticks, false);
						for (tick, energy_wh) in book.into_iter().enumerate() {
							let expected =
								books.remove(&(round_id, side as u8, tick as crate::Tick));
							ensure!(
								energy_wh as u128 == expected.unwrap_or(0),
								"a round's book is off"
							);
						}
					}
					ensure!(
						crate::GateQueue::<T>::contains_key(round.gate_closes_at, round_id),
						"an open round is not queued at its gate"
					);
					ensure!(
						round.gate_closes_at >= gate_cursor,
						"an open round is behind the cursor"
					);
					ensure!(round.unsettled == 0, "an open round has settled orders");
				},
				status => {
					ensure!(round.unsettled == orders, "a round's unsettled count is off");
					ensure!(
						crate::UnsettledRounds::<T>::contains_key(round_id) == (orders > 0),
						"the settlement queue is off"
					);
					ensure!(
						round.unsettled + round.filled_orders <= round.orders,
						"a round settled more orders than it had"
					);
					if let RoundStatus::Cleared(clearing) = status {
						ensure!(
							clearing.bids_settled_wh <= clearing.volume_wh
								&& clearing.asks_settled_wh <= clearing.volume_wh
								&& clearing.volume_wh <= round.bid_wh.min(round.ask_wh),
							"a round settled more than its volume"
						);
						if orders == 0 {
							ensure!(
								clearing.bids_settled_wh == clearing.volume_wh
									&& clearing.asks_settled_wh == clearing.volume_wh
									&& round.escrowed.is_zero() && round.escrowed_wh == 0,
								"a settled round's bids and asks do not match"
							);
						}
					}
				},
			}
		}
		ensure!(per_round.is_empty(), "an order's round is not stored");
		ensure!(books.is_empty(), "an order is not in its round's book");
		for (bus_id, round_id) in crate::CurrentRound::<T>::iter() {
			let round = crate::Rounds::<T>::get(round_id).ok_or("a current round is not stored")?;
			ensure!(
				round.bus_id == bus_id && round.status == RoundStatus::Open,
				"a bus's current round is not its open round"
			);
		}
		for (bus_id, history) in crate::RoundHistory::<T>::iter() {
			for round_id in history {
				let round = crate::Rounds::<T>::get(round_id).ok_or("a result is not stored")?;
				ensure!(
					round.bus_id == bus_id
						&& round.unsettled == 0
						&& round.status != RoundStatus::Open,
					"a result is not a settled round of its bus"
				);
			}
		}
		let pots: BalanceOf<T> = crate::GridFees::<T>::iter_values()
			.fold(Zero::zero(), |total, pot| total + pot.unclaimed);
		let market = T::Currency::balance(&Pallet::<T>::market_account());
		ensure!(
			market >= T::Currency::minimum_balance() + held + pots,
			"the market account holds less than the rounds' payments and the fee pots"
		);
		Ok(())
	}

	/// Checks that:
	/// - every bus has a fee pot, and each of its owners a part with 1 to `MAX_FEE_SHARES`
	///   shares; every other part (a former owner's, or any of a closed bus) has none;
	/// - a pot's `members` and `total_shares` count its parts and their shares;
	/// - a pot holds exactly what its parts may claim, with their fractions of a unit and the
	///   pot's remainder: `unclaimed × FEE_PRECISION = Σ (earned × FEE_PRECISION + carry +
	///   shares × (per_share − paid_per_share)) + remainder`, so nothing is created or lost;
	/// - a former owner's part has something to claim.
	fn check_fees() -> Result<(), TryRuntimeError> {
		use crate::{FEE_PRECISION, MAX_FEE_SHARES};
		use sp_runtime::traits::UniqueSaturatedInto;
		let mut per_bus: BTreeMap<crate::BusId, (u32, u32, u128)> = BTreeMap::new();
		for (who, bus_id, share) in crate::FeeShares::<T>::iter() {
			let pot = crate::GridFees::<T>::get(bus_id).ok_or("a fee share has no pot")?;
			let owner = crate::Buses::<T>::get(bus_id).is_some_and(|bus| bus.owners.contains(&who));
			ensure!(
				(share.shares >= 1 && share.shares <= MAX_FEE_SHARES) == owner,
				"a fee share's shares do not match its ownership"
			);
			let earned: u128 = share.earned.unique_saturated_into();
			ensure!(
				owner || earned > 0 || share.carry > 0,
				"a former owner's part has nothing to claim"
			);
			ensure!(share.paid_per_share <= pot.per_share, "a part was paid ahead of its pot");
			ensure!(share.carry < FEE_PRECISION, "a part carries a whole unit");
			let owed = earned
				.checked_mul(FEE_PRECISION)
				.and_then(|owed| owed.checked_add(share.carry))
				.and_then(|owed| {
					owed.checked_add(
						u128::from(share.shares)
							.checked_mul(pot.per_share - share.paid_per_share)?,
					)
				})
				.ok_or("a part's earnings overflow")?;
			let entry = per_bus.entry(bus_id).or_default();
			entry.0 += 1;
			entry.1 += u32::from(share.shares);
			entry.2 = entry.2.checked_add(owed).ok_or("a pot's earnings overflow")?;
		}
		for (bus_id, pot) in crate::GridFees::<T>::iter() {
			let (members, shares, owed) = per_bus.remove(&bus_id).unwrap_or_default();
			ensure!(
				pot.members == members && pot.total_shares == shares,
				"a pot's members or shares are off"
			);
			let unclaimed: u128 = pot.unclaimed.unique_saturated_into();
			ensure!(
				unclaimed.checked_mul(FEE_PRECISION) == owed.checked_add(pot.remainder),
				"a pot holds other than what its parts may claim"
			);
			if let Some(bus) = crate::Buses::<T>::get(bus_id) {
				ensure!(
					bus.owners
						.iter()
						.all(|owner| crate::FeeShares::<T>::contains_key(owner, bus_id)),
					"an owner has no fee share"
				);
			} else {
				ensure!(members > 0, "a closed bus's pot has nobody to claim it");
			}
		}
		ensure!(per_bus.is_empty(), "a fee share's pot is not stored");
		for bus_id in crate::Buses::<T>::iter_keys() {
			ensure!(crate::GridFees::<T>::contains_key(bus_id), "a bus has no fee pot");
		}
		Ok(())
	}
}
