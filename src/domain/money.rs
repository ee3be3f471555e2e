use std::fmt;

/// An amount of Indonesian rupiah. The rupiah has no minor unit in practice, so whole `i64`s
/// are exact and floats never enter money maths.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Rupiah(pub i64);

pub const MIN_LINK_TOTAL: Rupiah = Rupiah(10_000);
pub const MAX_LINK_TOTAL: Rupiah = Rupiah(100_000_000);

impl Rupiah {
    pub const fn new(v: i64) -> Self {
        Rupiah(v)
    }

    pub fn value(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, o: Rupiah) -> Option<Rupiah> {
        self.0.checked_add(o.0).map(Rupiah)
    }

    pub fn checked_mul(self, qty: i64) -> Option<Rupiah> {
        self.0.checked_mul(qty).map(Rupiah)
    }

    /// Accepts "150000", "150.000", "Rp 150.000", "Rp150.000", "Rp. 150.000", "-50.000",
    /// surrounding whitespace. Dots only as thousands separators in groups of 3; no decimals.
    pub fn parse(input: &str) -> Result<Rupiah, String> {
        Self::parse_named(input, &crate::tr!(links.amount))
    }

    /// Like [`Rupiah::parse`], but error messages start with `label` (e.g. "Unit price")
    /// so forms can show them next to the right field as-is.
    pub fn parse_named(input: &str, label: &str) -> Result<Rupiah, String> {
        let mut s = input.trim();
        if s.is_empty() {
            return Err(crate::tr!(links.field_required, label));
        }
        let mut negative = false;
        if let Some(rest) = s.strip_prefix('-') {
            negative = true;
            s = rest.trim_start();
        }
        if let Some(rest) = strip_currency(s) {
            s = rest.trim_start();
        }
        // Also allow "Rp -50.000".
        if !negative {
            if let Some(rest) = s.strip_prefix('-') {
                negative = true;
                s = rest;
            }
        }
        let invalid = || crate::tr!(links.rupiah_invalid, label);
        if s.contains(',') {
            return Err(crate::tr!(links.rupiah_decimals, label));
        }
        let groups: Vec<&str> = s.split('.').collect();
        if groups
            .iter()
            .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(invalid());
        }
        if groups.len() > 1 {
            let last = groups[groups.len() - 1];
            if groups.len() == 2 && last.len() < 3 {
                // "1.5" or "12.50" reads as a decimal amount, not a thousands group.
                return Err(crate::tr!(links.rupiah_decimals, label));
            }
            if groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
                return Err(crate::tr!(links.rupiah_grouping, label));
            }
        }
        // i128 holds |i64::MIN|, so "-9.223.372.036.854.775.808" parses.
        let mut magnitude: i128 = 0;
        for b in groups.concat().bytes() {
            magnitude = magnitude * 10 + i128::from(b - b'0');
            if magnitude > i128::from(i64::MAX) + 1 {
                return Err(crate::tr!(links.rupiah_too_large, label));
            }
        }
        let signed = if negative { -magnitude } else { magnitude };
        i64::try_from(signed)
            .map(Rupiah)
            .map_err(|_| crate::tr!(links.rupiah_too_large, label))
    }
}

/// Strips a leading "Rp" or "Rp." in any letter case.
fn strip_currency(s: &str) -> Option<&str> {
    let prefix = s.get(..2)?;
    if !prefix.eq_ignore_ascii_case("rp") {
        return None;
    }
    let rest = &s[2..];
    Some(rest.strip_prefix('.').unwrap_or(rest))
}

