//! Genesis presets: the example chains a new user starts from.
//!
//! - `development` (`--dev`): Alice is the only validator and the sudo key; the well-known dev
//!   accounts (Alice, Bob, Charlie, Dave, Eve, Ferdie and their `//stash` accounts) each hold
//!   [`ENDOWMENT`].
//! - `local_testnet` (`--chain local`): Alice and Bob validate; same accounts and sudo.
//!
//! Both register the 20 example factories of the original design ([`example_factories`]),
//! owned by the six dev accounts, and three energy buses with open offers ([`example_buses`],
//! [`example_offers`]), so a new chain starts with a working ledger and a live market.

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	AccountId, BalancesConfig, EnergyBusConfig, EnergyTradingConfig, RuntimeGenesisConfig,
	SudoConfig, UNIT,
};
use pallet_energy_bus::{
	AuctionSettings, GenesisAuction, GenesisBus, GenesisGridFee, GenesisOffer, GenesisOrder, Side,
};
use pallet_energy_trading::{EnergyType, GenesisFactory, WH_PER_KWH};

/// What every dev account holds at genesis: one million ECT.
pub const ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// A validator's Aura and GRANDPA keys, from its dev keyring entry.
fn authority_keys(sr25519: Sr25519Keyring, ed25519: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(sr25519.public().into(), ed25519.public().into())
}

/// The 20 example factories of the original design, owned by the dev accounts:
/// `(id, name, energy type, owner, energy in kWh, rated power in kW)`. The ratings are those of
/// real plants of the kind and size: a day at Factory01's 250 kW is 6,000 kWh, so its meter can
/// report the original scenario's 500 kWh right after genesis.
const EXAMPLE_FACTORIES: [(&str, &str, EnergyType, Sr25519Keyring, u64, u32); 20] = [
	("Factory01", "Sunfield Solar Works", EnergyType::Solar, Sr25519Keyring::Alice, 1_000, 250),
	("Factory02", "North Ridge Wind Park", EnergyType::Wind, Sr25519Keyring::Bob, 800, 2_000),
	("Factory03", "Footstep Plaza", EnergyType::Kinetic, Sr25519Keyring::Charlie, 500, 5),
	("Factory04", "Rooftop Solar Co-op", EnergyType::Solar, Sr25519Keyring::Dave, 300, 50),
	("Factory05", "River Bend Hydro", EnergyType::Hydro, Sr25519Keyring::Eve, 1_200, 1_500),
	("Factory06", "Green Valley Biogas", EnergyType::Biomass, Sr25519Keyring::Ferdie, 450, 500),
	(
		"Factory07",
		"Deep Heat Geothermal",
		EnergyType::Geothermal,
		Sr25519Keyring::Alice,
		900,
		3_000,
	),
	("Factory08", "Coastal Wind Farm", EnergyType::Wind, Sr25519Keyring::Bob, 650, 1_500),
	("Factory09", "Desert Sun Array", EnergyType::Solar, Sr25519Keyring::Charlie, 720, 400),
	("Factory10", "Grid Battery Hub", EnergyType::Storage, Sr25519Keyring::Dave, 250, 250),
	("Factory11", "Mountain Lake Hydro", EnergyType::Hydro, Sr25519Keyring::Eve, 1_500, 2_500),
	("Factory12", "Parking Lot Canopies", EnergyType::Solar, Sr25519Keyring::Ferdie, 380, 100),
	("Factory13", "Offshore Wind One", EnergyType::Wind, Sr25519Keyring::Alice, 1_100, 8_000),
	("Factory14", "Station Footstep Tiles", EnergyType::Kinetic, Sr25519Keyring::Bob, 120, 2),
	("Factory15", "Timber Mill Biomass", EnergyType::Biomass, Sr25519Keyring::Charlie, 560, 600),
	("Factory16", "Warehouse Solar Roof", EnergyType::Solar, Sr25519Keyring::Dave, 840, 150),
	(
		"Factory17",
		"Hot Springs Geothermal",
		EnergyType::Geothermal,
		Sr25519Keyring::Eve,
		1_300,
		2_000,
	),
	("Factory18", "Community Battery", EnergyType::Storage, Sr25519Keyring::Ferdie, 400, 100),
	("Factory19", "Hilltop Wind Turbines", EnergyType::Wind, Sr25519Keyring::Alice, 970, 1_200),
	("Factory20", "Waste Heat Recovery", EnergyType::Other, Sr25519Keyring::Bob, 200, 300),
];

/// The example factories as genesis entries. Each is metered by its owner: genesis is the
/// registrar's act, and the original scenario has the owner report its generation.
pub fn example_factories() -> Vec<GenesisFactory<AccountId>> {
	EXAMPLE_FACTORIES
		.iter()
		.map(|(id, name, energy_type, owner, kwh, rated_kw)| GenesisFactory {
			id: (*id).into(),
			name: (*name).into(),
			energy_type: *energy_type,
			owner: owner.to_account_id(),
			meter: None,
			rated_power_w: rated_kw * 1_000,
			energy_wh: kwh * WH_PER_KWH,
		})
		.collect()
}

