//! The fresh dev node the throughput run measures ([`energy_test_support::DevNode`]), with the
//! transaction pool and JSON-RPC limits raised for the load, killed when dropped.

use std::path::{Path, PathBuf};

use energy_test_support::DevNode;

/// A running `energy-node --dev`, on a temporary database unless told where to keep it.
pub struct Node {
	_node: DevNode,
	/// Its JSON-RPC endpoint.
	pub url: String,
	/// The pool settings it runs with.
	pub pool: String,
}

/// The node binary: `--node`, `ENERGY_NODE_BIN`, or `energy-node` beside this binary.
pub fn binary(explicit: &Option<PathBuf>) -> Result<PathBuf, String> {
	energy_test_support::node_binary(explicit.as_deref())
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
		Ok(Node { url: node.ws_url(), _node: node, pool })
	}
}
