//! `ModelConfig`: the typed, validated parameters of one facility. Built by the `scenario`
//! module from a TOML file; the model never sees raw text. Every probability here is already
//! checked to lie in [0, 1] and every count to be sensible, so the model needs no checks.

use crate::engine::{Availability, Distribution, SimDuration, WeeklyCalendar};

/// Mail class, as USPS and CBP distinguish it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// First Class letters and flats.
    LetterFlat,
    /// First Class small packets (under 2 kg).
    SmallPacket,
    /// E-commerce small packets (ePacket and similar).
    ECommerce,
    /// Express Mail Service (EMS).
    Express,
    /// Priority parcels.
    Priority,
    /// Registered mail.
    Registered,
}

impl Category {
    /// Every category, in a fixed order.
    pub const ALL: [Category; 6] = [
        Category::LetterFlat,
        Category::SmallPacket,
        Category::ECommerce,
        Category::Express,
        Category::Priority,
        Category::Registered,
    ];

    /// The scenario-file spelling.
    pub fn key(self) -> &'static str {
        match self {
            Category::LetterFlat => "letter_flat",
            Category::SmallPacket => "small_packet",
            Category::ECommerce => "ecommerce",
            Category::Express => "express",
            Category::Priority => "priority",
            Category::Registered => "registered",
        }
    }
}

/// Where a stream comes from; risk differs sharply by origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// China and Hong Kong.
    ChinaHongKong,
    /// Every other country.
    RestOfWorld,
}

impl Origin {
    /// Every origin, in a fixed order.
    pub const ALL: [Origin; 2] = [Origin::ChinaHongKong, Origin::RestOfWorld];

    /// The scenario-file spelling.
    pub fn key(self) -> &'static str {
        match self {
            Origin::ChinaHongKong => "china_hk",
            Origin::RestOfWorld => "rest_of_world",
        }
    }
}

/// One kind of contraband a stream may carry.
#[derive(Clone, Debug)]
pub struct ContrabandConfig {
    /// Name of the kind, e.g. `fentanyl`.
    pub kind: String,
    /// Probability that one item of the stream holds this kind.
    pub prevalence: f64,
    /// Amount per item holding it [g].
    pub amount_g: Distribution,
}

/// One mail stream: a category from an origin, with its share of volume, its risk and how CBP
/// selects from it.
#[derive(Clone, Debug)]
pub struct StreamConfig {
    /// Identifier used in outputs, e.g. `express_cn`.
    pub name: String,
    /// Mail class.
    pub category: Category,
    /// Origin.
    pub origin: Origin,
    /// Share of all arriving items (shares of all streams sum to 1).
    pub share: f64,
    /// Contraband kinds; at most one per item.
    pub contraband: Vec<ContrabandConfig>,
    /// Share handed to CBP under the memorandum with USPS (a random subset).
    pub mou_share: f64,
    /// Share picked by officers from experience.
    pub officer_pick_share: f64,
    /// How much more likely a picked item is to hold contraband than a random one (≥ 1).
    pub officer_pick_lift: f64,
    /// Share of items with advance electronic data, the only items ATS can target.
    pub aed_share: f64,
    /// Items per bag: a located ATS target brings its whole bag for search.
    pub bag_size: u32,
    /// Whether unselected items of this stream pass the canine teams.
    pub canine_eligible: bool,
}

/// How the number of items on one flight varies around its expected value.
#[derive(Clone, Debug)]
pub enum BatchSize {
    /// Poisson with the expected value as mean.
    Poisson,
    /// Exactly the expected value, rounded.
    Fixed,
    /// Gamma with the expected value as mean and this coefficient of variation, rounded.
    Gamma {
        /// Coefficient of variation (> 0).
        cv: f64,
    },
}

/// When mail arrives.
#[derive(Clone, Debug)]
pub enum ArrivalPattern {
    /// Flights at fixed hours each day, each bringing a batch of items.
    Flights {
        /// Arrival times within the day, sorted, each below 24 h.
        times: Vec<SimDuration>,
        /// Relative size of each flight (same length as `times`; normalised to sum 1).
        weights: Vec<f64>,
        /// Variation of the batch size.
        batch: BatchSize,
    },
    /// A Poisson process of groups of `group_size` items, with an hour-of-day rate profile.
    Poisson {
        /// Relative arrival rate for each hour of the day (24 values, normalised to mean 1).
        hour_weights: Vec<f64>,
        /// Items per arrival event (1 for ordinary Poisson arrivals).
        group_size: u32,
    },
}

/// Arrivals: volume, weekly pattern and how items are grouped into containers.
#[derive(Clone, Debug)]
pub struct ArrivalConfig {
    /// Mean items per day (before the day-of-week factor).
    pub items_per_day: f64,
    /// Factor for each day of the week, Monday first (mean 1 keeps the weekly volume).
    pub day_of_week: [f64; 7],
    /// Flights or Poisson.
    pub pattern: ArrivalPattern,
    /// Items per container passing the radiation portal together.
    pub container_size: u32,
}

/// The radiation portal every container passes.
#[derive(Clone, Debug)]
pub struct PortalConfig {
    /// Lanes, with their calendar and breakdowns.
    pub lanes: Availability,
    /// Time per container [s].
    pub service_s: Distribution,
}

