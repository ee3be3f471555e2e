//! The OpenAPI description of the contract. Answers are described by the types that serialise
//! them (`LinkJson`, `HistoryJson`, `Pagination`, `SpCode`) wrapped in the two envelopes;
//! request bodies are read leniently (`link_json`: digit strings for numbers, PHP's `[]` for
//! an empty object), so their schemas here say what a client should send, and a test sends
//! the create and update examples to the server as they stand (`tests/app/openapi.rs`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::api::envelope::{Pagination, SpCode};
use crate::domain::method::MethodGroup;
use crate::wire::history::HistoryJson;
use crate::wire::link::LinkJson;
use crate::wire::method_code::{MethodCode, MethodCodeInput};

/// `expired_at` as a request may send it.
pub struct ExpiredAtInput;

impl PartialSchema for ExpiredAtInput {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Int64,
                    )))
                    .description(Some("Epoch milliseconds (13 digits)"))
                    .examples([json!(1_798_736_340_000_i64)]),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some(
                        "ISO-8601 date-time; without an offset it is Jakarta time (WIB)",
                    ))
                    .examples([json!("2026-12-31T23:59:00+07:00")]),
            )
            .description(Some(
                "When the link stops taking payments; in the future. null or absent: never.",
            ))
            .into()
    }
}

impl ToSchema for ExpiredAtInput {}

/// One line of a link: what the payer buys.
#[derive(ToSchema)]
#[schema(example = json!({"name": "Kaos polos", "quantity": 2, "unit_price": 75000}))]
pub struct ItemInput {
    #[schema(min_length = 1, max_length = 255)]
    pub name: String,
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub quantity: i64,
    /// Rupiah; a negative price is a discount line.
    #[schema(minimum = -100_000_000, maximum = 100_000_000)]
    pub unit_price: i64,
    /// Our extension: the payer chooses the quantity, from 1 to this (at least `quantity`,
    /// which the page offers first); only on a line with a positive price.
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub max_quantity: Option<i64>,
}

/// v1.0 create. Every link has items; `total_amount`, when sent, must equal their sum.
#[derive(ToSchema)]
#[schema(example = json!({
    "reff_no": "INV-2026-001",
    "title": "Kaos polos",
    "max_usage": 1,
    "total_amount": 150000,
    "items": [{"name": "Kaos polos", "quantity": 2, "unit_price": 75000}],
    "whitelisted_payment_method": ["VA_BRI", "QRIS", "EWALLET_DANA"],
    "expired_at": "2026-12-31T23:59:00+07:00"
}))]
pub struct CreateLinkV1 {
    /// Your reference, unique per merchant: 1–40 characters, no spaces or '/'.
    #[schema(min_length = 1, max_length = 40, pattern = r"^[^\s/]+$")]
    pub reff_no: String,
    #[schema(min_length = 1, max_length = 255)]
    pub title: String,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Required, unless `open_amount` is sent.
    #[schema(min_items = 1, max_items = 100)]
    pub items: Option<Vec<ItemInput>>,
    /// Rupiah, 10,000 to 100,000,000; must equal the items' sum.
    #[schema(minimum = 10_000, maximum = 100_000_000)]
    pub total_amount: Option<i64>,
    pub open_amount: Option<OpenAmountInput>,
    /// Our extension: units the link sells in all (e.g. 100 seats); the quantities of its paid
    /// and pending payments together never exceed it. Fixed once created.
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub stock: Option<i64>,
    #[schema(max_items = 3)]
    pub custom_fields: Option<Vec<CustomFieldInput>>,
    /// How many payments the link takes; 0 = unlimited.
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub max_usage: i64,
    #[serde(flatten)]
    pub settings: LinkSettingsInput,
}

