//! Benchmark of the keys / agent-config area (issue 3). Run: `cargo bench --bench keys`
//! (optionally `-- N` for N runs per key size, default 10). Writes docs/keys-benchmark.md.
//!
//! Key generation per size (median, min, max of N) with the `rsa` crate against
//! `openssl genpkey` on the same machine in the same run (one process per key, so its numbers
//! include process start; that start is measured with `openssl version` and shown), then
//! seal/open of a typical agent config, and loading a passphrase-protected key.

use h2r_setup::agent_config;
use h2r_setup::keys::{Passphrase, PrivateKey, ALLOWED_BITS};
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let n = v.len();
    let med = if n % 2 == 1 {
        ms(v[n / 2])
    } else {
        (ms(v[n / 2 - 1]) + ms(v[n / 2])) / 2.0
    };
    (med, ms(v[0]), ms(v[n - 1]))
}

fn time<T>(f: impl FnOnce() -> T) -> Duration {
    let t = Instant::now();
    std::hint::black_box(f());
    t.elapsed()
}

fn openssl_genpkey(bits: usize) -> Duration {
    time(|| {
        let o = Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                &format!("rsa_keygen_bits:{bits}"),
                "-out",
                "/dev/null",
            ])
            .output()
            .expect("openssl");
        assert!(o.status.success());
    })
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10)
        .max(10);
    let mut md = String::new();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let ossl = Command::new("openssl")
        .arg("version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    md.push_str("# Keys and agent config: benchmark\n\n");
    md.push_str("Written by `cargo bench --bench keys` (release build; `benches/keys.rs`). Wall-clock milliseconds.\n\n");
    let load = || {
        std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    let load_start = load();
    md.push_str(&format!(
        "Machine: {cpu}, {cores} logical CPUs; {ossl}.\n\n"
    ));
    md.push_str("__LOAD__\n\n");

    // Process start of the openssl binary (included in every genpkey number).
    let spawn: Vec<Duration> = (0..runs)
        .map(|_| time(|| Command::new("openssl").arg("version").output().unwrap()))
        .collect();
    let (spawn_med, _, _) = median(spawn);

    md.push_str(&format!("## Key generation ({runs} keys per size)\n\n"));
    md.push_str("| bits | rsa crate median | min | max | `openssl genpkey` median | min | max |\n|---|---|---|---|---|---|---|\n");
    for bits in ALLOWED_BITS {
        let mut ours = vec![];
        let mut theirs = vec![];
        // Interleave so both see the same machine conditions.
        for _ in 0..runs {
            ours.push(time(|| PrivateKey::generate(bits).unwrap()));
            theirs.push(openssl_genpkey(bits));
        }
        let (a, amin, amax) = median(ours);
        let (b, bmin, bmax) = median(theirs);
        println!("keygen {bits}: rsa {a:.0} ms (min {amin:.0}, max {amax:.0}); openssl {b:.0} ms (min {bmin:.0}, max {bmax:.0})");
        md.push_str(&format!(
            "| {bits} | {a:.0} | {amin:.0} | {amax:.0} | {b:.0} | {bmin:.0} | {bmax:.0} |\n"
        ));
    }
    md.push_str(&format!(
        "\n`openssl genpkey` numbers include starting the process (`openssl version` alone: median {spawn_med:.1} ms). \
         Prime search makes the spread wide, most of all at 4096 bits.\n\n"
    ));

    // Seal / open of a typical config (about 1 KB of JSON).
    let payload = format!(
        r#"{{"version":1,"connection":{{"name":"Connection-OnPremise Service","domain_controllers":[{}],"service_account":"svc-h2r@example.com"}},"secrets":{{"ad_service_account_password":"{}"}}}}"#,
        (0..6).map(|i| format!(r#"{{"hosts":["dc{i}.example.com","10.0.0.{i}"],"port":636,"base_dn":"DC=example,DC=com"}}"#)).collect::<Vec<_>>().join(","),
        "x".repeat(32)
    );
    let n_ops = 100;
    md.push_str(&format!(
        "## Seal and open ({} bytes of JSON, median of {n_ops})\n\n",
        payload.len()
    ));
    md.push_str("| bits | seal | open |\n|---|---|---|\n");
    for bits in ALLOWED_BITS {
        let key = PrivateKey::generate(bits).unwrap();
        let public = key.public_key();
        let seals: Vec<Duration> = (0..n_ops)
            .map(|_| time(|| agent_config::seal(payload.as_bytes(), &public).unwrap()))
            .collect();
        let jwe = agent_config::seal(payload.as_bytes(), &public).unwrap();
        let opens: Vec<Duration> = (0..n_ops)
            .map(|_| time(|| agent_config::open(&jwe, &key, "bench").unwrap()))
            .collect();
        let (s, _, _) = median(seals);
        let (o, _, _) = median(opens);
        println!("seal {bits}: {s:.3} ms; open {o:.3} ms");
        md.push_str(&format!("| {bits} | {s:.3} ms | {o:.3} ms |\n"));
    }

    // Passphrase-protected key: PBKDF2-HMAC-SHA256 with the configured iterations.
    let key = PrivateKey::generate(2048).unwrap();
    let pass = Passphrase::new("benchmark passphrase").unwrap();
    let writes: Vec<Duration> = (0..10)
        .map(|_| time(|| key.to_pem(Some(&pass)).unwrap()))
        .collect();
    let pem = key.to_pem(Some(&pass)).unwrap();
    let reads: Vec<Duration> = (0..10)
        .map(|_| time(|| PrivateKey::from_pem(&pem, Some(&pass), "bench").unwrap()))
        .collect();
    let (w, _, _) = median(writes);
    let (r, _, _) = median(reads);
    println!("encrypted PKCS#8: write {w:.0} ms, read {r:.0} ms");
    md.push_str(&format!(
        "\n## Passphrase-protected private key (PBKDF2-HMAC-SHA256, {} iterations, AES-256-CBC; median of 10)\n\n\
         Encrypt and write PEM: {w:.0} ms. Read and decrypt: {r:.0} ms.\n",
        h2r_setup::keys::PBKDF2_ITERATIONS
    ));

    let md = md.replace(
        "__LOAD__",
        &format!(
            "Load average (1/5/15 min) at the start: {load_start}; at the end: {}. Other builds running on the \
             same machine inflate every number, ours and OpenSSL's alike (they are interleaved key by key).",
            load()
        ),
    );
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/keys-benchmark.md");
    std::fs::write(&out, md).expect("write docs/keys-benchmark.md");
    println!("wrote {}", out.display());
}
