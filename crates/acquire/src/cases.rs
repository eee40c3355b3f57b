//! Case operations: `client.cases()`. Listing and reading cases are in
//! [`read`].

mod read;

pub use read::{GetCase, ListCases};

use std::collections::BTreeMap;

use acquire_api::types;

use crate::{
    ids::{
        self, CaseId, ContactId, DepartmentId, Flexible, ParticipantId, SessionId, ThreadId, UserId,
    },
    AgentInvite, BodySnippet, Case, Channel, Client, ClosedCase, ClosingState, Error, MessageType,
    ParticipantType, YesNo,
};

/// The case operations of a [`Client`]: `client.cases()`.
#[derive(Clone, Copy, Debug)]
pub struct Cases<'a> {
    client: &'a Client,
}

impl<'a> Cases<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Starts a new case for `contact` (`create_case`). Add details with the
    /// builder, then [`CreateCase::send`].
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::{Channel, ContactId, UserId};
    /// let case = client
    ///     .cases()
    ///     .create(ContactId(597752))
    ///     .title("Billing question")
    ///     .message("Hello, my invoice is wrong")
    ///     .channel(Channel::Chat)
    ///     .route_to(UserId(12))
    ///     .send()
    ///     .await?;
    /// assert_eq!(case.contact_id, Some(ContactId(597752)));
    /// # Ok(()) }
    /// ```
    pub fn create(&self, contact: ContactId) -> CreateCase<'a> {
        CreateCase {
            client: self.client,
            contact,
            mentions: Vec::new(),
            body: types::CreateCaseRequest::default(),
        }
    }

    /// Reopens the closed `thread` of `contact` (`create_case` with a
    /// `threadId`): a new case whose `parentId` and `threadId` point at the
    /// thread. Acquire also expects the contact's session
    /// ([`CreateCase::session`]).
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::{ContactId, SessionId, ThreadId};
    /// let case = client
    ///     .cases()
    ///     .reopen(ContactId(597752), ThreadId(1683))
    ///     .session(SessionId(3711819272))
    ///     .send()
    ///     .await?;
    /// assert_eq!(case.thread_id, Some(ThreadId(1683)));
    /// # Ok(()) }
    /// ```
    pub fn reopen(&self, contact: ContactId, thread: ThreadId) -> CreateCase<'a> {
        let mut create = self.create(contact);
        create.body.thread_id = Some(thread);
        create
    }

    /// Joins `case` as the calling agent (`join_case`); the case becomes
    /// active.
    pub fn join(&self, case: CaseId) -> JoinCase<'a> {
        JoinCase {
            client: self.client,
            body: types::JoinCaseRequest {
                case_id: case,
                ask_join: None,
                unknown: serde_json::Map::new(),
            },
        }
    }

    /// Rejects `case` as the calling agent (`reject_case`). The returned
    /// case lists the agent as `rejected`.
    pub fn reject(&self, case: CaseId) -> RejectCase<'a> {
        RejectCase {
            client: self.client,
            body: types::RejectCaseRequest {
                case_id: Some(case),
                unknown: serde_json::Map::new(),
            },
        }
    }

    /// Closes `case`, or only leaves it ([`CloseCase::leave_only`])
    /// (`close_case`).
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::{CaseId, ClosingState};
    /// let closure = client
    ///     .cases()
    ///     .close(CaseId(1684))
    ///     .closing_state(ClosingState::Handled)
    ///     .ask_feedback(true)
    ///     .send()
    ///     .await?;
    /// for closed in &closure.cases {
    ///     println!("closed {:?}", closed.case_id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn close(&self, case: CaseId) -> CloseCase<'a> {
        CloseCase {
            client: self.client,
            body: types::CloseCaseRequest {
                case_id: case,
                archive: None,
                ask_feedback: None,
                closing_state: None,
                force_close: None,
                leave_event: None,
                leave_only: None,
                meta: serde_json::Map::new(),
                unknown: serde_json::Map::new(),
            },
        }
    }

    /// Invites agents to `case` (`invite_agent`): name them with
    /// [`InviteAgents::agents`], [`InviteAgents::departments`] or both.
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::{CaseId, UserId};
    /// let invites = client.cases().invite(CaseId(1684)).agents([UserId(12)]).send().await?;
    /// if let Some(invite) = invites.get(&UserId(12)) {
    ///     println!("online: {:?}, sent: {:?}", invite.online, invite.sent);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn invite(&self, case: CaseId) -> InviteAgents<'a> {
        InviteAgents {
            client: self.client,
            body: types::InviteAgentRequest {
                case_id: Flexible::Integer(case),
                agent_ids: Vec::new(),
                department: Vec::new(),
                unknown: serde_json::Map::new(),
            },
        }
    }

    /// Lists cases (`list_cases`): filter with [`ListCases::filter`], then
    /// take one page ([`ListCases::send`]), the pages
    /// ([`ListCases::pages`]) or every case ([`ListCases::stream`]).
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::query::{CaseColumn, CaseRelation, FilterOperator};
    /// use acquire::{CaseStatus, Channel};
    /// use futures::TryStreamExt;
    ///
    /// let mut cases = client
    ///     .cases()
    ///     .list()
    ///     .filter(CaseColumn::Status, FilterOperator::Eq, CaseStatus::Active)
    ///     .filter(CaseColumn::Channel, FilterOperator::Eq, Channel::Chat)
    ///     .select([CaseColumn::Id, CaseColumn::Status, CaseColumn::Title])
    ///     .relations([CaseRelation::Contact])
    ///     .limit(100)
    ///     .stream();
    /// while let Some(case) = cases.try_next().await? {
    ///     println!("{} {:?}", case.id, case.title);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListCases<'a> {
        ListCases::new(self.client)
    }

    /// Gets one case (`get_case`), with the columns of
    /// [`GetCase::select`] and the relations of [`GetCase::relations`].
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::{query::CaseRelation, CaseId};
    /// let case = client.cases().get(CaseId(1684)).relations([CaseRelation::Contact]).send().await?;
    /// println!("{:?}", case.contact.map(|c| c.id));
    /// # Ok(()) }
    /// ```
    pub fn get(&self, case: CaseId) -> GetCase<'a> {
        GetCase::new(self.client, case)
    }
}

