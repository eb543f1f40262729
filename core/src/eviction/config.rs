//! Eviction configuration: the kubelet flags as a user types them
//! (`--eviction-hard=memory.available<100Mi,nodefs.available<10%`), the same
//! settings in KubeletConfiguration's map form, the Linux defaults and how
//! explicit values merge with them, and `ParseThresholdConfig` with
//! Kubernetes' validation and error texts.
//!
//! Two layers, as in the kubelet:
//! 1. [`KubeletEvictionSettings`]: the raw text of the settings (what
//!    `--eviction-*` flags or a KubeletConfiguration file hold). Flags are
//!    read with the semantics of `cliflag.LangleSeparatedMapStringString` /
//!    `MapStringString` (the first use of a map flag replaces its default,
//!    later uses add to it; pairs are split on `,`, keys and values trimmed).
//!    [`KubeletEvictionSettings::with_linux_defaults`] applies the kubelet's
//!    defaults: `evictionHard` is `memory.available<100Mi,
//!    nodefs.available<10%, nodefs.inodesFree<5%, imagefs.available<15%`
//!    when unset; when set, it *replaces* the defaults unless
//!    `mergeDefaultEvictionSettings` is true, in which case unset signals
//!    inherit them.
//! 2. [`EvictionConfig::from_settings`]: `ParseThresholdConfig` — hard
//!    thresholds, soft thresholds with their grace periods, minimum reclaims,
//!    and the `allocatableMemory.available` copies of hard memory thresholds
//!    when `enforceNodeAllocatable` contains `pods`. `0%` and `100%` disable
//!    a threshold. No default is applied at this layer.
//!
//! Go iterates maps in random order, so when several entries are invalid
//! the kubelet may report any of them; here entries are checked in key order
//! and the first error is reported.
//!
//! ```
//! use kubelogic::eviction::{EvictionConfig, KubeletEvictionSettings, Signal};
//!
//! let settings = KubeletEvictionSettings::from_flags([
//!     "--eviction-hard=memory.available<100Mi",
//!     "--eviction-soft=memory.available<1.5Gi",
//!     "--eviction-soft-grace-period=memory.available=1m30s",
//! ])?;
//! let config = EvictionConfig::from_settings(&settings.with_linux_defaults())?;
//! // The flag replaced the default hard thresholds; `pods` allocatable
//! // enforcement (a default) adds the allocatableMemory.available copy.
//! let shown: Vec<String> = config.thresholds.iter().map(|t| t.to_string()).collect();
//! assert_eq!(
//!     shown,
//!     [
//!         "memory.available<100Mi",
//!         "memory.available<1536Mi for 1m30s",
//!         "allocatableMemory.available<100Mi",
//!     ]
//! );
//! assert_eq!(config.pressure_transition_period.to_string(), "5m0s");
//!
//! let err = KubeletEvictionSettings::from_flags(["--eviction-soft=memory.available<1Gi"])
//!     .and_then(|s| EvictionConfig::from_settings(&s))
//!     .unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "grace period must be specified for the soft eviction threshold memory.available"
//! );
//! # Ok::<(), kubelogic::eviction::EvictionConfigError>(())
//! ```

use std::fmt;

use super::duration::Duration;
use super::signal_map::SignalMap;
use super::signals::Signal;
use super::threshold::{Operator, Percentage, Threshold, ThresholdValue};
use crate::quantity::Quantity;
use crate::quote::go_quote;
use crate::SortedMap;

/// The kubelet's default hard thresholds on Linux (`DefaultEvictionHard`).
pub const DEFAULT_EVICTION_HARD: [(&str, &str); 4] = [
    ("memory.available", "100Mi"),
    ("nodefs.available", "10%"),
    ("nodefs.inodesFree", "5%"),
    ("imagefs.available", "15%"),
];

/// The default `evictionPressureTransitionPeriod`.
pub const DEFAULT_PRESSURE_TRANSITION_PERIOD: Duration = Duration::from_secs(300);

/// `kubetypes.NodeAllocatableEnforcementKey`.
pub const NODE_ALLOCATABLE_ENFORCEMENT_KEY: &str = "pods";

