//! The payment gateways a merchant can connect their own account at, and in which mode.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gateway {
    Midtrans,
    Xendit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GatewayMode {
    Sandbox,
    Production,
}

impl Gateway {
    pub const ALL: [Gateway; 2] = [Gateway::Midtrans, Gateway::Xendit];

    pub fn as_str(self) -> &'static str {
        match self {
            Gateway::Midtrans => "midtrans",
            Gateway::Xendit => "xendit",
        }
    }

    pub fn parse(s: &str) -> Result<Gateway, String> {
        Gateway::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or_else(|| crate::tr!(gateways.choose_gateway))
    }

    pub fn label(self) -> &'static str {
        match self {
            Gateway::Midtrans => "Midtrans",
            Gateway::Xendit => "Xendit",
        }
    }

    /// What the gateway calls the key the merchant pastes, as said within a sentence.
    pub fn secret_label(self) -> String {
        match self {
            Gateway::Midtrans => crate::tr!(gateways.server_key_noun),
            Gateway::Xendit => crate::tr!(gateways.secret_api_key_noun),
        }
    }

    /// Xendit signs nothing: its callbacks carry the account's verification token.
    pub fn needs_callback_token(self) -> bool {
        self == Gateway::Xendit
    }
}

impl GatewayMode {
    pub fn as_str(self) -> &'static str {
        match self {
            GatewayMode::Sandbox => "sandbox",
            GatewayMode::Production => "production",
        }
    }

    pub fn parse(s: &str) -> Result<GatewayMode, String> {
        match s {
            "sandbox" => Ok(GatewayMode::Sandbox),
            "production" => Ok(GatewayMode::Production),
            _ => Err(crate::tr!(gateways.choose_mode)),
        }
    }

    /// The mode as the dashboard names it.
    pub fn label(self) -> String {
        match self {
            GatewayMode::Sandbox => crate::tr!(gateways.mode_sandbox),
            GatewayMode::Production => crate::tr!(gateways.mode_production),
        }
    }
}

/// A key as the dashboard shows it: only its last four characters.
pub fn key_hint(secret: &str) -> String {
    let tail: String = secret
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("…{tail}")
}

/// A pasted key: trimmed, and refused when empty, too long or holding spaces inside (a key
/// copied with its label or split over lines).
pub fn parse_key(key: &str, what: &str) -> Result<String, String> {
    let key = key.trim();
    if key.is_empty() {
        return Err(crate::tr!(gateways.paste_key, what = what));
    }
    if key.len() > 200 || key.chars().any(char::is_whitespace) {
        return Err(crate::tr!(gateways.key_one_word, what = what));
    }
    Ok(key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for gateway in Gateway::ALL {
            assert_eq!(Gateway::parse(gateway.as_str()), Ok(gateway));
        }
        assert!(Gateway::parse("paypal").is_err());
        assert_eq!(GatewayMode::parse("sandbox"), Ok(GatewayMode::Sandbox));
        assert!(GatewayMode::parse("live").is_err());
    }

    #[test]
    fn keys_show_their_last_four_characters_only() {
        assert_eq!(key_hint("SB-Mid-server-abcd1234"), "…1234");
        assert_eq!(key_hint("ab"), "…ab");
    }

    #[test]
    fn pasted_keys_are_one_word() {
        assert_eq!(
            parse_key("  SB-Mid-server-x \n", "server key"),
            Ok("SB-Mid-server-x".into())
        );
        assert!(parse_key("", "server key").is_err());
        assert!(parse_key("Server key: SB-Mid", "server key").is_err());
    }
}
