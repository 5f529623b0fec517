//! The scenario file as written: serde structs that mirror the TOML exactly and reject unknown
//! keys. Nothing here is checked beyond its type; `validate` turns it into typed configs.
//! Every key is documented in `docs/scenario.md`.

use schemars::JsonSchema;
use serde::Deserialize;

/// A number, or a text such as `"20s"` (durations carry their unit).
#[derive(Clone, Debug, Deserialize, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum NumOrText {
    /// A plain number.
    Num(f64),
    /// Text, e.g. a duration with its unit.
    Text(String),
}

/// A distribution as written: `{ dist = "lognormal", mean = "20s", cv = 0.5 }`.
#[derive(Clone, Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    /// `exponential`, `deterministic`, `uniform`, `triangular`, `lognormal`, `gamma`, `empirical`.
    pub dist: String,
    /// Mean (exponential, lognormal, gamma).
    pub mean: Option<NumOrText>,
    /// Coefficient of variation (lognormal, gamma).
    pub cv: Option<f64>,
    /// The value (deterministic).
    pub value: Option<NumOrText>,
    /// Smallest value (uniform, triangular).
    pub min: Option<NumOrText>,
    /// Most likely value (triangular).
    pub mode: Option<NumOrText>,
    /// Largest value (uniform, triangular).
    pub max: Option<NumOrText>,
    /// Possible values (empirical).
    pub values: Option<Vec<NumOrText>>,
    /// Relative weights (empirical).
    pub weights: Option<Vec<f64>>,
}

/// One shift: `{ days = "mon-fri", from = "06:00", to = "14:00", units = 20 }`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    /// Days it runs: `mon-fri`, `sat,sun`, `daily`, …
    pub days: String,
    /// Start, whole hour `HH:00`.
    pub from: String,
    /// End, whole hour `HH:00` (may be earlier than `from`: the shift runs past midnight).
    pub to: String,
    /// Units on duty during the shift.
    pub units: u32,
}

/// Random breakdowns of each unit.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBreakdowns {
    /// Time between failures of one unit.
    pub between_failures: RawDist,
    /// Repair time.
    pub repair: RawDist,
}

/// Planned maintenance.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMaintenance {
    /// Interval, e.g. `"7d"`.
    pub every: String,
    /// Length of one window, e.g. `"4h"`.
    pub duration: String,
}

/// `[scenario]`
#[derive(Clone, Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    /// Short name, used for the output folder.
    pub name: Option<String>,
    /// What the scenario represents.
    pub description: Option<String>,
}

/// `[run]`
#[derive(Clone, Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    /// Simulated days after warm-up.
    pub days: Option<u32>,
    /// Warm-up excluded from statistics, e.g. `"1d"`.
    pub warmup: Option<String>,
    /// Replications.
    pub replications: Option<u32>,
    /// Master seed.
    pub seed: Option<u64>,
}

/// `[arrivals.flights]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFlights {
    /// Flights per day, evenly spaced (used when `times` is absent).
    pub per_day: Option<u32>,
    /// Arrival times within the day, `"HH:MM"`.
    pub times: Option<Vec<String>>,
    /// Relative size of each flight (default: equal).
    pub weights: Option<Vec<f64>>,
    /// `poisson` (default), `fixed`, or `gamma` with `batch_cv`.
    pub batch: Option<String>,
    /// Coefficient of variation of a gamma batch size.
    pub batch_cv: Option<f64>,
}

/// `[arrivals.poisson]`
#[derive(Clone, Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPoisson {
    /// Relative rate by hour of day (24 values; default flat).
    pub hour_weights: Option<Vec<f64>>,
    /// Items per arrival (default 1).
    pub group_size: Option<u32>,
}

/// `[arrivals]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    /// Mean items per day.
    pub items_per_day: f64,
    /// Factor per weekday, Monday first (default all 1).
    pub day_of_week: Option<Vec<f64>>,
    /// Items per container through the portal (default 1000).
    pub container_size: Option<u32>,
    /// Flight schedule.
    pub flights: Option<RawFlights>,
    /// Poisson arrivals.
    pub poisson: Option<RawPoisson>,
}

/// `[[streams.contraband]]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawContraband {
    /// Kind, e.g. `fentanyl`.
    pub kind: String,
    /// Probability per item.
    pub prevalence: f64,
    /// Amount per carrier [g].
    pub amount_g: RawDist,
}

/// `[[streams]]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStream {
    /// Identifier.
    pub name: String,
    /// Mail class.
    pub category: String,
    /// Origin.
    pub origin: String,
    /// Share of all items.
    pub share: f64,
    /// MOU share handed to CBP (default 0).
    pub mou_share: Option<f64>,
    /// Officer pick share (default 0).
    pub officer_pick_share: Option<f64>,
    /// Officer pick lift (default 1).
    pub officer_pick_lift: Option<f64>,
    /// Share with advance electronic data (default 0).
    pub aed_share: Option<f64>,
    /// Items per bag (default 1).
    pub bag_size: Option<u32>,
    /// Whether canine teams sweep it (default false).
    pub canine: Option<bool>,
    /// Contraband kinds.
    #[serde(default)]
    pub contraband: Vec<RawContraband>,
}

