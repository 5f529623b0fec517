//! The run loop: a clock, a future-event list and a [`Model`] that reacts to events.

use super::observe::Observer;
use super::queue::{EventClass, EventKey, EventQueue};
use super::time::{SimDuration, SimTime};

/// A simulated system: it owns its state and reacts to its own events.
///
/// The engine calls [`Model::handle`] once per event, in the order fixed by the queue. The model
/// schedules follow-up events through the [`Context`]. Events are plain values (usually an enum),
/// so dispatch is a `match`, with no callbacks or boxed closures.
pub trait Model {
    /// The model's event type.
    type Event;

    /// Reacts to `event` at time `cx.now()`.
    fn handle(&mut self, event: Self::Event, cx: &mut Context<'_, Self::Event>);
}

/// Why an event could not be scheduled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchedulingError {
    /// The requested time is before the current clock; events cannot run in the past.
    #[error("cannot schedule at {requested}: the clock is already at {now}")]
    InThePast {
        /// Time asked for.
        requested: SimTime,
        /// Clock at the time of the request.
        now: SimTime,
    },
}

/// What a model may do while handling an event: read the clock, schedule and cancel.
pub struct Context<'a, E> {
    now: SimTime,
    queue: &'a mut EventQueue<E>,
}

impl<E> Context<'_, E> {
    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` `after` from now in the [`EventClass::Normal`] class.
    pub fn schedule(&mut self, after: SimDuration, event: E) {
        let _ = self.queue.push(self.now + after, EventClass::Normal, event);
    }

    /// Schedules `event` `after` from now in `class` (see the same-time ordering rule).
    pub fn schedule_in_class(&mut self, after: SimDuration, class: EventClass, event: E) {
        let _ = self.queue.push(self.now + after, class, event);
    }

    /// Schedules `event` `after` from now and returns a key to cancel it with.
    pub fn schedule_keyed(&mut self, after: SimDuration, class: EventClass, event: E) -> EventKey {
        self.queue.push(self.now + after, class, event)
    }

    /// Schedules `event` at the absolute time `at`, which must not be in the past.
    pub fn schedule_at(
        &mut self,
        at: SimTime,
        class: EventClass,
        event: E,
    ) -> Result<(), SchedulingError> {
        if at < self.now {
            return Err(SchedulingError::InThePast {
                requested: at,
                now: self.now,
            });
        }
        let _ = self.queue.push(at, class, event);
        Ok(())
    }

    /// Cancels a keyed event; a no-op if it already fired.
    pub fn cancel(&mut self, key: EventKey) {
        self.queue.cancel(key);
    }
}

/// A model plus its clock and pending events.
pub struct Simulation<M: Model> {
    model: M,
    queue: EventQueue<M::Event>,
    now: SimTime,
    events_handled: u64,
}

impl<M: Model> Simulation<M> {
    /// A simulation at time zero with nothing scheduled.
    pub fn new(model: M) -> Self {
        Simulation {
            model,
            queue: EventQueue::new(),
            now: SimTime::ZERO,
            events_handled: 0,
        }
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Number of events handled so far (a speed measure).
    pub fn events_handled(&self) -> u64 {
        self.events_handled
    }

    /// The model, for reading results.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The model, for setting it up before the run.
    pub fn model_mut(&mut self) -> &mut M {
        &mut self.model
    }

    /// Consumes the simulation and returns the model.
    pub fn into_model(self) -> M {
        self.model
    }

    /// Schedules an event from outside the model (typically the first events of a run).
    pub fn schedule_at(
        &mut self,
        at: SimTime,
        class: EventClass,
        event: M::Event,
    ) -> Result<(), SchedulingError> {
        Context {
            now: self.now,
            queue: &mut self.queue,
        }
        .schedule_at(at, class, event)
    }

    /// Handles the next event, if any; returns false when nothing is pending.
    pub fn step(&mut self) -> bool {
        self.step_observed(&mut ())
    }

    fn step_observed<O: Observer<M::Event>>(&mut self, observer: &mut O) -> bool {
        let Some((time, event)) = self.queue.pop() else {
            return false;
        };
        debug_assert!(time >= self.now, "event list returned a past event");
        self.now = time;
        self.events_handled += 1;
        observer.on_event(time, &event);
        let mut cx = Context {
            now: time,
            queue: &mut self.queue,
        };
        self.model.handle(event, &mut cx);
        true
    }

    /// Runs every event strictly before `end`, then sets the clock to `end`. Events at exactly
    /// `end` stay pending (the horizon is a half-open interval `[start, end)`).
    pub fn run_until(&mut self, end: SimTime) {
        self.run_until_observed(end, &mut ());
    }

    /// Like [`Simulation::run_until`], reporting each event to `observer` before it is handled.
    pub fn run_until_observed<O: Observer<M::Event>>(&mut self, end: SimTime, observer: &mut O) {
        while let Some(t) = self.queue.peek_time() {
            if t >= end {
                break;
            }
            self.step_observed(observer);
        }
        if end > self.now {
            self.now = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::observe::TraceObserver;

    /// A ping that reschedules itself every 10 ms, five times, and a one-off event at 25 ms.
    struct Pinger {
        log: Vec<(u64, &'static str)>,
    }

    #[derive(Debug)]
    enum Ev {
        Ping(u32),
        Once,
    }

    impl Model for Pinger {
        type Event = Ev;
        fn handle(&mut self, event: Ev, cx: &mut Context<'_, Ev>) {
            match event {
                Ev::Ping(n) => {
                    self.log.push((cx.now().as_ms(), "ping"));
                    if n < 5 {
                        cx.schedule(SimDuration::from_ms(10), Ev::Ping(n + 1));
                    }
                    let past = cx.schedule_at(SimTime::ZERO, EventClass::Normal, Ev::Once);
                    assert_eq!(past.is_err(), cx.now() > SimTime::ZERO);
                }
                Ev::Once => self.log.push((cx.now().as_ms(), "once")),
            }
        }
    }

    #[test]
    fn runs_events_in_time_order_and_stops_before_horizon() {
        let mut sim = Simulation::new(Pinger { log: vec![] });
        sim.schedule_at(SimTime::ZERO, EventClass::Normal, Ev::Ping(1))
            .unwrap();
        sim.schedule_at(SimTime::from_ms(25), EventClass::Normal, Ev::Once)
            .unwrap();
        let mut trace = TraceObserver::default();
        sim.run_until_observed(SimTime::from_ms(30), &mut trace);
        // Ping(1) at 0 also schedules Once at 0 (allowed: not in the past).
        assert_eq!(
            sim.model().log,
            [
                (0, "ping"),
                (0, "once"),
                (10, "ping"),
                (20, "ping"),
                (25, "once")
            ]
        );
        assert_eq!(sim.now(), SimTime::from_ms(30));
        assert_eq!(trace.times(), [0, 0, 10, 20, 25]);
        // The ping at exactly 30 ms is still pending and runs on the next call.
        sim.run_until(SimTime::from_ms(31));
        assert_eq!(sim.model().log.last(), Some(&(30, "ping")));
        assert_eq!(sim.events_handled(), 6);
    }
}
