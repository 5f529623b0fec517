//! The terminal summary: the headline metrics with mean and 95 % CI, aligned for reading.

use std::fmt::Write;

use crate::experiment::{MetricSummary, Results};

/// Formats a value in its unit: shares as percentages, large numbers with separators.
pub fn format_value(x: f64, unit: &str) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if unit == "share" {
        return format!("{:.2} %", x * 100.0);
    }
    if x == 0.0 {
        return "0".into();
    }
    let digits = if x.abs() >= 100.0 || unit.starts_with('$') {
        0
    } else if x.abs() >= 1.0 {
        2
    } else {
        4
    };
    let s = format!("{x:.digits$}");
    group_thousands(&s)
}

/// Decimals that show a value to the precision a 95 % CI half-width `hw` supports: two
/// significant digits of the half-width, between 0 and 4 decimals (shares in percent).
pub fn ci_decimals(hw: f64, unit: &str) -> Option<usize> {
    let hw = if unit == "share" { hw * 100.0 } else { hw };
    if !(hw.is_finite() && hw > 0.0) || unit.starts_with('$') {
        return None;
    }
    Some((1.0 - hw.log10().floor()).clamp(0.0, 4.0) as usize)
}

/// `x` in `unit` with `decimals` decimals (shares as percentages, money with a `$`).
pub fn format_fixed(x: f64, unit: &str, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if unit == "share" {
        return format!(
            "{} %",
            group_thousands(&format!("{:.decimals$}", x * 100.0))
        );
    }
    group_thousands(&format!("{x:.decimals$}"))
}

/// A mean with its 95 % CI half-width, both rounded to what the interval supports, e.g.
/// `88.0 ± 4.9`, `0.452 % ± 0.011 %`, `$7,025,680 ± $48,070`.
pub fn format_estimate(mean: f64, half_width: Option<f64>, unit: &str) -> String {
    let money = unit.starts_with('$');
    let show = |x: f64, d: Option<usize>| {
        let t = match d {
            Some(d) => format_fixed(x, unit, d),
            None => format_value(x, unit),
        };
        if money && x.is_finite() {
            match t.strip_prefix('-') {
                Some(rest) => format!("-${rest}"),
                None => format!("${t}"),
            }
        } else {
            t
        }
    };
    match half_width.filter(|h| h.is_finite()) {
        None => show(mean, None),
        Some(h) => {
            let scale = if unit == "share" { 100.0 } else { 1.0 };
            if !money && h > 0.0 && h * scale < 1e-4 && (mean * scale).abs() < 1e-3 {
                // Too small for 4 decimals (e.g. a paired difference of 2e-7): scientific, so
                // a significant difference never reads "0.0000 ± 0.0000".
                let pct = if unit == "share" { " %" } else { "" };
                return format!("{:.1e}{pct} ± {:.1e}{pct}", mean * scale, h * scale);
            }
            if !money && h >= 1_000.0 {
                // Large counts: two significant digits of the interval, e.g. 22,600,000 ±
                // 6,500,000 rather than 22,550,841 ± 6,543,458.
                let step = 10f64.powf(h.log10().floor() - 1.0);
                let r = |x: f64| (x / step).round() * step;
                return format!("{} ± {}", show(r(mean), Some(0)), show(r(h), Some(0)));
            }
            let d = ci_decimals(h, unit);
            format!("{} ± {}", show(mean, d), show(h, d))
        }
    }
}

fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

fn row(m: &MetricSummary) -> [String; 3] {
    let label = format!(
        "{} {} [{}]",
        m.entity.replace('_', " "),
        m.name.replace('_', " "),
        m.unit
    );
    match m.estimate {
        None => [label, "–".into(), String::new()],
        Some(e) => {
            let ci = e
                .half_width
                .map_or(String::new(), |h| format!("± {}", format_value(h, m.unit)));
            [label, format_value(e.mean, m.unit), ci]
        }
    }
}

/// Metric names shown in the terminal table, by group.
const HEADLINES: &[(&str, &[&str])] = &[
    (
        "stream",
        &[
            "arrived_per_day",
            "inspected_share",
            "seized_per_year",
            "seized_kg_per_year",
            "missed_per_year",
        ],
    ),
    ("stage", &["mean_wait_h"]),
    ("resource", &["utilisation"]),
    (
        "facility",
        &[
            "unsecured_item_hours_per_year",
            "late_entries_per_year",
            "mean_custody_h",
        ],
    ),
    ("contraband", &["seized_kg_per_year", "missed_kg_per_year"]),
];

