//! Buses and their owners' decisions.

use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::BuildStorage;

use super::last_event;
use crate::{
	mock::*, BusChange, Buses, BusesByOwner, Error, Event, HoldReason, MarketParams, Params,
};

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn create(who: AccountId, name: &[u8], owners: Vec<AccountId>) -> sp_runtime::DispatchResult {
	let (name, owners) = (name.to_vec().try_into().unwrap(), owners.try_into().unwrap());
	EnergyBus::create_energy_bus(RuntimeOrigin::signed(who), name, owners, 1_000, ECT)
}

#[test]
fn create_energy_bus_holds_the_deposit() {
	build_and_execute(|| {
		assert_ok!(create(CHARLIE, b"Wind Farm B", vec![CHARLIE, DAVE]));
		let bus = Buses::<Test>::get(1).unwrap();
		assert_eq!(&bus.name[..], b"Wind Farm B");
		assert_eq!(bus.owners.to_vec(), vec![CHARLIE, DAVE]);
		assert_eq!(bus.approval_threshold, 1);
		assert_eq!(bus.capacity_wh, 1_000);
		assert_eq!(Balances::balance_on_hold(&HoldReason::BusDeposit.into(), &CHARLIE), 10 * ECT);
		assert!(BusesByOwner::<Test>::contains_key(DAVE, 1));
		assert_eq!(
			last_event(),
			Event::BusCreated {
				bus_id: 1,
				name: bus.name.clone(),
				creator: CHARLIE,
				owners: bus.owners.clone(),
				capacity_wh: 1_000,
				base_price_per_kwh: ECT,
			}
		);
		assert_eq!(EnergyBus::user_buses(DAVE), vec![1]);
	});
}

