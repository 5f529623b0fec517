//! The International Mail Facility model, built on the generic engine.
//!
//! Mail arrives in batches ([`arrivals`]), container by container through the radiation portal;
//! each opened container is split ([`selection`]) into the few items CBP takes in hand (ATS
//! targets and their bags, MOU subsets, officer picks) and bulk lots that go on to delivery,
//! possibly past the canine teams ([`canine`]). Items in hand go through x-ray, examination,
//! chemical screening, the lab ([`lab`]) while held ([`holding`]), and seizure processing, all
//! drawing on one shared pool of officers. Every item ends with one [`fate::Fate`] or is still
//! inside at the end, and [`ImfModel::finish`] checks that nothing was lost.
//!
//! Officer priority: when officers are scarce, free officers go first to case entry, then
//! chemical tests, then examinations, then x-ray. A job holds its officers for its whole
//! service time.

pub mod arrivals;
pub mod canine;
pub mod capacity;
pub mod config;
pub mod fate;
pub mod holding;
pub mod lab;
pub mod mail;
pub mod results;
pub mod selection;
pub mod station;

use rand::RngExt;

use crate::engine::time::MS_PER_DAY;
use crate::engine::{
    Availability, Context, EventClass, Model, Resource, SimDuration, SimTime, Simulation,
    StreamRng, UnitEvent, stream, substream,
};
use crate::stats::Tally;
use arrivals::{ArrivalProcess, Container, fill_container};
use canine::{CaninePool, Sweep};
pub use config::ModelConfig;
use fate::{Fate, Ledger};
use holding::Holding;
use lab::Lab;
use mail::{Contraband, ItemId, ItemStore, MailItem, Reason};
use results::{DailySeries, MetricSink, ReplicationResult};
use selection::{Lot, Selector, Split, TargetCounts};
use station::Station;

/// How one replication is run: its horizon, warm-up and random streams.
#[derive(Clone, Copy, Debug)]
pub struct RunSpec {
    /// Master seed of the experiment.
    pub seed: u64,
    /// Replication index (selects the random streams).
    pub replication: u64,
    /// Total simulated time, warm-up included.
    pub horizon: SimDuration,
    /// Initial period excluded from the statistics.
    pub warmup: SimDuration,
}

/// Resources with their own availability events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    /// Radiation portal lanes.
    Portal,
    /// X-ray machines.
    Xray,
    /// Hand-held chemical analysers.
    Chem,
    /// The officer pool.
    Officers,
}

/// Stations worked by officers, in the order officers are given to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Seizure processing and case entry.
    Seizure = 0,
    /// Chemical screening.
    Chem = 1,
    /// Physical examination.
    Exam = 2,
    /// X-ray.
    Xray = 3,
}

impl Stage {
    const BY_PRIORITY: [Stage; 4] = [Stage::Seizure, Stage::Chem, Stage::Exam, Stage::Xray];

    /// Output name.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Seizure => "seizure",
            Stage::Chem => "chem",
            Stage::Exam => "exam",
            Stage::Xray => "xray",
        }
    }
}

/// Events of the IMF model.
#[derive(Clone, Copy, Debug)]
pub enum Event {
    /// Sets up calendars and schedules the first arrival.
    Start,
    /// A batch of mail arrives.
    Arrival,
    /// A container leaves the portal (index into the container slab).
    PortalDone(u32),
    /// Availability event of a resource.
    Unit(ResourceKind, UnitEvent),
    /// An item finishes service at a station.
    Done(Stage, ItemId),
    /// A lab result comes back.
    LabResult(ItemId),
    /// Midnight: lab slots refill, daily snapshots.
    Midnight,
    /// Canine teams screen for one tick; lots past their dwell leave.
    CanineTick,
    /// Items waiting too long for x-ray go back to USPS.
    Renege,
    /// End of warm-up: statistics restart.
    WarmupEnd,
}

/// The draws an item makes, each from its own substream (see [`crate::engine::substream`]).
#[derive(Clone, Copy)]
enum Draw {
    /// Service time at a stage.
    Service(Stage),
    /// Outcome at a stage (flagged, found, positive).
    Decision(Stage),
    /// Lab turnaround time.
    LabTurnaround,
    /// Lab confirmation.
    LabResult,
}

impl Draw {
    fn index(self) -> u64 {
        match self {
            Draw::Service(s) => 2 * s as u64,
            Draw::Decision(s) => 2 * s as u64 + 1,
            Draw::LabTurnaround => 100,
            Draw::LabResult => 101,
        }
    }
}

/// How often canine teams are advanced.
const CANINE_TICK: SimDuration = SimDuration::from_mins(1);
/// How often the x-ray line is checked for items that waited too long.
const RENEGE_CHECK: SimDuration = SimDuration::from_mins(15);

/// The state of one facility during one replication.
pub struct ImfModel {
    cfg: ModelConfig,
    spec: RunSpec,
    kind_ids: Vec<Vec<u16>>,
    kind_names: Vec<String>,
    arrivals: ArrivalProcess,
    rng_arrivals: StreamRng,
    rng_truth: StreamRng,
    rng_selection: StreamRng,
    rng_portal: StreamRng,
    rng_canine: StreamRng,
    rng_items: StreamRng,
    rng_availability: StreamRng,
    portal: Option<Resource<u32>>,
    containers: Vec<Option<Container>>,
    free_containers: Vec<u32>,
    /// Opened containers kept for their buffers, refilled by the next arrivals.
    spare_containers: Vec<Container>,
    selector: Selector,
    canine: CaninePool,
    stations: [Option<Station>; 4],
    officers: Resource<()>,
    officer_availability: Availability,
    lab: Option<Lab>,
    holding: Holding,
    items: ItemStore,
    ledger: Ledger,
    custody_h: Tally,
    late_entries: u64,
    seizures_entered: u64,
    daily: DailySeries,
    window_start: SimTime,
    halted: Option<String>,
    /// Items in containers waiting for or passing the portal.
    portal_items: u64,
    split: Split,
    sweep: Sweep,
}

