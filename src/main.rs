/// The server allocates many small, short-lived buffers per request (rendering, JSON, rows):
/// mimalloc serves them with less contention between threads than the system allocator.
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.is_empty() {
        paylinks::startup::run().await
    } else {
        paylinks::cli::run(&args).await
    };
    if let Err(error) = result {
        eprintln!("paylinks: {error}");
        std::process::exit(1);
    }
}

/// The WASM build compiles the library only; this keeps `cargo build --features hydrate` happy.
#[cfg(not(feature = "ssr"))]
fn main() {}
