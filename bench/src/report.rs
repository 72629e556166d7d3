//! The results: a JSON file per run, PNG charts of tx/s per block, and `bench/RESULTS.md`.

use std::path::Path;

use plotters::prelude::*;
use serde::Serialize;

use crate::{
	cost::{CostResult, Reads},
	tps::TpsResult,
	Args,
};

/// The machine a run was measured on.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
	/// Logical cores.
	pub cores: usize,
	/// The CPU model (from /proc/cpuinfo).
	pub model: String,
	/// Memory, in MiB (from /proc/meminfo).
	pub memory_mib: u64,
}

impl Machine {
	/// Reads this machine's.
	pub fn read() -> Self {
		let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
		let model = cpuinfo
			.lines()
			.find_map(|line| line.strip_prefix("model name"))
			.map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_string())
			.unwrap_or_else(|| "unknown".into());
		let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
		let memory_mib = meminfo
			.lines()
			.find_map(|line| line.strip_prefix("MemTotal:"))
			.and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
			.map(|kb| kb / 1024)
			.unwrap_or_default();
		let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
		Machine { cores, model, memory_mib }
	}
}

/// One run of `energy-bench`.
#[derive(Clone, Debug, Serialize)]
pub struct RunResult {
	/// The command line that produced it.
	pub command: String,
	/// Where it ran.
	pub machine: Machine,
	/// Whether it was a smoke run (its numbers mean nothing).
	pub smoke: bool,
	/// The throughput part.
	pub throughput: Option<TpsResult>,
	/// The cost-growth part.
	pub cost: Option<CostResult>,
}

/// The font the charts' text is drawn in (Debian's fonts-dejavu-core).
const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

fn register_font() -> Result<(), String> {
	let bytes = std::fs::read(FONT).map_err(|e| {
		format!("cannot read the charts' font {FONT} ({e}); install fonts-dejavu-core")
	})?;
	plotters::style::register_font(
		"sans-serif",
		FontStyle::Normal,
		Box::leak(bytes.into_boxed_slice()),
	)
	.map_err(|_| format!("{FONT} is not a usable font"))
}

/// Draws tx/s per block of one workload.
fn chart(path: &Path, workload: &crate::tps::WorkloadResult) -> Result<(), String> {
	let root = BitMapBackend::new(path, (900, 420)).into_drawing_area();
	let err = |e: &dyn std::fmt::Display| e.to_string();
	root.fill(&WHITE).map_err(|e| err(&e))?;
	let points: Vec<(u64, f64)> = workload.blocks.iter().map(|b| (b.number, b.tx_per_s)).collect();
	let (first, last) = (
		points.first().map(|p| p.0).unwrap_or(0),
		points.last().map(|p| p.0).unwrap_or(1).max(points.first().map(|p| p.0 + 1).unwrap_or(1)),
	);
	let top = points.iter().map(|p| p.1).fold(1.0, f64::max) * 1.15;
	let mut chart = ChartBuilder::on(&root)
		.caption(
			format!(
				"{}: included tx/s per block ({:.0} tx/s sustained)",
				workload.workload, workload.tx_per_s
			),
			("sans-serif", 22),
		)
		.margin(12)
		.x_label_area_size(40)
		.y_label_area_size(70)
		.build_cartesian_2d(first..last, 0.0..top)
		.map_err(|e| err(&e))?;
	chart
		.configure_mesh()
		.x_desc("block")
		.y_desc("tx/s")
		.label_style(("sans-serif", 14))
		.draw()
		.map_err(|e| err(&e))?;
	chart.draw_series(LineSeries::new(points.clone(), &BLUE)).map_err(|e| err(&e))?;
	chart
		.draw_series(points.iter().map(|p| Circle::new(*p, 4, BLUE.filled())))
		.map_err(|e| err(&e))?;
	root.present().map_err(|e| err(&e))?;
	Ok(())
}

