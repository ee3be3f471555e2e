//! Payment-link status rules and the validators for its individual fields.

mod create;
pub mod custom_fields;
pub mod open_amount;
mod settings;

pub use create::{parse_methods, MethodRules, NewLinkInput, NewPaymentLink};
pub use custom_fields::{Answer, CustomField};
pub use open_amount::OpenAmount;
pub use settings::{LinkSettings, LinkSettingsInput};

/// The status stored in the database; "expired" is never stored because it depends on the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LinkStatus {
    Open,
    Closed,
}

impl LinkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Open => "open",
            LinkStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Result<LinkStatus, String> {
        match s {
            "open" => Ok(LinkStatus::Open),
            "closed" => Ok(LinkStatus::Closed),
            _ => Err(crate::tr!(links.unknown_status, status = s)),
        }
    }
}

/// What payers and merchants see, derived from the stored status, usage and the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ComputedStatus {
    Open,
    Closed,
    Expired,
}

impl ComputedStatus {
    pub const ALL: [ComputedStatus; 3] = [
        ComputedStatus::Open,
        ComputedStatus::Closed,
        ComputedStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ComputedStatus::Open => "open",
            ComputedStatus::Closed => "closed",
            ComputedStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Result<ComputedStatus, String> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| crate::tr!(links.unknown_status, status = s))
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ComputedStatus::Open => "Open",
            ComputedStatus::Closed => "Closed",
            ComputedStatus::Expired => "Expired",
        }
    }
}

/// What the dashboard shows a merchant: the API's [`ComputedStatus`] with "exhausted" told
/// apart from "closed" (every payment it takes has been made; raising its usage reopens it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkState {
    Open,
    Exhausted,
    Closed,
    Expired,
}

impl LinkState {
    pub const ALL: [LinkState; 4] = [
        LinkState::Open,
        LinkState::Exhausted,
        LinkState::Closed,
        LinkState::Expired,
    ];

    /// Switched off wins over full, and full over expired: the reason shown is the one the
    /// merchant acted on, then the one that stops payments first.
    pub fn of(
        status: LinkStatus,
        current_usage: i64,
        max_usage: i64,
        expired_at: Option<i64>,
        now_ms: i64,
    ) -> LinkState {
        if status == LinkStatus::Closed {
            LinkState::Closed
        } else if is_exhausted(current_usage, max_usage) {
            LinkState::Exhausted
        } else if is_expired(expired_at, now_ms) {
            LinkState::Expired
        } else {
            LinkState::Open
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Open => "open",
            LinkState::Exhausted => "exhausted",
            LinkState::Closed => "closed",
            LinkState::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Result<LinkState, String> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| crate::tr!(links.unknown_status, status = s))
    }

    /// The API's status: an exhausted link is "closed" there, as in Singapay's contract.
    pub fn computed(self) -> ComputedStatus {
        match self {
            LinkState::Open => ComputedStatus::Open,
            LinkState::Exhausted | LinkState::Closed => ComputedStatus::Closed,
            LinkState::Expired => ComputedStatus::Expired,
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            LinkState::Open => "Open",
            LinkState::Exhausted => "Exhausted",
            LinkState::Closed => "Closed",
            LinkState::Expired => "Expired",
        }
    }
}

/// Closed wins over expired: a link that is full or switched off stays "closed" even after
/// its expiry passes, so the reason shown is the one the merchant acted on.
pub fn compute_status(
    status: LinkStatus,
    current_usage: i64,
    max_usage: i64,
    expired_at: Option<i64>,
    now_ms: i64,
) -> ComputedStatus {
    LinkState::of(status, current_usage, max_usage, expired_at, now_ms).computed()
}

/// The expiry instant itself already counts as expired.
pub fn is_expired(expired_at: Option<i64>, now_ms: i64) -> bool {
    matches!(expired_at, Some(t) if t <= now_ms)
}

pub const MAX_USAGE_LIMIT: i64 = 1_000_000;
/// `max_usage` 0: any number of payments, as Singapay's clients send it.
pub const UNLIMITED_USAGE: i64 = 0;

/// Every allowed payment is made: never for an unlimited link.
pub fn is_exhausted(current_usage: i64, max_usage: i64) -> bool {
    max_usage != UNLIMITED_USAGE && current_usage >= max_usage
}

/// "3 / 10", or "3 / Unlimited".
pub fn usage_label(current_usage: i64, max_usage: i64) -> String {
    if max_usage == UNLIMITED_USAGE {
        crate::tr!(links.usage_unlimited, used = current_usage)
    } else {
        format!("{current_usage} / {max_usage}")
    }
}
pub const MAX_STOCK: i64 = 1_000_000;

