//! Same scenario and seed give byte-identical results whatever the thread count.

use assert_cmd::Command;

use crate::common::scenario_path;

fn summary(threads: &str, seed: &str, dir: &std::path::Path) -> Vec<u8> {
    let out = dir.join(format!("t{threads}-s{seed}"));
    Command::cargo_bin("imfsim")
        .unwrap()
        .args([
            "run", "-r", "4", "-d", "2", "-t", threads, "-s", seed, "--out",
        ])
        .arg(&out)
        .arg(scenario_path("small_imf.toml"))
        .assert()
        .success();
    let mut bytes = std::fs::read(out.join("summary.json")).unwrap();
    bytes.extend(std::fs::read(out.join("replications.csv")).unwrap());
    bytes
}

#[test]
fn one_and_two_threads_give_identical_files_and_seeds_matter() {
    let tmp = tempfile::tempdir().unwrap();
    let one = summary("1", "7", tmp.path());
    let two = summary("2", "7", tmp.path());
    assert!(
        one == two,
        "summary.json/replications.csv differ between 1 and 2 threads"
    );
    let other_seed = summary("2", "8", tmp.path());
    assert!(
        one != other_seed,
        "a different seed must give different results"
    );
}