/// The eviction part of a KubeletConfiguration, as text (camelCase map form).
/// Unknown fields are ignored, so a whole KubeletConfiguration deserializes.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KubeletEvictionSettings {
    /// `evictionHard`: signal → value (`"100Mi"`, `"10%"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_hard: Option<SortedMap<String, String>>,
    /// `evictionSoft`: signal → value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_soft: Option<SortedMap<String, String>>,
    /// `evictionSoftGracePeriod`: signal → Go duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_soft_grace_period: Option<SortedMap<String, String>>,
    /// `evictionMinimumReclaim`: signal → value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_minimum_reclaim: Option<SortedMap<String, String>>,
    /// `evictionMaxPodGracePeriod` in seconds (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_max_pod_grace_period: Option<i32>,
    /// `evictionPressureTransitionPeriod`, a Go duration (default `5m0s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_pressure_transition_period: Option<String>,
    /// `enforceNodeAllocatable` (default `["pods"]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforce_node_allocatable: Option<Vec<String>>,
    /// `mergeDefaultEvictionSettings` (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_default_eviction_settings: Option<bool>,
    /// `localStorageCapacityIsolation` (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_storage_capacity_isolation: Option<bool>,
}

/// Which setting an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ConfigField {
    /// `evictionHard` / `--eviction-hard`
    EvictionHard,
    /// `evictionSoft` / `--eviction-soft`
    EvictionSoft,
    /// `evictionSoftGracePeriod` / `--eviction-soft-grace-period`
    EvictionSoftGracePeriod,
    /// `evictionMinimumReclaim` / `--eviction-minimum-reclaim`
    EvictionMinimumReclaim,
    /// `evictionMaxPodGracePeriod` / `--eviction-max-pod-grace-period`
    EvictionMaxPodGracePeriod,
    /// `evictionPressureTransitionPeriod` / `--eviction-pressure-transition-period`
    EvictionPressureTransitionPeriod,
    /// `enforceNodeAllocatable` / `--enforce-node-allocatable`
    EnforceNodeAllocatable,
    /// The command line itself (an unknown flag, a missing value).
    CommandLine,
}

impl ConfigField {
    /// The KubeletConfiguration field name.
    pub const fn config_name(self) -> &'static str {
        match self {
            ConfigField::EvictionHard => "evictionHard",
            ConfigField::EvictionSoft => "evictionSoft",
            ConfigField::EvictionSoftGracePeriod => "evictionSoftGracePeriod",
            ConfigField::EvictionMinimumReclaim => "evictionMinimumReclaim",
            ConfigField::EvictionMaxPodGracePeriod => "evictionMaxPodGracePeriod",
            ConfigField::EvictionPressureTransitionPeriod => "evictionPressureTransitionPeriod",
            ConfigField::EnforceNodeAllocatable => "enforceNodeAllocatable",
            ConfigField::CommandLine => "commandLine",
        }
    }

    /// The kubelet flag name (without dashes).
    pub const fn flag_name(self) -> &'static str {
        match self {
            ConfigField::EvictionHard => "eviction-hard",
            ConfigField::EvictionSoft => "eviction-soft",
            ConfigField::EvictionSoftGracePeriod => "eviction-soft-grace-period",
            ConfigField::EvictionMinimumReclaim => "eviction-minimum-reclaim",
            ConfigField::EvictionMaxPodGracePeriod => "eviction-max-pod-grace-period",
            ConfigField::EvictionPressureTransitionPeriod => "eviction-pressure-transition-period",
            ConfigField::EnforceNodeAllocatable => "enforce-node-allocatable",
            ConfigField::CommandLine => "",
        }
    }

    fn from_flag(name: &str) -> Option<ConfigField> {
        [
            ConfigField::EvictionHard,
            ConfigField::EvictionSoft,
            ConfigField::EvictionSoftGracePeriod,
            ConfigField::EvictionMinimumReclaim,
            ConfigField::EvictionMaxPodGracePeriod,
            ConfigField::EvictionPressureTransitionPeriod,
            ConfigField::EnforceNodeAllocatable,
        ]
        .into_iter()
        .find(|f| f.flag_name() == name)
    }
}

