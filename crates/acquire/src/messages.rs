//! Message operations: `client.messages()`.

use acquire_api::types;

use crate::{
    ids::{CaseId, ContactId, MessageId, ThreadId, TimelineId},
    Case, Channel, Client, DeletedCount, EmailMessage, Error, Message, MessageType,
    ParticipantType, SmsSent,
};

/// The message operations of a [`Client`]: `client.messages()`.
#[derive(Clone, Copy, Debug)]
pub struct Messages<'a> {
    client: &'a Client,
}

impl<'a> Messages<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// The conversation of `thread` (`list_messages`): its cases (the first
    /// one and those that reopen it), each with its users, its sub-cases
    /// and its last message.
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::{ContactId, ThreadId};
    /// let cases = client.messages().list(ThreadId(1683), ContactId(597752)).send().await?;
    /// for case in cases {
    ///     println!("{}: {:?}", case.id, case.last_message.map(|m| m.message));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, thread: ThreadId, contact: ContactId) -> ListMessages<'a> {
        ListMessages {
            client: self.client,
            thread,
            contact,
            acting_as: None,
        }
    }

    /// One message, with its sender (`get_message`).
    pub async fn get(&self, message: MessageId) -> Result<Message, Error> {
        let call = self.client.api().get_message().message_id(message).send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }

    /// Deletes a message (`delete_message`); the result says how many
    /// messages were removed.
    pub async fn delete(&self, message: MessageId) -> Result<DeletedCount, Error> {
        let call = self
            .client
            .api()
            .delete_message()
            .message_id(message)
            .send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }

    /// Writes `text` in the chat of `case` (`send_chat_message`), as the
    /// agent owning the key or, with [`SendChat::as_contact`], as the
    /// case's contact.
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::CaseId;
    /// let message = client.messages().send_chat(CaseId(1684), "Hi! How can I help?").send().await?;
    /// println!("sent message {}", message.id);
    /// # Ok(()) }
    /// ```
    pub fn send_chat(&self, case: CaseId, text: impl Into<String>) -> SendChat<'a> {
        SendChat {
            client: self.client,
            acting_as: ParticipantType::User,
            contact: None,
            body: types::SendChatMessageRequest {
                case_id: case,
                channel: None,
                message: types::ChatMessageInput {
                    message: Some(text.into()),
                    kind: MessageType::Message,
                    translate_lang_key: None,
                },
                unknown: serde_json::Map::new(),
            },
        }
    }

    /// Replaces the text of a message (`update_message`).
    pub fn update(&self, message: MessageId, text: impl Into<String>) -> UpdateMessage<'a> {
        UpdateMessage {
            client: self.client,
            message,
            body: types::UpdateMessageRequest {
                message: types::MessageInput {
                    message: Some(text.into()),
                    kind: Some(MessageType::Message),
                    translate_lang_key: None,
                },
                unknown: serde_json::Map::new(),
            },
        }
    }

    /// Sends an email from the inbox address `from` to the recipients `to`
    /// in the email case `case` of `contact` (`send_email_message`; the
    /// reference requires all four). Add the subject and body with the
    /// builder.
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::{CaseId, ContactId};
    /// let mail = client
    ///     .messages()
    ///     .send_email(
    ///         CaseId(1702),
    ///         ContactId(597752),
    ///         "support@example.acquire.io",
    ///         ["customer@example.com"],
    ///     )
    ///     .subject("Re: Your order")
    ///     .html_body("<p>Your order has shipped.</p>")
    ///     .send()
    ///     .await?;
    /// println!("stored as {}", mail.id);
    /// # Ok(()) }
    /// ```
    pub fn send_email<I>(
        &self,
        case: CaseId,
        contact: ContactId,
        from: impl Into<String>,
        to: I,
    ) -> SendEmail<'a>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        SendEmail {
            client: self.client,
            body: types::EmailMessageInput {
                case_id: case,
                contact_id: contact,
                to: to.into_iter().map(Into::into).collect(),
                from: from.into(),
                cc: Vec::new(),
                bcc: Vec::new(),
                subject: None,
                html_body: None,
                kind: MessageType::Message,
                unknown: serde_json::Map::new(),
            },
        }
    }

    /// Sends the SMS `text` along `route` (`send_sms`): from which number
    /// to which, to which contact, in which thread and timeline entry, all
    /// of which the reference requires.
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::{ContactId, SmsRoute, ThreadId, TimelineId};
    /// let route = SmsRoute {
    ///     from: "+12513188609".into(),
    ///     to: "+14155550123".into(),
    ///     contact: ContactId(597760),
    ///     thread: ThreadId(1710),
    ///     timeline: TimelineId(5120),
    /// };
    /// let sent = client.messages().send_sms(route, "Your order has shipped.").send().await?;
    /// println!("thread {:?}", sent.thread_id);
    /// # Ok(()) }
    /// ```
    pub fn send_sms(&self, route: SmsRoute, text: impl Into<String>) -> SendSms<'a> {
        SendSms {
            client: self.client,
            acting_as: ParticipantType::User,
            body: types::SendSmsRequest {
                from: route.from,
                to: route.to,
                body: text.into(),
                contact_id: route.contact,
                thread_id: route.thread,
                timeline_id: route.timeline,
                id: None,
                is_closed: None,
                is_multi_channel: None,
                mark_value: None,
                message: None,
                msg_type: None,
                sms: None,
                title: None,
                unknown: serde_json::Map::new(),
            },
        }
    }
}

