//! Properties of the eviction manager over arbitrary configurations, pods
//! and observation sequences:
//! - a step never evicts when no threshold is past its grace period;
//! - the victim is always the first non-critical pod of the ranked order;
//! - a pressure condition never clears before the transition period has
//!   passed since it was last observed;
//! - the ranking is a permutation and ties are consecutive equal keys.

use kubelogic::eviction::{
    compare, Duration, EvictionConfig, EvictionManager, EvictionPod, KubeletEvictionSettings,
    ManagerOptions, NodeConditionType, Observation, Observations, PodStats, RankComparator, Signal,
    StepInput,
};
use kubelogic::{Format, Quantity, SortedMap};
use quickcheck::{quickcheck, Arbitrary, Gen};
use std::cmp::Ordering;

const MI: i64 = 1 << 20;

#[derive(Clone, Debug)]
struct Scenario {
    hard_mi: Option<u16>,
    soft: Option<(u16, u16)>,
    pid_hard: Option<u16>,
    min_reclaim_mi: Option<u8>,
    transition_secs: u16,
    max_grace: u8,
    pods: Vec<(u16, Option<u16>, i8, bool, u8)>,
    steps: Vec<(u8, u16, u16)>,
}

impl Arbitrary for Scenario {
    fn arbitrary(g: &mut Gen) -> Self {
        let pods = (0..usize::arbitrary(g) % 8)
            .map(|_| {
                (
                    u16::arbitrary(g) % 2048,
                    Option::<u16>::arbitrary(g).map(|r| r % 2048),
                    i8::arbitrary(g) % 3,
                    u8::arbitrary(g) % 5 == 0,
                    u8::arbitrary(g),
                )
            })
            .collect();
        let steps = (1..2 + usize::arbitrary(g) % 20)
            .map(|_| {
                (
                    u8::arbitrary(g) % 120,
                    u16::arbitrary(g) % 3000,
                    u16::arbitrary(g) % 2000,
                )
            })
            .collect();
        Scenario {
            hard_mi: Option::<u16>::arbitrary(g).map(|v| 1 + v % 1024),
            soft: Option::<(u16, u16)>::arbitrary(g).map(|(v, s)| (1 + v % 2048, 1 + s % 300)),
            pid_hard: Option::<u16>::arbitrary(g).map(|v| 1 + v % 1000),
            min_reclaim_mi: Option::<u8>::arbitrary(g),
            transition_secs: u16::arbitrary(g) % 600,
            max_grace: u8::arbitrary(g),
            pods,
            steps,
        }
    }
}

fn build(s: &Scenario) -> Option<(EvictionManager, Vec<EvictionPod>)> {
    let mut hard = SortedMap::new();
    let mut soft = SortedMap::new();
    let mut grace = SortedMap::new();
    let mut reclaim = SortedMap::new();
    if let Some(h) = s.hard_mi {
        hard.insert("memory.available".to_owned(), format!("{h}Mi"));
    }
    if let Some(p) = s.pid_hard {
        hard.insert("pid.available".to_owned(), p.to_string());
    }
    if let Some((v, g)) = s.soft {
        soft.insert("memory.available".to_owned(), format!("{v}Mi"));
        grace.insert("memory.available".to_owned(), format!("{g}s"));
    }
    if let Some(r) = s.min_reclaim_mi {
        reclaim.insert("memory.available".to_owned(), format!("{r}Mi"));
    }
    let settings = KubeletEvictionSettings {
        eviction_hard: Some(hard),
        eviction_soft: Some(soft),
        eviction_soft_grace_period: Some(grace),
        eviction_minimum_reclaim: Some(reclaim),
        eviction_max_pod_grace_period: Some(i32::from(s.max_grace)),
        eviction_pressure_transition_period: Some(format!("{}s", s.transition_secs)),
        ..Default::default()
    };
    let config = EvictionConfig::from_settings(&settings).ok()?;
    let manager = EvictionManager::new(config, ManagerOptions::default()).ok()?;
    let pods = s
        .pods
        .iter()
        .enumerate()
        .map(|(i, &(usage, request, priority, critical, procs))| {
            let mut p = EvictionPod::new("default", &format!("p{i}"));
            p.priority = i32::from(priority);
            p.critical = critical;
            if let Some(r) = request {
                p.memory_request = Quantity::from_value(i64::from(r) * MI, Format::BinarySI).into();
            }
            p.stats = Some(PodStats {
                memory_working_set: Some(u64::from(usage) * (1 << 20)),
                process_count: Some(u64::from(procs)),
                ..Default::default()
            });
            p
        })
        .collect();
    Some((manager, pods))
}

fn observations(mem_mi: u16, pids: u16) -> Observations {
    [
        (
            Signal::MemoryAvailable,
            Observation {
                available: i64::from(mem_mi) * MI,
                capacity: Some(4096 * MI),
            },
        ),
        (
            Signal::PidAvailable,
            Observation {
                available: i64::from(pids),
                capacity: Some(2000),
            },
        ),
    ]
    .into_iter()
    .collect()
}

