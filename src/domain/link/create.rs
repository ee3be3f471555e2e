//! The dashboard's create form, validated into a new link with all errors at once, plus the
//! field helpers the edit form shares.

use super::super::errors::FieldErrors;
use super::super::items::{parse_items, total_of, ItemInput, LineItem};
use super::super::money::Rupiah;
use super::super::reff::ReffNo;
use super::super::time::parse_datetime_local_wib;
use super::custom_fields::{parse_fields, CustomField, CustomFieldInput};
use super::open_amount::{parse_amount_list, OpenAmount, MAXIMUM, MINIMUM, SUGGESTED};
use super::{parse_description, parse_max_usage, parse_redirect_url, parse_title};

/// The catalogue the whitelist is checked against.
pub struct MethodRules<'a> {
    pub known_codes: &'a [String],
}

/// Trims codes, drops empties, dedups keeping order. `None` means every method is allowed.
/// Unknown codes are named in the error so the merchant can see which one is wrong.
pub fn parse_methods(codes: &[String], rules: &MethodRules) -> Result<Option<Vec<String>>, String> {
    let mut picked: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let codes = codes
        .iter()
        .map(|c| super::super::method::canonical_code(c.trim()))
        .filter(|c| !c.is_empty());
    for code in codes {
        if !rules.known_codes.iter().any(|k| k == code) {
            if !unknown.iter().any(|u| u == code) {
                // Cut to keep a hostile value from flooding the page.
                unknown.push(code.chars().take(40).collect());
            }
        } else if !picked.iter().any(|p| p == code) {
            picked.push(code.to_string());
        }
    }
    match unknown.len() {
        0 => Ok((!picked.is_empty()).then_some(picked)),
        1 => Err(crate::tr!(links.unknown_method, code = &unknown[0])),
        _ => Err(crate::tr!(
            links.unknown_methods,
            codes = unknown.join(", ")
        )),
    }
}

/// Empty means the link never expires; otherwise it must lie in the future.
pub(super) fn parse_expiry(s: &str, now_ms: i64) -> Result<Option<i64>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    let at = parse_datetime_local_wib(s).map_err(|_| crate::tr!(links.expiry_format))?;
    if at <= now_ms {
        return Err(crate::tr!(links.expiry_past));
    }
    Ok(Some(at))
}

/// Records a field's error and yields its value, so each form parser reads as a list of fields.
pub(super) fn field<T>(errors: &mut FieldErrors, name: &str, r: Result<T, String>) -> Option<T> {
    r.map_err(|e| errors.add(name, e)).ok()
}

/// Input of the dashboard's create form; all strings/bools as posted.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewLinkInput {
    #[serde(default)]
    pub reff_no: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub items: Vec<ItemInput>,
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub max_usage: String,
    /// "YYYY-MM-DDTHH:MM" in WIB from `<input type=datetime-local>`, empty = never.
    #[serde(default)]
    pub expired_at: String,
    /// Checkbox: `Some(_)` = checked.
    #[serde(default)]
    pub required_customer_detail: Option<String>,
    #[serde(default)]
    pub redirect_url: String,
    /// "open": the payer chooses the amount (the items are not read); else a fixed total.
    #[serde(default)]
    pub amount_type: String,
    #[serde(default)]
    pub open_minimum: String,
    #[serde(default)]
    pub open_maximum: String,
    /// Amounts separated by commas.
    #[serde(default)]
    pub open_suggested: String,
    /// Units the link sells in all (empty: no stock).
    #[serde(default)]
    pub stock: String,
    /// Questions for the payer; blank rows are skipped.
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldInput>,
}

