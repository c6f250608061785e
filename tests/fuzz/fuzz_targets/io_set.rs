#![no_main]
//! Fuzz target: see `checks::io_set` for what is checked.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::io_set(data));