/// What was wrong with a setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum EvictionConfigErrorKind {
    /// A flag that is not an eviction flag (`unknown flag: --x`).
    UnknownFlag,
    /// A flag given without a value.
    MissingFlagValue,
    /// A map flag entry without its separator (`malformed pair, expect string<string`).
    MalformedPair,
    /// `--eviction-max-pod-grace-period` is not an int32.
    InvalidInteger,
    /// `unsupported eviction signal <name>`.
    UnsupportedSignal,
    /// The value is not a quantity (Kubernetes' `ParseQuantity` error).
    InvalidQuantity,
    /// The value before `%` is not a float (`strconv.ParseFloat` error).
    InvalidPercentage,
    /// `eviction percentage threshold <signal> must be >= 0%: <value>`.
    NegativePercentage,
    /// `eviction percentage threshold <signal> must be <= 100%: <value>`.
    PercentageAbove100,
    /// `eviction threshold <signal> must be positive: <quantity>`.
    ThresholdNotPositive,
    /// Not a Go duration (`time.ParseDuration` error).
    InvalidDuration,
    /// `invalid eviction grace period specified: <value>, must be a positive value`.
    NegativeGracePeriod,
    /// `eviction percentage minimum reclaim <signal> must be positive: <value>`.
    MinReclaimPercentageNotPositive,
    /// `negative eviction minimum reclaim specified for <signal>`.
    NegativeMinReclaim,
    /// `grace period must be specified for the soft eviction threshold <signal>`.
    MissingGracePeriod,
}

/// A configuration error: what (`kind`), where (`field`, `token`) and
/// Kubernetes' own text (`Display`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvictionConfigError {
    kind: EvictionConfigErrorKind,
    field: ConfigField,
    token: String,
    message: String,
}

impl EvictionConfigError {
    fn new(
        kind: EvictionConfigErrorKind,
        field: ConfigField,
        token: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        EvictionConfigError {
            kind,
            field,
            token: token.into(),
            message: message.into(),
        }
    }

    /// What was wrong.
    pub fn kind(&self) -> EvictionConfigErrorKind {
        self.kind
    }

    /// The setting it was found in.
    pub fn field(&self) -> ConfigField {
        self.field
    }

