//! UTC time stamps, through the `time` crate (no hand-written calendar arithmetic).

use time::OffsetDateTime;

/// Seconds since the Unix epoch, now (0 if the clock is before 1970).
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn at(unix: i64) -> OffsetDateTime {
    // Outside years -9999..=9999 (never for X.509 or file times): the nearest representable.
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(if unix < 0 {
        time::PrimitiveDateTime::MIN.assume_utc()
    } else {
        time::PrimitiveDateTime::MAX.assume_utc()
    })
}

/// RFC 3339 in UTC, to the second: `2026-12-01T08:30:00Z`.
pub fn rfc3339(unix: i64) -> String {
    let t = at(unix);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `YYYYMMDDTHHMMSSZ` in UTC (sortable, valid in file names everywhere).
pub fn stamp(unix: i64) -> String {
    let t = at(unix);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Unix seconds of a UTC calendar date and time; `None` when it does not exist (February 30,
/// hour 24, …). A leap second (`:60`) is the start of the next minute, as Unix time counts it.
pub fn from_calendar(
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
) -> Option<i64> {
    let date =
        time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    let leap = i64::from(second == 60);
    let time = time::Time::from_hms(hour, minute, second.min(59)).ok()?;
    let unix = time::PrimitiveDateTime::new(date, time)
        .assume_utc()
        .unix_timestamp();
    Some(unix + leap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(stamp(0), "19700101T000000Z");
        let t = from_calendar(2026, 11, 26, 5, 31, 34).unwrap();
        assert_eq!(t, 1_795_671_094);
        assert_eq!(rfc3339(t), "2026-11-26T05:31:34Z");
        assert_eq!(stamp(t), "20261126T053134Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
        // Leap day, and a day that does not exist.
        assert_eq!(
            rfc3339(from_calendar(2024, 2, 29, 12, 0, 0).unwrap()),
            "2024-02-29T12:00:00Z"
        );
        assert_eq!(from_calendar(2026, 2, 30, 0, 0, 0), None);
        assert_eq!(from_calendar(2026, 13, 1, 0, 0, 0), None);
        // The X.509 "no well-defined expiry" date still formats.
        assert_eq!(
            rfc3339(from_calendar(9999, 12, 31, 23, 59, 59).unwrap()),
            "9999-12-31T23:59:59Z"
        );
        assert!(rfc3339(i64::MAX).starts_with("9999-12-31T"));
    }
}
