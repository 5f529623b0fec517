//! Single-run output analysis: warm-up truncation (MSER-5), batch means and
//! a lag-1 autocorrelation check.
//!
//! Inputs are time-ordered series of per-entity or per-interval outputs from
//! one simulation run (e.g. successive waiting times in ms).

use crate::stats::accum::Tally;
use crate::stats::ci::{Estimate, estimate};

/// Batch size used by MSER-5.
const MSER_BATCH: usize = 5;

/// MSER-5 warm-up truncation point, in ORIGINAL observations.
///
/// The series is cut into consecutive batches of 5 (a trailing partial batch
/// is ignored) and, for each candidate truncation `d` over the first half of
/// the batches, computes `Σ_{i≥d} (Z_i - Z̄_d)² / (k-d)²` over the batch
/// means `Z`. Returns `5·d` for the minimising `d` (earliest on ties): the
/// number of leading observations to discard as initial transient.
///
/// `None` if there are fewer than 10 observations or any value is not
/// finite.
pub fn mser5(series: &[f64]) -> Option<usize> {
    if series.len() < 2 * MSER_BATCH || series.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let batch_means: Vec<f64> = series
        .chunks_exact(MSER_BATCH)
        .map(|c| c.iter().sum::<f64>() / MSER_BATCH as f64)
        .collect();
    let k = batch_means.len();
    let max_d = k / 2;

    // Walk backwards so the tally holds exactly batches d..k when at d.
    let mut suffix = Tally::new();
    let mut best: Option<(usize, f64)> = None;
    for d in (0..k).rev() {
        suffix.add(batch_means[d]);
        if d > max_d {
            continue;
        }
        let remaining = (k - d) as f64;
        let sse = suffix.variance().unwrap_or(0.0) * (remaining - 1.0);
        let stat = sse / (remaining * remaining);
        // `<=` while walking backwards keeps the earliest d on ties.
        if best.is_none_or(|(_, s)| stat <= s) {
            best = Some((d, stat));
        }
    }
    best.map(|(d, _)| d * MSER_BATCH)
}

/// Non-overlapping batch-means confidence interval from one long run.
///
/// The series is split into `batches` equal batches of `len / batches`
/// observations; the remainder `len % batches` is dropped from the START of
/// the series (the oldest, most transient-prone data), never the end. The
/// batch means are then treated as i.i.d. and summarised with
/// [`estimate`] at two-sided level `confidence`. Check independence with
/// [`lag1_autocorrelation`] on the batch means if in doubt.
///
/// `None` if `batches < 2`, the series is shorter than `batches`, it holds a
/// non-finite value, or `confidence` is not strictly in (0, 1).
pub fn batch_means(series: &[f64], batches: usize, confidence: f64) -> Option<Estimate> {
    let means = batch_mean_values(series, batches)?;
    estimate(&means, confidence)
}

/// The batch means used by [`batch_means`] (same batching and remainder
/// rule), e.g. to feed [`lag1_autocorrelation`]. `None` if `batches < 2` or
/// the series is shorter than `batches`.
pub fn batch_mean_values(series: &[f64], batches: usize) -> Option<Vec<f64>> {
    if batches < 2 || series.len() < batches {
        return None;
    }
    let size = series.len() / batches;
    let skip = series.len() % batches;
    Some(
        series[skip..]
            .chunks_exact(size)
            .map(|c| c.iter().sum::<f64>() / size as f64)
            .collect(),
    )
}

