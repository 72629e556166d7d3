//! # energy-test-support
//!
//! One way to start a real `energy-node`, shared by everything that needs one: the node's
//! tests (`node/tests`), the client's end-to-end tests (`client/tests`), `energy-bench` and the
//! zombienet tests (which only need [`node_binary`]).
//!
//! A [`DevNode`] runs `energy-node --dev` on free ports, on a temporary database unless given
//! one. Its JSON-RPC address is read from its log (the node picks another port if the one
//! asked for was taken meanwhile), its log is kept in memory, and it is killed when dropped:
//! also when a test panics, after printing the log's tail.
//!
//! ```no_run
//! let node = energy_test_support::DevNode::builder()
//!     .args(["--pool-limit", "20000"])
//!     .start()
//!     .expect("energy-node starts");
//! println!("JSON-RPC at {}", node.ws_url());
//! ```

use std::{
	io::{BufRead, BufReader},
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, ExitStatus, Stdio},
	sync::{mpsc, Arc, Mutex},
	thread,
	time::Duration,
};

/// How long a node may take to open its JSON-RPC server (a cold start in a debug build on a
/// busy machine takes tens of seconds).
const RPC_START_TIMEOUT: Duration = Duration::from_secs(120);
/// How many of the log's last lines a failing test prints.
const LOG_TAIL: usize = 60;

/// A free TCP port on localhost (the OS picks it; it is released before the node binds it, so
/// the node may find it taken: [`DevNode`] reads the port it really bound from its log).
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|listener| listener.local_addr())
		.map(|addr| addr.port())
		.unwrap_or(0)
}

/// The `energy-node` binary: `explicit` if given, else `ENERGY_NODE_BIN`, else `energy-node`
/// in the target directory of the running executable, which is either a test
/// (`target/<profile>/deps/<test>`, built by `cargo test --workspace`) or a binary of the
/// workspace (`target/<profile>/<binary>`). Errs, naming the path, if it does not exist.
pub fn node_binary(explicit: Option<&Path>) -> Result<PathBuf, String> {
	let path = match (explicit, std::env::var_os("ENERGY_NODE_BIN")) {
		(Some(path), _) => path.to_path_buf(),
		(None, Some(path)) => PathBuf::from(path),
		(None, None) => {
			let exe = std::env::current_exe().map_err(|e| format!("no executable path: {e}"))?;
			let dir = exe.parent().ok_or_else(|| format!("{} has no directory", exe.display()))?;
			let beside = dir.join("energy-node");
			match dir.file_name() {
				Some(name) if name == "deps" && !beside.exists() => {
					dir.parent().unwrap_or(dir).join("energy-node")
				},
				_ => beside,
			}
		},
	};
	if path.exists() {
		Ok(path)
	} else {
		Err(format!(
			"{} is missing: build energy-node first (cargo build -p energy-node) or set \
			 ENERGY_NODE_BIN",
			path.display()
		))
	}
}

/// How to start a [`DevNode`]: [`DevNode::builder`].
#[derive(Clone, Debug, Default)]
pub struct DevNodeBuilder {
	binary: Option<PathBuf>,
	base_path: Option<PathBuf>,
	args: Vec<String>,
}

impl DevNodeBuilder {
	/// Runs this binary instead of [`node_binary`]'s choice.
	pub fn binary(mut self, path: impl Into<PathBuf>) -> Self {
		self.binary = Some(path.into());
		self
	}

	/// Keeps the chain's database in `path` (`--base-path`) instead of a temporary one
	/// (`--tmp`), so that it outlives the node.
	pub fn base_path(mut self, path: impl Into<PathBuf>) -> Self {
		self.base_path = Some(path.into());
		self
	}

