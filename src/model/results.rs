//! What one replication reports: named metrics with units, and daily series for charts and
//! warm-up analysis. Names are built here once, so every output uses the same ones.

/// One number a replication produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// `facility`, `stream`, `stage`, `resource`, `contraband` …
    pub group: &'static str,
    /// Which stream, stage, resource or kind (`all` for the facility).
    pub entity: String,
    /// What is measured, e.g. `inspected_share`.
    pub name: &'static str,
    /// Unit, e.g. `share`, `h`, `items/day`.
    pub unit: &'static str,
    /// The value; NaN when undefined in this replication (e.g. a mean wait with no arrivals).
    pub value: f64,
}

impl Metric {
    /// `group.entity.name`, the metric's unique key.
    pub fn key(&self) -> String {
        format!("{}.{}.{}", self.group, self.entity, self.name)
    }
}

/// Values recorded at the end of each simulated day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DailySeries {
    /// Lab samples waiting for a slot.
    pub lab_backlog: Vec<f64>,
    /// Items waiting for x-ray.
    pub xray_queue: Vec<f64>,
    /// Items in CBP custody (taken in hand, not yet released or seized).
    pub in_custody: Vec<f64>,
}

/// Everything one replication produced.
#[derive(Clone, Debug)]
pub struct ReplicationResult {
    /// Replication index.
    pub replication: u64,
    /// All metrics, in a fixed order.
    pub metrics: Vec<Metric>,
    /// End-of-day series over the whole run (warm-up included).
    pub daily: DailySeries,
    /// Events handled.
    pub events: u64,
    /// Items that arrived over the whole run.
    pub items_arrived: u64,
    /// Streams whose items are not all accounted for (must be empty).
    pub conservation_errors: Vec<String>,
}

/// Collects metrics in order.
#[derive(Default)]
pub struct MetricSink {
    /// Metrics so far.
    pub metrics: Vec<Metric>,
}

impl MetricSink {
    /// Adds one metric.
    pub fn put(
        &mut self,
        group: &'static str,
        entity: &str,
        name: &'static str,
        unit: &'static str,
        value: f64,
    ) {
        self.metrics.push(Metric {
            group,
            entity: entity.to_string(),
            name,
            unit,
            value,
        });
    }
}