impl ImfModel {
    /// A facility with `cfg`, empty, at time zero.
    pub fn new(cfg: ModelConfig, spec: RunSpec) -> Self {
        let rng = |purpose: &str| stream(spec.seed, spec.replication, purpose);
        let mut kind_names: Vec<String> = Vec::new();
        let kind_ids = cfg
            .streams
            .iter()
            .map(|s| {
                s.contraband
                    .iter()
                    .map(|k| {
                        let i = kind_names
                            .iter()
                            .position(|n| *n == k.kind)
                            .unwrap_or_else(|| {
                                kind_names.push(k.kind.clone());
                                kind_names.len() - 1
                            });
                        i as u16
                    })
                    .collect()
            })
            .collect();
        let xray = cfg.xray.as_ref().map(|x| {
            Station::new(
                Some(x.machines.clone()),
                x.officers_per_machine,
                x.service_s.clone(),
                2,
            )
        });
        let exam = cfg
            .exam
            .as_ref()
            .map(|e| Station::new(None, 1, e.service_s.clone(), 2));
        let chem = cfg.chem.as_ref().map(|c| {
            Station::new(
                Some(c.devices.clone()),
                c.officers_per_test,
                c.service_s.clone(),
                1,
            )
        });
        let seizure = Some(Station::new(None, 1, cfg.seizure.service_s.clone(), 1));
        let officer_availability = Availability {
            calendar: cfg.officers.clone(),
            units: cfg.officers.peak(),
            breakdowns: None,
            maintenance: None,
        };
        let streams = cfg.streams.len();
        ImfModel {
            arrivals: ArrivalProcess::new(&cfg.arrivals),
            rng_arrivals: rng("arrivals"),
            rng_truth: rng("truth"),
            rng_selection: rng("selection"),
            rng_portal: rng("station.portal"),
            rng_canine: rng("canine"),
            rng_items: rng("items"),
            rng_availability: rng("availability"),
            portal: cfg
                .portal
                .as_ref()
                .map(|p| Resource::new(p.lanes.calendar.at(SimTime::ZERO), 1, SimTime::ZERO)),
            containers: Vec::new(),
            free_containers: Vec::new(),
            spare_containers: Vec::new(),
            selector: Selector::new(&cfg.targeting, &cfg.streams, cfg.arrivals.items_per_day),
            canine: CaninePool::new(),
            stations: [seizure, chem, exam, xray],
            officers: Resource::new(cfg.officers.at(SimTime::ZERO), 1, SimTime::ZERO),
            officer_availability,
            lab: cfg
                .lab
                .as_ref()
                .map(|l| Lab::new(l.daily_cap, SimTime::ZERO)),
            holding: Holding::new(cfg.holding.secure_capacity, SimTime::ZERO),
            items: ItemStore::default(),
            ledger: Ledger::new(streams, kind_names.len()),
            custody_h: Tally::new(),
            late_entries: 0,
            seizures_entered: 0,
            daily: DailySeries::default(),
            window_start: SimTime::ZERO,
            halted: None,
            portal_items: 0,
            split: Split::default(),
            sweep: Sweep {
                screened: vec![0; streams],
                ..Sweep::default()
            },
            kind_ids,
            kind_names,
            cfg,
            spec,
        }
    }

    /// Why the run was stopped early, if it was (the item ceiling was hit).
    pub fn halted(&self) -> Option<&str> {
        self.halted.as_deref()
    }

    fn station(&mut self, stage: Stage) -> Option<&mut Station> {
        self.stations[stage as usize].as_mut()
    }

    // ----- arrivals, portal, selection -------------------------------------------------------

    fn schedule_next_arrival(&mut self, cx: &mut Context<'_, Event>) {
        if self.halted.is_some() {
            return;
        }
        if let Some(at) = self.arrivals.next_time(cx.now(), &mut self.rng_arrivals)
            && at.as_ms() < self.spec.horizon.as_ms()
        {
            let _ = cx.schedule_at(at, EventClass::Normal, Event::Arrival);
        }
    }

    fn on_arrival(&mut self, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let mut left = self.arrivals.batch_size(now, &mut self.rng_arrivals);
        let size = u64::from(self.cfg.arrivals.container_size.max(1));
        while left > 0 {
            let n = left.min(size);
            left -= n;
            // Reuse an emptied container's buffers: no allocation per container.
            let mut container = self.spare_containers.pop().unwrap_or_default();
            fill_container(
                n,
                &self.cfg.streams,
                &self.kind_ids,
                &mut self.rng_truth,
                &mut container,
            );
            for (s, &k) in container.items.iter().enumerate() {
                if k > 0 {
                    self.ledger.count(s, |c| c.arrived += k);
                }
            }
            for (s, _) in &container.contraband {
                self.ledger
                    .count(usize::from(*s), |c| c.contraband_arrived += 1);
            }
            let slot = if let Some(slot) = self.free_containers.pop() {
                self.containers[slot as usize] = Some(container);
                slot
            } else {
                self.containers.push(Some(container));
                (self.containers.len() - 1) as u32
            };
            match self.portal.as_mut() {
                Some(portal) => {
                    self.portal_items += n;
                    portal.request(now, slot, 0);
                }
                None => self.open_container(slot, cx),
            }
        }
        self.start_portal(cx);
        self.check_ceiling();
        self.schedule_next_arrival(cx);
    }

