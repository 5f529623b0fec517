//! Streaming accumulators: observation tallies and time-weighted levels.
//!
//! Both accumulators use O(1) memory and can be updated one event at a time
//! from inside the simulation loop.

use serde::Serialize;

/// Streaming summary of observations (e.g. waiting times in ms) using
/// Welford's algorithm, so mean and variance stay accurate over long runs.
///
/// Non-finite inputs (NaN, ±inf) are not accumulated: they are counted in
/// [`Tally::rejected`] so that every `Some` this type returns is finite.
/// Two tallies of disjoint samples can be combined with [`Tally::merge`].
#[derive(Clone, Debug, Default, Serialize)]
pub struct Tally {
    count: u64,
    rejected: u64,
    mean: f64,
    m2: f64,
    sum: f64,
    min: Option<f64>,
    max: Option<f64>,
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one observation `x` (same unit as the quantity observed).
    /// Non-finite values are rejected and only counted in [`Tally::rejected`].
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            self.rejected += 1;
            return;
        }
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
        self.sum += x;
        self.min = Some(self.min.map_or(x, |m| m.min(x)));
        self.max = Some(self.max.map_or(x, |m| m.max(x)));
    }

    /// Number of finite observations accumulated.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Number of non-finite observations that were refused by [`Tally::add`].
    pub fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Arithmetic mean of the observations; `None` if there are none.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0)
            .then_some(self.mean)
            .filter(|m| m.is_finite())
    }

    /// Sample variance (divisor n-1), in squared units; `None` if fewer than
    /// two observations.
    pub fn variance(&self) -> Option<f64> {
        if self.count < 2 {
            return None;
        }
        let v = (self.m2 / (self.count - 1) as f64).max(0.0);
        v.is_finite().then_some(v)
    }

    /// Sample standard deviation (square root of [`Tally::variance`]);
    /// `None` if fewer than two observations.
    pub fn std_dev(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }

    /// Smallest observation; `None` if there are none.
    pub fn min(&self) -> Option<f64> {
        self.min
    }

    /// Largest observation; `None` if there are none.
    pub fn max(&self) -> Option<f64> {
        self.max
    }

    /// Sum of the observations (0 when empty).
    pub fn sum(&self) -> f64 {
        self.sum
    }

    /// Folds `other` into `self` as if all of its observations had been
    /// added here (Chan et al. parallel combination), e.g. to combine
    /// per-thread or per-replication tallies.
    pub fn merge(&mut self, other: &Tally) {
        self.rejected += other.rejected;
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            let rejected = self.rejected;
            *self = other.clone();
            self.rejected = rejected;
            return;
        }
        let na = self.count as f64;
        let nb = other.count as f64;
        let n = na + nb;
        let delta = other.mean - self.mean;
        self.mean += delta * nb / n;
        self.m2 += other.m2 + delta * delta * na * nb / n;
        self.count += other.count;
        self.sum += other.sum;
        self.min = match (self.min, other.min) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.max = match (self.max, other.max) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

/// Exact time-average of an integer level (queue length, units busy) over
/// an observation window, with time in integer milliseconds.
///
/// The area under the level curve is kept as an `i128` of level·ms, so the
/// integral is exact; only the final division in [`TimeWeighted::mean`]
/// rounds. Time must not go backwards: doing so trips a `debug_assert!` in
/// debug builds and is saturated (treated as "no time passed") in release.
#[derive(Clone, Debug)]
pub struct TimeWeighted {
    start_ms: u64,
    last_ms: u64,
    level: i64,
    max: i64,
    area: i128,
}

impl TimeWeighted {
    /// Starts observing at `start_ms` (ms) with level `initial_level`.
    pub fn new(start_ms: u64, initial_level: i64) -> Self {
        Self {
            start_ms,
            last_ms: start_ms,
            level: initial_level,
            max: initial_level,
            area: 0,
        }
    }