/// Builder of [`Cases::create`] and [`Cases::reopen`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct CreateCase<'a> {
    client: &'a Client,
    contact: ContactId,
    /// Sent as `mentionUsers` in the form the reference's examples use.
    mentions: Vec<UserId>,
    body: types::CreateCaseRequest,
}

impl CreateCase<'_> {
    /// The case title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.body.title = Some(title.into());
        self
    }

    /// A first message in the case (of type `message`).
    pub fn message(mut self, text: impl Into<String>) -> Self {
        self.body.message = Some(types::MessageInput {
            message: Some(text.into()),
            kind: Some(MessageType::Message),
            translate_lang_key: None,
        });
        self
    }

    /// The channel (chat by default on Acquire's side).
    pub fn channel(mut self, channel: Channel) -> Self {
        self.body.channel = Some(channel);
        self
    }

    /// Where the case comes from, e.g. `firstMessage`.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.body.source = Some(source.into());
        self
    }

    /// Agents mentioned by the first message (added to any given before);
    /// sent as strings of digits, as the reference's examples send them.
    pub fn mention(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.mentions.extend(users);
        self
    }

    /// Routes the case to this agent.
    pub fn route_to(mut self, agent: UserId) -> Self {
        self.body.route_agent_id = Some(agent);
        self
    }

    /// The agent creating the case.
    pub fn agent(mut self, agent: UserId) -> Self {
        self.body.agent_id = Some(agent);
        self
    }

    /// Whether the case starts from a co-browsing session.
    pub fn from_cobrowse(mut self, cobrowse: bool) -> Self {
        self.body.is_from_cobrowse = Some(cobrowse);
        self
    }

    /// The contact's session (used when reopening); sent as a number, as
    /// the reopen example does.
    pub fn session(mut self, session: SessionId) -> Self {
        self.body.session_id = Some(Flexible::Integer(session));
        self
    }

    /// A case field value, by field key.
    pub fn field(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.body.fields.insert(key.into(), value.into());
        self
    }

    /// Sends the request; returns the new case with its contact embedded.
    pub async fn send(mut self) -> Result<Case, Error> {
        self.undeclared_extras()?;
        self.body.mention_users = ids::digit_strings(&self.mentions, "mentionUsers")?;
        let call = self
            .client
            .api()
            .create_case()
            .contact_id(self.contact)
            .body(self.body)
            .send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }
}

crate::extra::extra_members! {
    CreateCase => CreateCaseRequest: body.unknown;
    RejectCase => RejectCaseRequest: body.unknown;
    JoinCase => JoinCaseRequest: body.unknown;
    CloseCase => CloseCaseRequest: body.unknown;
    InviteAgents => InviteAgentRequest: body.unknown;
}

/// Builder of [`Cases::reject`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct RejectCase<'a> {
    client: &'a Client,
    body: types::RejectCaseRequest,
}

impl RejectCase<'_> {
    /// Sends the request; returns the case, listing the agent as `rejected`.
    pub async fn send(self) -> Result<Case, Error> {
        self.undeclared_extras()?;
        let call = self.client.api().reject_case().body(self.body).send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }
}

/// Builder of [`Cases::join`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct JoinCase<'a> {
    client: &'a Client,
    body: types::JoinCaseRequest,
}

