//! Filling a step's placeholders in with one attempt's values.

/// What a step's placeholders stand for on one attempt's page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filling<'a> {
    /// `{va}` and `{code}`: the VA number or the outlet's payment code.
    pub value: &'a str,
    /// `{amount}`, as the payer reads it.
    pub amount: &'a str,
    /// `{clearing}`: the VA bank's clearing code.
    pub clearing: &'a str,
    /// `{merchant}`: whom the payer pays.
    pub merchant: &'a str,
}

impl Filling<'_> {
    fn placeholders(&self) -> [(&'static str, &str); 5] {
        [
            ("{va}", self.value),
            ("{code}", self.value),
            ("{amount}", self.amount),
            ("{clearing}", self.clearing),
            ("{merchant}", self.merchant),
        ]
    }
}

/// Substitutes the placeholders of [`Filling`] in one pass, so a value that happens to contain
/// a placeholder is never expanded again. Unknown `{…}` are left as they are.
pub fn fill(step: &str, with: &Filling) -> String {
    let mut out = String::with_capacity(step.len() + with.value.len() + with.amount.len());
    let mut rest = step;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let (value, len) = with
            .placeholders()
            .into_iter()
            .find(|(name, _)| tail.starts_with(name))
            .map_or(("{", 1), |(name, value)| (value, name.len()));
        out.push_str(value);
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::super::OTHER_BANK;
    use super::*;
    use crate::domain::lang::Lang;

    const FILLING: Filling = Filling {
        value: "1",
        amount: "Rp 2",
        clearing: "3",
        merchant: "Toko",
    };

    #[test]
    fn fill_substitutes_every_placeholder() {
        let step = OTHER_BANK[1].get(Lang::Id);
        let va = Filling {
            value: "8808123456789012",
            amount: "Rp 150.000",
            clearing: "009",
            merchant: "Toko",
        };
        assert_eq!(
            fill(step, &va),
            "Masukkan kode bank 009 dan nomor Virtual Account 8808123456789012 sebagai rekening tujuan."
        );
        assert_eq!(
            fill("{amount} ke {va} ({clearing}){va}", &FILLING),
            "Rp 2 ke 1 (3)1"
        );
        assert_eq!(fill("{code} untuk {merchant}", &FILLING), "1 untuk Toko");
    }

    #[test]
    fn fill_leaves_other_braces_and_values_alone() {
        assert_eq!(fill("a {x} { b", &FILLING), "a {x} { b");
        let tricky = Filling {
            value: "{amount}",
            ..FILLING
        };
        assert_eq!(fill("{va}", &tricky), "{amount}");
        assert_eq!(fill("{va", &FILLING), "{va");
        assert_eq!(fill("tanpa placeholder", &FILLING), "tanpa placeholder");
        assert_eq!(fill("“{amount}”", &FILLING), "“Rp 2”");
    }
}
