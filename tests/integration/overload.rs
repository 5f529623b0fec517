//! Overloaded facilities: runs finish and name the bottleneck, runaway runs stop at the item
//! ceiling with a clear message, and Ctrl-C leaves no partial results.

use assert_cmd::Command;
use predicates::prelude::*;
use toml::Value;

use crate::common::{set, small_imf_table, write_scenario};

/// small_imf with x-ray offered about three times what one machine can do.
fn overloaded(max_wait: Option<&str>) -> toml::Table {
    let mut t = small_imf_table();
    let mut service = toml::Table::new();
    service.insert("dist".into(), Value::String("exponential".into()));
    service.insert("mean".into(), Value::String("600s".into()));
    set(&mut t, "xray.service", Value::Table(service));
    let x = t["xray"].as_table_mut().unwrap();
    x.remove("shifts");
    x.remove("max_wait");
    x.insert("officers_per_machine".into(), Value::Integer(0));
    if let Some(w) = max_wait {
        x.insert("max_wait".into(), Value::String(w.into()));
    }
    t
}

#[test]
fn an_overloaded_stage_is_named_and_the_run_finishes_when_items_can_leave() {
    let tmp = tempfile::tempdir().unwrap();
    let path = write_scenario(tmp.path(), "over", &overloaded(Some("1d")));
    Command::cargo_bin("imfsim")
        .unwrap()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: xray is the bottleneck"));
    let out = tmp.path().join("res");
    Command::cargo_bin("imfsim")
        .unwrap()
        .args(["run", "-r", "2", "-d", "4", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains("xray is the bottleneck"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let xray = json["load"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["stage"] == "xray")
        .unwrap();
    let ratio = xray["demand_over_capacity"].as_f64().unwrap();
    assert!(
        ratio > 2.0,
        "x-ray demand should be well over capacity, got {ratio}"
    );
    let returned = json["metrics"]["stream"]["all"]["returned_uninspected_per_day"]["mean"]
        .as_f64()
        .unwrap();
    assert!(
        returned > 100.0,
        "overflow is returned uninspected ({returned}/day)"
    );
}

#[test]
fn a_runaway_run_stops_at_the_item_ceiling_with_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    let mut t = overloaded(None);
    set(&mut t, "limits.max_items_inside", Value::Integer(2_000));
    let path = write_scenario(tmp.path(), "runaway", &t);
    let out = tmp.path().join("res");
    Command::cargo_bin("imfsim")
        .unwrap()
        .args(["run", "-r", "2", "-d", "30", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "more than 2000 items were inside at once",
        ))
        .stderr(predicate::str::contains("xray is the bottleneck"));
    assert!(!out.exists(), "no results folder for a stopped run");
}

#[test]
#[cfg(unix)]
fn ctrl_c_stops_cleanly_and_keeps_older_results() {
    use std::process::{Command as Std, Stdio};
    use std::time::{Duration, Instant};
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("res");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("old.txt"), "last week's results").unwrap();
    // An earlier imfsim results folder (only those may be replaced with --force).
    std::fs::write(
        out.join("summary.json"),
        r#"{"program": {"name": "imfsim"}}"#,
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("imfsim");
    let child = Std::new(bin)
        .args(["run", "-r", "100000", "-d", "30", "--force", "--out"])
        .arg(&out)
        .arg(crate::common::scenario_path("small_imf.toml"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let pid = child.id().to_string();
    assert!(
        Std::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "stops promptly"
    );
    assert_eq!(output.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
    assert_eq!(
        std::fs::read_to_string(out.join("old.txt")).unwrap(),
        "last week's results"
    );
    let partial: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".imfsim"))
        .collect();
    assert!(partial.is_empty(), "no partial folder is left behind");
}
