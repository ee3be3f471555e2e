//! Indonesian mobile numbers and the customer detail a payer may be asked for.

use std::collections::BTreeMap;
use std::fmt;

use super::lang::{Lang, Text};

/// National significant number (after +62) of a mobile number: 9–12 digits.
const MIN_NSN_LEN: usize = 9;
const MAX_NSN_LEN: usize = 12;
const MAX_NAME_LEN: usize = 100;
/// The longest address SMTP can carry (RFC 5321 path limit).
const MAX_EMAIL_LEN: usize = 254;

/// An Indonesian mobile number in E.164 form, "+62812…".
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
// Deserializing re-parses, so a PhoneNumber from JSON is as valid as one from `parse`.
#[serde(try_from = "String")]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("empty")]
    Empty,
    #[error("invalid characters")]
    InvalidCharacters,
    #[error("not an Indonesian mobile number")]
    NotIndonesianMobile,
    #[error("wrong length")]
    WrongLength,
}

impl PhoneError {
    /// A sentence for the payer, naming the field as the form does.
    pub fn message(self, lang: Lang) -> &'static str {
        let text = match self {
            PhoneError::Empty => Text::new("Nomor HP wajib diisi.", "Phone number is required."),
            PhoneError::InvalidCharacters => Text::new(
                "Nomor HP hanya boleh berisi angka, spasi, tanda hubung dan + di depan.",
                "Phone number may only contain digits, spaces, dashes and a leading +.",
            ),
            PhoneError::NotIndonesianMobile => Text::new(
                "Nomor HP harus nomor seluler Indonesia yang diawali 08, 628 atau +628.",
                "Phone number must be an Indonesian mobile number starting with 08, 628 or +628.",
            ),
            PhoneError::WrongLength => Text::new(
                "Nomor HP harus 10–13 digit, termasuk 0 di depan.",
                "Phone number must have 10–13 digits, including the leading 0.",
            ),
        };
        text.get(lang)
    }
}

