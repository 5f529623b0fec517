//! The crate's top-level error: wraps each module's error and decides the exit status. Input
//! problems the user can fix (a bad scenario, an existing or unusable output folder, a folder
//! given to `imfsim report` that is not a results folder, a facility so overloaded that it hit
//! the item ceiling) exit with 2, an interrupted run with 130, anything else with 1.

use crate::experiment::ExperimentError;
use crate::model::RunError;
use crate::report::ReportError;
use crate::scenario::ScenarioError;

/// Anything that can stop a command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The scenario file is missing or invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The experiment failed or was interrupted.
    #[error(transparent)]
    Experiment(#[from] ExperimentError),
    /// Results could not be written.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A command-line value that clap cannot check alone (e.g. a bad `--vary` spec).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_)
            | Error::Usage(_)
            | Error::Report(
                ReportError::Exists { .. }
                | ReportError::NotResults { .. }
                | ReportError::Unwritable { .. }
                | ReportError::NotReplaceable { .. },
            )
            | Error::Experiment(ExperimentError::Run(RunError::Overloaded { .. })) => 2,
            Error::Experiment(ExperimentError::Cancelled) => 130,
            _ => 1,
        }
    }
}