#[test]
fn create_energy_bus_rejects_bad_input() {
	build_and_execute(|| {
		assert_noop!(create(CHARLIE, b"", vec![CHARLIE]), Error::<Test>::EmptyBusName);
		assert_noop!(create(CHARLIE, b"B", vec![]), Error::<Test>::NoOwners);
		assert_noop!(create(CHARLIE, b"B", vec![DAVE, DAVE]), Error::<Test>::DuplicateOwner);
		assert_noop!(create(NOBODY, b"B", vec![NOBODY]), Error::<Test>::InsufficientFunds);
		let (name, owners) = (b"B".to_vec().try_into().unwrap(), vec![1].try_into().unwrap());
		assert_noop!(
			EnergyBus::create_energy_bus(RuntimeOrigin::root(), name, owners, 1, 1),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

/// Hardening, finding 7: a call carries bounded arguments. A name longer than
/// `MaxBusNameLength` or more than `MaxOwners` owners used to decode (the call then failed in
/// dispatch, after the node had read and the block had carried all of it); now such a call does
/// not decode, so it is an invalid transaction that no block includes.
#[test]
fn overlong_bus_arguments_do_not_decode() {
	use codec::{Decode, Encode};
	// `create_energy_bus` is call 0: its index, then the arguments as SCALE encodes them.
	let call = |name: Vec<u8>, owners: Vec<AccountId>| (0u8, name, owners, 1_000u64, ECT).encode();
	let decodes = |bytes: Vec<u8>| crate::Call::<Test>::decode(&mut &bytes[..]).is_ok();
	assert!(decodes(call(vec![b'x'; 32], vec![1, 2, 3, 4])));
	assert!(!decodes(call(vec![b'x'; 33], vec![CHARLIE])));
	assert!(!decodes(call(b"B".to_vec(), vec![1, 2, 3, 4, 5])));
	// A name of a million bytes is refused at its length prefix, before it is read.
	assert!(!decodes(call(vec![b'x'; 1_000_000], vec![CHARLIE])));
}

/// Genesis is the only way to hand `do_create_bus` an unbounded name: it names the error.
#[test]
#[should_panic(expected = "BusNameTooLong")]
fn a_genesis_bus_with_an_overlong_name_is_refused() {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	crate::GenesisConfig::<Test> {
		buses: vec![crate::GenesisBus {
			name: "x".repeat(33),
			creator: ALICE,
			owners: vec![ALICE],
			capacity_wh: 1,
			base_price_per_kwh: 1,
		}],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
}

#[test]
fn changes_take_effect_at_once_with_threshold_one() {
	build_and_execute(|| {
		assert_ok!(EnergyBus::add_bus_owner(RuntimeOrigin::signed(BOB), 0, CHARLIE));
		assert_eq!(
			last_event(),
			Event::ChangeApplied { bus_id: 0, change: BusChange::AddOwner(CHARLIE) }
		);
		assert!(Buses::<Test>::get(0).unwrap().owners.contains(&CHARLIE));
		assert_ok!(EnergyBus::set_bus_capacity(RuntimeOrigin::signed(CHARLIE), 0, 5_000_000));
		assert_ok!(EnergyBus::set_base_price(RuntimeOrigin::signed(ALICE), 0, ECT));
		let bus = Buses::<Test>::get(0).unwrap();
		assert_eq!((bus.capacity_wh, bus.base_price_per_kwh), (5_000_000, ECT));
		assert_ok!(EnergyBus::remove_bus_owner(RuntimeOrigin::signed(ALICE), 0, CHARLIE));
		assert!(!BusesByOwner::<Test>::contains_key(CHARLIE, 0));
	});
}

#[test]
fn a_threshold_of_two_needs_two_distinct_owners() {
	build_and_execute(|| {
		assert_ok!(EnergyBus::set_approval_threshold(RuntimeOrigin::signed(ALICE), 0, 2));
		assert_ok!(EnergyBus::set_bus_capacity(RuntimeOrigin::signed(ALICE), 0, 3_000_000));
		assert_eq!(
			last_event(),
			Event::ChangeProposed {
				bus_id: 0,
				proposal_id: 0,
				change: BusChange::SetCapacity(3_000_000),
				owner: ALICE,
				approvals: 1,
				threshold: 2,
			}
		);
		assert_eq!(Buses::<Test>::get(0).unwrap().capacity_wh, 2_000_000);
		assert_noop!(
			EnergyBus::set_bus_capacity(RuntimeOrigin::signed(ALICE), 0, 3_000_000),
			Error::<Test>::AlreadyApproved
		);
		// A different change is a different proposal.
		assert_ok!(EnergyBus::set_bus_capacity(RuntimeOrigin::signed(BOB), 0, 4_000_000));
		assert_eq!(Buses::<Test>::get(0).unwrap().capacity_wh, 2_000_000);
		assert_ok!(EnergyBus::set_bus_capacity(RuntimeOrigin::signed(BOB), 0, 3_000_000));
		assert_eq!(Buses::<Test>::get(0).unwrap().capacity_wh, 3_000_000);
		assert_eq!(crate::Proposals::<Test>::get(0).len(), 1, "the 4000 kWh proposal waits");
	});
}

#[test]
fn owners_approve_a_proposal_by_its_id() {
	build_and_execute(|| {
		let signed = RuntimeOrigin::signed;
		assert_ok!(EnergyBus::add_bus_owner(signed(ALICE), 0, CHARLIE));
		assert_ok!(EnergyBus::set_approval_threshold(signed(ALICE), 0, 2));
		// Two proposals: 0 and 1 (ids count across buses and never repeat).
		assert_ok!(EnergyBus::set_bus_capacity(signed(ALICE), 0, 3_000_000));
		assert_ok!(EnergyBus::set_base_price(signed(ALICE), 0, ECT));
		assert_eq!(
			last_event(),
			Event::ChangeProposed {
				bus_id: 0,
				proposal_id: 1,
				change: BusChange::SetBasePrice(ECT),
				owner: ALICE,
				approvals: 1,
				threshold: 2,
			}
		);
		// Bob approves proposal 1: the base price changes, the capacity waits.
		let post = EnergyBus::approve_bus_change(signed(BOB), 0, 1).unwrap();
		assert_eq!(post.actual_weight, Some(<() as crate::WeightInfo>::set_base_price()));
		assert_eq!(
			last_event(),
			Event::ChangeApplied { bus_id: 0, change: BusChange::SetBasePrice(ECT) }
		);
		let bus = Buses::<Test>::get(0).unwrap();
		assert_eq!((bus.capacity_wh, bus.base_price_per_kwh), (2_000_000, ECT));
		// Approving it again fails: it was applied, and no new proposal opens.
		assert_noop!(
			EnergyBus::approve_bus_change(signed(CHARLIE), 0, 1),
			Error::<Test>::ProposalNotFound
		);
		assert_noop!(
			EnergyBus::approve_bus_change(signed(ALICE), 0, 0),
			Error::<Test>::AlreadyApproved
		);
		assert_noop!(EnergyBus::approve_bus_change(signed(DAVE), 0, 0), Error::<Test>::NotBusOwner);
		assert_noop!(EnergyBus::approve_bus_change(signed(BOB), 9, 0), Error::<Test>::BusNotFound);
		assert_noop!(
			EnergyBus::approve_bus_change(signed(BOB), 0, 7),
			Error::<Test>::ProposalNotFound
		);
		// Proposal 0 is still open: Charlie's approval applies it.
		assert_ok!(EnergyBus::approve_bus_change(signed(CHARLIE), 0, 0));
		assert_eq!(Buses::<Test>::get(0).unwrap().capacity_wh, 3_000_000);
		assert!(crate::Proposals::<Test>::get(0).is_empty());
	});
}

#[test]
fn an_approval_checks_the_change_against_the_bus_as_it_is_now() {
	build_and_execute(|| {
		let signed = RuntimeOrigin::signed;
		assert_ok!(EnergyBus::set_approval_threshold(signed(ALICE), 0, 2));
		// Proposal 0 sets the capacity to 500 Wh; then an offer of 1000 Wh is posted.
		assert_ok!(EnergyBus::set_bus_capacity(signed(ALICE), 0, 500));
		super::alice_offers(1_000);
		assert_noop!(
			EnergyBus::approve_bus_change(signed(BOB), 0, 0),
			Error::<Test>::CapacityBelowCommitted
		);
	});
}

#[test]
fn the_v2_migration_gives_stored_proposals_ids() {
	use crate::migrations::v2::{v1, MigrateV1ToV2};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		// A version-1 chain: two buses with proposals, stored without ids.
		StorageVersion::new(1).put::<EnergyBus>();
		let old = |change, expires_at| v1::OldProposal {
			change,
			approvals: frame_support::BoundedVec::truncate_from(vec![ALICE]),
			expires_at,
		};
		v1::Proposals::<Test>::insert(
			0,
			frame_support::BoundedVec::truncate_from(vec![
				old(BusChange::SetCapacity(3_000_000), 10),
				old(BusChange::Close, 11),
			]),
		);
		v1::Proposals::<Test>::insert(
			1,
			frame_support::BoundedVec::truncate_from(vec![old(BusChange::SetBasePrice(ECT), 12)]),
		);

		MigrateV1ToV2::<Test>::on_runtime_upgrade();

		assert_eq!(EnergyBus::on_chain_storage_version(), StorageVersion::new(2));
		let mut ids: Vec<u32> =
			crate::Proposals::<Test>::iter_values().flatten().map(|proposal| proposal.id).collect();
		ids.sort();
		assert_eq!(ids, vec![0, 1, 2]);
		assert_eq!(crate::NextProposalId::<Test>::get(), 3);
		let bus0 = crate::Proposals::<Test>::get(0);
		assert_eq!(bus0[0].change, BusChange::SetCapacity(3_000_000));
		assert_eq!((bus0[1].change.clone(), bus0[1].expires_at), (BusChange::Close, 11));
		assert_eq!(bus0[0].approvals.to_vec(), vec![ALICE]);
		// Run again, it changes nothing: the stored version is 2.
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(crate::NextProposalId::<Test>::get(), 3);
		// Clean up for try_state: the proposals name a bus that may not exist.
		let _ = crate::Proposals::<Test>::clear(u32::MAX, None);
	});
}

#[test]
fn proposals_lapse_after_their_lifetime() {
	build_and_execute(|| {
		assert_ok!(EnergyBus::set_market_params(
			RuntimeOrigin::root(),
			MarketParams { lock_duration: 50, receipt_retention: 100, proposal_lifetime: 5 }
		));
		assert_ok!(EnergyBus::set_approval_threshold(RuntimeOrigin::signed(ALICE), 0, 2));
		assert_ok!(EnergyBus::close_bus(RuntimeOrigin::signed(ALICE), 0));
		run_to_block(7);
		// Alice's proposal lapsed: it cannot be approved by its id.
		assert_noop!(
			EnergyBus::approve_bus_change(RuntimeOrigin::signed(BOB), 0, 0),
			Error::<Test>::ProposalNotFound
		);
		// Bob's call for the same change starts a new proposal instead of closing the bus.
		assert_ok!(EnergyBus::close_bus(RuntimeOrigin::signed(BOB), 0));
		assert!(Buses::<Test>::contains_key(0));
		assert_ok!(EnergyBus::close_bus(RuntimeOrigin::signed(ALICE), 0));
		assert!(!Buses::<Test>::contains_key(0));
		assert_eq!(last_event(), Event::BusClosed { bus_id: 0 });
		assert_eq!(Balances::balance_on_hold(&HoldReason::BusDeposit.into(), &ALICE), 0);
	});
}

#[test]
fn owner_changes_reject_bad_input() {
	build_and_execute(|| {
		let signed = RuntimeOrigin::signed;
		assert_noop!(
			EnergyBus::add_bus_owner(signed(CHARLIE), 0, DAVE),
			Error::<Test>::NotBusOwner
		);
		assert_noop!(EnergyBus::add_bus_owner(signed(ALICE), 9, DAVE), Error::<Test>::BusNotFound);
		assert_noop!(EnergyBus::add_bus_owner(signed(ALICE), 0, BOB), Error::<Test>::AlreadyOwner);
		assert_noop!(
			EnergyBus::remove_bus_owner(signed(ALICE), 0, DAVE),
			Error::<Test>::NotAnOwner
		);
		assert_noop!(
			EnergyBus::set_approval_threshold(signed(ALICE), 0, 3),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			EnergyBus::set_approval_threshold(signed(ALICE), 0, 0),
			Error::<Test>::InvalidThreshold
		);
		assert_ok!(EnergyBus::add_bus_owner(signed(ALICE), 0, CHARLIE));
		assert_ok!(EnergyBus::add_bus_owner(signed(ALICE), 0, DAVE));
		assert_noop!(EnergyBus::add_bus_owner(signed(ALICE), 0, 7), Error::<Test>::TooManyOwners);
		for who in [BOB, CHARLIE, DAVE] {
			assert_ok!(EnergyBus::remove_bus_owner(signed(ALICE), 0, who));
		}
		assert_noop!(
			EnergyBus::remove_bus_owner(signed(ALICE), 0, ALICE),
			Error::<Test>::LastOwner
		);

		super::alice_offers(1_000);
		assert_noop!(
			EnergyBus::set_bus_capacity(signed(ALICE), 0, 999),
			Error::<Test>::CapacityBelowCommitted
		);
	});
}

#[test]
fn too_many_proposals_are_refused() {
	build_and_execute(|| {
		assert_ok!(EnergyBus::set_approval_threshold(RuntimeOrigin::signed(ALICE), 0, 2));
		// MaxProposals is 3, and one owner may open 2 of them.
		for (who, capacity) in [(ALICE, 1), (ALICE, 2), (BOB, 3)] {
			assert_ok!(EnergyBus::set_bus_capacity(
				RuntimeOrigin::signed(who),
				0,
				3_000_000 + capacity
			));
		}
		assert_noop!(
			EnergyBus::set_bus_capacity(RuntimeOrigin::signed(BOB), 0, 9_000_000),
			Error::<Test>::TooManyProposals
		);
	});
}

#[test]
fn market_params_are_for_the_admin() {
	build_and_execute(|| {
		let params = MarketParams { lock_duration: 3, receipt_retention: 10, proposal_lifetime: 4 };
		assert_noop!(
			EnergyBus::set_market_params(RuntimeOrigin::signed(ALICE), params.clone()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			EnergyBus::set_market_params(
				RuntimeOrigin::root(),
				MarketParams { lock_duration: 0, ..params.clone() }
			),
			Error::<Test>::InvalidParams
		);
		assert_ok!(EnergyBus::set_market_params(RuntimeOrigin::root(), params.clone()));
		assert_eq!(Params::<Test>::get(), params.clone());
		assert_eq!(last_event(), Event::ParamsChanged { params });
	});
}

/// Hardening, finding 7: each market parameter has an upper bound. A lock duration of
/// `u64::MAX` blocks used to be accepted: every lock taken after it would never expire.
#[test]
fn market_params_are_bounded() {
	build_and_execute(|| {
		let set = |params| EnergyBus::set_market_params(RuntimeOrigin::root(), params);
		let most = MarketParams {
			lock_duration: 600,
			receipt_retention: 432_000,
			proposal_lifetime: 100_800,
		};
		assert_noop!(
			set(MarketParams { lock_duration: u64::MAX, ..most.clone() }),
			Error::<Test>::InvalidParams
		);
		assert_noop!(
			set(MarketParams { lock_duration: 601, ..most.clone() }),
			Error::<Test>::InvalidParams
		);
		assert_noop!(
			set(MarketParams { receipt_retention: 432_001, ..most.clone() }),
			Error::<Test>::InvalidParams
		);
		assert_noop!(
			set(MarketParams { proposal_lifetime: 100_801, ..most.clone() }),
			Error::<Test>::InvalidParams
		);
		// Each bound itself is accepted.
		assert_ok!(set(most.clone()));
		assert_eq!(Params::<Test>::get(), most);
	});
}

#[test]
fn the_heaviest_change_is_found_among_every_kind_of_change() {
	use crate::governance::{kind_after, ChangeKind};
	use codec::Encode;
	use scale_info::{TypeDef, TypeInfo};

	// The kinds `max_change_weight` weighs are the type's variants, each once.
	let kinds: Vec<ChangeKind> =
		core::iter::successors(Some(BusChange::AddOwner(())), kind_after).collect();
	let indices: Vec<u8> = kinds.iter().map(|kind| kind.encode()[0]).collect();
	let TypeDef::Variant(variants) = ChangeKind::type_info().type_def else {
		panic!("BusChange is an enum");
	};
	let variants: Vec<u8> = variants.variants.iter().map(|variant| variant.index).collect();
	assert_eq!(indices, variants);

	// And it is the heaviest of their weights.
	let max = crate::Pallet::<Test>::max_change_weight();
	let weights: Vec<_> = kinds.iter().map(crate::Pallet::<Test>::change_weight).collect();
	assert!(weights.iter().all(|weight| weight.all_lte(max)));
	assert!(weights.contains(&max));
}

/// Hardening, finding 5: one owner could open every one of a bus's `MaxProposals` proposals (3
/// in the mock), each lasting a day, and so keep the other owners from proposing anything. Now
/// an owner may have at most `MaxProposalsPerOwner` (2 in the mock) open at once, and withdraw
/// its own.
#[test]
fn one_owner_cannot_take_every_proposal_slot() {
	build_and_execute(|| {
		assert_ok!(EnergyBus::set_approval_threshold(signed(ALICE), 0, 2));
		assert_ok!(EnergyBus::set_bus_capacity(signed(ALICE), 0, 3_000_000));
		assert_ok!(EnergyBus::set_base_price(signed(ALICE), 0, ECT));
		assert_noop!(
			EnergyBus::set_bus_capacity(signed(ALICE), 0, 4_000_000),
			Error::<Test>::TooManyOwnProposals
		);
		// Bob still has room.
		assert_ok!(EnergyBus::set_bus_capacity(signed(BOB), 0, 4_000_000));
		assert_eq!(crate::Proposals::<Test>::get(0).len(), 3);
		// Approving another's proposal opens none: Alice may approve Bob's.
		assert_ok!(EnergyBus::approve_bus_change(signed(ALICE), 0, 2));
		assert_eq!(Buses::<Test>::get(0).unwrap().capacity_wh, 4_000_000);
	});
}

#[test]
fn the_proposer_withdraws_its_proposal() {
	build_and_execute(|| {
		assert_ok!(EnergyBus::set_approval_threshold(signed(ALICE), 0, 2));
		assert_ok!(EnergyBus::set_bus_capacity(signed(ALICE), 0, 3_000_000));
		assert_ok!(EnergyBus::set_base_price(signed(ALICE), 0, ECT));
		assert_noop!(EnergyBus::withdraw_bus_change(signed(BOB), 0, 0), Error::<Test>::NotProposer);
		assert_noop!(
			EnergyBus::withdraw_bus_change(signed(ALICE), 0, 9),
			Error::<Test>::ProposalNotFound
		);
		assert_noop!(
			EnergyBus::withdraw_bus_change(signed(ALICE), 9, 0),
			Error::<Test>::BusNotFound
		);
		assert_ok!(EnergyBus::withdraw_bus_change(signed(ALICE), 0, 0));
		assert_eq!(
			last_event(),
			Event::ChangeWithdrawn { bus_id: 0, proposal_id: 0, owner: ALICE }
		);
		let left: Vec<_> = crate::Proposals::<Test>::get(0).iter().map(|p| p.id).collect();
		assert_eq!(left, vec![1]);
		// Her slot is free again; the withdrawn proposal cannot be approved.
		assert_ok!(EnergyBus::set_bus_capacity(signed(ALICE), 0, 5_000_000));
		assert_noop!(
			EnergyBus::approve_bus_change(signed(BOB), 0, 0),
			Error::<Test>::ProposalNotFound
		);
	});
}

#[test]
fn removing_an_owner_withdraws_the_proposals_it_opened() {
	build_and_execute(|| {
		assert_ok!(EnergyBus::add_bus_owner(signed(ALICE), 0, CHARLIE));
		assert_ok!(EnergyBus::set_approval_threshold(signed(ALICE), 0, 2));
		// Charlie opens proposal 0, Bob proposal 1; then Alice and Bob remove Charlie.
		assert_ok!(EnergyBus::set_base_price(signed(CHARLIE), 0, ECT));
		assert_ok!(EnergyBus::set_bus_capacity(signed(BOB), 0, 3_000_000));
		assert_ok!(EnergyBus::remove_bus_owner(signed(ALICE), 0, CHARLIE));
		assert_ok!(EnergyBus::remove_bus_owner(signed(BOB), 0, CHARLIE));
		assert!(super::bus_events().contains(&Event::ChangeWithdrawn {
			bus_id: 0,
			proposal_id: 0,
			owner: CHARLIE
		}));
		// Bob's proposal stays.
		let proposals = crate::Proposals::<Test>::get(0);
		assert_eq!(proposals.len(), 1);
		assert_eq!((proposals[0].id, proposals[0].approvals.to_vec()), (1, vec![BOB]));
	});
}

/// A proposer cannot throw away the approvals others gave its proposal: once another owner
/// approved it, it can only take effect or lapse.
#[test]
fn a_proposal_others_approved_cannot_be_withdrawn() {
	build_and_execute(|| {
		assert_ok!(create(CHARLIE, b"Four owners", vec![ALICE, BOB, CHARLIE, DAVE]));
		assert_ok!(EnergyBus::set_approval_threshold(signed(ALICE), 1, 3));
		assert_ok!(EnergyBus::set_base_price(signed(ALICE), 1, 2 * ECT));
		assert_ok!(EnergyBus::approve_bus_change(signed(BOB), 1, 0));
		assert_noop!(
			EnergyBus::withdraw_bus_change(signed(ALICE), 1, 0),
			Error::<Test>::ProposalHasApprovals
		);
		// Removing Alice leaves it Bob's: his approval still counts.
		assert_ok!(EnergyBus::remove_bus_owner(signed(BOB), 1, ALICE));
		assert_ok!(EnergyBus::approve_bus_change(signed(CHARLIE), 1, 1));
		assert_ok!(EnergyBus::approve_bus_change(signed(DAVE), 1, 1));
		let proposals = crate::Proposals::<Test>::get(1);
		assert_eq!(proposals[0].approvals.to_vec(), vec![BOB]);
		assert_ok!(EnergyBus::withdraw_bus_change(signed(BOB), 1, 0));
	});
}
