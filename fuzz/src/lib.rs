//! The cross-pallet fuzzer. From the `development` preset's chain (20 factories, 3 buses, 7
//! offers), it sends random calls of both energy pallets (factories, meters, transfers, trades,
//! buses and their governance, offers, purchases, batches, locks, sudo'd market parameters) and
//! of balances (to bring accounts near the existential deposit), from 16 accounts. Each call is
//! signed and applied through `Executive::apply_extrinsic` of the real runtime, so its fee, the
//! existential deposit and every transaction extension are the chain's own. Blocks advance with
//! the runtime's `on_initialize`, `on_idle` under a random, often small, budget, and
//! `on_finalize`; now and then a run of up to 120 empty blocks passes, so that locks, offers,
//! receipts and finished trades fall due together and the queues work through backlogs. Market parameters
//! are kept short (locks of a few blocks, receipts kept a few dozen) so that every queue works.
//!
//! Checked: after every block, both pallets' `try_state` invariants (energy conserved, escrows,
//! capacity, holds, indexes, queues) and that every factory holds the balance its last ledger
//! event tells; after every call that failed (or was invalid, or was a sudo call whose inner call
//! failed), that it changed nothing but the signer's account (its fee and nonce), the fee's
//! burn in the total issuance, and the system's own bookkeeping (events, weight).

use std::collections::BTreeMap;

use energy_runtime::{
	testing, AccountId, AllPalletsWithSystem, Balance, EnergyBus, Executive, Runtime, RuntimeCall,
	RuntimeEvent, UncheckedExtrinsic, SLOT_DURATION, UNIT,
};
use frame_support::{
	traits::{Get, OnFinalize, OnIdle},
	weights::Weight,
	StorageHasher, Twox128,
};
use pallet_energy_bus::{
	AuctionSettings, BatchItem, Buses, CurrentRound, LockTerms, Locks, MarketNonces, MarketParams,
	NextBusId, NextLockId, NextOfferId, NextOrderId, Offers, Orders, Proposals,
};
use pallet_energy_trading::{
	EnergyType, Factories, FactoriesByOwner, FactoryIdOf, NextTradeId, Trades,
};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{traits::IdentifyAccount, MultiSigner, Perbill};

type FactoryId = FactoryIdOf<Runtime>;
type BusCall = pallet_energy_bus::Call<Runtime>;
type LedgerCall = pallet_energy_trading::Call<Runtime>;

/// A reproducible pseudo-random sequence (SplitMix64): the same seed gives the same run.
pub struct Rng(u64);

impl Rng {
	pub fn new(seed: u64) -> Self {
		Self(seed)
	}

	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// A number below `n` (0 for 0).
	fn below(&mut self, n: u64) -> u64 {
		if n == 0 {
			0
		} else {
			self.next() % n
		}
	}

	/// True `percent` times in a hundred.
	fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	/// An id among the last `window` ids below `next`, or one or two past it (ids that do not
	/// exist, or no longer do, are tried too).
	fn recent(&mut self, next: u64, window: u64) -> u64 {
		next.saturating_sub(window) + self.below(window.min(next) + 2)
	}

	/// An amount of energy: mostly of a realistic size, sometimes an edge.
	fn energy(&mut self) -> u64 {
		match self.below(20) {
			0 => 0,
			1 => u64::MAX,
			2..=6 => 1 + self.below(100),
			7..=15 => 1_000 + self.below(100_000),
			_ => 100_000 + self.below(5_000_000),
		}
	}

	/// A price per kWh: mostly between 0.01 and 0.2 ECT, sometimes an edge.
	fn price(&mut self) -> Balance {
		match self.below(20) {
			0 => 0,
			1 => Balance::MAX / 2,
			_ => UNIT / 100 + Balance::from(self.below(20)) * UNIT / 100,
		}
	}
}

/// What a run found wrong: the step and block, and what.
#[derive(Debug)]
pub struct Violation {
	pub step: u64,
	pub block: u32,
	pub what: String,
}

/// What a run did, by call: how many succeeded, failed, were invalid (not includable, such as a
/// signer who cannot pay the fee).
#[derive(Default, Debug)]
pub struct Stats {
	pub steps: u64,
	pub blocks: u64,
	pub calls: BTreeMap<&'static str, [u64; 3]>,
	/// Why transactions were invalid, and how often.
	pub invalid: BTreeMap<String, u64>,
}