/// Lag-1 sample autocorrelation `Σ(x_i - x̄)(x_{i+1} - x̄) / Σ(x_i - x̄)²`,
/// a quick check that batch means (or replication outputs) are close to
/// independent (near 0). In [-1, 1] up to rounding.
///
/// `None` if fewer than 2 values, any value is not finite, or the series is
/// constant (zero variance).
pub fn lag1_autocorrelation(values: &[f64]) -> Option<f64> {
    if values.len() < 2 || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if hi - lo <= 0.0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let denom: f64 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
    if denom <= 0.0 {
        return None;
    }
    let num: f64 = values
        .windows(2)
        .map(|w| (w[0] - mean) * (w[1] - mean))
        .sum();
    let r = num / denom;
    r.is_finite().then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::{assert_abs_diff_eq, assert_relative_eq};

    fn transient_series() -> Vec<f64> {
        let mut s = vec![100.0; 50];
        s.extend((0..500).map(|i| 10.0 + ((i * 7) % 11) as f64 * 0.5 - 2.5));
        s
    }

    #[test]
    fn mser5_finds_initial_transient() {
        let d = mser5(&transient_series()).unwrap();
        assert!((45..=60).contains(&d), "truncation {d}");
        assert_eq!(d % 5, 0);
    }

    #[test]
    fn mser5_stationary_series_truncates_little() {
        let s: Vec<f64> = (0..500).map(|i| ((i * 13) % 17) as f64).collect();
        let d = mser5(&s).unwrap();
        assert!(d <= 250, "truncation {d}");
    }

    #[test]
    fn mser5_short_or_bad_input() {
        assert!(mser5(&[]).is_none());
        assert!(mser5(&[1.0; 9]).is_none());
        assert_eq!(mser5(&[1.0; 10]), Some(0));
        let mut s = vec![1.0; 20];
        s[3] = f64::NAN;
        assert!(mser5(&s).is_none());
    }

    #[test]
    fn batch_means_constant_series_has_zero_half_width() {
        let s = vec![7.25; 103];
        let e = batch_means(&s, 10, 0.95).unwrap();
        assert_eq!(e.n, 10);
        assert_relative_eq!(e.mean, 7.25);
        assert_abs_diff_eq!(e.half_width.unwrap(), 0.0);
    }

    #[test]
    fn batch_means_drops_remainder_at_start() {
        // 7 values into 3 batches of 2: the first value (1000) is dropped.
        let s = [1000.0, 1.0, 3.0, 5.0, 7.0, 9.0, 11.0];
        let means = batch_mean_values(&s, 3).unwrap();
        assert_eq!(means.len(), 3);
        assert_relative_eq!(means[0], 2.0);
        assert_relative_eq!(means[1], 6.0);
        assert_relative_eq!(means[2], 10.0);
        let e = batch_means(&s, 3, 0.95).unwrap();
        assert_relative_eq!(e.mean, 6.0);
        // s = 4, t(0.975, 2) = 4.302653
        assert_abs_diff_eq!(
            e.half_width.unwrap(),
            4.302653 * 4.0 / 3f64.sqrt(),
            epsilon = 1e-4
        );
    }

    #[test]
    fn batch_means_rejects_bad_input() {
        assert!(batch_means(&[1.0, 2.0, 3.0], 1, 0.95).is_none());
        assert!(batch_means(&[1.0, 2.0, 3.0], 4, 0.95).is_none());
        assert!(batch_means(&[], 2, 0.95).is_none());
    }

    #[test]
    fn lag1_alternating_is_near_minus_one() {
        let s: Vec<f64> = (0..100)
            .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        let r = lag1_autocorrelation(&s).unwrap();
        assert_abs_diff_eq!(r, -0.99, epsilon = 1e-12);
        assert_abs_diff_eq!(r, -1.0, epsilon = 0.02);
    }

    #[test]
    fn lag1_trend_is_positive_and_edge_cases() {
        let s: Vec<f64> = (0..100).map(f64::from).collect();
        assert!(lag1_autocorrelation(&s).unwrap() > 0.9);
        assert!(lag1_autocorrelation(&[]).is_none());
        assert!(lag1_autocorrelation(&[1.0]).is_none());
        assert!(lag1_autocorrelation(&[2.0; 10]).is_none());
        assert!(lag1_autocorrelation(&[0.1; 7]).is_none());
        assert!(lag1_autocorrelation(&[1.0, f64::INFINITY]).is_none());
    }
}
