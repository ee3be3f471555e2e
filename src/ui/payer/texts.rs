//! The payer page's words, in Bahasa Indonesia and English.

use crate::domain::lang::Text;

pub const TOTAL: Text = Text::new("Total", "Total");
pub const EXPIRES: Text = Text::new("Berlaku sampai", "Valid until");
pub const YOUR_DETAILS: Text = Text::new("Data pembayar", "Your details");
pub const NAME: Text = Text::new("Nama lengkap", "Full name");
pub const EMAIL: Text = Text::new("Email", "Email");
pub const PHONE: Text = Text::new("Nomor HP", "Phone number");
pub const OVO_PHONE: Text = Text::new("Nomor HP OVO (untuk OVO)", "OVO phone number (for OVO)");
pub const CHOOSE_METHOD: Text = Text::new("Pilih metode pembayaran", "Choose a payment method");
pub const PAY: Text = Text::new("Lanjutkan pembayaran", "Continue to payment");
pub const GROUP_VA: Text = Text::new("Virtual Account", "Virtual Account");
pub const GROUP_QRIS: Text = Text::new("QRIS", "QRIS");
pub const GROUP_EWALLET: Text = Text::new("E-Wallet", "E-Wallet");
pub const GROUP_RETAIL: Text = Text::new("Tunai di gerai ritel", "Cash at a convenience store");
pub const NO_METHOD: Text = Text::new(
    "Tidak ada metode pembayaran yang tersedia untuk link ini.",
    "No payment method is available for this link.",
);
// Used by the server when no offered method was picked.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub const CHOOSE_ONE: Text = Text::new("Pilih salah satu metode.", "Choose one method.");
pub const CLOSED: Text = Text::new(
    "Link pembayaran ini sudah ditutup.",
    "This payment link is closed.",
);
pub const EXPIRED: Text = Text::new(
    "Link pembayaran ini sudah kedaluwarsa.",
    "This payment link has expired.",
);
pub const FULL: Text = Text::new(
    "Kuota pembayaran link ini sudah habis.",
    "This payment link has reached its payment limit.",
);
/// `{time}` is when the first place held by another payer's attempt frees, if unpaid.
#[cfg(feature = "ssr")]
pub const ALL_BEING_PAID: Text = Text::new(
    "Semua kuota link ini sedang dibayar oleh pembayar lain. Jika tidak dibayar, kuota kembali tersedia pada {time}.",
    "Every place on this link is being paid by other payers right now. If one goes unpaid, it frees at {time}.",
);
pub const NOT_FOUND_TITLE: Text = Text::new("Link tidak ditemukan", "Link not found");
pub const ERROR_TITLE: Text = Text::new("Terjadi kesalahan", "Something went wrong");
pub const NOT_FOUND: Text = Text::new(
    "Link pembayaran tidak ditemukan. Periksa kembali alamatnya.",
    "Payment link not found. Please check the address.",
);
pub const AMOUNT_TO_PAY: Text = Text::new("Jumlah yang harus dibayar", "Amount to pay");
pub const CORRECT_FIELDS: Text = Text::new(
    "Periksa kembali isian yang ditandai.",
    "Please correct the highlighted fields.",
);
pub const AMOUNT_PAID: Text = Text::new("Jumlah dibayar", "Amount paid");
pub const VA_NUMBER: Text = Text::new("Nomor Virtual Account", "Virtual Account number");
/// `{outlet}` is the outlet chain, "Indomaret".
pub const PAYMENT_CODE: Text = Text::new("Kode pembayaran {outlet}", "{outlet} payment code");
pub const COPY: Text = Text::new("Salin", "Copy");
pub const COPIED: Text = Text::new("Tersalin", "Copied");
pub const PAY_BEFORE: Text = Text::new("Bayar sebelum", "Pay before");
pub const HOW_TO_PAY: Text = Text::new("Cara membayar", "How to pay");
pub const SCAN_QRIS: Text = Text::new(
    "Pindai kode QR ini dengan aplikasi bank atau e-wallet apa pun.",
    "Scan this QR code with any banking or e-wallet app.",
);
pub const DOWNLOAD_QR: Text = Text::new("Unduh kode QR", "Download the QR code");
pub const OPEN_WALLET: Text = Text::new("Buka aplikasi", "Open the app");
pub const OVO_PUSH: Text = Text::new(
    "Buka aplikasi OVO di HP Anda dan konfirmasi pembayaran ke nomor",
    "Open the OVO app on your phone and confirm the payment sent to",
);
pub const CHECK_STATUS: Text = Text::new("Cek status pembayaran", "Check payment status");
pub const WAITING: Text = Text::new("Menunggu pembayaran", "Waiting for payment");
pub const PAID: Text = Text::new("Pembayaran berhasil", "Payment received");
pub const ATTEMPT_EXPIRED: Text = Text::new(
    "Waktu pembayaran habis. Silakan mulai lagi.",
    "The payment window has closed. Please start again.",
);
pub const ATTEMPT_FAILED: Text = Text::new("Pembayaran gagal.", "The payment failed.");
pub const START_AGAIN: Text = Text::new("Mulai lagi", "Start again");
pub const PAYMENT_TO: Text = Text::new("Pembayaran ke", "Payment to");
pub const RECEIPT: Text = Text::new("Bukti pembayaran", "Payment receipt");
pub const REFERENCE: Text = Text::new("Nomor referensi", "Reference number");
pub const METHOD: Text = Text::new("Metode", "Method");
pub const PAID_AT: Text = Text::new("Dibayar pada", "Paid at");
pub const PRINT: Text = Text::new("Cetak bukti", "Print receipt");
pub const BACK_TO_MERCHANT: Text = Text::new("Kembali ke merchant", "Back to the merchant");
pub const REDIRECTING: Text = Text::new(
    "Anda akan diarahkan kembali ke merchant dalam beberapa detik.",
    "You will be taken back to the merchant in a few seconds.",
);
pub const SIMULATE: Text = Text::new(
    "Simulasikan pembayaran (sandbox)",
    "Simulate payment (sandbox)",
);
pub const SANDBOX_NOTE: Text = Text::new(
    "Mode sandbox: tidak ada uang sungguhan yang berpindah.",
    "Sandbox mode: no real money moves.",
);
pub const TIME_LEFT: Text = Text::new("Sisa waktu", "Time left");
/// Server-side only: answered when a payer starts too many attempts.
#[cfg(feature = "ssr")]
pub const TOO_MANY_ATTEMPTS: Text = Text::new(
    "Terlalu banyak percobaan pembayaran. Silakan coba lagi sebentar lagi",
    "Too many payment attempts. Please try again shortly",
);
pub const CHANGE_METHOD: Text = Text::new("Ganti metode pembayaran", "Change payment method");
pub const CHANGE_METHOD_NOTE: Text = Text::new(
    "Instruksi pembayaran ini akan langsung dinonaktifkan; jangan bayar ke instruksi ini lagi.",
    "These payment instructions stop working at once; do not pay with them afterwards.",
);
pub const CHANGE_METHOD_CONFIRM: Text = Text::new("Ya, ganti metode", "Yes, change method");
pub const AMOUNT: Text = Text::new("Jumlah pembayaran", "Amount to pay");
pub const OTHER_AMOUNT: Text = Text::new("Jumlah lain (Rp)", "Another amount (Rp)");
pub const AMOUNT_HINT: Text = Text::new(
    "Pilih salah satu jumlah atau ketik jumlah Anda sendiri: {range}.",
    "Pick an amount or type your own: {range}.",
);
/// Server-side only: the chosen method does not take the chosen amount.
#[cfg(feature = "ssr")]
pub const METHOD_LIMITS: Text = Text::new(
    "{method} menerima {min} sampai {max}. Pilih metode lain atau ubah jumlahnya.",
    "{method} takes {min} to {max}. Choose another method or change the amount.",
);
pub const SOLD_OUT: Text = Text::new(
    "Maaf, semuanya sudah terjual.",
    "Sorry, everything has been sold.",
);
/// Server-side only: the stock left does not cover the quantities chosen.
#[cfg(feature = "ssr")]
pub const STOCK_SHORT: Text = Text::new(
    "Sisa stok tidak cukup untuk jumlah ini. Coba jumlah yang lebih sedikit, atau coba lagi nanti: stok yang ditahan pembayaran yang belum dibayar kembali saat kedaluwarsa.",
    "Not enough left for this quantity. Try fewer, or try again later: units held by unpaid payments return when they expire.",
);
pub const QUANTITY: Text = Text::new("Jumlah", "Quantity");
pub const QUESTIONS: Text = Text::new("Data tambahan", "A few details");
pub const OPTIONAL: Text = Text::new("opsional", "optional");
pub const PICK_ONE: Text = Text::new("— pilih —", "— choose —");
