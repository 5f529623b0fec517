//! Hostile input and random valid facilities.
//!
//! (a) The scenario reader, fed random bytes, TOML-like noise and randomly mutated versions of
//! `scenarios/small_imf.toml`, never panics: it returns a scenario or a `ScenarioError` whose
//! message names the file.
//! (b) The model, run on random valid small facilities (resources, probabilities, service
//! times, shifts, stages on and off, 1–3 days, small volumes), never panics, loses no item,
//! reports no negative wait or queue, and its clock never runs backwards.
//!
//! Case counts are fixed (see each `ProptestConfig`) so the whole module runs in seconds in
//! `cargo test --release`; set `PROPTEST_CASES` to run more.

use std::fmt::Write as _;
use std::path::Path;

use imfsim::engine::{EventClass, Observer, SimDuration, SimTime, Simulation};
use imfsim::model::{Event, ImfModel, RunSpec, run_replication};
use imfsim::scenario::{self, ScenarioError};
use proptest::prelude::*;

use crate::common::scenario_path;

fn small_imf() -> String {
    std::fs::read_to_string(scenario_path("small_imf.toml")).expect("bundled file")
}

/// Case count: `PROPTEST_CASES` if set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Parses `text`; the only acceptable outcomes are a scenario or a well-formed error.
fn parse_never_panics(text: &str) -> Result<(), TestCaseError> {
    let path = Path::new("fuzz/case.toml");
    match scenario::parse(text, path) {
        Ok(s) => {
            prop_assert!(!s.model.streams.is_empty());
        }
        Err(e) => {
            let shown = format!("{e:#}");
            prop_assert!(shown.starts_with("fuzz/case.toml"), "{shown}");
            prop_assert!(!shown.contains("panicked"), "{shown}");
            if let ScenarioError::Invalid { errors, .. } = &e {
                prop_assert!(!errors.is_empty());
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// (a) Hostile input

/// One edit of a scenario text.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    /// Replace the `nth` number in the text by `with`.
    Number {
        nth: usize,
        with: String,
    },
    /// Replace the whole value of the `nth` `key = value` line by `with`.
    Value {
        nth: usize,
        with: String,
    },
    /// Swap the values of two `key = value` lines.
    SwapValues(usize, usize),
    /// Cut the text at a fraction of its length.
    Truncate(f64),
    /// Insert `what` at a fraction of the length.
    Insert(f64, String),
}

fn replacement_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("-1".to_string()),
        Just("0".to_string()),
        Just("-0.0".to_string()),
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("99999999999999999999".to_string()),
        Just("4294967296".to_string()),
        Just("18446744073709551615".to_string()),
        Just("0.5".to_string()),
        Just("\"NaN\"".to_string()),
        Just("\"-5min\"".to_string()),
        Just("\"1e400h\"".to_string()),
        Just("\"\"".to_string()),
        Just("true".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just(String::new()),
        any::<i64>().prop_map(|x| x.to_string()),
        any::<f64>().prop_map(|x| format!("{x:?}")),
        (0u32..100).prop_map(|x| x.to_string()),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => any::<usize>().prop_map(Mutation::DeleteLine),
        1 => any::<usize>().prop_map(Mutation::DuplicateLine),
        3 => (any::<usize>(), replacement_value())
            .prop_map(|(nth, with)| Mutation::Number { nth, with }),
        3 => (any::<usize>(), replacement_value())
            .prop_map(|(nth, with)| Mutation::Value { nth, with }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapValues(a, b)),
        1 => (0.0..1.0f64).prop_map(Mutation::Truncate),
        1 => (0.0..1.0f64, "[\\[\\]{}=\",.#a-z0-9_\\n -]{0,12}")
            .prop_map(|(at, s)| Mutation::Insert(at, s)),
    ]
}

/// Indexes of the `key = value` lines.
fn key_lines(lines: &[String]) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains(" = ") && !l.trim_start().starts_with('#'))
        .map(|(i, _)| i)
        .collect()
}

