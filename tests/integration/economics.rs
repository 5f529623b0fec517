//! Cost-benefit commands through the real binary: yearly costs against hand computation, the
//! frontier against brute-force dominance, `optimize` never over budget, `compare` exit codes
//! and outputs, `report` rebuilding a folder and refusing one that is not a results folder, and
//! the bundled options scenario. Small scenario, few replications and days: fast.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use toml::Value as T;

use crate::common::{scenario_path, set, small_imf_table, write_scenario};

fn imfsim() -> Command {
    Command::cargo_bin("imfsim").expect("binary is built")
}

fn json(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).expect("summary.json"))
        .expect("valid JSON")
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-6 * b.abs().max(1.0),
        "{what}: {a} != {b} (by hand)"
    );
}

/// The capital recovery factor r(1+r)^n / ((1+r)^n − 1), written out for the hand computations.
fn crf(r: f64, n: f64) -> f64 {
    r * (1.0 + r).powf(n) / ((1.0 + r).powf(n) - 1.0)
}

/// small_imf with unit costs chosen so that every line has a distinct, hand-checkable value.
fn costed_small(dir: &Path) -> PathBuf {
    let mut t = small_imf_table();
    for (key, v) in [
        ("costs.discount_rate", T::Float(0.05)),
        ("costs.officer_per_fte", T::Integer(100_000)),
        ("costs.relief_factor", T::Float(1.25)),
        ("costs.hours_per_fte_week", T::Integer(40)),
        ("costs.canine_team_per_year", T::Integer(120_000)),
        ("costs.lab_per_sample", T::Integer(200)),
        ("costs.xray.price", T::Integer(100_000)),
        ("costs.xray.life_years", T::Integer(10)),
        ("costs.xray.upkeep_share", T::Float(0.1)),
        ("costs.chem.price", T::Integer(50_000)),
        ("costs.chem.life_years", T::Integer(5)),
        ("costs.chem.upkeep_share", T::Float(0.2)),
        ("costs.portal.price", T::Integer(60_000)),
        ("costs.portal.life_years", T::Integer(8)),
        ("costs.portal.upkeep_share", T::Float(0.05)),
    ] {
        set(&mut t, key, v);
    }
    write_scenario(dir, "costed", &t)
}

/// Yearly cost of one x-ray machine of `costed_small`: $100,000 over 10 years at 5 % plus 10 %
/// upkeep = 100,000 × 0.05 × 1.05^10 / (1.05^10 − 1) + 10,000 = 12,950.46 + 10,000.
fn xray_unit() -> f64 {
    let v = 100_000.0 * crf(0.05, 10.0) + 100_000.0 * 0.1;
    close(v, 22_950.457_5, "x-ray machine a year");
    v
}

fn cost(v: &Value, item: &str) -> f64 {
    v["metrics"]["cost"][item]["yearly_cost"]["mean"]
        .as_f64()
        .unwrap_or_else(|| panic!("cost.{item} missing"))
}

