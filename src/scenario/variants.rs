//! Variants of a scenario: the same file with some levers turned (a resource mix in a sweep)
//! or one uncertain input swung (sensitivity). Each variant is made by editing the file's TOML
//! and validating it again, so it is checked exactly like a file a planner wrote.

use toml::{Table, Value};

use super::economics::{Input, Lever};
use super::{Scenario, ScenarioError, parse};

fn table<'a>(t: &'a mut Table, key: &str) -> Option<&'a mut Table> {
    t.get_mut(key).and_then(Value::as_table_mut)
}

/// Scales every `units` of the shift list `shifts` by `value / peak`, rounding down but keeping
/// at least one unit on a shift that had some (unless `value` is 0). Integer arithmetic, so a
/// shift of `peak` units becomes exactly `value` (in floating point, 22 × (30 / 22) rounds
/// down to 29).
fn scale_shifts(shifts: Option<&mut Value>, value: u32, peak: u32) {
    let Some(list) = shifts.and_then(Value::as_array_mut) else {
        return;
    };
    if peak == 0 {
        return;
    }
    for shift in list.iter_mut().filter_map(Value::as_table_mut) {
        if let Some(units) = shift.get("units").and_then(Value::as_integer)
            && units > 0
        {
            let scaled = (i128::from(units) * i128::from(value) / i128::from(peak))
                .max(i128::from(value > 0));
            let scaled = i64::try_from(scaled).unwrap_or(i64::MAX);
            shift.insert("units".into(), Value::Integer(scaled));
        }
    }
}

/// Sets a counted resource to `value` installed units, scaling its shifts from `peak`.
fn set_units(t: &mut Table, section: &str, key: &str, value: u32, peak: u32) {
    let Some(sec) = table(t, section) else {
        return;
    };
    sec.insert(key.into(), Value::Integer(i64::from(value)));
    scale_shifts(sec.get_mut("shifts"), value, peak);
}

fn apply_lever(t: &mut Table, s: &Scenario, lever: Lever, value: u32) {
    let m = &s.model;
    match lever {
        Lever::XrayMachines => {
            let peak = m.xray.as_ref().map_or(0, |x| x.machines.calendar.peak());
            set_units(t, "xray", "machines", value, peak);
        }
        Lever::ChemDevices => {
            let peak = m.chem.as_ref().map_or(0, |c| c.devices.calendar.peak());
            set_units(t, "chem", "devices", value, peak);
        }
        Lever::PortalLanes => {
            let peak = m.portal.as_ref().map_or(0, |p| p.lanes.calendar.peak());
            set_units(t, "portal", "lanes", value, peak);
        }
        Lever::CanineTeams => {
            let peak = m.canine.as_ref().map_or(0, |k| k.teams.peak());
            set_units(t, "canine", "teams", value, peak);
            if let Some(sec) = table(t, "canine") {
                sec.insert("enabled".into(), Value::Boolean(value > 0));
            }
        }
        Lever::Officers => {
            let Some(sec) = table(t, "officers") else {
                return;
            };
            if sec.contains_key("on_duty") {
                sec.insert("on_duty".into(), Value::Integer(i64::from(value)));
            } else {
                let regular: Vec<u32> = m
                    .officers
                    .hours()
                    .iter()
                    .zip(m.borrowed_officers.hours())
                    .map(|(a, b)| a.saturating_sub(*b))
                    .collect();
                let peak = regular.into_iter().max().unwrap_or(0);
                scale_shifts(sec.get_mut("shifts"), value, peak);
            }
        }
        Lever::LabDailyCap => {
            if let Some(sec) = table(t, "lab") {
                sec.insert("daily_cap".into(), Value::Integer(i64::from(value)));
            }
        }
    }
}

/// The current value of `lever` in `s` (installed units, or officers at the peak hour).
pub fn lever_value(s: &Scenario, lever: Lever) -> u32 {
    let m = &s.model;
    match lever {
        Lever::XrayMachines => m.xray.as_ref().map_or(0, |x| x.machines.units),
        Lever::ChemDevices => m.chem.as_ref().map_or(0, |c| c.devices.units),
        Lever::PortalLanes => m.portal.as_ref().map_or(0, |p| p.lanes.units),
        Lever::CanineTeams => m.canine.as_ref().map_or(0, |k| k.teams.peak()),
        Lever::Officers => m
            .officers
            .hours()
            .iter()
            .zip(m.borrowed_officers.hours())
            .map(|(a, b)| a.saturating_sub(*b))
            .max()
            .unwrap_or(0),
        Lever::LabDailyCap => m.lab.as_ref().and_then(|l| l.daily_cap).unwrap_or(0),
    }
}

/// What `lever` actually provides in `s`: its value and the unit-hours a week on duty (0 for
/// the lab cap). Two variants with the same footprint are the same facility for that lever,
/// e.g. 2 and 3 canine teams when the roster scales only in whole multiples.
pub fn lever_footprint(s: &Scenario, lever: Lever) -> (u32, u64) {
    let m = &s.model;
    let hours = match lever {
        Lever::XrayMachines => m
            .xray
            .as_ref()
            .map_or(0, |x| x.machines.calendar.unit_hours_per_week()),
        Lever::ChemDevices => m
            .chem
            .as_ref()
            .map_or(0, |c| c.devices.calendar.unit_hours_per_week()),
        Lever::PortalLanes => m
            .portal
            .as_ref()
            .map_or(0, |p| p.lanes.calendar.unit_hours_per_week()),
        Lever::CanineTeams => m
            .canine
            .as_ref()
            .map_or(0, |k| k.teams.unit_hours_per_week()),
        Lever::Officers => m.officers.unit_hours_per_week(),
        Lever::LabDailyCap => 0,
    };
    (lever_value(s, lever), hours)
}

