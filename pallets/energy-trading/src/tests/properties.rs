//! A property test: random call sequences from random accounts, through the calls' `do_*`
//! functions (without the storage layer FRAME puts around a call); the invariants hold after every
//! step, and a failed call changes nothing, not even before a rollback.

use frame_support::{assert_ok, traits::Hooks};
use proptest::prelude::*;

use crate::{mock::*, EnergyLedger};

const ACCOUNTS: [AccountId; 5] = [ALICE, BOB, CHARLIE, BOB_METER, NOBODY];
const FACTORIES: [&str; 4] = ["Factory01", "Factory02", "Factory04", "Nope"];

#[derive(Debug, Clone)]
enum Action {
	Register {
		id: u8,
		owner: usize,
		rated_w: u32,
		wh: u64,
	},
	/// The registrar's.
	SetMeter {
		factory: usize,
		meter: usize,
	},
	RequestMeter {
		who: usize,
		factory: usize,
		meter: usize,
	},
	/// The registrar's.
	SetRating {
		factory: usize,
		rated_w: u32,
	},
	Mint {
		who: usize,
		factory: usize,
		wh: u64,
	},
	Consume {
		who: usize,
		factory: usize,
		wh: u64,
	},
	Transfer {
		who: usize,
		from: usize,
		to: usize,
		wh: u64,
	},
	Create {
		who: usize,
		seller: usize,
		buyer: usize,
		wh: u64,
		price: u128,
	},
	Execute {
		who: usize,
		trade: u64,
		max: u128,
	},
	Cancel {
		who: usize,
		trade: u64,
	},
	MarketEscrow {
		factory: usize,
		wh: u64,
	},
	MarketRelease {
		factory: usize,
		wh: u64,
	},
	MarketDeliver {
		from: usize,
		to: usize,
		wh: u64,
	},
	/// The next block, 6 s later.
	NextBlock,
}

fn action() -> impl Strategy<Value = Action> {
	let who = 0..ACCOUNTS.len();
	let factory = 0..FACTORIES.len();
	let wh = prop_oneof![0..2_000_000u64, Just(u64::MAX)];
	let price = prop_oneof![0..10 * ECT, Just(u128::MAX)];
	let rated_w = prop_oneof![0..200_000u32, Just(u32::MAX)];
	prop_oneof![
		(0..4u8, who.clone(), rated_w.clone(), wh.clone())
			.prop_map(|(id, owner, rated_w, wh)| Action::Register { id, owner, rated_w, wh }),
		(factory.clone(), who.clone())
			.prop_map(|(factory, meter)| Action::SetMeter { factory, meter }),
		(who.clone(), factory.clone(), who.clone())
			.prop_map(|(who, factory, meter)| Action::RequestMeter { who, factory, meter }),
		(factory.clone(), rated_w)
			.prop_map(|(factory, rated_w)| Action::SetRating { factory, rated_w }),
		(who.clone(), factory.clone(), wh.clone()).prop_map(|(who, factory, wh)| Action::Mint {
			who,
			factory,
			wh
		}),
		(who.clone(), factory.clone(), wh.clone()).prop_map(|(who, factory, wh)| Action::Consume {
			who,
			factory,
			wh
		}),
		(who.clone(), factory.clone(), factory.clone(), wh.clone())
			.prop_map(|(who, from, to, wh)| Action::Transfer { who, from, to, wh }),
		(who.clone(), factory.clone(), factory.clone(), wh.clone(), price.clone()).prop_map(
			|(who, seller, buyer, wh, price)| Action::Create { who, seller, buyer, wh, price }
		),
		(who.clone(), 0..6u64, price).prop_map(|(who, trade, max)| Action::Execute {
			who,
			trade,
			max
		}),
		(who, 0..6u64).prop_map(|(who, trade)| Action::Cancel { who, trade }),
		(factory.clone(), wh.clone())
			.prop_map(|(factory, wh)| Action::MarketEscrow { factory, wh }),
		(factory.clone(), wh.clone())
			.prop_map(|(factory, wh)| Action::MarketRelease { factory, wh }),
		(factory.clone(), factory, wh).prop_map(|(from, to, wh)| Action::MarketDeliver {
			from,
			to,
			wh
		}),
		Just(Action::NextBlock),
	]
}

