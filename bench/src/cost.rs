//! How the market calls' cost grows with the state: each call is dispatched natively over a
//! trie holding 10, 10 000 or 100 000 offers (each from its own seller account with a factory),
//! as a FRAME benchmark does, and timed. No call may iterate over offers, buses or accounts, so
//! the times should stay flat; what does grow with any state is the cost of reading the trie
//! (its depth, and cache misses), which the control row, a balance transfer between two of the
//! state's accounts, measures on its own.

use std::time::Instant;

use codec::Encode;
use energy_runtime::{
	AccountId, Balances, BuildStorage, EnergyBus, Runtime, RuntimeCall, RuntimeGenesisConfig,
	RuntimeOrigin, System,
};
use frame_support::traits::{fungible::Mutate, Hooks};
use pallet_energy_bus::{BatchItem, Call as BusCall};
use pallet_energy_trading::EnergyType;
use serde::Serialize;
use sp_runtime::traits::Dispatchable;

use crate::{tps::bar, Args};

const ECT: u128 = 1_000_000_000_000;
/// Energy per seller factory and offer.
const OFFER_WH: u64 = 1_000_000;
/// Items per timed batch purchase.
const BATCH: usize = 10;
/// The control row: a call that iterates over nothing.
pub const CONTROL: &str = "control: Balances::transfer_keep_alive";

/// One call's times over one state size.
#[derive(Clone, Debug, Serialize)]
pub struct CostRow {
	/// The call (or hook).
	pub call: &'static str,
	/// Offers and seller accounts in the state.
	pub state_size: u32,
	/// Median time of one call, µs.
	pub median_us: f64,
	/// 90th percentile, µs.
	pub p90_us: f64,
}

/// The cost-growth result.
#[derive(Clone, Debug, Serialize)]
pub struct CostResult {
	/// Calls timed per call and size.
	pub samples: u32,
	/// Every call at every size.
	pub rows: Vec<CostRow>,
	/// Per call: median at the largest size over the median at the smallest.
	pub growth: Vec<(String, f64)>,
}

fn account(kind: u8, index: u32) -> AccountId {
	AccountId::new(sp_crypto_hashing::blake2_256(&(kind, index).encode()))
}

fn factory_id(kind: u8, index: u32) -> Vec<u8> {
	format!("{}{index:07}", if kind == 0 { "S" } else { "B" }).into_bytes()
}

/// A state with `size` sellers each offering on one bus, and `buyers` buyers with factories.
fn state(size: u32, buyers: u32, progress: &indicatif::ProgressBar) -> sp_io::TestExternalities {
	let storage =
		RuntimeGenesisConfig::default().build_storage().expect("the default genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		let owner = account(2, 0);
		Balances::set_balance(&owner, 1_000 * ECT);
		let root = RuntimeOrigin::root;
		let bus = pallet_energy_bus::NextBusId::<Runtime>::get();
		EnergyBus::create_energy_bus(
			RuntimeOrigin::signed(owner.clone()),
			b"bench".to_vec(),
			vec![owner.clone()],
			u64::MAX / 4,
			1,
		)
		.expect("the bus opens");
		let register = |kind: u8, index: u32, who: &AccountId, energy: u64| {
			pallet_energy_trading::Pallet::<Runtime>::register_factory(
				root(),
				factory_id(kind, index),
				b"cost".to_vec(),
				EnergyType::Solar,
				who.clone(),
				None,
				energy,
			)
			.expect("the factory registers");
		};
		for i in 0..size {
			let seller = account(0, i);
			Balances::set_balance(&seller, 10 * ECT);
			register(0, i, &seller, OFFER_WH);
			let factory = factory_id(0, i).try_into().expect("a short id");
			EnergyBus::create_offer(
				RuntimeOrigin::signed(seller),
				bus,
				factory,
				OFFER_WH,
				ECT / 1_000,
			)
			.expect("the offer opens");
			if i % 1_000 == 0 {
				progress.set_position(i as u64);
			}
		}
		for b in 0..buyers {
			let buyer = account(1, b);
			Balances::set_balance(&buyer, 1_000 * ECT);
			register(1, b, &buyer, 0);
		}
	});
	// Into the trie, as a block's state would be.
	ext.commit_all().expect("the state commits");
	ext
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
	let rank = ((p / 100.0) * (sorted.len().saturating_sub(1)) as f64).round() as usize;
	sorted.get(rank).copied().unwrap_or_default()
}

fn row(call: &'static str, state_size: u32, mut times: Vec<f64>) -> CostRow {
	times.sort_by(|a, b| a.total_cmp(b));
	CostRow {
		call,
		state_size,
		median_us: percentile(&times, 50.0),
		p90_us: percentile(&times, 90.0),
	}
}

