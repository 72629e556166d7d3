//! Runtime tests, natively and without a node: the genesis presets, the pallets' integrity
//! tests, and a block with a balance transfer executed through `Executive`.

mod common;

use common::{header_at, preset_storage, signed};
use energy_runtime::{
	genesis_config_presets::{self, ENDOWMENT},
	AccountId, Aura, Balances, Executive, Grandpa, Runtime, RuntimeCall, System,
	UncheckedExtrinsic, EXISTENTIAL_DEPOSIT, SLOT_DURATION, UNIT, VERSION,
};
use frame_support::traits::{fungible::Inspect, IntegrityTest};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::traits::Block as BlockT;

fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// What a dev account's genesis bid moved to the market account (its payment at its limit):
/// Dave's 200 kWh at 0.09 ECT/kWh and Bob's 80 kWh at 0.065 ECT/kWh on bus 1.
fn bid_at_genesis(account: &AccountId) -> energy_runtime::Balance {
	if *account == Sr25519Keyring::Dave.to_account_id() {
		18 * UNIT
	} else if *account == Sr25519Keyring::Bob.to_account_id() {
		52 * UNIT / 10
	} else {
		0
	}
}

#[test]
fn the_energy_runtime_apis_are_at_their_versions() {
	use energy_runtime::{Balance, Block, BlockNumber, BusName, BusOwners, FactoryId, FactoryName};
	use pallet_energy_bus_runtime_api::EnergyBusApi;
	use pallet_energy_trading_runtime_api::EnergyTradingApi;
	use sp_api::RuntimeApiInfo;

	// Version 2 added `buses`, `account_offers` and `owner_factories`; version 3 of the ledger's
	// removed `factory_history` (the node's history index answers it); version 3 of the
	// market's has locks name their factory, version 4 gives offers their end, version 5 the
	// auctions.
	let bus_api = <dyn EnergyBusApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
		FactoryId,
		BusName,
		BusOwners,
	>>::ID;
	let ledger_api =
		<dyn EnergyTradingApi<Block, AccountId, Balance, BlockNumber, FactoryId, FactoryName>>::ID;
	assert_eq!(VERSION.api_version(&bus_api), Some(6));
	assert_eq!(VERSION.api_version(&ledger_api), Some(4));
}

#[test]
fn preset_names_are_development_and_local_testnet() {
	let names = genesis_config_presets::preset_names();
	assert_eq!(names, vec!["development".to_string(), "local_testnet".to_string()]);
	assert!(genesis_config_presets::get_preset(&"no_such_preset".into()).is_none());
}

#[test]
fn development_preset_has_alice_as_validator_and_sudo_and_endows_dev_accounts() {
	preset_storage("development").execute_with(|| {
		let alice_aura: sp_consensus_aura::sr25519::AuthorityId =
			Sr25519Keyring::Alice.public().into();
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().into_inner(), vec![alice_aura]);
		let alice_grandpa: sp_consensus_grandpa::AuthorityId =
			Ed25519Keyring::Alice.public().into();
		assert_eq!(Grandpa::grandpa_authorities(), vec![(alice_grandpa, 1)]);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));

		let accounts = dev_accounts();
		assert_eq!(accounts.len(), 12, "six dev accounts and their stashes");
		// Bus creators hold part of it as the bus deposit, order owners their order deposits.
		// The genesis bids moved their payments at their limits to the market account.
		for account in &accounts {
			assert_eq!(Balances::total_balance(account), ENDOWMENT - bid_at_genesis(account));
		}
		let market = energy_runtime::EnergyBus::market_account();
		assert_eq!(
			Balances::total_balance(&market),
			EXISTENTIAL_DEPOSIT + 18 * UNIT + 52 * UNIT / 10
		);
		// The market account's existential deposit is minted at genesis.
		assert_eq!(
			pallet_balances::TotalIssuance::<Runtime>::get(),
			ENDOWMENT * accounts.len() as u128 + EXISTENTIAL_DEPOSIT
		);
		assert_eq!(ENDOWMENT, 1_000_000 * UNIT);
		// Bus 1's first round holds the four genesis orders.
		let round = energy_runtime::EnergyBus::current_round(1).expect("bus 1 runs auctions");
		assert_eq!((round.id, round.orders, round.gate_closes_at), (0, 4, 19));
	});
}

