//! A real `energy-node --dev --tmp` for the end-to-end tests (started by
//! `energy-test-support`: on free ports, killed when dropped, also when a test fails, after
//! printing the tail of its log), and `energy-cli` run against it.

#![allow(dead_code)]

use std::{
	path::PathBuf,
	process::{Command, Output},
	time::{Duration, Instant},
};

use energy_client::EnergyClient;

/// A running dev node ([`energy_test_support::DevNode`]) and what the tests do with it.
pub struct DevNode {
	node: energy_test_support::DevNode,
}

impl DevNode {
	/// Starts a node and waits until it serves RPC and has built block 1.
	pub async fn start() -> Self {
		let node = energy_test_support::DevNode::start().unwrap_or_else(|error| panic!("{error}"));
		let mut node = DevNode { node };
		let client = node.client().await;
		node.wait_for_block(&client, 1).await;
		node
	}

	/// Its JSON-RPC endpoint, `ws://127.0.0.1:<port>`.
	pub fn url(&self) -> String {
		self.node.ws_url()
	}

	/// A client connected to this node.
	pub async fn client(&self) -> EnergyClient {
		let start = Instant::now();
		loop {
			match EnergyClient::connect(&self.url()).await {
				Ok(client) => return client,
				Err(error) if start.elapsed() < Duration::from_secs(60) => {
					let _ = error;
					tokio::time::sleep(Duration::from_millis(250)).await;
				},
				Err(error) => panic!("cannot connect to {}: {error}", self.url()),
			}
		}
	}

	/// Waits until the best block is at least `number` (blocks come every 6 s).
	pub async fn wait_for_block(&mut self, client: &EnergyClient, number: u64) -> u64 {
		let timeout = Duration::from_secs(60 + 12 * number);
		let start = Instant::now();
		loop {
			if let Ok(best) = client.best_block().await.map(|block| block.number) {
				if best >= number {
					return best;
				}
			}
			if let Some(status) = self.node.exit_status() {
				panic!("energy-node exited with {status} while waiting for block {number}");
			}
			assert!(start.elapsed() < timeout, "no block #{number} after {timeout:?}");
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	/// Runs `energy-cli` against this node with `args`.
	pub fn cli(&self, args: &[&str]) -> Output {
		Command::new(env!("CARGO_BIN_EXE_energy-cli"))
			.args(args)
			.env("ENERGY_URL", self.url())
			.env_remove("ENERGY_SURI")
			.output()
			.expect("energy-cli runs")
	}

	/// Runs `energy-cli --json` and returns its JSON, asserting it succeeded.
	pub fn cli_json(&self, args: &[&str]) -> serde_json::Value {
		let mut all = vec!["--json"];
		all.extend_from_slice(args);
		let output = self.cli(&all);
		let stdout = String::from_utf8_lossy(&output.stdout);
		assert!(
			output.status.success(),
			"energy-cli {} failed ({}):\n{stdout}\n{}",
			args.join(" "),
			output.status,
			String::from_utf8_lossy(&output.stderr)
		);
		serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
	}

	/// Runs a shell command line (as a user would paste it) with `energy-cli` on the PATH.
	pub fn shell(&self, line: &str) -> Output {
		let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_energy-cli")).parent().unwrap().to_owned();
		let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
		Command::new("bash")
			.args(["-c", line])
			.env("PATH", path)
			.env("ENERGY_URL", self.url())
			.env_remove("ENERGY_SURI")
			.output()
			.expect("bash runs")
	}
}
