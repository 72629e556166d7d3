//! # energy-zombienet
//!
//! Energy Chain's multi-node network, [`local.toml`](../local.toml) (four validators and an RPC
//! node on the `local` chain), spawned with [zombienet-sdk](https://docs.rs/zombienet-sdk)'s
//! native provider, and the helpers the tests in `zombienet/tests/` use to run the market across
//! its nodes and through node failures.
//!
//! zombienet-sdk spawns, stops and restarts the nodes and reads their metrics; everything said
//! to the chain goes through [`energy_client`], one client per node.
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! let network = energy_zombienet::LocalNetwork::spawn().await?;
//! network.wait_finalized(&["alice", "rpc"], 5, 120).await?;
//! let alice = network.client("alice");
//! let factory01 = "Factory01".parse()?;
//! println!("Factory01 holds {} Wh", alice.energy_balance(&factory01).await?);
//! network.destroy().await;
//! # Ok(()) }
//! ```

use std::{
	future::Future,
	path::{Path, PathBuf},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{anyhow, bail, Context};
use energy_client::{EnergyClient, Hash};
use zombienet_sdk::{
	GlobalSettingsBuilder, LocalFileSystem, Network, NetworkConfig, NetworkConfigExt, NetworkNode,
};

/// The network definition, for the zombienet CLI and for [`LocalNetwork::spawn`].
pub const LOCAL_TOML: &str = include_str!("../local.toml");
/// The four validators of [`LOCAL_TOML`].
pub const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];
/// Its non-validating RPC node.
pub const RPC_NODE: &str = "rpc";
/// Every node of [`LOCAL_TOML`].
pub const NODES: [&str; 5] = ["alice", "bob", "charlie", "dave", "rpc"];

/// How often conditions are checked while waiting for them.
const POLL: Duration = Duration::from_millis(500);

/// The node binary: `ENERGY_NODE_BIN`, or `energy-node` beside the running test in the target
/// directory (`cargo test --workspace` builds it there); see [`energy_test_support::node_binary`].
pub fn node_binary() -> anyhow::Result<PathBuf> {
	energy_test_support::node_binary(None).map_err(|error| anyhow!(error))
}

/// Waits until `check` returns `Some`, polling every half second, for at most `timeout`.
/// Errors of `check` count as "not yet" (a node may be restarting); the last one is reported
/// if time runs out.
pub async fn wait_until<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> anyhow::Result<T>
where
	F: FnMut() -> Fut,
	Fut: Future<Output = anyhow::Result<Option<T>>>,
{
	let start = Instant::now();
	let mut last_error = None;
	loop {
		match check().await {
			Ok(Some(value)) => return Ok(value),
			Ok(None) => {},
			Err(error) => last_error = Some(error),
		}
		if start.elapsed() > timeout {
			let cause = last_error.map(|e| format!(" (last error: {e:#})")).unwrap_or_default();
			bail!("timed out after {timeout:?} waiting for {what}{cause}");
		}
		tokio::time::sleep(POLL).await;
	}
}

/// A running [`LOCAL_TOML`] network, with an [`EnergyClient`] connected to each node.
pub struct LocalNetwork {
	network: Network<LocalFileSystem>,
	base_dir: PathBuf,
	clients: Vec<(String, EnergyClient)>,
}

impl LocalNetwork {
	/// Spawns [`LOCAL_TOML`] with [`node_binary`] in a new directory under the system's
	/// temporary directory, and connects a client to every node.
	pub async fn spawn() -> anyhow::Result<Self> {
		let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
		let base_dir =
			std::env::temp_dir().join(format!("energy-zombienet-{}-{stamp}", std::process::id()));
		Self::spawn_in(&base_dir).await
	}

	/// Spawns [`LOCAL_TOML`] with its nodes' files (databases, keystores, logs) in `base_dir`.
	pub async fn spawn_in(base_dir: &Path) -> anyhow::Result<Self> {
		let binary = node_binary()?;
		// The same file, with the node binary's full path as its command, and free ports
		// (chosen by zombienet) instead of the fixed RPC ports meant for people.
		let toml: String = LOCAL_TOML
			.replace(
				"default_command = \"energy-node\"",
				&format!("default_command = \"{}\"", binary.display()),
			)
			.lines()
			.filter(|line| !line.starts_with("rpc_port"))
			.map(|line| format!("{line}\n"))
			.collect();
		std::fs::create_dir_all(base_dir)?;
		let toml_path = base_dir.join("local.toml");
		std::fs::write(&toml_path, toml)?;
		let toml_path = toml_path.to_str().ok_or_else(|| anyhow!("a non-UTF-8 base dir"))?;
		let from_file = NetworkConfig::load_from_toml(toml_path)?;
		// The timeouts of the file; this run's base directory; and no tear-down by zombienet
		// itself when a node dies (it would end this process): the tests stop nodes on
		// purpose, and `destroy` cleans up.
		let settings = GlobalSettingsBuilder::new()
			.with_network_spawn_timeout(from_file.global_settings().network_spawn_timeout())
			.with_node_spawn_timeout(from_file.global_settings().node_spawn_timeout())
			.with_base_dir(base_dir)
			.with_tear_down_on_failure(false)
			.build()
			.map_err(|errors| anyhow!("network settings: {errors:?}"))?;
		let config = NetworkConfig::load_from_toml_with_settings(toml_path, &settings)?;
		let network = config.spawn_native().await.context("spawning zombienet/local.toml")?;
		let mut this = Self { network, base_dir: base_dir.to_path_buf(), clients: Vec::new() };
		for name in NODES {
			let client = this.connect(name).await?;
			this.clients.push((name.to_string(), client));
		}
		Ok(this)
	}

