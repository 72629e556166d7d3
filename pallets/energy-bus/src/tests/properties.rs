//! A property test: random sequences of create/cancel/lock/release/purchase/batch/advance-blocks
//! from random accounts. After every step both pallets' invariants hold, a failed call changed
//! nothing, and purchased + remaining + returned energy equals what was offered.

use frame_support::BoundedVec;
use proptest::prelude::*;

use crate::{mock::*, BatchItem, Event, MarketNonces};

const BUYERS: [(AccountId, &str); 3] = [(BOB, "Buyer03"), (CHARLIE, "Buyer04"), (DAVE, "Buyer05")];

#[derive(Debug, Clone)]
enum Action {
	Offer { wh: u64, price_cents: u128 },
	Cancel { offer: u64 },
	Lock { buyer: usize, offer: u64, wh: u64, nonce_skew: i8 },
	Release { buyer: usize, lock: u64 },
	Purchase { buyer: usize, offer: u64, wh: u64, max_cents: u128, nonce_skew: i8 },
	Batch { buyer: usize, items: Vec<(u64, u64)> },
	Advance { blocks: u64 },
}

fn action() -> impl Strategy<Value = Action> {
	let wh = 0..200_000u64;
	prop_oneof![
		(wh.clone(), 5..12u128).prop_map(|(wh, price_cents)| Action::Offer { wh, price_cents }),
		(0..8u64).prop_map(|offer| Action::Cancel { offer }),
		(0..3usize, 0..8u64, wh.clone(), -1..2i8).prop_map(|(buyer, offer, wh, nonce_skew)| {
			Action::Lock { buyer, offer, wh, nonce_skew }
		}),
		(0..3usize, 0..8u64).prop_map(|(buyer, lock)| Action::Release { buyer, lock }),
		(0..3usize, 0..8u64, wh.clone(), 5..12u128, -1..2i8).prop_map(
			|(buyer, offer, wh, max_cents, nonce_skew)| Action::Purchase {
				buyer,
				offer,
				wh,
				max_cents,
				nonce_skew
			}
		),
		(0..3usize, prop::collection::vec((0..8u64, wh), 0..4))
			.prop_map(|(buyer, items)| Action::Batch { buyer, items }),
		(1..30u64).prop_map(|blocks| Action::Advance { blocks }),
	]
}

fn nonce(buyer: AccountId, skew: i8) -> u64 {
	(MarketNonces::<Test>::get(buyer) as i64 + skew as i64).max(0) as u64
}

fn apply(action: &Action) -> sp_runtime::DispatchResult {
	match action {
		Action::Offer { wh, price_cents } => EnergyBus::create_offer(
			RuntimeOrigin::signed(ALICE),
			0,
			fid("Solar01"),
			*wh,
			price_cents * ECT / 100,
		),
		Action::Cancel { offer } => EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), *offer),
		Action::Lock { buyer, offer, wh, nonce_skew } => {
			let (who, _) = BUYERS[*buyer];
			EnergyBus::lock_offer(
				RuntimeOrigin::signed(who),
				*offer,
				*wh,
				factory_of(who),
				nonce(who, *nonce_skew),
			)
			.map(|_| ())
			.map_err(|e| e.error)
		},
		Action::Release { buyer, lock } => {
			EnergyBus::release_lock(RuntimeOrigin::signed(BUYERS[*buyer].0), *lock)
		},
		Action::Purchase { buyer, offer, wh, max_cents, nonce_skew } => {
			let (who, factory) = BUYERS[*buyer];
			EnergyBus::purchase_energy(
				RuntimeOrigin::signed(who),
				*offer,
				*wh,
				max_cents * ECT / 100,
				fid(factory),
				nonce(who, *nonce_skew),
			)
			.map(|_| ())
			.map_err(|e| e.error)
		},
		Action::Batch { buyer, items } => {
			let (who, factory) = BUYERS[*buyer];
			let items: Vec<_> = items
				.iter()
				.map(|(offer_id, energy_wh)| BatchItem {
					offer_id: *offer_id,
					energy_wh: *energy_wh,
					max_price_per_kwh: ECT,
				})
				.collect();
			EnergyBus::batch_purchase_energy(
				RuntimeOrigin::signed(who),
				BoundedVec::truncate_from(items),
				fid(factory),
				nonce(who, 0),
			)
			.map(|_| ())
			.map_err(|e| e.error)
		},
		Action::Advance { blocks } => {
			run_to_block(System::block_number() + blocks);
			Ok(())
		},
	}
}

/// Energy offered, bought and returned so far, from the events.
fn energy_flows() -> (u64, u64) {
	let mut offered = 0;
	let mut bought = 0;
	for event in super::bus_events() {
		match event {
			Event::OfferCreated { energy_wh, .. } => offered += energy_wh,
			Event::EnergyPurchased { energy_wh, .. } => bought += energy_wh,
			_ => {},
		}
	}
	(offered, bought)
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

	#[test]
	fn invariants_hold_under_random_market_calls(actions in prop::collection::vec(action(), 1..50)) {
		new_test_ext().execute_with(|| {
			let start_alice = super::energy_of("Solar01");
			for action in &actions {
				let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
				let result = apply(action);
				if result.is_err() {
					// Every call runs in the storage layer FRAME gives it, which undoes a failed
					// call's writes: a failed call leaves no trace.
					let after = sp_io::storage::root(sp_runtime::StateVersion::V1);
					prop_assert_eq!(before, after, "a failed {:?} changed state", action);
				}
				let market = EnergyBus::do_try_state();
				prop_assert!(market.is_ok(), "after {:?}: {:?}", action, market);
				let ledger = EnergyTrading::do_try_state();
				prop_assert!(ledger.is_ok(), "after {:?}: {:?}", action, ledger);

				// purchased + still offered + returned = offered.
				let (offered, bought) = energy_flows();
				let remaining: u64 = crate::Offers::<Test>::iter_values()
					.map(|offer| offer.available_wh + offer.locked_wh)
					.sum();
				let returned = super::energy_of("Solar01") + offered - start_alice;
				prop_assert_eq!(bought + remaining + returned, offered);
			}
			Ok(())
		})?;
	}
}
