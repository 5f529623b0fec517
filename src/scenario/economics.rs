//! The `[costs]`, `[benefits]` and `[sweep]` tables: validation into typed configs, and the
//! levers a sweep turns, applied to a scenario's TOML before it is validated again (so a
//! swept mix is checked exactly like a hand-written file).

use super::raw::{RawBenefits, RawCosts, RawEquipmentCost, RawSweep};
use super::validate::Checker;
use crate::costs::{BenefitConfig, CostConfig, EquipmentCost};

/// A resource count a sweep or an optimisation may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lever {
    /// Installed x-ray machines (staffed shifts scale with them).
    XrayMachines,
    /// Hand-held chemical analysers.
    ChemDevices,
    /// Canine teams (0 switches the teams off).
    CanineTeams,
    /// Officers on duty at the peak hour (every regular shift scales with it).
    Officers,
    /// Lab samples started per day.
    LabDailyCap,
    /// Radiation portal lanes.
    PortalLanes,
}

impl Lever {
    /// Every lever.
    pub const ALL: [Lever; 6] = [
        Lever::XrayMachines,
        Lever::ChemDevices,
        Lever::CanineTeams,
        Lever::Officers,
        Lever::LabDailyCap,
        Lever::PortalLanes,
    ];

    /// The name used in files and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Lever::XrayMachines => "xray.machines",
            Lever::ChemDevices => "chem.devices",
            Lever::CanineTeams => "canine.teams",
            Lever::Officers => "officers",
            Lever::LabDailyCap => "lab.daily_cap",
            Lever::PortalLanes => "portal.lanes",
        }
    }

    /// The lever called `name`.
    pub fn parse(name: &str) -> Option<Lever> {
        Lever::ALL.into_iter().find(|l| l.key() == name)
    }

    /// Names of all levers, for messages.
    pub fn names() -> String {
        Lever::ALL.map(Lever::key).join(", ")
    }
}

/// An uncertain input swung one at a time in a sensitivity analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// A factor on every contraband prevalence.
    Prevalence,
    /// `lab.daily_cap`.
    LabDailyCap,
    /// `targeting.locate_rate`.
    LocateRate,
    /// `canine.p_detect`.
    CanineDetect,
    /// `xray.p_flag_contraband`.
    XrayDetect,
    /// `exam.p_find`.
    ExamFind,
    /// `chem.sensitivity`.
    ChemSensitivity,
}

impl Input {
    /// Every input.
    pub const ALL: [Input; 7] = [
        Input::Prevalence,
        Input::LabDailyCap,
        Input::LocateRate,
        Input::CanineDetect,
        Input::XrayDetect,
        Input::ExamFind,
        Input::ChemSensitivity,
    ];

    /// The name used in files.
    pub fn key(self) -> &'static str {
        match self {
            Input::Prevalence => "prevalence",
            Input::LabDailyCap => "lab.daily_cap",
            Input::LocateRate => "targeting.locate_rate",
            Input::CanineDetect => "canine.p_detect",
            Input::XrayDetect => "xray.p_flag_contraband",
            Input::ExamFind => "exam.p_find",
            Input::ChemSensitivity => "chem.sensitivity",
        }
    }
}

/// One input's low and high setting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Swing {
    /// The input.
    pub input: Input,
    /// Low setting (a factor for `prevalence`).
    pub low: f64,
    /// High setting.
    pub high: f64,
}

/// The `[sweep]` table: levers with their values, the objective, sensitivity swings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepConfig {
    /// Each lever with the values to try.
    pub levers: Vec<(Lever, Vec<u32>)>,
    /// Objective metric key for `optimize` and the frontier.
    pub objective: Option<String>,
    /// Inputs for `sensitivity`.
    pub sensitivity: Vec<Swing>,
}

/// Most mixes a sweep grid may have.
pub const MAX_GRID: usize = 10_000;

fn equipment(
    c: &mut Checker,
    key: &str,
    raw: Option<&RawEquipmentCost>,
    default: EquipmentCost,
) -> EquipmentCost {
    let Some(r) = raw else { return default };
    EquipmentCost {
        price: c.at_least(
            &format!("{key}.price"),
            r.price.unwrap_or(default.price),
            0.0,
            false,
        ),
        life_years: c.at_least(
            &format!("{key}.life_years"),
            r.life_years.unwrap_or(default.life_years),
            0.0,
            true,
        ),
        upkeep_share: c.at_least(
            &format!("{key}.upkeep_share"),
            r.upkeep_share.unwrap_or(default.upkeep_share),
            0.0,
            false,
        ),
    }
}

/// `[costs]` with defaults for missing keys.
pub(crate) fn costs(c: &mut Checker, raw: &RawCosts) -> CostConfig {
    let d = CostConfig::default();
    let money = |c: &mut Checker, key: &str, v: Option<f64>, default: f64| {
        c.at_least(&format!("costs.{key}"), v.unwrap_or(default), 0.0, false)
    };
    let rate = raw.discount_rate.unwrap_or(d.discount_rate);
    if !(0.0..1.0).contains(&rate) {
        c.fail(
            "costs.discount_rate",
            rate.to_string(),
            "must be a share from 0 up to (not including) 1, e.g. 0.07",
        );
    }
    CostConfig {
        discount_rate: rate,
        officer_per_fte: money(c, "officer_per_fte", raw.officer_per_fte, d.officer_per_fte),
        relief_factor: c.at_least(
            "costs.relief_factor",
            raw.relief_factor.unwrap_or(d.relief_factor),
            1.0,
            false,
        ),
        hours_per_fte_week: c.at_least(
            "costs.hours_per_fte_week",
            raw.hours_per_fte_week.unwrap_or(d.hours_per_fte_week),
            0.0,
            true,
        ),
        borrowed_officer_per_hour: money(
            c,
            "borrowed_officer_per_hour",
            raw.borrowed_officer_per_hour,
            d.borrowed_officer_per_hour,
        ),
        canine_team_per_year: money(
            c,
            "canine_team_per_year",
            raw.canine_team_per_year,
            d.canine_team_per_year,
        ),
        lab_per_sample: money(c, "lab_per_sample", raw.lab_per_sample, d.lab_per_sample),
        xray: equipment(c, "costs.xray", raw.xray.as_ref(), d.xray),
        chem: equipment(c, "costs.chem", raw.chem.as_ref(), d.chem),
        portal: equipment(c, "costs.portal", raw.portal.as_ref(), d.portal),
    }
}

