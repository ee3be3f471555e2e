//! How to pay a payment code in cash at an outlet's cashier. Steps may contain `{code}`,
//! `{amount}` and `{merchant}`.
//!
//! The cashier keys the code into the till, which names the merchant and the amount; the
//! payer says whom they pay so the cashier opens the right bill, and keeps the receipt
//! ("struk"), their only proof until the payment reaches this page.

use super::super::lang::Text;

/// One outlet chain of the catalogue.
#[derive(Debug)]
pub struct RetailOutlet {
    code: &'static str,
    /// Where the steps happen: the chain's cashiers.
    pub title: Text,
    pub steps: &'static [Text],
}

/// Shown above every outlet's steps.
pub const NOTE: Text = Text::new(
    "Bayar tunai di kasir. Kode ini hanya untuk satu pembayaran sejumlah tagihan ini.",
    "Pay in cash at the cashier. This code is for one payment of this amount only.",
);

/// The steps at a chain's stores, named in each language ("Alfamart, Alfamidi atau DAN+DAN").
macro_rules! at_the_counter {
    ($stores_id:literal, $stores_en:literal) => {
        steps! {
            concat!("Datang ke gerai ", $stores_id, " terdekat sebelum batas waktu pembayaran."),
            concat!("Go to any ", $stores_en, " store before the payment deadline.");
            "Sampaikan ke kasir bahwa Anda ingin membayar tagihan {merchant}.",
            "Tell the cashier you want to pay a bill from {merchant}.";
            "Tunjukkan kode pembayaran {code} kepada kasir.",
            "Show the cashier the payment code {code}.";
            "Kasir menyebutkan nama merchant dan jumlah tagihan; pastikan jumlahnya {amount}.",
            "The cashier reads out the merchant's name and the amount; check that it is {amount}.";
            "Bayar {amount} secara tunai.",
            "Pay {amount} in cash.";
            "Simpan struk sebagai bukti pembayaran. Halaman ini menampilkan pembayaran Anda setelah diterima.",
            "Keep the receipt (struk) as proof of payment. This page shows your payment once it arrives.";
        }
    };
}

const OUTLETS: &[RetailOutlet] = &[
    // Alfamart's codes are paid at every store of the Alfa group.
    RetailOutlet {
        code: "ALFAMART",
        title: Text::new(
            "Di kasir Alfamart, Alfamidi atau DAN+DAN",
            "At an Alfamart, Alfamidi or DAN+DAN cashier",
        ),
        steps: at_the_counter!(
            "Alfamart, Alfamidi atau DAN+DAN",
            "Alfamart, Alfamidi or DAN+DAN"
        ),
    },
    RetailOutlet {
        code: "INDOMARET",
        title: Text::new("Di kasir Indomaret", "At an Indomaret cashier"),
        steps: at_the_counter!("Indomaret", "Indomaret"),
    },
];

/// The outlet chain of a catalogue method code ("ALFAMART", "INDOMARET"); None for others.
pub fn retail_outlet(method_code: &str) -> Option<&'static RetailOutlet> {
    OUTLETS.iter().find(|outlet| outlet.code == method_code)
}

#[cfg(test)]
mod tests {
    use super::super::{fill, Filling};
    use super::*;
    use crate::domain::lang::Lang;

    fn texts() -> Vec<Text> {
        let mut texts = vec![NOTE];
        for outlet in OUTLETS {
            texts.push(outlet.title);
            texts.extend_from_slice(outlet.steps);
        }
        texts
    }

    #[test]
    fn each_outlet_has_steps_that_name_the_code_the_amount_and_the_merchant() {
        for code in ["ALFAMART", "INDOMARET"] {
            let outlet = retail_outlet(code).unwrap();
            for placeholder in ["{code}", "{amount}", "{merchant}"] {
                assert!(
                    outlet
                        .steps
                        .iter()
                        .any(|s| s.id.contains(placeholder) && s.en.contains(placeholder)),
                    "{code} {placeholder}"
                );
            }
            assert!(outlet.steps.iter().any(|s| s.id.contains("struk")));
        }
        assert!(retail_outlet("ALFAMART").unwrap().steps[0]
            .id
            .contains("Alfamidi atau DAN+DAN"));
        assert!(retail_outlet("INDOMARET").unwrap().steps[0]
            .en
            .contains("Indomaret store"));
    }

    #[test]
    fn both_languages_use_the_same_known_placeholders() {
        let placeholders = |s: &'static str| {
            let mut found: Vec<&str> = s
                .match_indices('{')
                .map(|(i, _)| &s[i..=i + s[i..].find('}').expect("unclosed placeholder")])
                .collect();
            found.sort_unstable();
            found
        };
        for text in texts() {
            assert!(!text.id.trim().is_empty() && !text.en.trim().is_empty());
            assert_eq!(placeholders(text.id), placeholders(text.en), "{text:?}");
            for p in placeholders(text.id) {
                assert!(["{code}", "{amount}", "{merchant}"].contains(&p), "{p}");
            }
        }
    }

    #[test]
    fn filled_steps_read_whole() {
        let filling = Filling {
            value: "998112345678",
            amount: "Rp 150.000",
            merchant: "Toko Sinar",
            ..Filling::default()
        };
        let steps = retail_outlet("INDOMARET").unwrap().steps;
        assert_eq!(
            fill(steps[1].get(Lang::Id), &filling),
            "Sampaikan ke kasir bahwa Anda ingin membayar tagihan Toko Sinar."
        );
        assert_eq!(
            fill(steps[2].get(Lang::En), &filling),
            "Show the cashier the payment code 998112345678."
        );
        for text in texts() {
            for s in [text.id, text.en] {
                assert!(!fill(s, &filling).contains('{'), "{s}");
            }
        }
    }

    #[test]
    fn other_codes_have_no_outlet() {
        for code in ["", "alfamart", "VA_BRI", "QRIS", "ALFAMIDI"] {
            assert!(retail_outlet(code).is_none(), "{code}");
        }
    }
}
