//! The report a planner hands on: `report.md` and a self-contained `report.html` (charts
//! inlined as SVG, no network needed), built only from the files of a results folder, so
//! `imfsim report DIR` can rebuild it at any time.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{OutputFile, ReportError};

/// Adds `report.md` and `report.html` to a results folder's files.
pub fn with_report(mut files: Vec<OutputFile>) -> Result<Vec<OutputFile>, ReportError> {
    let (md, html) = build(&files)?;
    files.retain(|(n, _)| n != "report.md" && n != "report.html");
    files.push(("report.md".into(), md.into_bytes()));
    files.push(("report.html".into(), html.into_bytes()));
    Ok(files)
}

/// Rebuilds `report.md` and `report.html` in `dir` from its files; each is written to a
/// temporary file first and renamed, so a failure leaves the old report in place.
pub fn rewrite(dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReportError::Io { path, source }
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_file() && (name == "summary.json" || name.ends_with(".svg")) {
            files.push((name, std::fs::read(&path).map_err(io(&path))?));
        }
    }
    files.sort();
    let (md, html) = build(&files)?;
    let mut written = Vec::new();
    for (name, text) in [("report.md", md), ("report.html", html)] {
        let target = dir.join(name);
        let tmp = dir.join(format!(".{name}.partial"));
        std::fs::write(&tmp, text).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &target).map_err(io(&target))?;
        written.push(target);
    }
    Ok(written)
}

fn missing(what: &str) -> ReportError {
    ReportError::Format {
        name: "report".into(),
        reason: format!(
            "{what}: this folder was not written by imfsim (or is from an incompatible version)"
        ),
    }
}

/// A number for prose: thousands separators, sensible decimals, shares as percentages.
fn fmt(v: &Value, unit: &str) -> String {
    match v.as_f64() {
        Some(x) => super::table::format_value(x, unit),
        None => "n/a".into(),
    }
}

fn est_text(e: &Value, unit: &str) -> String {
    if e.is_null() {
        return "n/a".into();
    }
    let hw = &e["ci95_half_width"];
    if hw.is_null() {
        fmt(&e["mean"], unit)
    } else {
        format!("{} ± {}", fmt(&e["mean"], unit), fmt(hw, unit))
    }
}

struct Doc {
    md: String,
    html: String,
}

