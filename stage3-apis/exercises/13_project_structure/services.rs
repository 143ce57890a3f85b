//! The business rules of bookmarks: what makes one valid, how tags are cleaned, which urls
//! are taken. No HTTP here: no extractor, no status code, no JSON. A CLI, a queue consumer or
//! a test can call these functions as they are.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::errors::AppError;

/// A stored bookmark, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bookmark {
    pub id: u64,
    pub url: String,
    pub title: String,
    pub tags: Vec<String>,
}

/// What a client sends to create a bookmark; `tags` may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewBookmark {
    pub url: String,
    pub title: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// The bookmarks, in memory, safe to share between requests.
#[derive(Debug, Default)]
pub struct Bookmarks {
    store: Mutex<Store>,
}

#[derive(Debug, Default)]
struct Store {
    /// The last id given out: ids are never reused, not even after a delete.
    last_id: u64,
    bookmarks: BTreeMap<u64, Bookmark>,
}

impl Bookmarks {
    /// No bookmarks yet; the first one gets id 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores a bookmark and returns it with its new id.
    ///
    /// The url and the title are trimmed; the url must start with `http://` or `https://`
    /// (`Invalid("url must start with http:// or https://")`), the title must not be blank
    /// (`Invalid("title must not be blank")`), and no other bookmark may have the same url
    /// (`Duplicate(url)`). Tags are trimmed and lowercased, empty ones dropped, sorted, each
    /// kept once.
    pub fn create(&self, new: NewBookmark) -> Result<Bookmark, AppError> {
        // TODO: the checks and the cleaning of `create` in tangled.rs, then the insert.
        todo!("validate {new:?}, clean its tags, refuse a taken url, store it")
    }

    /// Every bookmark by id, or only those with `tag` (compared as tags are stored).
    pub fn list(&self, tag: Option<&str>) -> Vec<Bookmark> {
        // TODO: `list` of tangled.rs, without the query string.
        todo!("list the bookmarks, tagged {tag:?}")
    }

    /// The bookmark with this id, or `NotFound(id)`.
    pub fn get(&self, id: u64) -> Result<Bookmark, AppError> {
        // TODO: `show` of tangled.rs, without the path extractor and the response.
        todo!("find bookmark {id}")
    }

    /// Deletes the bookmark with this id, or answers `NotFound(id)`.
    pub fn delete(&self, id: u64) -> Result<(), AppError> {
        // TODO: `remove` of tangled.rs, without HTTP.
        todo!("delete bookmark {id}")
    }
}

/// A tag as it is stored and compared: trimmed and lowercased.
fn normalize_tag(tag: &str) -> String {
    // TODO: a suggested helper, so that `create` and `list` agree on what a tag is.
    todo!("normalize the tag {tag:?}")
}
