//! Milestone 1, pricing: the rules of the legacy handler as pure functions. No I/O, no clock:
//! the instant is an argument, so a test can ask "what does this cost at 17:59:59?" without
//! waiting for it.
//!
//! The rules, in this order, every amount in whole cents:
//! 1. the subtotal: the sum of `quantity × unit_price_cents`;
//! 2. the quantity discount: 5 % of a line of 5 to 9 pieces, 10 % of a line of 10 or more;
//!    summed over the lines exactly and rounded once for the order (half up), not per line;
//! 3. the coupon, on what is left after 2: `SAVE10` takes 10 % (rounded half up), `FIVEOFF`
//!    takes 500 cents, never more than what is left;
//! 4. happy hour, from 17:00:00 to 17:59:59 UTC: 10 % of what is left after 3 (half up);
//! 5. the tax: 20 % of what is left after 4 (half up), added.
//!
//! Every discount is taken before the tax. `discount_cents` is 2 + 3 + 4.

use chrono::{DateTime, Timelike, Utc};

use super::model::{Line, Quote};

/// The coupons the shop knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coupon {
    /// `"SAVE10"`: 10 % off.
    Save10,
    /// `"FIVEOFF"`: 5 EUR off.
    FiveOff,
}

impl Coupon {
    /// The coupon of a code, written exactly so (`"save10"` is none); `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<Coupon> {
        match code {
            "SAVE10" => Some(Coupon::Save10),
            "FIVEOFF" => Some(Coupon::FiveOff),
            _ => None,
        }
    }
}

const TAX_PERCENT: i64 = 20;
const HAPPY_HOUR_PERCENT: i64 = 10;
const HAPPY_HOUR: u32 = 17;
const FIVE_OFF_CENTS: i64 = 500;

/// Whether `at` is in happy hour: 17:00:00 up to, not including, 18:00:00 UTC.
pub fn is_happy_hour(at: DateTime<Utc>) -> bool {
    at.hour() == HAPPY_HOUR
}

/// What `lines` cost with `coupon` at the instant `at`.
pub fn quote(lines: &[Line], coupon: Option<Coupon>, at: DateTime<Utc>) -> Quote {
    let subtotal: i64 = lines.iter().map(line_total).sum();
    // Hundredths of a cent, summed exactly, so the order is rounded once.
    let quantity_discount = percent_sum(lines.iter().map(|line| {
        let percent = match line.quantity {
            10.. => 10,
            5..=9 => 5,
            _ => 0,
        };
        line_total(line) * percent
    }));
    let mut left = subtotal - quantity_discount;
    let coupon_discount = match coupon {
        Some(Coupon::Save10) => percent_of(left, 10),
        Some(Coupon::FiveOff) => left.min(FIVE_OFF_CENTS),
        None => 0,
    };
    left -= coupon_discount;
    let happy_hour_discount = if is_happy_hour(at) {
        percent_of(left, HAPPY_HOUR_PERCENT)
    } else {
        0
    };
    left -= happy_hour_discount;
    let tax = percent_of(left, TAX_PERCENT);
    Quote {
        subtotal_cents: subtotal,
        discount_cents: quantity_discount + coupon_discount + happy_hour_discount,
        tax_cents: tax,
        total_cents: left + tax,
    }
}

fn line_total(line: &Line) -> i64 {
    line.quantity * line.unit_price_cents
}

/// `percent` % of `cents`, rounded half up (the amounts are never negative).
fn percent_of(cents: i64, percent: i64) -> i64 {
    percent_sum([cents * percent])
}

/// A sum of `cents × percent` products, divided by 100 once and rounded half up.
fn percent_sum(products: impl IntoIterator<Item = i64>) -> i64 {
    (products.into_iter().sum::<i64>() + 50) / 100
}
