//! `energy-bench`: how many energy-market transactions Energy Chain includes per second, next to
//! its own balance transfers on the same node in the same run, and whether the market calls'
//! cost stays flat as the state grows. `energy-bench --help` explains the options;
//! docs/performance.md shows the one command that produces `bench/RESULTS.md`.

mod cost;
mod counting;
mod node;
mod report;
mod tps;

use std::path::PathBuf;

use clap::Parser;

/// Measures Energy Chain's throughput and cost growth, and writes the results.
///
/// The throughput part starts a fresh `energy-node --dev` with raised pool limits, prepares
/// accounts, factories, offers and trades, pre-signs one batch of transactions per workload
/// (each from its own account, nonces set), submits them as fast as the node accepts them, and
/// measures from the chain: transactions of the workload included per block over the block time
/// (from the blocks' timestamps), block fullness, and submit-to-inclusion and
/// submit-to-finality latency. The cost part dispatches the market calls natively over states
/// with 10, 10 000 and 100 000 offers and accounts, each run a block of its own, timed with cold
/// reads and through the node's trie cache (empty, then warm), and counts the keys each call
/// reads and iterates over.
#[derive(Parser, Debug, Clone)]
#[command(name = "energy-bench", version)]
pub struct Args {
	/// Accounts (each with a factory) that send the workloads' transactions.
	#[arg(long, default_value_t = 2_000)]
	pub accounts: usize,
	/// Transactions each account sends per workload (consecutive nonces): enough that each
	/// workload spans several blocks.
	#[arg(long, default_value_t = 10)]
	pub txs_per_account: u32,
	/// Workloads to run, in order: transfer, mint, transfer_energy, execute_trade, purchase,
	/// batch, lock+purchase.
	#[arg(long, value_delimiter = ',', default_value = tps::ALL_WORKLOADS)]
	pub workloads: Vec<String>,
	/// The node's transaction pool: most transactions.
	#[arg(long, default_value_t = 100_000)]
	pub pool_limit: usize,
	/// The node's transaction pool: most kilobytes.
	#[arg(long, default_value_t = 1_000_000)]
	pub pool_kbytes: usize,
	/// Keep the node's database in this directory (created if missing) instead of a temporary
	/// one, e.g. to run `energy-node benchmark storage` on the state the run leaves.
	#[arg(long)]
	pub base_path: Option<PathBuf>,
	/// The energy-node binary (default: ENERGY_NODE_BIN, or energy-node next to this binary).
	#[arg(long, env = "ENERGY_NODE_BIN")]
	pub node: Option<PathBuf>,
	/// State sizes (existing offers and accounts) for the cost-growth measurement.
	#[arg(long, value_delimiter = ',', default_value = "10,10000,100000")]
	pub cost_sizes: Vec<u32>,
	/// Calls timed per state size and call (each a block of its own, with offers and buyers
	/// of its own: enough that a burst of noise on the machine moves the median little).
	#[arg(long, default_value_t = 1_000)]
	pub cost_samples: u32,
	/// Skip the throughput part.
	#[arg(long)]
	pub skip_tps: bool,
	/// Skip the cost-growth part.
	#[arg(long)]
	pub skip_cost: bool,
	/// Where the JSON result and the charts go.
	#[arg(long, default_value = "bench/results")]
	pub out: PathBuf,
	/// Where the Markdown summary goes.
	#[arg(long, default_value = "bench/RESULTS.md")]
	pub results_md: PathBuf,
	/// A quick run that only checks the harness works (20 accounts, sizes 10 and 100): no
	/// conclusions can be drawn from its numbers.
	#[arg(long)]
	pub smoke: bool,
	/// Print the result as JSON, and no progress bars.
	#[arg(long)]
	pub json: bool,
}

impl Args {
	/// The smoke run's small settings.
	fn effective(mut self) -> Self {
		if self.smoke {
			self.accounts = self.accounts.min(20);
			self.txs_per_account = 1;
			self.cost_sizes = vec![10, 100];
			self.cost_samples = self.cost_samples.min(20);
		}
		self
	}
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
	let args = Args::parse().effective();
	match run(&args).await {
		Ok(()) => std::process::ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("energy-bench: {error}");
			std::process::ExitCode::FAILURE
		},
	}
}

async fn run(args: &Args) -> Result<(), String> {
	for workload in &args.workloads {
		tps::Workload::parse(workload)?;
	}
	let command = std::env::args().collect::<Vec<_>>().join(" ");
	let machine = report::Machine::read();
	let throughput = if args.skip_tps { None } else { Some(tps::run(args).await?) };
	let cost = if args.skip_cost { None } else { Some(cost::run(args)?) };
	let result = report::RunResult { command, machine, smoke: args.smoke, throughput, cost };
	let written = report::write(args, &result)?;
	if args.json {
		println!("{}", serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?);
	} else {
		println!("{}", report::markdown(&result, &written));
		eprintln!("wrote {}", written.join(", "));
	}
	Ok(())
}
