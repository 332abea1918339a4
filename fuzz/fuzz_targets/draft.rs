//! The connection draft (what the window's form and a saved file hold) on arbitrary JSON:
//! reading never fails, validation never panics, `report` and `validate` agree, and an accepted
//! draft's connection validates again to itself. The stable-toolchain counterpart is the
//! mutation sweep `validate::a_mutation_sweep_keeps_the_drafts_properties` in tests/it.
#![no_main]

use h2r_setup::profile::Connection;
use h2r_setup::validate::{validate_connection, Draft, LdapTarget};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let draft = Draft::from_json(&value);
    let report = draft.report();
    assert_eq!(report.ok, report.connection.is_some());
    match draft.validate::<Connection>() {
        Ok(c) => {
            assert_eq!(Some(&c), report.connection.as_ref());
            let again = validate_connection(&c);
            assert_eq!(again.connection.as_ref(), Some(&c));
        }
        Err(e) => assert_eq!(e.errors, report.errors),
    }
    let _ = draft.validate::<LdapTarget>();
});