impl PhoneNumber {
    /// Accepts "0812-3456-7890", "0812 3456 7890", "62812…", "+62 812…", "(0812) …"; strips
    /// spaces, dashes, dots and parentheses. Mobile numbers start with 8 after the country
    /// code and have a national significant number of 9–12 digits (10–13 with the leading 0).
    pub fn parse(s: &str) -> Result<PhoneNumber, PhoneError> {
        let mut digits = String::with_capacity(s.len());
        let mut plus = false;
        for c in s.chars() {
            match c {
                '0'..='9' => digits.push(c),
                // Only as the very first significant character: "+62…".
                '+' if digits.is_empty() && !plus => plus = true,
                '-' | '.' | '(' | ')' => {}
                c if c.is_whitespace() => {}
                _ => return Err(PhoneError::InvalidCharacters),
            }
        }
        if digits.is_empty() {
            return Err(if plus {
                PhoneError::InvalidCharacters
            } else {
                PhoneError::Empty
            });
        }

        let national = if plus {
            digits
                .strip_prefix("62")
                .ok_or(PhoneError::NotIndonesianMobile)?
        } else if let Some(rest) = digits.strip_prefix("0062") {
            // "00" is the international call prefix some people type instead of "+".
            rest
        } else if let Some(rest) = digits.strip_prefix("62") {
            rest
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else {
            // A bare "812…": the payer left out the trunk 0.
            &digits
        };
        // "+62 (0)812…" keeps the trunk 0 after the country code; it is never part of a mobile
        // number, so dropping it cannot turn an invalid number into someone else's.
        let national = national.strip_prefix('0').unwrap_or(national);

        // Mobile numbers are 8 followed by a non-zero operator digit (0811…, 0877…, 0881…).
        let mut chars = national.chars();
        if chars.next() != Some('8') || matches!(chars.next(), None | Some('0')) {
            return Err(PhoneError::NotIndonesianMobile);
        }
        if !(MIN_NSN_LEN..=MAX_NSN_LEN).contains(&national.len()) {
            return Err(PhoneError::WrongLength);
        }
        Ok(PhoneNumber(format!("+62{national}")))
    }

    /// E.164, "+6281234567890": the form stored and sent to providers.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// "0812-3456-7890" style for display: the 4-digit prefix, then the rest in two groups
    /// (the shorter first), which is how Indonesians write numbers of every length.
    pub fn national(&self) -> String {
        let nsn = &self.0[3..];
        let (prefix, rest) = nsn.split_at(3);
        let (a, b) = rest.split_at(rest.len() / 2);
        format!("0{prefix}-{a}-{b}")
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneError;

    fn try_from(s: String) -> Result<PhoneNumber, PhoneError> {
        PhoneNumber::parse(&s)
    }
}

pub const FIELD_NAME: &str = "customer_name";
pub const FIELD_EMAIL: &str = "customer_email";
pub const FIELD_PHONE: &str = "customer_phone";

const NAME_REQUIRED: Text = Text::new("Nama wajib diisi.", "Name is required.");
const NAME_TOO_LONG: Text = Text::new(
    "Nama maksimal 100 karakter.",
    "Name must be at most 100 characters.",
);
const NAME_CONTROL: Text = Text::new(
    "Nama tidak boleh berisi karakter kontrol atau tak terlihat.",
    "Name must not contain control or invisible characters.",
);
const EMAIL_REQUIRED: Text = Text::new("Email wajib diisi.", "Email is required.");
const EMAIL_TOO_LONG: Text = Text::new(
    "Email maksimal 254 karakter.",
    "Email must be at most 254 characters.",
);
const EMAIL_INVALID: Text = Text::new(
    "Format email tidak valid, contoh: nama@contoh.com.",
    "Email is not valid, for example: name@example.com.",
);

/// Customer detail as the payer typed it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct CustomerInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// Customer detail after parsing: trimmed name, lower-cased email, E.164 phone.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CustomerDetail {
    pub name: String,
    pub email: String,
    pub phone: PhoneNumber,
}

impl CustomerInput {
    /// All errors at once, so the payer fixes the form in one go: field name -> message in
    /// `lang`, keyed "customer_name", "customer_email", "customer_phone".
    pub fn parse(&self, lang: Lang) -> Result<CustomerDetail, BTreeMap<String, String>> {
        let name = parse_name(&self.name);
        let email = parse_email(&self.email);
        let phone = PhoneNumber::parse(&self.phone);
        match (name, email, phone) {
            (Ok(name), Ok(email), Ok(phone)) => Ok(CustomerDetail { name, email, phone }),
            (name, email, phone) => {
                let mut errors = BTreeMap::new();
                if let Err(text) = name {
                    errors.insert(FIELD_NAME.to_string(), text.get(lang).to_string());
                }
                if let Err(text) = email {
                    errors.insert(FIELD_EMAIL.to_string(), text.get(lang).to_string());
                }
                if let Err(e) = phone {
                    errors.insert(FIELD_PHONE.to_string(), e.message(lang).to_string());
                }
                Err(errors)
            }
        }
    }
}

fn parse_name(raw: &str) -> Result<String, Text> {
    let name = raw.trim();
    if name.chars().any(super::text::refused_in_line) {
        Err(NAME_CONTROL)
    } else if name.is_empty() {
        Err(NAME_REQUIRED)
    } else if name.chars().count() > MAX_NAME_LEN {
        Err(NAME_TOO_LONG)
    } else {
        Ok(name.to_string())
    }
}

/// Deliberately loose: the only sure test of an address is delivering to it, so this catches
/// typos (no '@', no domain dot, stray spaces) without rejecting unusual but valid addresses.
fn parse_email(raw: &str) -> Result<String, Text> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err(EMAIL_REQUIRED);
    }
    if email.chars().count() > MAX_EMAIL_LEN {
        return Err(EMAIL_TOO_LONG);
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(EMAIL_INVALID);
    };
    let valid = !local.is_empty()
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    if valid {
        Ok(email)
    } else {
        Err(EMAIL_INVALID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(s: &str) -> String {
        PhoneNumber::parse(s).unwrap().as_str().to_string()
    }

    #[test]
    fn parse_accepts_common_spellings() {
        for s in [
            "0812-3456-7890",
            "0812 3456 7890",
            "081234567890",
            "62812 3456 7890",
            "+62 812-3456-7890",
            "+62812.3456.7890",
            "(0812) 3456 7890",
            "+62 (0)812 3456 7890",
            "0062 812 3456 7890",
            "812 3456 7890",
            "  0812\u{a0}3456\t7890 ",
        ] {
            assert_eq!(e164(s), "+6281234567890", "{s}");
        }
    }

    #[test]
    fn parse_accepts_every_allowed_length() {
        assert_eq!(e164("0812345678"), "+62812345678");
        assert_eq!(e164("0881234567890"), "+62881234567890");
    }

    #[test]
    fn parse_rejects_empty() {
        assert_eq!(PhoneNumber::parse(""), Err(PhoneError::Empty));
        assert_eq!(PhoneNumber::parse("  - ( ) "), Err(PhoneError::Empty));
    }

    #[test]
    fn parse_rejects_invalid_characters() {
        for s in [
            "0812-3456-789O",
            "0812/3456/7890",
            "+",
            "0812+34567890",
            "++62812345678",
        ] {
            assert_eq!(
                PhoneNumber::parse(s),
                Err(PhoneError::InvalidCharacters),
                "{s}"
            );
        }
    }

    #[test]
    fn parse_rejects_non_mobile_numbers() {
        for s in [
            "021-5551234",     // Jakarta landline
            "+62 21 5551234",  // the same, international
            "+1 415 555 2671", // another country
            "0801234567",      // 080 is not an operator prefix
            "12345678901",     // no known prefix
        ] {
            assert_eq!(
                PhoneNumber::parse(s),
                Err(PhoneError::NotIndonesianMobile),
                "{s}"
            );
        }
    }

    #[test]
    fn parse_rejects_wrong_lengths() {
        assert_eq!(
            PhoneNumber::parse("081234567"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(
            PhoneNumber::parse("08123456789012"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(PhoneNumber::parse("+62 81"), Err(PhoneError::WrongLength));
    }

    #[test]
    fn national_groups_digits() {
        let national = |s: &str| PhoneNumber::parse(s).unwrap().national();
        assert_eq!(national("+6281234567890"), "0812-3456-7890");
        assert_eq!(national("0812345678"), "0812-345-678");
        assert_eq!(national("08123456789"), "0812-345-6789");
        assert_eq!(national("0881234567890"), "0881-2345-67890");
    }

    #[test]
    fn messages_name_the_field_in_both_languages() {
        for e in [
            PhoneError::Empty,
            PhoneError::InvalidCharacters,
            PhoneError::NotIndonesianMobile,
            PhoneError::WrongLength,
        ] {
            assert!(e.message(Lang::Id).starts_with("Nomor HP "), "{e:?}");
            assert!(e.message(Lang::En).starts_with("Phone number "), "{e:?}");
            assert!(e.message(Lang::Id).ends_with('.'));
        }
    }

    #[test]
    fn serde_is_a_string_and_revalidates() {
        let phone = PhoneNumber::parse("0812-3456-7890").unwrap();
        assert_eq!(serde_json::to_string(&phone).unwrap(), "\"+6281234567890\"");
        let back: PhoneNumber = serde_json::from_str("\"+6281234567890\"").unwrap();
        assert_eq!(back, phone);
        assert!(serde_json::from_str::<PhoneNumber>("\"021-5551234\"").is_err());
    }

    fn input(name: &str, email: &str, phone: &str) -> CustomerInput {
        CustomerInput {
            name: name.into(),
            email: email.into(),
            phone: phone.into(),
        }
    }

    #[test]
    fn customer_parse_normalises_every_field() {
        let detail = input("  Budi Santoso ", " Budi@Example.CO.ID ", "0812 3456 7890")
            .parse(Lang::Id)
            .unwrap();
        assert_eq!(detail.name, "Budi Santoso");
        assert_eq!(detail.email, "budi@example.co.id");
        assert_eq!(detail.phone.as_str(), "+6281234567890");
    }

    #[test]
    fn customer_parse_reports_all_errors_in_the_language() {
        let errors = CustomerInput::default().parse(Lang::Id).unwrap_err();
        assert_eq!(errors.len(), 3);
        assert_eq!(errors[FIELD_NAME], "Nama wajib diisi.");
        assert_eq!(errors[FIELD_EMAIL], "Email wajib diisi.");
        assert_eq!(errors[FIELD_PHONE], "Nomor HP wajib diisi.");

        let errors = input("Ani", "ani", "021-5551234")
            .parse(Lang::En)
            .unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors[FIELD_EMAIL].starts_with("Email is not valid"));
        assert_eq!(
            errors[FIELD_PHONE],
            PhoneError::NotIndonesianMobile.message(Lang::En)
        );
    }

    #[test]
    fn customer_name_length_counts_characters() {
        let ok = "é".repeat(100);
        assert!(input(&ok, "a@b.id", "081234567890").parse(Lang::En).is_ok());
        let errors = input(&"a".repeat(101), "a@b.id", "081234567890")
            .parse(Lang::En)
            .unwrap_err();
        assert_eq!(errors[FIELD_NAME], "Name must be at most 100 characters.");
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn email_rules() {
        for ok in [
            "a@b.id",
            "first.last+tag@mail.example.com",
            "x_y@sub-domain.co.id",
        ] {
            assert!(parse_email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "no-at.example.com",
            "two@@example.com",
            "a@b@example.com",
            "@example.com",
            "a@localhost",
            "a@.example.com",
            "a@example.com.",
            "a@example..com",
            "a b@example.com",
        ] {
            assert_eq!(parse_email(bad), Err(EMAIL_INVALID), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(243));
        assert_eq!(long.len(), 255);
        assert_eq!(parse_email(&long), Err(EMAIL_TOO_LONG));
        assert!(parse_email(&long[1..]).is_ok());
    }

    #[test]
    fn customer_input_fields_default_when_missing() {
        let input: CustomerInput = serde_json::from_str(r#"{"name":"Budi"}"#).unwrap();
        assert_eq!(input.name, "Budi");
        assert!(input.email.is_empty() && input.phone.is_empty());
    }
}
