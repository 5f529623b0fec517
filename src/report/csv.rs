//! CSV tables: `summary.csv` (one row per metric), `replications.csv` (one row per
//! replication, one column per metric) and `daily.csv` (the lab backlog band by day).

use super::ReportError;
use crate::experiment::Results;

fn finish(name: &str, w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ReportError> {
    w.into_inner().map_err(|e| ReportError::Format {
        name: name.into(),
        reason: e.to_string(),
    })
}

fn fmt_err(name: &str) -> impl Fn(csv::Error) -> ReportError + '_ {
    move |e| ReportError::Format {
        name: name.into(),
        reason: e.to_string(),
    }
}

fn cell(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map_or(String::new(), |v| v.to_string())
}

/// `summary.csv`: group, entity, metric, unit, mean, std_dev, ci95_half_width, n.
pub fn summary(r: &Results) -> Result<Vec<u8>, ReportError> {
    let name = "summary.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "group",
        "entity",
        "metric",
        "unit",
        "mean",
        "std_dev",
        "ci95_half_width",
        "n",
    ])
    .map_err(fmt_err(name))?;
    for m in &r.metrics {
        let e = m.estimate;
        w.write_record([
            m.group.to_string(),
            m.entity.clone(),
            m.name.to_string(),
            m.unit.to_string(),
            cell(e.map(|e| e.mean)),
            cell(e.and_then(|e| e.std_dev)),
            cell(e.and_then(|e| e.half_width)),
            e.map_or(0, |e| e.n).to_string(),
        ])
        .map_err(fmt_err(name))?;
    }
    finish(name, w)
}

/// `replications.csv`: replication, events, items_arrived, then every metric by key.
pub fn replications(r: &Results) -> Result<Vec<u8>, ReportError> {
    let name = "replications.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "replication".to_string(),
        "events".into(),
        "items_arrived".into(),
    ];
    header.extend(r.metrics.iter().map(|m| m.key()));
    w.write_record(&header).map_err(fmt_err(name))?;
    for rep in &r.replications {
        let mut row = vec![
            rep.replication.to_string(),
            rep.events.to_string(),
            rep.items_arrived.to_string(),
        ];
        row.extend(rep.metrics.iter().map(|m| cell(Some(m.value))));
        w.write_record(&row).map_err(fmt_err(name))?;
    }
    finish(name, w)
}

/// One day of the lab backlog across replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BandPoint {
    /// Day number (1 = end of the first day).
    pub day: usize,
    /// Mean over replications [samples].
    pub mean: f64,
    /// 5th percentile over replications.
    pub p05: f64,
    /// 95th percentile over replications.
    pub p95: f64,
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The end-of-day lab backlog: mean and 5–95 % band across replications.
pub fn daily_band(r: &Results) -> Vec<BandPoint> {
    let days = r
        .replications
        .iter()
        .map(|x| x.daily.lab_backlog.len())
        .min()
        .unwrap_or(0);
    (0..days)
        .map(|d| {
            let mut v: Vec<f64> = r
                .replications
                .iter()
                .map(|x| x.daily.lab_backlog[d])
                .collect();
            v.sort_by(f64::total_cmp);
            BandPoint {
                day: d + 1,
                mean: v.iter().sum::<f64>() / v.len() as f64,
                p05: percentile(&v, 0.05),
                p95: percentile(&v, 0.95),
            }
        })
        .collect()
}

/// `daily.csv`: day, lab backlog mean, p05, p95.
pub fn daily(r: &Results) -> Result<Vec<u8>, ReportError> {
    let name = "daily.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "day",
        "lab_backlog_mean",
        "lab_backlog_p05",
        "lab_backlog_p95",
    ])
    .map_err(fmt_err(name))?;
    for b in daily_band(r) {
        w.write_record([
            b.day.to_string(),
            b.mean.to_string(),
            b.p05.to_string(),
            b.p95.to_string(),
        ])
        .map_err(fmt_err(name))?;
    }
    finish(name, w)
}
