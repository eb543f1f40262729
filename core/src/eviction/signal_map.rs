//! A map keyed by [`Signal`]: one optional slot per signal, iterated in the
//! signals' order (their declaration order, which is also their `Ord`), so
//! it visits entries exactly as a `BTreeMap<Signal, T>` would.
//!
//! ```
//! use kubelogic::eviction::{Signal, SignalMap};
//!
//! let mut m = SignalMap::new();
//! m.insert(Signal::PidAvailable, "pids");
//! m.insert(Signal::MemoryAvailable, "memory");
//! assert_eq!(m.get(Signal::PidAvailable), Some(&"pids"));
//! assert_eq!(m.get(Signal::NodeFsAvailable), None);
//! let order: Vec<Signal> = m.iter().map(|(s, _)| s).collect();
//! assert_eq!(order, [Signal::MemoryAvailable, Signal::PidAvailable]);
//! ```

use super::signals::Signal;

/// A value for some signals (at most one per signal).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SignalMap<T>([Option<T>; Signal::COUNT]);

impl<T> SignalMap<T> {
    /// An empty map.
    pub const fn new() -> Self {
        SignalMap([const { None }; Signal::COUNT])
    }

    /// The value of `signal`.
    pub fn get(&self, signal: Signal) -> Option<&T> {
        self.0.get(signal.index()).and_then(Option::as_ref)
    }

    /// Sets the value of `signal`, returning the one it replaces.
    pub fn insert(&mut self, signal: Signal, value: T) -> Option<T> {
        self.0
            .get_mut(signal.index())
            .and_then(|slot| slot.replace(value))
    }

    /// Removes the value of `signal`, returning it.
    pub fn remove(&mut self, signal: Signal) -> Option<T> {
        self.0.get_mut(signal.index()).and_then(Option::take)
    }

    /// Whether no signal has a value.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    /// How many signals have a value.
    pub fn len(&self) -> usize {
        self.0.iter().filter(|v| v.is_some()).count()
    }

    /// The entries, in signal order.
    pub fn iter(&self) -> impl Iterator<Item = (Signal, &T)> + '_ {
        Signal::ALL
            .into_iter()
            .zip(&self.0)
            .filter_map(|(s, v)| v.as_ref().map(|v| (s, v)))
    }
}

impl<T> Default for SignalMap<T> {
    fn default() -> Self {
        SignalMap::new()
    }
}

impl<T> FromIterator<(Signal, T)> for SignalMap<T> {
    /// Later entries for a signal replace earlier ones.
    fn from_iter<I: IntoIterator<Item = (Signal, T)>>(iter: I) -> Self {
        let mut m = SignalMap::new();
        for (s, v) in iter {
            m.insert(s, v);
        }
        m
    }
}
