//! imfsim: a discrete-event simulator of an International Mail Facility (IMF).
pub mod engine;
pub mod stats;
pub mod model;
pub mod scenario;
pub mod report;
pub mod experiment;
pub mod cli;
pub mod error;
