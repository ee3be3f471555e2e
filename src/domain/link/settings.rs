//! The dashboard's edit form: the settings that may change after a link is created.

use super::super::errors::FieldErrors;
use super::create::{field, parse_expiry, parse_methods, MethodRules};
use super::{parse_max_usage, parse_metadata, parse_redirect_url};

/// Mutable settings (edit form).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LinkSettingsInput {
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub max_usage: String,
    #[serde(default)]
    pub expired_at: String,
    #[serde(default)]
    pub required_customer_detail: Option<String>,
    #[serde(default)]
    pub redirect_url: String,
    #[serde(default)]
    pub optional_metadata: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LinkSettings {
    pub whitelisted_payment_method: Option<Vec<String>>,
    pub max_usage: i64,
    pub expired_at: Option<i64>,
    pub required_customer_detail: bool,
    pub redirect_url: Option<String>,
    pub optional_metadata: serde_json::Map<String, serde_json::Value>,
}

/// Payments already made cannot be undone, so the limit may not drop below them.
fn check_against_usage(max_usage: i64, current_usage: i64) -> Result<i64, String> {
    if max_usage == super::UNLIMITED_USAGE || max_usage >= current_usage {
        return Ok(max_usage);
    }
    Err(if current_usage == 1 {
        crate::tr!(links.max_usage_below_single, made = current_usage)
    } else {
        crate::tr!(links.max_usage_below_plural, made = current_usage)
    })
}

impl LinkSettingsInput {
    /// All field errors at once. max_usage must also be >= current_usage; a set expiry must be
    /// in the future, as on create.
    pub fn parse(
        &self,
        rules: &MethodRules,
        current_usage: i64,
        now_ms: i64,
    ) -> Result<LinkSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let methods = field(&mut errors, "methods", parse_methods(&self.methods, rules));
        let max_usage = field(
            &mut errors,
            "max_usage",
            parse_max_usage(&self.max_usage).and_then(|v| check_against_usage(v, current_usage)),
        );
        let expired_at = field(
            &mut errors,
            "expired_at",
            parse_expiry(&self.expired_at, now_ms),
        );
        let redirect_url = field(
            &mut errors,
            "redirect_url",
            parse_redirect_url(&self.redirect_url),
        );
        let metadata = field(
            &mut errors,
            "optional_metadata",
            parse_metadata(&self.optional_metadata),
        );
        match (methods, max_usage, expired_at, redirect_url, metadata) {
            (
                Some(whitelisted_payment_method),
                Some(max_usage),
                Some(expired_at),
                Some(redirect_url),
                Some(optional_metadata),
            ) => Ok(LinkSettings {
                whitelisted_payment_method,
                max_usage,
                expired_at,
                required_customer_detail: self.required_customer_detail.is_some(),
                redirect_url,
                optional_metadata,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_606_507_000;

    fn parse(input: &LinkSettingsInput, usage: i64) -> Result<LinkSettings, FieldErrors> {
        let codes = vec!["QRIS".to_string(), "OVO".to_string()];
        input.parse(
            &MethodRules {
                known_codes: &codes,
            },
            usage,
            NOW,
        )
    }

    #[test]
    fn valid_settings() {
        let input = LinkSettingsInput {
            methods: vec!["QRIS".into(), "".into()],
            max_usage: "5".into(),
            expired_at: "2027-01-01T00:00".into(),
            required_customer_detail: Some("on".into()),
            redirect_url: "".into(),
            optional_metadata: r#"{"campaign":"akhir-tahun"}"#.into(),
        };
        let s = parse(&input, 5).unwrap();
        assert_eq!(s.whitelisted_payment_method, Some(vec!["QRIS".to_string()]));
        assert_eq!(s.max_usage, 5);
        assert!(s.expired_at.unwrap() > NOW);
        assert!(s.required_customer_detail);
        assert_eq!(s.redirect_url, None);
        assert_eq!(
            s.optional_metadata.get("campaign"),
            Some(&serde_json::json!("akhir-tahun"))
        );
    }

    #[test]
    fn max_usage_cannot_drop_below_usage() {
        let input = LinkSettingsInput {
            max_usage: "2".into(),
            ..LinkSettingsInput::default()
        };
        assert_eq!(
            parse(&input, 3).unwrap_err().get("max_usage"),
            Some("Max usage cannot be below the 3 payments already made.")
        );
        let negative = LinkSettingsInput {
            max_usage: "-1".into(),
            ..LinkSettingsInput::default()
        };
        // Range error comes first.
        assert_eq!(
            parse(&negative, 1).unwrap_err().get("max_usage"),
            Some("Max usage must be between 1 and 1,000,000, or 0 for unlimited.")
        );
        let unlimited = LinkSettingsInput {
            max_usage: "0".into(),
            ..LinkSettingsInput::default()
        };
        assert_eq!(
            parse(&unlimited, 3).unwrap().max_usage,
            0,
            "unlimited is above any usage"
        );
        assert_eq!(
            check_against_usage(1, 2),
            Err("Max usage cannot be below the 2 payments already made.".into())
        );
        assert_eq!(parse(&input, 2).unwrap().max_usage, 2);
    }

    #[test]
    fn reports_every_field_at_once() {
        let input = LinkSettingsInput {
            methods: vec!["BCA_VA".into()],
            max_usage: "x".into(),
            expired_at: "2026-11-25T18:35".into(),
            required_customer_detail: None,
            redirect_url: "ftp://toko.id".into(),
            optional_metadata: "[1]".into(),
        };
        let e = parse(&input, 0).unwrap_err();
        assert_eq!(e.get("methods"), Some("Unknown payment method: BCA_VA."));
        assert_eq!(
            e.get("max_usage"),
            Some("Max usage must be a whole number.")
        );
        assert_eq!(e.get("expired_at"), Some("Expiry must be in the future."));
        assert!(e.get("redirect_url").is_some());
        assert!(e.get("optional_metadata").unwrap().contains("object"));
        assert_eq!(e.len(), 5);
    }
}
