//! Cost-benefit arithmetic: yearly cost of a resource mix and the benefit measures derived
//! from results. Pure functions of the facility's configuration and of simulated figures; no
//! simulation happens here.
//!
//! Purchases are annualised with the capital recovery factor `r(1+r)^n / ((1+r)^n − 1)` at the
//! real discount rate `r` over the service life `n`, plus yearly upkeep as a share of the price.
//! Staff are costed per full-time equivalent: weekly on-duty hours ÷ paid hours per FTE per week
//! × a relief factor for leave and training. Canine teams are costed the same way per team.

use crate::model::ModelConfig;

/// Purchase price, life and upkeep of one unit of equipment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EquipmentCost {
    /// Purchase price per unit [$].
    pub price: f64,
    /// Service life [years].
    pub life_years: f64,
    /// Yearly upkeep as a share of the price.
    pub upkeep_share: f64,
}

impl EquipmentCost {
    /// Yearly cost of one unit at discount rate `rate`: annualised price plus upkeep [$/yr].
    pub fn annual(&self, rate: f64) -> f64 {
        self.price * capital_recovery_factor(rate, self.life_years) + self.price * self.upkeep_share
    }
}

/// The share of a purchase price paid each year to recover it over `years` at `rate`
/// (`1/years` at a zero rate).
pub fn capital_recovery_factor(rate: f64, years: f64) -> f64 {
    if years <= 0.0 {
        return 1.0;
    }
    if rate.abs() < 1e-12 {
        return 1.0 / years;
    }
    let g = (1.0 + rate).powf(years);
    rate * g / (g - 1.0)
}

/// Unit costs. Defaults come from `PARAMETERS.md` (sources there) or are marked assumptions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CostConfig {
    /// Real discount rate. Default 0.07: the OMB Circular A-94 base rate (assumption for CBP).
    pub discount_rate: f64,
    /// Fully loaded officer cost [$/FTE-yr]. Default 117,000 (PARAMETERS.md, loaded officer cost).
    pub officer_per_fte: f64,
    /// FTEs per position staffed 40 h/week. Default 1.2 (assumption: leave and training).
    pub relief_factor: f64,
    /// Paid hours per FTE per week [h]. Default 40.
    pub hours_per_fte_week: f64,
    /// Borrowed officer time [$/h]. Default 84: 117,000 / 2,080 h × 1.5 overtime (assumption).
    pub borrowed_officer_per_hour: f64,
    /// One canine team [$/yr]. Default 130,000 (PARAMETERS.md, canine team, assumption).
    pub canine_team_per_year: f64,
    /// Lab cost per sample [$]. Default 150 (assumption: no public figure).
    pub lab_per_sample: f64,
    /// X-ray machine. Default $90,000 dual-view, 10 years, 10 %/yr upkeep (PARAMETERS.md, L/A).
    pub xray: EquipmentCost,
    /// Hand-held analyser. Default $92,000 (CBP average, DHS OIG-19-67), 6 years, 10 %/yr.
    pub chem: EquipmentCost,
    /// Radiation portal lane. Default $55,000 (GAO 2006 as reported), 10 years, 10 %/yr.
    pub portal: EquipmentCost,
}

impl Default for CostConfig {
    fn default() -> Self {
        CostConfig {
            discount_rate: 0.07,
            officer_per_fte: 117_000.0,
            relief_factor: 1.2,
            hours_per_fte_week: 40.0,
            borrowed_officer_per_hour: 84.0,
            canine_team_per_year: 130_000.0,
            lab_per_sample: 150.0,
            xray: EquipmentCost {
                price: 90_000.0,
                life_years: 10.0,
                upkeep_share: 0.10,
            },
            chem: EquipmentCost {
                price: 92_000.0,
                life_years: 6.0,
                upkeep_share: 0.10,
            },
            portal: EquipmentCost {
                price: 55_000.0,
                life_years: 10.0,
                upkeep_share: 0.10,
            },
        }
    }
}

