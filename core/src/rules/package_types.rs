//! `package-types`: each package's kind (DE 6/9, `Packaging/TypeCode`) is a UN/ECE Rec 21
//! package type.
//!
//! Why: CDS checks the kind of packages against Recommendation 21 (DMS10020); the code also
//! tells whether the goods are in bulk (`VQ`, `VR`, `VY`, ...) or unpacked (`NE`, `NF`,
//! `NG`), which decides whether marks and numbers are needed.
//! Sources: UN/ECE Recommendation 21, Annex VI (2021); UCC Delegated Regulation (EU)
//! 2015/2446 Annex B, DE 6/9.

use super::{Rule, finding_at, items};
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "package-types",
    code: codes::VAL_PACKAGE_TYPE,
    summary: "kinds of packages are UN/ECE Rec 21 codes",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(lists) = cx.codelists else { return };
    for item in items(cx) {
        for packaging in &item.packaging {
            let Some(code) = &packaging.type_code else { continue };
            let value = code.as_str();
            // Blank and over-long values are the reader's.
            if value.is_empty() || value.chars().count() > 2 || lists.package_type(value).is_some()
            {
                continue;
            }
            let upper = value.to_ascii_uppercase();
            let (message, help) = if lists.package_type(&upper).is_some() {
                (
                    format!("package type `{value}` must be written in capital letters"),
                    format!("write `{upper}`"),
                )
            } else {
                (
                    format!("`{value}` is not a UN/ECE Rec 21 package type"),
                    "use a Rec 21 code: CT carton, PK package, BX box, PX pallet, NE unpacked, ..."
                        .to_owned(),
                )
            };
            findings.push(
                finding_at(cx, RULE.code, code.node, message)
                    .with_dms_code("DMS10020")
                    .with_help(help),
            );
        }
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const KIND: &str = "<TypeCode>CT</TypeCode>";

    #[test]
    fn package_types() {
        let pass = [
            ("cartons", &[][..]),
            ("pallets", &[(KIND, "<TypeCode>PX</TypeCode>")][..]),
            ("unpacked", &[(KIND, "<TypeCode>NE</TypeCode>")][..]),
        ];
        let fail = [
            ("unknown kind", &[(KIND, "<TypeCode>XX</TypeCode>")][..]),
            ("lowercase", &[(KIND, "<TypeCode>ct</TypeCode>")][..]),
            ("one character", &[(KIND, "<TypeCode>C</TypeCode>")][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