/// Groups digits with dots, the Indonesian thousands separator: 1250000 -> "1.250.000".
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Rupiah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // unsigned_abs keeps i64::MIN from overflowing.
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}Rp {}", group_thousands(self.0.unsigned_abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_formats_indonesian_style() {
        assert_eq!(Rupiah(1_250_000).to_string(), "Rp 1.250.000");
        assert_eq!(Rupiah(0).to_string(), "Rp 0");
        assert_eq!(Rupiah(999).to_string(), "Rp 999");
        assert_eq!(Rupiah(1_000).to_string(), "Rp 1.000");
        assert_eq!(Rupiah(100_000).to_string(), "Rp 100.000");
        assert_eq!(Rupiah(-50_000).to_string(), "-Rp 50.000");
        assert_eq!(
            Rupiah(i64::MIN).to_string(),
            "-Rp 9.223.372.036.854.775.808"
        );
        assert_eq!(Rupiah(i64::MAX).to_string(), "Rp 9.223.372.036.854.775.807");
    }

    #[test]
    fn parse_accepts_common_forms() {
        for (input, want) in [
            ("150000", 150_000),
            ("150.000", 150_000),
            ("Rp 150.000", 150_000),
            ("Rp150.000", 150_000),
            ("rp 150.000", 150_000),
            ("Rp. 150.000", 150_000),
            ("  1.250.000  ", 1_250_000),
            ("-50.000", -50_000),
            ("-Rp 50.000", -50_000),
            ("Rp -50.000", -50_000),
            ("0", 0),
            ("-0", 0),
            ("007", 7),
            ("999", 999),
        ] {
            assert_eq!(Rupiah::parse(input), Ok(Rupiah(want)), "input {input:?}");
        }
    }

    #[test]
    fn parse_rejects_decimals_and_bad_grouping() {
        assert!(Rupiah::parse("1.5").unwrap_err().contains("decimals"));
        assert!(Rupiah::parse("1,50").unwrap_err().contains("decimals"));
        assert!(Rupiah::parse("150.000,00")
            .unwrap_err()
            .contains("decimals"));
        for bad in [
            "1.5000",
            "1500.000",
            "1..000",
            ".500",
            "500.",
            "12.34.567",
            "abc",
            "Rp",
            "--5",
            "+5",
            "15 000",
            "1e5",
            "١٢٣",
        ] {
            assert!(Rupiah::parse(bad).is_err(), "input {bad:?} should fail");
        }
        assert_eq!(Rupiah::parse("   "), Err("Amount is required.".to_string()));
    }

    #[test]
    fn parse_handles_i64_limits() {
        assert_eq!(
            Rupiah::parse("9.223.372.036.854.775.807"),
            Ok(Rupiah(i64::MAX))
        );
        assert_eq!(Rupiah::parse("-9223372036854775808"), Ok(Rupiah(i64::MIN)));
        assert_eq!(
            Rupiah::parse("9223372036854775808"),
            Err("Amount is too large.".to_string())
        );
        assert!(Rupiah::parse("99999999999999999999999999999999999999999").is_err());
    }

    #[test]
    fn parse_named_uses_label() {
        assert_eq!(
            Rupiah::parse_named("", "Unit price"),
            Err("Unit price is required.".to_string())
        );
        assert!(Rupiah::parse_named("x", "Unit price")
            .unwrap_err()
            .starts_with("Unit price "));
    }

    #[test]
    fn checked_arithmetic() {
        assert_eq!(Rupiah(5).checked_add(Rupiah(7)), Some(Rupiah(12)));
        assert_eq!(Rupiah(i64::MAX).checked_add(Rupiah(1)), None);
        assert_eq!(Rupiah(25_000).checked_mul(3), Some(Rupiah(75_000)));
        assert_eq!(Rupiah(i64::MAX).checked_mul(2), None);
        assert_eq!(Rupiah::new(3).value(), 3);
    }

    #[test]
    fn serde_is_a_bare_number() {
        assert_eq!(serde_json::to_string(&Rupiah(150_000)).unwrap(), "150000");
        assert_eq!(serde_json::from_str::<Rupiah>("-5").unwrap(), Rupiah(-5));
    }

    #[test]
    fn link_total_bounds() {
        assert_eq!(MIN_LINK_TOTAL.to_string(), "Rp 10.000");
        assert_eq!(MAX_LINK_TOTAL.to_string(), "Rp 100.000.000");
    }
}
