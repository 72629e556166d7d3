//! The multi-node tests: `zombienet/local.toml` (four validators and an RPC node) spawned once
//! with zombienet-sdk, and the market run across its nodes and through a validator's failure.
//!
//! One network serves the four tests, which run in order (the fault test last, since it
//! disturbs the network); this file is its own test harness (`harness = false`). Pass test
//! names as arguments to run only those. Every node process is stopped at the end, also when a
//! test fails or panics; then the last lines of every node's log are printed, and the run's
//! directory (databases and full logs) is kept and named.

use std::{
	collections::BTreeMap,
	panic::AssertUnwindSafe,
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

use anyhow::{bail, ensure, Context};
use energy_client::{
	keys,
	runtime::energy_bus::events::LockEnded,
	units::PLANCKS_PER_ECT,
	views::{MarketParamsView, TradeStatus},
	AccountId, BatchPurchaseItem, BusId, FactoryId, Hash, NewOffer, NewTrade, NonceChoice, OfferId,
	Purchase, PurchaseId, PurchaseOutcome, TradeId, TxOutcome,
};
use energy_zombienet::{wait_until, LocalNetwork, NODES, RPC_NODE, VALIDATORS};
use futures::FutureExt;

const KWH: u64 = 1_000;
/// 0.01 ECT.
const CENT: u128 = PLANCKS_PER_ECT / 100;
/// How long any one condition may take to come true.
const TIMEOUT: Duration = Duration::from_secs(180);

/// Offers of the `local` preset (see runtime/src/genesis_config_presets.rs): Dave's Factory16
/// on bus 0 at 0.07 ECT/kWh, Eve's Factory05 on bus 2 at 0.06 and Alice's Factory07 on bus 2
/// at 0.05.
const DAVE_OFFER: OfferId = OfferId(1);
const EVE_OFFER: OfferId = OfferId(5);
const ALICE_OFFER: OfferId = OfferId(6);

/// A factory's id.
fn factory(id: &str) -> FactoryId {
	FactoryId::new(id)
}

type TestFn =
	for<'a> fn(&'a mut LocalNetwork) -> futures::future::BoxFuture<'a, anyhow::Result<()>>;

fn main() {
	let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
	let tests: [(&str, TestFn); 4] = [
		("network_up", |n| network_up(n).boxed()),
		("market_across_nodes", |n| market_across_nodes(n).boxed()),
		("lock_expires_on_every_node_at_the_same_block", |n| lock_expiry(n).boxed()),
		("validator_stops_and_catches_up_without_losing_purchases", |n| fault(n).boxed()),
	];
	let selected: Vec<_> = tests
		.into_iter()
		.filter(|(name, _)| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())))
		.collect();
	println!("\nrunning {} tests (one zombienet network: {})", selected.len(), NODES.join(", "));
	if selected.is_empty() {
		return;
	}
	let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
	let failed = runtime.block_on(run(selected));
	if failed > 0 {
		std::process::exit(101);
	}
}

/// Spawns the network, runs the tests in order, tears the network down; returns how many
/// tests failed.
async fn run(tests: Vec<(&str, TestFn)>) -> usize {
	let start = Instant::now();
	let mut network = match LocalNetwork::spawn().await {
		Ok(network) => network,
		Err(error) => {
			eprintln!("spawning zombienet/local.toml failed: {error:#}");
			return tests.len();
		},
	};
	println!("network spawned in {:.0?}, in {}", start.elapsed(), network.base_dir().display());
	let mut failed = Vec::new();
	for (name, test) in &tests {
		let start = Instant::now();
		let outcome = AssertUnwindSafe(test(&mut network)).catch_unwind().await;
		let error = match outcome {
			Ok(Ok(())) => None,
			Ok(Err(error)) => Some(format!("{error:#}")),
			Err(panic) => Some(
				panic
					.downcast_ref::<String>()
					.cloned()
					.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
					.unwrap_or_else(|| "panicked".into()),
			),
		};
		match error {
			None => println!("test {name} ... ok ({:.0?})", start.elapsed()),
			Some(error) => {
				println!("test {name} ... FAILED ({:.0?})\n  {error}", start.elapsed());
				failed.push(*name);
			},
		}
	}
	let base_dir = network.base_dir().to_path_buf();
	if !failed.is_empty() {
		eprintln!("\n{}", network.log_tails(40));
	}
	network.destroy().await;
	if failed.is_empty() {
		let _ = std::fs::remove_dir_all(&base_dir);
	} else {
		eprintln!("the nodes' databases and full logs are kept in {}", base_dir.display());
	}
	println!(
		"\ntest result: {}. {} passed; {} failed; finished in {:.0?}\n",
		if failed.is_empty() { "ok" } else { "FAILED" },
		tests.len() - failed.len(),
		failed.len(),
		start.elapsed(),
	);
	failed.len()
}

