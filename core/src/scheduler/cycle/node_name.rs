//! [`NodeName`]: a node's name shared with the snapshot
//! ([`NodeInfo::shared_name`](crate::scheduler::NodeInfo::shared_name), no
//! copy of the string), so that a [`super::ScheduleResult`] over thousands
//! of nodes allocates nothing per node for names.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A node's name; derefs to `str` and serializes as a string.
///
/// ```
/// use std::sync::Arc;
/// use kubelogic::scheduler::cycle::NodeName;
///
/// let name = NodeName::new(Arc::from("n1"));
/// assert_eq!(name, "n1");
/// assert_eq!(serde_json::to_string(&name)?, "\"n1\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct NodeName(Arc<str>);

impl NodeName {
    /// A name.
    pub fn new(name: Arc<str>) -> Self {
        NodeName(name)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for NodeName {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for NodeName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for NodeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for NodeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for NodeName {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for NodeName {}

impl PartialOrd for NodeName {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for NodeName {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for NodeName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::borrow::Borrow<str> for NodeName {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for NodeName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for NodeName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for NodeName {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl Serialize for NodeName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for NodeName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(NodeName::from)
    }
}

impl From<&str> for NodeName {
    fn from(name: &str) -> Self {
        NodeName(Arc::from(name))
    }
}

impl From<String> for NodeName {
    fn from(name: String) -> Self {
        NodeName(Arc::from(name))
    }
}

impl From<Arc<str>> for NodeName {
    fn from(name: Arc<str>) -> Self {
        NodeName(name)
    }
}
