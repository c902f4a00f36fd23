//! The HTSUS rate grammar: the `general` and `other` columns, and the `special` column.
//!
//! ```ebnf
//! cell        = free | no_change | provided_in | text | expression ;
//! free        = "Free" , [ "," , text ] ;                    (* "Free, under bond" *)
//! no_change   = "No change" , [ "." ] ;                       (* any capitalisation *)
//! provided_in = ( ( "The duty provided in" | "The duty rate provided in" ) ,
//!                 ( "the applicable subheading" | "such subheading" | "subheadings" , codes )
//!               | "The duty rate provided for originating goods of" , country , "in such subheading" ) ,
//!               [ ( "+" , [ "a duty of" ] | "plus" | "minus" ) , term ] , [ "." ] ;
//! text        = ( "The rate" | "A duty" | "See" ) , ... ;
//! expression  = term , ( sliding | { "+" , term } , [ ", but" , text ] ) ;
//! term        = ( adval | specific ) , [ basis ] ;
//! adval       = number , [ int , "/" , int ] , ( "%" | "percent" ) ;   (* 6.8% | 33 1/3% *)
//! specific    = ( number , ( "¢" | "cents" ) | "$" , number ) ,
//!               ( "/" , unit | "each" | "for each" , unit | "per" , unit ) ;
//! basis       = ( "on" | "of" | "upon" ) , words | "," , "including" , words ;
//! sliding     = "less" , term , "for each degree under" , number ,
//!               "degrees (and fractions of a degree in proportion) but not less" , [ "than" ] , term ;
//! special     = segment , { segment } ;
//! segment     = ( "See" , ( headings | words ) | cell ) , [ "(" , program , { "," , program } , ")" ] ;
//! ```
//!
//! `text` is the explicit not-computable form: the leading words name a rate that the
//! schedule does not state (`The rate applicable to each garment in the ensemble if
//! separately entered`). Anything else that is not a rate is an error. In the special column,
//! free text ends where a programme list starts; a parenthesis holding anything but
//! programme codes (`1(b)`, `(see U.S. note 3 of this subchapter)`) belongs to the text.

use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case};
use nom::combinator::value;

use super::ast::{
    Amount, Basis, Component, DutyExpr, Fraction, HeadingRange, Money, Op, Prep, Program, Rate,
    SlidingScale, SpecialRate, SpecialSegment, Subheading, Term, UsSpecial,
};
use super::error::{Expected, PError, PResult, commit, fail, fatal, label};
use super::lex::{decimal, found, keyword, lookup, small_uint, sp0, sp1, text_until};
use super::units::{US_EACH, US_EACH_UNITS, US_UNITS, Unit};

/// Which column is being read: free text in the special column stops at a programme list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    General,
    Special,
}

/// The words that open text stating no computable rate.
const TEXT_LEADS: &[&str] = &["The rate ", "The rate,", "A duty ", "See "];

/// What may start a US rate.
const RATE_START: Expected = Expected::RATE;

/// A whole `general` or `other` cell.
pub(crate) fn general(input: &str) -> PResult<'_, DutyExpr> {
    let (rest, expr) = cell(input, Column::General)?;
    if rest.is_empty() {
        Ok((rest, expr))
    } else {
        let expected = match expr {
            DutyExpr::Compound(_) => Expected::OPERATOR.union(Expected::END),
            _ => Expected::END,
        };
        fatal(sp0(rest), expected)
    }
}

/// A whole `special` cell.
pub(crate) fn special(input: &str) -> PResult<'_, UsSpecial> {
    let mut segments = Vec::new();
    let mut rest = input;
    loop {
        let (r, rate) = special_rate(rest)?;
        let after = sp0(r);
        let (r, programs, note) = match program_list(after) {
            Ok((r, programs)) => (r, programs, None),
            Err(list_error) => match paren_note(after) {
                Ok((r, note)) => (r, Vec::new(), Some(note.to_owned())),
                // A parenthesis that is neither: report where the programme list broke.
                Err(_) if after.starts_with('(') => return commit(Err(list_error)),
                Err(_) => (r, Vec::new(), None),
            },
        };
        let listed = !programs.is_empty() || note.is_some();
        segments.push(SpecialSegment { rate, programs, note });
        rest = sp0(r);
        if rest.is_empty() {
            return Ok((rest, UsSpecial { segments }));
        }
        if !listed {
            // Only the last segment may go without a programme list.
            let expected = Expected::PROGRAMS.union(Expected::END);
            return fatal(rest, expected);
        }
    }
}

fn special_rate(input: &str) -> PResult<'_, SpecialRate> {
    if let Ok((rest, _)) = keyword("See")(input) {
        let (rest, ()) = commit(label(rest, Expected::TEXT, sp1(rest)))?;
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            let (rest, ranges) = commit(headings(rest))?;
            return Ok((rest, SpecialRate::SeeHeadings(ranges)));
        }
        let (rest, text) = commit(free_text(rest, Column::Special))?;
        return Ok((rest, SpecialRate::SeeNote(text.to_owned())));
    }
    let (rest, expr) = cell(input, Column::Special)?;
    Ok((rest, SpecialRate::Rate(expr)))
}

