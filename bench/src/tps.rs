//! The throughput run: prepare, pre-sign, submit as fast as the node accepts, and measure from
//! the chain what each workload got included per second.

use std::{
	collections::{BTreeMap, HashMap},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use codec::{Compact, Decode, Encode};
use energy_client::{
	keys::{self, Signer},
	runtime::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			energy_runtime::RuntimeCall,
			pallet_balances::pallet::Call as BalancesCall,
			pallet_energy_bus::types::BatchItem,
			pallet_energy_trading::{pallet::Call as TradingCall, types::EnergyType},
		},
		system::events::ExtrinsicSuccess,
	},
	AccountId, ChainConfig, EnergyClient, FactoryId, Hash, NewBus, NewOffer, NewTrade,
};
use futures::{stream, StreamExt};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use subxt::{
	config::DefaultExtrinsicParamsBuilder, events::Phase, rpcs::rpc_params, transactions::Payload,
};

use crate::{node::Node, Args};

/// Every workload, in the order they run.
pub const ALL_WORKLOADS: &str =
	"transfer,mint,transfer_energy,execute_trade,purchase,batch,lock+purchase";

const ECT: u128 = 1_000_000_000_000;
/// Energy each benchmark factory starts with: 10 MWh.
const FACTORY_WH: u64 = 10_000_000;
/// Items per batch purchase.
const BATCH: usize = 10;
/// Calls per setup batch (utility.batch_all).
const SETUP_CHUNK: usize = 200;
/// How many submissions are in flight at once.
const IN_FLIGHT: usize = 256;

/// What a workload sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Workload {
	/// `Balances::transfer_keep_alive` of 1 ECT: the baseline.
	Transfer,
	/// `EnergyTrading::mint_energy` of 1 kWh by the factory's meter.
	Mint,
	/// `EnergyTrading::transfer_energy` of 1 kWh to the next account's factory.
	TransferEnergy,
	/// `EnergyTrading::execute_trade` of a 1 kWh trade created during the preparation.
	ExecuteTrade,
	/// `EnergyBus::purchase_energy` of 100 Wh (a partial purchase).
	Purchase,
	/// `EnergyBus::batch_purchase_energy` of 10 items of 10 Wh.
	Batch,
	/// `EnergyBus::lock_offer` of 100 Wh, then `purchase_energy` of the locked energy.
	LockPurchase,
}

impl Workload {
	/// Reads a workload's name.
	pub fn parse(name: &str) -> Result<Self, String> {
		Ok(match name.trim() {
			"transfer" => Workload::Transfer,
			"mint" => Workload::Mint,
			"transfer_energy" => Workload::TransferEnergy,
			"execute_trade" => Workload::ExecuteTrade,
			"purchase" => Workload::Purchase,
			"batch" => Workload::Batch,
			"lock+purchase" => Workload::LockPurchase,
			other => return Err(format!("unknown workload {other:?}; use {ALL_WORKLOADS}")),
		})
	}

	/// Its name.
	pub fn name(self) -> &'static str {
		match self {
			Workload::Transfer => "transfer",
			Workload::Mint => "mint",
			Workload::TransferEnergy => "transfer_energy",
			Workload::ExecuteTrade => "execute_trade",
			Workload::Purchase => "purchase",
			Workload::Batch => "batch",
			Workload::LockPurchase => "lock+purchase",
		}
	}

	/// The calls it counts in blocks, as `Pallet.call`.
	fn calls(self) -> &'static [&'static str] {
		match self {
			Workload::Transfer => &["Balances.transfer_keep_alive"],
			Workload::Mint => &["EnergyTrading.mint_energy"],
			Workload::TransferEnergy => &["EnergyTrading.transfer_energy"],
			Workload::ExecuteTrade => &["EnergyTrading.execute_trade"],
			Workload::Purchase => &["EnergyBus.purchase_energy"],
			Workload::Batch => &["EnergyBus.batch_purchase_energy"],
			Workload::LockPurchase => &["EnergyBus.lock_offer", "EnergyBus.purchase_energy"],
		}
	}

	/// Items filled per transaction: purchases for the market, the transaction otherwise.
	fn items_per_tx(self) -> f64 {
		match self {
			Workload::Batch => BATCH as f64,
			Workload::LockPurchase => 0.5,
			_ => 1.0,
		}
	}
}

