//! Starts the real `energy-node` and talks to it over JSON-RPC, as a user's tools would.

use std::{
	io::{Read, Write},
	net::TcpStream,
	process::Command,
	thread,
	time::{Duration, Instant},
};

use energy_test_support::DevNode;
use serde_json::{json, Value};

const NODE: &str = env!("CARGO_BIN_EXE_energy-node");

/// A dev node of this crate's `energy-node`, spoken to over JSON-RPC on HTTP.
struct Node(DevNode);

impl Node {
	fn start() -> Self {
		let node =
			DevNode::builder().binary(NODE).start().unwrap_or_else(|error| panic!("{error}"));
		Node(node)
	}

	/// One JSON-RPC call over HTTP; `None` while the server is not up yet.
	fn try_rpc(&self, method: &str, params: Value) -> Option<Value> {
		let body =
			json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
		let mut stream = TcpStream::connect(("127.0.0.1", self.0.rpc_port())).ok()?;
		stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
		write!(
			stream,
			"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
			body.len()
		)
		.ok()?;
		let mut response = String::new();
		stream.read_to_string(&mut response).ok()?;
		let (_, body) = response.split_once("\r\n\r\n")?;
		let reply: Value = serde_json::from_str(body).ok()?;
		assert!(reply.get("error").is_none(), "{method} failed: {reply}");
		reply.get("result").cloned()
	}

	fn rpc(&self, method: &str, params: Value) -> Value {
		self.try_rpc(method, params).unwrap_or_else(|| panic!("{method}: no answer"))
	}

	/// Polls `condition` until it holds, failing the test after `timeout`.
	fn wait_until<T>(
		&mut self,
		what: &str,
		timeout: Duration,
		mut condition: impl FnMut(&Self) -> Option<T>,
	) -> T {
		let start = Instant::now();
		loop {
			if let Some(value) = condition(self) {
				return value;
			}
			if let Some(status) = self.0.exit_status() {
				panic!("energy-node exited with {status} while waiting for {what}");
			}
			assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
			thread::sleep(Duration::from_millis(250));
		}
	}
}

fn block_number(header: &Value) -> u64 {
	let hex = header["number"].as_str().expect("header has a number");
	u64::from_str_radix(hex.trim_start_matches("0x"), 16).unwrap()
}

#[test]
fn dev_node_produces_and_finalizes_blocks_and_answers_rpc() {
	let mut node = Node::start();

	// Block 1 is authored within a slot (6 s) or two and finalised right after by GRANDPA.
	let finalized = node.wait_until("a finalized block", Duration::from_secs(180), |node| {
		let hash = node.try_rpc("chain_getFinalizedHead", json!([]))?;
		let header = node.try_rpc("chain_getHeader", json!([hash]))?;
		(block_number(&header) >= 1).then_some(header)
	});
	assert!(block_number(&finalized) >= 1);

	let best = node.rpc("chain_getHeader", json!([]));
	assert!(block_number(&best) >= block_number(&finalized));
	assert!(best["parentHash"].as_str().unwrap().starts_with("0x"));

	let health = node.rpc("system_health", json!([]));
	assert_eq!(health["isSyncing"], json!(false), "{health}");
	assert_eq!(health["shouldHavePeers"], json!(false), "a dev chain needs no peers: {health}");

	// SCALE-encoded metadata starts with the magic number "meta".
	let metadata = node.rpc("state_getMetadata", json!([]));
	let metadata = metadata.as_str().unwrap();
	assert!(metadata.starts_with("0x6d657461"), "metadata magic");
	assert!(metadata.len() > 10_000, "metadata of all pallets");

	let version = node.rpc("state_getRuntimeVersion", json!([]));
	assert_eq!(version["specName"], json!("energy-chain"));

	let properties = node.rpc("system_properties", json!([]));
	assert_eq!(properties["tokenSymbol"], json!("ECT"));
	assert_eq!(properties["tokenDecimals"], json!(12));

	assert_eq!(node.rpc("system_chain", json!([])), json!("Energy Chain Development"));

	// Alice's account nonce comes from the node's own `system_accountNextIndex` method.
	let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	assert_eq!(node.rpc("system_accountNextIndex", json!([alice])), json!(0));
}