	/// Adds command-line arguments (after the ones [`DevNodeBuilder::start`] always passes).
	pub fn args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
		self.args.extend(args.into_iter().map(Into::into));
		self
	}

	/// Starts `energy-node --dev` without telemetry, mDNS or Prometheus, with its JSON-RPC
	/// and peer-to-peer ports free ones, and waits until its JSON-RPC server runs.
	pub fn start(self) -> Result<DevNode, String> {
		let binary = node_binary(self.binary.as_deref())?;
		let database = match &self.base_path {
			Some(path) => vec!["--base-path".to_string(), path.display().to_string()],
			None => vec!["--tmp".to_string()],
		};
		let mut child = Command::new(&binary)
			.args(["--dev", "--no-telemetry", "--no-mdns", "--no-prometheus"])
			.args(database)
			.args(["--rpc-port", &free_port().to_string()])
			.args(["--port", &free_port().to_string()])
			.args(&self.args)
			.stdout(Stdio::null())
			.stderr(Stdio::piped())
			.spawn()
			.map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
		let log = Arc::new(Mutex::new(Vec::new()));
		let (found, rpc_addr) = mpsc::channel();
		let stderr = child.stderr.take().expect("stderr is piped");
		let sink = log.clone();
		thread::spawn(move || {
			for line in BufReader::new(stderr).lines().map_while(Result::ok) {
				// "Running JSON-RPC server: addr=127.0.0.1:40513,[::1]:36729"
				if let Some(rest) = line.split("Running JSON-RPC server: addr=").nth(1) {
					let addr = rest.split(',').next().unwrap_or_default().trim().to_string();
					let _ = found.send(addr);
				}
				if let Ok(mut log) = sink.lock() {
					log.push(line);
				}
			}
		});
		let mut node = DevNode { child, rpc_addr: String::new(), log };
		match rpc_addr.recv_timeout(RPC_START_TIMEOUT) {
			Ok(addr) => {
				node.rpc_addr = addr;
				Ok(node)
			},
			Err(_) => Err(format!(
				"energy-node did not start its JSON-RPC server within {RPC_START_TIMEOUT:?}; its \
				 log ends:\n{}",
				node.log_tail(LOG_TAIL).join("\n")
			)),
		}
	}
}

/// A running `energy-node --dev`, killed when dropped.
pub struct DevNode {
	child: Child,
	rpc_addr: String,
	log: Arc<Mutex<Vec<String>>>,
}

impl DevNode {
	/// How to start one; [`DevNodeBuilder::start`] starts it.
	pub fn builder() -> DevNodeBuilder {
		DevNodeBuilder::default()
	}

	/// Starts one with the defaults (a temporary database, the binary [`node_binary`] finds).
	pub fn start() -> Result<Self, String> {
		Self::builder().start()
	}

	/// Its JSON-RPC server's address, `127.0.0.1:<port>`.
	pub fn rpc_addr(&self) -> &str {
		&self.rpc_addr
	}

	/// Its JSON-RPC server's port (WebSocket and HTTP alike).
	pub fn rpc_port(&self) -> u16 {
		self.rpc_addr.rsplit(':').next().and_then(|port| port.parse().ok()).unwrap_or(0)
	}

	/// Its JSON-RPC endpoint as a WebSocket URL, `ws://127.0.0.1:<port>`.
	pub fn ws_url(&self) -> String {
		format!("ws://{}", self.rpc_addr)
	}

	/// How it ended, if it has (a test waiting for it fails at once instead of timing out).
	pub fn exit_status(&mut self) -> Option<ExitStatus> {
		self.child.try_wait().ok().flatten()
	}

	/// The last `lines` lines of its log (stderr).
	pub fn log_tail(&self, lines: usize) -> Vec<String> {
		let log = self.log.lock().map(|log| log.clone()).unwrap_or_default();
		log[log.len().saturating_sub(lines)..].to_vec()
	}
}

impl Drop for DevNode {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		if thread::panicking() {
			let tail = self.log_tail(LOG_TAIL);
			eprintln!("--- energy-node log (last {} lines) ---\n{}", tail.len(), tail.join("\n"));
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn an_explicit_binary_that_does_not_exist_is_named() {
		let error = node_binary(Some(Path::new("/nonexistent/energy-node"))).unwrap_err();
		assert!(error.contains("/nonexistent/energy-node is missing"), "{error}");
	}

	#[test]
	fn free_ports_are_real_ports() {
		assert_ne!(free_port(), 0);
	}
}
