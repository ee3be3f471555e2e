//! Links whose payer chooses the amount (donations, contributions): a minimum, an optional
//! maximum and a few suggested amounts. Each attempt carries the amount its payer chose.

use serde::{Deserialize, Serialize};

use super::super::errors::FieldErrors;
use super::super::lang::{Lang, Text};
use super::super::money::{Rupiah, MAX_LINK_TOTAL, MIN_LINK_TOTAL};

pub const MAX_SUGGESTIONS: usize = 4;

/// Fixed at creation, like a fixed link's total: payers may have seen it already.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenAmount {
    pub minimum: Rupiah,
    /// `None`: up to the largest total a link takes.
    pub maximum: Option<Rupiah>,
    /// Ascending, distinct, within the bounds.
    pub suggested: Vec<Rupiah>,
}

/// The fields of an open amount as they are named in errors; the API and the dashboard name
/// the same three.
pub const MINIMUM: &str = "open_amount.minimum";
pub const MAXIMUM: &str = "open_amount.maximum";
pub const SUGGESTED: &str = "open_amount.suggested_amounts";

impl OpenAmount {
    /// Every rule at once, errors by field ([`MINIMUM`], [`MAXIMUM`], [`SUGGESTED`]).
    pub fn new(
        minimum: Rupiah,
        maximum: Option<Rupiah>,
        suggested: Vec<Rupiah>,
    ) -> Result<OpenAmount, FieldErrors> {
        let mut errors = FieldErrors::new();
        let in_bounds = |a: Rupiah| (MIN_LINK_TOTAL..=MAX_LINK_TOTAL).contains(&a);
        if !in_bounds(minimum) {
            errors.add(
                MINIMUM,
                crate::tr!(
                    links.minimum_range,
                    min = MIN_LINK_TOTAL,
                    max = MAX_LINK_TOTAL
                ),
            );
        }
        match maximum {
            Some(max) if !in_bounds(max) => {
                errors.add(
                    MAXIMUM,
                    crate::tr!(
                        links.maximum_range,
                        min = MIN_LINK_TOTAL,
                        max = MAX_LINK_TOTAL
                    ),
                );
            }
            Some(max) if max < minimum => {
                errors.add(MAXIMUM, crate::tr!(links.maximum_below_minimum));
            }
            _ => {}
        }
        let mut suggested = suggested;
        suggested.sort_unstable();
        suggested.dedup();
        let ceiling = maximum.unwrap_or(MAX_LINK_TOTAL);
        if suggested.len() > MAX_SUGGESTIONS {
            errors.add(SUGGESTED, crate::tr!(links.suggest_at_most));
        } else if let Some(outside) = suggested.iter().find(|a| **a < minimum || **a > ceiling) {
            errors.add(
                SUGGESTED,
                crate::tr!(links.suggested_outside, amount = *outside),
            );
        }
        errors.into_result(OpenAmount {
            minimum,
            maximum,
            suggested,
        })
    }

    /// The largest amount a payer may give.
    pub fn ceiling(&self) -> Rupiah {
        self.maximum.unwrap_or(MAX_LINK_TOTAL)
    }

    /// What a payer typed or picked, checked against the bounds, in the payer's language.
    pub fn payer_amount(&self, typed: &str, lang: Lang) -> Result<Rupiah, String> {
        let amount = parse_payer_amount(typed).ok_or_else(|| ENTER_AMOUNT.get(lang).to_string())?;
        if amount < self.minimum {
            return Err(fill(AT_LEAST.get(lang), self.minimum));
        }
        if amount > self.ceiling() {
            return Err(fill(AT_MOST.get(lang), self.ceiling()));
        }
        Ok(amount)
    }

    /// "Rp 10.000 – Rp 5.000.000", or "from Rp 10.000" without a maximum.
    pub fn range_label(&self, lang: Lang) -> String {
        match self.maximum {
            Some(max) => format!("{} – {max}", self.minimum),
            None => fill(FROM.get(lang), self.minimum),
        }
    }
}

/// The least and the most a payer of a link pays: an open amount's bounds, the totals of the
/// fewest and the most units its payer may choose, or its total twice.
pub fn amount_range(
    total: Rupiah,
    open: Option<&OpenAmount>,
    items: &[super::super::items::LineItem],
) -> (Rupiah, Rupiah) {
    match open {
        Some(open) => (open.minimum, open.ceiling()),
        None => super::super::order::amount_bounds(items, total),
    }
}

