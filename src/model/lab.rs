//! Laboratory confirmation with a daily cap: the lab starts at most `daily_cap` samples per
//! calendar day (unused slots are lost at midnight), in arrival order; each result comes a
//! turnaround time after the start. Samples over the cap wait: that wait is the backlog the
//! audit found.

use std::collections::VecDeque;

use super::mail::ItemId;
use crate::engine::SimTime;
use crate::stats::{Tally, TimeWeighted};

/// The lab's line and today's free slots.
pub struct Lab {
    cap: Option<u32>,
    slots_left: u32,
    line: VecDeque<(ItemId, SimTime)>,
    backlog: TimeWeighted,
    /// Wait from receipt to start [s].
    pub waits: Tally,
    /// Time from receipt to result [s].
    pub turnaround: Tally,
    /// Samples received since the statistics were reset.
    pub received: u64,
    /// Samples started since the statistics were reset.
    pub started: u64,
}

impl Lab {
    /// A lab with `cap` slots per day (`None` = unlimited), open from time zero.
    pub fn new(cap: Option<u32>, now: SimTime) -> Self {
        Lab {
            cap,
            slots_left: cap.unwrap_or(u32::MAX),
            line: VecDeque::new(),
            backlog: TimeWeighted::new(now.as_ms(), 0),
            waits: Tally::new(),
            turnaround: Tally::new(),
            received: 0,
            started: 0,
        }
    }

    /// Receives a sample at `now`; returns it if it starts at once.
    pub fn receive(&mut self, now: SimTime, id: ItemId) -> Option<ItemId> {
        self.received += 1;
        if self.line.is_empty() && self.slots_left > 0 {
            // A free slot and nobody ahead: the sample starts without ever queueing.
            self.take_slot();
            self.waits.add(0.0);
            return Some(id);
        }
        self.line.push_back((id, now));
        self.backlog.add(now.as_ms(), 1);
        self.next_start(now)
    }

    /// Starts the next waiting sample if a slot is left today.
    pub fn next_start(&mut self, now: SimTime) -> Option<ItemId> {
        if self.slots_left == 0 {
            return None;
        }
        let (id, since) = self.line.pop_front()?;
        self.take_slot();
        self.backlog.add(now.as_ms(), -1);
        self.waits.add((now - since).as_secs_f64());
        Some(id)
    }

    fn take_slot(&mut self) {
        if self.cap.is_some() {
            self.slots_left -= 1;
        }
        self.started += 1;
    }

    /// Records a result at `now` for a sample received at `received` (turnaround statistic).
    pub fn result(&mut self, now: SimTime, received: SimTime) {
        self.turnaround.add((now - received).as_secs_f64());
    }

    /// Midnight: today's unused slots are lost and tomorrow's become available.
    pub fn new_day(&mut self) {
        self.slots_left = self.cap.unwrap_or(u32::MAX);
    }

    /// Samples waiting for a slot.
    pub fn backlog(&self) -> usize {
        self.line.len()
    }

    /// Iterates over waiting samples.
    pub fn waiting(&self) -> impl Iterator<Item = ItemId> + '_ {
        self.line.iter().map(|(id, _)| *id)
    }

    /// Restarts the statistics at `now`.
    pub fn reset_stats(&mut self, now: SimTime) {
        self.backlog.reset(now.as_ms());
        self.waits = Tally::new();
        self.turnaround = Tally::new();
        self.received = 0;
        self.started = 0;
    }

    /// Time-average and largest backlog over the observed interval ending at `end`.
    pub fn backlog_stats(&self, end: SimTime) -> (f64, i64) {
        (
            self.backlog.mean(end.as_ms()).unwrap_or(0.0),
            self.backlog.max(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SimDuration;

    #[test]
    fn cap_limits_starts_per_day_and_unused_slots_are_lost() {
        let day = |d: u64| SimTime::from_days(d);
        let mut lab = Lab::new(Some(2), day(0));
        assert_eq!(lab.receive(day(0), 1), Some(1));
        assert_eq!(lab.receive(day(0), 2), Some(2));
        assert_eq!(lab.receive(day(0), 3), None);
        assert_eq!(lab.receive(day(0), 4), None);
        assert_eq!(lab.backlog(), 2);
        assert_eq!(
            lab.backlog_stats(day(0)).1,
            2,
            "samples that start at once never queue"
        );
        lab.new_day();
        let t = day(1);
        assert_eq!(lab.next_start(t), Some(3));
        assert_eq!(lab.next_start(t), Some(4));
        assert_eq!(lab.next_start(t), None);
        lab.new_day();
        lab.new_day(); // a day with no samples: its slots do not carry over
        assert_eq!(lab.receive(day(3), 5), Some(5));
        assert_eq!(lab.receive(day(3), 6), Some(6));
        assert_eq!(lab.receive(day(3), 7), None);
        lab.result(day(4) + SimDuration::from_hours(1), day(0));
        approx::assert_relative_eq!(lab.turnaround.mean().unwrap_or(0.0), 97.0 * 3600.0);
        assert_eq!(lab.waits.count(), 6);
    }
}