impl Stats {
	/// Calls that succeeded, failed and were invalid, in all.
	pub fn totals(&self) -> [u64; 3] {
		self.calls.values().fold([0; 3], |sum, c| [sum[0] + c[0], sum[1] + c[1], sum[2] + c[2]])
	}
}

/// One signer.
struct Account {
	pair: sr25519::Pair,
	id: AccountId,
}

/// A run: the chain, the accounts, the random sequence.
pub struct Fuzzer {
	ext: sp_io::TestExternalities,
	rng: Rng,
	accounts: Vec<Account>,
	factories: Vec<FactoryId>,
	block: u32,
	registered: u32,
	pub stats: Stats,
}

/// The sudo key of the development chain (Alice) is account 0.
const SUDO: usize = 0;

impl Fuzzer {
	/// A chain from the `development` preset at block 1, 16 funded accounts (the six dev
	/// accounts and ten more, each with a factory), and short market parameters.
	pub fn new(seed: u64) -> Result<Self, Violation> {
		let mut accounts: Vec<Account> = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"]
			.iter()
			.map(|name| format!("//{name}"))
			.chain((0..10).map(|i| format!("//Fuzz{i}")))
			.map(|uri| {
				let pair = sr25519::Pair::from_string(&uri, None).expect("a dev key");
				let id = MultiSigner::from(pair.public()).into_account();
				Account { pair, id }
			})
			.collect();
		accounts.shrink_to_fit();
		let mut ext: sp_io::TestExternalities = testing::preset_storage("development").into();
		let factories = ext.execute_with(|| Factories::<Runtime>::iter_keys().collect());
		let mut fuzzer = Self {
			ext,
			rng: Rng::new(seed),
			accounts,
			factories,
			block: 0,
			registered: 0,
			stats: Stats::default(),
		};
		fuzzer.start_block(1);
		for index in 6..fuzzer.accounts.len() {
			let to = fuzzer.accounts[index].id.clone();
			fuzzer.setup(SUDO, balances_transfer(to.clone(), 10_000 * UNIT))?;
			let id = format!("Fz{index:02}");
			fuzzer.setup(SUDO, sudo(register(&id, to, 200_000, 500_000)))?;
			fuzzer.factories.push(factory_id(&id));
		}
		let params =
			MarketParams { lock_duration: 5, receipt_retention: 20, proposal_lifetime: 30 };
		fuzzer.setup(SUDO, sudo(RuntimeCall::EnergyBus(BusCall::set_market_params { params })))?;
		fuzzer.setup(
			SUDO,
			sudo(RuntimeCall::EnergyBus(BusCall::set_offer_lifetime { lifetime: 60 })),
		)?;
		fuzzer.end_block()?;
		fuzzer.start_block(2);
		Ok(fuzzer)
	}

	/// Applies a setup transaction, which must succeed.
	fn setup(&mut self, signer: usize, call: RuntimeCall) -> Result<(), Violation> {
		match self.apply(signer, call, "setup")? {
			Outcome::Succeeded => Ok(()),
			other => Err(self.violation(format!("a setup transaction {other:?}"))),
		}
	}

	/// One step: maybe a new block (now and then after a run of empty ones), then one random
	/// call.
	pub fn step(&mut self) -> Result<(), Violation> {
		self.stats.steps += 1;
		if self.rng.chance(15) {
			self.end_block()?;
			// Now and then a run of empty blocks, after which many locks, offers, receipts and
			// trades fall due at once.
			let empty = if self.rng.chance(1) { 10 + self.rng.below(110) as u32 } else { 0 };
			for _ in 0..empty {
				self.start_block(self.block + 1);
				self.end_block()?;
			}
			// Rarely, a day passes (the trade retention): finished trades leave the state.
			// Its empty blocks are checked every hundred blocks and at the end (a violation
			// that a hook makes in one stays in the state).
			if self.rng.below(1_500) == 0 {
				let day: u32 = <Runtime as pallet_energy_trading::Config>::TradeRetention::get();
				let blocks = day + 1 + self.rng.below(100) as u32;
				for index in 0..blocks {
					self.start_block(self.block + 1);
					self.finish_block(index % 100 == 0 || index + 1 == blocks)?;
				}
			}
			self.start_block(self.block + 1);
		}
		let (signer, call, name) = self.choose();
		let outcome = self.apply(signer, call, name)?;
		let counts = self.stats.calls.entry(name).or_default();
		counts[outcome as usize] += 1;
		Ok(())
	}

	fn violation(&self, what: String) -> Violation {
		Violation { step: self.stats.steps, block: self.block, what }
	}

