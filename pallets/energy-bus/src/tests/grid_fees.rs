//! Grid fees: owners set a fee per kWh that buyers pay on top of the price (purchases, locks and
//! auction rounds alike), fixed per offer and per round; the fees go to the bus's pot and are
//! shared by the owners' shares, each claiming in O(1); owners added later earn from then on,
//! removed ones keep what they earned; the migration to version 6; and a property test that
//! the claims always add up to the fees paid.

use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use proptest::prelude::*;
use sp_runtime::DispatchError;

use super::{
	alice_offers,
	auction::{ask, auctions_on, bid, CENT},
	bus_events,
};
use crate::{
	mock::*, BusChange, Error, Event, FeeShare, FeeShares, GridFee, GridFees, Purchases, Rounds,
	FEE_PRECISION, MAX_FEE_SHARES,
};

/// Alice (an owner; the bus's threshold is 1) sets bus 0's grid fee.
fn set_fee(per_kwh: Balance) {
	assert_ok!(EnergyBus::set_grid_fee(RuntimeOrigin::signed(ALICE), 0, per_kwh));
}

fn set_shares(owner: AccountId, shares: u16) {
	assert_ok!(EnergyBus::set_fee_shares(RuntimeOrigin::signed(ALICE), 0, owner, shares));
}

fn change(change: BusChange<AccountId, Balance>) {
	assert_ok!(EnergyBus::do_propose_change(&ALICE, 0, change));
}

