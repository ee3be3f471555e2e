//! Wall-clock formatting and parsing in WIB (Asia/Jakarta).
//!
//! Indonesia has not observed daylight saving time since 1964, so WIB is a fixed UTC+07:00
//! offset and no time-zone database is needed (which also keeps the wasm build small).

use ::time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::lang::Lang;

pub const WIB_OFFSET_SECONDS: i32 = 7 * 3600;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// As Indonesian writes them (KBBI's abbreviations).
const MONTHS_ID: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];

/// WIB wall time of `ms`, or `None` when it falls outside years 0000–9999 (nothing valid lives there).
pub(crate) fn wib_wall(ms: i64) -> Option<PrimitiveDateTime> {
    // Shifting the instant and reading it as UTC gives the WIB wall time without offset maths
    // that could panic near the representable range.
    let shifted = ms.checked_add(i64::from(WIB_OFFSET_SECONDS) * 1000)?;
    let dt = OffsetDateTime::from_unix_timestamp_nanos(i128::from(shifted) * 1_000_000).ok()?;
    if !(0..=9999).contains(&dt.year()) {
        return None;
    }
    Some(PrimitiveDateTime::new(dt.date(), dt.time()))
}

pub(crate) fn month_abbr(m: Month) -> &'static str {
    MONTHS[usize::from(u8::from(m)) - 1]
}

/// "25 Nov 2026 18:35 WIB" (day not zero-padded).
pub fn format_wib(ms: i64) -> String {
    format_wib_in(ms, Lang::En)
}

/// [`format_wib`] with the month as `lang` writes it: "4 Des 2026 18:35 WIB" in Indonesian.
pub fn format_wib_in(ms: i64, lang: Lang) -> String {
    match wib_wall(ms) {
        Some(t) => format!(
            "{} {} {:04} {:02}:{:02} WIB",
            t.day(),
            month_in(t.month(), lang),
            t.year(),
            t.hour(),
            t.minute()
        ),
        None => ms.to_string(),
    }
}

fn month_in(m: Month, lang: Lang) -> &'static str {
    let months = match lang {
        Lang::Id => &MONTHS_ID,
        Lang::En => &MONTHS,
    };
    months[usize::from(u8::from(m)) - 1]
}

/// "25 Nov": the WIB day of `ms`, for chart labels.
pub fn format_wib_day(ms: i64) -> String {
    match wib_wall(ms) {
        Some(t) => format!("{} {}", t.day(), month_abbr(t.month())),
        None => ms.to_string(),
    }
}

/// The WIB day `ms` falls on, counted from 1970-01-01 (WIB).
pub fn wib_day_number(ms: i64) -> i64 {
    (ms + i64::from(WIB_OFFSET_SECONDS) * 1000).div_euclid(DAY_MS)
}

/// The instant a WIB day (as numbered by [`wib_day_number`]) starts.
pub fn wib_day_start(day: i64) -> i64 {
    day * DAY_MS - i64::from(WIB_OFFSET_SECONDS) * 1000
}

/// "25 Nov 2026 18:35:07 WIB"
pub fn format_wib_seconds(ms: i64) -> String {
    format_wib_seconds_in(ms, Lang::En)
}