	/// Initialises block `number` (Aura's slot is the block number) and sets its timestamp.
	fn start_block(&mut self, number: u32) {
		self.block = number;
		self.stats.blocks += 1;
		self.ext.execute_with(|| {
			let parent = H256::from_low_u64_be(u64::from(number) - 1);
			Executive::initialize_block(&testing::header_at(number, u64::from(number), parent));
			let now = u64::from(number) * SLOT_DURATION;
			let inherent =
				UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set {
					now,
				}));
			Executive::apply_extrinsic(inherent)
				.expect("the timestamp inherent applies")
				.expect("the timestamp inherent succeeds");
		});
	}

	/// Ends the block as `Executive::finalize_block` would, but with `on_idle` given a random
	/// budget (often too small for all its work), then checks every invariant.
	fn end_block(&mut self) -> Result<(), Violation> {
		self.finish_block(true)
	}

	/// Ends the block; checks the invariants if `check`.
	fn finish_block(&mut self, check: bool) -> Result<(), Violation> {
		let budget = match self.rng.below(4) {
			0 => Weight::zero(),
			1 => Weight::from_parts(self.rng.below(200_000_000), self.rng.below(50_000)),
			2 => Weight::from_parts(self.rng.below(2_000_000_000), self.rng.below(500_000)),
			_ => Weight::from_parts(500_000_000_000, 5 * 1024 * 1024),
		};
		let number = self.block;
		let checked = self.ext.execute_with(|| {
			frame_system::Pallet::<Runtime>::note_finished_extrinsics();
			<AllPalletsWithSystem as OnIdle<u32>>::on_idle(number, budget);
			<AllPalletsWithSystem as OnFinalize<u32>>::on_finalize(number);
			if check {
				check_invariants()
			} else {
				Ok(())
			}
		});
		checked.map_err(|what| self.violation(what))?;
		self.ext.commit_all().map_err(|error| self.violation(error))
	}

	/// Signs `call` by account `signer` and applies it, as a block builder does: in a storage
	/// transaction of its own, rolled back if the transaction is invalid. Checks that a call that
	/// failed changed nothing but what its fee and nonce change: it compares the values of the
	/// keys the block changed so far (its overlay; committed at each block's end) before and
	/// after.
	fn apply(
		&mut self,
		signer: usize,
		call: RuntimeCall,
		name: &'static str,
	) -> Result<Outcome, Violation> {
		let account = &self.accounts[signer];
		let touched_before = self.touched_keys();
		let (applied, inner_failed, values_before) = self.ext.execute_with(|| {
			let values_before = read_values(touched_before);
			let events_before = frame_system::Pallet::<Runtime>::read_events_no_consensus().count();
			// The chain's nonce: an account that was reaped starts again from 0.
			let nonce = frame_system::Pallet::<Runtime>::account_nonce(&account.id);
			let xt = testing::signed(&account.pair, nonce, call);
			sp_io::storage::start_transaction();
			let applied = Executive::apply_extrinsic(xt);
			if applied.is_err() {
				sp_io::storage::rollback_transaction();
			} else {
				sp_io::storage::commit_transaction();
			}
			let events = frame_system::Pallet::<Runtime>::read_events_no_consensus();
			let inner_failed = events.skip(events_before).any(|record| {
				matches!(
					record.event,
					RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result: Err(_) })
				)
			});
			(applied, inner_failed, values_before)
		});
		let outcome = match applied {
			Err(why) => {
				*self.stats.invalid.entry(format!("{why:?}")).or_default() += 1;
				Outcome::Invalid
			},
			Ok(result) if result.is_err() || inner_failed => Outcome::Failed,
			Ok(_) => Outcome::Succeeded,
		};
		if outcome == Outcome::Failed {
			let touched_after = self.touched_keys();
			let changed: Vec<Vec<u8>> = self.ext.execute_with(|| {
				touched_after
					.into_iter()
					.filter(|key| {
						let now = sp_io::storage::get(key).map(|value| value.to_vec());
						values_before.get(key).is_none_or(|before| *before != now)
					})
					.collect()
			});
			let signer_key =
				frame_system::Account::<Runtime>::hashed_key_for(&self.accounts[signer].id);
			if let Some(key) = forbidden_change(&changed, &signer_key) {
				return Err(self.violation(format!("a failed {name} changed {key}")));
			}
		}
		Ok(outcome)
	}

	/// The keys the current block changed so far (since the last commit).
	fn touched_keys(&self) -> Vec<Vec<u8>> {
		self.ext.overlayed_changes().changes().map(|(key, _)| key.clone()).collect()
	}

	/// A random call and its signer, from what the chain holds now.
	fn choose(&mut self) -> (usize, RuntimeCall, &'static str) {
		let Fuzzer { ext, rng, accounts, factories, registered, .. } = self;
		ext.execute_with(|| {
			let chooser = Chooser { rng, accounts, factories };
			chooser.choose(registered)
		})
	}
}

