//! Which charts a results set gets, built from its metrics: inspected share by stream, mean
//! wait per stage, utilisation per resource, the lab backlog band, and seized vs missed.

use super::charts::{BandChart, Bar, BarChart, Chart, GroupedBarChart};
use super::csv::daily_band;
use crate::experiment::{MetricSummary, Results};

fn bar(m: &MetricSummary, label: &str) -> Bar {
    Bar {
        label: label.to_string(),
        mean: m.estimate.map_or(f64::NAN, |e| e.mean),
        half_width: m.estimate.and_then(|e| e.half_width),
    }
}

fn bars(r: &Results, group: &str, name: &str, skip_all: bool) -> Vec<Bar> {
    r.metrics
        .iter()
        .filter(|m| m.group == group && m.name == name && !(skip_all && m.entity == "all"))
        .map(|m| bar(m, &m.entity.replace('_', " ")))
        .collect()
}

/// Every chart, with its file stem.
pub fn all(r: &Results) -> Vec<(String, Chart)> {
    let n = r.replications.len();
    let ci = if n > 1 {
        format!("mean and 95% CI over {n} replications")
    } else {
        "one replication".into()
    };
    let streams: Vec<String> = r
        .metrics
        .iter()
        .filter(|m| m.group == "stream" && m.name == "seized_per_year" && m.entity != "all")
        .map(|m| m.entity.replace('_', " "))
        .collect();
    let band = daily_band(r);
    vec![
        (
            "inspected_share".into(),
            BarChart {
                title: format!("Share of arriving mail inspected, by stream ({ci})"),
                y_label: "Inspected share (%)".into(),
                bars: bars(r, "stream", "inspected_share", false),
                percent: true,
                non_negative: true,
            }
            .into(),
        ),
        (
            "stage_waits".into(),
            BarChart {
                title: format!("Mean wait in line per stage ({ci})"),
                y_label: "Mean wait (hours)".into(),
                bars: bars(r, "stage", "mean_wait_h", false),
                percent: false,
                non_negative: true,
            }
            .into(),
        ),
        (
            "utilisation".into(),
            BarChart {
                title: format!("Utilisation of each resource while available ({ci})"),
                y_label: "Busy share of available time (%)".into(),
                bars: bars(r, "resource", "utilisation", false),
                percent: true,
                non_negative: true,
            }
            .into(),
        ),
        (
            "lab_backlog".into(),
            BandChart {
                title: format!(
                    "Lab samples waiting for a slot at the end of each day ({n} replications)"
                ),
                x_label: "Day of simulation (warm-up included)".into(),
                y_label: "Samples waiting (count)".into(),
                x: band.iter().map(|b| b.day as f64).collect(),
                mean: band.iter().map(|b| b.mean).collect(),
                lower: band.iter().map(|b| b.p05).collect(),
                upper: band.iter().map(|b| b.p95).collect(),
                band_label: "5th–95th percentile across replications".into(),
            }
            .into(),
        ),
        (
            "seized_vs_missed".into(),
            GroupedBarChart {
                title: format!("Contraband items seized and missed per year, by stream ({ci})"),
                y_label: "Items per year".into(),
                categories: streams,
                series: vec![
                    ("Seized".into(), bars(r, "stream", "seized_per_year", true)),
                    ("Missed".into(), bars(r, "stream", "missed_per_year", true)),
                ],
                non_negative: true,
            }
            .into(),
        ),
    ]
}
