//! `energy-cli` end to end: the factory scenario through the binary, its errors and exit
//! codes, and every example of the README's command-line section, run in order against a fresh
//! dev node exactly as a user would paste them.

mod common;

use common::DevNode;

fn stderr(output: &std::process::Output) -> String {
	String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &std::process::Output) -> String {
	String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn factory_scenario_through_the_command_line() {
	let node = DevNode::start().await;

	let minted = node.cli_json(&["--suri", "//Alice", "factory", "mint", "Factory01", "500kWh"]);
	assert_eq!(minted["balanceWh"], 1_500_000);
	let created = node.cli_json(&[
		"--suri",
		"//Alice",
		"trade",
		"create",
		"Factory01",
		"Factory04",
		"200kWh",
		"--price",
		"0.08",
	]);
	let trade_id = created["tradeId"].as_u64().unwrap().to_string();
	assert_eq!(created["deposit"], "1000000000000", "the 1 ECT a pending trade holds");
	let trade = node.cli_json(&["trade", "get", &trade_id]);
	assert_eq!(
		(trade["status"].as_str(), trade["totalPrice"].as_str()),
		(Some("pending"), Some("16000000000000"))
	);
	let executed = node.cli_json(&["--suri", "//Dave", "trade", "execute", &trade_id]);
	assert_eq!(executed["paid"], "16000000000000");
	assert!(executed["events"]
		.as_array()
		.unwrap()
		.iter()
		.any(|e| e["name"] == "TradeExecuted" && e["fields"]["buyer"] == "Factory04"));

	assert_eq!(node.cli_json(&["factory", "balance", "Factory01"])["energyWh"], 1_300_000);
	assert_eq!(node.cli_json(&["factory", "balance", "Factory04"])["energyWh"], 500_000);
	let text = stdout(&node.cli(&["factory", "balance", "Factory01"]));
	assert_eq!(text.trim(), "Factory01: 1300 kWh (1300000 Wh)");

	let history = node.cli_json(&["factory", "history", "Factory01"]);
	assert_eq!(history["completeFrom"], 0);
	let kinds = |history: &serde_json::Value| -> Vec<String> {
		let records = history["records"].as_array().unwrap();
		records.iter().map(|r| r["kind"].as_str().unwrap().to_owned()).collect()
	};
	assert_eq!(kinds(&history), ["genesis", "minted", "tradeCreated", "tradeSold"]);
	assert_eq!(history["records"][3]["totalPrice"], "16000000000000");
	let since = history["records"][2]["block"].as_u64().unwrap().to_string();
	let recent = node.cli_json(&["factory", "history", "Factory01", "--from-block", &since]);
	assert_eq!(kinds(&recent), ["tradeCreated", "tradeSold"]);
	let text = stdout(&node.cli(&["factory", "history", "Factory01"]));
	assert!(text.contains("this node's history index is complete from block #0"), "{text}");
	let table = stdout(&node.cli(&["trade", "list", "Factory04"]));
	assert!(
		table.contains("Factory01  Factory04  200 kWh  0.08 ECT/kWh  16 ECT  Completed"),
		"{table}"
	);
	assert!(table.contains("finished in the last 14400 blocks"), "{table}");
}

#[tokio::test]
async fn listings_through_the_command_line() {
	let node = DevNode::start().await;

	// Every bus, in id order, with its free capacity.
	let buses = node.cli_json(&["bus", "list"]);
	let buses = buses.as_array().unwrap();
	let summary: Vec<(u64, &str, u64)> = buses
		.iter()
		.map(|b| {
			(
				b["id"].as_u64().unwrap(),
				b["name"].as_str().unwrap(),
				b["availableWh"].as_u64().unwrap(),
			)
		})
		.collect();
	assert_eq!(
		summary,
		[
			(0, "Solar Farm A", 4_400_000),
			(1, "Wind Farm B", 2_350_000),
			(2, "Industrial Ring", 9_250_000)
		]
	);
	// `bus get` shows the same bus, and whether it is closing.
	let mut bus0 = buses[0].clone();
	bus0["closing"] = false.into();
	assert_eq!(bus0, node.cli_json(&["bus", "get", "0"]));
	let table = stdout(&node.cli(&["bus", "list"]));
	let lines: Vec<&str> = table.lines().collect();
	assert_eq!(lines.len(), 4, "{table}");
	assert!(lines[0].starts_with("ID  NAME"), "{table}");
	assert!(
		lines[1].contains("Solar Farm A") && lines[1].contains("Alice, Bob, Charlie"),
		"{table}"
	);
	assert!(lines[1].contains("5000 kWh") && lines[1].contains("4400 kWh"), "{table}");

	// An account's offers on every bus, and its factories.
	let offers = node.cli_json(&["offer", "mine", "Alice"]);
	let ids: Vec<u64> =
		offers.as_array().unwrap().iter().map(|o| o["id"].as_u64().unwrap()).collect();
	assert_eq!(ids, [4, 6]);
	let factories = node.cli_json(&["--suri", "//Alice", "factory", "mine"]);
	let ids: Vec<&str> =
		factories.as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
	assert_eq!(ids, ["Factory01", "Factory07", "Factory13", "Factory19"]);
}

#[tokio::test]
async fn failures_have_clear_messages_and_exit_codes() {
	// No node at all: exit code 3.
	let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
	let output = std::process::Command::new(env!("CARGO_BIN_EXE_energy-cli"))
		.args(["--url", &format!("ws://127.0.0.1:{port}"), "factory", "list"])
		.output()
		.unwrap();
	assert_eq!(output.status.code(), Some(3));
	assert!(stderr(&output).contains("cannot reach a node"), "{}", stderr(&output));

	let node = DevNode::start().await;
	// A write without a signer, and a bad key: exit code 4.
	let output = node.cli(&["factory", "mint", "Factory01", "1kWh"]);
	assert_eq!(output.status.code(), Some(4));
	assert!(stderr(&output).contains("pass --suri"), "{}", stderr(&output));
	let output = node.cli(&["--suri", "not a key", "factory", "mint", "Factory01", "1kWh"]);
	assert_eq!(output.status.code(), Some(4));
	// An unknown factory: exit code 5.
	let output = node.cli(&["factory", "get", "Factory99"]);
	assert_eq!(output.status.code(), Some(5));
	assert_eq!(stderr(&output).trim(), "error: factory Factory99 not found");
	// A pallet error, by name and docs: exit code 6; as JSON with --json.
	let output =
		node.cli(&["--suri", "//Bob", "factory", "transfer", "Factory02", "Factory01", "1000MWh"]);
	assert_eq!(output.status.code(), Some(6));
	assert_eq!(
		stderr(&output).trim(),
		"error: EnergyTrading::InsufficientEnergy: The factory has less energy than the call needs."
	);
	let output = node.cli(&["--json", "--suri", "//Bob", "factory", "mint", "Factory01", "1kWh"]);
	assert_eq!(output.status.code(), Some(6));
	let error: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
	assert_eq!(error["error"]["name"], "NotFactoryMeter");
	assert_eq!(error["error"]["pallet"], "EnergyTrading");
	// A bad amount is a usage error (2) that says why.
	let output = node.cli(&["--suri", "//Alice", "factory", "mint", "Factory01", "1.2345kWh"]);
	assert_eq!(output.status.code(), Some(2));
	assert!(stderr(&output).contains("not a whole number of Wh"), "{}", stderr(&output));
	// Help explains itself, with examples.
	let help = stdout(&node.cli(&["--help"]));
	assert!(help.contains("Exit codes") && help.contains("energy-cli --suri //Alice factory mint"));
	let help = stdout(&node.cli(&["batch-buy", "--help"]));
	assert!(help.contains("OFFER:AMOUNT") && help.contains("Example"));
}

/// The README's `energy-cli` lines, between the `cli-examples` markers, in order. A line may
/// end in `# exits N` when the example shows a failure.
fn readme_examples() -> Vec<(String, i32)> {
	let readme = include_str!("../../README.md");
	let start = readme.find("<!-- cli-examples:start -->").expect("the README marks its examples");
	let end = readme.find("<!-- cli-examples:end -->").expect("and where they end");
	readme[start..end]
		.lines()
		.map(str::trim)
		.filter(|line| line.starts_with("energy-cli "))
		.map(|line| match line.split_once("# exits ") {
			Some((command, code)) => (command.trim().to_string(), code.trim().parse().unwrap()),
			None => (line.to_string(), 0),
		})
		.collect()
}

#[tokio::test]
async fn the_readme_examples_run_as_documented() {
	let examples = readme_examples();
	assert!(examples.len() >= 30, "the README shows every group: {}", examples.len());
	let node = DevNode::start().await;
	for (line, expected) in &examples {
		let output = node.shell(line);
		assert_eq!(
			output.status.code(),
			Some(*expected),
			"`{line}` should exit with {expected}:\n{}\n{}",
			stdout(&output),
			stderr(&output)
		);
	}
	// What the examples did, checked on the chain.
	let client = node.client().await;
	assert_eq!(client.energy_balance(&"Factory01".into()).await.unwrap(), 1_300_000 - 100_000);
	assert_eq!(client.energy_balance(&"Factory21".into()).await.unwrap(), 100_000);
	let dave = energy_client::keys::account("Dave").unwrap();
	// The README's single purchase, its batch of three, and the locked purchase.
	assert_eq!(client.purchases(&dave).await.unwrap().len(), 5);
}

/// A README session, between the `<!-- {name}:start -->` and `<!-- {name}:end -->` markers:
/// each `$ energy-cli` line of its transcripts (indented) with the output shown under it.
fn readme_session(name: &str) -> Vec<(String, String)> {
	let readme = include_str!("../../README.md");
	let start = readme.find(&format!("<!-- {name}:start -->")).expect("the README marks it");
	let end = readme.find(&format!("<!-- {name}:end -->")).expect("and where it ends");
	let mut session: Vec<(String, String)> = Vec::new();
	let mut in_output = false;
	for line in readme[start..end].lines() {
		match line.strip_prefix("    ") {
			Some(command) if command.starts_with("$ energy-cli ") => {
				session.push((command[2..].to_string(), String::new()));
				in_output = true;
			},
			Some(printed) if in_output => {
				let shown = &mut session.last_mut().expect("output follows a command").1;
				if !shown.is_empty() {
					shown.push('\n');
				}
				shown.push_str(printed);
			},
			// Prose between the transcripts.
			_ => in_output = false,
		}
	}
	session
}

/// Asserts that a README session's `command` printed what the README `shown`, block numbers
/// aside: an example that fails shows the chain's error, on stderr, with exit code 6.
fn assert_prints(command: &str, output: &std::process::Output, shown: &str) {
	let (expected, printed) =
		if shown.starts_with("error: ") { (6, stderr(output)) } else { (0, stdout(output)) };
	assert_eq!(
		output.status.code(),
		Some(expected),
		"`{command}`:\n{}\n{}",
		stdout(output),
		stderr(output)
	);
	assert_eq!(
		without_block_numbers(printed.trim_end()),
		without_block_numbers(shown),
		"`{command}` prints what the README shows"
	);
}

/// `text` with the block numbers that depend on when a command runs (`in block #12`,
/// `(now #3)`, an offer's `open through block #100803`) written as `#N`.
fn without_block_numbers(text: &str) -> String {
	let mut out = String::new();
	let mut rest = text;
	loop {
		let next = ["in block #", "(now #", "open through block #"]
			.iter()
			.filter_map(|marker| rest.find(marker).map(|at| at + marker.len()))
			.min();
		let Some(after) = next else {
			out.push_str(rest);
			return out;
		};
		out.push_str(&rest[..after]);
		out.push('N');
		rest = rest[after..].trim_start_matches(|c: char| c.is_ascii_digit());
	}
}

#[tokio::test]
async fn the_readme_auction_session_prints_what_it_shows() {
	let session = readme_session("auction-examples");
	let commands: Vec<&str> = session.iter().map(|(command, _)| command.as_str()).collect();
	assert_eq!(commands.len(), 9, "{commands:#?}");
	let mut node = DevNode::start().await;
	let client = node.client().await;
	let genesis = client.block_hash(0).await.unwrap().unwrap();
	for (command, shown) in &session {
		// The results come once round 0 cleared (its gate is block 19; it clears in block 20,
		// which settles its orders too).
		if command.contains("auction results") {
			node.wait_for_block(&client, 21).await;
		}
		let output = node.shell(command);
		assert_prints(command, &output, shown);
		// Ferdie's orders as JSON too, each with where its round stands.
		if command.ends_with("auction orders Ferdie") {
			let orders = node.cli_json(&["auction", "orders", "Ferdie"]);
			let summary: Vec<(u64, &str, &str)> = orders
				.as_array()
				.unwrap()
				.iter()
				.map(|o| {
					let field = |name: &str| o[name].as_str().unwrap();
					(o["id"].as_u64().unwrap(), field("side"), field("status"))
				})
				.collect();
			assert_eq!(summary, [(4, "bid", "open"), (5, "ask", "open")]);
		}
	}
	// On the chain: Ferdie's bid received its 50 kWh in round 0, which the JSON results show.
	let results = node.cli_json(&["auction", "results", "1"]);
	assert_eq!(
		(&results[0]["pricePerKwh"], &results[0]["volumeWh"]),
		(&"80000000000".into(), &250_000.into())
	);
	let f06 = "Factory06".into();
	let before = client.at_block(genesis).energy_balance(&f06).await.unwrap();
	assert_eq!(client.energy_balance(&f06).await.unwrap(), before + 50_000);
	assert!(node.cli_json(&["auction", "orders", "Ferdie"]).as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_readme_grid_fee_session_prints_what_it_shows() {
	let session = readme_session("grid-fee-examples");
	assert_eq!(session.len(), 10, "{session:#?}");
	let node = DevNode::start().await;
	for (command, shown) in &session {
		assert_prints(command, &node.shell(command), shown);
	}
	// On the chain: Dave's 0.0125 ECT wait in the pot, Bob's share is 3 of 4, and the fee and
	// the rounds changed, as `--json` shows.
	let fees = node.cli_json(&["bus", "fees", "1"]);
	let parts: Vec<(&str, u64, &str)> = fees["parts"]
		.as_array()
		.unwrap()
		.iter()
		.map(|p| {
			(
				p["account"].as_str().unwrap(),
				p["shares"].as_u64().unwrap(),
				p["amount"].as_str().unwrap(),
			)
		})
		.collect();
	let account = |name: &str| energy_client::keys::account(name).unwrap().to_string();
	assert_eq!(
		parts,
		[(account("Bob").as_str(), 3, "0"), (account("Dave").as_str(), 1, "12500000000")]
	);
	assert_eq!(
		(&fees["perKwh"], &fees["totalShares"], &fees["unclaimed"]),
		(&"10000000000".into(), &4.into(), &"12500000000".into())
	);
	let client = node.client().await;
	let settings = client.auction_settings(energy_client::BusId(1)).await.unwrap().unwrap();
	assert_eq!(
		(settings.round_length, settings.tick_size, settings.ticks),
		(10, 10_000_000_000, 20)
	);
	// A claim as JSON names the amount; the usage of `set-auction` says what it needs.
	let output = node.cli(&["--suri", "//Dave", "bus", "set-auction", "1", "--round-length", "5"]);
	assert_eq!(output.status.code(), Some(2));
	assert!(stderr(&output).contains("--tick"), "{}", stderr(&output));
	let claimed = node.cli_json(&["--suri", "//Dave", "bus", "claim-fees", "1"]);
	assert_eq!(claimed["amount"], "12500000000");
	assert!(claimed["events"].as_array().unwrap().iter().any(|e| e["name"] == "GridFeesClaimed"));
}