    /// Accumulates area up to `now_ms` (clamped to never go backwards) and
    /// returns the clamped time.
    fn advance(&mut self, now_ms: u64) -> u64 {
        debug_assert!(
            now_ms >= self.last_ms,
            "TimeWeighted: time went backwards ({now_ms} ms < {} ms)",
            self.last_ms
        );
        let now = now_ms.max(self.last_ms);
        let dt = i128::from(now - self.last_ms);
        self.area = self
            .area
            .saturating_add(i128::from(self.level).saturating_mul(dt));
        self.last_ms = now;
        now
    }

    /// Sets the level to `level` from time `now_ms` (ms) on.
    pub fn set(&mut self, now_ms: u64, level: i64) {
        self.advance(now_ms);
        self.level = level;
        self.max = self.max.max(level);
    }

    /// Changes the level by `delta` (e.g. +1 on arrival, -1 on departure)
    /// from time `now_ms` (ms) on. Saturates at the `i64` bounds.
    pub fn add(&mut self, now_ms: u64, delta: i64) {
        let level = self.level.saturating_add(delta);
        self.set(now_ms, level);
    }

    /// Current level.
    pub fn level(&self) -> i64 {
        self.level
    }

    /// Highest level seen in the current observation window.
    pub fn max(&self) -> i64 {
        self.max
    }

    /// Start of the current observation window (ms).
    pub fn start_ms(&self) -> u64 {
        self.start_ms
    }

    /// Exact area under the level curve over `[start, end_ms]`, in level·ms.
    /// An `end_ms` before the last update is treated as the last update.
    pub fn area_until(&self, end_ms: u64) -> i128 {
        debug_assert!(
            end_ms >= self.last_ms,
            "TimeWeighted: end {end_ms} ms is before last update {} ms",
            self.last_ms
        );
        let end = end_ms.max(self.last_ms);
        let dt = i128::from(end - self.last_ms);
        self.area
            .saturating_add(i128::from(self.level).saturating_mul(dt))
    }

    /// Time-average level over `[start, end_ms]` (area / duration);
    /// `None` if the window has zero length.
    pub fn mean(&self, end_ms: u64) -> Option<f64> {
        let end = end_ms.max(self.last_ms);
        let duration = end - self.start_ms;
        if duration == 0 {
            return None;
        }
        Some(self.area_until(end) as f64 / duration as f64)
    }

    /// Restarts the observation window at `now_ms` keeping the current level
    /// (used to delete the warm-up period). The maximum restarts at the
    /// current level.
    pub fn reset(&mut self, now_ms: u64) {
        let now = self.advance(now_ms);
        self.start_ms = now;
        self.area = 0;
        self.max = self.level;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::{assert_abs_diff_eq, assert_relative_eq};

    #[test]
    fn tally_known_values() {
        let mut t = Tally::new();
        for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            t.add(x);
        }
        assert_eq!(t.count(), 8);
        assert_relative_eq!(t.mean().unwrap(), 5.0);
        assert_relative_eq!(t.variance().unwrap(), 32.0 / 7.0, epsilon = 1e-12);
        assert_relative_eq!(
            t.std_dev().unwrap(),
            (32.0f64 / 7.0).sqrt(),
            epsilon = 1e-12
        );
        assert_relative_eq!(t.min().unwrap(), 2.0);
        assert_relative_eq!(t.max().unwrap(), 9.0);
        assert_relative_eq!(t.sum(), 40.0);
    }

    #[test]
    fn tally_empty_and_single() {
        let mut t = Tally::default();
        assert_eq!(t.count(), 0);
        assert!(t.mean().is_none());
        assert!(t.variance().is_none());
        assert!(t.std_dev().is_none());
        assert!(t.min().is_none());
        assert!(t.max().is_none());
        assert_abs_diff_eq!(t.sum(), 0.0);
        t.add(3.5);
        assert_relative_eq!(t.mean().unwrap(), 3.5);
        assert!(t.variance().is_none());
    }

    #[test]
    fn tally_rejects_non_finite() {
        let mut t = Tally::new();
        t.add(1.0);
        t.add(f64::NAN);
        t.add(f64::INFINITY);
        t.add(3.0);
        assert_eq!(t.count(), 2);
        assert_eq!(t.rejected(), 2);
        assert_relative_eq!(t.mean().unwrap(), 2.0);
        assert_relative_eq!(t.variance().unwrap(), 2.0);
    }

