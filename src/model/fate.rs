//! Where every item ends: released clean, released with undetected contraband (missed),
//! seized, or still inside CBP at the end. The [`Ledger`] counts fates per stream over the whole
//! run (for the conservation check) and over the observation window after warm-up (for results).

use super::mail::Contraband;

/// The end of one item's path through the facility.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Released to USPS with nothing illegal in it.
    Clean,
    /// Released to USPS with contraband nobody found.
    Missed,
    /// Contraband confirmed and seized.
    Seized,
}

/// Flow counts of one stream.
#[derive(Clone, Debug, Default)]
pub struct StreamCounts {
    /// Items that arrived.
    pub arrived: u64,
    /// Items that arrived holding contraband.
    pub contraband_arrived: u64,
    /// Items released clean.
    pub clean: u64,
    /// Items released with contraband.
    pub missed: u64,
    /// Contraband released undetected [g].
    pub missed_g: f64,
    /// Items seized.
    pub seized: u64,
    /// Contraband seized [g].
    pub seized_g: f64,
    /// Items CBP took in hand (any reason).
    pub selected: u64,
    /// Items x-rayed or examined at least once.
    pub inspected: u64,
    /// ATS targets issued.
    pub targeted: u64,
    /// ATS targets USPS found and handed over.
    pub located: u64,
    /// Items screened by a canine team.
    pub canine_screened: u64,
    /// Canine alerts.
    pub canine_alerts: u64,
    /// Selected items returned to USPS uninspected because they waited too long.
    pub returned_uninspected: u64,
}

impl std::ops::AddAssign<&StreamCounts> for StreamCounts {
    /// Adds another stream's counts (for facility totals).
    fn add_assign(&mut self, o: &StreamCounts) {
        self.arrived += o.arrived;
        self.contraband_arrived += o.contraband_arrived;
        self.clean += o.clean;
        self.missed += o.missed;
        self.missed_g += o.missed_g;
        self.seized += o.seized;
        self.seized_g += o.seized_g;
        self.selected += o.selected;
        self.inspected += o.inspected;
        self.targeted += o.targeted;
        self.located += o.located;
        self.canine_screened += o.canine_screened;
        self.canine_alerts += o.canine_alerts;
        self.returned_uninspected += o.returned_uninspected;
    }
}

/// Per-stream counts over the whole run and over the observation window.
#[derive(Clone, Debug)]
pub struct Ledger {
    whole: Vec<StreamCounts>,
    window: Vec<StreamCounts>,
    kinds_window: Vec<KindCounts>,
}

/// Seized and missed contraband of one kind.
#[derive(Clone, Debug, Default)]
pub struct KindCounts {
    /// Items seized.
    pub seized: u64,
    /// Amount seized [g].
    pub seized_g: f64,
    /// Items missed.
    pub missed: u64,
    /// Amount missed [g].
    pub missed_g: f64,
}

impl Ledger {
    /// Zero counts for `streams` streams and `kinds` contraband kinds.
    pub fn new(streams: usize, kinds: usize) -> Self {
        Ledger {
            whole: vec![StreamCounts::default(); streams],
            window: vec![StreamCounts::default(); streams],
            kinds_window: vec![KindCounts::default(); kinds],
        }
    }

    /// Starts the observation window (end of warm-up): window counts restart at zero.
    pub fn reset_window(&mut self) {
        self.window
            .iter_mut()
            .for_each(|c| *c = StreamCounts::default());
        self.kinds_window
            .iter_mut()
            .for_each(|c| *c = KindCounts::default());
    }

    /// Applies `f` to both the whole-run and window counts of `stream`.
    pub fn count(&mut self, stream: usize, f: impl Fn(&mut StreamCounts)) {
        f(&mut self.whole[stream]);
        f(&mut self.window[stream]);
    }

    /// Records `n` items of `stream` ending in `fate`; `contraband` lists what they held
    /// (empty for clean items).
    pub fn settle(&mut self, stream: usize, fate: Fate, n: u64, contraband: &[Contraband]) {
        let grams: f64 = contraband.iter().map(|c| c.grams).sum();
        self.count(stream, |c| match fate {
            Fate::Clean => c.clean += n,
            Fate::Missed => {
                c.missed += n;
                c.missed_g += grams;
            }
            Fate::Seized => {
                c.seized += n;
                c.seized_g += grams;
            }
        });
        for item in contraband {
            let k = &mut self.kinds_window[usize::from(item.kind)];
            match fate {
                Fate::Missed => {
                    k.missed += 1;
                    k.missed_g += item.grams;
                }
                Fate::Seized => {
                    k.seized += 1;
                    k.seized_g += item.grams;
                }
                Fate::Clean => {}
            }
        }
    }

    /// Counts over the whole run.
    pub fn whole(&self) -> &[StreamCounts] {
        &self.whole
    }

    /// Counts over the observation window.
    pub fn window(&self) -> &[StreamCounts] {
        &self.window
    }

    /// Per-kind contraband counts over the observation window.
    pub fn kinds(&self) -> &[KindCounts] {
        &self.kinds_window
    }

    /// The conservation check over the whole run: for every stream, arrived = clean + missed +
    /// seized + inside. Returns the streams that break it as `(stream, arrived, accounted)`.
    pub fn conservation_errors(&self, inside: &[u64]) -> Vec<(usize, u64, u64)> {
        self.whole
            .iter()
            .zip(inside)
            .enumerate()
            .filter_map(|(s, (c, &inside))| {
                let accounted = c.clean + c.missed + c.seized + inside;
                (accounted != c.arrived).then_some((s, c.arrived, accounted))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conservation_check_catches_a_lost_or_extra_item() {
        let mut l = Ledger::new(2, 1);
        l.count(0, |c| c.arrived += 5);
        l.count(1, |c| c.arrived += 2);
        let fent = Contraband {
            kind: 0,
            grams: 12.0,
        };
        l.settle(0, Fate::Clean, 3, &[]);
        l.settle(0, Fate::Seized, 1, &[fent]);
        l.settle(1, Fate::Missed, 1, &[fent]);
        // Stream 0: 3 clean + 1 seized + 1 inside = 5; stream 1: 1 missed + 1 inside = 2.
        assert!(l.conservation_errors(&[1, 1]).is_empty());
        assert_eq!(l.conservation_errors(&[0, 1]), [(0, 5, 4)]);
        assert_eq!(l.conservation_errors(&[1, 2]), [(1, 2, 3)]);
        assert_eq!(l.kinds()[0].seized, 1);
        approx::assert_relative_eq!(l.kinds()[0].missed_g, 12.0);
        let mut all = StreamCounts::default();
        for c in l.whole() {
            all += c;
        }
        assert_eq!(
            (all.arrived, all.clean, all.seized, all.missed),
            (7, 3, 1, 1)
        );
        l.reset_window();
        assert_eq!(l.window()[0].arrived, 0);
        assert_eq!(
            l.whole()[0].arrived,
            5,
            "the whole-run counts survive the warm-up reset"
        );
    }
}
