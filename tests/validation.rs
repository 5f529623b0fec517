//! Queueing-theory validation suite.
//!
//! Each case reduces the IMF model to a textbook system through ordinary scenario settings
//! (`scenarios/validation/*.toml`, no test-only code path), runs it with the seed fixed in the
//! file, and checks the simulated estimate against the exact formula computed here:
//!
//! - the exact value must lie inside the simulated 99 % confidence interval (Student t over the
//!   independent replications), and
//! - the relative error |simulated − exact| / exact must be within the case's tolerance. The
//!   tolerance is about twice the relative half-width the run length was chosen for (measured
//!   once on a pilot with other seeds), so it fails when the estimate is clearly off, or when the
//!   interval has become too wide to say anything.
//!
//! The seeds were picked once (101 …) and are never changed to make a case pass.
//!
//! Every check prints one Markdown table row (`cargo test --release --test validation --
//! --nocapture`); `docs/validation.md` holds the numbers of the last recorded run.
//!
//! Time unit of the formulas: minutes (rates per minute); the model reports waits in hours.
//! In debug builds the simulation cases are ignored (they take minutes there); the formula
//! checks always run.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use imfsim::experiment::{NoProgress, Results, RunOptions, run};
use imfsim::stats::{Estimate, estimate};

/// Exact results of the textbook systems. Rates per minute, times in minutes.
mod theory {
    /// Steady-state measures of an M/M/c queue.
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Mmc {
        /// Probability that an arrival waits (Erlang C).
        pub(crate) p_wait: f64,
        /// Mean wait in line [min].
        pub(crate) wq: f64,
        /// Mean number waiting [items].
        pub(crate) lq: f64,
        /// Utilisation of each server, λ / (c μ).
        pub(crate) rho: f64,
    }

