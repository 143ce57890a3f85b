//! Milestone 1: the capacity estimate and base62, pure functions.

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
    let writes = traffic.new_links_per_month;
    let reads = writes * traffic.reads_per_write;
    let links_stored = writes * 12 * traffic.years;
    // A day's redirects times the cached percentage: a month of reads / (30 * 100), rounded
    // up once, after multiplying, so that no rounding error is multiplied by 500 bytes.
    let cache_bytes =
        (reads * traffic.cached_percent_of_daily_reads * traffic.bytes_per_link).div_ceil(30 * 100);
    Estimate {
        writes_per_second: writes.div_ceil(SECONDS_PER_MONTH),
        reads_per_second: reads.div_ceil(SECONDS_PER_MONTH),
        peak_reads_per_second: (reads * traffic.peak_factor).div_ceil(SECONDS_PER_MONTH),
        links_stored,
        storage_bytes: links_stored * traffic.bytes_per_link,
        cache_bytes,
        code_length: code_length(links_stored),
    }
}

/// The fewest base62 characters `n` with `62^n >= links` (at least 1).
pub fn code_length(links: u64) -> u32 {
    let mut length = 1;
    let mut codes: u128 = 62;
    while codes < u128::from(links) {
        codes *= 62;
        length += 1;
    }
    length
}

/// The 62 digits, in this order: `0`–`9`, `A`–`Z`, `a`–`z` (ASCII order).
pub const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` in base62, most significant digit first, without leading zeros: 0 is `"0"`, 61 is
/// `"z"`, 62 is `"10"`.
pub fn encode(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(ALPHABET[(n % 62) as usize]);
        n /= 62;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).expect("the alphabet is ASCII")
}

/// The number `code` stands for, or `None` when it is empty, has a character outside the
/// alphabet, or is too large for a `u64`. Leading zeros are allowed (`"007"` is 7).
pub fn decode(code: &str) -> Option<u64> {
    if code.is_empty() {
        return None;
    }
    code.bytes().try_fold(0u64, |n, byte| {
        let digit = match byte {
            b'0'..=b'9' => byte - b'0',
            b'A'..=b'Z' => byte - b'A' + 10,
            b'a'..=b'z' => byte - b'a' + 36,
            _ => return None,
        };
        n.checked_mul(62)?.checked_add(u64::from(digit))
    })
}
