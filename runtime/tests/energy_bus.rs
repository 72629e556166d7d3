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
		// Then a lock on the rest, which the expiry queue ends after 50 blocks.
		assert_ok!(EnergyBus::lock_offer(RuntimeOrigin::signed(alice.clone()), 0, 100_000, 1));
		assert_eq!(EnergyBus::offer_locks(0).0, 100_000);
		invariants();
	});
}