fn timed(call: RuntimeCall, who: &AccountId) -> f64 {
	let start = Instant::now();
	let result = call.dispatch(RuntimeOrigin::signed(who.clone()));
	let elapsed = start.elapsed().as_secs_f64() * 1e6;
	result.expect("the timed call succeeds");
	elapsed
}

/// Times `purchase_energy`, `batch_purchase_energy`, `lock_offer` and the lock-expiry hook at
/// every size.
pub fn run(args: &Args) -> Result<CostResult, String> {
	let samples = args.cost_samples.max(1);
	let mut rows = Vec::new();
	for &size in &args.cost_sizes {
		let size = size.max(BATCH as u32);
		let progress = crate::tps::bar(args, size as u64, &format!("state of {size} offers"));
		let mut ext = state(size, samples, &progress);
		progress.finish_and_clear();
		let timing = bar(args, samples as u64, &format!("timing at {size} offers"));
		ext.execute_with(|| {
			let (mut purchase, mut batch, mut lock, mut expiry, mut control) =
				(Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
			for s in 0..samples {
				let buyer = account(1, s);
				let into: pallet_energy_trading::FactoryIdOf<Runtime> =
					factory_id(1, s).try_into().expect("a short id");
				// Offers spread over the whole state.
				let offer = |k: u32| (s as u64 * 7_919 + k as u64 * 104_729) % size as u64;
				purchase.push(timed(
					RuntimeCall::EnergyBus(BusCall::purchase_energy {
						offer_id: offer(0),
						energy_wh: 10,
						max_price_per_kwh: ECT,
						into_factory: into.clone(),
						nonce: 0,
					}),
					&buyer,
				));
				let items: Vec<_> = (0..BATCH as u32)
					.map(|k| BatchItem {
						offer_id: offer(k + 1),
						energy_wh: 1,
						max_price_per_kwh: ECT,
					})
					.collect();
				batch.push(timed(
					RuntimeCall::EnergyBus(BusCall::batch_purchase_energy {
						items: items.try_into().expect("within MaxBatchSize"),
						into_factory: into.clone(),
						nonce: 1,
					}),
					&buyer,
				));
				lock.push(timed(
					RuntimeCall::EnergyBus(BusCall::lock_offer {
						offer_id: offer(20),
						energy_wh: 1,
						nonce: 2,
					}),
					&buyer,
				));
				let lock_id = pallet_energy_bus::NextLockId::<Runtime>::get() - 1;
				EnergyBus::release_lock(RuntimeOrigin::signed(buyer.clone()), lock_id)
					.expect("the lock is released");
				// One lock that expires: take it, move past its end, time the hook.
				EnergyBus::lock_offer(RuntimeOrigin::signed(buyer.clone()), offer(30), 1, 3)
					.expect("the lock is taken");
				let expires_at = pallet_energy_bus::Locks::<Runtime>::get(lock_id + 1)
					.expect("the lock exists")
					.expires_at;
				System::set_block_number(expires_at + 1);
				let start = Instant::now();
				EnergyBus::on_initialize(expires_at + 1);
				expiry.push(start.elapsed().as_secs_f64() * 1e6);
				assert!(pallet_energy_bus::Locks::<Runtime>::get(lock_id + 1).is_none());
				// The control: a balance transfer between two of the state's sellers, which
				// iterates over nothing, so it shows what the trie's size alone costs.
				let (from, to) = (offer(40) as u32, offer(41) as u32);
				control.push(timed(
					RuntimeCall::Balances(energy_runtime::BalancesCall::transfer_keep_alive {
						dest: account(0, to).into(),
						value: ECT / 1_000,
					}),
					&account(0, from),
				));
				timing.inc(1);
			}
			rows.push(row("purchase_energy", size, purchase));
			rows.push(row("batch_purchase_energy (10 items)", size, batch));
			rows.push(row("lock_offer", size, lock));
			rows.push(row("lock expiry (on_initialize, 1 lock)", size, expiry));
			rows.push(row(CONTROL, size, control));
		});
		timing.finish_and_clear();
	}
	let mut growth = Vec::new();
	for call in rows.iter().map(|r| r.call).collect::<std::collections::BTreeSet<_>>() {
		let of: Vec<&CostRow> = rows.iter().filter(|r| r.call == call).collect();
		if let (Some(first), Some(last)) = (of.first(), of.last()) {
			growth.push((call.to_string(), last.median_us / first.median_us.max(f64::EPSILON)));
		}
	}
	Ok(CostResult { samples, rows, growth })
}
