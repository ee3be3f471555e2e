//! Secrets kept at rest (a merchant's gateway keys): sealed with XChaCha20-Poly1305 under the
//! key in `PAYLINKS_SECRET_KEY`, each bound to where it is stored (the associated data), so a
//! sealed value copied to another row or merchant does not open there.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::error::AppError;

const NONCE_LEN: usize = 24;

pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl SecretBox {
    /// From the base64 of 32 random bytes (e.g. `openssl rand -base64 32`).
    pub fn from_base64(key: &str) -> Result<SecretBox, AppError> {
        let bytes = BASE64
            .decode(key.trim())
            .ok()
            .filter(|bytes| bytes.len() == 32)
            .ok_or_else(|| {
                AppError::config("PAYLINKS_SECRET_KEY must be the base64 of 32 random bytes")
            })?;
        let cipher = XChaCha20Poly1305::new_from_slice(&bytes).map_err(AppError::internal)?;
        Ok(SecretBox { cipher })
    }

    /// Seals `plain` for the place `bound_to` names; base64 of nonce and ciphertext.
    pub fn seal(&self, plain: &str, bound_to: &str) -> Result<String, AppError> {
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let nonce = XNonce::from_slice(&nonce_bytes);
        let sealed = self
            .cipher
            .encrypt(
                nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: bound_to.as_bytes(),
                },
            )
            .map_err(AppError::internal)?;
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&sealed);
        Ok(BASE64.encode(out))
    }

    /// Opens what [`SecretBox::seal`] sealed for the same place; an error for anything else
    /// (another key, another place, a changed byte).
    pub fn open(&self, sealed: &str, bound_to: &str) -> Result<String, AppError> {
        let bytes = BASE64.decode(sealed).map_err(AppError::internal)?;
        if bytes.len() <= NONCE_LEN {
            return Err(AppError::internal("a sealed secret too short to open"));
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: bound_to.as_bytes(),
                },
            )
            .map_err(|_| AppError::internal("a sealed secret does not open with this key"))?;
        String::from_utf8(plain).map_err(AppError::internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_place() {
        let secrets = SecretBox::from_base64(KEY).unwrap();
        let sealed = secrets
            .seal("SB-Mid-server-abc", "merchant 1 midtrans")
            .unwrap();
        assert!(!sealed.contains("abc"));
        assert_ne!(
            sealed,
            secrets
                .seal("SB-Mid-server-abc", "merchant 1 midtrans")
                .unwrap()
        );
        assert_eq!(
            secrets.open(&sealed, "merchant 1 midtrans").unwrap(),
            "SB-Mid-server-abc"
        );
        assert!(secrets.open(&sealed, "merchant 2 midtrans").is_err());
        let other = SecretBox::from_base64("HwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").unwrap();
        assert!(other.open(&sealed, "merchant 1 midtrans").is_err());
    }

    #[test]
    fn only_a_32_byte_key_is_accepted() {
        assert!(SecretBox::from_base64("c2hvcnQ=").is_err());
        assert!(SecretBox::from_base64("not base64!").is_err());
    }
}
