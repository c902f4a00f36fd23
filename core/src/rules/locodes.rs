//! `locodes`: locations the schema codes as UN/LOCODEs are UN/LOCODEs.
//!
//! Checks the place of issue (`IssueLocationID`, an..5, a UN/LOCODE only), the place of
//! loading (`LoadingLocation/ID` when it is five characters: longer values are the user codes
//! the schema also allows there) and the place named in the delivery terms
//! (`TradeTerms/LocationID`, DE 4/1). A UN/LOCODE is a country code followed by three
//! letters or digits 2-9 (`GBFXT`, `NLRTM`).
//!
//! Why: a mistyped place in the delivery terms changes which costs belong in the customs
//! value. A code missing from the UN/LOCODE list may be newer than the list Preclear carries,
//! and CDS has accepted delivery places that are not UN/LOCODEs (HMRC's samples quote
//! `GBBWPT` and `ZUWLA`): those are warnings. Only a place of issue that cannot be a UN/LOCODE
//! at all is an error (DMS10020).
//! Sources: UN/ECE Recommendation 16 and the UN/LOCODE code list (2021); the WCO DMS schema
//! (code remarks of `IssueLocationID`, `LoadingLocation/ID`, `TradeTerms/LocationID`); UCC
//! Delegated Regulation (EU) 2015/2446 Annex B, DE 4/1, 5/21.

use super::{Rule, declaration, finding_at, shipment};
use crate::check::Context;
use crate::codes;
use crate::decl::value::Text;
use crate::finding::{Finding, Severity};
use crate::tariff::CodeLists;

pub(super) const RULE: Rule = Rule {
    name: "locodes",
    code: codes::VAL_LOCODE,
    summary: "locations coded as UN/LOCODEs are in the UN/LOCODE list",
    check,
};

/// Where a location code is, which decides how strictly it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `IssueLocationID`: a UN/LOCODE and nothing else.
    Issue,
    /// `LoadingLocation/ID`: a UN/LOCODE, or a longer user code.
    Loading,
    /// `TradeTerms/LocationID`: a UN/LOCODE, though CDS accepts other text.
    Delivery,
}

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(lists) = cx.codelists else { return };
    let shipment = shipment(cx);
    let loading = shipment
        .and_then(|shipment| shipment.consignment.as_ref())
        .and_then(|consignment| consignment.loading_location.as_ref())
        .and_then(|location| location.id.as_ref());
    let delivery = shipment
        .and_then(|shipment| shipment.trade_terms.as_ref())
        .and_then(|terms| terms.location_id.as_ref());
    let places = [
        (Place::Issue, declaration(cx).issue_location_id.as_ref()),
        (Place::Loading, loading),
        (Place::Delivery, delivery),
    ];
    for (place, code) in places {
        if let Some(code) = code
            && let Some(finding) = check_code(cx, lists, place, code)
        {
            findings.push(finding);
        }
    }
}

/// Whether `code` has the shape of a UN/LOCODE: a known country and three letters or 2-9.
fn well_formed(lists: &CodeLists, code: &str) -> bool {
    code.len() == 5
        && code.get(..2).is_some_and(|country| lists.country_exists(country))
        && code.get(2..).is_some_and(|place| {
            place.bytes().all(|byte| byte.is_ascii_uppercase() || (b'2'..=b'9').contains(&byte))
        })
}

fn check_code(cx: &Context<'_>, lists: &CodeLists, place: Place, code: &Text) -> Option<Finding> {
    let value = code.as_str();
    if value.is_empty() || (place == Place::Loading && value.chars().count() != 5) {
        return None;
    }
    if well_formed(lists, value) {
        if lists.locode_exists(value) {
            return None;
        }
        return Some(
            finding_at(
                cx,
                RULE.code,
                code.node,
                format!("`{value}` is not in the UN/LOCODE list Preclear carries"),
            )
            .with_help("check the code in the UN/LOCODE list; a location added since 2021 is not in Preclear's list"),
        );
    }
    let finding = finding_at(cx, RULE.code, code.node, format!("`{value}` is not a UN/LOCODE"))
        .with_help(
            "a UN/LOCODE is the country code and three letters or digits, e.g. GBFXT (Felixstowe)",
        );
    Some(if place == Place::Issue {
        finding.with_severity(Severity::Error).with_dms_code("DMS10020")
    } else {
        finding
    })
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const DELIVERY: &str = "<LocationID>GBFXT</LocationID>";
    const TYPE: &str = "<TypeCode>IMA</TypeCode>";
    const LOCATION: &str = "<TransportEquipment>";

    #[test]
    fn locodes() {
        let pass = [
            ("Felixstowe", &[][..]),
            (
                "place of issue",
                &[(TYPE, "<IssueLocationID>GBLON</IssueLocationID><TypeCode>IMA</TypeCode>")][..],
            ),
            (
                "loading place as a user code",
                &[(
                    LOCATION,
                    "<LoadingLocation><ID>GBAUFXTFXTFXT</ID></LoadingLocation><TransportEquipment>",
                )][..],
            ),
        ];
        let fail = [
            ("delivery place not in the list", &[(DELIVERY, "<LocationID>GBZZQ</LocationID>")][..]),
            ("delivery place of six letters", &[(DELIVERY, "<LocationID>GBBFXT</LocationID>")][..]),
            (
                "place of issue not a UN/LOCODE",
                &[(TYPE, "<IssueLocationID>LOND1</IssueLocationID><TypeCode>IMA</TypeCode>")][..],
            ),
            (
                "loading place not in the list",
                &[(
                    LOCATION,
                    "<LoadingLocation><ID>SGQQQ</ID></LoadingLocation><TransportEquipment>",
                )][..],
            ),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
