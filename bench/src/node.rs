//! The fresh dev node the throughput run measures, killed when dropped.

use std::{
	io::{BufRead, BufReader},
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::mpsc,
	time::Duration,
};

/// A running `energy-node --dev`, on a temporary database unless told where to keep it.
pub struct Node {
	child: Child,
	/// Its JSON-RPC endpoint.
	pub url: String,
	/// The pool settings it runs with.
	pub pool: String,
}

fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.map(|l| l.local_addr().map(|a| a.port()).unwrap_or(0))
		.unwrap_or(0)
}

/// The node binary: `--node`, `ENERGY_NODE_BIN`, or `energy-node` beside this binary.
pub fn binary(explicit: &Option<PathBuf>) -> Result<PathBuf, String> {
	let path = match explicit {
		Some(path) => path.clone(),
		None => std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("energy-node"),
	};
	if path.exists() {
		Ok(path)
	} else {
		Err(format!("no energy-node at {}; build it or pass --node", path.display()))
	}
}

impl Node {
	/// Starts a node with the pool raised to `pool_limit` transactions and `pool_kbytes` kB,
	/// its database in `base_path` (or a temporary one).
	pub fn start(
		binary: &PathBuf,
		pool_limit: usize,
		pool_kbytes: usize,
		base_path: Option<&Path>,
	) -> Result<Self, String> {
		let pool = format!("--pool-limit {pool_limit} --pool-kbytes {pool_kbytes}");
		let database = match base_path {
			Some(path) => vec!["--base-path".into(), path.display().to_string()],
			None => vec!["--tmp".to_string()],
		};
		let mut child = Command::new(binary)
			.args(["--dev", "--no-telemetry", "--no-mdns", "--no-prometheus"])
			.args(database)
			.args([
				"--pool-limit",
				&pool_limit.to_string(),
				"--pool-kbytes",
				&pool_kbytes.to_string(),
			])
			.args(["--rpc-max-connections", "1000", "--rpc-max-request-size", "64"])
			.args(["--rpc-port", &free_port().to_string(), "--port", &free_port().to_string()])
			.stdout(Stdio::null())
			.stderr(Stdio::piped())
			.spawn()
			.map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
		let stderr = child.stderr.take().expect("stderr is piped");
		let (found, addr) = mpsc::channel();
		std::thread::spawn(move || {
			for line in BufReader::new(stderr).lines().map_while(Result::ok) {
				if let Some(rest) = line.split("Running JSON-RPC server: addr=").nth(1) {
					let _ =
						found.send(rest.split(',').next().unwrap_or_default().trim().to_string());
				}
			}
		});
		let mut node = Node { child, url: String::new(), pool };
		let addr = addr
			.recv_timeout(Duration::from_secs(120))
			.map_err(|_| "energy-node did not start its RPC server".to_string())?;
		node.url = format!("ws://{addr}");
		Ok(node)
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}
