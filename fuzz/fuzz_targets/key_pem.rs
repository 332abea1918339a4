//! PEM key parsers (public key import, private key with and without passphrase) on arbitrary
//! input: errors, never panics.
#![no_main]

use h2r_setup::keys::{Passphrase, PrivateKey, PublicKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = PublicKey::from_pem(&text, "fuzz");
    let _ = PrivateKey::from_pem(&text, None, "fuzz");
    let pass = Passphrase::new("fuzz").unwrap();
    let _ = PrivateKey::from_pem(&text, Some(&pass), "fuzz");
});