impl Doc {
    fn heading(&mut self, level: usize, text: &str) {
        let _ = writeln!(self.md, "\n{} {text}\n", "#".repeat(level));
        let _ = writeln!(self.html, "<h{level}>{}</h{level}>", esc(text));
    }
    fn para(&mut self, text: &str) {
        let _ = writeln!(self.md, "{text}\n");
        let _ = writeln!(self.html, "<p>{}</p>", esc(text));
    }
    fn bullets(&mut self, items: &[String]) {
        let _ = writeln!(self.html, "<ul>");
        for i in items {
            let _ = writeln!(self.md, "- {i}");
            let _ = writeln!(self.html, "<li>{}</li>", esc(i));
        }
        let _ = writeln!(self.md);
        let _ = writeln!(self.html, "</ul>");
    }
    fn table(&mut self, rows: &[Vec<String>]) {
        let Some((head, body)) = rows.split_first() else {
            return;
        };
        let _ = writeln!(self.md, "| {} |", head.join(" | "));
        let _ = writeln!(self.md, "|{}", "---|".repeat(head.len()));
        for r in body {
            let _ = writeln!(self.md, "| {} |", r.join(" | "));
        }
        let _ = writeln!(self.md);
        let _ = write!(self.html, "<table><thead><tr>");
        for h in head {
            let _ = write!(self.html, "<th>{}</th>", esc(h));
        }
        let _ = writeln!(self.html, "</tr></thead><tbody>");
        for r in body {
            let _ = write!(self.html, "<tr>");
            for c in r {
                let _ = write!(self.html, "<td>{}</td>", esc(c));
            }
            let _ = writeln!(self.html, "</tr>");
        }
        let _ = writeln!(self.html, "</tbody></table>");
    }
    fn chart(&mut self, name: &str, svg: &[u8]) {
        let stem = name.trim_end_matches(".svg");
        let _ = writeln!(self.md, "![{stem}]({stem}.png)\n");
        let text = String::from_utf8_lossy(svg);
        let body = text.find("<svg").map_or(&text[..], |i| &text[i..]);
        let _ = writeln!(self.html, "<figure>{body}</figure>");
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn build(files: &[OutputFile]) -> Result<(String, String), ReportError> {
    let summary = files
        .iter()
        .find(|(n, _)| n == "summary.json")
        .ok_or_else(|| missing("no summary.json"))?;
    let v: Value = serde_json::from_slice(&summary.1)
        .map_err(|_| missing("summary.json is not valid JSON"))?;
    let kind = v["kind"].as_str().unwrap_or("run");
    let mut d = Doc {
        md: String::new(),
        html: String::new(),
    };
    let name = v["scenario"]["name"]
        .as_str()
        .map(str::to_string)
        .or_else(|| {
            v["scenarios"].as_array().map(|a| {
                a.iter()
                    .filter_map(|s| s["scenario"]["name"].as_str())
                    .collect::<Vec<_>>()
                    .join(" vs ")
            })
        })
        .unwrap_or_default();
    d.heading(1, &format!("imfsim {kind} report: {name}"));
    if let Some(desc) = v["scenario"]["description"]
        .as_str()
        .filter(|s| !s.is_empty())
    {
        d.para(desc);
    }
    let run = &v["run"];
    d.para(&format!(
        "Settings: seed {}, {} replications{}, {} simulated days each after warm-up. Every ± is a 95 % confidence interval half-width across replications. imfsim {}; scenario file SHA-256 {}.",
        run["seed"],
        run["replications"].as_u64().or(run["search_replications"].as_u64()).unwrap_or(0),
        if run["common_random_numbers"].as_bool() == Some(true) { " on common random numbers" } else { "" },
        run["days"],
        v["program"]["version"].as_str().unwrap_or("?"),
        v["scenario"]["content_sha256"].as_str().unwrap_or("(several files)"),
    ));
    d.heading(2, "Findings");
    let findings = match kind {
        "run" => run_findings(&v),
        "compare" => compare_findings(&v),
        "sweep" => sweep_findings(&v),
        "optimize" => optimize_findings(&v),
        "sensitivity" => sensitivity_findings(&v),
        other => vec![format!("unknown results kind \"{other}\"")],
    };
    d.bullets(&findings);
    if kind == "run" {
        run_tables(&v, &mut d);
    }
    d.heading(2, "Charts");
    for (n, bytes) in files.iter().filter(|(n, _)| n.ends_with(".svg")) {
        d.chart(n, bytes);
    }
    d.heading(2, "Assumptions and sources");
    d.para("Every number in the bundled scenarios cites its source in a comment beside it (see PARAMETERS.md and docs/calibration.md) or is marked as an assumption (A). Money values per kilogram are user assumptions and are reported only when set; seizures are not converted into deaths averted.");
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>imfsim {kind} report: {}</title>\n<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}}table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}td:first-child,th:first-child{{text-align:left}}figure{{margin:1.5em 0}}svg{{max-width:100%;height:auto}}</style></head><body>\n{}</body></html>\n",
        esc(&name),
        d.html
    );
    Ok((d.md, html))
}

fn metric<'a>(v: &'a Value, key: &str) -> &'a Value {
    let mut parts = key.splitn(3, '.');
    let (g, e, n) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    &v["metrics"][g][e][n]
}