fn build_spec(chain: &str) -> Value {
	let output = Command::new(NODE)
		.args(["build-spec", "--chain", chain, "--disable-default-bootnode"])
		.output()
		.expect("energy-node build-spec runs");
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	serde_json::from_slice(&output.stdout).expect("build-spec prints JSON")
}

#[test]
fn build_spec_local_has_two_aura_and_two_grandpa_authorities() {
	let spec = build_spec("local");
	assert_eq!(spec["id"], json!("energy_local"));
	assert_eq!(spec["properties"]["tokenSymbol"], json!("ECT"));
	let genesis = &spec["genesis"]["runtimeGenesis"]["patch"];
	let aura = genesis["aura"]["authorities"].as_array().expect("aura authorities in the spec");
	let grandpa =
		genesis["grandpa"]["authorities"].as_array().expect("grandpa authorities in the spec");
	assert_eq!(aura.len(), 2, "{aura:?}");
	assert_eq!(grandpa.len(), 2, "{grandpa:?}");
	// Alice and Bob, in that order.
	assert_eq!(aura[0], json!("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"));
	assert_eq!(aura[1], json!("5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"));
}

#[test]
fn build_spec_dev_has_one_authority_and_a_raw_form() {
	let spec = build_spec("dev");
	let genesis = &spec["genesis"]["runtimeGenesis"]["patch"];
	assert_eq!(genesis["aura"]["authorities"].as_array().unwrap().len(), 1);
	assert_eq!(genesis["sudo"]["key"], json!("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"));

	let output = Command::new(NODE)
		.args(["build-spec", "--chain", "dev", "--raw", "--disable-default-bootnode"])
		.output()
		.unwrap();
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let raw: Value = serde_json::from_slice(&output.stdout).unwrap();
	let top = raw["genesis"]["raw"]["top"].as_object().expect("raw storage");
	// `:code`, the runtime itself, is in every raw spec.
	assert!(top.contains_key("0x3a636f6465"));
}

#[test]
fn energy_rpc_methods_answer_plain_json() {
	let mut node = Node::start();
	node.wait_until("the RPC server", Duration::from_secs(120), |node| {
		node.try_rpc("system_health", json!([]))
	});

	let factory = node.rpc("energy_getFactory", json!(["Factory01"]));
	assert_eq!(factory["id"], json!("Factory01"));
	assert_eq!(factory["energyType"], json!("solar"));
	assert_eq!(factory["energyWh"], json!(1_000_000));
	assert_eq!(factory["owner"], json!("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"));
	assert_eq!(node.rpc("energy_getEnergyBalance", json!(["Factory02"])), json!(800_000));
	assert_eq!(node.rpc("energy_getFactory", json!(["NoSuchFactory"])), Value::Null);

	// 20 example factories, in pages.
	let first = node.rpc("energy_getAllFactories", json!([null, 15]));
	let first = first.as_array().unwrap();
	assert_eq!(first.len(), 15);
	let last_id = first[14]["id"].clone();
	let rest = node.rpc("energy_getAllFactories", json!([last_id, 15]));
	assert_eq!(rest.as_array().unwrap().len(), 5);

	// The history, from the node's index of the ledger's events, complete from genesis, whose
	// record is each factory's balance then.
	let history = node.rpc("energy_getFactoryHistory", json!(["Factory03"]));
	assert_eq!(history["completeFrom"], json!(0));
	let records = history["records"].as_array().unwrap();
	let oldest = records.last().unwrap();
	assert_eq!((&oldest["kind"], &oldest["block"]), (&json!("genesis"), &json!(0)));
	assert_eq!(oldest["final"], json!(true));
	let genesis = node.rpc("chain_getBlockHash", json!([0]));
	let at_genesis = node.rpc("energy_getEnergyBalance", json!(["Factory03", genesis]));
	assert_eq!(oldest["balanceWh"], at_genesis);
	assert_eq!(history["next"], Value::Null);
	let unknown = node.rpc("energy_getFactoryHistory", json!(["NoSuchFactory", null, 10]));
	assert_eq!(unknown["records"], json!([]));
	assert_eq!(node.rpc("energy_getTrade", json!([0])), Value::Null);
	assert_eq!(node.rpc("energy_getFactoryTrades", json!(["Factory01"])), json!([]));

	// Alice's four factories, in pages.
	let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	let first = node.rpc("energy_getOwnerFactories", json!([alice, null, 3]));
	let first = first.as_array().unwrap();
	assert_eq!(first.len(), 3);
	assert!(first.iter().all(|factory| factory["owner"] == json!(alice)));
	let rest = node.rpc("energy_getOwnerFactories", json!([alice, first[2]["id"], 3]));
	let mut ids: Vec<&str> =
		first.iter().chain(rest.as_array().unwrap()).map(|f| f["id"].as_str().unwrap()).collect();
	ids.sort();
	assert_eq!(ids, ["Factory01", "Factory07", "Factory13", "Factory19"]);
	assert_eq!(node.rpc("energy_getOwnerFactories", json!([alice, "Factory99", 0])), json!([]));
}