    fn start_portal(&mut self, cx: &mut Context<'_, Event>) {
        let (Some(portal), Some(pcfg)) = (self.portal.as_mut(), self.cfg.portal.as_ref()) else {
            return;
        };
        while let Some(started) = portal.next_start(cx.now()) {
            let d = SimDuration::from_secs_f64(pcfg.service_s.sample(&mut self.rng_portal));
            cx.schedule_in_class(d, EventClass::Release, Event::PortalDone(started.job));
        }
    }

    fn open_container(&mut self, slot: u32, cx: &mut Context<'_, Event>) {
        let Some(container) = self.containers[slot as usize].take() else {
            return;
        };
        if self.portal.is_some() {
            self.portal_items -= container.total();
        }
        self.free_containers.push(slot);
        let now = cx.now();
        let mut split = std::mem::take(&mut self.split);
        split.targets.clear();
        split
            .targets
            .resize(self.cfg.streams.len(), TargetCounts::default());
        self.selector.split(
            now.day(),
            &container,
            &self.cfg.streams,
            &mut self.rng_selection,
            &mut split,
        );
        self.spare_containers.push(container);
        for (s, t) in split.targets.iter().enumerate() {
            if t.targeted > 0 {
                self.ledger.count(s, |c| {
                    c.targeted += t.targeted;
                    c.located += t.located;
                });
            }
        }
        for pick in split.picks.drain(..) {
            self.take_in_hand(pick.stream, pick.contraband, pick.reason, cx);
        }
        for lot in split.lots.drain(..) {
            let eligible = self.cfg.streams[usize::from(lot.stream)].canine_eligible;
            match (&self.cfg.canine, eligible) {
                (Some(_), true) => self.canine.push(now, lot),
                _ => self.release_lot(&lot),
            }
        }
        self.split = split;
        self.dispatch(cx);
    }

    fn release_lot(&mut self, lot: &Lot) {
        let s = usize::from(lot.stream);
        if lot.clean > 0 {
            self.ledger.settle(s, Fate::Clean, lot.clean, &[]);
        }
        if !lot.contraband.is_empty() {
            self.ledger.settle(
                s,
                Fate::Missed,
                lot.contraband.len() as u64,
                &lot.contraband,
            );
        }
    }

    fn take_in_hand(
        &mut self,
        stream: u16,
        contraband: Option<Contraband>,
        reason: Reason,
        cx: &mut Context<'_, Event>,
    ) {
        let now = cx.now();
        let id = self.items.insert(MailItem {
            stream,
            contraband,
            selected_at: now,
            reason,
            inspected: false,
            confirmed_at: now,
            lab_received_at: now,
            seed: self.rng_items.random(),
        });
        self.ledger.count(usize::from(stream), |c| c.selected += 1);
        let urgent = matches!(reason, Reason::Target | Reason::CanineAlert);
        let class = usize::from(!urgent);
        if reason == Reason::CanineAlert || self.cfg.xray.is_none() {
            self.send_to_exam(id, class, cx);
        } else if let Some(x) = self.station(Stage::Xray) {
            x.line.request(now, id, class);
        }
    }

    // ----- officer stations --------------------------------------------------------------------

    fn dispatch(&mut self, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        for stage in Stage::BY_PRIORITY {
            let Some(st) = self.stations[stage as usize].as_mut() else {
                continue;
            };
            while st.line.can_start() && self.officers.free() >= st.officers_needed {
                let Some(started) = st.line.next_start(now) else {
                    break;
                };
                let _ = self.officers.seize(now, st.officers_needed);
                let mut rng = substream(
                    self.items.get(started.job).seed,
                    Draw::Service(stage).index(),
                );
                let d = SimDuration::from_secs_f64(st.service_s.sample(&mut rng));
                cx.schedule_in_class(d, EventClass::Release, Event::Done(stage, started.job));
            }
        }
    }

    fn on_done(&mut self, stage: Stage, id: ItemId, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let Some(st) = self.stations[stage as usize].as_mut() else {
            return;
        };
        st.line.release(now, 1);
        let officers = st.officers_needed;
        self.officers.release(now, officers);
        match stage {
            Stage::Xray => self.after_xray(id, cx),
            Stage::Exam => self.after_exam(id, cx),
            Stage::Chem => self.after_chem(id, cx),
            Stage::Seizure => self.after_seizure(id, now),
        }
        self.dispatch(cx);
    }

    fn mark_inspected(&mut self, id: ItemId) {
        let item = self.items.get_mut(id);
        if !item.inspected {
            item.inspected = true;
            let s = usize::from(item.stream);
            self.ledger.count(s, |c| c.inspected += 1);
        }
    }

    /// The item's own uniform draw for `draw`.
    fn uniform(&self, id: ItemId, draw: Draw) -> f64 {
        substream(self.items.get(id).seed, draw.index()).random::<f64>()
    }

