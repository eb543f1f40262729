//! Property tests of `SortedMap` against `BTreeMap` as the model: after any
//! sequence of inserts, removes, lookups and retains both hold the same
//! entries, iterate in the same order, and print, compare and serialize
//! alike; collecting keeps the last value of a repeated key; maps read from
//! JSON equal the `BTreeMap` serde reads. `SortedSet` likewise against
//! `BTreeSet`.

use std::collections::{BTreeMap, BTreeSet};

use kubelogic::model::{from_json_str, Labels, Pod, ResourceList};
use kubelogic::{Quantity, SortedMap, SortedSet};
use quickcheck::{quickcheck, Arbitrary, Gen, TestResult};

/// Few keys, so that operations often hit present ones.
const KEYS: &[&str] = &[
    "cpu",
    "memory",
    "ephemeral-storage",
    "hugepages-2Mi",
    "example.com/gpu",
    "",
    "a",
    "é",
];

fn key(g: &mut Gen) -> String {
    (*g.choose(KEYS).unwrap_or(&"cpu")).to_owned()
}

#[derive(Clone, Debug)]
enum Op {
    Insert(String, i32),
    Remove(String),
    Get(String),
    GetMut(String, i32),
    Retain(i32),
    Extend(Vec<(String, i32)>),
}

impl Arbitrary for Op {
    fn arbitrary(g: &mut Gen) -> Self {
        match u8::arbitrary(g) % 8 {
            0..=2 => Op::Insert(key(g), i32::arbitrary(g)),
            3 => Op::Remove(key(g)),
            4 => Op::Get(key(g)),
            5 => Op::GetMut(key(g), i32::arbitrary(g)),
            6 => Op::Retain(i32::arbitrary(g)),
            _ => {
                let n = usize::arbitrary(g) % 4;
                Op::Extend((0..n).map(|_| (key(g), i32::arbitrary(g))).collect())
            }
        }
    }
}

fn same(s: &SortedMap<String, i32>, m: &BTreeMap<String, i32>) -> bool {
    s.iter().eq(m.iter())
        && s.keys().eq(m.keys())
        && s.values().eq(m.values())
        && s.iter().rev().eq(m.iter().rev())
        && s.len() == m.len()
        && s.is_empty() == m.is_empty()
        && KEYS
            .iter()
            .all(|k| s.get(*k) == m.get(*k) && s.contains_key(*k) == m.contains_key(*k))
        && format!("{s:?}") == format!("{m:?}")
        && serde_json::to_string(s).ok() == serde_json::to_string(m).ok()
}

