//! The catalogue of bad scenario files in `tests/data/bad/`: each `NAME.toml` holds one fault
//! (or, for `several_faults`, several) and `NAME.expected` the exact standard error
//! `imfsim check NAME.toml` must print, run from that folder. See `tests/data/bad/README.md`.
//!
//! After an intended change of wording, regenerate the expectations with
//! `IMFSIM_BLESS=1 cargo test --release bad_input` and review the diff.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn catalogue_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join("bad")
}

/// Every `*.toml` entry of the catalogue (files, and one directory named like a file), sorted.
fn entries() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(catalogue_dir())
        .expect("catalogue folder")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".toml"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

fn imfsim() -> Command {
    let mut cmd = Command::cargo_bin("imfsim").expect("binary is built");
    // A panic would then print its "run with RUST_BACKTRACE=1" note, which the test rejects.
    cmd.env_remove("RUST_BACKTRACE");
    cmd
}

/// Standard error with the catalogue's absolute path (should it appear) replaced by `{DIR}`
/// and line ends normalised.
fn normalise(stderr: &[u8]) -> String {
    let dir = catalogue_dir();
    String::from_utf8_lossy(stderr)
        .replace(&*dir.to_string_lossy(), "{DIR}")
        .replace("\r\n", "\n")
}

#[test]
fn catalogue_is_complete() {
    let names = entries();
    assert!(
        names.len() >= 35,
        "only {} bad scenarios in the catalogue",
        names.len()
    );
    let dir = catalogue_dir();
    for n in &names {
        assert!(
            dir.join(format!("{n}.expected")).is_file(),
            "{n}.toml has no {n}.expected"
        );
    }
    for e in std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()) {
        let file = e.file_name().to_string_lossy().into_owned();
        if let Some(n) = file.strip_suffix(".expected") {
            assert!(names.iter().any(|m| m == n), "{file} has no {n}.toml");
        }
    }
}

#[test]
fn every_bad_scenario_is_rejected_with_its_expected_message() {
    let dir = catalogue_dir();
    let bless = std::env::var_os("IMFSIM_BLESS").is_some();
    let mut failures = Vec::new();
    for name in entries() {
        let out = imfsim()
            .current_dir(&dir)
            .arg("check")
            .arg(format!("{name}.toml"))
            .output()
            .expect("imfsim runs");
        let stderr = normalise(&out.stderr);
        let expected_path = dir.join(format!("{name}.expected"));
        if bless {
            std::fs::write(&expected_path, &stderr).expect("writable catalogue");
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_default()
            .replace("\r\n", "\n");
        let mut problems = Vec::new();
        if out.status.code() != Some(2) {
            problems.push(format!("exit status {:?}, expected 2", out.status.code()));
        }
        if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
            problems.push("panicked".to_string());
        }
        if !out.stdout.is_empty() {
            problems.push(format!(
                "printed to stdout: {}",
                String::from_utf8_lossy(&out.stdout)
            ));
        }
        if stderr != expected {
            problems.push(format!(
                "stderr differs\n--- expected\n{expected}--- actual\n{stderr}---"
            ));
        }
        if !problems.is_empty() {
            failures.push(format!("{name}.toml: {}", problems.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the bad scenarios misbehaved:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_error_line_names_file_position_key_value_and_rule() {
    // Validation problems are listed one per line as `  FILE:LINE:COL: key = value: rule`.
    let dir = catalogue_dir();
    for name in entries() {
        let text = std::fs::read_to_string(dir.join(format!("{name}.expected"))).unwrap();
        for line in text.lines().skip(1) {
            let rest = line
                .trim_start()
                .strip_prefix(&format!("{name}.toml:"))
                .unwrap_or_else(|| panic!("{name}: `{line}` does not start with the file"));
            let mut parts = rest.splitn(3, ':');
            let (l, c) = (parts.next().unwrap(), parts.next().unwrap_or(""));
            assert!(
                l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok(),
                "{name}: `{line}` has no line:col"
            );
            let what = parts.next().unwrap_or("");
            assert!(
                what.contains(" = ") && what.contains(": "),
                "{name}: `{line}` is not `key = value: rule`"
            );
        }
    }
}

#[test]
fn run_on_a_bad_file_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = catalogue_dir().join("prob_over_one.toml");
    let out = imfsim()
        .current_dir(tmp.path())
        .args(["run", "-r", "1", "-d", "1"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = normalise(&out.stderr);
    assert!(stderr.contains("xray.p_flag_clean = 1.05"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    let explicit = tmp.path().join("res");
    imfsim()
        .current_dir(tmp.path())
        .args(["run", "-r", "1", "-d", "1", "--out"])
        .arg(&explicit)
        .arg(&bad)
        .assert()
        .code(2);
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "a failed run left {left:?} behind");
}

#[test]
fn the_library_rejects_every_bad_scenario_without_panicking() {
    let dir = catalogue_dir();
    for name in entries() {
        let path = dir.join(format!("{name}.toml"));
        assert!(
            imfsim::scenario::load(&path).is_err(),
            "{name}.toml was accepted"
        );
    }
}
