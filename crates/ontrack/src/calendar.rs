//! Calendar maths: periods as decimal years, civil dates, and periods for messages.

/// How periods are expressed, so results can report them in the same type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// Integer years.
    Year,
    /// Calendar dates (computed on decimal years).
    Date,
    /// Fractional years given as floats.
    Decimal,
}

/// Civil date (year, month, day) from days since 1970-01-01 (H. Hinnant's algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // A day of the month (1–31) and a month (1–12).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (d, m) = (
        (doy - (153 * mp + 2) / 5 + 1) as u32,
        if mp < 10 { mp + 3 } else { mp - 9 } as u32,
    );
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a civil date.
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A date (days since 1970-01-01) as a decimal year: `year + (day of year - 1)/(days in
/// year)`, the calendar rule every period of ontrack follows (2020-07-01 is 2020.4945…, the
/// 182nd of 366 days). The expression plugins use it too, so that a growth rate between two
/// dates is the same in an expression and in [`crate::assess`].
///
/// ```
/// assert_eq!(ontrack::decimal_year_from_days(0), 1970.0);
/// assert_eq!(ontrack::decimal_year_from_days(18_262), 2020.0); // 2020-01-01
/// ```
#[must_use]
#[allow(clippy::cast_precision_loss)] // |year| < 6 million (i32 days), ≤ 366 days: exact
pub fn decimal_year_from_days(days: i32) -> f64 {
    let (y, _, _) = civil_from_days(i64::from(days));
    let start = days_from_civil(y, 1, 1);
    let next = days_from_civil(y + 1, 1, 1);
    y as f64 + (i64::from(days) - start) as f64 / (next - start) as f64
}

/// The inverse of [`decimal_year_from_days`], rounded to the nearest day.
///
/// Dates are `i32` days (about ±5.9 million years): a year beyond ±10 million saturates at the
/// ends like a date beyond, instead of overflowing the calendar maths.
// |year| ≤ 10^7, whose day counts are far below 2^53; the last cast saturates.
#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
pub(crate) fn days_from_decimal_year(year: f64) -> i32 {
    let year = year.clamp(-MAX_YEAR, MAX_YEAR);
    let y = year.floor();
    let start = days_from_civil(y as i64, 1, 1);
    let next = days_from_civil(y as i64 + 1, 1, 1);
    let days = start as f64 + (year - y) * (next - start) as f64;
    days.round() as i32
}

/// The largest year (in absolute value) that the calendar maths takes.
const MAX_YEAR: f64 = 1e7;

/// An integer year as a decimal year.
#[allow(clippy::cast_precision_loss)] // years are far below 2^53
pub(crate) fn year_f64(y: i64) -> f64 {
    y as f64
}

/// A decimal year rounded to a whole year.
#[allow(clippy::cast_possible_truncation)] // years are far inside i64 (and `as` saturates)
pub(crate) fn year_i64(y: f64) -> i64 {
    y.round() as i64
}

/// A period for messages: `2017`, `2017.5` or `2017-06-30`.
pub(crate) fn format_period(year: f64, kind: PeriodKind) -> String {
    let mut out = String::new();
    write_period(&mut out, year, kind);
    out
}

/// [`format_period`], appended to `out`.
pub(crate) fn write_period(out: &mut String, year: f64, kind: PeriodKind) {
    use std::fmt::Write;
    // Writing into a `String` cannot fail.
    let _ = match kind {
        PeriodKind::Year => write!(out, "{}", year_i64(year)),
        PeriodKind::Decimal => write!(out, "{year}"),
        PeriodKind::Date => {
            let (y, m, d) = civil_from_days(i64::from(days_from_decimal_year(year)));
            write!(out, "{y:04}-{m:02}-{d:02}")
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_decimal_years() {
        for days in [-800, 0, 59, 365, 10_957, 18_000, 20_000] {
            assert_eq!(days_from_decimal_year(decimal_year_from_days(days)), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        let july_2 = i32::try_from(days_from_civil(2020, 7, 2)).unwrap_or(i32::MAX);
        assert!((decimal_year_from_days(july_2) - 2020.5).abs() < 1e-2);
    }
}
