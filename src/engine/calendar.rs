//! When resource units are available: weekly shift calendars, random breakdowns with repairs,
//! and planned maintenance.
//!
//! [`Availability`] schedules its own events through the model's [`Context`]: the model wraps
//! each [`UnitEvent`] in its own event type, and hands it back to [`Availability::handle`] when it
//! fires; afterwards the model should try to start waiting work, because capacity may have grown.
//! All capacity events use [`EventClass::Release`], so a unit that comes on shift at `t` is
//! visible to an arrival at `t`.
//!
//! Simplifications (documented for planners): breakdowns run on calendar time, not working
//! time; a unit already down that "fails" again is counted down twice; a busy unit that breaks
//! or goes off shift finishes its job first.

use super::dist::Distribution;
use super::queue::EventClass;
use super::random::StreamRng;
use super::resource::Resource;
use super::sim::Context;
use super::time::{MS_PER_HOUR, MS_PER_WEEK, SimDuration, SimTime};

/// Hours in a week: the calendar's resolution.
pub const HOURS_PER_WEEK: usize = 168;

/// Units on shift for each hour of the week (index 0 = Monday 00:00–01:00).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeeklyCalendar {
    hours: Vec<u32>,
}

impl WeeklyCalendar {
    /// The same number of units around the clock.
    pub fn constant(units: u32) -> Self {
        WeeklyCalendar {
            hours: vec![units; HOURS_PER_WEEK],
        }
    }

    /// A calendar from 168 hourly values; `None` if the length is wrong.
    pub fn from_hours(hours: Vec<u32>) -> Option<Self> {
        (hours.len() == HOURS_PER_WEEK).then_some(WeeklyCalendar { hours })
    }

    /// Units on shift at `t`.
    pub fn at(&self, t: SimTime) -> u32 {
        self.hours[t.hour_of_week()]
    }

    /// Units on shift in each hour of the week.
    pub fn hours(&self) -> &[u32] {
        &self.hours
    }

    /// Most units on shift in any hour.
    pub fn peak(&self) -> u32 {
        self.hours.iter().copied().max().unwrap_or(0)
    }

    /// Unit-hours on shift per week.
    pub fn unit_hours_per_week(&self) -> u64 {
        self.hours.iter().map(|&h| u64::from(h)).sum()
    }

    /// The first hour boundary after `t` where the value differs from the value at `t`, or
    /// `None` for a constant calendar.
    pub fn next_change(&self, t: SimTime) -> Option<SimTime> {
        let now = self.at(t);
        let mut boundary = t.next_hour();
        for _ in 0..HOURS_PER_WEEK {
            if self.at(boundary) != now {
                return Some(boundary);
            }
            boundary = SimTime::from_ms(boundary.as_ms() + MS_PER_HOUR);
        }
        None
    }
}

/// Random failures of each unit: time between failures and time to repair [s].
#[derive(Clone, Debug)]
pub struct Breakdowns {
    /// Time from a repair (or the start) to the next failure of one unit [s].
    pub between_failures: Distribution,
    /// Time to repair [s].
    pub repair: Distribution,
}

/// Planned maintenance: each unit goes down for `duration` once every `every`, staggered so
/// units are not all down together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Maintenance {
    /// Interval between the starts of two maintenance windows of one unit.
    pub every: SimDuration,
    /// Length of one window (shorter than `every`).
    pub duration: SimDuration,
}

/// The availability events of one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitEvent {
    /// The shift calendar changes value now.
    ShiftChange,
    /// One unit breaks down.
    Fail,
    /// One broken unit is repaired.
    Repair,
    /// One unit goes into planned maintenance.
    MaintenanceStart,
    /// One unit comes back from maintenance.
    MaintenanceEnd,
}