/// `[benefits]` with defaults for missing keys.
pub(crate) fn benefits(c: &mut Checker, raw: &RawBenefits) -> BenefitConfig {
    let d = BenefitConfig::default();
    BenefitConfig {
        value_per_kg: raw
            .value_per_kg
            .map(|v| c.at_least("benefits.value_per_kg", v, 0.0, false)),
        purity: {
            let p = raw.purity.unwrap_or(d.purity);
            if !(p > 0.0 && p <= 1.0) {
                c.fail(
                    "benefits.purity",
                    p.to_string(),
                    "must be a share above 0 and at most 1",
                );
            }
            p
        },
        lethal_dose_mg: c.at_least(
            "benefits.lethal_dose_mg",
            raw.lethal_dose_mg.unwrap_or(d.lethal_dose_mg),
            0.0,
            true,
        ),
    }
}

/// `[sweep]`.
pub(crate) fn sweep(c: &mut Checker, raw: &RawSweep) -> SweepConfig {
    let mut levers: Vec<(Lever, Vec<u32>)> = Vec::new();
    for (i, l) in raw.levers.iter().enumerate() {
        let key = |f: &str| format!("sweep.levers[{i}].{f}");
        let Some(lever) = Lever::parse(&l.lever) else {
            c.fail(
                &key("lever"),
                format!("\"{}\"", l.lever),
                format!("must be one of {}", Lever::names()),
            );
            continue;
        };
        if levers.iter().any(|(x, _)| *x == lever) {
            c.fail(
                &key("lever"),
                format!("\"{}\"", l.lever),
                "must appear only once",
            );
        }
        let values = lever_values(c, &key(""), l.values.as_deref(), l.from, l.to, l.step);
        levers.push((lever, values));
    }
    let grid: usize = levers.iter().map(|(_, v)| v.len().max(1)).product();
    if grid > MAX_GRID {
        c.fail(
            "sweep.levers",
            format!("{grid} combinations"),
            format!("must give at most {MAX_GRID} mixes"),
        );
    }
    if let Some(o) = &raw.objective
        && o.split('.').count() != 3
    {
        c.fail(
            "sweep.objective",
            format!("\"{o}\""),
            "must be a metric key group.entity.name, e.g. contraband.fentanyl.seized_kg_per_year",
        );
    }
    let mut sensitivity = Vec::new();
    for (i, s) in raw.sensitivity.iter().enumerate() {
        let key = |f: &str| format!("sweep.sensitivity[{i}].{f}");
        let Some(input) = Input::ALL.into_iter().find(|x| x.key() == s.input) else {
            let names: Vec<_> = Input::ALL.iter().map(|x| x.key()).collect();
            c.fail(
                &key("input"),
                format!("\"{}\"", s.input),
                format!("must be one of {}", names.join(", ")),
            );
            continue;
        };
        let probability = !matches!(input, Input::Prevalence | Input::LabDailyCap);
        for (name, v) in [("low", s.low), ("high", s.high)] {
            if probability {
                c.prob(&key(name), v);
            } else {
                c.at_least(&key(name), v, 0.0, true);
            }
        }
        if s.low > s.high {
            c.fail(&key("high"), s.high.to_string(), "must be at least `low`");
        }
        sensitivity.push(Swing {
            input,
            low: s.low,
            high: s.high,
        });
    }
    SweepConfig {
        levers,
        objective: raw.objective.clone(),
        sensitivity,
    }
}

/// The values of one lever from `values = [...]` or `from`/`to`/`step`.
pub(crate) fn lever_values(
    c: &mut Checker,
    key: &str,
    values: Option<&[u32]>,
    from: Option<u32>,
    to: Option<u32>,
    step: Option<u32>,
) -> Vec<u32> {
    match (values, from, to) {
        (Some(v), None, None) if !v.is_empty() => {
            let mut v = v.to_vec();
            v.sort_unstable();
            v.dedup();
            v
        }
        (None, Some(a), Some(b)) if a <= b => {
            let step = step.unwrap_or(1);
            if step == 0 {
                c.fail(&format!("{key}step"), "0", "must be a whole number ≥ 1");
                return vec![a];
            }
            if (b - a) / step > MAX_GRID as u32 {
                c.fail(
                    &format!("{key}to"),
                    b.to_string(),
                    format!("gives more than {MAX_GRID} values"),
                );
                return vec![a];
            }
            (a..=b).step_by(step as usize).collect()
        }
        _ => {
            c.fail(
                key.trim_end_matches('.'),
                "(values, or from/to)",
                "must give either values = [..] (not empty) or from = A, to = B with A ≤ B",
            );
            Vec::new()
        }
    }
}