fn chart_name(workload: &str) -> String {
	format!("tps-{}.png", workload.replace('+', "-"))
}

/// Writes the JSON, the charts and the Markdown summary; returns what it wrote.
pub fn write(args: &Args, result: &RunResult) -> Result<Vec<String>, String> {
	std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
	let stamp = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or_default();
	let json_path = args.out.join(format!("run-{stamp}.json"));
	let json = serde_json::to_string_pretty(result).map_err(|e| e.to_string())?;
	std::fs::write(&json_path, json).map_err(|e| format!("{}: {e}", json_path.display()))?;
	let mut written = vec![json_path.display().to_string()];
	if let Some(tps) = &result.throughput {
		register_font()?;
		for workload in &tps.workloads {
			let path = args.out.join(chart_name(workload.workload));
			chart(&path, workload)?;
			written.push(path.display().to_string());
		}
	}
	let charts_dir = relative_dir(&args.results_md, &args.out);
	let markdown = markdown_with(result, &charts_dir, &json_path);
	if let Some(parent) = args.results_md.parent() {
		std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
	}
	std::fs::write(&args.results_md, markdown)
		.map_err(|e| format!("{}: {e}", args.results_md.display()))?;
	written.push(args.results_md.display().to_string());
	Ok(written)
}

/// `out` as seen from the Markdown file's directory (for links).
fn relative_dir(markdown: &Path, out: &Path) -> String {
	let base = markdown.parent().unwrap_or(Path::new(""));
	match out.strip_prefix(base) {
		Ok(rest) => rest.display().to_string(),
		Err(_) => out.display().to_string(),
	}
}

/// The summary printed at the end of a run.
pub fn markdown(result: &RunResult, written: &[String]) -> String {
	let json = written.first().map(String::as_str).unwrap_or_default();
	markdown_with(result, "results", Path::new(json))
}