/// One block of a workload's window.
#[derive(Clone, Debug, Serialize)]
pub struct BlockStat {
	/// The block.
	pub number: u64,
	/// Its timestamp minus its parent's, in ms.
	pub block_time_ms: u64,
	/// The workload's transactions in it.
	pub included: u64,
	/// `included` over the block time.
	pub tx_per_s: f64,
	/// Its weight (all classes) over the block's maximum.
	pub fullness: f64,
}

/// Milliseconds at the 50th and 99th percentiles.
#[derive(Clone, Debug, Serialize)]
pub struct Latency {
	/// Median, ms.
	pub p50_ms: f64,
	/// 99th percentile, ms.
	pub p99_ms: f64,
}

/// What one workload got.
#[derive(Clone, Debug, Serialize)]
pub struct WorkloadResult {
	/// Its name.
	pub workload: &'static str,
	/// Transactions sent.
	pub submitted: u64,
	/// Transactions the node refused.
	pub rejected: u64,
	/// Transactions included.
	pub included: u64,
	/// How long sending took, s.
	pub submit_seconds: f64,
	/// Included transactions over the time from the block before the first one to the last one
	/// (block timestamps).
	pub tx_per_s: f64,
	/// Items filled per second (purchases for the market workloads).
	pub items_per_s: f64,
	/// `tx_per_s` over the `transfer` workload's.
	pub ratio_to_transfer: Option<f64>,
	/// The median of its blocks' tx/s: the sustained rate, which a partly filled first or last
	/// block moves less than it moves `tx_per_s`.
	pub median_block_tx_per_s: f64,
	/// `median_block_tx_per_s` over the `transfer` workload's.
	pub median_ratio_to_transfer: Option<f64>,
	/// Mean fullness of the blocks that carried it.
	pub mean_fullness: f64,
	/// Submit to inclusion in a best block.
	pub inclusion: Latency,
	/// Submit to finality.
	pub finality: Option<Latency>,
	/// The weight one of its transactions declares before it runs (ref time, from
	/// `TransactionPaymentApi_query_info`), µs.
	pub weight_us: f64,
	/// The weight its transactions were charged after they ran (the mean ref time of their
	/// `System.ExtrinsicSuccess` events: what they used of their blocks), µs.
	pub charged_weight_us: f64,
	/// Its blocks.
	pub blocks: Vec<BlockStat>,
}

/// The whole throughput run.
#[derive(Clone, Debug, Serialize)]
pub struct TpsResult {
	/// Accounts prepared: the buyers, and the sellers with one offer each.
	pub accounts: usize,
	/// Of those, the buyers, which send every workload (`execute_trade`: half of them).
	pub buyers: usize,
	/// Transactions per account per workload.
	pub txs_per_account: u32,
	/// The node's pool settings.
	pub node_pool: String,
	/// The workloads.
	pub workloads: Vec<WorkloadResult>,
}

/// Progress bars, or none with `--json`.
pub(crate) fn bar(args: &Args, len: u64, what: &str) -> ProgressBar {
	if args.json {
		return ProgressBar::hidden();
	}
	let bar = ProgressBar::new(len);
	bar.set_style(
		ProgressStyle::with_template("{msg:28} [{bar:40}] {pos}/{len} {elapsed}")
			.expect("a valid template")
			.progress_chars("=> "),
	);
	bar.set_message(what.to_string());
	bar
}

/// The accounts and what the preparation made for them.
struct Prepared {
	client: EnergyClient,
	signers: Vec<Signer>,
	ids: Vec<AccountId>,
	/// Accounts `[buyers..]` are sellers with one offer each; `[..buyers]` send the workloads.
	buyers: usize,
	offers: Vec<u64>,
	/// Per buyer account `i < buyers/2`, the trades it sells to account `buyers/2 + i`.
	trades: Vec<Vec<u64>>,
}

