//! Integration tests: identity
