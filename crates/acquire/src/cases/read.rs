//! Reading cases: the list (filters, columns, relations, pages and
//! streams) and one case.

use futures::stream::BoxStream;

use crate::{
    ids::CaseId,
    page::{self, Page, Paging},
    query::{self, CaseColumn, CaseRelation, Condition, FilterOperator},
    Case, Client, Error,
};

/// What a case list asks for: the `where`, `select` and `relations`
/// parameters, encoded when sent.
#[derive(Clone, Debug, Default)]
struct CaseQuery {
    conditions: Vec<Condition>,
    select: Vec<CaseColumn>,
    relations: Vec<CaseRelation>,
}

impl CaseQuery {
    /// Fetches one page of cases.
    async fn fetch(&self, client: &Client, paging: Paging) -> Result<Page<Case>, Error> {
        let paging = paging.check()?;
        let (conditions, select, relations) = self.encode().map_err(|e| client.scrub(e))?;
        let mut call = client.api().list_cases();
        if !conditions.is_empty() {
            call = call.where_(conditions);
        }
        if let Some(select) = select {
            call = call.select(select);
        }
        if let Some(relations) = relations {
            call = call.relations(relations);
        }
        if let Some(page) = paging.page {
            call = call.page(page);
        }
        if let Some(limit) = paging.limit {
            call = call.limit(limit);
        }
        let data = client.run(call.send()).await?.data;
        Ok(Page::new(
            data.data,
            paging,
            data.page,
            data.offset,
            data.limit,
            data.count,
        ))
    }

    /// The `where`, `select` and `relations` parameter values.
    #[allow(clippy::type_complexity)]
    fn encode(&self) -> Result<(Vec<String>, Option<String>, Option<String>), Error> {
        Ok((
            query::encode_conditions(&self.conditions)?,
            query::encode_select(&self.select)?,
            query::encode_relations(&self.relations)?,
        ))
    }
}

/// Builder of [`Cases::list`](crate::Cases::list): filters, columns, relations and paging.
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`, `.pages()` or `.stream()`"]
pub struct ListCases<'a> {
    client: &'a Client,
    query: CaseQuery,
    paging: Paging,
}

impl<'a> ListCases<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self {
            client,
            query: CaseQuery::default(),
            paging: Paging::default(),
        }
    }

    /// Adds the condition `column op value` (the `where` parameter, e.g.
    /// `status|eq|active`); every condition must hold. A value containing
    /// `|` makes the request fail with [`Error::InvalidRequest`].
    #[doc(alias = "where")]
    pub fn filter(
        mut self,
        column: CaseColumn,
        operator: FilterOperator,
        value: impl std::fmt::Display,
    ) -> Self {
        self.query
            .conditions
            .push(Condition::new(column, operator, value));
        self
    }

    /// Adds conditions built beforehand.
    pub fn conditions(mut self, conditions: impl IntoIterator<Item = Condition>) -> Self {
        self.query.conditions.extend(conditions);
        self
    }

    /// Returns only these columns (`id` always comes back); all columns
    /// when never called.
    pub fn select(mut self, columns: impl IntoIterator<Item = CaseColumn>) -> Self {
        self.query.select.extend(columns);
        self
    }

    /// Embeds these relations in each case.
    pub fn relations(mut self, relations: impl IntoIterator<Item = CaseRelation>) -> Self {
        self.query.relations.extend(relations);
        self
    }

    /// The page to fetch, counting from 0 (the first page, Acquire's
    /// default when never called). For [`pages`](Self::pages) and
    /// [`stream`](Self::stream), where to start.
    pub fn page(mut self, page: u64) -> Self {
        self.paging.page = Some(page);
        self
    }

    /// How many cases per page (Acquire's default when never called).
    pub fn limit(mut self, limit: u64) -> Self {
        self.paging.limit = Some(limit);
        self
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<Page<Case>, Error> {
        let page = self.query.fetch(self.client, self.paging).await?;
        Ok(page.estimate_offset())
    }

    /// Every page from [`page`](Self::page) on, fetched lazily (nothing is
    /// requested until the stream is polled), one page in memory at a time.
    ///
    /// The stream ends after the last page: an empty page (not yielded),
    /// the one that reaches the total count or, when the server sends no
    /// count, a page shorter than the page size. A server answering a page already seen ends it with
    /// [`Error::Decode`] instead of looping; an error is yielded once and
    /// ends the stream.
    pub fn pages(self) -> BoxStream<'static, Result<Page<Case>, Error>> {
        let client = self.client.clone();
        let query = self.query;
        page::pages(
            self.paging,
            |case: &Case| case.id.0,
            move |paging| {
                let client = client.clone();
                let query = query.clone();
                async move { query.fetch(&client, paging).await }
            },
        )
    }

    /// Every case of every page from [`page`](Self::page) on, as
    /// [`pages`](Self::pages) fetches them.
    pub fn stream(self) -> BoxStream<'static, Result<Case, Error>> {
        page::items(self.pages())
    }
}

/// Builder of [`Cases::get`](crate::Cases::get).
#[derive(Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct GetCase<'a> {
    client: &'a Client,
    case: CaseId,
    select: Vec<CaseColumn>,
    relations: Vec<CaseRelation>,
}

impl<'a> GetCase<'a> {
    pub(super) fn new(client: &'a Client, case: CaseId) -> Self {
        Self {
            client,
            case,
            select: Vec::new(),
            relations: Vec::new(),
        }
    }

    /// Returns only these columns (`id` always comes back).
    pub fn select(mut self, columns: impl IntoIterator<Item = CaseColumn>) -> Self {
        self.select.extend(columns);
        self
    }

    /// Embeds these relations.
    pub fn relations(mut self, relations: impl IntoIterator<Item = CaseRelation>) -> Self {
        self.relations.extend(relations);
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Case, Error> {
        let client = self.client;
        let select = query::encode_select(&self.select).map_err(|e| client.scrub(e))?;
        let relations = query::encode_relations(&self.relations).map_err(|e| client.scrub(e))?;
        let mut call = client.api().get_case().case_id(self.case);
        if let Some(select) = select {
            call = call.select(select);
        }
        if let Some(relations) = relations {
            call = call.relations(relations);
        }
        self.client
            .run(call.send())
            .await
            .map(|envelope| envelope.data)
    }
}
