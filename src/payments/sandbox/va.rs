//! Sandbox virtual-account numbers per bank: prefixes, lengths and display grouping.
//! Pure: callers supply the random digits, so numbers are reproducible in tests.

/// Banks the sandbox issues virtual accounts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VaBank {
    Bri,
    Bni,
    Bca,
    Maybank,
    Danamon,
    Permata,
    Cimb,
}

impl VaBank {
    pub const ALL: [VaBank; 7] = [
        VaBank::Bri,
        VaBank::Bni,
        VaBank::Bca,
        VaBank::Maybank,
        VaBank::Danamon,
        VaBank::Permata,
        VaBank::Cimb,
    ];

    /// Maps a payment-method code ("VA_BRI" … "VA_DANAMON") to its bank.
    pub fn from_method_code(code: &str) -> Option<VaBank> {
        match code {
            "VA_BRI" => Some(VaBank::Bri),
            "VA_BNI" => Some(VaBank::Bni),
            "VA_BCA" => Some(VaBank::Bca),
            "VA_MAYBANK" => Some(VaBank::Maybank),
            "VA_DANAMON" => Some(VaBank::Danamon),
            "VA_PERMATA" => Some(VaBank::Permata),
            "VA_CIMB" => Some(VaBank::Cimb),
            _ => None,
        }
    }

    /// BI clearing code that payers at other banks dial before the VA number.
    pub fn clearing_code(self) -> &'static str {
        match self {
            VaBank::Bri => "002",
            VaBank::Bni => "009",
            VaBank::Bca => "014",
            VaBank::Maybank => "016",
            VaBank::Danamon => "011",
            VaBank::Permata => "013",
            VaBank::Cimb => "022",
        }
    }

    /// BCA VAs can only be paid from BCA accounts; the others take interbank transfers.
    pub fn accepts_interbank(self) -> bool {
        !matches!(self, VaBank::Bca)
    }

    /// Every sandbox VA is 16 digits: within BRIVA's 15–18 and the fixed 16 of BNI, Maybank
    /// and Danamon, so one length keeps instructions and display uniform.
    pub fn total_len(self) -> usize {
        16
    }

    /// BCA and BRI use a 5-digit company/institution code, BNI "988" + a 5-digit client id,
    /// Maybank, Danamon, Permata and CIMB a 4-digit prefix before 12 digits of their own.
    pub fn prefix_len(self) -> usize {
        match self {
            VaBank::Bri | VaBank::Bca => 5,
            VaBank::Bni => 8,
            VaBank::Maybank | VaBank::Danamon | VaBank::Permata | VaBank::Cimb => 4,
        }
    }

    fn label(self) -> &'static str {
        match self {
            VaBank::Bri => "BRI",
            VaBank::Bni => "BNI",
            VaBank::Bca => "BCA",
            VaBank::Maybank => "Maybank",
            VaBank::Danamon => "Danamon",
            VaBank::Permata => "Permata",
            VaBank::Cimb => "CIMB Niaga",
        }
    }
}

/// Sandbox prefixes, configurable per deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaPrefixes {
    pub bri: String,
    pub bni: String,
    pub bca: String,
    pub maybank: String,
    pub danamon: String,
    pub permata: String,
    pub cimb: String,
}

impl Default for VaPrefixes {
    /// "99" + the bank's clearing code; BNI keeps its "988" dev/legacy lead before client id
    /// 99009. No aggregator prefix in the reference notes starts with 99 (Xendit 8808, 26215,
    /// 88608; Midtrans 70012), so testers will not mistake a sandbox VA for a payable one, and
    /// the embedded clearing code tells banks apart at a glance.
    fn default() -> Self {
        VaPrefixes {
            bri: "99002".into(),
            bni: "98899009".into(),
            bca: "99014".into(),
            maybank: "9916".into(),
            danamon: "9911".into(),
            permata: "9913".into(),
            cimb: "9922".into(),
        }
    }
}

impl VaPrefixes {
    pub fn for_bank(&self, bank: VaBank) -> &str {
        match bank {
            VaBank::Bri => &self.bri,
            VaBank::Bni => &self.bni,
            VaBank::Bca => &self.bca,
            VaBank::Maybank => &self.maybank,
            VaBank::Danamon => &self.danamon,
            VaBank::Permata => &self.permata,
            VaBank::Cimb => &self.cimb,
        }
    }

