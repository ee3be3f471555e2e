//! A payment link as the API answers it (reference §3.1).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::items::LineItem;
use crate::domain::link::{ComputedStatus, LinkStatus};
use crate::domain::time::to_iso_wib;
use crate::model::{Account, PaymentLink};

/// A payment link as the API answers it. Times are ISO-8601 in Jakarta time (+07:00).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LinkJson {
    #[schema(example = 189)]
    pub id: i64,
    #[schema(example = "INV-2026-001")]
    pub reff_no: String,
    pub title: String,
    pub description: Option<String>,
    /// The page payers open.
    #[schema(example = "https://pay.example.com/pay/9hJ2kLm4Np6Qr8St0Vw2Xy")]
    pub payment_url: String,
    pub status: LinkStatus,
    pub status_computed: ComputedStatus,
    pub is_expired: bool,
    pub required_customer_detail: bool,
    /// 0 = unlimited.
    pub max_usage: i64,
    /// Payments made.
    pub current_usage: i64,
    #[schema(format = DateTime, example = "2026-12-31T23:59:00+07:00")]
    pub expired_at: Option<String>,
    /// Rupiah.
    #[schema(example = 150000)]
    pub total_amount: i64,
    pub items: Vec<ItemJson>,
    /// Our extension, present only on a link whose payer chooses the amount: such a link has
    /// no items, and its `total_amount` is the minimum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_amount: Option<OpenAmountJson>,
    /// Our extension, present only on a link with a stock: the units it sells in all and the
    /// units paid for so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<StockJson>,
    /// Our extension, present only on a link that asks its payers questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_fields: Vec<CustomFieldJson>,
    /// The codes the link's payers are offered now: its whitelist (all methods when it has
    /// none) among the active methods whose limits include the total (on an open-amount link:
    /// any amount it takes). Never null.
    #[schema(value_type = Vec<crate::wire::method_code::MethodCode>)]
    pub whitelisted_payment_method: Vec<String>,
    pub redirect_url: Option<String>,
    #[schema(value_type = Object)]
    pub optional_metadata: Map<String, Value>,
    /// Where the link was created: "dashboard", "api v1" or "api v2".
    pub source: String,
    /// On the contract's object but never explained there: null rather than a guess.
    #[schema(format = DateTime)]
    pub payment_date: Option<String>,
    #[schema(format = DateTime, example = "2026-12-01T09:30:00+07:00")]
    pub created_at: String,
    #[schema(format = DateTime, example = "2026-12-01T09:30:00+07:00")]
    pub updated_at: String,
    pub account: AccountJson,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemJson {
    pub name: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub subtotal: i64,
    /// Our extension, present only when the payer chooses the quantity (1 to this; `quantity`
    /// is what the page offers first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_quantity: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomFieldJson {
    /// Indonesian; what payments record the answer under.
    #[schema(example = "Ukuran kaos")]
    pub label: String,
    #[schema(example = "T-shirt size")]
    pub label_en: Option<String>,
    #[serde(rename = "type")]
    pub kind: crate::domain::link::custom_fields::FieldKind,
    /// A choice's options; empty for text and number.
    pub options: Vec<String>,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StockJson {
    #[schema(example = 100)]
    pub units: i64,
    #[schema(example = 12)]
    pub paid: i64,
}

/// Whole rupiah.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OpenAmountJson {
    #[schema(example = 10000)]
    pub minimum: i64,
    /// null: up to the largest total a link takes (Rp 100.000.000).
    #[schema(example = 5000000)]
    pub maximum: Option<i64>,
    /// At most four, ascending, within the bounds.
    #[schema(example = json!([50000, 100000, 250000]))]
    pub suggested_amounts: Vec<i64>,
}

/// Accounts hold no contact details; email and phone stay null because clients expect the keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountJson {
    pub id: String,
    pub name: String,
    pub status: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl LinkJson {
    pub fn new(
        link: &PaymentLink,
        account: &Account,
        payment_url: String,
        now_ms: i64,
        offered_methods: Vec<String>,
    ) -> Self {
        let item = |i: &LineItem| ItemJson {
            name: i.name.clone(),
            quantity: i.quantity,
            unit_price: i.unit_price.value(),
            // Stored items were validated, so this never saturates in practice.
            subtotal: i.unit_price.value().saturating_mul(i.quantity),
            max_quantity: i.max_quantity,
        };
        LinkJson {
            id: link.id.0,
            reff_no: link.reff_no.clone(),
            title: link.title.clone(),
            description: link.description.clone(),
            payment_url,
            status: link.status,
            status_computed: link.status_computed(now_ms),
            is_expired: link.is_expired(now_ms),
            required_customer_detail: link.required_customer_detail,
            max_usage: link.max_usage,
            current_usage: link.current_usage,
            expired_at: link.expired_at.map(to_iso_wib),
            total_amount: link.total_amount.value(),
            items: link.items.iter().map(item).collect(),
            open_amount: link.open_amount.as_ref().map(|open| OpenAmountJson {
                minimum: open.minimum.value(),
                maximum: open.maximum.map(|max| max.value()),
                suggested_amounts: open.suggested.iter().map(|a| a.value()).collect(),
            }),
            custom_fields: link
                .custom_fields
                .iter()
                .map(|field| CustomFieldJson {
                    label: field.label.clone(),
                    label_en: field.label_en.clone(),
                    kind: field.kind,
                    options: field.options.clone(),
                    required: field.required,
                })
                .collect(),
            stock: link.stock.map(|units| StockJson {
                units,
                paid: link.units_paid,
            }),
            whitelisted_payment_method: offered_methods,
            redirect_url: link.redirect_url.clone(),
            optional_metadata: link.optional_metadata.clone(),
            source: link.source.clone(),
            payment_date: None,
            created_at: to_iso_wib(link.created_at),
            updated_at: to_iso_wib(link.updated_at),
            account: AccountJson {
                id: account.id.0.clone(),
                name: account.name.clone(),
                status: account.status.as_str().to_string(),
                email: None,
                phone: None,
            },
        }
    }
}
