//! A merchant's brand on their payer pages: a colour for buttons and links (white text sits on
//! it, so it must contrast with white), and a logo (see `crate::branding` for its checks).

use serde::{Deserialize, Serialize};

/// WCAG 2's minimum for normal text (AA).
pub const MIN_CONTRAST: f64 = 4.5;

/// "#1a7f5a", kept in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandColor(String);

impl BrandColor {
    /// `#RRGGBB` (the `#` optional, any case) that white text can be read on.
    pub fn parse(s: &str) -> Result<BrandColor, String> {
        let hex = s.trim().trim_start_matches('#').to_ascii_lowercase();
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(crate::tr!(branding.colour_invalid));
        }
        let color = BrandColor(format!("#{hex}"));
        let ratio = color.contrast_with_white();
        if ratio < MIN_CONTRAST {
            return Err(crate::tr!(
                branding.low_contrast,
                ratio = format!("{ratio:.1}")
            ));
        }
        Ok(color)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// WCAG 2 contrast ratio between white and this colour: (1.05) / (L + 0.05).
    pub fn contrast_with_white(&self) -> f64 {
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&self.0[1 + 2 * i..3 + 2 * i], 16).unwrap_or(0))
                / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
        1.05 / (luminance + 0.05)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_white_text_can_be_read_on() {
        assert_eq!(BrandColor::parse(" #1A7F5A ").unwrap().as_str(), "#1a7f5a");
        assert_eq!(BrandColor::parse("000000").unwrap().as_str(), "#000000");
        // Black on white is 21:1; pure yellow is about 1.07:1.
        assert!((BrandColor("#000000".into()).contrast_with_white() - 21.0).abs() < 0.01);
        let yellow = BrandColor::parse("#ffff00").unwrap_err();
        assert!(yellow.contains("contrast 1.1:1"), "{yellow}");
        // #767676 is the lightest grey that passes AA on white.
        assert!(BrandColor::parse("#767676").is_ok());
        assert!(BrandColor::parse("#777777").is_err());
        for bad in ["", "#12345", "#1234567", "red", "#gggggg", "rgb(0,0,0)"] {
            assert!(
                BrandColor::parse(bad).unwrap_err().contains("like #1A7F5A"),
                "{bad}"
            );
        }
    }
}