/// 1. Every node finalizes block 5, and they all agree on the hash of a common finalized block.
async fn network_up(network: &mut LocalNetwork) -> anyhow::Result<()> {
	network.wait_finalized(&NODES, 5, TIMEOUT.as_secs()).await?;
	let (height, hashes) = network.common_finalized(&NODES).await?;
	ensure!(height >= 5, "the common finalized height is {height}");
	ensure_all_equal("finalized block hash", &hashes)?;
	// Every node sees the `local` preset's example market.
	for (name, client) in network.clients() {
		let factories = client.at_block(hashes[0]).all_factories().await?;
		ensure!(factories.len() == 20, "{name} shows {} factories", factories.len());
	}
	// The validators run as authorities (Prometheus's `node_roles` 4), the RPC node as a full
	// node (1).
	for name in NODES {
		let role = network.node(name)?.reports("node_roles").await?;
		let expected = if name == RPC_NODE { 1.0 } else { 4.0 };
		ensure!(role == expected, "{name} reports node_roles {role}, expected {expected}");
	}
	// Each of the four validators authors blocks: zombienet made them the Aura authorities and
	// put their keys in their keystores.
	for name in VALIDATORS {
		let node = network.node(name)?;
		wait_until(&format!("{name} authoring a block"), TIMEOUT, || async {
			Ok(node.logs().await?.contains("Prepared block for proposing").then_some(()))
		})
		.await?;
	}
	println!("  all 5 nodes agree on finalized block #{height} {:?}", hashes[0]);
	Ok(())
}