/// The headline table as text.
pub fn render(r: &Results) -> String {
    let mut rows: Vec<[String; 3]> = vec![["metric".into(), "mean".into(), "95 % CI".into()]];
    for (group, names) in HEADLINES {
        for m in r
            .metrics
            .iter()
            .filter(|m| m.group == *group && names.contains(&m.name))
        {
            rows.push(row(m));
        }
        if let Some(lab) = r
            .metric("stage.lab.backlog_at_end")
            .filter(|_| *group == "stage")
        {
            rows.push(row(lab));
        }
    }
    let widths: Vec<usize> = (0..3)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:<w0$}  {:>w1$}  {:<w2$}",
            r[0],
            r[1],
            r[2],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        if i == 0 {
            let _ = writeln!(out, "{}", "-".repeat(widths.iter().sum::<usize>() + 4));
        }
    }
    out
}

/// Aligns rows of cells into columns, the first row a header.
fn columns(rows: &[Vec<String>]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|x| x.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, x)| {
                if c == 0 {
                    format!("{x:<w$}", w = widths[c])
                } else {
                    format!("{x:>w$}", w = widths[c])
                }
            })
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
        if i == 0 {
            let _ = writeln!(
                out,
                "{}",
                "-".repeat(widths.iter().sum::<usize>() + 2 * n.saturating_sub(1))
            );
        }
    }
    out
}

fn with_ci(e: Option<crate::stats::Estimate>, unit: &str) -> String {
    match e {
        None => "–".into(),
        Some(e) => format_estimate(e.mean, e.half_width, unit),
    }
}

fn unit(r: &Results, key: &str) -> &'static str {
    r.metric(key).map_or("", |m| m.unit)
}

/// Headline outcomes of each compared scenario and their paired differences from the first.
pub fn compare(
    results: &[Results],
    diffs: &[Vec<crate::experiment::compare::Difference>],
) -> String {
    let Some(base) = results.first() else {
        return String::new();
    };
    let mut header = vec!["metric".to_string()];
    header.extend(results.iter().map(|r| r.scenario.clone()));
    header.extend(
        results
            .iter()
            .skip(1)
            .map(|r| format!("{} − {}", r.scenario, base.scenario)),
    );
    let mut rows = vec![header];
    for key in crate::report::analysis::KEY_OUTCOMES {
        if base.metric(key).is_none() {
            continue;
        }
        let u = unit(base, key);
        let mut row = vec![format!("{key} [{u}]")];
        row.extend(
            results
                .iter()
                .map(|r| with_ci(r.metric(key).and_then(|m| m.estimate), u)),
        );
        for d in diffs.iter().skip(1) {
            let x = d.iter().find(|x| x.key == *key);
            let star = if x.is_some_and(|x| x.significant()) {
                " *"
            } else {
                ""
            };
            row.push(format!(
                "{}{star}",
                with_ci(x.and_then(|x| x.difference), u)
            ));
        }
        rows.push(row);
    }
    format!(
        "{}* significant at the 95 % level (paired, common random numbers)\n",
        columns(&rows)
    )
}

/// Each mix of a sweep: cost and objective, frontier marked; then marginal values.
pub fn sweep(s: &crate::experiment::sweep::SweepResult) -> String {
    let u = unit(&s.base.results, &s.objective);
    let mut rows = vec![vec![
        "mix".to_string(),
        "yearly cost".into(),
        format!("{} [{u}]", s.objective),
        "frontier".into(),
    ]];
    // A large grid shows the current mix and the frontier; every mix is in sweep.csv.
    let all = s.mixes.len() <= 30;
    rows.push(vec![
        format!("now: {}", crate::experiment::sweep::describe(&s.base.mix)),
        format!("${}", format_value(s.base.yearly_cost(), "$")),
        with_ci(
            s.base.results.metric(&s.objective).and_then(|x| x.estimate),
            u,
        ),
        String::new(),
    ]);
    for (i, m) in s
        .mixes
        .iter()
        .enumerate()
        .filter(|(i, _)| all || s.frontier.contains(i))
    {
        rows.push(vec![
            crate::experiment::sweep::describe(&m.mix),
            format!("${}", format_value(m.yearly_cost(), "$")),
            with_ci(m.results.metric(&s.objective).and_then(|x| x.estimate), u),
            if s.frontier.contains(&i) {
                "yes".into()
            } else {
                String::new()
            },
        ]);
    }
    let mut out = columns(&rows);
    if !all {
        let _ = writeln!(
            out,
            "(the current mix and the {} frontier mixes of {}; every mix is in sweep.csv)",
            s.frontier.len(),
            s.mixes.len()
        );
    }
    let mut marg = vec![vec![
        "one more".to_string(),
        "added cost/yr".into(),
        format!("change in {} [{u}]", s.objective),
    ]];
    for m in &s.marginals {
        let d = m.changes.iter().find(|d| d.key == s.objective);
        let star = if d.is_some_and(|d| d.significant()) {
            " *"
        } else {
            ""
        };
        marg.push(vec![
            format!("{} ({} → {})", m.lever.key(), m.from, m.to),
            format!("${}", format_value(m.added_cost, "$")),
            format!("{}{star}", with_ci(d.and_then(|d| d.difference), u)),
        ]);
    }
    out.push('\n');
    out.push_str(&columns(&marg));
    out
}

