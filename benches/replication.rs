//! Whole-model throughput.
//!
//! * `jfk_day`: one simulated day of the JFK baseline (`scenarios/jfk_baseline.toml`; while that
//!   file does not exist, the stand-in `scenarios/bench/jfk_like.toml`, ~1,000,000 items/day),
//!   from an empty facility, as items per second and as events per second.
//! * `peer_day`: one simulated day of the SimPy peer's facility (`scenarios/bench/simpy_peer.toml`,
//!   200,000 items/day, every item through the portal on its own: the event-heavy case).
//! * `baseline_run`: the baseline's full experiment (its replications and days, warm-up
//!   included, no files written) on 1 and 2 worker threads; the 1→2 thread speed-up is printed at
//!   the end (median wall time of each, measured in the same process). Set `IMFSIM_BENCH_DAYS`
//!   to shorten the observed days.
//!
//! `IMFSIM_BENCH_BASELINE=path/to/scenario.toml` replaces the baseline scenario.
//!
//! Run: `cargo bench --bench replication` (all) or `cargo bench --bench replication -- jfk_day`.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imfsim::engine::SimDuration;
use imfsim::experiment::{self, NoProgress, RunOptions};
use imfsim::model::{RunSpec, run_replication};
use imfsim::scenario::{self, Scenario};

/// The baseline: `IMFSIM_BENCH_BASELINE` if set, else the real JFK scenario when present, else
/// the benchmark stand-in.
fn baseline() -> Scenario {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let real = root.join("scenarios/jfk_baseline.toml");
    let path = match std::env::var_os("IMFSIM_BENCH_BASELINE") {
        Some(p) => PathBuf::from(p),
        None if real.exists() => real,
        None => root.join("scenarios/bench/jfk_like.toml"),
    };
    eprintln!("baseline scenario: {}", path.display());
    scenario::load(&path).unwrap_or_else(|e| panic!("{e:#}"))
}

fn peer() -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/bench/simpy_peer.toml");
    scenario::load(&path).unwrap_or_else(|e| panic!("{e:#}"))
}

/// One day from empty, replication 0 of the scenario's seed.
fn one_day(s: &Scenario) -> RunSpec {
    RunSpec {
        seed: s.run.seed,
        replication: 0,
        horizon: SimDuration::from_days(1),
        warmup: SimDuration::ZERO,
    }
}

/// Benchmarks one simulated day of `s` under `name`, as items/s and events/s.
fn day(c: &mut Criterion, name: &str, s: &Scenario) {
    let spec = one_day(s);
    let first = run_replication(&s.model, spec).expect("the day runs");
    eprintln!(
        "{name}: {} items and {} events in one simulated day",
        first.items_arrived, first.events
    );
    let mut g = c.benchmark_group(name);
    g.sample_size(20);
    g.throughput(Throughput::Elements(first.items_arrived));
    g.bench_function("items", |b| {
        b.iter(|| black_box(run_replication(&s.model, black_box(spec))))
    });
    g.throughput(Throughput::Elements(first.events));
    g.bench_function("events", |b| {
        b.iter(|| black_box(run_replication(&s.model, black_box(spec))))
    });
    g.finish();
}

fn jfk_day(c: &mut Criterion) {
    day(c, "jfk_day", &baseline());
}

fn peer_day(c: &mut Criterion) {
    day(c, "peer_day", &peer());
}

/// The median, or `None` when nothing was measured (the group was filtered out).
fn median(mut v: Vec<Duration>) -> Option<Duration> {
    v.sort();
    v.get(v.len() / 2).copied()
}

fn baseline_run(c: &mut Criterion) {
    let s = baseline();
    let days = std::env::var("IMFSIM_BENCH_DAYS")
        .ok()
        .and_then(|d| d.parse().ok());
    let cancel = AtomicBool::new(false);
    let times: [Mutex<Vec<Duration>>; 2] = Default::default();
    let mut g = c.benchmark_group("baseline_run");
    g.sample_size(10);
    for (i, threads) in [1usize, 2].into_iter().enumerate() {
        let opts = RunOptions {
            days,
            threads: Some(threads),
            ..RunOptions::default()
        };
        g.bench_function(format!("threads_{threads}"), |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    let r =
                        experiment::run(&s, &opts, &NoProgress, &cancel).expect("the run finishes");
                    black_box(r);
                }
                let total = start.elapsed();
                if let Ok(mut t) = times[i].lock() {
                    t.push(total / iters.max(1) as u32);
                }
                total
            });
        });
    }
    g.finish();
    let [one, two] = times.map(|t| median(t.into_inner().unwrap_or_default()));
    if let (Some(one), Some(two)) = (one, two) {
        eprintln!(
            "baseline_run: median {:.3} s on 1 thread, {:.3} s on 2 threads: speed-up {:.2}x",
            one.as_secs_f64(),
            two.as_secs_f64(),
            one.as_secs_f64() / two.as_secs_f64()
        );
    }
}

criterion_group!(benches, jfk_day, peer_day, baseline_run);
criterion_main!(benches);
