#![no_main]
//! Fuzz target: see `checks::escaping` for what is checked.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::escaping(data));