quickcheck! {
    fn behaves_as_a_btree_map(ops: Vec<Op>) -> bool {
        let mut s = SortedMap::new();
        let mut m = BTreeMap::new();
        for op in ops {
            let agree = match op {
                Op::Insert(k, v) => s.insert(k.clone(), v) == m.insert(k, v),
                Op::Remove(k) => s.remove(&k) == m.remove(&k),
                Op::Get(k) => s.get(&k) == m.get(&k) && s.get_key_value(&k) == m.get_key_value(&k),
                Op::GetMut(k, v) => {
                    let (a, b) = (s.get_mut(&k), m.get_mut(&k));
                    let agree = a.is_some() == b.is_some();
                    a.into_iter().chain(b).for_each(|x| *x = v);
                    agree
                }
                Op::Retain(t) => {
                    s.retain(|_, v| *v < t);
                    m.retain(|_, v| *v < t);
                    true
                }
                Op::Extend(entries) => {
                    s.extend(entries.clone());
                    m.extend(entries);
                    true
                }
            };
            if !agree || !same(&s, &m) {
                return false;
            }
        }
        let owned: Vec<(String, i32)> = s.clone().into_iter().collect();
        let text = serde_json::to_string(&m).unwrap_or_default();
        serde_json::from_str::<SortedMap<String, i32>>(&text).ok().as_ref() == Some(&s)
            && s == m.clone().into_iter().collect::<SortedMap<_, _>>()
            && owned.into_iter().eq(m.into_iter())
    }

    fn collecting_keeps_the_last_value_of_a_key(entries: Vec<(u8, i32)>) -> bool {
        let entries: Vec<(String, i32)> = entries
            .into_iter()
            .map(|(k, v)| (KEYS[usize::from(k) % KEYS.len()].to_owned(), v))
            .collect();
        let s: SortedMap<String, i32> = entries.iter().cloned().collect();
        let m: BTreeMap<String, i32> = entries.into_iter().collect();
        same(&s, &m)
    }

    fn ordering_follows_the_entries(a: Vec<(u8, i32)>, b: Vec<(u8, i32)>) -> bool {
        let (sa, sb): (SortedMap<u8, i32>, SortedMap<u8, i32>) =
            (a.iter().copied().collect(), b.iter().copied().collect());
        let (ma, mb): (BTreeMap<u8, i32>, BTreeMap<u8, i32>) =
            (a.into_iter().collect(), b.into_iter().collect());
        sa.cmp(&sb) == ma.cmp(&mb) && (sa == sb) == (ma == mb)
    }

    fn labels_read_from_json_as_serde_reads_them(entries: Vec<(u8, String)>) -> TestResult {
        let labels: BTreeMap<String, String> = entries
            .into_iter()
            .map(|(k, v)| (KEYS[usize::from(k) % KEYS.len()].to_owned(), v))
            .collect();
        let text = serde_json::json!({"metadata": {"labels": labels}}).to_string();
        let Ok(pod) = from_json_str::<Pod>(&text) else {
            return TestResult::failed();
        };
        let got: &Labels = &pod.metadata.labels;
        TestResult::from_bool(
            got.iter().eq(labels.iter())
                && serde_json::to_value(got).ok() == serde_json::to_value(&labels).ok(),
        )
    }
}

#[test]
fn a_repeated_json_key_keeps_its_last_value() {
    let pod: Pod = from_json_str(
        r#"{"spec": {"containers": [{"name": "a",
            "resources": {"requests": {"cpu": "1", "memory": "1Gi", "cpu": "250m"}}}]}}"#,
    )
    .unwrap();
    let requests: &ResourceList = &pod.spec.containers[0].resources.requests;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests["cpu"].to_string(), "250m");
    assert_eq!(
        serde_json::to_string(requests).unwrap(),
        r#"{"cpu":"250m","memory":"1Gi"}"#
    );
}