	async fn connect(&self, name: &str) -> anyhow::Result<EnergyClient> {
		let url = self.node(name)?.ws_uri().to_string();
		wait_until(&format!("{name}'s RPC at {url}"), Duration::from_secs(60), || async {
			Ok(Some(EnergyClient::connect(&url).await?))
		})
		.await
	}

	/// Where the nodes keep their files; `<base_dir>/<node>/<node>.log` is each node's log.
	pub fn base_dir(&self) -> &Path {
		&self.base_dir
	}

	/// The zombienet node `name`.
	pub fn node(&self, name: &str) -> anyhow::Result<&NetworkNode> {
		self.network.get_node(name)
	}

	/// The client connected to node `name` (one of [`NODES`]).
	pub fn client(&self, name: &str) -> &EnergyClient {
		&self
			.clients
			.iter()
			.find(|(node, _)| node == name)
			.unwrap_or_else(|| panic!("{name} is not a node of zombienet/local.toml"))
			.1
	}

	/// Every node's name and client.
	pub fn clients(&self) -> impl Iterator<Item = (&str, &EnergyClient)> {
		self.clients.iter().map(|(name, client)| (name.as_str(), client))
	}

	/// Waits until every node in `names` reports (Prometheus `block_height{status="finalized"}`)
	/// a finalized height of at least `height`.
	pub async fn wait_finalized(
		&self,
		names: &[&str],
		height: u64,
		timeout_secs: u64,
	) -> anyhow::Result<()> {
		for name in names {
			self.node(name)?
				.wait_metric_with_timeout(
					"block_height{status=\"finalized\"}",
					|v| v >= height as f64,
					timeout_secs,
				)
				.await
				.with_context(|| format!("{name} finalizing block #{height}"))?;
		}
		Ok(())
	}

	/// The highest block every node in `names` has finalized, and its hash on each of them.
	pub async fn common_finalized(&self, names: &[&str]) -> anyhow::Result<(u64, Vec<Hash>)> {
		let mut common = u64::MAX;
		for name in names {
			common = common.min(self.client(name).finalized_number().await?);
		}
		let mut hashes = Vec::new();
		for name in names {
			let hash = self.client(name).block_hash(common).await?;
			hashes.push(hash.ok_or_else(|| anyhow!("{name} has no block #{common}"))?);
		}
		Ok((common, hashes))
	}

	/// Stops node `name`: its process is frozen (`SIGSTOP`), so it neither authors, votes nor
	/// answers its peers, as if its machine hung.
	pub async fn stop(&self, name: &str) -> anyhow::Result<()> {
		self.node(name)?.pause().await
	}

	/// Starts node `name` again after [`LocalNetwork::stop`]: the frozen process is killed and a
	/// new one starts on the same database and keys, and its client reconnects.
	pub async fn restart(&mut self, name: &str) -> anyhow::Result<()> {
		self.node(name)?.restart(None).await?;
		let client = self.connect(name).await?;
		let slot = self
			.clients
			.iter_mut()
			.find(|(node, _)| node == name)
			.ok_or_else(|| anyhow!("{name} is not a node of zombienet/local.toml"))?;
		slot.1 = client;
		Ok(())
	}

	/// The last `lines` lines of every node's log, for a failure report.
	pub fn log_tails(&self, lines: usize) -> String {
		let mut report = String::new();
		for name in NODES {
			let path = self.base_dir.join(name).join(format!("{name}.log"));
			report.push_str(&format!("---- {name}: last {lines} lines of {}\n", path.display()));
			match std::fs::read_to_string(&path) {
				Ok(log) => {
					let all: Vec<&str> = log.lines().collect();
					for line in &all[all.len().saturating_sub(lines)..] {
						report.push_str(line);
						report.push('\n');
					}
				},
				Err(error) => report.push_str(&format!("(unreadable: {error})\n")),
			}
		}
		report
	}

	/// Stops every node, waiting for the processes to end.
	pub async fn destroy(self) {
		if let Err(error) = self.network.destroy().await {
			eprintln!("zombienet: tearing the network down failed: {error}");
		}
	}
}
