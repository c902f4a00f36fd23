//! Tariff data: packs, nomenclature, measures and the duty-expression language.

pub mod expr;
