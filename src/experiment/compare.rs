//! Comparing scenarios on common random numbers: every scenario runs the same replication
//! indices with the same seed, so replication `i` of each sees the same mail and ground truth,
//! and each metric's difference from the first scenario gets a paired confidence interval.

use std::sync::atomic::AtomicBool;

use super::{CONFIDENCE, ExperimentError, Progress, Results, RunOptions};
use crate::scenario::Scenario;
use crate::stats::{Estimate, paired_difference};

/// One metric of one scenario against the first (the base).
#[derive(Clone, Debug)]
pub struct Difference {
    /// Metric key `group.entity.name`.
    pub key: String,
    /// Unit.
    pub unit: &'static str,
    /// The base scenario's estimate.
    pub base: Option<Estimate>,
    /// This scenario's estimate.
    pub other: Option<Estimate>,
    /// Paired estimate of `other − base` over replications where both are defined.
    pub difference: Option<Estimate>,
}

impl Difference {
    /// Whether the 95 % CI of the difference excludes zero.
    pub fn significant(&self) -> bool {
        self.difference.is_some_and(|d| d.is_significant())
    }
}

/// Paired differences of every metric of `other` against `base` (matched by key and by
/// replication index).
pub fn differences(base: &Results, other: &Results) -> Vec<Difference> {
    other
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let key = m.key();
            let base_index = base.metrics.iter().position(|b| b.key() == key);
            let pairs: Vec<(f64, f64)> = match base_index {
                Some(j) => base
                    .replications
                    .iter()
                    .zip(&other.replications)
                    .map(|(b, o)| (b.metrics[j].value, o.metrics[i].value))
                    .filter(|(a, b)| a.is_finite() && b.is_finite())
                    .collect(),
                None => Vec::new(),
            };
            let (a, b): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
            Difference {
                key,
                unit: m.unit,
                base: base_index.and_then(|j| base.metrics[j].estimate),
                other: m.estimate,
                difference: paired_difference(&a, &b, CONFIDENCE),
            }
        })
        .collect()
}

/// Runs every scenario on common random numbers: the seed, replications and days of the
/// first scenario (unless `opts` overrides them) are used for all.
pub fn run_all(
    scenarios: &[Scenario],
    opts: &RunOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<Vec<Results>, ExperimentError> {
    let Some(first) = scenarios.first() else {
        return Ok(Vec::new());
    };
    let (reps, days, seed) = super::effective_run(first, opts);
    let common = RunOptions {
        replications: Some(reps),
        days: Some(days),
        seed: Some(seed),
        threads: opts.threads,
    };
    progress.start(u64::from(reps) * scenarios.len() as u64);
    scenarios
        .iter()
        .map(|s| super::run_quietly(s, &common, progress, cancel))
        .collect()
}
