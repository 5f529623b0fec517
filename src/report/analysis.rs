//! Output files of the cost-benefit commands: `compare`, `sweep`, `optimize` and
//! `sensitivity`. Each gets a `summary.json` (with a `kind` field), CSV tables and charts.
//!
//! Every `summary.json` also describes the scenario (facility, unit costs and benefit settings
//! with the source text of each value, from the comment beside it in the scenario file or the
//! built-in default's source), so `report.md`/`report.html` can be rebuilt from the folder
//! alone and say what was run and on what assumptions.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::charts::{
    Bar, Chart, GroupedBarChart, ScatterChart, ScatterPoint, TornadoChart, TornadoRow,
};
use super::json::SCHEMA_VERSION;
use super::{OutputFile, ReportError};
use crate::costs::{CostConfig, fte};
use crate::experiment::compare::{Difference, differences};
use crate::experiment::optimize::OptimizeResult;
use crate::experiment::sensitivity::SensitivityResult;
use crate::experiment::sweep::{MixResult, SweepResult, describe};
use crate::experiment::{MetricSummary, Results};
use crate::scenario::variants::lever_value;
use crate::scenario::{Input, Lever, Scenario};
use crate::stats::Estimate;

/// Outcomes shown for every mix and scenario, besides the objective.
pub const KEY_OUTCOMES: &[&str] = &[
    "stream.all.inspected_share",
    "stream.all.seized_per_year",
    "stream.all.seized_kg_per_year",
    "stream.all.interdiction_share",
    "stream.all.missed_per_year",
    "benefit.all.lethal_doses_per_year",
    "stage.xray.mean_wait_h",
    "stage.lab.backlog_at_end",
    "facility.custody.mean_custody_h",
    "facility.holding.unsecured_item_hours_per_year",
    "facility.seizure.late_entries_per_year",
    "cost.total.yearly_cost",
];

/// Whether a metric is reported with the key outcomes of a paired comparison: the key outcomes
/// and the inspected share of every stream.
fn reported(key: &str, objective: &str) -> bool {
    key == objective
        || KEY_OUTCOMES.contains(&key)
        || (key.starts_with("stream.") && key.ends_with(".inspected_share"))
}

fn num(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

fn est(e: Option<Estimate>) -> Value {
    match e {
        None => Value::Null,
        Some(e) => json!({
            "mean": num(e.mean),
            "ci95_half_width": e.half_width.map_or(Value::Null, num),
            "n": e.n,
        }),
    }
}

fn metric_est(r: &Results, key: &str) -> Option<Estimate> {
    r.metric(key).and_then(|m| m.estimate)
}

fn outcomes(r: &Results, objective: &str) -> Value {
    let mut map = serde_json::Map::new();
    for m in &r.metrics {
        let key = m.key();
        if reported(&key, objective) {
            map.insert(key, json!({ "unit": m.unit, "estimate": est(m.estimate) }));
        }
    }
    Value::Object(map)
}

fn bytes(name: &str, v: &Value) -> Result<OutputFile, ReportError> {
    let mut b = serde_json::to_vec_pretty(v).map_err(|e| ReportError::Format {
        name: name.into(),
        reason: e.to_string(),
    })?;
    b.push(b'\n');
    Ok((name.to_string(), b))
}

fn csv_file(name: &str, rows: Vec<Vec<String>>) -> Result<OutputFile, ReportError> {
    let err = |e: csv::Error| ReportError::Format {
        name: name.into(),
        reason: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r).map_err(err)?;
    }
    let b = w.into_inner().map_err(|e| ReportError::Format {
        name: name.into(),
        reason: e.to_string(),
    })?;
    Ok((name.to_string(), b))
}

fn cell(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map_or(String::new(), |v| v.to_string())
}

/// Renders `chart` as `<stem>.svg` and `<stem>.png`.
pub fn chart_files(stem: &str, chart: &Chart) -> Result<Vec<OutputFile>, ReportError> {
    let svg = chart.to_svg().map_err(|source| ReportError::Chart {
        name: stem.into(),
        source,
    })?;
    let png = chart.to_png().map_err(|source| ReportError::Chart {
        name: stem.into(),
        source,
    })?;
    Ok(vec![
        (format!("{stem}.svg"), svg.into_bytes()),
        (format!("{stem}.png"), png),
    ])
}

fn bar_of(e: Option<Estimate>, label: String) -> Bar {
    Bar {
        label,
        mean: e.map_or(f64::NAN, |e| e.mean),
        half_width: e.and_then(|e| e.half_width),
    }
}

