//! Sandbox payment codes for the retail outlets. Pure: callers supply the random digits, so
//! codes are reproducible in tests.
//!
//! Lengths follow the codes Midtrans issues (16 digits at Alfamart, 12 at Indomaret); cashiers
//! key them in, so they are digits only. Every sandbox code leads with "99", like the sandbox
//! VAs, and no real issuer's does, so a tester cannot mistake one for a code a cashier takes.

/// The outlets the sandbox issues payment codes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outlet {
    Alfamart,
    Indomaret,
}

impl Outlet {
    pub const ALL: [Outlet; 2] = [Outlet::Alfamart, Outlet::Indomaret];

    /// Maps a payment-method code ("ALFAMART", "INDOMARET") to its outlet.
    pub fn from_method_code(code: &str) -> Option<Outlet> {
        match code {
            "ALFAMART" => Some(Outlet::Alfamart),
            "INDOMARET" => Some(Outlet::Indomaret),
            _ => None,
        }
    }

    /// "99" and two digits that tell the outlets apart (no sandbox VA starts with "998").
    pub fn prefix(self) -> &'static str {
        match self {
            Outlet::Alfamart => "9980",
            Outlet::Indomaret => "9981",
        }
    }

    pub fn code_len(self) -> usize {
        match self {
            Outlet::Alfamart => 16,
            Outlet::Indomaret => 12,
        }
    }

    /// How many random digits follow the prefix.
    pub fn random_digits_needed(self) -> usize {
        self.code_len() - self.prefix().len()
    }
}

/// prefix + digits; `digits` must be exactly `random_digits_needed` ASCII digits, else Err.
pub fn payment_code(outlet: Outlet, digits: &str) -> Result<String, String> {
    let needed = outlet.random_digits_needed();
    if digits.len() != needed || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "a {outlet:?} payment code needs exactly {needed} random digits, got {digits:?}"
        ));
    }
    Ok(format!("{}{digits}", outlet.prefix()))
}

/// Whether `code` has the shape the sandbox gives this outlet's codes.
pub fn is_payment_code(outlet: Outlet, code: &str) -> bool {
    code.len() == outlet.code_len()
        && code.starts_with(outlet.prefix())
        && code.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_codes_map_to_outlets() {
        assert_eq!(Outlet::from_method_code("ALFAMART"), Some(Outlet::Alfamart));
        assert_eq!(
            Outlet::from_method_code("INDOMARET"),
            Some(Outlet::Indomaret)
        );
        for other in ["alfamart", "ALFAMIDI", "VA_BRI", ""] {
            assert_eq!(Outlet::from_method_code(other), None, "{other}");
        }
    }

    #[test]
    fn codes_have_the_outlets_lengths_and_prefixes() {
        assert_eq!(
            payment_code(Outlet::Alfamart, "123456789012").unwrap(),
            "9980123456789012"
        );
        assert_eq!(
            payment_code(Outlet::Indomaret, "12345678").unwrap(),
            "998112345678"
        );
        for outlet in Outlet::ALL {
            let code = payment_code(outlet, &"7".repeat(outlet.random_digits_needed())).unwrap();
            assert!(is_payment_code(outlet, &code), "{code}");
        }
        assert!(!is_payment_code(Outlet::Alfamart, "998112345678"));
        assert!(!is_payment_code(Outlet::Indomaret, "9980123456789012"));
    }

    #[test]
    fn prefixes_meet_no_sandbox_va_nor_real_issuer() {
        let va = crate::payments::sandbox::va::VaPrefixes::default();
        for outlet in Outlet::ALL {
            for bank in crate::payments::sandbox::va::VaBank::ALL {
                let bank_prefix = va.for_bank(bank);
                let shared = bank_prefix.len().min(outlet.prefix().len());
                assert_ne!(&bank_prefix[..shared], &outlet.prefix()[..shared]);
            }
            // Leads of codes Midtrans issued in its documentation and sandbox.
            for real in ["8127", "3783", "5781", "7815"] {
                assert!(!outlet.prefix().starts_with(real));
            }
        }
    }

    #[test]
    fn rejects_wrong_digits() {
        assert!(payment_code(Outlet::Alfamart, "12345678901").is_err());
        assert!(payment_code(Outlet::Indomaret, "123456789").is_err());
        assert!(payment_code(Outlet::Indomaret, "1234567a").is_err());
        // Arabic-Indic digits are digits to Unicode, not to a cashier's till.
        assert!(payment_code(Outlet::Indomaret, "١٢٣٤٥٦٧٨").is_err());
        assert!(payment_code(Outlet::Alfamart, "").is_err());
    }
}
