//! Reports (placeholder)
