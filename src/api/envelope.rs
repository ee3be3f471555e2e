//! The API's JSON conventions. Out: the Singapay envelope, `{status, success, data}`, and the
//! same outer shape with an `error` object for failures (the contract leaves errors
//! undocumented; this is the shape third-party clients report, reference §1.1 and §8).
//! In: lenient readers for the loosely typed values Singapay's PHP clients send.

use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use leptos::prelude::ServerFnErrorErr;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::domain::FieldErrors;
use crate::error::AppError;

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    status: u16,
    success: bool,
    data: T,
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination: Option<&'a Pagination>,
}

/// Success: `{"status": 200, "success": true, "data": ...}`. The contract answers 200 even for
/// create, so there is no 201 variant.
pub fn ok<T: Serialize>(data: T) -> Response {
    Json(Envelope {
        status: 200,
        success: true,
        data,
        pagination: None,
    })
    .into_response()
}

/// Middleware on the v2.0 routes: they answer in Singapay's v2 envelope, `{response_code,
/// response_message, data}` (an error: its SP code and message, with `errors` for field
/// errors), which singapay-js and the Laravel SDK read by `response_code`. The handlers are
/// shared with v1, so their v1 answer is rewritten here, in one place.
pub async fn v2_envelope(request: Request, next: axum::middleware::Next) -> Response {
    let response = next.run(request).await;
    if !is_json(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::new(AppError::Internal).into_response();
    };
    let Ok(v1) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    let v2 = match (v1.get("success"), v1.get("error")) {
        (Some(Value::Bool(true)), _) => serde_json::json!({
            "response_code": SpCode::Success,
            "response_message": "Success",
            "data": v1.get("data").cloned().unwrap_or(Value::Null),
        }),
        (_, Some(error)) => {
            let mut v2 = serde_json::json!({
                "response_code": error.get("code").cloned().unwrap_or(Value::Null),
                "response_message": error.get("message").cloned().unwrap_or(Value::Null),
            });
            if let Some(errors) = error.get("errors") {
                v2["errors"] = errors.clone();
            }
            v2
        }
        _ => v1,
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(v2.to_string()))
}

/// A list with the camelCase `pagination` block, the only concrete shape the contract shows.
pub fn ok_page<T: Serialize>(data: Vec<T>, pagination: Pagination) -> Response {
    Json(Envelope {
        status: 200,
        success: true,
        data,
        pagination: Some(&pagination),
    })
    .into_response()
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub total: i64,
    pub count: i64,
    pub per_page: i64,
    pub current_page: i64,
    pub total_pages: i64,
    pub links: PaginationLinks,
}

/// Left out (not null) when there is no such page.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PaginationLinks {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub previous: Option<String>,
}

impl Pagination {
    /// `base_url` is the request URL without page/per_page (it may carry other query
    /// parameters); next/previous append `page` and `per_page`.
    pub fn new(total: i64, count: i64, page: i64, per_page: i64, base_url: &str) -> Pagination {
        let per_page = per_page.max(1);
        let page = page.max(1);
        // Like Laravel's lastPage: an empty list still has one (empty) page.
        let total_pages = (total.max(0).saturating_add(per_page - 1) / per_page).max(1);
        let sep = if !base_url.contains('?') {
            "?"
        } else if base_url.ends_with('?') || base_url.ends_with('&') {
            ""
        } else {
            "&"
        };
        let url = |p: i64| format!("{base_url}{sep}page={p}&per_page={per_page}");
        Pagination {
            total,
            count,
            per_page,
            current_page: page,
            total_pages,
            links: PaginationLinks {
                next: (page < total_pages).then(|| url(page + 1)),
                // A page past the end points back to the last real page, not to another empty one.
                previous: (page > 1).then(|| url((page - 1).min(total_pages))),
            },
        }
    }
}

/// An error answered in the envelope. Wraps the crate's one error type so handlers can `?`
/// domain and db results; adds what only HTTP needs (Retry-After, a message override).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub error: AppError,
    /// Seconds for the `Retry-After` header (429).
    pub retry_after: Option<u64>,
    /// Replaces the default message, e.g. when a 409 is answered as the contract's 403.
    pub message: Option<String>,
}