    /// A Bernoulli draw of the item's decision at `stage`.
    fn draw(&self, id: ItemId, stage: Stage, p: f64) -> bool {
        self.uniform(id, Draw::Decision(stage)) < p
    }

    fn has_contraband(&self, id: ItemId) -> bool {
        self.items.get(id).contraband.is_some()
    }

    fn after_xray(&mut self, id: ItemId, cx: &mut Context<'_, Event>) {
        self.mark_inspected(id);
        let p = match self.cfg.xray.as_ref() {
            Some(x) if self.has_contraband(id) => x.p_flag_contraband,
            Some(x) => x.p_flag_clean,
            None => 1.0,
        };
        if self.draw(id, Stage::Xray, p) {
            self.send_to_exam(id, 1, cx);
        } else {
            self.release(id, cx.now());
        }
    }

    fn send_to_exam(&mut self, id: ItemId, class: usize, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        match self.station(Stage::Exam) {
            Some(exam) => exam.line.request(now, id, class),
            None => self.suspicious(id, cx),
        }
    }

    fn after_exam(&mut self, id: ItemId, cx: &mut Context<'_, Event>) {
        self.mark_inspected(id);
        let p = match self.cfg.exam.as_ref() {
            Some(e) if self.has_contraband(id) => e.p_find,
            Some(e) => e.p_suspect_clean,
            None => 1.0,
        };
        if self.draw(id, Stage::Exam, p) {
            self.suspicious(id, cx);
        } else {
            self.release(id, cx.now());
        }
    }

    fn suspicious(&mut self, id: ItemId, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        match self.station(Stage::Chem) {
            Some(chem) => chem.line.request(now, id, 0),
            None => self.send_to_lab(id, cx),
        }
    }

    fn after_chem(&mut self, id: ItemId, cx: &mut Context<'_, Event>) {
        let Some(c) = self.cfg.chem.as_ref() else {
            return;
        };
        let p_positive = if self.has_contraband(id) {
            c.sensitivity
        } else {
            c.false_positive
        };
        let p_inconclusive = if self.lab.is_some() {
            c.inconclusive
        } else {
            0.0
        };
        let u = self.uniform(id, Draw::Decision(Stage::Chem));
        if u < p_positive + p_inconclusive {
            self.send_to_lab(id, cx);
        } else {
            self.release(id, cx.now());
        }
    }

    fn send_to_lab(&mut self, id: ItemId, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let Some(lab) = self.lab.as_mut() else {
            // No lab: the presumptive finding stands; only real contraband can be seized.
            if self.has_contraband(id) {
                self.confirm(id, now);
            } else {
                self.release(id, now);
            }
            return;
        };
        self.holding.enter(now);
        self.items.get_mut(id).lab_received_at = now;
        if let Some(started) = lab.receive(now, id) {
            self.schedule_lab_result(started, cx);
        }
    }

    fn schedule_lab_result(&mut self, id: ItemId, cx: &mut Context<'_, Event>) {
        if let Some(l) = self.cfg.lab.as_ref() {
            let mut rng = substream(self.items.get(id).seed, Draw::LabTurnaround.index());
            let d = SimDuration::from_secs_f64(l.turnaround_s.sample(&mut rng));
            cx.schedule_in_class(d, EventClass::Release, Event::LabResult(id));
        }
    }

    fn on_lab_result(&mut self, id: ItemId, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        self.holding.leave(now);
        let received = self.items.get(id).lab_received_at;
        if let Some(lab) = self.lab.as_mut() {
            lab.result(now, received);
        }
        let sensitivity = self.cfg.lab.as_ref().map_or(1.0, |l| l.sensitivity);
        if self.has_contraband(id) && self.uniform(id, Draw::LabResult) < sensitivity {
            self.confirm(id, now);
        } else {
            self.release(id, now);
        }
        self.dispatch(cx);
    }

    fn confirm(&mut self, id: ItemId, now: SimTime) {
        self.items.get_mut(id).confirmed_at = now;
        if let Some(st) = self.station(Stage::Seizure) {
            st.line.request(now, id, 0);
        }
    }

    fn after_seizure(&mut self, id: ItemId, now: SimTime) {
        let item = self.items.remove(id);
        self.ledger.settle(
            usize::from(item.stream),
            Fate::Seized,
            1,
            item.contraband.as_slice(),
        );
        self.seizures_entered += 1;
        if now - item.confirmed_at > self.cfg.seizure.deadline {
            self.late_entries += 1;
        }
        self.custody_h.add((now - item.selected_at).as_hours_f64());
    }

    /// Returns an item to USPS: clean, or with contraband nobody found.
    fn release(&mut self, id: ItemId, now: SimTime) {
        let item = self.items.remove(id);
        let s = usize::from(item.stream);
        match item.contraband {
            Some(c) => self.ledger.settle(s, Fate::Missed, 1, &[c]),
            None => self.ledger.settle(s, Fate::Clean, 1, &[]),
        }
        self.custody_h.add((now - item.selected_at).as_hours_f64());
    }

    fn check_ceiling(&mut self) {
        let inside = self.items.live() as u64 + self.canine.items() + self.portal_items;
        if self.halted.is_none() && inside > self.cfg.max_items_inside {
            self.halted = Some(format!(
                "more than {} items were inside at once (in CBP custody, on the canine floor or \
                 waiting for the portal; limits.max_items_inside), so no more mail was let in: \
                 the facility cannot keep up with its mail",
                self.cfg.max_items_inside
            ));
        }
    }