/// How benefits are expressed beyond counts and kilograms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BenefitConfig {
    /// Money value per kg interdicted [$/kg]: an explicit user assumption, `None` by default,
    /// because seizures do not translate simply into harm averted (PARAMETERS.md, caution).
    pub value_per_kg: Option<f64>,
    /// Purity of seized drug. Default 0.9 (PARAMETERS.md, CBP testimony 2018).
    pub purity: f64,
    /// Potentially lethal dose [mg]. Default 2 (PARAMETERS.md, DEA).
    pub lethal_dose_mg: f64,
}

impl Default for BenefitConfig {
    fn default() -> Self {
        BenefitConfig {
            value_per_kg: None,
            purity: 0.9,
            lethal_dose_mg: 2.0,
        }
    }
}

impl BenefitConfig {
    /// Potentially lethal doses in `kg` of seized drug.
    pub fn lethal_doses(&self, kg: f64) -> f64 {
        kg * 1e6 * self.purity / self.lethal_dose_mg
    }
}

/// One line of a yearly cost breakdown.
#[derive(Clone, Debug, PartialEq)]
pub struct CostLine {
    /// What is costed, e.g. `officers`.
    pub item: &'static str,
    /// How many (units, FTEs, hours or samples per year).
    pub quantity: f64,
    /// Unit of `quantity`.
    pub unit: &'static str,
    /// Yearly cost [$].
    pub annual: f64,
}

/// Yearly cost of a facility, by item.
#[derive(Clone, Debug, PartialEq)]
pub struct CostBreakdown {
    /// Lines, in a fixed order.
    pub lines: Vec<CostLine>,
}

impl CostBreakdown {
    /// Total yearly cost [$].
    pub fn total(&self) -> f64 {
        self.lines.iter().map(|l| l.annual).sum()
    }
}

/// FTEs needed to staff `hours_per_week` on-duty hours.
pub fn fte(hours_per_week: f64, c: &CostConfig) -> f64 {
    hours_per_week / c.hours_per_fte_week * c.relief_factor
}

/// The yearly cost of `model` with unit costs `c`, given the lab samples it processes a year.
pub fn yearly_costs(
    model: &ModelConfig,
    c: &CostConfig,
    lab_samples_per_year: f64,
) -> CostBreakdown {
    let mut lines = Vec::new();
    let regular_hours = model.officers.unit_hours_per_week() as f64
        - model.borrowed_officers.unit_hours_per_week() as f64;
    let officer_fte = fte(regular_hours, c);
    lines.push(CostLine {
        item: "officers",
        quantity: officer_fte,
        unit: "FTE",
        annual: officer_fte * c.officer_per_fte,
    });
    let borrowed_h = model.borrowed_officers.unit_hours_per_week() as f64 * 52.0;
    if borrowed_h > 0.0 {
        lines.push(CostLine {
            item: "borrowed_officers",
            quantity: borrowed_h,
            unit: "h/yr",
            annual: borrowed_h * c.borrowed_officer_per_hour,
        });
    }
    if let Some(k) = &model.canine {
        let teams = fte(k.teams.unit_hours_per_week() as f64, c);
        lines.push(CostLine {
            item: "canine_teams",
            quantity: teams,
            unit: "team-FTE",
            annual: teams * c.canine_team_per_year,
        });
    }
    let mut equipment = |item, units: u32, e: &EquipmentCost| {
        lines.push(CostLine {
            item,
            quantity: f64::from(units),
            unit: "units",
            annual: f64::from(units) * e.annual(c.discount_rate),
        });
    };
    if let Some(x) = &model.xray {
        equipment("xray_machines", x.machines.units, &c.xray);
    }
    if let Some(h) = &model.chem {
        equipment("chem_devices", h.devices.units, &c.chem);
    }
    if let Some(p) = &model.portal {
        equipment("portal_lanes", p.lanes.units, &c.portal);
    }
    if model.lab.is_some() {
        lines.push(CostLine {
            item: "lab_samples",
            quantity: lab_samples_per_year,
            unit: "samples/yr",
            annual: lab_samples_per_year * c.lab_per_sample,
        });
    }
    CostBreakdown { lines }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn capital_recovery_matches_hand_computation() {
        // 7 % over 10 years: 0.07 × 1.07^10 / (1.07^10 − 1) = 0.142378 (annuity tables).
        assert_relative_eq!(
            capital_recovery_factor(0.07, 10.0),
            0.142_377_5,
            max_relative = 1e-6
        );
        assert_relative_eq!(capital_recovery_factor(0.0, 8.0), 0.125);
        // $90,000 x-ray: 90,000 × 0.1423775 + 9,000 upkeep = 21,813.98 a year.
        let x = EquipmentCost {
            price: 90_000.0,
            life_years: 10.0,
            upkeep_share: 0.1,
        };
        assert_relative_eq!(x.annual(0.07), 21_813.98, max_relative = 1e-6);
    }

    #[test]
    fn fte_and_lethal_doses() {
        let c = CostConfig::default();
        // 20 officers on two 8 h tours, 5 days: 20 × 80 h = 1,600 h/week → 40 positions × 1.2.
        assert_relative_eq!(fte(1_600.0, &c), 48.0);
        // 1 kg at 90 % purity, 2 mg a dose: 450,000 doses.
        assert_relative_eq!(BenefitConfig::default().lethal_doses(1.0), 450_000.0);
    }
}

