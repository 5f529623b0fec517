//! Stage two of reading a scenario: raw values → typed, validated [`ModelConfig`] and
//! [`RunConfig`]. Every problem found is collected (not just the first), each naming the key
//! path, the value given and what is allowed.

use crate::engine::calendar::HOURS_PER_WEEK;
use crate::engine::{
    Availability, Breakdowns, DistSpec, Distribution, Maintenance, SimDuration, WeeklyCalendar,
};
use crate::model::config::{
    ArrivalConfig, ArrivalPattern, BatchSize, CanineConfig, Category, ChemConfig, ContrabandConfig,
    ExamConfig, HoldingConfig, LabConfig, ModelConfig, Origin, PortalConfig, SeizureConfig,
    StreamConfig, TargetingConfig, XrayConfig,
};

use super::raw::*;
use super::{RunConfig, defaults};

/// One problem with one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted key path, e.g. `xray.service.cv` or `streams[2].share`.
    pub key: String,
    /// The value given (as written), or `(missing)`.
    pub value: String,
    /// What is allowed.
    pub allowed: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} = {}: {}", self.key, self.value, self.allowed)
    }
}

/// The distributions a scenario may name in `dist = "…"`.
pub(crate) const DIST_NAMES: [&str; 7] = [
    "exponential",
    "deterministic",
    "uniform",
    "triangular",
    "lognormal",
    "gamma",
    "empirical",
];

/// Collects problems while converting.
#[derive(Default)]
pub(crate) struct Checker {
    pub(crate) errors: Vec<FieldError>,
}

fn show(x: f64) -> String {
    format!("{x}")
}

/// A sum of `parts` as `a + b + c = total`, rounded so float noise does not show.
fn show_sum(parts: &[f64]) -> String {
    let total: f64 = parts.iter().sum();
    let round = |x: f64| format!("{}", (x * 1e9).round() / 1e9);
    let terms: Vec<String> = parts.iter().map(|x| show(*x)).collect();
    if parts.len() > 1 && parts.len() <= 8 {
        format!("{} = {}", terms.join(" + "), round(total))
    } else {
        format!("total {}", round(total))
    }
}

/// A list of numbers as written: `[1, 2, 3]`.
fn show_list(xs: &[f64]) -> String {
    let items: Vec<String> = xs.iter().map(|x| show(*x)).collect();
    format!("[{}]", items.join(", "))
}

/// A distribution parameter as written: `700` or `"9s"`.
fn show_raw(v: &NumOrText) -> String {
    match v {
        NumOrText::Num(x) => show(*x),
        NumOrText::Text(t) => format!("\"{t}\""),
    }
}

/// "must be one of a, b, c", with the nearest name suggested when `given` looks misspelt.
pub(crate) fn one_of(given: &str, names: &[&str]) -> String {
    let hint = super::nearest(given, names.iter().copied())
        .map_or(String::new(), |n| format!(" (did you mean \"{n}\"?)"));
    format!("must be one of {}{hint}", names.join(", "))
}

/// What is wrong with a duration text the engine rejected, in the planner's terms.
fn duration_problem(text: &str) -> Option<String> {
    let t = text.trim();
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (num, unit) = (t[..split].trim(), t[split..].trim());
    Some(if num.is_empty() {
        "no number".to_string()
    } else if unit.is_empty() {
        "no unit".to_string()
    } else if num.parse::<f64>().is_err() {
        format!("\"{num}\" is not a number")
    } else if !["ms", "s", "min", "h", "d"].contains(&unit) {
        format!("unknown unit \"{unit}\"")
    } else if num.starts_with('-') {
        "negative".to_string()
    } else {
        return None;
    })
}

impl Checker {
    pub(crate) fn fail(&mut self, key: &str, value: impl Into<String>, allowed: impl Into<String>) {
        self.errors.push(FieldError {
            key: key.to_string(),
            value: value.into(),
            allowed: allowed.into(),
        });
    }

    /// A probability in [0, 1].
    pub(crate) fn prob(&mut self, key: &str, p: f64) -> f64 {
        if !(0.0..=1.0).contains(&p) {
            self.fail(key, show(p), "must be a probability between 0 and 1");
        }
        p.clamp(0.0, 1.0)
    }

    /// A finite number ≥ `min` (`strict`: > `min`).
    pub(crate) fn at_least(&mut self, key: &str, x: f64, min: f64, strict: bool) -> f64 {
        let ok = x.is_finite() && if strict { x > min } else { x >= min };
        if !ok {
            let op = if strict { ">" } else { "≥" };
            self.fail(key, show(x), format!("must be a finite number {op} {min}"));
        }
        x
    }

    fn count_at_least(&mut self, key: &str, n: u64, min: u64) {
        if n < min {
            self.fail(
                key,
                n.to_string(),
                format!("must be a whole number ≥ {min}"),
            );
        }
    }