/// Shift calendar, breakdowns and maintenance of one resource.
#[derive(Clone, Debug)]
pub struct Availability {
    /// Units on shift by hour of week.
    pub calendar: WeeklyCalendar,
    /// Installed units subject to breakdowns and maintenance.
    pub units: u32,
    /// Random breakdowns, if any.
    pub breakdowns: Option<Breakdowns>,
    /// Planned maintenance, if any.
    pub maintenance: Option<Maintenance>,
}

impl Availability {
    /// Always `units` units, never down.
    pub fn always(units: u32) -> Self {
        Availability {
            calendar: WeeklyCalendar::constant(units),
            units,
            breakdowns: None,
            maintenance: None,
        }
    }

    /// Sets the resource's capacity for the start of the run and schedules the first events.
    pub fn start<J, E>(
        &self,
        res: &mut Resource<J>,
        cx: &mut Context<'_, E>,
        rng: &mut StreamRng,
        wrap: impl Fn(UnitEvent) -> E,
    ) {
        res.set_installed(cx.now(), self.units);
        res.set_on_shift(cx.now(), self.calendar.at(cx.now()));
        self.schedule_shift_change(cx, &wrap);
        if let Some(b) = &self.breakdowns {
            for _ in 0..self.units {
                let after = SimDuration::from_secs_f64(b.between_failures.sample(rng));
                cx.schedule_in_class(after, EventClass::Release, wrap(UnitEvent::Fail));
            }
        }
        if let Some(m) = self.maintenance {
            for unit in 0..u64::from(self.units) {
                let offset = m.every.as_ms() * unit / u64::from(self.units.max(1));
                let after = SimDuration::from_ms(offset.min(MS_PER_WEEK * 520));
                cx.schedule_in_class(
                    after,
                    EventClass::Release,
                    wrap(UnitEvent::MaintenanceStart),
                );
            }
        }
    }

    fn schedule_shift_change<E>(&self, cx: &mut Context<'_, E>, wrap: &impl Fn(UnitEvent) -> E) {
        if let Some(at) = self.calendar.next_change(cx.now()) {
            let _ = cx.schedule_at(at, EventClass::Release, wrap(UnitEvent::ShiftChange));
        }
    }

    /// Applies `event` to `res` and schedules what follows from it.
    pub fn handle<J, E>(
        &self,
        event: UnitEvent,
        res: &mut Resource<J>,
        cx: &mut Context<'_, E>,
        rng: &mut StreamRng,
        wrap: impl Fn(UnitEvent) -> E,
    ) {
        let now = cx.now();
        match event {
            UnitEvent::ShiftChange => {
                res.set_on_shift(now, self.calendar.at(now));
                self.schedule_shift_change(cx, &wrap);
            }
            UnitEvent::Fail => {
                res.take_down(now);
                if let Some(b) = &self.breakdowns {
                    let after = SimDuration::from_secs_f64(b.repair.sample(rng));
                    cx.schedule_in_class(after, EventClass::Release, wrap(UnitEvent::Repair));
                }
            }
            UnitEvent::Repair => {
                res.bring_up(now);
                if let Some(b) = &self.breakdowns {
                    let after = SimDuration::from_secs_f64(b.between_failures.sample(rng));
                    cx.schedule_in_class(after, EventClass::Release, wrap(UnitEvent::Fail));
                }
            }
            UnitEvent::MaintenanceStart => {
                res.take_down(now);
                if let Some(m) = self.maintenance {
                    cx.schedule_in_class(
                        m.duration,
                        EventClass::Release,
                        wrap(UnitEvent::MaintenanceEnd),
                    );
                }
            }
            UnitEvent::MaintenanceEnd => {
                res.bring_up(now);
                if let Some(m) = self.maintenance {
                    let gap =
                        SimDuration::from_ms(m.every.as_ms().saturating_sub(m.duration.as_ms()));
                    cx.schedule_in_class(
                        gap,
                        EventClass::Release,
                        wrap(UnitEvent::MaintenanceStart),
                    );
                }
            }
        }
    }

