//! Student-t confidence intervals across independent replications.
//!
//! Each replication contributes one number (e.g. its mean waiting time);
//! these are treated as i.i.d. normal-ish samples and summarised by an
//! [`Estimate`]: mean ± t·s/√n.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::stats::accum::Tally;

/// Mean across replications with a two-sided Student-t confidence interval.
///
/// All values are in the unit of the summarised quantity. `std_dev` and
/// `half_width` are `None` when `n < 2` (no spread can be estimated); they
/// are never infinite or NaN, so an `Estimate` always serialises to JSON.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// Number of values (replications, pairs or batches) summarised.
    pub n: u64,
    /// Sample mean of the values.
    pub mean: f64,
    /// Sample standard deviation (divisor n-1); `None` if `n < 2`.
    pub std_dev: Option<f64>,
    /// Half-width of the confidence interval, `t(1-(1-c)/2, n-1)·s/√n`;
    /// `None` if `n < 2`.
    pub half_width: Option<f64>,
    /// Two-sided confidence level used for `half_width`, e.g. 0.95.
    pub confidence: f64,
}

impl Estimate {
    /// Half-width relative to the mean, `half_width / |mean|` (a precision
    /// target such as "within 5 %"); `None` if there is no half-width or the
    /// mean is zero.
    pub fn relative_half_width(&self) -> Option<f64> {
        let hw = self.half_width?;
        let denom = self.mean.abs();
        if denom < f64::MIN_POSITIVE {
            return None;
        }
        let r = hw / denom;
        r.is_finite().then_some(r)
    }

    /// Lower and upper bounds `(mean - hw, mean + hw)`; `None` if there is no
    /// half-width.
    pub fn interval(&self) -> Option<(f64, f64)> {
        self.half_width.map(|hw| (self.mean - hw, self.mean + hw))
    }

    /// Whether `x` lies inside the closed confidence interval. Always
    /// `false` when there is no half-width (`n < 2`).
    pub fn contains(&self, x: f64) -> bool {
        self.interval().is_some_and(|(lo, hi)| lo <= x && x <= hi)
    }

    /// Whether the confidence interval excludes 0, i.e. the mean (or the
    /// paired difference) is significantly non-zero at this confidence
    /// level. `false` when there is no half-width.
    pub fn is_significant(&self) -> bool {
        self.interval().is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0)
    }
}

/// Two-sided Student-t critical value: the quantile at `1 - (1-confidence)/2`
/// with `dof` degrees of freedom (e.g. `t_quantile(0.95, 10)` ≈ 2.228).
///
/// Returns NaN if `confidence` is not strictly between 0 and 1 or `dof` is
/// 0; use [`t_quantile_checked`] to get an `Option` instead.
pub fn t_quantile(confidence: f64, dof: u64) -> f64 {
    t_quantile_checked(confidence, dof).unwrap_or(f64::NAN)
}

/// Like [`t_quantile`] but `None` for invalid arguments (confidence outside
/// the open interval (0, 1), or `dof == 0`).
pub fn t_quantile_checked(confidence: f64, dof: u64) -> Option<f64> {
    if !(confidence > 0.0 && confidence < 1.0) || dof == 0 {
        return None;
    }
    let dist = StudentsT::new(0.0, 1.0, dof as f64).ok()?;
    let p = 1.0 - (1.0 - confidence) / 2.0;
    let q = dist.inverse_cdf(p);
    q.is_finite().then_some(q)
}

/// Mean and Student-t confidence interval of `values` (one per
/// replication) at the two-sided level `confidence` (e.g. 0.95).
///
/// `None` if `values` is empty, contains a non-finite value (the caller is
/// expected to filter), or `confidence` is not strictly in (0, 1).
pub fn estimate(values: &[f64], confidence: f64) -> Option<Estimate> {
    if values.is_empty() || !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    if values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut tally = Tally::new();
    values.iter().for_each(|&v| tally.add(v));
    let n = tally.count();
    let mean = tally.mean()?;
    let std_dev = tally.std_dev();
    let half_width = match std_dev {
        Some(s) => {
            let t = t_quantile_checked(confidence, n - 1)?;
            let hw = t * s / (n as f64).sqrt();
            Some(hw).filter(|h| h.is_finite())
        }
        None => None,
    };
    Some(Estimate {
        n,
        mean,
        std_dev,
        half_width,
        confidence,
    })
}

