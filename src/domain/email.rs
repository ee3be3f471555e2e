//! What paylinks writes to payers, in their language: a receipt when a payment is credited
//! and a notice when money goes back. Plain text and HTML of the same facts; no tracking (a
//! receipt's only image is the merchant's logo, the same file for every reader).

use super::lang::Lang;
use super::time::format_wib_in;
use super::Rupiah;

/// A message as it will be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The facts of a credited payment a receipt states.
pub struct Receipt<'a> {
    pub merchant: &'a str,
    pub title: &'a str,
    pub amount: Rupiah,
    pub method: &'a str,
    pub reference: &'a str,
    pub paid_at_ms: i64,
    pub customer: Option<&'a str>,
    /// The merchant's brand: its logo's full address and its colour ("#1a7f5a", checked).
    pub logo_url: Option<&'a str>,
    pub brand_color: Option<&'a str>,
}

/// The facts of a refund that went through.
pub struct RefundNotice<'a> {
    pub merchant: &'a str,
    pub title: &'a str,
    pub refunded: Rupiah,
    pub paid: Rupiah,
    pub reference: &'a str,
    pub reason: &'a str,
    pub at_ms: i64,
}

fn pick(lang: Lang, id: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The message from a greeting, a lead sentence and labelled facts, in both parts.
fn compose(
    subject: String,
    greeting: String,
    lead: String,
    facts: &[(&str, String)],
    closing: &str,
) -> Rendered {
    compose_under(String::new(), subject, greeting, lead, facts, closing)
}

/// [`compose`] with a header (HTML, escaped by the caller) above the HTML part.
fn compose_under(
    header: String,
    subject: String,
    greeting: String,
    lead: String,
    facts: &[(&str, String)],
    closing: &str,
) -> Rendered {
    let mut text = format!("{greeting}\n\n{lead}\n\n");
    for (label, value) in facts {
        text.push_str(&format!("{label}: {value}\n"));
    }
    text.push_str(&format!("\n{closing}\n"));
    let rows: String = facts
        .iter()
        .map(|(label, value)| {
            format!(
                "<tr><th align=\"left\" style=\"padding:4px 12px 4px 0\">{}</th><td>{}</td></tr>",
                escape(label),
                escape(value)
            )
        })
        .collect();
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;color:#1d2939\">\
         {header}<p>{}</p><p>{}</p><table>{rows}</table><p>{}</p></body></html>",
        escape(&greeting),
        escape(&lead),
        escape(closing)
    );
    Rendered {
        subject,
        text,
        html,
    }
}

fn greeting(lang: Lang, customer: Option<&str>) -> String {
    match (
        lang,
        customer.map(str::trim).filter(|name| !name.is_empty()),
    ) {
        (Lang::Id, Some(name)) => format!("Halo {name},"),
        (Lang::En, Some(name)) => format!("Hello {name},"),
        (Lang::Id, None) => "Halo,".into(),
        (Lang::En, None) => "Hello,".into(),
    }
}

pub fn receipt(lang: Lang, r: &Receipt<'_>) -> Rendered {
    let subject = match lang {
        Lang::Id => format!("Bukti pembayaran {} untuk {}", r.amount, r.merchant),
        Lang::En => format!("Receipt for your payment of {} to {}", r.amount, r.merchant),
    };
    let lead = match lang {
        Lang::Id => format!("Pembayaran Anda kepada {} sudah kami terima.", r.merchant),
        Lang::En => format!("Your payment to {} has been received.", r.merchant),
    };
    let facts = [
        (pick(lang, "Untuk", "For"), r.title.to_string()),
        (pick(lang, "Jumlah", "Amount"), r.amount.to_string()),
        (pick(lang, "Metode", "Method"), r.method.to_string()),
        (
            pick(lang, "Referensi", "Reference"),
            r.reference.to_string(),
        ),
        (
            pick(lang, "Tanggal", "Date"),
            format_wib_in(r.paid_at_ms, lang),
        ),
    ];
    let closing = pick(
        lang,
        "Simpan email ini sebagai bukti pembayaran. Pertanyaan tentang pesanan Anda? Hubungi penjual.",
        "Keep this email as your receipt. Questions about your order? Contact the seller.",
    );
    // The merchant's logo over a bar of their colour, when they set them.
    let logo = r.logo_url.map(|url| {
        format!(
            "<img src=\"{}\" alt=\"{}\" style=\"max-height:48px;max-width:200px\">",
            escape(url),
            escape(r.merchant)
        )
    });
    let bar = r.brand_color.map(|color| {
        format!(
            "<div style=\"height:4px;background:{}\"></div>",
            escape(color)
        )
    });
    let header = format!(
        "{}{}",
        logo.map(|img| format!("<p>{img}</p>")).unwrap_or_default(),
        bar.unwrap_or_default()
    );
    compose_under(
        header,
        subject,
        greeting(lang, r.customer),
        lead,
        &facts,
        closing,
    )
}