    #[test]
    fn tally_merge_equals_single_pass() {
        let data: Vec<f64> = (0..1000)
            .map(|i| 1e6 + ((i * 37) % 101) as f64 * 0.25)
            .collect();
        let mut whole = Tally::new();
        data.iter().for_each(|&x| whole.add(x));
        let (left, right) = data.split_at(313);
        let mut a = Tally::new();
        let mut b = Tally::new();
        left.iter().for_each(|&x| a.add(x));
        right.iter().for_each(|&x| b.add(x));
        a.merge(&b);
        assert_eq!(a.count(), whole.count());
        assert_relative_eq!(a.mean().unwrap(), whole.mean().unwrap(), epsilon = 1e-9);
        assert_relative_eq!(
            a.variance().unwrap(),
            whole.variance().unwrap(),
            max_relative = 1e-9
        );
        assert_relative_eq!(a.sum(), whole.sum(), max_relative = 1e-12);
        assert_relative_eq!(a.min().unwrap(), whole.min().unwrap());
        assert_relative_eq!(a.max().unwrap(), whole.max().unwrap());
    }

    #[test]
    fn tally_merge_with_empty() {
        let mut a = Tally::new();
        let mut b = Tally::new();
        b.add(1.0);
        b.add(2.0);
        a.merge(&b);
        assert_eq!(a.count(), 2);
        assert_relative_eq!(a.mean().unwrap(), 1.5);
        a.merge(&Tally::new());
        assert_eq!(a.count(), 2);
        assert_relative_eq!(a.variance().unwrap(), 0.5);
    }

    #[test]
    fn time_weighted_exact_mean() {
        let mut tw = TimeWeighted::new(0, 0);
        tw.set(10, 2);
        assert_eq!(tw.area_until(40), 60);
        assert_relative_eq!(tw.mean(40).unwrap(), 1.5);
        assert_eq!(tw.level(), 2);
        assert_eq!(tw.max(), 2);
    }

    #[test]
    fn time_weighted_zero_duration_is_none() {
        let tw = TimeWeighted::new(100, 5);
        assert!(tw.mean(100).is_none());
        assert_eq!(tw.area_until(100), 0);
    }

    #[test]
    fn time_weighted_add_and_max() {
        let mut tw = TimeWeighted::new(1_000, 1);
        tw.add(1_010, 3); // level 4
        tw.add(1_020, -4); // level 0
        assert_eq!(tw.level(), 0);
        assert_eq!(tw.max(), 4);
        // 1*10 + 4*10 + 0*20 = 50 over 40 ms
        assert_eq!(tw.area_until(1_040), 50);
        assert_relative_eq!(tw.mean(1_040).unwrap(), 1.25);
    }

    #[test]
    fn time_weighted_reset_deletes_warmup() {
        let mut tw = TimeWeighted::new(0, 10);
        tw.set(50, 3);
        tw.reset(100);
        assert_eq!(tw.start_ms(), 100);
        assert_eq!(tw.level(), 3);
        assert_eq!(tw.max(), 3);
        assert!(tw.mean(100).is_none());
        tw.set(120, 1);
        // 3*20 + 1*20 = 80 over 40 ms
        assert_eq!(tw.area_until(140), 80);
        assert_relative_eq!(tw.mean(140).unwrap(), 2.0);
    }

    #[test]
    fn time_weighted_large_values_exact() {
        let mut tw = TimeWeighted::new(0, i64::MAX);
        tw.set(u64::MAX / 2, 0);
        let expected = i128::from(i64::MAX) * i128::from(u64::MAX / 2);
        assert_eq!(tw.area_until(u64::MAX / 2), expected);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "backwards")]
    fn time_weighted_backwards_debug_asserts() {
        let mut tw = TimeWeighted::new(0, 1);
        tw.set(10, 2);
        tw.set(5, 3);
    }

    #[test]
    #[cfg(not(debug_assertions))]
    fn time_weighted_backwards_saturates_in_release() {
        let mut tw = TimeWeighted::new(0, 1);
        tw.set(10, 2);
        tw.set(5, 3); // treated as time 10
        assert_eq!(tw.area_until(20), 10 + 30);
    }
}
