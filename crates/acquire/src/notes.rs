//! Note operations: `client.notes()`.

use acquire_api::types;
use futures::stream::BoxStream;

use crate::{
    ids::{self, ContactId, NoteId, NoteMessageId, UserId},
    page::{self, Page, Paging},
    Client, Error, Note, NoteMessage, NoteType, Outcome,
};

/// The note operations of a [`Client`]: `client.notes()`.
#[derive(Clone, Copy, Debug)]
pub struct Notes<'a> {
    client: &'a Client,
}

impl<'a> Notes<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Lists the notes of `contact` (`list_notes`): one page
    /// ([`ListNotes::send`]), the pages ([`ListNotes::pages`]) or every
    /// note ([`ListNotes::stream`]).
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::ContactId;
    /// use futures::TryStreamExt;
    /// let notes: Vec<acquire::Note> =
    ///     client.notes().list(ContactId(597752)).limit(20).stream().try_collect().await?;
    /// println!("{} notes", notes.len());
    /// # Ok(()) }
    /// ```
    pub fn list(&self, contact: ContactId) -> ListNotes<'a> {
        ListNotes {
            client: self.client,
            contact,
            paging: Paging::default(),
        }
    }

    /// One note, with the agents it mentions and its last message
    /// (`get_note`).
    pub async fn get(&self, note: NoteId) -> Result<Note, Error> {
        let call = self.client.api().get_note().note_id(note).send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }

    /// Starts a note on `contact` (`create_note`; `type` `note` is filled
    /// in). The reference requires nothing else: add a title, description,
    /// first message or mentions with the builder.
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::{ContactId, UserId};
    /// let note = client
    ///     .notes()
    ///     .create(ContactId(597752))
    ///     .title("Refund request")
    ///     .message("Customer asked for a refund; @Jane please follow up.")
    ///     .mention([UserId(12)])
    ///     .send()
    ///     .await?;
    /// println!("note {}", note.id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, contact: ContactId) -> CreateNote<'a> {
        CreateNote {
            client: self.client,
            contact,
            mentions: Vec::new(),
            body: types::CreateNoteRequest {
                title: None,
                kind: NoteType::Note,
                description: None,
                message: None,
                mention_users: Vec::new(),
                unknown: serde_json::Map::new(),
            },
        }
    }

    /// Writes `text` in the conversation of `note`, a note on `contact`
    /// (`add_note_message`; the reference requires both ids, and `type`
    /// `message` is filled in).
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::{ContactId, NoteId};
    /// let reply = client
    ///     .notes()
    ///     .add_message(NoteId(310), ContactId(597752), "Refund issued.")
    ///     .send()
    ///     .await?;
    /// println!("message {}", reply.id);
    /// # Ok(()) }
    /// ```
    pub fn add_message(
        &self,
        note: NoteId,
        contact: ContactId,
        text: impl Into<String>,
    ) -> AddNoteMessage<'a> {
        AddNoteMessage {
            client: self.client,
            mentions: Vec::new(),
            body: types::AddNoteMessageRequest {
                note_id: note,
                contact_id: contact,
                message: Some(text.into()),
                kind: NoteType::Message,
                parent_id: None,
                mention_users: Vec::new(),
                unknown: serde_json::Map::new(),
            },
        }
    }

    /// The messages of `note`, oldest first as Acquire sends them
    /// (`list_note_messages`).
    pub async fn messages(&self, note: NoteId) -> Result<Vec<NoteMessage>, Error> {
        let call = self.client.api().list_note_messages().note_id(note).send();
        self.client
            .run(call)
            .await
            .map(|envelope| envelope.data.rows)
    }

    /// Deletes a note and its messages (`delete_note`). Check
    /// [`Outcome::success`]: Acquire reports some refusals there.
    pub async fn delete(&self, note: NoteId) -> Result<Outcome, Error> {
        let call = self.client.api().delete_note().note_id(note).send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }
}

