//! Integration tests: common
