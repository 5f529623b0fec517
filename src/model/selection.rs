//! Selection: which items of a container CBP takes in hand, and why. ATS targets among items
//! with advance data (with a daily cap and the USPS locate rate), whole bags around located
//! targets, MOU subsets and officer picks. The rest stays in bulk as a [`Lot`]; clean items are
//! only counted, and only the rare items with contraband are carried one by one.

use rand::RngExt;

use super::arrivals::{Container, binomial};
use super::config::{StreamConfig, TargetingConfig};
use super::mail::{Contraband, Reason};
use crate::engine::StreamRng;

/// An item CBP takes in hand.
#[derive(Clone, Copy, Debug)]
pub struct Pick {
    /// Its stream.
    pub stream: u16,
    /// Ground truth.
    pub contraband: Option<Contraband>,
    /// Why it was selected.
    pub reason: Reason,
}

/// Unselected items of one stream from one container, kept in bulk.
#[derive(Clone, Debug)]
pub struct Lot {
    /// Stream index.
    pub stream: u16,
    /// Clean items.
    pub clean: u64,
    /// Items with contraband, one by one.
    pub contraband: Vec<Contraband>,
}

impl Lot {
    /// Items in the lot.
    pub fn total(&self) -> u64 {
        self.clean + self.contraband.len() as u64
    }
}

/// Selection counts of one stream in one container.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TargetCounts {
    /// Targets issued.
    pub targeted: u64,
    /// Targets located and handed over.
    pub located: u64,
}

/// What [`Selector::split`] produces: reusable buffers, cleared by the caller.
#[derive(Default)]
pub struct Split {
    /// Items taken in hand.
    pub picks: Vec<Pick>,
    /// Unselected bulk, one lot per stream.
    pub lots: Vec<Lot>,
    /// Targets issued and located, per stream.
    pub targets: Vec<TargetCounts>,
}

/// ATS state across containers: the targets already issued today.
pub struct Selector {
    targeting: TargetingConfig,
    day: u64,
    issued_today: u64,
    /// Scratch: each stream's carriers in the container being split (kept to avoid allocating
    /// per container; the inner vectors stay empty unless a container holds contraband).
    carriers: Vec<Vec<Contraband>>,
    /// Per stream, `(carrier, clean)` selection probabilities for ATS targets and for officer
    /// picks. They depend on the configuration only, so they are computed once here rather
    /// than for every stream of every container (their divisions showed in the profile).
    odds: Vec<[(f64, f64); 2]>,
}

/// Probabilities that a carrier and a clean item are chosen, when a share `share` of the stream
/// is chosen with contraband `lift` times more common among the chosen than in the stream,
/// whose prevalence is `prevalence`. Keeps the overall chosen share equal to `share`.
pub fn lifted_probabilities(share: f64, lift: f64, prevalence: f64) -> (f64, f64) {
    let carrier = (lift * share).clamp(0.0, 1.0);
    if prevalence >= 1.0 {
        return (carrier, 0.0);
    }
    let clean = ((share - carrier * prevalence) / (1.0 - prevalence)).clamp(0.0, 1.0);
    (carrier, clean)
}

impl Selector {
    /// A selector for `items_per_day` items of `streams` with no targets issued yet.
    pub fn new(targeting: &TargetingConfig, streams: &[StreamConfig], items_per_day: f64) -> Self {
        let expected: f64 = items_per_day
            * targeting.target_share
            * streams.iter().map(|s| s.share * s.aed_share).sum::<f64>();
        let keep = match targeting.daily_cap {
            Some(cap) if expected > cap as f64 => cap as f64 / expected,
            _ => 1.0,
        };
        let odds = streams
            .iter()
            .map(|stream| {
                let prevalence: f64 = stream.contraband.iter().map(|k| k.prevalence).sum();
                // ATS odds are thinned so the expected daily number of targets meets the cap,
                // spread evenly over the day instead of used up by the first containers.
                let (carrier, clean) =
                    lifted_probabilities(targeting.target_share, targeting.lift, prevalence);
                [
                    (carrier * keep, clean * keep),
                    lifted_probabilities(
                        stream.officer_pick_share,
                        stream.officer_pick_lift,
                        prevalence,
                    ),
                ]
            })
            .collect();
        Selector {
            targeting: targeting.clone(),
            day: 0,
            issued_today: 0,
            carriers: Vec::new(),
            odds,
        }
    }

