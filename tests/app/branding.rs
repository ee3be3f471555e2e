//! A merchant's logo and colour: uploaded and checked on the Branding page, redrawn as PNG,
//! served as nothing else, and shown on payer pages, link previews and receipts.

use std::io::Cursor;

use reqwest::StatusCode;

use crate::helpers::{field_errors, spawn_app, spawn_app_with, Browser, TestApp};
use crate::support::smtp::SmtpSink;

fn png(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbaImage::from_pixel(width, height, image::Rgba([26, 127, 90, 255]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(pixels)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn upload(browser: &Browser, bytes: Vec<u8>, file_name: &str) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string());
    let form = reqwest::multipart::Form::new().part("logo", part);
    browser
        .client
        .post(browser.url("/branding/logo"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn logo_key(app: &TestApp) -> String {
    app.scalar_text("SELECT logo_key FROM merchant_logos").await
}

#[tokio::test]
async fn an_uploaded_logo_is_redrawn_and_shown_to_payers() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let link = app.create_default_link(&account).await;
    let slug = app.slug_of(link).await;

    let uploaded = upload(&app, png(1000, 400), "logo.png").await;
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&uploaded), "/branding?saved=logo");
    let key = logo_key(&app).await;

    let served = app.get(&format!("/logos/{key}.png")).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert!(served.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let redrawn = image::load_from_memory(&served.bytes().await.unwrap()).unwrap();
    assert_eq!((redrawn.width(), redrawn.height()), (512, 205));
    assert_eq!(
        app.get("/logos/unknown.png").await.status(),
        StatusCode::NOT_FOUND
    );

    let (_, page) = app.page("/branding").await;
    assert!(page.contains(&format!("/logos/{key}.png")));
    let (_, payer_page) = app.new_browser().page(&format!("/pay/{slug}")).await;
    let full = format!("{}/logos/{key}.png", app.address);
    assert!(
        payer_page.contains(&format!(r#"<img src="{full}" alt="Toko Sinar""#)),
        "{payer_page}"
    );
    assert!(payer_page.contains(&format!(r#"property="og:image" content="{full}""#)));

    // A new upload gets a new address: caches holding the old one never show it for the new.
    upload(&app, png(64, 64), "logo.webp").await;
    assert_ne!(logo_key(&app).await, key);
    assert_eq!(
        app.get(&format!("/logos/{key}.png")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'Changed the payer pages'' branding'"
        )
        .await,
        2
    );

    let removed = app
        .client
        .post(app.url("/branding/logo/remove"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&removed), "/branding?saved=removed");
    assert_eq!(app.count("merchant_logos").await, 0);
}

#[tokio::test]
async fn anything_but_an_image_is_refused_with_its_reason_and_nothing_kept() {
    let app = spawn_app().await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let html = b"<html><script>alert(document.cookie)</script></html>".to_vec();
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.to_vec();
    for (bytes, name) in [
        (html, "logo.png"),
        (svg, "logo.svg"),
        (png(8, 8), "tiny.png"),
    ] {
        let refused = upload(&app, bytes, name).await;
        assert_eq!(refused.status(), StatusCode::SEE_OTHER);
        let back = location(&refused);
        assert!(back.starts_with("/branding?logo_error="), "{back}");
        let (_, page) = app.page(&back).await;
        assert!(page.contains(r#"data-testid="logo-error""#), "{name}");
    }
    assert_eq!(app.count("merchant_logos").await, 0);

    // Only owners and admins, from our own pages.
    let stranger = app.new_browser();
    let status = upload(&stranger, png(64, 64), "logo.png").await.status();
    assert!(
        status == StatusCode::UNAUTHORIZED || status.is_redirection(),
        "{status}"
    );
    let cross_site = app
        .client
        .post(app.url("/branding/logo/remove"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);

    // A viewer sees the page but cannot change it.
    let viewer = crate::team::invite_and_join(&app, "viewer@sinar.id", "viewer").await;
    let refused = viewer.call("branding_color", &[("color", "#000000")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        upload(&viewer, png(64, 64), "logo.png").await.status(),
        StatusCode::FORBIDDEN
    );
    let (status, page) = viewer.page("/branding").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("Upload logo"));
}

#[tokio::test]
async fn the_brand_colour_must_carry_white_text_and_reaches_payers_and_receipts() {
    let sink = SmtpSink::start().await;
    let url = sink.url.clone();
    let app = spawn_app_with(move |settings| settings.smtp_url = Some(url)).await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    for light in ["#ffff00", "#7f7f7f"] {
        let errors = field_errors(app.call("branding_color", &[("color", light)]).await).await;
        assert!(
            errors["color"].contains("hard to read"),
            "{light}: {errors:?}"
        );
    }
    let errors = field_errors(app.call("branding_color", &[("color", "green")]).await).await;
    assert!(errors["color"].contains("like #1A7F5A"));
    let saved = app.call("branding_color", &[("color", "#1A7F5A")]).await;
    assert_eq!(saved.status(), StatusCode::OK);
    upload(&app, png(64, 64), "logo.png").await;
    let key = logo_key(&app).await;

    let link: i64 = app
        .create_link(&account, &[("input[required_customer_detail]", "on")])
        .await
        .json()
        .await
        .unwrap();
    let slug = app.slug_of(link).await;
    let (_, page) = app.new_browser().page(&format!("/pay/{slug}")).await;
    assert!(
        page.contains(":root{--brand:#1a7f5a;}"),
        "the colour, checked and lower-cased"
    );

    let payer = app.new_browser();
    let started = payer
        .call(
            "pay",
            &[
                ("slug", slug.as_str()),
                ("method", "VA_BRI"),
                ("lang", "en"),
                ("customer_name", "Siti Aminah"),
                ("customer_email", "siti@example.com"),
                ("customer_phone", "081234567890"),
            ],
        )
        .await;
    let reff: String = started.json().await.unwrap();
    // The attempt's page carries the brand too.
    let (_, attempt_page) = payer.page(&format!("/pay/{slug}/{reff}")).await;
    assert!(attempt_page.contains(&format!("/logos/{key}.png")));
    assert!(attempt_page.contains(":root{--brand:#1a7f5a;}"));
    assert_eq!(
        app.bank_pays(&reff, "TX-1", 200_000).await.status(),
        StatusCode::OK
    );
    paylinks::mail::send_due(&app.state).await.unwrap();
    let receipt = sink.mails_to("siti@example.com");
    let body = receipt[0].decoded();
    assert!(
        body.contains(&format!("{}/logos/{key}.png", app.address)),
        "{body}"
    );
    assert!(body.contains("background:#1a7f5a"));
}
