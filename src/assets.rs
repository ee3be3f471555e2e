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

/// Whether the build wrote its hash file beside this binary. Leptos panics rendering a page
/// when hashing is on and the file is missing (a binary built by plain cargo), so hashing is
/// only switched on with it.
pub fn hash_file_present(options: &LeptosOptions) -> bool {
    hash_file(options).is_some_and(|file| file.is_file())
}

fn hash_file(options: &LeptosOptions) -> Option<std::path::PathBuf> {
    Some(
        std::env::current_exe()
            .ok()?
            .parent()?
            .join(options.hash_file.as_ref()),
    )
}

/// The hash the build gave the file of `kind` ("css", "js", "wasm"), if it wrote one.
fn built_hash(options: &LeptosOptions, kind: &str) -> Option<String> {
    let hashes = std::fs::read_to_string(hash_file(options)?).ok()?;
    hashes.lines().find_map(|line| {
        let (name, hash) = line.split_once(':')?;
        (name.trim() == kind).then(|| hash.trim().to_string())
    })
}
