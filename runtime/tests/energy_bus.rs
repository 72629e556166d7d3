//! The energy-bus market in the real runtime, with the real factory ledger: the example buses
//! and offers of the presets, and a purchase and a lock paid in ECT.

mod common;

use common::{account, dev_genesis, fid};
use energy_runtime::{Balances, EnergyBus, EnergyTrading, Runtime, RuntimeOrigin, UNIT};
use frame_support::assert_ok;
use pallet_energy_bus::{Buses, Offers};
use pallet_energy_trading::Factories;
use sp_keyring::Sr25519Keyring;

fn invariants() {
	EnergyBus::do_try_state().unwrap();
	EnergyTrading::do_try_state().unwrap();
}

#[test]
fn the_presets_open_three_buses_with_offers() {
	dev_genesis().execute_with(|| {
		let names: Vec<Vec<u8>> =
			(0..3).map(|id| Buses::<Runtime>::get(id).unwrap().name.to_vec()).collect();
		assert_eq!(
			names,
			vec![b"Solar Farm A".to_vec(), b"Wind Farm B".to_vec(), b"Industrial Ring".to_vec()]
		);
		assert_eq!(Buses::<Runtime>::get(0).unwrap().owners.len(), 3);
		assert_eq!(Offers::<Runtime>::iter().count(), 7);
		assert_eq!(EnergyBus::bus_active_offers(0, None, 100).len(), 3);
		// Factory09 offered 200 of its 720 kWh on Solar Farm A.
		assert_eq!(Factories::<Runtime>::get(fid("Factory09")).unwrap().energy_wh, 520_000);
		assert_eq!(Buses::<Runtime>::get(0).unwrap().committed_wh, 600_000);
		invariants();
	});
}

/// The genesis offers get the longest end the market allows (the offer lifetime, 7 days from
/// block 0); when it passes, `on_initialize` returns their energy, `MaxExpiriesPerBlock` (64) a
/// block, so all seven end in the block after.
#[test]
fn the_genesis_offers_end_after_the_offer_lifetime() {
	use frame_support::traits::Hooks;
	dev_genesis().execute_with(|| {
		let lifetime = 7 * energy_runtime::DAYS;
		assert_eq!(EnergyBus::offer_lifetime(), lifetime);
		assert!(Offers::<Runtime>::iter_values().all(|offer| offer.expires_at == lifetime));
		let factory09 = Factories::<Runtime>::get(fid("Factory09")).unwrap().energy_wh;
		// Where running every block would have left the queue's cursor (64 blocks a block).
		pallet_energy_bus::OfferExpiryCursor::<Runtime>::put(lifetime);
		frame_system::Pallet::<Runtime>::set_block_number(lifetime + 1);
		EnergyBus::on_initialize(lifetime + 1);
		assert_eq!(Offers::<Runtime>::iter().count(), 0);
		assert_eq!(Buses::<Runtime>::get(0).unwrap().committed_wh, 0);
		// Its 200 kWh are back.
		assert_eq!(
			Factories::<Runtime>::get(fid("Factory09")).unwrap().energy_wh,
			factory09 + 200_000
		);
		invariants();
	});
}

#[test]
fn the_listings_show_the_example_market() {
	dev_genesis().execute_with(|| {
		let page = EnergyBus::buses(None, 100);
		assert_eq!(page.buses.iter().map(|bus| bus.id).collect::<Vec<_>>(), vec![0, 1, 2]);
		assert_eq!(page.next_start_after, None);
		let first = EnergyBus::buses(None, 2);
		assert_eq!(first.next_start_after, Some(1));
		assert_eq!(
			EnergyBus::buses(first.next_start_after, 2).buses[0].name.to_vec(),
			b"Industrial Ring"
		);
		// Alice's Factory13 on Wind Farm B and Factory07 on Industrial Ring.
		let alices = EnergyBus::account_offers(account(Sr25519Keyring::Alice), None, 100);
		assert_eq!(alices.iter().map(|offer| offer.id).collect::<Vec<_>>(), vec![4, 6]);
		assert_eq!((alices[0].bus_id, alices[1].bus_id), (1, 2));
	});
}