/// How an applied transaction ended (the index into `Stats::calls`' counts).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
	Succeeded = 0,
	Failed = 1,
	Invalid = 2,
}

/// The current values of `keys` (inside the chain's externalities).
fn read_values(keys: Vec<Vec<u8>>) -> BTreeMap<Vec<u8>, Option<Vec<u8>>> {
	keys.into_iter()
		.map(|key| {
			let value = sp_io::storage::get(&key).map(|value| value.to_vec());
			(key, value)
		})
		.collect()
}

/// Both pallets' invariants, and each factory's balance against its last ledger event.
fn check_invariants() -> Result<(), String> {
	pallet_energy_bus::Pallet::<Runtime>::do_try_state()
		.map_err(|e| format!("energy-bus: {e:?}"))?;
	pallet_energy_trading::Pallet::<Runtime>::do_try_state()
		.map_err(|e| format!("energy-trading: {e:?}"))?;
	let ledger_events = frame_system::Pallet::<Runtime>::read_events_no_consensus().filter_map(
		|record| match record.event {
			RuntimeEvent::EnergyTrading(event) => Some(event),
			_ => None,
		},
	);
	pallet_energy_trading::Pallet::<Runtime>::check_event_balances(ledger_events)
		.map_err(|e| format!("energy-trading events: {e:?}"))
}

/// The first storage key the last transaction changed that it should not have, if any: a call
/// that failed may change the signer's account (fee, nonce), the total issuance (the fee is
/// burned), transaction payment's and the system's own keys (events, block weight, extrinsic
/// index); nothing of the energy pallets, of other accounts or of any other pallet.
fn forbidden_change(changed: &[Vec<u8>], signer_key: &[u8]) -> Option<String> {
	let system = Twox128::hash(b"System");
	let account_prefix = [system.as_slice(), &Twox128::hash(b"Account")].concat();
	let issuance =
		[Twox128::hash(b"Balances").as_slice(), &Twox128::hash(b"TotalIssuance")].concat();
	let payment = Twox128::hash(b"TransactionPayment");
	changed.iter().find_map(|key| {
		let allowed = if key.starts_with(&account_prefix) {
			key.as_slice() == signer_key
		} else {
			key.starts_with(&system)
				|| key.as_slice() == issuance.as_slice()
				|| key.starts_with(&payment)
				|| key.starts_with(b":")
		};
		(!allowed).then(|| describe_key(key))
	})
}

/// A storage key by its pallet and item, where it is one of the energy pallets' or balances'.
fn describe_key(key: &[u8]) -> String {
	for pallet in ["EnergyTrading", "EnergyBus", "Balances", "System", "Sudo"] {
		if key.starts_with(&Twox128::hash(pallet.as_bytes())) {
			return format!("a key of {pallet} (0x{})", hex(key));
		}
	}
	format!("0x{}", hex(key))
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn factory_id(id: &str) -> FactoryId {
	id.as_bytes().to_vec().try_into().expect("a short factory id")
}

fn sudo(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}

fn balances_transfer(to: AccountId, value: Balance) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death { dest: to.into(), value })
}

fn register(id: &str, owner: AccountId, rated_power_w: u32, energy_wh: u64) -> RuntimeCall {
	RuntimeCall::EnergyTrading(LedgerCall::register_factory {
		id: id.as_bytes().to_vec(),
		name: id.as_bytes().to_vec(),
		energy_type: EnergyType::Other,
		owner,
		meter: None,
		rated_power_w,
		initial_energy_wh: energy_wh,
	})
}

/// Picks calls from the chain's state (inside its externalities).
struct Chooser<'a> {
	rng: &'a mut Rng,
	accounts: &'a [Account],
	factories: &'a mut Vec<FactoryId>,
}

