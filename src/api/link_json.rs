//! The payment-link object of the API (reference §3.1) and the create/update request bodies.
//! Bodies are read leniently (numbers as JSON numbers or digit strings, PHP's `[]` for an empty
//! object) because existing Singapay clients send both; the rules are the domain's, so the API
//! and the dashboard cannot disagree.

use ::time::format_description::well_known::{Iso8601, Rfc3339};
use ::time::OffsetDateTime;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::api::envelope::{
    boolean, build, field, integral, present, required_number, whole_number,
};
use crate::domain::items::{total_of, validate_items, LineItem};
use crate::domain::link::{
    check_max_usage, check_metadata, check_stock, parse_description, parse_methods,
    parse_redirect_url, parse_title, CustomField, LinkSettings, LinkStatus, MethodRules,
    NewPaymentLink, OpenAmount,
};
use crate::domain::reff::ReffNo;
use crate::domain::time::parse_datetime_local_wib;
use crate::domain::{FieldErrors, Rupiah};
use crate::model::PaymentLink;

const EXPIRED_AT_FORMAT: &str = "expired_at must be 13-digit epoch milliseconds or an ISO-8601 \
     date-time such as 2026-12-31T23:59:00+07:00.";

/// `expired_at` as 13-digit epoch milliseconds (number or string: v1) or an ISO-8601 / RFC 3339
/// date-time (v2); without an offset it is WIB, the contract's implied zone. null, absent and ""
/// mean no expiry. Whether it lies in the future is the caller's rule.
pub fn parse_expired_at(value: &Value) -> Result<Option<i64>, String> {
    let err = || EXPIRED_AT_FORMAT.to_string();
    let ms = match value {
        Value::Null => return Ok(None),
        Value::Number(n) => n.as_i64().or_else(|| integral(n.as_f64()?)),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) if s.trim().bytes().all(|b| b.is_ascii_digit()) => s.trim().parse().ok(),
        Value::String(s) => return parse_iso(s.trim()).map(Some).ok_or_else(err),
        _ => None,
    };
    match ms.ok_or_else(err)? {
        ms @ 1_000_000_000_000..=9_999_999_999_999 => Ok(Some(ms)),
        // The classic mistake is Unix seconds; say so rather than give a format error.
        1_000_000_000..=9_999_999_999 => {
            Err("expired_at must be in milliseconds (13 digits), not seconds.".to_string())
        }
        _ => Err(err()),
    }
}

fn parse_iso(s: &str) -> Option<i64> {
    let with_offset =
        OffsetDateTime::parse(s, &Rfc3339).or_else(|_| OffsetDateTime::parse(s, &Iso8601::DEFAULT));
    if let Ok(dt) = with_offset {
        return i64::try_from(dt.unix_timestamp_nanos().div_euclid(1_000_000)).ok();
    }
    // The WIB parser takes whole seconds only; drop a fraction rather than reject it.
    let wall = match s.split_once('.') {
        Some((head, frac)) if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => s,
    };
    parse_datetime_local_wib(wall).ok()
}

/// PHP encodes an empty associative array as `[]`, so that counts as an empty object.
fn metadata(value: &Option<Value>) -> Result<Map<String, Value>, String> {
    match value {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Array(a)) if a.is_empty() => Ok(Map::new()),
        Some(Value::Object(m)) => check_metadata(m).map(|()| m.clone()),
        Some(_) => Err("Metadata must be a JSON object.".to_string()),
    }
}

/// A new expiry must lie in the future. Re-sending the stored one, as read-modify-write
/// clients do, is no change even once it has passed (compared in whole seconds: our ISO output).
fn expiry(value: &Option<Value>, stored: Option<i64>, now_ms: i64) -> Result<Option<i64>, String> {
    match (value.as_ref().map_or(Ok(None), parse_expired_at)?, stored) {
        (Some(new), Some(old)) if new.div_euclid(1000) == old.div_euclid(1000) => Ok(stored),
        (Some(new), _) if new <= now_ms => Err("expired_at must be in the future.".to_string()),
        (at, _) => Ok(at),
    }
}

