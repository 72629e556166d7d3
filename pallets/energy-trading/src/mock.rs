//! A test runtime: System, Balances, Timestamp and this pallet.

use frame_support::{
	derive_impl,
	traits::{ConstU128, ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

use crate as pallet_energy_trading;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u128;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Timestamp: pallet_timestamp,
		EnergyTrading: pallet_energy_trading,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

impl pallet_energy_trading::Config for Test {
	type Currency = Balances;
	type UnixTime = Timestamp;
	type RegistrarOrigin = EnsureRoot<AccountId>;
	type MaxIdLength = ConstU32<16>;
	type MaxNameLength = ConstU32<32>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type TradeDeposit = TradeDeposit;
	type MaxPendingTrades = ConstU32<5>;
	type TradeRetention = ConstU64<10>;
	type WeightInfo = ();
}

frame_support::parameter_types! {
	/// What a pending trade holds from its creator.
	pub const TradeDeposit: Balance = ECT;
}

/// One ECT in the test currency (12 decimals, as on Energy Chain).
pub const ECT: Balance = 1_000_000_000_000;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
/// Bob's factory's meter, a separate account.
pub const BOB_METER: AccountId = 22;
/// An account with no factory and no funds.
pub const NOBODY: AccountId = 99;

/// The start of the original design's scenario: Factory01 (solar, 1000 kWh, Alice),
/// Factory02 (wind, 800 kWh, Bob, with its own meter), Factory04 (solar, 300 kWh, Charlie).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 1_000 * ECT), (BOB, 1_000 * ECT), (CHARLIE, 100 * ECT)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_energy_trading::GenesisConfig::<Test> {
		factories: vec![
			genesis_factory("Factory01", crate::EnergyType::Solar, ALICE, None, 1_000_000),
			genesis_factory("Factory02", crate::EnergyType::Wind, BOB, Some(BOB_METER), 800_000),
			genesis_factory("Factory04", crate::EnergyType::Solar, CHARLIE, None, 300_000),
		],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(1_700_000_000_000);
	});
	ext
}

fn genesis_factory(
	id: &str,
	energy_type: crate::EnergyType,
	owner: AccountId,
	meter: Option<AccountId>,
	energy_wh: u64,
) -> crate::GenesisFactory<AccountId> {
	crate::GenesisFactory {
		id: id.into(),
		name: format!("{id} plant"),
		energy_type,
		owner,
		meter,
		// 100 kW: a day's production is 2,400 kWh.
		rated_power_w: 100_000,
		energy_wh,
	}
}

/// Runs `test` on the scenario's genesis, then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		EnergyTrading::do_try_state().expect("invariants hold after the test");
		EnergyTrading::check_event_balances(System::events().into_iter().filter_map(|record| {
			match record.event {
				RuntimeEvent::EnergyTrading(event) => Some(event),
				_ => None,
			}
		}))
		.expect("the events tell every factory's balance");
	});
}

/// A factory id from text.
pub fn fid(id: &str) -> crate::FactoryIdOf<Test> {
	id.as_bytes().to_vec().try_into().unwrap()
}
