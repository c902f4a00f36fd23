//! Preclear checks customs declarations before they are lodged: it reads a WCO Data Model
//! declaration, validates its codes, computes duties and taxes from a real tariff, flags
//! prohibited and restricted goods, and reports every finding with its location.
//!
//! The core does no I/O: it takes bytes and already-loaded tariffs, so the same code runs
//! natively and in WebAssembly.

pub mod assess;
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod codes;
pub mod date;
pub mod decl;
pub mod finding;
pub mod fxhash;
pub mod impact;
pub mod report;
pub mod risk;
pub mod rules;
pub mod screen;
pub mod source;
pub mod tariff;

pub use check::{CheckOptions, Checker, Tariffs, check};
pub use date::Date;
pub use finding::{Code, Finding, Location, Provenance, Severity};
pub use report::Report;
