//! # imfsim
//!
//! A discrete-event simulator of an International Mail Facility (IMF): how much inbound mail
//! CBP inspects, what it seizes and misses, where items wait, how busy each resource is, and
//! what a different mix of officers, x-ray machines, canine teams, hand-held analysers and lab
//! capacity would change, with confidence intervals on every figure.
//!
//! Data flows one way:
//! [`scenario`] (TOML → typed config) → [`model`] (the facility, on the generic [`engine`]) →
//! [`experiment`] (parallel replications) → [`stats`] (confidence intervals) → [`report`]
//! (JSON, CSV, charts). [`cli`] drives it all and is the only part that prints.
//!
//! ```
//! use std::sync::atomic::AtomicBool;
//! use imfsim::experiment::{self, NoProgress, RunOptions};
//!
//! let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/small_imf.toml"));
//! let scenario = imfsim::scenario::load(path).expect("bundled scenario is valid");
//! let opts = RunOptions { replications: Some(2), days: Some(2), ..RunOptions::default() };
//! let results = experiment::run(&scenario, &opts, &NoProgress, &AtomicBool::new(false)).unwrap();
//! let share = results.metric("stream.all.inspected_share").and_then(|m| m.estimate).unwrap();
//! assert!(share.mean > 0.0 && share.mean < 1.0);
//! ```

pub mod cli;
pub mod costs;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod model;
pub mod report;
pub mod scenario;
pub mod stats;
