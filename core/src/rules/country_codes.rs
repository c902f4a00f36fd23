//! `country-codes`: every coded country is a country CDS knows.
//!
//! Checks each `CountryCode` (party and location addresses, destination, origin),
//! `ExportCountry/ID`, `RegistrationNationalityCode` and `RoutingCountryCode` against the
//! code lists: ISO 3166-1 alpha-2 plus the codes CDS and the UK tariff add (`XI` Northern
//! Ireland, `EU`, `XK` Kosovo, `XS` Serbia, `XC`/`XL` Ceuta and Melilla, the `Q*` statistical
//! codes, and the continental-shelf sectors such as `ZU` and `ZN`). `Origin/CountryCode`
//! (an..4) may also be a four-digit country group of the tariff, which this rule leaves to
//! the preference checks.
//!
//! Why: CDS validates every country against its reference data and rejects an unknown one
//! (DMS10020); a wrong origin or destination also changes the duty and the controls.
//! Values that break the schema's pattern (digits in an a2 code) are already reported by the
//! reader and are not reported again.
//! Sources: ISO 3166-1; UCC Delegated Regulation (EU) 2015/2446 Annex B (DE 3/1-3/40 address
//! countries, 5/8, 5/14, 5/15, 5/16, 7/15, 5/22 itinerary); the UK Trade Tariff's geographical
//! areas (the CDS additions); HMRC's CDS samples (`ZU`, `ZN`, `GG`, `JE`).

use super::walk::addresses;
use super::{Rule, declaration, finding_at, items, shipment};
use crate::check::Context;
use crate::codes;
use crate::decl::value::Text;
use crate::finding::Finding;
use crate::tariff::CodeLists;

pub(super) const RULE: Rule = Rule {
    name: "country-codes",
    code: codes::VAL_COUNTRY_CODE,
    summary: "country codes are ISO 3166-1 alpha-2 or a code CDS adds",
    check,
};

/// How the schema types a country element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// `a2`: two letters, checked by the reader.
    Alpha2,
    /// `Origin/CountryCode`, an..4: a country, or a four-digit country group.
    Origin,
}

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(lists) = cx.codelists else { return };
    let declaration = declaration(cx);
    let mut codes: Vec<(Field, &Text)> = Vec::new();
    for address in addresses(declaration) {
        codes.extend(address.country_code.iter().map(|code| (Field::Alpha2, code)));
    }
    if let Some(means) = &declaration.border_transport_means {
        codes.extend(means.registration_nationality_code.iter().map(|code| (Field::Alpha2, code)));
    }
    if let Some(consignment) = &declaration.consignment {
        for itinerary in &consignment.itineraries {
            codes.extend(itinerary.routing_country_code.iter().map(|code| (Field::Alpha2, code)));
        }
    }
    if let Some(shipment) = shipment(cx) {
        let destination = shipment.destination.as_ref().and_then(|it| it.country_code.as_ref());
        let export = shipment.export_country.as_ref().and_then(|it| it.id.as_ref());
        codes.extend(destination.into_iter().chain(export).map(|code| (Field::Alpha2, code)));
    }
    for item in items(cx) {
        let destination = item.destination.as_ref().and_then(|it| it.country_code.as_ref());
        let export = item.export_country.as_ref().and_then(|it| it.id.as_ref());
        codes.extend(destination.into_iter().chain(export).map(|code| (Field::Alpha2, code)));
        for origin in &item.origins {
            codes.extend(origin.country_code.iter().map(|code| (Field::Origin, code)));
        }
    }
    // Document order, whatever order the model's fields are in.
    codes.sort_by_key(|(_, code)| code.node);
    for (field, code) in codes {
        if let Some(finding) = check_code(cx, lists, field, code) {
            findings.push(finding);
        }
    }
}

fn check_code(cx: &Context<'_>, lists: &CodeLists, field: Field, code: &Text) -> Option<Finding> {
    let value = code.as_str();
    let letters = value.len() == 2 && value.bytes().all(|byte| byte.is_ascii_alphabetic());
    match field {
        Field::Alpha2 if !letters => return None,
        // A country group of the tariff (`1011` erga omnes, `2005` GSP, ...).
        Field::Origin if value.len() == 4 && value.bytes().all(|byte| byte.is_ascii_digit()) => {
            return None;
        }
        _ => {}
    }
    if lists.country_exists(value) {
        return None;
    }
    let upper = value.to_ascii_uppercase();
    let (message, help) = if letters && lists.country_exists(&upper) {
        (
            format!("country code `{value}` must be written in capital letters"),
            format!("write `{upper}`"),
        )
    } else {
        let help = match upper.as_str() {
            "UK" => "the United Kingdom is `GB` (`XI` for Northern Ireland)",
            "EL" => "Greece is `GR` in ISO 3166-1 (`EL` is its VAT prefix)",
            _ => "use the ISO 3166-1 alpha-2 code (GB, CN, US, ...)",
        };
        (format!("`{value}` is not a country code CDS knows"), help.to_owned())
    };
    Some(finding_at(cx, RULE.code, code.node, message).with_dms_code("DMS10020").with_help(help))
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const ORIGIN: &str = "<Origin>\n\t\t\t\t\t<CountryCode>CN</CountryCode>";
    const EXPORT: &str = "<ExportCountry>\n\t\t\t\t<ID>SG</ID>";
    const NATIONALITY: &str = "<RegistrationNationalityCode>SG</RegistrationNationalityCode>";
    const EXPORTER: &str = "<CountryCode>SG</CountryCode>\n\t\t\t\t<Line>";

    #[test]
    fn country_codes() {
        let pass = [
            ("ISO codes", &[][..]),
            (
                "continental shelf origin ZU",
                &[(ORIGIN, "<Origin><CountryCode>ZU</CountryCode>")][..],
            ),
            ("Jersey dispatch", &[(EXPORT, "<ExportCountry><ID>JE</ID>")][..]),
            ("Northern Ireland", &[(EXPORTER, "<CountryCode>XI</CountryCode><Line>")][..]),
            ("origin group 1011", &[(ORIGIN, "<Origin><CountryCode>1011</CountryCode>")][..]),
            (
                "digits in an a2 code (the reader reports it)",
                &[(NATIONALITY, "<RegistrationNationalityCode>S1</RegistrationNationalityCode>")][..],
            ),
        ];
        let fail = [
            ("origin UK", &[(ORIGIN, "<Origin><CountryCode>UK</CountryCode>")][..]),
            ("dispatch XX", &[(EXPORT, "<ExportCountry><ID>XX</ID>")][..]),
            (
                "lowercase nationality",
                &[(NATIONALITY, "<RegistrationNationalityCode>sg</RegistrationNationalityCode>")][..],
            ),
            ("exporter in EL", &[(EXPORTER, "<CountryCode>EL</CountryCode><Line>")][..]),
            ("origin of three letters", &[(ORIGIN, "<Origin><CountryCode>CHN</CountryCode>")][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
