//! A short run of the whole harness (a fresh node, 20 accounts, every workload, the cost
//! measurement at two small sizes), so that it cannot rot. Its numbers assert nothing.

use std::process::Command;

#[test]
fn a_smoke_run_writes_json_charts_and_markdown() {
	let out = std::env::temp_dir().join(format!("energy-bench-smoke-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&out);
	let results = out.join("RESULTS.md");
	let mut command = Command::new(env!("CARGO_BIN_EXE_energy-bench"));
	command.arg("--smoke").arg("--json").arg("--out").arg(&out).arg("--results-md").arg(&results);
	if std::env::var_os("ENERGY_NODE_BIN").is_none() {
		// `cargo test --workspace` builds the node next to this binary.
		let node = std::path::PathBuf::from(env!("CARGO_BIN_EXE_energy-bench"))
			.with_file_name("energy-node");
		command.arg("--node").arg(node);
	}
	let output = command.output().expect("energy-bench runs");
	let stdout = String::from_utf8_lossy(&output.stdout);
	assert!(
		output.status.success(),
		"energy-bench --smoke failed:\n{stdout}\n{}",
		String::from_utf8_lossy(&output.stderr)
	);
	let result: serde_json::Value = serde_json::from_str(&stdout).expect("--json prints JSON");
	let workloads = result["throughput"]["workloads"].as_array().expect("every workload ran");
	assert_eq!(workloads.len(), 7);
	for workload in workloads {
		let name = workload["workload"].as_str().unwrap();
		assert!(workload["included"].as_u64().unwrap() > 0, "{name} got something included");
		let chart = out.join(format!("tps-{}.png", name.replace('+', "-")));
		let png = std::fs::read(&chart).expect("a chart per workload");
		assert_eq!(&png[1..4], b"PNG");
	}
	assert_eq!(
		result["cost"]["rows"].as_array().unwrap().len(),
		30,
		"4 calls and the control at 2 sizes, read cold, through an empty and a warm trie cache"
	);
	let markdown = std::fs::read_to_string(&results).unwrap();
	assert!(markdown.contains("| purchase |") || markdown.contains("[purchase]"));
	assert!(markdown.contains("Smoke run"));
	std::fs::remove_dir_all(&out).unwrap();
}
