//! Integration tests: validate
