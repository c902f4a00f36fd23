//! Declarations and notifications: the model and its reader.
//!
//! [`read`] takes the bytes of a WCO DMS document and returns what it holds (a declaration,
//! a notification, or a recognised non-declaration such as an inventory-linking message),
//! the positions of its elements, and every finding made while reading. Only input that
//! cannot be read at all (not UTF-8, not well-formed, over a limit) returns no document.

pub mod dms;
mod model;
pub mod notification;
pub mod pointer;
pub mod schema;
mod scopes;
pub mod value;
#[cfg(test)]
mod whitespace_tests;
pub mod xml;

use serde::Serialize;

use self::dms::Declaration;
use self::model::model;
use self::notification::Response;
use self::schema::SchemaNode;
use self::xml::{Cursor, Element, Frame, Next, Ns, ReadLimits, ReadStats, Stop, Tag};
use crate::codes;
use crate::finding::Finding;
use crate::source::{NodeId, NodeName, SourceMap};

model! {
    /// The `MetaData` header that wraps a declaration or a notification.
    pub struct MetaHeader {
        /// `WCODataModelVersionCode`, e.g. `3.6`.
        wco_data_model_version_code: text = "WCODataModelVersionCode",
        /// `WCOTypeName`: `DEC` for declarations, `RES` for notifications.
        wco_type_name: text = "WCOTypeName",
        /// `ResponsibleCountryCode`: the country whose customs receives the declaration.
        responsible_country_code: text = "ResponsibleCountryCode",
        /// `ResponsibleAgencyName`, e.g. `HMRC`.
        responsible_agency_name: text = "ResponsibleAgencyName",
        /// `AgencyAssignedCustomizationCode`.
        agency_assigned_customization_code: text = "AgencyAssignedCustomizationCode",
        /// `AgencyAssignedCustomizationVersionCode`, e.g. `v2.1`.
        agency_assigned_customization_version_code: text = "AgencyAssignedCustomizationVersionCode",
    }
}

/// Options for reading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Bounds on the input.
    pub limits: ReadLimits,
}

/// A declaration with its `MetaData` header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeclarationDocument {
    /// The `MetaData` header.
    pub meta: MetaHeader,
    /// The declaration.
    pub declaration: Declaration,
    /// The transport envelope the declaration came in, if any (e.g. `submitDeclarationRequest`).
    pub envelope: Option<String>,
}

/// A notification: one or more responses with their `MetaData` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationDocument {
    /// The `MetaData` header.
    pub meta: MetaHeader,
    /// The responses.
    pub responses: Vec<Response>,
}

impl NotificationDocument {
    /// The DMS message names of the responses (`DMSTAX`, `DMSACC`, ...), comma-separated.
    #[must_use]
    pub fn message_names(&self) -> String {
        let names: Vec<&str> =
            self.responses.iter().map(|response| response.kind().message_name()).collect();
        names.join(", ")
    }
}

/// An XML document that is not a declaration or a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherDocument {
    /// What it was recognised as.
    pub kind: OtherKind,
    /// The local name of its root element.
    pub root: String,
}

/// Kinds of documents that are not declarations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherKind {
    /// An inventory-linking message (movement request, goods arrival, consolidation, ...).
    InventoryLinking,
    /// A Declaration Information Service full declaration report.
    DeclarationInformationReport,
    /// Anything else.
    Unknown,
}

impl OtherDocument {
    /// A description for messages: "an inventory-linking message (inventoryLinkingMovementRequest)".
    #[must_use]
    pub fn describe(&self) -> String {
        let kind = match self.kind {
            OtherKind::InventoryLinking => "an inventory-linking message",
            OtherKind::DeclarationInformationReport => "a Declaration Information Service report",
            OtherKind::Unknown => "an XML document of an unknown kind",
        };
        format!("{kind} (root element `{}`)", self.root)
    }
}

/// What an input holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Document {
    /// A customs declaration.
    Declaration(Box<DeclarationDocument>),
    /// A notification from the customs authority.
    Notification(Box<NotificationDocument>),
    /// Another kind of XML document.
    Other(OtherDocument),
}

