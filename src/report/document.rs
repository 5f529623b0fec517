//! The report a planner hands on: `report.md` and a self-contained `report.html` (charts
//! inlined as SVG, no network needed), built only from the files of a results folder, so
//! `imfsim report DIR` can rebuild it at any time.
//!
//! The findings are sentences generated from the numbers in `summary.json`: what was run in
//! words, what changed and by how much with its 95 % confidence interval, whether the change is
//! significant, and at what yearly cost. Tables follow with every interval, each chart sits
//! beside the findings it illustrates, and the report ends with the cost and benefit inputs
//! used and their sources.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::table::format_estimate;
use super::{OutputFile, ReportError};

/// Adds `report.md` and `report.html` to a results folder's files.
pub fn with_report(mut files: Vec<OutputFile>) -> Result<Vec<OutputFile>, ReportError> {
    let (md, html) = build(&files).map_err(|reason| ReportError::Format {
        name: "report".into(),
        reason,
    })?;
    files.retain(|(n, _)| n != "report.md" && n != "report.html");
    files.push(("report.md".into(), md.into_bytes()));
    files.push(("report.html".into(), html.into_bytes()));
    Ok(files)
}

/// Rebuilds `report.md` and `report.html` in `dir` from its files; each is written to a
/// temporary file first and renamed, so a failure leaves the old report in place. A `dir`
/// that is missing or holds no imfsim `summary.json` is [`ReportError::NotResults`].
pub fn rewrite(dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
    let not_results = |reason: &str| ReportError::NotResults {
        path: dir.to_path_buf(),
        reason: reason.to_string(),
    };
    if !dir.is_dir() {
        return Err(not_results(if dir.exists() {
            "it is a file; give the folder written by imfsim run, compare, sweep, optimize or sensitivity"
        } else {
            "no such folder"
        }));
    }
    if !dir.join("summary.json").is_file() {
        return Err(not_results(
            "it has no summary.json; give the folder written by imfsim run, compare, sweep, \
             optimize or sensitivity",
        ));
    }
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
    let (md, html) = build(&files).map_err(|reason| not_results(&reason))?;
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

// ---------------------------------------------------------------------------------------------
// Numbers and words
// ---------------------------------------------------------------------------------------------

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// An estimate `{mean, ci95_half_width}` in `unit`, rounded to what its interval supports.
fn est(e: &Value, unit: &str) -> String {
    if e.is_null() {
        return "n/a".into();
    }
    format_estimate(num(&e["mean"]), e["ci95_half_width"].as_f64(), unit)
}

/// A signed change: `+22.5 ± 9.1`; shares in percentage points.
fn change(e: &Value, unit: &str) -> String {
    if e.is_null() {
        return "n/a".into();
    }
    let mean = num(&e["mean"]);
    let hw = e["ci95_half_width"].as_f64();
    let text = if unit == "share" {
        // Percentage points.
        format!(
            "{} points",
            format_estimate(mean, hw, unit).replace(" %", "")
        )
    } else {
        format_estimate(mean, hw, unit)
    };
    if mean > 0.0 && !text.starts_with('-') {
        format!("+{text}")
    } else {
        text
    }
}

/// Dollars, no decimals: `$1,234,567` (or `-$…`).
fn money(x: f64) -> String {
    format_estimate(x, None, "$")
}

/// A setting without trailing zeros: `40`, `0.88`, `1,000,000`; shares as `32.5 %`.
fn clean(x: f64, unit: &str) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    if unit == "share" {
        return format!("{} %", clean(x * 100.0, ""));
    }
    let t = format!("{x:.4}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    let (int, frac) = t.split_once('.').map_or((t, ""), |(i, f)| (i, f));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = sign.to_string();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if frac.is_empty() {
        grouped
    } else {
        format!("{grouped}.{frac}")
    }
}

/// Change per $1 M a year of added cost, with its interval.
fn per_million(diff: &Value, cost: f64, unit: &str) -> String {
    if cost.is_nan() || cost <= 0.0 || diff.is_null() {
        return "n/a".into();
    }
    let per = |x: f64| x / (cost / 1e6);
    est(
        &serde_json::json!({
            "mean": per(num(&diff["mean"])),
            "ci95_half_width": diff["ci95_half_width"].as_f64().map(per),
        }),
        unit,
    )
}

/// "One", "Two", … for small counts, digits beyond ten.
fn count_word(n: i64) -> String {
    const WORDS: [&str; 11] = [
        "No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    ];
    usize::try_from(n)
        .ok()
        .and_then(|i| WORDS.get(i))
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// Singular and plural noun of a lever's unit.
fn lever_noun(lever: &str, n: i64) -> String {
    let (one, many) = match lever {
        "xray.machines" => ("x-ray machine", "x-ray machines"),
        "chem.devices" => ("hand-held analyser", "hand-held analysers"),
        "canine.teams" => (
            "canine team on duty at the peak",
            "canine teams on duty at the peak",
        ),
        "officers" => (
            "officer on duty at the peak hour",
            "officers on duty at the peak hour",
        ),
        "lab.daily_cap" => ("lab sample a day", "lab samples a day"),
        "portal.lanes" => ("radiation portal lane", "radiation portal lanes"),
        other => (other, other),
    };
    if n.abs() == 1 { one } else { many }.to_string()
}

/// Short noun for tables: `officers`, `canine teams`, …
fn lever_short(lever: &str) -> &str {
    match lever {
        "xray.machines" => "x-ray machines",
        "chem.devices" => "hand-held analysers",
        "canine.teams" => "canine teams",
        "officers" => "officers (peak)",
        "lab.daily_cap" => "lab samples/day",
        "portal.lanes" => "portal lanes",
        other => other,
    }
}

/// The levers of a sweep or search in their order (`levers` or `ranges` in `summary.json`).
fn lever_order(v: &Value) -> Vec<String> {
    let list = if v["levers"].is_array() {
        &v["levers"]
    } else {
        &v["ranges"]
    };
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["lever"].as_str().map(str::to_string))
        .collect()
}

/// The levers of `mix` in `order` (then any others).
fn ordered<'a>(mix: &'a Value, order: &[String]) -> Vec<(String, &'a Value)> {
    let Some(m) = mix.as_object() else {
        return Vec::new();
    };
    let mut out: Vec<(String, &Value)> = order
        .iter()
        .filter_map(|l| m.get(l).map(|v| (l.clone(), v)))
        .collect();
    for (l, v) in m {
        if !order.contains(l) {
            out.push((l.clone(), v));
        }
    }
    out
}

