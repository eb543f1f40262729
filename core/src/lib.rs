//! # kubelogic
//!
//! Kubernetes' node and scheduler decisions as a pure Rust library: resource
//! quantities, pod resource totals, QoS class and OOM score, kubelet
//! node-pressure eviction and the kube-scheduler's plugins and cycle.
//!
//! Everything here is a pure function of its input: no I/O, no clock, no
//! global state, and no panics on any input. Upstream Kubernetes (v1.35 and
//! later) is the specification.
//!
//! ```
//! use kubelogic::Quantity;
//!
//! let q: Quantity = "1.5Gi".parse()?;
//! assert_eq!(q.to_string(), "1536Mi");
//! assert_eq!(q.value(), Some(1_610_612_736));
//! # Ok::<(), kubelogic::QuantityError>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![warn(missing_docs)]

pub mod admission;
pub mod eviction;
pub mod features;
pub mod model;
pub mod qos;
pub mod quantity;
pub(crate) mod quote;
pub mod resources;
pub mod scheduler;
pub mod sorted_map;
mod strconv;

pub use features::{FeatureGates, KubernetesVersion, UnknownFeatureGate, UnknownKubernetesVersion};
pub use quantity::{
    Canonical, CanonicalBuffer, Format, Quantity, QuantityError, QuantityErrorKind,
};
pub use sorted_map::{SortedMap, SortedSet};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
