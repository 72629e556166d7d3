//! Purchases, nonces, receipts and batches.

use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	traits::{Get, Hooks},
	weights::Weight,
};
use sp_runtime::DispatchError;

use super::{alice_offers, balance_events, energy_of};
use crate::{
	mock::*, weights::WeightInfo, BatchItem, Buses, Config, Error, Event, MarketNonces, Offers,
	PurchaseFailure, Purchases, Receipts,
};

fn buy(
	who: AccountId,
	offer: u64,
	wh: u64,
	max: Balance,
	into: &str,
	nonce: u64,
) -> Result<PostDispatchInfo, DispatchError> {
	EnergyBus::purchase_energy(RuntimeOrigin::signed(who), offer, wh, max, fid(into), nonce)
		.map_err(|e| e.error)
}

/// Batch items buying each of `amounts` (Wh) of `offer_id` at up to 0.08 ECT/kWh.
fn items_of(offer_id: u64, amounts: &[u64]) -> Vec<BatchItem<Balance>> {
	amounts
		.iter()
		.map(|&energy_wh| BatchItem { offer_id, energy_wh, max_price_per_kwh: EIGHT_CENTS })
		.collect()
}

/// Bob's batch of `items` into Buyer03, with market nonce 0.
fn bob_batch(items: Vec<BatchItem<Balance>>) -> Result<PostDispatchInfo, DispatchError> {
	let items = items.try_into().expect("within MaxBatchSize");
	EnergyBus::batch_purchase_energy(RuntimeOrigin::signed(BOB), items, fid("Buyer03"), 0)
		.map_err(|e| e.error)
}

#[test]
fn a_partial_purchase_pays_the_seller_and_delivers_energy() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		let alice_before = Balances::free_balance(ALICE);
		let bob_before = Balances::free_balance(BOB);
		// 200 kWh at 0.08 ECT/kWh = 16 ECT.
		assert_ok!(buy(BOB, offer_id, 200_000, EIGHT_CENTS, "Buyer03", 0));
		assert_eq!(Balances::free_balance(BOB), bob_before - 16 * ECT);
		assert_eq!(Balances::free_balance(ALICE), alice_before + 16 * ECT);
		assert_eq!(energy_of("Buyer03"), 200_000);
		let offer = Offers::<Test>::get(offer_id).unwrap();
		assert_eq!((offer.available_wh, offer.sold_wh), (100_000, 200_000));
		assert_eq!(Buses::<Test>::get(0).unwrap().committed_wh, 100_000);
		assert_eq!(MarketNonces::<Test>::get(BOB), 1);

		let purchase = Purchases::<Test>::get(0).unwrap();
		assert_eq!((purchase.buyer, purchase.seller, purchase.total_price), (BOB, ALICE, 16 * ECT));
		let receipt = EnergyBus::receipt_hash(
			&BOB,
			0,
			(b"purchase", offer_id, 200_000u64, EIGHT_CENTS, fid("Buyer03")),
		);
		assert_eq!(purchase.receipt, receipt);
		assert!(EnergyBus::is_transaction_processed(receipt));
		assert_eq!(Receipts::<Test>::get(receipt).unwrap().purchases.to_vec(), vec![0]);
		let events = super::bus_events();
		assert!(events.contains(&Event::EnergyPurchased {
			purchase_id: 0,
			offer_id,
			buyer: BOB,
			into_factory: fid("Buyer03"),
			energy_wh: 200_000,
			total_price: 16 * ECT,
			grid_fee: 0,
		}));
		assert_eq!(
			*events.last().unwrap(),
			Event::ReceiptRecorded { receipt, buyer: BOB, nonce: 0 }
		);
		assert_eq!(EnergyBus::purchases(BOB, None, 10).len(), 1);
	});
}

#[test]
fn buying_the_rest_closes_the_offer() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(buy(BOB, offer_id, 300_000, EIGHT_CENTS, "Buyer03", 0));
		assert!(!Offers::<Test>::contains_key(offer_id));
		let bus = Buses::<Test>::get(0).unwrap();
		assert_eq!((bus.committed_wh, bus.open_offers), (0, 0));
	});
}

