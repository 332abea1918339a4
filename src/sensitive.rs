//! The one secret-string type: zeroized when dropped, `<redacted>` in `Debug`, never
//! `Display`ed. Serialised as its plain text only where a secret must travel (the sealed agent
//! config, the token response); everything else reads it through [`Sensitive::expose`].

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// A secret string (password, passphrase, token).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Sensitive(Zeroizing<String>);

impl Sensitive {
    pub fn new(s: impl Into<String>) -> Self {
        Sensitive(Zeroizing::new(s.into()))
    }

    /// The secret itself: use it, never log or show it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Serialize for Sensitive {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Sensitive {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Sensitive(Zeroizing::new(String::deserialize(d)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted_and_serde_is_the_plain_text() {
        let s = Sensitive::new("hunter2");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(<redacted>)");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "\"hunter2\"");
        assert_eq!(serde_json::from_str::<Sensitive>(&json).unwrap(), s);
        assert_eq!(s.expose(), "hunter2");
        assert!(!s.is_empty() && Sensitive::default().is_empty());
    }
}
