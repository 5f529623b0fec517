//! Mail arrivals: when batches arrive (flights on a daily schedule, or a Poisson process with an
//! hour-of-day profile), how many items each brings, and what each container holds: items per
//! stream and the ground truth of the few that carry contraband.

use rand::RngExt;
use rand_distr::{Binomial, Distribution as _, Gamma, Poisson};

use super::config::{ArrivalConfig, ArrivalPattern, BatchSize, StreamConfig};
use super::mail::Contraband;
use crate::engine::time::MS_PER_DAY;
use crate::engine::{SimDuration, SimTime, StreamRng};

/// A draw from Binomial(n, p), with the trivial cases short-cut (p is clamped to [0, 1]).
#[inline]
pub fn binomial(rng: &mut StreamRng, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 || p.is_nan() {
        0
    } else if p >= 1.0 {
        n
    } else if n == 1 {
        u64::from(rng.random::<f64>() < p)
    } else {
        binomial_draw(rng, n, p)
    }
}

/// Binomial(n, p) for n ≥ 2 and 0 < p < 1, kept out of line so that [`binomial`]'s trivial
/// cases stay small enough to inline where they are hot (one-item containers).
#[inline(never)]
fn binomial_draw(rng: &mut StreamRng, n: u64, p: f64) -> u64 {
    if let Some(zero) = certain_zero(rng, n, p) {
        return zero;
    }
    Binomial::new(n, p).map_or(0, |b| b.sample(rng))
}

/// A cheap exact short cut for the commonest binomial draw here: a small mean, result 0.
///
/// For `p ≤ 0.5`, `n·p < 10` and `1 - p < 1`, `rand_distr` samples by inversion (BINV): it draws
/// one uniform `u` and returns 0 exactly when `u ≤ (1-p)^n`, a value it computes with `powf`
/// (with `Binomial::new`, a third of the JFK baseline's time went there). Bernoulli's inequality
/// gives `(1-p)^n ≥ 1 - n·p`; the margin of 1e-12 is far above the rounding errors of both sides
/// (≤ 1e-15 here). So when `u ≤ 1 - n·p - 1e-12`, BINV would return 0, and this returns 0
/// without `powf`. The uniform is drawn from a copy of the generator, which replaces it only
/// then; otherwise the caller samples from the untouched generator. Results and generator states
/// are therefore identical to `rand_distr`'s (`binomial_short_cut_is_exact` checks it).
fn certain_zero(rng: &mut StreamRng, n: u64, p: f64) -> Option<u64> {
    let np = n as f64 * p;
    // The last test is rand_distr's `q == 1.0` (it then uses a Poisson method); for p > 0, 1 - p
    // cannot exceed 1.
    if p > 0.5 || np >= 1.0 || 1.0 - p >= 1.0 {
        return None;
    }
    let mut peek = rng.clone();
    let u: f64 = peek.random();
    (u <= 1.0 - np - 1e-12).then(|| {
        *rng = peek;
        0
    })
}

/// A draw from Poisson(mean); 0 for a non-positive mean.
pub fn poisson(rng: &mut StreamRng, mean: f64) -> u64 {
    if mean > 0.0 && mean.is_finite() {
        Poisson::new(mean).map_or(0, |d| d.sample(rng) as u64)
    } else {
        0
    }
}

/// Generates arrival times and batch sizes.
pub struct ArrivalProcess {
    cfg: ArrivalConfig,
    /// Next flight: (day, index in the day's schedule).
    next_flight: (u64, usize),
    /// Highest hour weight × day factor (Poisson thinning bound).
    poisson_peak: f64,
}

impl ArrivalProcess {
    /// An arrival process starting at time zero.
    pub fn new(cfg: &ArrivalConfig) -> Self {
        let peak_day = cfg.day_of_week.iter().copied().fold(0.0, f64::max);
        let poisson_peak = match &cfg.pattern {
            ArrivalPattern::Poisson { hour_weights, .. } => {
                hour_weights.iter().copied().fold(0.0, f64::max) * peak_day
            }
            ArrivalPattern::Flights { .. } => 0.0,
        };
        ArrivalProcess {
            cfg: cfg.clone(),
            next_flight: (0, 0),
            poisson_peak,
        }
    }

    /// The time of the next arrival strictly after `now` (or at `now` for the very first
    /// flight), or `None` if no more mail will ever arrive.
    pub fn next_time(&mut self, now: SimTime, rng: &mut StreamRng) -> Option<SimTime> {
        match &self.cfg.pattern {
            ArrivalPattern::Flights { times, .. } => {
                if times.is_empty() {
                    return None;
                }
                let (day, i) = self.next_flight;
                let at = SimTime::from_days(day) + times[i];
                self.next_flight = if i + 1 == times.len() {
                    (day + 1, 0)
                } else {
                    (day, i + 1)
                };
                Some(at)
            }
            ArrivalPattern::Poisson {
                hour_weights,
                group_size,
            } => {
                let rate_per_ms_peak = self.cfg.items_per_day * self.poisson_peak
                    / f64::from(*group_size)
                    / MS_PER_DAY as f64;
                if rate_per_ms_peak <= 0.0 || !rate_per_ms_peak.is_finite() {
                    return None;
                }
                let mut t = now.as_ms() as f64;
                // Thinning: candidates at the peak rate, accepted in proportion to the rate then.
                for _ in 0..1_000_000 {
                    let u: f64 = rng.random();
                    t += -(1.0 - u).ln() / rate_per_ms_peak;
                    if t >= 1e17 {
                        return None;
                    }
                    let at = SimTime::from_ms(t.ceil() as u64);
                    let rate = hour_weights[at.hour()] * self.cfg.day_of_week[at.weekday()];
                    if rng.random::<f64>() * self.poisson_peak < rate {
                        return Some(at.max(SimTime::from_ms(now.as_ms() + 1)));
                    }
                }
                None
            }
        }
    }

