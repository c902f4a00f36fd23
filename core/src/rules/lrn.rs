//! `lrn`: the LRN (DE 2/5, `FunctionalReferenceID`) is at most 22 characters long.
//!
//! The WCO schema allows 35 characters, but CDS takes an..22 and rejects a longer LRN
//! (DMS10020). LRNs over 35 characters are already reported by the reader against the
//! schema, so this rule reports the ones from 23 to 35 characters.
//!
//! Why: the LRN is the declarant's own reference, which CDS keeps unique for 48 hours
//! (DMS12003); one that is too long is refused before anything else is checked.
//! Sources: HMRC CDS UK Trade Tariff Volume 3, DE 2/5 (an..22); the CDS error code list;
//! HMRC's CDS samples, whose LRNs are at most 22 characters where CDS accepted them.

use super::{Rule, declaration, finding_at};
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "lrn",
    code: codes::VAL_LRN,
    summary: "the LRN (DE 2/5) is at most 22 characters, as CDS requires",
    check,
};

/// The longest LRN CDS accepts.
const MAX: usize = 22;

/// The longest LRN the schema accepts (the reader reports longer ones).
const SCHEMA_MAX: usize = 35;

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(lrn) = &declaration(cx).functional_reference_id else { return };
    let length = lrn.as_str().chars().count();
    if length <= MAX || length > SCHEMA_MAX {
        return;
    }
    findings.push(
        finding_at(
            cx,
            RULE.code,
            lrn.node,
            format!(
                "the LRN `{}` is {length} characters long; CDS accepts at most {MAX}",
                lrn.as_str()
            ),
        )
        .with_dms_code("DMS10020")
        .with_help("shorten the reference to 22 characters"),
    );
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const LRN: &str = "<FunctionalReferenceID>PCFX24IMA0001</FunctionalReferenceID>";

    #[test]
    fn lrn() {
        let pass = [
            ("13 characters", &[][..]),
            (
                "22 characters",
                &[(LRN, "<FunctionalReferenceID>PCFX24IMA0001-ABCDEFGH</FunctionalReferenceID>")][..],
            ),
            (
                "over 35 characters (the reader reports it)",
                &[(
                    LRN,
                    "<FunctionalReferenceID>PCFX24IMA0001-ABCDEFGHIJKLMNOPQRSTUVWXYZ</FunctionalReferenceID>",
                )][..],
            ),
        ];
        let fail = [(
            "23 characters",
            &[(LRN, "<FunctionalReferenceID>PCFX24IMA0001-ABCDEFGHI</FunctionalReferenceID>")][..],
        )];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