#[test]
fn energy_bus_rpc_methods_show_the_example_market() {
	let mut node = Node::start();
	node.wait_until("the RPC server", Duration::from_secs(120), |node| {
		node.try_rpc("system_health", json!([]))
	});
	let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	let charlie = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y";

	let bus = node.rpc("energy_getBusDetails", json!([0]));
	assert_eq!(bus["name"], json!("Solar Farm A"));
	assert_eq!(bus["capacityWh"], json!(5_000_000));
	assert_eq!(bus["committedWh"], json!(600_000));
	assert_eq!(bus["availableWh"], json!(4_400_000));
	assert_eq!(bus["owners"].as_array().unwrap().len(), 3);
	assert_eq!(node.rpc("energy_getBusDetails", json!([99])), Value::Null);

	assert_eq!(node.rpc("energy_getUserBuses", json!([alice])), json!([0, 2]));
	let offers = node.rpc("energy_getBusActiveOffers", json!([0]));
	assert_eq!(offers.as_array().unwrap().len(), 3);
	let charlies = node.rpc("energy_getUserBusOffers", json!([charlie, 0]));
	assert_eq!(charlies[0]["factory"], json!("Factory09"));
	assert_eq!(charlies[0]["availableWh"], json!(200_000));
	assert_eq!(charlies[0]["status"], json!("open"));

	let locks = node.rpc("energy_getOfferLocks", json!([0]));
	assert_eq!(locks, json!({"lockedWh": 0, "locks": []}));
	assert_eq!(node.rpc("energy_getMarketNonce", json!([alice])), json!(0));
	let unknown = format!("0x{}", "00".repeat(32));
	assert_eq!(node.rpc("energy_isTransactionProcessed", json!([unknown])), json!(false));
	assert_eq!(node.rpc("energy_getPurchases", json!([alice])), json!([]));

	// All buses, in id order, a page at a time until `nextStartAfter` is null.
	let page = node.rpc("energy_getBuses", json!([]));
	assert_eq!(page["nextStartAfter"], Value::Null);
	let buses = page["buses"].as_array().unwrap();
	let names: Vec<&str> = buses.iter().map(|bus| bus["name"].as_str().unwrap()).collect();
	assert_eq!(names, ["Solar Farm A", "Wind Farm B", "Industrial Ring"]);
	assert_eq!(buses[0], bus);
	let first = node.rpc("energy_getBuses", json!([null, 2]));
	assert_eq!(first["buses"].as_array().unwrap().len(), 2);
	assert_eq!(first["nextStartAfter"], json!(1));
	let last = node.rpc("energy_getBuses", json!([1, 2]));
	assert_eq!(last, json!({"buses": [buses[2]], "nextStartAfter": null}));

	// An account's offers across buses, in id order: Alice's on buses 1 and 2.
	let alices = node.rpc("energy_getAccountOffers", json!([alice]));
	let summary: Vec<(u64, u64, &str)> = alices
		.as_array()
		.unwrap()
		.iter()
		.map(|o| {
			(
				o["id"].as_u64().unwrap(),
				o["busId"].as_u64().unwrap(),
				o["factory"].as_str().unwrap(),
			)
		})
		.collect();
	assert_eq!(summary, [(4, 1, "Factory13"), (6, 2, "Factory07")]);
	let after = node.rpc("energy_getAccountOffers", json!([alice, 4, 10]));
	assert_eq!(after.as_array().unwrap().len(), 1);
	assert_eq!(after[0], alices[1]);
}
