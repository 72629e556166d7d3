//! A short fuzzer run, as CI's: 3,000 steps from seed 1, which must find no violation. The long
//! runs (a million steps) are `scripts/fuzz.sh`'s.

#[test]
fn a_short_run_finds_no_violation() {
	let mut fuzzer = energy_fuzz::Fuzzer::new(1).expect("the setup succeeds");
	for _ in 0..3_000 {
		if let Err(violation) = fuzzer.step() {
			panic!("{violation:?}");
		}
	}
	let [succeeded, failed, _] = fuzzer.stats.totals();
	// The run exercised both outcomes of the calls, and blocks advanced.
	assert!(succeeded > 500 && failed > 100, "{:?}", fuzzer.stats);
	assert!(fuzzer.stats.blocks > 100);
}