/// A mix in words: `22 officers on duty at the peak hour, 2 canine teams …`.
fn mix_words(mix: &Value, order: &[String]) -> String {
    ordered(mix, order)
        .into_iter()
        .map(|(lever, v)| {
            let n = v.as_i64().unwrap_or(0);
            format!("{n} {}", lever_noun(&lever, n))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What changed from `base` to `mix`: `+2 canine teams …, −4 officers …`.
fn mix_changes(mix: &Value, base: &Value, order: &[String]) -> String {
    let parts: Vec<String> = ordered(mix, order)
        .into_iter()
        .filter_map(|(lever, v)| {
            let d = v.as_i64().unwrap_or(0) - base[&lever].as_i64().unwrap_or(0);
            (d != 0).then(|| {
                format!(
                    "{}{} {}",
                    if d > 0 { "+" } else { "−" },
                    d.abs(),
                    lever_noun(&lever, d)
                )
            })
        })
        .collect();
    if parts.is_empty() {
        "no change".into()
    } else {
        parts.join(", ")
    }
}

/// Words for the mail streams of a scenario.
struct Streams(Vec<(String, String)>);

impl Streams {
    fn of(scenario: &Value) -> Streams {
        let mut v = Vec::new();
        for s in scenario["facility"]["streams"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let category = match s["category"].as_str().unwrap_or("") {
                "letter_flat" => "letters and flats",
                "small_packet" => "small packets",
                "ecommerce" => "e-commerce packets",
                "express" => "Express (EMS) parcels",
                "priority" => "Priority parcels",
                "registered" => "Registered items",
                other => other,
            };
            let origin = match s["origin"].as_str().unwrap_or("") {
                "china_hk" => " from China and Hong Kong",
                "rest_of_world" => " from the rest of the world",
                _ => "",
            };
            if let Some(name) = s["name"].as_str() {
                v.push((name.to_string(), format!("{category}{origin}")));
            }
        }
        Streams(v)
    }

    fn words(&self, name: &str) -> String {
        if name == "all" {
            return "all mail".into();
        }
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| name.replace('_', " "), |(_, w)| w.clone())
    }
}

/// `value` of the metric described by `words`, as a phrase: `139 ± 19 contraband seizures a
/// year`, `0.54 % of all mail inspected`, `mean wait for x-ray (hours) of 14.0`.
fn amount(words: &str, value: &str) -> String {
    if let Some(rest) = words.strip_prefix("share of ") {
        format!("{value} of {rest}")
    } else if words.contains('(') || words.starts_with("mean ") || words.starts_with("total ") {
        format!("{words} of {value}")
    } else {
        format!("{value} {words}")
    }
}

/// A metric key in words, e.g. `contraband seizures a year`.
fn metric_words(key: &str, streams: &Streams) -> String {
    let mut parts = key.splitn(3, '.');
    let (g, e, n) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let in_stream = |what: &str| {
        if e == "all" {
            what.to_string()
        } else {
            format!("{what} in {}", streams.words(e))
        }
    };
    let stage = |s: &str| match s {
        "xray" => "x-ray".to_string(),
        "chem" => "a hand-held analyser".to_string(),
        "exam" => "examination".to_string(),
        "lab" => "the lab".to_string(),
        "portal" => "the radiation portal".to_string(),
        "seizure" => "seizure processing".to_string(),
        other => other.replace('_', " "),
    };
    match (g, n) {
        ("stream", "inspected_share") => format!("share of {} inspected", streams.words(e)),
        ("stream", "seized_per_year") => in_stream("contraband seizures a year"),
        ("stream", "seized_kg_per_year") => in_stream("kg of contraband seized a year"),
        ("stream", "missed_per_year") => in_stream("contraband items missed a year"),
        ("stream", "missed_kg_per_year") => in_stream("kg of contraband missed a year"),
        ("stream", "interdiction_share") => in_stream("share of arriving contraband items seized"),
        ("stream", "arrived_per_day") => in_stream("items arriving a day"),
        ("contraband", "seized_per_year") => format!("{e} seizures a year"),
        ("contraband", "seized_kg_per_year") => format!("kg of {e} seized a year"),
        ("contraband", "missed_kg_per_year") => format!("kg of {e} missed a year"),
        ("benefit", "lethal_doses_per_year") => "potentially lethal doses seized a year".into(),
        ("benefit", "value_per_year") => "assumed value of drugs seized a year".into(),
        ("stage", "mean_wait_h") => format!("mean wait for {} (hours)", stage(e)),
        ("stage", "backlog_at_end") => format!("{} backlog at the end (samples)", stage(e)),
        ("facility", "mean_custody_h") => "mean time in CBP custody (hours)".into(),
        ("facility", "unsecured_item_hours_per_year") => {
            "item-hours a year in unsecured holding".into()
        }
        ("facility", "late_entries_per_year") => "late seizure case entries a year".into(),
        ("cost", "yearly_cost") if e == "total" => "total yearly cost".into(),
        ("cost", "yearly_cost") => format!("yearly cost of {}", e.replace('_', " ")),
        ("resource", "utilisation") => format!("utilisation of {}", e.replace('_', " ")),
        _ => key.to_string(),
    }
}

/// The scenario's own description of its facility, in one or two sentences.
/// The scenario's mail and its resources, as two sentences.
fn facility_words(s: &Value) -> Option<(String, String)> {
    let fac = s.get("facility")?;
    let n = |k: &str| fac[k].as_u64();
    let mut res = Vec::new();
    if let Some(o) = n("officers_peak") {
        res.push(format!(
            "{o} {} ({} officer-hours a week)",
            lever_noun("officers", o as i64),
            clean(num(&fac["officer_hours_per_week"]), "")
        ));
    }
    if let Some(x) = n("xray_machines") {
        res.push(format!(
            "{x} {} staffed {} machine-hours a week ({} officers each)",
            lever_noun("xray.machines", x as i64),
            clean(num(&fac["xray_hours_per_week"]), ""),
            fac["officers_per_xray"]
        ));
    }
    if let Some(c) = n("chem_devices") {
        res.push(format!("{c} {}", lever_noun("chem.devices", c as i64)));
    }
    match n("canine_teams_peak") {
        Some(k) => res.push(format!(
            "{k} {} ({} team-hours a week)",
            lever_noun("canine.teams", k as i64),
            clean(num(&fac["canine_team_hours_per_week"]), "")
        )),
        None => res.push("no canine teams".into()),
    }
    if let Some(p) = n("portal_lanes") {
        res.push(format!("{p} {}", lever_noun("portal.lanes", p as i64)));
    }
    if fac["lab"].as_bool() == Some(true) {
        res.push(match n("lab_daily_cap") {
            Some(c) => format!("a lab that starts at most {c} samples a day"),
            None => "a lab without a daily cap".into(),
        });
    }
    let streams = Streams::of(s);
    let mut shares: Vec<(f64, String)> = fac["streams"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|st| {
            (
                num(&st["share"]),
                format!(
                    "{} {}",
                    streams.words(st["name"].as_str().unwrap_or("")),
                    clean(num(&st["share"]), "share")
                ),
            )
        })
        .collect();
    shares.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mail = format!(
        "{} mail items arrive a day in {} streams ({}).",
        clean(num(&fac["items_per_day"]), ""),
        shares.len(),
        shares
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join(", "),
    );
    let mut text = format!("Resources: {}.", res.join(", "));
    if let Some(cap) = n("ats_daily_cap") {
        let _ = write!(
            text,
            " ATS names at most {cap} items a day; USPS finds and hands over {} of them.",
            clean(num(&fac["locate_rate"]), "share")
        );
    }
    Some((mail, text))
}

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

struct Doc<'a> {
    md: String,
    html: String,
    files: &'a [OutputFile],
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl Doc<'_> {
    fn heading(&mut self, level: usize, text: &str) {
        let _ = writeln!(self.md, "\n{} {text}\n", "#".repeat(level));
        let _ = writeln!(self.html, "<h{level}>{}</h{level}>", esc(text));
    }
    fn para(&mut self, text: &str) {
        let _ = writeln!(self.md, "{text}\n");
        let _ = writeln!(self.html, "<p>{}</p>", esc(text));
    }
    fn note(&mut self, text: &str) {
        let _ = writeln!(self.md, "*{text}*\n");
        let _ = writeln!(self.html, "<p class=\"note\">{}</p>", esc(text));
    }
    fn bullets(&mut self, items: &[String]) {
        if items.is_empty() {
            return;
        }
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
        if body.is_empty() {
            return;
        }
        let cell = |c: &str| c.replace('|', "\\|");
        let _ = writeln!(
            self.md,
            "| {} |",
            head.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        );
        let _ = writeln!(self.md, "|{}", "---|".repeat(head.len()));
        for r in body {
            let _ = writeln!(
                self.md,
                "| {} |",
                r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            );
        }
        let _ = writeln!(self.md);
        let _ = write!(self.html, "<table><thead><tr>");
        // A column is words if its first body cell is.
        for (i, h) in head.iter().enumerate() {
            let words = body[0].get(i).is_some_and(|c| {
                !c.chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_digit() || "$+-−–×".contains(ch))
            });
            if words {
                let _ = write!(self.html, "<th class=\"text\">{}</th>", esc(h));
            } else {
                let _ = write!(self.html, "<th>{}</th>", esc(h));
            }
        }
        let _ = writeln!(self.html, "</tr></thead><tbody>");
        for r in body {
            let _ = write!(self.html, "<tr>");
            for c in r {
                // Numbers align right, words left.
                let numeric = c
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_digit() || "$+-−–×".contains(ch))
                    || c == "n/a";
                if numeric {
                    let _ = write!(self.html, "<td>{}</td>", esc(c));
                } else {
                    let _ = write!(self.html, "<td class=\"text\">{}</td>", esc(c));
                }
            }
            let _ = writeln!(self.html, "</tr>");
        }
        let _ = writeln!(self.html, "</tbody></table>");
    }
    /// The chart `<stem>.svg`, inlined in the HTML, as its PNG in the Markdown, with a caption.
    fn chart(&mut self, stem: &str, caption: &str) {
        let Some((_, svg)) = self.files.iter().find(|(n, _)| *n == format!("{stem}.svg")) else {
            return;
        };
        let _ = writeln!(self.md, "![{caption}]({stem}.png)\n");
        let text = String::from_utf8_lossy(svg);
        let body = text.find("<svg").map_or(&text[..], |i| &text[i..]);
        let _ = writeln!(
            self.html,
            "<figure>{body}<figcaption>{}</figcaption></figure>",
            esc(caption)
        );
    }
}

