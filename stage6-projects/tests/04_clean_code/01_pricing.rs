//! Milestone 1, pricing: `quote(lines, coupon, at)` keeps the legacy handler's rules (see
//! `pricing.rs`), and since the instant is an argument, happy hour is tested at its edges
//! instead of between 17:00 and 18:00 only.

use crate::common::at;
use crate::exercise::{Coupon, Line, Quote, pricing, quote};

const MORNING: &str = "2026-12-03T09:00:00Z";

fn amounts(subtotal: i64, discount: i64, tax: i64, total: i64) -> Quote {
    Quote {
        subtotal_cents: subtotal,
        discount_cents: discount,
        tax_cents: tax,
        total_cents: total,
    }
}

#[test]
fn without_discounts_the_total_is_the_subtotal_plus_20_percent_tax() {
    let lines = [Line::new("tea", 3, 250), Line::new("scone", 1, 180)];
    assert_eq!(quote(&lines, None, at(MORNING)), amounts(930, 0, 186, 1116));
}

#[test]
fn a_line_of_5_to_9_pieces_gets_5_percent_off_and_of_10_or_more_10_percent() {
    let got: Vec<(i64, Quote)> = [4, 5, 9, 10, 20]
        .into_iter()
        .map(|quantity| {
            let lines = [Line::new("mug", quantity, 100)];
            (quantity, quote(&lines, None, at(MORNING)))
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (4, amounts(400, 0, 80, 480)),
            (5, amounts(500, 25, 95, 570)),
            (9, amounts(900, 45, 171, 1026)),
            (10, amounts(1000, 100, 180, 1080)),
            (20, amounts(2000, 200, 360, 2160)),
        ]
    );
}

#[test]
fn the_quantity_discount_is_rounded_once_for_the_order_not_line_by_line() {
    // Each line's 5 % is 2.5 cents: 7.5 for the order, rounded to 8 (per line, 3 + 3 + 3 = 9,
    // or 2 + 2 + 2 = 6 when cut).
    let lines = [
        Line::new("pen", 5, 10),
        Line::new("pencil", 5, 10),
        Line::new("eraser", 5, 10),
    ];
    assert_eq!(quote(&lines, None, at(MORNING)), amounts(150, 8, 28, 170));
}

#[test]
fn amounts_are_rounded_half_up_to_the_cent() {
    // SAVE10 of 25 cents is 2.5: 3 cents off (not 2, as cutting or rounding to even would).
    let lines = [Line::new("sticker", 1, 25)];
    assert_eq!(
        quote(&lines, Some(Coupon::Save10), at(MORNING)),
        amounts(25, 3, 4, 26)
    );
}

#[test]
fn save10_takes_10_percent_of_what_the_quantity_discount_left() {
    // 1000, less 10 % for 10 pieces: 900; SAVE10: 90 more; tax on 810.
    let lines = [Line::new("mug", 10, 100)];
    assert_eq!(
        quote(&lines, Some(Coupon::Save10), at(MORNING)),
        amounts(1000, 190, 162, 972)
    );
}

#[test]
fn fiveoff_takes_5_euros_before_the_tax_and_never_more_than_is_left() {
    let big = [Line::new("kettle", 2, 1000)];
    let small = [Line::new("spoon", 1, 300)];
    // After the quantity discount (475 left), so all of it.
    let discounted = [Line::new("mug", 5, 100)];
    assert_eq!(
        [&big[..], &small, &discounted].map(|lines| quote(
            lines,
            Some(Coupon::FiveOff),
            at(MORNING)
        )),
        [
            amounts(2000, 500, 300, 1800),
            amounts(300, 300, 0, 0),
            amounts(500, 500, 0, 0),
        ]
    );
}

#[test]
fn happy_hour_is_from_17_00_00_to_17_59_59_utc() {
    let instants = [
        "2026-12-03T16:59:59.999Z",
        "2026-12-03T17:00:00Z",
        "2026-12-03T17:59:59Z",
        "2026-12-03T17:59:59.999Z",
        "2026-12-03T18:00:00Z",
        // 17:30 in New York is 22:30 UTC: not happy hour, which is UTC's.
        "2026-12-03T17:30:00-05:00",
    ];
    let lines = [Line::new("cake", 1, 1000)];
    let happy = amounts(1000, 100, 180, 1080);
    let not = amounts(1000, 0, 200, 1200);
    let got: Vec<(&str, bool, Quote)> = instants
        .iter()
        .map(|&i| (i, pricing::is_happy_hour(at(i)), quote(&lines, None, at(i))))
        .collect();
    let want = vec![
        (instants[0], false, not),
        (instants[1], true, happy),
        (instants[2], true, happy),
        (instants[3], true, happy),
        (instants[4], false, not),
        (instants[5], false, not),
    ];
    assert_eq!(got, want);
}

#[test]
fn happy_hour_takes_10_percent_of_what_the_coupon_left() {
    // FIVEOFF first: 1000 - 500 = 500, then happy hour 50, then the tax on 450. (Happy hour
    // first would take 100 and leave 400.)
    let lines = [Line::new("cake", 1, 1000)];
    assert_eq!(
        quote(&lines, Some(Coupon::FiveOff), at("2026-12-03T17:30:00Z")),
        amounts(1000, 550, 90, 540)
    );
}

#[test]
fn coupon_codes_are_read_exactly_as_written() {
    let codes = [
        "SAVE10", "FIVEOFF", "save10", " SAVE10", "SAVE10 ", "FIVE OFF", "",
    ];
    let got: Vec<(&str, Option<Coupon>)> =
        codes.iter().map(|&c| (c, Coupon::from_code(c))).collect();
    assert_eq!(
        got,
        vec![
            ("SAVE10", Some(Coupon::Save10)),
            ("FIVEOFF", Some(Coupon::FiveOff)),
            ("save10", None),
            (" SAVE10", None),
            ("SAVE10 ", None),
            ("FIVE OFF", None),
            ("", None),
        ]
    );
}
