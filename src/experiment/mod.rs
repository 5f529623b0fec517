//! Experiments: many replications of one scenario, run in parallel, summarised with confidence
//! intervals. Each replication draws from its own random streams, derived from the seed and its
//! index, and results are collected in index order, so the output does not depend on the number
//! of threads. Progress is reported through the [`Progress`] callback; this module never prints.

pub mod compare;
pub mod economics;
pub mod optimize;
pub mod precision;
pub mod replicate;
pub mod sensitivity;
pub mod sweep;

use std::sync::atomic::{AtomicBool, Ordering};

use crate::engine::SimDuration;
use crate::model::capacity::{Flows, Load, loads, overload_warning};
use crate::model::results::ReplicationResult;
use crate::model::{RunError, RunSpec};
use crate::scenario::Scenario;
use crate::stats::{Estimate, estimate, mser5};

/// Confidence level of every interval imfsim reports.
pub const CONFIDENCE: f64 = 0.95;

/// Overrides of the scenario's `[run]` table, e.g. from the command line.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// Replications (default: the scenario's).
    pub replications: Option<u32>,
    /// Days after warm-up (default: the scenario's).
    pub days: Option<u32>,
    /// Master seed (default: the scenario's).
    pub seed: Option<u64>,
    /// Worker threads (default: one per core).
    pub threads: Option<usize>,
}

/// Receives progress; every hook does nothing by default. Called from worker threads.
pub trait Progress: Sync {
    /// The experiment will run `total` replications.
    fn start(&self, _total: u64) {}
    /// One replication finished.
    fn replication_done(&self) {}
}

/// A progress sink that ignores everything.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Why an experiment did not finish.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExperimentError {
    /// A replication stopped early (too many items inside).
    #[error(transparent)]
    Run(#[from] RunError),
    /// The run was cancelled (Ctrl-C) before it finished.
    #[error("the run was interrupted before it finished; no results were written")]
    Cancelled,
    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads: {reason}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Why not.
        reason: String,
    },
    /// An item went missing: a bug, reported rather than hidden.
    #[error("accounting check failed in replication {replication}: {details}")]
    Conservation {
        /// Replication index.
        replication: u64,
        /// Which streams and counts.
        details: String,
    },
}

/// Where the "replications" behind each interval come from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    /// Independent replications (the default).
    Replications,
    /// Batches of one long run (`run --batches N`).
    BatchMeans {
        /// Lag-1 autocorrelation of the batch means of `stream.all.inspected_share`; near 0
        /// when batches are long enough to be treated as independent.
        lag1_autocorrelation: Option<f64>,
    },
}

/// The metric whose batch means are checked for independence.
pub const BATCH_CHECK_METRIC: &str = "stream.all.inspected_share";