    /// Splits `container` (opened on day `day`) into picks and lots, appending them to `out`
    /// and adding target counts per stream to `out.targets` (one entry per stream). `streams`
    /// must be the streams the selector was built for.
    pub fn split(
        &mut self,
        day: u64,
        container: &Container,
        streams: &[StreamConfig],
        rng: &mut StreamRng,
        out: &mut Split,
    ) {
        let Split {
            picks,
            lots,
            targets,
        } = out;
        if day != self.day {
            self.day = day;
            self.issued_today = 0;
        }
        let carriers = &mut self.carriers;
        carriers.resize_with(streams.len(), Vec::new);
        for &(s, c) in &container.contraband {
            carriers[usize::from(s)].push(c);
        }
        for (s, stream) in streams.iter().enumerate() {
            let n = container.items[s];
            if n == 0 {
                continue;
            }
            let mut free: Vec<Contraband> = std::mem::take(&mut carriers[s]);
            let mut clean = n - free.len() as u64;
            let [target_odds, pick_odds] = self.odds[s];
            let sid = s as u16;
            let mut take = |contraband: Option<Contraband>, reason: Reason| {
                picks.push(Pick {
                    stream: sid,
                    contraband,
                    reason,
                })
            };

            // ATS targets among items with advance data, within today's cap.
            let (p_carrier, p_clean) = target_odds;
            let mut target_carriers: Vec<Contraband> = Vec::new();
            free.retain(|c| {
                let hit = rng.random::<f64>() < stream.aed_share * p_carrier;
                if hit {
                    target_carriers.push(*c);
                }
                !hit
            });
            let mut clean_targets = binomial(rng, clean, stream.aed_share * p_clean);
            let wanted = clean_targets + target_carriers.len() as u64;
            let room = match self.targeting.daily_cap {
                Some(cap) => cap.saturating_sub(self.issued_today),
                None => u64::MAX,
            };
            if wanted > room {
                // Over the cap (a busy day): keep a random `room`-sized share of the rest.
                let keep = room as f64 / wanted as f64;
                clean_targets = binomial(rng, clean_targets, keep);
                target_carriers.retain(|c| {
                    let kept = rng.random::<f64>() < keep;
                    if !kept {
                        free.push(*c);
                    }
                    kept
                });
            }
            let issued = clean_targets + target_carriers.len() as u64;
            self.issued_today += issued;
            let mut located = 0;
            for c in target_carriers {
                if rng.random::<f64>() < self.targeting.locate_rate {
                    located += 1;
                    take(Some(c), Reason::Target);
                } else {
                    free.push(c); // not found: stays in the mail stream
                }
            }
            let clean_located = binomial(rng, clean_targets, self.targeting.locate_rate);
            located += clean_located;
            clean -= clean_located;
            for _ in 0..clean_located {
                take(None, Reason::Target);
            }
            targets[s].targeted += issued;
            targets[s].located += located;

            // The rest of each located target's bag.
            let companions = (located * u64::from(stream.bag_size.saturating_sub(1)))
                .min(clean + free.len() as u64);
            if companions > 0 {
                let share = companions as f64 / (clean + free.len() as u64) as f64;
                let mut taken = 0;
                free.retain(|c| {
                    let hit = taken < companions && rng.random::<f64>() < share;
                    if hit {
                        taken += 1;
                        take(Some(*c), Reason::BagCompanion);
                    }
                    !hit
                });
                let clean_companions = (companions - taken).min(clean);
                clean -= clean_companions;
                for _ in 0..clean_companions {
                    take(None, Reason::BagCompanion);
                }
            }

            // MOU subsets: a random share.
            free.retain(|c| {
                let hit = rng.random::<f64>() < stream.mou_share;
                if hit {
                    take(Some(*c), Reason::Mou);
                }
                !hit
            });
            let mou_clean = binomial(rng, clean, stream.mou_share);
            clean -= mou_clean;
            for _ in 0..mou_clean {
                take(None, Reason::Mou);
            }

            // Officer picks, with their experience lift.
            let (p_carrier, p_clean) = pick_odds;
            free.retain(|c| {
                let hit = rng.random::<f64>() < p_carrier;
                if hit {
                    take(Some(*c), Reason::OfficerPick);
                }
                !hit
            });
            let picked_clean = binomial(rng, clean, p_clean);
            clean -= picked_clean;
            for _ in 0..picked_clean {
                take(None, Reason::OfficerPick);
            }

            if clean > 0 || !free.is_empty() {
                lots.push(Lot {
                    stream: sid,
                    clean,
                    contraband: free,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn lift_keeps_the_overall_share() {
        let (pc, pn) = lifted_probabilities(0.01, 20.0, 0.001);
        assert_relative_eq!(pc, 0.2);
        // share = pc π + pn (1 − π)
        assert_relative_eq!(pc * 0.001 + pn * 0.999, 0.01, max_relative = 1e-12);
        // Contraband among the chosen is `lift` times as common.
        assert_relative_eq!(pc * 0.001 / 0.01, 0.02, max_relative = 1e-12);
        assert_eq!(lifted_probabilities(0.5, 4.0, 0.5), (1.0, 0.0));
    }
}