    /// The offending text: a map entry as `signal<value` / `signal=value`, a
    /// flag, or a value.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Kubernetes' error text (also the `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EvictionConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvictionConfigError {}

/// How a map flag separates key and value.
#[derive(Clone, Copy)]
enum MapSeparator {
    LeftAngle,
    Equals,
}

impl KubeletEvictionSettings {
    /// Reads kubelet command-line arguments: `--eviction-hard=v` or
    /// `--eviction-hard v` (pflag long flags). Any other argument is an error
    /// with pflag's text (`unknown flag: --x`, `unknown shorthand flag: 'e' in
    /// -eviction-hard`).
    ///
    /// Only what the flags say is set; call
    /// [`with_linux_defaults`](Self::with_linux_defaults) for the rest.
    pub fn from_flags<I, S>(args: I) -> Result<Self, EvictionConfigError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut settings = KubeletEvictionSettings::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let arg = arg.as_ref();
            let Some(body) = arg.strip_prefix("--") else {
                let message = match arg.strip_prefix('-').and_then(|b| b.chars().next()) {
                    // pflag reads `-abc` as shorthand flags; eviction flags have none.
                    Some(c) => format!("unknown shorthand flag: '{c}' in {arg}"),
                    None => format!("unexpected argument {}: not a flag", go_quote(arg)),
                };
                return Err(EvictionConfigError::new(
                    EvictionConfigErrorKind::UnknownFlag,
                    ConfigField::CommandLine,
                    arg,
                    message,
                ));
            };
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (body, None),
            };
            let Some(field) = ConfigField::from_flag(name) else {
                return Err(EvictionConfigError::new(
                    EvictionConfigErrorKind::UnknownFlag,
                    ConfigField::CommandLine,
                    arg,
                    format!("unknown flag: --{name}"),
                ));
            };
            let value = match inline {
                Some(v) => v,
                None => match args.next() {
                    Some(v) => v.as_ref().to_owned(),
                    None => {
                        return Err(EvictionConfigError::new(
                            EvictionConfigErrorKind::MissingFlagValue,
                            field,
                            arg,
                            format!("flag needs an argument: --{name}"),
                        ))
                    }
                },
            };
            settings.set_flag(field, &value)?;
        }
        Ok(settings)
    }

    /// Sets one flag from its command-line value, as pflag's `Set` would.
    /// `name` is the flag name without dashes (`eviction-hard`).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), EvictionConfigError> {
        let name = name.trim_start_matches('-');
        let field = ConfigField::from_flag(name).ok_or_else(|| {
            EvictionConfigError::new(
                EvictionConfigErrorKind::UnknownFlag,
                ConfigField::CommandLine,
                name,
                format!("unknown flag: --{name}"),
            )
        })?;
        self.set_flag(field, value)
    }

    fn set_flag(&mut self, field: ConfigField, value: &str) -> Result<(), EvictionConfigError> {
        let invalid = |kind, why: &str| {
            EvictionConfigError::new(
                kind,
                field,
                value,
                format!(
                    "invalid argument {} for {} flag: {why}",
                    go_quote(value),
                    go_quote(&format!("--{}", field.flag_name()))
                ),
            )
        };
        let map_target = match field {
            ConfigField::EvictionHard => Some((&mut self.eviction_hard, MapSeparator::LeftAngle)),
            ConfigField::EvictionSoft => Some((&mut self.eviction_soft, MapSeparator::LeftAngle)),
            ConfigField::EvictionSoftGracePeriod => {
                Some((&mut self.eviction_soft_grace_period, MapSeparator::Equals))
            }
            ConfigField::EvictionMinimumReclaim => {
                Some((&mut self.eviction_minimum_reclaim, MapSeparator::Equals))
            }
            _ => None,
        };
        if let Some((target, sep)) = map_target {
            let map = target.get_or_insert_with(SortedMap::new);
            for part in value.split(',') {
                let (part, sep_char, why) = match sep {
                    // LangleSeparatedMapStringString checks emptiness before trimming.
                    MapSeparator::LeftAngle => (part, '<', "malformed pair, expect string<string"),
                    MapSeparator::Equals => {
                        (part.trim(), '=', "malformed pair, expect string=string")
                    }
                };
                if part.is_empty() {
                    continue;
                }
                let Some((k, v)) = part.split_once(sep_char) else {
                    return Err(invalid(EvictionConfigErrorKind::MalformedPair, why));
                };
                map.insert(k.trim().to_owned(), v.trim().to_owned());
            }
            return Ok(());
        }
        match field {
            ConfigField::EvictionMaxPodGracePeriod => {
                let v = parse_go_int32(value).map_err(|why| {
                    invalid(
                        EvictionConfigErrorKind::InvalidInteger,
                        &format!("strconv.ParseInt: parsing {}: {why}", go_quote(value)),
                    )
                })?;
                self.eviction_max_pod_grace_period = Some(v);
            }
            ConfigField::EvictionPressureTransitionPeriod => {
                Duration::parse(value).map_err(|e| {
                    invalid(EvictionConfigErrorKind::InvalidDuration, &e.to_string())
                })?;
                self.eviction_pressure_transition_period = Some(value.to_owned());
            }
            ConfigField::EnforceNodeAllocatable => {
                // A string slice flag: comma-separated (CSV), replacing the default.
                let list = self.enforce_node_allocatable.get_or_insert_with(Vec::new);
                list.extend(
                    value
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned),
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// The kubelet's defaults applied to what is unset (Linux): see the
    /// module documentation for how `evictionHard` merges.
    pub fn with_linux_defaults(&self) -> KubeletEvictionSettings {
        let mut out = self.clone();
        let defaults = || -> SortedMap<String, String> {
            DEFAULT_EVICTION_HARD
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        match &mut out.eviction_hard {
            None => out.eviction_hard = Some(defaults()),
            Some(map) if self.merge_default_eviction_settings == Some(true) => {
                for (k, v) in defaults() {
                    if !map.contains_key(&k) {
                        map.insert(k, v);
                    }
                }
            }
            Some(_) => {}
        }
        out.eviction_max_pod_grace_period.get_or_insert(0);
        out.eviction_pressure_transition_period
            .get_or_insert_with(|| DEFAULT_PRESSURE_TRANSITION_PERIOD.to_string());
        out.enforce_node_allocatable
            .get_or_insert_with(|| vec![NODE_ALLOCATABLE_ENFORCEMENT_KEY.to_owned()]);
        out.merge_default_eviction_settings.get_or_insert(false);
        out.local_storage_capacity_isolation.get_or_insert(true);
        out
    }
}

/// `strconv.ParseInt(s, 0, 32)`: optional sign, base prefix `0x`/`0o`/`0b`/`0`,
/// underscores between digits only with a prefix.
fn parse_go_int32(s: &str) -> Result<i32, &'static str> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d, true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d, true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d, true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower.get(1..).unwrap_or_default(), true)
    } else {
        (10, lower.as_str(), false)
    };
    if digits.contains('_') {
        let ok = prefixed
            && !digits.starts_with('_')
            && !digits.ends_with('_')
            && !digits.contains("__");
        if !ok {
            return Err("invalid syntax");
        }
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if clean.is_empty() {
        return Err("invalid syntax");
    }
    if !clean.chars().all(|c| c.is_digit(radix)) {
        return Err("invalid syntax");
    }
    let magnitude = u64::from_str_radix(&clean, radix).map_err(|_| "value out of range")?;
    let v = if neg {
        -i64::try_from(magnitude).map_err(|_| "value out of range")?
    } else {
        i64::try_from(magnitude).map_err(|_| "value out of range")?
    };
    i32::try_from(v).map_err(|_| "value out of range")
}

/// The parsed configuration the eviction manager runs with
/// (`eviction.Config` plus the manager's `localStorageCapacityIsolation`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvictionConfig {
    /// Hard thresholds, then soft ones, then allocatable copies
    /// (`ParseThresholdConfig` order).
    pub thresholds: Vec<Threshold>,
    /// `evictionMaxPodGracePeriod` in seconds.
    pub max_pod_grace_period_seconds: i64,
    /// `evictionPressureTransitionPeriod`.
    pub pressure_transition_period: Duration,
    /// Whether local ephemeral-storage limits (emptyDir `sizeLimit`, container
    /// and pod `ephemeral-storage` limits) are enforced by eviction.
    pub local_storage_capacity_isolation: bool,
}

impl Default for EvictionConfig {
    /// No thresholds, a zero max grace period and transition period, and
    /// local storage isolation off: the Go tests' bare `Config{}`.
    fn default() -> Self {
        EvictionConfig {
            thresholds: Vec::new(),
            max_pod_grace_period_seconds: 0,
            pressure_transition_period: Duration::ZERO,
            local_storage_capacity_isolation: false,
        }
    }
}

impl EvictionConfig {
    /// `ParseThresholdConfig` over the settings, with no defaults applied:
    /// an unset map has no thresholds, an unset max grace period and
    /// transition period are zero, and local storage isolation is off unless
    /// set. Use [`KubeletEvictionSettings::with_linux_defaults`] first for the
    /// kubelet's behaviour.
    pub fn from_settings(
        settings: &KubeletEvictionSettings,
    ) -> Result<EvictionConfig, EvictionConfigError> {
        let empty = SortedMap::new();
        let hard = settings.eviction_hard.as_ref().unwrap_or(&empty);
        let soft = settings.eviction_soft.as_ref().unwrap_or(&empty);
        let grace = settings
            .eviction_soft_grace_period
            .as_ref()
            .unwrap_or(&empty);
        let reclaim = settings.eviction_minimum_reclaim.as_ref().unwrap_or(&empty);

        let mut thresholds = parse_threshold_statements(ConfigField::EvictionHard, hard)?;
        let mut soft_thresholds = parse_threshold_statements(ConfigField::EvictionSoft, soft)?;
        let grace_periods = parse_grace_periods(grace)?;
        let min_reclaims = parse_minimum_reclaims(reclaim)?;
        for t in &mut soft_thresholds {
            let Some(period) = grace_periods.get(t.signal) else {
                return Err(EvictionConfigError::new(
                    EvictionConfigErrorKind::MissingGracePeriod,
                    ConfigField::EvictionSoftGracePeriod,
                    t.signal.as_str(),
                    format!(
                        "grace period must be specified for the soft eviction threshold {}",
                        t.signal
                    ),
                ));
            };
            t.grace_period = *period;
        }
        thresholds.append(&mut soft_thresholds);
        for t in &mut thresholds {
            if let Some(min) = min_reclaims.get(t.signal) {
                t.min_reclaim = Some(min.clone());
            }
        }
        let enforce_pods = settings
            .enforce_node_allocatable
            .as_ref()
            .is_some_and(|keys| keys.iter().any(|k| k == NODE_ALLOCATABLE_ENFORCEMENT_KEY));
        if enforce_pods {
            let extra: Vec<Threshold> = thresholds
                .iter()
                .filter(|t| t.signal == Signal::MemoryAvailable && t.is_hard())
                .map(|t| Threshold {
                    signal: Signal::AllocatableMemoryAvailable,
                    operator: t.operator,
                    value: t.value.clone(),
                    grace_period: Duration::ZERO,
                    min_reclaim: t.min_reclaim.clone(),
                })
                .collect();
            thresholds.extend(extra);
        }

        let pressure_transition_period = match &settings.eviction_pressure_transition_period {
            None => Duration::ZERO,
            Some(text) => Duration::parse(text).map_err(|e| {
                EvictionConfigError::new(
                    EvictionConfigErrorKind::InvalidDuration,
                    ConfigField::EvictionPressureTransitionPeriod,
                    text.clone(),
                    e.to_string(),
                )
            })?,
        };
        Ok(EvictionConfig {
            thresholds,
            max_pod_grace_period_seconds: i64::from(
                settings.eviction_max_pod_grace_period.unwrap_or(0),
            ),
            pressure_transition_period,
            local_storage_capacity_isolation: settings
                .local_storage_capacity_isolation
                .unwrap_or(false),
        })
    }

    /// Kubelet flags → the configuration the kubelet runs with (flags, then
    /// the Linux defaults for everything not given).
    pub fn from_flags<I, S>(args: I) -> Result<EvictionConfig, EvictionConfigError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let settings = KubeletEvictionSettings::from_flags(args)?;
        EvictionConfig::from_settings(&settings.with_linux_defaults())
    }
}