#[test]
fn nonces_stop_replays_and_gaps() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(buy(BOB, offer_id, 1_000, EIGHT_CENTS, "Buyer03", 0));
		// The same call again (a retry or a replay) is refused and buys nothing twice.
		assert_noop!(
			buy(BOB, offer_id, 1_000, EIGHT_CENTS, "Buyer03", 0),
			Error::<Test>::NonceAlreadyUsed
		);
		assert_noop!(
			buy(BOB, offer_id, 1_000, EIGHT_CENTS, "Buyer03", 2),
			Error::<Test>::NonceTooHigh
		);
		assert_ok!(buy(BOB, offer_id, 1_000, EIGHT_CENTS, "Buyer03", 1));
		assert_eq!(energy_of("Buyer03"), 2_000);
	});
}

#[test]
fn purchase_rejects_bad_input() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_noop!(buy(BOB, offer_id, 0, EIGHT_CENTS, "Buyer03", 0), Error::<Test>::ZeroEnergy);
		assert_noop!(buy(BOB, 9, 1, EIGHT_CENTS, "Buyer03", 0), Error::<Test>::OfferNotFound);
		assert_noop!(
			buy(BOB, offer_id, 1, EIGHT_CENTS, "Buyer04", 0),
			Error::<Test>::NotFactoryOwner
		);
		assert_noop!(buy(ALICE, offer_id, 1, EIGHT_CENTS, "Wind02", 0), Error::<Test>::OwnOffer);
		assert_noop!(
			buy(BOB, offer_id, 1, EIGHT_CENTS - 1, "Buyer03", 0),
			Error::<Test>::PriceAboveLimit
		);
		assert_noop!(
			buy(BOB, offer_id, 300_001, EIGHT_CENTS, "Buyer03", 0),
			Error::<Test>::NotEnoughEnergy
		);
		// A buyer with a factory but too little money.
		let poor = 55;
		assert_ok!(EnergyTrading::register_factory(
			RuntimeOrigin::root(),
			b"Poor06".to_vec(),
			b"poor".to_vec(),
			pallet_energy_trading::EnergyType::Other,
			poor,
			None,
			0,
			0
		));
		assert_noop!(
			buy(poor, offer_id, 1_000, EIGHT_CENTS, "Poor06", 0),
			Error::<Test>::InsufficientFunds
		);
	});
}

#[test]
fn two_buyers_racing_for_the_same_energy_cannot_oversell() {
	build_and_execute(|| {
		let offer_id = alice_offers(100_000);
		// Both in the same block: the first takes it all, the second finds nothing left.
		assert_ok!(buy(BOB, offer_id, 100_000, EIGHT_CENTS, "Buyer03", 0));
		assert_noop!(
			buy(CHARLIE, offer_id, 100_000, EIGHT_CENTS, "Buyer04", 0),
			Error::<Test>::OfferNotFound
		);
		assert_eq!(energy_of("Buyer03") + energy_of("Buyer04"), 100_000);
	});
}

#[test]
fn a_batch_buys_across_offers_with_one_nonce_and_one_receipt() {
	build_and_execute(|| {
		let first = alice_offers(100_000);
		let second = alice_offers(200_000);
		let items = vec![
			BatchItem { offer_id: first, energy_wh: 50_000, max_price_per_kwh: EIGHT_CENTS },
			BatchItem { offer_id: second, energy_wh: 200_000, max_price_per_kwh: EIGHT_CENTS },
		];
		let (alice_before, bob_before) =
			(Balances::free_balance(ALICE), Balances::free_balance(BOB));
		assert_ok!(bob_batch(items.clone()));
		assert_eq!(energy_of("Buyer03"), 250_000);
		// 4 + 16 ECT, withdrawn from Bob once and deposited to the seller per item.
		assert_eq!(Balances::free_balance(BOB), bob_before - 20 * ECT);
		assert_eq!(Balances::free_balance(ALICE), alice_before + 20 * ECT);
		use pallet_balances::Event::{Deposit, Withdraw};
		assert_eq!(
			balance_events(),
			vec![
				Withdraw { who: BOB, amount: 20 * ECT },
				Deposit { who: ALICE, amount: 4 * ECT },
				Deposit { who: ALICE, amount: 16 * ECT }
			]
		);
		assert_eq!(crate::PurchasesByBuyer::<Test>::get(BOB, 0u64.to_be_bytes()), Some(2));
		assert_eq!(MarketNonces::<Test>::get(BOB), 1);
		let receipt = EnergyBus::receipt_hash(
			&BOB,
			0,
			(
				b"batch",
				frame_support::BoundedVec::<_, ConstU32Ten>::truncate_from(items),
				fid("Buyer03"),
			),
		);
		assert_eq!(Receipts::<Test>::get(receipt).unwrap().purchases.to_vec(), vec![0, 1]);
		// Both deliveries are ledger events (the factories' history), in item order, with the
		// buyer's balance after each (written once for the batch) and the seller's.
		let solar = energy_of("Solar01");
		let delivered = |energy_wh, to_balance_wh| pallet_energy_trading::Event::MarketDelivered {
			from: fid("Solar01"),
			to: fid("Buyer03"),
			energy_wh,
			from_balance_wh: solar,
			to_balance_wh,
		};
		let deliveries: Vec<_> = System::events()
			.into_iter()
			.filter_map(|record| match record.event {
				RuntimeEvent::EnergyTrading(
					event @ pallet_energy_trading::Event::MarketDelivered { .. },
				) => Some(event),
				_ => None,
			})
			.collect();
		assert_eq!(deliveries, vec![delivered(50_000, 50_000), delivered(200_000, 250_000)]);
	});
}

