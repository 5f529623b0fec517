//! A counted resource: a number of identical units and a waiting line.
//!
//! The model drives it with plain calls, no callbacks: [`Resource::request`] puts a job in the
//! line, [`Resource::next_start`] hands back the next job that may start now (the caller then
//! schedules its completion), and [`Resource::release`] frees a unit. Capacity has two parts:
//! the units on shift (set by a calendar) minus the units down (broken or in maintenance).
//! Lowering capacity never interrupts a job: a unit busy at the end of its shift, or when it
//! breaks, finishes the job in hand first and only then leaves. The line is FIFO within a
//! priority class, and lower class numbers are served first (no preemption).

use std::collections::VecDeque;

use super::time::{SimDuration, SimTime};
use crate::stats::{Tally, TimeWeighted};

struct Waiting<J> {
    job: J,
    since: SimTime,
    class: usize,
}

/// A job that has just been given a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Started<J> {
    /// The job.
    pub job: J,
    /// How long it waited in line.
    pub waited: SimDuration,
}

/// Units, a priority line and streaming statistics (busy units, line length, waits).
pub struct Resource<J> {
    installed: u32,
    on_shift: u32,
    down: u32,
    busy: u32,
    lines: Vec<VecDeque<Waiting<J>>>,
    queued: usize,
    arrivals: u64,
    started: u64,
    busy_level: TimeWeighted,
    queue_level: TimeWeighted,
    capacity_level: TimeWeighted,
    waits: Tally,
    class_waits: Vec<Tally>,
    waited: u64,
}

impl<J> Resource<J> {
    /// `units` units on shift, none busy, and `classes` priority classes (1 for a plain FIFO line).
    pub fn new(units: u32, classes: usize, now: SimTime) -> Self {
        let t = now.as_ms();
        Resource {
            installed: units,
            on_shift: units,
            down: 0,
            busy: 0,
            lines: (0..classes.max(1)).map(|_| VecDeque::new()).collect(),
            queued: 0,
            arrivals: 0,
            started: 0,
            busy_level: TimeWeighted::new(t, 0),
            queue_level: TimeWeighted::new(t, 0),
            capacity_level: TimeWeighted::new(t, i64::from(units)),
            waits: Tally::new(),
            class_waits: vec![Tally::new(); classes.max(1)],
            waited: 0,
        }
    }

    /// Units that could serve now: as many as are on shift, but no more than the installed
    /// units that are not down (a broken unit is replaced by an idle spare if there is one).
    pub fn capacity(&self) -> u32 {
        self.on_shift.min(self.installed.saturating_sub(self.down))
    }

    /// Sets the number of installed units (those that can be down or on shift).
    pub fn set_installed(&mut self, now: SimTime, units: u32) {
        self.installed = units;
        self.capacity_level
            .set(now.as_ms(), i64::from(self.capacity()));
    }

    /// Units free to start a job now.
    pub fn free(&self) -> u32 {
        self.capacity().saturating_sub(self.busy)
    }

    /// Units serving a job.
    pub fn busy(&self) -> u32 {
        self.busy
    }

    /// Jobs waiting in line.
    pub fn queue_len(&self) -> usize {
        self.queued
    }

    /// Jobs that have joined the line since the statistics were last reset.
    pub fn arrivals(&self) -> u64 {
        self.arrivals
    }

    /// Jobs given a unit since the statistics were last reset.
    pub fn starts(&self) -> u64 {
        self.started
    }

    /// Puts `job` in line `class` (0 is served first; out-of-range classes go last).
    pub fn request(&mut self, now: SimTime, job: J, class: usize) {
        let class = class.min(self.lines.len() - 1);
        self.lines[class].push_back(Waiting {
            job,
            since: now,
            class,
        });
        self.queued += 1;
        self.arrivals += 1;
        self.queue_level.add(now.as_ms(), 1);
    }

    /// The next job that may start now, if a unit is free and someone waits. The unit becomes
    /// busy; call [`Resource::release`] when the job is done.
    pub fn next_start(&mut self, now: SimTime) -> Option<Started<J>> {
        if self.free() == 0 || self.queued == 0 {
            return None;
        }
        let w = self.lines.iter_mut().find_map(|l| l.pop_front())?;
        self.queued -= 1;
        self.queue_level.add(now.as_ms(), -1);
        self.occupy(now, 1);
        let waited = now - w.since;
        self.waits.add(waited.as_secs_f64());
        self.class_waits[w.class].add(waited.as_secs_f64());
        if !waited.is_zero() {
            self.waited += 1;
        }
        self.started += 1;
        Some(Started { job: w.job, waited })
    }

