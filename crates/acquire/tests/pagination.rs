//! Page streams over several pages: lazy, one page at a time, ending on an
//! empty page, a short page or the total count, never looping on a
//! repeated page, and ending after an error.

mod support;

use acquire::{ContactId, Error, Page};
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::{MockServer, Request, ResponseTemplate};

/// What the server answers for each page number (from 0 as Acquire
/// numbers them, the first page when none is asked for); pages past the
/// end answer an empty page.
#[derive(Clone)]
struct Pages {
    /// The number of the first page (0; 1 for a server numbering from 1).
    first: u64,
    /// The ids of each page.
    ids: Vec<Vec<i64>>,
    /// The `count` to report, if any.
    count: Option<usize>,
    /// Answer this status instead, for this page.
    fail: Option<(u64, u16)>,
    /// Notes (`{count, rows}`) instead of cases (`{page, offset, limit, count, data}`).
    notes: bool,
}

impl Pages {
    fn cases(ids: Vec<Vec<i64>>, count: Option<usize>) -> Self {
        Self {
            first: 0,
            ids,
            count,
            fail: None,
            notes: false,
        }
    }

    fn answer(&self, request: &Request) -> ResponseTemplate {
        let param = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<u64>().ok())
        };
        let page = param("page").unwrap_or(self.first);
        if let Some((failing, status)) = self.fail {
            if failing == page {
                return ResponseTemplate::new(status)
                    .set_body_json(json!({"type": "ERROR_SERVER_ERROR", "message": "boom"}));
            }
        }
        let ids = page
            .checked_sub(self.first)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.ids.get(i))
            .cloned()
            .unwrap_or_default();
        let items: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
        let mut data = if self.notes {
            json!({"rows": items})
        } else {
            json!({"page": page, "data": items})
        };
        if let Some(limit) = param("limit").filter(|_| !self.notes) {
            data["limit"] = json!(limit);
            data["offset"] = json!(page.saturating_sub(self.first) * limit);
        }
        if let Some(count) = self.count {
            data["count"] = json!(count);
        }
        ResponseTemplate::new(200).set_body_json(json!({ "data": data }))
    }
}

/// A mock answering the list of cases (or of notes) with `pages`.
async fn serving(pages: Pages) -> MockServer {
    let server = support::server().await;
    let operation = if pages.notes {
        "list_notes"
    } else {
        "list_cases"
    };
    let answer = move |request: &Request| pages.answer(request);
    support::answer_operation(&server, operation, "", answer).await;
    server
}

/// The `page` parameter of every request, in order.
async fn pages_requested(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .map_or("-".into(), |(_, v)| v.into_owned())
        })
        .collect()
}