#[test]
fn serde_reads_a_repeated_key_as_btree_map() {
    let text = r#"{"b": 1, "a": 2, "b": 3}"#;
    let s: SortedMap<String, i32> = serde_json::from_str(text).unwrap();
    let m: BTreeMap<String, i32> = serde_json::from_str(text).unwrap();
    assert!(s.iter().eq(m.iter()));
    assert_eq!(format!("{s:?}"), r#"{"a": 2, "b": 3}"#);
    assert!(serde_json::from_str::<SortedMap<String, i32>>("[1]").is_err());
}

#[test]
fn map_errors_name_the_key() {
    let err = from_json_str::<Pod>(
        r#"{"spec": {"containers": [{"name": "a", "resources": {"limits": {"memory": "1Q"}}}]}}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("spec.containers[0].resources.limits.memory"),
        "{err}"
    );
    let err = from_json_str::<Pod>(r#"{"metadata": {"labels": {"app": 1}}}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("metadata.labels.app"), "{err}");
}

#[test]
fn from_an_array_as_btree_map() {
    let q = |s: &str| s.parse::<Quantity>().unwrap();
    let s = ResourceList::from([
        ("memory".to_owned(), q("1Gi")),
        ("cpu".to_owned(), q("1")),
        ("cpu".to_owned(), q("2")),
    ]);
    let m = BTreeMap::from([
        ("memory".to_owned(), q("1Gi")),
        ("cpu".to_owned(), q("1")),
        ("cpu".to_owned(), q("2")),
    ]);
    assert_eq!(format!("{s:?}"), format!("{m:?}"));
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        serde_json::to_string(&m).unwrap()
    );
}

#[test]
#[should_panic(expected = "no entry found for key")]
fn indexing_a_missing_key_panics_as_btree_map() {
    let _ = &SortedMap::<String, i32>::new()["cpu"];
}

#[derive(Clone, Debug)]
enum SetOp {
    Insert(String),
    Remove(String),
    Retain(u8),
}

impl Arbitrary for SetOp {
    fn arbitrary(g: &mut Gen) -> Self {
        match u8::arbitrary(g) % 4 {
            0 | 1 => SetOp::Insert(key(g)),
            2 => SetOp::Remove(key(g)),
            _ => SetOp::Retain(u8::arbitrary(g)),
        }
    }
}

quickcheck! {
    fn set_behaves_as_a_btree_set(ops: Vec<SetOp>) -> bool {
        let mut s = SortedSet::new();
        let mut m = BTreeSet::new();
        for op in ops {
            let agree = match op {
                SetOp::Insert(k) => s.insert(k.clone()) == m.insert(k),
                SetOp::Remove(k) => s.remove(&k) == m.remove(&k),
                SetOp::Retain(t) => {
                    s.retain(|k| k.len() % 3 != usize::from(t % 3));
                    m.retain(|k| k.len() % 3 != usize::from(t % 3));
                    true
                }
            };
            let same = s.iter().eq(m.iter())
                && s.iter().rev().eq(m.iter().rev())
                && s.len() == m.len()
                && s.is_empty() == m.is_empty()
                && KEYS.iter().all(|k| s.contains(*k) == m.contains(*k))
                && format!("{s:?}") == format!("{m:?}")
                && serde_json::to_string(&s).ok() == serde_json::to_string(&m).ok();
            if !agree || !same {
                return false;
            }
        }
        let text = serde_json::to_string(&m).unwrap_or_default();
        serde_json::from_str::<SortedSet<String>>(&text).ok().as_ref() == Some(&s)
            && s == m.iter().cloned().collect::<SortedSet<_>>()
            && s.clone().into_iter().eq(m.into_iter())
    }

    fn set_collects_and_orders_as_a_btree_set(a: Vec<u8>, b: Vec<u8>) -> bool {
        let (sa, sb): (SortedSet<u8>, SortedSet<u8>) =
            (a.iter().copied().collect(), b.iter().copied().collect());
        let (ma, mb): (BTreeSet<u8>, BTreeSet<u8>) =
            (a.into_iter().collect(), b.into_iter().collect());
        sa.iter().eq(ma.iter()) && sa.cmp(&sb) == ma.cmp(&mb) && (sa == sb) == (ma == mb)
    }
}

#[test]
fn set_reads_a_repeated_value_once() {
    let s: SortedSet<String> = serde_json::from_str(r#"["b", "a", "b"]"#).unwrap();
    assert_eq!(format!("{s:?}"), r#"{"a", "b"}"#);
    assert_eq!(s, SortedSet::from(["a".to_owned(), "b".to_owned()]));
}

quickcheck! {
    /// Maps longer than a handful of entries (bisected rather than scanned).
    fn long_maps_behave_as_a_btree_map(inserts: Vec<(u8, u16)>, probes: Vec<u8>) -> bool {
        let mut s = SortedMap::new();
        let mut m = BTreeMap::new();
        for (k, v) in inserts {
            if s.insert(k, v) != m.insert(k, v) {
                return false;
            }
        }
        let found = probes
            .iter()
            .all(|k| s.get(k) == m.get(k) && s.contains_key(k) == m.contains_key(k));
        let removed = probes.iter().all(|k| s.remove(k) == m.remove(k));
        found && removed && s.iter().eq(m.iter())
    }
}
