//! Load against capacity, stage by stage: the work each stage is offered per day against the
//! unit-hours it has, so overloads are named before a run (from expected flows) and after it
//! (from measured arrivals). A ratio above 1 means demand exceeds capacity: the line grows
//! until items are returned (x-ray `max_wait`) or the run's item ceiling stops it.

use super::config::ModelConfig;
use crate::engine::calendar::HOURS_PER_WEEK;
use crate::engine::{Availability, WeeklyCalendar};

/// Offered work and capacity of one stage or resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Load {
    /// `portal`, `xray`, `exam`, `chem`, `lab`, `officers`.
    pub stage: &'static str,
    /// Items (samples for the lab) offered per day.
    pub arrivals_per_day: f64,
    /// Work offered per day [unit-hours] (samples for the lab).
    pub demand_per_day: f64,
    /// Capacity per day [unit-hours] (sample slots for the lab).
    pub capacity_per_day: f64,
}

impl Load {
    /// Demand over capacity (infinite if there is demand and no capacity).
    pub fn ratio(&self) -> f64 {
        if self.capacity_per_day > 0.0 {
            self.demand_per_day / self.capacity_per_day
        } else if self.demand_per_day > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    }
}

/// Items per day reaching each stage.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Flows {
    /// Containers through the portal per day.
    pub portal: f64,
    /// Items x-rayed per day.
    pub xray: f64,
    /// Items examined per day.
    pub exam: f64,
    /// Items chemically tested per day.
    pub chem: f64,
    /// Samples sent to the lab per day.
    pub lab: f64,
    /// Seizures processed per day.
    pub seizure: f64,
}

fn unit_hours_per_day(c: &WeeklyCalendar) -> f64 {
    c.unit_hours_per_week() as f64 / 7.0
}

fn equipment_hours(a: &Availability) -> f64 {
    // Staffed hours, but never more than the installed units that are up.
    let up = f64::from(a.units) * a.expected_up_share();
    let staffed: f64 = a
        .calendar
        .hours()
        .iter()
        .map(|&h| f64::from(h).min(up))
        .sum();
    staffed / 7.0
}

/// Expected flows from the configuration alone (clean items dominate: prevalence is ignored).
pub fn expected_flows(cfg: &ModelConfig) -> Flows {
    let n = cfg.arrivals.items_per_day * cfg.arrivals.day_of_week.iter().sum::<f64>() / 7.0;
    let t = &cfg.targeting;
    let aed_targets: f64 = cfg
        .streams
        .iter()
        .map(|s| n * s.share * s.aed_share * t.target_share)
        .sum();
    let kept = match t.daily_cap {
        Some(cap) => aed_targets.min(cap as f64),
        None => aed_targets,
    };
    let mut selected = 0.0;
    for s in &cfg.streams {
        let items = n * s.share;
        let targets = if aed_targets > 0.0 {
            kept * items * s.aed_share * t.target_share / aed_targets
        } else {
            0.0
        };
        let located = targets * t.locate_rate;
        let bags = (located * f64::from(s.bag_size)).min(items);
        let rest = (items - bags).max(0.0);
        let mou = rest * s.mou_share;
        selected += bags + mou + (rest - mou) * s.officer_pick_share;
    }
    let canine_alerts = cfg.canine.as_ref().map_or(0.0, |k| {
        let cycle = (k.work.as_ms() + k.rest.as_ms()).max(1) as f64;
        let working = k.work.as_ms() as f64 / cycle;
        let eligible: f64 = cfg
            .streams
            .iter()
            .filter(|s| s.canine_eligible)
            .map(|s| n * s.share)
            .sum();
        let screened = (unit_hours_per_day(&k.teams) * working * k.items_per_hour).min(eligible);
        screened * k.p_false_alert
    });
    let xray = if cfg.xray.is_some() { selected } else { 0.0 };
    let flagged = cfg
        .xray
        .as_ref()
        .map_or(selected, |x| selected * x.p_flag_clean);
    let exam_in = flagged + canine_alerts;
    let suspicious = cfg
        .exam
        .as_ref()
        .map_or(exam_in, |e| exam_in * e.p_suspect_clean);
    let (exam, chem) = (
        if cfg.exam.is_some() { exam_in } else { 0.0 },
        if cfg.chem.is_some() { suspicious } else { 0.0 },
    );
    let lab_in = match (&cfg.chem, &cfg.lab) {
        (Some(c), Some(_)) => suspicious * (c.false_positive + c.inconclusive),
        (None, Some(_)) => suspicious,
        _ => 0.0,
    };
    Flows {
        portal: if cfg.portal.is_some() {
            n / f64::from(cfg.arrivals.container_size.max(1))
        } else {
            0.0
        },
        xray,
        exam,
        chem,
        lab: lab_in,
        seizure: 0.0,
    }
}

