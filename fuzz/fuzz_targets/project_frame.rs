//! Fuzz target `project_frame` (see `fuzz/README.md`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ontrack_fuzz::project(data);
});