fn diff_json(d: &Difference) -> Value {
    json!({
        "metric": d.key,
        "unit": d.unit,
        "base": est(d.base),
        "other": est(d.other),
        "difference": est(d.difference),
        "significant": d.significant(),
    })
}

/// The paired differences of the reported metrics.
fn diffs_json(diffs: &[Difference], objective: &str) -> Vec<Value> {
    diffs
        .iter()
        .filter(|d| reported(&d.key, objective))
        .map(diff_json)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The scenario: facility, unit costs, benefit settings and their sources
// ---------------------------------------------------------------------------------------------

/// Splits `text` at its first `#` outside a quoted string: (before, comment).
fn split_comment(text: &str) -> (&str, Option<&str>) {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return (&text[..i], Some(text[i + 1..].trim())),
            _ => {}
        }
    }
    (text, None)
}

/// The comment documenting each key of `[costs]` and `[benefits]` in a scenario file, by
/// dotted key (`costs.officer_per_fte`, `costs.xray.price`): the comment at the end of its line,
/// else the comment lines directly above it. Keys of an inline table (`xray = { price = … }`)
/// get the comment of its line.
pub fn key_comments(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut table = String::new();
    let mut above: Vec<String> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(c) = t.strip_prefix('#') {
            above.push(c.trim().to_string());
            continue;
        }
        if t.is_empty() {
            above.clear();
            continue;
        }
        let (code, comment) = split_comment(t);
        let code = code.trim();
        if code.starts_with('[') {
            table = code
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string();
            above.clear();
            continue;
        }
        let relevant = table == "costs"
            || table == "benefits"
            || table.starts_with("costs.")
            || table.starts_with("benefits.");
        if let Some((key, value)) = code.split_once('=')
            && relevant
        {
            let key = format!("{table}.{}", key.trim().trim_matches('"'));
            let text = comment
                .map(str::to_string)
                .filter(|c| !c.is_empty())
                .or_else(|| (!above.is_empty()).then(|| above.join(" ")));
            if let Some(text) = text {
                let value = value.trim();
                if let Some(inner) = value.strip_prefix('{') {
                    for part in inner.trim_end_matches('}').split(',') {
                        if let Some((k, _)) = part.split_once('=') {
                            out.insert(format!("{key}.{}", k.trim()), text.clone());
                        }
                    }
                }
                out.insert(key, text);
            }
        }
        above.clear();
    }
    out
}

/// One value of `[costs]` or `[benefits]` with where it came from.
struct Assumption {
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    value: Option<f64>,
    default_source: &'static str,
}

fn assumptions(s: &Scenario) -> Vec<Assumption> {
    let c = &s.costs;
    let b = &s.benefits;
    let a = |key, label, unit, value, default_source| Assumption {
        key,
        label,
        unit,
        value: Some(value),
        default_source,
    };
    vec![
        a(
            "costs.officer_per_fte",
            "Loaded cost of one officer FTE",
            "$/yr",
            c.officer_per_fte,
            "built-in default: PARAMETERS.md, loaded officer cost ≈ $117k/yr (A/H)",
        ),
        a(
            "costs.relief_factor",
            "FTEs per position staffed 40 h a week (leave, training)",
            "ratio",
            c.relief_factor,
            "built-in default (A)",
        ),
        a(
            "costs.hours_per_fte_week",
            "Paid hours per FTE a week",
            "h",
            c.hours_per_fte_week,
            "built-in default (A)",
        ),
        a(
            "costs.borrowed_officer_per_hour",
            "Borrowed officer time",
            "$/h",
            c.borrowed_officer_per_hour,
            "built-in default: 117,000 / 2,080 h × 1.5 overtime (A)",
        ),
        a(
            "costs.canine_team_per_year",
            "One canine team (handler, dog, training), per team-FTE",
            "$/yr",
            c.canine_team_per_year,
            "built-in default: PARAMETERS.md, canine team ≈ $130k/yr (A)",
        ),
        a(
            "costs.lab_per_sample",
            "Lab cost per sample",
            "$",
            c.lab_per_sample,
            "built-in default (A): no public figure",
        ),
        a(
            "costs.discount_rate",
            "Real discount rate for annualising purchases",
            "share",
            c.discount_rate,
            "built-in default: OMB Circular A-94 base rate (A for CBP)",
        ),
        a(
            "costs.xray.price",
            "X-ray machine, price",
            "$",
            c.xray.price,
            "built-in default: PARAMETERS.md, conventional parcel x-ray $30k–150k dual-view (L/A)",
        ),
        a(
            "costs.xray.life_years",
            "X-ray machine, service life",
            "years",
            c.xray.life_years,
            "built-in default (A)",
        ),
        a(
            "costs.xray.upkeep_share",
            "X-ray machine, upkeep a year",
            "share",
            c.xray.upkeep_share,
            "built-in default: PARAMETERS.md, 10 %/yr (A)",
        ),
        a(
            "costs.chem.price",
            "Hand-held analyser, price",
            "$",
            c.chem.price,
            "built-in default: PARAMETERS.md, CBP average $25.6 M for 279 devices (DHS OIG-19-67)",
        ),
        a(
            "costs.chem.life_years",
            "Hand-held analyser, service life",
            "years",
            c.chem.life_years,
            "built-in default: PARAMETERS.md, 5–7 years (A)",
        ),
        a(
            "costs.chem.upkeep_share",
            "Hand-held analyser, upkeep a year",
            "share",
            c.chem.upkeep_share,
            "built-in default: PARAMETERS.md, 10 %/yr (A)",
        ),
        a(
            "costs.portal.price",
            "Radiation portal lane, price",
            "$",
            c.portal.price,
            "built-in default: PARAMETERS.md, radiation portal monitor ≈ $55k (GAO 2006)",
        ),
        a(
            "costs.portal.life_years",
            "Radiation portal lane, service life",
            "years",
            c.portal.life_years,
            "built-in default (A)",
        ),
        a(
            "costs.portal.upkeep_share",
            "Radiation portal lane, upkeep a year",
            "share",
            c.portal.upkeep_share,
            "built-in default (A)",
        ),
        a(
            "benefits.purity",
            "Purity of seized drug",
            "share",
            b.purity,
            "built-in default: PARAMETERS.md, purity ≈ 90 % (CBP testimony, Apr 2018)",
        ),
        a(
            "benefits.lethal_dose_mg",
            "Potentially lethal dose",
            "mg",
            b.lethal_dose_mg,
            "built-in default: PARAMETERS.md, ≈ 2 mg (DEA)",
        ),
        Assumption {
            key: "benefits.value_per_kg",
            label: "Money value per kg seized (user assumption)",
            unit: "$/kg",
            value: b.value_per_kg,
            default_source: "not set: seizures are not turned into money (PARAMETERS.md, caution)",
        },
    ]
}