const STYLE: &str = "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\
h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:1em 0;font-size:.92em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right;vertical-align:top}\
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}td.text,th.text{text-align:left}\
figure{margin:1.5em 0}figcaption{color:#555;font-size:.9em}svg{max-width:100%;height:auto}\
.note{color:#555;font-size:.92em}li{margin:.3em 0}";

fn build(files: &[OutputFile]) -> Result<(String, String), String> {
    let summary = files
        .iter()
        .find(|(n, _)| n == "summary.json")
        .ok_or("it has no summary.json")?;
    let v: Value = serde_json::from_slice(&summary.1)
        .map_err(|_| "its summary.json is not valid JSON".to_string())?;
    if v["schema_version"].as_u64().is_none() {
        return Err(
            "its summary.json has no schema_version: it was not written by imfsim".to_string(),
        );
    }
    let kind = v["kind"].as_str().unwrap_or("run");
    let mut d = Doc {
        md: String::new(),
        html: String::new(),
        files,
    };
    let scenario = if v["scenario"].is_object() {
        v["scenario"].clone()
    } else {
        v["scenarios"][0]["scenario"].clone()
    };
    let name = scenario["name"].as_str().unwrap_or("").to_string();
    let title = match kind {
        "run" => format!("{name}: simulation results"),
        "compare" => format!(
            "Comparison: {}",
            v["scenarios"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s["scenario"]["name"].as_str())
                .collect::<Vec<_>>()
                .join(" vs ")
        ),
        "sweep" => format!("{name}: cost and effect of resource mixes"),
        "optimize" => format!(
            "{name}: best resource mix for {} a year more",
            money(num(&v["budget"]))
        ),
        "sensitivity" => format!("{name}: which uncertain inputs matter"),
        other => format!("{name}: {other}"),
    };
    d.heading(1, &title);
    match kind {
        "run" => run_report(&v, &mut d),
        "compare" => compare_report(&v, &mut d),
        "sweep" => sweep_report(&v, &mut d),
        "optimize" => optimize_report(&v, &mut d),
        "sensitivity" => sensitivity_report(&v, &mut d),
        other => d.para(&format!("Unknown results kind \"{other}\".")),
    }
    assumptions(&v, kind, &mut d);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>{STYLE}</style></head><body>\n{}</body></html>\n",
        esc(&title),
        d.html
    );
    Ok((d.md, html))
}

/// "What was simulated": the scenario in words (unless `describe` is false: a comparison
/// describes its scenarios itself) and the run settings.
fn what_was_run(v: &Value, scenario: &Value, d: &mut Doc, extra: &str, describe: bool) {
    d.heading(2, "What was simulated");
    if describe {
        if let Some(desc) = scenario["description"].as_str().filter(|s| !s.is_empty()) {
            d.para(&format!(
                "Scenario {} ({}): {desc}.",
                scenario["name"].as_str().unwrap_or(""),
                scenario["file"].as_str().unwrap_or("scenario file")
            ));
        }
        if let Some((mail, resources)) = facility_words(scenario) {
            d.para(&format!("{mail} {resources}"));
        }
    }
    let run = &v["run"];
    let crn = run["common_random_numbers"].as_bool() == Some(true);
    let reps = run["replications"]
        .as_u64()
        .or(run["search_replications"].as_u64())
        .unwrap_or(0);
    let warm = run["warmup_days"]
        .as_f64()
        .map_or(String::new(), |w| format!(" after a {w}-day warm-up"));
    d.para(&format!(
        "Each figure is the mean of {reps} independent replications of {} simulated days{warm}{}{extra}. Every ± is the half-width of a 95 % confidence interval across replications{}. Seed {}; imfsim {}; scenario file SHA-256 {}.",
        run["days"],
        if crn {
            ", on common random numbers (every option sees the same mail and the same contraband, so differences between options are measured far more precisely than each option alone)"
        } else {
            ""
        },
        if crn {
            "; a change marked significant has a paired 95 % interval that excludes zero"
        } else {
            ""
        },
        run["seed"],
        v["program"]["version"].as_str().unwrap_or("?"),
        scenario["content_sha256"].as_str().unwrap_or("?"),
    ));
}

// ---------------------------------------------------------------------------------------------
// run
// ---------------------------------------------------------------------------------------------

fn metric<'a>(v: &'a Value, key: &str) -> &'a Value {
    let mut parts = key.splitn(3, '.');
    let (g, e, n) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    &v["metrics"][g][e][n]
}

