//! Integration tests: keys
