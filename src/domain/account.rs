/// Whether a sub-account (outlet) of a merchant may receive payments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    Active,
    Inactive,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Inactive => "inactive",
        }
    }

    pub fn parse(s: &str) -> Result<AccountStatus, String> {
        match s {
            "active" => Ok(AccountStatus::Active),
            "inactive" => Ok(AccountStatus::Inactive),
            _ => Err(crate::tr!(accounts.unknown_status, status = s)),
        }
    }
}

pub const MAX_ACCOUNT_NAME_LEN: usize = 100;

/// Trimmed, 1–100 characters; errors belong to the form field "name".
pub fn parse_account_name(s: &str) -> Result<String, String> {
    super::text::required_line(s, &crate::tr!(accounts.name), MAX_ACCOUNT_NAME_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips() {
        for s in [AccountStatus::Active, AccountStatus::Inactive] {
            assert_eq!(AccountStatus::parse(s.as_str()), Ok(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert!(AccountStatus::parse("Active").is_err());
        assert!(AccountStatus::parse("").is_err());
    }

    #[test]
    fn account_name_rules() {
        assert_eq!(
            parse_account_name("  Outlet Kemang "),
            Ok("Outlet Kemang".into())
        );
        assert_eq!(parse_account_name("   "), Err("Name is required.".into()));
        assert!(parse_account_name(&"é".repeat(100)).is_ok());
        assert_eq!(
            parse_account_name(&"a".repeat(101)),
            Err("Name must be at most 100 characters.".into())
        );
    }
}
