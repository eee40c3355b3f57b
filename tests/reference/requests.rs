//! Requests: every parameter `REQUESTS.md` documents is declared by the
//! spec where the reference puts it, accepts the documented form(s), and is
//! required exactly when the reference requires it; a request carrying every
//! documented parameter in its documented place validates against the spec
//! and the fake server answers it with 2xx.

mod check;
mod declared;
mod values;

use std::collections::BTreeMap;

use acquire_mock::{MockConfig, MockServer, RequestChecker};
use acquire_tests::spec;

use check::{check_param, Built};
use declared::required_but_undocumented;
use values::{value_of, values};

use crate::sheet;

/// The sheet's headings and the operations they document.
const HEADINGS: &[(&str, &str)] = &[
    ("list cases", "list_cases"),
    ("get case", "get_case"),
    ("create case", "create_case"),
    ("reopen case (create with threadId)", "create_case"),
    ("join case", "join_case"),
    ("reject case", "reject_case"),
    ("close case", "close_case"),
    ("invite agent", "invite_agent"),
    ("list messages", "list_messages"),
    ("get message", "get_message"),
    ("update message", "update_message"),
    ("delete message", "delete_message"),
    ("send chat message", "send_chat_message"),
    ("send email message", "send_email_message"),
    ("send SMS", "send_sms"),
    ("list notes", "list_notes"),
    ("get note", "get_note"),
    ("create note", "create_note"),
    ("add note message", "add_note_message"),
    ("note messages (list note messages)", "list_note_messages"),
    ("delete note", "delete_note"),
    ("create snooze", "create_snooze"),
    ("delete snooze", "delete_snooze"),
];

const KEY: &str = "reference-key-0b7d";

#[tokio::test]
async fn every_documented_parameter_is_declared_where_the_reference_puts_it() {
    let spec = spec();
    let requests = sheet::requests().unwrap_or_else(|e| panic!("{e}"));
    let headings: Vec<&str> = HEADINGS.iter().map(|(h, _)| *h).collect();
    let unmapped: Vec<&String> = requests
        .keys()
        .filter(|h| !headings.contains(&h.as_str()))
        .collect();
    assert!(
        unmapped.is_empty(),
        "headings without an operation: {unmapped:?}"
    );
    let covered: std::collections::BTreeSet<&str> = HEADINGS.iter().map(|(_, o)| *o).collect();
    let in_spec: std::collections::BTreeSet<String> = spec
        .operations()
        .into_iter()
        .filter_map(|o| o.operation_id)
        .collect();
    let uncovered: Vec<&String> = in_spec
        .iter()
        .filter(|o| !covered.contains(o.as_str()))
        .collect();
    assert!(
        uncovered.is_empty(),
        "operations the sheet does not document: {uncovered:?}"
    );

    let checker = RequestChecker::load(spec.path()).unwrap_or_else(|e| panic!("{e}"));
    let http = reqwest::Client::new();
    let mut failures: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut parameters = 0;
    for (heading, operation) in HEADINGS {
        let op = spec
            .operation(operation)
            .unwrap_or_else(|| panic!("{operation} is not in the spec"));
        let documented = requests
            .get(*heading)
            .unwrap_or_else(|| panic!("REQUESTS.md has no `{heading}`"));
        let values = values(heading);
        let mut built = Built {
            path: op.path.clone(),
            ..Built::default()
        };
        let mut wrong = Vec::new();
        for param in documented {
            let value = value_of(&values, param);
            check_param(spec, &op, param, &value, &mut built, &mut wrong);
            parameters += 1;
        }
        for extra in required_but_undocumented(spec, &op, documented) {
            wrong.push(format!(
                "{extra} is required by the spec, not by the reference"
            ));
        }
        if !built.query.iter().any(|(n, _)| n == "Authorization") {
            built
                .headers
                .push(("authorization".into(), format!("Bearer {KEY}")));
        }
        let body = built
            .body
            .as_ref()
            .map(|b| serde_json::to_vec(b).unwrap_or_default())
            .unwrap_or_default();
        if built.body.is_some() {
            built
                .headers
                .push(("content-type".into(), "application/json".into()));
        }
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&built.query)
            .finish();
        let headers: Vec<(&str, &str)> = built
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        if let Err(why) = checker.check(
            &op.method.to_ascii_uppercase(),
            &built.path,
            (!query.is_empty()).then_some(query.as_str()),
            &headers,
            &body,
        ) {
            wrong.push(format!("the whole request does not validate: {why}"));
        }
        // A fresh fake for each request: some change its state.
        let server = MockServer::start(MockConfig::default().with_api_key(KEY))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let url = format!("{}{}?{query}", server.base_url(), built.path);
        let method = reqwest::Method::from_bytes(op.method.to_ascii_uppercase().as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut request = http.request(method, url).body(body);
        for (name, value) in &built.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        match request.send().await {
            Ok(answer) if answer.status().is_success() => {}
            Ok(answer) => {
                let status = answer.status();
                let text = answer.text().await.unwrap_or_default();
                wrong.push(format!("the fake answered {status}: {text}"));
            }
            Err(e) => wrong.push(format!("sending to the fake: {e}")),
        }
        server.shutdown().await;
        if !wrong.is_empty() {
            failures.entry(heading).or_default().extend(wrong);
        }
    }
    let report: Vec<String> = failures
        .iter()
        .map(|(heading, wrong)| format!("{heading}:\n  {}", wrong.join("\n  ")))
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
    assert!(parameters > 90, "only {parameters} parameters were read");
}
