use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `:account_id` of the current dashboard route.
pub fn account_param() -> Signal<Option<String>> {
    let params = use_params_map();
    Signal::derive(move || params.with(|p| p.get("account_id")))
}

/// `:link_id` of the current route; 0 (which no link has) when it is not a number.
pub fn link_param() -> Signal<i64> {
    let params = use_params_map();
    Signal::derive(move || {
        params.with(|p| {
            p.get("link_id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    })
}
