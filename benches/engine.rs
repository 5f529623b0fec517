//! Core throughput: an M/M/c queue written as a tiny [`Model`] on the engine alone (event list,
//! run loop, counted [`Resource`] with its statistics, exponential [`Distribution`]s, a named
//! random stream). No IMF code is involved.
//!
//! Reported as events per second (criterion "elements"); target ≥ 10 million on one thread.
//! Run: `cargo bench --bench engine`. A one-shot figure without criterion's statistics:
//! `cargo bench --bench engine -- --quick`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imfsim::engine::{
    Context, DistSpec, Distribution, EventClass, Model, Resource, SimDuration, SimTime, Simulation,
    StreamRng, stream,
};

/// Servers.
const C: u32 = 10;
/// Mean interarrival time [s]: arrival rate 1/s.
const MEAN_INTERARRIVAL_S: f64 = 1.0;
/// Mean service time [s]: utilisation ρ = 9 / 10 = 0.9.
const MEAN_SERVICE_S: f64 = 9.0;
/// Simulated horizon per iteration: 500,000 s ≈ 1,000,000 events (one arrival and one
/// departure per customer).
const HORIZON: SimTime = SimTime::from_ms(500_000_000);

#[derive(Clone, Copy, Debug)]
enum Ev {
    Arrival,
    Departure,
}

struct Mmc {
    line: Resource<u32>,
    interarrival: Distribution,
    service: Distribution,
    rng_arrivals: StreamRng,
    rng_service: StreamRng,
    next_id: u32,
}

impl Mmc {
    fn new(seed: u64) -> Self {
        let exp = |mean| Distribution::new(DistSpec::Exponential { mean }).expect("valid mean");
        Mmc {
            line: Resource::new(C, 1, SimTime::ZERO),
            interarrival: exp(MEAN_INTERARRIVAL_S),
            service: exp(MEAN_SERVICE_S),
            rng_arrivals: stream(seed, 0, "arrivals"),
            rng_service: stream(seed, 0, "service"),
            next_id: 0,
        }
    }

    fn start_waiting(&mut self, cx: &mut Context<'_, Ev>) {
        while self.line.next_start(cx.now()).is_some() {
            let d = SimDuration::from_secs_f64(self.service.sample(&mut self.rng_service));
            cx.schedule_in_class(d, EventClass::Release, Ev::Departure);
        }
    }
}

impl Model for Mmc {
    type Event = Ev;

    fn handle(&mut self, event: Ev, cx: &mut Context<'_, Ev>) {
        match event {
            Ev::Arrival => {
                self.line.request(cx.now(), self.next_id, 0);
                self.next_id = self.next_id.wrapping_add(1);
                let d =
                    SimDuration::from_secs_f64(self.interarrival.sample(&mut self.rng_arrivals));
                cx.schedule(d, Ev::Arrival);
            }
            Ev::Departure => self.line.release(cx.now(), 1),
        }
        self.start_waiting(cx);
    }
}

/// Runs one M/M/c replication to `HORIZON`; returns (events handled, mean wait [s]).
fn run(seed: u64) -> (u64, f64) {
    let mut sim = Simulation::new(Mmc::new(seed));
    sim.schedule_at(SimTime::ZERO, EventClass::Normal, Ev::Arrival)
        .expect("time zero is not in the past");
    sim.run_until(HORIZON);
    let wait = sim.model().line.summary(HORIZON).mean_wait_s.unwrap_or(0.0);
    (sim.events_handled(), wait)
}

fn mmc(c: &mut Criterion) {
    let (events, wait) = run(1);
    // Sanity check against Erlang C: for c = 10, ρ = 0.9, E[Wq] = 6.02 s (± sampling noise).
    assert!(
        (4.0..8.5).contains(&wait),
        "M/M/10 mean wait {wait} s is far from 6.0 s"
    );
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(events));
    g.sample_size(20);
    g.bench_function("mm10_rho0.9_events", |b| {
        b.iter(|| black_box(run(black_box(1))))
    });
    g.finish();
}

criterion_group!(benches, mmc);
criterion_main!(benches);
