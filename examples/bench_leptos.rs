//! Benchmark baseline: a minimal Leptos SSR page (a heading and a button, no database) on
//! `BENCH_ADDR`, rendered the way the app renders its pages. The payer page is compared to it.

use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <HydrationScripts options/>
            </head>
            <body><Minimal/></body>
        </html>
    }
}

#[component]
fn Minimal() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| "Not found">
                <Route path=path!("/") view=|| view! {
                    <h1>"Hello"</h1>
                    <button>"Click"</button>
                }/>
            </Routes>
        </Router>
    }
}

#[tokio::main]
async fn main() {
    let addr: std::net::SocketAddr = std::env::var("BENCH_ADDR")
        .unwrap_or_else(|_| "127.0.0.1:3901".into())
        .parse()
        .expect("BENCH_ADDR is host:port");
    let options = LeptosOptions::builder()
        .output_name("bench")
        .site_addr(addr)
        .build();
    let routes = generate_route_list(Minimal);
    let app = axum::Router::new()
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .with_state(options);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("bind BENCH_ADDR");
    axum::serve(listener, app).await.expect("serve");
}
