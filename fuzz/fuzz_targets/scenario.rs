//! Fuzz target: any bytes as a scenario file. Parsing, validation and a
//! short simulation must never panic; see `ccsim::fuzzing::check_input`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ccsim::fuzzing::check_input(data);
});