/// The ids of every case a stream of the case list yields, `limit` a page
/// (none: the server's page size); panics on an error.
async fn case_ids(server: &MockServer, limit: Option<u64>) -> Vec<i64> {
    let client = support::client(server);
    let list = client.cases().list();
    let list = match limit {
        Some(limit) => list.limit(limit),
        None => list,
    };
    list.stream()
        .map_ok(|case| case.id.0)
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The ids of every note of contact 597752 a stream yields, `limit` a page;
/// panics on an error.
async fn note_ids(server: &MockServer, limit: u64) -> Vec<i64> {
    support::client(server)
        .notes()
        .list(ContactId(597752))
        .limit(limit)
        .stream()
        .map_ok(|note| note.id.0)
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// What a stream of the case list, 2 a page, yields: case ids and errors
/// (at most 10, so a stream that loops ends).
async fn case_results(server: &MockServer) -> Vec<Result<i64, Error>> {
    support::client(server)
        .cases()
        .list()
        .limit(2)
        .stream()
        .map_ok(|case| case.id.0)
        .take(10)
        .collect()
        .await
}

/// Every page of the case list, 2 a page, from page `first` (none: the
/// server's first); panics on an error.
async fn case_pages(server: &MockServer, first: Option<u64>) -> Vec<Page<acquire::Case>> {
    let client = support::client(server);
    let list = client.cases().list().limit(2);
    let list = match first {
        Some(page) => list.page(page),
        None => list,
    };
    list.pages()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn cases_stream_across_pages_and_stop_at_a_short_last_page() {
    let server = serving(Pages::cases(vec![vec![1, 2], vec![3, 4], vec![5]], None)).await;
    let ids = case_ids(&server, Some(2)).await;
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(
        pages_requested(&server).await,
        ["-", "1", "2"],
        "the server's first page, then pages 1 and 2; no 4th request after the short page"
    );
}

#[tokio::test]
async fn an_empty_page_ends_the_stream_and_is_not_yielded() {
    let server = serving(Pages::cases(vec![vec![1, 2], vec![3, 4], vec![]], None)).await;
    let pages = case_pages(&server, None).await;
    let shape: Vec<_> = pages.iter().map(|p| (p.page, p.offset, p.len())).collect();
    assert_eq!(shape, [(0, Some(0), 2), (1, Some(2), 2)]);
    assert_eq!(pages_requested(&server).await, ["-", "1", "2"]);
}

#[tokio::test]
async fn the_total_count_ends_the_stream_without_an_extra_request() {
    let server = serving(Pages::cases(
        vec![vec![1, 2], vec![3, 4], vec![9, 9]],
        Some(4),
    ))
    .await;
    let pages = case_pages(&server, None).await;
    assert_eq!(pages.len(), 2);
    assert!(pages[1].is_last() && !pages[0].is_last());
    assert_eq!(pages[1].count, Some(4));
    assert_eq!(pages_requested(&server).await, ["-", "1"]);
}

#[tokio::test]
async fn nothing_is_requested_until_polled_and_one_page_at_a_time() {
    let server = serving(Pages::cases(vec![vec![1, 2], vec![3, 4], vec![5]], None)).await;
    let client = support::client(&server);
    let mut stream = client.cases().list().limit(2).stream();
    assert_eq!(
        support::sent(&server).await,
        0,
        "building the stream sends nothing"
    );
    let id = |item: Option<Result<acquire::Case, Error>>| {
        item.map(|r| r.map(|c| c.id.0).map_err(|e| e.to_string()))
    };
    assert_eq!(id(stream.next().await), Some(Ok(1)));
    assert_eq!(support::sent(&server).await, 1);
    assert_eq!(id(stream.next().await), Some(Ok(2)));
    assert_eq!(
        support::sent(&server).await,
        1,
        "page 2 waits until page 1 is used up"
    );
    assert_eq!(id(stream.next().await), Some(Ok(3)));
    assert_eq!(support::sent(&server).await, 2);
}

#[tokio::test]
async fn a_repeated_page_ends_the_stream_with_an_error_instead_of_looping() {
    // A server that ignores `page` answers its first page forever, with no count.
    let server = support::server().await;
    let first = json!({"data": {"page": 1, "limit": 2, "data": [{"id": 1}, {"id": 2}]}});
    let answer = ResponseTemplate::new(200).set_body_json(first);
    support::answer_operation(&server, "list_cases", "", answer).await;
    let results = case_results(&server).await;
    assert_eq!(
        results.len(),
        3,
        "two items, then the error, then the end: {results:?}"
    );
    assert!(matches!(&results[..2], [Ok(1), Ok(2)]), "{results:?}");
    assert!(
        matches!(&results[2], Err(Error::Decode { reason, .. }) if reason.contains("repeats")),
        "{results:?}"
    );
    assert_eq!(support::sent(&server).await, 2);
}

#[tokio::test]
async fn an_error_is_yielded_once_and_ends_the_stream() {
    let mut pages = Pages::cases(vec![vec![1, 2], vec![3, 4], vec![5, 6]], None);
    pages.fail = Some((1, 500));
    let server = serving(pages).await;
    let results = case_results(&server).await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(
        matches!(&results[2], Err(e) if e.status() == Some(500)),
        "{results:?}"
    );
    assert_eq!(pages_requested(&server).await, ["-", "1"]);
}

#[tokio::test]
async fn streams_start_at_the_page_asked_for() {
    let server = serving(Pages::cases(vec![vec![1, 2], vec![3, 4], vec![5]], Some(5))).await;
    let pages = case_pages(&server, Some(1)).await;
    let shape: Vec<_> = pages.iter().map(|p| (p.page, p.offset, p.len())).collect();
    assert_eq!(shape, [(1, Some(2), 2), (2, Some(4), 1)]);
    assert_eq!(pages_requested(&server).await, ["1", "2"]);
}

#[tokio::test]
async fn page_zero_is_the_first_page_and_is_sent_when_asked_for() {
    let server = serving(Pages::cases(vec![vec![1, 2], vec![3]], Some(3))).await;
    let client = support::client(&server);
    let page = client
        .cases()
        .list()
        .page(0)
        .limit(2)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((page.page, page.offset, page.len()), (0, Some(0), 2));
    assert_eq!(pages_requested(&server).await, ["0"]);
}

#[tokio::test]
async fn a_server_numbering_pages_from_one_is_walked_from_the_number_it_echoes() {
    // Pages count from 0 (the decision the spec states), but the walk
    // follows the `page` the server answers with, so a server numbering
    // from 1 is walked without a gap or a repeat.
    let mut pages = Pages::cases(vec![vec![1, 2], vec![3, 4], vec![5]], None);
    pages.first = 1;
    let server = serving(pages).await;
    let ids = case_ids(&server, Some(2)).await;
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(pages_requested(&server).await, ["-", "2", "3"]);
}

#[tokio::test]
async fn without_a_limit_the_stream_runs_to_the_empty_page() {
    let server = serving(Pages::cases(vec![vec![1, 2, 3], vec![4]], None)).await;
    let ids = case_ids(&server, None).await;
    assert_eq!(ids, [1, 2, 3, 4]);
    assert_eq!(pages_requested(&server).await, ["-", "1", "2"]);
}

#[tokio::test]
async fn notes_stream_across_pages_with_their_count() {
    let mut pages = Pages::cases(vec![vec![10, 11], vec![12, 13], vec![14]], Some(5));
    pages.notes = true;
    let server = serving(pages.clone()).await;
    let ids = note_ids(&server, 2).await;
    assert_eq!(ids, [10, 11, 12, 13, 14]);
    assert_eq!(pages_requested(&server).await, ["-", "1", "2"]);
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(
        requests.iter().all(|r| r
            .url
            .query()
            .is_some_and(|q| q.starts_with("contact_id=597752&limit=2"))),
        "{}",
        support::describe_requests(&server).await
    );

    // Without a count, an empty page ends the walk.
    pages.count = None;
    pages.ids = vec![vec![10, 11], vec![12, 13], vec![]];
    let server = serving(pages).await;
    let client = support::client(&server);
    let notes: Vec<_> = client
        .notes()
        .list(ContactId(597752))
        .limit(2)
        .pages()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let shape: Vec<_> = notes
        .iter()
        .map(|p| (p.page, p.offset, p.len(), p.is_last()))
        .collect();
    assert_eq!(shape, [(0, Some(0), 2, false), (1, Some(2), 2, false)]);
    assert_eq!(pages_requested(&server).await, ["-", "1", "2"]);
}

#[tokio::test]
async fn limit_zero_is_refused_before_sending() {
    let server = serving(Pages::cases(vec![vec![1]], None)).await;
    let client = support::client(&server);
    let one_page = client.cases().list().limit(0).send().await;
    assert!(
        matches!(one_page, Err(Error::InvalidRequest(_))),
        "{one_page:?}"
    );
    let limit_zero: Vec<_> = client
        .notes()
        .list(ContactId(1))
        .limit(0)
        .stream()
        .collect()
        .await;
    assert!(
        matches!(limit_zero.as_slice(), [Err(Error::InvalidRequest(_))]),
        "{limit_zero:?}"
    );
    let stream_zero: Vec<_> = client.cases().list().limit(0).pages().collect().await;
    assert!(matches!(
        stream_zero.as_slice(),
        [Err(Error::InvalidRequest(_))]
    ));
    assert_eq!(support::sent(&server).await, 0);
}

#[tokio::test]
async fn a_known_count_wins_over_a_silently_capped_page_size() {
    // Asked for 3 per page, the server sends 2 without saying so; its
    // count (5) says more remain after each short page.
    let mut pages = Pages::cases(vec![vec![1, 2], vec![3, 4], vec![5]], Some(5));
    pages.notes = true;
    let server = serving(pages).await;
    let ids = note_ids(&server, 3).await;
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(pages_requested(&server).await, ["-", "1", "2"]);
}
