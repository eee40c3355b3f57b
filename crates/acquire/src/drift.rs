//! Drift reporting: every decoded response is checked for what the spec
//! does not know ([`acquire_api::drift`]); each distinct finding is logged
//! once per client and counted in [`Client::drift`](crate::Client::drift).
//!
//! The log is a `tracing` WARN event, target [`DRIFT_TARGET`], with the
//! fields `operation_id`, `pointer`, `kind` and, for an unknown enum
//! value, `value`. Member values are never logged: they may be personal
//! data. Only enum values are, as names of the API's vocabulary.

use std::{
    cell::RefCell,
    collections::{BTreeMap, BTreeSet},
    future::Future,
    sync::{Mutex, PoisonError},
};

pub use acquire_api::drift::{DriftKind, Finding};

use crate::Error;

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

tokio::task_local! {
    static FOUND: RefCell<Option<Vec<Finding>>>;
}

/// One call as [`observe`] saw it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Observed<T> {
    /// What the call returned.
    pub result: Result<T, Error>,
    /// The operation called (`get_case`...), once its request was built.
    pub operation_id: Option<&'static str>,
    /// What the decoded response held that the spec does not know (empty
    /// when it did not decode). Found whether or not the client's drift
    /// detection is on.
    pub findings: Vec<Finding>,
    /// The response body exactly as received, for requests whose body the
    /// client reads whole before decoding (GET, PUT, DELETE...) when it is
    /// within the size limit; kept when it does not decode.
    pub body: Option<bytes::Bytes>,
}

/// Runs one call of a [`Client`](crate::Client) (any `send()` of this
/// crate) and returns what it saw besides its result: the operation, the
/// drift findings of its response, and the body as received. What
/// `acquire doctor` is built on.
///
/// ```no_run
/// # async fn demo(client: &acquire::Client) {
/// let seen = acquire::drift::observe(client.cases().get(acquire::CaseId(1684)).send()).await;
/// for finding in &seen.findings {
///     println!("{}: {finding}", seen.operation_id.unwrap_or("?"));
/// }
/// # }
/// ```
pub async fn observe<T>(call: impl Future<Output = Result<T, Error>>) -> Observed<T> {
    let watched = FOUND.scope(RefCell::new(None), async {
        let result = call.await;
        (result, FOUND.with(|slot| slot.borrow_mut().take()))
    });
    let ((result, findings), captured) = acquire_api::capture(watched).await;
    Observed {
        result,
        operation_id: captured.operation_id,
        findings: findings.unwrap_or_default(),
        body: captured.body,
    }
}

/// Whether the current call runs inside [`observe`].
pub(crate) fn observing() -> bool {
    FOUND.try_with(|_| ()).is_ok()
}

/// Gives [`observe`] the findings of the current call's response.
pub(crate) fn hand_over(findings: &[Finding]) {
    let _ = FOUND.try_with(|slot| *slot.borrow_mut() = Some(findings.to_vec()));
}
