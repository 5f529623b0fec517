//! The command line: parses arguments, runs commands, prints results and maps errors to exit
//! codes (2 for input the user must fix, 130 when interrupted, 1 otherwise). Only this module
//! prints.

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
            run(&scenario, &opts, target.as_ref())
        }
        Command::Check { scenario } => check(&scenario),
        Command::Schema => {
            let schema = scenario::raw::json_schema();
            println!(
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
    let (reps, days, seed) = experiment::effective_run(&s, &RunOptions::default());
    println!(
        "{}: valid scenario \"{}\" ({} streams; {reps} replications of {days} days after a {} warm-up, seed {seed})",
        path.display(),
        s.name,
        s.model.streams.len(),
        s.run.warmup,
    );
    Ok(())
}

/// The metric `--precision` targets when no `--metric` is given.
const DEFAULT_PRECISION_METRIC: &str = "stream.all.inspected_share";

fn run(path: &Path, a: &RunArgs, target: Option<&PrecisionTarget>) -> Result<(), Error> {
    let s = scenario::load(path)?;
    let dir = out_dir(a, &s.name);
    report::check_target(&dir, a.force)?;
    let opts = options(a);
    let (reps, days, seed) = experiment::effective_run(&s, &opts);
    let reps_text = match target {
        Some(t) => format!(
            "replications until ±{} % precision (at most {})",
            t.relative_half_width * 100.0,
            t.max_replications
        ),
        None => format!("{reps} replications"),
    };
    eprintln!(
        "imfsim: running \"{}\": {reps_text} × {days} days (+{} warm-up), seed {seed}",
        s.name, s.run.warmup
    );
    let started = Instant::now();
    let bar = progress::Bar::new(&s.name);
    let cancel = interrupt_flag();
    let results = match target {
        Some(t) => precision::run(&s, &opts, t, &bar, &cancel),
        None => experiment::run(&s, &opts, &bar, &cancel),
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
    let files = report::render(&results)?;
    report::write_folder(&dir, &files, a.force)?;
    println!("{}", report::table::render(&results));
    if let Some(p) = &results.precision {
        let status = if p.reached {
            "reached"
        } else {
            "NOT reached (replication ceiling hit)"
        };
        println!(
            "precision target ±{:.1} % of the mean {status} with {} replications:",
            p.target.relative_half_width * 100.0,
            results.replications.len()
        );
        for (key, rel) in &p.achieved {
            let rel = rel.map_or("undefined".to_string(), |r| format!("±{:.2} %", r * 100.0));
            println!("  {key}: {rel}");
        }
    }
    if let Some(advice) = &results.warmup_advice {
        eprintln!("warning: {advice}");
    }
    let events: u64 = results.replications.iter().map(|r| r.events).sum();
    println!(
        "{} replications in {:.1} s ({:.1} M events/s); results in {}",
        results.replications.len(),
        elapsed.as_secs_f64(),
        events as f64 / elapsed.as_secs_f64().max(1e-9) / 1e6,
        dir.display()
    );
    Ok(())
}