#[test]
fn a_batch_whose_delivery_fails_leaves_no_trace() {
	build_and_execute(|| {
		let first = alice_offers(100_000);
		let set_energy = |wh| {
			pallet_energy_trading::Factories::<Test>::mutate(fid("Buyer03"), |factory| {
				factory.as_mut().unwrap().energy_wh = wh
			})
		};
		// The buyer's factory holds all but 60 kWh of what a factory can: the second item's
		// delivery would overflow it.
		set_energy(u64::MAX - 60_000);
		assert_noop!(
			bob_batch(items_of(first, &[50_000, 20_000])),
			Error::<Test>::BatchItemFailed { index: 1, reason: PurchaseFailure::Ledger }
		);
		// The deliveries come after every item is bought: a later item that cannot be bought
		// is reported first.
		assert_noop!(
			bob_batch(items_of(first, &[50_000, 20_000, 40_000])),
			Error::<Test>::BatchItemFailed { index: 2, reason: PurchaseFailure::NotEnoughEnergy }
		);
		// Back to what the ledger's invariants (checked after the test) expect.
		set_energy(0);
	});
}

type ConstU32Ten = frame_support::traits::ConstU32<10>;

/// Runs `test` with `who`'s free balance set to `free` (total issuance untouched), then sets it
/// back.
fn with_free_balance(who: AccountId, free: Balance, test: impl FnOnce()) {
	let set = |free| frame_system::Account::<Test>::mutate(who, |a| a.data.free = free);
	let before = Balances::free_balance(who);
	set(free);
	test();
	set(before);
}

#[test]
fn a_batch_whose_payment_fails_leaves_no_trace() {
	build_and_execute(|| {
		let first = alice_offers(100_000);
		let second = alice_offers(100_000);
		let items = vec![
			BatchItem { offer_id: first, energy_wh: 50_000, max_price_per_kwh: EIGHT_CENTS },
			BatchItem { offer_id: second, energy_wh: 10_000, max_price_per_kwh: EIGHT_CENTS },
		];
		// Alice's balance is 2 ECT short of overflowing: the first item's 4 ECT cannot be
		// deposited to her.
		with_free_balance(ALICE, u128::MAX - 2 * ECT, || {
			assert_noop!(
				bob_batch(items.clone()),
				Error::<Test>::BatchItemFailed { index: 0, reason: PurchaseFailure::Payment }
			);
			// The payments come after every item is bought: a later item that cannot be
			// bought is reported first.
			let mut too_much = items.clone();
			too_much[1].energy_wh = 200_000;
			assert_noop!(
				bob_batch(too_much),
				Error::<Test>::BatchItemFailed {
					index: 1,
					reason: PurchaseFailure::NotEnoughEnergy
				}
			);
		});
	});
}

