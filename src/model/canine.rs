//! Canine teams sweeping unselected mail. Unselected items of eligible streams wait on the floor
//! in bulk [`Lot`]s until USPS dispatches them (the dwell time); teams on duty screen the oldest
//! lots first at their working rate, alternating work bouts and rests. An alert takes the item in
//! hand; screened items without an alert, and lots whose dwell is over, go on to delivery.

use std::collections::VecDeque;

use rand::RngExt;

use super::arrivals::binomial;
use super::config::CanineConfig;
use super::mail::Contraband;
use super::selection::Lot;
use crate::engine::{SimDuration, SimTime, StreamRng};

/// What one screening pass found and cleared.
#[derive(Default)]
pub struct Sweep {
    /// Items alerted on: `(stream, truth)`.
    pub alerts: Vec<(u16, Option<Contraband>)>,
    /// Screened items without an alert, to be released.
    pub cleared: Vec<Lot>,
    /// Items screened per stream.
    pub screened: Vec<u64>,
}

/// Unselected mail waiting on the floor, oldest first.
pub struct CaninePool {
    lots: VecDeque<(SimTime, Lot)>,
    /// Fractional screening capacity carried to the next tick [items].
    carry: f64,
    /// Items screened since the statistics were reset.
    pub screened: u64,
    /// Items that could have been screened in working time since the reset.
    pub capacity: f64,
    /// Items on the floor now.
    held: u64,
}

impl CaninePool {
    /// An empty floor.
    pub fn new() -> Self {
        CaninePool {
            lots: VecDeque::new(),
            carry: 0.0,
            screened: 0,
            capacity: 0.0,
            held: 0,
        }
    }

    /// Puts a lot on the floor at `now`.
    pub fn push(&mut self, now: SimTime, lot: Lot) {
        self.held += lot.total();
        self.lots.push_back((now, lot));
    }

    /// Removes lots that have been on the floor for `dwell` or longer, passing each to `release`.
    pub fn expire(&mut self, now: SimTime, dwell: SimDuration, mut release: impl FnMut(Lot)) {
        while let Some((since, _)) = self.lots.front() {
            if now - *since < dwell {
                break;
            }
            if let Some((_, lot)) = self.lots.pop_front() {
                self.held -= lot.total();
                release(lot);
            }
        }
    }

    /// Whether a team is in a working bout at `now` (bouts are aligned to midnight).
    pub fn working(cfg: &CanineConfig, now: SimTime) -> bool {
        let cycle = cfg.work.as_ms() + cfg.rest.as_ms();
        cycle == 0 || now.as_ms() % cycle < cfg.work.as_ms()
    }

    /// Screens for `tick` with `teams` teams on duty at `now`, filling `sweep`.
    pub fn screen(
        &mut self,
        cfg: &CanineConfig,
        now: SimTime,
        tick: SimDuration,
        teams: u32,
        rng: &mut StreamRng,
        sweep: &mut Sweep,
    ) {
        if teams == 0 || !Self::working(cfg, now) {
            return;
        }
        let budget_f = f64::from(teams) * cfg.items_per_hour * tick.as_hours_f64();
        self.capacity += budget_f;
        let total = budget_f + self.carry;
        let mut budget = total.floor() as u64;
        self.carry = total - budget as f64;
        while budget > 0 {
            let Some((_, lot)) = self.lots.front_mut() else {
                self.carry = 0.0; // idle dogs do not bank capacity
                break;
            };
            let size = lot.total();
            let take = budget.min(size);
            budget -= take;
            self.screened += take;
            self.held -= take;
            sweep.screened[usize::from(lot.stream)] += take;
            // Without replacement: each carrier is screened with the exact sequential
            // probability, the remaining screened items are clean.
            let (mut picks_left, mut pool_left) = (take, size);
            let mut kept = Vec::new();
            let mut missed = Vec::new();
            for c in lot.contraband.drain(..) {
                if picks_left > 0 && rng.random::<f64>() * (pool_left as f64) < picks_left as f64 {
                    picks_left -= 1;
                    if rng.random::<f64>() < cfg.p_detect {
                        sweep.alerts.push((lot.stream, Some(c)));
                    } else {
                        missed.push(c);
                    }
                } else {
                    kept.push(c);
                }
                pool_left -= 1;
            }
            lot.contraband = kept;
            let clean_screened = picks_left.min(lot.clean);
            lot.clean -= clean_screened;
            let false_alerts = binomial(rng, clean_screened, cfg.p_false_alert);
            for _ in 0..false_alerts {
                sweep.alerts.push((lot.stream, None));
            }
            sweep.cleared.push(Lot {
                stream: lot.stream,
                clean: clean_screened - false_alerts,
                contraband: missed,
            });
            if lot.total() == 0 {
                self.lots.pop_front();
            }
        }
    }

    /// Adds the items still on the floor to `inside`, per stream.
    pub fn count_inside(&self, inside: &mut [u64]) {
        for (_, lot) in &self.lots {
            inside[usize::from(lot.stream)] += lot.total();
        }
    }

    /// Items on the floor.
    pub fn items(&self) -> u64 {
        self.held
    }
}

impl Default for CaninePool {
    fn default() -> Self {
        Self::new()
    }
}
