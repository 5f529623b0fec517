//! Any bytes given to the scenario reader give a scenario or an error, never a panic. Seed the
//! corpus with `scenarios/*.toml` and `tests/data/bad/*.toml`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = imfsim::scenario::parse(text, std::path::Path::new("fuzz.toml")) {
            let _ = format!("{e:#}");
        }
    }
});
