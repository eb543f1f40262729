//! Property tests of `ScalarResources` (a `SortedMap<String, i64>`) against
//! `BTreeMap<String, i64>`: after any sequence of inserts and saturating
//! adds/subtracts through `get_or_insert_default` (as `entry().or_default()`)
//! both hold the same amounts, iterate in the same order, and print and
//! serialize alike.

use std::collections::BTreeMap;

use kubelogic::resources::ScalarResources;
use quickcheck::{quickcheck, Arbitrary, Gen};

const NAMES: &[&str] = &[
    "example.com/gpu",
    "example.com/fpga",
    "hugepages-2Mi",
    "hugepages-1Gi",
    "attachable-volumes-csi-x",
    "nvidia.com/gpu",
];

#[derive(Clone, Debug)]
enum Op {
    Insert(&'static str, i64),
    Add(&'static str, i64),
    Sub(&'static str, i64),
}

impl Arbitrary for Op {
    fn arbitrary(g: &mut Gen) -> Self {
        let name = *g.choose(NAMES).unwrap_or(&"example.com/gpu");
        let amount = i64::arbitrary(g);
        match u8::arbitrary(g) % 3 {
            0 => Op::Insert(name, amount),
            1 => Op::Add(name, amount),
            _ => Op::Sub(name, amount),
        }
    }
}

quickcheck! {
    fn behaves_as_a_btree_map(ops: Vec<Op>) -> bool {
        let mut s = ScalarResources::new();
        let mut model: BTreeMap<String, i64> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Insert(n, v) => {
                    if s.insert(n.to_owned(), v) != model.insert(n.to_owned(), v) {
                        return false;
                    }
                }
                Op::Add(n, v) => {
                    let e = s.get_or_insert_default(n);
                    *e = e.saturating_add(v);
                    let e = model.entry(n.to_owned()).or_insert(0);
                    *e = e.saturating_add(v);
                }
                Op::Sub(n, v) => {
                    let e = s.get_or_insert_default(n);
                    *e = e.saturating_sub(v);
                    let e = model.entry(n.to_owned()).or_insert(0);
                    *e = e.saturating_sub(v);
                }
            }
        }
        s.iter().eq(model.iter())
            && s.len() == model.len()
            && s.is_empty() == model.is_empty()
            && NAMES.iter().all(|n| s.get(*n) == model.get(*n))
            && format!("{s:?}") == format!("{model:?}")
            && serde_json::to_string(&s).ok() == serde_json::to_string(&model).ok()
            && s == model.into_iter().collect::<ScalarResources>()
    }
}
