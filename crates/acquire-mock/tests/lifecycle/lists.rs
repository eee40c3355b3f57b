//! Listing cases: pages counted from 0, conditions that must all hold,
//! `select` and `relations`, and generated cases that are the same on every
//! start.

use acquire_mock::MockConfig;

use super::ids;
use crate::common::{op, send, start_with};

#[tokio::test]
async fn list_pages_filters_selects_and_embeds() {
    let server = start_with(
        MockConfig::default()
            .with_seed_data(false)
            .with_generated_cases(45),
    )
    .await;
    let mut seen = Vec::new();
    // Pages count from 0: page 0 is the first, page 1 the second.
    for (page, want) in [(0, 20), (1, 20), (2, 5), (3, 0), (1000, 0)] {
        let reply = send(
            &server,
            &op("list_cases").query(&format!("page={page}&limit=20")),
            None,
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        let data = &reply.json["data"];
        assert_eq!(data["count"], 45, "count is the total of matches");
        assert_eq!(data["page"], page);
        assert_eq!(data["limit"], 20);
        assert_eq!(data["offset"], page * 20);
        let got = ids(&data["data"]);
        assert_eq!(got.len(), want, "page {page}: {got:?}");
        seen.extend(got);
    }
    let expected: Vec<i64> = (2072..2072 + 45).collect();
    assert_eq!(seen, expected, "every case once, in id order");
    // No page: the first, echoed as page 0.
    let first = send(&server, &op("list_cases").query("limit=20"), None).await;
    assert_eq!(first.json["data"]["page"], 0);
    assert_eq!(first.json["data"]["offset"], 0);
    assert_eq!(ids(&first.json["data"]["data"]), expected[..20]);

    // Conditions: all must hold.
    let closed = send(
        &server,
        &op("list_cases").query("where=status%7Ceq%7Cclosed&limit=100"),
        None,
    )
    .await;
    assert_eq!(closed.json["data"]["count"], 15);
    assert!(closed.json["data"]["data"]
        .as_array()
        .expect("cases")
        .iter()
        .all(|c| c["status"] == "closed" && c["dateClosed"].is_string()));
    let both = send(
        &server,
        &op("list_cases")
            .query("where=status%7Ceq%7Cclosed&where=channel%7Ceq%7Cemail&where=id%7Clt%7C2100"),
        None,
    )
    .await;
    let both_ids = ids(&both.json["data"]["data"]);
    assert!(!both_ids.is_empty());
    assert_eq!(both.json["data"]["count"], both_ids.len());
    assert!(both.json["data"]["data"]
        .as_array()
        .expect("cases")
        .iter()
        .all(|c| c["status"] == "closed"
            && c["channel"] == "email"
            && c["id"].as_i64() < Some(2100)));

    // select keeps the named columns and id; relations embed.
    let selected = send(
        &server,
        &op("list_cases").query("select=status&relations=contact%7Cusers%7Cmessages&limit=1"),
        None,
    )
    .await;
    let case = &selected.json["data"]["data"][0];
    let keys: Vec<&str> = case
        .as_object()
        .expect("case")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 5, "{keys:?}");
    assert_eq!(case["id"], 2072);
    assert_eq!(case["status"], "pending");
    assert_eq!(case["contact"]["id"], 597752);
    assert_eq!(case["users"][0]["user"]["type"], "contact");
    assert_eq!(case["messages"][0]["message"], "Question number 1");

    let bad = send(
        &server,
        &op("list_cases").query("where=status%7Clike"),
        None,
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json["type"], "ERROR_INVALID_INPUT");
    assert!(bad.json["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("where")));
}

#[tokio::test]
async fn generated_cases_are_deterministic() {
    let mut pages = Vec::new();
    for _ in 0..2 {
        let server = start_with(MockConfig::default().with_generated_cases(30)).await;
        let reply = send(&server, &op("list_cases").query("page=1&limit=25"), None).await;
        assert_eq!(reply.status, 200);
        pages.push(reply.json);
    }
    assert_eq!(pages[0], pages[1]);
    // The seed is kept: 5 documented cases + 3 authored ones + 30 generated.
    assert_eq!(pages[0]["data"]["count"], 38);
    assert_eq!(pages[0]["data"]["offset"], 25);
    assert_eq!(pages[0]["data"]["data"].as_array().map(Vec::len), Some(13));
}