/// Paired-difference estimate of `b - a` (common random numbers: `a[i]` and
/// `b[i]` come from the same replication seed), at level `confidence`.
///
/// `None` if the slices differ in length, are empty, or hold a non-finite
/// value. A significant result ([`Estimate::is_significant`]) with a
/// positive mean means `b` is larger than `a`.
pub fn paired_difference(a: &[f64], b: &[f64], confidence: f64) -> Option<Estimate> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let diffs: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    estimate(&diffs, confidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::{assert_abs_diff_eq, assert_relative_eq};

    #[test]
    fn t_quantile_known_values() {
        assert_abs_diff_eq!(t_quantile(0.95, 10), 2.228139, epsilon = 1e-4);
        assert_abs_diff_eq!(t_quantile(0.99, 5), 4.032143, epsilon = 1e-4);
        assert_abs_diff_eq!(t_quantile(0.95, 4), 2.776445, epsilon = 1e-4);
        assert_abs_diff_eq!(t_quantile(0.90, 1), 6.313752, epsilon = 1e-4);
    }

    #[test]
    fn t_quantile_invalid_is_nan_or_none() {
        assert!(t_quantile(0.95, 0).is_nan());
        assert!(t_quantile(1.0, 5).is_nan());
        assert!(t_quantile(0.0, 5).is_nan());
        assert!(t_quantile(f64::NAN, 5).is_nan());
        assert!(t_quantile_checked(1.5, 5).is_none());
    }

    #[test]
    fn estimate_known_values() {
        let e = estimate(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95).unwrap();
        assert_eq!(e.n, 5);
        assert_relative_eq!(e.mean, 3.0);
        assert_relative_eq!(e.std_dev.unwrap(), 2.5f64.sqrt(), epsilon = 1e-12);
        let expected_hw = 2.776445 * 2.5f64.sqrt() / 5f64.sqrt();
        assert_abs_diff_eq!(e.half_width.unwrap(), expected_hw, epsilon = 1e-5);
        assert_relative_eq!(e.confidence, 0.95);
        assert!(e.contains(3.0));
        assert!(e.contains(1.1));
        assert!(!e.contains(0.0));
        assert!(e.is_significant());
        assert_abs_diff_eq!(
            e.relative_half_width().unwrap(),
            expected_hw / 3.0,
            epsilon = 1e-5
        );
    }

    #[test]
    fn estimate_edge_cases() {
        assert!(estimate(&[], 0.95).is_none());
        assert!(estimate(&[1.0, f64::NAN], 0.95).is_none());
        assert!(estimate(&[1.0, 2.0], 1.0).is_none());
        let one = estimate(&[4.2], 0.95).unwrap();
        assert_eq!(one.n, 1);
        assert_relative_eq!(one.mean, 4.2);
        assert!(one.std_dev.is_none());
        assert!(one.half_width.is_none());
        assert!(one.relative_half_width().is_none());
        assert!(!one.contains(4.2));
        assert!(!one.is_significant());
    }

    #[test]
    fn estimate_zero_mean_not_significant() {
        let e = estimate(&[-1.0, 1.0, -2.0, 2.0], 0.95).unwrap();
        assert_abs_diff_eq!(e.mean, 0.0);
        assert!(e.relative_half_width().is_none());
        assert!(!e.is_significant());
        assert!(e.contains(0.0));
    }

    #[test]
    fn paired_difference_known_values() {
        let a = [10.0, 12.0, 11.0, 13.0];
        let b = [11.0, 14.0, 12.0, 15.0];
        // differences 1, 2, 1, 2: mean 1.5, s^2 = 1/3
        let e = paired_difference(&a, &b, 0.95).unwrap();
        assert_eq!(e.n, 4);
        assert_relative_eq!(e.mean, 1.5);
        assert_relative_eq!(e.std_dev.unwrap(), (1.0f64 / 3.0).sqrt(), epsilon = 1e-12);
        let t3 = 3.182446;
        assert_abs_diff_eq!(
            e.half_width.unwrap(),
            t3 * (1.0f64 / 3.0).sqrt() / 2.0,
            epsilon = 1e-5
        );
        assert!(e.is_significant());
    }

    #[test]
    fn paired_difference_rejects_bad_input() {
        assert!(paired_difference(&[1.0], &[1.0, 2.0], 0.95).is_none());
        assert!(paired_difference(&[], &[], 0.95).is_none());
    }

    #[test]
    fn estimate_serialises_without_infinity() {
        let e = estimate(&[1.0], 0.95).unwrap();
        assert!(e.half_width.is_none());
        let e2 = estimate(&[1.0, 1.0, 1.0], 0.95).unwrap();
        assert_abs_diff_eq!(e2.half_width.unwrap(), 0.0);
    }
}
