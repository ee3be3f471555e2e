//! What goes over the wire: the API's answer objects, the webhook bodies and the Singapay
//! contract's shapes. Built from domain and model types only, so the database layer can write
//! an event body in the transaction of its change without knowing the API.

pub mod events;
pub mod history;
pub mod link;
pub mod method_code;
pub mod refund;

use serde_json::{Map, Value};

/// `value` with object keys sorted at every depth, encoded compactly. serde_json escapes
/// neither slashes nor non-ASCII text, as the contract's PHP encoder is told not to.
pub fn normalized_body(value: &Value) -> String {
    sorted(value).to_string()
}

fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for key in keys {
                out.insert(key.clone(), sorted(&map[key]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}