    /// Erlang B blocking probability for `c` servers and offered load `a` = λ/μ, by the stable
    /// recursion B(0) = 1, B(k) = a B(k−1) / (k + a B(k−1)).
    pub(crate) fn erlang_b(c: u32, a: f64) -> f64 {
        (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
    }

    /// Erlang C: probability of waiting in M/M/c with offered load `a` = λ/μ < c.
    pub(crate) fn erlang_c(c: u32, a: f64) -> f64 {
        let rho = a / f64::from(c);
        let b = erlang_b(c, a);
        b / (1.0 - rho * (1.0 - b))
    }

    /// M/M/c with arrival rate `lambda`, service rate `mu` per server and `c` servers.
    pub(crate) fn mmc(lambda: f64, mu: f64, c: u32) -> Mmc {
        let a = lambda / mu;
        let rho = a / f64::from(c);
        assert!(rho < 1.0, "unstable M/M/c");
        let p_wait = erlang_c(c, a);
        let wq = p_wait / (f64::from(c) * mu - lambda);
        Mmc {
            p_wait,
            wq,
            lq: lambda * wq,
            rho,
        }
    }

    /// Pollaczek–Khinchine mean wait in M/G/1: λ E[S²] / (2 (1 − ρ)), with the service given by
    /// its mean and squared coefficient of variation (E[S²] = mean² (1 + cs²)).
    pub(crate) fn mg1_wait(lambda: f64, mean_s: f64, cs2: f64) -> f64 {
        let rho = lambda * mean_s;
        assert!(rho < 1.0, "unstable M/G/1");
        lambda * mean_s * mean_s * (1.0 + cs2) / (2.0 * (1.0 - rho))
    }

    /// Mean wait per item in M^[k]/G/1: Poisson batches of exactly `k` items at rate
    /// `lambda_items / k`, service mean `mean_s` and squared cv `cs2`. A batch waits like one
    /// customer whose work is the sum of its k services (M/G/1 with E[B²] = k Var S + k² E[S]²);
    /// an item then also waits for the items ahead of it in its own batch, (k − 1)/2 on average.
    pub(crate) fn batch_wait(lambda_items: f64, k: u32, mean_s: f64, cs2: f64) -> f64 {
        let k = f64::from(k);
        let lambda_b = lambda_items / k;
        let rho = lambda_items * mean_s;
        assert!(rho < 1.0, "unstable batch queue");
        let var_s = cs2 * mean_s * mean_s;
        let batch_work_2 = k * var_s + k * k * mean_s * mean_s;
        lambda_b * batch_work_2 / (2.0 * (1.0 - rho)) + (k - 1.0) / 2.0 * mean_s
    }

    /// Cobham's formula: mean wait of each class in a single-server queue with non-preemptive
    /// priority (class 0 first). `lambda[i]`, `mean_s[i]` and `second_moment[i]` (E[S²]) per
    /// class. W_i = W0 / ((1 − σ_{i−1})(1 − σ_i)), W0 = Σ λ_j E[S_j²] / 2, σ_i = Σ_{j≤i} ρ_j.
    pub(crate) fn cobham(lambda: &[f64], mean_s: &[f64], second_moment: &[f64]) -> Vec<f64> {
        let w0: f64 = lambda
            .iter()
            .zip(second_moment)
            .map(|(l, s2)| l * s2 / 2.0)
            .sum();
        let mut sigma_before = 0.0;
        lambda
            .iter()
            .zip(mean_s)
            .map(|(l, s)| {
                let sigma = sigma_before + l * s;
                assert!(sigma < 1.0, "unstable priority queue");
                let w = w0 / ((1.0 - sigma_before) * (1.0 - sigma));
                sigma_before = sigma;
                w
            })
            .collect()
    }

    /// Arrival rates of the tandem x-ray → exam → chem (Jackson traffic equations for a
    /// feed-forward line): each station receives the previous one's rate times its routing
    /// probability.
    pub(crate) fn tandem_rates(lambda: f64, routing: &[f64]) -> Vec<f64> {
        let mut rates = vec![lambda];
        for p in routing {
            let last = rates[rates.len() - 1];
            rates.push(last * p);
        }
        rates
    }

    /// Lab samples waiting at the end of each of `days` days when `arrivals` samples come each
    /// day (after midnight) and at most `cap` start per calendar day, slots not carried over:
    /// b_d = max(0, b_{d−1} + arrivals − cap).
    pub(crate) fn lab_backlog(arrivals: u64, cap: u64, days: usize) -> Vec<u64> {
        let mut b = 0u64;
        (0..days)
            .map(|_| {
                b = (b + arrivals).saturating_sub(cap);
                b
            })
            .collect()
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use approx::assert_relative_eq;

        #[test]
        fn erlang_against_textbook_numbers() {
            // Erlang B(1, a) = a / (1 + a); B(2, 1) = 0.2.
            assert_relative_eq!(erlang_b(1, 0.5), 1.0 / 3.0, max_relative = 1e-12);
            assert_relative_eq!(erlang_b(2, 1.0), 0.2, max_relative = 1e-12);
            // M/M/1: P(wait) = ρ. M/M/2 at a = 1: 1/3. M/M/3 at a = 2: 4/9.
            assert_relative_eq!(erlang_c(1, 0.8), 0.8, max_relative = 1e-12);
            assert_relative_eq!(erlang_c(2, 1.0), 1.0 / 3.0, max_relative = 1e-12);
            assert_relative_eq!(erlang_c(3, 2.0), 4.0 / 9.0, max_relative = 1e-12);
            // Classic call-centre table: 10 agents, 8 erlangs -> P(wait) = 0.4092.
            assert_relative_eq!(erlang_c(10, 8.0), 0.409_2, max_relative = 1e-3);
        }

        #[test]
        fn mmc_against_textbook_numbers() {
            // M/M/1, λ = 0.8, μ = 1: Wq = ρ/(μ−λ) = 4, Lq = ρ²/(1−ρ) = 3.2.
            let m = mmc(0.8, 1.0, 1);
            assert_relative_eq!(m.wq, 4.0, max_relative = 1e-12);
            assert_relative_eq!(m.lq, 3.2, max_relative = 1e-12);
            assert_relative_eq!(m.rho, 0.8, max_relative = 1e-12);
            // M/M/2, λ = 1, μ = 1: Wq = 1/3, Lq = 1/3 (Gross & Harris).
            let m = mmc(1.0, 1.0, 2);
            assert_relative_eq!(m.wq, 1.0 / 3.0, max_relative = 1e-12);
            assert_relative_eq!(m.lq, 1.0 / 3.0, max_relative = 1e-12);
            // M/M/3, λ = 2, μ = 1: Lq = C ρ/(1−ρ) = 4/9 · 2 = 8/9.
            assert_relative_eq!(mmc(2.0, 1.0, 3).lq, 8.0 / 9.0, max_relative = 1e-12);
        }

        #[test]
        fn pollaczek_khinchine_against_textbook_numbers() {
            // M/M/1 (cs² = 1) equals the M/M/1 formula; M/D/1 waits half as long.
            assert_relative_eq!(mg1_wait(0.8, 1.0, 1.0), 4.0, max_relative = 1e-12);
            assert_relative_eq!(mg1_wait(0.8, 1.0, 0.0), 2.0, max_relative = 1e-12);
            // M/D/1 at ρ = 0.5, service 1: Wq = ρ / (2 μ (1 − ρ)) = 0.5.
            assert_relative_eq!(mg1_wait(0.5, 1.0, 0.0), 0.5, max_relative = 1e-12);
        }

        #[test]
        fn batch_wait_against_textbook_numbers() {
            // k = 1 is the plain M/G/1.
            assert_relative_eq!(batch_wait(0.8, 1, 1.0, 1.0), 4.0, max_relative = 1e-12);
            assert_relative_eq!(batch_wait(0.8, 1, 1.0, 0.0), 2.0, max_relative = 1e-12);
            // M^[k]/M/1: L = (k + 1) ρ / (2 (1 − ρ)) items in the system (Gross & Harris).
            let (lambda, k) = (0.6, 4);
            let l = lambda * (batch_wait(lambda, k, 1.0, 1.0) + 1.0);
            assert_relative_eq!(l, 5.0 * 0.6 / (2.0 * 0.4), max_relative = 1e-12);
            // M^[k]/D/1: Wq = d (k − 1 + ρ) / (2 (1 − ρ)).
            assert_relative_eq!(
                batch_wait(0.7, 5, 1.0, 0.0),
                4.7 / 0.6,
                max_relative = 1e-12
            );
        }

        #[test]
        fn cobham_against_textbook_numbers() {
            // One class is the M/G/1 (P-K) wait.
            let w = cobham(&[0.8], &[1.0], &[2.0]);
            assert_relative_eq!(w[0], 4.0, max_relative = 1e-12);
            // Two exponential classes, λ = 0.3 and 0.45, mean 1: W0 = 0.75,
            // W1 = 0.75 / 0.7, W2 = 0.75 / (0.7 · 0.25).
            let w = cobham(&[0.3, 0.45], &[1.0, 1.0], &[2.0, 2.0]);
            assert_relative_eq!(w[0], 0.75 / 0.7, max_relative = 1e-12);
            assert_relative_eq!(w[1], 0.75 / 0.175, max_relative = 1e-12);
            // Kleinrock's conservation law: Σ ρ_i W_i = ρ W_FCFS.
            let fcfs = mg1_wait(0.75, 1.0, 1.0);
            assert_relative_eq!(0.3 * w[0] + 0.45 * w[1], 0.75 * fcfs, max_relative = 1e-12);
        }

        #[test]
        fn tandem_rates_and_lab_backlog() {
            let r = tandem_rates(0.8, &[0.25, 0.5]);
            assert_relative_eq!(r[1], 0.2, max_relative = 1e-12);
            assert_relative_eq!(r[2], 0.1, max_relative = 1e-12);
            assert_eq!(lab_backlog(50, 30, 3), [20, 40, 60]);
            assert_eq!(lab_backlog(10, 30, 2), [0, 0]);
        }
    }
}

// ----- running cases and checking them ------------------------------------------------------

/// Confidence level of the validation intervals.
const LEVEL: f64 = 0.99;

fn scenario_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/validation")
        .join(format!("{name}.toml"))
}

