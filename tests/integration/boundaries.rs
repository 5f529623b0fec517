//! Module boundaries: the engine knows nothing of the domain, the model nothing of files,
//! serde or threads, and only the CLI prints.

use std::path::Path;

fn sources(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    assert!(!out.is_empty(), "no sources in {dir}");
    out
}

fn forbid(dir: &str, needles: &[&str]) {
    for (file, text) in sources(dir) {
        for needle in needles {
            assert!(!text.contains(needle), "{file} must not contain `{needle}`");
        }
    }
}

#[test]
fn engine_knows_no_domain_and_no_io() {
    forbid(
        "engine",
        &[
            "crate::model",
            "crate::scenario",
            "crate::experiment",
            "crate::report",
            "crate::cli",
            "serde",
            "rayon",
            "println!",
            "std::fs",
            "mail",
        ],
    );
}

#[test]
fn model_knows_no_files_serde_threads_or_reports() {
    forbid(
        "model",
        &[
            "crate::scenario",
            "crate::experiment",
            "crate::report",
            "crate::cli",
            "serde",
            "rayon",
            "println!",
            "std::fs",
        ],
    );
}

#[test]
fn stats_is_a_leaf() {
    forbid(
        "stats",
        &[
            "crate::engine",
            "crate::model",
            "crate::scenario",
            "crate::experiment",
            "crate::report",
            "crate::cli",
        ],
    );
}

#[test]
fn only_the_cli_prints() {
    for dir in [
        "engine",
        "model",
        "scenario",
        "experiment",
        "report",
        "stats",
    ] {
        forbid(dir, &["println!", "eprintln!", "process::exit"]);
    }
}