fn statement_token(field: ConfigField, signal: &str, value: &str) -> String {
    match field {
        ConfigField::EvictionHard | ConfigField::EvictionSoft => format!("{signal}<{value}"),
        _ => format!("{signal}={value}"),
    }
}

fn parse_signal(
    field: ConfigField,
    signal: &str,
    value: &str,
) -> Result<Signal, EvictionConfigError> {
    signal.parse::<Signal>().map_err(|e| {
        EvictionConfigError::new(
            EvictionConfigErrorKind::UnsupportedSignal,
            field,
            statement_token(field, signal, value),
            e.to_string(),
        )
    })
}

fn parse_percentage(
    field: ConfigField,
    signal: &str,
    value: &str,
) -> Result<Percentage, EvictionConfigError> {
    Percentage::parse(value).map_err(|e| {
        EvictionConfigError::new(
            EvictionConfigErrorKind::InvalidPercentage,
            field,
            statement_token(field, signal, value),
            e.to_string(),
        )
    })
}

fn parse_quantity(
    field: ConfigField,
    signal: &str,
    value: &str,
) -> Result<Quantity, EvictionConfigError> {
    Quantity::parse(value).map_err(|e| {
        EvictionConfigError::new(
            EvictionConfigErrorKind::InvalidQuantity,
            field,
            statement_token(field, signal, value),
            e.to_string(),
        )
    })
}

