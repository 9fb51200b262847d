//! Fuzz target `plan_toml` (see `fuzz/README.md`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ontrack_fuzz::plan(data, ontrack::PlanFormat::Toml);
});