    // ----- periodic events -------------------------------------------------------------------

    fn on_start(&mut self, cx: &mut Context<'_, Event>) {
        let rng = &mut self.rng_availability;
        if let (Some(p), Some(portal)) = (self.cfg.portal.as_ref(), self.portal.as_mut()) {
            p.lanes
                .start(portal, cx, rng, |u| Event::Unit(ResourceKind::Portal, u));
        }
        self.officer_availability
            .start(&mut self.officers, cx, rng, |u| {
                Event::Unit(ResourceKind::Officers, u)
            });
        for (stage, kind) in [
            (Stage::Xray, ResourceKind::Xray),
            (Stage::Chem, ResourceKind::Chem),
        ] {
            if let Some(st) = self.stations[stage as usize].as_mut()
                && let Some(a) = st.equipment.as_ref()
            {
                a.start(&mut st.line, cx, rng, |u| Event::Unit(kind, u));
            }
        }
        cx.schedule_in_class(
            SimDuration::from_days(1),
            EventClass::Release,
            Event::Midnight,
        );
        if self.cfg.canine.is_some() {
            cx.schedule(CANINE_TICK, Event::CanineTick);
        }
        if self.cfg.xray.as_ref().is_some_and(|x| x.max_wait.is_some()) {
            cx.schedule(RENEGE_CHECK, Event::Renege);
        }
        if !self.spec.warmup.is_zero() {
            cx.schedule_in_class(self.spec.warmup, EventClass::Observe, Event::WarmupEnd);
        }
        self.schedule_next_arrival(cx);
    }

    fn on_unit(&mut self, kind: ResourceKind, u: UnitEvent, cx: &mut Context<'_, Event>) {
        let rng = &mut self.rng_availability;
        let wrap = |u| Event::Unit(kind, u);
        match kind {
            ResourceKind::Portal => {
                if let (Some(p), Some(portal)) = (self.cfg.portal.as_ref(), self.portal.as_mut()) {
                    p.lanes.handle(u, portal, cx, rng, wrap);
                }
                self.start_portal(cx);
            }
            ResourceKind::Officers => {
                self.officer_availability
                    .handle(u, &mut self.officers, cx, rng, wrap);
            }
            ResourceKind::Xray | ResourceKind::Chem => {
                let stage = if kind == ResourceKind::Xray {
                    Stage::Xray
                } else {
                    Stage::Chem
                };
                if let Some(st) = self.stations[stage as usize].as_mut()
                    && let Some(a) = st.equipment.as_ref()
                {
                    a.handle(u, &mut st.line, cx, rng, wrap);
                }
            }
        }
        self.dispatch(cx);
    }

    fn on_midnight(&mut self, cx: &mut Context<'_, Event>) {
        self.record_day();
        if let Some(lab) = self.lab.as_mut() {
            lab.new_day();
        }
        self.start_waiting_samples(cx);
        self.check_ceiling();
        cx.schedule_in_class(
            SimDuration::from_days(1),
            EventClass::Release,
            Event::Midnight,
        );
    }

    fn start_waiting_samples(&mut self, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        while let Some(id) = self.lab.as_mut().and_then(|lab| lab.next_start(now)) {
            self.schedule_lab_result(id, cx);
        }
    }

    fn record_day(&mut self) {
        let lab = self.lab.as_ref().map_or(0, |l| l.backlog());
        let xray = self.stations[Stage::Xray as usize]
            .as_ref()
            .map_or(0, |s| s.line.queue_len());
        self.daily.lab_backlog.push(lab as f64);
        self.daily.xray_queue.push(xray as f64);
        self.daily.in_custody.push(self.items.live() as f64);
    }

    fn on_canine_tick(&mut self, cx: &mut Context<'_, Event>) {
        let Some(cfg) = self.cfg.canine.as_ref() else {
            return;
        };
        let now = cx.now();
        let mut sweep = std::mem::take(&mut self.sweep);
        let teams = cfg.teams.at(now);
        self.canine.screen(
            cfg,
            now,
            CANINE_TICK,
            teams,
            &mut self.rng_canine,
            &mut sweep,
        );
        let dwell = cfg.dwell;
        let mut expired = Vec::new();
        self.canine.expire(now, dwell, |lot| expired.push(lot));
        for (s, n) in sweep.screened.iter_mut().enumerate() {
            if *n > 0 {
                let k = *n;
                self.ledger.count(s, |c| c.canine_screened += k);
                *n = 0;
            }
        }
        for lot in sweep.cleared.drain(..).chain(expired) {
            self.release_lot(&lot);
        }
        for (stream, contraband) in sweep.alerts.drain(..) {
            self.ledger
                .count(usize::from(stream), |c| c.canine_alerts += 1);
            self.take_in_hand(stream, contraband, Reason::CanineAlert, cx);
        }
        self.sweep = sweep;
        self.dispatch(cx);
        cx.schedule(CANINE_TICK, Event::CanineTick);
    }

    fn on_renege(&mut self, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let max_wait = self.cfg.xray.as_ref().and_then(|x| x.max_wait);
        let mut gone = Vec::new();
        if let (Some(max_wait), Some(st)) = (max_wait, self.stations[Stage::Xray as usize].as_mut())
        {
            st.line.renege(now, max_wait, |id, _| gone.push(id));
        }
        for id in gone {
            let s = usize::from(self.items.get(id).stream);
            self.ledger.count(s, |c| c.returned_uninspected += 1);
            self.release(id, now);
        }
        cx.schedule(RENEGE_CHECK, Event::Renege);
    }