/// Whole rupiah as a payer types it: "50000", "50.000", "Rp 50.000", "Rp50.000"; nothing
/// negative, no decimals.
pub fn parse_payer_amount(typed: &str) -> Option<Rupiah> {
    let typed = typed.trim();
    if typed.starts_with('-') {
        return None;
    }
    Rupiah::parse(typed).ok().filter(|a| a.value() > 0)
}

/// Several amounts in one field, separated by commas, semicolons or spaces after a number:
/// "50.000, 100.000" (the dashboard's suggestions field).
pub fn parse_amount_list(s: &str, label: &str) -> Result<Vec<Rupiah>, String> {
    s.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| Rupiah::parse_named(part, label))
        .collect()
}

fn fill(text: &str, amount: Rupiah) -> String {
    text.replace("{amount}", &amount.to_string())
}

const ENTER_AMOUNT: Text = Text::new(
    "Masukkan jumlah dalam rupiah, mis. 50.000.",
    "Enter an amount in rupiah, e.g. 50.000.",
);
const AT_LEAST: Text = Text::new(
    "Jumlah minimal {amount}.",
    "The amount must be at least {amount}.",
);
const AT_MOST: Text = Text::new(
    "Jumlah maksimal {amount}.",
    "The amount must be at most {amount}.",
);
const FROM: Text = Text::new("mulai {amount}", "from {amount}");

#[cfg(test)]
mod tests {
    use super::*;

    fn open(min: i64, max: Option<i64>, suggested: &[i64]) -> Result<OpenAmount, FieldErrors> {
        OpenAmount::new(
            Rupiah(min),
            max.map(Rupiah),
            suggested.iter().copied().map(Rupiah).collect(),
        )
    }

    #[test]
    fn bounds_and_suggestions() {
        let ok = open(10_000, Some(500_000), &[100_000, 50_000, 100_000]).unwrap();
        assert_eq!(
            ok.suggested,
            [Rupiah(50_000), Rupiah(100_000)],
            "sorted, deduplicated"
        );
        assert_eq!(ok.ceiling(), Rupiah(500_000));
        assert_eq!(open(10_000, None, &[]).unwrap().ceiling(), MAX_LINK_TOTAL);

        let e = open(9_999, Some(5_000), &[1]).unwrap_err();
        assert!(e.get(MINIMUM).unwrap().contains("between Rp 10.000"));
        assert!(e.get(MAXIMUM).unwrap().contains("between"));
        let e = open(50_000, Some(20_000), &[]).unwrap_err();
        assert_eq!(
            e.get(MAXIMUM),
            Some("Maximum amount must not be below the minimum.")
        );
        let e = open(10_000, Some(20_000), &[30_000]).unwrap_err();
        assert!(e.get(SUGGESTED).unwrap().contains("Rp 30.000"));
        let e = open(10_000, None, &[10_000, 20_000, 30_000, 40_000, 50_000]).unwrap_err();
        assert_eq!(e.get(SUGGESTED), Some("Suggest at most 4 amounts."));
        assert!(open(10_000, None, &[10_000, 20_000, 30_000, 40_000]).is_ok());
    }

    #[test]
    fn payer_amounts_in_the_payers_language() {
        let link = open(10_000, Some(1_000_000), &[]).unwrap();
        assert_eq!(
            link.payer_amount(" Rp 50.000 ", Lang::Id),
            Ok(Rupiah(50_000))
        );
        assert_eq!(link.payer_amount("75000", Lang::En), Ok(Rupiah(75_000)));
        assert_eq!(
            link.payer_amount("5.000", Lang::Id),
            Err("Jumlah minimal Rp 10.000.".into())
        );
        assert_eq!(
            link.payer_amount("2.000.000", Lang::En),
            Err("The amount must be at most Rp 1.000.000.".into())
        );
        for bad in ["", "abc", "-50.000", "50,5", "0", "1.5"] {
            assert_eq!(
                link.payer_amount(bad, Lang::En),
                Err("Enter an amount in rupiah, e.g. 50.000.".into()),
                "{bad}"
            );
        }
        assert_eq!(link.range_label(Lang::En), "Rp 10.000 – Rp 1.000.000");
        let unbounded = open(10_000, None, &[]).unwrap();
        assert_eq!(unbounded.range_label(Lang::Id), "mulai Rp 10.000");
    }

    #[test]
    fn amount_lists() {
        assert_eq!(
            parse_amount_list("50.000, Rp 100.000;250000", "Suggested amount"),
            Ok(vec![Rupiah(50_000), Rupiah(100_000), Rupiah(250_000)])
        );
        assert_eq!(parse_amount_list("  ", "Suggested amount"), Ok(vec![]));
        assert!(parse_amount_list("50.000, x", "Suggested amount")
            .unwrap_err()
            .starts_with("Suggested amount"));
    }
}