#[test]
fn a_batch_cannot_spend_more_than_the_buyer_has_over_its_items() {
	build_and_execute(|| {
		let first = alice_offers(1_000_000);
		// Bob has 50 ECT: each item alone is within it (500 and 400 kWh at 0.08 ECT/kWh,
		// 40 and 32 ECT), both together are not.
		with_free_balance(BOB, 50 * ECT, || {
			assert_noop!(
				bob_batch(items_of(first, &[500_000, 400_000])),
				Error::<Test>::BatchItemFailed {
					index: 1,
					reason: PurchaseFailure::InsufficientFunds
				}
			);
		});
	});
}

#[test]
fn a_buyers_purchases_are_paged_in_id_order() {
	build_and_execute(|| {
		let offer_id = alice_offers(1_000_000);
		// Bob: a batch of three (purchases 0-2); Charlie one (3); Bob one more (4).
		assert_ok!(bob_batch(items_of(offer_id, &[1_000, 2_000, 3_000])));
		assert_ok!(buy(CHARLIE, offer_id, 4_000, EIGHT_CENTS, "Buyer04", 0));
		assert_ok!(buy(BOB, offer_id, 5_000, EIGHT_CENTS, "Buyer03", 1));
		// One index entry per call: its first id (big-endian) and how many.
		let entry =
			|who, first: u64| crate::PurchasesByBuyer::<Test>::get(who, first.to_be_bytes());
		assert_eq!((entry(BOB, 0), entry(BOB, 4), entry(CHARLIE, 3)), (Some(3), Some(1), Some(1)));
		assert_eq!(entry(BOB, 1), None);
		let page = |who, after, limit| -> Vec<u64> {
			EnergyBus::purchases(who, after, limit).into_iter().map(|p| p.id).collect()
		};
		assert_eq!(page(BOB, None, 10), vec![0, 1, 2, 4]);
		assert_eq!(page(CHARLIE, None, 10), vec![3]);
		// From within the batch: the rest of it, then the next call.
		assert_eq!(page(BOB, Some(0), 2), vec![1, 2]);
		assert_eq!(page(BOB, Some(1), 10), vec![2, 4]);
		assert_eq!(page(BOB, Some(2), 10), vec![4]);
		assert_eq!(page(BOB, Some(4), 10), Vec::<u64>::new());
		// Any id as `start_after`, another buyer's too: Bob's purchases above it.
		assert_eq!(page(BOB, Some(3), 10), vec![4]);
		// One at a time, each purchase comes once.
		let (mut paged, mut after) = (Vec::new(), None);
		while let Some(&last) = page(BOB, after, 1).last() {
			paged.push(last);
			after = Some(last);
		}
		assert_eq!(paged, vec![0, 1, 2, 4]);
		assert_eq!(page(BOB, None, 0), Vec::<u64>::new());
		assert_eq!(page(BOB, Some(0), 0), Vec::<u64>::new());
	});
}

#[test]
fn paging_goes_on_after_a_pruned_purchase() {
	build_and_execute(|| {
		assert_ok!(EnergyBus::set_market_params(
			RuntimeOrigin::root(),
			crate::MarketParams { lock_duration: 5, receipt_retention: 10, proposal_lifetime: 5 }
		));
		let offer_id = alice_offers(1_000_000);
		// Block 1: Bob's batch (purchases 0-2); block 5: one more (3).
		assert_ok!(bob_batch(items_of(offer_id, &[1_000, 2_000, 3_000])));
		run_to_block(5);
		assert_ok!(buy(BOB, offer_id, 4_000, EIGHT_CENTS, "Buyer03", 1));
		let page = |after| -> Vec<u64> {
			EnergyBus::purchases(BOB, after, 10).into_iter().map(|p| p.id).collect()
		};
		assert_eq!(page(Some(1)), vec![2, 3]);
		// The batch's receipt, its purchases and its index entry are pruned.
		run_to_block(12);
		assert!(Purchases::<Test>::get(1).is_none());
		assert_eq!(crate::PurchasesByBuyer::<Test>::get(BOB, 0u64.to_be_bytes()), None);
		// A cursor within the pruned batch goes on from where it was.
		assert_eq!(page(Some(1)), vec![3]);
		assert_eq!(page(None), vec![3]);
	});
}

