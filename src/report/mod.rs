//! Turning results into files: JSON, CSV, tables and charts.
pub mod charts;