/// The result of reading one input.
#[derive(Debug)]
pub struct Parsed {
    /// What the input holds; `None` when it could not be read.
    pub document: Option<Document>,
    /// Findings made while reading, in document order.
    pub findings: Vec<Finding>,
    /// Positions of the elements read.
    pub source: SourceMap,
    /// Counters (elements reported rather than modelled).
    pub stats: ReadStats,
}

impl Parsed {
    /// The declaration, when the input is one.
    #[must_use]
    pub fn declaration(&self) -> Option<&DeclarationDocument> {
        match &self.document {
            Some(Document::Declaration(document)) => Some(document),
            _ => None,
        }
    }

    /// The notification, when the input is one.
    #[must_use]
    pub fn notification(&self) -> Option<&NotificationDocument> {
        match &self.document {
            Some(Document::Notification(document)) => Some(document),
            _ => None,
        }
    }
}

/// Reads a declaration or notification with the default options.
#[must_use]
pub fn read(input: &[u8]) -> Parsed {
    read_with(input, &ReadOptions::default())
}

/// Reads a declaration or notification.
#[must_use]
pub fn read_with(input: &[u8], options: &ReadOptions) -> Parsed {
    let unreadable = |finding: Finding| {
        let source = SourceMap::new();
        Parsed { document: None, findings: vec![finding], source, stats: ReadStats::default() }
    };
    if input.len() > options.limits.max_input_bytes {
        return unreadable(
            Finding::new(
                codes::READ_LIMIT_EXCEEDED,
                format!(
                    "the input is larger than the limit of {} bytes; it is not read",
                    options.limits.max_input_bytes
                ),
            )
            .with_help(
                "a declaration is at most a few megabytes: check that this is the file you meant",
            ),
        );
    }
    // The SIMD check says only whether the input is valid; std's finds where it is not.
    let valid = simdutf8::basic::from_utf8(input).ok();
    let text = match valid.map_or_else(|| std::str::from_utf8(input), Ok) {
        Ok(text) => text,
        Err(error) => {
            let source = SourceMap::new();
            let offset = error.valid_up_to();
            let (line, column) = source.line_col(input, offset);
            let finding = Finding::new(
                codes::READ_INVALID_ENCODING,
                format!(
                    "the input is not valid UTF-8 (byte {offset}, line {line}, column {column})"
                ),
            )
            .with_help("declarations must be encoded in UTF-8")
            .at(source.locate_offset(input, NodeId::NONE, offset));
            return Parsed {
                document: None,
                findings: vec![finding],
                source,
                stats: ReadStats::default(),
            };
        }
    };
    let mut cx = Cursor::new(text, options.limits);
    let document = read_document(&mut cx).ok().flatten();
    Parsed { document, findings: cx.findings, source: cx.map, stats: cx.stats }
}

fn read_document(cx: &mut Cursor<'_>) -> Result<Option<Document>, Stop> {
    let root = loop {
        match cx.next(NodeId::NONE)? {
            Next::Start(tag) => break tag,
            Next::Skip => {}
            Next::Text(text) if xml::is_blank(&text) => {}
            Next::Text(_) | Next::Char(_) | Next::End => {
                let at = cx.position();
                cx.report_at(
                    NodeId::NONE,
                    at,
                    Finding::new(
                        codes::READ_NOT_WELL_FORMED,
                        "there is content before the root element",
                    ),
                );
                return Err(Stop);
            }
            Next::Eof => {
                cx.findings.push(Finding::new(codes::READ_EMPTY, "the input holds no XML element"));
                return Ok(None);
            }
        }
    };
    let local = root.local().to_owned();
    let document = match local.as_str() {
        "submitDeclarationRequest" => read_envelope(cx, &root)?,
        "DeclarationFullResponse" => Some(Document::Other(OtherDocument {
            kind: OtherKind::DeclarationInformationReport,
            root: local,
        })),
        name if name.starts_with("inventoryLinking") || name.starts_with("InventoryLinking") => {
            Some(Document::Other(OtherDocument { kind: OtherKind::InventoryLinking, root: local }))
        }
        name if name.ends_with("MetaData") => {
            let node = cx.map.push(
                NodeId::NONE,
                NodeName::Other(local.clone().into_boxed_str()),
                0,
                root.offset,
            );
            cx.count_element();
            let document = read_metadata(cx, node, &root, None)?;
            cx.finish_document(node);
            document
        }
        _ => Some(Document::Other(OtherDocument { kind: OtherKind::Unknown, root: local })),
    };
    Ok(document)
}

