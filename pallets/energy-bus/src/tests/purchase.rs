//! Purchases, nonces, receipts and batches.

use frame_support::{assert_noop, assert_ok, traits::Hooks};

use super::{alice_offers, energy_of};
use crate::{
	mock::*, BatchItem, Buses, Error, Event, MarketNonces, Offers, PurchaseFailure, Purchases,
	Receipts,
};

fn buy(
	who: AccountId,
	offer: u64,
	wh: u64,
	max: Balance,
	into: &str,
	nonce: u64,
) -> sp_runtime::DispatchResult {
	EnergyBus::purchase_energy(RuntimeOrigin::signed(who), offer, wh, max, fid(into), nonce)
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
		assert_ok!(EnergyBus::batch_purchase_energy(
			RuntimeOrigin::signed(BOB),
			items.clone().try_into().unwrap(),
			fid("Buyer03"),
			0
		));
		assert_eq!(energy_of("Buyer03"), 250_000);
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
	});
}

type ConstU32Ten = frame_support::traits::ConstU32<10>;

#[test]
fn a_batch_with_one_bad_item_leaves_no_trace() {
	build_and_execute(|| {
		let first = alice_offers(100_000);
		let items = vec![
			BatchItem { offer_id: first, energy_wh: 50_000, max_price_per_kwh: EIGHT_CENTS },
			BatchItem { offer_id: first, energy_wh: 60_000, max_price_per_kwh: EIGHT_CENTS },
		];
		assert_noop!(
			EnergyBus::batch_purchase_energy(
				RuntimeOrigin::signed(BOB),
				items.try_into().unwrap(),
				fid("Buyer03"),
				0
			),
			Error::<Test>::BatchItemFailed { index: 1, reason: PurchaseFailure::NotEnoughEnergy }
		);
		assert_noop!(
			EnergyBus::batch_purchase_energy(
				RuntimeOrigin::signed(BOB),
				Default::default(),
				fid("Buyer03"),
				0
			),
			Error::<Test>::EmptyBatch
		);
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