fn text(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

/// POST body of create (v1.0 and v2.0). Unknown keys are ignored, as Singapay does.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CreateLinkBody {
    #[serde(default)]
    pub reff_no: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub total_amount: Option<Value>,
    #[serde(default)]
    pub items: Option<Vec<ItemBody>>,
    /// v2.0: `total` (the amount alone; items are not read) or `items` (the total is their
    /// sum). Left out, it is `items` when items are sent and `total` otherwise.
    #[serde(default)]
    pub payment_link_type: Option<String>,
    /// Our extension: the payer chooses the amount (`minimum`, optional `maximum`, up to four
    /// `suggested_amounts`); such a link has no items and its `total_amount` is the minimum.
    #[serde(default)]
    pub open_amount: Option<Value>,
    /// Our extension: units the link sells in all (e.g. seats), over every payment.
    #[serde(default)]
    pub stock: Option<Value>,
    /// Our extension: up to three questions for the payer.
    #[serde(default)]
    pub custom_fields: Option<Value>,
    /// The fields a link can change later, read exactly as a v1.0 update reads them.
    #[serde(flatten)]
    pub settings: UpdateLinkBody,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ItemBody {
    pub name: Option<String>,
    pub quantity: Option<Value>,
    pub unit_price: Option<Value>,
    /// Our extension: the payer chooses the quantity, 1 to this.
    pub max_quantity: Option<Value>,
}

/// Items and their total. Rows whose numbers do not parse still go through `validate_items`
/// (with harmless placeholders) so each row's other problems show too; the first error wins.
fn parse_items(rows: &[ItemBody], errors: &mut FieldErrors) -> Option<(Vec<LineItem>, Rupiah)> {
    let mut row_errors = FieldErrors::new();
    let mut items = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let mut number = |value: &Option<Value>, key: &str, label: &str, placeholder: i64| {
            required_number(value.as_ref(), label).unwrap_or_else(|e| {
                row_errors.add(format!("items.{i}.{key}"), e);
                placeholder
            })
        };
        let quantity = number(&row.quantity, "quantity", "Quantity", 1);
        let unit_price = Rupiah(number(&row.unit_price, "unit_price", "Unit price", 0));
        let max_quantity = match present(row.max_quantity.as_ref()) {
            None => None,
            Some(v) => whole_number(v, "Maximum quantity")
                .map_err(|e| row_errors.add(format!("items.{i}.max_quantity"), e))
                .ok(),
        };
        let name = text(&row.name).trim().to_string();
        items.push(LineItem {
            name,
            quantity,
            unit_price,
            max_quantity,
        });
    }
    if let Err(domain) = validate_items(&items) {
        // The domain names rows "items[0].name"; the API contract says "items.0.name".
        for (f, message) in domain.iter() {
            row_errors.add(f.replace('[', ".").replace(']', ""), message);
        }
    }
    // Placeholders must not reach the total, or their sum would add a bogus error.
    if !row_errors.is_empty() {
        errors.merge(row_errors);
        return None;
    }
    total_of(&items)
        .map(|t| (items, t))
        .map_err(|e| errors.merge(e))
        .ok()
}

/// The title of a v2 link created without one: what the payer page calls the payment.
pub const DEFAULT_TITLE: &str = "Pembayaran";

/// What a v2 create body describes (`payment_link_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkType {
    Total,
    Items,
}

