//! The TARIC duty-sentence grammar: EU CET and UK Global Tariff rate columns, and the UK
//! Trade Tariff API `duty_expression`.
//!
//! ```ebnf
//! cell      = "Entry Price" | "NIHIL" | unit | seasonal ;
//! seasonal  = sentence , [ periods , { "," , sentence , [ periods ] } ] ;   (* a missing last period is a known data error *)
//! sentence  = compound , { ( "MIN" | "MAX" ) , compound } ;             (* splits at the last MIN/MAX *)
//! compound  = [ "-" ] , term , { ( "+" | "-" ) , term } ;
//! term      = agricultural | amount , money , [ "/" , unit , [ ( "/" | " " ) , qualifier ] ] ;
//! agricultural = "EA" | "EAR" | "ADSZ" | "ADSZR" | "ADFM" | "ADFMR"
//!           | ( "AC" | "SD" | "FD" ) , [ "(reduced)" ] ;
//! money     = "%" | "EUR" | "GBP" | "XEM" | "€" ;
//! periods   = "(" , range , { "," , range } , ")" ;
//! range     = day , [ month ] , "-" , day , month ;                      (* "01-31 DEC" *)
//! ```
//!
//! Units and qualifiers are looked up in [`super::units`]; spacing around `/` is free.
//! The CET has a few cells whose leading amount lacks its `%` (`6.4 + 24.6 EUR/100 kg`,
//! `7.2 MIN 0.36 EUR/100 kg`): a bare number that starts a sentence and is followed by `+`,
//! `MIN` or `MAX` is read as a percentage and the rate is marked [`Rate::repaired`]. A bare
//! number anywhere else is an error.

use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::combinator::{opt, value};

use super::ast::{
    Agricultural, Amount, Bound, Component, Currency, DayRange, DutyExpr, MONTHS, Money, Op, Rate,
    Season, Term,
};
use super::error::{Expected, PResult, commit, fail, fatal, label};
use super::lex::{decimal, found, keyword, lookup, small_uint, sp0};
use super::units::{TARIC_QUALIFIERS, TARIC_UNITS, Unit};

/// The most `MIN`/`MAX` bounds one sentence may have. Real sentences have at most two; the
/// cap keeps the nesting of [`DutyExpr::Bounded`] (and so recursion over it) shallow.
const MAX_BOUNDS: usize = 8;

/// What may follow a complete sentence.
const AFTER_SENTENCE: Expected =
    Expected::OPERATOR.union(Expected::BOUND).union(Expected::DATE_RANGE).union(Expected::END);

/// A whole TARIC cell.
pub(crate) fn cell(input: &str) -> PResult<'_, DutyExpr> {
    if let Ok((rest, _)) = keyword("Entry Price")(input) {
        return complete(rest, DutyExpr::EntryPrice, Expected::END);
    }
    if let Ok((rest, _)) = keyword("NIHIL")(input) {
        return complete(rest, DutyExpr::Nihil, Expected::END);
    }
    if let Ok((rest, unit)) = unit(input) {
        let whole = complete(rest, DutyExpr::SupplementaryUnit(unit), Expected::END);
        // A cell that starts with a digit is a rate, unless a unit is all it holds: `tonne`
        // prints as `1,000 kg`, which must parse back.
        if !input.starts_with(|c: char| c.is_ascii_digit()) || whole.is_ok() {
            return whole;
        }
    }
    let (rest, (expr, after)) = seasonal(input)?;
    complete(rest, expr, after)
}

/// Succeeds with `value` only at the end of the input.
fn complete<T>(rest: &str, value: T, expected: Expected) -> PResult<'_, T> {
    if rest.is_empty() { Ok((rest, value)) } else { fatal(sp0(rest), expected) }
}