/// Load against capacity of every stage present, and of the officer pool, for `flows`.
pub fn loads(cfg: &ModelConfig, flows: &Flows) -> Vec<Load> {
    let mut out = Vec::new();
    let mut officer_hours = 0.0;
    let mut push = |stage, arrivals: f64, mean_s: f64, capacity: f64| {
        out.push(Load {
            stage,
            arrivals_per_day: arrivals,
            demand_per_day: arrivals * mean_s / 3600.0,
            capacity_per_day: capacity,
        });
    };
    if let Some(p) = &cfg.portal {
        push(
            "portal",
            flows.portal,
            p.service_s.mean(),
            equipment_hours(&p.lanes),
        );
    }
    if let Some(x) = &cfg.xray {
        push(
            "xray",
            flows.xray,
            x.service_s.mean(),
            equipment_hours(&x.machines),
        );
        officer_hours +=
            flows.xray * x.service_s.mean() / 3600.0 * f64::from(x.officers_per_machine);
    }
    if let Some(e) = &cfg.exam {
        officer_hours += flows.exam * e.service_s.mean() / 3600.0;
    }
    if let Some(c) = &cfg.chem {
        push(
            "chem",
            flows.chem,
            c.service_s.mean(),
            equipment_hours(&c.devices),
        );
        officer_hours += flows.chem * c.service_s.mean() / 3600.0 * f64::from(c.officers_per_test);
    }
    officer_hours += flows.seizure * cfg.seizure.service_s.mean() / 3600.0;
    if let Some(l) = &cfg.lab
        && let Some(cap) = l.daily_cap
    {
        out.push(Load {
            stage: "lab",
            arrivals_per_day: flows.lab,
            demand_per_day: flows.lab,
            capacity_per_day: f64::from(cap),
        });
    }
    let officers_capacity = cfg.officers.unit_hours_per_week() as f64 / 7.0;
    debug_assert_eq!(cfg.officers.hours().len(), HOURS_PER_WEEK);
    out.push(Load {
        stage: "officers",
        arrivals_per_day: flows.xray + flows.exam + flows.chem + flows.seizure,
        demand_per_day: officer_hours,
        capacity_per_day: officers_capacity,
    });
    out
}

/// A sentence naming every stage whose demand exceeds `threshold` times its capacity, worst
/// first, with what happens to its overflow.
pub fn overload_warning(loads: &[Load], threshold: f64) -> Option<String> {
    let mut over: Vec<&Load> = loads.iter().filter(|l| l.ratio() > threshold).collect();
    over.sort_by(|a, b| b.ratio().total_cmp(&a.ratio()));
    let worst = over.first()?;
    let describe = |l: &Load| {
        if l.stage == "lab" {
            format!(
                "{:.0} samples a day arrive against a daily cap of {:.0}",
                l.demand_per_day, l.capacity_per_day
            )
        } else {
            format!(
                "it is offered {:.0} unit-hours of work a day against {:.0} unit-hours of capacity",
                l.demand_per_day, l.capacity_per_day
            )
        }
    };
    let fate = match worst.stage {
        "xray" => {
            "its line grows until items are returned uninspected (xray.max_wait) or the item ceiling (limits.max_items_inside) stops the run"
        }
        "lab" => "its backlog of samples, and the items held for them, grows day by day",
        "officers" => "every station that needs officers waits for them; add officers or shifts",
        _ => "its line grows for the whole run (only xray has a max_wait)",
    };
    let mut text = format!(
        "{} is the bottleneck: {} (demand is {:.0} % of capacity); {fate}",
        worst.stage,
        describe(worst),
        worst.ratio() * 100.0
    );
    for l in &over[1..] {
        text.push_str(&format!(
            "; {} is also over capacity ({:.0} %)",
            l.stage,
            l.ratio() * 100.0
        ));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn ratio_and_warning() {
        let l = |stage, d, c| Load {
            stage,
            arrivals_per_day: 0.0,
            demand_per_day: d,
            capacity_per_day: c,
        };
        assert_relative_eq!(l("xray", 30.0, 20.0).ratio(), 1.5);
        assert!(l("xray", 1.0, 0.0).ratio().is_infinite());
        assert_relative_eq!(l("xray", 0.0, 0.0).ratio(), 0.0);
        let loads = [
            l("xray", 30.0, 20.0),
            l("lab", 40.0, 10.0),
            l("officers", 5.0, 50.0),
        ];
        let w = overload_warning(&loads, 1.0).unwrap();
        assert!(w.starts_with("lab is the bottleneck: 40 samples a day arrive against a daily cap of 10 (demand is 400 %"), "{w}");
        assert!(overload_warning(&loads[2..], 1.0).is_none());
    }
}