impl CreateLinkBody {
    /// All field errors at once, named as in the contract. v1 requires reff_no, title,
    /// max_usage and items; `total_amount` may be left out (the items define it), but when
    /// sent it must equal their sum, as a checksum. v2 (`v2`) may leave reff_no out (one is
    /// generated), title out (`DEFAULT_TITLE`), max_usage out (1), and with
    /// `payment_link_type: total` sends the amount alone: the link gets one line, its title.
    pub fn parse(
        &self,
        rules: &MethodRules,
        now_ms: i64,
        v2: bool,
    ) -> Result<NewPaymentLink, FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let reff_no = match self.reff_no.as_deref().filter(|s| !s.is_empty()) {
            None if !v2 => field(e, "reff_no", Err("Reference is required.".into())),
            None => Some(None),
            Some(s) => field(e, "reff_no", ReffNo::parse(s).map(Some)),
        };
        let title = match text(&self.title).trim() {
            "" if v2 => Some(DEFAULT_TITLE.to_string()),
            given => field(e, "title", parse_title(given)),
        };
        let description = field(e, "description", parse_description(text(&self.description)));
        let link_type = match (v2, self.payment_link_type.as_deref().map(str::trim)) {
            (false, _) => LinkType::Items,
            (true, Some("total")) => LinkType::Total,
            (true, Some("items")) => LinkType::Items,
            (true, None | Some("")) if self.items.is_none() => LinkType::Total,
            (true, None | Some("")) => LinkType::Items,
            (true, Some(_)) => {
                e.add(
                    "payment_link_type",
                    "payment_link_type must be total or items.",
                );
                LinkType::Items
            }
        };
        let open_amount = present(self.open_amount.as_ref());
        let items = match (open_amount, link_type) {
            (Some(open), _) => self.open_line(open, e),
            (None, LinkType::Total) => one_line(self.total_amount.as_ref(), title.as_deref(), e)
                .map(|(items, total)| (items, total, None)),
            (None, LinkType::Items) => {
                let items = parse_items(self.items.as_deref().unwrap_or(&[]), e);
                if let Some(declared) = present(self.total_amount.as_ref()) {
                    let sum = items.as_ref().map(|(_, total)| total.value());
                    let checked = whole_number(declared, "Total amount").and_then(|d| match sum {
                        Some(s) if s != d => {
                            Err(format!("Total amount must equal the items' sum, {s}."))
                        }
                        _ => Ok(()),
                    });
                    field(e, "total_amount", checked);
                }
                items.map(|(items, total)| (items, total, None))
            }
        };
        let stock = match present(self.stock.as_ref()) {
            None => Some(None),
            Some(v) => field(
                e,
                "stock",
                whole_number(v, "Stock").and_then(check_stock).map(Some),
            ),
        };
        let custom_fields = custom_fields_of(self.custom_fields.as_ref(), e);
        let mut settings_body = self.settings.clone();
        if v2 && present(settings_body.max_usage.as_ref()).is_none() {
            settings_body.max_usage = Some(Value::from(1));
        }
        let settings = settings_body.parse_settings(None, false, rules, now_ms, e);
        build(errors, || {
            let (items, total_amount, open_amount) = items?;
            let s = settings?;
            Some(NewPaymentLink {
                reff_no: reff_no?,
                title: title?,
                description: description?,
                items,
                total_amount,
                open_amount,
                stock: stock?,
                custom_fields: custom_fields?,
                whitelisted_payment_method: s.whitelisted_payment_method,
                max_usage: s.max_usage,
                expired_at: s.expired_at,
                required_customer_detail: s.required_customer_detail,
                redirect_url: s.redirect_url,
                optional_metadata: s.optional_metadata,
            })
        })
    }
}

impl CreateLinkBody {
    /// An open-amount link: no items, its total the minimum. Items or a total sent with it
    /// are refused by name rather than ignored: the client meant something else.
    fn open_line(
        &self,
        open: &Value,
        e: &mut FieldErrors,
    ) -> Option<(Vec<LineItem>, Rupiah, Option<OpenAmount>)> {
        const CHOSEN: &str = "the payer of an open-amount link chooses the amount.";
        if present(self.total_amount.as_ref()).is_some() {
            e.add("total_amount", format!("Leave total_amount out: {CHOSEN}"));
        }
        if self.items.as_ref().is_some_and(|items| !items.is_empty()) {
            e.add("items", format!("Leave items out: {CHOSEN}"));
        }
        let open = open_amount_of(open, e)?;
        Some((Vec::new(), open.minimum, Some(open)))
    }
}

