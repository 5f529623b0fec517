//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Simulate an International Mail Facility and weigh resource mixes.
#[derive(Debug, Parser)]
#[command(name = "imfsim", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario's replications and write results, charts and a summary table.
    Run {
        /// Scenario file (TOML).
        scenario: PathBuf,
        /// Common run options.
        #[command(flatten)]
        opts: RunArgs,
        /// Keep adding replications until the 95 % CI half-width of each --metric is within
        /// this share of its mean (e.g. 0.02 for 2 %).
        #[arg(long, value_parser = parse_share)]
        precision: Option<f64>,
        /// Metric that must reach --precision, as group.entity.name (repeatable; default
        /// stream.all.inspected_share). Keys are listed in summary.csv.
        #[arg(long = "metric", requires = "precision")]
        metrics: Vec<String>,
        /// Instead of independent replications, run one long replication cut into this many
        /// batches and use the batch means for the confidence intervals.
        #[arg(long, conflicts_with_all = ["precision", "replications"], value_parser = clap::value_parser!(u32).range(2..=10_000))]
        batches: Option<u32>,
        /// Most replications --precision may run.
        #[arg(long, default_value_t = 1000, requires = "precision", value_parser = clap::value_parser!(u32).range(2..=100_000))]
        max_replications: u32,
    },
    /// Validate a scenario file without running it.
    Check {
        /// Scenario file (TOML).
        scenario: PathBuf,
    },
    /// Print the JSON Schema of the scenario format (for editors with TOML schema support).
    Schema,
    /// Run several scenarios on common random numbers and report each one's differences from
    /// the first with paired 95 % confidence intervals.
    Compare {
        /// Scenario files; the first is the base.
        #[arg(required = true, num_args = 2..)]
        scenarios: Vec<PathBuf>,
        /// Common run options.
        #[command(flatten)]
        opts: RunArgs,
    },
    /// Run a grid of resource mixes, cost each, and find the cost-effective frontier.
    Sweep {
        /// Scenario file (TOML); its [sweep] table gives the default levers.
        scenario: PathBuf,
        /// A lever and its values, e.g. xray.machines=1..=4 or officers=20,30,40 (repeatable;
        /// replaces the [sweep] levers). Levers: xray.machines, chem.devices, canine.teams,
        /// officers, lab.daily_cap, portal.lanes.
        #[arg(long = "vary")]
        vary: Vec<String>,
        /// Objective metric (default: the scenario's sweep.objective, else
        /// stream.all.seized_per_year).
        #[arg(long)]
        objective: Option<String>,
        /// Lower is better for the objective (e.g. a wait or a backlog): the frontier then
        /// holds the mixes with the lowest value for their cost.
        #[arg(long)]
        minimize: bool,
        /// Common run options.
        #[command(flatten)]
        opts: RunArgs,
    },
    /// Find the best resource mix whose added yearly cost fits a budget.
    Optimize {
        /// Scenario file (TOML); its [sweep] levers bound the search.
        scenario: PathBuf,
        /// Most added yearly cost over the scenario's own mix [US$].
        #[arg(long, value_parser = parse_money)]
        budget: f64,
        /// Objective metric (default: sweep.objective, else stream.all.seized_per_year).
        #[arg(long)]
        objective: Option<String>,
        /// Minimise the objective instead of maximising it (e.g. a wait or a backlog).
        #[arg(long)]
        minimize: bool,
        /// Levers and their ranges, as for sweep (replaces the [sweep] levers).
        #[arg(long = "vary")]
        vary: Vec<String>,
        /// Replications of each finalist's rerun (default: 3 × the search replications, at
        /// least 30).
        #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
        final_replications: Option<u32>,
        /// Common run options.
        #[command(flatten)]
        opts: RunArgs,
    },
    /// Swing each uncertain input to its low and high value and show the effect (tornado).
    Sensitivity {
        /// Scenario file (TOML); its sweep.sensitivity list gives the inputs (default: a
        /// standard set).
        scenario: PathBuf,
        /// Objective metric (default: sweep.objective, else stream.all.seized_per_year).
        #[arg(long)]
        objective: Option<String>,
        /// Common run options.
        #[command(flatten)]
        opts: RunArgs,
    },
    /// (Re)write report.html and report.md in a results folder.
    Report {
        /// A folder written by run, compare, sweep, optimize or sensitivity.
        dir: PathBuf,
    },
}

/// Options every running command takes.
#[derive(Debug, Args, Clone)]
pub struct RunArgs {
    /// Replications (default: the scenario's run.replications).
    #[arg(long, short = 'r', value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub replications: Option<u32>,
    /// Simulated days after warm-up (default: the scenario's run.days).
    #[arg(long, short = 'd', value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub days: Option<u32>,
    /// Master seed (default: the scenario's run.seed).
    #[arg(long, short = 's')]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 't', value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Results folder (default: output/<scenario name>).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace an existing results folder.
    #[arg(long)]
    pub force: bool,
}

/// A non-negative amount of money.
fn parse_money(text: &str) -> Result<f64, String> {
    match text.replace(['_', ','], "").parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!(
            "must be an amount of US dollars ≥ 0, e.g. 9000000; got \"{text}\""
        )),
    }
}

/// A share strictly between 0 and 1.
fn parse_share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        _ => Err(format!(
            "must be a number between 0 and 1 (exclusive), e.g. 0.02 for 2 %; got \"{text}\""
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
