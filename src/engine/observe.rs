//! The narrow observation hook of the engine: every hook does nothing unless overridden, so an
//! unobserved run pays nothing for it.

use super::time::SimTime;

/// Receives each event just before the model handles it.
pub trait Observer<E> {
    /// Called once per event, in firing order. Default: nothing.
    fn on_event(&mut self, _now: SimTime, _event: &E) {}
}

/// The unit observer: observes nothing.
impl<E> Observer<E> for () {}

/// Records the time and debug text of every event, for exact-trace tests.
#[derive(Debug, Default, Clone)]
pub struct TraceObserver {
    /// `(time [ms], event as {:?})` in firing order.
    pub log: Vec<(u64, String)>,
}

impl TraceObserver {
    /// The firing times alone [ms].
    pub fn times(&self) -> Vec<u64> {
        self.log.iter().map(|(t, _)| *t).collect()
    }
}

impl<E: std::fmt::Debug> Observer<E> for TraceObserver {
    fn on_event(&mut self, now: SimTime, event: &E) {
        self.log.push((now.as_ms(), format!("{event:?}")));
    }
}