/// Validated new link. `reff_no` None = generate one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewPaymentLink {
    pub reff_no: Option<ReffNo>,
    pub title: String,
    pub description: Option<String>,
    /// None for an open-amount link.
    pub items: Vec<LineItem>,
    /// An open-amount link's minimum.
    pub total_amount: Rupiah,
    /// Set when the payer chooses the amount.
    pub open_amount: Option<OpenAmount>,
    /// Units the link sells in all, over every payment (e.g. seats).
    pub stock: Option<i64>,
    /// Questions the payer answers, at most three.
    pub custom_fields: Vec<CustomField>,
    /// None or non-empty; deduplicated, in the order chosen.
    pub whitelisted_payment_method: Option<Vec<String>>,
    pub max_usage: i64,
    pub expired_at: Option<i64>,
    pub required_customer_detail: bool,
    pub redirect_url: Option<String>,
    pub optional_metadata: serde_json::Map<String, serde_json::Value>,
}

impl NewLinkInput {
    /// All field errors at once. An empty reff_no asks for a generated one; a non-empty one is
    /// validated untrimmed (see [`ReffNo::parse`]).
    pub fn parse(&self, rules: &MethodRules, now_ms: i64) -> Result<NewPaymentLink, FieldErrors> {
        let mut errors = FieldErrors::new();
        let reff_no = if self.reff_no.is_empty() {
            Some(None)
        } else {
            field(
                &mut errors,
                "reff_no",
                ReffNo::parse(&self.reff_no).map(Some),
            )
        };
        let title = field(&mut errors, "title", parse_title(&self.title));
        let description = field(
            &mut errors,
            "description",
            parse_description(&self.description),
        );
        let items_and_total = if self.amount_type == "open" {
            self.open_amount()
                .map(|open| (Vec::new(), open.minimum, Some(open)))
                .map_err(|e| errors.merge(e))
                .ok()
        } else {
            parse_items(&self.items)
                .and_then(|items| total_of(&items).map(|total| (items, total, None)))
                .map_err(|e| errors.merge(e))
                .ok()
        };
        let methods = field(&mut errors, "methods", parse_methods(&self.methods, rules));
        let max_usage = field(&mut errors, "max_usage", parse_max_usage(&self.max_usage));
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
        let stock = field(&mut errors, "stock", super::parse_stock(&self.stock));
        let custom_fields = parse_fields(&self.custom_fields)
            .map_err(|e| errors.merge(e))
            .ok();
        match (
            reff_no,
            title,
            description,
            items_and_total,
            methods,
            max_usage,
            expired_at,
            redirect_url,
            stock,
            custom_fields,
        ) {
            (
                Some(reff_no),
                Some(title),
                Some(description),
                Some((items, total_amount, open_amount)),
                Some(whitelisted_payment_method),
                Some(max_usage),
                Some(expired_at),
                Some(redirect_url),
                Some(stock),
                Some(custom_fields),
            ) => Ok(NewPaymentLink {
                reff_no,
                title,
                description,
                items,
                total_amount,
                open_amount,
                stock,
                custom_fields,
                whitelisted_payment_method,
                max_usage,
                expired_at,
                required_customer_detail: self.required_customer_detail.is_some(),
                redirect_url,
                // The create form has no metadata field; it is set on the edit form or via API.
                optional_metadata: serde_json::Map::new(),
            }),
            _ => Err(errors),
        }
    }

