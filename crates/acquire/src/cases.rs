//! Case operations: `client.cases()`.

use acquire_api::types;

use crate::{
    client::run,
    ids::{CaseId, ContactId, SessionId, ThreadId, UserId},
    Case, Channel, Client, Error,
};

/// The case operations of a [`Client`].
#[derive(Clone, Copy, Debug)]
pub struct Cases<'a> {
    client: &'a Client,
}

impl<'a> Cases<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Starts a new case for `contact`. Add details with the builder, then
    /// [`CreateCase::send`].
    pub fn create(&self, contact: ContactId) -> CreateCase<'a> {
        CreateCase {
            client: self.client,
            contact,
            body: types::CreateCaseRequest::default(),
        }
    }

    /// Reopens the closed `thread` of `contact`: a new case whose `parentId`
    /// and `threadId` point at the thread.
    pub fn reopen(&self, contact: ContactId, thread: ThreadId) -> CreateCase<'a> {
        let mut create = self.create(contact);
        create.body.thread_id = Some(thread.get());
        create
    }

    /// Joins `case` as the calling agent; the case becomes active.
    pub fn join(&self, case: CaseId) -> JoinCase<'a> {
        JoinCase {
            client: self.client,
            body: types::JoinCaseRequest {
                case_id: case.get(),
                ask_join: None,
            },
        }
    }

    /// Rejects `case` as the calling agent.
    pub async fn reject(&self, case: CaseId) -> Result<Case, Error> {
        let body = types::RejectCaseRequest {
            case_id: case.get(),
        };
        let call = self.client.api().reject_case().body(body).send();
        run(call).await.map(|envelope| envelope.data)
    }
}

/// Builder of [`Cases::create`] and [`Cases::reopen`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct CreateCase<'a> {
    client: &'a Client,
    contact: ContactId,
    body: types::CreateCaseRequest,
}

impl CreateCase<'_> {
    /// The case title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.body.title = Some(title.into());
        self
    }

    /// A first message in the case.
    pub fn message(mut self, text: impl Into<String>) -> Self {
        self.body.message = Some(types::MessageInput {
            message: text.into(),
            type_: Some(acquire_api::MessageType::Message),
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

    /// Agents mentioned by the first message.
    pub fn mention(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.body.mention_users = users.into_iter().map(|u| u.to_string()).collect();
        self
    }

    /// Routes the case to this agent.
    pub fn route_to(mut self, agent: UserId) -> Self {
        self.body.route_agent_id = Some(agent.get());
        self
    }

    /// The contact's session (used when reopening).
    pub fn session(mut self, session: SessionId) -> Self {
        self.body.session_id = Some(session.get());
        self
    }

    /// A case field value, by field key.
    pub fn field(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.body.fields.insert(key.into(), value.into());
        self
    }

    /// Sends the request; returns the new case with its contact embedded.
    pub async fn send(self) -> Result<Case, Error> {
        let call = self
            .client
            .api()
            .create_case()
            .contact_id(self.contact.get())
            .body(self.body)
            .send();
        run(call).await.map(|envelope| envelope.data)
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
        let call = self.client.api().join_case().body(self.body).send();
        run(call).await.map(|envelope| envelope.data)
    }
}