/// Empty means no stock; else a whole number of units, 1 to 1,000,000.
pub fn parse_stock(s: &str) -> Result<Option<i64>, String> {
    match s.trim() {
        "" => Ok(None),
        typed => typed
            .parse::<i64>()
            .ok()
            .map(check_stock)
            .unwrap_or_else(|| Err(stock_range()))
            .map(Some),
    }
}

fn stock_range() -> String {
    crate::tr!(links.stock_range)
}

pub fn check_stock(units: i64) -> Result<i64, String> {
    if (1..=MAX_STOCK).contains(&units) {
        Ok(units)
    } else {
        Err(stock_range())
    }
}

pub const MAX_TITLE_LEN: usize = 255;
pub const MAX_DESCRIPTION_LEN: usize = 2000;
pub const MAX_REDIRECT_URL_LEN: usize = 2048;
pub const MAX_METADATA_BYTES: usize = 16 * 1024;

/// Trimmed, 1–255 chars (counted as chars, not bytes).
pub fn parse_title(s: &str) -> Result<String, String> {
    super::text::required_line(s, &crate::tr!(links.title), MAX_TITLE_LEN)
}

/// Trimmed; empty means no description.
pub fn parse_description(s: &str) -> Result<Option<String>, String> {
    super::text::optional_lines(s, &crate::tr!(links.description), MAX_DESCRIPTION_LEN)
}

/// The English of [`max_usage_range`], which the tests compare against.
#[cfg(test)]
const MAX_USAGE_RANGE: &str = "Max usage must be between 1 and 1,000,000, or 0 for unlimited.";

fn max_usage_range() -> String {
    crate::tr!(links.max_usage_range)
}

/// Whole number 1..=1,000,000.
pub fn parse_max_usage(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(crate::tr!(links.max_usage_required));
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(crate::tr!(links.max_usage_whole));
    }
    s.parse::<i64>()
        .map_err(|_| max_usage_range())
        .and_then(check_max_usage)
}

pub fn check_max_usage(v: i64) -> Result<i64, String> {
    if (UNLIMITED_USAGE..=MAX_USAGE_LIMIT).contains(&v) {
        Ok(v)
    } else {
        Err(max_usage_range())
    }
}

/// Trimmed; empty means none. Only absolute http(s) URLs with a host: anything else (javascript:,
/// data:, relative paths) would let a link send payers somewhere unsafe. Returned normalised.
pub fn parse_redirect_url(s: &str) -> Result<Option<String>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let too_long = || Err(crate::tr!(links.redirect_too_long));
    if s.chars().count() > MAX_REDIRECT_URL_LEN {
        return too_long();
    }
    let invalid = || Err(crate::tr!(links.redirect_invalid));
    let Ok(url) = url::Url::parse(s) else {
        return invalid();
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return invalid();
    }
    // "https://bank.example@evil.example" is a classic phishing disguise.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(crate::tr!(links.redirect_credentials));
    }
    let normalised = url.to_string();
    if normalised.len() > MAX_REDIRECT_URL_LEN {
        return too_long();
    }
    Ok(Some(normalised))
}

/// Empty means an empty map. Must be a JSON object whose compact form is at most 16 KB.
pub fn parse_metadata(s: &str) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(serde_json::Map::new());
    }
    let value: serde_json::Value =
        serde_json::from_str(s).map_err(|_| crate::tr!(links.metadata_invalid))?;
    let serde_json::Value::Object(map) = value else {
        return Err(crate::tr!(links.metadata_not_object));
    };
    check_metadata(&map)?;
    Ok(map)
}

