//! The operations of the spec, as the build reads them from it: each one's
//! id, method, path and documented examples ([`Operation`]), and one marker
//! type per operation ([`GetCaseOperation`], [`CreateCaseOperation`]...) that names it in
//! typed code, e.g. to stub it in a test (`acquire::testing`). Tests, fuzz
//! targets and benchmarks take these by operation id instead of restating
//! them.

/// An operation of the spec as a type: its id, its success response and
/// the type of that response's `data`. Implemented by the marker types the
/// build generates, one per operation.
pub trait TypedOperation: Copy + Default + Send + Sync + 'static {
    /// The `operationId`, e.g. `get_case`.
    const ID: &'static str;
    /// The member of the success response that holds its value (`data`),
    /// or `None` when the response is not such an envelope.
    const DATA_MEMBER: Option<&'static str>;
    /// The generated type of the success response (the whole body).
    type Response: serde::Serialize + serde::de::DeserializeOwned + Send + 'static;
    /// The generated type of the response's [`DATA_MEMBER`](Self::DATA_MEMBER)
    /// (the whole response when there is none).
    type Data: serde::Serialize + serde::de::DeserializeOwned + Send + 'static;

    /// The operation's entry in [`OPERATIONS`](crate::OPERATIONS).
    fn operation() -> Option<&'static Operation> {
        Operation::find(Self::ID)
    }
}

include!(concat!(env!("OUT_DIR"), "/operation_types.rs"));

/// One operation of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId`, e.g. `get_case`.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template under the base URL, e.g. `/crm/objects/case/{caseId}`.
    pub path: &'static str,
    /// The operation's examples, request bodies first.
    pub examples: &'static [Example],
}

/// An example of a request or response body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// The example's key in the spec, e.g. `create`.
    pub name: &'static str,
    /// The response status it answers with (`"200"`), `None` for a request.
    pub status: Option<&'static str>,
    /// Its file, relative to the spec's folder (`openapi/`).
    pub file: &'static str,
}

impl Operation {
    /// The operation with this `operationId`.
    pub fn find(id: &str) -> Option<&'static Operation> {
        crate::OPERATIONS.iter().find(|op| op.id == id)
    }

    /// The path with each `{name}` replaced by its value; `None` when a
    /// parameter of the template is not given.
    pub fn path_with(&self, params: &[(&str, &dyn std::fmt::Display)]) -> Option<String> {
        let mut path = self.path.to_owned();
        for (name, value) in params {
            path = path.replace(&format!("{{{name}}}"), &value.to_string());
        }
        (!path.contains('{')).then_some(path)
    }

    /// The request body example named `name`.
    pub fn request_example(&self, name: &str) -> Option<&'static Example> {
        self.examples
            .iter()
            .find(|e| e.status.is_none() && e.name == name)
    }

    /// The response example of `status` named `name`.
    pub fn response_example(&self, status: &str, name: &str) -> Option<&'static Example> {
        self.examples
            .iter()
            .find(|e| e.status == Some(status) && e.name == name)
    }
}

/// A thread is named by its first case: the id of a case that starts a
/// conversation is the id of its thread.
impl From<crate::types::CaseId> for crate::types::ThreadId {
    fn from(case: crate::types::CaseId) -> Self {
        Self(case.0)
    }
}