/// Runs one long replication cut into `batches` batches and summarises the batch means
/// (the batch-means method): an alternative to independent replications when a long warm-up
/// makes many replications costly.
pub fn run_batch_means(
    scenario: &Scenario,
    opts: &RunOptions,
    batches: u32,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<Results, ExperimentError> {
    let (_, days, seed) = effective_run(scenario, opts);
    progress.start(1);
    if cancel.load(Ordering::Relaxed) {
        return Err(ExperimentError::Cancelled);
    }
    let reps =
        crate::model::run_batches(&scenario.model, spec_for(scenario, days, seed)(0), batches)?;
    if let Some(bad) = reps.iter().find(|r| !r.conservation_errors.is_empty()) {
        return Err(ExperimentError::Conservation {
            replication: 0,
            details: bad.conservation_errors.join("; "),
        });
    }
    progress.replication_done();
    let values: Vec<f64> = reps
        .iter()
        .filter_map(|r| r.metrics.iter().find(|m| m.key() == BATCH_CHECK_METRIC))
        .map(|m| m.value)
        .collect();
    let mut results = summarise(scenario, seed, days, reps);
    let lag1 = crate::stats::lag1_autocorrelation(&values);
    results.method = Method::BatchMeans {
        lag1_autocorrelation: lag1,
    };
    let batches = batches.max(1);
    if !days.is_multiple_of(batches) || !(days / batches).is_multiple_of(7) {
        results.notes.push(format!(
            "{days} days in {batches} batches is not a whole number of weeks per batch; weekly \
             patterns (weekend shifts) make such batches differ systematically"
        ));
    }
    if lag1.is_some_and(|r| r > 0.2) {
        results.notes.push(format!(
            "batch means are correlated (lag-1 autocorrelation of {BATCH_CHECK_METRIC} > 0.2): \
             use fewer, longer batches or more days"
        ));
    }
    Ok(results)
}

/// One metric across replications.
#[derive(Clone, Debug)]
pub struct MetricSummary {
    /// Group (`stream`, `stage`, `resource`, `facility`, `contraband`).
    pub group: &'static str,
    /// Entity within the group.
    pub entity: String,
    /// Metric name.
    pub name: &'static str,
    /// Unit.
    pub unit: &'static str,
    /// Mean and confidence interval over the replications where it was defined (`None` if it
    /// was defined in none).
    pub estimate: Option<Estimate>,
}

impl MetricSummary {
    /// `group.entity.name`.
    pub fn key(&self) -> String {
        format!("{}.{}.{}", self.group, self.entity, self.name)
    }
}

/// Everything an experiment produced.
#[derive(Clone, Debug)]
pub struct Results {
    /// Scenario name.
    pub scenario: String,
    /// Scenario description.
    pub description: String,
    /// SHA-256 of the scenario file.
    pub content_hash: String,
    /// Master seed used.
    pub seed: u64,
    /// Days observed after warm-up.
    pub days: u32,
    /// Warm-up excluded.
    pub warmup: SimDuration,
    /// Per-replication results, in index order.
    pub replications: Vec<ReplicationResult>,
    /// Every metric with its estimate, in a fixed order.
    pub metrics: Vec<MetricSummary>,
    /// Warm-up advice when the chosen warm-up looks too short.
    pub warmup_advice: Option<String>,
    /// Outcome of a precision request (`run --precision`), if one was made.
    pub precision: Option<precision::PrecisionReport>,
    /// How the confidence intervals were obtained.
    pub method: Method,
    /// Measured load against capacity of each stage and of the officers.
    pub loads: Vec<Load>,
    /// The worst stage whose measured demand exceeds its capacity, in words.
    pub bottleneck: Option<String>,
    /// Other cautions about how the figures were obtained.
    pub notes: Vec<String>,
}

impl Results {
    /// The metric with key `group.entity.name`.
    pub fn metric(&self, key: &str) -> Option<&MetricSummary> {
        self.metrics.iter().find(|m| m.key() == key)
    }
}

/// The run settings after applying `opts` to the scenario's `[run]`.
pub fn effective_run(scenario: &Scenario, opts: &RunOptions) -> (u32, u32, u64) {
    (
        opts.replications.unwrap_or(scenario.run.replications),
        opts.days.unwrap_or(scenario.run.days),
        opts.seed.unwrap_or(scenario.run.seed),
    )
}

/// Runs the scenario's replications and summarises them.
pub fn run(
    scenario: &Scenario,
    opts: &RunOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<Results, ExperimentError> {
    let (replications, _, _) = effective_run(scenario, opts);
    progress.start(u64::from(replications));
    run_quietly(scenario, opts, progress, cancel)
}

/// The run of replication `r`: seed, horizon and warm-up.
pub(crate) fn spec_for(
    scenario: &Scenario,
    days: u32,
    seed: u64,
) -> impl Fn(u64) -> RunSpec + Sync {
    let warmup = scenario.run.warmup;
    move |r| RunSpec {
        seed,
        replication: r,
        horizon: warmup + SimDuration::from_days(u64::from(days)),
        warmup,
    }
}

/// Like [`run`], without announcing the replication count to `progress` (for callers that
/// run several experiments under one progress display).
pub fn run_quietly(
    scenario: &Scenario,
    opts: &RunOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<Results, ExperimentError> {
    let (replications, days, seed) = effective_run(scenario, opts);
    let spec = spec_for(scenario, days, seed);
    let results = replicate::run_all(
        &scenario.model,
        0..u64::from(replications),
        spec,
        opts.threads,
        progress,
        cancel,
    )?;
    if cancel.load(Ordering::Relaxed) {
        return Err(ExperimentError::Cancelled);
    }
    Ok(summarise(scenario, seed, days, results))
}

/// Builds [`Results`] from finished replications (all with the same metric order), adding
/// each replication's yearly cost and benefit measures as metrics (see [`economics`]).
pub fn summarise(
    scenario: &Scenario,
    seed: u64,
    days: u32,
    mut reps: Vec<ReplicationResult>,
) -> Results {
    for r in &mut reps {
        economics::annotate(scenario, r);
    }
    let metrics = summarise_metrics(&reps);
    let warmup_advice = warmup_advice(&reps, scenario.run.warmup);
    let mean = |key: &str| {
        metrics
            .iter()
            .find(|m| m.key() == key)
            .and_then(|m| m.estimate)
            .map_or(0.0, |e| e.mean)
    };
    let flows = Flows {
        portal: mean("stage.portal.arrivals_per_day"),
        xray: mean("stage.xray.arrivals_per_day"),
        exam: mean("stage.exam.arrivals_per_day"),
        chem: mean("stage.chem.arrivals_per_day"),
        lab: mean("stage.lab.arrivals_per_day"),
        seizure: mean("stage.seizure.arrivals_per_day"),
    };
    let loads = loads(&scenario.model, &flows);
    let bottleneck = overload_warning(&loads, 1.0);
    Results {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        content_hash: scenario.content_hash.clone(),
        seed,
        days,
        warmup: scenario.run.warmup,
        replications: reps,
        metrics,
        warmup_advice,
        precision: None,
        method: Method::Replications,
        loads,
        bottleneck,
        notes: Vec::new(),
    }
}

/// Mean and CI of every metric across `reps`, skipping replications where it is undefined.
pub fn summarise_metrics(reps: &[ReplicationResult]) -> Vec<MetricSummary> {
    let Some(first) = reps.first() else {
        return Vec::new();
    };
    first
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let values: Vec<f64> = reps
                .iter()
                .filter_map(|r| r.metrics.get(i).map(|x| x.value))
                .filter(|v| v.is_finite())
                .collect();
            MetricSummary {
                group: m.group,
                entity: m.entity.clone(),
                name: m.name,
                unit: m.unit,
                estimate: estimate(&values, CONFIDENCE),
            }
        })
        .collect()
}

/// MSER-5 on the mean daily number of items in custody: if it would delete more days than the
/// warm-up covers, say so.
fn warmup_advice(reps: &[ReplicationResult], warmup: SimDuration) -> Option<String> {
    let days = reps.iter().map(|r| r.daily.in_custody.len()).min()?;
    let mean: Vec<f64> = (0..days)
        .map(|d| reps.iter().map(|r| r.daily.in_custody[d]).sum::<f64>() / reps.len() as f64)
        .collect();
    let cut = mser5(&mean)?;
    let warm_days = warmup.as_days_f64();
    (cut as f64 > warm_days + 0.5).then(|| {
        format!(
            "the number of items in custody is still settling until about day {cut} (MSER-5 on \
             the daily series), but the warm-up is only {warm_days:.1} days: consider \
             run.warmup = \"{cut}d\" or longer"
        )
    })
}
