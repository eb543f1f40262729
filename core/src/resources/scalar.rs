//! [`ScalarResources`]: the scheduler's scalar resources (extended
//! resources, huge pages, attachable volumes) by name, in whole units — a
//! short list kept sorted by name, so it iterates, compares and serializes
//! as a `BTreeMap<String, i64>` would.
//!
//! ```
//! use kubelogic::resources::ScalarResources;
//!
//! let mut s = ScalarResources::new();
//! s.insert("example.com/gpu".to_owned(), 2);
//! s.apply("example.com/gpu", 1, i64::saturating_add);
//! s.apply("hugepages-2Mi", 1 << 21, i64::saturating_add);
//! assert_eq!(s.get("example.com/gpu"), Some(&3));
//! assert_eq!(s.get("example.com/fpga"), None);
//! let names: Vec<&str> = s.iter().map(|(n, _)| n.as_str()).collect();
//! assert_eq!(names, ["example.com/gpu", "hugepages-2Mi"]);
//! ```

use std::fmt;

use serde::{Serialize, Serializer};

/// Scalar resource amounts by name, sorted by name (at most one per name).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct ScalarResources(Vec<(String, i64)>);

impl ScalarResources {
    /// No resources.
    pub const fn new() -> Self {
        ScalarResources(Vec::new())
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(n, _)| n.as_str().cmp(name))
    }

    /// The amount of `name`.
    pub fn get(&self, name: &str) -> Option<&i64> {
        let i = self.find(name).ok()?;
        self.0.get(i).map(|(_, v)| v)
    }

    /// Sets the amount of `name`, returning the one it replaces.
    pub fn insert(&mut self, name: String, amount: i64) -> Option<i64> {
        match self.find(&name) {
            Ok(i) => self.0.get_mut(i).map(|(_, v)| std::mem::replace(v, amount)),
            Err(i) => {
                self.0.insert(i, (name, amount));
                None
            }
        }
    }

    /// Sets the amount of `name` to `op(current, amount)`, an absent name
    /// counting as 0.
    pub fn apply(&mut self, name: &str, amount: i64, op: fn(i64, i64) -> i64) {
        match self.find(name) {
            Ok(i) => {
                if let Some((_, v)) = self.0.get_mut(i) {
                    *v = op(*v, amount);
                }
            }
            Err(i) => self.0.insert(i, (name.to_owned(), op(0, amount))),
        }
    }

    /// How many names have an amount.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no name has an amount.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The amounts, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &i64)> {
        self.0.iter().map(|(n, v)| (n, v))
    }
}

impl<'a> IntoIterator for &'a ScalarResources {
    type Item = (&'a String, &'a i64);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, i64)>,
        fn(&'a (String, i64)) -> (&'a String, &'a i64),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(n, v)| (n, v))
    }
}

impl FromIterator<(String, i64)> for ScalarResources {
    /// A name given twice keeps its last amount.
    fn from_iter<I: IntoIterator<Item = (String, i64)>>(iter: I) -> Self {
        let mut s = ScalarResources::new();
        for (n, v) in iter {
            s.insert(n, v);
        }
        s
    }
}

impl fmt::Debug for ScalarResources {
    /// As a map, like `BTreeMap`'s.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for ScalarResources {
    /// A map from name to amount, in name order.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}