    fn on_warmup_end(&mut self, now: SimTime) {
        self.window_start = now;
        self.ledger.reset_window();
        if let Some(p) = self.portal.as_mut() {
            p.reset_stats(now);
        }
        for st in self.stations.iter_mut().flatten() {
            st.line.reset_stats(now);
        }
        self.officers.reset_stats(now);
        if let Some(lab) = self.lab.as_mut() {
            lab.reset_stats(now);
        }
        self.holding.reset_stats(now);
        self.canine.screened = 0;
        self.canine.capacity = 0.0;
        self.custody_h = Tally::new();
        self.late_entries = 0;
        self.seizures_entered = 0;
    }

    // ----- results ---------------------------------------------------------------------------

    /// Items still inside at the end, per stream: in hand, on the canine floor, or in
    /// containers not yet through the portal.
    fn inside_by_stream(&self) -> Vec<u64> {
        let mut inside = vec![0; self.cfg.streams.len()];
        for item in self.items.iter() {
            inside[usize::from(item.stream)] += 1;
        }
        self.canine.count_inside(&mut inside);
        for c in self.containers.iter().flatten() {
            for (s, n) in c.items.iter().enumerate() {
                inside[s] += n;
            }
        }
        inside
    }

    /// Ends the replication at `end` and reports its metrics and accounting check.
    pub fn finish(&self, end: SimTime, events: u64) -> ReplicationResult {
        let inside = self.inside_by_stream();
        let conservation_errors = self
            .ledger
            .conservation_errors(&inside)
            .into_iter()
            .map(|(s, arrived, accounted)| {
                format!(
                    "stream {}: {arrived} items arrived but {accounted} are accounted for",
                    self.cfg.streams[s].name
                )
            })
            .collect::<Vec<_>>();
        let days = (end - self.window_start).as_days_f64();
        let per_day = |x: f64| if days > 0.0 { x / days } else { f64::NAN };
        let per_year = |x: f64| per_day(x) * 365.0;
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        let mut m = MetricSink::default();

        let window = self.ledger.window();
        let mut all = fate::StreamCounts::default();
        let mut rows: Vec<(&str, &fate::StreamCounts)> = Vec::new();
        for (s, c) in window.iter().enumerate() {
            rows.push((self.cfg.streams[s].name.as_str(), c));
            all += c;
        }
        rows.push(("all", &all));
        for (name, c) in rows {
            let g = "stream";
            m.put(
                g,
                name,
                "arrived_per_day",
                "items/day",
                per_day(c.arrived as f64),
            );
            m.put(
                g,
                name,
                "selected_per_day",
                "items/day",
                per_day(c.selected as f64),
            );
            m.put(
                g,
                name,
                "inspected_per_day",
                "items/day",
                per_day(c.inspected as f64),
            );
            m.put(
                g,
                name,
                "inspected_share",
                "share",
                ratio(c.inspected as f64, c.arrived as f64),
            );
            m.put(
                g,
                name,
                "targeted_per_day",
                "items/day",
                per_day(c.targeted as f64),
            );
            m.put(
                g,
                name,
                "targets_located_share",
                "share",
                ratio(c.located as f64, c.targeted as f64),
            );
            m.put(
                g,
                name,
                "canine_screened_share",
                "share",
                ratio(c.canine_screened as f64, c.arrived as f64),
            );
            m.put(
                g,
                name,
                "canine_alerts_per_day",
                "items/day",
                per_day(c.canine_alerts as f64),
            );
            m.put(
                g,
                name,
                "returned_uninspected_per_day",
                "items/day",
                per_day(c.returned_uninspected as f64),
            );
            m.put(
                g,
                name,
                "contraband_arrived_per_year",
                "items/yr",
                per_year(c.contraband_arrived as f64),
            );
            m.put(
                g,
                name,
                "seized_per_year",
                "items/yr",
                per_year(c.seized as f64),
            );
            m.put(
                g,
                name,
                "seized_kg_per_year",
                "kg/yr",
                per_year(c.seized_g / 1000.0),
            );
            m.put(
                g,
                name,
                "missed_per_year",
                "items/yr",
                per_year(c.missed as f64),
            );
            m.put(
                g,
                name,
                "missed_kg_per_year",
                "kg/yr",
                per_year(c.missed_g / 1000.0),
            );
            m.put(
                g,
                name,
                "interdiction_share",
                "share",
                ratio(c.seized as f64, (c.seized + c.missed) as f64),
            );
        }
        for (k, c) in self.ledger.kinds().iter().enumerate() {
            let name = self.kind_names[k].as_str();
            m.put(
                "contraband",
                name,
                "seized_per_year",
                "items/yr",
                per_year(c.seized as f64),
            );
            m.put(
                "contraband",
                name,
                "seized_kg_per_year",
                "kg/yr",
                per_year(c.seized_g / 1000.0),
            );
            m.put(
                "contraband",
                name,
                "missed_per_year",
                "items/yr",
                per_year(c.missed as f64),
            );
            m.put(
                "contraband",
                name,
                "missed_kg_per_year",
                "kg/yr",
                per_year(c.missed_g / 1000.0),
            );
        }

        let mut stage = |name: &str, summary: &crate::engine::ResourceSummary| {
            m.put(
                "stage",
                name,
                "arrivals_per_day",
                "items/day",
                per_day(summary.arrivals as f64),
            );
            m.put(
                "stage",
                name,
                "mean_wait_h",
                "h",
                summary.mean_wait_s.map_or(f64::NAN, |w| w / 3600.0),
            );
            m.put("stage", name, "mean_queue", "items", summary.mean_queue);
            m.put(
                "stage",
                name,
                "max_queue",
                "items",
                summary.max_queue as f64,
            );
            m.put("stage", name, "waited_share", "share", summary.waited_share);
            if let [urgent, routine] = summary.class_mean_wait_s[..] {
                m.put(
                    "stage",
                    name,
                    "mean_wait_urgent_h",
                    "h",
                    urgent.map_or(f64::NAN, |w| w / 3600.0),
                );
                m.put(
                    "stage",
                    name,
                    "mean_wait_routine_h",
                    "h",
                    routine.map_or(f64::NAN, |w| w / 3600.0),
                );
            }
        };
        let mut equipment = Vec::new();
        if let Some(p) = self.portal.as_ref() {
            let s = p.summary(end);
            stage("portal", &s);
            equipment.push(("portal_lanes", s));
        }
        for st_kind in [Stage::Xray, Stage::Exam, Stage::Chem, Stage::Seizure] {
            if let Some(st) = self.stations[st_kind as usize].as_ref() {
                let s = st.line.summary(end);
                stage(st_kind.key(), &s);
                match st_kind {
                    Stage::Xray => equipment.push(("xray_machines", s)),
                    Stage::Chem => equipment.push(("chem_devices", s)),
                    _ => {}
                }
            }
        }
        equipment.push(("officers", self.officers.summary(end)));
        for (name, s) in &equipment {
            m.put("resource", name, "utilisation", "share", s.utilisation);
            m.put("resource", name, "mean_busy", "units", s.mean_busy);
            m.put("resource", name, "mean_available", "units", s.mean_capacity);
        }
        if self.cfg.canine.is_some() {
            m.put(
                "resource",
                "canine_teams",
                "utilisation",
                "share",
                ratio(self.canine.screened as f64, self.canine.capacity),
            );
        }
        if let Some(lab) = self.lab.as_ref() {
            let (mean_backlog, max_backlog) = lab.backlog_stats(end);
            m.put(
                "stage",
                "lab",
                "arrivals_per_day",
                "samples/day",
                per_day(lab.received as f64),
            );
            m.put(
                "stage",
                "lab",
                "mean_wait_h",
                "h",
                lab.waits.mean().map_or(f64::NAN, |w| w / 3600.0),
            );
            m.put("stage", "lab", "mean_queue", "samples", mean_backlog);
            m.put("stage", "lab", "max_queue", "samples", max_backlog as f64);
            m.put(
                "stage",
                "lab",
                "started_per_day",
                "samples/day",
                per_day(lab.started as f64),
            );
            m.put(
                "stage",
                "lab",
                "turnaround_h",
                "h",
                lab.turnaround.mean().map_or(f64::NAN, |w| w / 3600.0),
            );
            m.put(
                "stage",
                "lab",
                "backlog_at_end",
                "samples",
                lab.backlog() as f64,
            );
        }
        let (held_mean, held_max, unsecured_h) = self.holding.summary(end);
        m.put("facility", "holding", "mean_held", "items", held_mean);
        m.put("facility", "holding", "max_held", "items", held_max as f64);
        m.put(
            "facility",
            "holding",
            "unsecured_item_hours_per_year",
            "item-h/yr",
            per_year(unsecured_h),
        );
        m.put(
            "facility",
            "seizure",
            "case_entries_per_year",
            "cases/yr",
            per_year(self.seizures_entered as f64),
        );
        m.put(
            "facility",
            "seizure",
            "late_entries_per_year",
            "cases/yr",
            per_year(self.late_entries as f64),
        );
        m.put(
            "facility",
            "seizure",
            "late_share",
            "share",
            ratio(self.late_entries as f64, self.seizures_entered as f64),
        );
        m.put(
            "facility",
            "custody",
            "mean_custody_h",
            "h",
            self.custody_h.mean().unwrap_or(f64::NAN),
        );
        m.put(
            "facility",
            "custody",
            "in_custody_at_end",
            "items",
            self.items.live() as f64,
        );
        m.put(
            "facility",
            "custody",
            "inside_at_end",
            "items",
            inside.iter().sum::<u64>() as f64,
        );

        ReplicationResult {
            replication: self.spec.replication,
            metrics: m.metrics,
            daily: self.daily.clone(),
            events,
            items_arrived: self.ledger.whole().iter().map(|c| c.arrived).sum(),
            conservation_errors,
        }
    }
}

