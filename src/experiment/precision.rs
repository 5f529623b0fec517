//! Precision on demand: add replications until the 95 % CI half-width of chosen metrics is
//! within a target share of their mean, or a ceiling is hit (which is reported, not hidden).
//!
//! The procedure is the classic sequential one: run a first batch, estimate from the observed
//! spread how many replications the target needs (`n·(h/h*)²`), run that many more, and repeat.
//! Replication `i` always uses the same random streams, so the final result depends only on the
//! final count, not on how it was reached.

use std::sync::atomic::AtomicBool;

use super::{ExperimentError, Progress, Results, RunOptions, effective_run, replicate, summarise};
use crate::scenario::Scenario;

/// What precision was asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct PrecisionTarget {
    /// Largest acceptable CI half-width as a share of the mean (e.g. 0.02).
    pub relative_half_width: f64,
    /// Metric keys (`group.entity.name`) that must reach it.
    pub metrics: Vec<String>,
    /// Most replications to run.
    pub max_replications: u32,
}

/// How the target was met, per metric.
#[derive(Clone, Debug, PartialEq)]
pub struct PrecisionReport {
    /// The target.
    pub target: PrecisionTarget,
    /// Whether every metric reached it.
    pub reached: bool,
    /// `(metric key, achieved relative half-width)`; `None` when undefined (mean 0 or n < 2).
    pub achieved: Vec<(String, Option<f64>)>,
}

/// Why a precision request was refused.
pub fn unknown_metrics(results: &Results, target: &PrecisionTarget) -> Vec<String> {
    target
        .metrics
        .iter()
        .filter(|k| results.metric(k).is_none())
        .cloned()
        .collect()
}

/// Runs the scenario until `target` is met or the ceiling is hit. The first batch has the
/// scenario's (or `opts`') replication count, at least 5.
pub fn run(
    scenario: &Scenario,
    opts: &RunOptions,
    target: &PrecisionTarget,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<Results, ExperimentError> {
    let (first, days, seed) = effective_run(scenario, opts);
    let spec = super::spec_for(scenario, days, seed);
    let ceiling = u64::from(target.max_replications.max(2));
    let mut n = u64::from(first.max(5)).min(ceiling);
    progress.start(n);
    let mut reps =
        replicate::run_all(&scenario.model, 0..n, &spec, opts.threads, progress, cancel)?;
    loop {
        let mut results = summarise(scenario, seed, days, reps.clone());
        let achieved: Vec<(String, Option<f64>)> = target
            .metrics
            .iter()
            .map(|k| {
                let rel = results
                    .metric(k)
                    .and_then(|m| m.estimate)
                    .and_then(|e| e.relative_half_width());
                (k.clone(), rel)
            })
            .collect();
        let reached = achieved
            .iter()
            .all(|(_, r)| r.is_some_and(|r| r <= target.relative_half_width));
        if reached || n >= ceiling || !unknown_metrics(&results, target).is_empty() {
            results.precision = Some(PrecisionReport {
                target: target.clone(),
                reached,
                achieved,
            });
            return Ok(results);
        }
        // Replications needed by the worst metric, from n·(h/h*)², with 10 % to spare.
        let worst = achieved
            .iter()
            .map(|(_, r)| r.unwrap_or(f64::INFINITY))
            .fold(0.0, f64::max);
        let ratio = (worst / target.relative_half_width).powi(2);
        let wanted = if ratio.is_finite() {
            (n as f64 * ratio * 1.1).ceil() as u64
        } else {
            2 * n
        };
        let next = wanted.clamp(n + 1, ceiling);
        progress.start(next);
        let more = replicate::run_all(
            &scenario.model,
            n..next,
            &spec,
            opts.threads,
            progress,
            cancel,
        )?;
        reps.extend(more);
        n = next;
    }
}