/// Size check for metadata that arrives already typed (API).
pub fn check_metadata(map: &serde_json::Map<String, serde_json::Value>) -> Result<(), String> {
    let size = serde_json::to_string(map).map_or(usize::MAX, |s| s.len());
    if size > MAX_METADATA_BYTES {
        return Err(crate::tr!(links.metadata_too_large));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_strings() {
        for s in [LinkStatus::Open, LinkStatus::Closed] {
            assert_eq!(LinkStatus::parse(s.as_str()), Ok(s));
        }
        assert!(LinkStatus::parse("expired").is_err());
        for c in ComputedStatus::ALL {
            assert_eq!(ComputedStatus::parse(c.as_str()), Ok(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(ComputedStatus::Expired.label_en(), "Expired");
        assert!(ComputedStatus::parse("Open").is_err());
    }

    #[test]
    fn compute_status_rules() {
        use ComputedStatus as C;
        use LinkStatus::{Closed, Open};
        assert_eq!(compute_status(Open, 0, 1, None, 100), C::Open);
        assert_eq!(compute_status(Open, 0, 1, Some(101), 100), C::Open);
        assert_eq!(compute_status(Open, 0, 1, Some(100), 100), C::Expired);
        assert_eq!(compute_status(Open, 1, 1, None, 100), C::Closed);
        assert_eq!(compute_status(Open, 5, 3, None, 100), C::Closed);
        assert_eq!(compute_status(Closed, 0, 10, None, 100), C::Closed);
        // Closed takes precedence over expired.
        assert_eq!(compute_status(Closed, 0, 10, Some(1), 100), C::Closed);
        assert_eq!(compute_status(Open, 10, 10, Some(1), 100), C::Closed);
        assert!(!is_expired(None, i64::MAX));
        assert!(is_expired(Some(i64::MIN), 0));
        assert!(!is_expired(Some(1), 0));
    }

    #[test]
    fn title_and_description() {
        assert_eq!(parse_title("  Kopi "), Ok("Kopi".into()));
        assert_eq!(parse_title(" \n "), Err("Title is required.".into()));
        assert!(parse_title(&"é".repeat(255)).is_ok());
        assert!(parse_title(&"a".repeat(256)).is_err());
        assert_eq!(parse_description("   "), Ok(None));
        assert_eq!(parse_description(" hi "), Ok(Some("hi".into())));
        assert!(parse_description(&"é".repeat(2000)).is_ok());
        assert!(parse_description(&"a".repeat(2001)).is_err());
    }

    #[test]
    fn max_usage() {
        assert_eq!(parse_max_usage(" 1 "), Ok(1));
        assert_eq!(parse_max_usage("1000000"), Ok(1_000_000));
        assert_eq!(parse_max_usage("0"), Ok(UNLIMITED_USAGE), "0 is unlimited");
        assert_eq!(parse_max_usage(""), Err("Max usage is required.".into()));
        for bad in ["-1", "1000001", "99999999999999999999"] {
            assert_eq!(parse_max_usage(bad), Err(MAX_USAGE_RANGE.into()), "{bad}");
        }
        for bad in ["1.5", "abc", "1,000", "+3", "-"] {
            assert_eq!(
                parse_max_usage(bad),
                Err("Max usage must be a whole number.".into())
            );
        }
        assert_eq!(check_max_usage(-1), Err(MAX_USAGE_RANGE.into()));
        assert_eq!(check_max_usage(0), Ok(UNLIMITED_USAGE));
        assert_eq!(check_max_usage(7), Ok(7));
    }

    #[test]
    fn redirect_url() {
        assert_eq!(parse_redirect_url("  "), Ok(None));
        assert_eq!(
            parse_redirect_url(" https://toko.id/thanks?x=1 "),
            Ok(Some("https://toko.id/thanks?x=1".into()))
        );
        assert_eq!(
            parse_redirect_url("HTTP://Toko.ID"),
            Ok(Some("http://toko.id/".into()))
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "ftp://toko.id",
            "/relative",
            "toko.id",
            "https://",
            "mailto:a@toko.id",
        ] {
            assert!(parse_redirect_url(bad).is_err(), "{bad}");
        }
        assert!(parse_redirect_url("https://bank.id@evil.id/")
            .unwrap_err()
            .contains("username"));
        let long = format!("https://toko.id/{}", "a".repeat(2048 - 16));
        assert_eq!(long.len(), 2048);
        assert!(parse_redirect_url(&long).is_ok());
        assert!(parse_redirect_url(&format!("{long}a")).is_err());
    }

    #[test]
    fn metadata() {
        assert!(parse_metadata("  ").unwrap().is_empty());
        let m = parse_metadata(r#"{"order": "A1", "n": 2}"#).unwrap();
        assert_eq!(m.get("order"), Some(&serde_json::json!("A1")));
        assert_eq!(
            parse_metadata("{"),
            Err("Metadata must be valid JSON.".into())
        );
        for not_object in ["[]", "1", "\"x\"", "null"] {
            assert!(parse_metadata(not_object).unwrap_err().contains("object"));
        }
        // {"k":"…"} is 8 bytes of framing.
        let fits = format!(r#"{{"k":"{}"}}"#, "a".repeat(MAX_METADATA_BYTES - 8));
        assert!(parse_metadata(&fits).is_ok());
        let over = format!(r#"{{"k":"{}"}}"#, "a".repeat(MAX_METADATA_BYTES - 7));
        assert_eq!(
            parse_metadata(&over),
            Err("Metadata must be at most 16 KB.".into())
        );
        // Whitespace does not count: the stored form is compact.
        let padded = format!("{{ \"k\" :  \"{}\"  }}", "a".repeat(MAX_METADATA_BYTES - 8));
        assert!(parse_metadata(&padded).is_ok());
    }
}
