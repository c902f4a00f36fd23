//! `Tariff` lookups on the bundled packs, checked by hand against the shared sources.

// Test helpers may unwrap too: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use preclear::tariff::{
    CodeLists, HsEdition, Jurisdiction, LookupError, Measure, PackFile, Tariff,
};
use preclear::{Date, codes};

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

fn uk() -> Tariff {
    Tariff::bundled(Jurisdiction::Uk).unwrap()
}

fn us() -> Tariff {
    Tariff::bundled(Jurisdiction::Us).unwrap()
}

fn of_type<'a>(measures: &'a [Measure], kind: &str) -> Vec<&'a Measure> {
    measures.iter().filter(|measure| measure.measure_type == kind).collect()
}

#[test]
fn bundled_packs_load_without_findings() {
    for jurisdiction in [Jurisdiction::Uk, Jurisdiction::Us, Jurisdiction::Eu] {
        let tariff = Tariff::bundled(jurisdiction).unwrap();
        assert_eq!(tariff.findings(), &[], "{jurisdiction}");
        assert!(tariff.line_count() > 10_000, "{jurisdiction}");
    }
    assert_eq!(CodeLists::bundled().unwrap().findings(), &[]);
}

#[test]
fn uk_8510900000_has_the_ukgt_rate() {
    // ukgt-2021-vs-eu-cet.csv line 10974: 85109000, CET 2.2%, UKGT 2.0%.
    let line = uk().commodity("8510900000", date("2024-01-01")).unwrap();
    assert_eq!(line.description, "Parts");
    assert!(line.declarable);
    let path: Vec<&str> = line.path.iter().map(|entry| entry.code.as_str()).collect();
    assert_eq!(path, ["8500000000", "8510000000"]);
    let duty = of_type(&line.measures, "103");
    assert_eq!(duty.len(), 1);
    assert_eq!(duty[0].expression_source, "2.0%");
    assert_eq!(duty[0].origin, "1011");
    assert_eq!(duty[0].defined_on, "8510900000");
    let vat = of_type(&line.measures, "305");
    assert_eq!(vat[0].expression_source, "20.00 %");
    assert_eq!(vat[0].legal_basis.as_deref(), Some("Value Added Tax Act 1994, s. 2(1)"));
}

#[test]
fn us_0402_29_50_00_has_general_special_and_column_2_rates() {
    // hts_2026_rev_10.json.gz, htsno 0402.29.50.00.
    let line = us().commodity("0402.29.50.00", date("2026-06-01")).unwrap();
    assert!(line.declarable);
    assert_eq!(line.units, ["kg", "kg cmsc"]);
    assert_eq!(line.chapter_99, ["9904.04.50", "9904.05.01", "9903.88.15"]);
    assert_eq!(of_type(&line.measures, "general")[0].expression_source, "$1.104/kg + 14.9%");
    assert_eq!(of_type(&line.measures, "column-2")[0].expression_source, "$1.299/kg + 17.5%");
    let special: Vec<(&str, &str)> = of_type(&line.measures, "special")
        .iter()
        .map(|measure| (measure.expression_source.as_str(), measure.origin.as_str()))
        .collect();
    assert_eq!(
        special,
        [
            ("Free", "BH,CL,JO,KR,MA,OM,P,PA,PE,SG"),
            ("See 9822.04.25", "AU"),
            ("See 9823.05.01-9823.05.06", "S+"),
            ("See 9918.04.60, 9918.04.61", "CO")
        ]
    );
    let from_korea = us().commodity_from("0402295000", date("2026-06-01"), Some("KR")).unwrap();
    let kinds: Vec<&str> =
        from_korea.measures.iter().map(|measure| measure.measure_type.as_str()).collect();
    assert_eq!(kinds, ["general", "special"]);
    let from_cuba = us().commodity_from("0402295000", date("2026-06-01"), Some("CU")).unwrap();
    let kinds: Vec<&str> =
        from_cuba.measures.iter().map(|measure| measure.measure_type.as_str()).collect();
    assert_eq!(kinds, ["column-2"]);
}