    /// Items in the batch arriving at `at` (a time returned by [`ArrivalProcess::next_time`]).
    pub fn batch_size(&self, at: SimTime, rng: &mut StreamRng) -> u64 {
        let day_factor = self.cfg.day_of_week[at.weekday()];
        match &self.cfg.pattern {
            ArrivalPattern::Flights {
                times,
                weights,
                batch,
            } => {
                let offset = SimDuration::from_ms(at.as_ms() % MS_PER_DAY);
                let i = times.iter().position(|&t| t == offset).unwrap_or(0);
                let mean =
                    self.cfg.items_per_day * day_factor * weights.get(i).copied().unwrap_or(0.0);
                match batch {
                    BatchSize::Poisson => poisson(rng, mean),
                    BatchSize::Fixed => mean.round() as u64,
                    BatchSize::Gamma { cv } => {
                        let shape = 1.0 / (cv * cv);
                        Gamma::new(shape, mean / shape)
                            .map_or(mean, |g| g.sample(rng))
                            .round()
                            .max(0.0) as u64
                    }
                }
            }
            ArrivalPattern::Poisson { group_size, .. } => u64::from(*group_size),
        }
    }
}

/// The content of one container: items per stream and the contraband among them.
#[derive(Clone, Debug, Default)]
pub struct Container {
    /// Items of each stream.
    pub items: Vec<u64>,
    /// `(stream, truth)` of each item holding contraband.
    pub contraband: Vec<(u16, Contraband)>,
}

impl Container {
    /// All items in the container.
    pub fn total(&self) -> u64 {
        self.items.iter().sum()
    }
}

/// Draws the content of a container of `n` items into `c` (whose previous content is discarded,
/// its buffers reused: no allocation per container once warmed up): a multinomial split over the
/// streams' shares, then, per stream and contraband kind, how many items carry it and how much.
/// `kind_ids[s][k]` is the facility-wide index of kind `k` of stream `s`.
pub fn fill_container(
    n: u64,
    streams: &[StreamConfig],
    kind_ids: &[Vec<u16>],
    rng: &mut StreamRng,
    c: &mut Container,
) {
    c.items.clear();
    c.items.resize(streams.len(), 0);
    c.contraband.clear();
    if n == 1 {
        let u: f64 = rng.random();
        let mut acc = 0.0;
        let mut chosen = streams.len() - 1;
        for (s, stream) in streams.iter().enumerate() {
            acc += stream.share;
            if u < acc {
                chosen = s;
                break;
            }
        }
        c.items[chosen] = 1;
    } else {
        let mut left = n;
        let mut mass = 1.0;
        for (s, stream) in streams.iter().enumerate() {
            let k = if s + 1 == streams.len() {
                left
            } else {
                binomial(rng, left, stream.share / mass)
            };
            c.items[s] = k;
            left -= k;
            mass -= stream.share;
            if left == 0 {
                break;
            }
        }
    }
    for (s, stream) in streams.iter().enumerate() {
        let mut free = c.items[s];
        let mut mass = 1.0;
        for (k, kind) in stream.contraband.iter().enumerate() {
            if free == 0 || mass <= 0.0 {
                break;
            }
            let carriers = binomial(rng, free, kind.prevalence / mass);
            mass -= kind.prevalence;
            free -= carriers;
            for _ in 0..carriers {
                c.contraband.push((
                    s as u16,
                    Contraband {
                        kind: kind_ids[s][k],
                        grams: kind.amount_g.sample(rng),
                    },
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stream;

    #[test]
    fn binomial_short_cut_is_exact() {
        // Against rand_distr on the same generator: same value and same generator state after,
        // for means below, around and above the short cut's range, p near 0.5, and p so small
        // that rand_distr switches to its Poisson method.
        let ns = [2, 3, 10, 30, 650, 2_000, 1_000_000];
        let ps = [
            1e-18, 1e-9, 2e-5, 8e-5, 3.47e-4, 1e-3, 0.02, 0.1, 0.3, 0.49, 0.5, 0.51, 0.9,
        ];
        let mut shortcuts = 0;
        for &n in &ns {
            for &p in &ps {
                let mut ours = stream(7, n, "binomial-test");
                let mut reference = ours.clone();
                for _ in 0..300 {
                    let before = ours.clone();
                    let x = binomial(&mut ours, n, p);
                    let y = Binomial::new(n, p).unwrap().sample(&mut reference);
                    assert_eq!(x, y, "n = {n}, p = {p}");
                    assert_eq!(ours, reference, "n = {n}, p = {p}: generator states differ");
                    shortcuts += usize::from(certain_zero(&mut before.clone(), n, p).is_some());
                }
            }
        }
        assert!(
            shortcuts > 5_000,
            "the short cut was taken only {shortcuts} times"
        );
    }
}
