//! Duty expressions: the grammar of rate texts such as `12.80% + 176.80 EUR / 100 kg` or
//! `$1.104/kg + 14.9%`, parsed into an exact syntax tree.
