//! `summary.json`: every metric with mean, standard deviation, CI half-width and n, plus the
//! provenance needed to reproduce it. The schema is documented in `docs/output.md`; bump
//! [`SCHEMA_VERSION`] on any incompatible change. Keys are sorted and no wall-clock time is
//! included, so the same inputs give byte-identical files.

use serde_json::{Map, Value, json};

use super::ReportError;
use crate::experiment::{BATCH_CHECK_METRIC, CONFIDENCE, Method, Results};

/// Version of the `summary.json` layout.
pub const SCHEMA_VERSION: u32 = 1;

fn num(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

/// The `summary.json` document.
pub fn summary_value(r: &Results) -> Value {
    let mut metrics = Map::new();
    for m in &r.metrics {
        let group = metrics
            .entry(m.group)
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(group) = group else {
            continue;
        };
        let entity = group
            .entry(m.entity.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(entity) = entity else {
            continue;
        };
        let e = m.estimate;
        entity.insert(
            m.name.to_string(),
            json!({
                "unit": m.unit,
                "mean": e.map_or(Value::Null, |e| num(e.mean)),
                "std_dev": e.and_then(|e| e.std_dev).map_or(Value::Null, num),
                "ci95_half_width": e.and_then(|e| e.half_width).map_or(Value::Null, num),
                "n": e.map_or(0, |e| e.n),
            }),
        );
    }
    let band = super::csv::daily_band(r);
    let precision = r.precision.as_ref().map_or(Value::Null, |p| {
        json!({
            "target_relative_half_width": p.target.relative_half_width,
            "max_replications": p.target.max_replications,
            "reached": p.reached,
            "achieved": p.achieved.iter().map(|(k, v)| json!({"metric": k, "relative_half_width": v.map_or(Value::Null, num)})).collect::<Vec<_>>(),
        })
    });
    json!({
        "schema_version": SCHEMA_VERSION,
        "kind": "run",
        "program": { "name": "imfsim", "version": env!("CARGO_PKG_VERSION") },
        "scenario": {
            "name": r.scenario,
            "description": r.description,
            "content_sha256": r.content_hash,
        },
        "run": {
            "seed": r.seed,
            "replications": r.replications.len(),
            "days": r.days,
            "warmup_days": r.warmup.as_days_f64(),
            "confidence": CONFIDENCE,
            "method": match r.method {
                Method::Replications => json!("independent replications"),
                Method::BatchMeans { lag1_autocorrelation } => json!({
                    "batch_means": r.replications.len(),
                    "lag1_autocorrelation": lag1_autocorrelation.map_or(Value::Null, num),
                    "of_metric": BATCH_CHECK_METRIC,
                }),
            },
        },
        "warnings": r.warmup_advice.iter().chain(r.bottleneck.iter()).chain(r.notes.iter()).collect::<Vec<_>>(),
        "load": r.loads.iter().map(|l| json!({
            "stage": l.stage,
            "arrivals_per_day": num(l.arrivals_per_day),
            "demand_per_day": num(l.demand_per_day),
            "capacity_per_day": num(l.capacity_per_day),
            "demand_over_capacity": num(l.ratio()),
        })).collect::<Vec<_>>(),
        "precision": precision,
        "metrics": metrics,
        "daily": {
            "lab_backlog": {
                "mean": band.iter().map(|b| num(b.mean)).collect::<Vec<_>>(),
                "p05": band.iter().map(|b| num(b.p05)).collect::<Vec<_>>(),
                "p95": band.iter().map(|b| num(b.p95)).collect::<Vec<_>>(),
            }
        }
    })
}

/// `summary.json` as pretty-printed bytes.
pub fn summary(r: &Results) -> Result<Vec<u8>, ReportError> {
    let mut bytes =
        serde_json::to_vec_pretty(&summary_value(r)).map_err(|e| ReportError::Format {
            name: "summary.json".into(),
            reason: e.to_string(),
        })?;
    bytes.push(b'\n');
    Ok(bytes)
}
