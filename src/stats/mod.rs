//! Numbers about numbers: the statistics leaf of the simulator.
//!
//! This module turns raw observations into summaries and confidence
//! statements. It knows nothing else in the crate (no events, no model
//! types); it depends only on `std`, `statrs` and `serde`.
//!
//! - [`accum`]: streaming accumulators. [`Tally`] summarises observations
//!   (Welford mean/variance, mergeable across threads); [`TimeWeighted`]
//!   gives the exact time-average of an integer level (queue length, busy
//!   units) with time in integer milliseconds.
//! - [`ci`]: Student-t confidence intervals across independent replications
//!   ([`estimate`], [`paired_difference`]) packaged as an [`Estimate`].
//! - [`warmup`]: single-run output analysis: MSER-5 warm-up truncation
//!   ([`mser5`]), non-overlapping batch means ([`batch_means`]) and a lag-1
//!   autocorrelation check ([`lag1_autocorrelation`]).
//!
//! Functions taking user data never panic on empty or short input; they
//! return `None` instead, and never return NaN inside a `Some`.

pub mod accum;
pub mod ci;
pub mod warmup;

pub use crate::stats::accum::{Tally, TimeWeighted};
pub use crate::stats::ci::{Estimate, estimate, paired_difference, t_quantile};
pub use crate::stats::warmup::{batch_means, lag1_autocorrelation, mser5};