fn run(s: Scenario) -> bool {
    let s = &s;
    let Some((mut manager, pods)) = build(s) else {
        return true;
    };
    let period = Duration::from_secs(i64::from(s.transition_secs));
    let mut now = Duration::ZERO;
    let mut last_observed: [Option<Duration>; 3] = [None; 3];
    for &(delta, mem, pids) in &s.steps {
        now = now.saturating_add(Duration::from_secs(i64::from(delta)));
        let obs = observations(mem, pids);
        let r = manager.step(&StepInput::new(now, &obs, &pods));

        // Never evicts without a threshold past its grace period.
        if r.thresholds_past_grace_period().is_empty() && !r.evictions.is_empty() {
            return false;
        }
        // At most one eviction per step.
        if r.evictions.len() > 1 {
            return false;
        }
        // The victim is the first non-critical pod of the ranking.
        if let Some(v) = r.victim() {
            let Some(ranking) = &r.ranking else {
                return false;
            };
            let first = ranking
                .pods
                .iter()
                .find(|rp| pods.get(rp.index).is_some_and(|p| !p.critical));
            if first.map(|f| &f.pod) != Some(&v.pod) {
                return false;
            }
            if pods.iter().all(|p| !p.critical)
                && ranking.pods.first().map(|f| &f.pod) != Some(&v.pod)
            {
                return false;
            }
        }
        // The ranking is a permutation, sorted, with ties of equal keys.
        if let Some(ranking) = &r.ranking {
            let mut seen: Vec<usize> = ranking.pods.iter().map(|p| p.index).collect();
            seen.sort_unstable();
            if seen != (0..pods.len()).collect::<Vec<_>>() {
                return false;
            }
            for w in ranking.pods.windows(2) {
                let ord = ranking
                    .comparators
                    .iter()
                    .map(|c: &RankComparator| compare(*c, &w[0].keys, &w[1].keys))
                    .find(|o| *o != Ordering::Equal)
                    .unwrap_or(Ordering::Equal);
                if ord == Ordering::Greater {
                    return false;
                }
            }
            for group in &ranking.ties {
                if group.len() < 2 {
                    return false;
                }
            }
        }
        // Conditions are held for the transition period.
        for c in &r.conditions {
            let i = c.condition_type as usize;
            if c.observed_now {
                last_observed[i] = Some(now);
            }
            if let Some(at) = last_observed[i] {
                let within = now.saturating_sub(at) < period;
                if within && c.status != "True" {
                    return false;
                }
                if !within && c.status == "True" {
                    return false;
                }
            } else if c.status == "True" {
                return false;
            }
        }
        let in_effect = r.conditions_in_effect();
        if in_effect.contains(&NodeConditionType::DiskPressure) {
            return false;
        }
    }
    true
}

#[test]
fn manager_invariants() {
    quickcheck(run as fn(Scenario) -> bool);
}

#[test]
fn duration_round_trips() {
    fn prop(ns: i64) -> bool {
        let d = Duration::from_nanos(ns);
        Duration::parse(&d.to_string()) == Ok(d)
    }
    quickcheck(prop as fn(i64) -> bool);
}

#[test]
fn flag_text_never_panics_and_errors_name_a_token() {
    fn prop(parts: Vec<String>) -> bool {
        let args: Vec<String> = parts
            .into_iter()
            .map(|p| format!("--eviction-hard={p}"))
            .collect();
        match EvictionConfig::from_flags(&args) {
            Ok(c) => c.thresholds.iter().all(|t| t.is_hard()),
            Err(e) => !e.to_string().is_empty(),
        }
    }
    quickcheck(prop as fn(Vec<String>) -> bool);
}

/// The generator reaches the interesting states (so the properties above
/// are not vacuous): evictions, soft thresholds pending, held conditions.
#[test]
fn generator_exercises_evictions() {
    let mut g = Gen::new(64);
    let (mut evictions, mut pending, mut held) = (0, 0, 0);
    for _ in 0..300 {
        let s = Scenario::arbitrary(&mut g);
        let Some((mut manager, pods)) = build(&s) else {
            continue;
        };
        let mut now = Duration::ZERO;
        for &(delta, mem, pids) in &s.steps {
            now = now.saturating_add(Duration::from_secs(i64::from(delta)));
            let obs = observations(mem, pids);
            let r = manager.step(&StepInput::new(now, &obs, &pods));
            evictions += r.evictions.len();
            pending += r.pending_soft_thresholds().count();
            held += r
                .conditions
                .iter()
                .filter(|c| c.status == "True" && !c.observed_now)
                .count();
        }
    }
    assert!(evictions > 20, "{evictions}");
    assert!(pending > 20, "{pending}");
    assert!(held > 20, "{held}");
}