#[test]
fn yearly_costs_of_a_run_match_hand_computation() {
    let tmp = tempfile::tempdir().unwrap();
    let path = costed_small(tmp.path());
    let out = tmp.path().join("run");
    imfsim()
        .args(["run", "-r", "2", "-d", "2", "-t", "1", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let v = json(&out);
    // Officers: 4 on each weekday tour of 8 h, 1 on the weekend day shift of 8 h:
    // 4·8·5 + 4·8·5 + 1·8·2 = 336 h a week; 336 / 40 × 1.25 = 10.5 FTE × $100,000.
    close(cost(&v, "officers"), 10.5 * 100_000.0, "officers");
    // One canine team, weekdays 08-16: 40 h / 40 × 1.25 = 1.25 team-FTE × $120,000.
    close(cost(&v, "canine_teams"), 1.25 * 120_000.0, "canine teams");
    close(cost(&v, "xray_machines"), xray_unit(), "one x-ray machine");
    // One analyser: 50,000 × CRF(5 %, 5 y) + 20 % upkeep = 11,548.74 + 10,000.
    close(
        cost(&v, "chem_devices"),
        50_000.0 * crf(0.05, 5.0) + 10_000.0,
        "one analyser",
    );
    // One portal lane: 60,000 × CRF(5 %, 8 y) + 5 % upkeep = 9,283.31 + 3,000.
    close(
        cost(&v, "portal_lanes"),
        60_000.0 * crf(0.05, 8.0) + 3_000.0,
        "one portal lane",
    );
    // Lab: samples a day × 365 × $200, replication by replication, so also on the means.
    let lab_per_day = v["metrics"]["stage"]["lab"]["arrivals_per_day"]["mean"]
        .as_f64()
        .unwrap();
    close(
        cost(&v, "lab_samples"),
        lab_per_day * 365.0 * 200.0,
        "lab samples",
    );
    let lines: f64 = [
        "officers",
        "canine_teams",
        "xray_machines",
        "chem_devices",
        "portal_lanes",
        "lab_samples",
    ]
    .iter()
    .map(|i| cost(&v, i))
    .sum();
    close(cost(&v, "total"), lines, "total = sum of the lines");
    // Fixed costs do not vary between replications.
    assert_eq!(
        v["metrics"]["cost"]["officers"]["yearly_cost"]["ci95_half_width"].as_f64(),
        Some(0.0)
    );
    // The report lists the unit costs used, with the scenario's own sources.
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("costs.officer_per_fte"), "{md}");
    assert!(md.contains("$100,000"), "{md}");
}

/// Runs a sweep of `costed_small` over `vary`, returning the results folder.
fn sweep(tmp: &Path, vary: &[&str]) -> PathBuf {
    let path = costed_small(tmp);
    let out = tmp.join("sweep");
    let mut cmd = imfsim();
    cmd.args(["sweep", "-r", "3", "-d", "2", "-t", "1", "--out"])
        .arg(&out)
        .arg(&path);
    for v in vary {
        cmd.args(["--vary", v]);
    }
    cmd.assert().success();
    out
}

#[test]
fn sweep_costs_n_machines_and_officers_by_hand_and_frontier_is_undominated() {
    let tmp = tempfile::tempdir().unwrap();
    let out = sweep(
        tmp.path(),
        &["xray.machines=1,3", "officers=4,6", "canine.teams=0..=1"],
    );
    let v = json(&out);
    let mixes = v["mixes"].as_array().unwrap();
    assert_eq!(mixes.len(), 8, "2 × 2 × 2 grid");
    let line = |m: &Value, item: &str| {
        m["cost_lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["item"] == item)
            .and_then(|l| l["yearly_cost"].as_f64())
            .unwrap_or(0.0)
    };
    for m in mixes {
        let machines = m["mix"]["xray.machines"].as_u64().unwrap() as f64;
        let officers = m["mix"]["officers"].as_u64().unwrap();
        // N machines cost N times one machine.
        close(
            line(m, "xray_machines"),
            machines * xray_unit(),
            "N x-ray machines",
        );
        // Officers: both weekday tours scale 4 → 6; the weekend shift of 1 stays 1
        // (1 × 6 / 4 rounds down, and a staffed shift keeps at least one):
        // 6 → (6·8·5·2 + 1·8·2) / 40 × 1.25 = 15.5 FTE; 4 → 10.5 FTE.
        let fte = if officers == 6 { 15.5 } else { 10.5 };
        close(line(m, "officers"), fte * 100_000.0, "officer FTEs");
        let sum: f64 = m["cost_lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["yearly_cost"].as_f64().unwrap())
            .sum();
        close(m["yearly_cost"].as_f64().unwrap(), sum, "mix total");
    }
    // Frontier: exactly the mixes no other mix dominates (as cheap or cheaper and as good or
    // better, one of them strictly), cheapest first.
    let obj = v["objective"]["metric"].as_str().unwrap();
    let points: Vec<(f64, f64)> = mixes
        .iter()
        .map(|m| {
            (
                m["yearly_cost"].as_f64().unwrap(),
                m["outcomes"][obj]["estimate"]["mean"].as_f64().unwrap(),
            )
        })
        .collect();
    let dominated = |i: usize| {
        points.iter().enumerate().any(|(j, p)| {
            j != i
                && p.0 <= points[i].0
                && p.1 >= points[i].1
                && (p.0 < points[i].0 || p.1 > points[i].1)
        })
    };
    let mut brute: Vec<usize> = (0..points.len()).filter(|&i| !dominated(i)).collect();
    brute.sort_by(|&a, &b| points[a].0.total_cmp(&points[b].0));
    let frontier: Vec<usize> = v["frontier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(frontier, brute, "points {points:?}");
    // One more of each lever around the scenario's own mix, costed by hand for x-ray.
    let marginals = v["marginals"].as_array().unwrap();
    let xray = marginals
        .iter()
        .find(|m| m["lever"] == "xray.machines")
        .unwrap();
    assert_eq!(
        (xray["from"].as_u64(), xray["to"].as_u64()),
        (Some(1), Some(2))
    );
    let rows = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(rows.lines().count(), 9, "header + 8 mixes");
    assert!(out.join("cost_vs_objective.svg").is_file());
}

#[test]
fn optimize_never_returns_a_mix_over_budget() {
    let tmp = tempfile::tempdir().unwrap();
    let path = costed_small(tmp.path());
    // The cheapest step is one more x-ray machine, $22,950 a year; 10,000 is below it.
    for budget in [0.0, 10_000.0, 30_000.0, 200_000.0] {
        let out = tmp.path().join(format!("opt{budget}"));
        imfsim()
            .args(["optimize", "-r", "3", "-d", "2", "-t", "1"])
            .args(["--final-replications", "3", "--budget"])
            .arg(budget.to_string())
            .args([
                "--vary",
                "xray.machines=1..=3",
                "--vary",
                "canine.teams=0..=2",
            ])
            .arg("--out")
            .arg(&out)
            .arg(&path)
            .assert()
            .success();
        let v = json(&out);
        assert_eq!(v["budget"].as_f64(), Some(budget));
        let best = &v["best"];
        if !best.is_null() {
            let added = best["added_yearly_cost"].as_f64().unwrap();
            assert!(added <= budget + 1e-6, "budget {budget}: best adds {added}");
        }
        for f in v["finalists"].as_array().unwrap() {
            assert!(f["added_yearly_cost"].as_f64().unwrap() <= budget + 1e-6);
        }
        let mut rows = csv::Reader::from_path(out.join("finalists.csv")).unwrap();
        let col = rows
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "added_yearly_cost")
            .unwrap();
        for r in rows.records() {
            let added: f64 = r.unwrap()[col].parse().unwrap();
            assert!(
                added <= budget + 1e-6,
                "budget {budget}: finalist adds {added}"
            );
        }
        // Finalists have distinct results: a dearer copy of a result (only unused resources
        // added) is never a runner-up.
        let obj = v["objective"]["metric"].as_str().unwrap();
        let means: Vec<f64> = v["finalists"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["outcomes"][obj]["estimate"]["mean"].as_f64().unwrap())
            .collect();
        for (i, a) in means.iter().enumerate() {
            for b in &means[i + 1..] {
                assert!((a - b).abs() > 1e-12, "{means:?}");
            }
        }
        if budget >= 200_000.0 {
            // A second x-ray machine changes nothing at this small facility (its one machine is
            // not the bottleneck), so the search buys a canine team and no machine.
            assert_eq!(best["mix"]["xray.machines"].as_u64(), Some(1), "{best}");
            assert_eq!(best["mix"]["canine.teams"].as_u64(), Some(2), "{best}");
        }
        if budget < 22_950.0 && !best.is_null() {
            // Nothing can be added: the best is the current mix (1 machine, 1 team) or less.
            assert!(best["mix"]["xray.machines"].as_u64().unwrap() <= 1);
            assert!(best["mix"]["canine.teams"].as_u64().unwrap() <= 1);
        }
    }
}

#[test]
fn compare_writes_paired_differences_and_exits_2_on_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let base = scenario_path("small_imf.toml");
    let mut t = small_imf_table();
    set(&mut t, "scenario.name", T::String("two_dogs".into()));
    set(&mut t, "canine.teams", T::Integer(2));
    set(
        &mut t,
        "canine.shifts",
        toml::from_str::<toml::Table>(
            "s = [{ days = \"mon-fri\", from = \"08:00\", to = \"16:00\", units = 2 }]",
        )
        .unwrap()["s"]
            .clone(),
    );
    let other = write_scenario(tmp.path(), "two_dogs", &t);
    let out = tmp.path().join("cmp");
    imfsim()
        .args(["compare", "-r", "3", "-d", "2", "-t", "1", "--out"])
        .arg(&out)
        .arg(&base)
        .arg(&other)
        .assert()
        .success()
        .stdout(predicate::str::contains("two_dogs − small_imf"))
        .stdout(predicate::str::contains("significant at the 95 % level"));
    let v = json(&out);
    assert_eq!(v["kind"], "compare");
    assert_eq!(v["scenarios"].as_array().unwrap().len(), 2);
    let d = &v["differences"][0];
    assert_eq!(d["scenario"], "two_dogs");
    assert_eq!(d["against"], "small_imf");
    let cost = d["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "cost.total.yearly_cost")
        .unwrap();
    assert!(cost["difference"]["mean"].as_f64().unwrap() > 0.0);
    for f in [
        "compare.csv",
        "report.md",
        "report.html",
        "compare_seized.svg",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    // The same folder again without --force: exit 2, nothing replaced.
    imfsim()
        .args(["compare", "-r", "2", "-d", "1", "--out"])
        .arg(&out)
        .arg(&base)
        .arg(&other)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    // A missing scenario: exit 2, naming the file.
    imfsim()
        .args(["compare", "-r", "2", "-d", "1", "--out"])
        .arg(tmp.path().join("never"))
        .arg(&base)
        .arg(tmp.path().join("missing.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
    // One scenario is not a comparison.
    imfsim().args(["compare"]).arg(&base).assert().code(2);
}

#[test]
fn report_rebuilds_a_results_folder_and_refuses_anything_else() {
    let tmp = tempfile::tempdir().unwrap();
    let out = sweep(tmp.path(), &["xray.machines=1,2"]);
    let html_before = std::fs::read_to_string(out.join("report.html")).unwrap();
    std::fs::remove_file(out.join("report.html")).unwrap();
    std::fs::remove_file(out.join("report.md")).unwrap();
    imfsim()
        .arg("report")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("report.html"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(
        html, html_before,
        "rebuilt from the folder alone, identically"
    );
    assert!(out.join("report.md").is_file());
    // Self-contained: charts inline, nothing fetched from the network.
    assert!(html.contains("<svg"));
    for bad in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "url(http",
        "@import",
    ] {
        assert!(!html.contains(bad), "report.html contains {bad}");
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("Assumptions and sources"));
    assert!(md.contains("One more x-ray machine (1 → 2)"), "{md}");

    // Not results folders: user input errors, exit 2, nothing written.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let file = tmp.path().join("file.txt");
    std::fs::write(&file, "x").unwrap();
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("summary.json"), "{\"hello\": 1}").unwrap();
    for dir in [empty.clone(), tmp.path().join("missing"), file, foreign] {
        imfsim()
            .arg("report")
            .arg(&dir)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not an imfsim results folder"));
    }
    assert!(!empty.join("report.html").exists());
}

/// The tables of a scenario file other than the cost-benefit ones and the run settings.
fn facility(path: &Path) -> toml::Table {
    let mut t: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
    for k in ["scenario", "run", "costs", "benefits", "sweep"] {
        t.remove(k);
    }
    t
}

#[test]
fn jfk_options_is_the_2018_facility_with_sourced_costs() {
    let options = scenario_path("jfk_options.toml");
    assert_eq!(
        facility(&options),
        facility(&scenario_path("jfk_2018.toml")),
        "jfk_options.toml must keep jfk_2018.toml's facility exactly"
    );
    imfsim().arg("check").arg(&options).assert().success();
    let text = std::fs::read_to_string(&options).unwrap();
    let comments = imfsim::report::analysis::key_comments(&text);
    let t: toml::Table = text.parse().unwrap();
    let mut keys = Vec::new();
    for (table, v) in [("costs", &t["costs"]), ("benefits", &t["benefits"])] {
        for (k, x) in v.as_table().unwrap() {
            match x.as_table() {
                Some(sub) => keys.extend(sub.keys().map(|s| format!("{table}.{k}.{s}"))),
                None => keys.push(format!("{table}.{k}")),
            }
        }
    }
    assert!(keys.len() >= 15, "{keys:?}");
    for k in keys {
        let c = comments
            .get(&k)
            .unwrap_or_else(|| panic!("{k} has no comment"));
        assert!(
            c.contains("P:") || c.contains("(A)"),
            "{k}: comment must cite PARAMETERS.md (P:) or say (A): {c}"
        );
    }
    assert!(
        t["benefits"].get("value_per_kg").is_none(),
        "value_per_kg stays a user assumption"
    );
    assert_eq!(t["sweep"]["levers"].as_array().unwrap().len(), 4);
}
