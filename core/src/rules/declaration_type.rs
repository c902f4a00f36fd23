//! `declaration-type`: the declaration type (DE 1/1) and additional declaration type (DE 1/2)
//! form a type CDS accepts.
//!
//! `TypeCode` is the two-letter type, `IM` import, `EX` export or `CO` (goods moving to, from
//! or within special fiscal territories), followed by the one-letter additional type: `A`
//! standard frontier, `B`/`C` simplified frontier (occasional, regular), `D` standard
//! pre-lodged, `E`/`F` simplified pre-lodged, `J`/`K` entry in the declarant's records
//! (occasional, regular), `Q` arrival of goods declared in advance, `Y`/`Z` supplementary.
//! Messages about a lodged declaration have their own types: `COR` amendment, `INV`
//! cancellation, `GPR` goods presentation.
//!
//! Why: the type decides the data set every other check depends on; CDS rejects a type it
//! does not know before any other check (DMS12052).
//! Sources: UCC Delegated Regulation (EU) 2015/2446 Annex B, DE 1/1 and 1/2; HMRC CDS UK
//! Trade Tariff Volume 3, DE 1/1, 1/2; the CDS error code list; HMRC's CDS samples.

use super::{Rule, declaration, finding_at, finding_missing};
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "declaration-type",
    code: codes::VAL_DECLARATION_TYPE,
    summary: "the declaration type (DE 1/1, 1/2) is IM, EX or CO with an additional type, or COR, INV, GPR",
    check,
};

/// Types of declaration (DE 1/1).
const TYPES: &[&str] = &["IM", "EX", "CO"];

/// Additional declaration types (DE 1/2).
const ADDITIONAL_TYPES: &[char] = &['A', 'B', 'C', 'D', 'E', 'F', 'J', 'K', 'Q', 'Y', 'Z'];

/// Messages about a lodged declaration.
const MESSAGES: &[&str] = &["COR", "INV", "GPR"];

const HELP: &str =
    "IM, EX or CO and an additional type (A-F, J, K, Q, Y, Z), e.g. IMA, EXD; or COR, INV, GPR";

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let declaration = declaration(cx);
    let Some(code) = &declaration.type_code else {
        findings.push(
            finding_missing(
                cx,
                RULE.code,
                declaration.node,
                "TypeCode",
                "missing: the declaration type (DE 1/1, 1/2)".to_owned(),
            )
            .with_dms_code("DMS12052")
            .with_help(HELP),
        );
        return;
    };
    let value = code.as_str();
    if value.is_empty() || MESSAGES.contains(&value) {
        return;
    }
    let (kind, additional) =
        value.split_at(value.char_indices().nth(2).map_or(value.len(), |(at, _)| at));
    let known_kind = TYPES.contains(&kind);
    let mut letters = additional.chars();
    let known_additional = matches!((letters.next(), letters.next()), (Some(letter), None) if ADDITIONAL_TYPES.contains(&letter));
    let message = match (known_kind, known_additional) {
        (true, true) => return,
        (false, _) if TYPES.contains(&kind.to_ascii_uppercase().as_str()) => {
            format!("declaration type `{value}` must be written in capital letters")
        }
        (false, _) => format!("`{kind}` is not a declaration type (DE 1/1): IM, EX or CO"),
        (true, false) if additional.is_empty() => {
            format!("declaration type `{value}` has no additional type (DE 1/2)")
        }
        (true, false) => format!("`{additional}` is not an additional declaration type (DE 1/2)"),
    };
    findings.push(
        finding_at(cx, RULE.code, code.node, message).with_dms_code("DMS12052").with_help(HELP),
    );
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const TYPE: &str = "<TypeCode>IMA</TypeCode>";

    #[test]
    fn declaration_type() {
        let pass = [
            ("frontier import", &[][..]),
            ("supplementary", &[(TYPE, "<TypeCode>IMZ</TypeCode>")][..]),
            ("special fiscal territory", &[(TYPE, "<TypeCode>COD</TypeCode>")][..]),
        ];
        let fail = [
            ("additional type X", &[(TYPE, "<TypeCode>IMX</TypeCode>")][..]),
            ("type TR", &[(TYPE, "<TypeCode>TRA</TypeCode>")][..]),
            ("no additional type", &[(TYPE, "<TypeCode>IM</TypeCode>")][..]),
            ("lowercase", &[(TYPE, "<TypeCode>ima</TypeCode>")][..]),
            ("missing", &[(TYPE, "")][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
