//! Reconciling an assessment with the authority's: each tax line of a tax calculation
//! notification (CDS `DMSTAX`: tax type, base, rate, amount per goods item) set against the
//! line Preclear computed for the same item and tax type.
//!
//! A line matches when its amount is the same and, where both sides state them, its base and
//! its rate are too. A line Preclear did not compute is reported with the findings that say
//! why (no rate in the loaded tariff, a quantity not declared, ...); a line Preclear computed
//! that the authority did not charge is reported as well.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::decl::NotificationDocument;
use crate::decl::notification::TaxLine as AuthorityTaxLine;
use crate::finding::Severity;
use crate::report::{ItemReport, Report, TaxLine};

/// A tax line as the authority calculated it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorityLine {
    /// The tax type (`A00`, `B00`, `311`, ...).
    #[serde(rename = "type")]
    pub tax_type: String,
    /// The value an ad valorem rate applied to.
    pub base: Option<Decimal>,
    /// The quantity a specific rate applied to, with its unit.
    pub quantity: Option<(Decimal, Option<String>)>,
    /// The rate (a percentage for ad valorem lines).
    pub rate: Option<Decimal>,
    /// The tax assessed.
    pub amount: Option<Decimal>,
}

/// How one authority line compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Same amount, and same base and rate where both state them.
    Matched,
    /// Computed, but different: each difference in words.
    Differs {
        /// `amount: 40.00 charged, 20.00 computed`, ...
        differences: Vec<String>,
    },
    /// Not computed, and why.
    NotComputed {
        /// The reasons (the assessment's findings for the item).
        reasons: Vec<String>,
    },
}

/// One authority line and its comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineCheck {
    /// The goods item number (DE 1/6).
    pub item: u32,
    /// The authority's line.
    pub authority: AuthorityLine,
    /// Preclear's line for the same item and tax type, when there is one.
    pub computed: Option<TaxLine>,
    /// The comparison.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// A line Preclear computed that the authority did not charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtraLine {
    /// The goods item number.
    pub item: u32,
    /// The computed line.
    pub computed: TaxLine,
}

/// The comparison of a whole notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// Every authority line, in the notification's order.
    pub lines: Vec<LineCheck>,
    /// Computed lines with no authority line.
    pub extra: Vec<ExtraLine>,
}

impl Reconciliation {
    /// The number of authority lines that match.
    #[must_use]
    pub fn matched(&self) -> usize {
        self.lines.iter().filter(|line| line.outcome == Outcome::Matched).count()
    }

    /// Whether every authority line matches and nothing else was computed.
    #[must_use]
    pub fn agrees(&self) -> bool {
        self.matched() == self.lines.len() && self.extra.is_empty()
    }
}

fn authority_line(line: &AuthorityTaxLine) -> AuthorityLine {
    let text = |value: Option<&crate::decl::value::Text>| {
        value.map(|text| text.value.trim().to_owned()).unwrap_or_default()
    };
    AuthorityLine {
        tax_type: text(line.type_code.as_ref()),
        base: line.ad_valorem_tax_base_amount.as_ref().and_then(|amount| amount.value),
        quantity: line
            .specific_tax_base_quantity
            .as_ref()
            .and_then(|quantity| Some((quantity.value?, quantity.unit.clone()))),
        rate: line.tax_rate_numeric.as_ref().and_then(|rate| rate.value),
        amount: line
            .payment
            .as_ref()
            .and_then(|payment| payment.tax_assessed_amount.as_ref())
            .and_then(|amount| amount.value),
    }
}

/// The rate of a computed line as one number, when it is a single component (`2.00%` is 2,
/// `28.50 GBP / l alc. 100%` is 28.50); compound and bounded rates have none.
fn single_rate(line: &TaxLine) -> Option<Decimal> {
    let rate = line.rate.trim();
    if rate.contains(" + ") || rate.contains(" - ") || rate.contains("MIN") || rate.contains("MAX")
    {
        return None;
    }
    let number: String = rate
        .chars()
        .take_while(|character| character.is_ascii_digit() || *character == '.')
        .collect();
    number.parse().ok()
}

