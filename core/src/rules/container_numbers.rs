//! `container-numbers`: a container number (DE 7/10, `TransportEquipment/ID`) in the ISO 6346
//! form has the right check digit.
//!
//! An ISO 6346 container number is the owner code (three letters), the category (`U` freight
//! container, `J` detachable equipment, `Z` trailer or chassis), a six-digit serial number
//! and a check digit computed over the first ten characters (`MSKU4827190`). Spaces and
//! hyphens between the parts are ignored. Other identifiers (swap bodies, trailers,
//! vehicle registrations, `AD12345`) have no check digit and are left alone.
//!
//! Why: the container number links the declaration to the carrier's manifest and to the
//! port's inventory system; a mistyped digit breaks the link and holds the goods. The check
//! digit catches every single mistyped character and most swapped pairs.
//! Sources: ISO 6346 (Freight containers: coding, identification and marking); UCC Delegated
//! Regulation (EU) 2015/2446 Annex B, DE 7/10; the WCO DMS schema (`TransportEquipment/ID`:
//! ISO 6346).

use super::iso6346::check_digit;
use super::{Rule, finding_at, items, shipment};
use crate::check::Context;
use crate::codes;
use crate::decl::dms::TransportEquipment;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "container-numbers",
    code: codes::VAL_CONTAINER_NUMBER,
    summary: "ISO 6346 container numbers have the right check digit",
    check,
};

/// The container number without separators, when it has the ISO 6346 form.
fn iso_form(id: &str) -> Option<String> {
    let compact: String = id.chars().filter(|ch| !matches!(ch, ' ' | '-')).collect();
    let bytes = compact.as_bytes();
    let (Some(owner), Some(category), Some(digits)) =
        (bytes.get(..3), bytes.get(3), bytes.get(4..))
    else {
        return None;
    };
    let iso = bytes.len() == 11
        && owner.iter().all(u8::is_ascii_uppercase)
        && matches!(category, b'U' | b'J' | b'Z')
        && digits.iter().all(u8::is_ascii_digit);
    iso.then_some(compact)
}

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let consignment = shipment(cx).and_then(|shipment| shipment.consignment.as_ref());
    let header = consignment.map_or(&[][..], |consignment| &consignment.transport_equipment);
    let per_item = items(cx)
        .iter()
        .filter_map(|item| item.commodity.as_ref())
        .flat_map(|commodity| &commodity.transport_equipment);
    for equipment in header.iter().chain(per_item) {
        check_equipment(cx, equipment, findings);
    }
}

fn check_equipment(cx: &Context<'_>, equipment: &TransportEquipment, findings: &mut Vec<Finding>) {
    let Some(id) = &equipment.id else { return };
    let Some(number) = iso_form(id.as_str()) else { return };
    let (Some(body), Some(given)) = (number.get(..10), number.as_bytes().get(10)) else { return };
    let Some(expected) = check_digit(body) else { return };
    if *given == b'0' + expected {
        return;
    }
    findings.push(
        finding_at(
            cx,
            RULE.code,
            id.node,
            format!(
                "container number `{}` has check digit {}, but ISO 6346 gives {expected}",
                id.as_str(),
                char::from(*given)
            ),
        )
        .with_help("check the number against the container or the bill of lading; one of its characters is mistyped"),
    );
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const CONTAINER: &str = "<ID>MSKU4827190</ID>";

    #[test]
    fn container_numbers() {
        let pass = [
            ("valid check digit", &[][..]),
            ("with spaces", &[(CONTAINER, "<ID>MSKU 482719 0</ID>")][..]),
            ("ISO 6346's example", &[(CONTAINER, "<ID>CSQU3054383</ID>")][..]),
            ("a trailer registration", &[(CONTAINER, "<ID>AD12345</ID>")][..]),
            ("a swap body", &[(CONTAINER, "<ID>AHFB9384274</ID>")][..]),
        ];
        let fail = [
            ("mistyped digit", &[(CONTAINER, "<ID>MSKU4827195</ID>")][..]),
            ("swapped digits", &[(CONTAINER, "<ID>MSKU4872190</ID>")][..]),
            ("trailer category Z", &[(CONTAINER, "<ID>ABCZ1234567</ID>")][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