#[test]
fn shared_commodities_are_built_once_and_match_a_fresh_lookup() {
    let tariff = uk();
    let day = date("2024-03-01");
    let first = tariff.commodity_shared("8510900000", day, Some("cn")).unwrap();
    let again = tariff.commodity_shared("8510.90.00.00", day, Some(" CN ")).unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &again), "same line, date and origin: built once");
    assert_eq!(*first, tariff.commodity_from("8510900000", day, Some("CN")).unwrap());
    // Another origin, or another day, is another commodity.
    let elsewhere = tariff.commodity_shared("8510900000", day, Some("US")).unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &elsewhere));
    assert_eq!(*elsewhere, tariff.commodity_from("8510900000", day, Some("US")).unwrap());
    let later = tariff.commodity_shared("8510900000", date("2024-03-02"), Some("CN")).unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &later));
    assert_eq!(later.date, date("2024-03-02"));
    // Errors are not remembered as commodities.
    assert!(matches!(
        tariff.commodity_shared("9999999999", day, None),
        Err(LookupError::NotFound(_))
    ));
    // The memory is bounded: after many other lookups the first is built again, equal.
    for (month, day_of_month) in (1..=12).flat_map(|month| (1..=28).map(move |day| (month, day))) {
        let other = Date::new(2024, month, day_of_month).unwrap();
        tariff.commodity_shared("8510900000", other, None).unwrap();
    }
    let rebuilt = tariff.commodity_shared("8510900000", day, Some("CN")).unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &rebuilt));
    assert_eq!(first, rebuilt);
}

#[test]
fn codes_are_found_with_or_without_dots_and_spaces() {
    let day = date("2024-01-01");
    let tariff = us();
    let plain = tariff.commodity("0402295000", day).unwrap();
    assert_eq!(tariff.commodity("0402.29.50.00", day).unwrap(), plain);
    assert_eq!(tariff.commodity(" 0402 29 50 00 ", day).unwrap(), plain);
    let tariff = uk();
    let plain = tariff.commodity("8510900000", day).unwrap();
    assert_eq!(tariff.commodity("8510.90.00.00", day).unwrap(), plain);
    assert_eq!(tariff.commodity("85109000", day).unwrap(), plain);
    assert!(matches!(tariff.commodity("8510.9x", day), Err(LookupError::BadCode(_))));
    assert!(matches!(tariff.commodity("9999999999", day), Err(LookupError::NotFound(_))));
}

#[test]
fn measures_are_inherited_down_the_hierarchy() {
    // 0102291020 is a TARIC line under CN8 01022910, which carries the UKGT rate.
    let line = uk().commodity("0102291020", date("2024-01-01")).unwrap();
    let duty = of_type(&line.measures, "103");
    assert_eq!(duty.len(), 1);
    assert_eq!(duty[0].defined_on, "0102291000");
    assert_eq!(duty[0].expression_source, "10.00% + 77.00 GBP/100kg");
    assert!(line.declarable);
    assert!(!uk().is_declarable("0102291000", date("2024-01-01")));

    // A statistical suffix inherits the rates of its eight-digit line.
    let line = us().commodity("0101.21.00.10", date("2026-06-01")).unwrap();
    let general = of_type(&line.measures, "general");
    assert_eq!(general[0].expression_source, "Free");
    assert_eq!(general[0].defined_on, "0101.21.00");
    assert!(line.declarable);
    assert!(!us().is_declarable("0101.21.00", date("2026-06-01")));
}

#[test]
fn measures_and_lines_are_filtered_by_date() {
    let tariff = uk();
    // uk-commodity-0702000007.json: MFN 8.00 % from 2021-01-01 to 2021-05-14, on the line
    // itself; after that the UKGT's seasonal rate of heading 0702 applies again.
    let winter = tariff.commodity("0702000007", date("2021-03-01")).unwrap();
    let duty = of_type(&winter.measures, "103");
    assert_eq!(
        (duty[0].expression_source.as_str(), duty[0].defined_on.as_str()),
        ("8.00 %", "0702000007")
    );
    let summer = tariff.commodity("0702000007", date("2021-06-01")).unwrap();
    let duty = of_type(&summer.measures, "103");
    assert_eq!(duty.len(), 1);
    assert_eq!(duty[0].expression_source, "8.00% (01 NOV - 14 MAY), 14.00% (15 MAY - 31 OCT)");
    assert_eq!(duty[0].defined_on, "0702000000");
    // The tomatoes are zero-rated: the API's VATZ measure replaces the standard rate.
    let vat = of_type(&winter.measures, "305");
    assert_eq!(vat.len(), 1);
    assert_eq!(vat[0].additional_code.as_deref(), Some("VATZ"));
    assert!(matches!(
        tariff.commodity("0702000007", date("2020-06-01")),
        Err(LookupError::NotValidOn { .. })
    ));

    // Nomenclature validity: 2841908500 ended on 2026-01-01.
    assert!(tariff.commodity("2841908500", date("2025-06-01")).is_ok());
    assert!(matches!(
        tariff.commodity("2841908500", date("2026-06-01")),
        Err(LookupError::NotValidOn { .. })
    ));
    // A 2021 UKGT line that the 2026 nomenclature no longer holds still resolves in 2021.
    let old = tariff.commodity("0302818000", date("2021-06-01")).unwrap();
    assert!(old.declarable);
    assert_eq!(of_type(&old.measures, "103").len(), 1);
}