#[test]
fn a_purchase_and_a_lock_run_in_the_runtime() {
	dev_genesis().execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		let charlie = account(Sr25519Keyring::Charlie);
		// Offer 0: Charlie's Factory09, 200 kWh at 0.08 ECT/kWh. Alice buys 50 kWh into Factory01.
		let charlie_before = Balances::free_balance(&charlie);
		assert_ok!(EnergyBus::purchase_energy(
			RuntimeOrigin::signed(alice.clone()),
			0,
			50_000,
			8 * UNIT / 100,
			fid("Factory01"),
			0
		));
		assert_eq!(Balances::free_balance(&charlie), charlie_before + 4 * UNIT);
		assert_eq!(Factories::<Runtime>::get(fid("Factory01")).unwrap().energy_wh, 1_050_000);
		assert_eq!(EnergyBus::market_nonce(alice.clone()), 1);
		// Then a lock of 20 kWh (the most one lock may take: 10% of the 200 kWh offered) for
		// Factory01, which the expiry queue ends after 50 blocks. It holds 1.6 ECT and pays
		// Charlie a fee of 1% of that, 0.016 ECT, at once.
		let charlie_before = Balances::free_balance(&charlie);
		let quote = EnergyBus::lock_quote(0, 20_000).unwrap();
		assert_eq!((quote.held, quote.fee), (16 * UNIT / 10, 16 * UNIT / 1_000));
		assert_ok!(EnergyBus::lock_offer(
			RuntimeOrigin::signed(alice.clone()),
			0,
			20_000,
			fid("Factory01"),
			1
		));
		assert_eq!(EnergyBus::offer_locks(0).0, 20_000);
		assert_eq!(Balances::free_balance(&charlie), charlie_before + 16 * UNIT / 1_000);
		invariants();
	});
}

/// Hardening, finding 3, with the runtime's values: 16 accounts locking 1 Wh each fill an
/// offer's `MaxLocksPerOffer` (16). Each pays the minimum lock fee, 0.01 ECT (ten existential
/// deposits), to the seller: keeping the slots full costs 0.16 ECT per lock duration (50
/// blocks, 5 minutes), 46 ECT a day, plus 16 factories the registrar must have registered; and
/// only 16 Wh are kept from buyers, who still buy the rest.
#[test]
fn filling_an_offers_lock_slots_costs_the_attacker_a_fee_per_lock() {
	use pallet_energy_trading::EnergyType;
	dev_genesis().execute_with(|| {
		let charlie = account(Sr25519Keyring::Charlie);
		let charlie_before = Balances::free_balance(&charlie);
		let lock_by = |index: u32| {
			let who: energy_runtime::AccountId =
				sp_core::crypto::AccountId32::new(sp_io::hashing::blake2_256(&index.to_le_bytes()));
			let id = format!("Attacker{index:02}");
			assert_ok!(EnergyTrading::register_factory(
				RuntimeOrigin::root(),
				id.clone().into_bytes(),
				id.clone().into_bytes(),
				EnergyType::Other,
				who.clone(),
				None,
				1_000,
				0
			));
			assert_ok!(Balances::force_set_balance(
				RuntimeOrigin::root(),
				who.clone().into(),
				UNIT
			));
			EnergyBus::lock_offer(RuntimeOrigin::signed(who), 0, 1, fid(&id), 0)
		};
		for index in 0..16 {
			assert_ok!(lock_by(index));
		}
		// 16 fees of 0.01 ECT; the held payments (0.00008 ECT each) stay the attackers'.
		assert_eq!(Balances::free_balance(&charlie), charlie_before + 16 * UNIT / 100);
		assert_eq!(
			lock_by(16).map_err(|e| e.error),
			Err(pallet_energy_bus::Error::<Runtime>::TooManyLocksOnOffer.into())
		);
		// The rest of the offer sells.
		assert_ok!(EnergyBus::purchase_energy(
			RuntimeOrigin::signed(account(Sr25519Keyring::Alice)),
			0,
			200_000 - 16,
			8 * UNIT / 100,
			fid("Factory01"),
			0
		));
		invariants();
	});
}

