//! The one cancel switch of the crate, shared between a Cancel button (window or Ctrl-C) and a
//! running task: key generation, sign-in, the Exchange and LDAPS checks.
//!
//! It is tokio-util's `CancellationToken` (cloning shares it; `cancel()` flips it once;
//! `is_cancelled()` polls it from blocking code; `cancelled().await` resolves once it is
//! flipped, immediately if it already was) rather than a hand-written flag or channel.

pub use tokio_util::sync::CancellationToken as Cancel;

#[cfg(test)]
mod tests {
    use super::Cancel;

    #[tokio::test]
    async fn clones_share_one_switch() {
        let a = Cancel::new();
        let b = a.clone();
        assert!(!b.is_cancelled());
        a.cancel();
        assert!(b.is_cancelled());
        // Resolves at once when already cancelled.
        b.cancelled().await;
    }
}