/// v2.0 create. `payment_link_type: total` sends the amount alone (the link gets one line,
/// its title); `items` sends lines and the server adds them up. Left out, it is `items` when
/// items are sent and `total` otherwise.
#[derive(ToSchema)]
#[schema(example = json!({"reff_no": "INV-1", "payment_link_type": "total", "total_amount": 150000}))]
pub struct CreateLinkV2 {
    /// Generated ("PL…") when absent; else as in v1.0.
    #[schema(min_length = 1, max_length = 40, pattern = r"^[^\s/]+$")]
    pub reff_no: Option<String>,
    pub payment_link_type: Option<LinkType>,
    /// "Pembayaran" when absent.
    #[schema(max_length = 255)]
    pub title: Option<String>,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Rupiah, 10,000 to 100,000,000. Required for `total`; for `items`, when sent, it must
    /// equal their sum.
    #[schema(minimum = 10_000, maximum = 100_000_000)]
    pub total_amount: Option<i64>,
    /// Required for `items`.
    #[schema(max_items = 100)]
    pub items: Option<Vec<ItemInput>>,
    pub open_amount: Option<OpenAmountInput>,
    /// As in v1.0.
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub stock: Option<i64>,
    #[schema(max_items = 3)]
    pub custom_fields: Option<Vec<CustomFieldInput>>,
    /// How many payments the link takes; 0 = unlimited; 1 when absent.
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub max_usage: Option<i64>,
    #[serde(flatten)]
    pub settings: LinkSettingsInput,
}

/// Our extension: the payer chooses the amount (donations, contributions). Sent, the link
/// has no items and `total_amount` and `items` must be left out; the link's `total_amount` is
/// then the minimum, and each payment's `amount` is what its payer chose. Fixed once created.
#[derive(ToSchema)]
#[schema(example = json!({"minimum": 10000, "maximum": 5000000, "suggested_amounts": [50000, 100000, 250000]}))]
pub struct OpenAmountInput {
    /// Rupiah.
    #[schema(minimum = 10_000, maximum = 100_000_000)]
    pub minimum: i64,
    /// Rupiah, not below the minimum; absent or null: up to 100,000,000.
    #[schema(minimum = 10_000, maximum = 100_000_000)]
    pub maximum: Option<i64>,
    /// Amounts the payer page offers to pick, within the bounds.
    #[schema(max_items = 4)]
    pub suggested_amounts: Option<Vec<i64>>,
}

/// Our extension: a question the payer page asks (at most three per link). Answers are
/// checked (required, a number, one of the options) and kept on each payment, in the API's
/// histories, webhooks and exports. Fixed once created.
#[derive(ToSchema)]
#[schema(example = json!({"label": "Ukuran kaos", "label_en": "T-shirt size", "type": "choice", "options": ["S", "M", "L"], "required": true}))]
pub struct CustomFieldInput {
    /// Indonesian.
    #[schema(min_length = 1, max_length = 80)]
    pub label: String,
    /// For payers reading English; the Indonesian label when absent.
    #[schema(max_length = 80)]
    pub label_en: Option<String>,
    /// text when absent.
    #[serde(rename = "type")]
    pub kind: Option<crate::domain::link::custom_fields::FieldKind>,
    /// A choice's options: 2 to 20, each at most 80 characters.
    #[schema(max_items = 20)]
    pub options: Option<Vec<String>>,
    pub required: Option<bool>,
}

/// What a v2 create body describes.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LinkType {
    Total,
    Items,
}

/// The settings a link can change after it is created.
#[derive(ToSchema)]
pub struct LinkSettingsInput {
    #[schema(value_type = Option<ExpiredAtInput>)]
    pub expired_at: Option<String>,
    /// Ask the payer's name, email and phone before paying.
    pub required_customer_detail: Option<bool>,
    /// The methods payers may use; absent, null or [] = every active method.
    #[schema(value_type = Option<Vec<MethodCodeInput>>)]
    pub whitelisted_payment_method: Option<Vec<String>>,
    /// Where the payer goes after paying: an https URL.
    #[schema(max_length = 2048)]
    pub redirect_url: Option<String>,
    /// Your own key/value data, kept and answered back; at most 16 KB.
    #[schema(value_type = Option<Object>)]
    pub optional_metadata: Option<BTreeMap<String, serde_json::Value>>,
}

/// The status an update may set: "expired" closes the link now.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusInput {
    Open,
    Closed,
    Expired,
}

/// v1.0 update: replaces every setting (those left out become null, false or empty).
/// `reff_no`, `title`, `total_amount` and `items` are fixed: repeating the stored value is
/// accepted, another value is refused with 422 naming the field.
#[derive(ToSchema)]
#[schema(example = json!({"status": "open", "max_usage": 10, "whitelisted_payment_method": ["QRIS"]}))]
pub struct UpdateLinkV1 {
    pub status: StatusInput,
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub max_usage: i64,
    #[serde(flatten)]
    pub settings: LinkSettingsInput,
    #[serde(flatten)]
    pub fixed: FixedFieldsInput,
}