fn run_report(v: &Value, d: &mut Doc) {
    let scenario = &v["scenario"];
    let streams = Streams::of(scenario);
    what_was_run(v, scenario, d, "", true);
    d.heading(2, "Findings");
    let m = |key: &str, unit: &str| est(metric(v, key), unit);
    let mut f = vec![format!(
        "CBP inspects {} of all arriving mail (x-ray or opening).",
        m("stream.all.inspected_share", "share")
    )];
    if let Some(all) = v["metrics"]["stream"].as_object() {
        let mut best: Option<(&String, f64)> = None;
        for (name, s) in all.iter().filter(|(n, _)| *n != "all") {
            let x = num(&s["inspected_share"]["mean"]);
            if x.is_finite() && best.is_none_or(|(_, b)| x > b) {
                best = Some((name, x));
            }
        }
        if let Some((name, _)) = best {
            f.push(format!(
                "The most inspected stream is {}, at {}.",
                streams.words(name),
                m(&format!("stream.{name}.inspected_share"), "share")
            ));
        }
    }
    f.push(format!(
        "CBP seizes {} contraband items a year ({} kg), {} of the contraband that arrives; {} items a year ({} kg) pass uninspected or undetected.",
        m("stream.all.seized_per_year", "items/yr"),
        m("stream.all.seized_kg_per_year", "kg/yr"),
        m("stream.all.interdiction_share", "share"),
        m("stream.all.missed_per_year", "items/yr"),
        m("stream.all.missed_kg_per_year", "kg/yr"),
    ));
    f.push(format!(
        "Items wait {} hours for x-ray on average; the lab backlog at the end is {} samples; {} item-hours a year are spent in unsecured holding.",
        m("stage.xray.mean_wait_h", "h"),
        m("stage.lab.backlog_at_end", "samples"),
        m("facility.holding.unsecured_item_hours_per_year", "item-h/yr"),
    ));
    f.push(format!(
        "The facility costs {} a year (annualised equipment, staff and lab samples).",
        m("cost.total.yearly_cost", "$/yr")
    ));
    for w in v["warnings"].as_array().into_iter().flatten() {
        if let Some(w) = w.as_str() {
            f.push(format!("Warning: {w}."));
        }
    }
    d.bullets(&f);

    let mut rows = vec![vec![
        "stream".to_string(),
        "arrived/day".into(),
        "inspected share".into(),
        "seized/yr".into(),
        "seized kg/yr".into(),
        "missed/yr".into(),
    ]];
    if let Some(all) = v["metrics"]["stream"].as_object() {
        for (name, s) in all {
            rows.push(vec![
                streams.words(name),
                est(&s["arrived_per_day"], "items/day"),
                est(&s["inspected_share"], "share"),
                est(&s["seized_per_year"], "items/yr"),
                est(&s["seized_kg_per_year"], "kg/yr"),
                est(&s["missed_per_year"], "items/yr"),
            ]);
        }
    }
    d.heading(2, "Mail streams");
    d.table(&rows);
    d.chart(
        "inspected_share",
        "Share of each stream inspected (mean, 95 % CI).",
    );
    d.chart(
        "seized_vs_missed",
        "Contraband items seized and missed a year, by stream (mean, 95 % CI).",
    );
    let mut rows = vec![vec![
        "stage".to_string(),
        "arrivals/day".into(),
        "mean wait (h)".into(),
        "mean queue".into(),
    ]];
    if let Some(stages) = v["metrics"]["stage"].as_object() {
        for (name, s) in stages {
            rows.push(vec![
                name.clone(),
                est(&s["arrivals_per_day"], "items/day"),
                est(&s["mean_wait_h"], "h"),
                est(&s["mean_queue"], "items"),
            ]);
        }
    }
    d.heading(2, "Stages");
    d.table(&rows);
    d.chart(
        "stage_waits",
        "Mean wait in line at each stage (mean, 95 % CI).",
    );
    d.chart(
        "lab_backlog",
        "Lab samples waiting at the end of each day (mean and 5–95 % band across replications).",
    );
    let mut rows = vec![vec!["resource".to_string(), "utilisation".into()]];
    if let Some(res) = v["metrics"]["resource"].as_object() {
        for (name, s) in res {
            rows.push(vec![
                name.replace('_', " "),
                est(&s["utilisation"], "share"),
            ]);
        }
    }
    d.heading(2, "Resources");
    d.table(&rows);
    d.chart(
        "utilisation",
        "Busy share of each resource while on shift and working (mean, 95 % CI).",
    );
    let mut rows = vec![vec!["cost item".to_string(), "yearly cost".into()]];
    if let Some(cost) = v["metrics"]["cost"].as_object() {
        for (name, s) in cost {
            rows.push(vec![name.replace('_', " "), est(&s["yearly_cost"], "$/yr")]);
        }
    }
    d.heading(2, "Yearly costs");
    d.table(&rows);
}

// ---------------------------------------------------------------------------------------------
// compare
// ---------------------------------------------------------------------------------------------

