//! The holding area for opened suspicious items awaiting the lab: a secure room of limited
//! capacity; items beyond it sit unsecured (on carts), the exposure the audit warned about.

use crate::engine::SimTime;
use crate::engine::time::MS_PER_HOUR;
use crate::stats::TimeWeighted;

/// Items held, and how many of them are unsecured, over time.
pub struct Holding {
    capacity: Option<u64>,
    held: TimeWeighted,
    unsecured: TimeWeighted,
}

impl Holding {
    /// An empty holding area whose secure room takes `capacity` items (`None` = unlimited).
    pub fn new(capacity: Option<u64>, now: SimTime) -> Self {
        Holding {
            capacity,
            held: TimeWeighted::new(now.as_ms(), 0),
            unsecured: TimeWeighted::new(now.as_ms(), 0),
        }
    }

    fn changed(&mut self, now: SimTime, delta: i64) {
        self.held.add(now.as_ms(), delta);
        let over = match self.capacity {
            Some(cap) => (self.held.level() - cap as i64).max(0),
            None => 0,
        };
        self.unsecured.set(now.as_ms(), over);
    }

    /// One item comes in.
    pub fn enter(&mut self, now: SimTime) {
        self.changed(now, 1);
    }

    /// One item leaves.
    pub fn leave(&mut self, now: SimTime) {
        self.changed(now, -1);
    }

    /// Restarts the statistics at `now`.
    pub fn reset_stats(&mut self, now: SimTime) {
        self.held.reset(now.as_ms());
        self.unsecured.reset(now.as_ms());
    }

    /// `(mean held, most held, unsecured item-hours)` over the interval ending at `end`.
    pub fn summary(&self, end: SimTime) -> (f64, i64, f64) {
        let t = end.as_ms();
        (
            self.held.mean(t).unwrap_or(0.0),
            self.held.max(),
            self.unsecured.area_until(t) as f64 / MS_PER_HOUR as f64,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SimDuration;
    use approx::assert_relative_eq;

    #[test]
    fn unsecured_item_hours_count_only_items_over_capacity() {
        let h0 = SimTime::ZERO;
        let at = |h: u64| h0 + SimDuration::from_hours(h);
        let mut h = Holding::new(Some(1), h0);
        h.enter(at(0));
        h.enter(at(0)); // 1 unsecured from 0 h
        h.enter(at(2)); // 2 unsecured from 2 h
        h.leave(at(3)); // 1 unsecured from 3 h
        let (mean, max, unsecured) = h.summary(at(4));
        assert_relative_eq!(unsecured, 2.0 + 2.0 + 1.0);
        assert_eq!(max, 3);
        assert_relative_eq!(mean, (2.0 * 2.0 + 3.0 + 2.0) / 4.0);
    }
}
