//! Exports: the payments table's filter written as CSV and XLSX in the background; both
//! files read back to exactly the filter's rows, and only their merchant can fetch them.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Reader, Xlsx};
use reqwest::StatusCode;

use crate::export_helpers::{download, export, seeded_merchant};

/// The rows of an export, by id, each as its columns' text.
type Rows = BTreeMap<String, Vec<String>>;

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Rows) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r: Vec<String> = r.unwrap().iter().map(String::from).collect();
            (r[0].clone(), r)
        })
        .collect();
    (header, rows)
}

fn xlsx_rows(bytes: Vec<u8>) -> (Vec<String>, Rows) {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    let mut lines = range.rows().map(|row| {
        row.iter()
            .map(|cell| match cell {
                calamine::Data::Float(f) => format!("{}", *f as i64),
                calamine::Data::Int(i) => i.to_string(),
                // A date-time cell holds the WIB wall clock as days since 1899-12-30: written
                // back as the CSV writes the moment.
                calamine::Data::DateTime(wall) => {
                    let wall_s = ((wall.as_f64() - 25_569.0) * 86_400.0).round() as i64;
                    paylinks::domain::time::to_iso_wib((wall_s - 7 * 3600) * 1000)
                }
                other => other.to_string(),
            })
            .collect::<Vec<String>>()
    });
    let header = lines.next().unwrap();
    let rows = lines.map(|r| (r[0].clone(), r)).collect();
    (header, rows)
}

#[tokio::test]
async fn csv_and_xlsx_hold_exactly_the_filtered_rows() {
    let app = crate::helpers::spawn_app().await;
    // More than two batches, so the writer pages by key across batch boundaries.
    let account = seeded_merchant(&app, 12_000).await;
    let filter = [("status", "paid"), ("link", "INV-B"), ("sort", "amount")];
    let expected_ids = app
        .numbers(
            "SELECT id FROM payment_link_histories
             WHERE status = 'paid' AND payment_link_reff_no = 'INV-B' ORDER BY id",
        )
        .await;
    assert!(expected_ids.len() > 2_000, "{}", expected_ids.len());

    let csv_id = export(&app, &app, &account, "csv", &filter).await;
    let response = download(&app, &csv_id).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".csv"));
    let (header, csv) = csv_rows(&response.bytes().await.unwrap());
    assert_eq!(header, paylinks::exports::COLUMNS);
    let csv_ids: Vec<i64> = csv.keys().map(|k| k.parse().unwrap()).collect::<Vec<_>>();
    let mut sorted = csv_ids.clone();
    sorted.sort();
    assert_eq!(
        sorted, expected_ids,
        "the CSV holds the filter's rows, once each"
    );
    assert!(csv.values().all(|r| r[9] == "paid" && r[2] == "INV-B"));

    let xlsx_id = export(&app, &app, &account, "xlsx", &filter).await;
    let response = download(&app, &xlsx_id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap().to_vec();
    let (header, xlsx) = xlsx_rows(bytes.clone());
    assert_eq!(header, paylinks::exports::COLUMNS);
    assert_eq!(xlsx, csv, "XLSX and CSV agree cell for cell");
    // Spreadsheets get dates they can sort and compute with, not text.
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    let created_at = header.iter().position(|c| c == "created_at").unwrap();
    assert!(range
        .rows()
        .skip(1)
        .all(|row| matches!(row[created_at], calamine::Data::DateTime(_))));

    let (_, page) = app.page(&format!("/accounts/{account}/exports")).await;
    assert_eq!(page.matches("data-status=\"done\"").count(), 2, "{page}");
    assert!(page.contains(&format!("/exports/{csv_id}/download")));
    // A few rows make a few KB, not "0.0 MB".
    assert!(!page.contains("0.0 MB") && page.contains(" KB"), "{page}");
}

#[tokio::test]
async fn only_the_merchant_can_download_and_bad_requests_are_named() {
    let app = crate::helpers::spawn_app().await;
    let account = seeded_merchant(&app, 50).await;
    let id = export(&app, &app, &account, "csv", &[]).await;

    let other = app.new_browser();
    let other_account = other.sign_up("Toko Lain", "owner@lain.id").await;
    assert_eq!(download(&other, &id).await.status(), StatusCode::NOT_FOUND);
    let (_, their_page) = other
        .page(&format!("/accounts/{other_account}/exports"))
        .await;
    assert!(!their_page.contains(&id));
    let (status, _) = other.page(&format!("/accounts/{account}/exports")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let stranger = app.new_browser();
    let status = download(&stranger, &id).await.status();
    assert!(
        status == StatusCode::UNAUTHORIZED || status.is_redirection(),
        "{status}"
    );

    let response = app
        .call(
            "export_create",
            &[("account_id", account.as_str()), ("format", "pdf")],
        )
        .await;
    let errors = crate::helpers::field_errors(response).await;
    assert!(errors.contains_key("format"), "{errors:?}");
    let response = app
        .call(
            "export_create",
            &[
                ("account_id", account.as_str()),
                ("format", "csv"),
                ("query[paid_from]", "kemarin"),
            ],
        )
        .await;
    let errors = crate::helpers::field_errors(response).await;
    assert!(errors.contains_key("paid_from"), "{errors:?}");
    assert_eq!(app.count("exports").await, 1);
}
