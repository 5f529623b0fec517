//! The real binary: outputs, exit codes and messages.

use assert_cmd::Command;
use predicates::prelude::*;

use crate::common::scenario_path;

fn imfsim() -> Command {
    Command::cargo_bin("imfsim").expect("binary is built")
}

#[test]
fn run_writes_every_output_and_a_summary_table() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("res");
    imfsim()
        .args(["run", "-r", "3", "-d", "2", "--out"])
        .arg(&out)
        .arg(scenario_path("small_imf.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("inspected share"))
        .stdout(predicate::str::contains("95 % CI"));
    for f in [
        "summary.json",
        "summary.csv",
        "replications.csv",
        "daily.csv",
        "inspected_share.svg",
        "inspected_share.png",
        "stage_waits.svg",
        "stage_waits.png",
        "utilisation.svg",
        "utilisation.png",
        "lab_backlog.svg",
        "lab_backlog.png",
        "seized_vs_missed.svg",
        "seized_vs_missed.png",
    ] {
        let p = out.join(f);
        assert!(
            p.metadata().map(|m| m.len() > 40).unwrap_or(false),
            "{f} missing or empty"
        );
    }
    let png = std::fs::read(out.join("utilisation.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["run"]["replications"], 3);
    assert_eq!(json["run"]["seed"], 42);
    assert_eq!(
        json["scenario"]["content_sha256"].as_str().map(str::len),
        Some(64)
    );
    let share = &json["metrics"]["stream"]["all"]["inspected_share"];
    assert_eq!(share["n"], 3);
    assert!(share["mean"].as_f64().unwrap() > 0.0);
    let reps = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    assert_eq!(reps.lines().count(), 4, "header + one row per replication");
    // No temporary folders are left beside the results.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".imfsim"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn existing_results_are_kept_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("res");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("mine.txt"), "precious").unwrap();
    imfsim()
        .args(["run", "-r", "1", "-d", "1", "--out"])
        .arg(&out)
        .arg(scenario_path("small_imf.toml"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    assert_eq!(
        std::fs::read_to_string(out.join("mine.txt")).unwrap(),
        "precious"
    );
    // --force never replaces a folder that is not an imfsim results folder.
    imfsim()
        .args(["run", "-r", "1", "-d", "1", "--force", "--out"])
        .arg(&out)
        .arg(scenario_path("small_imf.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "replaces only imfsim results folders",
        ));
    assert_eq!(
        std::fs::read_to_string(out.join("mine.txt")).unwrap(),
        "precious"
    );
    // It does replace an earlier results folder.
    let res = tmp.path().join("res2");
    for _ in 0..2 {
        imfsim()
            .args(["run", "-r", "1", "-d", "1", "--force", "--out"])
            .arg(&res)
            .arg(scenario_path("small_imf.toml"))
            .assert()
            .success();
    }
    assert!(res.join("summary.json").exists());
}

#[test]
fn check_accepts_every_bundled_scenario() {
    let dir = scenario_path("");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            imfsim()
                .arg("check")
                .arg(&path)
                .assert()
                .success()
                .stdout(predicate::str::contains("valid scenario"));
            checked += 1;
        }
    }
    assert!(checked >= 1);
}

#[test]
fn bad_input_exits_with_2_and_names_file_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.toml");
    let text = std::fs::read_to_string(scenario_path("small_imf.toml"))
        .unwrap()
        .replace("p_detect = 0.88", "p_detect = 1.7");
    std::fs::write(&bad, text).unwrap();
    imfsim()
        .arg("check")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:"))
        .stderr(predicate::str::contains(
            "canine.p_detect = 1.7: must be a probability between 0 and 1",
        ));
    imfsim()
        .args(["run", "does/not/exist.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "does/not/exist.toml: cannot read the scenario file",
        ));
    imfsim()
        .args(["run", "--threads", "0"])
        .arg(scenario_path("small_imf.toml"))
        .assert()
        .code(2);
}

#[test]
fn batch_means_of_one_long_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("bm");
    imfsim()
        .args(["run", "--batches", "4", "-d", "28", "--out"])
        .arg(&out)
        .arg(scenario_path("small_imf.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("batch means: 4 batches"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["run"]["method"]["batch_means"], 4);
    assert_eq!(json["metrics"]["stream"]["all"]["inspected_share"]["n"], 4);
    let reps = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    assert_eq!(reps.lines().count(), 5, "header + one row per batch");
}