/// Runs a validation scenario with its own `[run]` settings, or with `opts` overrides.
fn run_case(name: &str, opts: RunOptions) -> Results {
    let scenario = imfsim::scenario::load(&scenario_path(name))
        .unwrap_or_else(|e| panic!("validation scenario {name}: {e}"));
    run(&scenario, &opts, &NoProgress, &AtomicBool::new(false))
        .unwrap_or_else(|e| panic!("validation scenario {name}: {e}"))
}

/// The value of metric `key` in each replication (finite values only).
fn per_replication(results: &Results, key: &str) -> Vec<f64> {
    let values: Vec<f64> = results
        .replications
        .iter()
        .map(|r| {
            r.metrics
                .iter()
                .find(|m| m.key() == key)
                .unwrap_or_else(|| panic!("no metric {key}"))
                .value
        })
        .filter(|v| v.is_finite())
        .collect();
    assert_eq!(
        values.len(),
        results.replications.len(),
        "{key} undefined in some replication"
    );
    values
}

/// Collects the checks of one case, prints each as a table row, and fails at the end if any
/// check failed (so every number of a failing case is still shown).
struct Case {
    name: &'static str,
    params: &'static str,
    failures: Vec<String>,
}

impl Case {
    fn new(name: &'static str, params: &'static str) -> Self {
        Case {
            name,
            params,
            failures: Vec::new(),
        }
    }

