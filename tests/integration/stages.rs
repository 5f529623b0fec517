//! Stages switched off see no items; a bottleneck eases when it gets more capacity; every item
//! is accounted for.

use crate::common::{mean, run, set, small_imf_table, write_scenario};
use toml::Value;

#[test]
fn a_stage_switched_off_sees_no_items() {
    let tmp = tempfile::tempdir().unwrap();
    for stage in ["portal", "canine", "xray", "chem", "lab"] {
        let mut t = small_imf_table();
        set(&mut t, &format!("{stage}.enabled"), Value::Boolean(false));
        let path = write_scenario(tmp.path(), stage, &t);
        let r = run(&path, 2, 3, 5);
        let keys: Vec<String> = r.metrics.iter().map(|m| m.key()).collect();
        let own = match stage {
            "canine" => "resource.canine_teams.",
            "xray" => "stage.xray.",
            other => &format!("stage.{other}."),
        };
        assert!(
            !keys.iter().any(|k| k.starts_with(own)),
            "{stage} is off but reports {own}*"
        );
        match stage {
            "canine" => assert_eq!(mean(&r, "stream.all.canine_screened_share"), Some(0.0)),
            // With no x-ray, selected items go straight to examination.
            "xray" => assert!(mean(&r, "stage.exam.arrivals_per_day").unwrap() > 100.0),
            _ => {}
        }
        // The rest of the facility still works and every item is accounted for (checked in
        // every replication; a failure would have stopped `run`).
        assert!(mean(&r, "stream.all.arrived_per_day").unwrap() > 15_000.0);
    }
}

#[test]
fn more_xray_machines_lower_the_xray_wait_where_xray_is_the_bottleneck() {
    let tmp = tempfile::tempdir().unwrap();
    let wait = |machines: i64| {
        let mut t = small_imf_table();
        // X-ray round the clock with slow scans, so machines (not shifts or officers) limit it.
        set(&mut t, "xray.machines", Value::Integer(machines));
        t["xray"].as_table_mut().unwrap().remove("shifts");
        set(&mut t, "xray.officers_per_machine", Value::Integer(0));
        let mut service = toml::Table::new();
        service.insert("dist".into(), Value::String("exponential".into()));
        service.insert("mean".into(), Value::String("200s".into()));
        set(&mut t, "xray.service", Value::Table(service));
        let path = write_scenario(tmp.path(), &format!("x{machines}"), &t);
        let r = run(&path, 5, 5, 11);
        let util = mean(&r, "resource.xray_machines.utilisation").unwrap();
        (mean(&r, "stage.xray.mean_wait_h").unwrap(), util)
    };
    let (w1, u1) = wait(1);
    let (w2, u2) = wait(2);
    assert!(
        u1 > 0.8,
        "one machine should be the bottleneck (utilisation {u1})"
    );
    assert!(
        w2 < 0.5 * w1,
        "wait {w1} h with one machine, {w2} h with two"
    );
    assert!(u2 < u1);
}
