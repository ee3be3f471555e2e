use std::fmt;

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Public identifier of a payment link in the payer URL: base62 of at least 128 random bits
/// (the caller supplies the bytes from a CSPRNG). Unguessable, so a link cannot be found by
/// enumerating URLs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Slug(String);

impl Slug {
    /// 62^22 > 2^128, so 22 digits hold any 16-byte value.
    pub const LEN: usize = 22;

    /// Fixed length 22, left-padded with '0', so every slug looks alike.
    pub fn from_random_bytes(bytes: [u8; 16]) -> Slug {
        let mut n = u128::from_be_bytes(bytes);
        let mut out = [b'0'; Self::LEN];
        for slot in out.iter_mut().rev() {
            *slot = ALPHABET[(n % 62) as usize];
            n /= 62;
        }
        Slug(out.iter().map(|&b| char::from(b)).collect())
    }

    /// Exactly [`Slug::LEN`] ASCII alphanumerics; anything else cannot be a slug, so lookups can
    /// skip the database.
    pub fn parse(s: &str) -> Option<Slug> {
        (s.len() == Self::LEN && s.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| Slug(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_max() {
        assert_eq!(
            Slug::from_random_bytes([0; 16]).as_str(),
            "0000000000000000000000"
        );
        // u128::MAX in base62.
        assert_eq!(
            Slug::from_random_bytes([0xff; 16]).as_str(),
            "7n42DGM5Tflk9n8mt7Fhc7"
        );
        let mut one = [0u8; 16];
        one[15] = 61;
        assert_eq!(
            Slug::from_random_bytes(one).as_str(),
            "000000000000000000000z"
        );
        one[15] = 62;
        assert_eq!(
            Slug::from_random_bytes(one).to_string(),
            "0000000000000000000010"
        );
    }

    #[test]
    fn generated_slugs_parse() {
        let s = Slug::from_random_bytes(*b"0123456789abcdef");
        assert_eq!(s.as_str().len(), Slug::LEN);
        assert_eq!(Slug::parse(s.as_str()), Some(s));
    }

    #[test]
    fn parse_rejects_wrong_shapes() {
        assert_eq!(Slug::parse(""), None);
        assert_eq!(Slug::parse(&"a".repeat(21)), None);
        assert_eq!(Slug::parse(&"a".repeat(23)), None);
        assert_eq!(Slug::parse("aaaaaaaaaaaaaaaaaaaaa-"), None);
        assert_eq!(Slug::parse("aaaaaaaaaaaaaaaaaaaaa "), None);
        // 11 two-byte chars are 22 bytes but not ASCII.
        assert_eq!(Slug::parse(&"é".repeat(11)), None);
        assert!(Slug::parse(&"Z".repeat(22)).is_some());
    }
}