/// 2. A trade created through one node and executed through another; offers and a batch
///    purchase submitted to different nodes; every node then holds the same balances, offers
///    and receipts.
async fn market_across_nodes(network: &mut LocalNetwork) -> anyhow::Result<()> {
	let [alice, bob, charlie, dave, eve, ferdie] = signers()?;
	let before = network.client("rpc").all_factories().await?;
	let balance_of = |id: &str| before.iter().find(|f| f.id.as_str() == id).map(|f| f.energy_wh);

	// Alice sells 100 kWh of Factory01 to Dave's Factory04 at 0.08 ECT/kWh, through alice;
	// Dave executes it through bob.
	let via_alice = network.client("alice");
	let trade = NewTrade {
		seller: factory("Factory01"),
		buyer: factory("Factory04"),
		energy_wh: 100 * KWH,
		price_per_kwh: 8 * CENT,
	};
	let created = via_alice.create_trade(&alice, trade).await?;
	synced(network, &created.outcome).await?;
	let executed =
		network.client("bob").execute_trade(&dave, created.id, 8 * PLANCKS_PER_ECT).await?;
	synced(network, &executed.outcome).await?;
	let trade_id = created.id;

	// Charlie offers 100 kWh of Factory09 on bus 0 through charlie; Eve 200 kWh of Factory17 on
	// bus 2 through dave.
	let offer = |bus: u32, id: &str, energy_wh: u64, cents: u128| NewOffer {
		bus: BusId(bus),
		factory: factory(id),
		energy_wh,
		price_per_kwh: cents * CENT,
	};
	let offered = network
		.client("charlie")
		.create_offer(&charlie, offer(0, "Factory09", 100 * KWH, 6))
		.await?;
	synced(network, &offered.outcome).await?;
	let charlie_offer = offered.id;
	let offered =
		network.client("dave").create_offer(&eve, offer(2, "Factory17", 200 * KWH, 5)).await?;
	synced(network, &offered.outcome).await?;
	let eve_offer = offered.id;

	// Ferdie buys from three offers in one batch through the RPC node; Bob buys part of Eve's
	// offer through alice.
	let items = [
		BatchPurchaseItem {
			offer_id: charlie_offer,
			energy_wh: 30 * KWH,
			max_price_per_kwh: 6 * CENT,
		},
		BatchPurchaseItem { offer_id: eve_offer, energy_wh: 40 * KWH, max_price_per_kwh: 5 * CENT },
		BatchPurchaseItem {
			offer_id: DAVE_OFFER,
			energy_wh: 20 * KWH,
			max_price_per_kwh: 7 * CENT,
		},
	];
	let batch = network
		.client("rpc")
		.batch_purchase(&ferdie, &items, &factory("Factory06"), NonceChoice::Next)
		.await?;
	ensure!(batch.purchases.len() == 3, "the batch made {} purchases", batch.purchases.len());
	synced(network, included(&batch)?).await?;
	let purchase = Purchase {
		offer: eve_offer,
		energy_wh: 10 * KWH,
		max_price_per_kwh: 5 * CENT,
		into: factory("Factory02"),
		nonce: NonceChoice::Next,
	};
	let single = network.client("alice").purchase(&bob, purchase).await?;
	let last = included(&single)?.block_number;

	// At a block every node has finalized, every node shows the same market.
	let at = agreed_finalized_block(network, last).await?;
	let receipts = [batch.receipt, single.receipt];
	let buyers = [keys::account_of(&ferdie), keys::account_of(&bob)];
	let buses = [BusId(0), BusId(1), BusId(2)];
	let views = market_views(network, at, &[trade_id], &buses, &buyers, &receipts).await?;
	ensure_all_equal("market state", &views)?;

	// And it is the market these calls made.
	let view = &views[0];
	let now = |id: &str| view.factories.iter().find(|f| f.id.as_str() == id).map(|f| f.energy_wh);
	ensure!(now("Factory04") == balance_of("Factory04").map(|b| b + 100 * KWH), "Factory04");
	ensure!(now("Factory06") == balance_of("Factory06").map(|b| b + 90 * KWH), "Factory06");
	ensure!(now("Factory02") == balance_of("Factory02").map(|b| b + 10 * KWH), "Factory02");
	let offer = |id: OfferId| view.offers.iter().find(|o| o.id == id);
	ensure!(offer(charlie_offer).map(|o| o.sold_wh) == Some(30 * KWH), "Charlie's offer");
	ensure!(offer(eve_offer).map(|o| o.sold_wh) == Some(50 * KWH), "Eve's offer");
	ensure!(view.receipts_processed.iter().all(|p| *p), "a receipt is missing");
	ensure!(view.purchases.iter().map(Vec::len).sum::<usize>() == 4, "4 purchases");
	let status = view.trades[0].as_ref().map(|t| t.status);
	ensure!(status == Some(TradeStatus::Completed), "the trade is {status:?}, not Completed");
	Ok(())
}

/// 4. A lock taken through one node ends on every node in the same block: the first after its
///    last usable block.
async fn lock_expiry(network: &mut LocalNetwork) -> anyhow::Result<()> {
	let [alice, _, _, dave, _, _] = signers()?;
	// Locks last 4 blocks (Root, through sudo: Alice is the `local` chain's sudo key).
	let params = network.client("bob").market_params().await?;
	let changed = network
		.client("bob")
		.set_market_params(&alice, MarketParamsView { lock_duration: 4, ..params })
		.await?;
	synced(network, &changed).await?;

	let lock = network
		.client("charlie")
		.lock_offer(&dave, ALICE_OFFER, 10 * KWH, &factory("Factory04"), NonceChoice::Next)
		.await?;
	ensure!(
		lock.expires_at as u64 == lock.outcome.block_number + 4,
		"expires at {}",
		lock.expires_at
	);
	let end = lock.expires_at as u64 + 1;
	network.wait_finalized(&NODES, end, TIMEOUT.as_secs()).await?;

	let mut ended_in = Vec::new();
	for (name, client) in network.clients() {
		// The first block without the lock, searched from the block that took it.
		let mut first_without = None;
		for number in lock.outcome.block_number..=end {
			let hash = client.block_hash(number).await?.context("a finalized block")?;
			let locks = client.at_block(hash).offer_locks(ALICE_OFFER).await?;
			if !locks.locks.iter().any(|l| l.id == lock.lock_id) {
				first_without = Some((number, hash));
				break;
			}
		}
		let (number, hash) = first_without.with_context(|| format!("{name} still has the lock"))?;
		ensure!(number == end, "{name}: the lock ended in block #{number}, not #{end}");
		let ended = client.at_block(hash).find_events::<LockEnded>().await?;
		let expired = ended.iter().any(|e| e.lock_id == lock.lock_id.0 && e.expired);
		ensure!(expired, "{name}: block #{number} has no LockEnded {{ expired: true }} event");
		ended_in.push(hash);
	}
	ensure_all_equal("the block the lock expired in", &ended_in)?;
	println!("  lock {} expired in block #{end} on all 5 nodes", lock.lock_id);
	Ok(())
}