fn differences(authority: &AuthorityLine, computed: &TaxLine) -> Vec<String> {
    let mut differences = Vec::new();
    let mut compare = |what: &str, theirs: Option<Decimal>, ours: Option<Decimal>| {
        if let (Some(theirs), Some(ours)) = (theirs, ours)
            && theirs != ours
        {
            differences.push(format!("{what}: {theirs} charged, {ours} computed"));
        }
    };
    compare("amount", authority.amount, Some(computed.amount.amount));
    compare("base", authority.base, computed.base.as_ref().map(|base| base.amount));
    compare(
        "quantity",
        authority.quantity.as_ref().map(|(quantity, _)| *quantity),
        computed.base_quantity.as_ref().map(|quantity| quantity.quantity),
    );
    // A rate is compared only as a percentage against a percentage, or a specific amount
    // against a specific amount: HMRC prints one number either way.
    let ours_is_percent = computed.base.is_some();
    let theirs_is_percent = authority.base.is_some();
    if ours_is_percent == theirs_is_percent {
        compare("rate", authority.rate, single_rate(computed));
    }
    if authority.amount.is_none() {
        differences.push("the authority's line states no amount".to_owned());
    }
    differences
}

/// Whether a finding's path lies within the goods item at `position` (0-based) of `count`.
fn within_item(path: &str, position: usize, count: usize) -> bool {
    let indexed = format!("GovernmentAgencyGoodsItem[{}]", position + 1);
    let found = path.find(&indexed).map(|at| at + indexed.len()).or_else(|| {
        (count == 1).then(|| path.find("GovernmentAgencyGoodsItem").map(|at| at + 25)).flatten()
    });
    found.is_some_and(|end| matches!(path.as_bytes().get(end), None | Some(b'/')))
}

/// Why a tax type is outside what the assessment computes, for the types it never does.
fn line_kind(tax_type: &str) -> Option<&'static str> {
    match tax_type {
        "A50" | "A70" | "A80" | "A90" | "B05" => Some(
            "a Northern Ireland line (EU duty on goods at risk, or VAT on it): the Windsor Framework's dual tariff is not modelled",
        ),
        "IPR" | "T24" | "STA" | "MDP" | "MDC" | "CSD" => Some(
            "a security, interest or charge line, not a duty or tax rated by the tariff: not computed",
        ),
        kind if kind.len() == 3
            && kind.bytes().all(|byte| byte.is_ascii_digit())
            && !kind.starts_with('3') =>
        {
            Some(
                "an excise duty other than alcohol (tobacco, fuel): its rates are not in the loaded tariff",
            )
        }
        _ => None,
    }
}

/// The findings that say why the assessment of an item left lines out.
fn reasons(report: &Report, position: usize, count: usize, tax_type: &str) -> Vec<String> {
    let mut reasons: Vec<String> = report
        .findings
        .iter()
        .filter(|finding| {
            finding.code.id.starts_with("PC-DUTY") || finding.severity == Severity::Error
        })
        .filter(|finding| match &finding.location {
            Some(location) => within_item(&location.path, position, count),
            None => finding.code.id.starts_with("PC-DUTY"),
        })
        .map(|finding| format!("{}: {}", finding.code, finding.message))
        .collect();
    if let Some(kind) = line_kind(tax_type) {
        reasons.insert(0, kind.to_owned());
    }
    if reasons.is_empty() {
        reasons
            .push(format!("no measure of the loaded tariff gives a {tax_type} line for this item"));
    }
    reasons.dedup();
    reasons
}

/// The date the authority calculated at: the acceptance date of the declaration the
/// notification is about, else the notification's own date.
#[must_use]
pub fn tax_point(notification: &NotificationDocument) -> Option<crate::Date> {
    let declared = notification
        .responses
        .iter()
        .find_map(|response| response.declaration.as_ref()?.acceptance_date_time.as_ref()?.date);
    declared.or_else(|| {
        notification.responses.iter().find_map(|response| response.issue_date_time.as_ref()?.date)
    })
}

