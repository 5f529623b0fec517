//! The command line: parses arguments, runs commands, prints results and maps errors to exit
//! codes (2 for input the user must fix, 130 when interrupted, 1 otherwise). Only this module
//! prints.

/// Prints a line on stdout, ignoring a closed pipe (as in `imfsim run … | head`), which must
/// not turn a finished run into a crash.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

pub mod args;
pub mod progress;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use clap::Parser;

use crate::error::Error;
use crate::experiment::precision::{self, PrecisionTarget};
use crate::experiment::{self, RunOptions};
use crate::report;
use crate::scenario;
use args::{Cli, Command, RunArgs};

/// Entry point of the `imfsim` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn dispatch(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Run {
            scenario,
            opts,
            precision,
            metrics,
            max_replications,
            batches,
        } => {
            let target = precision.map(|p| PrecisionTarget {
                relative_half_width: p,
                metrics: if metrics.is_empty() {
                    vec![DEFAULT_PRECISION_METRIC.to_string()]
                } else {
                    metrics
                },
                max_replications,
            });
            run(&scenario, &opts, target.as_ref(), batches)
        }
        Command::Check { scenario } => check(&scenario),
        Command::Compare { scenarios, opts } => compare(&scenarios, &opts),
        Command::Sweep {
            scenario,
            vary,
            objective,
            minimize,
            opts,
        } => sweep(&scenario, &vary, objective, minimize, &opts),
        Command::Optimize {
            scenario,
            budget,
            objective,
            minimize,
            vary,
            final_replications,
            opts,
        } => optimize(
            &scenario,
            budget,
            objective,
            minimize,
            &vary,
            final_replications,
            &opts,
        ),
        Command::Sensitivity {
            scenario,
            objective,
            opts,
        } => sensitivity(&scenario, objective, &opts),
        Command::Report { dir } => {
            let written = report::document::rewrite(&dir)?;
            say!(
                "wrote {}",
                written
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Ok(())
        }
        Command::Schema => {
            let schema = scenario::raw::json_schema();
            say!(
                "{}",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            );
            Ok(())
        }
    }
}

/// A flag set by Ctrl-C; the first press asks workers to stop, results are not written.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    let _ = ctrlc::set_handler(move || f.store(true, Ordering::Relaxed));
    flag
}

fn options(a: &RunArgs) -> RunOptions {
    RunOptions {
        replications: a.replications,
        days: a.days,
        seed: a.seed,
        threads: a.threads.map(|t| t as usize),
    }
}

fn out_dir(a: &RunArgs, name: &str) -> PathBuf {
    a.out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(name))
}

fn check(path: &Path) -> Result<(), Error> {
    let s = scenario::load(path)?;
    let loads =
        crate::model::capacity::loads(&s.model, &crate::model::capacity::expected_flows(&s.model));
    let (reps, days, seed) = experiment::effective_run(&s, &RunOptions::default());
    say!(
        "{}: valid scenario \"{}\" ({} streams; {reps} replications of {days} days after a {} warm-up, seed {seed})",
        path.display(),
        s.name,
        s.model.streams.len(),
        s.run.warmup,
    );
    say!("expected load (work offered a day against capacity, from the configured flows):");
    for l in &loads {
        say!(
            "  {:<9} {:>10.1} offered / {:>10.1} capacity = {:>6.1} %",
            l.stage,
            l.demand_per_day,
            l.capacity_per_day,
            l.ratio() * 100.0
        );
    }
    if let Some(w) = crate::model::capacity::overload_warning(&loads, 1.0) {
        eprintln!("warning: {w}");
    }
    Ok(())
}

/// The metric `--precision` targets when no `--metric` is given.
const DEFAULT_PRECISION_METRIC: &str = "stream.all.inspected_share";