/// `9822.04.01-9822.04.03, 9919.04.50`.
fn headings(input: &str) -> PResult<'_, Vec<HeadingRange>> {
    let (mut rest, first) = heading_range(input)?;
    let mut ranges = vec![first];
    while let Some(next) = sp0(rest).strip_prefix(',') {
        let next = sp0(next);
        if !next.starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
        let (r, range) = heading_range(next)?;
        ranges.push(range);
        rest = r;
    }
    Ok((rest, ranges))
}

fn heading_range(input: &str) -> PResult<'_, HeadingRange> {
    let (rest, first) = hts_code(input)?;
    if let Some(next) = sp0(rest).strip_prefix('-') {
        let (rest, last) = hts_code(sp0(next))?;
        return Ok((rest, HeadingRange { first: first.to_owned(), last: Some(last.to_owned()) }));
    }
    Ok((rest, HeadingRange { first: first.to_owned(), last: None }))
}

/// An HTS number: digits in dot-separated groups (`9822.04.01`).
fn hts_code(input: &str) -> PResult<'_, &str> {
    let bytes = input.as_bytes();
    let mut end = 0;
    while let Some(&b) = bytes.get(end) {
        let digit_follows = bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        if b.is_ascii_digit() || (b == b'.' && end > 0 && digit_follows) {
            end += 1;
        } else {
            break;
        }
    }
    match (input.get(..end), input.get(end..)) {
        (Some(code), Some(rest)) if end > 0 => Ok((rest, code)),
        _ => fail(input, Expected::SUBHEADING),
    }
}

/// `(A+,AU,...)`. Tolerates a stray `(` between codes (`(PA (PA)` in the source).
fn program_list(input: &str) -> PResult<'_, Vec<Program>> {
    let Some(after) = input.strip_prefix('(') else {
        return fail(input, Expected::PROGRAMS);
    };
    let (mut rest, first) = program(sp0(after))?;
    let mut programs = vec![first];
    loop {
        let after = sp0(rest);
        if let Some(r) = after.strip_prefix(')') {
            return Ok((r, programs));
        }
        let Some(next) = after.strip_prefix(',').or_else(|| after.strip_prefix('(')) else {
            return fail(after, Expected::COMMA.union(Expected::CLOSE));
        };
        let (r, program) = program(sp0(next))?;
        programs.push(program);
        rest = r;
    }
}

fn program(input: &str) -> PResult<'_, Program> {
    let bytes = input.as_bytes();
    let letters = bytes.iter().take(2).take_while(|b| b.is_ascii_uppercase()).count();
    let len = letters + usize::from(letters > 0 && matches!(bytes.get(letters), Some(b'+' | b'*')));
    let at_boundary = !bytes.get(len).is_some_and(u8::is_ascii_alphanumeric);
    match (input.get(..len).and_then(Program::new), input.get(len..)) {
        (Some(program), Some(rest)) if at_boundary => Ok((rest, program)),
        _ => fail(input, Expected::PROGRAM),
    }
}

/// `(See U.S. note 4 of this subchapter)` in place of a programme list.
fn paren_note(input: &str) -> PResult<'_, &str> {
    let Some(inner) = input.strip_prefix('(') else {
        return fail(input, Expected::PROGRAMS);
    };
    if !(inner.starts_with("See ") || inner.starts_with("see ")) {
        return fail(input, Expected::PROGRAMS);
    }
    let (rest, text) = text_until(inner, |c| c == ')')?;
    match rest.strip_prefix(')') {
        Some(rest) => Ok((rest, text)),
        None => fail(rest, Expected::CLOSE),
    }
}

/// The start of the first programme list in `input`, or its end.
fn program_list_start(input: &str) -> usize {
    input
        .match_indices('(')
        .map(|(i, _)| i)
        .find(|&i| input.get(i..).is_some_and(|s| program_list(s).is_ok()))
        .unwrap_or(input.len())
}

/// Free text: to the end of a general cell, or up to a programme list in a special cell.
fn free_text(input: &str, column: Column) -> PResult<'_, &str> {
    let end = match column {
        Column::General => input.len(),
        Column::Special => program_list_start(input),
    };
    let text = input.get(..end).unwrap_or(input).trim_end();
    if text.is_empty() {
        return fail(input, Expected::TEXT);
    }
    Ok((input.get(text.len()..).unwrap_or_default(), text))
}

/// One rate, in either column.
fn cell(input: &str, column: Column) -> PResult<'_, DutyExpr> {
    if let Ok((rest, _)) = keyword("Free")(input) {
        let Some(after) = rest.strip_prefix(',') else {
            return Ok((rest, DutyExpr::Free { condition: None }));
        };
        let (rest, condition) = commit(free_text(sp0(after), column))?;
        return Ok((rest, DutyExpr::Free { condition: Some(condition.to_owned()) }));
    }
    if let Ok((rest, _)) = tag_no_case::<_, _, PError<'_>>("No change")(input) {
        let rest = rest.strip_prefix('.').unwrap_or(rest);
        return Ok((rest, DutyExpr::NoChange));
    }
    if let Ok(result) = provided_in(input) {
        return Ok(result);
    }
    if input.starts_with("The duty provided") || input.starts_with("The duty rate provided") {
        // Committed to the chapter 99 wording but it broke: report where.
        return provided_in(input);
    }
    if TEXT_LEADS.iter().any(|lead| input.starts_with(lead)) {
        let (rest, text) = free_text(input, column)?;
        return Ok((rest, DutyExpr::NotComputable { text: text.to_owned() }));
    }
    let (rest, expr) = expression(input, column)?;
    Ok((rest, expr))
}

