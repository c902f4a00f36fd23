//! Preclear checks customs declarations before they are lodged: it reads a WCO Data Model
//! declaration, validates its codes, computes duties and taxes from a real tariff, flags
//! prohibited and restricted goods, and reports every finding with its location.
//!
//! The core does no I/O: it takes bytes and already-loaded tariffs, so the same code runs
//! natively and in WebAssembly.

/// `format!` into a string with room for a typical report phrase from the start. `format!`
/// starts from the length of the literal pieces and grows the string as the arguments are
/// written: three or four reallocations for a phrase such as `6.00% × 1000.00 GBP`, and
/// assessment writes dozens of them for every goods item.
macro_rules! text {
    ($($argument:tt)*) => {{
        let mut text = String::with_capacity(64);
        // Writing to a `String` cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!($($argument)*));
        text
    }};
}

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
mod memo;
pub mod report;
pub mod risk;
pub mod rules;
pub mod screen;
pub mod source;
pub mod tariff;
#[cfg(test)]
mod test_files;

pub use check::{CheckOptions, Checker, Tariffs, check};
pub use date::Date;
pub use finding::{Code, Finding, Location, Provenance, Severity};
pub use report::Report;