    fn duration(&mut self, key: &str, text: &str, positive: bool) -> SimDuration {
        match text.parse::<SimDuration>() {
            Ok(d) if positive && d.is_zero() => {
                self.fail(
                    key,
                    format!("\"{text}\""),
                    "must be a duration > 0, e.g. \"20s\", \"5min\", \"24h\"",
                );
                d
            }
            Ok(d) => d,
            Err(e) => {
                self.fail(
                    key,
                    format!("\"{text}\""),
                    format!(
                        "must be a duration: a number ≥ 0 and a unit (ms, s, min, h, d), e.g. \"24h\" ({})",
                        duration_problem(text).unwrap_or(e.reason)
                    ),
                );
                SimDuration::ZERO
            }
        }
    }

    /// A value of a distribution: seconds (from a duration text) if `time`, else a plain number.
    fn dist_value(&mut self, key: &str, v: &NumOrText, time: bool) -> f64 {
        match (v, time) {
            (NumOrText::Text(t), true) => self.duration(key, t, false).as_secs_f64(),
            (NumOrText::Num(x), true) => {
                self.fail(
                    key,
                    show(*x),
                    format!(
                        "must be a duration in quotes with a unit (ms, s, min, h, d), e.g. \"{}s\"",
                        show(*x)
                    ),
                );
                0.0
            }
            (NumOrText::Num(x), false) => *x,
            (NumOrText::Text(t), false) => {
                let number = t.trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace());
                let example = number
                    .parse::<f64>()
                    .map_or(String::new(), |x| format!(", e.g. {}", show(x)));
                self.fail(
                    key,
                    format!("\"{t}\""),
                    format!("must be a plain number without quotes or unit{example}"),
                );
                0.0
            }
        }
    }

    /// A distribution; durations are returned in seconds.
    fn dist(&mut self, key: &str, raw: &RawDist, time: bool) -> Distribution {
        let before = self.errors.len();
        let need = |c: &mut Checker, name: &str, v: &Option<NumOrText>| -> f64 {
            match v {
                Some(v) => c.dist_value(&format!("{key}.{name}"), v, time),
                None => {
                    c.fail(
                        &format!("{key}.{name}"),
                        "(missing)",
                        format!("is required for dist = \"{}\"", raw.dist),
                    );
                    1.0
                }
            }
        };
        let cv = |c: &mut Checker| -> f64 {
            raw.cv.unwrap_or_else(|| {
                c.fail(
                    &format!("{key}.cv"),
                    "(missing)",
                    format!("is required for dist = \"{}\"", raw.dist),
                );
                1.0
            })
        };
        let allowed: &[(&str, &[&str])] = &[
            ("exponential", &["mean"]),
            ("deterministic", &["value"]),
            ("uniform", &["min", "max"]),
            ("triangular", &["min", "mode", "max"]),
            ("lognormal", &["mean", "cv"]),
            ("gamma", &["mean", "cv"]),
            ("empirical", &["values", "weights"]),
        ];
        let spec = match raw.dist.as_str() {
            "exponential" => DistSpec::Exponential {
                mean: need(self, "mean", &raw.mean),
            },
            "deterministic" => DistSpec::Deterministic {
                value: need(self, "value", &raw.value),
            },
            "uniform" => DistSpec::Uniform {
                min: need(self, "min", &raw.min),
                max: need(self, "max", &raw.max),
            },
            "triangular" => DistSpec::Triangular {
                min: need(self, "min", &raw.min),
                mode: need(self, "mode", &raw.mode),
                max: need(self, "max", &raw.max),
            },
            "lognormal" => DistSpec::LogNormal {
                mean: need(self, "mean", &raw.mean),
                cv: cv(self),
            },
            "gamma" => DistSpec::Gamma {
                mean: need(self, "mean", &raw.mean),
                cv: cv(self),
            },
            "empirical" => {
                let values: Vec<f64> = match &raw.values {
                    Some(vs) => vs
                        .iter()
                        .enumerate()
                        .map(|(i, v)| self.dist_value(&format!("{key}.values[{i}]"), v, time))
                        .collect(),
                    None => {
                        self.fail(
                            &format!("{key}.values"),
                            "(missing)",
                            "is required for dist = \"empirical\"",
                        );
                        vec![1.0]
                    }
                };
                if values.is_empty() {
                    self.fail(
                        &format!("{key}.values"),
                        "[]",
                        "must list at least one value",
                    );
                }
                let weights = raw
                    .weights
                    .clone()
                    .unwrap_or_else(|| vec![1.0; values.len()]);
                if let Some(w) = &raw.weights {
                    let wkey = format!("{key}.weights");
                    if w.len() != values.len() {
                        self.fail(
                            &wkey,
                            show_list(w),
                            format!(
                                "must give one weight per value ({} weights for {} values)",
                                w.len(),
                                values.len()
                            ),
                        );
                    } else if !w.iter().all(|x| x.is_finite() && *x >= 0.0) {
                        self.fail(&wkey, show_list(w), "must be finite numbers ≥ 0");
                    } else if !values.is_empty() && w.iter().sum::<f64>() <= 0.0 {
                        self.fail(&wkey, show_list(w), "must not all be 0");
                    }
                }
                DistSpec::Empirical { values, weights }
            }
            other => {
                self.fail(
                    &format!("{key}.dist"),
                    format!("\"{other}\""),
                    one_of(other, &DIST_NAMES),
                );
                return Distribution::constant(0.0);
            }
        };
        // Parameters given that this distribution does not use.
        let used = allowed
            .iter()
            .find(|(n, _)| *n == raw.dist)
            .map_or(&[][..], |(_, u)| *u);
        let list = |v: &Option<Vec<NumOrText>>| {
            v.as_ref().map(|vs| {
                let items: Vec<String> = vs.iter().map(show_raw).collect();
                format!("[{}]", items.join(", "))
            })
        };
        let given = [
            ("mean", raw.mean.as_ref().map(show_raw)),
            ("cv", raw.cv.map(show)),
            ("value", raw.value.as_ref().map(show_raw)),
            ("min", raw.min.as_ref().map(show_raw)),
            ("mode", raw.mode.as_ref().map(show_raw)),
            ("max", raw.max.as_ref().map(show_raw)),
            ("values", list(&raw.values)),
            ("weights", raw.weights.as_deref().map(show_list)),
        ];
        for (name, value) in given {
            if let Some(value) = value
                && !used.contains(&name)
            {
                self.fail(
                    &format!("{key}.{name}"),
                    value,
                    format!(
                        "is not a parameter of dist = \"{}\" (it takes {})",
                        raw.dist,
                        used.join(", ")
                    ),
                );
            }
        }
        if self.errors.len() > before {
            return Distribution::constant(0.0);
        }
        // Ordering of bounds, named with the values as written.
        let text = |v: &Option<NumOrText>| v.as_ref().map(show_raw).unwrap_or_default();
        match spec {
            DistSpec::Uniform { min, max } if max < min => {
                self.fail(
                    &format!("{key}.max"),
                    text(&raw.max),
                    format!("must be ≥ min = {}", text(&raw.min)),
                );
                return Distribution::constant(0.0);
            }
            DistSpec::Triangular { min, max, .. } if max < min => {
                self.fail(
                    &format!("{key}.max"),
                    text(&raw.max),
                    format!("must be ≥ min = {}", text(&raw.min)),
                );
                return Distribution::constant(0.0);
            }
            DistSpec::Triangular { min, mode, max } if !(min..=max).contains(&mode) => {
                self.fail(
                    &format!("{key}.mode"),
                    text(&raw.mode),
                    format!(
                        "must lie between min = {} and max = {}",
                        text(&raw.min),
                        text(&raw.max)
                    ),
                );
                return Distribution::constant(0.0);
            }
            _ => {}
        }
        match Distribution::new(spec) {
            Ok(d) => d,
            Err(e) => {
                let written = match e.field {
                    "mean" => raw.mean.as_ref().map(show_raw),
                    "value" => raw.value.as_ref().map(show_raw),
                    "min" => raw.min.as_ref().map(show_raw),
                    "mode" => raw.mode.as_ref().map(show_raw),
                    "max" => raw.max.as_ref().map(show_raw),
                    "cv" => raw.cv.map(show),
                    "weights" => raw.weights.as_deref().map(show_list),
                    _ => None,
                };
                let value = written.unwrap_or(if time && e.field != "weights" {
                    format!("{} (s)", e.value)
                } else {
                    e.value
                });
                self.fail(&format!("{key}.{}", e.field), value, e.allowed);
                Distribution::constant(0.0)
            }
        }
    }

    fn hour(&mut self, key: &str, text: &str, allow_24: bool) -> Option<usize> {
        let parsed = text
            .split_once(':')
            .filter(|(_, m)| *m == "00")
            .and_then(|(h, _)| h.parse::<usize>().ok())
            .filter(|&h| h < 24 || (allow_24 && h == 24));
        if parsed.is_none() {
            let last = if allow_24 { "24:00" } else { "23:00" };
            self.fail(
                key,
                format!("\"{text}\""),
                format!("must be a whole hour \"HH:00\" from \"00:00\" to \"{last}\""),
            );
        }
        parsed
    }

    fn weekdays(&mut self, key: &str, text: &str) -> Vec<usize> {
        const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let mut days = Vec::new();
        let lower = text.to_ascii_lowercase();
        for part in lower.split(',').map(str::trim) {
            let idx = |d: &str| NAMES.iter().position(|n| *n == d);
            match part {
                "daily" | "all" => days.extend(0..7),
                "weekdays" => days.extend(0..5),
                "weekends" => days.extend(5..7),
                _ => match part.split_once('-') {
                    Some((a, b)) => match (idx(a.trim()), idx(b.trim())) {
                        (Some(a), Some(b)) if a <= b => days.extend(a..=b),
                        _ => {
                            self.fail(key, format!("\"{text}\""), "must be days like \"mon-fri\", \"sat,sun\", \"daily\" (ranges run Monday to Sunday)");
                            return days;
                        }
                    },
                    None => match idx(part) {
                        Some(d) => days.push(d),
                        None => {
                            self.fail(
                                key,
                                format!("\"{text}\""),
                                "must be days like \"mon-fri\", \"sat,sun\", \"daily\"",
                            );
                            return days;
                        }
                    },
                },
            }
        }
        days
    }

    /// A weekly calendar from the shift list at `key`, or `units` around the clock if none.
    fn calendar(&mut self, key: &str, units: u32, shifts: Option<&[RawShift]>) -> WeeklyCalendar {
        let Some(shifts) = shifts else {
            return WeeklyCalendar::constant(units);
        };
        if shifts.is_empty() {
            self.fail(
                key,
                "[]",
                "must list at least one shift, or be left out for round-the-clock duty",
            );
        }
        let mut hours = vec![0u32; HOURS_PER_WEEK];
        for (i, s) in shifts.iter().enumerate() {
            let k = format!("{key}[{i}]");
            let days = self.weekdays(&format!("{k}.days"), &s.days);
            let from = self.hour(&format!("{k}.from"), &s.from, false);
            let to = self.hour(&format!("{k}.to"), &s.to, true);
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if from == to {
                self.fail(&format!("{k}.to"), format!("\"{}\"", s.to), "must differ from `from` (for round the clock use from = \"00:00\", to = \"24:00\")");
                continue;
            }
            let len = if to > from { to - from } else { 24 - from + to };
            for d in days {
                for h in 0..len {
                    let slot = (d * 24 + from + h) % HOURS_PER_WEEK;
                    hours[slot] = hours[slot].saturating_add(s.units);
                }
            }
        }
        WeeklyCalendar::from_hours(hours).unwrap_or_else(|| WeeklyCalendar::constant(units))
    }

    fn breakdowns(&mut self, key: &str, raw: Option<&RawBreakdowns>) -> Option<Breakdowns> {
        raw.map(|b| {
            let k = format!("{key}.breakdowns.between_failures");
            let before = self.errors.len();
            let between_failures = self.dist(&k, &b.between_failures, true);
            // A unit that fails again the moment it is repaired would stall the clock.
            if self.errors.len() == before && between_failures.mean() <= 0.0 {
                self.fail(
                    &k,
                    "(mean 0)",
                    "must have a mean > 0 (time from a repair to the next failure)",
                );
            }
            Breakdowns {
                between_failures,
                repair: self.dist(&format!("{key}.breakdowns.repair"), &b.repair, true),
            }
        })
    }

    fn maintenance(&mut self, key: &str, raw: Option<&RawMaintenance>) -> Option<Maintenance> {
        raw.map(|m| {
            let every = self.duration(&format!("{key}.maintenance.every"), &m.every, true);
            let duration = self.duration(&format!("{key}.maintenance.duration"), &m.duration, true);
            if duration >= every && !every.is_zero() {
                self.fail(
                    &format!("{key}.maintenance.duration"),
                    format!("\"{}\"", m.duration),
                    format!(
                        "must be shorter than {key}.maintenance.every = \"{}\"",
                        m.every
                    ),
                );
            }
            Maintenance { every, duration }
        })
    }

    /// Installed units with calendar, breakdowns and maintenance; shift units may not exceed
    /// the installed units.
    fn equipment(
        &mut self,
        key: &str,
        units_key: &str,
        units: u32,
        shifts: Option<&[RawShift]>,
        breakdowns: Option<&RawBreakdowns>,
        maintenance: Option<&RawMaintenance>,
    ) -> Availability {
        if units == 0 {
            self.fail(
                &format!("{key}.{units_key}"),
                "0",
                format!(
                    "must be a whole number ≥ 1 while [{key}] is enabled (to run without it, set enabled = false)"
                ),
            );
        }
        let calendar = self.calendar(&format!("{key}.shifts"), units, shifts);
        if calendar.peak() > units {
            self.fail(
                &format!("{key}.shifts"),
                format!("{} units on duty at the peak", calendar.peak()),
                format!("must not exceed {key}.{units_key} = {units} installed"),
            );
        }
        Availability {
            calendar,
            units,
            breakdowns: self.breakdowns(key, breakdowns),
            maintenance: self.maintenance(key, maintenance),
        }
    }
}

