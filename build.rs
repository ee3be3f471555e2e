//! Build steps: migrations are embedded at compile time, and the dashboard's translations
//! (`locales/<locale>/<namespace>.json`) become the `i18n` module, so a key missing from
//! either language fails the build rather than a page.

use std::path::PathBuf;

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=locales");

    let config = Config::new("id")
        .and_then(|config| config.add_locale("en"))
        .and_then(|config| config.add_namespaces(namespaces()))
        .expect("locales and namespaces are valid")
        // Values such as rupiah amounts are interpolated through `Display`.
        .parse_options(ParseOptions::new().interpolate_display(true));
    let translations = TranslationsInfos::parse(config).expect("locales/ parses");
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    translations
        .generate_i18n_module(out_dir.join("i18n"))
        .expect("the i18n module is written");
}

/// One namespace per file of the Indonesian catalogue, the default locale: a namespace
/// missing its English file is reported by the parser.
fn namespaces() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("locales/id")
        .expect("locales/id exists")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "json").then(|| path.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    names
}
