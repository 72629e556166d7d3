//! A real `energy-node --dev --tmp` for the end-to-end tests: started on free ports, killed
//! when dropped (also when a test fails, after printing the tail of its log).

#![allow(dead_code)]

use std::{
	io::{BufRead, BufReader},
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, Output, Stdio},
	sync::{mpsc, Arc, Mutex},
	thread,
	time::{Duration, Instant},
};

use energy_client::EnergyClient;

/// The node binary: `ENERGY_NODE_BIN`, or `energy-node` beside this test's target directory
/// (`cargo test --workspace` builds it there).
fn node_binary() -> PathBuf {
	if let Some(path) = std::env::var_os("ENERGY_NODE_BIN") {
		return path.into();
	}
	let exe = std::env::current_exe().expect("the test knows its path");
	// target/<profile>/deps/<test> -> target/<profile>/energy-node
	exe.parent().and_then(|deps| deps.parent()).expect("a target dir").join("energy-node")
}

fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running dev node.
pub struct DevNode {
	child: Child,
	/// Its JSON-RPC endpoint, `ws://127.0.0.1:<port>`.
	pub url: String,
	log: Arc<Mutex<Vec<String>>>,
}

impl DevNode {
	/// Starts a node and waits until it serves RPC and has built block 1.
	pub async fn start() -> Self {
		let binary = node_binary();
		assert!(binary.exists(), "{} is missing: build energy-node first", binary.display());
		let mut child = Command::new(&binary)
			.args(["--dev", "--tmp", "--no-telemetry", "--no-mdns", "--no-prometheus"])
			.args(["--rpc-port", &free_port().to_string()])
			.args(["--port", &free_port().to_string()])
			.stdout(Stdio::null())
			.stderr(Stdio::piped())
			.spawn()
			.expect("energy-node starts");
		let log = Arc::new(Mutex::new(Vec::new()));
		let (rpc_addr, rpc_found) = mpsc::channel();
		let stderr = child.stderr.take().unwrap();
		let sink = log.clone();
		thread::spawn(move || {
			for line in BufReader::new(stderr).lines().map_while(Result::ok) {
				// "Running JSON-RPC server: addr=127.0.0.1:40513,[::1]:36729": the port the
				// node really bound (it picks another if the one asked for is taken).
				if let Some(rest) = line.split("Running JSON-RPC server: addr=").nth(1) {
					let addr = rest.split(',').next().unwrap_or_default().trim().to_string();
					let _ = rpc_addr.send(addr);
				}
				sink.lock().unwrap().push(line);
			}
		});
		let mut node = DevNode { child, url: String::new(), log };
		let addr = rpc_found
			.recv_timeout(Duration::from_secs(120))
			.unwrap_or_else(|_| panic!("energy-node did not start its RPC server"));
		node.url = format!("ws://{addr}");
		let client = node.client().await;
		node.wait_for_block(&client, 1).await;
		node
	}

	/// A client connected to this node.
	pub async fn client(&self) -> EnergyClient {
		let start = Instant::now();
		loop {
			match EnergyClient::connect(&self.url).await {
				Ok(client) => return client,
				Err(error) if start.elapsed() < Duration::from_secs(60) => {
					let _ = error;
					tokio::time::sleep(Duration::from_millis(250)).await;
				},
				Err(error) => panic!("cannot connect to {}: {error}", self.url),
			}
		}
	}

	/// Waits until the best block is at least `number` (blocks come every 6 s).
	pub async fn wait_for_block(&mut self, client: &EnergyClient, number: u64) -> u64 {
		let timeout = Duration::from_secs(60 + 12 * number);
		let start = Instant::now();
		loop {
			if let Ok((_, best)) = client.best_block().await {
				if best >= number {
					return best;
				}
			}
			if let Ok(Some(status)) = self.child.try_wait() {
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
			.env("ENERGY_URL", &self.url)
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
			.env("ENERGY_URL", &self.url)
			.env_remove("ENERGY_SURI")
			.output()
			.expect("bash runs")
	}
}

impl Drop for DevNode {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		if thread::panicking() {
			let log = self.log.lock().unwrap();
			let tail = &log[log.len().saturating_sub(40)..];
			eprintln!("--- energy-node log (last {} lines) ---\n{}", tail.len(), tail.join("\n"));
		}
	}
}