/// Automated Targeting System: targets among items with advance data.
#[derive(Clone, Debug)]
pub struct TargetingConfig {
    /// Share of AED items targeted.
    pub target_share: f64,
    /// How much more likely a target holds contraband than a random item (≥ 1).
    pub lift: f64,
    /// Most targets issued per day (the agreement with USPS); `None` = no cap.
    pub daily_cap: Option<u64>,
    /// Probability that USPS finds and hands over a targeted item.
    pub locate_rate: f64,
}

/// Narcotics-detector canine teams sweeping unselected mail.
#[derive(Clone, Debug)]
pub struct CanineConfig {
    /// Teams on duty by hour of week.
    pub teams: WeeklyCalendar,
    /// Items screened per hour while working.
    pub items_per_hour: f64,
    /// Length of a working bout.
    pub work: SimDuration,
    /// Rest after each bout.
    pub rest: SimDuration,
    /// Probability of an alert on an item holding contraband.
    pub p_detect: f64,
    /// Probability of an alert on a clean item.
    pub p_false_alert: f64,
    /// How long unselected mail stays on the floor before USPS dispatches it.
    pub dwell: SimDuration,
}

/// X-ray machines, each run by officers.
#[derive(Clone, Debug)]
pub struct XrayConfig {
    /// Machines, with their staffed hours, breakdowns and maintenance.
    pub machines: Availability,
    /// Officers needed to run one machine.
    pub officers_per_machine: u32,
    /// Time per item [s].
    pub service_s: Distribution,
    /// Probability the image of an item with contraband is flagged.
    pub p_flag_contraband: f64,
    /// Probability the image of a clean item is flagged.
    pub p_flag_clean: f64,
    /// Items still waiting after this long go back to USPS uninspected; `None` = never.
    pub max_wait: Option<SimDuration>,
}

/// Physical examination (opening) by an officer.
#[derive(Clone, Debug)]
pub struct ExamConfig {
    /// Officer time per item [s].
    pub service_s: Distribution,
    /// Probability an officer finds contraband that is there.
    pub p_find: f64,
    /// Probability a clean item still looks suspicious and goes on to chemical screening.
    pub p_suspect_clean: f64,
}

/// Hand-held chemical analysers (FTIR / Raman).
#[derive(Clone, Debug)]
pub struct ChemConfig {
    /// Devices, with their availability.
    pub devices: Availability,
    /// Officers needed per test (0 if the device is run by lab staff).
    pub officers_per_test: u32,
    /// Time per test, handling included [s].
    pub service_s: Distribution,
    /// Probability of a positive reading on contraband.
    pub sensitivity: f64,
    /// Probability of a positive reading on a clean item.
    pub false_positive: f64,
    /// Probability of an inconclusive reading (sent to the lab like a positive).
    pub inconclusive: f64,
}

/// Remote laboratory confirmation with a daily cap on samples started.
#[derive(Clone, Debug)]
pub struct LabConfig {
    /// Samples the lab starts per calendar day; unused slots are lost at midnight. `None` =
    /// no cap.
    pub daily_cap: Option<u32>,
    /// Time from start to result [s].
    pub turnaround_s: Distribution,
    /// Probability the lab confirms contraband that is there.
    pub sensitivity: f64,
}

/// Seizure processing: weighing, bagging and the case entry.
#[derive(Clone, Debug)]
pub struct SeizureConfig {
    /// Officer time per seizure [s].
    pub service_s: Distribution,
    /// Case entry is late if done more than this after confirmation.
    pub deadline: SimDuration,
}

/// The secure room for items awaiting the lab.
#[derive(Clone, Debug)]
pub struct HoldingConfig {
    /// Items the secure room holds; more are kept unsecured. `None` = unlimited.
    pub secure_capacity: Option<u64>,
}

/// The facility's parameters, every stage included.
#[derive(Clone, Debug)]
pub struct ModelConfig {
    /// Mail streams (at least one).
    pub streams: Vec<StreamConfig>,
    /// Arrival volume and pattern.
    pub arrivals: ArrivalConfig,
    /// Radiation portal; `None` switches it off (containers open on arrival).
    pub portal: Option<PortalConfig>,
    /// ATS targeting.
    pub targeting: TargetingConfig,
    /// Canine teams; `None` switches them off.
    pub canine: Option<CanineConfig>,
    /// X-ray; `None` sends selected items straight to examination.
    pub xray: Option<XrayConfig>,
    /// Examination; `None` treats every flagged item as suspicious.
    pub exam: Option<ExamConfig>,
    /// Chemical screening; `None` sends suspicious items straight to the lab.
    pub chem: Option<ChemConfig>,
    /// Lab; `None` accepts presumptive positives as confirmed.
    pub lab: Option<LabConfig>,
    /// Seizure processing.
    pub seizure: SeizureConfig,
    /// Holding room.
    pub holding: HoldingConfig,
    /// Officers on duty by hour of week: one shared pool, borrowed officers included.
    pub officers: WeeklyCalendar,
    /// The part of `officers` borrowed from elsewhere (costed by the hour, not per FTE).
    pub borrowed_officers: WeeklyCalendar,
    /// A run stops with an error if more items than this are inside CBP custody at once.
    pub max_items_inside: u64,
}

impl ModelConfig {
    /// Index of the stream called `name`.
    pub fn stream_index(&self, name: &str) -> Option<usize> {
        self.streams.iter().position(|s| s.name == name)
    }
}