impl Chooser<'_> {
	fn account(&mut self) -> usize {
		self.rng.below(self.accounts.len() as u64) as usize
	}

	fn index_of(&self, who: &AccountId) -> Option<usize> {
		self.accounts.iter().position(|account| &account.id == who)
	}

	/// `who`'s index most of the time (when it is one of the fuzzer's), else anyone's.
	fn mostly(&mut self, who: Option<&AccountId>, percent: u64) -> usize {
		match who.and_then(|who| self.index_of(who)) {
			Some(index) if self.rng.chance(percent) => index,
			_ => self.account(),
		}
	}

	fn factory(&mut self) -> FactoryId {
		let index = self.rng.below(self.factories.len() as u64) as usize;
		self.factories[index].clone()
	}

	/// A factory `signer` owns, if it owns one (most of the time), else any.
	fn factory_of(&mut self, signer: usize) -> FactoryId {
		let owned = FactoriesByOwner::<Runtime>::iter_key_prefix(&self.accounts[signer].id).next();
		match owned {
			Some(id) if self.rng.chance(90) => id,
			_ => self.factory(),
		}
	}

	/// `signer`'s market nonce, most of the time; else one off.
	fn nonce(&mut self, signer: usize) -> u64 {
		let nonce = MarketNonces::<Runtime>::get(&self.accounts[signer].id);
		match self.rng.below(20) {
			0 => nonce.saturating_sub(1),
			1 => nonce + 1,
			_ => nonce,
		}
	}

	fn bus_id(&mut self) -> u32 {
		self.rng.recent(u64::from(NextBusId::<Runtime>::get()), 6) as u32
	}

	/// A bus, and one of its owners (most of the time) as the signer.
	fn bus_and_owner(&mut self) -> (u32, usize) {
		let bus_id = self.bus_id();
		let owners =
			Buses::<Runtime>::get(bus_id).map(|bus| bus.owners.into_inner()).unwrap_or_default();
		let owner = if owners.is_empty() {
			None
		} else {
			Some(owners[self.rng.below(owners.len() as u64) as usize].clone())
		};
		(bus_id, self.mostly(owner.as_ref(), 90))
	}

	fn offer_id(&mut self) -> u64 {
		self.rng.recent(NextOfferId::<Runtime>::get(), 40)
	}

	fn choose(mut self, registered: &mut u32) -> (usize, RuntimeCall, &'static str) {
		let ledger = RuntimeCall::EnergyTrading;
		let bus = RuntimeCall::EnergyBus;
		match self.rng.below(118) {
			// The ledger.
			0..=5 => {
				let factory_id = self.factory();
				let meter = Factories::<Runtime>::get(&factory_id).map(|f| f.meter);
				let signer = self.mostly(meter.as_ref(), 85);
				let energy_wh = self.rng.energy();
				if self.rng.chance(60) {
					(
						signer,
						ledger(LedgerCall::mint_energy { factory_id, energy_wh }),
						"mint_energy",
					)
				} else {
					(
						signer,
						ledger(LedgerCall::consume_energy { factory_id, energy_wh }),
						"consume_energy",
					)
				}
			},
			6..=9 => {
				let from = self.factory();
				let owner = Factories::<Runtime>::get(&from).map(|f| f.owner);
				let signer = self.mostly(owner.as_ref(), 85);
				let to = self.factory();
				let energy_wh = self.rng.energy();
				(
					signer,
					ledger(LedgerCall::transfer_energy { from, to, energy_wh }),
					"transfer_energy",
				)
			},
			10..=12 => {
				let seller = self.factory();
				let owner = Factories::<Runtime>::get(&seller).map(|f| f.owner);
				let signer = self.mostly(owner.as_ref(), 85);
				let buyer = self.factory();
				let (energy_wh, price_per_kwh) = (self.rng.energy(), self.rng.price());
				let call = LedgerCall::create_trade { seller, buyer, energy_wh, price_per_kwh };
				(signer, ledger(call), "create_trade")
			},
			16..=21 => {
				let trade_id = self.rng.recent(NextTradeId::<Runtime>::get(), 20);
				let trade = Trades::<Runtime>::get(trade_id);
				let execute = self.rng.chance(60);
				let party = trade.as_ref().and_then(|trade| {
					let side =
						if execute || self.rng.chance(50) { &trade.buyer } else { &trade.seller };
					Factories::<Runtime>::get(side).map(|f| f.owner)
				});
				let signer = self.mostly(party.as_ref(), 85);
				if execute {
					let total = trade.map_or(0, |trade| trade.total_price);
					let max_total_price =
						if self.rng.chance(85) { total } else { total.saturating_sub(1) };
					(
						signer,
						ledger(LedgerCall::execute_trade { trade_id, max_total_price }),
						"execute_trade",
					)
				} else {
					(signer, ledger(LedgerCall::cancel_trade { trade_id }), "cancel_trade")
				}
			},
			22..=23 => {
				let factory_id = self.factory();
				let owner = Factories::<Runtime>::get(&factory_id).map(|f| f.owner);
				let signer = self.mostly(owner.as_ref(), 85);
				let meter = self.accounts[self.account()].id.clone();
				(signer, ledger(LedgerCall::request_meter { factory_id, meter }), "request_meter")
			},
			24 => {
				let factory_id = self.factory();
				let call = if self.rng.chance(50) {
					let meter = self.accounts[self.account()].id.clone();
					LedgerCall::set_meter { factory_id, meter }
				} else {
					let rated_power_w = self.rng.below(1_000_000) as u32;
					LedgerCall::set_rated_power { factory_id, rated_power_w }
				};
				(SUDO, sudo(ledger(call)), "sudo ledger")
			},
			25 if self.rng.chance(20) => {
				*registered += 1;
				let id = format!("Rg{registered}");
				let owner = self.accounts[self.account()].id.clone();
				self.factories.push(factory_id(&id));
				let call = register(
					&id,
					owner,
					self.rng.below(500_000) as u32,
					self.rng.energy() % 10_000_000,
				);
				(SUDO, sudo(call), "sudo register_factory")
			},
			// Buses and their governance.
			26 => {
				let signer = self.account();
				let name: Vec<u8> = (0..self.rng.below(12)).map(|i| b'a' + i as u8).collect();
				let mut owners: Vec<AccountId> = (0..1 + self.rng.below(4))
					.map(|_| self.accounts[self.account()].id.clone())
					.collect();
				if self.rng.chance(80) {
					owners.sort();
					owners.dedup();
				}
				let call = BusCall::create_energy_bus {
					name: name.try_into().unwrap_or_default(),
					owners: owners.try_into().unwrap_or_default(),
					capacity_wh: self.rng.energy().saturating_mul(10),
					base_price_per_kwh: self.rng.price() / 2,
				};
				(signer, bus(call), "create_energy_bus")
			},
			28..=35 => {
				let (bus_id, signer) = self.bus_and_owner();
				let someone = self.accounts[self.account()].id.clone();
				let (call, name) = match self.rng.below(14) {
					0..=1 => {
						(BusCall::add_bus_owner { bus_id, new_owner: someone }, "add_bus_owner")
					},
					2..=3 => {
						(BusCall::remove_bus_owner { bus_id, owner: someone }, "remove_bus_owner")
					},
					4..=5 => {
						let capacity_wh = self.rng.energy().saturating_mul(10);
						(BusCall::set_bus_capacity { bus_id, capacity_wh }, "set_bus_capacity")
					},
					6..=7 => {
						let base_price_per_kwh = self.rng.price() / 2;
						(BusCall::set_base_price { bus_id, base_price_per_kwh }, "set_base_price")
					},
					8..=9 => {
						let threshold = self.rng.below(5) as u32;
						(
							BusCall::set_approval_threshold { bus_id, threshold },
							"set_approval_threshold",
						)
					},
					10 | 11 => (BusCall::close_bus { bus_id }, "close_bus"),
					_ => {
						let proposals = Proposals::<Runtime>::get(bus_id);
						let proposal = (!proposals.is_empty()).then(|| {
							proposals[self.rng.below(proposals.len() as u64) as usize].clone()
						});
						let proposal_id =
							proposal.as_ref().map_or(self.rng.below(50) as u32, |p| p.id);
						let approvals =
							proposal.map(|p| p.approvals.into_inner()).unwrap_or_default();
						if self.rng.chance(70) {
							// An owner who has not approved it yet, most of the time.
							let owners =
								Buses::<Runtime>::get(bus_id).map(|b| b.owners.into_inner());
							let other = owners
								.unwrap_or_default()
								.into_iter()
								.find(|owner| !approvals.contains(owner));
							let signer = self.mostly(other.as_ref(), 80);
							let call = BusCall::approve_bus_change { bus_id, proposal_id };
							return (signer, bus(call), "approve_bus_change");
						}
						// Its proposer, most of the time.
						let signer = self.mostly(approvals.first(), 80);
						let call = BusCall::withdraw_bus_change { bus_id, proposal_id };
						return (signer, bus(call), "withdraw_bus_change");
					},
				};
				(signer, bus(call), name)
			},
			// Offers and buying.
			36..=49 => {
				let signer = self.account();
				let factory = self.factory_of(signer);
				let bus_id = self.bus_id();
				let base = Buses::<Runtime>::get(bus_id).map_or(0, |bus| bus.base_price_per_kwh);
				let price_per_kwh = if self.rng.chance(90) {
					base + self.rng.price() / 4
				} else {
					self.rng.price()
				};
				let energy_wh = self.rng.energy() % 2_000_000;
				let call = BusCall::create_offer { bus_id, factory, energy_wh, price_per_kwh };
				(signer, bus(call), "create_offer")
			},
			50..=54 => {
				let offer_id = self.offer_id();
				let seller = Offers::<Runtime>::get(offer_id).map(|offer| offer.seller);
				let signer = self.mostly(seller.as_ref(), 85);
				(signer, bus(BusCall::cancel_offer { offer_id }), "cancel_offer")
			},
			55..=69 => {
				let offer_id = self.offer_id();
				let offer = Offers::<Runtime>::get(offer_id);
				let signer = self.account();
				let into_factory = self.factory_of(signer);
				let nonce = self.nonce(signer);
				let (energy_wh, max_price_per_kwh) = match &offer {
					Some(offer) => {
						let energy =
							1 + self.rng.below(offer.available_wh.max(offer.locked_wh).max(1) + 10);
						let price = if self.rng.chance(90) {
							offer.price_per_kwh
						} else {
							offer.price_per_kwh / 2
						};
						(energy, price)
					},
					None => (self.rng.energy(), self.rng.price()),
				};
				let call = BusCall::purchase_energy {
					offer_id,
					energy_wh,
					max_price_per_kwh,
					into_factory,
					nonce,
				};
				(signer, bus(call), "purchase_energy")
			},
			70..=74 => {
				let signer = self.account();
				let into_factory = self.factory_of(signer);
				let nonce = self.nonce(signer);
				let items: Vec<_> = (0..1 + self.rng.below(4))
					.map(|_| {
						let offer_id = self.offer_id();
						let offer = Offers::<Runtime>::get(offer_id);
						let energy_wh = 1 + self
							.rng
							.below(offer.as_ref().map_or(1_000, |o| o.available_wh / 2 + 1));
						let max_price_per_kwh = offer.map_or(UNIT, |o| o.price_per_kwh);
						BatchItem { offer_id, energy_wh, max_price_per_kwh }
					})
					.collect();
				let call = BusCall::batch_purchase_energy {
					items: items.try_into().unwrap_or_default(),
					into_factory,
					nonce,
				};
				(signer, bus(call), "batch_purchase_energy")
			},
			75..=84 => {
				let offer_id = self.offer_id();
				let offer = Offers::<Runtime>::get(offer_id);
				let signer = self.account();
				let into_factory = self.factory_of(signer);
				let nonce = self.nonce(signer);
				let energy_wh = 1 + self.rng.below(offer.map_or(1_000, |o| o.energy_wh / 8 + 1));
				let call = BusCall::lock_offer { offer_id, energy_wh, into_factory, nonce };
				(signer, bus(call), "lock_offer")
			},
			85..=89 => {
				let lock_id = self.rng.recent(NextLockId::<Runtime>::get(), 20);
				let holder = Locks::<Runtime>::get(lock_id).map(|lock| lock.holder);
				let signer = self.mostly(holder.as_ref(), 85);
				(signer, bus(BusCall::release_lock { lock_id }), "release_lock")
			},
			// Root's market parameters, short so that every queue works (sometimes out of bounds).
			90..=92 => {
				let call = match self.rng.below(3) {
					0 => BusCall::set_market_params {
						params: MarketParams {
							lock_duration: self.rng.below(15) as u32,
							receipt_retention: self.rng.below(60) as u32,
							proposal_lifetime: self.rng.below(80) as u32,
						},
					},
					1 => BusCall::set_lock_terms {
						terms: LockTerms {
							fee: Perbill::from_parts(self.rng.below(200_000_000) as u32),
							min_fee: Balance::from(self.rng.below(30)) * UNIT / 1_000,
							max_share: Perbill::from_percent(self.rng.below(101) as u32),
						},
					},
					_ => BusCall::set_offer_lifetime { lifetime: self.rng.below(300) as u32 },
				};
				(SUDO, sudo(bus(call)), "sudo market parameters")
			},
			// Auctions: owners set them up (short rounds, small grids, sometimes out of range or
			// off), traders bid and ask on the open round's grid (sometimes off it), cancel and
			// claim.
			100..=101 => {
				let (bus_id, signer) = self.bus_and_owner();
				let settings = (!self.rng.chance(15)).then(|| AuctionSettings {
					round_length: self.rng.below(25) as u32,
					tick_size: Balance::from(self.rng.below(10)) * UNIT / 1_000,
					ticks: self.rng.below(60) as u16,
				});
				(signer, bus(BusCall::set_auction { bus_id, settings }), "set_auction")
			},
			102..=108 => {
				let signer = self.account();
				let factory = self.factory_of(signer);
				let nonce = self.nonce(signer);
				// Most of the time a bus with an open round, and a price of its grid.
				let open: Vec<_> = CurrentRound::<Runtime>::iter().collect();
				let bus_id = if !open.is_empty() && self.rng.chance(85) {
					open[self.rng.below(open.len() as u64) as usize].0
				} else {
					self.bus_id()
				};
				let round = EnergyBus::current_round(bus_id);
				let limit_price_per_kwh = match &round {
					Some(round) if self.rng.chance(90) => {
						let tick = self.rng.below(u64::from(round.ticks) + 1) as u16;
						EnergyBus::price_of(round, tick)
					},
					_ => self.rng.price(),
				};
				let energy_wh = self.rng.energy() % 1_000_000;
				if self.rng.chance(50) {
					let call = BusCall::place_bid {
						bus_id,
						energy_wh,
						limit_price_per_kwh,
						into_factory: factory,
						nonce,
					};
					(signer, bus(call), "place_bid")
				} else {
					let call = BusCall::place_ask {
						bus_id,
						factory,
						energy_wh,
						limit_price_per_kwh,
						nonce,
					};
					(signer, bus(call), "place_ask")
				}
			},
			109 => {
				let order_id = self.rng.recent(NextOrderId::<Runtime>::get(), 20);
				let owner = Orders::<Runtime>::get(order_id).map(|order| order.owner);
				let signer = self.mostly(owner.as_ref(), 85);
				(signer, bus(BusCall::cancel_order { order_id }), "cancel_order")
			},
			110..=111 => {
				let order_id = self.rng.recent(NextOrderId::<Runtime>::get(), 20);
				let signer = self.account();
				(signer, bus(BusCall::claim { order_id }), "claim")
			},
			// Grid fees: owners set a fee (sometimes zero, sometimes large) and shares (sometimes
			// out of range, sometimes for a non-owner); owners, former owners and others claim.
			112..=113 => {
				let (bus_id, signer) = self.bus_and_owner();
				let fee_per_kwh = match self.rng.below(4) {
					0 => 0,
					1 => Balance::from(self.rng.below(1_000)),
					_ => self.rng.price() / 10,
				};
				(signer, bus(BusCall::set_grid_fee { bus_id, fee_per_kwh }), "set_grid_fee")
			},
			114 => {
				let (bus_id, signer) = self.bus_and_owner();
				let owner = self.accounts[self.account()].id.clone();
				let shares = match self.rng.below(10) {
					0 => 0,
					1 => pallet_energy_bus::MAX_FEE_SHARES + 1,
					_ => 1 + self.rng.below(20) as u16,
				};
				let call = BusCall::set_fee_shares { bus_id, owner, shares };
				(signer, bus(call), "set_fee_shares")
			},
			115..=117 => {
				let (bus_id, signer) = self.bus_and_owner();
				(signer, bus(BusCall::claim_grid_fees { bus_id }), "claim_grid_fees")
			},
			// Balances: bring accounts near the existential deposit, and back.
			_ => {
				// Half of the time the sudo key (rich) funds someone, so that accounts that went
				// down to their last fee come back.
				let signer = if self.rng.chance(50) { SUDO } else { self.account() };
				let to = self.accounts[self.account()].id.clone();
				let free =
					pallet_balances::Pallet::<Runtime>::free_balance(&self.accounts[signer].id);
				let value = match self.rng.below(4) {
					0 => free.saturating_sub(UNIT / 100),
					1 => free / 2,
					_ => Balance::from(self.rng.below(1_000)) * UNIT,
				};
				// The sudo key keeps enough to pay for Root's calls.
				let value = if signer == SUDO { value.min(free / 100) } else { value };
				(signer, balances_transfer(to, value), "balances transfer")
			},
		}
	}
}