#[test]
fn pruning_is_charged_for_the_receipts_it_pruned_and_the_blocks_it_passed() {
	use frame_support::traits::Hooks;
	build_and_execute(|| {
		assert_ok!(EnergyBus::set_market_params(
			RuntimeOrigin::root(),
			crate::MarketParams { lock_duration: 5, receipt_retention: 10, proposal_lifetime: 5 }
		));
		let offer_id = alice_offers(100_000);
		let written = System::block_number();
		assert_ok!(buy(BOB, offer_id, 1_000, EIGHT_CENTS, "Buyer03", 0));
		assert_ok!(buy(BOB, offer_id, 1_000, EIGHT_CENTS, "Buyer03", 1));
		run_to_block(written + 10);
		let now = written + 11;
		System::set_block_number(now);
		// Charged `receipt_queue_reads` for the blocks passed, plus `prune_receipts` for the
		// receipts pruned, after the auctions' settlement queue (one read, empty:
		// `settle_orders(0)`).
		let charged = |n: u32, b: u32| {
			Weights::settle_orders(0) + Weights::receipt_queue_reads(b) + Weights::prune_receipts(n)
		};
		// Room for one receipt: one is pruned, and the queue is not read again.
		assert_eq!(EnergyBus::on_idle(now, charged(1, 1)), charged(1, 0));
		assert_eq!(crate::Receipts::<Test>::iter().count(), 1);
		// With room, the other one, then the block is passed.
		assert_eq!(EnergyBus::on_idle(now, frame_support::weights::Weight::MAX), charged(1, 1));
		assert_eq!(crate::Receipts::<Test>::iter().count(), 0);
		assert_eq!(crate::ReceiptPruneCursor::<Test>::get(), written + 1);
	});
}

#[test]
fn a_batch_paying_one_seller_once_is_a_transfer() {
	build_and_execute(|| {
		let offer_id = alice_offers(100_000);
		assert_ok!(bob_batch(items_of(offer_id, &[50_000])));
		assert_eq!(
			balance_events(),
			vec![pallet_balances::Event::Transfer { from: BOB, to: ALICE, amount: 4 * ECT }]
		);
	});
}

#[test]
fn a_batch_with_one_bad_item_leaves_no_trace() {
	build_and_execute(|| {
		let first = alice_offers(100_000);
		assert_noop!(
			bob_batch(items_of(first, &[50_000, 60_000])),
			Error::<Test>::BatchItemFailed { index: 1, reason: PurchaseFailure::NotEnoughEnergy }
		);
		assert_noop!(bob_batch(vec![]), Error::<Test>::EmptyBatch);
	});
}

#[test]
fn receipts_are_pruned_after_the_retention() {
	build_and_execute(|| {
		assert_ok!(EnergyBus::set_market_params(
			RuntimeOrigin::root(),
			crate::MarketParams { lock_duration: 5, receipt_retention: 10, proposal_lifetime: 5 }
		));
		let offer_id = alice_offers(100_000);
		assert_ok!(buy(BOB, offer_id, 1_000, EIGHT_CENTS, "Buyer03", 0));
		let receipt = Purchases::<Test>::get(0).unwrap().receipt;
		run_to_block(11);
		assert!(EnergyBus::is_transaction_processed(receipt), "kept for the retention");
		run_to_block(12);
		assert!(!EnergyBus::is_transaction_processed(receipt));
		assert!(Purchases::<Test>::get(0).is_none());
		// With no weight left, on_idle does nothing.
		assert_eq!(
			EnergyBus::on_idle(13, frame_support::weights::Weight::zero()),
			frame_support::weights::Weight::zero()
		);
	});
}

/// The mock's weights (`()`): the generated formulas with ParityDB's database weights.
type Weights = ();

fn max_locks() -> u32 {
	<Test as Config>::MaxLocksPerOffer::get()
}

/// What selling an offer out adds to a purchase or a batch item.
fn close() -> Weight {
	Weights::close_offer()
}

/// What meeting an offer's locks adds: `r` live ones read, `e` expired ones ended, the buyer's
/// own used or not; each kind of work is its own benchmark, added only when done.
fn met(r: u32, e: u32, own: bool) -> Weight {
	let mut weight = Weight::zero();
	if r > 0 {
		weight += Weights::read_live_locks(r);
	}
	if e > 0 {
		weight += Weights::end_expired_locks(e);
	}
	if own {
		weight += Weights::buy_from_lock();
	}
	weight
}