#[test]
fn origin_selects_preferences_quotas_and_anti_dumping() {
    let tariff = uk();
    let day = date("2021-06-01");
    // uk-commodity-1516209821.json: definitive anti-dumping duty on Canada by additional code.
    let canada = tariff.commodity_from("1516209821", day, Some("CA")).unwrap();
    let dumping = of_type(&canada.measures, "552");
    assert_eq!(dumping.len(), 4);
    let residual =
        dumping.iter().find(|measure| measure.additional_code.as_deref() == Some("B999")).unwrap();
    assert_eq!(residual.expression_source, "144.10 GBP / 1000 kg/biodiesel");
    assert!(residual.conditions.is_empty());
    // A named producer pays 0.00 with an anti-dumping document (D008), else the residual rate.
    let biox =
        dumping.iter().find(|measure| measure.additional_code.as_deref() == Some("B107")).unwrap();
    assert_eq!(biox.conditions[0].document.as_deref(), Some("D008"));
    assert_eq!(biox.conditions[1].document, None);
    assert_eq!(of_type(&canada.measures, "142")[0].expression_source, "0.00 %");
    let america = tariff.commodity_from("1516209821", day, Some("US")).unwrap();
    assert!(of_type(&america.measures, "552").is_empty());
    assert!(of_type(&america.measures, "142").is_empty());
    // Import control 750 excludes the EU member states.
    assert_eq!(of_type(&america.measures, "750").len(), 1);
    let france = tariff.commodity_from("1516209821", day, Some("FR")).unwrap();
    assert!(of_type(&france.measures, "750").is_empty());

    // uk-commodity-0702000007.json: Morocco's preferential quota 051193.
    let morocco = tariff.commodity_from("0702000007", date("2021-03-01"), Some("MA")).unwrap();
    let quotas: Vec<_> = of_type(&morocco.measures, "143")
        .iter()
        .filter_map(|measure| measure.order_number.clone())
        .collect();
    assert_eq!(quotas, ["051193"]);
}

#[test]
fn uk_rates_vat_excise_and_exchange() {
    let tariff = uk();
    // hmrc-rates/data/monthly/2023-01.xml and 2026-08.xml.
    assert_eq!(tariff.exchange_rate("USD", date("2023-01-15")).unwrap().to_string(), "1.2406");
    assert_eq!(tariff.exchange_rate("USD", date("2026-08-01")).unwrap().to_string(), "1.3367");
    assert_eq!(tariff.exchange_rate("USD", date("2018-12-01")), None);
    // Every currency of a month is found, in either case, wherever it sits in the month.
    let pack = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tariffs/uk/exchange_rates.tsv"),
    )
    .unwrap();
    let month: Vec<(&str, &str)> =
        pack.lines().filter_map(|line| line.strip_prefix("2023-01\t")?.split_once('\t')).collect();
    assert!(month.len() > 100, "{} currencies", month.len());
    for (currency, rate) in month {
        let found = tariff.exchange_rate(currency, date("2023-01-31")).map(|r| r.to_string());
        assert_eq!(found.as_deref(), Some(rate), "{currency}");
        let lower = tariff.exchange_rate(&currency.to_lowercase(), date("2023-01-01"));
        assert_eq!(lower.map(|r| r.to_string()).as_deref(), Some(rate), "{currency}");
    }
    assert_eq!(tariff.exchange_rate("XXX", date("2023-01-15")), None);
    assert_eq!(tariff.exchange_rate("", date("2023-01-15")), None);
    // alcohol-duty-rates.json, band 345 (spirits over 22%).
    let rate = |day: &str| tariff.alcohol_duty("345", date(day)).unwrap().rate.unwrap().to_string();
    assert_eq!(rate("2024-01-01"), "31.64");
    assert_eq!(rate("2025-03-01"), "32.79");
    assert_eq!(rate("2026-03-01"), "33.99");
    assert_eq!(tariff.vat_rule(Some("VATR")).unwrap().percent.to_string(), "5.00");
    assert_eq!(tariff.vat_rule(Some("VATZ")).unwrap().percent.to_string(), "0.00");
    assert_eq!(tariff.vat_rule(None).unwrap().percent.to_string(), "20.00");
}