/// Yearly cost of one more unit of each resource, for the assumptions table.
fn unit_costs(c: &CostConfig) -> Value {
    json!({
        "officer_on_duty_40h_week": num(fte(40.0, c) * c.officer_per_fte),
        "canine_team_on_duty_40h_week": num(fte(40.0, c) * c.canine_team_per_year),
        "xray_machine": num(c.xray.annual(c.discount_rate)),
        "chem_device": num(c.chem.annual(c.discount_rate)),
        "portal_lane": num(c.portal.annual(c.discount_rate)),
    })
}

/// What the facility holds, for the report's description of the scenario.
fn facility(s: &Scenario) -> Value {
    let m = &s.model;
    let hours = |c: &crate::engine::WeeklyCalendar| c.unit_hours_per_week();
    let regular_hours = hours(&m.officers) - hours(&m.borrowed_officers);
    json!({
        "items_per_day": num(m.arrivals.items_per_day),
        "streams": m.streams.iter().map(|st| json!({
            "name": st.name,
            "category": st.category.key(),
            "origin": st.origin.key(),
            "share": num(st.share),
        })).collect::<Vec<_>>(),
        "officers_peak": lever_value(s, Lever::Officers),
        "officer_hours_per_week": regular_hours,
        "borrowed_officer_hours_per_week": hours(&m.borrowed_officers),
        "xray_machines": m.xray.as_ref().map(|x| x.machines.units),
        "xray_hours_per_week": m.xray.as_ref().map(|x| hours(&x.machines.calendar)),
        "officers_per_xray": m.xray.as_ref().map(|x| x.officers_per_machine),
        "chem_devices": m.chem.as_ref().map(|c| c.devices.units),
        "canine_teams_peak": m.canine.as_ref().map(|k| k.teams.peak()),
        "canine_team_hours_per_week": m.canine.as_ref().map(|k| hours(&k.teams)),
        "portal_lanes": m.portal.as_ref().map(|p| p.lanes.units),
        "lab": m.lab.is_some(),
        "lab_daily_cap": m.lab.as_ref().and_then(|l| l.daily_cap),
        "ats_daily_cap": m.targeting.daily_cap,
        "locate_rate": num(m.targeting.locate_rate),
    })
}