/// Compares `report` (an assessed declaration) with the tax lines of `notification`.
#[must_use]
pub fn reconcile(report: &Report, notification: &NotificationDocument) -> Reconciliation {
    let items: &[ItemReport] =
        report.declaration.as_ref().map_or(&[], |declaration| declaration.items.as_slice());
    let mut used: Vec<Vec<bool>> =
        items.iter().map(|item| vec![false; item.tax_lines.len()]).collect();
    let mut lines = Vec::new();
    let goods_items = notification
        .responses
        .iter()
        .filter_map(|response| response.declaration.as_ref()?.goods_shipment.as_ref())
        .flat_map(|shipment| shipment.goods_items.iter());
    for goods_item in goods_items {
        let sequence = goods_item
            .sequence_numeric
            .as_ref()
            .and_then(crate::decl::value::Numeric::as_u32)
            .unwrap_or(0);
        let position = items.iter().position(|item| item.sequence == Some(sequence));
        for authority in
            goods_item.commodity.iter().flat_map(|commodity| commodity.tax_lines.iter())
        {
            let authority = authority_line(authority);
            let Some(position) = position else {
                lines.push(LineCheck {
                    item: sequence,
                    authority,
                    computed: None,
                    outcome: Outcome::NotComputed {
                        reasons: vec![format!("the declaration has no goods item {sequence}")],
                    },
                });
                continue;
            };
            let item_lines = items.get(position).map_or(&[][..], |item| item.tax_lines.as_slice());
            let taken = used.get_mut(position);
            let candidates: Vec<usize> = item_lines
                .iter()
                .enumerate()
                .filter(|(index, line)| {
                    line.tax_type == authority.tax_type
                        && taken.as_ref().is_none_or(|taken| taken.get(*index) != Some(&true))
                })
                .map(|(index, _)| index)
                .collect();
            // Several lines of one type (two A20 additional duties): the one with the same
            // amount, else the same rate, else the first.
            let chosen = candidates
                .iter()
                .copied()
                .find(|&index| {
                    item_lines.get(index).map(|line| line.amount.amount) == authority.amount
                })
                .or_else(|| {
                    candidates.iter().copied().find(|&index| {
                        item_lines.get(index).and_then(single_rate) == authority.rate
                    })
                })
                .or_else(|| candidates.first().copied());
            let Some(index) = chosen else {
                let reasons = reasons(report, position, items.len(), &authority.tax_type);
                lines.push(LineCheck {
                    item: sequence,
                    authority,
                    computed: None,
                    outcome: Outcome::NotComputed { reasons },
                });
                continue;
            };
            if let Some(flag) = taken.and_then(|taken| taken.get_mut(index)) {
                *flag = true;
            }
            let computed = item_lines.get(index).cloned();
            let outcome = match computed.as_ref().map(|line| differences(&authority, line)) {
                Some(differences) if differences.is_empty() => Outcome::Matched,
                Some(differences) => Outcome::Differs { differences },
                None => Outcome::NotComputed { reasons: Vec::new() },
            };
            lines.push(LineCheck { item: sequence, authority, computed, outcome });
        }
    }
    let charged_items: Vec<u32> = lines.iter().map(|line| line.item).collect();
    let mut extra = Vec::new();
    for (item, taken) in items.iter().zip(&used) {
        let sequence = item.sequence.unwrap_or(0);
        // Items the notification does not mention are outside its calculation.
        if !charged_items.contains(&sequence) {
            continue;
        }
        for (line, taken) in item.tax_lines.iter().zip(taken) {
            // A computed zero the authority leaves out is no difference.
            if !taken && !line.amount.amount.is_zero() {
                extra.push(ExtraLine { item: sequence, computed: line.clone() });
            }
        }
    }
    Reconciliation { lines, extra }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_paths_select_their_item() {
        let path = "/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]/Commodity";
        assert!(within_item(path, 1, 3));
        assert!(!within_item(path, 0, 3));
        assert!(!within_item(
            "/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[12]",
            0,
            20
        ));
        assert!(within_item("/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem", 0, 1));
    }
}
