//! What one run of the window holds in memory, in one struct held as Tauri managed state
//! ([`Session`]): the AD password, the key chosen at the key pair step, the generated
//! certificate credential, and the cancel switch of each kind of wait. Nothing here is ever
//! written to disk.
//!
//! One rule for locks ([`Slot::lock`]): a poisoned lock is recovered. Every slot holds a plain
//! `Option` that is only ever replaced whole, so a holder that panicked cannot have left it
//! half-written.

use crate::commands::keys::Pending;
use crate::secrets::AdPassword;
use h2r_setup::cancel::Cancel;
use h2r_setup::identity::certificate::Credential;
use std::sync::{Mutex, MutexGuard};

/// One value the session may hold.
pub struct Slot<T>(Mutex<Option<T>>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(Mutex::new(None))
    }
}

impl<T> Slot<T> {
    /// The held value (a poisoned lock is recovered: see the module documentation).
    pub fn lock(&self) -> MutexGuard<'_, Option<T>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
    /// Hold `value`; the value held before is returned.
    pub fn replace(&self, value: T) -> Option<T> {
        self.lock().replace(value)
    }
    pub fn take(&self) -> Option<T> {
        self.lock().take()
    }
    /// Hold `value` unless a value is held already (a newer one wins over one put back).
    pub fn put_back(&self, value: T) {
        self.lock().get_or_insert(value);
    }
}

/// Everything the window's session holds (Tauri managed state).
#[derive(Default)]
pub struct Session {
    /// The AD service account's password (Test connection step).
    pub ad_password: AdPassword,
    /// The key generated or imported at the key pair step, until the agent folder is written.
    pub pending_key: Slot<Pending>,
    /// The Customer Owned Application's certificate credential, until the session ends.
    pub credential: Slot<Credential>,
    /// The running key generation, Microsoft sign-in, domain controller check, Exchange check.
    pub key_generation: Slot<Cancel>,
    pub sign_in: Slot<Cancel>,
    pub ldap_check: Slot<Cancel>,
    pub exchange_check: Slot<Cancel>,
    /// The running certificate generation or save (Customer Owned Application).
    pub certificate: Slot<Cancel>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("ad_password", &self.ad_password)
            .field("pending_key", &self.pending_key.lock().is_some())
            .field("credential", &self.credential.lock().is_some())
            .finish_non_exhaustive()
    }
}

/// Start a new wait of a kind: the previous one of the same kind (if any) is cancelled.
macro_rules! begin {
    ($slot:expr, $new:expr) => {{
        let token = $new;
        if let Some(old) = $slot.replace(token.clone()) {
            old.cancel();
        }
        token
    }};
}
pub(crate) use begin;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_slot_is_recovered_and_keeps_its_value() {
        let slot = std::sync::Arc::new(Slot::<u32>::default());
        slot.replace(7);
        let s2 = slot.clone();
        let _ = std::thread::spawn(move || {
            let _guard = s2.lock();
            panic!("a holder panics");
        })
        .join();
        assert!(slot.0.is_poisoned());
        assert_eq!(*slot.lock(), Some(7));
        assert_eq!(slot.replace(8), Some(7));
        slot.put_back(9);
        assert_eq!(slot.take(), Some(8), "put_back keeps the newer value");
    }

    #[test]
    fn begin_cancels_the_previous_wait_of_its_kind() {
        let session = Session::default();
        let first = begin!(session.sign_in, Cancel::new());
        let second = begin!(session.sign_in, Cancel::new());
        assert!(first.is_cancelled());
        assert!(!second.is_cancelled());
    }
}
