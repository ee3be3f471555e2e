//! Questions a link asks its payers (a T-shirt size, a team name, a participant's age): up to
//! three, each text, a number or a choice from a list, required or not, labelled in Indonesian
//! and optionally English. Each attempt keeps its payer's answers with their labels, so what
//! a payment recorded never changes with the link.

use serde::{Deserialize, Serialize};

use super::super::errors::FieldErrors;
use super::super::lang::{Lang, Text};

pub const MAX_CUSTOM_FIELDS: usize = 3;
pub const MAX_LABEL_LEN: usize = 80;
pub const MAX_OPTIONS: usize = 20;
pub const MAX_OPTION_LEN: usize = 80;
pub const MAX_ANSWER_LEN: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Number,
    Choice,
}

impl FieldKind {
    pub fn parse(s: &str) -> Option<FieldKind> {
        match s.trim() {
            "text" | "" => Some(FieldKind::Text),
            "number" => Some(FieldKind::Number),
            "choice" => Some(FieldKind::Choice),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomField {
    /// Indonesian, and what the merchant's records show.
    pub label: String,
    /// For payers reading English; the Indonesian label stands in when absent.
    pub label_en: Option<String>,
    pub kind: FieldKind,
    /// The choices of a `choice` field, in order; empty otherwise.
    #[serde(default)]
    pub options: Vec<String>,
    pub required: bool,
}

/// One payer's answer, with the label it answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub label: String,
    pub value: String,
}

/// A question as a form or a client sends it: every part as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomFieldInput {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub label_en: String,
    /// "text", "number" or "choice" (empty: text).
    #[serde(default)]
    pub kind: String,
    /// A choice's options, separated by commas.
    #[serde(default)]
    pub options: String,
    /// Checkbox: `Some(_)` = required.
    #[serde(default)]
    pub required: Option<String>,
}

impl CustomFieldInput {
    /// The form always shows three rows; untouched ones are not questions.
    pub fn is_blank(&self) -> bool {
        self.label.trim().is_empty()
            && self.label_en.trim().is_empty()
            && self.options.trim().is_empty()
    }
}

impl CustomField {
    pub fn label_in(&self, lang: Lang) -> &str {
        match (lang, &self.label_en) {
            (Lang::En, Some(en)) => en,
            _ => &self.label,
        }
    }

    /// A payer's answer, checked in their language; `None` for an optional one left empty.
    pub fn answer(&self, typed: &str, lang: Lang) -> Result<Option<String>, String> {
        let typed = typed.trim();
        if typed.is_empty() {
            return if self.required {
                Err(REQUIRED.get(lang).to_string())
            } else {
                Ok(None)
            };
        }
        if typed.chars().count() > MAX_ANSWER_LEN || typed.chars().any(char::is_control) {
            return Err(TOO_LONG.get(lang).to_string());
        }
        match self.kind {
            FieldKind::Text => Ok(Some(typed.to_string())),
            FieldKind::Number if is_number(typed) => Ok(Some(typed.to_string())),
            FieldKind::Number => Err(NOT_A_NUMBER.get(lang).to_string()),
            FieldKind::Choice => self
                .options
                .iter()
                .find(|option| option.as_str() == typed)
                .map(|option| Some(option.clone()))
                .ok_or_else(|| CHOOSE.get(lang).to_string()),
        }
    }
}

/// "12", "-3", "1.5" or "1,5": a number as people type one.
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, ['.', ',']);
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// The questions, errors by `custom_fields[i].label` and so on; blank rows are skipped, but
/// errors keep the row the merchant sees.
pub fn parse_fields(rows: &[CustomFieldInput]) -> Result<Vec<CustomField>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let filled: Vec<(usize, &CustomFieldInput)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_blank())
        .collect();
    if filled.len() > MAX_CUSTOM_FIELDS {
        return Err(FieldErrors::single(
            "custom_fields",
            crate::tr!(links.questions_at_most),
        ));
    }
    let mut fields = Vec::with_capacity(filled.len());
    for (i, row) in filled {
        let name = |part: &str| format!("custom_fields[{i}].{part}");
        let label = super::super::text::required_line(
            &row.label,
            &crate::tr!(links.label_question),
            MAX_LABEL_LEN,
        )
        .map_err(|e| errors.add(name("label"), e));
        let label_en = super::super::text::optional_line(
            &row.label_en,
            &crate::tr!(links.label_english_question),
            MAX_LABEL_LEN,
        )
        .map_err(|e| errors.add(name("label_en"), e));
        let kind = FieldKind::parse(&row.kind)
            .ok_or_else(|| errors.add(name("kind"), crate::tr!(links.kind_invalid)));
        let options: Vec<String> = row
            .options
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(String::from)
            .collect();
        let options = match kind {
            Ok(FieldKind::Choice) => {
                check_options(options).map_err(|e| errors.add(name("options"), e))
            }
            _ => Ok(Vec::new()),
        };
        if let (Ok(label), Ok(label_en), Ok(kind), Ok(options)) = (label, label_en, kind, options) {
            fields.push(CustomField {
                label,
                label_en,
                kind,
                options,
                required: row.required.is_some(),
            });
        }
    }
    errors.into_result(fields)
}

