//! Node pressure conditions as the eviction manager holds them
//! (`nodeConditionsLastObservedAt`, `nodeConditionsObservedSince`), the
//! node status the kubelet writes for them, and the `NoSchedule` taints the
//! node-lifecycle controller derives from them.
//!
//! A condition is in effect while `now − lastObservedAt < transitionPeriod`.
//! Note the strict `<`: with a zero transition period a condition is never
//! reported, even in the step that observes it — exactly as in the kubelet.
//!
//! ```
//! use kubelogic::eviction::{NodeConditions, NodeConditionType, Duration};
//!
//! let mut c = NodeConditions::default();
//! let period = Duration::from_secs(300);
//! c.observe(&[NodeConditionType::MemoryPressure], Duration::from_secs(0), period);
//! assert_eq!(c.in_effect(), vec![NodeConditionType::MemoryPressure]);
//! // Recovered at 60s: still held until 300s after the last observation.
//! c.observe(&[], Duration::from_secs(299), period);
//! assert_eq!(c.in_effect(), vec![NodeConditionType::MemoryPressure]);
//! c.observe(&[], Duration::from_secs(300), period);
//! assert!(c.in_effect().is_empty());
//! ```

use super::duration::Duration;
use super::signals::NodeConditionType;

/// The three pressure conditions: when each was last observed, and whether
/// it is in effect.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeConditions {
    last_observed_at: [Option<Duration>; 3],
    in_effect: [bool; 3],
}

impl NodeConditions {
    /// Records the conditions observed at `now` and recomputes which are in
    /// effect for `period`.
    pub fn observe(&mut self, observed: &[NodeConditionType], now: Duration, period: Duration) {
        for c in observed {
            if let Some(slot) = self.last_observed_at.get_mut(c.index()) {
                *slot = Some(now);
            }
        }
        for (slot, at) in self.in_effect.iter_mut().zip(self.last_observed_at.iter()) {
            *slot = at.is_some_and(|at| now.saturating_sub(at) < period);
        }
    }

    /// The conditions in effect, in `MemoryPressure, DiskPressure, PIDPressure` order.
    pub fn in_effect(&self) -> Vec<NodeConditionType> {
        NodeConditionType::ALL
            .into_iter()
            .filter(|c| self.is(*c))
            .collect()
    }

    /// Whether `c` is in effect.
    pub fn is(&self, c: NodeConditionType) -> bool {
        self.in_effect.get(c.index()).copied().unwrap_or(false)
    }

    /// When `c` was last observed.
    pub fn last_observed_at(&self, c: NodeConditionType) -> Option<Duration> {
        self.last_observed_at.get(c.index()).copied().flatten()
    }
}

/// A node condition as the kubelet's status setter reports it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionReport {
    /// `MemoryPressure`, `DiskPressure` or `PIDPressure`.
    #[serde(rename = "type")]
    pub condition_type: NodeConditionType,
    /// `True` while in effect, else `False`.
    pub status: &'static str,
    /// The kubelet's reason (`KubeletHasInsufficientMemory`, ...).
    pub reason: &'static str,
    /// The kubelet's message.
    pub message: &'static str,
    /// Observed in this step (a threshold for it is met now).
    pub observed_now: bool,
    /// When a threshold for it was last met.
    pub last_observed_at: Option<Duration>,
    /// When it stops being in effect if not observed again
    /// (last observed + transition period).
    pub held_until: Option<Duration>,
}

/// A taint on the node.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Taint {
    /// `node.kubernetes.io/memory-pressure`, ...
    pub key: &'static str,
    /// Always `NoSchedule` for pressure conditions.
    pub effect: &'static str,
}

impl NodeConditionType {
    /// The taint the node-lifecycle controller adds for this condition.
    pub fn taint(self) -> Taint {
        Taint {
            key: self.taint_key(),
            effect: "NoSchedule",
        }
    }
}