    /// The open-amount fields, each error by its field.
    fn open_amount(&self) -> Result<OpenAmount, FieldErrors> {
        let mut errors = FieldErrors::new();
        let minimum = field(
            &mut errors,
            MINIMUM,
            Rupiah::parse_named(&self.open_minimum, &crate::tr!(links.label_minimum_amount)),
        );
        let maximum = match self.open_maximum.trim() {
            "" => Some(None),
            typed => field(
                &mut errors,
                MAXIMUM,
                Rupiah::parse_named(typed, &crate::tr!(links.label_maximum_amount)).map(Some),
            ),
        };
        let suggested = field(
            &mut errors,
            SUGGESTED,
            parse_amount_list(
                &self.open_suggested,
                &crate::tr!(links.label_suggested_amount),
            ),
        );
        // The rules run on what did parse, so every wrong field is named at once.
        let Some(minimum) = minimum else {
            return Err(errors);
        };
        let checked = OpenAmount::new(minimum, maximum.flatten(), suggested.unwrap_or_default());
        match checked {
            Ok(open) if errors.is_empty() => Ok(open),
            Ok(_) => Err(errors),
            Err(rules) => {
                for (name, message) in rules.iter() {
                    if errors.get(name).is_none() {
                        errors.add(name, message);
                    }
                }
                Err(errors)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-25T18:35:07+07:00
    const NOW: i64 = 1_795_606_507_000;

    fn known() -> Vec<String> {
        ["BCA_VA", "QRIS", "OVO"].map(String::from).to_vec()
    }

    fn valid_input() -> NewLinkInput {
        NewLinkInput {
            title: " Kelas yoga ".into(),
            items: vec![
                ItemInput::default(),
                ItemInput {
                    name: "Tiket".into(),
                    quantity: "2".into(),
                    unit_price: "Rp 75.000".into(),
                    ..ItemInput::default()
                },
            ],
            max_usage: "10".into(),
            ..NewLinkInput::default()
        }
    }

    #[test]
    fn methods_are_trimmed_deduped_and_checked() {
        let codes = known();
        let rules = MethodRules {
            known_codes: &codes,
        };
        let pick = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_methods(&[], &rules), Ok(None));
        assert_eq!(parse_methods(&pick(&["", "  "]), &rules), Ok(None));
        assert_eq!(
            parse_methods(&pick(&["QRIS", " BCA_VA ", "QRIS"]), &rules),
            Ok(Some(pick(&["QRIS", "BCA_VA"])))
        );
        assert_eq!(
            parse_methods(&pick(&["QRIS", "GOPAY"]), &rules),
            Err("Unknown payment method: GOPAY.".into())
        );
        assert_eq!(
            parse_methods(&pick(&["X", "qris", "X"]), &rules),
            Err("Unknown payment methods: X, qris.".into())
        );
        let e = parse_methods(&[format!("A{}", "b".repeat(500))], &rules).unwrap_err();
        assert!(e.len() < 100);
    }

    #[test]
    fn expiry_must_be_future() {
        assert_eq!(parse_expiry(" ", NOW), Ok(None));
        assert_eq!(
            parse_expiry("2026-11-25T18:36", NOW),
            Ok(Some(NOW + 53_000))
        );
        assert_eq!(
            parse_expiry("2026-11-25T18:35:07", NOW),
            Err("Expiry must be in the future.".into())
        );
        assert!(parse_expiry("tomorrow", NOW)
            .unwrap_err()
            .contains("YYYY-MM-DDTHH:MM"));
    }

    #[test]
    fn minimal_valid_link() {
        let codes = known();
        let link = valid_input()
            .parse(
                &MethodRules {
                    known_codes: &codes,
                },
                NOW,
            )
            .unwrap();
        assert_eq!(link.reff_no, None);
        assert_eq!(link.title, "Kelas yoga");
        assert_eq!(link.description, None);
        assert_eq!(link.items.len(), 1);
        assert_eq!(link.total_amount, Rupiah(150_000));
        assert_eq!(link.whitelisted_payment_method, None);
        assert_eq!(link.max_usage, 10);
        assert_eq!(link.expired_at, None);
        assert!(!link.required_customer_detail);
        assert_eq!(link.redirect_url, None);
        assert!(link.optional_metadata.is_empty());
    }

    #[test]
    fn full_valid_link() {
        let codes = known();
        let input = NewLinkInput {
            reff_no: "INV-001".into(),
            description: " Sesi pagi ".into(),
            methods: vec!["OVO".into(), "QRIS".into()],
            expired_at: "2026-12-31T23:59".into(),
            required_customer_detail: Some("on".into()),
            redirect_url: "https://toko.id/terima-kasih".into(),
            ..valid_input()
        };
        let link = input
            .parse(
                &MethodRules {
                    known_codes: &codes,
                },
                NOW,
            )
            .unwrap();
        assert_eq!(link.reff_no.as_ref().map(ReffNo::as_str), Some("INV-001"));
        assert_eq!(link.description.as_deref(), Some("Sesi pagi"));
        assert_eq!(
            link.whitelisted_payment_method,
            Some(vec!["OVO".to_string(), "QRIS".to_string()])
        );
        assert!(link.expired_at.unwrap() > NOW);
        assert!(link.required_customer_detail);
        assert_eq!(
            link.redirect_url.as_deref(),
            Some("https://toko.id/terima-kasih")
        );
    }

    #[test]
    fn an_open_amount_ignores_the_items_and_totals_at_its_minimum() {
        let codes = known();
        let rules = MethodRules {
            known_codes: &codes,
        };
        let input = NewLinkInput {
            amount_type: "open".into(),
            open_minimum: "Rp 25.000".into(),
            open_suggested: "100.000, 50.000".into(),
            ..valid_input()
        };
        let link = input.parse(&rules, NOW).unwrap();
        assert!(link.items.is_empty());
        assert_eq!(link.total_amount, Rupiah(25_000));
        let open = link.open_amount.unwrap();
        assert_eq!(open.maximum, None);
        assert_eq!(open.suggested, [Rupiah(50_000), Rupiah(100_000)]);
        // Left at "fixed", the open fields are not read.
        let fixed = NewLinkInput {
            open_minimum: "x".into(),
            ..valid_input()
        };
        assert_eq!(fixed.parse(&rules, NOW).unwrap().open_amount, None);
    }

    #[test]
    fn reports_every_field_at_once() {
        let codes = known();
        let input = NewLinkInput {
            reff_no: " INV 1".into(),
            title: "".into(),
            description: "d".repeat(2001),
            items: vec![ItemInput {
                name: "".into(),
                quantity: "0".into(),
                unit_price: "1,5".into(),
                ..ItemInput::default()
            }],
            methods: vec!["NOPE".into()],
            max_usage: "-1".into(),
            expired_at: "2020-01-01T00:00".into(),
            required_customer_detail: None,
            redirect_url: "javascript:alert(1)".into(),
            ..NewLinkInput::default()
        };
        let e = input
            .parse(
                &MethodRules {
                    known_codes: &codes,
                },
                NOW,
            )
            .unwrap_err();
        for f in [
            "reff_no",
            "title",
            "description",
            "items[0].name",
            "items[0].quantity",
            "items[0].unit_price",
            "methods",
            "max_usage",
            "expired_at",
            "redirect_url",
        ] {
            assert!(e.get(f).is_some(), "missing error for {f}: {e}");
        }
        assert_eq!(e.get("title"), Some("Title is required."));
        assert_eq!(e.get("methods"), Some("Unknown payment method: NOPE."));
        // No total is computed while items are invalid.
        assert_eq!(e.get("total_amount"), None);
    }

    #[test]
    fn total_out_of_range_is_reported() {
        let codes = known();
        let mut input = valid_input();
        input.items[1].unit_price = "4.999".into();
        let e = input
            .parse(
                &MethodRules {
                    known_codes: &codes,
                },
                NOW,
            )
            .unwrap_err();
        assert_eq!(
            e.get("total_amount"),
            Some("Total must be between Rp 10.000 and Rp 100.000.000.")
        );
        assert_eq!(e.len(), 1);
    }

    #[test]
    fn empty_form_needs_items_title_and_max_usage() {
        let e = NewLinkInput::default()
            .parse(&MethodRules { known_codes: &[] }, NOW)
            .unwrap_err();
        assert_eq!(e.get("items"), Some("Add at least one item."));
        assert_eq!(e.get("title"), Some("Title is required."));
        assert_eq!(e.get("max_usage"), Some("Max usage is required."));
        assert_eq!(e.get("reff_no"), None);
        assert_eq!(e.len(), 3);
    }
}