fn factory(index: usize) -> String {
	format!("Bench{index:06}")
}

/// Runs every workload against a fresh node.
pub async fn run(args: &Args) -> Result<TpsResult, String> {
	// `--node`, `ENERGY_NODE_BIN`, or `energy-node` beside this binary.
	let binary = energy_test_support::node_binary(args.node.as_deref())?;
	let node = Node::start(&binary, args.pool_limit, args.pool_kbytes, args.base_path.as_deref())?;
	let client = connect(&node.url()).await?;
	client.best_block().await.map_err(|e| e.to_string())?;
	let prepared = prepare(args, client).await?;
	let mut results: Vec<WorkloadResult> = Vec::new();
	for name in &args.workloads {
		let workload = Workload::parse(name)?;
		let mut result = measure(args, &prepared, workload).await?;
		let transfer = results.iter().find(|r| r.workload == "transfer");
		result.ratio_to_transfer = transfer.map(|transfer| result.tx_per_s / transfer.tx_per_s);
		result.median_ratio_to_transfer =
			transfer.map(|transfer| result.median_block_tx_per_s / transfer.median_block_tx_per_s);
		results.push(result);
	}
	Ok(TpsResult {
		accounts: args.accounts,
		buyers: prepared.buyers,
		txs_per_account: args.txs_per_account,
		node_pool: node.pool.clone(),
		workloads: results,
	})
}

async fn connect(url: &str) -> Result<EnergyClient, String> {
	let start = Instant::now();
	loop {
		match EnergyClient::connect(url).await {
			Ok(client) => return Ok(client),
			Err(_) if start.elapsed() < Duration::from_secs(60) => {
				tokio::time::sleep(Duration::from_millis(250)).await
			},
			Err(error) => return Err(error.to_string()),
		}
	}
}

