//! The payments table's filter as the page's URL carries it, and its reading into a database
//! filter (shared by the table and the exports, so both always agree).

use leptos_router::params::ParamsMap;
use serde::{Deserialize, Serialize};

/// Every filter, sort and page parameter, as typed (all text, so a bad value can be shown
/// back with its error).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub method: String,
    /// The link's merchant reference.
    #[serde(default)]
    pub link: String,
    /// Reference, VA number, customer name, email or phone.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub created_from: String,
    #[serde(default)]
    pub created_to: String,
    #[serde(default)]
    pub paid_from: String,
    #[serde(default)]
    pub paid_to: String,
    #[serde(default)]
    pub settled_from: String,
    #[serde(default)]
    pub settled_to: String,
    #[serde(default)]
    pub amount_min: String,
    #[serde(default)]
    pub amount_max: String,
    /// "", "yes" or "no".
    #[serde(default)]
    pub settled: String,
    /// "created" (default), "paid" or "amount".
    #[serde(default)]
    pub sort: String,
    /// "desc" (default) or "asc".
    #[serde(default)]
    pub order: String,
    #[serde(default)]
    pub after: String,
    #[serde(default)]
    pub before: String,
}

impl PaymentsQuery {
    pub fn from_params(params: &ParamsMap) -> PaymentsQuery {
        let mut fields = serde_json::Map::new();
        if let serde_json::Value::Object(keys) = serde_json::json!(PaymentsQuery::default()) {
            for key in keys.keys() {
                if let Some(value) = params.get(key) {
                    fields.insert(key.clone(), value.trim().into());
                }
            }
        }
        serde_json::from_value(fields.into()).unwrap_or_default()
    }

    /// The filter without its page position: the first page of the same rows.
    pub fn first_page(&self) -> PaymentsQuery {
        PaymentsQuery {
            after: String::new(),
            before: String::new(),
            ..self.clone()
        }
    }

    /// True when any filter (not sort or page) is set.
    pub fn is_filtered(&self) -> bool {
        let bare = PaymentsQuery {
            sort: self.sort.clone(),
            order: self.order.clone(),
            ..PaymentsQuery::default()
        };
        self.first_page() != bare
    }

    /// `key=value&…` of the non-empty parameters.
    pub fn to_query_string(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        if let serde_json::Value::Object(fields) = serde_json::json!(self) {
            for (key, value) in fields {
                match value.as_str() {
                    Some(text) if !text.is_empty() => {
                        out.append_pair(&key, text);
                    }
                    _ => {}
                }
            }
        }
        out.finish()
    }
}

#[cfg(feature = "ssr")]
pub use filter::to_filter;

#[cfg(feature = "ssr")]
mod filter {
    use super::PaymentsQuery;
    use crate::db::histories::{HistoryFilter, HistorySort};
    use crate::db::payments::{Cursor, Position};
    use crate::domain::attempt::AttemptStatus;
    use crate::domain::time::{parse_date_wib, DAY_MS};
    use crate::domain::{FieldErrors, Rupiah};

    /// Reads the query into a database filter and page position, naming every bad field.
    pub fn to_filter(query: &PaymentsQuery) -> Result<(HistoryFilter, Position), FieldErrors> {
        let mut errors = FieldErrors::new();
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut date = |field: &str, value: &str, end_of_day: bool| {
            text(value).and_then(|v| {
                parse_date_wib(&v)
                    .map(|start| {
                        if end_of_day {
                            start + DAY_MS - 1
                        } else {
                            start
                        }
                    })
                    .map_err(|e| errors.add(field, e))
                    .ok()
            })
        };
        let created_at = (
            date("created_from", &query.created_from, false),
            date("created_to", &query.created_to, true),
        );
        let payment_date = (
            date("paid_from", &query.paid_from, false),
            date("paid_to", &query.paid_to, true),
        );
        let settle_at = (
            date("settled_from", &query.settled_from, false),
            date("settled_to", &query.settled_to, true),
        );
        let mut amount = |field: &str, value: &str| {
            text(value).and_then(|v| {
                Rupiah::parse(&v)
                    .map(Rupiah::value)
                    .map_err(|e| errors.add(field, e))
                    .ok()
            })
        };
        let amount_min = amount("amount_min", &query.amount_min);
        let amount_max = amount("amount_max", &query.amount_max);
        if let (Some(min), Some(max)) = (amount_min, amount_max) {
            if min > max {
                errors.add("amount_max", "The maximum is below the minimum.");
            }
        }
        let status = text(&query.status).and_then(|s| {
            AttemptStatus::parse(&s)
                .map_err(|e| errors.add("status", e))
                .ok()
        });
        let has_settle = match query.settled.as_str() {
            "" => None,
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                errors.add("settled", "Choose settled or not settled.");
                None
            }
        };
        let sort = match query.sort.as_str() {
            "" | "created" => HistorySort::CreatedAt,
            "paid" => HistorySort::PaymentDate,
            "amount" => HistorySort::Amount,
            _ => {
                errors.add("sort", "Sort by created, paid or amount.");
                HistorySort::CreatedAt
            }
        };
        let descending = match query.order.as_str() {
            "" | "desc" => true,
            "asc" => false,
            _ => {
                errors.add("order", "Order is asc or desc.");
                true
            }
        };
        let position = match (text(&query.after), text(&query.before)) {
            (Some(after), _) => Cursor::parse(&after).map(Position::After),
            (None, Some(before)) => Cursor::parse(&before).map(Position::Before),
            (None, None) => Some(Position::First),
        }
        .unwrap_or_else(|| {
            errors.add(
                "after",
                "This page link is damaged; start from the first page.",
            );
            Position::First
        });
        let filter = HistoryFilter {
            status,
            method_code: text(&query.method)
                .map(|code| crate::domain::method::canonical_code(&code).to_string()),
            link_reff_no: text(&query.link),
            search: text(&query.q),
            amount_min,
            amount_max,
            has_settle,
            created_at,
            payment_date,
            settle_at,
            sort,
            descending,
            ..HistoryFilter::default()
        };
        errors.into_result((filter, position))
    }
}