/// Where an SMS goes ([`Messages::send_sms`]): every member is required by
/// the reference, so each is a field to fill in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsRoute {
    /// The account's sending number, with country and area code
    /// (e.g. `+12513188609`).
    pub from: String,
    /// The contact's phone number, with country and area code.
    pub to: String,
    /// The contact the SMS goes to.
    pub contact: ContactId,
    /// The thread (its first case) to add the SMS to.
    pub thread: ThreadId,
    /// The thread's timeline entry.
    pub timeline: TimelineId,
}

/// Builder of [`Messages::list`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct ListMessages<'a> {
    client: &'a Client,
    thread: ThreadId,
    contact: ContactId,
    acting_as: Option<ParticipantType>,
}

impl ListMessages<'_> {
    /// Reads as the case's contact (`x-user-type=contact` in the query).
    pub fn as_contact(self) -> Self {
        self.acting_as(ParticipantType::Contact)
    }

    /// Who the call acts as (`x-user-type`): the agent by default.
    pub fn acting_as(mut self, who: ParticipantType) -> Self {
        self.acting_as = Some(who);
        self
    }

    /// Sends the request; returns the cases of the thread.
    pub async fn send(self) -> Result<Vec<Case>, Error> {
        let mut call = self
            .client
            .api()
            .list_messages()
            .thread_id(self.thread)
            .contact_id(self.contact);
        if let Some(who) = self.acting_as {
            call = call.x_user_type(who);
        }
        self.client
            .run(call.send())
            .await
            .map(|envelope| envelope.data)
    }
}

crate::extra::extra_members! {
    SendChat => SendChatMessageRequest: body.unknown;
    UpdateMessage => UpdateMessageRequest: body.unknown;
    SendEmail => EmailMessageInput: body.unknown;
    SendSms => SendSmsRequest: body.unknown;
}

/// Builder of [`Messages::send_chat`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct SendChat<'a> {
    client: &'a Client,
    acting_as: ParticipantType,
    contact: Option<ContactId>,
    body: types::SendChatMessageRequest,
}

impl SendChat<'_> {
    /// The case's contact (the `contactId` query parameter), which the
    /// reference asks for when writing as the contact.
    pub fn contact(mut self, contact: ContactId) -> Self {
        self.contact = Some(contact);
        self
    }

    /// The channel, e.g. [`Channel::Chat`].
    pub fn channel(mut self, channel: Channel) -> Self {
        self.body.channel = Some(channel);
        self
    }

    /// The message's kind: [`MessageType::Message`] (a chat message, the
    /// default), or `note` or `event`, the other two the reference names.
    pub fn kind(mut self, kind: MessageType) -> Self {
        self.body.message.kind = kind;
        self
    }

    /// Has Acquire translate the message into this language.
    pub fn translate_to(mut self, language: impl Into<String>) -> Self {
        self.body.message.translate_lang_key = Some(language.into());
        self
    }

    /// Writes as the case's contact (`x-user-type=contact`); give the
    /// contact with [`contact`](Self::contact).
    pub fn as_contact(self) -> Self {
        self.acting_as(ParticipantType::Contact)
    }

    /// Who the message is written as (the `x-user-type` query parameter,
    /// always sent): the agent owning the key (`user`) by default.
    pub fn acting_as(mut self, who: ParticipantType) -> Self {
        self.acting_as = who;
        self
    }

    /// Sends the message; returns it with its case and sender.
    pub async fn send(self) -> Result<Message, Error> {
        self.undeclared_extras()?;
        let mut call = self
            .client
            .api()
            .send_chat_message()
            .x_user_type(self.acting_as)
            .body(self.body);
        if let Some(contact) = self.contact {
            call = call.contact_id(contact);
        }
        self.client
            .run(call.send())
            .await
            .map(|envelope| envelope.data)
    }
}