    /// Checks metric `key` (scaled by `scale`, e.g. 60 for hours → minutes) against `exact`:
    /// inside the 99 % CI and within `tol` relative error.
    fn check(
        &mut self,
        label: &str,
        results: &Results,
        key: &str,
        scale: f64,
        exact: f64,
        tol: f64,
    ) {
        let values: Vec<f64> = per_replication(results, key)
            .iter()
            .map(|v| v * scale)
            .collect();
        let e: Estimate = estimate(&values, LEVEL).expect("at least one replication");
        let hw = e.half_width.expect("at least two replications");
        let rel = (e.mean - exact) / exact;
        let inside = e.contains(exact);
        let ok = inside && rel.abs() <= tol;
        println!(
            "| {} | {} | {} | {} | {} | ± {} ({:.2} %) | {:+.2} % | {:.1} % | {} |",
            self.name,
            self.params,
            label,
            sig(exact),
            sig(e.mean),
            sig(hw),
            100.0 * hw / e.mean.abs(),
            100.0 * rel,
            100.0 * tol,
            if ok { "pass" } else { "FAIL" },
        );
        if !ok {
            self.failures.push(format!(
                "{label} ({key}): exact {exact} vs simulated {} ± {hw} (99 %), relative error {rel:+.4} \
                 (tolerance {tol}){}",
                e.mean,
                if inside { "" } else { ", outside the CI" }
            ));
        }
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{}: {}",
            self.name,
            self.failures.join("; ")
        );
    }
}

/// Four significant digits, plain notation.
fn sig(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.digits$}")
}

/// Minutes per hour: waits are reported in hours, the formulas work in minutes.
const MIN_PER_H: f64 = 60.0;

// Tolerances (relative error). Run lengths were chosen so that the 99 % half-widths are about
// half the tolerance; the half-widths quoted were measured once on a pilot run with other seeds
// (every seed + 1000), before the recorded run.
/// Utilisation and arrival rates: time averages and counts over millions of services; 99 %
/// half-width ≤ 0.4 %.
const TOL_UTIL: f64 = 0.01;
/// Probability of waiting (a share of millions of items): 99 % half-width ≤ 0.7 %.
const TOL_PWAIT: f64 = 0.015;
/// Mean wait and mean queue at ρ ≤ 0.8: 99 % half-width 0.7–2.2 %. Waits are strongly
/// autocorrelated, so millions of items give only percent-level precision.
const TOL_WAIT: f64 = 0.03;
/// Mean wait and queue at ρ = 0.95: the variance of a time average grows like 1/(1 − ρ)⁴;
/// 25 million items give a 99 % half-width of ~2–3 %.
const TOL_WAIT_HEAVY: f64 = 0.05;