    /// Reads overrides like `VA_BRI=99002,VA_BCA=99014` over the defaults, then validates.
    pub fn with_overrides(spec: &str) -> Result<VaPrefixes, String> {
        let mut prefixes = VaPrefixes::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (code, prefix) = pair
                .split_once('=')
                .ok_or_else(|| format!("expected CODE=PREFIX, got {pair:?}"))?;
            let slot = match VaBank::from_method_code(code.trim()) {
                Some(VaBank::Bri) => &mut prefixes.bri,
                Some(VaBank::Bni) => &mut prefixes.bni,
                Some(VaBank::Bca) => &mut prefixes.bca,
                Some(VaBank::Maybank) => &mut prefixes.maybank,
                Some(VaBank::Danamon) => &mut prefixes.danamon,
                Some(VaBank::Permata) => &mut prefixes.permata,
                Some(VaBank::Cimb) => &mut prefixes.cimb,
                None => return Err(format!("unknown VA method code {code:?}")),
            };
            *slot = prefix.trim().to_string();
        }
        prefixes.validate()?;
        Ok(prefixes)
    }

    /// Checks every prefix is ASCII digits of its bank's prefix length; reports all problems.
    pub fn validate(&self) -> Result<(), String> {
        let problems: Vec<String> = VaBank::ALL
            .iter()
            .filter_map(|&bank| self.check(bank).err())
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    fn check(&self, bank: VaBank) -> Result<(), String> {
        let prefix = self.for_bank(bank);
        if prefix.len() == bank.prefix_len() && prefix.bytes().all(|b| b.is_ascii_digit()) {
            Ok(())
        } else {
            Err(format!(
                "{} VA prefix must be {} digits, got {prefix:?}",
                bank.label(),
                bank.prefix_len()
            ))
        }
    }
}

/// Number of random digits the caller must supply for this bank (total_len - prefix_len).
/// Uses the configured prefix's length so the total stays right; `va_number` rejects a prefix
/// of the wrong length anyway.
pub fn random_digits_needed(bank: VaBank, prefixes: &VaPrefixes) -> usize {
    bank.total_len()
        .saturating_sub(prefixes.for_bank(bank).len())
}

