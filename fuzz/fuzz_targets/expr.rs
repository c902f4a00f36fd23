//! The duty-expression parsers (TARIC and the three US grammars) on arbitrary text: no
//! panic, no hang; what parses prints in a canonical form that parses back to the same tree,
//! and evaluating it never panics (an overflow is an error, not a crash).
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclear::Date;
use preclear::assess::evaluate::{Inputs, Quantity, evaluate};
use preclear::tariff::expr::{DutyExpr, UnitCode, parse_taric, parse_us, parse_us_special};
use rust_decimal::Decimal;

fn evaluate_all(expr: &DutyExpr) {
    let rates = |currency: &str| match currency {
        "EUR" => Some(Decimal::new(11_75, 2)),
        "USD" => Some(Decimal::new(1_2406, 4)),
        _ => None,
    };
    let quantities = [
        Quantity { amount: Decimal::MAX, unit: UnitCode::Kgm, qualifier: None, source: "net mass" },
        Quantity {
            amount: Decimal::new(3, 28),
            unit: UnitCode::Ltr,
            qualifier: None,
            source: "supplementary units",
        },
    ];
    for value in [Decimal::ZERO, Decimal::new(1_000_00, 2), Decimal::MAX, Decimal::MIN] {
        let inputs = Inputs {
            value,
            currency: "GBP",
            quantities: &quantities,
            date: Date::new(2024, 2, 29).expect("a date"),
            rates: &rates,
        };
        let _ = evaluate(expr, &inputs);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(expr) = parse_taric(text) {
        let printed = expr.to_string();
        assert_eq!(parse_taric(&printed).as_ref(), Ok(&expr), "`{text}` prints as `{printed}`");
        let _ = (expr.required_units(), expr.repairs(), expr.is_not_computable());
        evaluate_all(&expr);
    }
    if let Ok(expr) = parse_us(text) {
        let printed = expr.to_string();
        assert_eq!(parse_us(&printed).as_ref(), Ok(&expr), "`{text}` prints as `{printed}`");
        let _ = (expr.required_units(), expr.repairs());
        evaluate_all(&expr);
    }
    if let Ok(special) = parse_us_special(text) {
        let printed = special.to_string();
        assert_eq!(
            parse_us_special(&printed).as_ref(),
            Ok(&special),
            "`{text}` prints as `{printed}`"
        );
    }
    if let Err(error) = parse_taric(text) {
        let _ = error.to_string();
    }
});
