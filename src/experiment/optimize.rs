//! The best resource mix for a budget: greedy by marginal value per dollar, then a local search
//! of steps and swaps (which also trims resources that add cost but nothing else), then the best
//! few candidates rerun with more replications and compared pairwise.
//!
//! Every mix is simulated on common random numbers and cached, so each is run once. The budget
//! bounds the *added* yearly cost over the scenario's own mix; a mix over budget is never
//! returned (its cost is rechecked after the final reruns).

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use super::compare::{Difference, differences};
use super::sweep::{Mix, MixResult, SweepError, base_mix, evaluate};
use super::{Progress, RunOptions};
use crate::scenario::{Lever, Scenario};

/// Search range of one lever.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// The lever.
    pub lever: Lever,
    /// Smallest value allowed.
    pub min: u32,
    /// Largest value allowed.
    pub max: u32,
    /// Change per move (≥ 1).
    pub step: u32,
}

/// What to optimise.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    /// Objective metric key.
    pub objective: String,
    /// Minimise instead of maximise (e.g. a wait or a backlog).
    pub minimize: bool,
    /// Most added yearly cost over the base mix [$].
    pub budget: f64,
    /// Replications of each finalist's rerun.
    pub final_replications: u32,
    /// Finalists rerun.
    pub finalists: usize,
}

/// The outcome of a search.
#[derive(Clone, Debug)]
pub struct OptimizeResult {
    /// The goal.
    pub goal: Goal,
    /// The search range of each lever.
    pub ranges: Vec<Range>,
    /// The scenario's own mix (search replications).
    pub base: MixResult,
    /// Every mix evaluated during the search.
    pub explored: Vec<MixResult>,
    /// The greedy path, from the base.
    pub path: Vec<Mix>,
    /// Finalists rerun with more replications, best first (within budget).
    pub finalists: Vec<MixResult>,
    /// The base mix rerun with the finalists' replications.
    pub final_base: MixResult,
    /// Paired comparison of the best finalist against the runner-up.
    pub best_vs_runner_up: Option<Vec<Difference>>,
}

struct Search<'a> {
    base: &'a Scenario,
    opts: RunOptions,
    cache: BTreeMap<Mix, MixResult>,
    base_cost: f64,
    goal: &'a Goal,
}

/// What the search needs to know of an evaluated mix.
#[derive(Clone, Copy)]
struct Point {
    score: f64,
    cost: f64,
    affordable: bool,
}

impl Search<'_> {
    fn eval(
        &mut self,
        mix: &Mix,
        progress: &dyn Progress,
        cancel: &AtomicBool,
    ) -> Result<Point, SweepError> {
        if !self.cache.contains_key(mix) {
            let r = evaluate(self.base, mix, &self.opts, progress, cancel)?;
            self.cache.insert(mix.clone(), r);
        }
        let r = &self.cache[mix];
        Ok(Point {
            score: self.score(r),
            cost: r.yearly_cost(),
            affordable: self.affordable(r),
        })
    }

    /// Signed objective: larger is better.
    fn score(&self, r: &MixResult) -> f64 {
        let v = r.mean(&self.goal.objective);
        if self.goal.minimize { -v } else { v }
    }

    fn affordable(&self, r: &MixResult) -> bool {
        r.yearly_cost() - self.base_cost <= self.goal.budget + 1e-6
    }
}

fn moved(mix: &Mix, i: usize, delta: i64, ranges: &[Range]) -> Option<Mix> {
    let r = ranges[i];
    let v = i64::from(mix[i].1) + delta * i64::from(r.step);
    (v >= i64::from(r.min) && v <= i64::from(r.max)).then(|| {
        let mut m = mix.clone();
        m[i].1 = v as u32;
        m
    })
}