fn category(text: &str) -> Option<Category> {
    Category::ALL.into_iter().find(|c| c.key() == text)
}

fn origin(text: &str) -> Option<Origin> {
    Origin::ALL.into_iter().find(|o| o.key() == text)
}

fn enabled(flag: Option<bool>) -> bool {
    flag.unwrap_or(true)
}

/// Converts a raw scenario; returns the configs or every problem found.
pub(crate) fn validate(raw: &RawScenario) -> Result<(ModelConfig, RunConfig), Vec<FieldError>> {
    let mut c = Checker::default();

    // [run]
    let run = RunConfig {
        days: raw.run.days.unwrap_or(defaults::DAYS),
        warmup: raw
            .run
            .warmup
            .as_deref()
            .map_or(defaults::WARMUP, |w| c.duration("run.warmup", w, false)),
        replications: raw.run.replications.unwrap_or(defaults::REPLICATIONS),
        seed: raw.run.seed.unwrap_or(defaults::SEED),
    };
    c.count_at_least("run.days", u64::from(run.days), 1);
    c.count_at_least("run.replications", u64::from(run.replications), 1);
    if run.replications > defaults::MAX_REPLICATIONS {
        c.fail(
            "run.replications",
            run.replications.to_string(),
            format!("must be at most {}", defaults::MAX_REPLICATIONS),
        );
    }
    if run.days > defaults::MAX_DAYS {
        c.fail(
            "run.days",
            run.days.to_string(),
            format!("must be at most {} (100 years)", defaults::MAX_DAYS),
        );
    }
    if run.warmup > SimDuration::from_days(u64::from(defaults::MAX_DAYS)) {
        c.fail(
            "run.warmup",
            raw.run.warmup.clone().unwrap_or_default(),
            "must be at most 100 years",
        );
    }

    // [[streams]]
    if raw.streams.is_empty() {
        c.fail("streams", "[]", "must list at least one [[streams]] table");
    }
    let mut streams = Vec::new();
    for (i, s) in raw.streams.iter().enumerate() {
        let k = |f: &str| format!("streams[{i}].{f}");
        let valid_name = !s.name.is_empty()
            && s.name
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !valid_name {
            c.fail(
                &k("name"),
                format!("\"{}\"", s.name),
                "must be lower-case letters, digits and _ (it names output columns)",
            );
        }
        if s.name == "all" {
            c.fail(
                &k("name"),
                "\"all\"",
                "is reserved for the facility total; choose another name",
            );
        } else if let Some(first) = raw.streams[..i].iter().position(|o| o.name == s.name) {
            c.fail(
                &k("name"),
                format!("\"{}\"", s.name),
                format!("must be unique, but streams[{first}] has the same name"),
            );
        }
        let cat = category(&s.category).unwrap_or_else(|| {
            let names: Vec<_> = Category::ALL.iter().map(|c| c.key()).collect();
            c.fail(
                &k("category"),
                format!("\"{}\"", s.category),
                one_of(&s.category, &names),
            );
            Category::SmallPacket
        });
        let org = origin(&s.origin).unwrap_or_else(|| {
            let names: Vec<_> = Origin::ALL.iter().map(|o| o.key()).collect();
            c.fail(
                &k("origin"),
                format!("\"{}\"", s.origin),
                one_of(&s.origin, &names),
            );
            Origin::RestOfWorld
        });
        let share = c.prob(&k("share"), s.share);
        let mut contraband = Vec::new();
        let mut prevalences = Vec::new();
        for (j, kind) in s.contraband.iter().enumerate() {
            let kk = |f: &str| format!("streams[{i}].contraband[{j}].{f}");
            if kind.kind.is_empty() || s.contraband[..j].iter().any(|o| o.kind == kind.kind) {
                c.fail(
                    &kk("kind"),
                    format!("\"{}\"", kind.kind),
                    "must be a non-empty name, unique within the stream",
                );
            }
            let prevalence = c.prob(&kk("prevalence"), kind.prevalence);
            prevalences.push(prevalence);
            contraband.push(ContrabandConfig {
                kind: kind.kind.clone(),
                prevalence,
                amount_g: c.dist(&kk("amount_g"), &kind.amount_g, false),
            });
        }
        if prevalences.iter().sum::<f64>() > 1.0 + 1e-9 {
            c.fail(
                &k("contraband[*].prevalence"),
                show_sum(&prevalences),
                "the prevalences of a stream must sum to at most 1 (an item carries at most one kind)",
            );
        }
        let lift = s.officer_pick_lift.unwrap_or(1.0);
        c.at_least(&k("officer_pick_lift"), lift, 1.0, false);
        let bag_size = s.bag_size.unwrap_or(1);
        c.count_at_least(&k("bag_size"), u64::from(bag_size), 1);
        streams.push(StreamConfig {
            name: s.name.clone(),
            category: cat,
            origin: org,
            share,
            contraband,
            mou_share: c.prob(&k("mou_share"), s.mou_share.unwrap_or(0.0)),
            officer_pick_share: c.prob(
                &k("officer_pick_share"),
                s.officer_pick_share.unwrap_or(0.0),
            ),
            officer_pick_lift: lift,
            aed_share: c.prob(&k("aed_share"), s.aed_share.unwrap_or(0.0)),
            bag_size,
            canine_eligible: s.canine.unwrap_or(false),
        });
    }
    let shares: Vec<f64> = raw.streams.iter().map(|s| s.share).collect();
    if !shares.is_empty() && (shares.iter().sum::<f64>() - 1.0).abs() > 1e-6 {
        c.fail(
            "streams[*].share",
            show_sum(&shares),
            "the shares of all streams must sum to 1",
        );
    }

    // [arrivals]
    let a = &raw.arrivals;
    c.at_least("arrivals.items_per_day", a.items_per_day, 0.0, true);
    if a.items_per_day.is_finite() && a.items_per_day > 1e9 {
        c.fail(
            "arrivals.items_per_day",
            show(a.items_per_day),
            "must be at most 1,000,000,000",
        );
    }
    let dow = match &a.day_of_week {
        None => [1.0; 7],
        Some(v)
            if v.len() == 7
                && v.iter().all(|x| x.is_finite() && *x >= 0.0)
                && v.iter().sum::<f64>() > 0.0 =>
        {
            [v[0], v[1], v[2], v[3], v[4], v[5], v[6]]
        }
        Some(v) => {
            c.fail(
                "arrivals.day_of_week",
                show_list(v),
                format!(
                    "must be 7 numbers ≥ 0 (Monday first), not all 0{}",
                    if v.len() == 7 {
                        String::new()
                    } else {
                        format!("; {} given", v.len())
                    }
                ),
            );
            [1.0; 7]
        }
    };
    let container_size = a.container_size.unwrap_or(defaults::CONTAINER_SIZE);
    c.count_at_least("arrivals.container_size", u64::from(container_size), 1);
    let pattern = match (&a.flights, &a.poisson) {
        (Some(f), None) => flights(&mut c, f),
        (None, Some(p)) => {
            let hw = match &p.hour_weights {
                None => vec![1.0; 24],
                Some(v)
                    if v.len() == 24
                        && v.iter().all(|x| x.is_finite() && *x >= 0.0)
                        && v.iter().sum::<f64>() > 0.0 =>
                {
                    let mean = v.iter().sum::<f64>() / 24.0;
                    v.iter().map(|x| x / mean).collect()
                }
                Some(v) => {
                    c.fail(
                        "arrivals.poisson.hour_weights",
                        format!("{} values", v.len()),
                        "must be 24 numbers ≥ 0 (one per hour from 00:00), not all 0",
                    );
                    vec![1.0; 24]
                }
            };
            let group_size = p.group_size.unwrap_or(1);
            c.count_at_least("arrivals.poisson.group_size", u64::from(group_size), 1);
            ArrivalPattern::Poisson {
                hour_weights: hw,
                group_size,
            }
        }
        (f, _) => {
            c.fail(
                "arrivals",
                if f.is_some() {
                    "(both flights and poisson)"
                } else {
                    "(neither flights nor poisson)"
                },
                "must have exactly one of [arrivals.flights] or [arrivals.poisson]",
            );
            ArrivalPattern::Poisson {
                hour_weights: vec![1.0; 24],
                group_size: 1,
            }
        }
    };

    // Officers come first: other stages check against them.
    let officers = match (&raw.officers.on_duty, &raw.officers.shifts) {
        (Some(n), None) => Some(WeeklyCalendar::constant(*n)),
        (None, Some(shifts)) => Some(c.calendar("officers.shifts", 0, Some(shifts))),
        (n, _) => {
            c.fail(
                "officers",
                if n.is_some() {
                    "(both on_duty and shifts)"
                } else {
                    "(neither on_duty nor shifts)"
                },
                "must have exactly one of on_duty = N or shifts = [...]",
            );
            None
        }
    };
    let officers_given = officers.is_some();
    let officers = officers.unwrap_or_else(|| WeeklyCalendar::constant(1));
    let borrowed_officers = match &raw.officers.borrowed_shifts {
        Some(shifts) => c.calendar("officers.borrowed_shifts", 0, Some(shifts)),
        None => WeeklyCalendar::constant(0),
    };
    let officers = WeeklyCalendar::from_hours(
        officers
            .hours()
            .iter()
            .zip(borrowed_officers.hours())
            .map(|(a, b)| a.saturating_add(*b))
            .collect(),
    )
    .unwrap_or(officers);
    let officer_peak = officers.peak();
    if officer_peak == 0 && officers_given {
        c.fail("officers", "0 on duty at every hour", "must have at least one officer on duty at some hour (examination and case entry need officers)");
    }
    let needs_officers = |c: &mut Checker, key: &str, n: u32| {
        if n > officer_peak && officer_peak > 0 && officers_given {
            c.fail(key, n.to_string(), format!("must not exceed the most officers ever on duty ({officer_peak}), or the stage could never start"));
        }
    };

    let portal = raw
        .portal
        .as_ref()
        .filter(|p| enabled(p.enabled))
        .map(|p| PortalConfig {
            lanes: c.equipment(
                "portal",
                "lanes",
                p.lanes,
                p.shifts.as_deref(),
                p.breakdowns.as_ref(),
                p.maintenance.as_ref(),
            ),
            service_s: c.dist("portal.service", &p.service, true),
        });

    let t = &raw.targeting;
    let targeting = TargetingConfig {
        target_share: c.prob("targeting.target_share", t.target_share.unwrap_or(0.0)),
        lift: c.at_least("targeting.lift", t.lift.unwrap_or(1.0), 1.0, false),
        daily_cap: t.daily_cap,
        locate_rate: c.prob("targeting.locate_rate", t.locate_rate.unwrap_or(1.0)),
    };

    let canine = raw
        .canine
        .as_ref()
        .filter(|k| enabled(k.enabled))
        .map(|k| CanineConfig {
            teams: {
                if k.teams == 0 {
                    c.fail(
                        "canine.teams",
                        "0",
                        "must be a whole number ≥ 1 while [canine] is enabled (to run without it, set enabled = false)",
                    );
                }
                let teams = c.calendar("canine.shifts", k.teams, k.shifts.as_deref());
                if teams.peak() > k.teams {
                    c.fail(
                        "canine.shifts",
                        format!("{} teams on duty at the peak", teams.peak()),
                        format!("must not exceed canine.teams = {}", k.teams),
                    );
                }
                teams
            },
            items_per_hour: c.at_least("canine.items_per_hour", k.items_per_hour, 0.0, true),
            work: c.duration("canine.work", &k.work, true),
            rest: c.duration("canine.rest", &k.rest, false),
            p_detect: c.prob("canine.p_detect", k.p_detect),
            p_false_alert: c.prob("canine.p_false_alert", k.p_false_alert),
            dwell: c.duration("canine.dwell", &k.dwell, true),
        });

    let xray = raw.xray.as_ref().filter(|x| enabled(x.enabled)).map(|x| {
        needs_officers(&mut c, "xray.officers_per_machine", x.officers_per_machine);
        XrayConfig {
            machines: c.equipment(
                "xray",
                "machines",
                x.machines,
                x.shifts.as_deref(),
                x.breakdowns.as_ref(),
                x.maintenance.as_ref(),
            ),
            officers_per_machine: x.officers_per_machine,
            service_s: c.dist("xray.service", &x.service, true),
            p_flag_contraband: c.prob("xray.p_flag_contraband", x.p_flag_contraband),
            p_flag_clean: c.prob("xray.p_flag_clean", x.p_flag_clean),
            max_wait: x
                .max_wait
                .as_deref()
                .map(|w| c.duration("xray.max_wait", w, true)),
        }
    });
    let exam = raw
        .exam
        .as_ref()
        .filter(|e| enabled(e.enabled))
        .map(|e| ExamConfig {
            service_s: c.dist("exam.service", &e.service, true),
            p_find: c.prob("exam.p_find", e.p_find),
            p_suspect_clean: c.prob("exam.p_suspect_clean", e.p_suspect_clean),
        });
    let chem = raw.chem.as_ref().filter(|h| enabled(h.enabled)).map(|h| {
        needs_officers(&mut c, "chem.officers_per_test", h.officers_per_test);
        let sensitivity = c.prob("chem.sensitivity", h.sensitivity);
        let false_positive = c.prob("chem.false_positive", h.false_positive);
        let inconclusive = c.prob("chem.inconclusive", h.inconclusive);
        for (name, p) in [("sensitivity", sensitivity), ("false_positive", false_positive)] {
            if p + inconclusive > 1.0 + 1e-12 {
                c.fail(
                    "chem.inconclusive",
                    show(inconclusive),
                    format!(
                        "{name} + inconclusive = {} must be at most 1 (a test is positive, negative or inconclusive)",
                        show_sum(&[p, inconclusive])
                    ),
                );
            }
        }
        ChemConfig {
            devices: c.equipment(
                "chem",
                "devices",
                h.devices,
                h.shifts.as_deref(),
                h.breakdowns.as_ref(),
                None,
            ),
            officers_per_test: h.officers_per_test,
            service_s: c.dist("chem.service", &h.service, true),
            sensitivity,
            false_positive,
            inconclusive,
        }
    });
    let lab = raw.lab.as_ref().filter(|l| enabled(l.enabled)).map(|l| {
        if l.daily_cap == Some(0) {
            c.fail(
                "lab.daily_cap",
                "0",
                "must be a whole number ≥ 1 (leave daily_cap out for no cap)",
            );
        }
        LabConfig {
            daily_cap: l.daily_cap,
            turnaround_s: c.dist("lab.turnaround", &l.turnaround, true),
            sensitivity: c.prob("lab.sensitivity", l.sensitivity.unwrap_or(1.0)),
        }
    });
    let seizure = SeizureConfig {
        service_s: c.dist("seizure.service", &raw.seizure.service, true),
        deadline: c.duration("seizure.deadline", &raw.seizure.deadline, true),
    };
    let max_items_inside = raw
        .limits
        .max_items_inside
        .unwrap_or(defaults::MAX_ITEMS_INSIDE);
    c.count_at_least("limits.max_items_inside", max_items_inside, 1);

    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok((
        ModelConfig {
            streams,
            arrivals: ArrivalConfig {
                items_per_day: a.items_per_day,
                day_of_week: dow,
                pattern,
                container_size,
            },
            portal,
            targeting,
            canine,
            xray,
            exam,
            chem,
            lab,
            seizure,
            holding: HoldingConfig {
                secure_capacity: raw.holding.secure_capacity,
            },
            officers,
            borrowed_officers,
            max_items_inside,
        },
        run,
    ))
}