fn apply_input(t: &mut Table, input: Input, value: f64) {
    let set = |t: &mut Table, section: &str, key: &str, v: Value| {
        if let Some(sec) = table(t, section) {
            sec.insert(key.into(), v);
        }
    };
    match input {
        Input::Prevalence => {
            let streams = t.get_mut("streams").and_then(Value::as_array_mut);
            for stream in streams
                .into_iter()
                .flatten()
                .filter_map(Value::as_table_mut)
            {
                let kinds = stream.get_mut("contraband").and_then(Value::as_array_mut);
                for kind in kinds.into_iter().flatten().filter_map(Value::as_table_mut) {
                    if let Some(p) = kind.get("prevalence").and_then(Value::as_float) {
                        kind.insert("prevalence".into(), Value::Float(p * value));
                    }
                }
            }
        }
        Input::LabDailyCap => set(t, "lab", "daily_cap", Value::Integer(value.round() as i64)),
        Input::LocateRate => set(t, "targeting", "locate_rate", Value::Float(value)),
        Input::CanineDetect => set(t, "canine", "p_detect", Value::Float(value)),
        Input::XrayDetect => set(t, "xray", "p_flag_contraband", Value::Float(value)),
        Input::ExamFind => set(t, "exam", "p_find", Value::Float(value)),
        Input::ChemSensitivity => set(t, "chem", "sensitivity", Value::Float(value)),
    }
}

/// `s` with `levers` set and `inputs` swung, validated again. `name` becomes its name.
pub fn variant(
    s: &Scenario,
    name: &str,
    levers: &[(Lever, u32)],
    inputs: &[(Input, f64)],
) -> Result<Scenario, ScenarioError> {
    let mut t: Table = s
        .text
        .parse()
        .map_err(|e: toml::de::Error| ScenarioError::Syntax {
            path: s.path.clone(),
            message: e.message().to_string(),
        })?;
    for &(lever, value) in levers {
        apply_lever(&mut t, s, lever, value);
    }
    for &(input, value) in inputs {
        apply_input(&mut t, input, value);
    }
    let text = toml::to_string(&t).map_err(|e| ScenarioError::Syntax {
        path: s.path.clone(),
        message: e.to_string(),
    })?;
    let mut v = parse(&text, &s.path)?;
    v.name = name.to_string();
    // Provenance stays the file's: a variant is the file plus the levers and inputs recorded
    // beside its results, not a file of its own.
    v.content_hash.clone_from(&s.content_hash);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn small() -> Scenario {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/small_imf.toml"
        ));
        super::super::load(path).unwrap()
    }

    #[test]
    fn levers_change_units_and_scale_shifts() {
        let s = small();
        assert_eq!(lever_value(&s, Lever::Officers), 4);
        let v = variant(
            &s,
            "v",
            &[
                (Lever::XrayMachines, 3),
                (Lever::Officers, 8),
                (Lever::LabDailyCap, 25),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(lever_value(&v, Lever::XrayMachines), 3);
        assert_eq!(v.model.xray.as_ref().unwrap().machines.calendar.peak(), 3);
        assert_eq!(lever_value(&v, Lever::Officers), 8);
        // The weekend shift of 1 officer doubles too.
        assert_eq!(
            v.model.officers.unit_hours_per_week(),
            2 * s.model.officers.unit_hours_per_week()
        );
        assert_eq!(lever_value(&v, Lever::LabDailyCap), 25);
        let off = variant(&s, "no dogs", &[(Lever::CanineTeams, 0)], &[]).unwrap();
        assert!(off.model.canine.is_none());
    }

    #[test]
    fn shift_scaling_is_exact_for_the_peak_shift() {
        // 22 × (30 / 22) is 29.999… in floating point; a 22-officer tour must become 30.
        for (units, value, expected) in [(22, 30, 30), (22, 15, 15), (11, 49, 49), (2, 3, 3)] {
            let mut list: Value = toml::from_str::<Table>(&format!(
                "s = [{{ days = \"mon-fri\", from = \"06:00\", to = \"14:00\", units = {units} }}]"
            ))
            .unwrap()["s"]
                .clone();
            scale_shifts(Some(&mut list), value, units);
            assert_eq!(
                list[0]["units"].as_integer(),
                Some(expected),
                "{units} → {value}"
            );
        }
        // A smaller shift scales down but keeps one unit; 0 switches it off.
        let mut list: Value =
            toml::from_str::<Table>("s = [{ units = 1 }, { units = 4 }]").unwrap()["s"].clone();
        scale_shifts(Some(&mut list), 2, 4);
        assert_eq!(list[0]["units"].as_integer(), Some(1));
        assert_eq!(list[1]["units"].as_integer(), Some(2));
        scale_shifts(Some(&mut list), 0, 2);
        assert_eq!(list[0]["units"].as_integer(), Some(0));
    }

    #[test]
    fn inputs_swing_and_invalid_variants_are_rejected() {
        let s = small();
        let v = variant(
            &s,
            "v",
            &[],
            &[(Input::Prevalence, 2.0), (Input::LocateRate, 0.9)],
        )
        .unwrap();
        let p = |x: &Scenario| x.model.streams[0].contraband[0].prevalence;
        approx::assert_relative_eq!(p(&v), 2.0 * p(&s));
        approx::assert_relative_eq!(v.model.targeting.locate_rate, 0.9);
        assert!(variant(&s, "bad", &[(Lever::XrayMachines, 0)], &[]).is_err());
    }
}
