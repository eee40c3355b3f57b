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
        let call = self
            .client
            .api()
            .get_message()
            .message_id(message.get())
            .send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }

    /// Deletes a message (`delete_message`); the result says how many
    /// messages were removed.
    pub async fn delete(&self, message: MessageId) -> Result<DeletedCount, Error> {
        let call = self
            .client
            .api()
            .delete_message()
            .message_id(message.get())
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
            acting_as: None,
            body: types::SendChatMessageRequest {
                case_id: case.get(),
                channel: None,
                contact_id: None,
                message: message_input(text.into()),
            },
        }
    }

    /// Replaces the text of a message (`update_message`).
    pub fn update(&self, message: MessageId, text: impl Into<String>) -> UpdateMessage<'a> {
        UpdateMessage {
            client: self.client,
            message,
            body: types::UpdateMessageRequest {
                message: message_input(text.into()),
            },
        }
    }

    /// Sends an email in the email case `case` (`send_email_message`); add
    /// at least one recipient with [`SendEmail::to`].
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::CaseId;
    /// let mail = client
    ///     .messages()
    ///     .send_email(CaseId(1702), "Re: Your order", "<p>Your order has shipped.</p>")
    ///     .to("customer@example.com")
    ///     .from("support@example.acquire.io")
    ///     .send()
    ///     .await?;
    /// println!("stored as {}", mail.id);
    /// # Ok(()) }
    /// ```
    pub fn send_email(
        &self,
        case: CaseId,
        subject: impl Into<String>,
        html_body: impl Into<String>,
    ) -> SendEmail<'a> {
        SendEmail {
            client: self.client,
            body: types::EmailMessageInput {
                case_id: case.get(),
                contact_id: None,
                to: Vec::new(),
                from: None,
                cc: Vec::new(),
                bcc: Vec::new(),
                subject: subject.into(),
                html_body: html_body.into(),
                type_: Some(MessageType::Message),
            },
        }
    }

    /// Sends the SMS `text` to the phone number `to` (`send_sms`).
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::ContactId;
    /// let sent = client
    ///     .messages()
    ///     .send_sms("+14155550123", "Your order has shipped.")
    ///     .contact(ContactId(597760))
    ///     .send()
    ///     .await?;
    /// println!("thread {:?}", sent.thread_id);
    /// # Ok(()) }
    /// ```
    pub fn send_sms(&self, to: impl Into<String>, text: impl Into<String>) -> SendSms<'a> {
        SendSms {
            client: self.client,
            acting_as: None,
            body: types::SendSmsRequest {
                to: to.into(),
                body: text.into(),
                from: None,
                contact_id: None,
                thread_id: None,
                timeline_id: None,
            },
        }
    }
}

/// A plain message (type `message`, no translation).
fn message_input(text: String) -> types::MessageInput {
    types::MessageInput {
        message: text,
        type_: Some(MessageType::Message),
        translate_lang_key: None,
    }
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
    /// Reads as the case's contact (`x-user-type: contact`).
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
            .thread_id(self.thread.get())
            .contact_id(self.contact.get());
        if let Some(who) = self.acting_as {
            call = call.x_user_type(who);
        }
        self.client
            .run(call.send())
            .await
            .map(|envelope| envelope.data)
    }
}

/// Builder of [`Messages::send_chat`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct SendChat<'a> {
    client: &'a Client,
    acting_as: Option<ParticipantType>,
    body: types::SendChatMessageRequest,
}

