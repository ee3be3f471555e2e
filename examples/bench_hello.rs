//! Benchmark baseline: the barest axum server this machine can run, answering "hello" on
//! the address in `BENCH_ADDR`. The harness (`make bench`) compares every scenario to it.

#[tokio::main]
async fn main() {
    let addr = std::env::var("BENCH_ADDR").unwrap_or_else(|_| "127.0.0.1:3900".into());
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .expect("bind BENCH_ADDR");
    axum::serve(listener, app).await.expect("serve");
}