#[test]
fn local_testnet_preset_has_alice_and_bob_as_validators() {
	preset_storage("local_testnet").execute_with(|| {
		let aura: Vec<sp_consensus_aura::sr25519::AuthorityId> =
			vec![Sr25519Keyring::Alice.public().into(), Sr25519Keyring::Bob.public().into()];
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().into_inner(), aura);
		let grandpa: Vec<(sp_consensus_grandpa::AuthorityId, u64)> = vec![
			(Ed25519Keyring::Alice.public().into(), 1),
			(Ed25519Keyring::Bob.public().into(), 1),
		];
		assert_eq!(Grandpa::grandpa_authorities(), grandpa);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		for account in dev_accounts() {
			assert_eq!(Balances::total_balance(&account), ENDOWMENT - bid_at_genesis(&account));
		}
	});
}

#[test]
fn integrity_tests_pass() {
	preset_storage("development").execute_with(|| {
		<energy_runtime::AllPalletsWithSystem as IntegrityTest>::integrity_test();
	});
}

#[test]
fn token_and_block_time_are_as_documented() {
	assert_eq!(energy_runtime::TOKEN_SYMBOL, "ECT");
	assert_eq!(energy_runtime::TOKEN_DECIMALS, 12);
	assert_eq!(UNIT, 10u128.pow(12));
	assert_eq!(SLOT_DURATION, 6_000);
	assert_eq!(Aura::slot_duration(), 6_000);
	assert_eq!(EXISTENTIAL_DEPOSIT, UNIT / 1_000, "0.001 ECT");
	assert_eq!(VERSION.spec_name, "energy-chain");
	// Metadata at versions 14, 15 and 16 for polkadot.js apps, subxt and newer tools.
	assert_eq!(Runtime::metadata_versions(), vec![14, 15, 16]);
	for version in [14, 15, 16] {
		assert!(Runtime::metadata_at_version(version).is_some(), "metadata v{version}");
	}
}

#[test]
fn a_block_with_a_balance_transfer_executes_through_executive() {
	let alice = Sr25519Keyring::Alice;
	let bob = Sr25519Keyring::Bob;
	let amount = 42 * UNIT;
	let slot = 1u64;

	// Author the block: initialise, apply the timestamp inherent and the transfer, finalise.
	let mut authoring = preset_storage("development");
	let block = authoring.execute_with(|| {
		let parent_hash = System::block_hash(0);
		Executive::initialize_block(&header_at(1, slot, parent_hash));
		let extrinsics = vec![
			UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set {
				now: slot * SLOT_DURATION,
			})),
			signed(
				alice,
				0,
				RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
					dest: bob.to_account_id().into(),
					value: amount,
				}),
			),
		];
		for xt in &extrinsics {
			Executive::apply_extrinsic(xt.clone()).unwrap().unwrap();
		}
		let header = Executive::finalize_block();
		energy_runtime::Block::new(header, extrinsics)
	});

	// Import it on a fresh copy of genesis: `execute_block` checks the state and extrinsics
	// roots in the header, so the block must reproduce exactly what authoring computed.
	let mut importing = preset_storage("development");
	importing.execute_with(|| {
		Executive::execute_block(<energy_runtime::Block as BlockT>::LazyBlock::from(block.clone()));
		assert_eq!(System::block_number(), 1);
		assert_eq!(pallet_timestamp::Now::<Runtime>::get(), slot * SLOT_DURATION);
		let bob_before = ENDOWMENT - bid_at_genesis(&bob.to_account_id());
		assert_eq!(Balances::total_balance(&bob.to_account_id()), bob_before + amount);
		let alice_after = Balances::total_balance(&alice.to_account_id());
		assert!(alice_after < ENDOWMENT - amount, "Alice paid the amount and a fee");
		assert_eq!(System::account_nonce(alice.to_account_id()), 1);
		System::assert_has_event(
			pallet_balances::Event::Transfer {
				from: alice.to_account_id(),
				to: bob.to_account_id(),
				amount,
			}
			.into(),
		);
	});
	assert_eq!(block.header.number, 1);
}
