//! Preemption's shared machinery, as upstream's `framework/preemption`
//! package and `scheduler/util`: candidates and their victims, the
//! importance order of pods ([`more_important_pod`]), pod start times, and
//! [`pick_one_node_for_preemption`]. The DefaultPreemption plugin
//! ([`crate::scheduler::plugins::defaultpreemption`]) drives them.

use std::cmp::Ordering;
use std::sync::Arc;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::framework::Status;
use super::snapshot::PodInfo;
use crate::model::Pod;

/// A point in time from an RFC 3339 timestamp, or "now" when the pod has no
/// (readable) start time (`util.GetPodStartTime` uses `time.Now()` then).
/// "Now" is later than every timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StartTime {
    /// Seconds and nanoseconds since the Unix epoch.
    At(i64, u32),
    /// No start time: the time of the decision, later than any recorded one.
    Now,
}

/// `util.GetPodStartTime`: `status.startTime`, or [`StartTime::Now`].
pub fn pod_start_time(pod: &Pod) -> StartTime {
    pod.status
        .start_time
        .as_deref()
        .and_then(parse_rfc3339)
        .map_or(StartTime::Now, |(s, n)| StartTime::At(s, n))
}

/// Parses an RFC 3339 timestamp (`2024-01-01T00:00:00Z`,
/// `2024-01-01T00:00:00.5+02:00`) into seconds and nanoseconds since the
/// Unix epoch; `None` when malformed.
///
/// ```
/// use kubelogic::scheduler::preemption::parse_rfc3339;
/// assert_eq!(parse_rfc3339("1970-01-01T00:00:03Z"), Some((3, 0)));
/// assert_eq!(parse_rfc3339("2024-01-01T01:00:00.25+01:00"), Some((1704067200, 250_000_000)));
/// assert_eq!(parse_rfc3339("yesterday"), None);
/// ```
pub fn parse_rfc3339(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0i64, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
        })
    };
    let sep = |i: usize, c: u8| b.get(i).is_some_and(|x| *x == c);
    let year = num(0, 4)?;
    let month = num(5, 2)?;
    let day = num(8, 2)?;
    let hour = num(11, 2)?;
    let minute = num(14, 2)?;
    let second = num(17, 2)?;
    let date_time_sep = b.get(10).is_some_and(|c| matches!(c, b'T' | b't' | b' '));
    if !(sep(4, b'-') && sep(7, b'-') && date_time_sep && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut nanos: u32 = 0;
    if sep(i, b'.') {
        i += 1;
        let start = i;
        let mut scale = 100_000_000u32;
        while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit()) {
            nanos += u32::from(d - b'0') * scale;
            scale /= 10;
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && sep(i + 3, b':') => {
            let h = num(i + 1, 2)?;
            let m = num(i + 4, 2)?;
            let off = h * 3600 + m * 60;
            if *sign == b'+' {
                off
            } else {
                -off
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some((
        days * 86_400 + hour * 3600 + minute * 60 + second - offset,
        nanos,
    ))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `util.MoreImportantPod`: higher priority first; equal priorities, the
/// pod that started earlier.
pub fn more_important_pod(a: &Pod, b: &Pod) -> bool {
    importance_order(a, b) == Ordering::Less
}

/// The importance order as an [`Ordering`] (`Less`: `a` is more important),
/// for stable sorting.
pub fn importance_order(a: &Pod, b: &Pod) -> Ordering {
    b.priority()
        .cmp(&a.priority())
        .then_with(|| pod_start_time(a).cmp(&pod_start_time(b)))
}

/// A node where the preemptor fits once the victims are gone (`Candidate`
/// with its `extenderv1.Victims`). Serializes as
/// `{"node", "victims": ["ns/name", ...], "numPDBViolations"}`.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The node.
    pub node: String,
    /// The pods to evict, most important first.
    pub victims: Vec<Arc<PodInfo>>,
    /// How many victims violate a PodDisruptionBudget.
    pub num_pdb_violations: i64,
}

impl Candidate {
    /// The victims as `namespace/name`.
    pub fn victim_keys(&self) -> Vec<String> {
        self.victims.iter().map(|p| p.pod.key()).collect()
    }
}

impl Serialize for Candidate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Candidate", 3)?;
        s.serialize_field("node", &self.node)?;
        s.serialize_field("victims", &self.victim_keys())?;
        s.serialize_field("numPDBViolations", &self.num_pdb_violations)?;
        s.end()
    }
}

/// `util.GetEarliestPodStartTime`: the earliest start time among the
/// highest-priority victims (`None` without victims).
pub fn earliest_pod_start_time(victims: &[Arc<PodInfo>]) -> Option<StartTime> {
    let first = victims.first()?;
    let mut max_priority = first.pod.priority();
    let mut earliest = pod_start_time(&first.pod);
    for v in victims {
        let p = v.pod.priority();
        if p == max_priority {
            earliest = earliest.min(pod_start_time(&v.pod));
        } else if p > max_priority {
            max_priority = p;
            earliest = pod_start_time(&v.pod);
        }
    }
    Some(earliest)
}

/// `pickOneNodeForPreemption`: the index of the chosen candidate, by
/// successive criteria, each keeping only the best: fewest PDB violations;
/// lowest priority of the most important victim; smallest sum of victim
/// priorities (each shifted by 2³¹); fewest victims; latest earliest start
/// time among the highest-priority victims. A remaining tie goes to the
/// first candidate in order (upstream: the first in Go map order, i.e. random).
pub fn pick_one_node_for_preemption(candidates: &[Candidate]) -> Option<usize> {
    type ScoreFn = fn(&Candidate) -> i128;
    let score_funcs: [ScoreFn; 5] = [
        |c| -i128::from(c.num_pdb_violations),
        |c| {
            -c.victims
                .first()
                .map_or(0, |v| i128::from(v.pod.priority()))
        },
        |c| {
            -c.victims
                .iter()
                .map(|v| i128::from(v.pod.priority()) + (1i128 << 31))
                .sum::<i128>()
        },
        |c| -(c.victims.len() as i128),
        |c| match earliest_pod_start_time(&c.victims) {
            Some(StartTime::At(s, n)) => i128::from(s) * 1_000_000_000 + i128::from(n),
            Some(StartTime::Now) => i128::MAX,
            None => i128::MIN,
        },
    ];
    let mut remaining: Vec<usize> = (0..candidates.len()).collect();
    if remaining.is_empty() {
        return None;
    }
    for f in score_funcs {
        let scores: Vec<(usize, i128)> = remaining
            .iter()
            .filter_map(|&i| candidates.get(i).map(|c| (i, f(c))))
            .collect();
        let max = scores.iter().map(|(_, s)| *s).max().unwrap_or(i128::MIN);
        remaining = scores
            .into_iter()
            .filter(|(_, s)| *s == max)
            .map(|(i, _)| i)
            .collect();
        if remaining.len() == 1 {
            break;
        }
    }
    remaining.first().copied()
}

/// What the PostFilter (preemption) produced in one cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreemptionResult {
    /// Whether the pod may preempt at all (`PodEligibleToPreemptOthers`).
    pub eligible: bool,
    /// The PostFilterResult's nominated node: `None` leaves the pod's
    /// nomination unchanged (not eligible, or an error); `Some("")` clears
    /// it (no candidate); otherwise the node the pod is nominated to.
    pub nominated_node: Option<String>,
    /// The pods evicted on the nominated node (`namespace/name`), most important first.
    pub victims: Vec<String>,
    /// Every candidate of the dry run, non-PDB-violating ones first.
    pub candidates: Vec<Candidate>,
    /// The PostFilter status; its message carries the `preemption: ` prefix.
    pub status: Status,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
            && self.num_pdb_violations == other.num_pdb_violations
            && self.victim_keys() == other.victim_keys()
    }
}

impl Eq for Candidate {}

impl PreemptionResult {
    /// The PostFilter message (`preemption: ...`, empty on success).
    pub fn message(&self) -> String {
        self.status.message()
    }
}
