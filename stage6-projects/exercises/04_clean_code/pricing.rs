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
        // TODO: the two codes, compared exactly.
        todo!("Coupon::from_code: SAVE10 and FIVEOFF, anything else None (milestone 1, pricing)")
    }
}

// TODO: name the legacy handler's magic numbers here (the tax, happy hour's hour and
// percentage, FIVEOFF's cents), so each rule is stated once.

/// Whether `at` is in happy hour: 17:00:00 up to, not including, 18:00:00 UTC.
pub fn is_happy_hour(at: DateTime<Utc>) -> bool {
    // TODO: `chrono::Timelike::hour` of a `DateTime<Utc>` is the UTC hour.
    todo!("is_happy_hour: from 17:00:00 to 17:59:59.999 UTC (milestone 1, pricing)")
}

/// What `lines` cost with `coupon` at the instant `at`.
pub fn quote(lines: &[Line], coupon: Option<Coupon>, at: DateTime<Utc>) -> Quote {
    // TODO: the five steps of this file's header, in order. Keep amounts in whole cents
    // (`i64`), never `f64`: to round `x` % of `cents` half up, `(cents * x + 50) / 100`; for
    // the quantity discount, sum `line total × percent` over the lines first and divide once.
    todo!("quote: subtotal, quantity discount, coupon, happy hour, tax (milestone 1, pricing)")
}