/// A sentence, or seasonal sentences; also returns what could have followed.
fn seasonal(input: &str) -> PResult<'_, (DutyExpr, Expected)> {
    let (rest, first) = sentence(input, true)?;
    let (mut rest, Some(first_periods)) = opt(periods).parse(rest)? else {
        return Ok((rest, (first, AFTER_SENTENCE)));
    };
    let mut seasons = vec![Season { rate: first, periods: first_periods }];
    let mut after = Expected::COMMA.union(Expected::END);
    while let Some(next) = sp0(rest).strip_prefix(',') {
        let next = sp0(next);
        let (r, rate) = commit(label(next, Expected::RATE, sentence(next, false)))?;
        let (r, more) = opt(periods).parse(r)?;
        rest = r;
        let last = more.is_none();
        seasons.push(Season { rate, periods: more.unwrap_or_default() });
        if last {
            // Only the last rate may lack its periods.
            after = AFTER_SENTENCE;
            break;
        }
    }
    Ok((rest, (DutyExpr::Seasonal(seasons), after)))
}

/// `compound { MIN|MAX compound }`, nested so that the last bound is outermost.
fn sentence(input: &str, leading: bool) -> PResult<'_, DutyExpr> {
    let (mut rest, first) = compound(input, leading)?;
    let mut expr = DutyExpr::Compound(first);
    let mut bounds = 0;
    while let Ok((r, bound)) = bound_keyword(rest) {
        bounds += 1;
        if bounds > MAX_BOUNDS {
            return fatal(sp0(rest), Expected::FEWER_BOUNDS);
        }
        let r = sp0(r);
        let (r, limit) = commit(label(r, Expected::RATE, compound(r, false)))?;
        expr = DutyExpr::Bounded { base: Box::new(expr), bound, limit };
        rest = r;
    }
    Ok((rest, expr))
}

fn bound_keyword(input: &str) -> PResult<'_, Bound> {
    let input = sp0(input);
    alt((value(Bound::Min, keyword("MIN")), value(Bound::Max, keyword("MAX")))).parse(input)
}

/// `[-] term { (+|-) term }`.
fn compound(input: &str, leading: bool) -> PResult<'_, Vec<Component>> {
    let (first_op, start) = match input.strip_prefix('-') {
        Some(rest) => (Op::Minus, sp0(rest)),
        None => (Op::Plus, input),
    };
    let (mut rest, term) = term(start, leading)?;
    let mut components = vec![Component { op: first_op, term }];
    loop {
        let after = sp0(rest);
        let (op, next) = if let Some(next) = after.strip_prefix('+') {
            (Op::Plus, next)
        } else if let Some(next) = after.strip_prefix('-') {
            (Op::Minus, next)
        } else {
            break;
        };
        let next = sp0(next);
        let (r, term) = commit(label(next, Expected::RATE, self::term(next, false)))?;
        components.push(Component { op, term });
        rest = r;
    }
    Ok((rest, components))
}

/// An agricultural component or a rate.
fn term(input: &str, leading: bool) -> PResult<'_, Term> {
    if let Ok((rest, component)) = agricultural(input) {
        return Ok((rest, Term::Agricultural(component)));
    }
    let (rest, rate) = rate(input, leading)?;
    Ok((rest, Term::Rate(rate)))
}

fn agricultural(input: &str) -> PResult<'_, Agricultural> {
    // UK spellings: `AC`, `SD`, `FD`, each optionally `(reduced)`.
    let uk = |word: &'static str, full: Agricultural, reduced: Agricultural| {
        move |i| {
            let (rest, _) = keyword(word)(i)?;
            match reduced_suffix(rest) {
                Ok((rest, ())) => Ok((rest, reduced)),
                Err(_) => Ok((rest, full)),
            }
        }
    };
    alt((
        value(Agricultural::Adszr, keyword("ADSZR")),
        value(Agricultural::Adsz, keyword("ADSZ")),
        value(Agricultural::Adfmr, keyword("ADFMR")),
        value(Agricultural::Adfm, keyword("ADFM")),
        value(Agricultural::Ear, keyword("EAR")),
        value(Agricultural::Ea, keyword("EA")),
        uk("AC", Agricultural::Ea, Agricultural::Ear),
        uk("SD", Agricultural::Adsz, Agricultural::Adszr),
        uk("FD", Agricultural::Adfm, Agricultural::Adfmr),
    ))
    .parse(input)
}

