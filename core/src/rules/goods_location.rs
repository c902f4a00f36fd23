//! `goods-location`: a UK goods location coded from UN/LOCODEs (DE 5/23, qualifier `U`)
//! starts with the UN/LOCODE location of its place.
//!
//! Why: a UK goods location code such as `WLALONBTW` is the UN/LOCODE location of the place
//! (`WLA`), then a code for its port or airport (`LON`; not always a UN/LOCODE: Belfast
//! airport is `BFS`), then the premises (`BTW`); CDS rejects a location it cannot resolve
//! (DMS12099, DMS50028). Preclear checks the place, as a warning: the list of locations
//! (CDS Appendix 16) is not data Preclear carries, a few real codes do not start with a
//! UN/LOCODE (`EUTEUTEUTGVM`), and a wrong port or premises part goes unnoticed. Sources: UK CDS
//! Tariff Volume 3, DE 5/23 and Appendix 16; UN/LOCODE.

use super::{Rule, finding_at, shipment, text};
use crate::check::Context;
use crate::codes;
use crate::finding::{Finding, Severity};

pub(super) const RULE: Rule = Rule {
    name: "goods-location",
    code: codes::VAL_GOODS_LOCATION,
    summary: "UK goods location codes of qualifier U start with the UN/LOCODE of their place",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(codelists) = cx.codelists else { return };
    let Some(location) =
        shipment(cx).and_then(|shipment| shipment.consignment.as_ref()?.goods_location.as_ref())
    else {
        return;
    };
    let Some(address) = &location.address else { return };
    if text(address.type_code.as_ref()) != Some("U") {
        return;
    }
    let (Some(name), Some(country)) = (&location.name, text(address.country_code.as_ref())) else {
        return;
    };
    // The scheme is the UK's: other countries' locations (continental shelf `ZU`, ...)
    // follow their own.
    if country != "GB" {
        return;
    }
    let code = name.as_str();
    let place = code.get(0..3);
    if !place.is_some_and(|place| codelists.locode_exists(&format!("{country}{place}"))) {
        let shown = place.unwrap_or(code);
        findings.push(
            finding_at(cx, RULE.code, name.node, format!("goods location `{code}`: `{shown}` is not the UN/LOCODE of a place in {country}"))
                .with_severity(Severity::Warning)
                .with_dms_code("DMS12099")
                .with_help("a location of qualifier U starts with the place's UN/LOCODE location (e.g. WLA in WLALONBTW), then the port or airport, then the premises"),
        );
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const NAME: &str = "<Name>FXTFXTFXT</Name>";

    #[test]
    fn goods_location() {
        let pass = [
            ("Felixstowe", &[][..]),
            ("Wallasea, Baltic Wharf", &[(NAME, "<Name>WLALONBTW</Name>")][..]),
        ];
        let fail = [("unknown place", &[(NAME, "<Name>QQQFXTFXT</Name>")][..])];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