/// prefix + digits; `digits` must be exactly `random_digits_needed` ASCII digits, else Err.
pub fn va_number(bank: VaBank, prefixes: &VaPrefixes, digits: &str) -> Result<String, String> {
    prefixes.check(bank)?;
    let needed = random_digits_needed(bank, prefixes);
    if digits.len() != needed || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{} VA needs exactly {needed} random digits, got {digits:?}",
            bank.label()
        ));
    }
    Ok(format!("{}{digits}", prefixes.for_bank(bank)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_codes_map_to_banks() {
        assert_eq!(VaBank::from_method_code("VA_BRI"), Some(VaBank::Bri));
        assert_eq!(VaBank::from_method_code("VA_BNI"), Some(VaBank::Bni));
        assert_eq!(VaBank::from_method_code("VA_BCA"), Some(VaBank::Bca));
        assert_eq!(
            VaBank::from_method_code("VA_MAYBANK"),
            Some(VaBank::Maybank)
        );
        assert_eq!(
            VaBank::from_method_code("VA_DANAMON"),
            Some(VaBank::Danamon)
        );
        assert_eq!(
            VaBank::from_method_code("VA_PERMATA"),
            Some(VaBank::Permata)
        );
        assert_eq!(VaBank::from_method_code("VA_CIMB"), Some(VaBank::Cimb));
        assert_eq!(VaBank::from_method_code("VA_MANDIRI"), None);
        assert_eq!(VaBank::from_method_code("QRIS"), None);
        assert_eq!(VaBank::from_method_code(""), None);
    }

    #[test]
    fn clearing_codes_and_interbank() {
        let codes: Vec<&str> = VaBank::ALL.iter().map(|b| b.clearing_code()).collect();
        assert_eq!(codes, ["002", "009", "014", "016", "011", "013", "022"]);
        assert!(!VaBank::Bca.accepts_interbank());
        for bank in VaBank::ALL.into_iter().filter(|b| *b != VaBank::Bca) {
            assert!(bank.accepts_interbank(), "{bank:?}");
        }
    }

    #[test]
    fn lengths_follow_the_reference_generators() {
        let p = VaPrefixes::default();
        let needed: Vec<usize> = VaBank::ALL
            .iter()
            .map(|&b| random_digits_needed(b, &p))
            .collect();
        // BRI 5+11, BNI 8+8, BCA 5+11, Maybank, Danamon, Permata and CIMB 4+12.
        assert_eq!(needed, [11, 8, 11, 12, 12, 12, 12]);
        for bank in VaBank::ALL {
            assert_eq!(bank.total_len(), 16);
            assert_eq!(bank.prefix_len() + random_digits_needed(bank, &p), 16);
        }
    }

    #[test]
    fn default_prefixes_are_valid_and_not_real_aggregators() {
        let p = VaPrefixes::default();
        assert_eq!(p.validate(), Ok(()));
        assert!(p.bni.starts_with("988"));
        for bank in VaBank::ALL {
            let prefix = p.for_bank(bank);
            for real in ["8808", "26215", "88608", "70012"] {
                assert!(!prefix.starts_with(real), "{bank:?} {prefix}");
            }
        }
    }

    #[test]
    fn validate_reports_each_bad_prefix() {
        let p = VaPrefixes {
            bri: "9900".into(),
            bca: "99O14".into(),
            ..VaPrefixes::default()
        };
        let err = p.validate().unwrap_err();
        assert!(err.contains("BRI VA prefix must be 5 digits"), "{err}");
        assert!(err.contains("BCA VA prefix must be 5 digits"), "{err}");
        assert!(!err.contains("BNI"), "{err}");
    }

    #[test]
    fn builds_numbers_from_supplied_digits() {
        let p = VaPrefixes::default();
        assert_eq!(
            va_number(VaBank::Bca, &p, "12345678901").unwrap(),
            "9901412345678901"
        );
        assert_eq!(
            va_number(VaBank::Bni, &p, "00000042").unwrap(),
            "9889900900000042"
        );
        assert_eq!(
            va_number(VaBank::Danamon, &p, "123456789012").unwrap(),
            "9911123456789012"
        );
        for bank in VaBank::ALL {
            let digits = "7".repeat(random_digits_needed(bank, &p));
            let n = va_number(bank, &p, &digits).unwrap();
            assert_eq!(n.len(), 16);
            assert!(n.starts_with(p.for_bank(bank)));
        }
    }

    #[test]
    fn rejects_wrong_digits_or_prefix() {
        let p = VaPrefixes::default();
        assert!(va_number(VaBank::Bri, &p, "1234567890").is_err());
        assert!(va_number(VaBank::Bri, &p, "123456789012").is_err());
        assert!(va_number(VaBank::Bri, &p, "1234567890a").is_err());
        // Arabic-Indic digits are digits to Unicode, not to a bank.
        assert!(va_number(VaBank::Bri, &p, "١٢٣٤٥٦٧٨٩٠١").is_err());
        assert!(va_number(VaBank::Bri, &p, "").is_err());
        let bad = VaPrefixes {
            maybank: "99166".into(),
            ..VaPrefixes::default()
        };
        let err = va_number(VaBank::Maybank, &bad, "12345678901").unwrap_err();
        assert!(err.contains("Maybank VA prefix"), "{err}");
    }

    #[test]
    fn overrides_replace_only_the_named_banks_and_are_checked() {
        let prefixes = VaPrefixes::with_overrides(" VA_BRI=77002 , VA_DANAMON=7711").unwrap();
        assert_eq!(prefixes.bri, "77002");
        assert_eq!(prefixes.danamon, "7711");
        assert_eq!(prefixes.bca, VaPrefixes::default().bca);
        assert_eq!(
            VaPrefixes::with_overrides("").unwrap(),
            VaPrefixes::default()
        );
        assert!(
            VaPrefixes::with_overrides("VA_BRI=123").is_err(),
            "wrong length"
        );
        assert!(
            VaPrefixes::with_overrides("VA_XYZ=12345").is_err(),
            "unknown bank"
        );
        assert!(VaPrefixes::with_overrides("VA_BRI").is_err(), "no prefix");
    }
}