    /// Whether the job at the head of the line could start now.
    pub fn can_start(&self) -> bool {
        self.free() > 0 && self.queued > 0
    }

    /// Takes `units` units at once without queueing, if that many are free (used when another
    /// station's job also needs units of this resource, e.g. officers to run an x-ray machine).
    pub fn seize(&mut self, now: SimTime, units: u32) -> bool {
        if self.free() < units {
            return false;
        }
        self.occupy(now, units);
        true
    }

    fn occupy(&mut self, now: SimTime, units: u32) {
        self.busy += units;
        self.busy_level.add(now.as_ms(), i64::from(units));
    }

    /// Frees `units` busy units.
    pub fn release(&mut self, now: SimTime, units: u32) {
        debug_assert!(units <= self.busy, "released more units than were busy");
        let units = units.min(self.busy);
        self.busy -= units;
        self.busy_level.add(now.as_ms(), -i64::from(units));
    }

    /// Sets the number of units on shift (from a calendar). Busy units above the new level
    /// finish their job first.
    pub fn set_on_shift(&mut self, now: SimTime, units: u32) {
        self.on_shift = units;
        self.capacity_level
            .set(now.as_ms(), i64::from(self.capacity()));
    }

    /// Takes one unit out of service (breakdown or maintenance).
    pub fn take_down(&mut self, now: SimTime) {
        self.down += 1;
        self.capacity_level
            .set(now.as_ms(), i64::from(self.capacity()));
    }

    /// Returns one unit to service.
    pub fn bring_up(&mut self, now: SimTime) {
        self.down = self.down.saturating_sub(1);
        self.capacity_level
            .set(now.as_ms(), i64::from(self.capacity()));
    }

    /// Removes every waiting job that has waited at least `max_wait`, oldest first, passing each
    /// to `give_up`. Used to return work that can no longer be done in time.
    pub fn renege(
        &mut self,
        now: SimTime,
        max_wait: SimDuration,
        mut give_up: impl FnMut(J, SimDuration),
    ) {
        for line in &mut self.lines {
            while let Some(w) = line.front() {
                if now - w.since < max_wait {
                    break;
                }
                if let Some(w) = line.pop_front() {
                    self.queued -= 1;
                    self.queue_level.add(now.as_ms(), -1);
                    give_up(w.job, now - w.since);
                }
            }
        }
    }

    /// Iterates over waiting jobs (all classes), for end-of-run accounting.
    pub fn waiting(&self) -> impl Iterator<Item = &J> {
        self.lines.iter().flatten().map(|w| &w.job)
    }

    /// Restarts all statistics at `now` (warm-up deletion); current levels are kept.
    pub fn reset_stats(&mut self, now: SimTime) {
        let t = now.as_ms();
        self.busy_level.reset(t);
        self.queue_level.reset(t);
        self.capacity_level.reset(t);
        self.waits = Tally::new();
        self.class_waits.iter_mut().for_each(|t| *t = Tally::new());
        self.waited = 0;
        self.arrivals = 0;
        self.started = 0;
    }

    /// Statistics over the observed interval ending at `end`.
    pub fn summary(&self, end: SimTime) -> ResourceSummary {
        let t = end.as_ms();
        let busy_area = self.busy_level.area_until(t);
        let cap_area = self.capacity_level.area_until(t);
        ResourceSummary {
            mean_busy: self.busy_level.mean(t).unwrap_or(0.0),
            mean_capacity: self.capacity_level.mean(t).unwrap_or(0.0),
            utilisation: if cap_area > 0 {
                (busy_area as f64 / cap_area as f64).min(1.0)
            } else {
                0.0
            },
            mean_queue: self.queue_level.mean(t).unwrap_or(0.0),
            max_queue: self.queue_level.max(),
            mean_wait_s: self.waits.mean(),
            arrivals: self.arrivals,
            starts: self.started,
            waited_share: if self.started > 0 {
                self.waited as f64 / self.started as f64
            } else {
                f64::NAN
            },
            class_mean_wait_s: self.class_waits.iter().map(Tally::mean).collect(),
            waits: self.waits.clone(),
        }
    }
}

