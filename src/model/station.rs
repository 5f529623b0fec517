//! An inspection station worked by officers: its equipment (x-ray machines, hand-held devices,
//! or none), the officers each job needs from the shared pool, and its service time.

use super::mail::ItemId;
use crate::engine::{Availability, Distribution, Resource, SimTime};

/// Units that never run out, for stations limited only by officers (examination, case entry).
pub const UNLIMITED_UNITS: u32 = 1 << 30;

/// One station: a line of items, equipment units and a service-time distribution.
pub struct Station {
    /// Equipment units and the line in front of them.
    pub line: Resource<ItemId>,
    /// Calendar and breakdowns of the equipment (`None` for unlimited equipment).
    pub equipment: Option<Availability>,
    /// Officers one job takes from the shared pool for its whole duration.
    pub officers_needed: u32,
    /// Service time [s].
    pub service_s: Distribution,
}

impl Station {
    /// A station whose equipment follows `equipment` (or is unlimited if `None`).
    pub fn new(
        equipment: Option<Availability>,
        officers_needed: u32,
        service_s: Distribution,
        classes: usize,
    ) -> Self {
        let units = equipment
            .as_ref()
            .map_or(UNLIMITED_UNITS, |a| a.calendar.at(SimTime::ZERO));
        Station {
            line: Resource::new(units, classes, SimTime::ZERO),
            equipment,
            officers_needed,
            service_s,
        }
    }
}
