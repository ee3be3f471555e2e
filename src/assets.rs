//! The built front end's file names. A build that hashes file names (cargo-leptos with
//! `hash-files`) writes each file's hash to a file beside the server binary; pages must name
//! the files as built.

use leptos::config::LeptosOptions;

/// The stylesheet's address, e.g. `/pkg/paylinks.Xy3….css`. Read once per process.
pub fn stylesheet_href(options: &LeptosOptions) -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hash = options
            .hash_files
            .then(|| built_hash(options, "css"))
            .flatten()
            .map(|hash| format!(".{hash}"))
            .unwrap_or_default();
        format!(
            "/{}/{}{hash}.css",
            options.site_pkg_dir, options.output_name
        )
    })
}

/// The hash the build gave the file of `kind` ("css", "js", "wasm"), if it wrote one.
fn built_hash(options: &LeptosOptions, kind: &str) -> Option<String> {
    let file = std::env::current_exe()
        .ok()?
        .parent()?
        .join(options.hash_file.as_ref());
    let hashes = std::fs::read_to_string(file).ok()?;
    hashes.lines().find_map(|line| {
        let (name, hash) = line.split_once(':')?;
        (name.trim() == kind).then(|| hash.trim().to_string())
    })
}