/// `custom_fields` as sent: a list of `{label, label_en, type, options, required}`, read by
/// the dashboard's rules; errors name `custom_fields.<i>.<part>`.
fn custom_fields_of(value: Option<&Value>, e: &mut FieldErrors) -> Option<Vec<CustomField>> {
    use crate::domain::link::custom_fields::{parse_fields, CustomFieldInput};
    let rows = match present(value) {
        None => return Some(Vec::new()),
        Some(Value::Array(rows)) => rows,
        Some(_) => {
            e.add(
                "custom_fields",
                "custom_fields must be a list of questions.",
            );
            return None;
        }
    };
    let text = |row: &Value, key: &str| match row.get(key) {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let inputs: Vec<CustomFieldInput> = rows
        .iter()
        .map(|row| CustomFieldInput {
            label: text(row, "label"),
            label_en: text(row, "label_en"),
            kind: text(row, "type"),
            options: match row.get("options") {
                Some(Value::Array(options)) => options
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|o| o.replace(',', " "))
                    .collect::<Vec<_>>()
                    .join(","),
                _ => String::new(),
            },
            required: (row.get("required") == Some(&Value::Bool(true))).then(|| "on".into()),
        })
        .collect();
    // A question sent without any label counts, rather than vanishing as a blank form row.
    if let Some(i) = inputs.iter().position(CustomFieldInput::is_blank) {
        e.add(format!("custom_fields.{i}.label"), "Question is required.");
        return None;
    }
    parse_fields(&inputs)
        .map_err(|errors| {
            for (f, message) in errors.iter() {
                e.add(f.replace('[', ".").replace(']', ""), message);
            }
        })
        .ok()
}

/// `open_amount` as sent: an object of whole-rupiah numbers.
fn open_amount_of(value: &Value, e: &mut FieldErrors) -> Option<OpenAmount> {
    use crate::domain::link::open_amount::{MAXIMUM, MINIMUM, SUGGESTED};
    let Value::Object(map) = value else {
        e.add(
            "open_amount",
            "open_amount must be an object: {\"minimum\": 10000, \"maximum\": …, \"suggested_amounts\": […]}.",
        );
        return None;
    };
    let minimum = field(
        e,
        MINIMUM,
        required_number(map.get("minimum"), "Minimum amount"),
    );
    let maximum = match present(map.get("maximum")) {
        None => Some(None),
        Some(v) => field(e, MAXIMUM, whole_number(v, "Maximum amount").map(Some)),
    };
    let suggested = match present(map.get("suggested_amounts")) {
        None => Ok(Vec::new()),
        Some(Value::Array(list)) => list
            .iter()
            .map(|v| whole_number(v, "Suggested amount").map(Rupiah))
            .collect(),
        Some(_) => Err("suggested_amounts must be a list of amounts.".to_string()),
    };
    let suggested = field(e, SUGGESTED, suggested);
    let (minimum, maximum, suggested) = (minimum?, maximum?, suggested?);
    OpenAmount::new(Rupiah(minimum), maximum.map(Rupiah), suggested)
        .map_err(|errors| e.merge(errors))
        .ok()
}

/// A `total` link's one line: its title, once, at the total.
fn one_line(
    total_amount: Option<&Value>,
    title: Option<&str>,
    e: &mut FieldErrors,
) -> Option<(Vec<LineItem>, Rupiah)> {
    let total = match present(total_amount) {
        None => field(
            e,
            "total_amount",
            Err("Total amount is required.".to_string()),
        ),
        Some(value) => field(e, "total_amount", whole_number(value, "Total amount")),
    }?;
    let items = vec![LineItem {
        max_quantity: None,
        name: title.unwrap_or(DEFAULT_TITLE).to_string(),
        quantity: 1,
        unit_price: Rupiah(total),
    }];
    match total_of(&items) {
        Ok(total) => Some((items, total)),
        Err(errors) => {
            e.merge(errors);
            None
        }
    }
}