pub fn refund_notice(lang: Lang, r: &RefundNotice<'_>, customer: Option<&str>) -> Rendered {
    let subject = match lang {
        Lang::Id => format!("{} mengembalikan {} kepada Anda", r.merchant, r.refunded),
        Lang::En => format!("{} refunded {} to you", r.merchant, r.refunded),
    };
    let lead = match lang {
        Lang::Id => format!(
            "{} mengembalikan {} dari pembayaran Anda sebesar {}.",
            r.merchant, r.refunded, r.paid
        ),
        Lang::En => format!(
            "{} refunded {} of your payment of {}.",
            r.merchant, r.refunded, r.paid
        ),
    };
    let mut facts = vec![
        (pick(lang, "Untuk", "For"), r.title.to_string()),
        (
            pick(lang, "Dikembalikan", "Refunded"),
            r.refunded.to_string(),
        ),
        (
            pick(lang, "Referensi", "Reference"),
            r.reference.to_string(),
        ),
        (pick(lang, "Tanggal", "Date"), format_wib_in(r.at_ms, lang)),
    ];
    if !r.reason.trim().is_empty() {
        facts.push((pick(lang, "Alasan", "Reason"), r.reason.trim().to_string()));
    }
    let closing = pick(
        lang,
        "Dana kembali ke rekening atau dompet yang Anda pakai untuk membayar; lamanya tergantung bank atau dompet Anda.",
        "The money goes back to the account or wallet you paid with; how long it takes depends on your bank or wallet.",
    );
    compose(subject, greeting(lang, customer), lead, &facts, closing)
}

/// A "forgot password?" link for a dashboard user (the dashboard speaks English).
pub fn password_reset(link: &str) -> Rendered {
    compose(
        "Reset your paylinks password".into(),
        "Hello,".into(),
        "Someone asked to reset the password of your paylinks account. Open this link within \
         an hour to choose a new one; it works once."
            .into(),
        &[("Link", link.to_string())],
        "If it was not you, ignore this email: your password stays as it is.",
    )
}

/// The link that confirms a new merchant's email address.
pub fn verify_email(link: &str) -> Rendered {
    compose(
        "Confirm your email for paylinks".into(),
        "Hello,".into(),
        "Confirm this is your email address to finish setting up your paylinks account. The \
         link works for a week."
            .into(),
        &[("Link", link.to_string())],
        "If you did not sign up for paylinks, ignore this email.",
    )
}

/// An invitation to join a merchant's team, with the link that accepts it.
pub fn invitation(merchant: &str, inviter: &str, role: &str, link: &str, days: i64) -> Rendered {
    compose(
        format!("{inviter} invited you to {merchant} on paylinks"),
        "Hello,".into(),
        format!(
            "{inviter} invited you to join {merchant} on paylinks as {role}. Open the link to \
             choose your password; it works for {days} days."
        ),
        &[("Link", link.to_string())],
        "If you did not expect this, ignore this email.",
    )
}

