//! `transport-modes`: each mode of transport (DE 7/4 at the border, DE 7/5 inland) is one
//! CDS accepts.
//!
//! CDS takes the UN/ECE Recommendation 19 digits 1 to 9: 1 sea, 2 rail, 3 road, 4 air,
//! 5 postal consignment, 6 roll-on roll-off (the UK's use of the code), 7 fixed transport
//! installation, 8 inland waterway, 9 own propulsion. `0` ("not specified") is not in the
//! list: the mode must be known.
//!
//! Why: the mode decides the data the declaration needs (the border means of transport, the
//! airport or port of loading) and which frontier controls apply; CDS rejects a mode outside
//! its list (DMS10020). Anything but one digit is already reported by the reader.
//! Sources: UN/ECE Recommendation 19; UCC Delegated Regulation (EU) 2015/2446 Annex B,
//! DE 7/4 and 7/5; HMRC's CDS samples (mode 6 for roll-on roll-off in `TT_IM032a` and `TT_EX022a`).

use super::{Rule, declaration, finding_at, shipment};
use crate::check::Context;
use crate::codes;
use crate::decl::dms::TransportMeans;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "transport-modes",
    code: codes::VAL_TRANSPORT_MODE,
    summary: "modes of transport (DE 7/4, 7/5) are UN/ECE Rec 19 codes 1 to 9",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let consignment = shipment(cx).and_then(|shipment| shipment.consignment.as_ref());
    let means: [Option<&TransportMeans>; 3] = [
        declaration(cx).border_transport_means.as_deref(),
        consignment.and_then(|consignment| consignment.arrival_transport_means.as_deref()),
        consignment.and_then(|consignment| consignment.departure_transport_means.as_deref()),
    ];
    for code in means.into_iter().flatten().filter_map(|means| means.mode_code.as_ref()) {
        let value = code.as_str();
        // Rec 19 has only the digits 0-9, and anything but one digit is the reader's: 0 is
        // the one code left to refuse.
        if value != "0" {
            continue;
        }
        let name = cx
            .codelists
            .and_then(|lists| lists.transport_mode(value))
            .unwrap_or("transport mode not specified");
        findings.push(
            finding_at(
                cx,
                RULE.code,
                code.node,
                format!("mode of transport `{value}` ({name}) is not accepted; the mode must be known"),
            )
            .with_dms_code("DMS10020")
            .with_help("1 sea, 2 rail, 3 road, 4 air, 5 post, 6 RoRo, 7 fixed installation, 8 inland waterway, 9 own propulsion"),
        );
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const BORDER: &str = "<ModeCode>1</ModeCode>";
    const ARRIVAL: &str = "<IdentificationTypeCode>10</IdentificationTypeCode>";

    #[test]
    fn transport_modes() {
        let pass = [
            ("sea", &[][..]),
            ("RoRo", &[(BORDER, "<ModeCode>6</ModeCode>")][..]),
            (
                "inland road",
                &[(
                    ARRIVAL,
                    "<IdentificationTypeCode>10</IdentificationTypeCode><ModeCode>3</ModeCode>",
                )][..],
            ),
            ("a letter (the reader reports it)", &[(BORDER, "<ModeCode>S</ModeCode>")][..]),
        ];
        let fail = [
            ("border mode not specified", &[(BORDER, "<ModeCode>0</ModeCode>")][..]),
            (
                "inland mode not specified",
                &[(
                    ARRIVAL,
                    "<IdentificationTypeCode>10</IdentificationTypeCode><ModeCode>0</ModeCode>",
                )][..],
            ),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
