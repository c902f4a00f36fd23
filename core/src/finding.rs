//! Findings: the one diagnostic type every stage of Preclear reports.
//!
//! A finding has a stable machine-readable [`Code`] (`PC-READ-001`), a severity, a message,
//! a location in the declaration (an XPath-like path plus line and column), optional help
//! text, the CDS error code with the same meaning where there is one, the rule or tariff
//! measure that produced it, and optional structured detail.

use std::fmt;

use serde::Serialize;

/// How serious a finding is.
///
/// `Error` means the authority would reject the declaration (or Preclear could not read it);
/// `Warning` means something is suspicious or was ignored; `Info` is an explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The declaration would be rejected, or could not be read.
    Error,
    /// Suspicious, ignored or approximated; the declaration may still be accepted.
    Warning,
    /// Explanatory.
    Info,
}

impl Severity {
    /// The lowercase name used in the text and JSON reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stable finding code with its default severity and a one-line title.
///
/// Codes never change meaning once published; the catalogue lives in [`crate::codes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code {
    /// The identifier, e.g. `PC-READ-001`.
    pub id: &'static str,
    /// The severity findings of this code have unless the producer says otherwise.
    pub severity: Severity,
    /// A short title for documentation and `preclear explain`.
    pub title: &'static str,
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// Where in the input a finding points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// XPath-like path with 1-based sibling indexes, e.g.
    /// `/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]/Commodity/Classification[1]/ID`.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    /// Byte offset of the start of the element (or of the problem) in the input.
    #[serde(skip)]
    pub offset: usize,
    /// Length in bytes of the span to underline (at least 1 when rendered).
    #[serde(skip)]
    pub len: usize,
}

/// The tariff measure, rule or data file a finding comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The file or pack the rule lives in, e.g. `tariffs/uk/measures.tsv`.
    pub source: String,
    /// The rule or measure id within that source.
    pub id: String,
    /// The legal basis, when known (regulation, act, notice).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
}

/// One problem, warning or explanation about an input.
///
/// Serialises flat, as the report's JSON contract has it: `code`, `severity`, `message`,
/// `path`, `line`, `column`, `dms_code`, `help`, then `provenance` and `detail` when present.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Finding {
    /// Stable code.
    pub code: Code,
    /// Severity (usually the code's default).
    pub severity: Severity,
    /// Human-readable message, one sentence.
    pub message: String,
    /// Where it points; `None` for findings about the input as a whole.
    pub location: Option<Location>,
    /// The CDS/DMS error code with the same meaning, when there is one.
    pub dms_code: Option<&'static str>,
    /// What to do about it.
    pub help: Option<String>,
    /// The rule, measure or data file that produced it.
    pub provenance: Option<Provenance>,
    /// Structured detail for machines (expected/found values, limits, ...).
    pub detail: Option<serde_json::Value>,
}

impl Finding {
    /// A finding with the code's default severity and no location.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.severity,
            message: message.into(),
            location: None,
            dms_code: None,
            help: None,
            provenance: None,
            detail: None,
        }
    }

    /// Sets the location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Sets the location when there is one.
    pub fn at_opt(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Overrides the severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the equivalent CDS/DMS error code.
    pub fn with_dms_code(mut self, dms_code: &'static str) -> Self {
        self.dms_code = Some(dms_code);
        self
    }

    /// Sets where the finding comes from.
    pub fn with_provenance(mut self, provenance: Provenance) -> Self {
        self.provenance = Some(provenance);
        self
    }

    /// Attaches structured detail.
    pub fn with_detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = Some(detail);
        self
    }

    /// Whether this finding is an error.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", &self.code)?;
        map.serialize_entry("severity", &self.severity)?;
        map.serialize_entry("message", &self.message)?;
        map.serialize_entry("path", &self.location.as_ref().map(|location| &location.path))?;
        map.serialize_entry("line", &self.location.as_ref().map(|location| location.line))?;
        map.serialize_entry("column", &self.location.as_ref().map(|location| location.column))?;
        map.serialize_entry("dms_code", &self.dms_code)?;
        map.serialize_entry("help", &self.help)?;
        if let Some(provenance) = &self.provenance {
            map.serialize_entry("provenance", provenance)?;
        }
        if let Some(detail) = &self.detail {
            map.serialize_entry("detail", detail)?;
        }
        map.end()
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Number of infos.
    pub infos: usize,
}

impl SeverityCounts {
    /// Counts the findings in `findings`.
    #[must_use]
    pub fn of(findings: &[Finding]) -> Self {
        let mut counts = SeverityCounts::default();
        for finding in findings {
            match finding.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}
