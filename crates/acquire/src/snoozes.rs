//! Snooze (follow-up) operations: `client.snoozes()`.

use acquire_api::types;
use chrono::{Datelike, NaiveDateTime};

use crate::{
    ids::{CaseId, ContactId, ObjectId, SnoozeId, UserId},
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
    /// format the reference documents and Acquire returns (it names no time
    /// zone).
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
        let mut create = self.create(SnoozeObjectType::Case, ObjectId(case.0), at);
        create.case = Some(case);
        create
    }

    /// Schedules a follow-up on `contact` at `at` (`create_snooze` with
    /// `objectType` `contact`).
    pub fn snooze_contact(&self, contact: ContactId, at: NaiveDateTime) -> CreateSnooze<'a> {
        let mut create = self.create(SnoozeObjectType::Contact, ObjectId(contact.0), at);
        create.contact = Some(contact);
        create
    }

    fn create(
        &self,
        kind: SnoozeObjectType,
        object: ObjectId,
        at: NaiveDateTime,
    ) -> CreateSnooze<'a> {
        CreateSnooze {
            client: self.client,
            kind,
            object,
            at,
            case: None,
            contact: None,
            message: None,
            users: Vec::new(),
            unknown: serde_json::Map::new(),
        }
    }

    /// Cancels a snooze (`delete_snooze`; Acquire marks this endpoint as
    /// under construction). Check [`Outcome::success`].
    pub async fn delete(&self, snooze: SnoozeId) -> Result<Outcome, Error> {
        let call = self.client.api().delete_snooze().snooze_id(snooze).send();
        self.client.run(call).await.map(|envelope| envelope.data)
    }
}

/// Builder of [`Snoozes::snooze_case`] and [`Snoozes::snooze_contact`].
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct CreateSnooze<'a> {
    client: &'a Client,
    kind: SnoozeObjectType,
    object: ObjectId,
    at: NaiveDateTime,
    case: Option<CaseId>,
    contact: Option<ContactId>,
    message: Option<String>,
    users: Vec<UserId>,
    unknown: serde_json::Map<String, serde_json::Value>,
}

crate::extra::extra_members! {
    CreateSnooze => CreateSnoozeRequest: unknown;
}

impl CreateSnooze<'_> {
    /// The contact (of the snoozed case).
    pub fn contact(mut self, contact: ContactId) -> Self {
        self.contact = Some(contact);
        self
    }

    /// The reminder text.
    pub fn message(mut self, text: impl Into<String>) -> Self {
        self.message = Some(text.into());
        self
    }

    /// The agents to remind (added to any given before), sent as integer
    /// user ids.
    pub fn remind(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.users.extend(users);
        self
    }

    /// Creates the snooze; returns it. An answer without the snooze (Acquire
    /// reporting a refusal in `success`/`message`) is an [`Error::Decode`]
    /// that keeps that answer.
    pub async fn send(self) -> Result<Snooze, Error> {
        self.undeclared_extras()?;
        if !(0..=9999).contains(&self.at.year()) {
            return Err(Error::InvalidRequest(format!(
                "scheduleDate: {} cannot be written as YYYY-MM-DD HH:MM:SS (years 0000 to 9999)",
                self.at
            )));
        }
        let schedule_date = self.at.format(SCHEDULE_FORMAT).to_string();
        let body = types::CreateSnoozeRequest {
            object_type: self.kind,
            object_id: Some(self.object),
            schedule_date,
            case_id: self.case,
            contact_id: self.contact,
            message: self.message,
            users: self.users.into_iter().map(|u| u.0.into()).collect(),
            unknown: self.unknown,
        };
        let call = self.client.api().create_snooze().body(body).send();
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