fn mmc_case(name: &'static str, params: &'static str, lambda: f64, c: u32, heavy: bool) {
    let res = run_case(name, RunOptions::default());
    let exact = theory::mmc(lambda, 1.0, c);
    let tol = if heavy { TOL_WAIT_HEAVY } else { TOL_WAIT };
    let mut case = Case::new(name, params);
    case.check(
        "P(wait > 0)",
        &res,
        "stage.xray.waited_share",
        1.0,
        exact.p_wait,
        TOL_PWAIT,
    );
    case.check(
        "mean wait Wq [min]",
        &res,
        "stage.xray.mean_wait_h",
        MIN_PER_H,
        exact.wq,
        tol,
    );
    case.check(
        "mean queue Lq",
        &res,
        "stage.xray.mean_queue",
        1.0,
        exact.lq,
        tol,
    );
    case.check(
        "utilisation",
        &res,
        "resource.xray_machines.utilisation",
        1.0,
        exact.rho,
        TOL_UTIL,
    );
    case.finish();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "long simulation: run with cargo test --release"
)]
fn mm1() {
    mmc_case("mm1", "λ 0.8/min, μ 1/min, c 1 (ρ 0.8)", 0.8, 1, false);
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "long simulation: run with cargo test --release"
)]
fn mmc_erlang_c_rho_050() {
    mmc_case(
        "mmc_rho050",
        "λ 1.5/min, μ 1/min, c 3 (ρ 0.5)",
        1.5,
        3,
        false,
    );
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "long simulation: run with cargo test --release"
)]
fn mmc_erlang_c_rho_080() {
    mmc_case(
        "mmc_rho080",
        "λ 2.4/min, μ 1/min, c 3 (ρ 0.8)",
        2.4,
        3,
        false,
    );
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "long simulation: run with cargo test --release"
)]
fn mmc_erlang_c_rho_095() {
    mmc_case(
        "mmc_rho095",
        "λ 2.85/min, μ 1/min, c 3 (ρ 0.95)",
        2.85,
        3,
        true,
    );
}

