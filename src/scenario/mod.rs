//! Scenario files: read a TOML file, check it in two stages (shape, then meaning) and produce
//! the typed [`ModelConfig`] and [`RunConfig`]. Errors name the file, line and column, the key
//! path, the value given and what is allowed, and list every problem at once.

pub mod economics;
pub mod raw;
pub mod validate;
pub mod variants;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::costs::{BenefitConfig, CostConfig};
use crate::engine::SimDuration;
use crate::model::ModelConfig;
pub use economics::{Input, Lever, SweepConfig, Swing};
pub use validate::FieldError;

/// Defaults for keys a scenario may leave out; each is defined once, here.
pub mod defaults {
    use crate::engine::SimDuration;

    /// `run.days`: simulated days after warm-up.
    pub const DAYS: u32 = 7;
    /// `run.warmup`: initial period excluded from statistics.
    pub const WARMUP: SimDuration = SimDuration::from_days(1);
    /// `run.replications`.
    pub const REPLICATIONS: u32 = 30;
    /// `run.seed`.
    pub const SEED: u64 = 1;
    /// Longest run accepted [days] (100 years).
    pub const MAX_DAYS: u32 = 36_500;
    /// `arrivals.container_size` [items].
    pub const CONTAINER_SIZE: u32 = 1_000;
    /// `limits.max_items_inside` [items].
    pub const MAX_ITEMS_INSIDE: u64 = 5_000_000;
}

/// How to run a scenario: horizon, warm-up, replications and seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunConfig {
    /// Simulated days after warm-up (the observation window).
    pub days: u32,
    /// Warm-up before the window.
    pub warmup: SimDuration,
    /// Independent replications.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
}

/// A loaded, valid scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Name (from `[scenario] name`, else the file stem).
    pub name: String,
    /// Description, if given.
    pub description: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// SHA-256 of the file content, hex.
    pub content_hash: String,
    /// The facility.
    pub model: ModelConfig,
    /// How to run it.
    pub run: RunConfig,
    /// Unit costs (`[costs]`).
    pub costs: CostConfig,
    /// Benefit measures (`[benefits]`).
    pub benefits: BenefitConfig,
    /// Sweep, objective and sensitivity settings (`[sweep]`).
    pub sweep: SweepConfig,
    /// The file's text, from which swept variants are derived.
    pub text: String,
}

/// A problem at a known place in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// Line and column (1-based) of the key, when it could be found.
    pub position: Option<(usize, usize)>,
    /// The problem.
    pub error: FieldError,
}

/// Why a scenario could not be loaded. Every variant is the user's to fix (exit status 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{}: cannot read the scenario file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not have the expected shape (unknown key, wrong
    /// type, missing table).
    #[error("{}:{}", path.display(), message)]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Where and what, from the TOML reader, with a suggestion where one helps.
        message: String,
    },
    /// Values that are well-formed but not allowed.
    #[error("{}: {} problem{} found:{}", path.display(), errors.len(), if errors.len() == 1 { "" } else { "s" }, list(path, errors))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found.
        errors: Vec<Located>,
    },
}

fn list(path: &Path, errors: &[Located]) -> String {
    errors
        .iter()
        .map(|e| match e.position {
            Some((line, col)) => format!("\n  {}:{line}:{col}: {}", path.display(), e.error),
            None => format!("\n  {}: {}", path.display(), e.error),
        })
        .collect()
}

/// Reads and validates the scenario at `path`.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Validates scenario `text` as if read from `path`.
pub fn parse(text: &str, path: &Path) -> Result<Scenario, ScenarioError> {
    let raw: raw::RawScenario = toml::from_str(text).map_err(|e| ScenarioError::Syntax {
        path: path.to_path_buf(),
        message: syntax_message(text, &e),
    })?;
    let mut errors = Vec::new();
    let model_run = validate::validate(&raw).map_err(|e| errors.extend(e)).ok();
    let mut c = validate::Checker::default();
    let costs = economics::costs(&mut c, &raw.costs);
    let benefits = economics::benefits(&mut c, &raw.benefits);
    let sweep = economics::sweep(&mut c, &raw.sweep);
    errors.extend(c.errors);
    let (model, run) = match model_run {
        Some(valid) if errors.is_empty() => valid,
        _ => {
            return Err(ScenarioError::Invalid {
                path: path.to_path_buf(),
                errors: errors
                    .into_iter()
                    .map(|error| Located {
                        position: locate(text, &error.key),
                        error,
                    })
                    .collect(),
            });
        }
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into());
    let digest = Sha256::digest(text.as_bytes());
    Ok(Scenario {
        name: raw.scenario.name.clone().unwrap_or(stem),
        description: raw.scenario.description.clone().unwrap_or_default(),
        path: path.to_path_buf(),
        content_hash: digest.iter().map(|b| format!("{b:02x}")).collect(),
        model,
        run,
        costs,
        benefits,
        sweep,
        text: text.to_string(),
    })
}

/// `line:col: message`, from a TOML error, plus "did you mean" for a misspelt key.
fn syntax_message(text: &str, e: &toml::de::Error) -> String {
    let position = e
        .span()
        .map(|s| line_col(text, s.start))
        .map_or(String::new(), |(l, c)| format!("{l}:{c}:"));
    let message = e.message().trim().to_string();
    let hint = suggestion(&message).map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
    format!("{position} {message}{hint}")
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", the closest expected name.
fn suggestion(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    expected
        .into_iter()
        .map(|cand| (edit_distance(unknown, cand), cand))
        .filter(|(d, cand)| *d <= 3.max(cand.len() / 3))
        .min()
        .map(|(_, c)| c.to_string())
}

/// Levenshtein distance between two short keys.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Line and column of the deepest part of `key` (e.g. `streams[2].contraband[0].prevalence`)
/// present in the document.
fn locate(text: &str, key: &str) -> Option<(usize, usize)> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut span = None;
    let mut current = DeValue::Table(root.into_inner());
    for part in key.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, i)) => (n, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let Some(next) = current.get(name).cloned() else {
            break;
        };
        span = Some(next.span());
        current = next.into_inner();
        if let Some(i) = index {
            let Some(elem) = current.get(i).cloned() else {
                break;
            };
            span = Some(elem.span());
            current = elem.into_inner();
        }
    }
    span.map(|s| line_col(text, s.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_key() {
        let msg = "unknown field `machins`, expected one of `enabled`, `machines`, `shifts`";
        assert_eq!(suggestion(msg).as_deref(), Some("machines"));
        assert_eq!(suggestion("unknown field `zzzzzzzz`, expected `a`"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn locates_nested_keys() {
        let text =
            "[run]\ndays = 3\n\n[[streams]]\nname = \"a\"\n[[streams]]\nname = \"b\"\nshare = 2\n";
        // Positions point at the value, or at the deepest enclosing part that exists.
        assert_eq!(locate(text, "run.days"), Some((2, 8)));
        assert_eq!(locate(text, "streams[1].share"), Some((8, 9)));
        assert_eq!(
            locate(text, "streams[1].missing"),
            locate(text, "streams[1]")
        );
        assert!(locate(text, "streams[1]").is_some());
        assert_eq!(locate(text, "nothing.here"), None);
    }
}