/// The merchant's users' notices (the dashboard speaks English).
pub fn payment_received(title: &str, amount: Rupiah, method: &str, reference: &str) -> Rendered {
    compose(
        format!("Payment received: {amount} for {title}"),
        "Hello,".into(),
        format!("A payer paid {amount} by {method} for \u{201c}{title}\u{201d}."),
        &[("Reference", reference.to_string())],
        "You get this because you chose it on your Security page.",
    )
}

pub fn link_exhausted(title: &str, reff_no: &str, payments: i64) -> Rendered {
    compose(
        format!("{title} is used up"),
        "Hello,".into(),
        format!("\u{201c}{title}\u{201d} took its last payment ({payments} in all): payers can no longer pay it."),
        &[("Link reference", reff_no.to_string())],
        "You get this because you chose it on your Security page.",
    )
}

pub fn webhook_failing(url: &str, oldest_minutes: i64) -> Rendered {
    compose(
        "Your webhook endpoint has been failing for an hour".into(),
        "Hello,".into(),
        format!(
            "paylinks has not been able to deliver events to your endpoint for {oldest_minutes} \
             minutes. They are retried; see Developers \u{2192} Webhooks for each try."
        ),
        &[("Endpoint", url.to_string())],
        "You get this at most once a day, because you chose it on your Security page.",
    )
}

pub fn export_ready(rows: i64, format: &str, link: &str) -> Rendered {
    compose(
        format!("Your {format} export is ready"),
        "Hello,".into(),
        format!("The payments export you started is ready: {rows} rows."),
        &[("Download", link.to_string())],
        "You get this because you chose it on your Security page.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Receipt<'static> {
        Receipt {
            merchant: "Toko <Sinar>",
            title: "Kelas yoga",
            amount: Rupiah(120_000),
            method: "VA BRI",
            reference: "20261125100000000000001",
            paid_at_ms: 1_795_575_600_000,
            customer: Some("Siti"),
            logo_url: None,
            brand_color: None,
        }
    }

    #[test]
    fn a_receipt_speaks_the_payers_language_in_both_parts() {
        let id = receipt(Lang::Id, &facts());
        assert_eq!(id.subject, "Bukti pembayaran Rp 120.000 untuk Toko <Sinar>");
        assert!(id.text.starts_with("Halo Siti,"));
        assert!(id.text.contains("Referensi: 20261125100000000000001"));
        assert!(id.text.contains("WIB"));
        let en = receipt(Lang::En, &facts());
        assert!(en.text.contains("Amount: Rp 120.000"));
        assert!(
            en.html.contains("Toko &lt;Sinar&gt;"),
            "escaped: {}",
            en.html
        );
        assert!(!en.html.contains("<img"), "no image without a logo");
        let branded = receipt(
            Lang::En,
            &Receipt {
                logo_url: Some("https://pay.example.com/logos/k3y.png"),
                brand_color: Some("#1a7f5a"),
                ..facts()
            },
        );
        assert!(branded.html.contains(
            r#"<img src="https://pay.example.com/logos/k3y.png" alt="Toko &lt;Sinar&gt;""#
        ));
        assert!(branded.html.contains("background:#1a7f5a"));
        assert_eq!(branded.text, en.text, "the text part is the same");
    }

    #[test]
    fn a_refund_notice_names_the_amount_and_the_reason_when_given() {
        let notice = RefundNotice {
            merchant: "Toko Sinar",
            title: "Kelas yoga",
            refunded: Rupiah(20_000),
            paid: Rupiah(120_000),
            reference: "20261125100000000000001",
            reason: "Kelas dibatalkan",
            at_ms: 1_795_575_600_000,
        };
        let id = refund_notice(Lang::Id, &notice, None);
        assert_eq!(id.subject, "Toko Sinar mengembalikan Rp 20.000 kepada Anda");
        assert!(id.text.contains("Alasan: Kelas dibatalkan"));
        let no_reason = RefundNotice {
            reason: " ",
            ..notice
        };
        assert!(!refund_notice(Lang::En, &no_reason, None)
            .text
            .contains("Reason"));
    }
}
