use serde_json::json;

use super::*;

async fn body_json(response: Response) -> Value {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await;
    serde_json::from_slice(&bytes.unwrap()).unwrap()
}

#[tokio::test]
async fn ok_wraps_data() {
    let response = ok(json!({"id": 1}));
    assert_eq!(response.status(), StatusCode::OK);
    let expected = json!({"status": 200, "success": true, "data": {"id": 1}});
    assert_eq!(body_json(response).await, expected);
}

#[tokio::test]
async fn ok_page_adds_camel_case_pagination() {
    let p = Pagination::new(47, 25, 1, 25, "https://x.id/api/links");
    let body = body_json(ok_page(vec![1, 2], p)).await;
    assert_eq!(body["data"], json!([1, 2]));
    let links = json!({"next": "https://x.id/api/links?page=2&per_page=25"});
    let expected = json!({"total": 47, "count": 25, "perPage": 25, "currentPage": 1,
                          "totalPages": 2, "links": links});
    assert_eq!(body["pagination"], expected);
}

#[test]
fn pagination_edges() {
    let empty = Pagination::new(0, 0, 1, 25, "/l");
    assert_eq!((empty.total_pages, &empty.links.next), (1, &None));
    let last = Pagination::new(50, 25, 2, 25, "/l?status=open");
    assert_eq!((last.total_pages, &last.links.next), (2, &None));
    let previous = last.links.previous.as_deref();
    assert_eq!(previous, Some("/l?status=open&page=1&per_page=25"));
    let beyond = Pagination::new(50, 0, 9, 25, "/l");
    assert_eq!(beyond.links.next, None);
    let previous = beyond.links.previous.as_deref();
    assert_eq!(previous, Some("/l?page=2&per_page=25"));
    assert_eq!(Pagination::new(5, 5, 1, 0, "/l").per_page, 1);
}

#[tokio::test]
async fn validation_is_422_with_field_lists() {
    let mut errors = FieldErrors::single("title", "Title is required.");
    errors.add("items.0.quantity", "Quantity is required.");
    let response = ApiError::from(errors).into_response();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let expected = json!({"status": 422, "success": false, "error": {
        "code": "SP018", "message": VALIDATION_MESSAGE,
        "errors": {"title": ["Title is required."], "items.0.quantity": ["Quantity is required."]},
    }});
    assert_eq!(body_json(response).await, expected);
}

#[tokio::test]
async fn duplicate_reff_is_409_conflict() {
    let message = "This reference is already used by another link.";
    let response = ApiError::new(AppError::duplicate("reff_no", message)).into_response();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let expected = json!({"status": 409, "success": false, "error": {"code": "SP004",
        "message": message, "errors": {"reff_no": [message]}}});
    assert_eq!(body_json(response).await, expected);
    // A malformed reff_no is a plain 422.
    let malformed = AppError::field("reff_no", "Reference must be 1–40 characters.");
    assert_eq!(ApiError::new(malformed).into_response().status(), 422);
}

#[tokio::test]
async fn rate_limited_sets_retry_after() {
    let response = ApiError::rate_limited(30).into_response();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()[header::RETRY_AFTER], "30");
    let expected = json!({"status": 429, "success": false, "error": {"code": "SP019",
        "message": "Too many requests. Try again in 30 seconds."}});
    assert_eq!(body_json(response).await, expected);
}

#[tokio::test]
async fn other_codes_and_safe_messages() {
    let cases = [
        (AppError::Unauthorized, 401, "SP013"),
        (AppError::Forbidden, 403, "SP015"),
        (AppError::NotFound, 404, "SP014"),
        (AppError::Conflict("Busy.".into()), 409, "SP002"),
        (AppError::Internal, 500, "SP019"),
        (AppError::config("secret DSN"), 500, "SP019"),
    ];
    for (error, status, code) in cases {
        let response = ApiError::new(error).into_response();
        assert_eq!(response.status(), status);
        let body = body_json(response).await;
        assert_eq!(
            (&body["status"], &body["error"]["code"]),
            (&json!(status), &json!(code))
        );
        assert!(!body["error"]["message"].to_string().contains("secret"));
    }
    let r = ApiError::new(AppError::Unauthorized).into_response();
    assert_eq!(r.headers()[header::WWW_AUTHENTICATE], "Bearer");
    let r = ApiError::new(AppError::Forbidden).with_message("Has history.");
    let body = body_json(r.into_response()).await;
    assert_eq!(body["error"]["message"], "Has history.");
}

#[tokio::test]
async fn unreadable_json_is_400_in_the_envelope() {
    let request = Request::builder().header(header::CONTENT_TYPE, "application/json");
    let request = request.body("{\"a\":".into()).unwrap();
    let error = ApiJson::<Value>::from_request(request, &()).await.err();
    let body = body_json(error.unwrap().into_response()).await;
    assert_eq!(
        (&body["status"], &body["success"]),
        (&json!(400), &json!(false))
    );
    assert_eq!(body["error"]["code"], "SP012");
}

#[test]
fn lenient_readers() {
    let whole = [
        (json!(3), 3),
        (json!("3"), 3),
        (json!(3.0), 3),
        (json!(" -3 "), -3),
    ];
    for (input, n) in whole {
        assert_eq!(whole_number(&input, "Quantity"), Ok(n));
    }
    assert_eq!(whole_number(&json!(u64::MAX), "Quantity"), Ok(i64::MAX));
    for bad in [json!(1.5), json!("1.000"), json!("1e3"), json!(true)] {
        let e = whole_number(&bad, "Quantity").unwrap_err();
        assert_eq!(e, "Quantity must be a whole number, e.g. 150000.");
    }
    for missing in [None, Some(json!(null)), Some(json!(" "))] {
        let e = required_number(missing.as_ref(), "Quantity");
        assert_eq!(e, Err("Quantity is required.".into()));
    }
    let flags = [(json!(true), true), (json!(0), false), (json!("1"), true)];
    for (input, flag) in flags {
        assert_eq!(boolean(&input, "Flag"), Ok(flag));
    }
    assert_eq!(
        boolean(&json!(2), "Flag"),
        Err("Flag must be true or false.".into())
    );
}
