//! Content hashes: for the result cache and for the course's record of its test files
//! (`xtask/checksums.txt`, written by `cargo xtask bless`).
//!
//! FNV-1a (64 bits) is enough here: it detects edits, it does not resist an attacker,
//! and it keeps the runner free of a hashing dependency.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// An incremental FNV-1a hasher.
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(OFFSET)
    }
}

impl Fnv {
    pub fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }

    /// Hashes a length first, so that ("ab", "c") and ("a", "bc") differ.
    pub fn write_part(&mut self, bytes: &[u8]) {
        self.write(&(bytes.len() as u64).to_le_bytes());
        self.write(bytes);
    }

    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

pub fn of_bytes(bytes: &[u8]) -> String {
    let mut h = Fnv::default();
    h.write(bytes);
    h.hex()
}

/// The hash of a file, or of its absence.
pub fn of_file(path: &Path) -> String {
    match std::fs::read(path) {
        Ok(bytes) => of_bytes(&normalize_newlines(&bytes)),
        Err(_) => "missing".to_string(),
    }
}

/// Git on Windows may check files out with CRLF: that is not tampering.
fn normalize_newlines(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        out.push(*b);
    }
    out
}

/// `xtask/checksums.txt`: `<hash>  <path>` lines, like `sha256sum`'s output.
pub struct Checksums {
    pub entries: BTreeMap<PathBuf, String>,
}

impl Checksums {
    pub fn path(root: &Path) -> PathBuf {
        root.join("xtask").join("checksums.txt")
    }

    pub fn load(root: &Path) -> Checksums {
        let text = std::fs::read_to_string(Self::path(root)).unwrap_or_default();
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Checksums {
        let entries = text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once("  "))
            .map(|(hash, path)| (PathBuf::from(path.trim()), hash.trim().to_string()))
            .collect();
        Checksums { entries }
    }

    pub fn render(&self) -> String {
        let mut out = String::from(
            "# The course's version of each test and starter file, written by `cargo xtask bless`.\n\
             # `check` reports a test file that differs as tampered; `reset` restores starters by it.\n",
        );
        for (path, hash) in &self.entries {
            out.push_str(&format!("{hash}  {}\n", path.display()));
        }
        out
    }

    /// Whether the tests at `test` (a file, or a directory of them) differ from the course's
    /// version: a recorded file changed or missing, or no record at all.
    pub fn tampered(&self, root: &Path, test: &Path) -> bool {
        let mut recorded = self
            .entries
            .keys()
            .filter(|rel| *rel == test || rel.starts_with(test))
            .peekable();
        recorded.peek().is_none() || recorded.any(|rel| !self.matches(root, rel))
    }

    /// Whether the file at `rel` (relative to `root`) is the course's version.
    pub fn matches(&self, root: &Path, rel: &Path) -> bool {
        self.entries
            .get(rel)
            .is_some_and(|h| *h == of_file(&root.join(rel)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_values() {
        assert_eq!(of_bytes(b""), "cbf29ce484222325");
        assert_eq!(of_bytes(b"a"), "af63dc4c8601ec8c");
        assert_eq!(of_bytes(b"foobar"), "85944171f73967e8");
    }

    #[test]
    fn parts_are_length_prefixed() {
        let mut a = Fnv::default();
        a.write_part(b"ab");
        a.write_part(b"c");
        let mut b = Fnv::default();
        b.write_part(b"a");
        b.write_part(b"bc");
        assert_ne!(a.hex(), b.hex());
    }

    #[test]
    fn crlf_checkouts_hash_like_lf() {
        assert_eq!(normalize_newlines(b"a\r\nb\rc\n"), b"a\nb\rc\n".to_vec());
    }

    #[test]
    fn checksums_round_trip() {
        let text = "# comment\n0123456789abcdef  stage1-x/tests/01_a.rs\n";
        let sums = Checksums::parse(text);
        assert_eq!(
            sums.entries
                .get(Path::new("stage1-x/tests/01_a.rs"))
                .map(String::as_str),
            Some("0123456789abcdef")
        );
        assert_eq!(Checksums::parse(&sums.render()).entries, sums.entries);
    }
}