/// Endows the accounts, registers their factories, opens a bus with one offer per seller, and
/// creates the trades `execute_trade` settles.
async fn prepare(args: &Args, client: EnergyClient) -> Result<Prepared, String> {
	let n = args.accounts.max(4);
	// One seller (and offer) per four buyers, so that `lock+purchase`, where every buyer holds
	// one lock at a time on offer `(i + k) % offers`, stays within an offer's 16 lock slots
	// (`MaxLocksPerOffer`): about 4 locks per offer per round, 12 at most.
	let sellers = (n / 5).clamp(2, 400);
	let buyers = n - sellers;
	let signers: Vec<Signer> = (0..n)
		.map(|i| keys::signer(&format!("//Bench//{i}")).map_err(|e| e.to_string()))
		.collect::<Result<_, _>>()?;
	let ids: Vec<AccountId> = signers.iter().map(keys::account_of).collect();
	let alice = keys::signer("//Alice").map_err(|e| e.to_string())?;

	// Balances and factories, in batches signed by Alice (the sudo key).
	let endow: Vec<RuntimeCall> = ids
		.iter()
		.map(|id| {
			RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
				dest: subxt::utils::MultiAddress::Id(*id),
				value: 100 * ECT,
			})
		})
		.collect();
	let register: Vec<RuntimeCall> = ids
		.iter()
		.enumerate()
		.map(|(i, id)| {
			RuntimeCall::EnergyTrading(TradingCall::register_factory {
				id: factory(i).into_bytes(),
				name: b"benchmark factory".to_vec(),
				energy_type: EnergyType::Solar,
				owner: *id,
				meter: None,
				// The highest rating: no mint of the workload meets the allowance.
				rated_power_w: u32::MAX,
				initial_energy_wh: FACTORY_WH,
			})
		})
		.collect();
	let progress = bar(args, (2 * n) as u64, "endowing accounts, factories");
	let mut batches = Vec::new();
	for chunk in endow.chunks(SETUP_CHUNK) {
		batches.push((runtime::tx().utility().batch_all(chunk.to_vec()), chunk.len()));
	}
	// Endowments first (all at once), then registrations.
	let endowed = futures::future::join_all(batches.iter().map(|(call, len)| {
		let client = client.clone();
		let alice = alice.clone();
		let progress = progress.clone();
		async move {
			client.submit(&alice, call.clone()).await.map_err(|e| e.to_string())?;
			progress.inc(*len as u64);
			Ok::<(), String>(())
		}
	}))
	.await;
	endowed.into_iter().collect::<Result<Vec<()>, String>>()?;
	let registrations = register.chunks(SETUP_CHUNK).map(|chunk| {
		let client = client.clone();
		let alice = alice.clone();
		let progress = progress.clone();
		let call = runtime::tx().sudo().sudo(RuntimeCall::Utility(
			runtime::runtime_types::pallet_utility::pallet::Call::batch_all {
				calls: chunk.to_vec(),
			},
		));
		let len = chunk.len() as u64;
		async move {
			client.submit(&alice, call).await.map_err(|e| e.to_string())?;
			progress.inc(len);
			Ok::<(), String>(())
		}
	});
	futures::future::join_all(registrations)
		.await
		.into_iter()
		.collect::<Result<Vec<()>, String>>()?;
	progress.finish_and_clear();

	// A bus, one offer per seller (half its factory's energy at 0.001 ECT/kWh).
	let bus = NewBus {
		name: "benchmark bus".into(),
		owners: vec![keys::account_of(&alice)],
		capacity_wh: u64::MAX / 4,
		base_price_per_kwh: 1,
	};
	let bus = client.create_bus(&alice, bus).await.map_err(|e| e.to_string())?.id;
	let offers = futures::future::join_all((buyers..n).map(|i| {
		let client = client.clone();
		let seller = signers[i].clone();
		async move {
			let offer = NewOffer {
				bus,
				factory: FactoryId::new(factory(i)),
				energy_wh: FACTORY_WH / 2,
				price_per_kwh: ECT / 1_000,
			};
			client
				.create_offer(&seller, offer)
				.await
				.map(|created| created.id.0)
				.map_err(|e| e.to_string())
		}
	}))
	.await
	.into_iter()
	.collect::<Result<Vec<u64>, String>>()?;

	// Trades of 1 kWh at 0.01 ECT/kWh: account i sells to account buyers/2 + i.
	let wants_trades = args.workloads.iter().any(|w| w == "execute_trade");
	let pairs = if wants_trades { buyers / 2 } else { 0 };
	let per = args.txs_per_account as usize;
	let progress = bar(args, (pairs * per) as u64, "creating trades");
	let trades = stream::iter(0..pairs * per)
		.map(|k| {
			let (i, client, progress) = (k % pairs, client.clone(), progress.clone());
			let seller = signers[i].clone();
			async move {
				let trade = NewTrade {
					seller: FactoryId::new(factory(i)),
					buyer: FactoryId::new(factory(pairs + i)),
					energy_wh: 1_000,
					price_per_kwh: ECT / 100,
				};
				let created = client
					.create_trade(&seller, trade)
					.await
					.map(|created| (i, created.id.0))
					.map_err(|e| e.to_string());
				progress.inc(1);
				created
			}
		})
		.buffer_unordered(IN_FLIGHT)
		.collect::<Vec<_>>()
		.await;
	progress.finish_and_clear();
	let mut by_seller = vec![Vec::new(); pairs];
	for created in trades {
		let (i, trade) = created?;
		by_seller[i].push(trade);
	}
	for list in &mut by_seller {
		list.sort();
	}
	Ok(Prepared { client, signers, ids, buyers, offers, trades: by_seller })
}

/// One pre-signed transaction.
struct Signed {
	hash: Hash,
	bytes: Vec<u8>,
}

/// The system nonce each account's next transaction needs (pool included).
async fn next_nonce(client: &EnergyClient, who: &AccountId) -> Result<u64, String> {
	client
		.rpc()
		.request::<u64>("system_accountNextIndex", rpc_params![who.to_string()])
		.await
		.map_err(|e| e.to_string())
}