fn run_findings(v: &Value) -> Vec<String> {
    let mut f = Vec::new();
    let share = |e: &str| metric(v, &format!("stream.{e}.inspected_share")).clone();
    let all = share("all");
    f.push(format!(
        "CBP inspects {} of arriving mail (x-ray or examination).",
        est_text(&all, "share")
    ));
    if let Some(streams) = v["metrics"]["stream"].as_object() {
        let mut best: Option<(&String, f64)> = None;
        for (name, m) in streams.iter().filter(|(n, _)| *n != "all") {
            if let Some(x) = m["inspected_share"]["mean"].as_f64()
                && best.is_none_or(|(_, b)| x > b)
            {
                best = Some((name, x));
            }
        }
        if let Some((name, _)) = best {
            f.push(format!(
                "The most inspected stream is {name}, at {}.",
                est_text(&share(name), "share")
            ));
        }
    }
    f.push(format!(
        "Seizures: {} items a year ({} kg); missed: {} items a year ({} kg) pass through with contraband.",
        est_text(metric(v, "stream.all.seized_per_year"), "items/yr"),
        est_text(metric(v, "stream.all.seized_kg_per_year"), "kg/yr"),
        est_text(metric(v, "stream.all.missed_per_year"), "items/yr"),
        est_text(metric(v, "stream.all.missed_kg_per_year"), "kg/yr"),
    ));
    f.push(format!(
        "Items wait {} h for x-ray on average; the lab backlog at the end is {} samples; {} item-hours a year are spent unsecured.",
        est_text(metric(v, "stage.xray.mean_wait_h"), "h"),
        est_text(metric(v, "stage.lab.backlog_at_end"), "samples"),
        est_text(metric(v, "facility.holding.unsecured_item_hours_per_year"), "item-h/yr"),
    ));
    f.push(format!(
        "The facility costs {} a year (annualised equipment, staff and lab samples).",
        est_text(metric(v, "cost.total.yearly_cost"), "$")
    ));
    f
}

fn run_tables(v: &Value, d: &mut Doc) {
    let mut rows = vec![vec![
        "stream".to_string(),
        "arrived/day".into(),
        "inspected share".into(),
        "seized/yr".into(),
        "seized kg/yr".into(),
        "missed/yr".into(),
    ]];
    if let Some(streams) = v["metrics"]["stream"].as_object() {
        for (name, m) in streams {
            rows.push(vec![
                name.clone(),
                est_text(&m["arrived_per_day"], "items/day"),
                est_text(&m["inspected_share"], "share"),
                est_text(&m["seized_per_year"], "items/yr"),
                est_text(&m["seized_kg_per_year"], "kg/yr"),
                est_text(&m["missed_per_year"], "items/yr"),
            ]);
        }
    }
    d.heading(2, "Mail streams");
    d.table(&rows);
    let mut rows = vec![vec![
        "stage".to_string(),
        "arrivals/day".into(),
        "mean wait (h)".into(),
        "mean queue".into(),
    ]];
    if let Some(stages) = v["metrics"]["stage"].as_object() {
        for (name, m) in stages {
            rows.push(vec![
                name.clone(),
                est_text(&m["arrivals_per_day"], "items/day"),
                est_text(&m["mean_wait_h"], "h"),
                est_text(&m["mean_queue"], "items"),
            ]);
        }
    }
    d.heading(2, "Stages");
    d.table(&rows);
    let mut rows = vec![vec!["resource".to_string(), "utilisation".into()]];
    if let Some(res) = v["metrics"]["resource"].as_object() {
        for (name, m) in res {
            rows.push(vec![name.clone(), est_text(&m["utilisation"], "share")]);
        }
    }
    d.heading(2, "Resources");
    d.table(&rows);
    let mut rows = vec![vec!["cost item".to_string(), "yearly cost ($)".into()]];
    if let Some(cost) = v["metrics"]["cost"].as_object() {
        for (name, m) in cost {
            rows.push(vec![name.clone(), est_text(&m["yearly_cost"], "$")]);
        }
    }
    d.heading(2, "Yearly costs");
    d.table(&rows);
}

fn compare_findings(v: &Value) -> Vec<String> {
    let mut f = Vec::new();
    for diff in v["differences"].as_array().into_iter().flatten() {
        let (a, b) = (
            diff["against"].as_str().unwrap_or("base"),
            diff["scenario"].as_str().unwrap_or("?"),
        );
        for m in diff["metrics"].as_array().into_iter().flatten() {
            let key = m["metric"].as_str().unwrap_or("");
            if !super::analysis::KEY_OUTCOMES.contains(&key) {
                continue;
            }
            let unit = m["unit"].as_str().unwrap_or("");
            let sig = if m["significant"].as_bool() == Some(true) {
                "a significant change"
            } else {
                "not a significant change"
            };
            f.push(format!(
                "{key}: {b} gives {} against {} in {a}, a difference of {} ({sig}).",
                est_text(&m["other"], unit),
                est_text(&m["base"], unit),
                est_text(&m["difference"], unit)
            ));
        }
    }
    f
}

