//! The one place the xtask reads the calendar: commands take the date as a
//! value, so what they compute with it stays testable.

use chrono::NaiveDate;

/// Today in UTC: the default release date, and the day lint judges "in the future" by.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}