fn run(
    path: &Path,
    a: &RunArgs,
    target: Option<&PrecisionTarget>,
    batches: Option<u32>,
) -> Result<(), Error> {
    let s = scenario::load(path)?;
    let dir = out_dir(a, &s.name);
    report::check_target(&dir, a.force)?;
    let opts = options(a);
    let (reps, days, seed) = experiment::effective_run(&s, &opts);
    let reps_text = match (target, batches) {
        (_, Some(b)) => format!("one long replication in {b} batches"),
        (Some(t), None) => format!(
            "replications until ±{} % precision (at most {})",
            t.relative_half_width * 100.0,
            t.max_replications
        ),
        (None, None) => format!("{reps} replications"),
    };
    eprintln!(
        "imfsim: running \"{}\": {reps_text} × {days} days (+{} warm-up), seed {seed}",
        s.name, s.run.warmup
    );
    let started = Instant::now();
    let bar = progress::Bar::new(&s.name);
    let cancel = interrupt_flag();
    let results = match (target, batches) {
        (Some(t), _) => precision::run(&s, &opts, t, &bar, &cancel),
        (None, Some(b)) => experiment::run_batch_means(&s, &opts, b, &bar, &cancel),
        (None, None) => experiment::run(&s, &opts, &bar, &cancel),
    };
    bar.finish();
    let results = results?;
    if let Some(t) = target {
        let unknown = precision::unknown_metrics(&results, t);
        if !unknown.is_empty() {
            return Err(Error::Usage(format!(
                "--metric {}: no such metric; metric keys are group.entity.name as listed in \
                 summary.csv, e.g. stream.all.inspected_share, stage.xray.mean_wait_h",
                unknown.join(", ")
            )));
        }
    }
    let elapsed = started.elapsed();
    let files = report::analysis::annotate_run(&s, report::render(&results)?)?;
    report::write_folder(&dir, &report::document::with_report(files)?, a.force)?;
    say!("{}", report::table::render(&results));
    if let Some(p) = &results.precision {
        let status = if p.reached {
            "reached"
        } else {
            "NOT reached (replication ceiling hit)"
        };
        say!(
            "precision target ±{:.1} % of the mean {status} with {} replications:",
            p.target.relative_half_width * 100.0,
            results.replications.len()
        );
        for (key, rel) in &p.achieved {
            let rel = rel.map_or("undefined".to_string(), |r| format!("±{:.2} %", r * 100.0));
            say!("  {key}: {rel}");
        }
    }
    if let experiment::Method::BatchMeans {
        lag1_autocorrelation,
    } = results.method
    {
        let r = lag1_autocorrelation.map_or("undefined".into(), |r| format!("{r:.2}"));
        say!(
            "batch means: {} batches; lag-1 autocorrelation of {} across batches = {r}",
            results.replications.len(),
            experiment::BATCH_CHECK_METRIC
        );
    }
    for w in results.bottleneck.iter().chain(&results.notes) {
        eprintln!("warning: {w}");
    }
    if let Some(advice) = &results.warmup_advice {
        eprintln!("warning: {advice}");
    }
    let events: u64 = results.replications.iter().map(|r| r.events).sum();
    say!(
        "{} replications in {:.1} s ({:.1} M events/s); results in {}",
        results.replications.len(),
        elapsed.as_secs_f64(),
        events as f64 / elapsed.as_secs_f64().max(1e-9) / 1e6,
        dir.display()
    );
    Ok(())
}

/// The objective: `--objective`, else the scenario's `sweep.objective`, else seizures a year.
fn objective_for(s: &scenario::Scenario, given: Option<String>) -> String {
    given
        .or_else(|| s.sweep.objective.clone())
        .unwrap_or_else(|| DEFAULT_OBJECTIVE.to_string())
}

/// The objective when neither the command line nor the scenario names one.
const DEFAULT_OBJECTIVE: &str = "stream.all.seized_per_year";

/// Fails with a usage error if `key` is not a metric of `results`.
fn require_metric(results: &experiment::Results, key: &str, flag: &str) -> Result<(), Error> {
    if results.metric(key).is_some() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{flag} {key}: no such metric; metric keys are group.entity.name as listed in \
         summary.csv, e.g. stream.all.seized_per_year, contraband.fentanyl.seized_kg_per_year"
    )))
}

