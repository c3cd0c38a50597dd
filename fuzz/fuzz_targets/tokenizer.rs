#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| reprint_fuzz_targets::tokenizer(data));