/// Searches `ranges` around `base`'s own mix for the best mix within `goal.budget`.
pub fn run(
    base: &Scenario,
    ranges: &[Range],
    goal: &Goal,
    opts: &RunOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<OptimizeResult, SweepError> {
    let levers: Vec<Lever> = ranges.iter().map(|r| r.lever).collect();
    let start = base_mix(base, &levers);
    let mut s = Search {
        base,
        opts: *opts,
        cache: BTreeMap::new(),
        base_cost: 0.0,
        goal,
    };
    progress.start(0);
    s.base_cost = s.eval(&start, progress, cancel)?.cost;
    let base_result = s.cache[&start].clone();

    // Greedy: the affordable +1 step with the best gain per added dollar.
    let mut current = start.clone();
    let mut path = vec![current.clone()];
    loop {
        let here = s.eval(&current, progress, cancel)?;
        let mut best: Option<(f64, Mix)> = None;
        for i in 0..ranges.len() {
            let Some(next) = moved(&current, i, 1, ranges) else {
                continue;
            };
            let p = s.eval(&next, progress, cancel)?;
            let gain = p.score - here.score;
            if !p.affordable || gain.is_nan() || gain <= 0.0 {
                continue;
            }
            let extra = p.cost - here.cost;
            let value = if extra > 0.0 {
                gain / extra
            } else {
                f64::INFINITY
            };
            if best.as_ref().is_none_or(|(b, _)| value > *b) {
                best = Some((value, next));
            }
        }
        match best {
            Some((_, next)) => {
                current = next;
                path.push(current.clone());
            }
            None => break,
        }
    }

    // Local search: single steps and swaps (one lever down, another up) that improve the
    // objective or, at an equal objective, lower the cost (so resources that are never the
    // bottleneck are trimmed: with common random numbers they change nothing). Each move
    // improves (objective, −cost) lexicographically, so the search cannot cycle.
    let improves = |p: &Point, than: &Point| {
        p.score > than.score || (p.score >= than.score && p.cost < than.cost - 1e-6)
    };
    for _ in 0..50 {
        let here = s.eval(&current, progress, cancel)?;
        let mut neighbours = Vec::new();
        for i in 0..ranges.len() {
            for delta in [-1, 1] {
                if let Some(m) = moved(&current, i, delta, ranges) {
                    neighbours.push(m.clone());
                    for j in (0..ranges.len()).filter(|&j| j != i) {
                        if let Some(m2) = moved(&m, j, -delta, ranges) {
                            neighbours.push(m2);
                        }
                    }
                }
            }
        }
        let mut best: Option<(Point, Mix)> = None;
        for n in neighbours {
            let p = s.eval(&n, progress, cancel)?;
            if p.affordable
                && improves(&p, &here)
                && best.as_ref().is_none_or(|(b, _)| improves(&p, b))
            {
                best = Some((p, n));
            }
        }
        match best {
            Some((_, n)) => current = n,
            None => break,
        }
    }

    // Finalists: the best affordable mixes with distinct results, rerun with more replications.
    let mut ranked: Vec<&MixResult> = s.cache.values().filter(|r| s.affordable(r)).collect();
    // Best first; at an equal objective the cheaper mix first (with common random numbers, mixes
    // whose extra resources are never used give exactly the same results).
    let better = |a: &MixResult, b: &MixResult| {
        s.score(b)
            .total_cmp(&s.score(a))
            .then(a.yearly_cost().total_cmp(&b.yearly_cost()))
    };
    ranked.sort_by(|a, b| better(a, b));
    // A dearer copy of a result already chosen (same objective on every replication, only unused
    // resources added) would make a meaningless runner-up: keep the cheapest of each result.
    let mut candidates: Vec<Mix> = Vec::new();
    let mut scores: Vec<f64> = Vec::new();
    for r in ranked {
        if candidates.len() >= goal.finalists.max(1) {
            break;
        }
        let sc = s.score(r);
        if scores
            .iter()
            .any(|x| (x - sc).abs() <= 1e-9 * sc.abs().max(1.0))
        {
            continue;
        }
        scores.push(sc);
        candidates.push(r.mix.clone());
    }
    let final_opts = RunOptions {
        replications: Some(goal.final_replications),
        ..*opts
    };
    let final_base = evaluate(base, &start, &final_opts, progress, cancel)?;
    let mut finalists = Vec::new();
    for mix in &candidates {
        let r = evaluate(base, mix, &final_opts, progress, cancel)?;
        if r.yearly_cost() - final_base.yearly_cost() <= goal.budget + 1e-6 {
            finalists.push(r);
        }
    }
    finalists.sort_by(better);
    let best_vs_runner_up = match finalists.as_slice() {
        [best, runner, ..] => Some(differences(&runner.results, &best.results)),
        _ => None,
    };
    Ok(OptimizeResult {
        goal: goal.clone(),
        ranges: ranges.to_vec(),
        base: base_result,
        explored: s.cache.into_values().collect(),
        path,
        finalists,
        final_base,
        best_vs_runner_up,
    })
}