/// Hardening, finding 11, with the runtime's existential deposit (0.001 ECT). Sellers are paid
/// by transfer, and an account that does not exist is created only by at least the existential
/// deposit: a seller who emptied its account after offering cannot be paid less. The purchase
/// fails with `SellerCannotReceive`, a batch holding such an item with `BatchItemFailed {
/// reason: Payment }` at that item, and nothing changes; a purchase of 0.001 ECT or more pays
/// (and recreates) the account.
#[test]
fn a_reaped_seller_is_paid_at_least_the_existential_deposit() {
	use energy_runtime::EXISTENTIAL_DEPOSIT;
	use frame_support::{assert_noop, BoundedVec};
	use pallet_energy_bus::{BatchItem, Error, PurchaseFailure};
	dev_genesis().execute_with(|| {
		let (alice, charlie) = (account(Sr25519Keyring::Alice), account(Sr25519Keyring::Charlie));
		// Charlie, the seller of offer 0 (0.08 ECT/kWh), sends everything away: reaped.
		assert_ok!(Balances::transfer_all(
			RuntimeOrigin::signed(charlie.clone()),
			alice.clone().into(),
			false
		));
		assert!(!frame_system::Account::<Runtime>::contains_key(&charlie));
		let buy = |energy_wh| {
			EnergyBus::purchase_energy(
				RuntimeOrigin::signed(alice.clone()),
				0,
				energy_wh,
				8 * UNIT / 100,
				fid("Factory01"),
				0,
			)
			.map_err(|e| e.error)
		};
		// 12 Wh cost 0.00096 ECT, below the existential deposit.
		assert_noop!(buy(12), Error::<Runtime>::SellerCannotReceive);
		let items = BoundedVec::truncate_from(vec![
			BatchItem { offer_id: 1, energy_wh: 1_000, max_price_per_kwh: 7 * UNIT / 100 },
			BatchItem { offer_id: 0, energy_wh: 12, max_price_per_kwh: 8 * UNIT / 100 },
		]);
		assert_noop!(
			EnergyBus::batch_purchase_energy(
				RuntimeOrigin::signed(alice.clone()),
				items,
				fid("Factory01"),
				0
			)
			.map_err(|e| e.error),
			Error::<Runtime>::BatchItemFailed { index: 1, reason: PurchaseFailure::Payment }
		);
		// 13 Wh cost 0.00104 ECT: Charlie's account is created with it.
		assert_ok!(buy(13));
		assert_eq!(Balances::free_balance(&charlie), 104 * EXISTENTIAL_DEPOSIT / 100);
		invariants();
	});
}

/// Finding 11: a buyer may spend down to the existential deposit and no further. Dave's
/// purchase of 50 kWh (4 ECT), signed and applied in a block with the runtime's fees: with
/// exactly the existential deposit + 4 ECT + the transaction fee it goes through and leaves Dave
/// his existential deposit (plus the part of the fee refunded for weight not used); with one
/// planck less it fails with `InsufficientFunds` (and the fee is paid).
#[test]
fn a_buyer_spends_down_to_the_existential_deposit_and_no_further() {
	use common::{header_at, preset_storage, signed};
	use energy_runtime::{Executive, RuntimeCall, TransactionPayment, EXISTENTIAL_DEPOSIT};
	use frame_support::dispatch::GetDispatchInfo;
	for short in [0, 1] {
		preset_storage("development").execute_with(|| {
			Executive::initialize_block(&header_at(
				1,
				1,
				frame_system::Pallet::<Runtime>::block_hash(0),
			));
			let dave = account(Sr25519Keyring::Dave);
			let call = RuntimeCall::EnergyBus(pallet_energy_bus::Call::purchase_energy {
				offer_id: 0,
				energy_wh: 50_000,
				max_price_per_kwh: 8 * UNIT / 100,
				into_factory: fid("Factory04"),
				nonce: 0,
			});
			let xt = signed(Sr25519Keyring::Dave, 0, call);
			// The fee the transaction pays before it runs: its length, and its weight with the
			// transaction extensions'.
			let fee = TransactionPayment::compute_fee(
				codec::Encode::encoded_size(&xt) as u32,
				&xt.get_dispatch_info(),
				0,
			);
			let exact = EXISTENTIAL_DEPOSIT + 4 * UNIT + fee;
			assert_ok!(Balances::force_set_balance(
				RuntimeOrigin::root(),
				dave.clone().into(),
				exact - short
			));
			let result = Executive::apply_extrinsic(xt).expect("a valid transaction");
			if short == 0 {
				assert_ok!(result);
				let left = Balances::free_balance(&dave);
				assert!(left >= EXISTENTIAL_DEPOSIT && left < EXISTENTIAL_DEPOSIT + fee, "{left}");
				assert_eq!(EnergyBus::market_nonce(dave), 1);
			} else {
				assert_eq!(
					result,
					Err(pallet_energy_bus::Error::<Runtime>::InsufficientFunds.into())
				);
				assert_eq!(EnergyBus::market_nonce(dave), 0);
			}
		});
	}
}

