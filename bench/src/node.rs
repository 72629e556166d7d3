//! The fresh dev node the throughput run measures ([`energy_test_support::DevNode`]), with the
//! transaction pool and JSON-RPC limits raised for the load, killed when dropped.

use std::path::Path;

use energy_test_support::DevNode;

/// A running `energy-node --dev`, on a temporary database unless told where to keep it.
pub struct Node {
	node: DevNode,
	/// The pool settings it runs with.
	pub pool: String,
}

impl Node {
	/// Starts a node with the pool raised to `pool_limit` transactions and `pool_kbytes` kB,
	/// its database in `base_path` (or a temporary one).
	pub fn start(
		binary: &Path,
		pool_limit: usize,
		pool_kbytes: usize,
		base_path: Option<&Path>,
	) -> Result<Self, String> {
		let pool = format!("--pool-limit {pool_limit} --pool-kbytes {pool_kbytes}");
		let mut builder = DevNode::builder()
			.binary(binary)
			.args([
				"--pool-limit",
				&pool_limit.to_string(),
				"--pool-kbytes",
				&pool_kbytes.to_string(),
			])
			.args(["--rpc-max-connections", "1000", "--rpc-max-request-size", "64"]);
		if let Some(path) = base_path {
			builder = builder.base_path(path);
		}
		let node = builder.start()?;
		Ok(Node { node, pool })
	}

	/// Its JSON-RPC endpoint.
	pub fn url(&self) -> String {
		self.node.ws_url()
	}
}
