//! `item-sequence`: goods item numbers (DE 1/6) run 1, 2, ... n, each once, at most 999.
//!
//! Why: the item number is how every later message (tax lines, rejections, amendments)
//! points at an item. CDS rejects a number over 999 as a format error (DMS10020; the schema
//! allows five digits but the data element is n..3), a number larger than the item count
//! (DMS12022) and a repeated number (DMS12024). Source: UCC Delegated Regulation (EU)
//! 2015/2446 Annex B, DE 1/6; CDS error code list; HMRC's format-rejection sample.

use super::{Rule, finding_at, is_additional_message, items};
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "item-sequence",
    code: codes::VAL_ITEM_SEQUENCE,
    summary: "goods item numbers (DE 1/6) are 1..n, unique, at most 999",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    // Amendments resend only the items they change.
    if is_additional_message(cx) {
        return;
    }
    let items = items(cx);
    let count = items.len();
    let mut seen = std::collections::HashSet::new();
    for (position, item) in items.iter().enumerate() {
        let expected = position + 1;
        let Some(sequence) = &item.sequence_numeric else { continue };
        let Some(value) = sequence.value else { continue };
        let number = sequence.as_u32();
        let finding = match number {
            None => {
                Some((format!("goods item number `{value}` is not a whole number"), "DMS10020"))
            }
            Some(number) if number == 0 || number > 999 => Some((
                format!("goods item number {number} is out of range: numbers run from 1 to 999"),
                "DMS10020",
            )),
            Some(number) if !seen.insert(number) => {
                Some((format!("goods item number {number} is used twice"), "DMS12024"))
            }
            Some(number) if number as usize > count => Some((
                format!(
                    "goods item number {number} is larger than the number of goods items ({count})"
                ),
                "DMS12022",
            )),
            Some(number) if number as usize != expected => Some((
                format!(
                    "goods item {expected} is numbered {number}; items must be numbered 1, 2, 3, ... in order"
                ),
                "",
            )),
            Some(_) => None,
        };
        if let Some((message, dms_code)) = finding {
            let mut finding = finding_at(cx, RULE.code, sequence.node, message)
                .with_help(format!("number this item {expected}"));
            if !dms_code.is_empty() {
                finding = finding.with_dms_code(dms_code);
            }
            findings.push(finding);
        }
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::{ITEM_SEQUENCE, SECOND_ITEM, check_rule};

    const ITEM: &str = ITEM_SEQUENCE;

    #[test]
    fn item_sequence() {
        let pass = [("item 1", &[][..]), ("items 1 and 2", &[SECOND_ITEM][..])];
        let fail = [
            (
                "number 1000",
                &[(ITEM, "<GovernmentAgencyGoodsItem><SequenceNumeric>1000</SequenceNumeric>")][..],
            ),
            (
                "number 0",
                &[(ITEM, "<GovernmentAgencyGoodsItem><SequenceNumeric>0</SequenceNumeric>")][..],
            ),
            (
                "number 2 for the only item",
                &[(ITEM, "<GovernmentAgencyGoodsItem><SequenceNumeric>2</SequenceNumeric>")][..],
            ),
            (
                "fractional number",
                &[(ITEM, "<GovernmentAgencyGoodsItem><SequenceNumeric>1.5</SequenceNumeric>")][..],
            ),
            (
                "two items numbered 1",
                &[(
                    SECOND_ITEM.0,
                    "</GovernmentAgencyGoodsItem>\n<GovernmentAgencyGoodsItem><SequenceNumeric>1</SequenceNumeric></GovernmentAgencyGoodsItem>",
                )][..],
            ),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