/// `The duty provided in the applicable subheading [+ 25%]` and its variants.
fn provided_in(input: &str) -> PResult<'_, DutyExpr> {
    if let Some(after) = input.strip_prefix("The duty rate provided for originating goods of ") {
        const TAIL: &str = " in such subheading";
        let Some(end) = after.find(TAIL).filter(|&end| end > 0) else {
            // The country runs on to the end: the ` in such subheading` is missing.
            return fatal(after.get(after.len()..).unwrap_or_default(), Expected::SUBHEADING);
        };
        let country = after.get(..end).unwrap_or_default().to_owned();
        let rest = after.get(end + TAIL.len()..).unwrap_or_default();
        let (rest, adjust) = adjustment(rest)?;
        let subheading = Subheading::SuchForOriginating { country };
        return Ok((rest, DutyExpr::ProvidedIn { subheading, adjust }));
    }
    let (rest, _) =
        alt((tag("The duty provided in"), tag("The duty rate provided in"))).parse(input)?;
    let rest = sp0(rest);
    let (rest, subheading) = commit(label(rest, Expected::SUBHEADING, target(rest)))?;
    let (rest, adjust) = adjustment(rest)?;
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    Ok((rest, DutyExpr::ProvidedIn { subheading, adjust }))
}

fn target(input: &str) -> PResult<'_, Subheading> {
    if let Ok((rest, _)) = tag::<_, _, PError<'_>>("the applicable subheading")(input) {
        return Ok((rest, Subheading::Applicable));
    }
    if let Ok((rest, _)) = tag::<_, _, PError<'_>>("such subheading")(input) {
        return Ok((rest, Subheading::Such));
    }
    let (rest, _) = keyword("subheadings")(input)?;
    let (rest, ()) = sp1(rest)?;
    let (mut rest, first) = hts_code(rest)?;
    let mut codes = vec![first.to_owned()];
    loop {
        let next = if let Some(next) = rest.strip_prefix(", ") {
            next
        } else if let Some(next) = rest.strip_prefix(" or ") {
            next
        } else {
            break;
        };
        let Ok((r, code)) = hts_code(next) else { break };
        codes.push(code.to_owned());
        rest = r;
    }
    Ok((rest, Subheading::Listed(codes)))
}

/// `+ 25%`, `+ a duty of 25% upon ...`, `plus 25%`, `minus 0.5%`.
fn adjustment(input: &str) -> PResult<'_, Option<Component>> {
    let after = sp0(input);
    let (op, next) = if let Some(next) = after.strip_prefix('+') {
        let next = sp0(next);
        let next = next.strip_prefix("a duty of ").unwrap_or(next);
        (Op::Plus, next)
    } else if let Ok((next, _)) = keyword("plus")(after) {
        (Op::Plus, sp0(next))
    } else if let Ok((next, _)) = keyword("minus")(after) {
        (Op::Minus, sp0(next))
    } else {
        return Ok((input, None));
    };
    let (rest, rate) = commit(label(next, RATE_START, term(next)))?;
    Ok((rest, Some(Component { op, term: Term::Rate(rate) })))
}

/// `term { + term } [, but ...]`, or a sliding scale.
fn expression(input: &str, column: Column) -> PResult<'_, DutyExpr> {
    let (mut rest, first) = label(input, RATE_START, term(input))?;
    if let Ok((after, ())) = less(rest) {
        return sliding_scale(first, after);
    }
    let mut components = vec![Component::plus(Term::Rate(first))];
    while let Some(next) = sp0(rest).strip_prefix('+') {
        let next = sp0(next);
        let (r, rate) = commit(label(next, RATE_START, term(next)))?;
        components.push(Component::plus(Term::Rate(rate)));
        rest = r;
    }
    let expr = DutyExpr::Compound(components);
    if let Some(after) = rest.strip_prefix(", but ") {
        let (rest, proviso) = commit(free_text(after, column))?;
        let proviso = proviso.to_owned();
        return Ok((rest, DutyExpr::WithProviso { expr: Box::new(expr), proviso }));
    }
    Ok((rest, expr))
}

fn less(input: &str) -> PResult<'_, ()> {
    let (rest, ()) = sp1(input)?;
    let (rest, _) = keyword("less")(rest)?;
    sp1(rest)
}

