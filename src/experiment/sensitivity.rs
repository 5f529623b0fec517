//! One-at-a-time sensitivity: each uncertain input is set to its low and its high value, the
//! rest held at the scenario's values, all on common random numbers; the swing of the objective
//! shows which assumptions matter most (drawn as a tornado chart).

use std::sync::atomic::AtomicBool;

use super::compare::differences;
use super::{ExperimentError, Progress, Results, RunOptions, effective_run};
use crate::scenario::variants::variant;
use crate::scenario::{Input, Scenario, ScenarioError, Swing};
use crate::stats::Estimate;

/// The objective at one input's low and high setting.
#[derive(Clone, Debug)]
pub struct SwingResult {
    /// The input and its settings.
    pub swing: Swing,
    /// Objective at the low setting.
    pub low: Option<Estimate>,
    /// Objective at the high setting.
    pub high: Option<Estimate>,
    /// Paired estimate of high − low (common random numbers): whether the swing exceeds noise.
    pub swing_estimate: Option<Estimate>,
}

/// Every swing and the base.
#[derive(Clone, Debug)]
pub struct SensitivityResult {
    /// Objective metric key.
    pub objective: String,
    /// The scenario as written.
    pub base: Results,
    /// One row per input, in the order given.
    pub swings: Vec<SwingResult>,
}

/// Why a sensitivity analysis could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SensitivityError {
    /// A swung value makes the scenario invalid.
    #[error("sensitivity input {input} = {value}: {source}")]
    Invalid {
        /// Input name.
        input: &'static str,
        /// Value tried.
        value: f64,
        /// Why.
        source: ScenarioError,
    },
    /// A run failed.
    #[error(transparent)]
    Run(#[from] ExperimentError),
}

/// The default swings when the scenario gives none: prevalence ×0.5/×2, locate rate, lab cap
/// ±50 %, and the detection rates of each stage present.
pub fn default_swings(s: &Scenario) -> Vec<Swing> {
    let m = &s.model;
    let mut v = vec![Swing {
        input: Input::Prevalence,
        low: 0.5,
        high: 2.0,
    }];
    let locate = m.targeting.locate_rate;
    v.push(Swing {
        input: Input::LocateRate,
        low: round3((locate - 0.15).max(0.0)),
        high: round3((locate + 0.15).min(1.0)),
    });
    if let Some(cap) = m.lab.as_ref().and_then(|l| l.daily_cap) {
        let cap = f64::from(cap);
        v.push(Swing {
            input: Input::LabDailyCap,
            low: (cap * 0.5).round().max(1.0),
            high: (cap * 1.5).round(),
        });
    }
    let mut prob = |input, p: f64, ceiling: f64| {
        v.push(Swing {
            input,
            low: round3((p - 0.1).max(0.0)),
            high: round3((p + 0.1).min(ceiling)),
        })
    };
    if let Some(k) = &m.canine {
        prob(Input::CanineDetect, k.p_detect, 1.0);
    }
    if let Some(x) = &m.xray {
        prob(Input::XrayDetect, x.p_flag_contraband, 1.0);
    }
    if let Some(e) = &m.exam {
        prob(Input::ExamFind, e.p_find, 1.0);
    }
    if let Some(c) = &m.chem {
        // Sensitivity plus the inconclusive share cannot exceed 1.
        prob(Input::ChemSensitivity, c.sensitivity, 1.0 - c.inconclusive);
    }
    v
}

/// `x` rounded to 3 decimals, so settings read cleanly in tables.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Runs the base and each swing on common random numbers.
pub fn run(
    s: &Scenario,
    swings: &[Swing],
    objective: &str,
    opts: &RunOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<SensitivityResult, SensitivityError> {
    let (reps, days, seed) = effective_run(s, opts);
    let common = RunOptions {
        replications: Some(reps),
        days: Some(days),
        seed: Some(seed),
        threads: opts.threads,
    };
    progress.start(u64::from(reps) * (1 + 2 * swings.len() as u64));
    let base = super::run_quietly(s, &common, progress, cancel)?;
    let mut rows = Vec::new();
    for sw in swings {
        let at = |value: f64| -> Result<Results, SensitivityError> {
            let v = variant(s, &s.name, &[], &[(sw.input, value)]).map_err(|source| {
                SensitivityError::Invalid {
                    input: sw.input.key(),
                    value,
                    source,
                }
            })?;
            Ok(super::run_quietly(&v, &common, progress, cancel)?)
        };
        let low = at(sw.low)?;
        let high = at(sw.high)?;
        let objective_of = |r: &Results| r.metric(objective).and_then(|m| m.estimate);
        let swing = differences(&low, &high)
            .into_iter()
            .find(|d| d.key == objective)
            .and_then(|d| d.difference);
        rows.push(SwingResult {
            swing: *sw,
            low: objective_of(&low),
            high: objective_of(&high),
            swing_estimate: swing,
        });
    }
    Ok(SensitivityResult {
        objective: objective.to_string(),
        base,
        swings: rows,
    })
}