fn mg1_case(name: &'static str, params: &'static str, cs2: f64) {
    let res = run_case(name, RunOptions::default());
    let lambda = 0.8;
    let wq = theory::mg1_wait(lambda, 1.0, cs2);
    let mut case = Case::new(name, params);
    case.check(
        "mean wait Wq [min]",
        &res,
        "stage.xray.mean_wait_h",
        MIN_PER_H,
        wq,
        TOL_WAIT,
    );
    case.check(
        "mean queue Lq",
        &res,
        "stage.xray.mean_queue",
        1.0,
        lambda * wq,
        TOL_WAIT,
    );
    case.check(
        "utilisation",
        &res,
        "resource.xray_machines.utilisation",
        1.0,
        lambda,
        TOL_UTIL,
    );
    case.check(
        "P(wait > 0) = ρ",
        &res,
        "stage.xray.waited_share",
        1.0,
        lambda,
        TOL_PWAIT,
    );
    case.finish();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "long simulation: run with cargo test --release"
)]
fn md1_pollaczek_khinchine() {
    mg1_case("md1", "λ 0.8/min, S = 1 min (ρ 0.8)", 0.0);
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "long simulation: run with cargo test --release"
)]
fn mg1_lognormal_pollaczek_khinchine() {
    mg1_case(
        "mg1_lognormal",
        "λ 0.8/min, S lognormal mean 1 min cv 1 (ρ 0.8)",
        1.0,
    );
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "long simulation: run with cargo test --release"
)]
fn mg1_gamma_pollaczek_khinchine() {
    mg1_case(
        "mg1_gamma",
        "λ 0.8/min, S gamma mean 1 min cv 0.5 (ρ 0.8)",
        0.25,
    );
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "long simulation: run with cargo test --release"
)]
fn jackson_tandem() {
    let res = run_case("jackson", RunOptions::default());
    let rates = theory::tandem_rates(0.8, &[0.25, 0.5]);
    let mut case = Case::new(
        "jackson",
        "λ 0.8/min; x-ray c 1, S 0.875 min; exam 2 officers, S 7 min, p 0.25; chem c 1, S 6 min, p 0.5",
    );
    // (stage, its resource, arrival rate, mean service [min], servers)
    let nodes = [
        ("xray", "xray_machines", rates[0], 0.875, 1),
        ("exam", "officers", rates[1], 7.0, 2),
        ("chem", "chem_devices", rates[2], 6.0, 1),
    ];
    for (stage, resource, lambda, mean_s, c) in nodes {
        // Jackson's theorem: each node behaves as an independent M/M/c with its own rate.
        let m = theory::mmc(lambda, 1.0 / mean_s, c);
        let key = |k: &str| format!("stage.{stage}.{k}");
        let per_min = 1.0 / 1440.0;
        case.check(
            &format!("{stage} arrival rate [/min]"),
            &res,
            &key("arrivals_per_day"),
            per_min,
            lambda,
            TOL_UTIL,
        );
        case.check(
            &format!("{stage} P(wait > 0)"),
            &res,
            &key("waited_share"),
            1.0,
            m.p_wait,
            TOL_PWAIT,
        );
        case.check(
            &format!("{stage} Wq [min]"),
            &res,
            &key("mean_wait_h"),
            MIN_PER_H,
            m.wq,
            TOL_WAIT,
        );
        case.check(
            &format!("{stage} Lq"),
            &res,
            &key("mean_queue"),
            1.0,
            m.lq,
            TOL_WAIT,
        );
        let util = format!("resource.{resource}.utilisation");
        case.check(
            &format!("{stage} utilisation"),
            &res,
            &util,
            1.0,
            m.rho,
            TOL_UTIL,
        );
    }
    case.finish();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "long simulation: run with cargo test --release"
)]
fn batch_arrivals_mk_d1() {
    let res = run_case("batch_md1", RunOptions::default());
    let (lambda, k) = (0.7, 5);
    let wq = theory::batch_wait(lambda, k, 1.0, 0.0);
    let mut case = Case::new(
        "batch_md1",
        "batches of k 5, λ 0.7 items/min, S = 1 min (ρ 0.7)",
    );
    case.check(
        "mean wait per item Wq [min]",
        &res,
        "stage.xray.mean_wait_h",
        MIN_PER_H,
        wq,
        TOL_WAIT,
    );
    case.check(
        "mean queue Lq",
        &res,
        "stage.xray.mean_queue",
        1.0,
        lambda * wq,
        TOL_WAIT,
    );
    case.check(
        "utilisation",
        &res,
        "resource.xray_machines.utilisation",
        1.0,
        lambda,
        TOL_UTIL,
    );
    case.finish();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "long simulation: run with cargo test --release"
)]
fn priority_classes_cobham() {
    let res = run_case("priority", RunOptions::default());
    let w = theory::cobham(&[0.3, 0.45], &[1.0, 1.0], &[2.0, 2.0]);
    let mut case = Case::new(
        "priority",
        "urgent λ 0.3/min, routine λ 0.45/min, S exp 1 min (ρ 0.75)",
    );
    case.check(
        "urgent Wq [min]",
        &res,
        "stage.xray.mean_wait_urgent_h",
        MIN_PER_H,
        w[0],
        TOL_WAIT,
    );
    case.check(
        "routine Wq [min]",
        &res,
        "stage.xray.mean_wait_routine_h",
        MIN_PER_H,
        w[1],
        TOL_WAIT,
    );
    // The overall mean wait obeys the conservation law: it equals the FCFS M/M/1 wait.
    let fcfs = theory::mg1_wait(0.75, 1.0, 1.0);
    case.check(
        "all Wq = FCFS [min]",
        &res,
        "stage.xray.mean_wait_h",
        MIN_PER_H,
        fcfs,
        TOL_WAIT,
    );
    case.check(
        "utilisation",
        &res,
        "resource.xray_machines.utilisation",
        1.0,
        0.75,
        TOL_UTIL,
    );
    case.finish();
}

