use std::fmt;

use super::time::wib_wall;

pub const MAX_REFF_LEN: usize = 40;
const GENERATED_PREFIX: &str = "PL";
/// "PL" + 14 timestamp digits leave this much room for the suffix.
const MAX_SUFFIX_LEN: usize = MAX_REFF_LEN - 2 - 14;
/// The English of [`reff_error`], which the tests compare against.
#[cfg(test)]
const REFF_ERROR: &str = "Reference must be 1–40 characters without spaces or '/'.";

fn reff_error() -> String {
    crate::tr!(links.reff_invalid)
}

/// Merchant reference of a payment link: 1–40 chars, no whitespace, no '/'.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ReffNo(String);

impl ReffNo {
    /// Trims nothing: a reference with stray whitespace is rejected rather than silently
    /// changed, because the merchant matches it against their own records.
    /// '/' is refused because references appear in URL paths; control characters because they
    /// would corrupt logs and exports.
    pub fn parse(s: &str) -> Result<ReffNo, String> {
        let len = s.chars().count();
        let bad_char = s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '/');
        if len == 0 || len > MAX_REFF_LEN || bad_char {
            return Err(reff_error());
        }
        Ok(ReffNo(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Builds a generated reference "PL" + yyyymmddHHMMSS (WIB) + given uppercase alphanumeric
    /// suffix (caller supplies random chars); always valid: the suffix is filtered to ASCII
    /// alphanumerics, uppercased and cut to fit 40 characters.
    pub fn generated(now_ms: i64, random_suffix: &str) -> ReffNo {
        let stamp = match wib_wall(now_ms) {
            Some(t) => format!(
                "{:04}{:02}{:02}{:02}{:02}{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            // Unreachable for real clocks; keeps the promise of a valid, fixed-shape value.
            None => "0".repeat(14),
        };
        let suffix: String = random_suffix
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .take(MAX_SUFFIX_LEN)
            .collect();
        ReffNo(format!("{GENERATED_PREFIX}{stamp}{suffix}"))
    }
}

impl fmt::Display for ReffNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ReffNo {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-25T18:35:07+07:00
    const SAMPLE_MS: i64 = 1_795_606_507_000;

    #[test]
    fn parse_accepts_typical_references() {
        for ok in [
            "INV-2026-001",
            "a",
            "ORDER_77#3",
            "pesanan.ke.5",
            "Ñandú",
            &"X".repeat(40),
        ] {
            let r = ReffNo::parse(ok).unwrap();
            assert_eq!(r.as_str(), ok);
            assert_eq!(r.to_string(), ok);
            assert_eq!(r.as_ref(), ok);
        }
        // 40 multi-byte characters count as 40, not 80.
        assert!(ReffNo::parse(&"é".repeat(40)).is_ok());
    }

    #[test]
    fn parse_rejects_bad_references() {
        for bad in [
            "",
            " INV1",
            "INV1 ",
            "INV 1",
            "INV\t1",
            "a/b",
            "line\nbreak",
            "nul\0",
            "\u{a0}nbsp",
            &"X".repeat(41),
        ] {
            assert_eq!(ReffNo::parse(bad), Err(REFF_ERROR.to_string()), "{bad:?}");
        }
    }

    #[test]
    fn generated_uses_wib_timestamp() {
        let r = ReffNo::generated(SAMPLE_MS, "AB12CD");
        assert_eq!(r.as_str(), "PL20261125183507AB12CD");
        assert_eq!(ReffNo::parse(r.as_str()), Ok(r));
    }

    #[test]
    fn generated_is_always_valid() {
        let long = ReffNo::generated(SAMPLE_MS, &"z".repeat(100));
        assert_eq!(long.as_str().len(), 40);
        assert!(long.as_str().ends_with("ZZZ"));
        assert!(ReffNo::parse(long.as_str()).is_ok());

        let odd = ReffNo::generated(SAMPLE_MS, " a/b c\n");
        assert_eq!(odd.as_str(), "PL20261125183507ABC");

        let empty = ReffNo::generated(SAMPLE_MS, "");
        assert_eq!(empty.as_str(), "PL20261125183507");

        let broken_clock = ReffNo::generated(i64::MAX, "Q");
        assert_eq!(broken_clock.as_str(), "PL00000000000000Q");
        assert!(ReffNo::parse(broken_clock.as_str()).is_ok());
    }

    #[test]
    fn serde_round_trip() {
        let r = ReffNo::parse("INV-1").unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, "\"INV-1\"");
        assert_eq!(serde_json::from_str::<ReffNo>(&json).unwrap(), r);
    }
}
