//! The payer page's two languages. Indonesian is the default because most payers are in
//! Indonesia; English is offered through a switch link.

/// A language the payer page speaks.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// "id", "en" or a tag with a region ("id-ID", "en_US"), case-insensitive.
    /// "in" is the obsolete ISO 639 code for Indonesian that older Android and Java
    /// still send as "in-ID", so it counts as Indonesian too.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next()?;
        if primary.eq_ignore_ascii_case("id") || primary.eq_ignore_ascii_case("in") {
            Some(Lang::Id)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks from an Accept-Language header: the first listed of id/en by q-value order;
    /// Indonesian when neither or header absent.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang::default();
        };
        let mut best: Option<(Lang, f32)> = None;
        for entry in header.split(',') {
            let mut parts = entry.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else {
                continue;
            };
            let Some(q) = quality(parts) else {
                continue;
            };
            // Strictly greater keeps the earlier entry on ties, as the header's order means.
            if q > 0.0 && best.is_none_or(|(_, best_q)| q > best_q) {
                best = Some((lang, q));
            }
        }
        best.map_or(Lang::default(), |(lang, _)| lang)
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Lang {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }

    /// The language's own name, so a payer who cannot read the current page still finds theirs.
    pub fn label(self) -> &'static str {
        match self {
            Lang::Id => "Bahasa Indonesia",
            Lang::En => "English",
        }
    }
}

impl From<Lang> for crate::i18n::Locale {
    fn from(lang: Lang) -> crate::i18n::Locale {
        match lang {
            Lang::Id => crate::i18n::Locale::id,
            Lang::En => crate::i18n::Locale::en,
        }
    }
}

impl From<crate::i18n::Locale> for Lang {
    fn from(locale: crate::i18n::Locale) -> Lang {
        match locale {
            crate::i18n::Locale::id => Lang::Id,
            crate::i18n::Locale::en => Lang::En,
        }
    }
}

/// The q-value among an entry's parameters: 1 when absent, None when malformed (the entry is
/// then ignored rather than guessed at).
fn quality<'a>(params: impl Iterator<Item = &'a str>) -> Option<f32> {
    for param in params {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        if key.trim().eq_ignore_ascii_case("q") {
            let q: f32 = value.trim().parse().ok()?;
            return (0.0..=1.0).contains(&q).then_some(q);
        }
    }
    Some(1.0)
}

/// A text in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub id: &'static str,
    pub en: &'static str,
}

impl Text {
    pub const fn new(id: &'static str, en: &'static str) -> Text {
        Text { id, en }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Id => self.id,
            Lang::En => self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_and_parse_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.as_str()), Some(lang));
        }
    }

    #[test]
    fn parse_accepts_regions_and_any_case() {
        assert_eq!(Lang::parse("id-ID"), Some(Lang::Id));
        assert_eq!(Lang::parse("ID"), Some(Lang::Id));
        assert_eq!(Lang::parse("in-ID"), Some(Lang::Id));
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse(" en "), Some(Lang::En));
    }

    #[test]
    fn parse_rejects_other_languages() {
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse("ms-MY"), None);
        assert_eq!(Lang::parse("idn"), None);
        assert_eq!(Lang::parse("*"), None);
    }

    #[test]
    fn accept_language_defaults_to_indonesian() {
        assert_eq!(Lang::from_accept_language(None), Lang::Id);
        assert_eq!(Lang::from_accept_language(Some("")), Lang::Id);
        assert_eq!(Lang::from_accept_language(Some("fr-FR,de;q=0.8")), Lang::Id);
        assert_eq!(Lang::from_accept_language(Some("*")), Lang::Id);
    }

    #[test]
    fn accept_language_takes_first_known_language() {
        assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(
            Lang::from_accept_language(Some("fr-FR,fr;q=0.9,en;q=0.8,id;q=0.7")),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language(Some("id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7")),
            Lang::Id
        );
    }

    #[test]
    fn accept_language_follows_q_values_not_position() {
        assert_eq!(Lang::from_accept_language(Some("en;q=0.5, id")), Lang::Id);
        assert_eq!(
            Lang::from_accept_language(Some("id;q=0.3,en;Q=0.6")),
            Lang::En
        );
        // Equal weights: the earlier entry wins.
        assert_eq!(
            Lang::from_accept_language(Some("en;q=0.8,id;q=0.8")),
            Lang::En
        );
    }

    #[test]
    fn accept_language_skips_refused_and_malformed_entries() {
        assert_eq!(Lang::from_accept_language(Some("en;q=0,fr")), Lang::Id);
        assert_eq!(
            Lang::from_accept_language(Some("en;q=abc,id;q=0.1")),
            Lang::Id
        );
        assert_eq!(Lang::from_accept_language(Some("en;q=2")), Lang::Id);
    }

    #[test]
    fn other_and_label() {
        assert_eq!(Lang::Id.other(), Lang::En);
        assert_eq!(Lang::En.other(), Lang::Id);
        assert_eq!(Lang::Id.label(), "Bahasa Indonesia");
        assert_eq!(Lang::En.label(), "English");
        assert_eq!(Lang::default(), Lang::Id);
    }

    #[test]
    fn serde_uses_lowercase_codes() {
        assert_eq!(serde_json::to_string(&Lang::En).unwrap(), "\"en\"");
        assert_eq!(serde_json::from_str::<Lang>("\"id\"").unwrap(), Lang::Id);
        assert!(serde_json::from_str::<Lang>("\"fr\"").is_err());
    }

    #[test]
    fn text_picks_the_language() {
        const HELLO: Text = Text::new("Halo", "Hello");
        assert_eq!(HELLO.get(Lang::Id), "Halo");
        assert_eq!(HELLO.get(Lang::En), "Hello");
    }
}
