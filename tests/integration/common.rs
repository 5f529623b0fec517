//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use imfsim::experiment::{self, NoProgress, Results, RunOptions};

/// Path of a bundled scenario.
pub(crate) fn scenario_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// The bundled small facility as a TOML table, for tests to modify.
pub(crate) fn small_imf_table() -> toml::Table {
    let text = std::fs::read_to_string(scenario_path("small_imf.toml")).expect("bundled file");
    text.parse().expect("bundled file is TOML")
}

/// Sets `value` at the dotted `path` in `table`, creating tables as needed.
pub(crate) fn set(table: &mut toml::Table, path: &str, value: toml::Value) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().expect("non-empty path");
    let mut t = table;
    for p in parts {
        t = t
            .entry(p)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .expect("path goes through tables");
    }
    t.insert(last.to_string(), value);
}

/// Writes `table` to a file in `dir` and returns its path.
pub(crate) fn write_scenario(dir: &Path, name: &str, table: &toml::Table) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, toml::to_string(table).expect("serialisable"))
        .expect("writable temp dir");
    path
}

/// Runs the scenario at `path` with `reps` replications of `days` days.
pub(crate) fn run(path: &Path, reps: u32, days: u32, seed: u64) -> Results {
    let scenario = imfsim::scenario::load(path).expect("valid scenario");
    let opts = RunOptions {
        replications: Some(reps),
        days: Some(days),
        seed: Some(seed),
        threads: None,
    };
    experiment::run(&scenario, &opts, &NoProgress, &AtomicBool::new(false)).expect("run succeeds")
}

/// The mean of metric `key`, or `None` if absent or undefined.
pub(crate) fn mean(r: &Results, key: &str) -> Option<f64> {
    r.metric(key).and_then(|m| m.estimate).map(|e| e.mean)
}