/// Builder of [`Notes::list`]: paging.
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`, `.pages()` or `.stream()`"]
pub struct ListNotes<'a> {
    client: &'a Client,
    contact: ContactId,
    paging: Paging,
}

impl ListNotes<'_> {
    /// The page to fetch, counting from 0 (the first page, Acquire's
    /// default when never called). For
    /// [`pages`](Self::pages) and [`stream`](Self::stream), where to start.
    pub fn page(mut self, page: u64) -> Self {
        self.paging.page = Some(page);
        self
    }

    /// How many notes per page (Acquire's default when never called).
    pub fn limit(mut self, limit: u64) -> Self {
        self.paging.limit = Some(limit);
        self
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<Page<Note>, Error> {
        let page = fetch(self.client, self.contact, self.paging).await?;
        Ok(page.estimate_offset())
    }

    /// Every page from [`page`](Self::page) on, fetched lazily, one page
    /// in memory at a time; ends as [`ListCases::pages`](crate::ListCases::pages) does.
    pub fn pages(self) -> BoxStream<'static, Result<Page<Note>, Error>> {
        let client = self.client.clone();
        let contact = self.contact;
        page::pages(
            self.paging,
            |note: &Note| note.id.0,
            move |paging| {
                let client = client.clone();
                async move { fetch(&client, contact, paging).await }
            },
        )
    }

    /// Every note of every page from [`page`](Self::page) on.
    pub fn stream(self) -> BoxStream<'static, Result<Note, Error>> {
        page::items(self.pages())
    }
}

/// Fetches one page of a contact's notes.
async fn fetch(client: &Client, contact: ContactId, paging: Paging) -> Result<Page<Note>, Error> {
    let paging = paging.check()?;
    let mut call = client.api().list_notes().contact_id(contact);
    if let Some(page) = paging.page {
        call = call.page(page);
    }
    if let Some(limit) = paging.limit {
        call = call.limit(limit);
    }
    let data = client.run(call.send()).await?.data;
    Ok(Page::new(data.rows, paging, None, None, None, data.count))
}

crate::extra::extra_members! {
    CreateNote => CreateNoteRequest: body.unknown;
    AddNoteMessage => AddNoteMessageRequest: body.unknown;
}

/// Builder of [`Notes::create`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct CreateNote<'a> {
    client: &'a Client,
    contact: ContactId,
    /// Sent as `mentionUsers` in the form the reference's examples use.
    mentions: Vec<UserId>,
    body: types::CreateNoteRequest,
}

impl CreateNote<'_> {
    /// The note's title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.body.title = Some(title.into());
        self
    }

    /// The note's description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.body.description = Some(description.into());
        self
    }

    /// The first message of the note.
    pub fn message(mut self, text: impl Into<String>) -> Self {
        self.body.message = Some(text.into());
        self
    }

    /// Agents mentioned (added to any given before); sent as strings of
    /// digits, as the reference's examples send them.
    pub fn mention(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.mentions.extend(users);
        self
    }

    /// Creates the note; returns it.
    pub async fn send(mut self) -> Result<Note, Error> {
        self.undeclared_extras()?;
        self.body.mention_users = ids::digit_strings(&self.mentions, "mentionUsers")?;
        let call = self
            .client
            .api()
            .create_note()
            .contact_id(self.contact)
            .body(self.body)
            .send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }
}

/// Builder of [`Notes::add_message`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct AddNoteMessage<'a> {
    client: &'a Client,
    /// Sent as `mentionUsers` in the form the reference's examples use.
    mentions: Vec<UserId>,
    body: types::AddNoteMessageRequest,
}

impl AddNoteMessage<'_> {
    /// The message this one replies to.
    pub fn reply_to(mut self, message: NoteMessageId) -> Self {
        self.body.parent_id = Some(message);
        self
    }

    /// Agents mentioned (added to any given before); sent as strings of
    /// digits, as the reference's examples send them.
    pub fn mention(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.mentions.extend(users);
        self
    }

    /// Sends the message; returns it with its note and author.
    pub async fn send(mut self) -> Result<NoteMessage, Error> {
        self.undeclared_extras()?;
        self.body.mention_users = ids::digit_strings(&self.mentions, "mentionUsers")?;
        let call = self.client.api().add_note_message().body(self.body).send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }
}