/// The finalists of an optimisation, best first.
pub fn optimize(o: &crate::experiment::optimize::OptimizeResult) -> String {
    let obj = &o.goal.objective;
    let u = unit(&o.base.results, obj);
    let base_cost = o.final_base.yearly_cost();
    let mut rows = vec![vec![
        "mix".to_string(),
        "added cost/yr".into(),
        format!("{obj} [{u}]"),
    ]];
    rows.push(vec![
        format!(
            "base: {}",
            crate::experiment::sweep::describe(&o.final_base.mix)
        ),
        "$0".into(),
        with_ci(o.final_base.results.metric(obj).and_then(|m| m.estimate), u),
    ]);
    for (i, m) in o.finalists.iter().enumerate() {
        rows.push(vec![
            format!(
                "{}{}",
                if i == 0 { "best: " } else { "" },
                crate::experiment::sweep::describe(&m.mix)
            ),
            format!("${}", format_value(m.yearly_cost() - base_cost, "$")),
            with_ci(m.results.metric(obj).and_then(|x| x.estimate), u),
        ]);
    }
    let mut out = columns(&rows);
    if let Some(d) = o
        .best_vs_runner_up
        .as_ref()
        .and_then(|d| d.iter().find(|x| &x.key == obj))
    {
        let _ = writeln!(
            out,
            "best − runner-up: {} ({})",
            with_ci(d.difference, u),
            if d.significant() {
                "significant at the 95 % level"
            } else {
                "not significant: the two are statistically tied"
            }
        );
    }
    if o.finalists.is_empty() {
        let _ = writeln!(out, "no mix within the budget improves on the base");
    }
    out
}

/// Objective at each input's low and high setting.
pub fn sensitivity(s: &crate::experiment::sensitivity::SensitivityResult) -> String {
    let u = unit(&s.base, &s.objective);
    let mut rows = vec![vec![
        "input (low–high)".to_string(),
        "at low".into(),
        "at high".into(),
        "high − low (paired)".into(),
    ]];
    for w in &s.swings {
        let star = if w.swing_estimate.is_some_and(|e| e.is_significant()) {
            " *"
        } else {
            ""
        };
        rows.push(vec![
            format!("{} ({}–{})", w.swing.input.key(), w.swing.low, w.swing.high),
            with_ci(w.low, u),
            with_ci(w.high, u),
            format!("{}{star}", with_ci(w.swing_estimate, u)),
        ]);
    }
    format!(
        "{} at base: {}\n{}* significant at the 95 % level (paired, common random numbers)\n",
        s.objective,
        with_ci(s.base.metric(&s.objective).and_then(|m| m.estimate), u),
        columns(&rows)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_unit() {
        assert_eq!(format_value(0.12345, "share"), "12.35 %");
        assert_eq!(format_value(1234567.8, "items/day"), "1,234,568");
        assert_eq!(format_value(-1234.6, "kg"), "-1,235");
        assert_eq!(format_value(2.5, "h"), "2.50");
        assert_eq!(format_value(0.012345, "h"), "0.0123");
        assert_eq!(format_value(f64::NAN, "h"), "–");
        assert_eq!(format_value(0.0, "$"), "0");
        assert_eq!(format_value(21_813.97, "$/yr"), "21,814");
        assert_eq!(format_value(0.0, "items/yr"), "0");
    }

    #[test]
    fn estimates_are_rounded_to_their_interval() {
        assert_eq!(format_estimate(87.97, Some(4.88), "items/yr"), "88.0 ± 4.9");
        assert_eq!(format_estimate(81.47, Some(54.55), "items/yr"), "81 ± 55");
        assert_eq!(
            format_estimate(0.00452, Some(0.00011), "share"),
            "0.452 % ± 0.011 %"
        );
        assert_eq!(
            format_estimate(7_025_680.4, Some(48_070.0), "$/yr"),
            "$7,025,680 ± $48,070"
        );
        assert_eq!(format_estimate(-311_000.0, None, "$/yr"), "-$311,000");
        assert_eq!(format_estimate(0.0, Some(0.0), "items/yr"), "0 ± 0");
        assert_eq!(format_estimate(1234.6, None, "kg/yr"), "1,235");
        assert_eq!(
            format_estimate(2.1e-9, Some(4e-10), "share"),
            "2.1e-7 % ± 4.0e-8 %"
        );
        assert_eq!(
            format_estimate(22_550_841.0, Some(6_543_458.0), "doses/yr"),
            "22,600,000 ± 6,500,000"
        );
        assert_eq!(
            format_estimate(3_707.2, Some(25.1), "items/yr"),
            "3,707 ± 25"
        );
        assert_eq!(
            format_estimate(0.0459, Some(6.5e-5), "h"),
            "0.0459 ± 0.0001"
        );
    }
}
