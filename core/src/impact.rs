//! The impact of a tariff update on declarations: the same declaration's reports under an old
//! and a new pack, compared (`preclear diff`). Duty per item and in total (absolute and
//! percentage change), restriction flags that appear or vanish, findings that appear or
//! vanish (a code that stopped existing), and lane changes; then a summary over a corpus.
//!
//! The comparison reads two [`Report`]s and nothing else, so it runs wherever checks run.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::report::{ItemReport, Report};

/// An amount before and after, with the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Before.
    pub old: Decimal,
    /// After.
    pub new: Decimal,
    /// `new - old`.
    pub delta: Decimal,
    /// The change as a percentage of `old`, to 2 decimals (none when `old` is zero).
    pub percent: Option<Decimal>,
    /// The currency, when the reports give one.
    pub currency: Option<String>,
}

impl Change {
    fn of(mut old: Decimal, mut new: Decimal, currency: Option<String>) -> Change {
        // A side with no tax lines sums to a bare `0`: show it in the other side's minor units.
        let scale = old.scale().max(new.scale());
        old.rescale(scale);
        new.rescale(scale);
        let delta = new - old;
        let percent = (!old.is_zero())
            .then(|| (delta * Decimal::ONE_HUNDRED / old).round_dp(2))
            .map(|percent| percent.normalize());
        Change { old, new, delta, percent, currency }
    }

    fn describe(&self) -> String {
        let currency = self.currency.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
        let sign = if self.delta.is_sign_negative() { "" } else { "+" };
        let percent = self
            .percent
            .map(|percent| {
                format!(" ({}{percent}%)", if percent.is_sign_negative() { "" } else { "+" })
            })
            .unwrap_or_default();
        format!("{} → {}{currency}: {sign}{}{percent}", self.old, self.new, self.delta)
    }
}

/// One tax line of an item before and after (either side may be missing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineChange {
    /// The tax type (`DUTY`, `CH99`, `A00`, `B00`, ...).
    pub tax_type: String,
    /// The rate before, as the report prints it.
    pub old_rate: Option<String>,
    /// The rate after.
    pub new_rate: Option<String>,
    /// The amount before.
    pub old_amount: Option<Decimal>,
    /// The amount after.
    pub new_amount: Option<Decimal>,
    /// The measure after (before, when the line vanished).
    pub measure: String,
    /// The measure before, when the line changed measure (a heading replaced by another).
    pub old_measure: Option<String>,
}

/// An item's taxes before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    /// The item's sequence number.
    pub sequence: Option<u32>,
    /// Its commodity code.
    pub commodity_code: Option<String>,
    /// Its origin.
    pub origin: Option<String>,
    /// The sum of its tax lines, before and after.
    pub total: Change,
    /// The tax lines that changed.
    pub lines: Vec<LineChange>,
}

/// A restriction flag that appeared or vanished.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FlagChange {
    /// The item's sequence number.
    pub item: Option<u32>,
    /// The rule.
    pub rule: String,
    /// Its status.
    pub status: String,
}

/// A finding that appeared or vanished.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FindingChange {
    /// The finding code.
    pub code: String,
    /// Its severity.
    pub severity: String,
    /// Its message.
    pub message: String,
    /// The element it concerns.
    pub path: Option<String>,
}

/// The lane before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LaneChange {
    /// Before (none: no lane was given).
    pub old: Option<String>,
    /// After.
    pub new: Option<String>,
}

/// What a tariff update changes in one declaration's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclarationImpact {
    /// The input's name.
    pub file: String,
    /// The tariff version each report used.
    pub old_tariff: Option<String>,
    /// See `old_tariff`.
    pub new_tariff: Option<String>,
    /// Whether anything below changed.
    pub changed: bool,
    /// Every item's taxes, before and after.
    pub items: Vec<ItemChange>,
    /// The totals by tax type that changed.
    pub totals: Vec<TotalChange>,
    /// The sum of every total, before and after.
    pub total: Change,
    /// Flags only the new report raises.
    pub new_flags: Vec<FlagChange>,
    /// Flags only the old report raised.
    pub vanished_flags: Vec<FlagChange>,
    /// Findings only the new report has.
    pub new_findings: Vec<FindingChange>,
    /// Findings only the old report had.
    pub vanished_findings: Vec<FindingChange>,
    /// The lane, when it changed.
    pub lane: Option<LaneChange>,
}