impl JoinCase<'_> {
    /// Asks to join instead of joining directly.
    pub fn ask_join(mut self, ask: bool) -> Self {
        self.body.ask_join = Some(ask);
        self
    }

    /// Sends the request (a GET with a JSON body, as Acquire documents it).
    pub async fn send(self) -> Result<Case, Error> {
        self.undeclared_extras()?;
        let call = self.client.api().join_case().body(self.body).send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }
}

/// Builder of [`Cases::close`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct CloseCase<'a> {
    client: &'a Client,
    body: types::CloseCaseRequest,
}

impl CloseCase<'_> {
    /// Also archives the case (sent as `"yes"`/`"no"`, the form the close
    /// page documents).
    pub fn archive(mut self, archive: bool) -> Self {
        self.body.archive = Some(if archive { YesNo::Yes } else { YesNo::No });
        self
    }

    /// How the case ends, e.g. [`ClosingState::Handled`].
    pub fn closing_state(mut self, state: ClosingState) -> Self {
        self.body.closing_state = Some(state);
        self
    }

    /// A free-form detail stored with the closing.
    pub fn meta(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.body.meta.insert(key.into(), value.into());
        self
    }

    /// Closes even if other agents are still in the case.
    pub fn force(mut self, force: bool) -> Self {
        self.body.force_close = Some(force);
        self
    }

    /// Only makes the calling agent leave; the case stays open for the others.
    pub fn leave_only(mut self, leave_only: bool) -> Self {
        self.body.leave_only = Some(leave_only);
        self
    }

    /// Records a "left the case" event in the conversation.
    pub fn leave_event(mut self, event: bool) -> Self {
        self.body.leave_event = Some(event);
        self
    }

    /// Asks the contact for feedback after closing.
    pub fn ask_feedback(mut self, ask: bool) -> Self {
        self.body.ask_feedback = Some(ask);
        self
    }

    /// Sends the request; returns who closed and the closed cases in order.
    pub async fn send(self) -> Result<CaseClosure, Error> {
        self.undeclared_extras()?;
        let call = self.client.api().close_case().body(self.body).send();
        let result = self.client.run(call).await?.data;
        Ok(CaseClosure::from(result))
    }
}

/// The result of [`Cases::close`]: who closed, and each closed case.
///
/// Acquire keys the closed cases by position (`"0"`, `"1"`...); they come
/// here as a list in that order.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct CaseClosure {
    /// Who closed (an agent's or a contact's id, see `closed_by_type`).
    pub closed_by: Option<ParticipantId>,
    /// Whether `closed_by` is an agent or a contact.
    pub closed_by_type: Option<ParticipantType>,
    /// The closed cases, in Acquire's order.
    pub cases: Vec<ClosedCase>,
}

impl From<types::CloseCaseResult> for CaseClosure {
    fn from(result: types::CloseCaseResult) -> Self {
        let mut positioned: Vec<(String, ClosedCase)> = result.by_position.into_iter().collect();
        // "10" sorts after "9": by number first, then by text for any
        // key that is not a number.
        positioned.sort_by(|(a, _), (b, _)| {
            let number = |key: &str| key.parse::<u64>().ok();
            (number(a).is_none(), number(a), a).cmp(&(number(b).is_none(), number(b), b))
        });
        Self {
            closed_by: result.user_id,
            closed_by_type: result.user_type,
            cases: positioned.into_iter().map(|(_, case)| case).collect(),
        }
    }
}

/// Builder of [`Cases::invite`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct InviteAgents<'a> {
    client: &'a Client,
    body: types::InviteAgentRequest,
}

impl InviteAgents<'_> {
    /// Agents to invite (added to any given before).
    pub fn agents(mut self, agents: impl IntoIterator<Item = UserId>) -> Self {
        self.body.agent_ids.extend(agents);
        self
    }

    /// Departments whose agents are invited (added to any given before).
    pub fn departments(mut self, departments: impl IntoIterator<Item = DepartmentId>) -> Self {
        self.body.department.extend(departments);
        self
    }

    /// Sends the request; returns one result per invited agent. Without any
    /// agent or department, fails with [`Error::InvalidRequest`] before
    /// sending.
    pub async fn send(self) -> Result<BTreeMap<UserId, AgentInvite>, Error> {
        self.undeclared_extras()?;
        if self.body.agent_ids.is_empty() && self.body.department.is_empty() {
            return Err(Error::InvalidRequest(
                "an invitation needs at least one agent or department".into(),
            ));
        }
        let call = self.client.api().invite_agent().body(self.body).send();
        let invites = self.client.run(call).await?.data;
        invites
            .0
            .into_iter()
            .map(|(key, invite)| match key.parse::<UserId>() {
                Ok(user) => Ok((user, invite)),
                Err(_) => Err(Error::Decode {
                    status: Some(200),
                    reason: format!("the invitation key {key:?} is not a user id"),
                    body: BodySnippet::new(&serde_json::to_vec(&invite).unwrap_or_default()),
                }),
            })
            .collect()
    }
}