/// 3. A validator stops while purchases go on through the other nodes; the chain keeps
///    producing and finalizing; the validator restarts and catches up to the same state root;
///    every purchase a buyer saw included is in the final state on every node.
async fn fault(network: &mut LocalNetwork) -> anyhow::Result<()> {
	const STOPPED: &str = "dave";
	let [_, bob, charlie, _, _, ferdie] = signers()?;
	// One buyer per node that stays up (so each account's nonces come from one node), each
	// buying 1 kWh of Eve's genesis offer at a time, into its own factory.
	let buyers =
		[("alice", bob, "Factory02"), ("bob", charlie, "Factory03"), ("rpc", ferdie, "Factory06")]
			.map(|(node, buyer, id)| (node, buyer, factory(id)));
	let stop = Arc::new(AtomicBool::new(false));
	let seen = Arc::new(std::sync::Mutex::new(Vec::<(AccountId, PurchaseOutcome)>::new()));
	let mut loops = Vec::new();
	for (node, buyer, factory) in buyers {
		let (client, stop, seen) = (network.client(node).clone(), stop.clone(), seen.clone());
		loops.push(tokio::spawn(async move {
			let mut errors = Vec::new();
			while !stop.load(Ordering::Relaxed) {
				let purchase = Purchase {
					offer: EVE_OFFER,
					energy_wh: KWH,
					max_price_per_kwh: 6 * CENT,
					into: factory.clone(),
					nonce: NonceChoice::Next,
				};
				match client.purchase(&buyer, purchase).await {
					Ok(outcome) => seen.lock().unwrap().push((keys::account_of(&buyer), outcome)),
					Err(error) => errors.push(format!("{node}: {error}")),
				}
			}
			errors
		}));
	}
	let included_count = || seen.lock().unwrap().len();

	let result = async {
		wait_until("the first purchases", TIMEOUT, || async {
			Ok((included_count() >= 3).then_some(()))
		})
		.await?;
		let alice = network.client("alice");
		let stopped_at = alice.finalized_number().await?;
		network.stop(STOPPED).await?;
		let bought_before = included_count();
		println!("  stopped {STOPPED} at finalized #{stopped_at} after {bought_before} purchases");

		// Without Dave, the chain goes on: new blocks, finalized by the three others.
		network
			.wait_finalized(&["alice", "bob", "charlie", "rpc"], stopped_at + 4, TIMEOUT.as_secs())
			.await?;
		wait_until("purchases while dave is stopped", TIMEOUT, || async {
			Ok((included_count() >= bought_before + 3).then_some(()))
		})
		.await?;
		let finalized_without = alice.finalized_number().await?;
		println!(
			"  without {STOPPED}: finalized #{finalized_without}, {} purchases included",
			included_count() - bought_before
		);

		network.restart(STOPPED).await?;
		network.wait_finalized(&[STOPPED], finalized_without + 1, TIMEOUT.as_secs()).await?;
		let after_restart = included_count();
		wait_until("purchases after the restart", TIMEOUT, || async {
			Ok((included_count() >= after_restart + 2).then_some(()))
		})
		.await?;
		anyhow::Ok(())
	}
	.await;
	stop.store(true, Ordering::Relaxed);
	let mut errors = Vec::new();
	for task in loops {
		errors.extend(task.await?);
	}
	result?;
	if !errors.is_empty() {
		println!("  {} purchase attempts failed (not counted as seen): {errors:?}", errors.len());
	}

	// At a block every node (Dave too) has finalized: the same hash, the same state root, and
	// every purchase seen included.
	let seen = seen.lock().unwrap().clone();
	let mut last = 0;
	for (_, purchase) in &seen {
		last = last.max(included(purchase)?.block_number);
	}
	let at = agreed_finalized_block(network, last).await?;
	let mut roots = Vec::new();
	for (name, client) in network.clients() {
		roots.push(client.state_root(at).await.with_context(|| format!("{name}'s state root"))?);
	}
	ensure_all_equal("state root", &roots)?;
	for (name, client) in network.clients() {
		let client = client.at_block(at);
		let mut held: BTreeMap<AccountId, Vec<PurchaseId>> = BTreeMap::new();
		for (buyer, outcome) in &seen {
			ensure!(
				client.is_transaction_processed(outcome.receipt).await?,
				"{name} lost the purchase with receipt {:?}",
				outcome.receipt
			);
			if !held.contains_key(buyer) {
				let ids = client.purchases(buyer).await?.into_iter().map(|p| p.id).collect();
				held.insert(*buyer, ids);
			}
			for made in &outcome.purchases {
				ensure!(
					held[buyer].contains(&made.purchase_id),
					"{name} lost purchase {}",
					made.purchase_id
				);
			}
		}
	}
	println!("  {} purchases seen included, all in the state of all 5 nodes at {at:?}", seen.len());
	Ok(())
}

