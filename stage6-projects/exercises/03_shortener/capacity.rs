//! Milestone 1: capacity. The estimate of the design document (`mod.rs`, section 2) as
//! functions, so that the numbers you would quote in an interview are checked; and base62,
//! the codes' alphabet.
//!
//! The rule: a month is 30 days ([`SECONDS_PER_MONTH`]), a year 12 months; compute every
//! figure from the exact counts in integers and round up once, at the end (`u64::div_ceil`).
//! Never from another rounded figure: reads per second are `links × reads_per_write /
//! seconds`, not the rounded writes per second × 100, and the cache is a month's reads × the
//! percentage × the bytes, divided by 30 × 100 once. Sizes are in bytes, not GB.
//!
//! base62 is a number written in 62 digits, `0`–`9`, `A`–`Z`, `a`–`z` in that order
//! ([`ALPHABET`], ASCII order), the most significant first and without leading zeros:
//! `encode(0)` is `"0"`, 61 is `"z"`, 62 is `"10"`. `decode` reverses it and refuses, with
//! `None`, an empty code, a character outside the alphabet and a number over `u64::MAX`
//! (`checked_mul`, `checked_add`).

/// The traffic a design is sized for, as an interviewer states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traffic {
    /// New short links a month (a month is 30 days).
    pub new_links_per_month: u64,
    /// Redirects per link created: 100 means a 100:1 read-to-write ratio.
    pub reads_per_write: u64,
    /// What one stored link costs on disk, all in: the URL, the code, the row's overhead.
    pub bytes_per_link: u64,
    /// How long links are kept.
    pub years: u64,
    /// The busiest second's traffic, as a multiple of the average second's.
    pub peak_factor: u64,
    /// The share of a day's redirects the cache holds, in percent (the hot links).
    pub cached_percent_of_daily_reads: u64,
}

/// What [`estimate`] computes. Every rate and size is rounded up, once, from exact integers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    /// Links created per second, on average.
    pub writes_per_second: u64,
    /// Redirects per second, on average.
    pub reads_per_second: u64,
    /// Redirects in the busiest second: `peak_factor` times the exact average.
    pub peak_reads_per_second: u64,
    /// Links stored after `years` (a year is 12 months).
    pub links_stored: u64,
    /// Bytes of storage for them.
    pub storage_bytes: u64,
    /// Bytes of cache: the cached share of one day's redirects, a link's bytes each.
    pub cache_bytes: u64,
    /// The fewest base62 characters that give every stored link a code of its own.
    pub code_length: u32,
}

/// Seconds in a month of 30 days.
pub const SECONDS_PER_MONTH: u64 = 30 * 24 * 60 * 60;

/// The estimate for `traffic`.
pub fn estimate(traffic: &Traffic) -> Estimate {
    // TODO: each figure of `Estimate`, by the rule above.
    todo!(
        "estimate: writes, reads and peak per second, links, storage and cache bytes, code length"
    )
}

/// The fewest base62 characters `n` with `62^n >= links` (at least 1).
pub fn code_length(links: u64) -> u32 {
    // TODO: count the characters (beware: 62 to the 11th power does not fit in a u64).
    todo!("the fewest base62 characters n with 62^n >= links, at least 1")
}

/// The 62 digits, in this order: `0`–`9`, `A`–`Z`, `a`–`z` (ASCII order).
pub const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` in base62, most significant digit first, without leading zeros: 0 is `"0"`, 61 is
/// `"z"`, 62 is `"10"`.
pub fn encode(n: u64) -> String {
    // TODO: the digits, least significant first (n % 62), then reversed.
    todo!("n in base62: 0 is \"0\", 62 is \"10\"")
}

/// The number `code` stands for, or `None` when it is empty, has a character outside the
/// alphabet, or is too large for a `u64`. Leading zeros are allowed (`"007"` is 7).
pub fn decode(code: &str) -> Option<u64> {
    // TODO: each character's digit, n * 62 + digit, without overflowing.
    todo!("the number of a base62 code, None when it is not one")
}