impl Model for ImfModel {
    type Event = Event;

    fn handle(&mut self, event: Event, cx: &mut Context<'_, Event>) {
        match event {
            Event::Start => self.on_start(cx),
            Event::Arrival => self.on_arrival(cx),
            Event::PortalDone(slot) => {
                if let Some(p) = self.portal.as_mut() {
                    p.release(cx.now(), 1);
                }
                self.open_container(slot, cx);
                self.start_portal(cx);
            }
            Event::Unit(kind, u) => self.on_unit(kind, u, cx),
            Event::Done(stage, id) => self.on_done(stage, id, cx),
            Event::LabResult(id) => self.on_lab_result(id, cx),
            Event::Midnight => self.on_midnight(cx),
            Event::CanineTick => self.on_canine_tick(cx),
            Event::Renege => self.on_renege(cx),
            Event::WarmupEnd => self.on_warmup_end(cx.now()),
        }
    }
}

/// Why a replication could not produce a result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// More items were inside than the configured ceiling allows.
    #[error("replication {replication}: {reason}")]
    Overloaded {
        /// Replication index.
        replication: u64,
        /// What happened.
        reason: String,
    },
}

/// Runs one replication of the facility described by `cfg`.
pub fn run_replication(cfg: &ModelConfig, spec: RunSpec) -> Result<ReplicationResult, RunError> {
    let mut batches = run_batches(cfg, spec, 1)?;
    Ok(batches.remove(0))
}