fn check_options(mut options: Vec<String>) -> Result<Vec<String>, String> {
    let mut seen = std::collections::HashSet::new();
    options.retain(|o| seen.insert(o.clone()));
    if options.len() < 2 {
        return Err(crate::tr!(links.options_min));
    }
    if options.len() > MAX_OPTIONS {
        return Err(crate::tr!(links.options_at_most));
    }
    if options.iter().any(|o| o.chars().count() > MAX_OPTION_LEN) {
        return Err(crate::tr!(links.option_too_long));
    }
    Ok(options)
}

/// A payer's answers to a link's questions (`typed[i]` for question i), errors on `custom[i]`
/// in the payer's language. Optional questions left empty are not kept.
pub fn answers(
    fields: &[CustomField],
    typed: &[String],
    lang: Lang,
) -> Result<Vec<Answer>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut kept = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        match field.answer(typed.get(i).map_or("", String::as_str), lang) {
            Ok(Some(value)) => kept.push(Answer {
                label: field.label.clone(),
                value,
            }),
            Ok(None) => {}
            Err(e) => errors.add(format!("custom[{i}]"), e),
        }
    }
    errors.into_result(kept)
}

/// Answers on one line, for a spreadsheet cell: "Ukuran: M; Tim: Garuda".
pub fn answers_line(answers: &[Answer]) -> String {
    answers
        .iter()
        .map(|a| format!("{}: {}", a.label, a.value))
        .collect::<Vec<_>>()
        .join("; ")
}

const REQUIRED: Text = Text::new("Wajib diisi.", "Required.");
const TOO_LONG: Text = Text::new(
    "Jawaban terlalu panjang (maksimal 200 karakter).",
    "The answer is too long (200 characters at most).",
);
const NOT_A_NUMBER: Text = Text::new("Isi dengan angka.", "Enter a number.");
const CHOOSE: Text = Text::new("Pilih salah satu pilihan.", "Choose one of the options.");

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, kind: &str, options: &str, required: bool) -> CustomFieldInput {
        CustomFieldInput {
            label: label.into(),
            label_en: String::new(),
            kind: kind.into(),
            options: options.into(),
            required: required.then(|| "on".into()),
        }
    }

    #[test]
    fn questions_are_checked_by_row() {
        let fields = parse_fields(&[
            row("Ukuran kaos", "choice", "S, M, L, M", true),
            CustomFieldInput::default(),
            row("Umur", "number", "", false),
        ])
        .unwrap();
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].options, ["S", "M", "L"]);
        assert_eq!(fields[1].kind, FieldKind::Number);

        let e = parse_fields(&[row("", "choice", "S", false), row("Tim", "date", "", false)])
            .unwrap_err();
        assert_eq!(
            e.get("custom_fields[0].label"),
            Some("Question is required.")
        );
        assert!(e
            .get("custom_fields[0].options")
            .unwrap()
            .contains("two options"));
        assert!(e.get("custom_fields[1].kind").is_some());
        let four = vec![row("A", "text", "", false); 4];
        assert!(parse_fields(&four)
            .unwrap_err()
            .get("custom_fields")
            .is_some());
    }

    #[test]
    fn answers_in_the_payers_language() {
        let fields = parse_fields(&[
            row("Ukuran kaos", "choice", "S, M, L", true),
            row("Umur", "number", "", false),
            row("Nama tim", "text", "", false),
        ])
        .unwrap();
        let typed = |values: &[&str]| values.iter().map(|v| v.to_string()).collect::<Vec<_>>();
        let kept = answers(&fields, &typed(&["M", "17", ""]), Lang::Id).unwrap();
        assert_eq!(
            answers_line(&kept),
            "Ukuran kaos: M; Umur: 17",
            "an optional empty answer is not kept"
        );
        let e = answers(
            &fields,
            &typed(&["XL", "tujuh", &"a".repeat(201)]),
            Lang::En,
        )
        .unwrap_err();
        assert_eq!(e.get("custom[0]"), Some("Choose one of the options."));
        assert_eq!(e.get("custom[1]"), Some("Enter a number."));
        assert!(e.get("custom[2]").unwrap().contains("too long"));
        let e = answers(&fields, &[], Lang::Id).unwrap_err();
        assert_eq!(e.get("custom[0]"), Some("Wajib diisi."));
        for number in ["12", "-3", "1.5", "1,5"] {
            assert!(is_number(number), "{number}");
        }
        for not in ["", "1.", ".5", "1.2.3", "x"] {
            assert!(!is_number(not), "{not}");
        }
    }
}
