//! Turning [`Results`] into files: a versioned `summary.json`, CSV tables, charts (SVG and PNG)
//! and a terminal table. Formatting is pure (`&Results` → bytes); [`write_folder`] then writes
//! everything into a temporary folder beside the target and renames it into place only when
//! complete, so a results folder is never half-written and an old one is never lost.

pub mod analysis;
pub mod charts;
pub mod csv;
pub mod document;
pub mod figures;
pub mod json;
pub mod table;

use std::path::{Path, PathBuf};

use crate::experiment::Results;

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The results folder exists and `--force` was not given.
    #[error("{}: the results folder already exists; pass --force to replace it, or choose another folder with --out", path.display())]
    Exists {
        /// The folder.
        path: PathBuf,
    },
    /// `imfsim report DIR`: `DIR` is missing or is not a results folder written by imfsim.
    #[error("{}: not an imfsim results folder: {reason}", path.display())]
    NotResults {
        /// The folder given.
        path: PathBuf,
        /// What is missing or wrong.
        reason: String,
    },
    /// The results folder cannot be created or written (checked before a run starts).
    #[error("{}: cannot write results there: {source}; choose another folder with --out", path.display())]
    Unwritable {
        /// The folder.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// `--force` was given for something that is not an imfsim results folder.
    #[error("{}: --force replaces only imfsim results folders (with an imfsim summary.json) or empty folders, and this is not one; choose another folder with --out", path.display())]
    NotReplaceable {
        /// The path given.
        path: PathBuf,
    },
    /// A file or folder could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Io {
        /// What was being written.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// A chart could not be drawn.
    #[error("chart {name}: {source}")]
    Chart {
        /// Chart file name.
        name: String,
        /// What went wrong.
        source: charts::ChartError,
    },
    /// Results could not be serialised.
    #[error("cannot format {name}: {reason}")]
    Format {
        /// File name.
        name: String,
        /// What went wrong.
        reason: String,
    },
}

/// A file to write: name within the results folder and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// Every output file of a results set, in memory.
pub fn render(results: &Results) -> Result<Vec<OutputFile>, ReportError> {
    let mut files = vec![
        ("summary.json".to_string(), json::summary(results)?),
        ("summary.csv".to_string(), csv::summary(results)?),
        ("replications.csv".to_string(), csv::replications(results)?),
        ("daily.csv".to_string(), csv::daily(results)?),
    ];
    for (name, chart) in figures::all(results) {
        let svg = chart.to_svg().map_err(|source| ReportError::Chart {
            name: name.clone(),
            source,
        })?;
        let png = chart.to_png().map_err(|source| ReportError::Chart {
            name: name.clone(),
            source,
        })?;
        files.push((format!("{name}.svg"), svg.into_bytes()));
        files.push((format!("{name}.png"), png));
    }
    Ok(files)
}

/// Fails if `dir` exists and `force` is not set (checked before a long run starts).
pub fn check_target(dir: &Path, force: bool) -> Result<(), ReportError> {
    if dir.exists() || dir.is_symlink() {
        if !force {
            return Err(ReportError::Exists {
                path: dir.to_path_buf(),
            });
        }
        if !replaceable(dir) {
            return Err(ReportError::NotReplaceable {
                path: dir.to_path_buf(),
            });
        }
    }
    // Probe now that the results can be written, rather than after a long run.
    let parent = parent_of(dir);
    std::fs::create_dir_all(&parent)
        .and_then(|()| {
            tempfile::Builder::new()
                .prefix(".imfsim-probe-")
                .tempdir_in(&parent)
        })
        .map(drop)
        .map_err(|source| ReportError::Unwritable {
            path: dir.to_path_buf(),
            source,
        })
}

/// Whether `dir` may be replaced by `--force`: an empty folder, or one holding a
/// `summary.json` written by imfsim. Anything else (a file, a device, someone's documents) is
/// never replaced.
fn replaceable(dir: &Path) -> bool {
    if !dir.is_dir() || dir.is_symlink() {
        return false;
    }
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return false;
    };
    if entries.next().is_none() {
        return true;
    }
    std::fs::read(dir.join("summary.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .is_some_and(|v| v["program"]["name"] == "imfsim")
}

fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes `files` as folder `dir`: into a temporary sibling first, then renamed into place. An
/// existing `dir` is replaced only if `force` is set, and only after the new one is complete.
pub fn write_folder(dir: &Path, files: &[OutputFile], force: bool) -> Result<(), ReportError> {
    check_target(dir, force)?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReportError::Io { path, source }
    };
    let parent = parent_of(dir);
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let tmp = tempfile::Builder::new()
        .prefix(".imfsim-partial-")
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    for (name, bytes) in files {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).map_err(io(&path))?;
    }
    let staged = tmp.keep();
    if dir.exists() {
        let old = parent.join(format!(
            ".imfsim-old-{}",
            dir.file_name()
                .map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned())
        ));
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(dir, &old).map_err(io(dir))?;
        if let Err(source) = std::fs::rename(&staged, dir) {
            // Put the old results back before reporting.
            let _ = std::fs::rename(&old, dir);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(ReportError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
        let _ = std::fs::remove_dir_all(&old);
    } else if let Err(source) = std::fs::rename(&staged, dir) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(ReportError::Io {
            path: dir.to_path_buf(),
            source,
        });
    }
    Ok(())
}
