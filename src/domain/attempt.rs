//! Payment attempts (histories): their status, expiry and reference.

use super::time::WIB_OFFSET_SECONDS;

/// Stored status of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AttemptStatus {
    Pending,
    Paid,
    Failed,
    Expired,
}

impl AttemptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptStatus::Pending => "pending",
            AttemptStatus::Paid => "paid",
            AttemptStatus::Failed => "failed",
            AttemptStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Result<AttemptStatus, String> {
        match s {
            "pending" => Ok(AttemptStatus::Pending),
            "paid" => Ok(AttemptStatus::Paid),
            "failed" => Ok(AttemptStatus::Failed),
            "expired" => Ok(AttemptStatus::Expired),
            other => Err(crate::tr!(payments.unknown_status, status = other)),
        }
    }

    /// The status in the dashboard's words (`as_str` is the API's and the exports').
    pub fn label(self) -> String {
        match self {
            AttemptStatus::Pending => crate::tr!(payments.status_pending),
            AttemptStatus::Paid => crate::tr!(payments.status_paid),
            AttemptStatus::Failed => crate::tr!(payments.status_failed),
            AttemptStatus::Expired => crate::tr!(payments.status_expired),
        }
    }

    /// A pending attempt past its expiry is expired, whether or not the expiry job has run.
    pub fn computed(self, expired_at: i64, now_ms: i64) -> AttemptStatus {
        if self == AttemptStatus::Pending && expired_at <= now_ms {
            AttemptStatus::Expired
        } else {
            self
        }
    }
}

/// Something about a credited payment the merchant should look at. The money is recorded
/// either way: verified money is never refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentFlag {
    /// Paid although its link had already used up its `max_usage`.
    OverCap,
}

impl PaymentFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentFlag::OverCap => "over_cap",
        }
    }

    pub fn parse(s: &str) -> Result<PaymentFlag, String> {
        match s {
            "over_cap" => Ok(PaymentFlag::OverCap),
            other => Err(format!("Unknown payment flag: {other}.")),
        }
    }

    /// What the merchant is told, in English and Bahasa Indonesia.
    pub fn describe(self, lang: super::lang::Lang) -> &'static str {
        match (self, lang) {
            (PaymentFlag::OverCap, super::lang::Lang::En) => {
                "Paid after the link had reached its usage limit. The money is recorded; refund or keep it."
            }
            (PaymentFlag::OverCap, super::lang::Lang::Id) => {
                "Dibayar setelah tautan mencapai batas penggunaan. Dana tetap tercatat; kembalikan atau simpan."
            }
        }
    }
}

/// How long an attempt on a link with a usage limit holds its place. A VA may live a day,
/// but a payer who walked away must not keep the last ticket that long: on a capped link the
/// instructions themselves stop working after this, so money can never arrive for a place
/// another payer has since taken.
pub const SLOT_HOLD_SECONDS: i64 = 30 * 60;

/// When a new attempt's instructions stop working: the method's window, at most
/// [`SLOT_HOLD_SECONDS`] on a link with a usage limit, and never after the link itself expires.
pub fn attempt_expiry(
    now_ms: i64,
    method_expiry_seconds: i64,
    link_expired_at: Option<i64>,
    capped: bool,
) -> i64 {
    let window = if capped {
        method_expiry_seconds.min(SLOT_HOLD_SECONDS)
    } else {
        method_expiry_seconds
    };
    let by_method = now_ms.saturating_add(window.saturating_mul(1000));
    link_expired_at.map_or(by_method, |link| by_method.min(link))
}

/// Attempt references are 23 digits: the WIB time to the millisecond (17 digits) and six
/// random digits, so they sort by time and two payers in the same millisecond still differ.
pub fn attempt_reff_no(now_ms: i64, random_six_digits: u32) -> String {
    let wib = ::time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(now_ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            ::time::UtcOffset::from_whole_seconds(WIB_OFFSET_SECONDS)
                .ok()
                .map(|o| t.to_offset(o))
        });
    let stamp = match wib {
        Some(t) => format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}{:03}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        ),
        None => format!("{:017}", now_ms.rem_euclid(100_000_000_000_000_000)),
    };
    format!("{stamp}{:06}", random_six_digits % 1_000_000)
}

/// Is `s` shaped like an attempt reference? Checked before any lookup.
pub fn is_attempt_reff_no(s: &str) -> bool {
    s.len() == 23 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Groups a VA number or payment code for display: "8808 1234 5678 9012" (groups of 4 from
/// the left).
/// Existing whitespace is dropped first, so formatting twice gives the same result.
pub fn group_va_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().filter(|c| !c.is_whitespace()).collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_past_expiry_reads_as_expired() {
        assert_eq!(
            AttemptStatus::Pending.computed(100, 100),
            AttemptStatus::Expired
        );
        assert_eq!(
            AttemptStatus::Pending.computed(101, 100),
            AttemptStatus::Pending
        );
        assert_eq!(AttemptStatus::Paid.computed(1, 100), AttemptStatus::Paid);
    }

    #[test]
    fn expiry_is_capped_by_the_link() {
        assert_eq!(attempt_expiry(1_000, 60, None, false), 61_000);
        assert_eq!(attempt_expiry(1_000, 60, Some(30_000), false), 30_000);
        assert_eq!(attempt_expiry(1_000, 60, Some(90_000), false), 61_000);
    }

    #[test]
    fn a_capped_link_holds_a_place_for_the_short_window_only() {
        let day = 24 * 3600;
        assert_eq!(attempt_expiry(0, day, None, false), day * 1000);
        assert_eq!(attempt_expiry(0, day, None, true), SLOT_HOLD_SECONDS * 1000);
        // A method whose window is shorter keeps it.
        assert_eq!(attempt_expiry(0, 300, None, true), 300_000);
        assert_eq!(attempt_expiry(0, day, Some(60_000), true), 60_000);
    }

    #[test]
    fn reference_is_23_digits_of_wib_time_and_randomness() {
        // 2026-11-25 03:00:00.042 UTC = 10:00:00.042 WIB
        let reff = attempt_reff_no(1_795_575_600_042, 7);
        assert_eq!(reff, "20261125100000042000007");
        assert!(is_attempt_reff_no(&reff));
        assert!(!is_attempt_reff_no("2026112510000004200000x"));
        assert!(!is_attempt_reff_no("123"));
    }

    #[test]
    fn status_round_trips() {
        for s in ["pending", "paid", "failed", "expired"] {
            assert_eq!(AttemptStatus::parse(s).unwrap().as_str(), s);
        }
        assert!(AttemptStatus::parse("settled").is_err());
    }

    #[test]
    fn display_groups_of_four() {
        assert_eq!(group_va_number("8808123456789012"), "8808 1234 5678 9012");
        assert_eq!(group_va_number("880812345678901"), "8808 1234 5678 901");
        assert_eq!(
            group_va_number("880812345678901234"),
            "8808 1234 5678 9012 34"
        );
        assert_eq!(
            group_va_number("8808 1234 5678 9012"),
            "8808 1234 5678 9012"
        );
        assert_eq!(group_va_number("123"), "123");
        assert_eq!(group_va_number(""), "");
    }
}