/// The scenario as `summary.json` describes it: provenance, facility, and every unit cost and
/// benefit setting with its source.
pub fn scenario_json(s: &Scenario) -> Value {
    let comments = key_comments(&s.text);
    let values: Vec<Value> = assumptions(s)
        .into_iter()
        .map(|a| {
            let from_file = comments.get(a.key);
            json!({
                "key": a.key,
                "label": a.label,
                "unit": a.unit,
                "value": a.value.map_or(Value::Null, num),
                "source": from_file.map_or(a.default_source, String::as_str),
                "from_file": from_file.is_some(),
            })
        })
        .collect();
    json!({
        "name": s.name,
        "description": s.description,
        "file": s.path.file_name().map(|n| n.to_string_lossy().into_owned()),
        "content_sha256": s.content_hash,
        "facility": facility(s),
        "assumptions": values,
        "unit_costs": unit_costs(&s.costs),
        "sweep_levers": s.sweep.levers.iter().map(|(l, v)| json!({"lever": l.key(), "values": v})).collect::<Vec<_>>(),
    })
}

/// Adds the scenario description to the `summary.json` of `imfsim run` (built from results
/// alone), so its report can describe the facility and its assumptions too.
pub fn annotate_run(
    s: &Scenario,
    mut files: Vec<OutputFile>,
) -> Result<Vec<OutputFile>, ReportError> {
    for (name, content) in &mut files {
        if name != "summary.json" {
            continue;
        }
        let mut v: Value = serde_json::from_slice(content).map_err(|e| ReportError::Format {
            name: name.clone(),
            reason: e.to_string(),
        })?;
        v["scenario"] = scenario_json(s);
        *content = bytes(name, &v)?.1;
    }
    Ok(files)
}

// ---------------------------------------------------------------------------------------------
// compare
// ---------------------------------------------------------------------------------------------

/// Files of `imfsim compare`: the first scenario is the base.
pub fn compare(
    scenarios: &[Scenario],
    results: &[Results],
    diffs: &[Vec<Difference>],
) -> Result<Vec<OutputFile>, ReportError> {
    let Some(base) = results.first() else {
        return Ok(Vec::new());
    };
    let objective = "stream.all.seized_per_year";
    let json = json!({
        "schema_version": SCHEMA_VERSION,
        "kind": "compare",
        "program": { "name": "imfsim", "version": env!("CARGO_PKG_VERSION") },
        "run": { "seed": base.seed, "replications": base.replications.len(), "days": base.days, "warmup_days": base.warmup.as_days_f64(), "common_random_numbers": true },
        "scenarios": scenarios.iter().zip(results).map(|(s, r)| json!({ "scenario": scenario_json(s), "outcomes": outcomes(r, objective) })).collect::<Vec<_>>(),
        "differences": results.iter().zip(diffs).skip(1).map(|(r, d)| json!({
            "scenario": r.scenario,
            "against": base.scenario,
            "metrics": diffs_json(d, objective),
        })).collect::<Vec<_>>(),
    });
    let mut header = vec!["metric".to_string(), "unit".into()];
    for r in results {
        header.push(format!("{} mean", r.scenario));
        header.push(format!("{} ci95_half_width", r.scenario));
    }
    for r in results.iter().skip(1) {
        header.push(format!("{} - {} mean", r.scenario, base.scenario));
        header.push(format!(
            "{} - {} ci95_half_width",
            r.scenario, base.scenario
        ));
        header.push(format!("{} - {} significant", r.scenario, base.scenario));
    }
    let mut rows = vec![header];
    for m in &base.metrics {
        let key = m.key();
        let mut row = vec![key.clone(), m.unit.to_string()];
        for r in results {
            let e = metric_est(r, &key);
            row.push(cell(e.map(|e| e.mean)));
            row.push(cell(e.and_then(|e| e.half_width)));
        }
        for d in diffs.iter().skip(1) {
            let x = d.iter().find(|x| x.key == key);
            let e = x.and_then(|x| x.difference);
            row.push(cell(e.map(|e| e.mean)));
            row.push(cell(e.and_then(|e| e.half_width)));
            row.push(x.map_or(String::new(), |x| x.significant().to_string()));
        }
        rows.push(row);
    }
    let mut files = vec![
        bytes("summary.json", &json)?,
        csv_file("compare.csv", rows)?,
    ];
    let streams: Vec<&MetricSummary> = base
        .metrics
        .iter()
        .filter(|m| m.group == "stream" && m.name == "inspected_share")
        .collect();
    // `scale` turns shares into percentages (the grouped chart has no percent axis).
    let grouped = |title: &str, y: &str, name: &str, scale: f64| GroupedBarChart {
        title: title.into(),
        y_label: y.into(),
        categories: streams.iter().map(|m| m.entity.replace('_', " ")).collect(),
        series: results
            .iter()
            .map(|r| {
                let bars = streams
                    .iter()
                    .map(|m| {
                        let mut b = bar_of(
                            metric_est(r, &format!("stream.{}.{name}", m.entity)),
                            m.entity.clone(),
                        );
                        b.mean *= scale;
                        b.half_width = b.half_width.map(|h| h * scale);
                        b
                    })
                    .collect();
                (r.scenario.clone(), bars)
            })
            .collect(),
        non_negative: true,
    };
    files.extend(chart_files(
        "compare_inspected_share",
        &grouped(
            "Share of each mail stream inspected, by scenario (mean, 95% CI)",
            "Inspected share (%)",
            "inspected_share",
            100.0,
        )
        .into(),
    )?);
    files.extend(chart_files(
        "compare_seized",
        &grouped(
            "Contraband seizures a year, by stream and scenario (mean, 95% CI)",
            "Seizures per year",
            "seized_per_year",
            1.0,
        )
        .into(),
    )?);
    Ok(files)
}

