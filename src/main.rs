#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    if let Err(error) = paylinks::startup::run().await {
        eprintln!("paylinks could not start: {error}");
        std::process::exit(1);
    }
}

/// The WASM build compiles the library only; this keeps `cargo build --features hydrate` happy.
#[cfg(not(feature = "ssr"))]
fn main() {}
