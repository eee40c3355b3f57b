//! Snooze (follow-up) operations: `client.snoozes()`.

use acquire_api::types;
use chrono::NaiveDateTime;

use crate::{
    ids::{CaseId, ContactId, SnoozeId, UserId},
    BodySnippet, Client, Error, Outcome, Snooze, SnoozeObjectType,
};

/// The format of `scheduleDate`: `YYYY-MM-DD HH:MM:SS`, Acquire's own.
const SCHEDULE_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// The snooze operations of a [`Client`]: `client.snoozes()`.
#[derive(Clone, Copy, Debug)]
pub struct Snoozes<'a> {
    client: &'a Client,
}

impl<'a> Snoozes<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Schedules a follow-up on `case` at `at` (`create_snooze` with
    /// `objectType` `case`). `at` is sent as `YYYY-MM-DD HH:MM:SS`, the
    /// format Acquire stores, in the account's time zone.
    ///
    /// ```no_run
    /// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
    /// use acquire::{chrono::NaiveDate, CaseId, ContactId, UserId};
    /// let at = NaiveDate::from_ymd_opt(2021, 3, 25)
    ///     .and_then(|d| d.and_hms_opt(9, 0, 0))
    ///     .ok_or_else(|| acquire::Error::InvalidRequest("bad date".into()))?;
    /// let snooze = client
    ///     .snoozes()
    ///     .snooze_case(CaseId(1684), at)
    ///     .contact(ContactId(597752))
    ///     .message("Check the refund went through")
    ///     .remind([UserId(12)])
    ///     .send()
    ///     .await?;
    /// println!("snooze {} wakes at {:?}", snooze.id, snooze.schedule_date);
    /// # Ok(()) }
    /// ```
    pub fn snooze_case(&self, case: CaseId, at: NaiveDateTime) -> CreateSnooze<'a> {
        let mut create = self.create(SnoozeObjectType::Case, case.get(), at);
        create.body.case_id = Some(case.get());
        create
    }

    /// Schedules a follow-up on `contact` at `at` (`create_snooze` with
    /// `objectType` `contact`).
    pub fn snooze_contact(&self, contact: ContactId, at: NaiveDateTime) -> CreateSnooze<'a> {
        let mut create = self.create(SnoozeObjectType::Contact, contact.get(), at);
        create.body.contact_id = Some(contact.get());
        create
    }

    fn create(&self, kind: SnoozeObjectType, object: i64, at: NaiveDateTime) -> CreateSnooze<'a> {
        CreateSnooze {
            client: self.client,
            body: types::CreateSnoozeRequest {
                object_type: kind,
                object_id: Some(object),
                schedule_date: at.format(SCHEDULE_FORMAT).to_string(),
                case_id: None,
                contact_id: None,
                message: None,
                users: Vec::new(),
            },
        }
    }

    /// Cancels a snooze (`delete_snooze`; Acquire marks this endpoint as
    /// under construction). Check [`Outcome::success`].
    pub async fn delete(&self, snooze: SnoozeId) -> Result<Outcome, Error> {
        let call = self
            .client
            .api()
            .delete_snooze()
            .snooze_id(snooze.get())
            .send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }
}

/// Builder of [`Snoozes::snooze_case`] and [`Snoozes::snooze_contact`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct CreateSnooze<'a> {
    client: &'a Client,
    body: types::CreateSnoozeRequest,
}

impl CreateSnooze<'_> {
    /// The contact (of the snoozed case).
    pub fn contact(mut self, contact: ContactId) -> Self {
        self.body.contact_id = Some(contact.get());
        self
    }

    /// The reminder text.
    pub fn message(mut self, text: impl Into<String>) -> Self {
        self.body.message = Some(text.into());
        self
    }

    /// The agents to remind (added to any given before).
    pub fn remind(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.body.users.extend(users.into_iter().map(UserId::get));
        self
    }

    /// Creates the snooze; returns it. An answer without the snooze (Acquire
    /// reporting a refusal in `success`/`message`) is an [`Error::Decode`]
    /// that keeps that answer.
    pub async fn send(self) -> Result<Snooze, Error> {
        let call = self.client.api().create_snooze().body(self.body).send();
        let created = self.client.run(call).await?.data;
        match created.data {
            Some(snooze) => Ok(snooze),
            None => Err(Error::Decode {
                status: Some(200),
                reason: format!(
                    "the answer holds no snooze (success: {:?}, message: {:?})",
                    created.success, created.message
                ),
                body: BodySnippet::new(&serde_json::to_vec(&created).unwrap_or_default()),
            }),
        }
    }
}