// ---------------------------------------------------------------------------------------------
// sweep and optimize
// ---------------------------------------------------------------------------------------------

fn mix_json(m: &MixResult, base: &MixResult, objective: &str) -> Value {
    let vs_base = differences(&base.results, &m.results);
    json!({
        "mix": m.mix.iter().map(|(l, v)| (l.key().to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "label": describe(&m.mix),
        "yearly_cost": num(m.yearly_cost()),
        "added_yearly_cost": num(m.yearly_cost() - base.yearly_cost()),
        "cost_lines": m.cost.lines.iter().map(|l| json!({"item": l.item, "quantity": num(l.quantity), "unit": l.unit, "yearly_cost": num(l.annual)})).collect::<Vec<_>>(),
        "outcomes": outcomes(&m.results, objective),
        "vs_base": vs_base.iter().find(|d| d.key == objective).map(diff_json),
    })
}

fn mix_rows(mixes: &[&MixResult], base_cost: f64, objective: &str) -> Vec<Vec<String>> {
    let Some(first) = mixes.first() else {
        return Vec::new();
    };
    let mut header: Vec<String> = first.mix.iter().map(|(l, _)| l.key().to_string()).collect();
    header.extend(["yearly_cost".into(), "added_yearly_cost".into()]);
    let keys: Vec<&str> = std::iter::once(objective)
        .chain(KEY_OUTCOMES.iter().copied().filter(|k| *k != objective))
        .collect();
    for k in &keys {
        header.push(format!("{k} mean"));
        header.push(format!("{k} ci95_half_width"));
    }
    let mut rows = vec![header];
    for m in mixes {
        let mut row: Vec<String> = m.mix.iter().map(|(_, v)| v.to_string()).collect();
        row.push(cell(Some(m.yearly_cost())));
        row.push(cell(Some(m.yearly_cost() - base_cost)));
        for k in &keys {
            let e = metric_est(&m.results, k);
            row.push(cell(e.map(|e| e.mean)));
            row.push(cell(e.and_then(|e| e.half_width)));
        }
        rows.push(row);
    }
    rows
}

fn unit_of(r: &Results, key: &str) -> String {
    r.metric(key).map_or(String::new(), |m| m.unit.to_string())
}

/// A short axis label for a metric key.
fn axis_label(key: &str, unit: &str) -> String {
    let words = match key {
        "stream.all.seized_per_year" => "Contraband seizures per year".to_string(),
        "stream.all.inspected_share" => "Share of all mail inspected".to_string(),
        "stream.all.seized_kg_per_year" => "Contraband seized (kg per year)".to_string(),
        "benefit.all.lethal_doses_per_year" => "Potentially lethal doses seized per year".into(),
        _ => key.to_string(),
    };
    if unit.is_empty() || words.contains('(') {
        words
    } else {
        format!("{words} ({unit})")
    }
}

/// Cost against objective for `mixes`: every mix as a dot; the frontier (and `base`, if
/// given) labelled and with CI bars, so a grid of a hundred mixes stays readable.
fn scatter(
    title: String,
    objective: &str,
    unit: &str,
    mixes: &[&MixResult],
    frontier: Vec<usize>,
    base: Option<&MixResult>,
) -> Chart {
    let short = |m: &MixResult| {
        m.mix
            .iter()
            .map(|(_, v)| v.to_string())
            .collect::<Vec<_>>()
            .join("/")
    };
    let highlighted =
        |i: usize, m: &MixResult| frontier.contains(&i) || base.is_some_and(|b| b.mix == m.mix);
    ScatterChart {
        title,
        x_label: "Yearly cost (US$ million)".into(),
        y_label: axis_label(objective, unit),
        points: mixes
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let e = metric_est(&m.results, objective);
                let shown = highlighted(i, m);
                let base_mark = if base.is_some_and(|b| b.mix == m.mix) {
                    " (now)"
                } else {
                    ""
                };
                ScatterPoint {
                    label: if shown {
                        format!("{}{base_mark}", short(m))
                    } else {
                        String::new()
                    },
                    x: m.yearly_cost() / 1e6,
                    y: e.map_or(f64::NAN, |e| e.mean),
                    y_half_width: e.and_then(|e| e.half_width).filter(|_| shown),
                }
            })
            .collect(),
        frontier,
        non_negative: true,
    }
    .into()
}