/// `--vary lever=spec` values, or the scenario's `[sweep]` levers.
fn levers(
    s: &scenario::Scenario,
    vary: &[String],
) -> Result<Vec<(scenario::Lever, Vec<u32>)>, Error> {
    if vary.is_empty() {
        if s.sweep.levers.is_empty() {
            return Err(Error::Usage(format!(
                "{}: no levers to vary: add a [sweep] table with levers, or pass --vary \
                 LEVER=VALUES (e.g. --vary xray.machines=1..=4); levers: {}",
                s.path.display(),
                scenario::Lever::names()
            )));
        }
        return Ok(s.sweep.levers.clone());
    }
    let levers: Vec<(scenario::Lever, Vec<u32>)> = vary
        .iter()
        .map(|v| parse_vary(v))
        .collect::<Result<_, _>>()?;
    for (i, (l, _)) in levers.iter().enumerate() {
        if levers[..i].iter().any(|(m, _)| m == l) {
            return Err(Error::Usage(format!(
                "--vary {}: given twice; give each lever once",
                l.key()
            )));
        }
    }
    let mixes = levers
        .iter()
        .fold(1usize, |n, (_, v)| n.saturating_mul(v.len()));
    if mixes > scenario::economics::MAX_GRID {
        return Err(Error::Usage(format!(
            "--vary: {mixes} combinations; at most {} mixes may be swept at once",
            scenario::economics::MAX_GRID
        )));
    }
    Ok(levers)
}

/// Parses `lever=1..=4`, `lever=1..5` (end excluded) or `lever=1,2,4`.
fn parse_vary(text: &str) -> Result<(scenario::Lever, Vec<u32>), Error> {
    let bad = |why: &str| {
        Error::Usage(format!(
            "--vary {text}: {why}; write LEVER=A..=B, LEVER=A..B or LEVER=A,B,C with whole \
             numbers, LEVER one of {}",
            scenario::Lever::names()
        ))
    };
    let (name, spec) = text.split_once('=').ok_or_else(|| bad("missing '='"))?;
    let lever = scenario::Lever::parse(name.trim()).ok_or_else(|| bad("unknown lever"))?;
    let num = |t: &str| {
        t.trim()
            .parse::<u32>()
            .map_err(|_| bad("not a whole number ≥ 0"))
    };
    let values: Vec<u32> = if let Some((a, b)) = spec.split_once("..=") {
        (num(a)?..=num(b)?).collect()
    } else if let Some((a, b)) = spec.split_once("..") {
        (num(a)?..num(b)?).collect()
    } else {
        spec.split(',').map(num).collect::<Result<_, _>>()?
    };
    if values.is_empty() {
        return Err(bad("the range is empty"));
    }
    if values.len() > scenario::economics::MAX_GRID {
        return Err(bad("too many values"));
    }
    Ok((lever, values))
}

fn start(label: &str, what: String) -> (progress::Bar, Arc<AtomicBool>, Instant) {
    eprintln!("imfsim: {what}");
    (progress::Bar::new(label), interrupt_flag(), Instant::now())
}

fn compare(paths: &[PathBuf], a: &RunArgs) -> Result<(), Error> {
    let scenarios = paths
        .iter()
        .map(|p| scenario::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("compare_{}", names.join("_vs_"))));
    report::check_target(&dir, a.force)?;
    let opts = options(a);
    let (bar, cancel, t0) = start(
        "compare",
        format!("comparing {} on common random numbers", names.join(", ")),
    );
    let results = experiment::compare::run_all(&scenarios, &opts, &bar, &cancel);
    bar.finish();
    let results = results?;
    let diffs: Vec<_> = results
        .iter()
        .map(|r| experiment::compare::differences(&results[0], r))
        .collect();
    let files = report::analysis::compare(&scenarios, &results, &diffs)?;
    report::write_folder(&dir, &report::document::with_report(files)?, a.force)?;
    say!("{}", report::table::compare(&results, &diffs));
    say!(
        "compared {} scenarios in {:.1} s; results in {}",
        results.len(),
        t0.elapsed().as_secs_f64(),
        dir.display()
    );
    Ok(())
}

fn sweep(
    path: &Path,
    vary: &[String],
    objective: Option<String>,
    minimize: bool,
    a: &RunArgs,
) -> Result<(), Error> {
    let s = scenario::load(path)?;
    let levers = levers(&s, vary)?;
    let objective = objective_for(&s, objective);
    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("{}_sweep", s.name)));
    report::check_target(&dir, a.force)?;
    let mixes: usize = levers.iter().map(|(_, v)| v.len()).product();
    let (bar, cancel, t0) = start(
        &s.name,
        format!("sweeping {mixes} mixes of \"{}\" for {objective}", s.name),
    );
    let result = experiment::sweep::run(
        &s,
        &levers,
        &objective,
        minimize,
        &options(a),
        &bar,
        &cancel,
    );
    bar.finish();
    let result = result.map_err(sweep_error)?;
    require_metric(&result.base.results, &objective, "--objective")?;
    let files = report::analysis::sweep(&s, &result)?;
    report::write_folder(&dir, &report::document::with_report(files)?, a.force)?;
    say!("{}", report::table::sweep(&result));
    say!(
        "{} mixes in {:.1} s; results in {}",
        result.mixes.len(),
        t0.elapsed().as_secs_f64(),
        dir.display()
    );
    Ok(())
}