/// `parseThresholdStatements`: `None` entries (`0%`, `100%`) are dropped.
fn parse_threshold_statements(
    field: ConfigField,
    statements: &SortedMap<String, String>,
) -> Result<Vec<Threshold>, EvictionConfigError> {
    let mut out = Vec::with_capacity(statements.len());
    for (signal, value) in statements {
        if let Some(t) = parse_threshold_statement(field, signal, value)? {
            out.push(t);
        }
    }
    Ok(out)
}

/// `parseThresholdStatement`.
fn parse_threshold_statement(
    field: ConfigField,
    signal_text: &str,
    value: &str,
) -> Result<Option<Threshold>, EvictionConfigError> {
    let signal = parse_signal(field, signal_text, value)?;
    let error = |kind, message: String| {
        EvictionConfigError::new(
            kind,
            field,
            statement_token(field, signal_text, value),
            message,
        )
    };
    let threshold_value = if value.ends_with('%') {
        if value == "0%" || value == "100%" {
            return Ok(None);
        }
        let p = parse_percentage(field, signal_text, value)?;
        if p.fraction() < 0.0 {
            return Err(error(
                EvictionConfigErrorKind::NegativePercentage,
                format!("eviction percentage threshold {signal} must be >= 0%: {value}"),
            ));
        }
        if p.fraction() > 1.0 {
            return Err(error(
                EvictionConfigErrorKind::PercentageAbove100,
                format!("eviction percentage threshold {signal} must be <= 100%: {value}"),
            ));
        }
        ThresholdValue::Percentage(p)
    } else {
        let q = parse_quantity(field, signal_text, value)?;
        if !q.signum().is_gt() {
            return Err(error(
                EvictionConfigErrorKind::ThresholdNotPositive,
                format!("eviction threshold {signal} must be positive: {q}"),
            ));
        }
        ThresholdValue::Quantity(q)
    };
    Ok(Some(Threshold {
        signal,
        operator: Operator::LessThan,
        value: threshold_value,
        grace_period: Duration::ZERO,
        min_reclaim: None,
    }))
}

