//! Input the API could not read back (a separator inside a value, an empty
//! name, a request without its required list) is refused by the method,
//! before anything is sent.

use acquire::{
    query::{CaseColumn, CaseRelation, FilterOperator},
    CaseId, ContactId, Error,
};

use crate::support;

#[tokio::test]
async fn input_that_cannot_be_sent_is_refused_before_sending() {
    let server = support::server().await;
    let client = support::client(&server);
    let results: Vec<(&str, Result<(), Error>)> = vec![
        (
            "a filter value with the separator",
            client
                .cases()
                .list()
                .filter(CaseColumn::Title, FilterOperator::Eq, "50|50")
                .send()
                .await
                .map(drop),
        ),
        (
            "a custom column with the separator",
            client
                .cases()
                .get(CaseId(1))
                .select([CaseColumn::Unknown("a|b".into())])
                .send()
                .await
                .map(drop),
        ),
        (
            "an empty relation name",
            client
                .cases()
                .get(CaseId(1))
                .relations([CaseRelation::Unknown(String::new())])
                .send()
                .await
                .map(drop),
        ),
        (
            "an invitation of nobody",
            client.cases().invite(CaseId(1)).send().await.map(drop),
        ),
        (
            "an email without recipient",
            client
                .messages()
                .send_email(
                    CaseId(1),
                    ContactId(2),
                    "support@example.acquire.io",
                    Vec::<String>::new(),
                )
                .send()
                .await
                .map(drop),
        ),
    ];
    for (what, result) in results {
        assert!(
            matches!(result, Err(Error::InvalidRequest(_))),
            "{what}: {result:?}"
        );
    }
    let streamed: Vec<_> = futures::StreamExt::collect::<Vec<_>>(
        client
            .cases()
            .list()
            .filter(CaseColumn::Title, FilterOperator::Like, "a|b")
            .stream(),
    )
    .await;
    assert!(
        matches!(streamed.as_slice(), [Err(Error::InvalidRequest(_))]),
        "{streamed:?}"
    );
    assert_eq!(
        support::sent(&server).await,
        0,
        "{}",
        support::describe_requests(&server).await
    );
}
