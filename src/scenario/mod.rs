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
    /// Most replications a scenario or the command line may ask for.
    pub const MAX_REPLICATIONS: u32 = 100_000;
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
    let read_error = |source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        return Err(read_error(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory; give the path of a .toml scenario file",
        )));
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let (line, col) = line_col(valid, at);
        ScenarioError::Syntax {
            path: path.to_path_buf(),
            message: format!(
                "{line}:{col}: byte 0x{:02X} is not UTF-8: a scenario must be UTF-8 text \
                 (save the file as UTF-8)",
                bytes[at]
            ),
        }
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
    if let Some(name) = &raw.scenario.name
        && (name.is_empty()
            || name.len() > 100
            || !name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-'))
    {
        c.fail(
            "scenario.name",
            format!("\"{name}\""),
            "must be 1 to 100 letters, digits, '_' or '-' (it names the results folder)",
        );
    }
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
    // The name becomes a folder name under output/: letters, digits, '_' and '-' only.
    let stem: String = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = if stem.is_empty() {
        "scenario".to_string()
    } else {
        stem
    };
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

/// `line:col: message` for a file the TOML reader rejected: a syntax error, or a key, type or
/// table that does not fit the scenario format. Shape problems are given in the same form as
/// validation problems, `key.path = value: what is allowed`, with "did you mean" for a
/// misspelt key.
fn syntax_message(text: &str, e: &toml::de::Error) -> String {
    let span = e.span();
    let position = span
        .as_ref()
        .map(|s| line_col(text, s.start))
        .map_or(String::new(), |(l, c)| format!("{l}:{c}:"));
    let message = e.message().trim();
    let body = match toml::de::DeTable::parse(text) {
        Err(_) => toml_syntax(text, span, message),
        Ok(doc) => {
            let mut nodes = Vec::new();
            for (k, v) in doc.get_ref().iter() {
                walk(k.get_ref(), v, Some(k.span()), &mut nodes);
            }
            nodes.push(Node {
                path: String::new(),
                key: None,
                value: 0..text.len(),
                shown: "(file)".into(),
                keys: Some(
                    doc.get_ref()
                        .keys()
                        .map(|k| k.get_ref().to_string())
                        .collect(),
                ),
            });
            shape(text, &nodes, span.map_or(0, |s| s.start), message)
        }
    };
    format!("{position} {body}")
}

/// A TOML syntax error, with the key named for a duplicate.
fn toml_syntax(text: &str, span: Option<std::ops::Range<usize>>, message: &str) -> String {
    let token = span
        .and_then(|s| text.get(s))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 60 && !t.contains('\n'));
    match (message, token) {
        ("duplicate key", Some(key)) => format!(
            "TOML syntax error: duplicate key `{key}` (a key may be given only once per table)"
        ),
        _ => format!("TOML syntax error: {message}"),
    }
}

/// A key or value of the parsed document with its place.
struct Node {
    /// Key path, e.g. `streams[1].contraband[0].kind` (empty for the file itself).
    path: String,
    /// Span of the key, if the node has one (array elements do not).
    key: Option<std::ops::Range<usize>>,
    /// Span of the value.
    value: std::ops::Range<usize>,
    /// The value as written, shortened.
    shown: String,
    /// For a table, its keys.
    keys: Option<Vec<String>>,
}

fn walk(
    path: &str,
    v: &toml::Spanned<toml::de::DeValue<'_>>,
    key: Option<std::ops::Range<usize>>,
    out: &mut Vec<Node>,
) {
    use toml::de::DeValue;
    let shown = match v.get_ref() {
        DeValue::Table(_) => "(table)".to_string(),
        DeValue::String(s) => short(&format!("\"{s}\"")),
        DeValue::Integer(i) => i.as_str().to_string(),
        DeValue::Float(f) => f.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(a) => short(&format!(
            "[{}]",
            a.iter()
                .map(|e| match e.get_ref() {
                    DeValue::Table(_) => "{…}".to_string(),
                    DeValue::Array(_) => "[…]".to_string(),
                    DeValue::String(s) => format!("\"{s}\""),
                    DeValue::Integer(i) => i.as_str().to_string(),
                    DeValue::Float(f) => f.as_str().to_string(),
                    DeValue::Boolean(b) => b.to_string(),
                    DeValue::Datetime(d) => d.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        )),
    };
    out.push(Node {
        path: path.to_string(),
        key,
        value: v.span(),
        shown,
        keys: v
            .get_ref()
            .as_table()
            .map(|t| t.keys().map(|k| k.get_ref().to_string()).collect()),
    });
    match v.get_ref() {
        DeValue::Table(t) => {
            for (k, child) in t.iter() {
                walk(
                    &format!("{path}.{}", k.get_ref()),
                    child,
                    Some(k.span()),
                    out,
                );
            }
        }
        DeValue::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                walk(&format!("{path}[{i}]"), child, None, out);
            }
        }
        _ => {}
    }
}

/// At most 60 characters of `s`, on one line.
fn short(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= 60 {
        one_line
    } else {
        format!("{}…", one_line.chars().take(57).collect::<String>())
    }
}

/// The innermost node whose key (`on_key`) or value contains `offset`.
fn node_at(nodes: &[Node], offset: usize, on_key: bool) -> Option<&Node> {
    nodes
        .iter()
        .filter_map(|n| {
            let span = if on_key {
                n.key.clone()?
            } else {
                n.value.clone()
            };
            let inside = span.contains(&offset) || (span.is_empty() && span.start == offset);
            inside.then_some((span.len(), std::cmp::Reverse(n.path.len()), n))
        })
        .min_by_key(|(len, depth, _)| (*len, *depth))
        .map(|(_, _, n)| n)
}