fn reduced_suffix(input: &str) -> PResult<'_, ()> {
    let (rest, _) = tag("(reduced)").parse(sp0(input))?;
    Ok((rest, ()))
}

/// `amount money [/ unit [qualifier]]`, or a bare leading amount (see the module docs).
fn rate(input: &str, leading: bool) -> PResult<'_, Rate> {
    let (rest, amount) = label(input, Expected::RATE, decimal(input))?;
    let amount = Amount::decimal(amount);
    let after = sp0(rest);
    let Ok((rest, money)) = money(after) else {
        if leading && bare_amount_ends(rest) {
            let rate = Rate { repaired: true, ..Rate::percent(amount.value) };
            return Ok((rest, rate));
        }
        return fatal(after, Expected::MONEY);
    };
    let (rest, unit) = per_unit(rest)?;
    Ok((rest, Rate { amount, money, unit, basis: None, repaired: false }))
}

/// Whether a bare amount is followed by `+`, `MIN` or `MAX`.
fn bare_amount_ends(rest: &str) -> bool {
    rest.starts_with(' ') && (sp0(rest).starts_with('+') || bound_keyword(rest).is_ok())
}

fn money(input: &str) -> PResult<'_, Money> {
    alt((
        value(Money::Percent, tag("%")),
        value(Money::Currency(Currency::EUR), keyword("EUR")),
        value(Money::Currency(Currency::GBP), keyword("GBP")),
        value(Money::Currency(Currency::XEM), keyword("XEM")),
        value(Money::Currency(Currency::EUR), tag("€")),
    ))
    .parse(input)
}

/// `/ unit [qualifier]`, optional; once the `/` is there the unit must follow.
fn per_unit(input: &str) -> PResult<'_, Option<Unit>> {
    let Some(after) = sp0(input).strip_prefix('/') else {
        return Ok((input, None));
    };
    let (rest, unit) = commit(label(sp0(after), Expected::UNIT, unit(sp0(after))))?;
    Ok((rest, Some(unit)))
}

/// A unit and its optional qualifier: `100 kg / net drained wt`, `100kg eda`, `% vol / hl`.
fn unit(input: &str) -> PResult<'_, Unit> {
    let (rest, spelling) = found(input, Expected::UNIT, lookup(input, TARIC_UNITS, false))?;
    let mut unit = Unit { code: spelling.value, label: spelling.label, qualifier: None };
    let (rest, qualifier) = qualifier(rest)?;
    unit.qualifier = qualifier;
    Ok((rest, unit))
}

fn qualifier(input: &str) -> PResult<'_, Option<super::units::Qualifier>> {
    if let Some(after) = sp0(input).strip_prefix('/') {
        let after = sp0(after);
        let (rest, q) =
            commit(found(after, Expected::QUALIFIER, lookup(after, TARIC_QUALIFIERS, false)))?;
        return Ok((rest, Some(q.value)));
    }
    // UK style, after a space: `GBP/100kg eda`, `GBP/100kg std qual`.
    if let Some(after) = input.strip_prefix(' ')
        && let Some((rest, q)) = lookup(after, TARIC_QUALIFIERS, false)
    {
        return Ok((rest, Some(q.value)));
    }
    Ok((input, None))
}

/// `(range, range, ...)`; once the `(` is there the ranges must follow.
fn periods(input: &str) -> PResult<'_, Vec<DayRange>> {
    let Some(after) = sp0(input).strip_prefix('(') else {
        return fail(input, Expected::DATE_RANGE);
    };
    let (mut rest, first) = commit(range(sp0(after)))?;
    let mut ranges = vec![first];
    loop {
        let after = sp0(rest);
        if let Some(next) = after.strip_prefix(',') {
            let (r, range) = commit(range(sp0(next)))?;
            ranges.push(range);
            rest = r;
        } else if let Some(r) = after.strip_prefix(')') {
            return Ok((r, ranges));
        } else {
            return fatal(after, Expected::COMMA.union(Expected::CLOSE));
        }
    }
}

