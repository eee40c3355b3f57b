//! Drift reporting: every decoded response is checked for what the spec
//! does not know ([`acquire_api::drift`]); each distinct finding is logged
//! once per client and counted in [`Client::drift`](crate::Client::drift).
//!
//! The log is a `tracing` WARN event, target [`DRIFT_TARGET`], with the
//! fields `operation_id`, `pointer`, `kind` and, for an unknown enum
//! value, `value`. Member values are never logged: they may be personal
//! data. Only enum values are, as names of the API's vocabulary.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Mutex, PoisonError},
};

pub use acquire_api::drift::{DriftKind, Finding};

/// The `tracing` target of drift events.
pub const DRIFT_TARGET: &str = "acquire::drift";

/// One distinct finding, as [`Client::drift`](crate::Client::drift) reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DriftEntry {
    /// Where and what.
    pub finding: Finding,
    /// How many responses showed it.
    pub count: u64,
    /// The operation whose response showed it first (`get_case`...).
    pub first_operation: &'static str,
}

/// What the responses a client decoded held that the spec does not know,
/// each finding once, in pointer order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DriftReport {
    /// The distinct findings.
    pub entries: Vec<DriftEntry>,
}

impl DriftReport {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The findings a client has seen, shared by its clones.
#[derive(Debug, Default)]
pub(crate) struct DriftLog {
    seen: Mutex<BTreeMap<Finding, (u64, &'static str)>>,
}

impl DriftLog {
    /// Counts `findings`, from a response of `operation`, and logs the new ones.
    pub(crate) fn record(&self, operation: &'static str, findings: Vec<Finding>) {
        if findings.is_empty() {
            return;
        }
        // Counted once per response, however many elements show it.
        let distinct: BTreeSet<Finding> = findings.into_iter().collect();
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        for finding in distinct {
            if let Some((count, _)) = seen.get_mut(&finding) {
                *count += 1;
                continue;
            }
            warn(operation, &finding);
            seen.insert(finding, (1, operation));
        }
    }

    pub(crate) fn report(&self) -> DriftReport {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        DriftReport {
            entries: seen
                .iter()
                .map(|(finding, (count, first))| DriftEntry {
                    finding: finding.clone(),
                    count: *count,
                    first_operation: first,
                })
                .collect(),
        }
    }
}

fn warn(operation: &'static str, finding: &Finding) {
    let kind = finding.kind.name();
    match finding.kind.value() {
        Some(value) => tracing::warn!(
            target: DRIFT_TARGET,
            operation_id = operation,
            pointer = %finding.pointer,
            kind,
            value,
            "Acquire sent an enum value the spec does not know"
        ),
        None => tracing::warn!(
            target: DRIFT_TARGET,
            operation_id = operation,
            pointer = %finding.pointer,
            kind,
            "Acquire sent a member the spec does not declare"
        ),
    }
}