/// `key.path = value: what is allowed` for serde's complaint `message` at `offset`.
fn shape(text: &str, nodes: &[Node], offset: usize, message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((unknown, rest)) = rest.split_once('`')
    {
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        let hint = nearest(unknown, expected.iter().copied())
            .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
        let node = node_at(nodes, offset, true).filter(|n| n.path.ends_with(unknown));
        let (path, shown) = node.map_or((unknown.to_string(), "(given)".to_string()), |n| {
            (n.path.clone(), n.shown.clone())
        });
        let parent = path
            .strip_suffix(unknown)
            .map(|p| p.trim_end_matches('.'))
            .unwrap_or_default();
        let owner = if parent.is_empty() {
            "a scenario has".to_string()
        } else {
            format!("{parent} takes")
        };
        let what = if parent.is_empty() && shown == "(table)" {
            "unknown table"
        } else {
            "unknown key"
        };
        return format!(
            "{path} = {shown}: {what}{hint}; {owner} {}",
            expected.join(", ")
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        let table = nodes
            .iter()
            .filter(|n| {
                n.keys
                    .as_ref()
                    .is_some_and(|k| !k.iter().any(|k| k == field))
                    && (n.value.contains(&offset) || n.value.start == offset)
            })
            .min_by_key(|n| (n.value.len(), std::cmp::Reverse(n.path.len())));
        return match table {
            Some(t) if field == "dist" && !t.path.is_empty() => format!(
                "{}.dist = (missing): is required, one of {}",
                t.path,
                validate::DIST_NAMES.join(", ")
            ),
            Some(t) if !t.path.is_empty() => format!("{}.{field} = (missing): is required", t.path),
            _ => missing_tables(text, nodes, field),
        };
    }
    let node = node_at(nodes, offset, false).filter(|n| !n.path.is_empty());
    let allowed = if message.contains("untagged enum NumOrText") {
        "must be a number, or a duration in quotes such as \"20s\"".to_string()
    } else if let Some((_, expected)) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .and_then(|m| m.rsplit_once(", expected "))
    {
        let leaf = node.map_or("", |n| {
            let last = n.path.rsplit('.').next().unwrap_or_default();
            last.split('[').next().unwrap_or_default()
        });
        expected_text(expected, leaf)
    } else {
        message.to_string()
    };
    match node {
        Some(n) => format!("{} = {}: {allowed}", n.path, n.shown),
        None => allowed,
    }
}

/// What serde's `expected` means, for the key named `leaf`.
fn expected_text(expected: &str, leaf: &str) -> String {
    const DURATIONS: [&str; 8] = [
        "warmup", "deadline", "work", "rest", "dwell", "max_wait", "every", "duration",
    ];
    match expected {
        "u32" => format!("must be a whole number from 0 to {}", u32::MAX),
        "u64" => format!("must be a whole number from 0 to {}", u64::MAX),
        "f64" => "must be a number".into(),
        "a boolean" => "must be true or false".into(),
        "a string" if DURATIONS.contains(&leaf) => {
            "must be a duration in quotes with a unit (ms, s, min, h, d), e.g. \"24h\"".into()
        }
        "a string" if leaf == "from" || leaf == "to" => {
            "must be a whole hour in quotes, e.g. \"06:00\"".into()
        }
        "a string" if leaf == "times" => "must be a time of day in quotes, e.g. \"08:30\"".into(),
        "a string" if leaf == "days" => "must be days in quotes, e.g. \"mon-fri\"".into(),
        "a string" => "must be a text in quotes".into(),
        "a sequence" => "must be a list in brackets [ … ]".into(),
        e if e.starts_with("struct ") || e == "a map" => "must be a table".into(),
        other => format!("must be {other}"),
    }
}

/// Top-level tables the format requires that the file lacks, `first` among them.
fn missing_tables(text: &str, nodes: &[Node], first: &str) -> String {
    let schema = raw::json_schema();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let name = |k: &str| {
        if schema["properties"][k]["type"] == "array" {
            format!("[[{k}]]")
        } else {
            format!("[{k}]")
        }
    };
    let all: Vec<String> = required.iter().map(|k| name(k)).collect();
    let blank = nodes.iter().all(|n| n.path.is_empty())
        && text.lines().all(|l| {
            let l = l.trim();
            l.is_empty() || l.starts_with('#')
        });
    if blank {
        return format!("(empty file): a scenario needs at least {}", all.join(", "));
    }
    let present: Vec<&str> = nodes
        .iter()
        .filter(|n| n.key.is_some() && !n.path.contains(['.', '[']))
        .map(|n| n.path.as_str())
        .collect();
    let others: Vec<String> = required
        .iter()
        .filter(|k| **k != first && !present.contains(k))
        .map(|k| name(k))
        .collect();
    let also = if others.is_empty() {
        String::new()
    } else {
        format!(" (also missing: {})", others.join(", "))
    };
    format!(
        "{first} = (missing): the {} table is required{also}; a scenario needs at least {}",
        name(first),
        all.join(", ")
    )
}

/// The candidate nearest to `given`, if it is close enough to be a likely misspelling.
pub(crate) fn nearest<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|cand| (edit_distance(given, cand), cand))
        .filter(|(d, cand)| *d > 0 && *d <= 3.max(cand.len() / 3))
        .min()
        .map(|(_, c)| c)
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
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
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
        let keys = ["enabled", "machines", "shifts"];
        assert_eq!(nearest("machins", keys), Some("machines"));
        assert_eq!(nearest("zzzzzzzz", ["a"]), None);
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