/// Builds and signs one workload's transactions, offline, with explicit nonces.
async fn sign_workload(
	args: &Args,
	p: &Prepared,
	workload: Workload,
) -> Result<Vec<Signed>, String> {
	let at = p.client.subxt().at_current_block().await.map_err(|e| e.to_string())?;
	let senders: Vec<usize> = match workload {
		Workload::ExecuteTrade => (p.trades.len()..2 * p.trades.len()).collect(),
		_ => (0..p.buyers).collect(),
	};
	let per = args.txs_per_account as usize;
	let progress = bar(args, (senders.len() * per) as u64, &format!("signing {}", workload.name()));
	let mut signed = Vec::new();
	for &i in &senders {
		let mut nonce = next_nonce(&p.client, &p.ids[i]).await?;
		let mut market = match workload {
			Workload::Purchase | Workload::Batch | Workload::LockPurchase => {
				p.client.market_nonce(&p.ids[i]).await.map_err(|e| e.to_string())?
			},
			_ => 0,
		};
		for k in 0..per {
			let offer = p.offers[(i + k) % p.offers.len()];
			let into = BoundedVec(factory(i).into_bytes());
			let mut sign = |call: &dyn ErasedCall| -> Result<(), String> {
				let params = DefaultExtrinsicParamsBuilder::<ChainConfig>::new()
					.nonce(nonce)
					.immortal()
					.build();
				let tx = call.sign(&at, &p.signers[i], params)?;
				signed.push(tx);
				nonce += 1;
				Ok(())
			};
			match workload {
				Workload::Transfer => sign(&runtime::tx().balances().transfer_keep_alive(
					subxt::utils::MultiAddress::Id(p.ids[(i + 1) % p.buyers]),
					ECT,
				))?,
				Workload::Mint => {
					sign(&runtime::tx().energy_trading().mint_energy(into.clone(), 1_000))?
				},
				Workload::TransferEnergy => sign(&runtime::tx().energy_trading().transfer_energy(
					into.clone(),
					BoundedVec(factory((i + 1) % p.buyers).into_bytes()),
					1_000,
				))?,
				Workload::ExecuteTrade => {
					let trade = p.trades[i - p.trades.len()][k];
					sign(&runtime::tx().energy_trading().execute_trade(trade, ECT))?
				},
				Workload::Purchase => {
					sign(
						&runtime::tx().energy_bus().purchase_energy(offer, 100, ECT, into, market),
					)?;
					market += 1;
				},
				Workload::Batch => {
					let items = (0..BATCH)
						.map(|j| BatchItem {
							offer_id: p.offers[(i + k + j) % p.offers.len()],
							energy_wh: 10,
							max_price_per_kwh: ECT,
						})
						.collect();
					sign(&runtime::tx().energy_bus().batch_purchase_energy(
						BoundedVec(items),
						into,
						market,
					))?;
					market += 1;
				},
				Workload::LockPurchase => {
					sign(&runtime::tx().energy_bus().lock_offer(offer, 100, into.clone(), market))?;
					sign(&runtime::tx().energy_bus().purchase_energy(
						offer,
						100,
						ECT,
						into,
						market + 1,
					))?;
					market += 2;
				},
			}
			progress.inc(1);
		}
	}
	progress.finish_and_clear();
	Ok(signed)
}

/// A call of any generated type that can be signed offline.
trait ErasedCall {
	fn sign(
		&self,
		at: &subxt::client::OnlineClientAtBlock<ChainConfig>,
		signer: &Signer,
		params: subxt::config::ParamsFor<ChainConfig>,
	) -> Result<Signed, String>;
}

impl<C: Payload> ErasedCall for C {
	fn sign(
		&self,
		at: &subxt::client::OnlineClientAtBlock<ChainConfig>,
		signer: &Signer,
		params: subxt::config::ParamsFor<ChainConfig>,
	) -> Result<Signed, String> {
		let mut signable =
			at.tx().create_signable_offline(self, params).map_err(|e| e.to_string())?;
		let tx = signable.sign(signer).map_err(|e| e.to_string())?;
		Ok(Signed { hash: tx.hash(), bytes: tx.into_encoded() })
	}
}