/// A total of one tax type, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TotalChange {
    /// The tax type.
    pub tax_type: String,
    /// The amounts.
    #[serde(flatten)]
    pub change: Change,
}

fn currency_of(items: &[&ItemReport]) -> Option<String> {
    items.iter().flat_map(|item| &item.tax_lines).find_map(|line| line.amount.currency.clone())
}

fn item_change(old: Option<&ItemReport>, new: Option<&ItemReport>) -> ItemChange {
    let present: Vec<&ItemReport> = old.into_iter().chain(new).collect();
    let currency = currency_of(&present);
    let sum = |item: Option<&ItemReport>| {
        item.map_or(Decimal::ZERO, |item| {
            item.tax_lines.iter().map(|line| line.amount.amount).sum()
        })
    };
    let mut lines = Vec::new();
    let old_lines: Vec<_> = old.map(|item| item.tax_lines.iter().collect()).unwrap_or_default();
    let new_lines: Vec<_> = new.map(|item| item.tax_lines.iter().collect()).unwrap_or_default();
    let mut types: Vec<&str> =
        old_lines.iter().chain(&new_lines).map(|line| line.tax_type.as_str()).collect();
    types.sort_unstable();
    types.dedup();
    for tax_type in types {
        let before: Vec<_> = old_lines.iter().filter(|line| line.tax_type == tax_type).collect();
        let after: Vec<_> = new_lines.iter().filter(|line| line.tax_type == tax_type).collect();
        for index in 0..before.len().max(after.len()) {
            let b = before.get(index);
            let a = after.get(index);
            let same = match (b, a) {
                (Some(b), Some(a)) => {
                    b.rate == a.rate && b.amount == a.amount && b.measure == a.measure
                }
                _ => false,
            };
            if same {
                continue;
            }
            lines.push(LineChange {
                tax_type: tax_type.to_owned(),
                old_rate: b.map(|line| line.rate.clone()),
                new_rate: a.map(|line| line.rate.clone()),
                old_amount: b.map(|line| line.amount.amount),
                new_amount: a.map(|line| line.amount.amount),
                measure: a.or(b).map(|line| line.measure.clone()).unwrap_or_default(),
                old_measure: match (b, a) {
                    (Some(b), Some(a)) if b.measure != a.measure => Some(b.measure.clone()),
                    _ => None,
                },
            });
        }
    }
    let item = new.or(old);
    ItemChange {
        sequence: item.and_then(|item| item.sequence),
        commodity_code: item.and_then(|item| item.commodity_code.clone()),
        origin: item.and_then(|item| item.origin.clone()),
        total: Change::of(sum(old), sum(new), currency),
        lines,
    }
}

fn flags(report: &Report) -> BTreeSet<FlagChange> {
    report
        .declaration
        .iter()
        .flat_map(|declaration| &declaration.items)
        .flat_map(|item| {
            item.flags.iter().map(|flag| FlagChange {
                item: item.sequence,
                rule: flag.rule.clone(),
                status: flag.status.clone(),
            })
        })
        .collect()
}

fn findings(report: &Report) -> BTreeSet<FindingChange> {
    report
        .findings
        .iter()
        .map(|finding| FindingChange {
            code: finding.code.id.to_owned(),
            severity: finding.severity.to_string(),
            message: finding.message.clone(),
            path: finding.location.as_ref().map(|location| location.path.clone()),
        })
        .collect()
}

