//! Integration tests: the support report (issue 11) holds what support needs and no secret.

use crate::keys::{cli, stderr};
use std::path::Path;

const SENTINELS: [&str; 5] = [
    "Sentinel-AD-Pw-7781",
    "Sentinel-Key-Pass-5512",
    "Sentinel-Cert-Pass-3090",
    "sentinel.access.token.4471",
    "Sentinel-Refresh-9920",
];

/// Read a ZIP of stored entries with Python's zipfile (an independent reader).
fn unzip(path: &Path) -> Vec<(String, String)> {
    let script = "import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps([[n, z.read(n).decode('utf-8')] for n in z.namelist()]))";
    let o = std::process::Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .expect("python3");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn support_report_has_the_facts_and_none_of_the_sentinel_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let [ad_pw, key_pass, cert_pass, access, refresh] = SENTINELS;
    let conn = tmp.path().join("connection.json");
    std::fs::write(
        &conn,
        format!(r#"{{"kind":"hybrid-onprem","name":"Connection-OnPremise Service","domain_controllers":[{{"hosts":["dc1.example.com"],"port":636,"base_dn":"DC=example,DC=com"}}],"service_account":"svc@example.com","note":"pw {ad_pw}"}}"#),
    )
    .unwrap();
    let ldap = tmp.path().join("ldap.json");
    std::fs::write(&ldap, format!(r#"{{"ok":false,"endpoints":[{{"host":"dc1.example.com","stage":"bind","code":"ldap.bind.invalid_credentials","message":"bind rejected for {ad_pw}","certificate":{{"sha256":"AB:CD"}}}}]}}"#)).unwrap();
    let signin = tmp.path().join("signin.json");
    std::fs::write(
        &signin,
        format!(r#"{{"ok":false,"code":"AADSTS65001","trace_id":"trace-1","correlation_id":"corr-1","access_token":"{access}","refresh_token":"{refresh}","certificate_passphrase":"{cert_pass}"}}"#),
    )
    .unwrap();
    let log = tmp.path().join("app.log");
    std::fs::write(
        &log,
        format!(
            "[info] checking dc1.example.com\n[debug] password={ad_pw}\n[debug] Authorization: Bearer {access}\n[debug] passphrase: {key_pass}\n[info] token endpoint answered refresh_token={refresh}\n[info] done\n"
        ),
    )
    .unwrap();
    let pwfile = tmp.path().join("pw");
    std::fs::write(&pwfile, format!("{ad_pw}\n")).unwrap();
    let out = tmp.path().join("report.zip");
    let o = cli(
        &[
            "support-report",
            "--out",
            out.to_str().unwrap(),
            "--connection",
            conn.to_str().unwrap(),
            "--check",
            &format!("ldap={}", ldap.display()),
            "--check",
            &format!("sign_in={}", signin.display()),
            "--log",
            log.to_str().unwrap(),
            "--redact-file",
            pwfile.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // The raw bytes (entries are stored uncompressed) and every file inside hold no sentinel.
    let raw = std::fs::read(&out).unwrap();
    let raw = String::from_utf8_lossy(&raw);
    for s in SENTINELS {
        assert!(!raw.contains(s), "{s} leaked into the report");
    }
    let files = unzip(&out);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "README.txt",
            "about.json",
            "connection.json",
            "checks.json",
            "log.txt"
        ]
    );
    let get = |n: &str| files.iter().find(|(m, _)| m == n).unwrap().1.clone();
    for (n, text) in &files {
        for s in SENTINELS {
            assert!(!text.contains(s), "{s} in {n}");
        }
    }
    assert!(get("README.txt").contains("no password"));
    let about: serde_json::Value = serde_json::from_str(&get("about.json")).unwrap();
    assert_eq!(about["version"], env!("CARGO_PKG_VERSION"));
    assert!(about["os"].is_string());
    assert!(get("connection.json").contains("dc1.example.com"));
    let checks: serde_json::Value = serde_json::from_str(&get("checks.json")).unwrap();
    assert_eq!(checks["ldap"]["endpoints"][0]["stage"], "bind");
    assert_eq!(
        checks["ldap"]["endpoints"][0]["certificate"]["sha256"],
        "AB:CD"
    );
    assert_eq!(checks["sign_in"]["code"], "AADSTS65001");
    assert_eq!(checks["sign_in"]["trace_id"], "trace-1");
    assert_eq!(checks["sign_in"]["correlation_id"], "corr-1");
    let log_txt = get("log.txt");
    assert!(
        log_txt.contains("checking dc1.example.com") && log_txt.contains("[info] done"),
        "{log_txt}"
    );
    #[cfg(unix)]
    assert_eq!(crate::keys::mode(&out), 0o600);
}
