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

/// Collects problems while converting.
#[derive(Default)]
pub(crate) struct Checker {
    pub(crate) errors: Vec<FieldError>,
}

fn show(x: f64) -> String {
    format!("{x}")
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
                    format!("must be a duration with a unit: {}", e.reason),
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
                    "must be a duration with a unit, e.g. \"20s\", \"5min\", \"2h\"",
                );
                0.0
            }
            (NumOrText::Num(x), false) => *x,
            (NumOrText::Text(t), false) => {
                self.fail(key, format!("\"{t}\""), "must be a plain number (no unit)");
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
                let values = match &raw.values {
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
                let weights = raw
                    .weights
                    .clone()
                    .unwrap_or_else(|| vec![1.0; values.len()]);
                DistSpec::Empirical { values, weights }
            }
            other => {
                let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
                self.fail(
                    &format!("{key}.dist"),
                    format!("\"{other}\""),
                    format!("must be one of {}", names.join(", ")),
                );
                return Distribution::constant(0.0);
            }
        };
        // Parameters given that this distribution does not use.
        let used = allowed
            .iter()
            .find(|(n, _)| *n == raw.dist)
            .map_or(&[][..], |(_, u)| *u);
        let given = [
            ("mean", raw.mean.is_some()),
            ("cv", raw.cv.is_some()),
            ("value", raw.value.is_some()),
            ("min", raw.min.is_some()),
            ("mode", raw.mode.is_some()),
            ("max", raw.max.is_some()),
            ("values", raw.values.is_some()),
            ("weights", raw.weights.is_some()),
        ];
        for (name, present) in given {
            if present && !used.contains(&name) {
                self.fail(
                    &format!("{key}.{name}"),
                    "(given)",
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
        match Distribution::new(spec) {
            Ok(d) => d,
            Err(e) => {
                let value = if time && !matches!(e.field, "cv" | "weights") {
                    format!("{} (s)", e.value)
                } else {
                    e.value
                };
                self.fail(&format!("{key}.{}", e.field), value, e.allowed);
                Distribution::constant(0.0)
            }
        }
    }

    fn hour(&mut self, key: &str, text: &str, allow_24: bool) -> usize {
        let parsed = text
            .split_once(':')
            .filter(|(_, m)| *m == "00")
            .and_then(|(h, _)| h.parse::<usize>().ok())
            .filter(|&h| h < 24 || (allow_24 && h == 24));
        parsed.unwrap_or_else(|| {
            self.fail(
                key,
                format!("\"{text}\""),
                "must be a whole hour \"HH:00\" from \"00:00\" to \"24:00\"",
            );
            0
        })
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
                &format!("{key}.shifts"),
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
        raw.map(|b| Breakdowns {
            between_failures: self.dist(
                &format!("{key}.breakdowns.between_failures"),
                &b.between_failures,
                true,
            ),
            repair: self.dist(&format!("{key}.breakdowns.repair"), &b.repair, true),
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
                    format!("must be shorter than maintenance.every ({})", m.every),
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
        self.count_at_least(&format!("{key}.{units_key}"), u64::from(units), 1);
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
        if s.name == "all" || raw.streams[..i].iter().any(|o| o.name == s.name) {
            c.fail(
                &k("name"),
                format!("\"{}\"", s.name),
                "must be unique and not \"all\" (reserved for the facility total)",
            );
        }
        let cat = category(&s.category).unwrap_or_else(|| {
            let names: Vec<_> = Category::ALL.iter().map(|c| c.key()).collect();
            c.fail(
                &k("category"),
                format!("\"{}\"", s.category),
                format!("must be one of {}", names.join(", ")),
            );
            Category::SmallPacket
        });
        let org = origin(&s.origin).unwrap_or_else(|| {
            let names: Vec<_> = Origin::ALL.iter().map(|o| o.key()).collect();
            c.fail(
                &k("origin"),
                format!("\"{}\"", s.origin),
                format!("must be one of {}", names.join(", ")),
            );
            Origin::RestOfWorld
        });
        let share = c.prob(&k("share"), s.share);
        let mut contraband = Vec::new();
        let mut total_prev = 0.0;
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
            total_prev += prevalence;
            contraband.push(ContrabandConfig {
                kind: kind.kind.clone(),
                prevalence,
                amount_g: c.dist(&kk("amount_g"), &kind.amount_g, false),
            });
        }
        if total_prev > 1.0 {
            c.fail(
                &k("contraband"),
                format!("prevalences summing to {total_prev}"),
                "must sum to at most 1 (an item carries at most one kind)",
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
    let share_sum: f64 = raw.streams.iter().map(|s| s.share).sum();
    if !raw.streams.is_empty() && (share_sum - 1.0).abs() > 1e-6 {
        c.fail(
            "streams[*].share",
            format!("shares summing to {share_sum}"),
            "must sum to 1",
        );
    }

    // [arrivals]
    let a = &raw.arrivals;
    c.at_least("arrivals.items_per_day", a.items_per_day, 0.0, true);
    if a.items_per_day > 1e9 {
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
                format!("{v:?}"),
                "must be 7 numbers ≥ 0 (Monday first), not all 0",
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
                        "must be 24 numbers ≥ 0, not all 0",
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
        _ => {
            c.fail(
                "arrivals",
                "(flights and poisson)",
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
        (Some(n), None) => WeeklyCalendar::constant(*n),
        (None, Some(shifts)) => c.calendar("officers.shifts", 0, Some(shifts)),
        _ => {
            c.fail(
                "officers",
                "(on_duty and shifts)",
                "must have exactly one of on_duty = N or shifts = [...]",
            );
            WeeklyCalendar::constant(0)
        }
    };
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
    if officer_peak == 0 {
        c.fail("officers", "0 on duty at every hour", "must have at least one officer on duty at some hour (examination and case entry need officers)");
    }
    let needs_officers = |c: &mut Checker, key: &str, n: u32| {
        if n > officer_peak && officer_peak > 0 {
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
        if sensitivity + inconclusive > 1.0 + 1e-12 || false_positive + inconclusive > 1.0 + 1e-12 {
            c.fail(
                "chem.inconclusive",
                show(inconclusive),
                "plus sensitivity, and plus false_positive, must each be at most 1",
            );
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
        if let Some(cap) = l.daily_cap {
            c.count_at_least("lab.daily_cap", u64::from(cap), 1);
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
                format!("{} values", w.len()),
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
        (b @ ("poisson" | "fixed"), Some(_)) => {
            c.fail(
                "arrivals.flights.batch_cv",
                "(given)",
                format!("only applies to batch = \"gamma\", not \"{b}\""),
            );
            BatchSize::Poisson
        }
        (other, _) => {
            c.fail(
                "arrivals.flights.batch",
                format!("\"{other}\""),
                "must be one of poisson, fixed, gamma",
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
