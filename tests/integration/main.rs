//! One integration-test binary: a module per behaviour, driving the library and the real
//! `imfsim` executable.

mod bad_input;
mod boundaries;
mod cli;
mod common;
mod determinism;
mod economics;
mod overload;
mod properties;
mod stages;