/// Compares the reports of one declaration under the old and the new pack.
#[must_use]
pub fn compare(old: &Report, new: &Report) -> DeclarationImpact {
    let old_items: Vec<&ItemReport> =
        old.declaration.iter().flat_map(|declaration| &declaration.items).collect();
    let new_items: Vec<&ItemReport> =
        new.declaration.iter().flat_map(|declaration| &declaration.items).collect();
    let items: Vec<ItemChange> = (0..old_items.len().max(new_items.len()))
        .map(|index| item_change(old_items.get(index).copied(), new_items.get(index).copied()))
        .collect();
    let currency = currency_of(&old_items).or_else(|| currency_of(&new_items));
    let mut by_type: BTreeMap<&str, (Decimal, Decimal, Option<String>)> = BTreeMap::new();
    for total in &old.totals {
        let entry = by_type.entry(&total.tax_type).or_default();
        entry.0 += total.amount.amount;
        entry.2.clone_from(&total.amount.currency);
    }
    for total in &new.totals {
        let entry = by_type.entry(&total.tax_type).or_default();
        entry.1 += total.amount.amount;
        entry.2.clone_from(&total.amount.currency);
    }
    let totals: Vec<TotalChange> = by_type
        .iter()
        .filter(|(_, (old, new, _))| old != new)
        .map(|(tax_type, (old, new, currency))| TotalChange {
            tax_type: (*tax_type).to_owned(),
            change: Change::of(*old, *new, currency.clone()),
        })
        .collect();
    let total = Change::of(
        by_type.values().map(|(old, _, _)| *old).sum(),
        by_type.values().map(|(_, new, _)| *new).sum(),
        currency,
    );
    let (old_flags, new_flags) = (flags(old), flags(new));
    let (old_findings, new_findings) = (findings(old), findings(new));
    let lane_of = |report: &Report| report.lane.as_ref().map(|lane| lane.lane.clone());
    let lane =
        (lane_of(old) != lane_of(new)).then(|| LaneChange { old: lane_of(old), new: lane_of(new) });
    let mut impact = DeclarationImpact {
        file: new.file.clone(),
        old_tariff: old.tariff.as_ref().map(|tariff| tariff.version.clone()),
        new_tariff: new.tariff.as_ref().map(|tariff| tariff.version.clone()),
        changed: false,
        items,
        totals,
        total,
        new_flags: new_flags.difference(&old_flags).cloned().collect(),
        vanished_flags: old_flags.difference(&new_flags).cloned().collect(),
        new_findings: new_findings.difference(&old_findings).cloned().collect(),
        vanished_findings: old_findings.difference(&new_findings).cloned().collect(),
        lane,
    };
    impact.changed = impact.items.iter().any(|item| !item.lines.is_empty())
        || !impact.totals.is_empty()
        || !impact.new_flags.is_empty()
        || !impact.vanished_flags.is_empty()
        || !impact.new_findings.is_empty()
        || !impact.vanished_findings.is_empty()
        || impact.lane.is_some();
    impact
}

/// One item's change, for the summary's table of the largest changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopChange {
    /// The declaration.
    pub file: String,
    /// The item's sequence number.
    pub sequence: Option<u32>,
    /// Its commodity code.
    pub commodity_code: Option<String>,
    /// Its taxes before and after.
    #[serde(flatten)]
    pub change: Change,
}

/// What a tariff update changes over a corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Declarations compared.
    pub declarations: usize,
    /// Declarations whose report changed.
    pub affected: usize,
    /// Items whose taxes changed.
    pub items_affected: usize,
    /// The change of each tax type's total over the corpus (by currency), where it changed.
    pub by_tax_type: Vec<TotalChange>,
    /// The items with the largest changes (by absolute amount), at most ten.
    pub top_changes: Vec<TopChange>,
}

/// How many items the summary lists.
pub const TOP: usize = 10;

/// Sums the impacts of a corpus.
#[must_use]
pub fn summarize(impacts: &[DeclarationImpact]) -> Summary {
    let mut by_type: BTreeMap<(String, Option<String>), (Decimal, Decimal)> = BTreeMap::new();
    let mut top = Vec::new();
    for impact in impacts {
        for total in &impact.totals {
            let entry =
                by_type.entry((total.tax_type.clone(), total.change.currency.clone())).or_default();
            entry.0 += total.change.old;
            entry.1 += total.change.new;
        }
        for item in &impact.items {
            if !item.total.delta.is_zero() {
                top.push(TopChange {
                    file: impact.file.clone(),
                    sequence: item.sequence,
                    commodity_code: item.commodity_code.clone(),
                    change: item.total.clone(),
                });
            }
        }
    }
    let items_affected = top.len();
    top.sort_by(|a, b| {
        b.change
            .delta
            .abs()
            .cmp(&a.change.delta.abs())
            .then_with(|| a.file.cmp(&b.file))
            .then(a.sequence.cmp(&b.sequence))
    });
    top.truncate(TOP);
    Summary {
        declarations: impacts.len(),
        affected: impacts.iter().filter(|impact| impact.changed).count(),
        items_affected,
        by_tax_type: by_type
            .into_iter()
            .map(|((tax_type, currency), (old, new))| TotalChange {
                tax_type,
                change: Change::of(old, new, currency),
            })
            .collect(),
        top_changes: top,
    }
}

