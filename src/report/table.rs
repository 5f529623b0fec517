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
    let digits = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 1.0 {
        2
    } else {
        4
    };
    let s = format!("{x:.digits$}");
    group_thousands(&s)
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
    }
}
