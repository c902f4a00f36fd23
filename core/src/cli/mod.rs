//! The `preclear` command line (behind the `cli` feature).

pub mod tariff;
