//! The agent-config parser on arbitrary input: `inspect`, `open` with a fixed key, and the
//! payload parser must return errors, never panic.
#![no_main]

use h2r_setup::agent_config::{self, AgentPayload};
use h2r_setup::keys::PrivateKey;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| PrivateKey::generate(2048).expect("key"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = agent_config::inspect(&text, "fuzz");
    if let Ok(plain) = agent_config::open(&text, key(), "fuzz") {
        let _ = AgentPayload::from_json(&plain);
    }
    let _ = AgentPayload::from_json(data);
    // Structured: a well-formed header around arbitrary segments reaches the crypto paths.
    static SEALED: OnceLock<String> = OnceLock::new();
    let sealed = SEALED.get_or_init(|| agent_config::seal_bytes(b"{}", &key().public_key()));
    let mut parts: Vec<&str> = sealed.split('.').collect();
    let idx = data.first().map(|b| (*b as usize) % 5).unwrap_or(0);
    let replacement = String::from_utf8_lossy(data.get(1..).unwrap_or_default()).into_owned();
    parts[idx] = &replacement;
    let _ = agent_config::open(&parts.join("."), key(), "fuzz");
});