/// `[portal]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPortal {
    /// Whether the stage runs (default true).
    pub enabled: Option<bool>,
    /// Lanes.
    pub lanes: u32,
    /// Staffed hours (default: all lanes around the clock).
    pub shifts: Option<Vec<RawShift>>,
    /// Time per container.
    pub service: RawDist,
    /// Breakdowns.
    pub breakdowns: Option<RawBreakdowns>,
    /// Maintenance.
    pub maintenance: Option<RawMaintenance>,
}

/// `[targeting]`
#[derive(Clone, Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTargeting {
    /// Share of AED items targeted.
    pub target_share: Option<f64>,
    /// Contraband lift among targets.
    pub lift: Option<f64>,
    /// Daily cap on targets.
    pub daily_cap: Option<u64>,
    /// USPS locate rate.
    pub locate_rate: Option<f64>,
}

/// `[canine]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCanine {
    /// Whether the stage runs (default true).
    pub enabled: Option<bool>,
    /// Teams (on duty around the clock unless `shifts` is given).
    pub teams: u32,
    /// Duty hours.
    pub shifts: Option<Vec<RawShift>>,
    /// Items screened per working hour.
    pub items_per_hour: f64,
    /// Work bout.
    pub work: String,
    /// Rest between bouts.
    pub rest: String,
    /// Detection probability.
    pub p_detect: f64,
    /// False alert probability.
    pub p_false_alert: f64,
    /// Time mail stays on the floor.
    pub dwell: String,
}

/// `[xray]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawXray {
    /// Whether the stage runs (default true).
    pub enabled: Option<bool>,
    /// Installed machines.
    pub machines: u32,
    /// Staffed hours (default: all machines around the clock).
    pub shifts: Option<Vec<RawShift>>,
    /// Officers per running machine.
    pub officers_per_machine: u32,
    /// Time per item.
    pub service: RawDist,
    /// Flag probability, contraband.
    pub p_flag_contraband: f64,
    /// Flag probability, clean.
    pub p_flag_clean: f64,
    /// Longest wait before return to USPS.
    pub max_wait: Option<String>,
    /// Breakdowns.
    pub breakdowns: Option<RawBreakdowns>,
    /// Maintenance.
    pub maintenance: Option<RawMaintenance>,
}

/// `[exam]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExam {
    /// Whether the stage runs (default true).
    pub enabled: Option<bool>,
    /// Officer time per item.
    pub service: RawDist,
    /// Probability of finding contraband present.
    pub p_find: f64,
    /// Probability a clean item looks suspicious.
    pub p_suspect_clean: f64,
}

/// `[chem]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawChem {
    /// Whether the stage runs (default true).
    pub enabled: Option<bool>,
    /// Devices.
    pub devices: u32,
    /// Hours the devices are in use (default: around the clock).
    pub shifts: Option<Vec<RawShift>>,
    /// Officers per test.
    pub officers_per_test: u32,
    /// Time per test.
    pub service: RawDist,
    /// Positive on contraband.
    pub sensitivity: f64,
    /// Positive on clean.
    pub false_positive: f64,
    /// Inconclusive share.
    pub inconclusive: f64,
    /// Breakdowns.
    pub breakdowns: Option<RawBreakdowns>,
}

/// `[lab]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLab {
    /// Whether the stage runs (default true).
    pub enabled: Option<bool>,
    /// Samples started per day (absent = no cap).
    pub daily_cap: Option<u32>,
    /// Start-to-result time.
    pub turnaround: RawDist,
    /// Confirmation probability for real contraband (default 1).
    pub sensitivity: Option<f64>,
}

/// `[seizure]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSeizure {
    /// Officer time per seizure.
    pub service: RawDist,
    /// Case-entry deadline.
    pub deadline: String,
}

/// `[holding]`
#[derive(Clone, Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHolding {
    /// Secure-room capacity [items] (absent = unlimited).
    pub secure_capacity: Option<u64>,
}

/// `[officers]`
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOfficers {
    /// Officers on duty around the clock (when `shifts` is absent).
    pub on_duty: Option<u32>,
    /// Shifts.
    pub shifts: Option<Vec<RawShift>>,
    /// Extra officers borrowed from the port, costed by the hour (added to the pool).
    pub borrowed_shifts: Option<Vec<RawShift>>,
}