/// `day [month] - day month`.
fn range(input: &str) -> PResult<'_, DayRange> {
    let (rest, from_day) = day(input)?;
    let (rest, from_month) = match rest.strip_prefix(' ').map(month) {
        Some(Ok((rest, month))) => (rest, Some(month)),
        _ => (rest, None),
    };
    let Some(rest) = sp0(rest).strip_prefix('-') else {
        let expected = if from_month.is_some() {
            Expected::DASH
        } else {
            Expected::MONTH.union(Expected::DASH)
        };
        return fail(sp0(rest), expected);
    };
    let (rest, to_day) = day(sp0(rest))?;
    let (rest, to_month) = label(sp0(rest), Expected::MONTH, month(sp0(rest)))?;
    Ok((rest, DayRange { from_day, from_month, to_day, to_month }))
}

fn day(input: &str) -> PResult<'_, u8> {
    match small_uint(input) {
        Ok((rest, day @ 1..=31)) => Ok((rest, u8::try_from(day).unwrap_or(1))),
        _ => fail(input, Expected::DAY),
    }
}

/// A month name: the three-letter TARIC abbreviation, or the full name (`JUNE`).
fn month(input: &str) -> PResult<'_, u8> {
    let len = input.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = input.get(..len).unwrap_or_default();
    let month = MONTHS.iter().zip(1u8..).find_map(|(name, number)| {
        let full = FULL_MONTHS.get(usize::from(number - 1)).copied().unwrap_or_default();
        (word.eq_ignore_ascii_case(name)
            || word.eq_ignore_ascii_case(full)
            || (number == 9 && word.eq_ignore_ascii_case("SEPT")))
        .then_some(number)
    });
    match (month, input.get(len..)) {
        (Some(month), Some(rest)) => Ok((rest, month)),
        _ => fail(input, Expected::MONTH),
    }
}

