//! Every route answers as the spec says, row by row; and what is no route
//! at all is a JSON 404 (or 405 for a path with a method it does not take).

use crate::common::{call, client, create, send, start, Checker, Op};
use crate::rows;

#[tokio::test]
async fn every_route_answers_as_the_spec_says() {
    let server = start().await;
    let mut checker = Checker::new();
    let mut ran = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for row in rows::all() {
        let reply = row.send(&server).await;
        if reply.status == row.status && reply.status < 400 {
            ran.insert(row.operation_id);
        }
        problems.extend(row.problems(&reply, &mut checker));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every operation the fake serves has at least one successful row.
    let served: Vec<String> = checker
        .spec
        .operations()
        .into_iter()
        .filter_map(|op| op.operation_id)
        .filter(|id| !acquire_mock::unserved_operations(&checker.spec).contains(id))
        .collect();
    for id in &served {
        assert!(ran.contains(id.as_str()), "no successful row for {id}");
    }
    assert!(
        acquire_mock::unserved_operations(&checker.spec).is_empty(),
        "operations without a handler: {:?}",
        acquire_mock::unserved_operations(&checker.spec)
    );
    assert_eq!(
        served.len(),
        checker.spec.operations().len(),
        "every operation of the spec (each with an id) is served"
    );
}

#[tokio::test]
async fn unknown_routes_are_json_404s() {
    let server = start().await;
    let mut checker = Checker::new();
    for path in [
        "/nope",
        "/crm/messenger/chat",
        "/crm/messenger/chat/create/extra",
        "",
    ] {
        let reply = call(&server, "GET", path, None).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.json["status"], 404);
        assert!(checker.failures("create_case", 404, &reply.json).is_empty());
    }
    let outside = client()
        .get(format!("http://{}/other", server.addr()))
        .send()
        .await
        .expect("response");
    assert_eq!(outside.status(), 404);
    // The create path with a method the spec does not declare on it.
    let wrong_method = send(&server, &Op::literal("DELETE", create().path()), None).await;
    assert_eq!(wrong_method.status, 405);
    assert!(checker
        .failures("create_case", 405, &wrong_method.json)
        .is_empty());
}
