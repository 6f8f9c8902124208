//! Days: the one way the tool reads one (`YYYY-MM-DD`, in changelog headings,
//! tag dates from git and `--date`), and the one place it reads the calendar
//! (commands take the date as a value, so what they compute stays testable).

use chrono::NaiveDate;

/// Today in UTC: the default release date, and the day lint judges "in the future" by.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Exactly `YYYY-MM-DD` (four, two and two digits), and a real day. The
/// shape is checked first: chrono alone also takes `2024-1-5` or `+2024-01-05`.
pub fn parse(text: &str) -> Option<NaiveDate> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_real_day_written_yyyy_mm_dd_is_a_date() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let cases = [
            ("2024-01-05", day(2024, 1, 5)),
            ("2024-02-29", day(2024, 2, 29)),
            ("0999-12-31", day(999, 12, 31)),
            ("2023-02-29", None),
            ("2024-13-01", None),
            ("2024-00-10", None),
            ("2024-1-05", None),
            ("2024-01-5", None),
            ("+2024-01-05", None),
            ("2024-01-05 ", None),
            (" 2024-01-05", None),
            ("2024/01/05", None),
            ("4 April 2024", None),
            ("2024-01-0x", None),
            ("２０２４-01-05", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), want, "{text:?}");
        }
    }
}