/// The most meeting an offer's locks can add to a buy: every split of `MaxLocksPerOffer`
/// locks into live ones (the buyer's own among them) and expired ones.
fn heaviest_locks() -> Weight {
	let most = max_locks();
	(0..=most).map(|r| met(r, most - r, r > 0)).fold(Weight::zero(), |a, b| a.max(b))
}

#[test]
fn a_purchase_is_charged_for_the_path_it_took() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		let call = crate::Call::<Test>::purchase_energy {
			offer_id,
			energy_wh: 1_000,
			max_price_per_kwh: EIGHT_CENTS,
			into_factory: fid("Buyer03"),
			nonce: 0,
		};
		// Declared: the heaviest way to meet the offer's locks, and selling the offer out.
		let declared = call.get_dispatch_info().call_weight;
		assert_eq!(declared, Weights::purchase_energy() + heaviest_locks() + close());
		// A purchase of an offer without locks reads none, and is charged its benchmark alone.
		let plain = buy(BOB, offer_id, 1_000, EIGHT_CENTS, "Buyer03", 0).unwrap();
		assert_eq!(plain.actual_weight, Some(Weights::purchase_energy()));
		assert!(plain.actual_weight.unwrap().all_lt(declared));

		// Charlie's and Dave's locks expire after block 51. Until then a purchase pays for
		// reading them.
		assert_ok!(EnergyBus::lock_offer(
			RuntimeOrigin::signed(CHARLIE),
			offer_id,
			1_000,
			factory_of(CHARLIE),
			0
		));
		assert_ok!(EnergyBus::lock_offer(
			RuntimeOrigin::signed(DAVE),
			offer_id,
			1_000,
			factory_of(DAVE),
			0
		));
		let beside_locks = buy(BOB, offer_id, 1_000, EIGHT_CENTS, "Buyer03", 1).unwrap();
		assert_eq!(beside_locks.actual_weight, Some(Weights::purchase_energy() + met(2, 0, false)));
		assert_eq!(crate::Locks::<Test>::iter().count(), 2);
		// Bob's lock, taken at block 40, lasts until 90.
		System::set_block_number(40);
		assert_ok!(EnergyBus::lock_offer(
			RuntimeOrigin::signed(BOB),
			offer_id,
			1_000,
			factory_of(BOB),
			2
		));
		System::set_block_number(60);
		// Bob buys through his lock (read as the offer's one live lock), ending the two expired
		// ones first: charged for all three.
		let through_lock = buy(BOB, offer_id, 2_000, EIGHT_CENTS, "Buyer03", 3).unwrap();
		assert_eq!(through_lock.actual_weight, Some(Weights::purchase_energy() + met(1, 2, true)));
		assert!(through_lock.actual_weight.unwrap().all_gt(plain.actual_weight.unwrap()));
		assert_eq!(crate::Locks::<Test>::iter().count(), 0);

		// Buying what is left sells the offer out: charged for closing it too.
		let rest = crate::Offers::<Test>::get(offer_id).unwrap().available_wh;
		let sold_out = buy(BOB, offer_id, rest, EIGHT_CENTS, "Buyer03", 4).unwrap();
		assert_eq!(sold_out.actual_weight, Some(Weights::purchase_energy() + close()));
		assert!(!crate::Offers::<Test>::contains_key(offer_id));
	});
}

