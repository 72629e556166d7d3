//! `energy-fuzz`: runs the cross-pallet fuzzer (see the crate's docs) for `--steps` steps, in
//! chunks of `--chunk` steps (10,000 by default: the checks after every block read the whole
//! state of both pallets, so a chunk's cost grows with its state), each from a fresh chain seeded
//! `--seed` + its index, so a run is reproducible and a violation is replayed by its chunk's
//! seed. Exits 1 on the first violation.

use std::time::Instant;

use clap::Parser;
use energy_fuzz::{Fuzzer, Stats};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Parser)]
#[command(
	about = "Random calls of both energy pallets through the real runtime, checking every invariant after every block"
)]
struct Args {
	/// How many steps (calls) in all.
	#[arg(long, default_value_t = 100_000)]
	steps: u64,
	/// The seed of the first chunk; chunk i is seeded `seed + i`.
	#[arg(long, default_value_t = 1)]
	seed: u64,
	/// Steps per chunk: each chunk starts from a fresh chain.
	#[arg(long, default_value_t = 10_000)]
	chunk: u64,
}

fn main() {
	let args = Args::parse();
	let started = Instant::now();
	let bar = ProgressBar::new(args.steps);
	bar.set_style(
		ProgressStyle::with_template(
			"{bar:40} {pos}/{len} steps, {per_sec}, {elapsed} (eta {eta}) {msg}",
		)
		.expect("a valid template"),
	);
	let mut total = Stats::default();
	let mut done = 0;
	let mut chunk = 0;
	while done < args.steps {
		let seed = args.seed + chunk;
		let steps = args.chunk.min(args.steps - done);
		bar.set_message(format!("chunk {chunk} (seed {seed})"));
		let run = Fuzzer::new(seed).and_then(|mut fuzzer| {
			for _ in 0..steps {
				fuzzer.step()?;
				bar.inc(1);
			}
			Ok(fuzzer.stats)
		});
		match run {
			Ok(stats) => {
				total.steps += stats.steps;
				total.blocks += stats.blocks;
				for (why, count) in stats.invalid {
					*total.invalid.entry(why).or_default() += count;
				}
				for (name, counts) in stats.calls {
					let sum = total.calls.entry(name).or_default();
					for (all, these) in sum.iter_mut().zip(counts) {
						*all += these;
					}
				}
			},
			Err(violation) => {
				bar.abandon();
				eprintln!(
					"VIOLATION in chunk {chunk} (seed {seed}) at step {} (block #{}): {}\n\
					 replay: energy-fuzz --seed {seed} --steps {} --chunk {}",
					violation.step, violation.block, violation.what, violation.step, violation.step
				);
				std::process::exit(1);
			},
		}
		done += steps;
		chunk += 1;
	}
	bar.finish();
	println!("{:<28} {:>10} {:>10} {:>10}", "call", "succeeded", "failed", "invalid");
	for (name, [ok, failed, invalid]) in &total.calls {
		println!("{name:<28} {ok:>10} {failed:>10} {invalid:>10}");
	}
	for (why, count) in &total.invalid {
		println!("invalid: {why}: {count}");
	}
	let [ok, failed, invalid] = total.totals();
	println!(
		"{} steps in {chunk} chunks from seed {} ({} blocks): {ok} calls succeeded, {failed} failed, \
		 {invalid} invalid; 0 violations; {:.0} s",
		total.steps,
		args.seed,
		total.blocks,
		started.elapsed().as_secs_f64()
	);
}
