//! A merchant's webhook endpoint for tests: records every request, fails each event a set
//! number of times, and checks the contract's signature (Singapay §7.3) on its own.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256, Sha512};

/// One request as the receiver saw it.
#[derive(Clone, Debug)]
pub struct Received {
    pub path_and_query: String,
    headers: HeaderMap,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn event_id(&self) -> &str {
        self.header("x-event-id")
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

#[derive(Default)]
struct ReceiverState {
    received: Vec<Received>,
    /// Answers each event gets before a 200, per event id.
    failures_left: HashMap<String, u32>,
}

/// A merchant's endpoint that fails each event `failures` times (HTTP 500), then answers 200.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    failures: Arc<Mutex<u32>>,
    state: Arc<Mutex<ReceiverState>>,
}

impl Receiver {
    pub async fn spawn(failures: u32) -> Receiver {
        let state = Arc::new(Mutex::new(ReceiverState::default()));
        let failures = Arc::new(Mutex::new(failures));
        let router = axum::Router::new()
            .fallback(receive)
            .with_state((state.clone(), failures.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/hooks/paylinks?source=test",
            listener.local_addr().unwrap()
        );
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Receiver {
            url,
            failures,
            state,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    pub fn set_failures(&self, failures: u32) {
        *self.failures.lock().unwrap() = failures;
        self.state.lock().unwrap().failures_left.clear();
    }
}

type Shared = (Arc<Mutex<ReceiverState>>, Arc<Mutex<u32>>);

async fn receive(
    State((state, failures)): State<Shared>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: String,
) -> (AxumStatus, &'static str) {
    let mut state = state.lock().unwrap();
    let event_id = headers
        .get("x-event-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    state.received.push(Received {
        path_and_query: uri.path_and_query().unwrap().to_string(),
        headers,
        body,
    });
    let failures = *failures.lock().unwrap();
    let left = state.failures_left.entry(event_id).or_insert(failures);
    if *left > 0 {
        *left -= 1;
        (AxumStatus::INTERNAL_SERVER_ERROR, "{\"status\":\"error\"}")
    } else {
        (AxumStatus::OK, "{\"status\":\"success\"}")
    }
}

/// The receiver's side of Singapay §7.3, written from the contract alone, as both public SDKs
/// check it: the TypeScript one hashes the parsed body with its keys sorted (and refuses any
/// number that is not an integer); the PHP one decodes it into arrays first, so an empty
/// object comes back as `[]`. A body verifies only when both agree with the signature.
pub fn signature_is_valid(received: &Received, client_secret: &str) -> bool {
    let body = received.json();
    let typescript = canonical(body.clone(), false);
    let php = canonical(body.clone(), true);
    !has_fraction(&body)
        && signed_with(received, client_secret, &typescript)
        && signed_with(received, client_secret, &php)
}

/// Keys sorted recursively, compact; `php` turns empty objects into empty arrays.
fn canonical(value: Value, php: bool) -> String {
    fn sorted(value: Value, php: bool) -> Value {
        match value {
            Value::Object(map) if php && map.is_empty() => Value::Array(Vec::new()),
            Value::Object(map) => {
                let sorted: BTreeMap<String, Value> =
                    map.into_iter().map(|(k, v)| (k, sorted(v, php))).collect();
                Value::Object(sorted.into_iter().collect())
            }
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| sorted(v, php)).collect())
            }
            other => other,
        }
    }
    serde_json::to_string(&sorted(value, php)).unwrap()
}

fn has_fraction(value: &Value) -> bool {
    match value {
        Value::Number(n) => !n.is_i64() && !n.is_u64(),
        Value::Object(map) => map.values().any(has_fraction),
        Value::Array(items) => items.iter().any(has_fraction),
        _ => false,
    }
}

fn signed_with(received: &Received, client_secret: &str, normalized: &str) -> bool {
    let body_hash = hex::encode(Sha256::digest(normalized.as_bytes()));
    let token = received
        .header("authorization")
        .strip_prefix("Bearer ")
        .unwrap_or_default();
    let string_to_sign = format!(
        "POST:{}:{}:{}:{}",
        received.path_and_query,
        token,
        body_hash,
        received.header("x-timestamp")
    );
    let mut mac = Hmac::<Sha512>::new_from_slice(client_secret.as_bytes()).unwrap();
    mac.update(string_to_sign.as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    !token.is_empty() && expected == received.header("x-signature")
}