/// The largest char boundary of `text` at or below `at`.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len().max(1);
    match m {
        Mutation::DeleteLine(i) => {
            if !lines.is_empty() {
                lines.remove(i % n);
            }
        }
        Mutation::DuplicateLine(i) => {
            if !lines.is_empty() {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
        }
        Mutation::Number { nth, with } => {
            // Numbers: maximal runs of digits, '.', '_', 'e', '-' starting with a digit or '-'.
            let bytes = text.as_bytes();
            let mut spans = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i].is_ascii_digit() {
                    let start = i;
                    while i < bytes.len()
                        && (bytes[i].is_ascii_digit() || matches!(bytes[i], b'.' | b'_' | b'e'))
                    {
                        i += 1;
                    }
                    spans.push(start..i);
                } else {
                    i += 1;
                }
            }
            if spans.is_empty() {
                return text.to_string();
            }
            let s = &spans[nth % spans.len()];
            return format!("{}{}{}", &text[..s.start], with, &text[s.end..]);
        }
        Mutation::Value { nth, with } => {
            let kv = key_lines(&lines);
            if !kv.is_empty() {
                let i = kv[nth % kv.len()];
                let key = lines[i]
                    .split_once(" = ")
                    .map_or("", |(k, _)| k)
                    .to_string();
                lines[i] = format!("{key} = {with}");
            }
        }
        Mutation::SwapValues(a, b) => {
            let kv = key_lines(&lines);
            if kv.len() >= 2 {
                let (i, j) = (kv[a % kv.len()], kv[b % kv.len()]);
                let split = |l: &str| {
                    let (k, v) = l.split_once(" = ").unwrap_or((l, ""));
                    (k.to_string(), v.to_string())
                };
                let ((ki, vi), (kj, vj)) = (split(&lines[i]), split(&lines[j]));
                lines[i] = format!("{ki} = {vj}");
                lines[j] = format!("{kj} = {vi}");
            }
        }
        Mutation::Truncate(f) => {
            let at = boundary(text, (text.len() as f64 * f) as usize);
            return text[..at].to_string();
        }
        Mutation::Insert(f, what) => {
            let at = boundary(text, (text.len() as f64 * f) as usize);
            return format!("{}{}{}", &text[..at], what, &text[at..]);
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(3000), ..ProptestConfig::default() })]

    #[test]
    fn mutated_small_imf_never_panics(ms in prop::collection::vec(mutation(), 1..5)) {
        let mut text = small_imf();
        for m in &ms {
            text = apply(&text, m);
        }
        parse_never_panics(&text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1000), ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in any::<String>()) {
        parse_never_panics(&text)?;
    }

    #[test]
    fn toml_like_noise_never_panics(text in "([\\[\\]{}=\",.#a-z0-9_ -]|\\n|\\[\\[streams\\]\\]\\n|\\[xray\\]\\n|dist = |\"[0-9]+(min|h|s)\"){0,60}") {
        parse_never_panics(&text)?;
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_the_file_reader(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.toml");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(e) = scenario::load(&path) {
            let shown = format!("{e:#}");
            prop_assert!(shown.contains("case.toml"), "{shown}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (b) Random valid facilities

/// Draws choices from a list of random numbers; shrinking them towards 0 makes the facility
/// simpler (0 is always the first, simplest choice).
struct Genes<'a> {
    genes: &'a [u32],
    next: usize,
}

impl Genes<'_> {
    fn raw(&mut self) -> u32 {
        let g = self.genes.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        g
    }
    /// A whole number in `lo..=hi`.
    fn int(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.raw() % (hi - lo + 1)
    }
    /// A number in `[lo, hi]`, in 1000 steps.
    fn num(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * f64::from(self.raw() % 1001) / 1000.0
    }
    fn flag(&mut self) -> bool {
        self.raw() % 2 == 1
    }
    fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        from[self.raw() as usize % from.len()]
    }
}