pub type ApiResult = Result<Response, ApiError>;

const VALIDATION_MESSAGE: &str = "The given data was invalid.";

impl ApiError {
    pub fn new(error: AppError) -> ApiError {
        ApiError {
            error,
            retry_after: None,
            message: None,
        }
    }

    pub fn rate_limited(retry_after_secs: u64) -> ApiError {
        let message = format!("Too many requests. Try again in {retry_after_secs} seconds.");
        ApiError::new(AppError::TooManyRequests(message)).with_retry_after(retry_after_secs)
    }

    /// Malformed requests (unreadable JSON, bad path or query values). `AppError` has no
    /// variant of its own for 400, so this borrows the server-function argument error.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError::new(AppError::ServerFn(ServerFnErrorErr::Args(message.clone())))
            .with_message(message)
    }

    pub fn with_message(mut self, message: impl Into<String>) -> ApiError {
        self.message = Some(message.into());
        self
    }

    pub fn with_retry_after(mut self, secs: u64) -> ApiError {
        self.retry_after = Some(secs);
        self
    }

    fn status(&self) -> StatusCode {
        self.error.status_code()
    }

    fn default_message(&self) -> String {
        match &self.error {
            // The one taken value says what is wrong better than a generic line.
            AppError::Duplicate(errors) => errors
                .iter()
                .next()
                .map_or(VALIDATION_MESSAGE, |(_, message)| message)
                .to_string(),
            AppError::Validation(_) => VALIDATION_MESSAGE.to_string(),
            // Config and framework errors carry internals; answer with the generic message.
            AppError::Config(_) => AppError::Internal.to_string(),
            AppError::ServerFn(_) if self.error.status() >= 500 => AppError::Internal.to_string(),
            other => other.to_string(),
        }
    }
}

/// Singapay's response codes (reference §8.2) this API answers, which its clients branch on.
/// Never SP001 or SP005: clients read those as "the outcome is unknown, inquire before
/// retrying", which no answer here means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub enum SpCode {
    /// The request succeeded (v2 envelope only).
    #[serde(rename = "SP000")]
    Success,
    /// A state that refuses the request, e.g. deleting a link with payments.
    #[serde(rename = "SP002")]
    GeneralFailure,
    /// The reference is taken.
    #[serde(rename = "SP004")]
    DuplicateReference,
    /// A malformed request or a body over the size cap.
    #[serde(rename = "SP012")]
    BadRequest,
    /// A bad or missing token or credential.
    #[serde(rename = "SP013")]
    Unauthorized,
    #[serde(rename = "SP014")]
    NotFound,
    #[serde(rename = "SP015")]
    Forbidden,
    /// Field errors, listed in `errors`.
    #[serde(rename = "SP018")]
    Validation,
    /// Anything else: rate limited, busy, a server error.
    #[serde(rename = "SP019")]
    GeneralError,
}

impl SpCode {
    /// The code for an error answered with `status`.
    fn of(error: &AppError, status: StatusCode) -> SpCode {
        match error {
            AppError::Duplicate(_) => SpCode::DuplicateReference,
            _ => SpCode::for_status(status),
        }
    }

    fn for_status(status: StatusCode) -> SpCode {
        match status.as_u16() {
            422 => SpCode::Validation,
            401 => SpCode::Unauthorized,
            403 => SpCode::Forbidden,
            404 => SpCode::NotFound,
            400 | 413 => SpCode::BadRequest,
            409 => SpCode::GeneralFailure,
            _ => SpCode::GeneralError,
        }
    }
}

/// The error envelope: `{status, success: false, error: {code, message, errors?}}`.
fn error_response(
    status: StatusCode,
    code: SpCode,
    message: String,
    errors: Option<&FieldErrors>,
) -> Response {
    let mut error = serde_json::json!({ "code": code, "message": message });
    if let Some(errors) = errors {
        error["errors"] = Value::Object(errors_map(errors));
    }
    let body = serde_json::json!({
        "status": status.as_u16(),
        "success": false,
        "error": error,
    });
    (status, Json(body)).into_response()
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Middleware on the API routes: an error axum answers in plain text before a handler runs
/// (a path parameter or query that does not parse, a method the path does not take) is
/// answered in the error envelope, like every other error.
pub async fn json_errors(request: Request, next: axum::middleware::Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
        .unwrap_or_default();
    let message = if text.is_empty() || status.is_server_error() {
        status.canonical_reason().unwrap_or("Error").to_string()
    } else {
        text
    };
    let mut answer = error_response(status, SpCode::for_status(status), message, None);
    // Keep what the rejection said beyond its body, e.g. Allow on a 405.
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            answer.headers_mut().insert(name.clone(), value.clone());
        }
    }
    answer
}