fn sweep_findings(v: &Value) -> Vec<String> {
    let obj = v["objective"]["metric"].as_str().unwrap_or("");
    let unit = v["objective"]["unit"].as_str().unwrap_or("");
    let mut f = Vec::new();
    for m in v["marginals"].as_array().into_iter().flatten() {
        let lever = m["lever"].as_str().unwrap_or("?");
        let change = m["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["metric"] == obj);
        if let Some(c) = change {
            let sig = if c["significant"].as_bool() == Some(true) {
                ""
            } else {
                " (not significant)"
            };
            f.push(format!(
                "One more {lever} ({} → {}) changes {obj} from {} to {} (difference {}{sig}) for ${} a year.",
                m["from"], m["to"],
                est_text(&c["base"], unit), est_text(&c["other"], unit), est_text(&c["difference"], unit),
                fmt(&m["added_yearly_cost"], "$")
            ));
        }
    }
    let mixes = v["mixes"].as_array().cloned().unwrap_or_default();
    let frontier: Vec<String> = v["frontier"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i.as_u64())
        .filter_map(|i| mixes.get(i as usize))
        .map(|m| {
            format!(
                "{} (${} a year: {})",
                m["label"].as_str().unwrap_or(""),
                fmt(&m["yearly_cost"], "$"),
                est_text(&m["outcomes"][obj]["estimate"], unit)
            )
        })
        .collect();
    if !frontier.is_empty() {
        f.push(format!(
            "Cost-effective mixes for {obj}, cheapest first: {}.",
            frontier.join("; ")
        ));
    }
    f
}

fn optimize_findings(v: &Value) -> Vec<String> {
    let obj = v["objective"]["metric"].as_str().unwrap_or("");
    let unit = v["objective"]["unit"].as_str().unwrap_or("");
    let mut f = vec![format!(
        "Budget: ${} a year on top of the current mix; {} mixes evaluated.",
        fmt(&v["budget"], "$"),
        v["mixes_evaluated"]
    )];
    match v["best"].as_object() {
        Some(best) => {
            f.push(format!(
                "Best mix: {}, for ${} a year more, gives {} {obj}, against {} now.",
                best["label"].as_str().unwrap_or(""),
                fmt(&best["added_yearly_cost"], "$"),
                est_text(&best["outcomes"][obj]["estimate"], unit),
                est_text(&v["base"]["outcomes"][obj]["estimate"], unit),
            ));
            if let Some(c) = v["best_vs_runner_up"].as_object() {
                f.push(format!(
                    "Against the runner-up it differs by {} — {}.",
                    est_text(&c["difference"], unit),
                    if c["significant"].as_bool() == Some(true) {
                        "significantly better"
                    } else {
                        "not significantly different, so either is a sound choice"
                    }
                ));
            }
        }
        None => f.push("No mix within the budget improves on the current one.".into()),
    }
    f
}

fn sensitivity_findings(v: &Value) -> Vec<String> {
    let obj = v["objective"]["metric"].as_str().unwrap_or("");
    let unit = v["objective"]["unit"].as_str().unwrap_or("");
    let mut swings: Vec<(f64, String)> = v["swings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            let lo = s["at_low"]["mean"].as_f64().unwrap_or(f64::NAN);
            let hi = s["at_high"]["mean"].as_f64().unwrap_or(f64::NAN);
            let text = format!(
                "{} from {} to {} moves {obj} from {} to {}.",
                s["input"].as_str().unwrap_or("?"),
                s["low_setting"],
                s["high_setting"],
                est_text(&s["at_low"], unit),
                est_text(&s["at_high"], unit)
            );
            ((hi - lo).abs(), text)
        })
        .collect();
    swings.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut f = vec![format!(
        "At the scenario's own values {obj} is {}. Inputs ranked by their effect:",
        est_text(&v["base"], unit)
    )];
    f.extend(swings.into_iter().map(|(_, t)| t));
    f
}