/// Keeps an explicit `null` as `Some(Value::Null)`, apart from a missing key (`None`): a
/// partial update clears a field with null and leaves it alone when the key is missing.
fn keep_null<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// PUT body of update; also the mutable part of create. Values stay raw JSON so that absent,
/// null and mistyped can each get their own answer.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UpdateLinkBody {
    #[serde(default, deserialize_with = "keep_null")]
    pub status: Option<Value>,
    #[serde(default, deserialize_with = "keep_null")]
    pub max_usage: Option<Value>,
    #[serde(default, deserialize_with = "keep_null")]
    pub required_customer_detail: Option<Value>,
    #[serde(default, deserialize_with = "keep_null")]
    pub expired_at: Option<Value>,
    #[serde(default, deserialize_with = "keep_null")]
    pub whitelisted_payment_method: Option<Value>,
    #[serde(default, deserialize_with = "keep_null")]
    pub redirect_url: Option<Value>,
    #[serde(default, deserialize_with = "keep_null")]
    pub optional_metadata: Option<Value>,
    /// Fixed at creation: an update may repeat them but not change them (payers may have
    /// seen the link already). Read only by updates; on create the outer body takes them.
    #[serde(default)]
    pub reff_no: Option<Value>,
    #[serde(default)]
    pub title: Option<Value>,
    #[serde(default)]
    pub total_amount: Option<Value>,
    #[serde(default)]
    pub items: Option<Value>,
    #[serde(default)]
    pub open_amount: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkUpdate {
    pub status: LinkStatus,
    pub settings: LinkSettings,
}

/// The contract's update accepts "expired", but "expired" is never stored: it is derived from
/// expired_at and the clock. It asks to stop taking payments now, which closing does without
/// overwriting the expiry the same body may carry.
fn link_status(value: &Value) -> Result<LinkStatus, String> {
    let status = value.as_str().unwrap_or("").trim().to_ascii_lowercase();
    match status.as_str() {
        "open" => Ok(LinkStatus::Open),
        "closed" | "expired" => Ok(LinkStatus::Closed),
        _ => Err("Status must be open, closed or expired.".to_string()),
    }
}

/// Payments already made cannot be undone, so the cap may not drop below them.
fn max_usage_of(value: Option<&Value>, used: i64) -> Result<i64, String> {
    let max = required_number(value, "Max usage").and_then(check_max_usage)?;
    if max != crate::domain::link::UNLIMITED_USAGE && max < used {
        return Err(format!(
            "Max usage cannot be below the current usage ({used})."
        ));
    }
    Ok(max)
}

fn methods_of(value: &Option<Value>, rules: &MethodRules) -> Result<Option<Vec<String>>, String> {
    let codes = match value {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(list)) => list.iter().map(|c| c.as_str().map(String::from)).collect(),
        Some(_) => None,
    };
    let codes = codes.ok_or("Payment methods must be a list of method codes.")?;
    parse_methods(&codes, rules)
}

fn redirect_of(value: &Option<Value>) -> Result<Option<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => parse_redirect_url(s),
        Some(_) => Err("Redirect URL must be a string.".to_string()),
    }
}

