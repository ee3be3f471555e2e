use super::money::Rupiah;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum MethodGroup {
    Va,
    Qris,
    Ewallet,
    /// A payment code paid in cash at a convenience store's cashier.
    Retail,
}

impl MethodGroup {
    pub const ALL: [MethodGroup; 4] = [
        MethodGroup::Va,
        MethodGroup::Qris,
        MethodGroup::Ewallet,
        MethodGroup::Retail,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MethodGroup::Va => "va",
            MethodGroup::Qris => "qris",
            MethodGroup::Ewallet => "ewallet",
            MethodGroup::Retail => "retail",
        }
    }

    pub fn parse(s: &str) -> Result<MethodGroup, String> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or_else(|| crate::tr!(links.unknown_group, group = s))
    }

    pub fn label_en(self) -> &'static str {
        match self {
            MethodGroup::Va => "Virtual account",
            MethodGroup::Qris => "QRIS",
            MethodGroup::Ewallet => "E-wallet",
            MethodGroup::Retail => "Retail outlet",
        }
    }
}

/// The codes of the method catalogue (seeded by the migrations), in its order. The API
/// document's enum of method codes is this list; a test holds it to the database's.
pub const CATALOGUE_CODES: [&str; 15] = [
    "VA_BRI",
    "VA_BNI",
    "VA_BCA",
    "VA_MAYBANK",
    "VA_DANAMON",
    "VA_PERMATA",
    "VA_CIMB",
    "QRIS",
    "GOPAY",
    "SHOPEEPAY",
    "DANA",
    "LINKAJA",
    "OVO",
    "ALFAMART",
    "INDOMARET",
];

/// Singapay's spellings of the e-wallet codes (its e-wallet products name them by vendor),
/// and the one code each means here.
pub const CODE_ALIASES: [(&str, &str); 5] = [
    ("EWALLET_DANA", "DANA"),
    ("EWALLET_OVO", "OVO"),
    ("EWALLET_SHOPEEPAY", "SHOPEEPAY"),
    ("EWALLET_GOPAY", "GOPAY"),
    ("EWALLET_LINKAJA", "LINKAJA"),
];

/// The canonical spelling of a method code a client sent: Singapay's `EWALLET_*` aliases
/// (in any case) become the codes the catalogue lists; any other code is kept as sent.
pub fn canonical_code(code: &str) -> &str {
    CODE_ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(code))
        .map_or(code, |(_, canonical)| canonical)
}

/// Whether paying by the method with this code is pushed to the payer's phone (OVO): the
/// payer gives a phone number instead of being shown a number, a code or a checkout.
pub fn pushes_to_phone(code: &str) -> bool {
    code == "OVO"
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PaymentMethod {
    pub code: String,
    pub name: String,
    pub group: MethodGroup,
    pub description: String,
    pub min_amount: Rupiah,
    pub max_amount: Rupiah,
    pub fee_flat: Rupiah,
    /// Basis points, 70 = 0.7%.
    pub fee_percent_bps: i64,
    pub expiry_seconds: i64,
    pub active: bool,
}

impl PaymentMethod {
    pub fn pushes_to_phone(&self) -> bool {
        pushes_to_phone(&self.code)
    }

    pub fn accepts(&self, total: Rupiah) -> bool {
        self.active && self.min_amount <= total && total <= self.max_amount
    }

    /// flat + ceil(amount * bps / 10000). Rounded up because the provider never charges
    /// fractions of a rupiah in the merchant's favour. i128 keeps any i64 inputs from
    /// overflowing; the result saturates at the i64 range.
    pub fn fee_for(&self, amount: Rupiah) -> Rupiah {
        let product = i128::from(amount.0) * i128::from(self.fee_percent_bps);
        let percent_part = product.div_euclid(10_000) + i128::from(product.rem_euclid(10_000) != 0);
        let total = percent_part + i128::from(self.fee_flat.0);
        Rupiah(i64::try_from(total).unwrap_or(if total < 0 { i64::MIN } else { i64::MAX }))
    }
}

/// The methods a payer may choose for a link: allowed by its whitelist (`None`: all), active,
/// and with limits that include the total. Catalogue order is kept.
pub fn offered_methods<'a>(
    catalogue: &'a [PaymentMethod],
    whitelist: Option<&[String]>,
    total: Rupiah,
) -> Vec<&'a PaymentMethod> {
    offered_between(catalogue, whitelist, total, total)
}