/// [`format_wib_seconds`] with the month as `lang` writes it.
pub fn format_wib_seconds_in(ms: i64, lang: Lang) -> String {
    match wib_wall(ms) {
        Some(t) => format!(
            "{} {} {:04} {:02}:{:02}:{:02} WIB",
            t.day(),
            month_in(t.month(), lang),
            t.year(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        None => ms.to_string(),
    }
}

/// ISO-8601 with +07:00, e.g. "2026-11-25T18:35:07+07:00" (the API contract format).
pub fn to_iso_wib(ms: i64) -> String {
    match wib_wall(ms) {
        Some(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+07:00",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        None => ms.to_string(),
    }
}

/// Value for `<input type="datetime-local">`: "2026-11-25T18:35" in WIB.
pub fn to_datetime_local_wib(ms: i64) -> String {
    match wib_wall(ms) {
        Some(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        ),
        None => ms.to_string(),
    }
}

pub const DAY_MS: i64 = 86_400_000;

/// Parses "YYYY-MM-DD" (what `<input type="date">` sends) as the start of that day in WIB;
/// returns ms UTC.
pub fn parse_date_wib(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let err = || crate::tr!(links.date_format);
    if s.len() != 10 || !s.is_ascii() {
        return Err(err());
    }
    parse_datetime_local_wib(&format!("{s}T00:00")).map_err(|_| err())
}

/// Parses "YYYY-MM-DDTHH:MM" (optionally ":SS") as WIB wall time; returns ms UTC.
pub fn parse_datetime_local_wib(s: &str) -> Result<i64, String> {
    let err = || crate::tr!(links.datetime_format);
    let s = s.trim();
    let b = s.as_bytes();
    if !(b.len() == 16 || b.len() == 19) || !s.is_ascii() {
        return Err(err());
    }
    let seps_ok = b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't' || b[10] == b' ')
        && b[13] == b':'
        && (b.len() == 16 || b[16] == b':');
    if !seps_ok {
        return Err(err());
    }
    let num = |from: usize, to: usize| -> Result<u16, String> {
        let part = &s[from..to];
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().map_err(|_| err())
        } else {
            Err(err())
        }
    };
    let year = num(0, 4)?;
    let month = Month::try_from(num(5, 7)? as u8).map_err(|_| err())?;
    let day = num(8, 10)? as u8;
    let hour = num(11, 13)? as u8;
    let minute = num(14, 16)? as u8;
    let second = if b.len() == 19 { num(17, 19)? as u8 } else { 0 };
    let date = Date::from_calendar_date(i32::from(year), month, day).map_err(|_| err())?;
    let time = Time::from_hms(hour, minute, second).map_err(|_| err())?;
    let wall_as_utc = PrimitiveDateTime::new(date, time)
        .assume_utc()
        .unix_timestamp();
    Ok((wall_as_utc - i64::from(WIB_OFFSET_SECONDS)) * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-25T18:35:07+07:00 == 2026-11-25T11:35:07Z
    const SAMPLE_MS: i64 = 1_795_606_507_000;

    #[test]
    fn sample_constant_is_right() {
        let utc = OffsetDateTime::from_unix_timestamp(SAMPLE_MS / 1000).unwrap();
        assert_eq!((utc.hour(), utc.minute(), utc.second()), (11, 35, 7));
        assert_eq!(utc.date().to_string(), "2026-11-25");
    }

    #[test]
    fn formats() {
        assert_eq!(format_wib(SAMPLE_MS), "25 Nov 2026 18:35 WIB");
        // 2026-12-04 and 2026-08-17 in Indonesian.
        let december = SAMPLE_MS + 9 * DAY_MS;
        assert_eq!(format_wib_in(december, Lang::Id), "4 Des 2026 18:35 WIB");
        assert_eq!(
            format_wib_seconds_in(december, Lang::Id),
            "4 Des 2026 18:35:07 WIB"
        );
        let august = SAMPLE_MS - 100 * DAY_MS;
        assert_eq!(format_wib_in(august, Lang::Id), "17 Agu 2026 18:35 WIB");
        assert_eq!(format_wib_seconds(SAMPLE_MS), "25 Nov 2026 18:35:07 WIB");
        assert_eq!(to_iso_wib(SAMPLE_MS), "2026-11-25T18:35:07+07:00");
        assert_eq!(to_datetime_local_wib(SAMPLE_MS), "2026-11-25T18:35");
        // Sub-second parts are dropped, not rounded.
        assert_eq!(to_iso_wib(SAMPLE_MS + 999), "2026-11-25T18:35:07+07:00");
    }

    #[test]
    fn utc_evening_is_next_day_in_wib() {
        // 1970-01-01T17:00:00Z is 1970-01-02 00:00 WIB.
        assert_eq!(format_wib(17 * 3600 * 1000), "2 Jan 1970 00:00 WIB");
        assert_eq!(to_iso_wib(0), "1970-01-01T07:00:00+07:00");
    }

    #[test]
    fn negative_ms_floors() {
        // One millisecond before the epoch is 06:59:59.999 WIB, shown as 06:59:59.
        assert_eq!(to_iso_wib(-1), "1970-01-01T06:59:59+07:00");
    }

    #[test]
    fn out_of_range_does_not_panic() {
        for ms in [i64::MIN, i64::MAX, 300_000_000_000_000, -70_000_000_000_000] {
            assert_eq!(format_wib(ms), ms.to_string());
            assert_eq!(format_wib_seconds(ms), ms.to_string());
            assert_eq!(to_iso_wib(ms), ms.to_string());
            assert_eq!(to_datetime_local_wib(ms), ms.to_string());
        }
    }

    #[test]
    fn parse_round_trips() {
        assert_eq!(
            parse_datetime_local_wib("2026-11-25T18:35"),
            Ok(SAMPLE_MS - 7_000)
        );
        assert_eq!(
            parse_datetime_local_wib(" 2026-11-25T18:35:07 "),
            Ok(SAMPLE_MS)
        );
        assert_eq!(
            parse_datetime_local_wib("2026-11-25 18:35:07"),
            Ok(SAMPLE_MS)
        );
        let ms = parse_datetime_local_wib("2024-02-29T00:00").unwrap();
        assert_eq!(to_datetime_local_wib(ms), "2024-02-29T00:00");
        assert_eq!(
            parse_datetime_local_wib("1970-01-01T07:00"),
            Ok(0),
            "07:00 WIB is the epoch"
        );
    }

    #[test]
    fn parse_rejects_bad_input() {
        for bad in [
            "",
            "2026-11-25",
            "2026-11-25T18",
            "2026-11-25T18:35Z",
            "2026-11-25T18:35+07:00",
            "2026-13-01T00:00",
            "2026-02-29T00:00",
            "2026-04-31T00:00",
            "2026-11-25T24:00",
            "2026-11-25T23:60",
            "2026-11-25T23:59:60",
            "2026/11/25T18:35",
            "+026-11-25T18:35",
            "2026-1a-25T18:35",
            "25-11-2026T18:35",
            "2026-11-25T18:35:0é",
        ] {
            let e = parse_datetime_local_wib(bad).unwrap_err();
            assert!(e.contains("YYYY-MM-DDTHH:MM"), "{bad:?} -> {e}");
        }
    }

    #[test]
    fn a_date_is_the_start_of_its_day_in_jakarta() {
        // 2026-11-25 00:00 WIB = 2026-11-24 17:00 UTC.
        assert_eq!(parse_date_wib("2026-11-25"), Ok(1_795_539_600_000));
        assert!(parse_date_wib("2026-13-01").is_err());
        assert!(parse_date_wib("25-11-2026").is_err());
        assert!(parse_date_wib("").is_err());
    }

    #[test]
    fn wib_days_start_at_midnight_in_jakarta() {
        // 2026-11-25 10:00 WIB.
        let now = 1_795_575_600_000;
        let day = wib_day_number(now);
        assert_eq!(wib_day_start(day), 1_795_539_600_000);
        assert_eq!(wib_day_number(wib_day_start(day)), day);
        assert_eq!(wib_day_number(wib_day_start(day) - 1), day - 1);
        assert_eq!(format_wib_day(now), "25 Nov");
    }
}