/// A price of `cents` hundredths of an ECT per kWh.
const fn cents(cents: u128) -> crate::Balance {
	cents * UNIT / 100
}

/// Three example buses: `(name, creator, owners, capacity in kWh, base price in cents/kWh)`.
/// Their ids are 0, 1 and 2, in this order.
pub fn example_buses() -> Vec<GenesisBus<AccountId, crate::Balance>> {
	use Sr25519Keyring::*;
	[
		("Solar Farm A", Alice, vec![Alice, Bob, Charlie], 5_000, 5),
		("Wind Farm B", Bob, vec![Bob, Dave], 3_000, 6),
		("Industrial Ring", Eve, vec![Eve, Ferdie, Alice], 10_000, 4),
	]
	.into_iter()
	.map(|(name, creator, owners, kwh, base)| GenesisBus {
		name: name.into(),
		creator: creator.to_account_id(),
		owners: owners.iter().map(|owner| owner.to_account_id()).collect(),
		capacity_wh: kwh * WH_PER_KWH,
		base_price_per_kwh: cents(base),
	})
	.collect()
}

/// Open offers on the example buses, from example factories that the ledger's examples do not
/// use: `(bus, seller, factory, energy in kWh, price in tenths of a cent per kWh)`.
pub fn example_offers() -> Vec<GenesisOffer<AccountId, crate::Balance>> {
	use Sr25519Keyring::*;
	[
		(0, Charlie, "Factory09", 200, 80),
		(0, Dave, "Factory16", 300, 70),
		(0, Ferdie, "Factory12", 100, 75),
		(1, Bob, "Factory08", 250, 90),
		(1, Alice, "Factory13", 400, 85),
		(2, Eve, "Factory05", 500, 60),
		(2, Alice, "Factory07", 250, 50),
	]
	.into_iter()
	.map(|(bus_id, seller, factory, kwh, tenth_cents)| GenesisOffer {
		bus_id,
		seller: seller.to_account_id(),
		factory: factory.into(),
		energy_wh: kwh * WH_PER_KWH,
		price_per_kwh: tenth_cents * UNIT / 1_000,
	})
	.collect()
}

/// Bus 1, "Wind Farm B", runs auctions from genesis: rounds of 20 blocks (2 minutes), prices
/// from its base price of 6 cents per kWh up in 40 steps of half a cent (up to 25.5 cents).
pub fn example_auctions() -> Vec<GenesisAuction<crate::Balance>> {
	vec![GenesisAuction {
		bus_id: 1,
		settings: AuctionSettings { round_length: 20, tick_size: cents(1) / 2, ticks: 40 },
	}]
}

/// The orders of bus 1's first round, from example factories nothing else uses:
/// `(owner, side, factory, energy in kWh, limit in tenths of a cent per kWh)`. The round clears
/// in block 20 at 8 cents: 200 kWh from Eve's 300 kWh at 7 cents go to Dave's Factory10 (Dave
/// pays 16 ECT); Eve's 10-cent ask and Bob's 6.5-cent bid do not trade.
pub fn example_orders() -> Vec<GenesisOrder<AccountId, crate::Balance>> {
	use Sr25519Keyring::*;
	[
		(Eve, Side::Ask, "Factory11", 300, 70),
		(Eve, Side::Ask, "Factory11", 200, 100),
		(Dave, Side::Bid, "Factory10", 200, 90),
		(Bob, Side::Bid, "Factory14", 80, 65),
	]
	.into_iter()
	.map(|(owner, side, factory, kwh, tenth_cents)| GenesisOrder {
		bus_id: 1,
		owner: owner.to_account_id(),
		side,
		factory: factory.into(),
		energy_wh: kwh * WH_PER_KWH,
		limit_price_per_kwh: tenth_cents * UNIT / 1_000,
	})
	.collect()
}

/// Bus 1's owners, Bob and Dave, charge a grid fee of half a cent per kWh, shared equally. It
/// is set after the genesis offers and round 0 (which carry none): the bus's later offers and
/// rounds, from round 1 (block 20), carry it.
pub fn example_grid_fees() -> Vec<GenesisGridFee<crate::Balance>> {
	vec![GenesisGridFee { bus_id: 1, per_kwh: cents(1) / 2 }]
}

/// The genesis of a chain with these validators, endowed accounts and sudo key.
fn energy_genesis(
	initial_authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| (x.1.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		energy_trading: EnergyTradingConfig { factories: example_factories() },
		energy_bus: EnergyBusConfig {
			params: None,
			// The defaults: a lock fee of 1% of the held payment, at least 0.01 ECT; one lock
			// reserves at most 10% of an offer.
			lock_terms: None,
			buses: example_buses(),
			offers: example_offers(),
			auctions: example_auctions(),
			orders: example_orders(),
			grid_fees: example_grid_fees(),
		},
	})
}

/// The `development` preset: Alice validates alone.
pub fn development_config_genesis() -> Value {
	energy_genesis(
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The `local_testnet` preset: Alice and Bob validate.
pub fn local_config_genesis() -> Value {
	energy_genesis(
		vec![
			authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The JSON patch of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_str() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of all presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
