//! A row: one request to one operation and the answer it must get. The
//! method and path template are the spec's (by `operationId`); a row gives
//! only the path parameters, the query, the body and how it authenticates.

use acquire_mock::RunningServer;
use serde_json::Value;

use crate::common::{op, send_with, Checker, Op, Reply, KEY};

/// How a row authenticates.
#[derive(Clone, Copy)]
pub enum Auth {
    /// `Authorization: Bearer <key>`.
    Key,
    /// The header with another key.
    Wrong,
    /// No key at all.
    Missing,
    /// No header; `Authorization=Bearer <key>` in the query (send SMS's
    /// `bearerQuery` alternative).
    Query,
}

pub struct Row {
    name: &'static str,
    pub operation_id: &'static str,
    /// The request: the operation's method and path from the spec, unless
    /// the row deliberately sends another ([`Row::literal`]).
    target: Op,
    body: Option<&'static str>,
    auth: Auth,
    /// An `x-mock-fault` header value.
    fault: Option<&'static str>,
    /// An extra request header.
    header: Option<(&'static str, &'static str)>,
    pub status: u16,
    /// `type` of an error body.
    error_type: Option<&'static str>,
}

/// A row for `operation_id`, sent as the spec declares it, answered with
/// `status`.
pub fn row(name: &'static str, operation_id: &'static str, status: u16) -> Row {
    Row {
        name,
        operation_id,
        target: op(operation_id),
        body: None,
        auth: Auth::Key,
        fault: None,
        header: None,
        status,
        error_type: None,
    }
}

impl Row {
    /// Fills the next path parameter.
    pub fn at(mut self, value: impl std::fmt::Display) -> Self {
        self.target = self.target.at(value);
        self
    }
    pub fn query(mut self, query: &str) -> Self {
        self.target = self.target.query(query);
        self
    }
    pub fn body(mut self, body: &'static str) -> Self {
        self.body = Some(body);
        self
    }
    /// A method and path the spec does not declare for the operation.
    pub fn literal(mut self, method: &str, path: &str) -> Self {
        self.target = Op::literal(method, path);
        self
    }
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }
    pub fn fault(mut self, fault: &'static str) -> Self {
        self.fault = Some(fault);
        self
    }
    pub fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.header = Some((name, value));
        self
    }
    pub fn error(mut self, error_type: &'static str) -> Self {
        self.error_type = Some(error_type);
        self
    }

    /// Sends the row's request to `server`, authenticated as the row says.
    pub async fn send(&self, server: &RunningServer) -> Reply {
        let key = match self.auth {
            Auth::Key => Some(KEY),
            Auth::Wrong => Some("not-the-key"),
            Auth::Missing | Auth::Query => None,
        };
        let target = match self.auth {
            Auth::Query => self
                .target
                .clone()
                .query(&format!("Authorization=Bearer%20{KEY}")),
            _ => self.target.clone(),
        };
        let headers: Vec<(&str, &str)> = self
            .fault
            .map(|f| ("x-mock-fault", f))
            .into_iter()
            .chain(self.header)
            .collect();
        send_with(server, &target, self.body, key, &headers).await
    }

    /// What is wrong with `reply` to this row: its status; its body against
    /// the spec; for an error, the body's status, message and type, and the
    /// Retry-After of an injected fault that asks for one.
    pub fn problems(&self, reply: &Reply, checker: &mut Checker) -> Vec<String> {
        if reply.status != self.status {
            return vec![format!(
                "{}: status {} (want {}): {}",
                self.name, reply.status, self.status, reply.json
            )];
        }
        let mut problems: Vec<String> = checker
            .failures(self.operation_id, reply.status, &reply.json)
            .into_iter()
            .map(|failure| format!("{}: {failure}", self.name))
            .collect();
        if reply.status < 400 {
            return problems;
        }
        let body = &reply.json;
        if body.get("status").and_then(Value::as_u64) != Some(u64::from(self.status)) {
            problems.push(format!(
                "{}: error body without its status: {body}",
                self.name
            ));
        }
        if body
            .get("message")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            problems.push(format!(
                "{}: error body without a message: {body}",
                self.name
            ));
        }
        if let Some(want) = self.error_type {
            if body.get("type").and_then(Value::as_str) != Some(want) {
                problems.push(format!("{}: type is not {want}: {body}", self.name));
            }
        }
        if self.fault.is_some_and(|f| f.contains("retry-after"))
            && reply.headers.get("retry-after").is_none()
        {
            problems.push(format!("{}: no Retry-After", self.name));
        }
        problems
    }
}