/// Lever keys joined with `/`, the order of the numbers in chart labels.
fn lever_order(m: &MixResult) -> String {
    m.mix
        .iter()
        .map(|(l, _)| l.key())
        .collect::<Vec<_>>()
        .join("/")
}

/// Files of `imfsim sweep`.
pub fn sweep(scenario: &Scenario, s: &SweepResult) -> Result<Vec<OutputFile>, ReportError> {
    let base_cost = s.base.yearly_cost();
    let unit = unit_of(&s.base.results, &s.objective);
    let json = json!({
        "schema_version": SCHEMA_VERSION,
        "kind": "sweep",
        "program": { "name": "imfsim", "version": env!("CARGO_PKG_VERSION") },
        "scenario": scenario_json(scenario),
        "run": { "seed": s.base.results.seed, "replications": s.base.results.replications.len(), "days": s.base.results.days, "warmup_days": s.base.results.warmup.as_days_f64(), "common_random_numbers": true },
        "objective": { "metric": s.objective, "unit": unit },
        "levers": levers_json(&s.mixes),
        "base": mix_json(&s.base, &s.base, &s.objective),
        "mixes": s.mixes.iter().map(|m| mix_json(m, &s.base, &s.objective)).collect::<Vec<_>>(),
        "frontier": s.frontier,
        "marginals": s.marginals.iter().map(|m| json!({
            "lever": m.lever.key(),
            "from": m.from,
            "to": m.to,
            "added_yearly_cost": num(m.added_cost),
            "changes": diffs_json(&m.changes, &s.objective),
        })).collect::<Vec<_>>(),
    });
    let refs: Vec<&MixResult> = s.mixes.iter().collect();
    let mut marginal_rows = vec![vec![
        "lever".to_string(),
        "from".into(),
        "to".into(),
        "added_yearly_cost".into(),
        format!("{} change mean", s.objective),
        format!("{} change ci95_half_width", s.objective),
        "significant".into(),
        "change per $1M a year".into(),
    ]];
    let mut bars = Vec::new();
    for m in &s.marginals {
        let d = m.changes.iter().find(|d| d.key == s.objective);
        let e = d.and_then(|d| d.difference);
        let per_million = e.map(|e| {
            if m.added_cost > 0.0 {
                e.mean / (m.added_cost / 1e6)
            } else {
                f64::NAN
            }
        });
        marginal_rows.push(vec![
            m.lever.key().into(),
            m.from.to_string(),
            m.to.to_string(),
            cell(Some(m.added_cost)),
            cell(e.map(|e| e.mean)),
            cell(e.and_then(|e| e.half_width)),
            d.map_or(String::new(), |d| d.significant().to_string()),
            cell(per_million),
        ]);
        bars.push(bar_of(
            e,
            format!(
                "{} {} → {} (+${:.0}k/yr)",
                m.lever.key(),
                m.from,
                m.to,
                m.added_cost / 1e3
            ),
        ));
    }
    let mut files = vec![
        bytes("summary.json", &json)?,
        csv_file("sweep.csv", mix_rows(&refs, base_cost, &s.objective))?,
        csv_file("marginal.csv", marginal_rows)?,
    ];
    files.extend(chart_files(
        "cost_vs_objective",
        &scatter(
            format!(
                "Yearly cost and result of each mix; red: cost-effective frontier (labels {})",
                lever_order(&s.base)
            ),
            &s.objective,
            &unit,
            &refs,
            s.frontier.clone(),
            Some(&s.base),
        ),
    )?);
    files.extend(chart_files(
        "marginal_value",
        &super::charts::BarChart {
            title:
                "Change from one more step of each resource, from the current mix (paired 95% CI)"
                    .into(),
            y_label: format!("Change in {}", axis_label(&s.objective, &unit)),
            bars,
            percent: false,
            non_negative: false,
        }
        .into(),
    )?);
    Ok(files)
}

