//! An export of 100,000 rows keeps the process's memory flat. Its own test binary, so no
//! other test allocates in the process while the resident size is watched.

#[path = "app/export_helpers.rs"]
mod export_helpers;
#[path = "app/helpers.rs"]
#[allow(dead_code)]
mod helpers;
mod support;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// Resident set size of this process in KiB (Linux).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exporting_100_000_rows_keeps_memory_flat() {
    const LIMIT_KIB: u64 = 60 * 1024;
    let app = helpers::spawn_app().await;
    let account = export_helpers::seeded_merchant(&app, 100_000).await;
    // Warm up the paths the export takes, and the database's page cache (bounded, and full
    // after one pass over the rows), so one-off allocations are not counted.
    export_helpers::export(&app, &app, &account, "csv", &[]).await;

    for format in ["csv", "xlsx"] {
        let baseline = rss_kib();
        let peak = Arc::new(AtomicU64::new(baseline));
        let running = Arc::new(AtomicBool::new(true));
        let sampler = {
            let (peak, running) = (peak.clone(), running.clone());
            std::thread::spawn(move || {
                while running.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib(), Ordering::Relaxed);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            })
        };
        let id = export_helpers::export(&app, &app, &account, format, &[]).await;
        running.store(false, Ordering::Relaxed);
        sampler.join().unwrap();
        let rows = app
            .scalar(&format!("SELECT done_rows FROM exports WHERE id = '{id}'"))
            .await;
        assert_eq!(rows, 100_000);
        let growth = peak.load(Ordering::Relaxed).saturating_sub(baseline);
        println!("{format}: 100,000 rows, resident memory grew by {growth} KiB at most");
        assert!(
            growth < LIMIT_KIB,
            "{format} export grew resident memory by {growth} KiB (limit {LIMIT_KIB} KiB)"
        );
    }
}
