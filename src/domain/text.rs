//! Free text typed by people: names, titles, descriptions. Trimmed, bounded, and free of
//! control characters: a NUL cannot be stored in Postgres text at all, and the others have no
//! business in a name shown to payers, written into CSV files or sent in webhooks.

/// Characters that are not control characters to Unicode but act like them in text shown to
/// people: invisible formatting, direction overrides (which make a name read backwards) and the
/// line and paragraph separators.
fn is_invisible_or_breaking(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// A required single-line text: `label` names the field in the messages.
pub fn required_line(raw: &str, label: &str, max_chars: usize) -> Result<String, String> {
    optional_line(raw, label, max_chars)?.ok_or_else(|| crate::tr!(links.field_required, label))
}

/// A single-line text that may be left empty (`None`).
pub fn optional_line(raw: &str, label: &str, max_chars: usize) -> Result<Option<String>, String> {
    bounded(raw, label, max_chars, refused_in_line)
}

/// Whether a single line of text may not hold `c`.
pub fn refused_in_line(c: char) -> bool {
    c.is_control() || is_invisible_or_breaking(c)
}

/// Text that may span lines (line breaks and tabs allowed), empty meaning `None`.
pub fn optional_lines(raw: &str, label: &str, max_chars: usize) -> Result<Option<String>, String> {
    bounded(raw, label, max_chars, |c| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_invisible_or_breaking(c)
    })
}

/// Refuses control characters in text that is matched rather than stored (search boxes,
/// filters): such text can match nothing, and Postgres refuses a NUL in a parameter.
pub fn search_text(raw: &str, label: &str) -> Result<(), String> {
    if raw.chars().any(char::is_control) {
        Err(control_message(label))
    } else {
        Ok(())
    }
}

fn bounded(
    raw: &str,
    label: &str,
    max_chars: usize,
    refused: impl Fn(char) -> bool,
) -> Result<Option<String>, String> {
    let text = raw.trim();
    if text.chars().any(refused) {
        return Err(control_message(label));
    }
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max_chars {
        let max = match crate::i18n::current() {
            crate::i18n::Locale::id => thousands(max_chars).replace(',', "."),
            crate::i18n::Locale::en => thousands(max_chars),
        };
        return Err(crate::tr!(links.field_too_long, label, max));
    }
    Ok(Some(text.to_string()))
}

fn control_message(label: &str) -> String {
    crate::tr!(links.field_control_chars, label)
}

/// `2000` → `2,000`, as the messages write limits.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_bounded_and_required() {
        assert_eq!(required_line("  Kopi ", "Title", 255), Ok("Kopi".into()));
        assert_eq!(
            required_line("   ", "Title", 255),
            Err("Title is required.".into())
        );
        assert_eq!(
            required_line(&"x".repeat(2001), "Description", 2000),
            Err("Description must be at most 2,000 characters.".into())
        );
        assert_eq!(optional_line("", "Name", 10), Ok(None));
    }

    #[test]
    fn control_characters_are_refused_by_name() {
        for hostile in [
            "a\0b",
            "a\u{7}b",
            "a\nb",
            "a\u{1b}[31m",
            "a\u{85}b",
            "Toko\u{202E}gnaB",
            "a\u{200B}b",
            "a\u{2028}b",
            "\u{FEFF}Kopi",
        ] {
            assert_eq!(
                required_line(hostile, "Title", 255),
                Err("Title must not contain control or invisible characters.".into()),
                "{hostile:?}"
            );
        }
        // Surrounding line breaks are trimmed, not refused.
        assert_eq!(required_line("Kopi\r\n", "Title", 255), Ok("Kopi".into()));
        assert_eq!(
            optional_lines("Baris 1\r\nBaris 2\tx", "Description", 100),
            Ok(Some("Baris 1\r\nBaris 2\tx".into()))
        );
        assert!(optional_lines("a\0b", "Description", 100).is_err());
        assert!(search_text("9900\0", "Search").is_err());
        assert!(search_text("9900 2611", "Search").is_ok());
    }

    #[test]
    fn limits_are_written_with_thousands_separators() {
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(2000), "2,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