#[test]
fn lab_daily_cap_backlog() {
    // Deterministic: every replication must give the exact backlog, day by day.
    let res = run_case("lab_cap", RunOptions::default());
    let days = res.replications[0].daily.lab_backlog.len();
    assert_eq!(days, 30, "one end-of-day value per simulated day");
    let exact = theory::lab_backlog(50, 30, days);
    for r in &res.replications {
        let got: Vec<u64> = r.daily.lab_backlog.iter().map(|&b| b as u64).collect();
        assert_eq!(got, exact, "replication {}", r.replication);
    }
    let mut case = Case::new("lab_cap", "50 items/day at 12:00, cap 30/day");
    let last = *exact.last().unwrap_or(&0) as f64;
    case.check(
        "backlog at end [samples]",
        &res,
        "stage.lab.backlog_at_end",
        1.0,
        last,
        0.0,
    );
    case.check(
        "started per day",
        &res,
        "stage.lab.started_per_day",
        1.0,
        30.0,
        0.0,
    );
    case.finish();
}

/// Sample variance (divisor n − 1).
fn variance(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "long simulation: run with cargo test --release"
)]
fn common_random_numbers_reduce_variance() {
    // Mix A: 2 exam officers; mix B: 3 exam officers; same mail and x-ray (1 machine).
    // Response: mean custody time per replication [min]. CRN: both mixes on the files' seed, so
    // replication i of A and of B share their random streams. Independent: B on another seed.
    const OTHER_SEED: u64 = 113;
    let key = "facility.custody.mean_custody_h";
    let response = |name: &str, seed: Option<u64>| -> Vec<f64> {
        let opts = RunOptions {
            seed,
            ..RunOptions::default()
        };
        per_replication(&run_case(name, opts), key)
            .iter()
            .map(|w| w * MIN_PER_H)
            .collect()
    };
    let a = response("crn_officers_2", None);
    let b_crn = response("crn_officers_3", None);
    let b_ind = response("crn_officers_3", Some(OTHER_SEED));
    let diff = |b: &[f64]| -> Vec<f64> { a.iter().zip(b).map(|(x, y)| x - y).collect() };
    let (d_crn, d_ind) = (diff(&b_crn), diff(&b_ind));
    let (v_crn, v_ind) = (variance(&d_crn), variance(&d_ind));
    let ratio = v_crn / v_ind;
    let e_crn = estimate(&d_crn, LEVEL).expect("replications");
    let e_ind = estimate(&d_ind, LEVEL).expect("replications");
    println!(
        "CRN | {} pairs | Var(A) {:.4}, Var(B) {:.4} | Var(A−B) CRN {:.4} min², independent {:.4} min², ratio {:.3} | \
         99 % CI of A−B: CRN {:.3} ± {:.3} min, independent {:.3} ± {:.3} min",
        a.len(),
        variance(&a),
        variance(&b_crn),
        v_crn,
        v_ind,
        ratio,
        e_crn.mean,
        e_crn.half_width.unwrap_or(f64::NAN),
        e_ind.mean,
        e_ind.half_width.unwrap_or(f64::NAN),
    );
    // Threshold: a clear reduction, at least halving the variance. With 100 pairs a sample
    // variance is known to about ±15 %, so a ratio below 0.5 cannot come from noise alone.
    assert!(
        ratio < 0.5,
        "CRN variance ratio {ratio:.3} is not below 0.5"
    );
}
