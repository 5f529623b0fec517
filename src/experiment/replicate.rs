//! Rayon fan-out over replication indices, collected in index order.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::{ExperimentError, Progress};
use crate::model::results::ReplicationResult;
use crate::model::{ModelConfig, RunSpec, run_replication};

/// Runs replications `indices` of `model` on `threads` workers (default: all cores). A set
/// `cancel` flag stops workers from starting new replications.
pub fn run_all(
    model: &ModelConfig,
    indices: Range<u64>,
    spec: impl Fn(u64) -> RunSpec + Sync,
    threads: Option<usize>,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<Vec<ReplicationResult>, ExperimentError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        builder = builder.num_threads(t);
    }
    let pool = builder.build().map_err(|e| ExperimentError::Threads {
        threads: threads.unwrap_or(0),
        reason: e.to_string(),
    })?;
    pool.install(|| {
        indices
            .into_par_iter()
            .map(|r| {
                if cancel.load(Ordering::Relaxed) {
                    return Err(ExperimentError::Cancelled);
                }
                let result = run_replication(model, spec(r))?;
                if !result.conservation_errors.is_empty() {
                    return Err(ExperimentError::Conservation {
                        replication: r,
                        details: result.conservation_errors.join("; "),
                    });
                }
                progress.replication_done();
                Ok(result)
            })
            .collect()
    })
}

/// Compile-time check that what crosses threads may do so.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ModelConfig>();
    assert_send_sync::<ReplicationResult>();
};