fn buy(who: AccountId, offer_id: u64, wh: u64, max: Balance) -> Result<(), DispatchError> {
	let nonce = crate::MarketNonces::<Test>::get(who);
	EnergyBus::purchase_energy(
		RuntimeOrigin::signed(who),
		offer_id,
		wh,
		max,
		factory_of(who),
		nonce,
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

fn claim(who: AccountId) -> Result<(), DispatchError> {
	EnergyBus::claim_grid_fees(RuntimeOrigin::signed(who), 0)
}

fn claimable(who: AccountId) -> Balance {
	EnergyBus::claimable(0, &who).map_or(0, |(_, amount)| amount)
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

fn unclaimed() -> Balance {
	GridFees::<Test>::get(0).map_or(0, |pot| pot.unclaimed)
}

#[test]
fn a_new_bus_has_a_pot_with_a_share_per_owner_and_no_fee() {
	build_and_execute(|| {
		let pot = GridFees::<Test>::get(0).unwrap();
		assert_eq!(pot, GridFee { total_shares: 2, members: 2, ..Default::default() });
		for owner in [ALICE, BOB] {
			assert_eq!(FeeShares::<Test>::get(owner, 0).unwrap().shares, 1);
		}
		let offer_id = alice_offers(100_000);
		assert_eq!(crate::Offers::<Test>::get(offer_id).unwrap().grid_fee_per_kwh, 0);
	});
}

#[test]
fn offers_carry_the_fee_of_when_they_were_made() {
	build_and_execute(|| {
		let before = alice_offers(100_000);
		set_fee(CENT);
		assert_eq!(
			bus_events().last(),
			Some(&Event::ChangeApplied { bus_id: 0, change: BusChange::SetGridFee(CENT) })
		);
		let after = alice_offers(100_000);
		set_fee(5 * CENT);
		assert_eq!(crate::Offers::<Test>::get(before).unwrap().grid_fee_per_kwh, 0);
		assert_eq!(crate::Offers::<Test>::get(after).unwrap().grid_fee_per_kwh, CENT);
		assert_eq!(GridFees::<Test>::get(0).unwrap().per_kwh, 5 * CENT);
	});
}

#[test]
fn a_purchase_pays_the_price_to_the_seller_and_the_fee_to_the_pot() {
	build_and_execute(|| {
		set_fee(CENT);
		let offer_id = alice_offers(300_000);
		let market = EnergyBus::market_account();
		let (alice, bob, pot) = (free(ALICE), free(BOB), free(market));
		// 200 kWh at 0.08 + 0.01 ECT/kWh.
		assert_ok!(buy(BOB, offer_id, 200_000, EIGHT_CENTS + CENT));
		assert_eq!(free(ALICE), alice + 16 * ECT);
		assert_eq!(free(BOB), bob - 18 * ECT);
		assert_eq!(free(market), pot + 2 * ECT);
		assert_eq!(unclaimed(), 2 * ECT);
		let purchase = Purchases::<Test>::get(0).unwrap();
		assert_eq!((purchase.total_price, purchase.grid_fee), (16 * ECT, 2 * ECT));
		assert!(bus_events().contains(&Event::EnergyPurchased {
			purchase_id: 0,
			offer_id,
			buyer: BOB,
			into_factory: fid("Buyer03"),
			energy_wh: 200_000,
			total_price: 16 * ECT,
			grid_fee: 2 * ECT,
		}));
		// Split equally: 1 ECT each.
		assert_eq!((claimable(ALICE), claimable(BOB)), (ECT, ECT));
	});
}

#[test]
fn the_buyers_guard_bounds_the_price_plus_the_fee() {
	build_and_execute(|| {
		set_fee(CENT);
		let offer_id = alice_offers(300_000);
		assert_noop!(buy(BOB, offer_id, 1_000, EIGHT_CENTS), Error::<Test>::PriceAboveLimit);
		// The owners raising the fee does not move an open offer's.
		set_fee(50 * CENT);
		assert_ok!(buy(BOB, offer_id, 1_000, EIGHT_CENTS + CENT));
	});
}

#[test]
fn a_batch_pays_each_offers_fee() {
	build_and_execute(|| {
		let free_of_fees = alice_offers(100_000);
		set_fee(2 * CENT);
		let with_fee = alice_offers(100_000);
		let bob = free(BOB);
		let item = |offer_id, max| crate::BatchItem {
			offer_id,
			energy_wh: 100_000,
			max_price_per_kwh: max,
		};
		assert_ok!(EnergyBus::batch_purchase_energy(
			RuntimeOrigin::signed(BOB),
			vec![item(free_of_fees, EIGHT_CENTS), item(with_fee, EIGHT_CENTS + 2 * CENT)]
				.try_into()
				.unwrap(),
			fid("Buyer03"),
			0
		));
		assert_eq!(free(BOB), bob - 8 * ECT - 10 * ECT);
		assert_eq!(unclaimed(), 2 * ECT);
	});
}

#[test]
fn a_lock_holds_the_fee_and_pays_it_to_the_pot_when_bought() {
	use frame_support::traits::fungible::InspectHold;
	build_and_execute(|| {
		set_fee(CENT);
		let offer_id = alice_offers(300_000);
		let quote = EnergyBus::quote_lock(offer_id, 100_000).unwrap();
		assert_eq!(quote.held, 9 * ECT);
		assert_ok!(EnergyBus::lock_offer(
			RuntimeOrigin::signed(BOB),
			offer_id,
			100_000,
			fid("Buyer03"),
			0
		));
		let held = || Balances::balance_on_hold(&crate::HoldReason::OfferLock.into(), &BOB);
		assert_eq!(held(), 9 * ECT);
		set_fee(10 * CENT);
		let alice = free(ALICE);
		// Part of the lock, then the rest: the seller gets the price, the pot the fee.
		assert_ok!(buy(BOB, offer_id, 40_000, EIGHT_CENTS + CENT));
		assert_eq!(free(ALICE), alice + 32 * ECT / 10);
		assert_eq!(unclaimed(), 4 * ECT / 10);
		assert_ok!(buy(BOB, offer_id, 60_000, EIGHT_CENTS + CENT));
		assert_eq!(free(ALICE), alice + 8 * ECT);
		assert_eq!(unclaimed(), ECT);
		assert_eq!(held(), 0);
	});
}

#[test]
fn a_round_keeps_its_fee_and_its_bids_pay_it_on_what_they_get() {
	build_and_execute(|| {
		set_fee(CENT);
		let round_id = auctions_on();
		set_fee(5 * CENT);
		let round = Rounds::<Test>::get(round_id).unwrap();
		assert_eq!(round.grid_fee_per_kwh, CENT);
		let market = EnergyBus::market_account();
		let (alice, bob, pot) = (free(ALICE), free(BOB), free(market));
		assert_ok!(ask(ALICE, "Solar01", 100_000, 0));
		// 150 kWh at most at 0.10 ECT/kWh: the payment at the limit plus the fee for all.
		let order = bid(BOB, 150_000, 5).unwrap();
		assert_eq!(crate::Orders::<Test>::get(order).unwrap().escrow, 15 * ECT + 15 * ECT / 10);
		let gate = round.gate_closes_at;
		run_to_block(gate + 1);
		let round = Rounds::<Test>::get(round_id).unwrap();
		let crate::RoundStatus::Cleared(clearing) = round.status else { panic!("it traded") };
		assert_eq!(clearing.volume_wh, 100_000);
		let paid = clearing.price_per_kwh * 100;
		assert_eq!(free(ALICE), alice + paid);
		assert_eq!(free(BOB), bob - paid - ECT);
		assert_eq!(free(market), pot + ECT);
		assert_eq!(round.grid_fees, ECT);
		assert_eq!(unclaimed(), ECT);
		assert!(bus_events().contains(&Event::OrderSettled {
			order_id: order,
			round_id,
			owner: BOB,
			side: crate::Side::Bid,
			filled_wh: 100_000,
			amount: paid,
			grid_fee: ECT,
			refund: 15 * ECT + 15 * ECT / 10 - paid - ECT,
			returned_wh: 0,
		}));
		assert!(bus_events().contains(&Event::RoundSettled {
			round_id,
			filled_orders: 2,
			grid_fees: ECT,
			escrowed: 0,
		}));
		// The next round carries the fee of when it opened.
		let next = crate::CurrentRound::<Test>::get(0).unwrap();
		assert_eq!(Rounds::<Test>::get(next).unwrap().grid_fee_per_kwh, 5 * CENT);
	});
}

#[test]
fn owners_claim_their_part_by_shares() {
	build_and_execute(|| {
		set_fee(CENT);
		let offer_id = alice_offers(1_000_000);
		assert_ok!(buy(CHARLIE, offer_id, 200_000, EIGHT_CENTS + CENT));
		set_shares(ALICE, 3);
		assert_eq!(
			bus_events().last(),
			Some(&Event::ChangeApplied { bus_id: 0, change: BusChange::SetFeeShares(ALICE, 3) })
		);
		assert_ok!(buy(CHARLIE, offer_id, 400_000, EIGHT_CENTS + CENT));
		// 2 ECT split 1:1, then 4 ECT split 3:1.
		assert_eq!((claimable(ALICE), claimable(BOB)), (4 * ECT, 2 * ECT));
		let bob = free(BOB);
		assert_ok!(claim(BOB));
		assert_eq!(free(BOB), bob + 2 * ECT);
		assert_eq!(
			bus_events().last(),
			Some(&Event::GridFeesClaimed { bus_id: 0, owner: BOB, amount: 2 * ECT })
		);
		assert_noop!(claim(BOB), Error::<Test>::NoGridFees);
		assert_ok!(claim(ALICE));
		assert_eq!(unclaimed(), 0);
		assert_eq!(EnergyBus::claimable_of(&ALICE)[0].shares, 3);
	});
}

#[test]
fn an_owner_added_later_earns_from_then_on_and_a_removed_one_keeps_its_earnings() {
	build_and_execute(|| {
		set_fee(CENT);
		let offer_id = alice_offers(1_000_000);
		assert_ok!(buy(DAVE, offer_id, 200_000, EIGHT_CENTS + CENT));
		change(BusChange::AddOwner(CHARLIE));
		assert_eq!(claimable(CHARLIE), 0);
		assert_noop!(claim(CHARLIE), Error::<Test>::NoGridFees);
		assert_ok!(buy(DAVE, offer_id, 300_000, EIGHT_CENTS + CENT));
		// 2 ECT between two, then 3 ECT between three.
		assert_eq!((claimable(ALICE), claimable(BOB), claimable(CHARLIE)), (2 * ECT, 2 * ECT, ECT));
		change(BusChange::RemoveOwner(BOB));
		assert_eq!(FeeShares::<Test>::get(BOB, 0).unwrap().shares, 0);
		assert_ok!(buy(DAVE, offer_id, 200_000, EIGHT_CENTS + CENT));
		assert_eq!(
			(claimable(ALICE), claimable(BOB), claimable(CHARLIE)),
			(3 * ECT, 2 * ECT, 2 * ECT)
		);
		assert_ok!(claim(BOB));
		assert!(!FeeShares::<Test>::contains_key(BOB, 0), "a former owner leaves once paid");
		assert_eq!(GridFees::<Test>::get(0).unwrap().members, 2);
	});
}

#[test]
fn bad_fee_changes_and_claims_fail_with_named_errors() {
	build_and_execute(|| {
		assert_noop!(
			EnergyBus::set_grid_fee(RuntimeOrigin::signed(CHARLIE), 0, CENT),
			Error::<Test>::NotBusOwner
		);
		assert_noop!(
			EnergyBus::set_grid_fee(RuntimeOrigin::signed(ALICE), 7, CENT),
			Error::<Test>::BusNotFound
		);
		assert_noop!(
			EnergyBus::set_fee_shares(RuntimeOrigin::signed(ALICE), 0, CHARLIE, 2),
			Error::<Test>::NotAnOwner
		);
		for shares in [0, MAX_FEE_SHARES + 1] {
			assert_noop!(
				EnergyBus::set_fee_shares(RuntimeOrigin::signed(ALICE), 0, BOB, shares),
				Error::<Test>::InvalidFeeShares
			);
		}
		assert_noop!(claim(ALICE), Error::<Test>::NoGridFees);
		assert_noop!(claim(NOBODY), Error::<Test>::NoGridFees);
		assert_noop!(
			EnergyBus::claim_grid_fees(RuntimeOrigin::signed(ALICE), 7),
			Error::<Test>::NoGridFees
		);
	});
}

#[test]
fn after_a_bus_closes_its_owners_claim_and_the_last_takes_the_remainder() {
	build_and_execute(|| {
		set_fee(CENT);
		change(BusChange::AddOwner(CHARLIE));
		let offer_id = alice_offers(100_000);
		// 1 Wh at 0.01 ECT/kWh: 10^7 units between three owners.
		assert_ok!(buy(DAVE, offer_id, 1, EIGHT_CENTS + CENT));
		assert_eq!(unclaimed(), 10_000_000);
		assert_eq!(claimable(ALICE), 3_333_333);
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), offer_id));
		change(BusChange::Close);
		assert!(crate::Buses::<Test>::get(0).is_none());
		assert_eq!(GridFees::<Test>::get(0).unwrap().total_shares, 0);
		let (alice, bob, charlie) = (free(ALICE), free(BOB), free(CHARLIE));
		assert_ok!(claim(ALICE));
		assert_ok!(claim(BOB));
		assert_ok!(claim(CHARLIE));
		assert_eq!(free(ALICE), alice + 3_333_333);
		assert_eq!(free(BOB), bob + 3_333_333);
		assert_eq!(free(CHARLIE), charlie + 3_333_334, "the last takes the remainder");
		assert!(GridFees::<Test>::get(0).is_none(), "the pot leaves once claimed");
		assert_eq!(FeeShares::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_closed_bus_without_fees_leaves_no_pot() {
	build_and_execute(|| {
		change(BusChange::Close);
		assert!(GridFees::<Test>::get(0).is_none());
		assert_eq!(FeeShares::<Test>::iter().count(), 0);
	});
}

#[test]
fn the_v6_migration_gives_old_values_no_fee_and_every_bus_a_pot_once() {
	use crate::migrations::v6::{v5, MigrateV5ToV6};
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(buy(BOB, offer_id, 1_000, EIGHT_CENTS));
		let round_id = auctions_on();
		assert_ok!(bid(BOB, 1_000, 2));
		// Write them back in version 5's layout, with no pots.
		let offer = crate::Offers::<Test>::get(offer_id).unwrap();
		let old_offer = v5::OldOffer {
			id: offer.id,
			bus_id: offer.bus_id,
			seller: offer.seller,
			factory: offer.factory.clone(),
			energy_wh: offer.energy_wh,
			available_wh: offer.available_wh,
			locked_wh: offer.locked_wh,
			sold_wh: offer.sold_wh,
			price_per_kwh: offer.price_per_kwh,
			locks: offer.locks,
			status: offer.status,
			created_at: offer.created_at,
			expires_at: offer.expires_at,
		};
		let purchase = Purchases::<Test>::get(0).unwrap();
		let old_purchase = v5::OldPurchase {
			id: purchase.id,
			offer_id: purchase.offer_id,
			bus_id: purchase.bus_id,
			buyer: purchase.buyer,
			seller: purchase.seller,
			into_factory: purchase.into_factory.clone(),
			energy_wh: purchase.energy_wh,
			price_per_kwh: purchase.price_per_kwh,
			total_price: purchase.total_price,
			block: purchase.block,
			receipt: purchase.receipt,
		};
		let round = Rounds::<Test>::get(round_id).unwrap();
		let old_round = v5::OldRound {
			id: round.id,
			bus_id: round.bus_id,
			opened_at: round.opened_at,
			gate_closes_at: round.gate_closes_at,
			base_price_per_kwh: round.base_price_per_kwh,
			tick_size: round.tick_size,
			ticks: round.ticks,
			orders: round.orders,
			unsettled: round.unsettled,
			filled_orders: round.filled_orders,
			bid_wh: round.bid_wh,
			ask_wh: round.ask_wh,
			escrowed_wh: round.escrowed_wh,
			escrowed: round.escrowed,
			status: round.status.clone(),
		};
		let put =
			|key: Vec<u8>, value: Vec<u8>| frame_support::storage::unhashed::put_raw(&key, &value);
		put(crate::Offers::<Test>::hashed_key_for(offer_id), old_offer.encode());
		put(Purchases::<Test>::hashed_key_for(0), old_purchase.encode());
		put(Rounds::<Test>::hashed_key_for(round_id), old_round.encode());
		let _ = GridFees::<Test>::clear(u32::MAX, None);
		let _ = FeeShares::<Test>::clear(u32::MAX, None);
		StorageVersion::new(5).put::<crate::Pallet<Test>>();

		MigrateV5ToV6::<Test>::on_runtime_upgrade();

		assert_eq!(crate::Pallet::<Test>::on_chain_storage_version(), 6);
		assert_eq!(crate::Offers::<Test>::get(offer_id).unwrap(), offer);
		assert_eq!(Purchases::<Test>::get(0).unwrap(), purchase);
		assert_eq!(Rounds::<Test>::get(round_id).unwrap(), round);
		assert_eq!(
			GridFees::<Test>::get(0).unwrap(),
			GridFee { total_shares: 2, members: 2, ..Default::default() }
		);
		assert_eq!(
			FeeShares::<Test>::get(ALICE, 0).unwrap(),
			FeeShare { shares: 1, ..Default::default() }
		);
		crate::Pallet::<Test>::do_try_state().expect("the migrated state is consistent");
		// At version 6 it does nothing; fees work on the migrated chain.
		MigrateV5ToV6::<Test>::on_runtime_upgrade();
		set_fee(CENT);
		let offer_id = alice_offers(100_000);
		assert_ok!(buy(BOB, offer_id, 100_000, EIGHT_CENTS + CENT));
		assert_eq!(claimable(ALICE), ECT / 2);
	});
}

/// What happens to the bus in the property test.
#[derive(Clone, Debug)]
enum Step {
	/// Dave buys this much energy (Wh).
	Buy(u64),
	/// The fee per kWh becomes this many units.
	Fee(u32),
	/// An account (0: Alice, 1: Bob, 2: Charlie) gets this many shares.
	Shares(usize, u16),
	/// Charlie becomes an owner, or stops being one.
	ToggleCharlie,
	/// An account claims.
	Claim(usize),
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		4 => (1..50_000u64).prop_map(Step::Buy),
		1 => (0..10_000_000u32).prop_map(Step::Fee),
		1 => (0..3usize, 1..=MAX_FEE_SHARES).prop_map(|(who, n)| Step::Shares(who, n)),
		1 => Just(Step::ToggleCharlie),
		2 => (0..3usize).prop_map(Step::Claim),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	/// Against an oracle that credits each fee to the owners of the moment by their shares,
	/// a million times finer than the pallet: every claim pays what the oracle says within one
	/// unit; the pot always holds exactly what its parts may claim (the invariants, after every
	/// step); and once the bus closes and everyone has claimed, the claims add up to every fee
	/// paid, to the unit.
	#[test]
	fn claims_add_up_to_the_fees_paid(steps in prop::collection::vec(step(), 1..40)) {
		let mut outcome = Ok(());
		build_and_execute(|| outcome = (|| -> Result<(), TestCaseError> {
			let accounts = [ALICE, BOB, CHARLIE];
			// The offer Dave buys from: a new one at each fee change (an offer keeps its fee).
			set_fee(CENT);
			let mut offer_id = alice_offers(200_000);
			// The oracle: each account's earnings in units × ORACLE_PRECISION (a million times
			// finer than the pallet's), dividing each fee on its own.
			const ORACLE_PRECISION: i128 = 1_000_000 * FEE_PRECISION as i128;
			let mut owed = [0i128; 3];
			let (mut paid, mut claimed) = (0u128, 0u128);
			for step in steps {
				match step {
					Step::Buy(wh) => {
						let offer = crate::Offers::<Test>::get(offer_id).unwrap();
						if offer.available_wh < wh {
							continue;
						}
						let fee = pallet_energy_trading::total_price(wh, offer.grid_fee_per_kwh)
							.unwrap();
						let max = offer.price_per_kwh + offer.grid_fee_per_kwh;
						prop_assert!(buy(DAVE, offer_id, wh, max).is_ok());
						let bus = crate::Buses::<Test>::get(0).unwrap();
						let shares: Vec<u128> = accounts
							.iter()
							.map(|who| match bus.owners.contains(who) {
								true => FeeShares::<Test>::get(who, 0).unwrap().shares as u128,
								false => 0,
							})
							.collect();
						let total: u128 = shares.iter().sum();
						for (owed, shares) in owed.iter_mut().zip(&shares) {
							*owed += (fee as i128) * ORACLE_PRECISION * (*shares as i128)
								/ total as i128;
						}
						paid += fee;
					},
					Step::Fee(units) => {
						assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), offer_id));
						set_fee(units as Balance);
						offer_id = alice_offers(200_000);
					},
					Step::Shares(who, shares) => {
						let bus = crate::Buses::<Test>::get(0).unwrap();
						if bus.owners.contains(&accounts[who]) {
							set_shares(accounts[who], shares)
						}
					},
					Step::ToggleCharlie => {
						let bus = crate::Buses::<Test>::get(0).unwrap();
						change(match bus.owners.contains(&CHARLIE) {
							true => BusChange::RemoveOwner(CHARLIE),
							false => BusChange::AddOwner(CHARLIE),
						});
					},
					Step::Claim(who) => {
						let before = free(accounts[who]);
						// The pallet carries the fractions of a unit from fee to fee (the oracle
						// does not round): a claim is within a unit of the oracle's.
						let expected = owed[who] / ORACLE_PRECISION;
						match claim(accounts[who]) {
							Ok(()) => {
								let got = (free(accounts[who]) - before) as i128;
								prop_assert!((got - expected).abs() <= 1, "paid {got}, owed {expected}");
								owed[who] -= got * ORACLE_PRECISION;
								claimed += got as u128;
							},
							Err(_) => prop_assert!(expected <= 1, "refused while owed {expected}"),
						}
					},
				}
				EnergyBus::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
			}
			// The bus closes; everyone claims what is left. With nothing to claim, the pot's
			// fractions of a unit go to the bus's creator at once.
			assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), offer_id));
			let left = unclaimed();
			change(BusChange::Close);
			if GridFees::<Test>::get(0).is_none() {
				prop_assert!(left <= 3, "only fractions of a unit went to the creator");
				claimed += left;
			}
			for who in accounts {
				let before = free(who);
				if claim(who).is_ok() {
					claimed += (free(who) - before) as u128;
				}
			}
			prop_assert_eq!(claimed, paid);
			prop_assert!(GridFees::<Test>::get(0).is_none());
			Ok(())
		})());
		outcome?;
	}
}