/// Reads the MDG `submitDeclarationRequest` envelope down to its `MetaData`.
fn read_envelope(cx: &mut Cursor<'_>, root: &Tag<'_>) -> Result<Option<Document>, Stop> {
    let envelope = root.local().to_owned();
    let root_node = cx.map.push(
        NodeId::NONE,
        NodeName::Other(envelope.clone().into_boxed_str()),
        0,
        root.offset,
    );
    cx.count_element();
    cx.attributes(root_node, root, None)?;
    cx.report(
        root_node,
        Finding::new(
            codes::READ_ENVELOPE,
            format!("the declaration is read from inside a `{envelope}` envelope; the envelope's routing data is not checked"),
        ),
    );
    let mut document = None;
    if !root.empty {
        let mut frame = Frame::new(root_node);
        loop {
            match cx.next(root_node)? {
                Next::Start(tag) if tag.local() == "requestDetail" && document.is_none() => {
                    let detail =
                        cx.map.push(root_node, NodeName::Known("requestDetail"), 0, tag.offset);
                    cx.count_element();
                    cx.attributes(detail, &tag, None)?;
                    let mut detail_frame = Frame::new(detail);
                    if !tag.empty {
                        loop {
                            match cx.next(detail)? {
                                Next::Start(inner)
                                    if inner.local() == "MetaData" && document.is_none() =>
                                {
                                    let node = cx.map.push(
                                        detail,
                                        NodeName::Known("MetaData"),
                                        0,
                                        inner.offset,
                                    );
                                    cx.count_element();
                                    document =
                                        read_metadata(cx, node, &inner, Some(envelope.clone()))?;
                                }
                                Next::Start(inner) => cx.unknown(&mut detail_frame, &inner)?,
                                Next::End => break,
                                Next::Eof => return Err(eof(cx, detail)),
                                Next::Text(_) | Next::Char(_) | Next::Skip => {}
                            }
                        }
                    }
                    cx.map.close(detail, cx.position());
                }
                Next::Start(tag) if tag.local() == "requestCommon" => {
                    // Routing data of the envelope: counted as reported by the envelope finding.
                    cx.skip_reported(&mut frame, &tag)?;
                }
                Next::Start(tag) => cx.unknown(&mut frame, &tag)?,
                Next::End => break,
                Next::Eof => return Err(eof(cx, root_node)),
                Next::Text(_) | Next::Char(_) | Next::Skip => {}
            }
        }
    }
    cx.map.close(root_node, cx.position());
    cx.finish_document(root_node);
    if document.is_none() {
        cx.report(
            root_node,
            Finding::new(
                codes::READ_MISSING_ELEMENT,
                format!("the `{envelope}` envelope holds no `requestDetail/MetaData`"),
            ),
        );
    }
    Ok(document)
}

fn eof(cx: &mut Cursor<'_>, node: NodeId) -> Stop {
    let at = cx.position();
    cx.report_at(
        node,
        at,
        Finding::new(codes::READ_NOT_WELL_FORMED, "the input ends before this element is closed"),
    );
    Stop
}

static META_DATA: SchemaNode = SchemaNode::lenient("MetaData", schema::ElementKind::Class, Some(1));
// `Response`s follow the six header elements of `MetaData`.
static RESPONSE: SchemaNode =
    SchemaNode::lenient("Response", schema::ElementKind::Class, None).at_position(6);

/// What `MetaData` holds while it is read.
#[derive(Default)]
struct MetaDataContent {
    meta: MetaHeader,
    // Boxed from the start and read in place: the model is large, and moving it costs more
    // than reading it.
    declaration: Option<Box<DeclarationDocument>>,
    responses: Vec<Response>,
}