fn compare_report(v: &Value, d: &mut Doc) {
    let scenarios: Vec<&Value> = v["scenarios"].as_array().into_iter().flatten().collect();
    let Some(first) = scenarios.first() else {
        return;
    };
    let streams = Streams::of(&first["scenario"]);
    d.heading(2, "What was compared");
    let mut mails = Vec::new();
    for s in &scenarios {
        let sc = &s["scenario"];
        let (mail, resources) = facility_words(sc).unwrap_or_default();
        d.para(&format!(
            "{} ({}): {}. {resources}",
            sc["name"].as_str().unwrap_or(""),
            sc["file"].as_str().unwrap_or("scenario file"),
            sc["description"].as_str().unwrap_or(""),
        ));
        mails.push(mail);
    }
    if mails.windows(2).all(|w| w[0] == w[1]) && !mails.is_empty() {
        d.para(&format!("In every scenario: {}", mails[0]));
    } else {
        for (s, mail) in scenarios.iter().zip(&mails) {
            d.para(&format!(
                "{}: {mail}",
                s["scenario"]["name"].as_str().unwrap_or("")
            ));
        }
    }
    what_was_run(v, &first["scenario"], d, " for every scenario", false);
    d.heading(2, "Findings");
    let mut f = Vec::new();
    let mut rows = vec![{
        let mut h = vec!["outcome".to_string()];
        h.extend(
            scenarios
                .iter()
                .map(|s| s["scenario"]["name"].as_str().unwrap_or("").to_string()),
        );
        h
    }];
    for diff in v["differences"].as_array().into_iter().flatten() {
        let (a, b) = (
            diff["against"].as_str().unwrap_or("base"),
            diff["scenario"].as_str().unwrap_or("?"),
        );
        rows[0].push(format!("{b} − {a} (paired)"));
        let metrics: Vec<&Value> = diff["metrics"].as_array().into_iter().flatten().collect();
        for m in &metrics {
            let key = m["metric"].as_str().unwrap_or("");
            if !super::analysis::KEY_OUTCOMES.contains(&key) {
                continue;
            }
            let unit = m["unit"].as_str().unwrap_or("");
            let words = metric_words(key, &streams);
            let sig = m["significant"].as_bool() == Some(true);
            let dm = num(&m["difference"]["mean"]);
            let verb = if !sig {
                "no significant change in".to_string()
            } else if dm > 0.0 {
                "higher".to_string()
            } else {
                "lower".to_string()
            };
            f.push(if sig {
                format!(
                    "{}: {} in {b} against {} in {a}, {verb} by {} (significant).",
                    capitalise(&words),
                    est(&m["other"], unit),
                    est(&m["base"], unit),
                    change(&m["difference"], unit).trim_start_matches(['+', '-']),
                )
            } else {
                format!(
                    "{}: {} in {b} against {} in {a}; the difference, {}, is not significant.",
                    capitalise(&words),
                    est(&m["other"], unit),
                    est(&m["base"], unit),
                    change(&m["difference"], unit),
                )
            });
        }
        // The streams whose inspected share changed most.
        let mut shares: Vec<(&Value, f64)> = metrics
            .iter()
            .filter(|m| {
                let k = m["metric"].as_str().unwrap_or("");
                k.ends_with(".inspected_share")
                    && k != "stream.all.inspected_share"
                    && m["significant"].as_bool() == Some(true)
            })
            .map(|m| (*m, num(&m["difference"]["mean"]).abs()))
            .collect();
        shares.sort_by(|x, y| y.1.total_cmp(&x.1));
        for (m, _) in shares.into_iter().take(2) {
            let key = m["metric"].as_str().unwrap_or("");
            f.push(format!(
                "The {} goes from {} in {a} to {} in {b} ({}).",
                metric_words(key, &streams),
                est(&m["base"], "share"),
                est(&m["other"], "share"),
                change(&m["difference"], "share")
            ));
        }
    }
    d.bullets(&f);
    d.heading(2, "Key outcomes");
    for key in super::analysis::KEY_OUTCOMES {
        let mut row = vec![capitalise(&metric_words(key, &streams))];
        let mut unit = "";
        let mut any = false;
        for s in &scenarios {
            let o = &s["outcomes"][*key];
            unit = o["unit"].as_str().unwrap_or(unit);
            any |= !o.is_null();
            row.push(est(&o["estimate"], unit));
        }
        for diff in v["differences"].as_array().into_iter().flatten() {
            let m = diff["metrics"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|m| m["metric"] == *key);
            row.push(m.map_or("n/a".into(), |m| {
                format!(
                    "{}{}",
                    change(&m["difference"], unit),
                    if m["significant"].as_bool() == Some(true) {
                        " *"
                    } else {
                        ""
                    }
                )
            }));
        }
        if any {
            rows.push(row);
        }
    }
    d.table(&rows);
    d.note("* significant at the 95 % level (paired, common random numbers). Shares are in percent; their differences in percentage points.");
    d.chart(
        "compare_inspected_share",
        "Share of each mail stream inspected, by scenario (mean, 95 % CI).",
    );
    d.chart(
        "compare_seized",
        "Contraband seizures a year, by stream and scenario (mean, 95 % CI).",
    );
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// sweep
// ---------------------------------------------------------------------------------------------

/// The marginal-value sentence of one lever, e.g. "Two more canine teams (2 → 4) raise …".
fn marginal_sentence(m: &Value, obj: &str, unit: &str, streams: &Streams) -> Option<String> {
    let lever = m["lever"].as_str().unwrap_or("?");
    let (from, to) = (m["from"].as_i64()?, m["to"].as_i64()?);
    let step = to - from;
    let changes: Vec<&Value> = m["changes"].as_array().into_iter().flatten().collect();
    let c = changes.iter().find(|c| c["metric"] == obj)?;
    let cost = num(&m["added_yearly_cost"]);
    let words = metric_words(obj, streams);
    let who = format!("{} more {}", count_word(step), lever_noun(lever, step));
    // Verb agreement: "one more machine raises", "two more teams raise".
    let verb = |singular: &str, plural: &str| if step == 1 { singular } else { plural }.to_string();
    let sig = c["significant"].as_bool() == Some(true);
    let dm = num(&c["difference"]["mean"]);
    let mut s = if sig {
        let v = if dm > 0.0 {
            verb("raises", "raise")
        } else {
            verb("lowers", "lower")
        };
        let mut s = format!(
            "{who} ({from} → {to}) {v} {words} from {} to {} ({}, significant) for {} a year more",
            est(&c["base"], unit),
            est(&c["other"], unit),
            change(&c["difference"], unit),
            money(cost)
        );
        if cost > 0.0 && unit != "share" {
            let _ = write!(
                s,
                ": {} per $1 M a year",
                per_million(&c["difference"], cost, unit)
            );
        }
        s.push('.');
        s
    } else {
        format!(
            "{who} ({from} → {to}) {} no significant difference to {words} ({}) and {} {} a year more.",
            verb("makes", "make"),
            change(&c["difference"], unit),
            verb("costs", "cost"),
            money(cost)
        )
    };
    if step > 1 {
        let _ = write!(
            s,
            " ({from} → {} would change nothing: the roster scales in whole multiples.)",
            from + 1
        );
    }
    // The stream whose inspected share moved most in relative terms, if significantly.
    let relative = |c: &Value| {
        let base = num(&c["base"]["mean"]).abs();
        let d = num(&c["difference"]["mean"]).abs();
        if base > 0.0 { d / base } else { d }
    };
    let best = changes
        .iter()
        .filter(|c| {
            let k = c["metric"].as_str().unwrap_or("");
            k.starts_with("stream.")
                && k.ends_with(".inspected_share")
                && k != obj
                && c["significant"].as_bool() == Some(true)
        })
        .max_by(|a, b| relative(a).total_cmp(&relative(b)));
    if let Some(b) = best {
        let up = num(&b["difference"]["mean"]) > 0.0;
        let _ = write!(
            s,
            " The {} {} from {} to {} ({}).",
            metric_words(b["metric"].as_str().unwrap_or(""), streams),
            if up { "rises" } else { "falls" },
            est(&b["base"], "share"),
            est(&b["other"], "share"),
            change(&b["difference"], "share")
        );
    }
    Some(s)
}

fn sweep_report(v: &Value, d: &mut Doc) {
    let order = lever_order(v);
    let scenario = &v["scenario"];
    let streams = Streams::of(scenario);
    let obj = v["objective"]["metric"].as_str().unwrap_or("");
    let unit = v["objective"]["unit"].as_str().unwrap_or("");
    let obj_words = metric_words(obj, &streams);
    let mixes: Vec<&Value> = v["mixes"].as_array().into_iter().flatten().collect();
    let levers: Vec<(String, Vec<i64>)> = v["levers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            (
                l["lever"].as_str().unwrap_or("").to_string(),
                l["values"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_i64)
                    .collect(),
            )
        })
        .collect();
    what_was_run(v, scenario, d, "", true);
    d.para(&format!(
        "The sweep simulated {} resource mixes, every combination of {}, and costed each. The objective is {obj_words} ({obj}).",
        mixes.len(),
        levers
            .iter()
            .map(|(l, vals)| format!(
                "{} in {{{}}}",
                lever_short(l),
                vals.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            ))
            .collect::<Vec<_>>()
            .join("; ")
    ));

    d.heading(2, "Findings");
    let base = &v["base"];
    let mut f = vec![format!(
        "The current mix ({}) costs {} a year and gives {}.",
        mix_words(&base["mix"], &order),
        money(num(&base["yearly_cost"])),
        amount(&obj_words, &est(&base["outcomes"][obj]["estimate"], unit))
    )];
    // A mix that is cheaper than the current one and at least as good.
    let base_y = num(&base["outcomes"][obj]["estimate"]["mean"]);
    let base_cost = num(&base["yearly_cost"]);
    let better_for_less = mixes
        .iter()
        .filter(|m| {
            num(&m["yearly_cost"]) < base_cost - 1.0
                && num(&m["outcomes"][obj]["estimate"]["mean"]) >= base_y
        })
        .max_by(|a, b| {
            num(&a["outcomes"][obj]["estimate"]["mean"])
                .total_cmp(&num(&b["outcomes"][obj]["estimate"]["mean"]))
                .then(num(&b["yearly_cost"]).total_cmp(&num(&a["yearly_cost"])))
        });
    if let Some(m) = better_for_less {
        let wait = "stage.xray.mean_wait_h";
        f.push(format!(
            "The current mix is not cost-effective: {} ({}) costs {} a year less and gives {} ({} against now, paired{}). Check its other outcomes before choosing it: e.g. mean x-ray wait {} hours against {} now.",
            mix_words(&m["mix"], &order),
            mix_changes(&m["mix"], &base["mix"], &order),
            money(base_cost - num(&m["yearly_cost"])),
            amount(&obj_words, &est(&m["outcomes"][obj]["estimate"], unit)),
            change(&m["vs_base"]["difference"], unit),
            if m["vs_base"]["significant"].as_bool() == Some(true) {
                ", significant"
            } else {
                ", not significant"
            },
            est(&m["outcomes"][wait]["estimate"], "h"),
            est(&base["outcomes"][wait]["estimate"], "h"),
        ));
    }
    for m in v["marginals"].as_array().into_iter().flatten() {
        if let Some(s) = marginal_sentence(m, obj, unit, &streams) {
            f.push(s);
        }
    }
    // Levers that never changed the objective anywhere in the grid.
    for (i, (lever, values)) in levers.iter().enumerate() {
        if values.len() < 2 {
            continue;
        }
        let others = |m: &Value| {
            levers
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (l, _))| m["mix"][l].as_i64().unwrap_or(-1))
                .collect::<Vec<_>>()
        };
        let mut groups: std::collections::BTreeMap<Vec<i64>, Vec<f64>> = Default::default();
        for m in &mixes {
            groups
                .entry(others(m))
                .or_default()
                .push(num(&m["outcomes"][obj]["estimate"]["mean"]));
        }
        let inert = groups.values().all(|ys| {
            let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            hi - lo <= 1e-9 * hi.abs().max(1.0)
        });
        if inert {
            f.push(format!(
                "Changing the {} between {} and {} never changed {obj_words} in any mix of the grid: at these settings it is not what limits the result, so extra units only add cost.",
                lever_short(lever),
                values.first().copied().unwrap_or(0),
                values.last().copied().unwrap_or(0)
            ));
        }
    }
    let frontier: Vec<usize> = v["frontier"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i.as_u64().map(|i| i as usize))
        .collect();
    if let (Some(&cheap), Some(&top)) = (frontier.first(), frontier.last()) {
        let (c, t) = (mixes[cheap], mixes[top]);
        f.push(format!(
            "{} mixes are cost-effective (no other mix gives more for less). The cheapest, {}, costs {} a year and gives {}; the most effective, {}, costs {} a year and gives {} ({} against now, paired).",
            frontier.len(),
            mix_words(&c["mix"], &order),
            money(num(&c["yearly_cost"])),
            est(&c["outcomes"][obj]["estimate"], unit),
            mix_words(&t["mix"], &order),
            money(num(&t["yearly_cost"])),
            est(&t["outcomes"][obj]["estimate"], unit),
            change(&t["vs_base"]["difference"], unit),
        ));
    }
    d.bullets(&f);

    d.heading(2, "One more of each resource");
    let mut rows = vec![vec![
        "resource".to_string(),
        "from → to".into(),
        "added cost a year".into(),
        format!("change in {obj_words}"),
        "significant".into(),
        "change per $1 M a year".into(),
    ]];
    for m in v["marginals"].as_array().into_iter().flatten() {
        let c = m["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["metric"] == obj);
        let cost = num(&m["added_yearly_cost"]);
        rows.push(vec![
            lever_short(m["lever"].as_str().unwrap_or("")).to_string(),
            format!("{} → {}", m["from"], m["to"]),
            money(cost),
            c.map_or("n/a".into(), |c| change(&c["difference"], unit)),
            c.map_or("n/a".into(), |c| {
                if c["significant"].as_bool() == Some(true) {
                    "yes".into()
                } else {
                    "no".into()
                }
            }),
            c.map_or("n/a".into(), |c| per_million(&c["difference"], cost, unit)),
        ]);
    }
    d.table(&rows);
    d.chart(
        "marginal_value",
        "Change in the objective from one more step of each resource from the current mix, with its paired 95 % CI: a bar whose interval crosses zero is not a significant gain.",
    );

    d.heading(2, "Cost-effective mixes");
    let mut head: Vec<String> = levers
        .iter()
        .map(|(l, _)| lever_short(l).to_string())
        .collect();
    head.extend([
        "yearly cost".into(),
        "added cost".into(),
        capitalise(&obj_words),
        "change from now (paired)".into(),
    ]);
    let mut rows = vec![head];
    let row = |m: &Value, tag: &str| {
        let mut r: Vec<String> = levers
            .iter()
            .map(|(l, _)| m["mix"][l].to_string())
            .collect();
        if let Some(first) = r.first_mut() {
            first.push_str(tag);
        }
        r.extend([
            money(num(&m["yearly_cost"])),
            money(num(&m["added_yearly_cost"])),
            est(&m["outcomes"][obj]["estimate"], unit),
            if m["vs_base"].is_null() {
                "–".into()
            } else {
                change(&m["vs_base"]["difference"], unit)
            },
        ]);
        r
    };
    rows.push(row(base, " (now)"));
    for &i in &frontier {
        rows.push(row(mixes[i], ""));
    }
    d.table(&rows);
    d.note(&format!(
        "The current mix first, then every mix on the cost-effective frontier, cheapest first. All {} mixes are in sweep.csv.",
        mixes.len()
    ));
    d.chart(
        "cost_vs_objective",
        "Yearly cost and result of every mix of the grid. Red: the cost-effective frontier; labelled points (frontier and the current mix) carry their 95 % CI.",
    );
}