/// Indices of the cost-effective frontier among `points` (`(yearly cost, benefit)`), in
/// increasing cost: the points no other point dominates (no cost as low or lower with a benefit
/// as high or higher, one of them strictly). Points with a non-finite value are never on it.
pub fn frontier(points: &[(f64, f64)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..points.len())
        .filter(|&i| points[i].0.is_finite() && points[i].1.is_finite())
        .collect();
    // Cheapest first; at equal cost the best benefit first, so it alone can enter.
    order.sort_by(|&a, &b| {
        points[a]
            .0
            .total_cmp(&points[b].0)
            .then(points[b].1.total_cmp(&points[a].1))
    });
    let mut best = f64::NEG_INFINITY;
    let mut out = Vec::new();
    for i in order {
        if points[i].1 > best {
            best = points[i].1;
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod frontier_tests {
    use super::frontier;

    /// Brute force: `i` is on the frontier iff no `j` dominates it.
    fn dominated(points: &[(f64, f64)], i: usize) -> bool {
        points.iter().enumerate().any(|(j, p)| {
            j != i
                && p.0 <= points[i].0
                && p.1 >= points[i].1
                && (p.0 < points[i].0 || p.1 > points[i].1)
        })
    }

    #[test]
    fn frontier_matches_brute_force_on_a_grid() {
        // A 4×4 grid of mixes with a concave benefit and some noise-like wiggle, plus ties.
        let mut points = Vec::new();
        for a in 0..4 {
            for b in 0..4 {
                let cost = 100.0 * f64::from(a) + 130.0 * f64::from(b);
                let benefit = (1.0 + f64::from(a)).ln() * 10.0 + (1.0 + f64::from(b)).sqrt() * 7.0
                    - if (a + b) % 3 == 0 { 1.5 } else { 0.0 };
                points.push((cost, benefit));
            }
        }
        points.push((230.0, 0.0)); // dominated duplicate cost
        let f = frontier(&points);
        let mut brute: Vec<usize> = (0..points.len())
            .filter(|&i| !dominated(&points, i))
            .collect();
        brute.sort_by(|&a, &b| points[a].0.total_cmp(&points[b].0));
        assert_eq!(f, brute);
        assert_eq!(f[0], 0, "the cheapest mix is always on the frontier");
        for w in f.windows(2) {
            assert!(points[w[1]].0 > points[w[0]].0 && points[w[1]].1 > points[w[0]].1);
        }
    }
}