/// Runs `action` through the pallet's `do_*` functions, as its calls do after their origin
/// checks (which the unit tests cover). Not through the calls themselves: FRAME runs each call's
/// body in a storage layer that undoes a failed call's writes, which would hide a write made
/// before an error; the `do_*` functions run without one, so a failing one must fail before its
/// first write ("verify first, write last").
fn apply(action: &Action) -> sp_runtime::DispatchResult {
	use crate::factory::MeterReport;
	let who = |i: &usize| &ACCOUNTS[*i];
	let f = |i: &usize| fid(FACTORIES[*i]);
	match action {
		Action::Register { id, owner, rated_w, wh } => EnergyTrading::do_register_factory(
			format!("Random{id}").into_bytes(),
			b"random".to_vec(),
			crate::EnergyType::Other,
			ACCOUNTS[*owner],
			None,
			*rated_w,
			*wh,
		),
		Action::SetMeter { factory, meter } => {
			EnergyTrading::do_set_meter(f(factory), ACCOUNTS[*meter])
		},
		Action::RequestMeter { who: by, factory, meter } => {
			EnergyTrading::do_request_meter(who(by), f(factory), ACCOUNTS[*meter])
		},
		Action::SetRating { factory, rated_w } => {
			EnergyTrading::do_set_rated_power(f(factory), *rated_w)
		},
		Action::Mint { who: by, factory, wh } => {
			EnergyTrading::do_meter_report(who(by), f(factory), MeterReport::Generated, *wh)
		},
		Action::Consume { who: by, factory, wh } => {
			EnergyTrading::do_meter_report(who(by), f(factory), MeterReport::Consumed, *wh)
		},
		Action::Transfer { who: by, from, to, wh } => {
			EnergyTrading::do_transfer(who(by), f(from), f(to), *wh)
		},
		Action::Create { who: by, seller, buyer, wh, price } => {
			EnergyTrading::do_create_trade(who(by), f(seller), f(buyer), *wh, *price)
		},
		Action::Execute { who: by, trade, max } => {
			EnergyTrading::do_execute_trade(who(by), *trade, *max)
		},
		Action::Cancel { who: by, trade } => EnergyTrading::do_cancel_trade(who(by), *trade),
		// What the energy-bus market does through `EnergyLedger`.
		Action::MarketEscrow { factory, wh } => EnergyTrading::escrow(&f(factory), *wh),
		Action::MarketRelease { factory, wh } => EnergyTrading::release(&f(factory), *wh),
		Action::MarketDeliver { from, to, wh } => {
			EnergyTrading::deliver_all(&f(to), &[(f(from), *wh)]).map_err(|(_, error)| error)
		},
		Action::NextBlock => {
			let next = System::block_number() + 1;
			System::set_block_number(next);
			Timestamp::set_timestamp(Timestamp::get() + 6_000);
			EnergyTrading::on_initialize(next);
			Ok(())
		},
	}
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

	#[test]
	fn invariants_hold_under_random_calls(actions in prop::collection::vec(action(), 1..60)) {
		new_test_ext().execute_with(|| {
			for action in &actions {
				// No storage layer around the step (see `apply`): a failing one must fail before
				// its first write, so state is unchanged without a rollback.
				let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
				if apply(action).is_err() {
					let after = sp_io::storage::root(sp_runtime::StateVersion::V1);
					prop_assert_eq!(before, after, "a failed {:?} changed state", action);
				}
				let invariants = EnergyTrading::do_try_state();
				prop_assert!(invariants.is_ok(), "after {:?}: {:?}", action, invariants);
			}
			Ok(())
		})?;
	}
}

#[test]
fn the_property_test_exercises_successful_calls() {
	// Guard against a generator that only produces failing calls: a fixed sequence through
	// the same `apply` succeeds.
	new_test_ext().execute_with(|| {
		assert_ok!(apply(&Action::Mint { who: 0, factory: 0, wh: 10 }));
		assert_ok!(apply(&Action::Create { who: 0, seller: 0, buyer: 2, wh: 10, price: 1 }));
		assert_ok!(apply(&Action::Execute { who: 2, trade: 0, max: 1 }));
		assert_ok!(apply(&Action::NextBlock));
		EnergyTrading::do_try_state().unwrap();
	});
}
