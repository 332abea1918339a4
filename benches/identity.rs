//! Timings of the identity area's CPU-bound steps (no network): certificate credential
//! generation (RSA key + self-signed certificate), passphrase encryption of the private key
//! (PBKDF2-HMAC-SHA256, 600 000 iterations), loading it back, and signing one client assertion.
//! Run: `cargo bench --bench identity` (release profile). Numbers: docs/bench-identity.md.

use h2r_setup::identity::{assertion, certificate};
use std::time::{Duration, Instant};

fn time<T>(label: &str, runs: u32, mut f: impl FnMut() -> T) -> Duration {
    let mut samples = Vec::with_capacity(runs as usize);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f());
        samples.push(t.elapsed());
    }
    samples.sort();
    let median = samples[samples.len() / 2];
    println!(
        "{label:<48} runs {runs:>3}  median {:>9.2} ms  min {:>9.2} ms  max {:>9.2} ms",
        median.as_secs_f64() * 1e3,
        samples[0].as_secs_f64() * 1e3,
        samples[samples.len() - 1].as_secs_f64() * 1e3
    );
    median
}

fn main() {
    for bits in [2048usize, 3072] {
        let runs = if bits == 2048 { 10 } else { 5 };
        time(
            &format!("generate certificate credential (RSA {bits})"),
            runs,
            || {
                certificate::generate(&certificate::CertificateRequest {
                    common_name: "Hire2Retire".into(),
                    days: 365,
                    bits,
                })
                .unwrap()
            },
        );
    }
    let cred = certificate::generate(&certificate::CertificateRequest {
        common_name: "Hire2Retire".into(),
        days: 365,
        bits: 2048,
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pass = "correct horse battery staple";
    let mut n = 0;
    time("save (encrypt key, PBKDF2 600k) + write 3 files", 5, || {
        n += 1;
        certificate::save(&cred, dir.path(), &format!("c{n}"), pass).unwrap()
    });
    let key = dir.path().join("c1.key.pem");
    time("load + decrypt .key.pem", 5, || {
        certificate::load(&key, pass).unwrap()
    });
    time("sign one client assertion (PS256)", 50, || {
        assertion::client_assertion(
            &cred,
            "00001111-aaaa-2222-bbbb-3333cccc4444",
            "https://login.microsoftonline.com/t/oauth2/v2.0/token",
        )
        .unwrap()
    });
}