    /// Long-run share of installed unit-time that is not down, from the means of the breakdown
    /// and maintenance settings (for quick capacity estimates before a run).
    pub fn expected_up_share(&self) -> f64 {
        let mut up = 1.0;
        if let Some(b) = &self.breakdowns {
            let mtbf = b.between_failures.mean();
            let mttr = b.repair.mean();
            if mtbf + mttr > 0.0 {
                up *= mtbf / (mtbf + mttr);
            }
        }
        if let Some(m) = self.maintenance
            && !m.every.is_zero()
        {
            up *= 1.0 - m.duration.as_ms() as f64 / m.every.as_ms() as f64;
        }
        up
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::random::stream;
    use crate::engine::sim::{Model, Simulation};
    use approx::assert_relative_eq;

    #[test]
    fn next_change_finds_shift_boundaries() {
        let mut hours = vec![0; HOURS_PER_WEEK];
        for day in 0..5 {
            for h in 8..16 {
                hours[day * 24 + h] = 3;
            }
        }
        let cal = WeeklyCalendar::from_hours(hours).unwrap();
        let h = |x: u64| SimTime::from_ms(x * MS_PER_HOUR);
        assert_eq!(cal.next_change(h(0)), Some(h(8)));
        assert_eq!(cal.at(h(8)), 3);
        assert_eq!(cal.next_change(h(8)), Some(h(16)));
        // Friday 16:00 → Monday 08:00 of the next week.
        assert_eq!(cal.next_change(h(4 * 24 + 16)), Some(h(7 * 24 + 8)));
        assert_eq!(WeeklyCalendar::constant(4).next_change(h(3)), None);
        assert_eq!(cal.unit_hours_per_week(), 5 * 8 * 3);
        assert!(WeeklyCalendar::from_hours(vec![1; 24]).is_none());
    }

    struct Fleet {
        res: Resource<()>,
        avail: Availability,
        rng: StreamRng,
    }

    enum Ev {
        Start,
        Unit(UnitEvent),
    }

    impl Model for Fleet {
        type Event = Ev;
        fn handle(&mut self, e: Ev, cx: &mut Context<'_, Ev>) {
            match e {
                Ev::Start => self.avail.start(&mut self.res, cx, &mut self.rng, Ev::Unit),
                Ev::Unit(u) => self
                    .avail
                    .handle(u, &mut self.res, cx, &mut self.rng, Ev::Unit),
            }
        }
    }

    #[test]
    fn breakdowns_and_maintenance_give_the_expected_availability() {
        use crate::engine::dist::DistSpec;
        let avail = Availability {
            calendar: WeeklyCalendar::constant(4),
            units: 4,
            breakdowns: Some(Breakdowns {
                between_failures: Distribution::new(DistSpec::Exponential { mean: 36_000.0 })
                    .unwrap(),
                repair: Distribution::new(DistSpec::Exponential { mean: 4_000.0 }).unwrap(),
            }),
            maintenance: Some(Maintenance {
                every: SimDuration::from_days(7),
                duration: SimDuration::from_hours(7),
            }),
        };
        let expected = avail.expected_up_share();
        assert_relative_eq!(expected, 0.9 * (1.0 - 7.0 / 168.0));
        let mut sim = Simulation::new(Fleet {
            res: Resource::new(4, 1, SimTime::ZERO),
            avail,
            rng: stream(3, 0, "fleet"),
        });
        sim.schedule_at(SimTime::ZERO, EventClass::Release, Ev::Start)
            .unwrap();
        let end = SimTime::from_days(2000);
        sim.run_until(end);
        let s = sim.model().res.summary(end);
        // 2000 days × 4 units ≈ 19,000 failure cycles: the mean capacity's standard error is
        // about 0.2 %, so 1.5 % is a safe bound; overlaps of failure and maintenance are rare
        // (double-down is counted, as documented).
        assert_relative_eq!(s.mean_capacity / 4.0, expected, max_relative = 0.015);
    }
}