/// Builder of [`Messages::update`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct UpdateMessage<'a> {
    client: &'a Client,
    message: MessageId,
    body: types::UpdateMessageRequest,
}

impl UpdateMessage<'_> {
    /// The message's kind ([`MessageType::Message`] by default).
    pub fn kind(mut self, kind: MessageType) -> Self {
        self.body.message.kind = Some(kind);
        self
    }

    /// Has Acquire translate the new text into this language.
    pub fn translate_to(mut self, language: impl Into<String>) -> Self {
        self.body.message.translate_lang_key = Some(language.into());
        self
    }

    /// Sends the change; returns the updated message.
    pub async fn send(self) -> Result<Message, Error> {
        self.undeclared_extras()?;
        let call = self
            .client
            .api()
            .update_message()
            .message_id(self.message)
            .body(self.body)
            .send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }
}

/// Builder of [`Messages::send_email`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct SendEmail<'a> {
    client: &'a Client,
    body: types::EmailMessageInput,
}

impl SendEmail<'_> {
    /// The subject.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.body.subject = Some(subject.into());
        self
    }

    /// The HTML body.
    pub fn html_body(mut self, html: impl Into<String>) -> Self {
        self.body.html_body = Some(html.into());
        self
    }

    /// Adds a recipient to those given to [`Messages::send_email`].
    pub fn to(mut self, address: impl Into<String>) -> Self {
        self.body.to.push(address.into());
        self
    }

    /// Adds a copy recipient.
    pub fn cc(mut self, address: impl Into<String>) -> Self {
        self.body.cc.push(address.into());
        self
    }

    /// Adds a blind copy recipient.
    pub fn bcc(mut self, address: impl Into<String>) -> Self {
        self.body.bcc.push(address.into());
        self
    }

    /// Sends the email (wrapped in `data`, with `type` `message`, as
    /// Acquire expects); returns the stored mail message. Without any
    /// recipient, fails with [`Error::InvalidRequest`] before sending.
    pub async fn send(self) -> Result<EmailMessage, Error> {
        self.undeclared_extras()?;
        if self.body.to.is_empty() {
            return Err(Error::InvalidRequest(
                "an email needs at least one recipient (`to`)".into(),
            ));
        }
        let body = types::SendEmailRequest {
            data: self.body,
            unknown: serde_json::Map::new(),
        };
        let call = self.client.api().send_email_message().body(body).send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }
}

/// Builder of [`Messages::send_sms`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct SendSms<'a> {
    client: &'a Client,
    acting_as: ParticipantType,
    body: types::SendSmsRequest,
}

impl SendSms<'_> {
    /// Sends as the contact (`x-user-type=contact`).
    pub fn as_contact(self) -> Self {
        self.acting_as(ParticipantType::Contact)
    }

    /// Who the SMS is sent as (the `x-user-type` query parameter, always
    /// sent): the agent (`user`) by default.
    pub fn acting_as(mut self, who: ParticipantType) -> Self {
        self.acting_as = who;
        self
    }

    /// Sends the SMS; returns the case, thread, timeline entry and stored
    /// SMS.
    pub async fn send(self) -> Result<SmsSent, Error> {
        self.undeclared_extras()?;
        let call = self
            .client
            .api()
            .send_sms()
            .x_user_type(self.acting_as)
            .body(self.body);
        self.client
            .run(call.send())
            .await
            .map(|envelope| envelope.data)
    }
}