/// Purchase, life and upkeep of one kind of equipment.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEquipmentCost {
    /// Purchase price per unit [$].
    pub price: Option<f64>,
    /// Service life [years].
    pub life_years: Option<f64>,
    /// Yearly upkeep as a share of the price.
    pub upkeep_share: Option<f64>,
}

/// `[costs]`
#[derive(Clone, Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCosts {
    /// Real discount rate for annualising purchases.
    pub discount_rate: Option<f64>,
    /// Fully loaded cost of one officer full-time equivalent [$/yr].
    pub officer_per_fte: Option<f64>,
    /// FTEs needed per position staffed 40 h a week (leave, training).
    pub relief_factor: Option<f64>,
    /// Paid hours per FTE per week [h].
    pub hours_per_fte_week: Option<f64>,
    /// Borrowed officer time [$/h].
    pub borrowed_officer_per_hour: Option<f64>,
    /// One canine team (handler, dog, training) [$/yr].
    pub canine_team_per_year: Option<f64>,
    /// Lab cost per sample [$].
    pub lab_per_sample: Option<f64>,
    /// X-ray machines.
    pub xray: Option<RawEquipmentCost>,
    /// Hand-held analysers.
    pub chem: Option<RawEquipmentCost>,
    /// Radiation portal lanes.
    pub portal: Option<RawEquipmentCost>,
}

/// `[benefits]`
#[derive(Clone, Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBenefits {
    /// Money value per kg interdicted [$/kg]: an explicit user assumption (default none).
    pub value_per_kg: Option<f64>,
    /// Purity of seized drug (share).
    pub purity: Option<f64>,
    /// Potentially lethal dose [mg].
    pub lethal_dose_mg: Option<f64>,
}

/// One lever of a sweep: `{ lever = "xray.machines", values = [1, 2, 4] }` or with `from`/`to`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLever {
    /// `xray.machines`, `chem.devices`, `canine.teams`, `officers`, `lab.daily_cap`, `portal.lanes`.
    pub lever: String,
    /// Values to try.
    pub values: Option<Vec<u32>>,
    /// First value of a range.
    pub from: Option<u32>,
    /// Last value of a range (inclusive).
    pub to: Option<u32>,
    /// Step of a range (default 1).
    pub step: Option<u32>,
}

/// One uncertain input for sensitivity analysis: `{ input = "targeting.locate_rate", low = 0.58, high = 0.82 }`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSwing {
    /// `prevalence` (factor on every prevalence), `lab.daily_cap`, `targeting.locate_rate`,
    /// `canine.p_detect`, `xray.p_flag_contraband`, `exam.p_find`, `chem.sensitivity`.
    pub input: String,
    /// Low setting.
    pub low: f64,
    /// High setting.
    pub high: f64,
}

/// `[sweep]`
#[derive(Clone, Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    /// Levers and their values; the grid is every combination.
    #[serde(default)]
    pub levers: Vec<RawLever>,
    /// Objective metric for `optimize` and the frontier, e.g. `contraband.fentanyl.seized_kg_per_year`.
    pub objective: Option<String>,
    /// Uncertain inputs swung one at a time by `sensitivity`.
    #[serde(default)]
    pub sensitivity: Vec<RawSwing>,
}

/// `[limits]`
#[derive(Clone, Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    /// Ceiling on items in custody at once.
    pub max_items_inside: Option<u64>,
}

/// A whole scenario file.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// `[scenario]`
    #[serde(default)]
    pub scenario: RawMeta,
    /// `[run]`
    #[serde(default)]
    pub run: RawRun,
    /// `[arrivals]`
    pub arrivals: RawArrivals,
    /// `[[streams]]`
    pub streams: Vec<RawStream>,
    /// `[portal]`
    pub portal: Option<RawPortal>,
    /// `[targeting]`
    #[serde(default)]
    pub targeting: RawTargeting,
    /// `[canine]`
    pub canine: Option<RawCanine>,
    /// `[xray]`
    pub xray: Option<RawXray>,
    /// `[exam]`
    pub exam: Option<RawExam>,
    /// `[chem]`
    pub chem: Option<RawChem>,
    /// `[lab]`
    pub lab: Option<RawLab>,
    /// `[seizure]`
    pub seizure: RawSeizure,
    /// `[holding]`
    #[serde(default)]
    pub holding: RawHolding,
    /// `[officers]`
    pub officers: RawOfficers,
    /// `[limits]`
    #[serde(default)]
    pub limits: RawLimits,
    /// `[costs]`
    #[serde(default)]
    pub costs: RawCosts,
    /// `[benefits]`
    #[serde(default)]
    pub benefits: RawBenefits,
    /// `[sweep]`
    #[serde(default)]
    pub sweep: RawSweep,
}

/// The JSON Schema of the scenario format, generated from these structs, for editors that
/// validate and complete TOML against a schema.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RawScenario)).unwrap_or_default()
}
