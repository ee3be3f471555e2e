use std::fmt;

use super::errors::FieldErrors;

pub const MIN_PASSWORD_LEN: usize = 10;
pub const MAX_PASSWORD_LEN: usize = 256;
pub const MAX_EMAIL_LEN: usize = 254;
pub const MAX_MERCHANT_NAME_LEN: usize = 100;

/// A normalised (trimmed, lowercased) email address, so log-in matches sign-up regardless of case.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Email(String);

impl Email {
    /// A deliberately loose shape check: the only real proof of an address is mail arriving.
    pub fn parse(s: &str) -> Result<Email, String> {
        let email = s.trim().to_lowercase();
        if email.is_empty() {
            return Err(crate::tr!(auth.email_required));
        }
        let invalid = || Err(crate::tr!(auth.email_invalid));
        if email.chars().count() > MAX_EMAIL_LEN {
            return Err(crate::tr!(auth.email_too_long));
        }
        if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return invalid();
        }
        let Some((local, domain)) = email.split_once('@') else {
            return invalid();
        };
        let domain_ok = domain.contains('.') && domain.split('.').all(|label| !label.is_empty());
        if local.is_empty() || domain.contains('@') || !domain_ok {
            return invalid();
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Trimmed, 1–100 characters.
pub fn parse_merchant_name(s: &str) -> Result<String, String> {
    super::text::required_line(
        s,
        &crate::tr!(auth.merchant_name_label),
        MAX_MERCHANT_NAME_LEN,
    )
}

/// 10..=256 characters, counted as chars. Not trimmed: spaces may be part of a passphrase.
/// The upper bound caps the hashing cost an attacker can cause.
pub fn check_password(s: &str) -> Result<(), String> {
    let len = s.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(crate::tr!(auth.password_too_short));
    }
    if len > MAX_PASSWORD_LEN {
        return Err(crate::tr!(auth.password_too_long));
    }
    Ok(())
}

#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SignUpInput {
    #[serde(default)]
    pub merchant_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

/// Hand-written so a logged form never shows the password.
impl fmt::Debug for SignUpInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignUpInput")
            .field("merchant_name", &self.merchant_name)
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct NewMerchant {
    pub name: String,
    pub email: Email,
    pub password: String,
}

impl fmt::Debug for NewMerchant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewMerchant")
            .field("name", &self.name)
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl SignUpInput {
    /// All field errors at once, on "merchant_name", "email" and "password".
    pub fn parse(&self) -> Result<NewMerchant, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = parse_merchant_name(&self.merchant_name)
            .map_err(|e| errors.add("merchant_name", e))
            .ok();
        let email = Email::parse(&self.email)
            .map_err(|e| errors.add("email", e))
            .ok();
        let password_ok = check_password(&self.password)
            .map_err(|e| errors.add("password", e))
            .is_ok();
        match (name, email, password_ok) {
            (Some(name), Some(email), true) => Ok(NewMerchant {
                name,
                email,
                password: self.password.clone(),
            }),
            _ => Err(errors),
        }
    }
}

/// A merchant user's permission level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    Viewer,
}

impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Role::parse(&s)
    }
}

/// What calling something takes: nothing (payer pages, log-in), being a member (reading),
/// being an admin or owner (changing things), or being an owner (team and audit log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    Read,
    Write,
    Owner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Admin, Role::Viewer];

    pub fn allows(self, access: Access) -> bool {
        match access {
            Access::Public | Access::Read => true,
            Access::Write => self != Role::Viewer,
            Access::Owner => self == Role::Owner,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Result<Role, String> {
        match s {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "viewer" => Ok(Role::Viewer),
            _ => Err(crate::tr!(team.unknown_role, role = s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised() {
        let e = Email::parse("  Budi.Santoso@Toko.CO.id ").unwrap();
        assert_eq!(e.as_str(), "budi.santoso@toko.co.id");
        assert_eq!(e.to_string(), "budi.santoso@toko.co.id");
    }

    #[test]
    fn email_rejects_bad_shapes() {
        assert_eq!(Email::parse("  "), Err("Email is required.".into()));
        for bad in [
            "budi",
            "@toko.id",
            "budi@",
            "budi@toko",
            "budi@@toko.id",
            "a@b@toko.id",
            "bu di@toko.id",
            "budi@toko..id",
            "budi@.toko.id",
            "budi@toko.id.",
            "budi@to\u{0}ko.id",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@toko.id", "a".repeat(246));
        assert_eq!(long.len(), 254);
        assert!(Email::parse(&long).is_ok());
        let too_long = format!("{}@toko.id", "a".repeat(247));
        assert_eq!(
            Email::parse(&too_long),
            Err("Email must be at most 254 characters.".into())
        );
    }

    #[test]
    fn merchant_name_rules() {
        assert_eq!(parse_merchant_name(" Toko Budi "), Ok("Toko Budi".into()));
        assert!(parse_merchant_name("").is_err());
        assert!(parse_merchant_name(&"x".repeat(100)).is_ok());
        assert!(parse_merchant_name(&"x".repeat(101)).is_err());
    }

    #[test]
    fn password_length_counts_chars() {
        assert_eq!(
            check_password("123456789"),
            Err("Password must be at least 10 characters.".into())
        );
        assert_eq!(check_password("1234567890"), Ok(()));
        // Ten two-byte characters are ten characters.
        assert_eq!(check_password(&"é".repeat(10)), Ok(()));
        assert_eq!(check_password(&"é".repeat(9)), check_password("short"));
        assert!(check_password(&"a".repeat(256)).is_ok());
        assert!(check_password(&"a".repeat(257)).is_err());
    }

    #[test]
    fn sign_up_collects_all_errors() {
        let e = SignUpInput::default().parse().unwrap_err();
        assert_eq!(e.get("merchant_name"), Some("Merchant name is required."));
        assert_eq!(e.get("email"), Some("Email is required."));
        assert_eq!(
            e.get("password"),
            Some("Password must be at least 10 characters.")
        );
    }

    #[test]
    fn sign_up_ok_keeps_password_verbatim() {
        let input = SignUpInput {
            merchant_name: " Toko Budi ".into(),
            email: "Budi@Toko.id".into(),
            password: " secret pass ".into(),
        };
        let m = input.parse().unwrap();
        assert_eq!(m.name, "Toko Budi");
        assert_eq!(m.email.as_str(), "budi@toko.id");
        assert_eq!(m.password, " secret pass ");
        assert!(!format!("{m:?}").contains("secret"));
        assert!(!format!("{input:?}").contains("secret"));
    }

    #[test]
    fn role_round_trips() {
        for r in [Role::Owner, Role::Admin, Role::Viewer] {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.as_str())
            );
        }
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn viewers_read_admins_write_owners_manage() {
        use Access::*;
        let allowed = |role: Role| {
            [Public, Read, Write, Owner]
                .into_iter()
                .filter(|a| role.allows(*a))
                .count()
        };
        assert_eq!(allowed(Role::Viewer), 2);
        assert_eq!(allowed(Role::Admin), 3);
        assert_eq!(allowed(Role::Owner), 4);
        assert!(!Role::Admin.allows(Owner));
    }
}