fn flights(c: &mut Checker, f: &RawFlights) -> ArrivalPattern {
    let times: Vec<SimDuration> = match (&f.times, f.per_day) {
        (Some(times), None) => {
            let mut out = Vec::new();
            for (i, t) in times.iter().enumerate() {
                let key = format!("arrivals.flights.times[{i}]");
                let parsed = t.split_once(':').and_then(|(h, m)| {
                    let h: u64 = h.parse().ok()?;
                    let m: u64 = m.parse().ok()?;
                    (h < 24 && m < 60).then(|| SimDuration::from_mins(h * 60 + m))
                });
                match parsed {
                    Some(d) if out.last().is_none_or(|&last| d > last) => out.push(d),
                    Some(_) => c.fail(&key, format!("\"{t}\""), "must be later than the time before it (list flights in time order, each once)"),
                    None => c.fail(&key, format!("\"{t}\""), "must be a time of day \"HH:MM\" from \"00:00\" to \"23:59\""),
                }
            }
            if times.is_empty() {
                c.fail(
                    "arrivals.flights.times",
                    "[]",
                    "must list at least one flight",
                );
            }
            out
        }
        (None, Some(n)) => {
            c.count_at_least("arrivals.flights.per_day", u64::from(n), 1);
            if n > 1440 {
                c.fail(
                    "arrivals.flights.per_day",
                    n.to_string(),
                    "must be at most 1440 (one a minute)",
                );
            }
            (0..u64::from(n.clamp(1, 1440)))
                .map(|i| {
                    SimDuration::from_ms(
                        (2 * i + 1) * crate::engine::time::MS_PER_DAY
                            / (2 * u64::from(n.clamp(1, 1440))),
                    )
                })
                .collect()
        }
        _ => {
            c.fail(
                "arrivals.flights",
                "(per_day and times)",
                "must have exactly one of per_day = N or times = [\"HH:MM\", …]",
            );
            vec![SimDuration::ZERO]
        }
    };
    let weights = match &f.weights {
        None => vec![1.0 / times.len().max(1) as f64; times.len()],
        Some(w)
            if w.len() == times.len()
                && w.iter().all(|x| x.is_finite() && *x >= 0.0)
                && w.iter().sum::<f64>() > 0.0 =>
        {
            let total: f64 = w.iter().sum();
            w.iter().map(|x| x / total).collect()
        }
        Some(w) => {
            c.fail(
                "arrivals.flights.weights",
                show_list(w),
                format!(
                    "must be {} numbers ≥ 0 (one per flight), not all 0",
                    times.len()
                ),
            );
            vec![1.0 / times.len().max(1) as f64; times.len()]
        }
    };
    let batch = match (f.batch.as_deref().unwrap_or("poisson"), f.batch_cv) {
        ("poisson", None) => BatchSize::Poisson,
        ("fixed", None) => BatchSize::Fixed,
        ("gamma", Some(cv)) => BatchSize::Gamma {
            cv: c.at_least("arrivals.flights.batch_cv", cv, 0.0, true),
        },
        ("gamma", None) => {
            c.fail(
                "arrivals.flights.batch_cv",
                "(missing)",
                "is required for batch = \"gamma\"",
            );
            BatchSize::Poisson
        }
        (b @ ("poisson" | "fixed"), Some(cv)) => {
            c.fail(
                "arrivals.flights.batch_cv",
                show(cv),
                format!("only applies to batch = \"gamma\", not \"{b}\""),
            );
            BatchSize::Poisson
        }
        (other, _) => {
            c.fail(
                "arrivals.flights.batch",
                format!("\"{other}\""),
                one_of(other, &["poisson", "fixed", "gamma"]),
            );
            BatchSize::Poisson
        }
    };
    ArrivalPattern::Flights {
        times,
        weights,
        batch,
    }
}
