//! Sweeps: evaluate a grid of resource mixes of one scenario on common random numbers, cost
//! each, find the cost-effective frontier, and measure the marginal value of one more unit of
//! each resource around the scenario's own mix.

use std::sync::atomic::AtomicBool;

use super::compare::{Difference, differences};
use super::{ExperimentError, Progress, Results, RunOptions, effective_run};
use crate::costs::{CostBreakdown, frontier, yearly_costs};
use crate::scenario::variants::{lever_footprint, lever_value, variant};
use crate::scenario::{Lever, Scenario, ScenarioError};

/// A resource mix: a value for each lever.
pub type Mix = Vec<(Lever, u32)>;

/// One evaluated mix.
#[derive(Clone, Debug)]
pub struct MixResult {
    /// Lever values.
    pub mix: Mix,
    /// Simulated results.
    pub results: Results,
    /// Yearly cost breakdown.
    pub cost: CostBreakdown,
}

impl MixResult {
    /// Yearly cost [$].
    pub fn yearly_cost(&self) -> f64 {
        self.cost.total()
    }

    /// The mean of metric `key` (NaN if undefined).
    pub fn mean(&self, key: &str) -> f64 {
        self.results
            .metric(key)
            .and_then(|m| m.estimate)
            .map_or(f64::NAN, |e| e.mean)
    }
}

/// Why a sweep could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// A mix is not a valid facility (e.g. 0 x-ray machines).
    #[error("mix {mix}: {source}")]
    Invalid {
        /// The mix, as `lever=value` pairs.
        mix: String,
        /// Why.
        source: ScenarioError,
    },
    /// A run failed.
    #[error(transparent)]
    Run(#[from] ExperimentError),
}

/// `lever=value, …`.
pub fn describe(mix: &[(Lever, u32)]) -> String {
    mix.iter()
        .map(|(l, v)| format!("{}={v}", l.key()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every combination of the levers' values, first lever varying slowest.
pub fn grid(levers: &[(Lever, Vec<u32>)]) -> Vec<Mix> {
    levers
        .iter()
        .fold(vec![Vec::new()], |acc, (lever, values)| {
            acc.iter()
                .flat_map(|mix| {
                    values.iter().map(move |&v| {
                        let mut m = mix.clone();
                        m.push((*lever, v));
                        m
                    })
                })
                .collect()
        })
}

/// The scenario's own value of each lever.
pub fn base_mix(s: &Scenario, levers: &[Lever]) -> Mix {
    levers.iter().map(|&l| (l, lever_value(s, l))).collect()
}

/// Simulates `mix` of `base` on the common seed and costs it.
pub fn evaluate(
    base: &Scenario,
    mix: &[(Lever, u32)],
    opts: &RunOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<MixResult, SweepError> {
    let s = variant(
        base,
        &format!("{} [{}]", base.name, describe(mix)),
        mix,
        &[],
    )
    .map_err(|source| SweepError::Invalid {
        mix: describe(mix),
        source,
    })?;
    let (reps, days, seed) = effective_run(base, opts);
    let common = RunOptions {
        replications: Some(reps),
        days: Some(days),
        seed: Some(seed),
        threads: opts.threads,
    };
    let results = super::run_quietly(&s, &common, progress, cancel)?;
    let lab_per_year = results
        .metric("stage.lab.arrivals_per_day")
        .and_then(|m| m.estimate)
        .map_or(0.0, |e| e.mean * 365.0);
    let cost = yearly_costs(&s.model, &base.costs, lab_per_year);
    Ok(MixResult {
        mix: mix.to_vec(),
        results,
        cost,
    })
}

/// The value of one more unit of a lever around the base mix.
#[derive(Clone, Debug)]
pub struct Marginal {
    /// The lever.
    pub lever: Lever,
    /// Its base value.
    pub from: u32,
    /// The value compared with `from`: `from + 1`, unless one more unit does not change the
    /// facility (a roster that scales only in whole multiples, e.g. 2 → 3 canine teams when
    /// two one-team shifts overlap), then the next value that does.
    pub to: u32,
    /// Extra yearly cost of the step [$].
    pub added_cost: f64,
    /// Paired change of every metric.
    pub changes: Vec<Difference>,
}

/// Everything a sweep produced.
#[derive(Clone, Debug)]
pub struct SweepResult {
    /// The scenario's own mix.
    pub base: MixResult,
    /// Every mix of the grid, in grid order.
    pub mixes: Vec<MixResult>,
    /// Objective metric key.
    pub objective: String,
    /// Indices into `mixes` on the cost-effective frontier for the objective.
    pub frontier: Vec<usize>,
    /// One more unit of each lever around the base.
    pub marginals: Vec<Marginal>,
}

/// Runs the sweep: the base mix, the grid, and base + 1 for each lever.
pub fn run(
    base: &Scenario,
    levers: &[(Lever, Vec<u32>)],
    objective: &str,
    minimize: bool,
    opts: &RunOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<SweepResult, SweepError> {
    let names: Vec<Lever> = levers.iter().map(|(l, _)| *l).collect();
    let mixes = grid(levers);
    let (reps, _, _) = effective_run(base, opts);
    progress.start(u64::from(reps) * (mixes.len() + 1 + names.len()) as u64);
    let base_mix = base_mix(base, &names);
    let base_result = evaluate(base, &base_mix, opts, progress, cancel)?;
    let mut evaluated = Vec::with_capacity(mixes.len());
    for mix in &mixes {
        evaluated.push(evaluate(base, mix, opts, progress, cancel)?);
    }
    let mut marginals = Vec::new();
    for (i, &lever) in names.iter().enumerate() {
        let mut up = base_mix.clone();
        up[i].1 = next_step(base, &base_mix, i);
        let more = evaluate(base, &up, opts, progress, cancel)?;
        marginals.push(Marginal {
            lever,
            from: base_mix[i].1,
            to: up[i].1,
            added_cost: more.yearly_cost() - base_result.yearly_cost(),
            changes: differences(&base_result.results, &more.results),
        });
    }
    let points: Vec<(f64, f64)> = evaluated
        .iter()
        .map(|m| {
            let v = m.mean(objective);
            (m.yearly_cost(), if minimize { -v } else { v })
        })
        .collect();
    Ok(SweepResult {
        frontier: frontier(&points),
        base: base_result,
        mixes: evaluated,
        objective: objective.to_string(),
        marginals,
    })
}

/// The smallest value above lever `i`'s base value that changes the facility (at most double
/// the base value, which always changes a scaled roster); `base + 1` if none does.
fn next_step(base: &Scenario, base_mix: &Mix, i: usize) -> u32 {
    let (lever, from) = base_mix[i];
    let here = lever_footprint(base, lever);
    let mut up = base_mix.clone();
    for to in from + 1..=from.saturating_mul(2).max(from + 1) {
        up[i].1 = to;
        if let Ok(v) = variant(base, &base.name, &up, &[])
            && lever_footprint(&v, lever) != here
        {
            return to;
        }
    }
    from + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_every_combination_in_order() {
        let g = grid(&[
            (Lever::XrayMachines, vec![1, 2]),
            (Lever::Officers, vec![5, 6, 7]),
        ]);
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], vec![(Lever::XrayMachines, 1), (Lever::Officers, 5)]);
        assert_eq!(g[5], vec![(Lever::XrayMachines, 2), (Lever::Officers, 7)]);
        assert_eq!(describe(&g[1]), "xray.machines=1, officers=6");
    }
}
