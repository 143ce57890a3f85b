//! Milestone 1: the capacity estimate and base62 (`capacity.rs`), pure functions.
//!
//! The rule of the estimate: a month is 30 days, a year 12 months; every figure is computed
//! from the exact counts and rounded up once, at the end (never from another rounded figure).

use crate::exercise::capacity::{Estimate, Traffic, code_length, decode, encode, estimate};

fn course_traffic() -> Traffic {
    Traffic {
        new_links_per_month: 100_000_000,
        reads_per_write: 100,
        bytes_per_link: 500,
        years: 5,
        peak_factor: 2,
        cached_percent_of_daily_reads: 20,
    }
}

#[test]
fn the_course_s_traffic_gives_the_stated_estimate() {
    assert_eq!(
        estimate(&course_traffic()),
        Estimate {
            // 100 M / 2 592 000 s = 38.6
            writes_per_second: 39,
            // 10 G / 2 592 000 s = 3 858.0
            reads_per_second: 3_859,
            // 2 × 3 858.02 = 7 716.05
            peak_reads_per_second: 7_717,
            // 100 M × 12 × 5
            links_stored: 6_000_000_000,
            // 6 G × 500 bytes = 3 TB
            storage_bytes: 3_000_000_000_000,
            // 10 G reads / 30 days × 20 % × 500 bytes = 33.3 GB
            cache_bytes: 33_333_333_334,
            // 62^5 = 916 M < 6 G ≤ 62^6 = 56.8 G
            code_length: 6,
        }
    );
}

#[test]
fn every_figure_is_rounded_up_once_from_exact_counts() {
    let traffic = Traffic {
        new_links_per_month: 2_592_001,
        reads_per_write: 3,
        bytes_per_link: 100,
        years: 1,
        peak_factor: 2,
        cached_percent_of_daily_reads: 7,
    };
    assert_eq!(
        estimate(&traffic),
        Estimate {
            // 1.0000004 a second, rounded up.
            writes_per_second: 2,
            // 3.0000012, not 2 × 3 = 6 from the rounded writes.
            reads_per_second: 4,
            // 6.0000023, not 2 × 4 = 8 from the rounded reads.
            peak_reads_per_second: 7,
            links_stored: 31_104_012,
            storage_bytes: 3_110_401_200,
            // 7 776 003 reads / 30 × 7 % × 100 bytes = 1 814 400.7, not from a day's
            // reads rounded first (259 201 × 7 % = 18 145 links: 1 814 500 bytes).
            cache_bytes: 1_814_401,
            code_length: 5,
        }
    );
}

#[test]
fn code_length_is_the_fewest_base62_characters_that_number_every_link() {
    let lengths: Vec<u32> = [0, 1, 62, 63, 3_844, 3_845, 916_132_832, 916_132_833]
        .into_iter()
        .map(code_length)
        .collect();
    assert_eq!(lengths, vec![1, 1, 1, 2, 2, 3, 5, 6]);
    assert_eq!(code_length(u64::MAX), 11);
}

#[test]
fn base62_counts_with_digits_then_capitals_then_small_letters() {
    let codes: Vec<String> = [0, 9, 10, 35, 36, 61, 62, 63, 3_843, 3_844, 1_000_000]
        .into_iter()
        .map(encode)
        .collect();
    assert_eq!(
        codes,
        [
            "0", "9", "A", "Z", "a", "z", "10", "11", "zz", "100", "4C92"
        ]
    );
    assert_eq!(encode(u64::MAX), "LygHa16AHYF");
}

#[test]
fn decode_reverses_encode_and_refuses_what_is_not_base62() {
    for n in [
        0,
        1,
        61,
        62,
        3_843,
        3_844,
        123_456_789,
        u64::MAX - 1,
        u64::MAX,
    ] {
        assert_eq!(decode(&encode(n)), Some(n), "decode(encode({n}))");
    }
    assert_eq!(decode("007"), Some(7), "leading zeros are allowed");
    let refused: Vec<Option<u64>> = ["", "a-b", "ab ", "é", "LygHa16AHYG", "zzzzzzzzzzzz"]
        .into_iter()
        .map(decode)
        .collect();
    assert_eq!(
        refused,
        vec![None; 6],
        "empty, outside the alphabet, or over u64::MAX"
    );
}