/// The text form: each affected declaration, then the summary.
#[must_use]
pub fn render_text(impacts: &[DeclarationImpact], summary: &Summary) -> String {
    let mut out = String::new();
    for impact in impacts.iter().filter(|impact| impact.changed) {
        let _ = writeln!(out, "{}", impact.file);
        for item in &impact.items {
            if item.lines.is_empty() {
                continue;
            }
            let code = item.commodity_code.as_deref().unwrap_or("-");
            let origin = item.origin.as_deref().unwrap_or("-");
            let sequence = item.sequence.map_or_else(|| "-".to_owned(), |s| s.to_string());
            let _ = writeln!(
                out,
                "  item {sequence} {code} origin {origin}: {}",
                item.total.describe()
            );
            for line in &item.lines {
                let amount = |amount: Option<Decimal>| {
                    amount.map_or_else(|| "none".to_owned(), |a| a.to_string())
                };
                let rate = |rate: &Option<String>| rate.clone().unwrap_or_else(|| "-".to_owned());
                let measure = match &line.old_measure {
                    Some(old) => format!("was: {old}; now: {}", line.measure),
                    None => line.measure.clone(),
                };
                let _ = writeln!(
                    out,
                    "    {} {} {} → {} {}  ({measure})",
                    line.tax_type,
                    rate(&line.old_rate),
                    amount(line.old_amount),
                    rate(&line.new_rate),
                    amount(line.new_amount),
                );
            }
        }
        for total in &impact.totals {
            let _ = writeln!(out, "  total {}: {}", total.tax_type, total.change.describe());
        }
        if !impact.totals.is_empty() {
            let _ = writeln!(out, "  total: {}", impact.total.describe());
        }
        for (label, changes) in
            [("new flag", &impact.new_flags), ("vanished flag", &impact.vanished_flags)]
        {
            for flag in changes {
                let item = flag.item.map_or_else(|| "-".to_owned(), |s| s.to_string());
                let _ = writeln!(out, "  {label}: item {item} {} ({})", flag.rule, flag.status);
            }
        }
        for (label, changes) in
            [("new finding", &impact.new_findings), ("vanished finding", &impact.vanished_findings)]
        {
            for finding in changes {
                let _ = writeln!(
                    out,
                    "  {label}: {} {} {}{}",
                    finding.code,
                    finding.severity,
                    finding.message,
                    finding.path.as_deref().map(|path| format!(" at {path}")).unwrap_or_default()
                );
            }
        }
        if let Some(lane) = &impact.lane {
            let _ = writeln!(
                out,
                "  lane: {} → {}",
                lane.old.as_deref().unwrap_or("none"),
                lane.new.as_deref().unwrap_or("none")
            );
        }
    }
    let _ = writeln!(
        out,
        "summary: {} of {} declarations affected, {} items with a tax change",
        summary.affected, summary.declarations, summary.items_affected
    );
    for total in &summary.by_tax_type {
        let _ = writeln!(out, "  {}: {}", total.tax_type, total.change.describe());
    }
    if !summary.top_changes.is_empty() {
        let _ = writeln!(out, "top changes:");
        for top in &summary.top_changes {
            let sequence = top.sequence.map_or_else(|| "-".to_owned(), |s| s.to_string());
            let _ = writeln!(
                out,
                "  {} item {sequence} {}: {}",
                top.file,
                top.commodity_code.as_deref().unwrap_or("-"),
                top.change.describe()
            );
        }
    }
    out
}