/// Like [`offered_methods`] for a payer who chooses an amount between `low` and `high`: the
/// methods that accept at least one such amount.
pub fn offered_between<'a>(
    catalogue: &'a [PaymentMethod],
    whitelist: Option<&[String]>,
    low: Rupiah,
    high: Rupiah,
) -> Vec<&'a PaymentMethod> {
    catalogue
        .iter()
        .filter(|m| whitelist.is_none_or(|codes| codes.iter().any(|c| c == &m.code)))
        .filter(|m| m.active && m.min_amount <= high && low <= m.max_amount)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singapay_ewallet_codes_mean_ours() {
        assert_eq!(canonical_code("EWALLET_DANA"), "DANA");
        assert_eq!(canonical_code("ewallet_shopeepay"), "SHOPEEPAY");
        assert_eq!(canonical_code("VA_BRI"), "VA_BRI");
        assert_eq!(canonical_code("EWALLET_UNKNOWN"), "EWALLET_UNKNOWN");
    }

    #[test]
    fn offered_methods_respect_whitelist_and_limits() {
        let mut qris = method(0, 70);
        qris.max_amount = Rupiah(10_000_000);
        let mut va = method(4_000, 0);
        va.code = "VA_BRI".into();
        va.max_amount = Rupiah(100_000_000);
        let catalogue = vec![va, qris];
        let codes = |v: Vec<&PaymentMethod>| v.iter().map(|m| m.code.clone()).collect::<Vec<_>>();
        assert_eq!(
            codes(offered_methods(&catalogue, None, Rupiah(50_000))),
            ["VA_BRI", "QRIS"]
        );
        assert_eq!(
            codes(offered_methods(&catalogue, None, Rupiah(20_000_000))),
            ["VA_BRI"]
        );
        let only_qris = vec!["QRIS".to_string()];
        assert_eq!(
            codes(offered_methods(
                &catalogue,
                Some(&only_qris),
                Rupiah(50_000)
            )),
            ["QRIS"]
        );
        assert!(offered_methods(&catalogue, Some(&only_qris), Rupiah(20_000_000)).is_empty());
        // A payer's range overlapping QRIS's limits at one end still offers it.
        assert_eq!(
            codes(offered_between(
                &catalogue,
                None,
                Rupiah(10_000_000),
                Rupiah(50_000_000)
            )),
            ["VA_BRI", "QRIS"]
        );
        assert_eq!(
            codes(offered_between(
                &catalogue,
                None,
                Rupiah(10_000_001),
                Rupiah(50_000_000)
            )),
            ["VA_BRI"]
        );
    }

    fn method(flat: i64, bps: i64) -> PaymentMethod {
        PaymentMethod {
            code: "QRIS".into(),
            name: "QRIS".into(),
            group: MethodGroup::Qris,
            description: String::new(),
            min_amount: Rupiah(10_000),
            max_amount: Rupiah(10_000_000),
            fee_flat: Rupiah(flat),
            fee_percent_bps: bps,
            expiry_seconds: 900,
            active: true,
        }
    }

    #[test]
    fn group_strings_round_trip() {
        for g in MethodGroup::ALL {
            assert_eq!(MethodGroup::parse(g.as_str()), Ok(g));
            assert_eq!(
                serde_json::to_string(&g).unwrap(),
                format!("\"{}\"", g.as_str())
            );
        }
        assert_eq!(MethodGroup::Va.label_en(), "Virtual account");
        assert_eq!(MethodGroup::Qris.label_en(), "QRIS");
        assert_eq!(MethodGroup::Ewallet.label_en(), "E-wallet");
        assert_eq!(MethodGroup::Retail.label_en(), "Retail outlet");
        assert!(MethodGroup::parse("VA").is_err());
        assert!(MethodGroup::parse("").is_err());
    }

    #[test]
    fn accepts_checks_bounds_inclusive_and_active() {
        let mut m = method(0, 70);
        assert!(m.accepts(Rupiah(10_000)));
        assert!(m.accepts(Rupiah(10_000_000)));
        assert!(!m.accepts(Rupiah(9_999)));
        assert!(!m.accepts(Rupiah(10_000_001)));
        m.active = false;
        assert!(!m.accepts(Rupiah(50_000)));
    }

    #[test]
    fn fee_rounds_percentage_up() {
        // 0.7% of 150.000 is exactly 1.050.
        assert_eq!(method(0, 70).fee_for(Rupiah(150_000)), Rupiah(1_050));
        // 0.7% of 10.001 is 70.007 -> 71.
        assert_eq!(method(0, 70).fee_for(Rupiah(10_001)), Rupiah(71));
        // Flat only.
        assert_eq!(method(4_000, 0).fee_for(Rupiah(150_000)), Rupiah(4_000));
        // Flat + percentage.
        assert_eq!(method(1_000, 150).fee_for(Rupiah(99_999)), Rupiah(2_500));
        assert_eq!(method(0, 70).fee_for(Rupiah(0)), Rupiah(0));
    }

    #[test]
    fn fee_does_not_overflow() {
        assert_eq!(
            method(0, 10_000).fee_for(Rupiah(100_000_000)),
            Rupiah(100_000_000)
        );
        assert_eq!(
            method(i64::MAX, 10_000).fee_for(Rupiah(i64::MAX)),
            Rupiah(i64::MAX)
        );
        assert_eq!(
            method(i64::MIN, 10_000).fee_for(Rupiah(i64::MIN)),
            Rupiah(i64::MIN)
        );
        // Ceiling also holds for negative products (refund-style amounts).
        assert_eq!(method(0, 70).fee_for(Rupiah(-10_001)), Rupiah(-70));
    }
}
