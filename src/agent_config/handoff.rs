//! The portal hand-off: every value of the Hire2Retire portal's On-Premise service connection
//! form, in the portal's order and with its labels, and no secret.

use super::ConfigError;
use crate::keys::{PublicKey, PUBLIC_KEY_FILE};
use crate::profile::HybridConnection;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One domain controller as the portal form takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffDc {
    /// The DC's addresses, comma-separated (the portal's "Host" field).
    pub hosts: String,
    pub port: u16,
    pub base_dn: String,
}

/// What the admin pastes into the portal. JSON:
/// `{"connection_name","domain_controllers":[{"hosts","port","base_dn"}],"public_key_pem","public_key_fingerprint"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handoff {
    pub connection_name: String,
    pub domain_controllers: Vec<HandoffDc>,
    pub public_key_pem: String,
    pub public_key_fingerprint: String,
}

impl Handoff {
    pub fn new(conn: &HybridConnection, public: &PublicKey) -> Self {
        Handoff {
            connection_name: conn.name.clone(),
            domain_controllers: conn
                .domain_controllers
                .iter()
                .map(|dc| HandoffDc {
                    hosts: dc.hosts.join(","),
                    port: dc.port,
                    base_dn: dc.base_dn.clone(),
                })
                .collect(),
            public_key_pem: public.to_pem(),
            public_key_fingerprint: public.fingerprint(),
        }
    }

    /// The hand-off for a folder: the public key as it is in the folder (not as remembered).
    pub fn for_folder(conn: &HybridConnection, dir: &Path) -> Result<Self, ConfigError> {
        let status = super::folder::status(dir)?;
        let public = PublicKey::from_pem(
            &status.public_key_pem,
            &dir.join(PUBLIC_KEY_FILE).display().to_string(),
        )?;
        Ok(Handoff::new(conn, &public))
    }

    /// Plain text in the portal's order and labels ("Copy all", the text file).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str("Hire2Retire portal: On-Premise service connection\n\n");
        out.push_str(&format!("Connection Name: {}\n", self.connection_name));
        let many = self.domain_controllers.len() > 1;
        for (i, dc) in self.domain_controllers.iter().enumerate() {
            if many {
                out.push_str(&format!("\nDomain controller {}\n", i + 1));
            }
            out.push_str(&format!("Host: {}\n", dc.hosts));
            out.push_str(&format!("Port: {}\n", dc.port));
            out.push_str(&format!("Base DN: {}\n", dc.base_dn));
        }
        out.push_str("\nPublic key (paste the whole block):\n");
        out.push_str(self.public_key_pem.trim_end());
        out.push_str(&format!(
            "\n\nKey fingerprint (RFC 7638 SHA-256): {}\n",
            self.public_key_fingerprint
        ));
        out.push_str("\nThen choose \"Link account\" in the portal, and set up the agent.\n");
        out
    }
}