/// FieldErrors keep one message per field; the contract's map has a list per field.
fn errors_map(errors: &FieldErrors) -> serde_json::Map<String, Value> {
    errors
        .iter()
        .map(|(field, message)| (field.to_string(), serde_json::json!([message])))
        .collect()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = self.message.clone();
        let message = message.unwrap_or_else(|| self.default_message());
        let code = SpCode::of(&self.error, status);
        let errors = match &self.error {
            // Kept on the 409 for a taken value too, so clients can point at the field.
            AppError::Validation(errors) | AppError::Duplicate(errors) => Some(errors),
            _ => None,
        };
        let mut response = error_response(status, code, message, errors);
        let headers = response.headers_mut();
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            // RFC 6750 §3: a bearer-protected resource names its scheme on 401.
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError::new(error)
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::new(AppError::Validation(errors))
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::new(error.into())
    }
}

// Reading request bodies.

/// `Json<T>` whose rejections (bad syntax, wrong types, no JSON content type) answer in the
/// error envelope, like every other API error, instead of axum's plain text.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError::bad_request(rejection.body_text())),
        }
    }
}

/// `as` saturates beyond i64; the range checks then reject the value with their own message.
pub(crate) fn integral(f: f64) -> Option<i64> {
    (f.is_finite() && f.fract() == 0.0).then_some(f as i64)
}

/// null and "" count as absent, as in the Laravel stack behind Singapay.
pub(crate) fn present(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
}

/// A whole number from a JSON number (150000 or 150000.0) or a digit string ("150000").
/// Strings with dots are refused: "150.000" means 150 thousand in Indonesia, 150 elsewhere.
/// Out-of-range values saturate so the domain check reports its own range message.
pub(crate) fn whole_number(value: &Value, label: &str) -> Result<i64, String> {
    let not_whole = || format!("{label} must be a whole number, e.g. 150000.");
    match value {
        Value::Number(n) if n.as_u64().is_some() => Ok(n.as_i64().unwrap_or(i64::MAX)),
        Value::Number(n) => n
            .as_i64()
            .or_else(|| integral(n.as_f64()?))
            .ok_or_else(not_whole),
        Value::String(s) => {
            let s = s.trim();
            let digits = s.strip_prefix('-').unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(not_whole());
            }
            let negative = s.starts_with('-');
            Ok(s.parse()
                .unwrap_or(if negative { i64::MIN } else { i64::MAX }))
        }
        _ => Err(not_whole()),
    }
}

pub(crate) fn required_number(value: Option<&Value>, label: &str) -> Result<i64, String> {
    let missing = || Err(format!("{label} is required."));
    present(value).map_or_else(missing, |v| whole_number(v, label))
}

/// true/false, or the 1/0 and "1"/"0"/"true"/"false" that Laravel's boolean rule accepts.
pub(crate) fn boolean(value: &Value, label: &str) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_u64().is_some_and(|n| n <= 1) => Ok(n.as_u64() == Some(1)),
        Value::String(s) if matches!(s.trim(), "1" | "true") => Ok(true),
        Value::String(s) if matches!(s.trim(), "0" | "false") => Ok(false),
        _ => Err(format!("{label} must be true or false.")),
    }
}

/// Records a field's error and yields its value, so a body parser reads as a list of fields.
pub(crate) fn field<T>(errors: &mut FieldErrors, name: &str, r: Result<T, String>) -> Option<T> {
    r.map_err(|e| errors.add(name, e)).ok()
}

/// Every field that failed has recorded its error, so a missing part means `errors` is set.
pub(crate) fn build<T>(
    errors: FieldErrors,
    make: impl FnOnce() -> Option<T>,
) -> Result<T, FieldErrors> {
    match make() {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
