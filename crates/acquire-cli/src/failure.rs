//! Failures, the exit code each maps to, and the one line each prints.

use std::{io, process::ExitCode};

use acquire::Error;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// Wrong usage or configuration (a missing variable, a value the crate
    /// refuses before sending): exit code 2.
    Usage(String),
    /// The API answered with an error, or the network failed: exit code 1.
    Call(Error),
    /// The result could not be printed (other than a closed pipe): exit
    /// code 1.
    Output(io::Error),
    /// Anything else that stopped the command: exit code 1.
    Other(String),
    /// `acquire doctor` found something the spec does not know, and every
    /// response decoded: exit code 3.
    Drift(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        match error {
            Error::Config(reason) => Failure::Usage(reason.to_string()),
            Error::InvalidRequest(reason) => Failure::Usage(format!("invalid request: {reason}")),
            other => Failure::Call(other),
        }
    }
}

impl From<serde_json::Error> for Failure {
    fn from(error: serde_json::Error) -> Self {
        Failure::Other(format!("cannot encode the result as JSON: {error}"))
    }
}

impl Failure {
    /// Prints the failure on stderr (one line) and returns its exit code. A
    /// reader that stopped reading (`acquire ... | head`) is not a failure.
    pub fn report(self) -> ExitCode {
        let (code, line) = match self {
            Failure::Usage(message) => (2, message),
            Failure::Call(error) => (1, call_line(&error)),
            Failure::Output(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                return ExitCode::SUCCESS
            }
            Failure::Output(error) => (1, format!("cannot write the output: {error}")),
            Failure::Other(message) => (1, message),
            Failure::Drift(message) => {
                eprintln!("doctor: {}", one_line(&message));
                return ExitCode::from(3);
            }
        };
        eprintln!("error: {}", one_line(&line));
        ExitCode::from(code)
    }
}

/// `status ERROR_TYPE: message` for an API answer; the crate's text for
/// the rest (network, timeout, undecodable answer).
fn call_line(error: &Error) -> String {
    let Some(api) = error.api() else {
        return error.to_string();
    };
    let mut line = api.status.to_string();
    if let Some(kind) = &api.error_type {
        line.push(' ');
        line.push_str(kind.as_str());
    }
    match &api.message {
        Some(message) => line.push_str(&format!(": {message}")),
        None => line.push_str(&format!(": {}", api.body)),
    }
    if let Some(id) = &api.request_id {
        line.push_str(&format!(" (request id {id})"));
    }
    line
}

/// The text on a single line: line breaks and other control characters
/// become spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_kept_on_one_line() {
        assert_eq!(one_line("a\nb\r\nc\t"), "a b  c");
    }

    #[test]
    fn config_and_refused_requests_are_usage_errors() {
        let config = Failure::from(Error::Config(acquire::ConfigError::MissingVariable(
            "ACQUIRE_API_KEY",
        )));
        assert!(matches!(config, Failure::Usage(m) if m.contains("ACQUIRE_API_KEY")));
        let refused = Failure::from(Error::InvalidRequest("no agent".into()));
        assert!(matches!(refused, Failure::Usage(m) if m.contains("no agent")));
        let network = Failure::from(Error::Timeout);
        assert!(matches!(network, Failure::Call(Error::Timeout)));
    }
}
