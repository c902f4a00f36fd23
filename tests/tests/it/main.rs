//! Preclear's integration tests, in one binary so that the workspace links the library and the
//! bundled tariffs into one test executable instead of one per file. Each module is one suite:
//! `fixtures` is the data-driven harness over `fixtures/`, `conformance` and `reconcile` read the
//! shared corpus, `hostile` and `nothing_lost` feed broken input, and so on.

mod conformance;
mod expr_coverage;
mod fixtures;
mod hostile;
mod nothing_lost;
mod properties;
mod reconcile;
mod risk;
mod screening;
mod screening_packs;
mod sourcegen;
mod tariff_lookup;
mod tariff_packs;
mod tariff_snapshots;
mod tariff_updates;
mod validation;