// ---------------------------------------------------------------------------------------------
// optimize
// ---------------------------------------------------------------------------------------------

fn optimize_report(v: &Value, d: &mut Doc) {
    let order = lever_order(v);
    let scenario = &v["scenario"];
    let streams = Streams::of(scenario);
    let obj = v["objective"]["metric"].as_str().unwrap_or("");
    let unit = v["objective"]["unit"].as_str().unwrap_or("");
    let obj_words = metric_words(obj, &streams);
    let minimize = v["objective"]["minimize"].as_bool() == Some(true);
    let run = &v["run"];
    what_was_run(
        v,
        scenario,
        d,
        " during the search (the finalists were rerun with more, see below)",
        true,
    );
    let ranges: Vec<&Value> = v["ranges"].as_array().into_iter().flatten().collect();
    d.para(&format!(
        "The search looked for the mix with the {} {obj_words} ({obj}) whose yearly cost is at most {} above the current mix's. It adds one step of the resource that buys most per dollar while the budget allows, then tries single steps and swaps of one resource for another, and reruns the best {} mixes with {} replications to compare them. Search ranges: {}. It evaluated {} mixes.",
        if minimize { "lowest" } else { "highest" },
        money(num(&v["budget"])),
        v["finalists"].as_array().map_or(0, Vec::len),
        run["final_replications"],
        ranges
            .iter()
            .map(|r| format!(
                "{} {}–{} in steps of {}",
                lever_short(r["lever"].as_str().unwrap_or("")),
                r["min"],
                r["max"],
                r["step"]
            ))
            .collect::<Vec<_>>()
            .join("; "),
        v["mixes_evaluated"]
    ));
    d.heading(2, "Findings");
    let base = &v["base"];
    let mut f = vec![format!(
        "The current mix ({}) costs {} a year and gives {}.",
        mix_words(&base["mix"], &order),
        money(num(&base["yearly_cost"])),
        amount(&obj_words, &est(&base["outcomes"][obj]["estimate"], unit))
    )];
    match v["best"].as_object() {
        Some(_) => {
            let best = &v["best"];
            let added = num(&best["added_yearly_cost"]);
            let vs = v["best_vs_base"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["metric"] == obj);
            f.push(format!(
                "Best mix found: {} ({} from now). It costs {} a year more ({} in all) and gives {} against {} now{}.",
                mix_words(&best["mix"], &order),
                mix_changes(&best["mix"], &base["mix"], &order),
                money(added),
                money(num(&best["yearly_cost"])),
                amount(&obj_words, &est(&best["outcomes"][obj]["estimate"], unit)),
                est(&base["outcomes"][obj]["estimate"], unit),
                vs.map_or(String::new(), |c| format!(
                    ": {} (paired; {})",
                    change(&c["difference"], unit),
                    if c["significant"].as_bool() == Some(true) {
                        "significant"
                    } else {
                        "not significant"
                    }
                )),
            ));
            if let (Some(runner), Some(c)) =
                (v["finalists"].get(1), v["best_vs_runner_up"].as_object())
            {
                let sig = c["significant"].as_bool() == Some(true);
                let cost_gap = num(&runner["added_yearly_cost"]) - added;
                f.push(format!(
                    "Runner-up: {} ({} a year more), giving {}. The best mix is {} better (paired): {}",
                    mix_words(&runner["mix"], &order),
                    money(num(&runner["added_yearly_cost"])),
                    est(&runner["outcomes"][obj]["estimate"], unit),
                    change(&c["difference"], unit),
                    if sig {
                        "a significant difference.".to_string()
                    } else if cost_gap < 0.0 {
                        format!(
                            "not a significant difference, and the runner-up costs {} a year less: it is the sounder buy unless more replications separate them.",
                            money(-cost_gap)
                        )
                    } else {
                        "not a significant difference; the best mix is also no dearer, so it stands."
                            .to_string()
                    }
                ));
            }
            let mut edges = Vec::new();
            for r in &ranges {
                let lever = r["lever"].as_str().unwrap_or("");
                let at = best["mix"][lever].as_i64();
                if at.is_some() && at == r["max"].as_i64() && r["min"] != r["max"] {
                    edges.push(format!("{} ({})", lever_short(lever), r["max"]));
                }
            }
            if !edges.is_empty() {
                f.push(format!(
                    "The best mix is at the top of the search range for {}: more may help; widen the range in [sweep] (or --vary) to find out.",
                    edges.join(" and ")
                ));
            }
            if added < 0.5 * num(&v["budget"]) {
                f.push(format!(
                    "The budget is not the limit: the best mix uses {} of the {} available, because no further step within the search ranges improved {obj_words}.",
                    money(added.max(0.0)),
                    money(num(&v["budget"]))
                ));
            }
        }
        None => f.push(
            "No mix within the budget improves on the current one: every step the search tried either cost too much or gained nothing."
                .into(),
        ),
    }
    d.bullets(&f);
    d.heading(2, "Finalists");
    let finalists: Vec<&Value> = v["finalists"].as_array().into_iter().flatten().collect();
    let mut head = vec!["".to_string()];
    head.extend(order.iter().map(|l| lever_short(l).to_string()));
    head.extend([
        "added cost a year".into(),
        capitalise(&obj_words),
        "change from now (paired)".into(),
    ]);
    let mut rows = vec![head];
    let row = |label: &str, m: &Value, vs: String| {
        let mut r = vec![label.to_string()];
        r.extend(order.iter().map(|l| m["mix"][l].to_string()));
        r.extend([
            money(num(&m["added_yearly_cost"])),
            est(&m["outcomes"][obj]["estimate"], unit),
            vs,
        ]);
        r
    };
    rows.push(row("now", base, "–".into()));
    for (i, m) in finalists.iter().enumerate() {
        let label = match i {
            0 => "best".to_string(),
            1 => "runner-up".to_string(),
            n => format!("finalist {}", n + 1),
        };
        rows.push(row(&label, m, change(&m["vs_base"]["difference"], unit)));
    }
    d.table(&rows);
    d.note(&format!(
        "Finalists rerun with {} replications on common random numbers, best first; at an equal result the cheaper mix ranks first.",
        run["final_replications"]
    ));
    if let Some(best) = v["best_vs_base"].as_array().filter(|a| !a.is_empty()) {
        d.heading(2, "What the best mix changes");
        let mut rows = vec![vec![
            "outcome".to_string(),
            "now".into(),
            "best mix".into(),
            "change (paired)".into(),
        ]];
        for c in best {
            let key = c["metric"].as_str().unwrap_or("");
            if !(key == obj || super::analysis::KEY_OUTCOMES.contains(&key)) {
                continue;
            }
            let unit = c["unit"].as_str().unwrap_or("");
            rows.push(vec![
                capitalise(&metric_words(key, &streams)),
                est(&c["base"], unit),
                est(&c["other"], unit),
                format!(
                    "{}{}",
                    change(&c["difference"], unit),
                    if c["significant"].as_bool() == Some(true) {
                        " *"
                    } else {
                        ""
                    }
                ),
            ]);
        }
        d.table(&rows);
        d.note("* significant at the 95 % level (paired, common random numbers).");
    }
    let path: Vec<&str> = v["greedy_path"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if path.len() > 1 {
        // `officers=22, canine.teams=2, …` → `22/2/…`.
        let short = |m: &str| {
            m.split(", ")
                .map(|p| p.split_once('=').map_or(p, |(_, v)| v))
                .collect::<Vec<_>>()
                .join("/")
        };
        d.para(&format!(
            "Greedy path from the current mix ({}): {}; then single steps and swaps to the finalists.",
            order
                .iter()
                .map(|l| lever_short(l))
                .collect::<Vec<_>>()
                .join("/"),
            path.iter().map(|m| short(m)).collect::<Vec<_>>().join(" → ")
        ));
    }
    d.chart(
        "optimize_explored",
        "Every mix the search evaluated (search replications): yearly cost against the objective. Red: the cost-effective frontier among them.",
    );
}

// ---------------------------------------------------------------------------------------------
// sensitivity
// ---------------------------------------------------------------------------------------------

fn input_words(key: &str) -> &str {
    match key {
        "prevalence" => "contraband prevalence (a factor on every stream's rate)",
        "lab.daily_cap" => "lab samples started a day",
        "targeting.locate_rate" => "USPS locate rate for ATS targets",
        "canine.p_detect" => "canine detection rate",
        "xray.p_flag_contraband" => "x-ray flag rate on contraband",
        "exam.p_find" => "officer find rate when opening a parcel",
        "chem.sensitivity" => "hand-held analyser sensitivity",
        other => other,
    }
}

fn setting(x: &Value, key: &str) -> String {
    let x = num(x);
    if key == "prevalence" {
        format!("×{}", clean(x, ""))
    } else {
        clean(x, "")
    }
}

fn sensitivity_report(v: &Value, d: &mut Doc) {
    let scenario = &v["scenario"];
    let streams = Streams::of(scenario);
    let obj = v["objective"]["metric"].as_str().unwrap_or("");
    let unit = v["objective"]["unit"].as_str().unwrap_or("");
    let obj_words = metric_words(obj, &streams);
    what_was_run(v, scenario, d, "", true);
    d.para(&format!(
        "Each uncertain input was set to a low and a high value in turn, every other input at the scenario's own value, and the objective, {obj_words} ({obj}), measured at each. The wider the swing, the more the result depends on that assumption."
    ));
    // Ranked by the paired high − low swing (the unpaired difference if absent).
    let mut swings: Vec<(&Value, f64)> = v["swings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            let paired = num(&s["high_minus_low"]["mean"]).abs();
            let swing = if paired.is_finite() {
                paired
            } else {
                (num(&s["at_high"]["mean"]) - num(&s["at_low"]["mean"])).abs()
            };
            (s, if swing.is_finite() { swing } else { -1.0 })
        })
        .collect();
    swings.sort_by(|a, b| b.1.total_cmp(&a.1));
    let significant = |s: &Value| s["significant"].as_bool() == Some(true);
    d.heading(2, "Findings");
    let mut f = vec![format!(
        "With every input at the scenario's value, {obj_words} is {}.",
        est(&v["base"], unit)
    )];
    let top: Vec<String> = swings
        .iter()
        .filter(|(s, _)| significant(s))
        .take(3)
        .map(|(s, _)| {
            format!(
                "{} ({} from low to high)",
                input_words(s["input"].as_str().unwrap_or("")),
                change(&s["high_minus_low"], unit)
            )
        })
        .collect();
    if !top.is_empty() {
        f.push(format!("The result depends most on {}.", join_and(&top)));
    }
    for (s, _) in &swings {
        let key = s["input"].as_str().unwrap_or("");
        let base = if s["base_setting"].is_null() {
            String::new()
        } else {
            format!(" (scenario: {})", setting(&s["base_setting"], key))
        };
        let paired = &s["high_minus_low"];
        let unchanged = paired["mean"].as_f64().is_some_and(|m| m.abs() < 1e-12)
            && paired["ci95_half_width"]
                .as_f64()
                .is_none_or(|h| h.abs() < 1e-12);
        f.push(if unchanged {
            format!(
                "{} from {} to {}{base} leaves {obj_words} unchanged at {}: it is not a constraint at this mix.",
                capitalise(input_words(key)),
                setting(&s["low_setting"], key),
                setting(&s["high_setting"], key),
                est(&s["at_low"], unit)
            )
        } else {
            format!(
                "{} from {} to {}{base} moves {obj_words} from {} to {} ({}, {}).",
                capitalise(input_words(key)),
                setting(&s["low_setting"], key),
                setting(&s["high_setting"], key),
                est(&s["at_low"], unit),
                est(&s["at_high"], unit),
                change(paired, unit),
                if significant(s) {
                    "significant"
                } else {
                    "not distinguishable from noise at these replications"
                }
            )
        });
    }
    d.bullets(&f);
    d.heading(2, "Inputs ranked by effect");
    let mut rows = vec![vec![
        "input".to_string(),
        "scenario value".into(),
        "low".into(),
        "high".into(),
        "result at low".into(),
        "result at high".into(),
        "high − low (paired)".into(),
    ]];
    for (s, _) in &swings {
        let key = s["input"].as_str().unwrap_or("");
        rows.push(vec![
            input_words(key).to_string(),
            if s["base_setting"].is_null() {
                "–".into()
            } else {
                setting(&s["base_setting"], key)
            },
            setting(&s["low_setting"], key),
            setting(&s["high_setting"], key),
            est(&s["at_low"], unit),
            est(&s["at_high"], unit),
            format!(
                "{}{}",
                change(&s["high_minus_low"], unit),
                if significant(s) { " *" } else { "" }
            ),
        ]);
    }
    d.table(&rows);
    d.note("* significant at the 95 % level (paired, common random numbers: the low and high runs see the same mail).");
    d.chart(
        "tornado",
        &format!("Tornado: {obj_words} at each input's low and high setting; the line is the scenario as written."),
    );
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

// ---------------------------------------------------------------------------------------------
// Assumptions
// ---------------------------------------------------------------------------------------------

/// Scenario comments cite PARAMETERS.md rows as `P: "row"`; spell that out for readers.
fn expand_sources(text: &str) -> String {
    let t = text.replace("P: ", "PARAMETERS.md: ");
    match t.strip_prefix("P:") {
        Some(rest) => format!("PARAMETERS.md:{rest}"),
        None => t,
    }
}

fn assumption_value(a: &Value) -> String {
    let unit = a["unit"].as_str().unwrap_or("");
    if a["value"].is_null() {
        return "not set".into();
    }
    let x = num(&a["value"]);
    match unit {
        "$" | "$/yr" | "$/h" | "$/kg" => {
            let per = unit.strip_prefix('$').unwrap_or("");
            format!("{}{}", money(x), per)
        }
        "share" => clean(x, "share"),
        "ratio" => clean(x, ""),
        u => format!("{} {u}", clean(x, "")),
    }
}

fn assumptions(v: &Value, kind: &str, d: &mut Doc) {
    d.heading(2, "Assumptions and sources");
    let scenarios: Vec<&Value> = if v["scenario"].is_object() {
        vec![&v["scenario"]]
    } else {
        v["scenarios"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| &s["scenario"])
            .collect()
    };
    let listed: Vec<&Value> = scenarios
        .iter()
        .copied()
        .filter(|s| s["assumptions"].is_array())
        .collect();
    if let Some(first) = listed.first() {
        d.para("Unit costs and benefit settings used (the source is the comment beside the value in the scenario file, or the built-in default's source; (A) marks a modelling assumption with no public source; PARAMETERS.md is the project's table of parameters and sources):");
        let mut head = vec!["input".to_string(), "key".into()];
        for s in &listed {
            head.push(if listed.len() > 1 {
                s["name"].as_str().unwrap_or("value").to_string()
            } else {
                "value".into()
            });
        }
        head.push("source".into());
        let mut rows = vec![head];
        for (i, a) in first["assumptions"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let mut row = vec![
                a["label"].as_str().unwrap_or("").to_string(),
                a["key"].as_str().unwrap_or("").to_string(),
            ];
            for s in &listed {
                row.push(assumption_value(&s["assumptions"][i]));
            }
            row.push(expand_sources(a["source"].as_str().unwrap_or("")));
            rows.push(row);
        }
        d.table(&rows);
        let u = &first["unit_costs"];
        if u.is_object() {
            d.para(&format!(
                "What that makes one unit cost a year: an officer on duty 40 hours a week {} (FTEs × loaded cost); a canine team on duty 40 hours a week {}; an x-ray machine {}; a hand-held analyser {}; a radiation portal lane {}. Purchases are annualised with the capital recovery factor r(1+r)^n / ((1+r)^n − 1) at the discount rate r over the service life n, plus upkeep; staff are costed by the FTEs their on-duty hours need (hours ÷ paid hours per FTE × relief factor); lab samples at the cost per sample. Borrowed officers are costed by the hour.",
                money(num(&u["officer_on_duty_40h_week"])),
                money(num(&u["canine_team_on_duty_40h_week"])),
                money(num(&u["xray_machine"])),
                money(num(&u["chem_device"])),
                money(num(&u["portal_lane"])),
            ));
        }
    }
    if matches!(kind, "sweep" | "optimize") {
        d.para("How the levers change the facility: officers is the number on duty at the busiest hour, and every regular shift scales in proportion; x-ray machines and hand-held analysers change the installed units and their staffed shifts in proportion; canine teams is the number on duty at the busiest hour, and the roster scales in whole multiples of itself; 0 canine teams switches the dogs off. Costs follow the on-duty hours.");
    }
    d.para("Every number in the bundled scenarios cites its source in a comment beside it (PARAMETERS.md, docs/calibration.md) or is marked as an assumption (A). Seizures are reported as counts, kilograms and potentially lethal doses (kilograms × purity ÷ lethal dose); they are not converted into deaths averted or into money, because sellers reship seized parcels and seizures cost traffickers little (PARAMETERS.md, caution). A money value per kilogram is reported only when the scenario sets benefits.value_per_kg, as a labelled user assumption.");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_changes_read_cleanly() {
        assert_eq!(clean(32.0, ""), "32");
        assert_eq!(clean(1_000_000.0, ""), "1,000,000");
        assert_eq!(clean(0.325, "share"), "32.5 %");
        assert_eq!(clean(0.88, ""), "0.88");
        assert_eq!(clean(-1234.5, ""), "-1,234.5");
        let e = serde_json::json!({"mean": 0.000522, "ci95_half_width": 0.000009});
        assert_eq!(change(&e, "share"), "+0.0522 ± 0.0009 points");
        let e = serde_json::json!({"mean": 26.9, "ci95_half_width": 15.3});
        assert_eq!(change(&e, "items/yr"), "+27 ± 15");
        assert_eq!(count_word(2), "Two");
        assert_eq!(lever_noun("xray.machines", 1), "x-ray machine");
        assert_eq!(
            expand_sources("P: \"Canine team\" (A)"),
            "PARAMETERS.md: \"Canine team\" (A)"
        );
    }

    #[test]
    fn a_folder_without_summary_is_not_results() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            rewrite(dir.path()),
            Err(ReportError::NotResults { .. })
        ));
        assert!(matches!(
            rewrite(&dir.path().join("missing")),
            Err(ReportError::NotResults { .. })
        ));
        std::fs::write(dir.path().join("summary.json"), "{\"x\": 1}").unwrap();
        assert!(matches!(
            rewrite(dir.path()),
            Err(ReportError::NotResults { .. })
        ));
    }
}