/// v2.0 update: changes only the fields sent; null clears a setting.
#[derive(ToSchema)]
#[schema(example = json!({"max_usage": 0}))]
pub struct UpdateLinkV2 {
    pub status: Option<StatusInput>,
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub max_usage: Option<i64>,
    #[serde(flatten)]
    pub settings: LinkSettingsInput,
    #[serde(flatten)]
    pub fixed: FixedFieldsInput,
}

/// Fields fixed at creation: an update may repeat them, never change them.
#[derive(ToSchema)]
pub struct FixedFieldsInput {
    pub reff_no: Option<String>,
    pub title: Option<String>,
    pub total_amount: Option<i64>,
    pub items: Option<Vec<ItemInput>>,
    pub open_amount: Option<OpenAmountInput>,
}

/// The v1.1 token request body (the signature is in the headers).
#[derive(ToSchema)]
#[schema(example = json!({"grantType": "client_credentials"}))]
pub struct TokenRequest {
    #[serde(rename = "grantType")]
    pub grant_type: Option<String>,
}

/// An issued access token.
#[derive(Serialize, ToSchema)]
pub struct TokenJson {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds, as a string (the contract's examples do so).
    #[schema(example = "3600")]
    pub expires_in: String,
}

/// One method of the catalogue.
#[derive(Serialize, ToSchema)]
pub struct PaymentMethodJson {
    #[schema(value_type = MethodCode)]
    pub code: String,
    pub name: String,
    pub group: MethodGroup,
    pub desc: String,
}

/// The catalogue, and which of its codes links may use now.
#[derive(Serialize, ToSchema)]
pub struct PaymentMethodsJson {
    pub payment_methods: Vec<PaymentMethodJson>,
    #[schema(value_type = Vec<MethodCode>)]
    pub available_codes: Vec<String>,
}

/// What a deletion answers.
#[derive(Serialize, ToSchema)]
pub struct MessageJson {
    #[schema(example = "Payment Link deleted successfully")]
    pub message: &'static str,
}

/// v1 success envelopes, one per kind of data: `{status: 200, success: true, data}`.
macro_rules! v1_envelopes {
    ($($name:ident => $data:ty),* $(,)?) => {$(
        #[derive(ToSchema)]
        pub struct $name {
            #[schema(example = 200)]
            pub status: u16,
            #[schema(example = true)]
            pub success: bool,
            pub data: $data,
        }
    )*};
}

v1_envelopes! {
    TokenResponse => TokenJson,
    PaymentMethodsResponse => PaymentMethodsJson,
    LinkResponse => LinkJson,
    DeletedResponse => MessageJson,
    HistoryResponse => HistoryJson,
    RefundResponse => crate::wire::refund::RefundJson,
    RefundListResponse => Vec<crate::wire::refund::RefundJson>,
}

/// A page of links: the v1 envelope with the contract's camelCase `pagination`.
#[derive(ToSchema)]
pub struct LinkListResponse {
    #[schema(example = 200)]
    pub status: u16,
    pub success: bool,
    pub data: Vec<LinkJson>,
    pub pagination: Pagination,
}

/// A page of histories.
#[derive(ToSchema)]
pub struct HistoryListResponse {
    #[schema(example = 200)]
    pub status: u16,
    pub success: bool,
    pub data: Vec<HistoryJson>,
    pub pagination: Pagination,
}

/// The v2 success envelope: `{response_code: "SP000", response_message, data}`.
#[derive(ToSchema)]
pub struct LinkResponseV2 {
    pub response_code: SpCode,
    #[schema(example = "Success")]
    pub response_message: String,
    pub data: LinkJson,
}

/// A v1 error: the HTTP status again, `success: false`, and the error with its SP code.
#[derive(ToSchema)]
pub struct ErrorResponse {
    #[schema(example = 422)]
    pub status: u16,
    #[schema(example = false)]
    pub success: bool,
    pub error: ErrorJson,
}

#[derive(ToSchema)]
#[schema(example = json!({"code": "SP018", "message": "The given data was invalid.",
    "errors": {"items.0.quantity": ["Quantity is required."]}}))]
pub struct ErrorJson {
    pub code: SpCode,
    pub message: String,
    /// Field errors (422) or the taken field (409), by field name.
    pub errors: Option<BTreeMap<String, Vec<String>>>,
}

/// A v2 error: its SP code and message, with the field errors when there are some.
#[derive(ToSchema)]
pub struct ErrorResponseV2 {
    pub response_code: SpCode,
    pub response_message: String,
    pub errors: Option<BTreeMap<String, Vec<String>>>,
}