/// Each lever's values in the grid.
fn levers_json(mixes: &[MixResult]) -> Vec<Value> {
    let Some(first) = mixes.first() else {
        return Vec::new();
    };
    first
        .mix
        .iter()
        .enumerate()
        .map(|(i, (lever, _))| {
            let mut values: Vec<u32> = mixes.iter().map(|m| m.mix[i].1).collect();
            values.sort_unstable();
            values.dedup();
            json!({ "lever": lever.key(), "values": values })
        })
        .collect()
}

/// Files of `imfsim optimize`.
pub fn optimize(scenario: &Scenario, o: &OptimizeResult) -> Result<Vec<OutputFile>, ReportError> {
    let obj = &o.goal.objective;
    let base_cost = o.base.yearly_cost();
    let final_base_cost = o.final_base.yearly_cost();
    let unit = unit_of(&o.base.results, obj);
    let comparison = o
        .best_vs_runner_up
        .as_ref()
        .and_then(|d| d.iter().find(|x| &x.key == obj));
    let best_vs_base = o
        .finalists
        .first()
        .map(|b| diffs_json(&differences(&o.final_base.results, &b.results), obj));
    let json = json!({
        "schema_version": SCHEMA_VERSION,
        "kind": "optimize",
        "program": { "name": "imfsim", "version": env!("CARGO_PKG_VERSION") },
        "scenario": scenario_json(scenario),
        "run": { "seed": o.base.results.seed, "search_replications": o.base.results.replications.len(), "final_replications": o.goal.final_replications, "days": o.base.results.days, "warmup_days": o.base.results.warmup.as_days_f64(), "common_random_numbers": true },
        "objective": { "metric": obj, "unit": unit, "minimize": o.goal.minimize },
        "budget": o.goal.budget,
        "ranges": o.ranges.iter().map(|r| json!({"lever": r.lever.key(), "min": r.min, "max": r.max, "step": r.step})).collect::<Vec<_>>(),
        "base": mix_json(&o.final_base, &o.final_base, obj),
        "best": o.finalists.first().map(|m| mix_json(m, &o.final_base, obj)),
        "best_vs_base": best_vs_base,
        "finalists": o.finalists.iter().map(|m| mix_json(m, &o.final_base, obj)).collect::<Vec<_>>(),
        "best_vs_runner_up": comparison.map(diff_json),
        "greedy_path": o.path.iter().map(|m| describe(m)).collect::<Vec<_>>(),
        "mixes_evaluated": o.explored.len(),
    });
    let explored: Vec<&MixResult> = o.explored.iter().collect();
    let finalists: Vec<&MixResult> = o.finalists.iter().collect();
    let mut files = vec![
        bytes("summary.json", &json)?,
        csv_file("explored.csv", mix_rows(&explored, base_cost, obj))?,
        csv_file("finalists.csv", mix_rows(&finalists, final_base_cost, obj))?,
    ];
    let points: Vec<(f64, f64)> = explored
        .iter()
        .map(|m| (m.yearly_cost(), m.mean(obj)))
        .collect();
    let front = crate::costs::frontier(&points);
    files.extend(chart_files(
        "optimize_explored",
        &scatter(
            format!(
                "Mixes the search tried within ${:.1}M a year more; red: frontier (labels {})",
                o.goal.budget / 1e6,
                lever_order(&o.base)
            ),
            obj,
            &unit,
            &explored,
            front,
            Some(&o.base),
        ),
    )?);
    Ok(files)
}

// ---------------------------------------------------------------------------------------------
// sensitivity
// ---------------------------------------------------------------------------------------------

/// The scenario's own setting of a swung input (`prevalence` is a factor: 1).
fn base_setting(s: &Scenario, input: Input) -> Option<f64> {
    let m = &s.model;
    match input {
        Input::Prevalence => Some(1.0),
        Input::LabDailyCap => m.lab.as_ref().and_then(|l| l.daily_cap).map(f64::from),
        Input::LocateRate => Some(m.targeting.locate_rate),
        Input::CanineDetect => m.canine.as_ref().map(|k| k.p_detect),
        Input::XrayDetect => m.xray.as_ref().map(|x| x.p_flag_contraband),
        Input::ExamFind => m.exam.as_ref().map(|e| e.p_find),
        Input::ChemSensitivity => m.chem.as_ref().map(|c| c.sensitivity),
    }
}

/// Short words for a swung input, for chart labels.
fn input_words(input: Input) -> &'static str {
    match input {
        Input::Prevalence => "Contraband prevalence (factor)",
        Input::LabDailyCap => "Lab samples a day",
        Input::LocateRate => "USPS locate rate",
        Input::CanineDetect => "Canine detection rate",
        Input::XrayDetect => "X-ray flag rate on contraband",
        Input::ExamFind => "Officer find rate on opening",
        Input::ChemSensitivity => "Analyser sensitivity",
    }
}