/// A random distribution of durations around `scale_s` seconds (sometimes 0, sometimes 100
/// times longer), as TOML.
fn time_dist(g: &mut Genes, scale_s: f64) -> String {
    let scale_s = scale_s * [1.0, 1.0, 1.0, 0.0, 100.0][g.int(0, 4) as usize];
    let s = |x: f64| format!("\"{:.3}s\"", x);
    let m = g.num(0.0, 2.0 * scale_s);
    match g.int(0, 6) {
        0 => format!("{{ dist = \"deterministic\", value = {} }}", s(m)),
        1 => format!("{{ dist = \"exponential\", mean = {} }}", s(m.max(0.01))),
        2 => {
            let hi = m + g.num(0.0, scale_s);
            format!("{{ dist = \"uniform\", min = {}, max = {} }}", s(m), s(hi))
        }
        3 => {
            let mode = m + g.num(0.0, scale_s);
            let hi = mode + g.num(0.0, scale_s);
            format!(
                "{{ dist = \"triangular\", min = {}, mode = {}, max = {} }}",
                s(m),
                s(mode),
                s(hi)
            )
        }
        4 => format!(
            "{{ dist = \"lognormal\", mean = {}, cv = {} }}",
            s(m.max(0.01)),
            g.num(0.0, 3.0)
        ),
        5 => format!(
            "{{ dist = \"gamma\", mean = {}, cv = {} }}",
            s(m.max(0.01)),
            g.num(0.05, 3.0)
        ),
        _ => {
            let n = g.int(1, 4);
            let values: Vec<String> = (0..n).map(|_| s(g.num(0.0, 2.0 * scale_s))).collect();
            let mut weights: Vec<f64> = (0..n).map(|_| g.num(0.0, 3.0)).collect();
            weights[0] += 0.5;
            format!(
                "{{ dist = \"empirical\", values = [{}], weights = [{}] }}",
                values.join(", "),
                weights
                    .iter()
                    .map(|w| w.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

/// A random shift list whose peak is exactly `peak` units (≥ 1): one shift with `peak`
/// units plus shorter ones that never overlap it.
fn shifts(g: &mut Genes, peak: u32) -> String {
    let from = g.int(0, 12);
    let len = g.int(4, 12);
    let days = g.pick(&[
        "daily",
        "mon-fri",
        "sat,sun",
        "mon,wed,fri",
        "weekdays",
        "tue-sun",
    ]);
    let mut out = format!(
        "[{{ days = \"{days}\", from = \"{from:02}:00\", to = \"{:02}:00\", units = {peak} }}",
        from + len
    );
    if g.flag() {
        // The rest of the day, fewer units (possibly none), past midnight.
        let units = g.int(0, peak);
        let _ = write!(
            out,
            ", {{ days = \"{days}\", from = \"{:02}:00\", to = \"{from:02}:00\", units = {units} }}",
            (from + len) % 24
        );
    }
    out.push(']');
    out
}

fn probability(g: &mut Genes) -> f64 {
    match g.int(0, 4) {
        0 => 0.0,
        1 => 1.0,
        _ => g.num(0.0, 1.0),
    }
}

/// A random valid scenario, as TOML text.
fn facility(genes: &[u32]) -> String {
    let g = &mut Genes { genes, next: 0 };
    let mut t = String::new();
    let items = if g.int(0, 9) == 0 {
        g.int(3000, 20_000)
    } else {
        g.int(1, 3000)
    };
    let dow: Vec<String> = (0..7)
        .map(|i| format!("{}", g.num(0.0, 2.0) + f64::from(u8::from(i == 0))))
        .collect();
    let _ = writeln!(
        t,
        "[arrivals]\nitems_per_day = {items}\nday_of_week = [{}]\ncontainer_size = {}",
        dow.join(", "),
        g.int(1, 800)
    );
    if g.flag() {
        let _ = writeln!(t, "[arrivals.poisson]\ngroup_size = {}", g.int(1, 5));
        if g.flag() {
            let hw: Vec<String> = (0..24)
                .map(|h| format!("{}", g.num(0.0, 3.0) + f64::from(u8::from(h == 12))))
                .collect();
            let _ = writeln!(t, "hour_weights = [{}]", hw.join(", "));
        }
    } else {
        let _ = writeln!(t, "[arrivals.flights]");
        if g.flag() {
            let _ = writeln!(t, "per_day = {}", g.int(1, 30));
        } else {
            let n = g.int(1, 6);
            let mut minute = 0;
            let times: Vec<String> = (0..n)
                .map(|_| {
                    minute += g.int(1, 230);
                    format!("\"{:02}:{:02}\"", minute / 60, minute % 60)
                })
                .collect();
            let _ = writeln!(t, "times = [{}]", times.join(", "));
        }
        match g.int(0, 2) {
            0 => {}
            1 => {
                let _ = writeln!(t, "batch = \"fixed\"");
            }
            _ => {
                let _ = writeln!(t, "batch = \"gamma\"\nbatch_cv = {}", g.num(0.05, 2.0));
            }
        }
    }

    let n_streams = g.int(1, 4);
    let weights: Vec<u32> = (0..n_streams).map(|_| g.int(1, 10)).collect();
    let total: u32 = weights.iter().sum();
    for (i, w) in weights.iter().enumerate() {
        let _ = writeln!(
            t,
            "[[streams]]\nname = \"s{i}\"\ncategory = \"{}\"\norigin = \"{}\"\nshare = {}",
            g.pick(&[
                "letter_flat",
                "small_packet",
                "ecommerce",
                "express",
                "priority",
                "registered"
            ]),
            g.pick(&["china_hk", "rest_of_world"]),
            f64::from(*w) / f64::from(total)
        );
        let _ = writeln!(
            t,
            "mou_share = {}\nofficer_pick_share = {}\nofficer_pick_lift = {}\naed_share = {}\nbag_size = {}\ncanine = {}",
            g.num(0.0, 0.3),
            g.num(0.0, 0.05),
            g.num(1.0, 20.0),
            probability(g),
            g.int(1, 40),
            g.flag()
        );
        for k in 0..g.int(0, 2) {
            let amount = if g.flag() {
                format!(
                    "{{ dist = \"lognormal\", mean = {}, cv = {} }}",
                    g.num(1.0, 1000.0),
                    g.num(0.0, 3.0)
                )
            } else {
                format!(
                    "{{ dist = \"deterministic\", value = {} }}",
                    g.num(0.0, 500.0)
                )
            };
            let _ = writeln!(
                t,
                "[[streams.contraband]]\nkind = \"k{k}\"\nprevalence = {}\namount_g = {amount}",
                g.num(0.0, 0.2)
            );
        }
    }

    // Officers first: the stages' officer needs must fit under the peak.
    let officer_peak = g.int(1, 8);
    let per_machine = g.int(0, officer_peak.min(2));
    let per_test = g.int(0, officer_peak.min(2));
    if g.flag() {
        let _ = writeln!(t, "[officers]\non_duty = {officer_peak}");
    } else {
        let _ = writeln!(t, "[officers]\nshifts = {}", shifts(g, officer_peak));
    }
    let _ = writeln!(
        t,
        "[seizure]\nservice = {}\ndeadline = \"{}h\"",
        time_dist(g, 3600.0),
        g.int(1, 48)
    );
    if g.flag() {
        let lanes = g.int(1, 3);
        let _ = writeln!(
            t,
            "[portal]\nenabled = {}\nlanes = {lanes}\nservice = {}",
            g.int(0, 3) > 0,
            time_dist(g, 120.0)
        );
        if g.flag() {
            let _ = writeln!(t, "shifts = {}", shifts(g, lanes));
        }
    }
    if g.flag() {
        let _ = writeln!(
            t,
            "[targeting]\ntarget_share = {}\nlift = {}\nlocate_rate = {}",
            probability(g),
            g.num(1.0, 30.0),
            probability(g)
        );
        if g.flag() {
            let _ = writeln!(t, "daily_cap = {}", g.int(0, 100));
        }
    }
    if g.flag() {
        let teams = g.int(1, 3);
        let _ = writeln!(
            t,
            "[canine]\nenabled = {}\nteams = {teams}\nitems_per_hour = {}\nwork = \"{}min\"\nrest = \"{}min\"\np_detect = {}\np_false_alert = {}\ndwell = \"{}h\"",
            g.int(0, 3) > 0,
            g.num(1.0, 2000.0),
            g.int(1, 40),
            g.int(0, 20),
            probability(g),
            probability(g),
            g.int(1, 8)
        );
        if g.flag() {
            let _ = writeln!(t, "shifts = {}", shifts(g, teams));
        }
    }
    if g.flag() {
        let machines = g.int(1, 3);
        let _ = writeln!(
            t,
            "[xray]\nenabled = {}\nmachines = {machines}\nofficers_per_machine = {per_machine}\nservice = {}\np_flag_contraband = {}\np_flag_clean = {}",
            g.int(0, 3) > 0,
            time_dist(g, 15.0),
            probability(g),
            g.num(0.0, 0.3)
        );
        if g.flag() {
            let _ = writeln!(t, "shifts = {}", shifts(g, machines));
        }
        if g.flag() {
            let _ = writeln!(t, "max_wait = \"{}min\"", g.int(1, 72 * 60));
        }
        if g.flag() {
            let _ = writeln!(
                t,
                "breakdowns = {{ between_failures = {{ dist = \"exponential\", mean = \"{}h\" }}, repair = {} }}",
                g.int(1, 48),
                time_dist(g, 3600.0)
            );
        }
        if g.flag() {
            let every = g.int(1, 7);
            let _ = writeln!(
                t,
                "maintenance = {{ every = \"{every}d\", duration = \"{}h\" }}",
                g.int(1, 23)
            );
        }
    }
    if g.flag() {
        let _ = writeln!(
            t,
            "[exam]\nenabled = {}\nservice = {}\np_find = {}\np_suspect_clean = {}",
            g.int(0, 3) > 0,
            time_dist(g, 600.0),
            probability(g),
            probability(g)
        );
    }
    if g.flag() {
        let sensitivity = g.num(0.0, 1.0);
        let false_positive = g.num(0.0, 1.0);
        let inconclusive = g.num(0.0, 1.0 - sensitivity.max(false_positive));
        let devices = g.int(1, 2);
        let _ = writeln!(
            t,
            "[chem]\nenabled = {}\ndevices = {devices}\nofficers_per_test = {per_test}\nservice = {}\nsensitivity = {sensitivity}\nfalse_positive = {false_positive}\ninconclusive = {inconclusive}",
            g.int(0, 3) > 0,
            time_dist(g, 300.0),
        );
        if g.flag() {
            let _ = writeln!(
                t,
                "breakdowns = {{ between_failures = {{ dist = \"gamma\", mean = \"{}h\", cv = 0.5 }}, repair = {} }}",
                g.int(1, 48),
                time_dist(g, 1800.0)
            );
        }
    }
    if g.flag() {
        let _ = writeln!(
            t,
            "[lab]\nenabled = {}\nturnaround = {}\nsensitivity = {}",
            g.int(0, 3) > 0,
            time_dist(g, 86_400.0),
            probability(g)
        );
        if g.flag() {
            let _ = writeln!(t, "daily_cap = {}", g.int(1, 20));
        }
    }
    if g.flag() {
        let _ = writeln!(t, "[holding]\nsecure_capacity = {}", g.int(0, 30));
    }
    t
}

/// Checks the clock: every event fires inside `[0, end)` and never before the one before it.
struct Clock {
    last: u64,
    end: u64,
    events: u64,
    backwards: Option<(u64, u64)>,
}

impl<E> Observer<E> for Clock {
    fn on_event(&mut self, now: SimTime, _event: &E) {
        let t = now.as_ms();
        if (t < self.last || t >= self.end) && self.backwards.is_none() {
            self.backwards = Some((self.last, t));
        }
        self.last = t;
        self.events += 1;
    }
}

fn genes() -> impl Strategy<Value = (Vec<u32>, u64, u32)> {
    (
        prop::collection::vec(any::<u32>(), 256),
        any::<u64>(),
        1u32..=3,
    )
}

fn valid(text: &str) -> Result<scenario::Scenario, TestCaseError> {
    scenario::parse(text, Path::new("random.toml"))
        .map_err(|e| TestCaseError::fail(format!("generated scenario rejected: {e:#}\n{text}")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(150), ..ProptestConfig::default() })]

    #[test]
    fn random_facilities_conserve_items_and_report_no_negative_waits((genes, seed, days) in genes()) {
        let text = facility(&genes);
        let s = valid(&text)?;
        let spec = RunSpec {
            seed,
            replication: 0,
            horizon: SimDuration::from_days(u64::from(days)),
            warmup: SimDuration::from_hours(seed % 13),
        };
        let r = run_replication(&s.model, spec)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert!(r.conservation_errors.is_empty(), "{:?}\n{text}", r.conservation_errors);
        for m in &r.metrics {
            if m.name.contains("wait") || m.name.contains("queue") || m.name.contains("backlog") {
                prop_assert!(m.value.is_nan() || m.value >= 0.0, "{} = {}\n{text}", m.key(), m.value);
            }
        }
        for (name, series) in [
            ("lab_backlog", &r.daily.lab_backlog),
            ("xray_queue", &r.daily.xray_queue),
            ("in_custody", &r.daily.in_custody),
        ] {
            prop_assert!(series.iter().all(|x| x.is_nan() || *x >= 0.0), "{name}: {series:?}\n{text}");
        }
    }

    #[test]
    fn random_facilities_keep_the_clock_moving_forward((genes, seed, days) in genes()) {
        let text = facility(&genes);
        let s = valid(&text)?;
        let spec = RunSpec {
            seed,
            replication: 1,
            horizon: SimDuration::from_days(u64::from(days)),
            warmup: SimDuration::ZERO,
        };
        let mut sim = Simulation::new(ImfModel::new(s.model.clone(), spec));
        sim.schedule_at(SimTime::ZERO, EventClass::Release, Event::Start)
            .expect("start can be scheduled");
        let end = SimTime::ZERO + spec.horizon;
        let mut clock = Clock { last: 0, end: end.as_ms(), events: 0, backwards: None };
        sim.run_until_observed(end, &mut clock);
        prop_assert_eq!(clock.backwards, None, "clock went from ms {:?}\n{}", clock.backwards, text);
        prop_assert!(clock.events > 0);
        prop_assert_eq!(sim.now(), end);
        let r = sim.model().finish(end, sim.events_handled());
        prop_assert!(r.conservation_errors.is_empty(), "{:?}\n{text}", r.conservation_errors);
    }
}

#[test]
fn the_generator_covers_every_stage() {
    // Sanity check of the generator: over a few hundred draws every optional table appears
    // both on and off, so the properties above exercise them.
    let mut seen = std::collections::BTreeMap::<&str, (u32, u32)>::new();
    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..300 {
        let genes: Vec<u32> = (0..256)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng as u32
            })
            .collect();
        let text = facility(&genes);
        let s = scenario::parse(&text, Path::new("random.toml"))
            .unwrap_or_else(|e| panic!("generated scenario rejected: {e:#}\n{text}"));
        let m = &s.model;
        for (name, on) in [
            ("portal", m.portal.is_some()),
            ("canine", m.canine.is_some()),
            ("xray", m.xray.is_some()),
            ("exam", m.exam.is_some()),
            ("chem", m.chem.is_some()),
            ("lab", m.lab.is_some()),
        ] {
            let e = seen.entry(name).or_default();
            if on { e.0 += 1 } else { e.1 += 1 }
        }
    }
    for (name, (on, off)) in seen {
        assert!(on > 10 && off > 10, "{name}: on {on}, off {off}");
    }
}
