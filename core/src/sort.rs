//! One copy of the sort code for the cold paths.
//!
//! The standard library's sorts are generic: every element type and every
//! comparator closure gets its own copy of the sort code, 3 to 11 KB each
//! in the browser bundle. The sorts off the scheduler's per-node hot path
//! (the threshold to reclaim and the ranking fallback in eviction,
//! preemption's victims, the plugin and reason lists of status messages)
//! go through [`sorted_indices`] instead: it sorts positions with the
//! comparator behind `dyn`, so one copy serves them all. [`sort_by`] and
//! [`sort`] reorder a `Vec` by it.
//!
//! Every function here is stable: elements that compare equal keep their
//! order.
//!
//! ```
//! use kubelogic::sort;
//!
//! let mut v = vec![("b", 2), ("a", 1), ("b", 1), ("a", 2)];
//! sort::sort_by(&mut v, &mut |x, y| x.0.cmp(y.0));
//! assert_eq!(v, [("a", 1), ("a", 2), ("b", 2), ("b", 1)]);
//! ```

use std::cell::Cell;
use std::cmp::Ordering;

/// The positions `0..len` in the order `cmp` sorts them, equal ones in
/// increasing position (a stable sort).
///
/// `cmp(a, b)` compares the elements at positions `a` and `b`; it must be a
/// total order, as for the standard library's sorts (every caller's is: a
/// comparison of keys).
///
/// ```
/// use kubelogic::sort::sorted_indices;
///
/// let words = ["pear", "fig", "apple", "kiwi"];
/// let order = sorted_indices(words.len(), &mut |a, b| {
///     words.get(a).map(|w| w.len()).cmp(&words.get(b).map(|w| w.len()))
/// });
/// assert_eq!(order, [1, 0, 3, 2]); // fig, pear, kiwi, apple
/// ```
pub fn sorted_indices(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<Position> = (0..len).map(|i| Position(Cell::new(i))).collect();
    // Positions are distinct: with them as the last tie-break the unstable
    // sort (the smaller copy) orders as the stable one.
    order.sort_unstable_by(|a, b| {
        let (a, b) = (a.0.get(), b.0.get());
        cmp(a, b).then(a.cmp(&b))
    });
    order.into_iter().map(|p| p.0.get()).collect()
}

/// A position being sorted. In a `Cell` for the size of the browser bundle
/// only: the standard library's unstable sort picks its small-slice sort by
/// the element type, unrolled sorting networks for small `Copy` types and a
/// general one for other types without interior mutability, against plain
/// insertion sort here (6.4 KB less code than for `usize`, 0.7 KB gzipped).
/// The order is the same either way.
struct Position(Cell<usize>);

/// Sorts `v` by `cmp`, stably (through [`sorted_indices`]).
///
/// ```
/// let mut v = vec![3, 1, 2];
/// kubelogic::sort::sort_by(&mut v, &mut |a, b| b.cmp(a));
/// assert_eq!(v, [3, 2, 1]);
/// ```
pub fn sort_by<T>(v: &mut Vec<T>, cmp: &mut dyn FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = sorted_indices(v.len(), &mut |a, b| match (v.get(a), v.get(b)) {
        (Some(x), Some(y)) => cmp(x, y),
        _ => Ordering::Equal,
    });
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// Sorts `v` in increasing order (through [`sorted_indices`]).
///
/// ```
/// let mut v = vec!["b".to_owned(), "a".to_owned()];
/// kubelogic::sort::sort(&mut v);
/// assert_eq!(v, ["a", "b"]);
/// ```
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, &mut T::cmp);
}
