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
        let url = new.url.trim().to_string();
        if !url.starts_with("http://") && !url.starts_with("https://") {
            return Err(AppError::Invalid(
                "url must start with http:// or https://".into(),
            ));
        }
        let title = new.title.trim().to_string();
        if title.is_empty() {
            return Err(AppError::Invalid("title must not be blank".into()));
        }
        let mut tags: Vec<String> = new
            .tags
            .iter()
            .map(|tag| normalize_tag(tag))
            .filter(|tag| !tag.is_empty())
            .collect();
        tags.sort();
        tags.dedup();

        // One lock for the check and the insert, so that two requests cannot both find the
        // url free and both store it.
        let mut store = self.store.lock().unwrap();
        if store.bookmarks.values().any(|b| b.url == url) {
            return Err(AppError::Duplicate(url));
        }
        store.last_id += 1;
        let bookmark = Bookmark {
            id: store.last_id,
            url,
            title,
            tags,
        };
        store.bookmarks.insert(bookmark.id, bookmark.clone());
        Ok(bookmark)
    }

    /// Every bookmark by id, or only those with `tag` (compared as tags are stored).
    pub fn list(&self, tag: Option<&str>) -> Vec<Bookmark> {
        let wanted = tag.map(normalize_tag);
        let store = self.store.lock().unwrap();
        store
            .bookmarks
            .values()
            .filter(|b| wanted.as_ref().is_none_or(|tag| b.tags.contains(tag)))
            .cloned()
            .collect()
    }

    /// The bookmark with this id, or `NotFound(id)`.
    pub fn get(&self, id: u64) -> Result<Bookmark, AppError> {
        let store = self.store.lock().unwrap();
        store
            .bookmarks
            .get(&id)
            .cloned()
            .ok_or(AppError::NotFound(id))
    }

    /// Deletes the bookmark with this id, or answers `NotFound(id)`.
    pub fn delete(&self, id: u64) -> Result<(), AppError> {
        let mut store = self.store.lock().unwrap();
        match store.bookmarks.remove(&id) {
            Some(_) => Ok(()),
            None => Err(AppError::NotFound(id)),
        }
    }
}

/// A tag as it is stored and compared: trimmed and lowercased.
fn normalize_tag(tag: &str) -> String {
    tag.trim().to_lowercase()
}