impl SendChat<'_> {
    /// The case's contact.
    pub fn contact(mut self, contact: ContactId) -> Self {
        self.body.contact_id = Some(contact.get());
        self
    }

    /// The channel, e.g. [`Channel::Chat`].
    pub fn channel(mut self, channel: Channel) -> Self {
        self.body.channel = Some(channel);
        self
    }

    /// The message's kind ([`MessageType::Message`] by default).
    pub fn kind(mut self, kind: MessageType) -> Self {
        self.body.message.type_ = Some(kind);
        self
    }

    /// Has Acquire translate the message into this language.
    pub fn translate_to(mut self, language: impl Into<String>) -> Self {
        self.body.message.translate_lang_key = Some(language.into());
        self
    }

    /// Writes as the case's contact (`x-user-type: contact`).
    pub fn as_contact(self) -> Self {
        self.acting_as(ParticipantType::Contact)
    }

    /// Who the message is written as (`x-user-type`); the agent owning the
    /// key by default.
    pub fn acting_as(mut self, who: ParticipantType) -> Self {
        self.acting_as = Some(who);
        self
    }

    /// Sends the message; returns it with its case and sender.
    pub async fn send(self) -> Result<Message, Error> {
        let mut call = self.client.api().send_chat_message().body(self.body);
        if let Some(who) = self.acting_as {
            call = call.x_user_type(who);
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
        self.body.message.type_ = Some(kind);
        self
    }

    /// Has Acquire translate the new text into this language.
    pub fn translate_to(mut self, language: impl Into<String>) -> Self {
        self.body.message.translate_lang_key = Some(language.into());
        self
    }

    /// Sends the change; returns the updated message.
    pub async fn send(self) -> Result<Message, Error> {
        let call = self
            .client
            .api()
            .update_message()
            .message_id(self.message.get())
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
    /// Adds a recipient.
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

    /// The sending inbox's address.
    pub fn from(mut self, address: impl Into<String>) -> Self {
        self.body.from = Some(address.into());
        self
    }

    /// The case's contact.
    pub fn contact(mut self, contact: ContactId) -> Self {
        self.body.contact_id = Some(contact.get());
        self
    }

    /// Sends the email (wrapped in `data`, as Acquire expects); returns the
    /// stored mail message. Without any recipient, fails with
    /// [`Error::InvalidRequest`] before sending.
    pub async fn send(self) -> Result<EmailMessage, Error> {
        if self.body.to.is_empty() {
            return Err(Error::InvalidRequest(
                "an email needs at least one recipient (`to`)".into(),
            ));
        }
        let body = types::SendEmailRequest { data: self.body };
        let call = self.client.api().send_email_message().body(body).send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }
}

/// Builder of [`Messages::send_sms`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct SendSms<'a> {
    client: &'a Client,
    acting_as: Option<ParticipantType>,
    body: types::SendSmsRequest,
}

impl SendSms<'_> {
    /// The account's sending number.
    pub fn from(mut self, number: impl Into<String>) -> Self {
        self.body.from = Some(number.into());
        self
    }

    /// The contact the SMS goes to.
    pub fn contact(mut self, contact: ContactId) -> Self {
        self.body.contact_id = Some(contact.get());
        self
    }

    /// The thread to add the SMS to.
    pub fn thread(mut self, thread: ThreadId) -> Self {
        self.body.thread_id = Some(thread.get());
        self
    }

    /// The timeline entry to add the SMS to.
    pub fn timeline(mut self, timeline: TimelineId) -> Self {
        self.body.timeline_id = Some(timeline.get());
        self
    }

    /// Sends as the contact (`x-user-type: contact`).
    pub fn as_contact(self) -> Self {
        self.acting_as(ParticipantType::Contact)
    }

    /// Who the SMS is sent as (`x-user-type`); the agent by default.
    pub fn acting_as(mut self, who: ParticipantType) -> Self {
        self.acting_as = Some(who);
        self
    }

    /// Sends the SMS; returns the case, thread, timeline entry and stored
    /// SMS.
    pub async fn send(self) -> Result<SmsSent, Error> {
        let mut call = self.client.api().send_sms().body(self.body);
        if let Some(who) = self.acting_as {
            call = call.x_user_type(who);
        }
        self.client
            .run(call.send())
            .await
            .map(|envelope| envelope.data)
    }
}