/// What the block watchers saw.
#[derive(Default)]
struct Seen {
	/// Transaction hash -> (block number, when its block arrived).
	included: HashMap<Hash, (u64, Instant)>,
	/// Block number -> (timestamp ms, weight fraction, calls "Pallet.call" -> count).
	blocks: BTreeMap<u64, (u64, f64, HashMap<String, u64>)>,
	/// When each finalized block was announced.
	finalized: Vec<(u64, Instant)>,
	/// "Pallet.call" -> (how many succeeded, the sum of their charged weights in ref time).
	charged: HashMap<String, (u64, u128)>,
}

/// Follows best blocks (their extrinsics, timestamps and weights) and finalized heads.
fn watch(client: &EnergyClient, seen: Arc<Mutex<Seen>>) -> Vec<tokio::task::JoinHandle<()>> {
	let best = {
		let (client, seen) = (client.clone(), seen.clone());
		tokio::spawn(async move {
			let Ok(mut blocks) = client.subxt().stream_best_blocks().await else { return };
			while let Some(Ok(block)) = blocks.next().await {
				let arrived = Instant::now();
				let number = block.number();
				let Ok(at) = block.at().await else { continue };
				let mut calls: HashMap<String, u64> = HashMap::new();
				let mut hashes = Vec::new();
				// Extrinsic index -> the weight it was charged (its `ExtrinsicSuccess`).
				let mut charged_at: HashMap<u32, u64> = HashMap::new();
				if let Ok(events) = at.events().fetch().await {
					for event in events.iter().filter_map(Result::ok) {
						let Phase::ApplyExtrinsic(index) = event.phase() else { continue };
						if let Some(Ok(success)) = event.decode_fields_as::<ExtrinsicSuccess>() {
							charged_at.insert(index, success.dispatch_info.weight.ref_time);
						}
					}
				}
				let mut charged: Vec<(String, u64)> = Vec::new();
				if let Ok(extrinsics) = at.extrinsics().fetch().await {
					for ext in extrinsics.iter().filter_map(Result::ok) {
						let call = format!("{}.{}", ext.pallet_name(), ext.call_name());
						if let Some(weight) = charged_at.get(&(ext.index() as u32)) {
							charged.push((call.clone(), *weight));
						}
						*calls.entry(call).or_default() += 1;
						hashes.push(ext.hash());
					}
				}
				let timestamp = at
					.storage()
					.fetch(runtime::storage().timestamp().now(), ())
					.await
					.ok()
					.and_then(|v| v.decode().ok())
					.unwrap_or_default();
				let fullness = block_fullness(&at).await.unwrap_or_default();
				let mut seen = seen.lock().expect("not poisoned");
				for hash in hashes {
					seen.included.entry(hash).or_insert((number, arrived));
				}
				for (call, weight) in charged {
					let entry = seen.charged.entry(call).or_default();
					entry.0 += 1;
					entry.1 += weight as u128;
				}
				seen.blocks.insert(number, (timestamp, fullness, calls));
			}
		})
	};
	let finalized = {
		let (client, seen) = (client.clone(), seen.clone());
		tokio::spawn(async move {
			let Ok(mut blocks) = client.subxt().stream_blocks().await else { return };
			while let Some(Ok(block)) = blocks.next().await {
				seen.lock().expect("not poisoned").finalized.push((block.number(), Instant::now()));
			}
		})
	};
	vec![best, finalized]
}

/// A block's weight, all classes, over the most a block may weigh.
async fn block_fullness(
	at: &subxt::client::OnlineClientAtBlock<ChainConfig>,
) -> Result<f64, String> {
	let used = at
		.storage()
		.fetch(runtime::storage().system().block_weight(), ())
		.await
		.map_err(|e| e.to_string())?
		.decode()
		.map_err(|e| e.to_string())?;
	let limits = at
		.constants()
		.entry(runtime::constants().system().block_weights())
		.map_err(|e| e.to_string())?;
	let total = used.normal.ref_time + used.operational.ref_time + used.mandatory.ref_time;
	Ok(total as f64 / limits.max_block.ref_time as f64)
}

