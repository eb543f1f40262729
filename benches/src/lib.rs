//! Shared inputs for kubelogic's criterion benches.
#![forbid(unsafe_code)]