#[test]
fn code_lists_answer_validation_questions() {
    let lists = CodeLists::bundled().unwrap();
    assert_eq!(lists.country("NA"), Some("Namibia"));
    for code in ["GB", "XI", "EU", "ZU", "ZN"] {
        assert!(lists.country_exists(code), "{code}");
    }
    assert!(!lists.country_exists("XX"));
    assert_eq!(lists.currency("JPY").unwrap().minor_units, Some(0));
    assert_eq!(lists.currency("BHD").unwrap().minor_units, Some(3));
    assert_eq!(lists.currency("XAU").unwrap().minor_units, None);
    assert!(lists.currency_active_on("DEM", date("2001-06-01")));
    assert!(!lists.currency_active_on("DEM", date("2003-01-01")));
    assert!(lists.currency_active_on("GBP", date("2024-01-01")));
    for unit in ["KGM", "KGM#G", "TNE#I", "ASV", "LPA", "HLT", "GP1", "EAS", "DTN#E", "C62"] {
        assert!(lists.unit_known(unit), "{unit}");
    }
    assert!(!lists.unit_known("NPR"), "NPR is deleted from Rec 20");
    assert!(lists.hs6_exists("852411", HsEdition::Hs2022));
    assert!(!lists.hs6_exists("852411", HsEdition::Hs2017));
    assert!(lists.hs6_exists("010121", HsEdition::Hs2017));
    assert!(!lists.hs6_exists("999999", HsEdition::Hs2022));
    assert!(lists.locode_exists("GBFXT"));
    assert!(lists.locode_exists("gb fxt"));
    assert!(!lists.locode_exists("GBZZZ9"));
    assert_eq!(lists.transport_mode("4"), Some("Air transport"));
    assert!(lists.preference_code("100").is_some());
    assert_eq!(lists.package_type("CT"), Some("Carton"));
}

#[test]
fn bad_pack_lines_are_findings_with_file_and_line() {
    let files = vec![
        PackFile::bundled("pack.toml", "jurisdiction = \"eu\"\n"),
        PackFile::bundled(
            "cet.tsv",
            "code\twidth\tdescription\trate\n0101210000\t8\tHorses\t0%\n01x\t8\tBad\t1%\n0101290000\t8\tOther\n",
        ),
    ];
    let tariff = Tariff::from_files(files).unwrap();
    let messages: Vec<&str> =
        tariff.findings().iter().map(|finding| finding.message.as_str()).collect();
    assert_eq!(
        messages,
        ["cet.tsv:4: expected 4 fields, found 3", "cet.tsv:3: `01x` is not a commodity code"]
    );
    assert!(tariff.findings().iter().all(|finding| finding.code == codes::TARIFF_BAD_PACK));
    assert_eq!(
        tariff.commodity("0101210000", date("2020-01-01")).unwrap().measures[0].expression_source,
        "0%"
    );

    let error = Tariff::from_files(vec![PackFile::bundled("cet.tsv", "code\n")]).unwrap_err();
    assert_eq!(error.finding.message, "pack.toml:1: the pack has no pack.toml");
    let error = Tariff::from_files(vec![
        PackFile::bundled("pack.toml", "jurisdiction = \"eu\"\n"),
        PackFile::bundled("cet.tsv", "code\trate\n"),
    ])
    .unwrap_err();
    assert!(
        error.finding.message.starts_with("cet.tsv:1: expected the header"),
        "{}",
        error.finding.message
    );
}
