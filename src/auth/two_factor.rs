//! Two-factor sign-in: time-based one-time codes (TOTP, RFC 6238, with the parameters every
//! authenticator app reads from a QR code: SHA-1, 6 digits, 30 s) and one-time recovery codes
//! for a lost phone. A code is accepted once: the step it was valid for is recorded.

use rand::Rng;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::db::two_factor as db;
use crate::db::Db;
use crate::domain::ids::UserId;
use crate::error::AppError;

const STEP_SECONDS: u64 = 30;
const DIGITS: usize = 6;
pub const RECOVERY_CODES: usize = 10;
/// Recovery codes use letters and digits that cannot be misread for one another.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A new secret: 160 random bits (RFC 4226's recommendation), in base32.
pub fn new_secret() -> String {
    let bytes: [u8; 20] = rand::thread_rng().gen();
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret: &str, account: &str) -> Result<TOTP, AppError> {
    let bytes = Secret::Encoded(secret.to_string())
        .to_bytes()
        .map_err(|e| AppError::internal(format!("a stored TOTP secret: {e:?}")))?;
    // An account name with ':' cannot go in an otpauth URL; the issuer names the site anyway.
    let account = if account.contains(':') {
        "paylinks"
    } else {
        account
    };
    TOTP::new(
        Algorithm::SHA1,
        DIGITS,
        0,
        STEP_SECONDS,
        bytes,
        Some("paylinks".to_string()),
        account.to_string(),
    )
    .map_err(|e| AppError::internal(format!("a TOTP secret: {e:?}")))
}

/// The `otpauth://` URL an authenticator app reads from the setup QR code.
pub fn setup_url(secret: &str, account_email: &str) -> Result<String, AppError> {
    Ok(totp(secret, account_email)?.get_url())
}

/// The code for `secret` at `time_ms` (what the payer's authenticator shows; for tests).
pub fn code_at(secret: &str, time_ms: i64) -> Result<String, AppError> {
    Ok(totp(secret, "paylinks")?.generate((time_ms / 1000).max(0) as u64))
}

/// The time step `code` is valid for at `now_ms`, allowing one step of clock drift either way.
pub fn matching_step(secret: &str, code: &str, now_ms: i64) -> Result<Option<i64>, AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let totp = totp(secret, "paylinks")?;
    let now_step = now_ms.max(0) / 1000 / STEP_SECONDS as i64;
    Ok((now_step - 1..=now_step + 1).find(|step| totp.check(&code, *step as u64 * STEP_SECONDS)))
}

/// Ten new recovery codes, written `xxxxx-xxxxx`.
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::thread_rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut half = || -> String {
                (0..5)
                    .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
                    .collect()
            };
            format!("{}-{}", half(), half())
        })
        .collect()
}

/// How a recovery code is stored: SHA-256 of it without dashes, spaces or case.
pub fn hash_recovery_code(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

/// Checks a sign-in's second factor: the current TOTP code (once) or an unused recovery code
/// (which is then spent). False when it is neither.
pub async fn accept(
    db: &Db,
    user_id: UserId,
    secret: &str,
    code: &str,
    now_ms: i64,
) -> Result<bool, AppError> {
    if let Some(step) = matching_step(secret, code, now_ms)? {
        return db::use_step(db, user_id, step).await;
    }
    db::use_recovery_code(db, user_id, &hash_recovery_code(code)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_rfc_6238_test_vector() {
        // RFC 6238 appendix B: the ASCII secret "12345678901234567890", SHA-1, at 59 s.
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(code_at(&secret, 59_000).unwrap(), "287082");
        assert_eq!(code_at(&secret, 1_111_111_109_000).unwrap(), "081804");
        assert_eq!(matching_step(&secret, "287 082", 59_000).unwrap(), Some(1));
        // One step of drift either way, not two.
        assert_eq!(matching_step(&secret, "287082", 89_000).unwrap(), Some(1));
        assert_eq!(matching_step(&secret, "287082", 119_000).unwrap(), None);
        assert_eq!(matching_step(&secret, "28708", 59_000).unwrap(), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_hash_without_their_spelling() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let unique: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        assert!(codes
            .iter()
            .all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'));
        assert_eq!(
            hash_recovery_code("abcde-23456"),
            hash_recovery_code(" ABCDE 23456 ")
        );
    }

    #[test]
    fn a_new_secret_makes_a_setup_url() {
        let url = setup_url(&new_secret(), "owner@toko.id").unwrap();
        assert!(
            url.starts_with("otpauth://totp/paylinks:owner%40toko.id?secret="),
            "{url}"
        );
    }
}