impl UpdateLinkBody {
    /// `partial` = v2.0: a missing key keeps the stored value, null clears a nullable field.
    /// Otherwise v1.0 PUT: status and max_usage are required and every other mutable field is
    /// replaced (missing = null / false / empty, §4.4). `current` is the stored link.
    pub fn parse(
        &self,
        current: &PaymentLink,
        rules: &MethodRules,
        now_ms: i64,
        partial: bool,
    ) -> Result<LinkUpdate, FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        // In partial mode null reads as "not given" for the non-nullable fields.
        let status = match present(self.status.as_ref()) {
            None if partial => Some(current.status),
            None => field(e, "status", Err("Status is required.".to_string())),
            Some(v) => field(e, "status", link_status(v)),
        };
        let settings = self.parse_settings(Some(current), partial, rules, now_ms, e);
        self.check_unchanged(current, e);
        build(errors, || {
            Some(LinkUpdate {
                status: status?,
                settings: settings?,
            })
        })
    }

    /// Refuses, by field, a value of a fixed field that differs from the stored one, rather than
    /// ignoring it: a client that thinks it changed the total must hear that it did not.
    fn check_unchanged(&self, current: &PaymentLink, e: &mut FieldErrors) {
        const FIXED: &str =
            "cannot be changed after the link is created; create a new link instead.";
        let differs = |value: &Option<Value>, same: &dyn Fn(&Value) -> bool| {
            present(value.as_ref()).is_some_and(|v| !same(v))
        };
        if differs(&self.reff_no, &|v| {
            v.as_str() == Some(current.reff_no.as_str())
        }) {
            e.add("reff_no", format!("Reference {FIXED}"));
        }
        if differs(&self.title, &|v| {
            v.as_str().map(str::trim) == Some(current.title.as_str())
        }) {
            e.add("title", format!("Title {FIXED}"));
        }
        let total = current.total_amount.value();
        if differs(&self.total_amount, &|v| {
            whole_number(v, "Total amount").is_ok_and(|n| n == total)
        }) {
            e.add("total_amount", format!("Total amount {FIXED}"));
        }
        let same_items = |v: &Value| {
            let Ok(rows) = serde_json::from_value::<Vec<ItemBody>>(v.clone()) else {
                return false;
            };
            // An open-amount link has none, and a client may send back what it read.
            if rows.is_empty() && current.items.is_empty() {
                return true;
            }
            parse_items(&rows, &mut FieldErrors::new())
                .is_some_and(|(items, _)| items == current.items)
        };
        if differs(&self.items, &same_items) {
            e.add("items", format!("Items {FIXED}"));
        }
        let same_open = |v: &Value| {
            open_amount_of(v, &mut FieldErrors::new()).as_ref() == current.open_amount.as_ref()
        };
        if differs(&self.open_amount, &same_open) {
            e.add("open_amount", format!("The open amount {FIXED}"));
        }
    }

    /// The mutable settings. `current` is the stored link (none on create); in `partial` mode
    /// its values stand in for missing keys.
    fn parse_settings(
        &self,
        current: Option<&PaymentLink>,
        partial: bool,
        rules: &MethodRules,
        now_ms: i64,
        e: &mut FieldErrors,
    ) -> Option<LinkSettings> {
        let keep = current.filter(|_| partial);
        let used = current.map_or(0, |c| c.current_usage);
        let stored_expiry = current.and_then(|c| c.expired_at);
        let max_usage = match (present(self.max_usage.as_ref()), keep) {
            (None, Some(k)) => Some(k.max_usage),
            (v, _) => field(e, "max_usage", max_usage_of(v, used)),
        };
        let required_customer_detail = match present(self.required_customer_detail.as_ref()) {
            None => Some(keep.is_some_and(|k| k.required_customer_detail)),
            Some(v) => {
                let flag = boolean(v, "Required customer detail");
                field(e, "required_customer_detail", flag)
            }
        };
        let expired_at = match (&self.expired_at, keep) {
            (None, Some(k)) => Some(k.expired_at),
            (v, _) => field(e, "expired_at", expiry(v, stored_expiry, now_ms)),
        };
        let methods = match (&self.whitelisted_payment_method, keep) {
            (None, Some(k)) => Some(k.whitelisted_payment_method.clone()),
            (v, _) => field(e, "whitelisted_payment_method", methods_of(v, rules)),
        };
        let redirect_url = match (&self.redirect_url, keep) {
            (None, Some(k)) => Some(k.redirect_url.clone()),
            (v, _) => field(e, "redirect_url", redirect_of(v)),
        };
        let metadata = match (&self.optional_metadata, keep) {
            (None, Some(k)) => Some(k.optional_metadata.clone()),
            (v, _) => field(e, "optional_metadata", metadata(v)),
        };
        Some(LinkSettings {
            whitelisted_payment_method: methods?,
            max_usage: max_usage?,
            expired_at: expired_at?,
            required_customer_detail: required_customer_detail?,
            redirect_url: redirect_url?,
            optional_metadata: metadata?,
        })
    }
}

#[cfg(test)]
mod tests;