/// Files of `imfsim sensitivity`.
pub fn sensitivity(
    scenario: &Scenario,
    s: &SensitivityResult,
) -> Result<Vec<OutputFile>, ReportError> {
    let base = metric_est(&s.base, &s.objective);
    let unit = unit_of(&s.base, &s.objective);
    let json = json!({
        "schema_version": SCHEMA_VERSION,
        "kind": "sensitivity",
        "program": { "name": "imfsim", "version": env!("CARGO_PKG_VERSION") },
        "scenario": scenario_json(scenario),
        "run": { "seed": s.base.seed, "replications": s.base.replications.len(), "days": s.base.days, "warmup_days": s.base.warmup.as_days_f64(), "common_random_numbers": true },
        "objective": { "metric": s.objective, "unit": unit },
        "base": est(base),
        "swings": s.swings.iter().map(|w| json!({
            "input": w.swing.input.key(),
            "base_setting": base_setting(scenario, w.swing.input).map_or(Value::Null, num),
            "low_setting": w.swing.low, "high_setting": w.swing.high,
            "at_low": est(w.low), "at_high": est(w.high),
            "high_minus_low": est(w.swing_estimate),
            "significant": w.swing_estimate.is_some_and(|e| e.is_significant()),
        })).collect::<Vec<_>>(),
    });
    let mut rows = vec![vec![
        "input".to_string(),
        "low_setting".into(),
        "high_setting".into(),
        "objective_at_low".into(),
        "objective_at_low_ci95".into(),
        "objective_at_high".into(),
        "objective_at_high_ci95".into(),
        "high_minus_low".into(),
        "high_minus_low_ci95".into(),
        "significant".into(),
    ]];
    for w in &s.swings {
        rows.push(vec![
            w.swing.input.key().into(),
            w.swing.low.to_string(),
            w.swing.high.to_string(),
            cell(w.low.map(|e| e.mean)),
            cell(w.low.and_then(|e| e.half_width)),
            cell(w.high.map(|e| e.mean)),
            cell(w.high.and_then(|e| e.half_width)),
            cell(w.swing_estimate.map(|e| e.mean)),
            cell(w.swing_estimate.and_then(|e| e.half_width)),
            w.swing_estimate
                .is_some_and(|e| e.is_significant())
                .to_string(),
        ]);
    }
    let mut files = vec![
        bytes("summary.json", &json)?,
        csv_file("sensitivity.csv", rows)?,
    ];
    files.extend(chart_files(
        "tornado",
        &TornadoChart {
            title: "Result at the low and high setting of each uncertain input (others at base)"
                .into(),
            x_label: axis_label(&s.objective, &unit),
            base: base.map_or(f64::NAN, |e| e.mean),
            rows: s
                .swings
                .iter()
                .map(|w| TornadoRow {
                    label: if w.swing.input == Input::Prevalence {
                        format!("Prevalence ×{}–{}", w.swing.low, w.swing.high)
                    } else {
                        format!(
                            "{} {}–{}",
                            input_words(w.swing.input),
                            w.swing.low,
                            w.swing.high
                        )
                    },
                    low: w.low.map_or(f64::NAN, |e| e.mean),
                    high: w.high.map_or(f64::NAN, |e| e.mean),
                })
                .collect(),
        }
        .into(),
    )?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_of_cost_keys_are_found() {
        let text = r#"
[officers]
units = 3   # not a cost

[costs]   # unit costs
officer_per_fte = 117_000   # PARAMETERS.md: loaded officer cost
# (A) no public figure
lab_per_sample = 150
xray = { price = 90_000, life_years = 10 }   # PARAMETERS.md: dual-view (L/A)
note = "a # inside a string"   # the comment

[costs.chem]
price = 92_000   # DHS OIG-19-67

[benefits]
purity = 0.9
"#;
        let c = key_comments(text);
        assert_eq!(
            c["costs.officer_per_fte"],
            "PARAMETERS.md: loaded officer cost"
        );
        assert_eq!(c["costs.lab_per_sample"], "(A) no public figure");
        assert_eq!(c["costs.xray.price"], "PARAMETERS.md: dual-view (L/A)");
        assert_eq!(c["costs.xray.life_years"], "PARAMETERS.md: dual-view (L/A)");
        assert_eq!(c["costs.note"], "the comment");
        assert_eq!(c["costs.chem.price"], "DHS OIG-19-67");
        assert!(!c.contains_key("benefits.purity"));
        assert!(!c.contains_key("officers.units"));
    }
}