/// `parseGracePeriods`.
fn parse_grace_periods(
    statements: &SortedMap<String, String>,
) -> Result<SignalMap<Duration>, EvictionConfigError> {
    let field = ConfigField::EvictionSoftGracePeriod;
    let mut out = SignalMap::new();
    for (signal_text, value) in statements {
        let signal = parse_signal(field, signal_text, value)?;
        let token = statement_token(field, signal_text, value);
        let period = Duration::parse(value).map_err(|e| {
            EvictionConfigError::new(
                EvictionConfigErrorKind::InvalidDuration,
                field,
                token.clone(),
                e.to_string(),
            )
        })?;
        if period.is_negative() {
            return Err(EvictionConfigError::new(
                EvictionConfigErrorKind::NegativeGracePeriod,
                field,
                token,
                format!(
                    "invalid eviction grace period specified: {value}, must be a positive value"
                ),
            ));
        }
        out.insert(signal, period);
    }
    Ok(out)
}

/// `parseMinimumReclaims`.
fn parse_minimum_reclaims(
    statements: &SortedMap<String, String>,
) -> Result<SignalMap<ThresholdValue>, EvictionConfigError> {
    let field = ConfigField::EvictionMinimumReclaim;
    let mut out = SignalMap::new();
    for (signal_text, value) in statements {
        let signal = parse_signal(field, signal_text, value)?;
        let token = statement_token(field, signal_text, value);
        if value.ends_with('%') {
            let p = parse_percentage(field, signal_text, value)?;
            // `percentage <= 0` in Go; NaN passes that test too.
            if p.fraction() <= 0.0 {
                return Err(EvictionConfigError::new(
                    EvictionConfigErrorKind::MinReclaimPercentageNotPositive,
                    field,
                    token,
                    format!(
                        "eviction percentage minimum reclaim {signal} must be positive: {value}"
                    ),
                ));
            }
            out.insert(signal, ThresholdValue::Percentage(p));
            continue;
        }
        let q = parse_quantity(field, signal_text, value)?;
        if q.signum().is_lt() {
            return Err(EvictionConfigError::new(
                EvictionConfigErrorKind::NegativeMinReclaim,
                field,
                token,
                format!("negative eviction minimum reclaim specified for {signal}"),
            ));
        }
        out.insert(signal, ThresholdValue::Quantity(q));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> Option<SortedMap<String, String>> {
        Some(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn errors_name_the_token() {
        let cases: &[(KubeletEvictionSettings, EvictionConfigErrorKind, &str, &str)] = &[
            (
                KubeletEvictionSettings {
                    eviction_hard: map(&[("mem.available", "150Mi")]),
                    ..Default::default()
                },
                EvictionConfigErrorKind::UnsupportedSignal,
                "mem.available<150Mi",
                "unsupported eviction signal mem.available",
            ),
            (
                KubeletEvictionSettings {
                    eviction_hard: map(&[("memory.available", "-150Mi")]),
                    ..Default::default()
                },
                EvictionConfigErrorKind::ThresholdNotPositive,
                "memory.available<-150Mi",
                "eviction threshold memory.available must be positive: -150Mi",
            ),
            (
                KubeletEvictionSettings {
                    eviction_hard: map(&[("memory.available", "-15%")]),
                    ..Default::default()
                },
                EvictionConfigErrorKind::NegativePercentage,
                "memory.available<-15%",
                "eviction percentage threshold memory.available must be >= 0%: -15%",
            ),
            (
                KubeletEvictionSettings {
                    eviction_hard: map(&[("memory.available", "150%")]),
                    ..Default::default()
                },
                EvictionConfigErrorKind::PercentageAbove100,
                "memory.available<150%",
                "eviction percentage threshold memory.available must be <= 100%: 150%",
            ),
            (
                KubeletEvictionSettings {
                    eviction_soft: map(&[("memory.available", "150Mi")]),
                    eviction_soft_grace_period: map(&[("memory.available", "-30s")]),
                    ..Default::default()
                },
                EvictionConfigErrorKind::NegativeGracePeriod,
                "memory.available=-30s",
                "invalid eviction grace period specified: -30s, must be a positive value",
            ),
            (
                KubeletEvictionSettings {
                    eviction_minimum_reclaim: map(&[("memory.available", "-300Mi")]),
                    ..Default::default()
                },
                EvictionConfigErrorKind::NegativeMinReclaim,
                "memory.available=-300Mi",
                "negative eviction minimum reclaim specified for memory.available",
            ),
            (
                KubeletEvictionSettings {
                    eviction_hard: map(&[("memory.available", "blah%")]),
                    ..Default::default()
                },
                EvictionConfigErrorKind::InvalidPercentage,
                "memory.available<blah%",
                "strconv.ParseFloat: parsing \"blah\": invalid syntax",
            ),
            (
                KubeletEvictionSettings {
                    eviction_hard: map(&[("memory.available", "0")]),
                    ..Default::default()
                },
                EvictionConfigErrorKind::ThresholdNotPositive,
                "memory.available<0",
                "eviction threshold memory.available must be positive: 0",
            ),
        ];
        for (settings, kind, token, message) in cases {
            let err = EvictionConfig::from_settings(settings).unwrap_err();
            assert_eq!(err.kind(), *kind);
            assert_eq!(err.token(), *token);
            assert_eq!(err.to_string(), *message);
        }
    }

    #[test]
    fn percentages_are_float32() {
        assert_eq!(Percentage::parse("25.5%").unwrap().fraction(), 0.255f32);
        assert_eq!(
            Percentage::parse("10.5%").unwrap().fraction(),
            10.5f32 / 100.0
        );
        for bad in ["blah", "foo%", "12%345"] {
            assert!(Percentage::parse(bad).is_err(), "{bad}");
        }
        assert!(Percentage::parse("1e39%").unwrap_err().out_of_range);
    }

    #[test]
    fn flags_replace_or_merge_defaults() {
        let s = KubeletEvictionSettings::from_flags([
            "--eviction-hard",
            "memory.available<1Gi, nodefs.available<5%",
        ])
        .unwrap();
        let hard = s.with_linux_defaults().eviction_hard.unwrap();
        assert_eq!(hard.len(), 2);
        let mut merged = s.clone();
        merged.merge_default_eviction_settings = Some(true);
        let hard = merged.with_linux_defaults().eviction_hard.unwrap();
        assert_eq!(hard.len(), 4);
        assert_eq!(
            hard.get("memory.available").map(String::as_str),
            Some("1Gi")
        );
        assert_eq!(
            hard.get("imagefs.available").map(String::as_str),
            Some("15%")
        );
        let err = KubeletEvictionSettings::from_flags(["--eviction-hard=memory.available>1Gi"])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid argument \"memory.available>1Gi\" for \"--eviction-hard\" flag: malformed pair, expect string<string"
        );
        assert_eq!(err.kind(), EvictionConfigErrorKind::MalformedPair);
        let err = KubeletEvictionSettings::from_flags(["--eviction-max-pod-grace-period=ten"])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid argument \"ten\" for \"--eviction-max-pod-grace-period\" flag: strconv.ParseInt: parsing \"ten\": invalid syntax"
        );
        let err = KubeletEvictionSettings::from_flags(["-eviction-hard=memory.available<1Gi"])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown shorthand flag: 'e' in -eviction-hard=memory.available<1Gi"
        );
        let err = KubeletEvictionSettings::from_flags(["--max-pods=110"]).unwrap_err();
        assert_eq!(err.to_string(), "unknown flag: --max-pods");
        let err = KubeletEvictionSettings::from_flags(["--eviction-soft"]).unwrap_err();
        assert_eq!(err.to_string(), "flag needs an argument: --eviction-soft");
        assert_eq!(parse_go_int32("0x10"), Ok(16));
        assert_eq!(parse_go_int32("-30"), Ok(-30));
        assert_eq!(parse_go_int32("010"), Ok(8));
        assert_eq!(parse_go_int32("0"), Ok(0));
        assert!(parse_go_int32("3000000000").is_err());
    }
}