#[test]
fn a_batch_is_charged_for_its_items_and_the_locks_they_met() {
	build_and_execute(|| {
		let first = alice_offers(100_000);
		let second = alice_offers(100_000);
		// Charlie's lock on the second offer expires after block 51.
		assert_ok!(EnergyBus::lock_offer(
			RuntimeOrigin::signed(CHARLIE),
			second,
			1_000,
			factory_of(CHARLIE),
			0
		));
		System::set_block_number(60);
		let items: frame_support::BoundedVec<_, ConstU32Ten> =
			frame_support::BoundedVec::truncate_from(vec![
				BatchItem { offer_id: first, energy_wh: 10_000, max_price_per_kwh: EIGHT_CENTS },
				BatchItem { offer_id: second, energy_wh: 10_000, max_price_per_kwh: EIGHT_CENTS },
			]);
		let call = crate::Call::<Test>::batch_purchase_energy {
			items: items.clone(),
			into_factory: fid("Buyer03"),
			nonce: 0,
		};
		// Declared: both items on buses of their own, each meeting its offer's locks the
		// heaviest way and selling it out.
		let declared = call.get_dispatch_info().call_weight;
		assert_eq!(
			declared,
			Weights::batch_purchase_energy(2, 0) + (heaviest_locks() + close()) * 2
		);
		let post =
			EnergyBus::batch_purchase_energy(RuntimeOrigin::signed(BOB), items, fid("Buyer03"), 0)
				.unwrap();
		// One item on a bus of its own, the second on the bus the first used; the second
		// ended Charlie's expired lock.
		assert_eq!(
			post.actual_weight,
			Some(Weights::batch_purchase_energy(1, 1) + met(0, 1, false))
		);
		assert!(post.actual_weight.unwrap().all_lt(declared));

		// Selling the first offer out adds closing it.
		let rest = crate::Offers::<Test>::get(first).unwrap().available_wh;
		let items = frame_support::BoundedVec::truncate_from(vec![
			BatchItem { offer_id: second, energy_wh: 1_000, max_price_per_kwh: EIGHT_CENTS },
			BatchItem { offer_id: first, energy_wh: rest, max_price_per_kwh: EIGHT_CENTS },
		]);
		let post =
			EnergyBus::batch_purchase_energy(RuntimeOrigin::signed(BOB), items, fid("Buyer03"), 1)
				.unwrap();
		assert_eq!(post.actual_weight, Some(Weights::batch_purchase_energy(1, 1) + close()));
		assert!(!crate::Offers::<Test>::contains_key(first));
	});
}

#[test]
fn a_failed_purchase_pays_the_declared_weight() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(EnergyBus::lock_offer(
			RuntimeOrigin::signed(CHARLIE),
			offer_id,
			1_000,
			factory_of(CHARLIE),
			0
		));
		// More than is left beside Charlie's lock: refused, and charged the declared worst
		// case (the default for a failed call).
		let failed = EnergyBus::purchase_energy(
			RuntimeOrigin::signed(BOB),
			offer_id,
			300_000,
			EIGHT_CENTS,
			fid("Buyer03"),
			0,
		)
		.unwrap_err();
		assert_eq!(failed.error, Error::<Test>::NotEnoughEnergy.into());
		assert_eq!(failed.post_info.actual_weight, None);
	});
}

#[test]
fn a_cancelled_offers_expired_locks_are_left_to_the_expiry_queue() {
	build_and_execute(|| {
		let offer_id = alice_offers(300_000);
		assert_ok!(EnergyBus::lock_offer(
			RuntimeOrigin::signed(CHARLIE),
			offer_id,
			1_000,
			factory_of(CHARLIE),
			0
		));
		System::set_block_number(40);
		assert_ok!(EnergyBus::lock_offer(
			RuntimeOrigin::signed(BOB),
			offer_id,
			2_000,
			factory_of(BOB),
			0
		));
		// Cancelled, the offer keeps only the locked energy. Charlie's lock expires after
		// block 51, Bob's after 90.
		assert_ok!(EnergyBus::cancel_offer(RuntimeOrigin::signed(ALICE), offer_id));
		System::set_block_number(60);
		// Bob buys through his live lock; Charlie's expired lock is not read or ended (the
		// offer sells nothing else), and Bob is charged for an offer with locks.
		let through_lock = buy(BOB, offer_id, 2_000, EIGHT_CENTS, "Buyer03", 1).unwrap();
		assert_eq!(through_lock.actual_weight, Some(Weights::purchase_energy() + met(0, 0, true)));
		let charlies = crate::LocksByOffer::<Test>::get(offer_id, CHARLIE).unwrap();
		assert!(crate::Locks::<Test>::get(charlies).is_some_and(|lock| lock.expires_at < 60));
		// Charlie's own expired lock cannot be bought through.
		assert_noop!(
			buy(CHARLIE, offer_id, 1_000, EIGHT_CENTS, "Buyer04", 1),
			Error::<Test>::OfferNotOpen
		);
		// The expiry queue ends it: its energy goes back to Alice's factory, and the offer,
		// empty, closes.
		let before = energy_of("Solar01");
		run_to_block(100);
		assert!(!crate::Locks::<Test>::contains_key(charlies));
		assert_eq!(energy_of("Solar01"), before + 1_000);
		assert!(!crate::Offers::<Test>::contains_key(offer_id));
	});
}
