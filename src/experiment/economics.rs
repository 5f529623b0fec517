//! Cost and benefit figures of each replication, added as ordinary metrics so they get
//! confidence intervals and paired comparisons like everything else:
//!
//! * `cost.<item>.yearly_cost` and `cost.total.yearly_cost` [$/yr] (the lab's share varies with
//!   the samples each replication sent);
//! * `benefit.all.lethal_doses_per_year`: potentially lethal doses in the drug seized;
//! * `benefit.all.value_per_year` [$/yr], only when the scenario sets `benefits.value_per_kg`,
//!   a user assumption.

use crate::costs::yearly_costs;
use crate::model::results::{Metric, ReplicationResult};
use crate::scenario::Scenario;

fn value(r: &ReplicationResult, key: &str) -> f64 {
    r.metrics
        .iter()
        .find(|m| m.key() == key)
        .map_or(f64::NAN, |m| m.value)
}

fn push(
    r: &mut ReplicationResult,
    group: &'static str,
    entity: &str,
    name: &'static str,
    unit: &'static str,
    value: f64,
) {
    r.metrics.push(Metric {
        group,
        entity: entity.to_string(),
        name,
        unit,
        value,
    });
}

/// Appends the cost and benefit metrics of `scenario` to replication `r`.
pub fn annotate(scenario: &Scenario, r: &mut ReplicationResult) {
    let lab_per_day = value(r, "stage.lab.arrivals_per_day");
    let lab_per_year = if lab_per_day.is_finite() {
        lab_per_day * 365.0
    } else {
        0.0
    };
    let costs = yearly_costs(&scenario.model, &scenario.costs, lab_per_year);
    for line in &costs.lines {
        push(r, "cost", line.item, "yearly_cost", "$/yr", line.annual);
    }
    push(r, "cost", "total", "yearly_cost", "$/yr", costs.total());
    let kg = value(r, "stream.all.seized_kg_per_year");
    push(
        r,
        "benefit",
        "all",
        "lethal_doses_per_year",
        "doses/yr",
        scenario.benefits.lethal_doses(kg),
    );
    if let Some(per_kg) = scenario.benefits.value_per_kg {
        push(
            r,
            "benefit",
            "all",
            "value_per_year",
            "$/yr (assumed value per kg)",
            kg * per_kg,
        );
    }
}