fn sweep_error(e: experiment::sweep::SweepError) -> Error {
    match e {
        experiment::sweep::SweepError::Run(e) => Error::Experiment(e),
        other => Error::Usage(other.to_string()),
    }
}

#[allow(clippy::too_many_arguments)]
fn optimize(
    path: &Path,
    budget: f64,
    objective: Option<String>,
    minimize: bool,
    vary: &[String],
    final_replications: Option<u32>,
    a: &RunArgs,
) -> Result<(), Error> {
    let s = scenario::load(path)?;
    let objective = objective_for(&s, objective);
    let ranges: Vec<experiment::optimize::Range> = levers(&s, vary)?
        .into_iter()
        .map(|(lever, values)| {
            let min = values.iter().copied().min().unwrap_or(0);
            let max = values.iter().copied().max().unwrap_or(0);
            let step = values
                .windows(2)
                .map(|w| w[1] - w[0])
                .min()
                .unwrap_or(1)
                .max(1);
            let here = scenario::variants::lever_value(&s, lever);
            // The search starts from the scenario's own mix, so its value is always allowed.
            experiment::optimize::Range {
                lever,
                min: min.min(here),
                max: max.max(here),
                step,
            }
        })
        .collect();
    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("{}_optimize", s.name)));
    report::check_target(&dir, a.force)?;
    let opts = options(a);
    let (search_reps, _, _) = experiment::effective_run(&s, &opts);
    let goal = experiment::optimize::Goal {
        objective: objective.clone(),
        minimize,
        budget,
        final_replications: final_replications.unwrap_or((3 * search_reps).max(30)),
        finalists: 3,
    };
    let (bar, cancel, t0) = start(
        &s.name,
        format!(
            "optimising \"{}\" for {} {objective} within ${budget:.0} a year more",
            s.name,
            if minimize { "lowest" } else { "highest" }
        ),
    );
    let result = experiment::optimize::run(&s, &ranges, &goal, &opts, &bar, &cancel);
    bar.finish();
    let result = result.map_err(sweep_error)?;
    require_metric(&result.base.results, &objective, "--objective")?;
    let elapsed = t0.elapsed();
    let files = report::analysis::optimize(&s, &result)?;
    report::write_folder(&dir, &report::document::with_report(files)?, a.force)?;
    say!("{}", report::table::optimize(&result));
    say!(
        "searched {} mixes in {:.1} s; results in {}",
        result.explored.len(),
        elapsed.as_secs_f64(),
        dir.display()
    );
    Ok(())
}

fn sensitivity(path: &Path, objective: Option<String>, a: &RunArgs) -> Result<(), Error> {
    let s = scenario::load(path)?;
    let objective = objective_for(&s, objective);
    let swings = if s.sweep.sensitivity.is_empty() {
        experiment::sensitivity::default_swings(&s)
    } else {
        s.sweep.sensitivity.clone()
    };
    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("{}_sensitivity", s.name)));
    report::check_target(&dir, a.force)?;
    let (bar, cancel, t0) = start(
        &s.name,
        format!(
            "swinging {} inputs of \"{}\" for {objective}",
            swings.len(),
            s.name
        ),
    );
    let result = experiment::sensitivity::run(&s, &swings, &objective, &options(a), &bar, &cancel);
    bar.finish();
    let result = result.map_err(|e| match e {
        experiment::sensitivity::SensitivityError::Run(e) => Error::Experiment(e),
        other => Error::Usage(other.to_string()),
    })?;
    require_metric(&result.base, &objective, "--objective")?;
    let files = report::analysis::sensitivity(&s, &result)?;
    report::write_folder(&dir, &report::document::with_report(files)?, a.force)?;
    say!("{}", report::table::sensitivity(&result));
    say!(
        "{} inputs in {:.1} s; results in {}",
        swings.len(),
        t0.elapsed().as_secs_f64(),
        dir.display()
    );
    Ok(())
}
