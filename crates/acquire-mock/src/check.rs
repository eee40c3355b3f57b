//! The fake's request validation, offered on its own: tests check that a
//! request (one a client sent, or one built from the reference) is what
//! the spec declares, without starting a server.

use std::{path::Path, sync::Arc};

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};

use crate::{
    routes::{Match, Routes},
    MockError,
};

/// Checks requests against the spec exactly as the fake does before any
/// handler runs: the operation is found by method and path, then its path,
/// query and header parameters and its JSON body are validated.
///
/// ```
/// # fn demo() -> Result<(), acquire_mock::MockError> {
/// let checker = acquire_mock::RequestChecker::embedded()?;
/// let found = checker.check("GET", "/crm/objects/case/1684", None, &[], b"");
/// assert_eq!(found.as_deref(), Ok("get_case"));
/// let missing = checker.check("GET", "/crm/note", None, &[], b"");
/// assert!(missing.unwrap_err().contains("contact_id"));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RequestChecker {
    routes: Arc<Routes>,
}

impl std::fmt::Debug for RequestChecker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestChecker").finish_non_exhaustive()
    }
}

impl RequestChecker {
    /// Compiles the spec at `spec_path` (YAML or JSON).
    pub fn load(spec_path: impl AsRef<Path>) -> Result<Self, MockError> {
        Ok(Self {
            routes: Routes::load(Some(spec_path.as_ref()))?,
        })
    }

    /// Compiles the spec compiled into `acquire-spec`.
    pub fn embedded() -> Result<Self, MockError> {
        Ok(Self {
            routes: Routes::load(None)?,
        })
    }

    /// Checks one request: `path` is relative to the base URL (after
    /// `/api/v1`), `query` the raw query string. Returns the operation's
    /// id, or the message the fake would answer with 400 (or why no
    /// operation matched).
    pub fn check(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<String, String> {
        let method = Method::from_bytes(method.as_bytes())
            .map_err(|_| format!("`{method}` is not an HTTP method"))?;
        let mut header_map = HeaderMap::new();
        for (name, value) in headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("`{name}` is not a header name"))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| format!("the value of {name} is not a header value"))?;
            header_map.append(name, value);
        }
        match self.routes.find(&method, path) {
            Match::Found(route, params) => route
                .validate(&params, query, &header_map, body)
                .map(|_| route.operation_id.clone())
                .map_err(|e| e.message),
            Match::WrongMethod(allowed) => Err(format!(
                "{method} is not declared on {path} (declared: {allowed:?})"
            )),
            Match::None => Err(format!("no operation has the path {path}")),
        }
    }
}
