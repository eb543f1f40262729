//! Property tests of `SignalMap` against `BTreeMap<Signal, _>`: after any
//! sequence of inserts and removes both hold the same entries, iterate in
//! the same order, and return the same replaced/removed values; and
//! `Observations`' JSON reads back what it wrote.

use std::collections::BTreeMap;

use kubelogic::eviction::{Observation, Observations, Signal, SignalMap};
use quickcheck::{quickcheck, Arbitrary, Gen};

#[derive(Clone, Debug)]
enum Op {
    Insert(Signal, u8),
    Remove(Signal),
}

fn signal(g: &mut Gen) -> Signal {
    *g.choose(&Signal::ALL).unwrap_or(&Signal::MemoryAvailable)
}

impl Arbitrary for Op {
    fn arbitrary(g: &mut Gen) -> Self {
        if u8::arbitrary(g) % 3 == 0 {
            Op::Remove(signal(g))
        } else {
            Op::Insert(signal(g), u8::arbitrary(g))
        }
    }
}

quickcheck! {
    fn behaves_as_a_btree_map(ops: Vec<Op>) -> bool {
        let mut map = SignalMap::new();
        let mut model = BTreeMap::new();
        for op in ops {
            let same = match op {
                Op::Insert(s, v) => map.insert(s, v) == model.insert(s, v),
                Op::Remove(s) => map.remove(s) == model.remove(&s),
            };
            if !same {
                return false;
            }
        }
        map.iter().map(|(s, v)| (s, *v)).eq(model.iter().map(|(s, v)| (*s, *v)))
            && map.len() == model.len()
            && map.is_empty() == model.is_empty()
            && Signal::ALL.into_iter().all(|s| map.get(s) == model.get(&s))
            && map == model.into_iter().collect::<SignalMap<u8>>()
    }

    fn observations_json_round_trips(entries: Vec<(u8, i64, Option<i64>)>) -> bool {
        let obs: Observations = entries
            .into_iter()
            .map(|(i, available, capacity)| {
                let s = Signal::ALL
                    .get(usize::from(i) % Signal::COUNT)
                    .copied()
                    .unwrap_or(Signal::MemoryAvailable);
                (s, Observation { available, capacity })
            })
            .collect();
        let json = serde_json::to_string(&obs).unwrap_or_default();
        serde_json::from_str::<Observations>(&json).ok() == Some(obs)
    }
}

#[test]
fn signal_order_is_declaration_order() {
    let mut sorted = Signal::ALL;
    sorted.sort_unstable();
    assert_eq!(sorted, Signal::ALL);
    for (i, s) in Signal::ALL.into_iter().enumerate() {
        assert_eq!(s.index(), i);
    }
}

#[test]
fn observations_json_keeps_the_last_of_a_repeated_signal() {
    let obs: Observations = serde_json::from_str(
        r#"{"pid.available": {"available": 1}, "pid.available": {"available": 2}}"#,
    )
    .unwrap();
    assert_eq!(obs.get(Signal::PidAvailable).map(|o| o.available), Some(2));
    let err = serde_json::from_str::<Observations>("[1]").unwrap_err();
    assert!(err.to_string().contains("expected a map"), "{err}");
}
