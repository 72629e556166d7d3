//! A test runtime: System, Balances, Timestamp, the real factory ledger and this pallet.

use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

use crate as pallet_energy_bus;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u128;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Timestamp: pallet_timestamp,
		EnergyTrading: pallet_energy_trading,
		EnergyBus: pallet_energy_bus,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
	/// The database weights `()`'s weight formulas use, so that the pallet's own weight
	/// arithmetic matches them.
	type DbWeight = frame_support::weights::constants::ParityDbWeight;
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
	type MaxPendingTrades = ConstU32<4>;
	type TradeRetention = ConstU64<10>;
	type WeightInfo = ();
}

frame_support::parameter_types! {
	/// What a pending trade holds from its creator.
	pub const TradeDeposit: Balance = ECT;
}

parameter_types! {
	pub const BusDeposit: Balance = 10 * ECT;
	pub const MarketPalletId: frame_support::PalletId = frame_support::PalletId(*b"py/enbus");
	pub const OrderDeposit: Balance = ECT / 10;
}

impl pallet_energy_bus::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type FactoryId = pallet_energy_trading::FactoryIdOf<Test>;
	type Ledger = EnergyTrading;
	type AdminOrigin = EnsureRoot<AccountId>;
	type BusDeposit = BusDeposit;
	type MaxBusNameLength = ConstU32<32>;
	type MaxOwners = ConstU32<4>;
	type MaxProposals = ConstU32<3>;
	type MaxProposalsPerOwner = ConstU32<2>;
	type MaxBatchSize = ConstU32<10>;
	type MaxLocksPerOffer = ConstU32<3>;
	type MaxLocksPerAccount = ConstU32<3>;
	type MaxExpiriesPerBlock = ConstU32<2>;
	// An hour, 30 days and 7 days at 6 s blocks, as in the Energy Chain runtime.
	type MaxLockDuration = ConstU64<600>;
	type MaxReceiptRetention = ConstU64<432_000>;
	type MaxProposalLifetime = ConstU64<100_800>;
	type DefaultOfferLifetime = ConstU64<100_800>;
	type MaxOfferLifetime = ConstU64<432_000>;
	type PalletId = MarketPalletId;
	type OrderDeposit = OrderDeposit;
	type MaxTicks = ConstU32<1024>;
	type MaxRoundLength = ConstU32<14_400>;
	type MaxOrdersPerRound = ConstU32<12>;
	type MaxOrdersPerAccount = ConstU32<4>;
	type MaxClearingsPerBlock = ConstU32<2>;
	type MaxRoundResults = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = LedgerHelper;
}

/// Registers benchmark factories in the mock's ledger.
#[cfg(feature = "runtime-benchmarks")]
pub struct LedgerHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, pallet_energy_trading::FactoryIdOf<Test>> for LedgerHelper {
	fn factory(
		owner: &AccountId,
		index: u32,
		energy_wh: u64,
	) -> pallet_energy_trading::FactoryIdOf<Test> {
		let id = format!("B{index}").into_bytes();
		EnergyTrading::register_factory(
			RuntimeOrigin::root(),
			id.clone(),
			b"bench".to_vec(),
			pallet_energy_trading::EnergyType::Other,
			*owner,
			None,
			u32::MAX,
			energy_wh,
		)
		.expect("a new factory registers");
		id.try_into().expect("short id")
	}
}

/// One ECT in the test currency (12 decimals, as on Energy Chain).
pub const ECT: Balance = 1_000_000_000_000;
/// 0.08 ECT per kWh.
pub const EIGHT_CENTS: Balance = 8 * ECT / 100;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
/// An account with no factory and no funds.
pub const NOBODY: AccountId = 99;

/// Factories: Alice's Solar01 (1000 kWh) and Wind02 (800 kWh), Bob's Buyer03 (0), Charlie's
/// Buyer04 (0), Dave's Buyer05 (0). Every account has 1000 ECT. One bus, "Solar Farm A" (id 0),
/// owned by Alice and Bob, capacity 2000 kWh, base price 0.05 ECT/kWh, threshold 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [ALICE, BOB, CHARLIE, DAVE].iter().map(|who| (*who, 1_000 * ECT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let factory = |id: &str, owner, energy_wh| pallet_energy_trading::GenesisFactory {
		id: id.into(),
		name: id.into(),
		energy_type: pallet_energy_trading::EnergyType::Solar,
		owner,
		meter: None,
		rated_power_w: 100_000,
		energy_wh,
	};
	pallet_energy_trading::GenesisConfig::<Test> {
		factories: vec![
			factory("Solar01", ALICE, 1_000_000),
			factory("Wind02", ALICE, 800_000),
			factory("Buyer03", BOB, 0),
			factory("Buyer04", CHARLIE, 0),
			factory("Buyer05", DAVE, 0),
		],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_energy_bus::GenesisConfig::<Test> {
		params: None,
		// The lock rules that cost an attacker are tested on their own (`tests::lock_costs`, with
		// `set_lock_terms`); the other tests lock freely: a fee of the existential deposit,
		// any share of an offer.
		offer_lifetime: None,
		lock_terms: Some(crate::LockTerms {
			fee: sp_runtime::Perbill::zero(),
			min_fee: 1,
			max_share: sp_runtime::Perbill::one(),
		}),
		buses: vec![crate::GenesisBus {
			name: "Solar Farm A".into(),
			creator: ALICE,
			owners: vec![ALICE, BOB],
			capacity_wh: 2_000_000,
			base_price_per_kwh: 5 * ECT / 100,
		}],
		offers: vec![],
		auctions: vec![],
		orders: vec![],
		grid_fees: vec![],
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

/// Runs `test` on the genesis above, then checks both pallets' invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		EnergyBus::do_try_state().expect("market invariants hold after the test");
		EnergyTrading::do_try_state().expect("ledger invariants hold after the test");
		EnergyTrading::check_event_balances(System::events().into_iter().filter_map(|record| {
			match record.event {
				RuntimeEvent::EnergyTrading(event) => Some(event),
				_ => None,
			}
		}))
		.expect("the ledger's events tell every factory's balance");
	});
}

/// The factory `who` buys into in the tests: Bob's Buyer03, Charlie's Buyer04, Dave's Buyer05,
/// Alice's Solar01.
pub fn factory_of(who: AccountId) -> pallet_energy_trading::FactoryIdOf<Test> {
	match who {
		BOB => fid("Buyer03"),
		CHARLIE => fid("Buyer04"),
		DAVE => fid("Buyer05"),
		_ => fid("Solar01"),
	}
}

/// A factory id from text.
pub fn fid(id: &str) -> pallet_energy_trading::FactoryIdOf<Test> {
	id.as_bytes().to_vec().try_into().unwrap()
}

/// Moves to block `n`, running the pallet's hooks as a block would.
pub fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		EnergyBus::on_initialize(next);
		EnergyBus::on_idle(next, frame_support::weights::Weight::MAX);
	}
}
