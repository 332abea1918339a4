//! A stand-in LDAPS server (issue 12): TLS by rustls and just enough LDAP (BER by hand) to answer
//! a bind and searches. The rootDSE carries whatever attributes a test chooses, hostile ones
//! included; every other search returns an entry named by its base and no attribute. Loopback only.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// Attribute name and values.
pub type Attrs = Vec<(String, Vec<Vec<u8>>)>;

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 0x80 {
        v.push(n as u8);
    } else {
        let bytes = n.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        v.push(0x80 | (bytes.len() - skip) as u8);
        v.extend_from_slice(&bytes[skip..]);
    }
    v.extend_from_slice(content);
    v
}

/// (tag, content, rest) of the first TLV of `b`.
fn split(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, b) = b.split_first()?;
    let (&l, mut b) = b.split_first()?;
    let len = if l < 0x80 {
        l as usize
    } else {
        let n = (l & 0x7f) as usize;
        let (lb, rest) = (b.get(..n)?, b.get(n..)?);
        b = rest;
        lb.iter().fold(0usize, |a, x| (a << 8) | *x as usize)
    };
    Some((tag, b.get(..len)?, b.get(len..)?))
}

fn read_message(r: &mut impl Read) -> Option<Vec<u8>> {
    let mut head = [0u8; 2];
    r.read_exact(&mut head).ok()?;
    let mut all = head.to_vec();
    let len = if head[1] < 0x80 {
        head[1] as usize
    } else {
        let mut lb = vec![0u8; (head[1] & 0x7f) as usize];
        r.read_exact(&mut lb).ok()?;
        all.extend_from_slice(&lb);
        lb.iter().fold(0usize, |a, x| (a << 8) | *x as usize)
    };
    let mut c = vec![0u8; len];
    r.read_exact(&mut c).ok()?;
    all.extend_from_slice(&c);
    Some(all)
}

fn message(id: &[u8], op: Vec<u8>) -> Vec<u8> {
    let mut c = tlv(0x02, id);
    c.extend(op);
    tlv(0x30, &c)
}

fn success(tag: u8) -> Vec<u8> {
    let mut c = tlv(0x0a, &[0]);
    c.extend(tlv(0x04, b""));
    c.extend(tlv(0x04, b""));
    tlv(tag, &c)
}

fn entry(dn: &[u8], attrs: &Attrs) -> Vec<u8> {
    let mut list = Vec::new();
    for (name, vals) in attrs {
        let set: Vec<u8> = vals.iter().flat_map(|v| tlv(0x04, v)).collect();
        let mut pa = tlv(0x04, name.as_bytes());
        pa.extend(tlv(0x31, &set));
        list.extend(tlv(0x30, &pa));
    }
    let mut c = tlv(0x04, dn);
    c.extend(tlv(0x30, &list));
    tlv(0x64, &c)
}

fn serve(stream: &mut impl ReadWrite, root_dse: &Attrs) -> Option<()> {
    loop {
        let msg = read_message(stream)?;
        let (_, body, _) = split(&msg)?;
        let (_, id, rest) = split(body)?;
        let (op, op_body, _) = split(rest)?;
        let reply = match op {
            0x60 => message(id, success(0x61)),
            0x63 => {
                let (_, base, _) = split(op_body)?;
                let attrs = if base.is_empty() {
                    root_dse.clone()
                } else {
                    Vec::new()
                };
                let mut out = message(id, entry(base, &attrs));
                out.extend(message(id, success(0x65)));
                out
            }
            0x42 => return Some(()),
            _ => continue,
        };
        stream.write_all(&reply).ok()?;
        stream.flush().ok()?;
    }
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// Serve LDAPS on 127.0.0.1 with `cert_chain` (PEM, leaf first) and `key` (PEM); the rootDSE
/// answers `root_dse`. Runs until the test process ends. Returns the port.
pub fn start(cert_chain: &Path, key: &Path, root_dse: Attrs) -> u16 {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert_chain)
        .unwrap()
        .map(|c| c.unwrap())
        .collect();
    let key = PrivateKeyDer::from_pem_file(key).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(h2r_setup::ldap::tls::provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let root_dse = Arc::new(root_dse);
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let (config, root_dse) = (config.clone(), root_dse.clone());
            std::thread::spawn(move || {
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                let _ = serve(&mut tls, &root_dse);
            });
        }
    });
    port
}

pub fn attr(name: &str, values: &[&str]) -> (String, Vec<Vec<u8>>) {
    (
        name.to_string(),
        values.iter().map(|v| v.as_bytes().to_vec()).collect(),
    )
}
