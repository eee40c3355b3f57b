//! Pages of a list and the streams that walk them.

use std::{
    collections::HashSet,
    future::Future,
    hash::{DefaultHasher, Hash, Hasher},
};

use futures::{
    stream::{self, BoxStream},
    StreamExt, TryStreamExt,
};

use crate::{BodySnippet, Error};

/// One page of a list: its items and where it sits in the whole.
///
/// ```no_run
/// # async fn demo(client: acquire::Client) -> Result<(), acquire::Error> {
/// let page = client.cases().list().limit(50).send().await?;
/// println!("{} of {:?} cases, last page: {}", page.len(), page.count, page.is_last());
/// for case in page {
///     println!("{} {:?}", case.id, case.status);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// This page's number, counting from 0 (Acquire's numbering): the
    /// server's, or the one asked for, or 0 for the first page.
    pub page: u64,
    /// How many items come before this page, when known: the server's;
    /// otherwise, in a stream, the items of the pages before (from the
    /// starting page), and for a page fetched alone, the page number times
    /// the page size.
    pub offset: Option<u64>,
    /// The page size (the server's, or the one asked for), when known.
    pub limit: Option<u64>,
    /// How many items match in total, when the server says.
    pub count: Option<u64>,
}

impl<T> Page<T> {
    /// A page built from the answer of a list operation: the server's
    /// values win over the requested ones. The offset is the server's only;
    /// see [`Page::estimate_offset`].
    pub(crate) fn new(
        items: Vec<T>,
        requested: Paging,
        page: Option<i64>,
        offset: Option<i64>,
        limit: Option<i64>,
        count: Option<i64>,
    ) -> Self {
        let unsigned = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok());
        Self {
            items,
            page: unsigned(page).unwrap_or(requested.page_or_first()),
            offset: unsigned(offset),
            limit: unsigned(limit).filter(|&l| l > 0).or(requested.limit),
            count: unsigned(count),
        }
    }

    /// Fills a missing offset from the page number and size (a page fetched
    /// on its own; a stream counts the items it has seen instead).
    pub(crate) fn estimate_offset(mut self) -> Self {
        if self.offset.is_none() {
            self.offset = match (self.page, self.limit) {
                (0, _) => Some(0),
                (n, Some(size)) => n.checked_mul(size),
                (_, None) => None,
            };
        }
        self
    }

    /// How many items this page holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether this page holds no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether no page follows: this one is empty, or it reaches the total
    /// count, or (when the count or offset is unknown) it is shorter than
    /// the page size. A known count wins over the page size, so a server
    /// that silently caps the size still gets walked to the end.
    pub fn is_last(&self) -> bool {
        let len = self.items.len() as u64;
        if self.items.is_empty() {
            return true;
        }
        match (self.offset, self.count) {
            (Some(offset), Some(count)) => offset.saturating_add(len) >= count,
            _ => self.limit.is_some_and(|limit| len < limit),
        }
    }

    /// The items, dropping the page details.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// The page and page size asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Paging {
    pub(crate) page: Option<u64>,
    pub(crate) limit: Option<u64>,
}

impl Paging {
    /// The page asked for, or the first (0) when none was.
    pub(crate) fn page_or_first(self) -> u64 {
        self.page.unwrap_or(0)
    }

    /// Refuses a page size of 0 before anything is sent.
    pub(crate) fn check(self) -> Result<Self, Error> {
        if self.limit == Some(0) {
            return Err(Error::InvalidRequest(
                "the page size (limit) must be at least 1".into(),
            ));
        }
        Ok(self)
    }
}

/// Where the walk is.
struct Walk<T, F> {
    fetch: F,
    /// What identifies an item (its id), to fingerprint a page.
    key: fn(&T) -> i64,
    /// The next page to ask for; `None` once the last page was seen. The
    /// first asks for no page number unless one was given, so the server
    /// answers its first page whatever its numbering.
    next: Option<Paging>,
    /// How many items came before the next page.
    before: u64,
    /// A fingerprint of each page seen (the ids of its items), to stop
    /// rather than loop when the server answers a page already seen.
    seen: HashSet<u64>,
}

/// The pages from `paging.page` (the first by default) on, fetched lazily
/// by `fetch(paging_of_that_page)`, one page in memory at a time; `key`
/// identifies an item (a page is fingerprinted by its items' keys). Each
/// next page is the number the server gave the last one (or, when it gives
/// none, the number asked for, the first being 0) plus one.
///
/// Ends after an empty page (not yielded) or the page [`Page::is_last`]
/// says is the last. A page whose items are exactly those of an
/// earlier page ends the stream with a [`Error::Decode`]; any error is
/// yielded once and ends the stream.
pub(crate) fn pages<T, F, Fut>(
    paging: Paging,
    key: fn(&T) -> i64,
    fetch: F,
) -> BoxStream<'static, Result<Page<T>, Error>>
where
    T: Send + 'static,
    F: FnMut(Paging) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    let walk = Walk {
        fetch,
        key,
        next: Some(paging),
        before: paging
            .limit
            .and_then(|size| paging.page_or_first().checked_mul(size))
            .unwrap_or(0),
        seen: HashSet::new(),
    };
    stream::try_unfold(walk, |mut walk| async move {
        let Some(asked) = walk.next else {
            return Ok(None);
        };
        asked.check()?;
        let mut page = (walk.fetch)(asked).await?;
        let number = page.page;
        if page.items.is_empty() {
            return Ok(None);
        }
        let mut hasher = DefaultHasher::new();
        for item in &page.items {
            (walk.key)(item).hash(&mut hasher);
        }
        if !walk.seen.insert(hasher.finish()) {
            return Err(Error::Decode {
                status: Some(200),
                reason: format!(
                    "page {number} repeats the items of an earlier page; \
                     stopping instead of looping"
                ),
                body: BodySnippet::default(),
            });
        }
        let offset = *page.offset.get_or_insert(walk.before);
        walk.before = offset.saturating_add(page.items.len() as u64);
        walk.next = if page.is_last() {
            None
        } else {
            number.checked_add(1).map(|next| Paging {
                page: Some(next),
                limit: asked.limit,
            })
        };
        Ok(Some((page, walk)))
    })
    .boxed()
}

/// The items of `pages`, in order.
pub(crate) fn items<T: Send + 'static>(
    pages: BoxStream<'static, Result<Page<T>, Error>>,
) -> BoxStream<'static, Result<T, Error>> {
    pages
        .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}
