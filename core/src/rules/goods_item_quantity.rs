//! `goods-item-quantity`: DE 1/9 (total number of items) equals the number of goods items.
//!
//! Why: CDS rejects a declaration whose declared item count does not match its goods items
//! (CDS/DMS 11003). Source: UCC Delegated Regulation (EU) 2015/2446 Annex B, DE 1/9; CDS
//! error code list.

use super::{Rule, declaration, finding_at, is_additional_message, items};
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "goods-item-quantity",
    code: codes::VAL_GOODS_ITEM_QUANTITY,
    summary: "GoodsItemQuantity (DE 1/9) equals the number of goods items",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    // Amendments resend only the items they change.
    if is_additional_message(cx) {
        return;
    }
    let declaration = declaration(cx);
    let Some(declared) = &declaration.goods_item_quantity else { return };
    let Some(value) = declared.value else { return };
    let count = items(cx).len();
    if value != rust_decimal::Decimal::from(count) {
        findings.push(
            finding_at(
                cx,
                RULE.code,
                declared.node,
                format!("GoodsItemQuantity (DE 1/9) is {value}, but the declaration has {count} goods item{}", if count == 1 { "" } else { "s" }),
            )
            .with_dms_code("DMS11003")
            .with_help(format!("declare {count}, or add or remove goods items")),
        );
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    #[test]
    fn goods_item_quantity() {
        let pass = [("one item, quantity 1", &[][..])];
        let fail = [(
            "quantity 2 for one item",
            &[(
                "<GoodsItemQuantity>1</GoodsItemQuantity>",
                "<GoodsItemQuantity>2</GoodsItemQuantity>",
            )][..],
        )];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