/// The rest of `base less step for each degree under N degrees (...) but not less than floor`.
fn sliding_scale(base: Rate, input: &str) -> PResult<'_, DutyExpr> {
    let wording = |i, words: &'static str| -> PResult<'_, ()> {
        let (rest, ()) = commit(label(i, Expected::SLIDING, sp1(i)))?;
        let (rest, _) = commit(label(rest, Expected::SLIDING, tag(words).parse(rest)))?;
        Ok((rest, ()))
    };
    let (rest, step) = commit(label(input, RATE_START, term(input)))?;
    let (rest, ()) = wording(rest, "for each degree under")?;
    let (rest, ()) = commit(label(rest, Expected::NUMBER, sp1(rest)))?;
    let (rest, degrees) = commit(decimal(rest))?;
    let (rest, ()) =
        wording(rest, "degrees (and fractions of a degree in proportion) but not less")?;
    let rest = match rest.strip_prefix(" than") {
        Some(rest) => rest,
        None => rest,
    };
    let (rest, ()) = commit(label(rest, RATE_START, sp1(rest)))?;
    let (rest, floor) = commit(label(rest, RATE_START, term(rest)))?;
    Ok((rest, DutyExpr::SlidingScale(Box::new(SlidingScale { base, step, degrees, floor }))))
}

/// An ad valorem or specific US rate with its optional basis.
fn term(input: &str) -> PResult<'_, Rate> {
    let (rest, mut rate) = if let Some(after) = input.strip_prefix('$') {
        let (rest, value) = commit(decimal(after))?;
        let (rest, unit) = commit(specific_unit(rest))?;
        (rest, us_rate(Amount::decimal(value), Money::Dollars, Some(unit)))
    } else {
        let (rest, value) = decimal(input)?;
        money_and_unit(rest, value)?
    };
    let (rest, basis) = basis(rest)?;
    rate.basis = basis;
    Ok((rest, rate))
}

fn us_rate(amount: Amount, money: Money, unit: Option<Unit>) -> Rate {
    Rate { amount, money, unit, basis: None, repaired: false }
}

/// After a US number: `%`, ` 1/3%`, ` percent`, `¢/unit`, ` cents/unit`.
fn money_and_unit(input: &str, value: rust_decimal::Decimal) -> PResult<'_, Rate> {
    if let Ok((rest, fraction)) = fraction_percent(input) {
        let amount = Amount { value, fraction: Some(fraction) };
        return Ok((rest, us_rate(amount, Money::Percent, None)));
    }
    let after = sp0(input);
    let amount = Amount::decimal(value);
    if let Some(rest) = after.strip_prefix('%') {
        return Ok((rest, us_rate(amount, Money::Percent, None)));
    }
    if let Ok((rest, _)) = keyword("percent")(after) {
        return Ok((rest, us_rate(amount, Money::Percent, None)));
    }
    let cents = after.strip_prefix('¢').or_else(|| keyword("cents")(after).ok().map(|(r, _)| r));
    match cents {
        Some(rest) => {
            let (rest, unit) = commit(specific_unit(rest))?;
            Ok((rest, us_rate(amount, Money::Cents, Some(unit))))
        }
        None => fatal(after, Expected::US_MONEY),
    }
}

/// ` 1/3%`: the fraction of a fractional percentage.
fn fraction_percent(input: &str) -> PResult<'_, Fraction> {
    let (rest, ()) = sp1(input)?;
    let (rest, numerator) = small_uint(rest)?;
    let Some(rest) = rest.strip_prefix('/') else { return fail(rest, Expected::NUMBER) };
    let (rest, denominator) = small_uint(rest)?;
    match sp0(rest).strip_prefix('%') {
        Some(rest) if denominator != 0 => Ok((rest, Fraction { numerator, denominator })),
        _ => fail(rest, Expected::US_MONEY),
    }
}

/// `/kg`, ` each`, ` for each other piece or part`, ` per kg`.
fn specific_unit(input: &str) -> PResult<'_, Unit> {
    let after = sp0(input);
    if let Some(next) = after.strip_prefix('/') {
        let next = sp0(next);
        let (rest, spelling) = commit(found(next, Expected::UNIT, lookup(next, US_UNITS, true)))?;
        let (code, qualifier) = spelling.value;
        return Ok((rest, Unit { code, label: spelling.label, qualifier }));
    }
    let table = if let Ok((next, _)) = keyword("each")(after) {
        return Ok((next, US_EACH));
    } else if let Ok((next, _)) = keyword("for each")(after) {
        (next, US_EACH_UNITS)
    } else if let Ok((next, _)) = keyword("per")(after) {
        (next, US_UNITS)
    } else {
        return fail(after, Expected::UNIT);
    };
    let (next, table) = table;
    let next = sp0(next);
    let (rest, spelling) = commit(found(next, Expected::UNIT, lookup(next, table, true)))?;
    let (code, qualifier) = spelling.value;
    Ok((rest, Unit { code, label: spelling.label, qualifier }))
}

