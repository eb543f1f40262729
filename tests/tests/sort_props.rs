//! Property tests of `kubelogic::sort`, the one sort of the cold paths: it
//! orders exactly as the standard library's stable sort, for random input
//! and comparators with many ties (keys drawn from a few values, compared
//! on part of the element, or reversed).

use std::cmp::Ordering;

use kubelogic::sort::{self, sorted_indices};
use quickcheck::QuickCheck;

fn qc() -> QuickCheck {
    QuickCheck::new().tests(2000)
}

/// A comparator on `(key, payload)` pairs that looks at part of the key
/// only, so that many elements tie, chosen by `how`.
fn comparator(how: u8) -> impl Fn(&(u8, u16), &(u8, u16)) -> Ordering {
    move |a, b| match how % 4 {
        0 => a.0.cmp(&b.0),
        1 => (a.0 % 3).cmp(&(b.0 % 3)),
        2 => b.0.cmp(&a.0),
        // Everything ties: the input order must come out.
        _ => Ordering::Equal,
    }
}

#[test]
fn sort_by_is_std_stable_sort_by() {
    fn prop(v: Vec<(u8, u16)>, how: u8) -> bool {
        let cmp = comparator(how);
        let mut want = v.clone();
        want.sort_by(&cmp);
        let mut got = v;
        sort::sort_by(&mut got, &mut |a, b| cmp(a, b));
        got == want
    }
    qc().quickcheck(prop as fn(Vec<(u8, u16)>, u8) -> bool);
}

#[test]
fn sorted_indices_is_std_stable_sort_of_positions() {
    fn prop(v: Vec<(u8, u16)>, how: u8) -> bool {
        let cmp = comparator(how);
        let mut want: Vec<usize> = (0..v.len()).collect();
        want.sort_by(|&a, &b| cmp(&v[a], &v[b]));
        let got = sorted_indices(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
        got == want
    }
    qc().quickcheck(prop as fn(Vec<(u8, u16)>, u8) -> bool);
}

#[test]
fn sort_is_std_sort() {
    fn prop(v: Vec<String>, small: Vec<u8>) -> bool {
        let mut want = v.clone();
        want.sort();
        let mut got = v;
        sort::sort(&mut got);
        // Few distinct values: many equal elements.
        let mut want_small = small.clone();
        want_small.sort();
        let mut got_small: Vec<u8> = small;
        sort::sort(&mut got_small);
        got == want && got_small == want_small
    }
    qc().quickcheck(prop as fn(Vec<String>, Vec<u8>) -> bool);
}

#[test]
fn equal_elements_keep_their_order() {
    // Pairs that compare equal by key come out in input order, the
    // payload telling them apart.
    let mut v: Vec<(u8, u16)> = (0..200u16).map(|i| ((i % 3) as u8, i)).collect();
    sort::sort_by(&mut v, &mut |a, b| a.0.cmp(&b.0));
    let keys: Vec<u8> = v.iter().map(|p| p.0).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    for k in 0..3u8 {
        let payloads: Vec<u16> = v.iter().filter(|p| p.0 == k).map(|p| p.1).collect();
        assert!(
            payloads.windows(2).all(|w| w[0] < w[1]),
            "key {k}: {payloads:?}"
        );
        assert_eq!(payloads.len(), if k < 2 { 67 } else { 66 });
    }
}