fn markdown_with(result: &RunResult, charts_dir: &str, json: &Path) -> String {
	let mut md = String::from("# Energy Chain throughput and cost growth\n\n");
	if result.smoke {
		md.push_str(
			"**Smoke run**: too small to draw conclusions from; it only checks the harness.\n\n",
		);
	}
	md.push_str(&format!(
		"Produced by `{}` on {} cores ({}), {} MiB of memory. Raw data: `{}`.\n\n",
		result.command,
		result.machine.cores,
		result.machine.model,
		result.machine.memory_mib,
		json.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
	));
	if let Some(tps) = &result.throughput {
		md.push_str(&format!(
			"## Included transactions per second\n\n{} accounts: {} sellers with one offer each \
			 on one bus, and {} buyers, each sending {} transaction(s) per workload from its own \
			 account (`execute_trade`: half of them, the trades' buyers; nonces set, signed \
			 before the run), to a fresh \
			 `energy-node --dev` (6 s blocks, one validator) started with `{}`. tx/s is what \
			 the chain included, over the blocks' own timestamps, from the block before the \
			 first one carrying the workload to the last; latency is from submission to the \
			 block's import (inclusion) and to its finality. Weight (ref time) is what one \
			 transaction was charged after it ran (the mean of its `ExtrinsicSuccess` events), \
			 and what it declares before it runs (its worst case, which the block builder \
			 reserves).\n\n",
			tps.accounts,
			tps.accounts - tps.buyers,
			tps.buyers,
			tps.txs_per_account,
			tps.node_pool
		));
		md.push_str("| workload | included (blocks) | tx/s: run / median block | items/s | vs transfer: run / median block | block fullness | inclusion p50 / p99 | finality p50 / p99 | weight of one tx: charged / declared |\n");
		md.push_str("|---|---|---|---|---|---|---|---|---|\n");
		for w in &tps.workloads {
			let finality = w
				.finality
				.as_ref()
				.map(|f| format!("{:.1} s / {:.1} s", f.p50_ms / 1e3, f.p99_ms / 1e3))
				.unwrap_or_else(|| "-".into());
			md.push_str(&format!(
				"| [{}]({}/{}) | {}/{} ({}) | {:.1} / {:.1} | {:.1} | {} | {:.0}% | {:.1} s / {:.1} s | {} | {:.1} µs / {:.1} µs |\n",
				w.workload,
				charts_dir,
				chart_name(w.workload),
				w.included,
				w.submitted,
				w.blocks.len(),
				w.tx_per_s,
				w.median_block_tx_per_s,
				w.items_per_s,
				match (w.ratio_to_transfer, w.median_ratio_to_transfer) {
					(Some(run), Some(median)) => format!("{run:.2}× / {median:.2}×"),
					_ => "-".into(),
				},
				w.mean_fullness * 100.0,
				w.inclusion.p50_ms / 1e3,
				w.inclusion.p99_ms / 1e3,
				finality,
				w.charged_weight_us,
				w.weight_us
			));
		}
		md.push('\n');
	}
	if let Some(cost) = &result.cost {
		md.push_str(&format!(
			"## Cost growth with the state\n\nEach call dispatched natively over a trie holding N \
			 offers (one seller account and factory each), {} times per cell; median µs (p90). \
			 Each run is a block of its own with offers and accounts of its own (the smallest \
			 state wraps around), and the lock expiry runs in the block after the lock's last, \
			 over the state the block that took the lock left. Each size is timed three times \
			 over the same state with the same runs: *cold*, every read walking the trie from \
			 its root and decoding each node (as `TestExternalities` and FRAME benchmarks \
			 read); through a *trie cache* of `energy-node`'s default size (1 GiB), as a \
			 node's block import reads, starting empty, so that over the larger states every \
			 run reads keys no earlier run read; and through the *warm cache* that pass left, \
			 every key already cached. The trie is held in memory, not in a database.\n\n",
			cost.samples
		));
		let sizes: Vec<u32> = {
			let mut s: Vec<u32> = cost.rows.iter().map(|r| r.state_size).collect();
			s.dedup();
			s
		};
		md.push_str("| call | reads |");
		for size in &sizes {
			md.push_str(&format!(" {size} offers |"));
		}
		md.push_str(" largest / smallest |\n|---|---|");
		for _ in &sizes {
			md.push_str("---|");
		}
		md.push_str("---|\n");
		for (call, reads, growth) in &cost.growth {
			md.push_str(&format!("| {call} | {} |", reads.label()));
			for size in &sizes {
				if let Some(row) = cost.row(call, *reads, *size) {
					md.push_str(&format!(" {:.1} ({:.1}) |", row.median_us, row.p90_us));
				}
			}
			md.push_str(&format!(" {growth:.2}× |\n"));
		}
		md.push_str(
			"\nReads one call made from the state, and keys it stepped over (iterating), at each \
			 size (fewest–most over the runs; a key read twice counts twice, and what the block \
			 itself wrote is not read from the state): a call that iterated over offers or \
			 accounts would read more as the state grows.\n\n| call |",
		);
		for size in &sizes {
			md.push_str(&format!(" {size} offers |"));
		}
		md.push_str("\n|---|");
		for _ in &sizes {
			md.push_str("---|");
		}
		md.push('\n');
		for (call, reads, _) in cost.growth.iter().filter(|(_, reads, _)| *reads == Reads::Cold) {
			md.push_str(&format!("| {call} |"));
			for size in &sizes {
				if let Some(row) = cost.row(call, *reads, *size) {
					md.push_str(&format!(
						" {} read, {} stepped |",
						span(row.state_reads),
						span(row.iteration_steps)
					));
				}
			}
			md.push('\n');
		}
		md.push('\n');
	}
	md
}

/// `a–b`, or `a` when both are the same.
fn span((fewest, most): (u32, u32)) -> String {
	if fewest == most {
		fewest.to_string()
	} else {
		format!("{fewest}–{most}")
	}
}
