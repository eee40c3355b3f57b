//! Property tests of the fake server: for every operation with a request
//! body, random valid bodies (with valid path, query and header parameters)
//! must pass its validation, and every mutation of them (a required member
//! dropped, a member of the wrong type, garbage after the JSON, a truncated
//! body) must be refused with 400 `ERROR_INVALID_INPUT`.
//!
//! Values come from the workspace's schema strategies
//! (`acquire_tests::strategies`). `ACQUIRE_PROP_SEED` picks the seed and
//! `ACQUIRE_PROP_SERVER_CASES` the number of cases per operation (default
//! 24).
//!
//! [`operations`] reads the operations with a body from the spec,
//! [`requests`] generates valid requests for them, [`mutations`] breaks
//! them, and [`answers`] sends them and says what an answer means.

mod answers;
mod mutations;
mod operations;
mod requests;

use std::{collections::BTreeMap, fmt::Write as _, time::Instant};

use acquire_mock::{MockConfig, MockServer};
use acquire_spec::{openapi_to_json_schema, Strictness};
use acquire_tests::{
    spec,
    strategies::{count, first_failure, runner, seed, GenOptions, SchemaGen},
};
use proptest::test_runner::{TestCaseError, TestError};
use serde_json::{json, Value};

use answers::{classify, send, Outcome};
use mutations::mutations;
use operations::body_operations;
use requests::request_strategy;

#[test]
fn fake_server_accepts_valid_bodies_and_refuses_mutated_ones() {
    let seed = seed();
    let cases = count("ACQUIRE_PROP_SERVER_CASES", 24);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => panic!("a tokio runtime: {e}"),
    };
    let http = match reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
    {
        Ok(c) => c,
        Err(e) => panic!("an HTTP client: {e}"),
    };
    let root = json!({
        "components": openapi_to_json_schema(
            spec().document().get("components").unwrap_or(&Value::Null),
            Strictness::AsDeclared,
        )
    });
    let generator = SchemaGen {
        root: &root,
        options: GenOptions {
            undeclared_when_absent: true,
            known_ids: true,
        },
    };
    let operations = body_operations();
    assert!(
        operations.len() >= 10,
        "expected the operations with a request body, found {}",
        operations.len()
    );
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut summary = String::new();
    for operation in &operations {
        let validator = match spec().validator(&operation.body_schema, Strictness::AsDeclared) {
            Ok(v) => v,
            Err(e) => panic!("{}: {e}", operation.id),
        };
        let strategy = match request_strategy(operation, &generator) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{}: {e}", operation.id));
                continue;
            }
        };
        let outcomes = std::cell::RefCell::new(BTreeMap::<Outcome, u32>::new());
        let refused = std::cell::Cell::new(0u32);
        let mut runner = runner(seed, &operation.id, cases);
        let result = runner.run(&strategy, |request| {
            first_failure(&validator, &request.body).map_err(|why| {
                TestCaseError::fail(format!("the generator made an invalid body: {why}"))
            })?;
            let mutated = mutations(&request.body, request.pick, &validator);
            runtime.block_on(async {
                let server = MockServer::start(MockConfig::default())
                    .await
                    .map_err(|e| TestCaseError::fail(format!("starting the fake server: {e}")))?;
                let (base, key) = (server.base_url().to_owned(), server.api_key().to_owned());
                let answer = send(&http, &base, &key, operation, &request, request.body.to_string().into_bytes())
                    .await
                    .map_err(TestCaseError::fail)?;
                let Some(outcome) = classify(&answer) else {
                    return Err(TestCaseError::fail(format!(
                        "a valid request was refused: {answer}\n  request: {request:?}"
                    )));
                };
                *outcomes.borrow_mut().entry(outcome).or_default() += 1;
                for mutation in mutated {
                    let answer = send(&http, &base, &key, operation, &request, mutation.body.clone())
                        .await
                        .map_err(TestCaseError::fail)?;
                    if answer.status != 400 || answer.kind.as_deref() != Some("ERROR_INVALID_INPUT") {
                        return Err(TestCaseError::fail(format!(
                            "a mutated request ({}) was not refused with 400 ERROR_INVALID_INPUT: {answer}\n  sent: {}",
                            mutation.what,
                            String::from_utf8_lossy(&mutation.body)
                        )));
                    }
                    refused.set(refused.get() + 1);
                }
                server.shutdown().await;
                Ok(())
            })
        });
        if let Err(e) = result {
            failures.push(match e {
                TestError::Fail(reason, request) => format!(
                    "{}, seed {seed:#x}: {reason}\n  minimal request: {} {} query={:?} headers={:?} path={:?} body={}\n  \
                     reproduce: ACQUIRE_PROP_SEED={seed:#x} cargo test -p acquire-mock --test properties",
                    operation.id, operation.method, operation.path, request.query, request.headers, request.path, request.body
                ),
                TestError::Abort(reason) => format!("{}, seed {seed:#x}: aborted: {reason}", operation.id),
            });
            continue;
        }
        let outcomes = outcomes.into_inner();
        let accepted = outcomes.get(&Outcome::Executed).copied().unwrap_or(0)
            + outcomes.get(&Outcome::NotImplemented).copied().unwrap_or(0);
        if accepted == 0 {
            failures.push(format!(
                "{}, seed {seed:#x}: no valid request got through ({outcomes:?})",
                operation.id
            ));
        }
        let _ = writeln!(
            summary,
            "  {}: {outcomes:?}, {} mutations refused",
            operation.id,
            refused.get()
        );
    }
    eprintln!(
        "fake server: {} operations x {cases} cases, seed {seed:#x}, {:.1} s\n{summary}",
        operations.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
