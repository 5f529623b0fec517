//! Output files of the cost-benefit commands: `compare`, `sweep`, `optimize` and
//! `sensitivity`. Each gets a `summary.json` (with a `kind` field), CSV tables and charts.

use serde_json::{Value, json};

use super::charts::{
    Bar, Chart, GroupedBarChart, ScatterChart, ScatterPoint, TornadoChart, TornadoRow,
};
use super::json::SCHEMA_VERSION;
use super::{OutputFile, ReportError};
use crate::experiment::compare::Difference;
use crate::experiment::optimize::OptimizeResult;
use crate::experiment::sensitivity::SensitivityResult;
use crate::experiment::sweep::{MixResult, SweepResult, describe};
use crate::experiment::{MetricSummary, Results};
use crate::stats::Estimate;

/// Outcomes shown for every mix and scenario, besides the objective.
pub const KEY_OUTCOMES: &[&str] = &[
    "stream.all.inspected_share",
    "stream.all.seized_per_year",
    "stream.all.seized_kg_per_year",
    "stream.all.missed_per_year",
    "benefit.all.lethal_doses_per_year",
    "stage.xray.mean_wait_h",
    "stage.lab.backlog_at_end",
    "facility.custody.mean_custody_h",
    "facility.holding.unsecured_item_hours_per_year",
    "facility.seizure.late_entries_per_year",
    "cost.total.yearly_cost",
];

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
    for key in std::iter::once(objective).chain(KEY_OUTCOMES.iter().copied()) {
        if let Some(m) = r.metric(key) {
            map.insert(
                key.to_string(),
                json!({ "unit": m.unit, "estimate": est(m.estimate) }),
            );
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

fn provenance(r: &Results) -> Value {
    json!({ "name": r.scenario, "description": r.description, "content_sha256": r.content_hash })
}

/// Files of `imfsim compare`: the first scenario is the base.
pub fn compare(
    results: &[Results],
    diffs: &[Vec<Difference>],
) -> Result<Vec<OutputFile>, ReportError> {
    let Some(base) = results.first() else {
        return Ok(Vec::new());
    };
    let json = json!({
        "schema_version": SCHEMA_VERSION,
        "kind": "compare",
        "program": { "name": "imfsim", "version": env!("CARGO_PKG_VERSION") },
        "run": { "seed": base.seed, "replications": base.replications.len(), "days": base.days, "common_random_numbers": true },
        "scenarios": results.iter().map(|r| json!({ "scenario": provenance(r), "outcomes": outcomes(r, "stream.all.seized_per_year") })).collect::<Vec<_>>(),
        "differences": results.iter().zip(diffs).skip(1).map(|(r, d)| json!({
            "scenario": r.scenario,
            "against": base.scenario,
            "metrics": d.iter().map(diff_json).collect::<Vec<_>>(),
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
    let grouped = |title: &str, y: &str, name: &str| GroupedBarChart {
        title: title.into(),
        y_label: y.into(),
        categories: streams.iter().map(|m| m.entity.replace('_', " ")).collect(),
        series: results
            .iter()
            .map(|r| {
                let bars = streams
                    .iter()
                    .map(|m| {
                        bar_of(
                            metric_est(r, &format!("stream.{}.{name}", m.entity)),
                            m.entity.clone(),
                        )
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
            "Inspected share by stream and scenario (mean, 95% CI)",
            "Inspected share (fraction)",
            "inspected_share",
        )
        .into(),
    )?);
    files.extend(chart_files(
        "compare_seized",
        &grouped(
            "Contraband items seized per year by stream and scenario (mean, 95% CI)",
            "Items seized per year",
            "seized_per_year",
        )
        .into(),
    )?);
    Ok(files)
}

fn mix_json(m: &MixResult, base_cost: f64, objective: &str) -> Value {
    json!({
        "mix": m.mix.iter().map(|(l, v)| (l.key().to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "label": describe(&m.mix),
        "yearly_cost": num(m.yearly_cost()),
        "added_yearly_cost": num(m.yearly_cost() - base_cost),
        "cost_lines": m.cost.lines.iter().map(|l| json!({"item": l.item, "quantity": num(l.quantity), "unit": l.unit, "yearly_cost": num(l.annual)})).collect::<Vec<_>>(),
        "outcomes": outcomes(&m.results, objective),
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

fn scatter(
    title: String,
    objective: &str,
    unit: &str,
    mixes: &[&MixResult],
    frontier: Vec<usize>,
) -> Chart {
    ScatterChart {
        title,
        x_label: "Yearly cost (US$ million)".into(),
        y_label: format!("{objective} ({unit})"),
        points: mixes
            .iter()
            .map(|m| {
                let e = metric_est(&m.results, objective);
                ScatterPoint {
                    label: m
                        .mix
                        .iter()
                        .map(|(_, v)| v.to_string())
                        .collect::<Vec<_>>()
                        .join("/"),
                    x: m.yearly_cost() / 1e6,
                    y: e.map_or(f64::NAN, |e| e.mean),
                    y_half_width: e.and_then(|e| e.half_width),
                }
            })
            .collect(),
        frontier,
        non_negative: true,
    }
    .into()
}

/// Files of `imfsim sweep`.
pub fn sweep(s: &SweepResult) -> Result<Vec<OutputFile>, ReportError> {
    let base_cost = s.base.yearly_cost();
    let unit = unit_of(&s.base.results, &s.objective);
    let json = json!({
        "schema_version": SCHEMA_VERSION,
        "kind": "sweep",
        "program": { "name": "imfsim", "version": env!("CARGO_PKG_VERSION") },
        "scenario": provenance(&s.base.results),
        "run": { "seed": s.base.results.seed, "replications": s.base.results.replications.len(), "days": s.base.results.days, "common_random_numbers": true },
        "objective": { "metric": s.objective, "unit": unit },
        "base": mix_json(&s.base, base_cost, &s.objective),
        "mixes": s.mixes.iter().map(|m| mix_json(m, base_cost, &s.objective)).collect::<Vec<_>>(),
        "frontier": s.frontier,
        "marginals": s.marginals.iter().map(|m| json!({
            "lever": m.lever.key(),
            "from": m.from,
            "to": m.to,
            "added_yearly_cost": num(m.added_cost),
            "changes": m.changes.iter().filter(|d| d.key == s.objective || KEY_OUTCOMES.contains(&d.key.as_str())).map(diff_json).collect::<Vec<_>>(),
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
            format!("+1 {} (${:.0}k/yr)", m.lever.key(), m.added_cost / 1e3),
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
                "Cost and {} of each mix (frontier highlighted; mean, 95% CI)",
                s.objective
            ),
            &s.objective,
            &unit,
            &refs,
            s.frontier.clone(),
        ),
    )?);
    files.extend(chart_files(
        "marginal_value",
        &super::charts::BarChart {
            title: format!(
                "Change in {} from one more unit around the base mix (paired 95% CI)",
                s.objective
            ),
            y_label: format!("Change in {} ({unit})", s.objective),
            bars,
            percent: false,
            non_negative: false,
        }
        .into(),
    )?);
    Ok(files)
}

/// Files of `imfsim optimize`.
pub fn optimize(o: &OptimizeResult) -> Result<Vec<OutputFile>, ReportError> {
    let obj = &o.goal.objective;
    let base_cost = o.base.yearly_cost();
    let final_base_cost = o.final_base.yearly_cost();
    let unit = unit_of(&o.base.results, obj);
    let comparison = o
        .best_vs_runner_up
        .as_ref()
        .and_then(|d| d.iter().find(|x| &x.key == obj));
    let json = json!({
        "schema_version": SCHEMA_VERSION,
        "kind": "optimize",
        "program": { "name": "imfsim", "version": env!("CARGO_PKG_VERSION") },
        "scenario": provenance(&o.base.results),
        "run": { "seed": o.base.results.seed, "search_replications": o.base.results.replications.len(), "final_replications": o.goal.final_replications, "days": o.base.results.days, "common_random_numbers": true },
        "objective": { "metric": obj, "unit": unit, "minimize": o.goal.minimize },
        "budget": o.goal.budget,
        "base": mix_json(&o.final_base, final_base_cost, obj),
        "best": o.finalists.first().map(|m| mix_json(m, final_base_cost, obj)),
        "finalists": o.finalists.iter().map(|m| mix_json(m, final_base_cost, obj)).collect::<Vec<_>>(),
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
                "Mixes explored for {obj} within ${:.1}M a year more (frontier highlighted)",
                o.goal.budget / 1e6
            ),
            obj,
            &unit,
            &explored,
            front,
        ),
    )?);
    Ok(files)
}

/// Files of `imfsim sensitivity`.
pub fn sensitivity(s: &SensitivityResult) -> Result<Vec<OutputFile>, ReportError> {
    let base = metric_est(&s.base, &s.objective);
    let unit = unit_of(&s.base, &s.objective);
    let json = json!({
        "schema_version": SCHEMA_VERSION,
        "kind": "sensitivity",
        "program": { "name": "imfsim", "version": env!("CARGO_PKG_VERSION") },
        "scenario": provenance(&s.base),
        "run": { "seed": s.base.seed, "replications": s.base.replications.len(), "days": s.base.days, "common_random_numbers": true },
        "objective": { "metric": s.objective, "unit": unit },
        "base": est(base),
        "swings": s.swings.iter().map(|w| json!({
            "input": w.swing.input.key(), "low_setting": w.swing.low, "high_setting": w.swing.high,
            "at_low": est(w.low), "at_high": est(w.high),
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
        ]);
    }
    let mut files = vec![
        bytes("summary.json", &json)?,
        csv_file("sensitivity.csv", rows)?,
    ];
    files.extend(chart_files(
        "tornado",
        &TornadoChart {
            title: format!(
                "Sensitivity of {} to each uncertain input (low / high setting)",
                s.objective
            ),
            x_label: format!("{} ({unit})", s.objective),
            base: base.map_or(f64::NAN, |e| e.mean),
            rows: s
                .swings
                .iter()
                .map(|w| TornadoRow {
                    label: format!("{} {}–{}", w.swing.input.key(), w.swing.low, w.swing.high),
                    low: w.low.map_or(f64::NAN, |e| e.mean),
                    high: w.high.map_or(f64::NAN, |e| e.mean),
                })
                .collect(),
        }
        .into(),
    )?);
    Ok(files)
}