impl MetaDataContent {
    /// Reads one child of `MetaData`: a header element, the `Declaration`, or a `Response`.
    fn read_child(
        &mut self,
        cx: &mut Cursor<'_>,
        frame: &mut Frame,
        child: &Tag<'_>,
    ) -> Result<(), Stop> {
        let local = child.local();
        let unqualified = cx.unqualified && child.ns == Ns::None;
        if local == "Declaration" && (child.ns == Ns::Declaration || unqualified) {
            cx.data_ns = if unqualified { Ns::None } else { Ns::Declaration };
            cx.ds_ns = if unqualified { Ns::None } else { Ns::DeclarationDs };
            if self.declaration.is_some() || !self.responses.is_empty() {
                // A second document in one envelope would go unchecked: refuse it loudly.
                let (node, _) = cx.skip_reported(frame, child)?;
                cx.report(
                    node,
                    Finding::new(
                        codes::READ_TOO_MANY,
                        "`MetaData` holds one document; this second `Declaration` is not checked",
                    )
                    .with_help("send each declaration in its own file")
                    .with_dms_code("DMS10003"),
                );
                return Ok(());
            }
            let node = cx.map.push(frame.node, NodeName::Known("Declaration"), 0, child.offset);
            cx.count_element();
            let document = self.declaration.insert(Box::default());
            cx.read_class_body(node, child, &dms::SCHEMA[0], &mut document.declaration)
        } else if local == "Response" && (child.ns == Ns::Response || unqualified) {
            cx.data_ns = if unqualified { Ns::None } else { Ns::Response };
            cx.ds_ns = if unqualified { Ns::None } else { Ns::ResponseDs };
            if self.declaration.is_some() {
                return cx.unknown(frame, child);
            }
            cx.repeated(frame, child, Some(&RESPONSE), &mut self.responses)
        } else if child.ns == Ns::MetaData || unqualified {
            self.meta.read_child(cx, frame, &META_DATA, child)
        } else {
            cx.unknown(frame, child)
        }
    }
}

/// Reads `MetaData` (whose node is pushed) with its header and its `Declaration` or `Response`s.
fn read_metadata(
    cx: &mut Cursor<'_>,
    node: NodeId,
    tag: &Tag<'_>,
    envelope: Option<String>,
) -> Result<Option<Document>, Stop> {
    let name = tag.local().to_owned();
    cx.attributes(node, tag, None)?;
    if tag.ns == Ns::None {
        // Notifications are published without namespaces: take their elements as they are.
        cx.unqualified = true;
    } else if tag.ns != Ns::MetaData {
        cx.report(
            node,
            Finding::new(
                codes::READ_WRONG_NAMESPACE,
                format!(
                    "`{name}` is not in the namespace {}; it is read as the MetaData envelope",
                    xml::NS_METADATA
                ),
            ),
        );
    }
    if name != "MetaData" {
        cx.report(
            node,
            Finding::new(
                codes::READ_UNKNOWN_ELEMENT,
                format!("the root element is `{name}`; it is read as `MetaData`, its prefix seems fused into its name"),
            ),
        );
    }
    let mut content = MetaDataContent {
        meta: MetaHeader { node, ..MetaHeader::default() },
        ..MetaDataContent::default()
    };
    if !tag.empty {
        let mut frame = Frame::new(node);
        loop {
            match cx.next(node)? {
                Next::Start(child) => content.read_child(cx, &mut frame, &child)?,
                Next::Text(text) if xml::is_blank(&text) => {}
                Next::Text(_) | Next::Char(_) => {
                    let at = cx.position();
                    cx.report_at(
                        node,
                        at,
                        Finding::new(
                            codes::READ_UNEXPECTED_TEXT,
                            "text where only elements are allowed; it is ignored",
                        ),
                    );
                }
                Next::Skip => {}
                Next::End => break,
                Next::Eof => return Err(eof(cx, node)),
            }
        }
    }
    let MetaDataContent { meta, declaration, responses } = content;
    cx.map.close(node, cx.position());
    if let Some(mut document) = declaration {
        document.meta = meta;
        document.envelope = envelope;
        return Ok(Some(Document::Declaration(document)));
    }
    if !responses.is_empty() {
        return Ok(Some(Document::Notification(Box::new(NotificationDocument {
            meta,
            responses,
        }))));
    }
    cx.report(
        node,
        Finding::new(
            codes::READ_MISSING_ELEMENT,
            "`MetaData` holds neither a `Declaration` nor a `Response`",
        )
        .with_help(format!(
            "a declaration is a `Declaration` element in the namespace {}",
            xml::NS_DECLARATION
        )),
    );
    Ok(None)
}
