//! Individual mail items: the few that CBP handles one by one (selected, targeted or alerted
//! on), with their ground truth. Mail that needs no individual decision never becomes an item:
//! it is counted in bulk (see `selection` and `canine`).

use crate::engine::SimTime;

/// Index of a live item in the [`ItemStore`].
pub type ItemId = u32;

/// What an item really holds (the ground truth, unknown to CBP until confirmed).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Contraband {
    /// Index of the kind in the facility-wide list of contraband kinds.
    pub kind: u16,
    /// Amount [g].
    pub grams: f64,
}

/// Why CBP has the item in hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Named by the Automated Targeting System and located by USPS.
    Target,
    /// Part of a subset handed over under the memorandum with USPS.
    Mou,
    /// Picked by an officer.
    OfficerPick,
    /// In the same bag as a located target.
    BagCompanion,
    /// A canine team alerted on it.
    CanineAlert,
}

/// One item in CBP custody.
#[derive(Clone, Copy, Debug)]
pub struct MailItem {
    /// Index of its stream.
    pub stream: u16,
    /// Ground truth.
    pub contraband: Option<Contraband>,
    /// When CBP took it in hand.
    pub selected_at: SimTime,
    /// Why.
    pub reason: Reason,
    /// Whether an x-ray or an officer has looked at it yet.
    pub inspected: bool,
    /// When contraband was confirmed (start of the case-entry deadline).
    pub confirmed_at: SimTime,
    /// When its sample reached the lab (for the turnaround statistic).
    pub lab_received_at: SimTime,
    /// Key of the item's own random draws (service times, decisions), so they do not depend
    /// on the order in which items are served.
    pub seed: u64,
}

/// A slab of live items with a free list: no allocation per item once warmed up.
#[derive(Default)]
pub struct ItemStore {
    slots: Vec<Option<MailItem>>,
    free: Vec<ItemId>,
    live: usize,
}

impl ItemStore {
    /// Stores `item` and returns its id.
    pub fn insert(&mut self, item: MailItem) -> ItemId {
        self.live += 1;
        if let Some(id) = self.free.pop() {
            self.slots[id as usize] = Some(item);
            id
        } else {
            self.slots.push(Some(item));
            (self.slots.len() - 1) as ItemId
        }
    }

    /// The item with `id`. Ids come only from [`ItemStore::insert`] and are used until
    /// [`ItemStore::remove`], so a missing item is a bug in the model.
    pub fn get(&self, id: ItemId) -> &MailItem {
        self.slots[id as usize]
            .as_ref()
            .expect("item id refers to a live item")
    }

    /// The item with `id`, for update.
    pub fn get_mut(&mut self, id: ItemId) -> &mut MailItem {
        self.slots[id as usize]
            .as_mut()
            .expect("item id refers to a live item")
    }

    /// Removes the item and returns it; its id may be reused.
    pub fn remove(&mut self, id: ItemId) -> MailItem {
        let item = self.slots[id as usize]
            .take()
            .expect("item id refers to a live item");
        self.live -= 1;
        self.free.push(id);
        item
    }

    /// Items currently in custody.
    pub fn live(&self) -> usize {
        self.live
    }

    /// Every item in custody.
    pub fn iter(&self) -> impl Iterator<Item = &MailItem> {
        self.slots.iter().flatten()
    }
}
