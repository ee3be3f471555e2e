//! The payments table's filter as the page's URL carries it (shared by the table and the
//! exports, so both always agree; `db::payments::to_filter` reads it into a database filter).

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
    /// The query from URL parameters, `get` giving each one's value.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> PaymentsQuery {
        let mut fields = serde_json::Map::new();
        if let serde_json::Value::Object(keys) = serde_json::json!(PaymentsQuery::default()) {
            for key in keys.keys() {
                if let Some(value) = get(key) {
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