/// The runtime's weight of a transaction (`TransactionPaymentApi_query_info`), in µs.
async fn weight_us(client: &EnergyClient, tx: &[u8]) -> Result<f64, String> {
	let at = client.subxt().at_current_block().await.map_err(|e| e.to_string())?;
	let mut input = tx.to_vec();
	(tx.len() as u32).encode_to(&mut input);
	let output = at
		.runtime_apis()
		.call_raw("TransactionPaymentApi_query_info", Some(&input))
		.await
		.map_err(|e| e.to_string())?;
	let (ref_time, _proof): (Compact<u64>, Compact<u64>) =
		Decode::decode(&mut &output[..]).map_err(|e| e.to_string())?;
	Ok(ref_time.0 as f64 / 1_000_000.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
	if sorted.is_empty() {
		return 0.0;
	}
	let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
	sorted[rank.min(sorted.len() - 1)]
}

fn latency(mut ms: Vec<f64>) -> Latency {
	ms.sort_by(|a, b| a.total_cmp(b));
	Latency { p50_ms: percentile(&ms, 50.0), p99_ms: percentile(&ms, 99.0) }
}

/// Signs, submits and measures one workload.
async fn measure(args: &Args, p: &Prepared, workload: Workload) -> Result<WorkloadResult, String> {
	let txs = sign_workload(args, p, workload).await?;
	let weight = match txs.first() {
		Some(tx) => weight_us(&p.client, &tx.bytes).await?,
		None => 0.0,
	};
	let seen = Arc::new(Mutex::new(Seen::default()));
	let watchers = watch(&p.client, seen.clone());
	let start_block = p.client.best_block().await.map_err(|e| e.to_string())?.number;

	// Submit everything, as fast as the node accepts it.
	let progress = bar(args, txs.len() as u64, &format!("submitting {}", workload.name()));
	let started = Instant::now();
	let rpc = p.client.rpc().clone();
	let outcomes: Vec<(Hash, Instant, bool)> = stream::iter(txs.iter())
		.map(|tx| {
			let (rpc, progress) = (rpc.clone(), progress.clone());
			async move {
				let sent = Instant::now();
				let hex = format!("0x{}", hex::encode(&tx.bytes));
				let accepted = rpc
					.request::<serde_json::Value>("author_submitExtrinsic", rpc_params![hex])
					.await
					.is_ok();
				progress.inc(1);
				(tx.hash, sent, accepted)
			}
		})
		.buffered(IN_FLIGHT)
		.collect()
		.await;
	let submit_seconds = started.elapsed().as_secs_f64();
	progress.finish_and_clear();
	let accepted: Vec<&(Hash, Instant, bool)> = outcomes.iter().filter(|o| o.2).collect();

	// Wait until every accepted transaction is in a block (or nothing new comes for 60 s),
	// then until that block is finalized.
	let progress = bar(args, accepted.len() as u64, &format!("including {}", workload.name()));
	let mut last_progress = (0usize, Instant::now());
	let last_block = loop {
		let (count, last) = {
			let seen = seen.lock().expect("not poisoned");
			let found: Vec<u64> =
				accepted.iter().filter_map(|o| seen.included.get(&o.0).map(|i| i.0)).collect();
			(found.len(), found.into_iter().max())
		};
		progress.set_position(count as u64);
		if count == accepted.len() {
			break last.unwrap_or(start_block);
		}
		if count > last_progress.0 {
			last_progress = (count, Instant::now());
		} else if last_progress.1.elapsed() > Duration::from_secs(60) {
			break last.unwrap_or(start_block);
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
	};
	progress.finish_and_clear();
	let finality_deadline = Instant::now() + Duration::from_secs(60);
	while Instant::now() < finality_deadline {
		let done = seen.lock().expect("not poisoned").finalized.iter().any(|f| f.0 >= last_block);
		if done {
			break;
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	// One more block, so the window's blocks are all read.
	tokio::time::sleep(Duration::from_millis(500)).await;
	for watcher in watchers {
		watcher.abort();
	}

	let seen = seen.lock().expect("not poisoned");
	let mut inclusion = Vec::new();
	let mut finality = Vec::new();
	for (hash, sent, _) in &accepted {
		if let Some((number, arrived)) = seen.included.get(hash) {
			inclusion.push(arrived.duration_since(*sent).as_secs_f64() * 1_000.0);
			if let Some((_, at)) = seen.finalized.iter().find(|f| f.0 >= *number) {
				finality.push(at.duration_since(*sent).as_secs_f64() * 1_000.0);
			}
		}
	}
	let counted = |calls: &HashMap<String, u64>| -> u64 {
		workload.calls().iter().map(|c| calls.get(*c).copied().unwrap_or(0)).sum()
	};
	let window: Vec<u64> = seen
		.blocks
		.iter()
		.filter(|(number, (_, _, calls))| **number > start_block && counted(calls) > 0)
		.map(|(number, _)| *number)
		.collect();
	let mut blocks = Vec::new();
	for number in window.first().copied().unwrap_or(0)..=window.last().copied().unwrap_or(0) {
		let (Some((ts, fullness, calls)), Some((parent_ts, _, _))) =
			(seen.blocks.get(&number), seen.blocks.get(&number.saturating_sub(1)))
		else {
			continue;
		};
		let block_time_ms = ts.saturating_sub(*parent_ts).max(1);
		let included = counted(calls);
		blocks.push(BlockStat {
			number,
			block_time_ms,
			included,
			tx_per_s: included as f64 * 1_000.0 / block_time_ms as f64,
			fullness: *fullness,
		});
	}
	let (charged_count, charged_sum) = workload
		.calls()
		.iter()
		.filter_map(|call| seen.charged.get(*call))
		.fold((0u64, 0u128), |(count, sum), (c, s)| (count + c, sum + s));
	let charged_weight_us =
		if charged_count > 0 { charged_sum as f64 / charged_count as f64 / 1e6 } else { 0.0 };
	let included: u64 = blocks.iter().map(|b| b.included).sum();
	let span_ms: u64 = blocks.iter().map(|b| b.block_time_ms).sum();
	let tx_per_s = if span_ms > 0 { included as f64 * 1_000.0 / span_ms as f64 } else { 0.0 };
	let median_block_tx_per_s = median(blocks.iter().map(|b| b.tx_per_s).collect());
	let mean_fullness = if blocks.is_empty() {
		0.0
	} else {
		blocks.iter().map(|b| b.fullness).sum::<f64>() / blocks.len() as f64
	};
	Ok(WorkloadResult {
		workload: workload.name(),
		submitted: txs.len() as u64,
		rejected: (outcomes.len() - accepted.len()) as u64,
		included,
		submit_seconds,
		tx_per_s,
		items_per_s: tx_per_s * workload.items_per_tx(),
		ratio_to_transfer: None,
		median_block_tx_per_s,
		median_ratio_to_transfer: None,
		mean_fullness,
		inclusion: latency(inclusion),
		finality: (!finality.is_empty()).then(|| latency(finality)),
		weight_us: weight,
		charged_weight_us,
		blocks,
	})
}

/// The median of `values` (the mean of the middle two for an even count); 0 for none.
fn median(mut values: Vec<f64>) -> f64 {
	values.sort_by(f64::total_cmp);
	let n = values.len();
	match n {
		0 => 0.0,
		_ if n % 2 == 1 => values[n / 2],
		_ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_median_of_blocks() {
		assert_eq!(median(vec![]), 0.0);
		assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
		assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
	}

	#[test]
	fn workloads_parse_by_name_and_count_their_calls() {
		for name in ALL_WORKLOADS.split(',') {
			assert_eq!(Workload::parse(name).unwrap().name(), name);
		}
		assert!(Workload::parse("teleport").unwrap_err().contains("unknown workload"));
		assert_eq!(Workload::LockPurchase.calls().len(), 2);
		assert_eq!(Workload::Batch.items_per_tx(), 10.0);
	}

	#[test]
	fn percentiles_pick_ranks() {
		let l = latency((1..=100).map(|v| v as f64).collect());
		assert_eq!((l.p50_ms, l.p99_ms), (51.0, 99.0));
		assert_eq!(latency(vec![]).p50_ms, 0.0);
	}
}