/// Alice, Bob, Charlie, Dave, Eve and Ferdie.
fn signers() -> anyhow::Result<[keys::Signer; 6]> {
	let s = |name: &str| keys::signer(&format!("//{name}"));
	Ok([s("Alice")?, s("Bob")?, s("Charlie")?, s("Dave")?, s("Eve")?, s("Ferdie")?])
}

fn included(outcome: &PurchaseOutcome) -> anyhow::Result<&TxOutcome> {
	outcome.outcome.as_ref().context("the purchase had already been made")
}

/// Waits until every node has the block `outcome` was included in (the same hash at its
/// height), so that a write through another node sees it.
async fn synced(network: &LocalNetwork, outcome: &TxOutcome) -> anyhow::Result<()> {
	for (name, client) in network.clients() {
		wait_until(
			&format!("{name} importing block #{}", outcome.block_number),
			TIMEOUT,
			|| async {
				Ok((client.block_hash(outcome.block_number).await? == Some(outcome.block_hash))
					.then_some(()))
			},
		)
		.await?;
	}
	Ok(())
}

/// Waits until every node has finalized block `number`, checks that they agree on the hash of
/// their highest common finalized block, and returns it.
async fn agreed_finalized_block(network: &LocalNetwork, number: u64) -> anyhow::Result<Hash> {
	network.wait_finalized(&NODES, number, TIMEOUT.as_secs()).await?;
	let (_, hashes) = network.common_finalized(&NODES).await?;
	ensure_all_equal("finalized block hash", &hashes)?;
	Ok(hashes[0])
}

/// What one node shows of the market at one block.
#[derive(Debug, PartialEq)]
struct MarketView {
	trades: Vec<Option<energy_client::views::TradeView>>,
	factories: Vec<energy_client::views::FactoryView>,
	offers: Vec<energy_client::views::OfferView>,
	purchases: Vec<Vec<energy_client::views::PurchaseView>>,
	receipts_processed: Vec<bool>,
}

async fn market_views(
	network: &LocalNetwork,
	at: Hash,
	trade_ids: &[TradeId],
	buses: &[BusId],
	buyers: &[AccountId],
	receipts: &[Hash],
) -> anyhow::Result<Vec<MarketView>> {
	let mut views = Vec::new();
	for (name, client) in network.clients() {
		let client = client.at_block(at);
		let view = async {
			let mut offers = Vec::new();
			for bus in buses {
				offers.extend(client.bus_offers(*bus).await?);
			}
			let mut purchases = Vec::new();
			for buyer in buyers {
				purchases.push(client.purchases(buyer).await?);
			}
			let mut receipts_processed = Vec::new();
			for receipt in receipts {
				receipts_processed.push(client.is_transaction_processed(*receipt).await?);
			}
			let mut trades = Vec::new();
			for id in trade_ids {
				trades.push(client.trade(*id).await?);
			}
			let factories = client.all_factories().await?;
			anyhow::Ok(MarketView { trades, factories, offers, purchases, receipts_processed })
		};
		views.push(view.await.with_context(|| format!("reading the market on {name}"))?);
	}
	Ok(views)
}

fn ensure_all_equal<T: PartialEq + std::fmt::Debug>(
	what: &str,
	values: &[T],
) -> anyhow::Result<()> {
	if let Some((i, differs)) = values.iter().enumerate().find(|(_, v)| *v != &values[0]) {
		bail!("{what} differs: {} has {:?}, {} has {differs:?}", NODES[0], values[0], NODES[i]);
	}
	Ok(())
}