/// What a resource did over the observed interval.
#[derive(Clone, Debug)]
pub struct ResourceSummary {
    /// Time-average number of busy units.
    pub mean_busy: f64,
    /// Time-average number of units on shift and up.
    pub mean_capacity: f64,
    /// Busy unit-time over available unit-time, in [0, 1].
    pub utilisation: f64,
    /// Time-average line length [jobs].
    pub mean_queue: f64,
    /// Longest line seen [jobs].
    pub max_queue: i64,
    /// Mean wait in line of jobs that started [s]; `None` if none started.
    pub mean_wait_s: Option<f64>,
    /// Jobs that joined the line.
    pub arrivals: u64,
    /// Jobs that started service.
    pub starts: u64,
    /// Share of started jobs that waited at all (NaN if none started).
    pub waited_share: f64,
    /// Mean wait per priority class [s].
    pub class_mean_wait_s: Vec<Option<f64>>,
    /// All waits of started jobs [s].
    pub waits: Tally,
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn t(ms: u64) -> SimTime {
        SimTime::from_ms(ms)
    }

    #[test]
    fn fifo_with_one_unit_gives_exact_waits() {
        let mut r = Resource::new(1, 1, t(0));
        r.request(t(0), "a", 0);
        r.request(t(0), "b", 0);
        let a = r.next_start(t(0)).unwrap();
        assert_eq!((a.job, a.waited.as_ms()), ("a", 0));
        assert!(r.next_start(t(0)).is_none());
        r.release(t(10), 1);
        let b = r.next_start(t(10)).unwrap();
        assert_eq!((b.job, b.waited.as_ms()), ("b", 10));
        r.release(t(20), 1);
        let s = r.summary(t(40));
        assert_relative_eq!(s.utilisation, 0.5);
        assert_relative_eq!(s.mean_queue, 10.0 / 40.0);
        assert_relative_eq!(s.mean_wait_s.unwrap(), 0.005);
        assert_eq!((s.arrivals, s.starts, s.max_queue), (2, 2, 2));
        assert_relative_eq!(s.waited_share, 0.5);
        assert_eq!(s.class_mean_wait_s, [Some(0.005)]);
    }

    #[test]
    fn priority_classes_are_served_first_without_preemption() {
        let mut r = Resource::new(1, 2, t(0));
        r.request(t(0), "low-1", 1);
        let first = r.next_start(t(0)).unwrap();
        r.request(t(1), "low-2", 1);
        r.request(t(2), "high", 0);
        assert_eq!(first.job, "low-1");
        r.release(t(5), 1);
        assert_eq!(r.next_start(t(5)).unwrap().job, "high");
        r.release(t(6), 1);
        assert_eq!(r.next_start(t(6)).unwrap().job, "low-2");
    }

    #[test]
    fn shift_end_and_breakdown_let_the_busy_unit_finish() {
        let mut r = Resource::new(2, 1, t(0));
        for j in 0..3 {
            r.request(t(0), j, 0);
        }
        assert!(r.next_start(t(0)).is_some());
        assert!(r.next_start(t(0)).is_some());
        r.set_on_shift(t(1), 1); // shift change: one unit leaves after its job
        r.release(t(2), 1);
        assert!(
            r.next_start(t(2)).is_none(),
            "still one busy on a one-unit shift"
        );
        r.release(t(3), 1);
        r.take_down(t(3));
        assert_eq!(
            r.free(),
            1,
            "an idle installed spare replaces the broken unit"
        );
        r.take_down(t(3));
        assert_eq!(r.free(), 0);
        assert!(r.next_start(t(3)).is_none());
        r.bring_up(t(4));
        assert_eq!(r.next_start(t(4)).unwrap().job, 2);
        r.set_installed(t(5), 0);
        assert_eq!(r.capacity(), 0);
    }

    #[test]
    fn seize_and_renege() {
        let mut r: Resource<u32> = Resource::new(3, 1, t(0));
        assert!(r.seize(t(0), 2));
        assert!(!r.seize(t(0), 2));
        r.request(t(0), 1, 0);
        r.request(t(5), 2, 0);
        r.request(t(9), 3, 0);
        r.release(t(0), 2);
        r.take_down(t(0));
        r.take_down(t(0));
        r.take_down(t(0));
        let mut gone = vec![];
        r.renege(t(10), SimDuration::from_ms(5), |j, w| {
            gone.push((j, w.as_ms()))
        });
        assert_eq!(gone, [(1, 10), (2, 5)]);
        assert_eq!(r.queue_len(), 1);
        assert_eq!(r.waiting().copied().collect::<Vec<_>>(), [3]);
    }
}