const FULL_MONTHS: [&str; 12] = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
];

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::super::ast::{Bound, DutyExpr, Money, Repair, Term};
    use super::super::units::{Qualifier, UnitCode};
    use super::super::{ExprError, parse_taric};
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Parses, checks the canonical print and that it parses back to the same tree.
    fn check(text: &str, canonical: &str) -> DutyExpr {
        let expr = parse_taric(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(expr.to_string(), canonical, "{text}");
        assert_eq!(parse_taric(canonical).as_ref(), Ok(&expr), "{canonical}");
        expr
    }

    fn err(text: &str) -> ExprError {
        match parse_taric(text) {
            Ok(expr) => panic!("{text} parsed as {expr:?}"),
            Err(e) => e,
        }
    }

    fn single_rate(expr: &DutyExpr) -> &Rate {
        match expr {
            DutyExpr::Compound(cs) => match cs.as_slice() {
                [Component { term: Term::Rate(rate), .. }] => rate,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ad_valorem_keeps_scale() {
        let expr = check("12.80%", "12.80%");
        assert_eq!(single_rate(&expr).amount.value.scale(), 2);
        check("0.0%", "0.0%");
        check("10.0%", "10.0%");
        check("0.00 %", "0.00%");
        check("20.00 %", "20.00%");
    }

    #[test]
    fn specific_rates_normalise_units() {
        let expr = check("176.80 EUR / 100 kg", "176.80 EUR / 100 kg");
        let rate = single_rate(&expr);
        assert_eq!(rate.money, Money::Currency(Currency::EUR));
        assert_eq!(rate.unit.unwrap().code, UnitCode::Dtn);
        check("34.00 GBP/100kg", "34.00 GBP / 100 kg");
        check("32.00 EUR / hl", "32.00 EUR / hl");
        check("26.00 GBP/hl", "26.00 GBP / hl");
        let expr = check("114.00 EUR / tonne", "114.00 EUR / 1,000 kg");
        assert_eq!(single_rate(&expr).unit.unwrap().code, UnitCode::Tne);
        check("1,024.00 EUR / tonne", "1024.00 EUR / 1,000 kg");
        check("52.00 EUR / 1,000 items", "52.00 EUR / 1,000 p/st");
        check("43.00 GBP/1000 items", "43.00 GBP / 1,000 p/st");
        check("127.00 GBP/ 1000 items", "127.00 GBP / 1,000 p/st");
        check("0.20 GBP/ item", "0.20 GBP / p/st");
        check("5.00 EUR / 100 m", "5.00 EUR / 100 m");
        check("2.80 EUR / m2", "2.80 EUR / m2");
        check("0.300 XEM / 100 kg / lactic matter", "0.300 XEM / 100 kg / lactic matter");
        check("144.10 GBP / 1000 kg/biodiesel", "144.10 GBP / 1,000 kg / biodiesel");
    }

    #[test]
    fn qualifiers() {
        let q = |text: &str| single_rate(&parse_taric(text).unwrap()).unit.unwrap();
        let unit = q("1.75 EUR / % vol / hl");
        assert_eq!((unit.code, unit.qualifier), (UnitCode::Asv, Some(Qualifier::Hectolitre)));
        check("1.00 GBP/%vol/hl", "1.00 GBP / % vol / hl");
        assert_eq!(q("1.19 EUR / kg / lactic matter").qualifier, Some(Qualifier::LacticMatter));
        assert_eq!(
            q("0.07 EUR / kg / dry lactic matter").qualifier,
            Some(Qualifier::DryLacticMatter)
        );
        assert_eq!(
            q("9.40 EUR / 100 kg / net drained wt").qualifier,
            Some(Qualifier::NetDrainedWeight)
        );
        assert_eq!(q("7.80 GBP/100kg eda").qualifier, Some(Qualifier::NetDrainedWeight));
        assert_eq!(q("0.60 EUR / 100 kg / gross").qualifier, Some(Qualifier::Gross));
        assert_eq!(q("50.70 EUR / 100 kg / net dry").qualifier, Some(Qualifier::NetDry));
        assert_eq!(q("42.00 GBP/100kg mas").qualifier, Some(Qualifier::NetDry));
        assert_eq!(q("33.90 EUR / 100 kg / std qual").qualifier, Some(Qualifier::StandardQuality));
        assert_eq!(q("28.00 GBP/100kg std qual").qualifier, Some(Qualifier::StandardQuality));
        assert_eq!(q("1.62 EUR / kg / tot alc").qualifier, Some(Qualifier::TotalAlcohol));
        for text in [
            "0.40 EUR / 100 kg /net/ % sacchar.",
            "0.40 EUR / 100 kg / net/% sacchar.",
            "0.40 EUR/100 kg/net/ % sacchar.",
            "0.30 GBP/100kg/net/%sacchar.",
        ] {
            assert_eq!(q(text).qualifier, Some(Qualifier::NetSacchar), "{text}");
        }
        check("0.30 GBP/100kg/net/%sacchar.", "0.30 GBP / 100 kg / net/% sacchar.");
        check("4.00% + 7.80 GBP/100kg eda", "4.00% + 7.80 GBP / 100 kg / net drained wt");
    }

    #[test]
    fn compounds() {
        let expr = check("12.80% + 176.80 EUR / 100 kg", "12.80% + 176.80 EUR / 100 kg");
        assert_eq!(expr.required_units().len(), 1);
        check(
            "1.19 EUR / kg / lactic matter + 27.50 EUR / 100 kg",
            "1.19 EUR / kg / lactic matter + 27.50 EUR / 100 kg",
        );
        let expr =
            check("0.90 EUR / % vol / hl + 6.40 EUR / hl", "0.90 EUR / % vol / hl + 6.40 EUR / hl");
        let units: Vec<_> = expr.required_units().iter().map(|u| (u.code, u.qualifier)).collect();
        assert_eq!(units, [(UnitCode::Asv, Some(Qualifier::Hectolitre)), (UnitCode::Hlt, None)]);
        check(
            "40.00% + 121.00 EUR / hl + 20.60 EUR / 100 kg",
            "40.00% + 121.00 EUR / hl + 20.60 EUR / 100 kg",
        );
        check(
            "40.00% + 101.00 GBP/hl + 17 GBP/100kg",
            "40.00% + 101.00 GBP / hl + 17 GBP / 100 kg",
        );
        let expr = check("- 5.0%", "- 5.0%");
        assert!(matches!(&expr, DutyExpr::Compound(cs) if cs[0].op == Op::Minus));
        check("10.0% - 3.0 EUR / 100 kg", "10.0% - 3.0 EUR / 100 kg");
    }

    #[test]
    fn agricultural_components() {
        let expr = check("9.00% +  EA", "9.00% + EA");
        assert!(
            matches!(&expr, DutyExpr::Compound(cs) if cs[1].term == Term::Agricultural(Agricultural::Ea))
        );
        let expr = check("8.30% +  EA MAX 18.70%  + ADSZ", "8.30% + EA MAX 18.70% + ADSZ");
        let DutyExpr::Bounded { base, bound: Bound::Max, limit } = &expr else {
            panic!("{expr:?}")
        };
        assert_eq!(base.to_string(), "8.30% + EA");
        assert_eq!(limit[1].term, Term::Agricultural(Agricultural::Adsz));
        check("9.00% +  EA MAX 20.70%  + ADFM", "9.00% + EA MAX 20.70% + ADFM");
        check("9.00% + EAR MAX 20.70% + ADSZR", "9.00% + EAR MAX 20.70% + ADSZR");
        check("9.00% + AC MAX 20.70% + SD", "9.00% + EA MAX 20.70% + ADSZ");
        check("9.00% + AC (reduced) MAX 20.70% + FD (reduced)", "9.00% + EAR MAX 20.70% + ADFMR");
        check("9.00% + ADFMR", "9.00% + ADFMR");
    }

    #[test]
    fn min_and_max_split_at_the_last() {
        let expr = check(
            "18.40% MIN 22.00 EUR / 100 kg MAX 24.00 EUR / 100 kg",
            "18.40% MIN 22.00 EUR / 100 kg MAX 24.00 EUR / 100 kg",
        );
        let DutyExpr::Bounded { base, bound: Bound::Max, limit } = &expr else { panic!() };
        assert!(matches!(**base, DutyExpr::Bounded { bound: Bound::Min, .. }));
        assert_eq!(limit.len(), 1);
        check(
            "4.50% MIN 0.30 EUR / item MAX 0.80 EUR / item",
            "4.50% MIN 0.30 EUR / p/st MAX 0.80 EUR / p/st",
        );
        check("0.50 EUR / item MIN 2.70% MAX 4.60%", "0.50 EUR / p/st MIN 2.70% MAX 4.60%");
        let expr =
            check("6.20% + 27.10 EUR / 100 kg MAX 17.90%", "6.20% + 27.10 EUR / 100 kg MAX 17.90%");
        let DutyExpr::Bounded { base, .. } = &expr else { panic!() };
        assert!(matches!(&**base, DutyExpr::Compound(cs) if cs.len() == 2));
        check("6.50% MAX 5.00 EUR / 100 m", "6.50% MAX 5.00 EUR / 100 m");
        check("12.00% MIN 0.40 EUR / 100 kg", "12.00% MIN 0.40 EUR / 100 kg");
        check("17.30% MIN 1.00 EUR / % vol / hl", "17.30% MIN 1.00 EUR / % vol / hl");
        check("1.30 EUR / % vol / hl MIN 7.20 EUR / hl", "1.30 EUR / % vol / hl MIN 7.20 EUR / hl");
        check(
            "9.10% + 45.10 EUR / 100 kg MAX 18.90% + 16.50 EUR / 100 kg",
            "9.10% + 45.10 EUR / 100 kg MAX 18.90% + 16.50 EUR / 100 kg",
        );
        check(
            "16.50 % / Retail Price + 244.78 GBP / 1000 p/st MIN 320.90 GBP / 1000 p/st",
            "16.50% / Retail Price + 244.78 GBP / 1,000 p/st MIN 320.90 GBP / 1,000 p/st",
        );
    }

    #[test]
    fn seasonal_rates() {
        let expr = check(
            "15.00% (01 JAN-14 FEB, 16 JUN-31 DEC), 0.00% (15 FEB-15 JUN)",
            "15.00% (01 JAN-14 FEB, 16 JUN-31 DEC), 0.00% (15 FEB-15 JUN)",
        );
        let DutyExpr::Seasonal(seasons) = &expr else { panic!() };
        assert_eq!(seasons.len(), 2);
        assert_eq!(
            seasons[0].periods[1],
            DayRange { from_day: 16, from_month: Some(6), to_day: 31, to_month: 12 }
        );
        assert!(expr.repairs().is_empty());
        check(
            "14.00% (01 JUL - 31 JAN), 0.00% (01 FEB - 30 JUN)",
            "14.00% (01 JUL-31 JAN), 0.00% (01 FEB-30 JUN)",
        );
        check(
            "8.50% (01 JAN-31 MAY, 1 NOV-31 DEC), 12.00% (01 JUN-31 OCT)",
            "8.50% (01 JAN-31 MAY, 01 NOV-31 DEC), 12.00% (01 JUN-31 OCT)",
        );
        check(
            "13.60% (01 JAN-30 APR, 01 OCT-31  DEC), 10.40% (01 MAY-30 SEP)",
            "13.60% (01 JAN-30 APR, 01 OCT-31 DEC), 10.40% (01 MAY-30 SEP)",
        );
        check(
            "8.00% (01 JAN - 31 JAN), 4.00% (01 FEB - 31 MAR), 0.00% (01 APR - 31 JUL), 10.00% (01 AUG - 31 DEC)",
            "8.00% (01 JAN-31 JAN), 4.00% (01 FEB-31 MAR), 0.00% (01 APR-31 JUL), 10.00% (01 AUG-31 DEC)",
        );
    }

    #[test]
    fn seasonal_data_errors() {
        // `JUNE` for `JUN`.
        let expr = check(
            "9.60% (01 JAN-15 MAY), 13.40% (16 MAY-30 JUNE)",
            "9.60% (01 JAN-15 MAY), 13.40% (16 MAY-30 JUN)",
        );
        assert!(expr.repairs().is_empty());
        // `€`, `/br`, `/net`, no-break spaces.
        check(
            "10.40% MIN 1.3€/100kg/br (01 JAN-31 MAR, 01 DEC-31 DEC), 12.00% MIN 2€/100kg/br (01 APR-30 NOV)",
            "10.40% MIN 1.3 EUR / 100 kg / gross (01 JAN-31 MAR, 01 DEC-31 DEC), 12.00% MIN 2 EUR / 100 kg / gross (01 APR-30 NOV)",
        );
        // A last rate without a period.
        let expr = check(
            "9.60% MIN 1.1\u{a0}€/100\u{a0}kg/net (01 JAN-14 APR, 1 DEC-31 DEC), 13.60% MIN 1.6€/100kg/net",
            "9.60% MIN 1.1 EUR / 100 kg / net (01 JAN-14 APR, 01 DEC-31 DEC), 13.60% MIN 1.6 EUR / 100 kg / net",
        );
        assert_eq!(expr.repairs(), [Repair::SeasonWithoutPeriod]);
        // An impossible date.
        let expr = check(
            "11.20% (01 JAN-31 APR, 01 AUG-31 DEC), 12.80% MIN 2.4€/100kg/net (01 MAY-31 JUL)",
            "11.20% (01 JAN-31 APR, 01 AUG-31 DEC), 12.80% MIN 2.4 EUR / 100 kg / net (01 MAY-31 JUL)",
        );
        assert_eq!(expr.repairs(), [Repair::ImpossibleDate { day: 31, month: 4 }]);
        // A range without its first month.
        let expr = check(
            "4.00% (01 JAN-31 MAR, 01-31 DEC), 5.10% (01 JUN-30 NOV)",
            "4.00% (01 JAN-31 MAR, 01-31 DEC), 5.10% (01 JUN-30 NOV)",
        );
        assert_eq!(expr.repairs(), [Repair::MissingStartMonth]);
        let DutyExpr::Seasonal(seasons) = &expr else { panic!() };
        assert_eq!(seasons[0].periods[1].start_month(), 12);
    }

    #[test]
    fn missing_percent_is_repaired() {
        for (text, canonical) in [
            ("6.4 + 24.6 EUR/100 kg", "6.4 + 24.6 EUR / 100 kg"),
            ("7.2 MIN 0.36 EUR/100 kg", "7.2 MIN 0.36 EUR / 100 kg"),
            ("8.3 + 3.8 EUR/100 kg eda", "8.3 + 3.8 EUR / 100 kg / net drained wt"),
        ] {
            let expr = check(text, canonical);
            assert_eq!(expr.repairs(), [Repair::MissingPercent], "{text}");
        }
        let expr = parse_taric("6.4 + 24.6 EUR/100 kg").unwrap();
        let DutyExpr::Compound(cs) = &expr else { panic!() };
        let Term::Rate(rate) = &cs[0].term else { panic!() };
        assert_eq!(
            (rate.money, rate.amount.value, rate.repaired),
            (Money::Percent, dec("6.4"), true)
        );
    }

    #[test]
    fn whole_cell_forms() {
        assert_eq!(check("Entry Price", "Entry Price"), DutyExpr::EntryPrice);
        assert_eq!(check("NIHIL", "NIHIL"), DutyExpr::Nihil);
        // Found by fuzzing: `tonne` prints as `1,000 kg`, which did not parse back.
        let tonne = check("  tonne", "1,000 kg");
        assert!(matches!(tonne, DutyExpr::SupplementaryUnit(u) if u.code == UnitCode::Tne));
        assert_eq!(check("1,000 kg", "1,000 kg"), tonne);
        let expr = check("p/st", "p/st");
        assert!(matches!(expr, DutyExpr::SupplementaryUnit(u) if u.code == UnitCode::Nar));
        assert_eq!(expr.required_units().len(), 1);
    }

    #[test]
    fn html_from_the_uk_api() {
        check(
            "<span>14.40</span> % + <span>1.10</span> EUR / <abbr title='Hectokilogram'>100 kg</abbr>",
            "14.40% + 1.10 EUR / 100 kg",
        );
    }

    #[test]
    fn malformed_input_reports_the_column() {
        let cases: &[(&str, usize, Expected)] = &[
            ("", 1, Expected::RATE),
            ("abc", 1, Expected::RATE),
            ("12,80%", 3, Expected::MONEY),
            ("12.80", 6, Expected::MONEY),
            ("12.80% +", 9, Expected::RATE),
            ("12.80% + ", 9, Expected::RATE),
            ("12.80% MIN", 11, Expected::RATE),
            ("12.80% + 176.80 EUR / 100 kgs", 23, Expected::UNIT),
            ("12.80% + 176.80 EUR /", 22, Expected::UNIT),
            ("176.80 EUR / 100 kg / wet", 23, Expected::QUALIFIER),
            ("12.80% foo", 8, AFTER_SENTENCE),
            ("12 USD / kg", 4, Expected::MONEY),
            ("15.00% (01 JAN-14 FEB", 22, Expected::COMMA.union(Expected::CLOSE)),
            ("15.00% (01 JAX-14 FEB)", 12, Expected::MONTH.union(Expected::DASH)),
            ("15.00% (32 JAN-14 FEB)", 9, Expected::DAY),
            ("15.00% (01 JAN-14)", 18, Expected::MONTH),
            ("15.00% (01 JAN-14 FEB), ", 24, Expected::RATE),
            ("Entry Price x", 13, Expected::END),
            ("6.4 EUR + 5", 12, Expected::MONEY),
            ("EA x", 4, AFTER_SENTENCE),
            (
                "1% MIN 1% MIN 1% MIN 1% MIN 1% MIN 1% MIN 1% MIN 1% MIN 1% MIN 1%",
                60,
                Expected::FEWER_BOUNDS,
            ),
        ];
        for &(text, column, expected) in cases {
            let e = err(text);
            assert_eq!((e.column(), e.expected()), (column, expected), "{text}: {e}");
        }
    }

    #[test]
    fn columns_count_in_the_original_text() {
        // Doubled spaces are collapsed before parsing, but the column is in the original.
        let e = err("9.00% +  EA MAX 18.70%  + ADSX");
        assert_eq!(e.column(), 27, "{e}");
        let e = err("1.1\u{a0}€/100\u{a0}kgs");
        assert_eq!(e.column(), 7, "{e}");
    }
}