/// ` on the case`, ` of total sugars`, ` upon the value of ...`, `, including weight of
/// container`; ends before `+` or `(`.
fn basis(input: &str) -> PResult<'_, Option<Basis>> {
    let stop = |c: char| c == '+' || c == '(';
    if let Some(after) = input.strip_prefix(", including ") {
        let (rest, text) = commit(text_until(after, stop))?;
        return Ok((rest, Some(Basis { prep: Prep::Including, text: text.to_owned() })));
    }
    let after = sp0(input);
    let prep: PResult<'_, Prep> = alt((
        value(Prep::On, keyword("on")),
        value(Prep::Of, keyword("of")),
        value(Prep::Upon, keyword("upon")),
    ))
    .parse(after);
    let Ok((rest, prep)) = prep else {
        return Ok((input, None));
    };
    let Ok((rest, ())) = sp1(rest) else {
        return Ok((input, None));
    };
    let (rest, text) = commit(text_until(rest, stop))?;
    Ok((rest, Some(Basis { prep, text: text.to_owned() })))
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::super::units::{Qualifier, UnitCode};
    use super::super::{ExprError, parse_us, parse_us_special};
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Parses, checks the canonical print and that it parses back to the same tree.
    fn check(text: &str, canonical: &str) -> DutyExpr {
        let expr = parse_us(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(expr.to_string(), canonical, "{text}");
        assert_eq!(parse_us(canonical).as_ref(), Ok(&expr), "{canonical}");
        expr
    }

    fn same(text: &str) -> DutyExpr {
        check(text, text)
    }

    fn check_special(text: &str, canonical: &str) -> UsSpecial {
        let special = parse_us_special(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(special.to_string(), canonical, "{text}");
        assert_eq!(parse_us_special(canonical).as_ref(), Ok(&special), "{canonical}");
        special
    }

    fn err(text: &str) -> ExprError {
        match parse_us(text) {
            Ok(expr) => panic!("{text} parsed as {expr:?}"),
            Err(e) => e,
        }
    }

    fn rates(expr: &DutyExpr) -> Vec<&Rate> {
        let DutyExpr::Compound(cs) = expr else { panic!("{expr:?}") };
        cs.iter()
            .map(|c| match &c.term {
                Term::Rate(rate) => rate,
                other @ Term::Agricultural(_) => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn ad_valorem_and_free() {
        let expr = same("6.8%");
        assert_eq!(rates(&expr)[0].amount.value, dec("6.8"));
        check("3.7% ", "3.7%");
        assert_eq!(same("Free"), DutyExpr::Free { condition: None });
        let expr = same("Free, under bond");
        assert_eq!(expr, DutyExpr::Free { condition: Some("under bond".into()) });
        same("Free, under bond, as prescribed in U.S. note 2 to this subchapter");
        same(
            "Free, for such temporary periods as the Secretary of the Treasury by regulation may prescribe",
        );
    }

    #[test]
    fn fractional_percent_stays_exact() {
        let expr = same("33 1/3%");
        let rate = rates(&expr)[0];
        assert_eq!(rate.money, Money::Percent);
        assert_eq!(rate.amount.fraction, Some(Fraction { numerator: 1, denominator: 3 }));
        assert_eq!(rate.amount.exact_ratio(), Some((dec("100"), 3)));
        assert!(parse_us("33 1/0%").is_err());
    }

    #[test]
    fn specific_rates() {
        let expr = same("4.4¢/kg");
        let rate = rates(&expr)[0];
        assert_eq!((rate.money, rate.amount.value), (Money::Cents, dec("4.4")));
        assert_eq!(rate.unit.unwrap().code, UnitCode::Kgm);
        let expr = same("$1.646/kg");
        assert_eq!(rates(&expr)[0].money, Money::Dollars);
        let expr = same("0.9¢ each");
        assert_eq!(rates(&expr)[0].unit.unwrap().code, UnitCode::Nar);
        same("68¢/head");
        same("$2.16 each");
        same("5.25¢/bbl");
        check("4.5¢/ liter", "4.5¢/liter");
        check("18.9¢/pf.liter", "18.9¢/pf. liter");
        let expr = same("$1.32/pf. liter");
        assert_eq!(rates(&expr)[0].unit.unwrap().code, UnitCode::ProofLiter);
        let expr = same("18.7¢/clean kg");
        let unit = rates(&expr)[0].unit.unwrap();
        assert_eq!((unit.code, unit.qualifier), (UnitCode::Kgm, Some(Qualifier::Clean)));
        same("2.8¢/doz.");
        same("89.6¢/1000");
        same("$2/1,000 + 60%");
        let expr = same("10¢/1,000 pins + 3.5%");
        assert_eq!(rates(&expr)[0].unit.unwrap().code, UnitCode::Mil);
        same("20¢/thousand + 3.5%");
        check("$2.50/thou- sand + 40%", "$2.50/thousand + 40%");
        same("$1.24/t");
        same("18.7¢/m2");
        same("$1.13/m3");
        same("10¢/m");
        same("3.3¢/lin. m");
        same("10.6¢/g");
        same("10¢/pack + 20%");
        same("6.5¢/gross");
        check("0.3¢/line/ gross + 4.6%", "0.3¢/line/gross + 4.6%");
        same("13.5¢/kg + 6.3% + 1.9¢/article");
        check("88.2¢/kg + 55% + 12.5¢/ article", "88.2¢/kg + 55% + 12.5¢/article");
        same("4.4 cents/kg".replace(" cents", "¢").as_str());
        check("4.4 cents/kg", "4.4¢/kg");
    }

    #[test]
    fn compounds_and_spacing() {
        let expr = same("70.4¢/kg + 8.5%");
        assert_eq!(expr.required_units().len(), 1);
        same("$1.104/kg + 14.9%");
        same("76¢/pr. + 32%");
        check("40¢/kg +10.4%", "40¢/kg + 10.4%");
        check("$9.92/kg+ 25%", "$9.92/kg + 25%");
        check("2.2¢/kg  +  33.5%", "2.2¢/kg + 33.5%");
        let expr = same("17¢ each + 2.5% + 1¢/jewel");
        assert_eq!(rates(&expr).len(), 3);
        let expr = same("4.4¢/liter + 31.4¢/pf. liter");
        let units: Vec<_> = expr.required_units().iter().map(|u| u.code).collect();
        assert_eq!(units, [UnitCode::Ltr, UnitCode::ProofLiter]);
        same("43¢ each + 2.8¢/jewel over 7 + 3.7% on the case");
    }

    #[test]
    fn qualified_bases() {
        let expr = same("3.7¢/kg on drained weight");
        let basis = rates(&expr)[0].basis.clone().unwrap();
        assert_eq!(basis, Basis { prep: Prep::On, text: "drained weight".into() });
        let expr = same(
            "44¢ each + 6% on the case + 14% on the strap, band or bracelet + 5.3% on the battery",
        );
        let texts: Vec<_> =
            rates(&expr).iter().map(|r| r.basis.as_ref().map(|b| b.text.as_str())).collect();
        assert_eq!(
            texts,
            [None, Some("the case"), Some("the strap, band or bracelet"), Some("the battery")]
        );
        same("3.6606¢/kg of total sugars");
        same("16.9¢/kg of total sugars + 5.1%");
        check(
            "3.9% on the movement and case+ 5.3% on the battery",
            "3.9% on the movement and case + 5.3% on the battery",
        );
        check("22¢/kg on drained weight+45%", "22¢/kg on drained weight + 45%");
        same("4.7% on the value of the rifle + 20% on the value of the telescopic sight, if any");
        same("3.1¢/liter + 22.1¢/pf. liter on ethyl alcohol content");
        same("0.7¢/kg on copper content + 0.7¢/kg on lead content");
        same("$40/kg of anhydrous morphine content");
        same("20¢/gross of immediate containers");
        check("86.1¢/m2of recording surface", "86.1¢/m2 of recording surface");
        let expr = same("$1.32/t, including weight of container");
        assert_eq!(rates(&expr)[0].basis.as_ref().unwrap().prep, Prep::Including);
        same("0.2¢/kg, including weight of container");
        check("3 percent of the fair retail value", "3% of the fair retail value");
        check(
            "50 percent of the cost of such goods or repairs",
            "50% of the cost of such goods or repairs",
        );
        same("6.5% on the entire set");
    }

    #[test]
    fn a_proviso_with_a_tag_in_a_hyphen_break_prints_and_parses_back() {
        // The input the `expr` fuzz target found (fuzz/artifacts): printing lost the join.
        let text = "8.0%, but AN-<.05 \u{1}\0\0\0\0\0\0> bzt 44444e (BH,CL,CO,J,A,PM\0\0\x004444";
        let expr = parse_us(text).unwrap();
        assert_eq!(parse_us(&expr.to_string()), Ok(expr));
    }

    #[test]
    fn proviso() {
        let expr = same(
            "4.3% + 1.7¢/jewel + 0.2¢ for each other piece or part, but if consisting in part of \
             a plate or a set of plates the total duty shall not exceed the duty for the complete \
             movement",
        );
        let DutyExpr::WithProviso { expr: inner, proviso } = &expr else { panic!("{expr:?}") };
        assert_eq!(rates(inner)[2].unit.unwrap().code, UnitCode::PieceOrPart);
        assert!(proviso.starts_with("if consisting"));
    }

    #[test]
    fn sliding_scale() {
        let text = "3.6606¢/kg less 0.020668¢/kg for each degree under 100 degrees (and fractions \
                    of a degree in proportion) but not less than 3.143854¢/kg";
        let expr = same(text);
        let DutyExpr::SlidingScale(scale) = &expr else { panic!("{expr:?}") };
        assert_eq!(scale.base.amount.value, dec("3.6606"));
        assert_eq!(scale.step.amount.value, dec("0.020668"));
        assert_eq!(scale.degrees, dec("100"));
        assert_eq!(scale.floor.amount.value, dec("3.143854"));
        // Spacing quirks and a missing `than`.
        let quirky = "4.3817¢/kg less 0.0622005¢ /kg for each degree under 100 degrees (and \
                      fractions of a degree in proportion) but not less 2.831562¢ /kg";
        let expr = parse_us(quirky).unwrap();
        assert_eq!(parse_us(&expr.to_string()), Ok(expr));
        let broken = "3.6606¢/kg less 0.020668¢/kg for each degree below 100 degrees";
        assert_eq!(err(broken).expected(), Expected::SLIDING);
    }

    #[test]
    fn chapter_99() {
        let expr = same("The duty provided in the applicable subheading + 25%");
        let DutyExpr::ProvidedIn { subheading: Subheading::Applicable, adjust: Some(adjust) } =
            &expr
        else {
            panic!("{expr:?}")
        };
        assert_eq!(adjust.op, Op::Plus);
        same("The duty provided in the applicable subheading");
        check(
            "The duty provided in the applicable subheading.",
            "The duty provided in the applicable subheading",
        );
        check(
            "The duty provided in the applicable subheading +10%",
            "The duty provided in the applicable subheading + 10%",
        );
        check(
            "The duty provided in the applicable subheading plus 25%",
            "The duty provided in the applicable subheading + 25%",
        );
        check(
            "The duty provided inthe applicable subheading+ 25%",
            "The duty provided in the applicable subheading + 25%",
        );
        check(
            "The duty provided in the applicable subheading + a duty of 25%",
            "The duty provided in the applicable subheading + 25%",
        );
        same(
            "The duty provided in the applicable subheading + 25% upon the value of the non-U.S. content",
        );
        let expr = same("The duty rate provided in such subheading minus 0.5%");
        assert!(
            matches!(&expr, DutyExpr::ProvidedIn { subheading: Subheading::Such, adjust: Some(c) } if c.op == Op::Minus)
        );
        let expr =
            same("The duty provided in subheadings 8716.39.00, 8716.90.30 or 8716.90.50 + 100%");
        let DutyExpr::ProvidedIn { subheading: Subheading::Listed(codes), .. } = &expr else {
            panic!()
        };
        assert_eq!(codes, &["8716.39.00", "8716.90.30", "8716.90.50"]);
        let expr = same("The duty rate provided for originating goods of Korea in such subheading");
        assert!(matches!(
            &expr,
            DutyExpr::ProvidedIn { subheading: Subheading::SuchForOriginating { country }, adjust: None }
                if country == "Korea"
        ));
        check(
            "The duty rate provided for origin- ating goods of Colombia in such subheading",
            "The duty rate provided for originating goods of Colombia in such subheading",
        );
        for text in ["No change", "No Change", "no change", "No change."] {
            assert_eq!(parse_us(text), Ok(DutyExpr::NoChange), "{text}");
        }
    }

    #[test]
    fn text_without_a_rate_is_not_computable() {
        for text in [
            "The rate applicable to each garment in the ensemble if separately entered",
            "The rate applicable to the natural juice in heading 2009",
            "The rate of duty applicable to that article in the set subject to the highest rate of duty",
            "See additional U.S. note 1",
            "The rate applicable, to each article in the absence of this subheading",
            "A duty upon the value of the repairs or alterations (see U.S. note 3 of this subchapter)",
        ] {
            let expr = same(text);
            assert_eq!(expr, DutyExpr::NotComputable { text: text.into() });
            assert!(expr.is_not_computable());
        }
        let expr = check(
            "The rate of duty appli- cable to that article in the set subject to the high- est rate of duty",
            "The rate of duty applicable to that article in the set subject to the highest rate of duty",
        );
        assert!(expr.is_not_computable());
    }

    #[test]
    fn malformed_input_reports_the_column() {
        let cases: &[(&str, usize, Expected)] = &[
            ("", 1, Expected::RATE),
            ("Fre", 1, Expected::RATE),
            ("6.8", 4, Expected::US_MONEY),
            ("6.8% +", 7, Expected::RATE),
            ("4.4¢", 5, Expected::UNIT),
            ("4.4¢/kgs", 6, Expected::UNIT),
            ("4.4¢/furlong", 6, Expected::UNIT),
            ("$/kg", 2, Expected::NUMBER),
            ("6.8% foo", 6, Expected::OPERATOR.union(Expected::END)),
            ("Free (A,B)", 6, Expected::END),
            ("The duty provided in the wrong subheading", 22, Expected::SUBHEADING),
            ("The duty provided in the applicable subheading + 25", 52, Expected::US_MONEY),
            ("The duty rate provided for originating goods of Korea", 54, Expected::SUBHEADING),
            ("3.7¢/kg on ", 9, Expected::OPERATOR.union(Expected::END)),
        ];
        for &(text, column, expected) in cases {
            let e = err(text);
            assert_eq!((e.column(), e.expected()), (column, expected), "{text}: {e}");
        }
        let finding = err("4.4¢/kgs").to_finding();
        assert_eq!(finding.code, crate::codes::TARIFF_BAD_EXPRESSION);
        assert_eq!(finding.detail.unwrap()["column"], 6);
    }

    #[test]
    fn special_programme_lists() {
        let special = check_special(
            "Free (A,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)",
            "Free (A,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)",
        );
        assert_eq!(special.segments.len(), 1);
        assert_eq!(special.segments[0].programs.len(), 17);
        assert!(special.for_program("AU").is_some());
        assert!(special.for_program("JP").is_none());
        check_special("Free(A, AU, BH,CL, CO)", "Free (A,AU,BH,CL,CO)");
        check_special("Free \n(A+, AU, BH)", "Free (A+,AU,BH)");
        check_special("Free  (A*, AU, E*, P ,PA)", "Free (A*,AU,E*,P,PA)");
        let special = check_special(
            "Free (A,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG) 3.2% (JP)",
            "Free (A,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG) 3.2% (JP)",
        );
        let jp = special.for_program("JP").unwrap();
        assert_eq!(jp.rate.to_string(), "3.2%");
        check_special("Free (A,AU)2.7% (JP)", "Free (A,AU) 2.7% (JP)");
        check_special("Free (A,AU)8.8¢/liter(JO)", "Free (A,AU) 8.8¢/liter (JO)");
        let special = check_special("70.4¢/kg + 8.5% (S+)", "70.4¢/kg + 8.5% (S+)");
        assert_eq!(special.required_units().len(), 1);
        check_special("$1.646/kg (S+)", "$1.646/kg (S+)");
        check_special(
            "16.9¢/kg of total sugars + 5.1% (S+)",
            "16.9¢/kg of total sugars + 5.1% (S+)",
        );
        check_special(
            "Free (A+,AU) 1.3¢/liter + 9.8¢/pf. liter on ethyl alcohol content (JO)",
            "Free (A+,AU) 1.3¢/liter + 9.8¢/pf. liter on ethyl alcohol content (JO)",
        );
        check_special("Free", "Free");
        check_special("15%", "15%");
        check_special("No change", "No change");
        check_special("No change (A,E) Free (CA,IL, MX)", "No change (A,E) Free (CA,IL,MX)");
    }

    #[test]
    fn special_references() {
        let special = check_special(
            "Free (BH,CL,CO,JO,KR,MA,OM,P,PE,S,SG) See 9822.04.01-9822.04.03 (AU) See 9919.02.01-9919.02.02 (PA)",
            "Free (BH,CL,CO,JO,KR,MA,OM,P,PE,S,SG) See 9822.04.01-9822.04.03 (AU) See 9919.02.01-9919.02.02 (PA)",
        );
        let SpecialRate::SeeHeadings(ranges) = &special.for_program("AU").unwrap().rate else {
            panic!()
        };
        assert_eq!(
            ranges[0],
            HeadingRange { first: "9822.04.01".into(), last: Some("9822.04.03".into()) }
        );
        check_special(
            "Free (BH,CL) See 9822.03.01(MA) See 9919.04.40, 9919.04.41-9919.04.42 (PA)",
            "Free (BH,CL) See 9822.03.01 (MA) See 9919.04.40, 9919.04.41-9919.04.42 (PA)",
        );
        // Debris: a stray `(` inside the list.
        let special = check_special(
            "Free (BH) See 9919.04.50, 9919.04.57, 9919.04.67 (PA (PA)",
            "Free (BH) See 9919.04.50, 9919.04.57, 9919.04.67 (PA,PA)",
        );
        assert!(special.for_program("PA").is_some());
        let special = check_special(
            "No change (A) Free (CA,IL, MX) See U.S. note 3 to this sub- chapter (E) See U.S. note 3(e) (CO,PE)",
            "No change (A) Free (CA,IL,MX) See U.S. note 3 to this subchapter (E) See U.S. note 3(e) (CO,PE)",
        );
        assert_eq!(special.segments.len(), 4);
        assert_eq!(
            special.for_program("CO").unwrap().rate,
            SpecialRate::SeeNote("U.S. note 3(e)".into())
        );
        let special = check_special(
            "Free (See U.S. note 4 of this subchapter)",
            "Free (See U.S. note 4 of this subchapter)",
        );
        assert_eq!(special.segments[0].note.as_deref(), Some("See U.S. note 4 of this subchapter"));
        check_special(
            "Free, under the terms of U.S. note 1(b) to this subchapter",
            "Free, under the terms of U.S. note 1(b) to this subchapter",
        );
    }

    #[test]
    fn special_text_and_chapter_99() {
        let special = check_special(
            "Free (AU,BH)The rate applicable to the natural juice in heading 2009 (A*,D)",
            "Free (AU,BH) The rate applicable to the natural juice in heading 2009 (A*,D)",
        );
        let d = special.for_program("D").unwrap();
        assert!(matches!(&d.rate, SpecialRate::Rate(e) if e.is_not_computable()));
        check_special(
            "Free (AU,BH,CL, CO) A duty upon the value of the repairs or alterations (see U.S. note 3 of this subchapter) (B,C)",
            "Free (AU,BH,CL,CO) A duty upon the value of the repairs or alterations (see U.S. note 3 of this subchapter) (B,C)",
        );
        check_special(
            "The duty provided in the applicable subheading + 200% (AU, BH, CA, CL)",
            "The duty provided in the applicable subheading + 200% (AU,BH,CA,CL)",
        );
        check_special(
            "The rate provided for beneficiary countries in heading 9901.00.50 (PA)",
            "The rate provided for beneficiary countries in heading 9901.00.50 (PA)",
        );
        check_special(
            "5% on the full value of the imported article",
            "5% on the full value of the imported article",
        );
    }

    #[test]
    fn malformed_special_cells() {
        let cases: &[(&str, usize, Expected)] = &[
            ("Free (A,AU,bad)", 12, Expected::PROGRAM),
            ("Free (A,AU", 11, Expected::COMMA.union(Expected::CLOSE)),
            ("Free 3.2% (JP)", 6, Expected::PROGRAMS.union(Expected::END)),
            ("Free (A) See (AU)", 14, Expected::TEXT),
            ("Free (A) 3.2 (JP)", 14, Expected::US_MONEY),
        ];
        for &(text, column, expected) in cases {
            let e = parse_us_special(text).unwrap_err();
            assert_eq!((e.column(), e.expected()), (column, expected), "{text}: {e}");
        }
    }
}