/// Runs one long replication whose observation window is cut into `batches` equal batches,
/// statistics restarting at each cut: the batch-means method for one long run. Each batch is
/// reported like a replication (its index in `replication`).
pub fn run_batches(
    cfg: &ModelConfig,
    spec: RunSpec,
    batches: u32,
) -> Result<Vec<ReplicationResult>, RunError> {
    let mut sim = Simulation::new(ImfModel::new(cfg.clone(), spec));
    let _ = sim.schedule_at(SimTime::ZERO, EventClass::Release, Event::Start);
    let start = SimTime::ZERO + spec.warmup;
    let window = spec.horizon.as_ms().saturating_sub(spec.warmup.as_ms());
    let batches = batches.max(1);
    let mut out = Vec::with_capacity(batches as usize);
    let mut events_before = 0;
    for b in 0..batches {
        let end = start + SimDuration::from_ms(window * u64::from(b + 1) / u64::from(batches));
        sim.run_until(end);
        let last = b + 1 == batches;
        // The horizon is half-open, so a midnight at exactly the end is still pending: record
        // the last day's end-of-day values here, or a run of N whole days would report N − 1.
        if last && end > SimTime::ZERO && end.as_ms().is_multiple_of(MS_PER_DAY) {
            sim.model_mut().record_day();
        }
        if let Some(reason) = sim.model().halted() {
            let expected = capacity::loads(cfg, &capacity::expected_flows(cfg));
            let cause = capacity::overload_warning(&expected, 1.0)
                .map_or(String::new(), |w| format!("; expected cause: {w}"));
            return Err(RunError::Overloaded {
                replication: spec.replication,
                reason: format!("{reason}{cause}"),
            });
        }
        let mut result = sim
            .model()
            .finish(end, sim.events_handled() - events_before);
        events_before = sim.events_handled();
        if batches > 1 {
            result.replication = u64::from(b);
        }
        out.push(result);
        if !last {
            sim.model_mut().on_warmup_end(end);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One flight a day of 5 items straight to a lab with a cap of 3: the backlog grows by 2 a
    /// day, and a run of 3 whole days reports all 3 end-of-day values.
    #[test]
    fn daily_series_has_one_value_per_whole_day() {
        use crate::engine::{Distribution, WeeklyCalendar};
        use config::*;
        let stream = StreamConfig {
            name: "s".into(),
            category: Category::SmallPacket,
            origin: Origin::RestOfWorld,
            share: 1.0,
            contraband: Vec::new(),
            mou_share: 1.0,
            officer_pick_share: 0.0,
            officer_pick_lift: 1.0,
            aed_share: 0.0,
            bag_size: 1,
            canine_eligible: false,
        };
        let cfg = ModelConfig {
            streams: vec![stream],
            arrivals: ArrivalConfig {
                items_per_day: 5.0,
                day_of_week: [1.0; 7],
                pattern: ArrivalPattern::Flights {
                    times: vec![SimDuration::from_hours(12)],
                    weights: vec![1.0],
                    batch: BatchSize::Fixed,
                },
                container_size: 1000,
            },
            portal: None,
            targeting: TargetingConfig {
                target_share: 0.0,
                lift: 1.0,
                daily_cap: None,
                locate_rate: 1.0,
            },
            canine: None,
            xray: None,
            exam: None,
            chem: None,
            lab: Some(LabConfig {
                daily_cap: Some(3),
                turnaround_s: Distribution::constant(3600.0),
                sensitivity: 1.0,
            }),
            seizure: SeizureConfig {
                service_s: Distribution::constant(60.0),
                deadline: SimDuration::from_days(1),
            },
            holding: HoldingConfig {
                secure_capacity: None,
            },
            officers: WeeklyCalendar::constant(1),
            borrowed_officers: WeeklyCalendar::constant(0),
            max_items_inside: 1000,
        };
        let spec = |days: u64| RunSpec {
            seed: 1,
            replication: 0,
            horizon: SimDuration::from_days(days),
            warmup: SimDuration::ZERO,
        };
        let r = run_replication(&cfg, spec(3)).expect("runs");
        assert_eq!(r.daily.lab_backlog, [2.0, 4.0, 6.0]);
        assert_eq!(r.daily.in_custody.len(), 3);
        assert_eq!(r.daily.xray_queue.len(), 3);
        // A horizon that ends mid-day reports only the days completed.
        let half = RunSpec {
            horizon: SimDuration::from_hours(60),
            ..spec(0)
        };
        let r = run_replication(&cfg, half).expect("runs");
        assert_eq!(r.daily.lab_backlog, [2.0, 4.0]);
    }
}
