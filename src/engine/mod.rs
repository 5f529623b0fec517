//! The simulation core: a clock, an ordered future-event list, a run loop, counted resources
//! with calendars and breakdowns, random streams and distributions. It knows nothing about the domain it serves.
//!
//! # The event-loop contract
//!
//! * Time is exact: [`SimTime`] and [`SimDuration`] count integer milliseconds.
//! * [`Simulation::run_until`] handles every event with time strictly before the horizon, one at
//!   a time, calling [`Model::handle`]; the model schedules follow-ups through its [`Context`].
//!   Scheduling in the past is an error ([`SchedulingError::InThePast`]).
//! * **Same-time order** is fixed by one comparator in [`queue`]: by time, then by
//!   [`EventClass`] (`Release` < `Normal` < `Observe`: capacity changes and service completions
//!   before arrivals and requests, bookkeeping last), then by the order in which the events were
//!   scheduled. So an item that arrives at the instant a unit is freed never waits for it, and
//!   the outcome never depends on how a heap breaks ties.
//! * Randomness comes only from named streams ([`random`]), one per purpose, passed by `&mut`.
//! * The engine never prints, reads files or knows about threads; observation goes through
//!   [`Observer`], whose hooks do nothing by default.

pub mod calendar;
pub mod dist;
pub mod observe;
pub mod queue;
pub mod random;
pub mod resource;
pub mod sim;
pub mod time;

pub use calendar::{Availability, Breakdowns, Maintenance, UnitEvent, WeeklyCalendar};
pub use dist::{DistError, DistSpec, Distribution};
pub use observe::{Observer, TraceObserver};
pub use queue::{EventClass, EventKey, EventQueue};
pub use random::{StreamRng, stream, substream};
pub use resource::{Resource, ResourceSummary, Started};
pub use sim::{Context, Model, SchedulingError, Simulation};
pub use time::{SimDuration, SimTime};
