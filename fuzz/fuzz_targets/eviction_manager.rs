//! Drives the eviction manager with arbitrary configurations, pods and
//! observation sequences: never panics; at most one pod per step (apart
//! from local storage limits); never a critical pod; no eviction without a
//! threshold past its grace period; the victim is the first non-critical
//! pod of the ranking; results serialize.
#![no_main]

use arbitrary::Arbitrary;
use kubelogic::eviction::{
    ContainerStats, Duration, EvictionConfig, EvictionContainer, EvictionManager, EvictionPod,
    EvictionVolume, FilesystemLayout, FsUsage, ManagerOptions, Observation,
    Observations, Outcome, PodStats, Signal, Threshold, ThresholdValue, VolumeStats,
};
use kubelogic::{FeatureGates, Format, Quantity};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct In {
    thresholds: Vec<(u8, bool, i64, u16, Option<i64>)>,
    transition: u16,
    max_grace: i8,
    lsci: bool,
    dedicated: bool,
    split: bool,
    completes: bool,
    pods: Vec<P>,
    steps: Vec<(u16, Vec<(u8, i64, Option<i64>)>, bool)>,
}

#[derive(Debug, Arbitrary)]
struct P {
    priority: i32,
    critical: bool,
    tgps: Option<i64>,
    mem_req: Option<i64>,
    eph_req: Option<i64>,
    eph_limit: Option<i64>,
    size_limit: Option<i64>,
    ws: Option<u64>,
    rootfs: Option<u64>,
    logs: Option<u64>,
    vol: Option<u64>,
    procs: Option<u64>,
    stats: bool,
}

fn q(v: i64) -> Quantity {
    Quantity::from_value(v, Format::BinarySI)
}

fn value(raw: i64, pct: bool) -> ThresholdValue {
    if pct {
        ThresholdValue::Percentage(kubelogic::eviction::Percentage::from_fraction(
            (raw % 1000) as f32 / 1000.0,
        ))
    } else {
        ThresholdValue::Quantity(q(raw.unsigned_abs().max(1).min(i64::MAX as u64) as i64))
    }
}

fuzz_target!(|input: In| {
    let thresholds: Vec<Threshold> = input
        .thresholds
        .iter()
        .take(12)
        .map(|&(s, pct, v, grace, min)| Threshold {
            signal: Signal::ALL[usize::from(s) % Signal::ALL.len()],
            operator: Default::default(),
            value: value(v, pct),
            grace_period: Duration::from_secs(i64::from(grace % 600)),
            min_reclaim: min.map(|m| value(m, pct)),
        })
        .collect();
    let config = EvictionConfig {
        thresholds,
        max_pod_grace_period_seconds: i64::from(input.max_grace),
        pressure_transition_period: Duration::from_secs(i64::from(input.transition % 900)),
        local_storage_capacity_isolation: input.lsci,
    };
    let options = ManagerOptions {
        layout: FilesystemLayout {
            dedicated_image_fs: input.dedicated,
            separate_container_fs: input.split,
        },
        feature_gates: FeatureGates::default(),
        pod_termination_completes: input.completes,
    };
    let Ok(mut manager) = EvictionManager::new(config, options) else {
        return;
    };
    let pods: Vec<EvictionPod> = input
        .pods
        .iter()
        .take(32)
        .enumerate()
        .map(|(i, p)| {
            let mut e = EvictionPod::new("ns", &format!("p{i}"));
            e.priority = p.priority;
            e.critical = p.critical;
            e.termination_grace_period_seconds = p.tgps;
            e.memory_request = q(p.mem_req.unwrap_or(0)).into();
            e.ephemeral_storage_request = q(p.eph_req.unwrap_or(0)).into();
            e.ephemeral_storage_limit = p.eph_limit.map(q);
            e.containers.push(EvictionContainer {
                name: "c".into(),
                init: false,
                memory_request: p.mem_req.map(q),
                ephemeral_storage_request: p.eph_req.map(q),
                ephemeral_storage_limit: p.eph_limit.map(q),
            });
            e.volumes.push(EvictionVolume {
                name: "v".into(),
                local: true,
                empty_dir_size_limit: p.size_limit.map(q),
                empty_dir: true,
            });
            if p.stats {
                e.stats = Some(PodStats {
                    memory_working_set: p.ws,
                    ephemeral_storage_used: p.rootfs,
                    process_count: p.procs,
                    containers: vec![ContainerStats {
                        name: "c".into(),
                        memory_working_set: p.ws,
                        rootfs: Some(FsUsage {
                            used_bytes: p.rootfs,
                            inodes_used: p.rootfs,
                        }),
                        logs: Some(FsUsage {
                            used_bytes: p.logs,
                            inodes_used: p.logs,
                        }),
                    }],
                    volumes: vec![VolumeStats {
                        name: "v".into(),
                        usage: FsUsage {
                            used_bytes: p.vol,
                            inodes_used: p.vol,
                        },
                    }],
                });
            }
            e
        })
        .collect();
    let mut now = Duration::ZERO;
    for (delta, obs, reclaim_frees_all) in input.steps.iter().take(64) {
        now = now.saturating_add(Duration::from_secs(i64::from(*delta)));
        let observations: Observations = obs
            .iter()
            .map(|&(s, a, c)| {
                (
                    Signal::ALL[usize::from(s) % Signal::ALL.len()],
                    Observation {
                        available: a,
                        capacity: c,
                    },
                )
            })
            .collect();
        let after: Observations = Observations::default();
        let mut step = kubelogic::eviction::StepInput::new(now, &observations, &pods);
        if *reclaim_frees_all {
            step.observations_after_reclaim = Some(&after);
        }
        let r = manager.step(&step);
        if r.outcome != Outcome::LocalStorageEviction {
            assert!(r.evictions.len() <= 1);
            if !r.evictions.is_empty() {
                assert!(!r.thresholds_past_grace_period().is_empty());
                let ranking = r.ranking.as_ref().expect("ranked");
                let first = ranking
                    .pods
                    .iter()
                    .find(|rp| !pods[rp.index].critical)
                    .expect("a victim");
                assert_eq!(Some(&first.pod), r.victim().map(|v| &v.pod));
            }
        }
        for e in &r.evictions {
            let pod = pods.iter().find(|p| p.key == e.pod).expect("known pod");
            assert!(!pod.critical);
            if let kubelogic::eviction::EvictionCause::Threshold { signal, hard } = e.cause {
                assert!(e.message.starts_with("The node was low on resource: "));
                assert_eq!(
                    e.grace_period_seconds == 1,
                    hard || e.grace_period_seconds == 1
                );
                assert_eq!(r.reclaim.as_ref().map(|x| x.signal), Some(signal));
            } else {
                assert_eq!(e.grace_period_seconds, 1);
            }
        }
        let _ = serde_json::to_string(&r).expect("serializes");
        for p in &pods {
            let _ = manager.admit(p);
        }
    }
});
