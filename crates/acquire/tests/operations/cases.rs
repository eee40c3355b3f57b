//! The rows of the cases' methods: create and reopen, reject, join, close,
//! invite, list and get.

use acquire::{
    query::{CaseColumn, CaseRelation, FilterOperator},
    types, AgentInvite, Case, CaseId, CaseStatus, Channel, ClosedCase, ClosingState, ContactId,
    DepartmentId, ParticipantId, ParticipantType, SessionId, ThreadId, UserId,
};
use serde_json::json;

use crate::{parts, same, support, Body, Row};

pub(crate) fn rows() -> Vec<Row> {
    vec![
        Row {
            operation: "create_case",
            variant: "",
            example: "create",
            path_params: &[],
            query: &[("contactId", "597752")],
            body: Body::Json(json!({
                "title": "Billing question",
                "source": "firstMessage",
                "mentionUsers": ["12"],
                "message": {"type": "message", "message": "My invoice is wrong"},
                "channel": "chat",
                "routeAgentId": 15,
                "agentId": 12,
                "isFromCobrowse": false,
                "fields": {"orderId": 311}
            })),
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .create(ContactId(597752))
                        .title("Billing question")
                        .source("firstMessage")
                        .mention([UserId(12)])
                        .message("My invoice is wrong")
                        .channel(Channel::Chat)
                        .route_to(UserId(15))
                        .agent(UserId(12))
                        .from_cobrowse(false)
                        .field("orderId", 311)
                        .send()
                        .await;
                    same(got, support::data::<Case>(&example))
                })
            },
        },
        Row {
            operation: "create_case",
            variant: "",
            example: "reopen",
            path_params: &[],
            query: &[("contactId", "597752")],
            body: Body::Json(json!({
                "threadId": 1683,
                "sessionId": 3711819272_i64,
                "message": {"type": "message", "message": "I'm reopening the closed case"}
            })),
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .reopen(ContactId(597752), ThreadId(1683))
                        .session(SessionId(3711819272))
                        .message("I'm reopening the closed case")
                        .send()
                        .await;
                    same(got, support::data::<Case>(&example))
                })
            },
        },
        Row {
            operation: "reject_case",
            variant: "",
            example: "reject",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.cases().reject(CaseId(1681)).send().await;
                    same(got, support::data::<Case>(&example))
                })
            },
        },
        Row {
            operation: "join_case",
            variant: "",
            example: "join",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .join(CaseId(1684))
                        .ask_join(true)
                        .send()
                        .await;
                    same(got, support::data::<Case>(&example))
                })
            },
        },
        Row {
            operation: "close_case",
            variant: "",
            example: "close",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .close(CaseId(1684))
                        .archive(true)
                        .closing_state(ClosingState::Handled)
                        .meta("reason", "answered")
                        .force(false)
                        .leave_only(false)
                        .leave_event(true)
                        .ask_feedback(true)
                        .send()
                        .await
                        .map(|c| (c.closed_by, c.closed_by_type, c.cases));
                    let first: ClosedCase = serde_json::from_value(example["data"]["0"].clone())
                        .map_err(|e| e.to_string())?;
                    same(
                        got,
                        (
                            Some(ParticipantId(12)),
                            Some(ParticipantType::User),
                            vec![first],
                        ),
                    )
                })
            },
        },
        Row {
            operation: "invite_agent",
            variant: "",
            example: "invite",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .invite(CaseId(1684))
                        .agents([UserId(12)])
                        .departments([DepartmentId(3)])
                        .send()
                        .await;
                    let invite: AgentInvite = serde_json::from_value(example["data"]["12"].clone())
                        .map_err(|e| e.to_string())?;
                    same(got, [(UserId(12), invite)].into_iter().collect())
                })
            },
        },
        Row {
            operation: "list_cases",
            variant: "",
            example: "active",
            path_params: &[],
            query: &[
                ("limit", "2"),
                ("page", "0"),
                ("relations", "contact|users"),
                ("select", "id|status|title|contactId"),
                ("where", "status|eq|active"),
                ("where", "channel|eq|chat"),
                ("where", "waitTime|gt|30"),
            ],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .list()
                        .filter(CaseColumn::Status, FilterOperator::Eq, CaseStatus::Active)
                        .filter(CaseColumn::Channel, FilterOperator::Eq, Channel::Chat)
                        .filter(CaseColumn::WaitTime, FilterOperator::Gt, 30)
                        .select([CaseColumn::Id, CaseColumn::Status, CaseColumn::Title])
                        .select([CaseColumn::ContactId])
                        .relations([CaseRelation::Contact, CaseRelation::Users])
                        .page(0)
                        .limit(2)
                        .send()
                        .await
                        .map(parts);
                    let page: types::CasePage = support::data(&example);
                    same(got, (false, 0, Some(0), Some(2), Some(37), page.data))
                })
            },
        },
        Row {
            operation: "get_case",
            variant: "",
            example: "withContact",
            path_params: &[("caseId", "1684")],
            query: &[("relations", "contact"), ("select", "id|status|contactId")],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .get(CaseId(1684))
                        .select([CaseColumn::Id, CaseColumn::Status, CaseColumn::ContactId])
                        .relations([CaseRelation::Contact])
                        .send()
                        .await;
                    same(got, support::data::<Case>(&example))
                })
            },
        },
    ]
}