/// Bus 1 runs auctions from genesis: its first round holds Eve's two asks and Dave's and Bob's
/// bids, closes its gate after block 19 and clears in block 20 at 0.08 ECT/kWh (the middle of
/// the ticks where 200 kWh trade); `on_idle` then settles every order.
#[test]
fn the_genesis_auction_round_clears_in_block_20_and_settles() {
	use energy_runtime::genesis_config_presets::ENDOWMENT;
	use frame_support::{
		traits::{fungible::Inspect, Hooks},
		weights::Weight,
	};
	use pallet_energy_bus::{Event, RoundStatus, Side};
	dev_genesis().execute_with(|| {
		let (dave, eve, bob) = (
			account(Sr25519Keyring::Dave),
			account(Sr25519Keyring::Eve),
			account(Sr25519Keyring::Bob),
		);
		let factory10 = Factories::<Runtime>::get(fid("Factory10")).unwrap().energy_wh;
		let round = EnergyBus::current_round(1).expect("bus 1 runs auctions");
		assert_eq!((round.id, round.orders, round.gate_closes_at), (0, 4, 19));
		let book = EnergyBus::round_book(0).expect("the round is open");
		// Ticks of half a cent from 6 cents: Eve asks 300 kWh at 7 cents (tick 2) and 200 kWh
		// at 10 cents (tick 8); Dave bids 200 kWh at 9 cents (tick 6), Bob 80 kWh at 6.5 (1).
		assert_eq!(
			(book.asks[2], book.asks[8], book.bids[6], book.bids[1]),
			(300_000, 200_000, 200_000, 80_000)
		);
		for block in 2..=20 {
			frame_system::Pallet::<Runtime>::set_block_number(block);
			EnergyBus::on_initialize(block);
			if block == 20 {
				break;
			}
			EnergyBus::on_idle(block, Weight::MAX);
		}
		let cleared = frame_system::Pallet::<Runtime>::events().into_iter().find_map(|record| {
			match record.event {
				energy_runtime::RuntimeEvent::EnergyBus(Event::RoundCleared {
					round_id: 0,
					price_per_kwh,
					volume_wh,
					..
				}) => Some((price_per_kwh, volume_wh)),
				_ => None,
			}
		});
		assert_eq!(cleared, Some((Some(8 * UNIT / 100), 200_000)));
		assert!(matches!(
			EnergyBus::round(0).unwrap().status,
			RoundStatus::Cleared(ref clearing) if clearing.price_tick == 4
		));
		// The next round is open, with bus 1's grid fee of half a cent per kWh (round 0, opened
		// before the genesis set it, had none).
		assert_eq!(
			EnergyBus::current_round(1).map(|r| (r.id, r.gate_closes_at, r.grid_fee_per_kwh)),
			Some((1, 39, UNIT / 200))
		);
		assert_eq!(EnergyBus::round(0).unwrap().grid_fee_per_kwh, 0);
		invariants();

		EnergyBus::on_idle(20, Weight::MAX);
		assert!(EnergyBus::account_orders(dave.clone()).is_empty());
		let results = EnergyBus::round_results(1);
		assert_eq!((results[0].id, results[0].filled_orders), (0, 2));
		// Dave paid 16 ECT for 200 kWh; Eve got them; Bob got his 5.2 ECT back.
		assert_eq!(
			Factories::<Runtime>::get(fid("Factory10")).unwrap().energy_wh,
			factory10 + 200_000
		);
		assert_eq!(Balances::total_balance(&dave), ENDOWMENT - 16 * UNIT);
		assert_eq!(Balances::total_balance(&eve), ENDOWMENT + 16 * UNIT);
		assert_eq!(Balances::total_balance(&bob), ENDOWMENT);
		let fills: Vec<(Side, u64)> = frame_system::Pallet::<Runtime>::events()
			.into_iter()
			.filter_map(|record| match record.event {
				energy_runtime::RuntimeEvent::EnergyBus(Event::OrderSettled {
					side,
					filled_wh,
					..
				}) => Some((side, filled_wh)),
				_ => None,
			})
			.collect();
		assert_eq!(fills.len(), 4);
		let total =
			|side: Side| fills.iter().filter(|(s, _)| *s == side).map(|(_, wh)| wh).sum::<u64>();
		assert_eq!((total(Side::Bid), total(Side::Ask)), (200_000, 200_000));
		invariants();
	});
}
