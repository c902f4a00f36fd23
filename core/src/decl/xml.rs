//! The streaming XML reader under the declaration and notification models.
//!
//! A [`Cursor`] walks quick-xml's namespace-aware events over the input once. Each model
//! type implements [`Element`], whose `read_child` dispatches a child's local name to the
//! right field; the cursor does everything else: namespace checks, schema order and
//! cardinality, sibling indexes for paths, text and entity handling, limits, and findings
//! for whatever the model does not take (nothing is dropped silently).

use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::Reader;

use super::dms;
use super::schema::{ElementKind, LeafKind, SchemaNode};
use super::scopes::Scopes;
use super::value::{
    Amount, DateTime, Measure, NumberError, Numeric, Text, parse_date_time, parse_decimal,
};
use crate::codes;
use crate::finding::Finding;
use crate::fxhash::FxHashMap;
use crate::source::{NodeId, NodeName, SourceMap};

/// The WCO DMS declaration namespace.
pub const NS_DECLARATION: &str = "urn:wco:datamodel:WCO:DEC-DMS:2";
/// The namespace of `DateTimeString` inside declarations.
pub const NS_DECLARATION_DS: &str = "urn:wco:datamodel:WCO:Declaration_DS:DMS:2";
/// The namespace of the `MetaData` envelope.
pub const NS_METADATA: &str = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2";
/// The notification (response) namespace.
pub const NS_RESPONSE: &str = "urn:wco:datamodel:WCO:RES-DMS:2";
/// The namespace of `DateTimeString` inside notifications.
pub const NS_RESPONSE_DS: &str = "urn:wco:datamodel:WCO:Response_DS:DMS:2";
const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The namespaces Preclear knows, resolved from their URI (prefixes do not matter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ns {
    /// [`NS_DECLARATION`].
    Declaration,
    /// [`NS_DECLARATION_DS`].
    DeclarationDs,
    /// [`NS_METADATA`].
    MetaData,
    /// [`NS_RESPONSE`].
    Response,
    /// [`NS_RESPONSE_DS`].
    ResponseDs,
    /// XML Schema instance (`xsi:`).
    Xsi,
    /// No namespace.
    #[default]
    None,
    /// Any other namespace.
    Other,
}

impl Ns {
    pub(super) fn of_uri(uri: &str) -> Ns {
        match uri {
            NS_DECLARATION => Ns::Declaration,
            NS_DECLARATION_DS => Ns::DeclarationDs,
            NS_METADATA => Ns::MetaData,
            NS_RESPONSE => Ns::Response,
            NS_RESPONSE_DS => Ns::ResponseDs,
            NS_XSI => Ns::Xsi,
            _ => Ns::Other,
        }
    }
}

/// Bounds on what one input may contain; exceeding one is a [`codes::READ_LIMIT_EXCEEDED`]
/// finding, never a crash, a hang or unbounded memory.
///
/// The limits on the input's size, nesting, elements, repeats and findings stop the read (the
/// input is refused and no document is returned); the limits on value lengths cut the value
/// and reading goes on. The defaults sit far above any real declaration (the schema allows
/// 999 goods items; the largest published sample is under 100 kB) and far below what would
/// strain the page or the CLI: reading stays linear in the input and its memory within a
/// small multiple of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest input, in bytes (default 64 MiB).
    pub max_input_bytes: usize,
    /// Deepest element nesting (default 256; a declaration is at most 9 deep).
    pub max_depth: u32,
    /// Most elements in one input (default 2,000,000).
    pub max_elements: usize,
    /// Most occurrences of one repeatable element under one parent, goods items included
    /// (default 9,999: ten times the schema's 999 items, so that the schema's own maximum is
    /// reported as such before this limit stops the read).
    pub max_repeats: u32,
    /// Most findings while reading (default 10,000); past it reading stops, since an input
    /// with that many problems is not a declaration anyone means to lodge.
    pub max_findings: usize,
    /// Longest text value, in bytes; longer values are cut to this length (default 64 KiB).
    pub max_text_bytes: usize,
    /// Longest attribute value, in bytes; longer values are cut to this length (default
    /// 1 KiB: attributes hold codes such as `currencyID` and `unitCode`).
    pub max_attribute_bytes: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_input_bytes: 64 * 1024 * 1024,
            max_depth: 256,
            max_elements: 2_000_000,
            max_repeats: 9_999,
            max_findings: 10_000,
            max_text_bytes: 64 * 1024,
            max_attribute_bytes: 1024,
        }
    }
}

/// Reading stopped: the input is not well-formed or exceeds a limit. The finding that says
/// why has been recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop;

/// A start tag, with its resolved namespace.
#[derive(Debug)]
pub struct Tag<'i> {
    start: BytesStart<'i>,
    /// Where the local name starts in the name (after the prefix's colon, if any).
    local_from: usize,
    /// The element's namespace.
    pub ns: Ns,
    /// Whether it is an empty-element tag (`<a/>`).
    pub empty: bool,
    /// Byte offset of its `<`.
    pub offset: usize,
}

impl Tag<'_> {
    /// The local name (without prefix).
    #[must_use]
    pub fn local(&self) -> &str {
        let name = self.start.name().into_inner();
        name.get(self.local_from..).unwrap_or(name)
    }

    #[inline]
    fn has_attributes(&self) -> bool {
        // Most tags have nothing after their name: no need to trim.
        let raw = self.start.attributes_raw();
        !raw.is_empty() && !raw.trim().is_empty()
    }
}

/// The state of one open class element while its children are read.
#[derive(Debug)]
pub struct Frame {
    /// The element.
    pub node: NodeId,
    /// Schema position of the last known child, for order checks.
    last_position: Option<u16>,
    /// Counts of children whose index is not given by a model `Vec` (unknown elements and
    /// repeated singletons), by name.
    counts: Vec<(Box<str>, u32)>,
}

impl Frame {
    /// A frame for the children of `node`.
    #[must_use]
    pub fn new(node: NodeId) -> Frame {
        Frame { node, last_position: None, counts: Vec::new() }
    }

    fn next_index(&mut self, name: &str) -> u32 {
        if let Some((_, count)) = self.counts.iter_mut().find(|(seen, _)| &**seen == name) {
            *count += 1;
            *count
        } else {
            self.counts.push((name.into(), 1));
            1
        }
    }
}

/// A model type read from a class element.
pub trait Element: Default {
    /// Records the element the value was read from.
    fn set_node(&mut self, node: NodeId);
    /// Reads one child element into the right field, or hands it to [`Cursor::unknown`].
    /// `schema` is the element's own schema node.
    fn read_child(
        &mut self,
        cx: &mut Cursor<'_>,
        frame: &mut Frame,
        schema: &'static SchemaNode,
        tag: &Tag<'_>,
    ) -> Result<(), Stop>;
    /// Called after the last child: reports required children that are missing.
    fn finish(&self, cx: &mut Cursor<'_>, schema: &'static SchemaNode);
    /// Whether a child in another namespace than the document's data elements is still
    /// this element's to read (the original declaration inside a notification).
    fn wants_foreign(tag: &Tag<'_>) -> bool {
        let _ = tag;
        false
    }
}

/// A model type read from a data element's text.
pub trait Leaf: Sized {
    /// The attribute that qualifies the value (`currencyID`, `unitCode`), if any.
    const ATTRIBUTE: Option<&'static str>;
    /// Builds the value from the element's trimmed text and qualifying attribute.
    fn build(
        cx: &mut Cursor<'_>,
        schema: &SchemaNode,
        node: NodeId,
        text: &str,
        attribute: Option<String>,
    ) -> Self;
}

/// What one read accounted for, so that "nothing is dropped silently" can be checked: every
/// element and attribute of the input is counted once, as modelled or as reported.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ReadStats {
    /// Elements read into the model (including the envelope and `MetaData` elements the
    /// document's kind is recognised by).
    pub modelled_elements: usize,
    /// Elements reported by a finding and not modelled: unknown, in a wrong namespace, an
    /// ignored duplicate occurrence, with all their descendants.
    pub reported_elements: usize,
    /// Attributes read into the model (`currencyID`, `unitCode`, `formatCode`).
    pub modelled_attributes: usize,
    /// Attributes reported by a finding (unknown attributes, and every attribute of a
    /// reported element).
    pub reported_attributes: usize,
    /// `xsi:schemaLocation` and `xsi:noNamespaceSchemaLocation`: hints to a validator that
    /// carry no data (Preclear validates against its own schema). Namespace declarations
    /// (`xmlns`) are not attributes of the document's data and are not counted.
    pub schema_hints: usize,
}

/// The reader state for one input.
#[derive(Debug)]
pub struct Cursor<'i> {
    reader: Reader<&'i [u8]>,
    scopes: Scopes,
    input: &'i [u8],
    /// Element positions.
    pub map: SourceMap,
    /// Findings, located as they are made.
    pub findings: Vec<Finding>,
    /// Counters.
    pub stats: ReadStats,
    limits: ReadLimits,
    depth: u32,
    /// Above zero while an ignored occurrence (a duplicate) is read: its elements and
    /// attributes count as reported, not modelled.
    ignoring: u32,
    /// Namespace of data elements in this document (declaration or response).
    pub data_ns: Ns,
    /// Namespace of `DateTimeString`.
    pub ds_ns: Ns,
    /// Whether elements without a namespace count as being in `data_ns` (notifications
    /// published without namespaces).
    pub unqualified: bool,
    scratch: String,
    /// The input the reader had left before the last event: the whitespace it skipped
    /// ahead of that event starts it (see [`Cursor::skipped`]).
    before: &'i [u8],
    /// The length of the last list read of each repeated element (by its schema node).
    list_lengths: FxHashMap<usize, u32>,
    /// Whether the reader skips whitespace ahead of events (always, but in the test that
    /// compares it with a reader that reports whitespace as text).
    skips_whitespace: bool,
}

#[cfg(test)]
thread_local! {
    /// Tests: cursors made on this thread report whitespace as text events, as quick-xml
    /// does by default: the reference the whitespace-skipping reader must agree with.
    pub(crate) static REPORT_WHITESPACE: std::cell::Cell<bool> =
        const { std::cell::Cell::new(false) };
}

impl<'i> Cursor<'i> {
    /// A cursor over `input`, which must already be known to be UTF-8.
    pub fn new(input: &'i str, limits: ReadLimits) -> Cursor<'i> {
        let mut reader = Reader::from_str(input);
        let config = reader.config_mut();
        config.check_comments = false;
        config.check_end_names = true;
        config.expand_empty_elements = false;
        // Whitespace ahead of an event is skipped, not reported as an event of its own: most
        // text events are the indentation between elements, which nothing reads. Where the
        // whitespace belongs to a value (`read_text`), `skipped` gives it back.
        #[cfg(not(test))]
        let skips_whitespace = true;
        #[cfg(test)]
        let skips_whitespace = !REPORT_WHITESPACE.with(std::cell::Cell::get);
        config.trim_text_start = skips_whitespace;
        config.trim_text_end = false;
        Cursor {
            reader,
            scopes: Scopes::default(),
            input: input.as_bytes(),
            // Real declarations have an element for every 40 to 60 bytes: room for one per 32
            // saves growing the map by copying it. Untouched room costs no memory in practice
            // (large allocations are mapped lazily).
            map: SourceMap::with_capacity(input.len() / 32),
            findings: Vec::new(),
            stats: ReadStats::default(),
            limits,
            depth: 0,
            ignoring: 0,
            data_ns: Ns::Declaration,
            ds_ns: Ns::DeclarationDs,
            unqualified: false,
            // Room for most values, so that reading one rarely grows the buffer.
            scratch: String::with_capacity(256),
            before: input.as_bytes(),
            skips_whitespace,
            list_lengths: FxHashMap::default(),
        }
    }

    /// The whitespace the reader skipped ahead of the last event.
    fn skipped(&self) -> &'i str {
        if !self.skips_whitespace {
            return "";
        }
        let length = self
            .before
            .iter()
            .position(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(self.before.len());
        // XML whitespace is ASCII: the slice is UTF-8.
        self.before.get(..length).and_then(|bytes| std::str::from_utf8(bytes).ok()).unwrap_or("")
    }

    /// The byte offset the reader has reached.
    pub fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    /// Records a finding located at `node`.
    pub fn report(&mut self, node: NodeId, finding: Finding) {
        let location = self.map.locate(self.input, node);
        self.findings.push(finding.at_opt(location));
    }

    /// Records a finding at a byte offset within `node`.
    pub fn report_at(&mut self, node: NodeId, offset: usize, finding: Finding) {
        let location = self.map.locate_offset(self.input, node, offset);
        self.findings.push(finding.at(location));
    }

    /// Counts an element pushed on the source map: modelled, or reported when it belongs to
    /// an ignored occurrence.
    pub fn count_element(&mut self) {
        if self.ignoring > 0 {
            self.stats.reported_elements += 1;
        } else {
            self.stats.modelled_elements += 1;
        }
    }

    /// The next event, with the namespace of start tags resolved. Errors become a
    /// not-well-formed finding and stop the read.
    pub fn next(&mut self, context: NodeId) -> Result<Next<'i>, Stop> {
        let offset = self.position();
        if self.findings.len() > self.limits.max_findings {
            self.report_at(
                context,
                offset,
                Finding::new(
                    codes::READ_LIMIT_EXCEEDED,
                    format!("more than {} findings; reading stops here", self.limits.max_findings),
                )
                .with_help("fix the problems reported so far, then check again"),
            );
            return Err(Stop);
        }
        self.scopes.before_event();
        self.before = self.reader.get_ref();
        let event = match self.reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let at = usize::try_from(self.reader.error_position()).unwrap_or(offset);
                return Err(self.not_well_formed(context, at, &error));
            }
        };
        Ok(match event {
            // The tag ends where the reader is: `<`, its content and `>` (`/>`) lie before.
            Event::Start(start) => {
                let offset = self.position().saturating_sub(start.len() + 2);
                let (ns, local_from) = self.open_scope(context, &start, false, offset)?;
                Next::Start(Tag { start, local_from, ns, empty: false, offset })
            }
            Event::Empty(start) => {
                let offset = self.position().saturating_sub(start.len() + 3);
                let (ns, local_from) = self.open_scope(context, &start, true, offset)?;
                Next::Start(Tag { start, local_from, ns, empty: true, offset })
            }
            Event::End(_) => {
                self.scopes.close();
                Next::End
            }
            // Line ends are normalised only in values that keep their text (`read_text`):
            // most text events are the whitespace between elements.
            Event::Text(text) => Next::Text(text.into_inner()),
            Event::CData(data) => Next::Text(data.into_inner()),
            Event::GeneralRef(reference) => {
                if let Some(character) = resolve_reference(&reference) {
                    Next::Char(character)
                } else {
                    let name = (*reference).to_owned();
                    self.report_at(
                    context,
                    offset + self.skipped().len(),
                    Finding::new(
                        codes::READ_NOT_WELL_FORMED,
                        format!("undefined entity `&{name};`"),
                    )
                    .with_help("only the predefined entities (&amp; &lt; &gt; &quot; &apos;) and character references may be used"),
                );
                    return Err(Stop);
                }
            }
            Event::DocType(_) => {
                self.report_at(
                    context,
                    offset + self.skipped().len(),
                    Finding::new(
                        codes::READ_DOCTYPE_REFUSED,
                        "the document has a DOCTYPE; Preclear refuses DOCTYPE and entity declarations",
                    )
                    .with_help("declarations never need a DOCTYPE: remove it"),
                );
                return Err(Stop);
            }
            Event::Comment(comment) => {
                // `--` may not occur inside a comment. Checked here rather than by quick-xml
                // to point at the `--` itself, which is where the author must look.
                let content = comment.into_inner();
                let bytes = content.as_bytes();
                let misplaced = memchr::memchr_iter(b'-', bytes)
                    .find(|&index| bytes.get(index + 1) == Some(&b'-'))
                    .or_else(|| content.ends_with('-').then(|| content.len() - 1));
                if let Some(index) = misplaced {
                    let at = offset + self.skipped().len() + "<!--".len() + index;
                    let mut location = self.map.locate_offset(self.input, context, at);
                    location.len = 2;
                    self.findings.push(
                        Finding::new(codes::READ_NOT_WELL_FORMED, "`--` inside a comment; XML does not allow it")
                            .with_help("a comment may not contain `--`: often a comment above was not closed with `-->`, so it runs on to here")
                            .at(location),
                    );
                    return Err(Stop);
                }
                Next::Skip
            }
            Event::PI(_) | Event::Decl(_) => Next::Skip,
            Event::Eof => Next::Eof,
        })
    }

    /// Pushes a node for `tag` under `frame` and checks schema order.
    fn enter(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
        schema: &'static SchemaNode,
        index: u32,
    ) -> Result<NodeId, Stop> {
        let node = self.map.push(frame.node, NodeName::Known(schema.name), index, tag.offset);
        self.count_element();
        if self.map.len() > self.limits.max_elements {
            self.report(
                node,
                Finding::new(
                    codes::READ_LIMIT_EXCEEDED,
                    format!("the input has more than {} elements", self.limits.max_elements),
                ),
            );
            return Err(Stop);
        }
        if let Some(last) = frame.last_position
            && schema.position < last
        {
            self.report(
                    node,
                    Finding::new(
                        codes::READ_MISPLACED_ELEMENT,
                        format!("`{}` is out of the schema's order", schema.name),
                    )
                    .with_help("the schema fixes the order of elements (xs:sequence); move it before the elements that should follow it"),
                );
        }
        frame.last_position =
            Some(frame.last_position.map_or(schema.position, |last| last.max(schema.position)));
        Ok(node)
    }

    /// The index to give a non-repeating element that already occurred, after reporting it.
    fn duplicate(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
        schema: &'static SchemaNode,
    ) -> Result<NodeId, Stop> {
        // The first occurrence is index 1; this one is the next.
        let index = frame.next_index(schema.name) + 1;
        let node = self.enter(frame, tag, schema, index)?;
        self.report(
            node,
            Finding::new(
                codes::READ_TOO_MANY,
                format!("`{}` may occur only once here; this occurrence is ignored", schema.name),
            )
            .with_dms_code("DMS10003"),
        );
        Ok(node)
    }

    /// Reads a data element into `slot`.
    pub fn leaf<L: Leaf>(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
        schema: Option<&'static SchemaNode>,
        slot: &mut Option<L>,
    ) -> Result<(), Stop> {
        let Some(schema) = schema else { return self.unknown(frame, tag) };
        let duplicate = slot.is_some();
        if duplicate {
            self.ignoring += 1;
        }
        let value = self.leaf_value::<L>(frame, tag, schema, duplicate);
        if duplicate {
            self.ignoring -= 1;
        } else {
            *slot = Some(value?);
            return Ok(());
        }
        value.map(drop)
    }

    fn leaf_value<L: Leaf>(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
        schema: &'static SchemaNode,
        duplicate: bool,
    ) -> Result<L, Stop> {
        let node = if duplicate {
            self.duplicate(frame, tag, schema)?
        } else {
            self.enter(frame, tag, schema, 0)?
        };
        let attribute = self.attributes(node, tag, L::ATTRIBUTE)?;
        // The text stays where it is, in the input or the scratch buffer: only the values that
        // keep it copy it (numbers are parsed from it), so most leaves cost no allocation of
        // their own.
        let at = if tag.empty { TextAt::Input("") } else { self.read_text(node)? };
        self.map.close(node, self.position());
        let scratch = std::mem::take(&mut self.scratch);
        let text = match at {
            TextAt::Input(text) => text,
            TextAt::Scratch(start, end) => scratch.get(start..end).unwrap_or_default(),
        };
        self.check_text_facets(node, schema, text);
        let value = L::build(self, schema, node, text, attribute);
        self.scratch = scratch;
        Ok(value)
    }

    /// Reads a `*DateTime` element (a `DateTimeString` child with a `formatCode`).
    pub fn date_time(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
        schema: Option<&'static SchemaNode>,
        slot: &mut Option<DateTime>,
    ) -> Result<(), Stop> {
        let Some(schema) = schema else { return self.unknown(frame, tag) };
        let duplicate = slot.is_some();
        if duplicate {
            self.ignoring += 1;
        }
        let value = self.date_time_value(frame, tag, schema, duplicate);
        if duplicate {
            self.ignoring -= 1;
        } else {
            *slot = Some(value?);
            return Ok(());
        }
        value.map(drop)
    }

    fn date_time_value(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
        schema: &'static SchemaNode,
        duplicate: bool,
    ) -> Result<DateTime, Stop> {
        let node = if duplicate {
            self.duplicate(frame, tag, schema)?
        } else {
            self.enter(frame, tag, schema, 0)?
        };
        self.attributes(node, tag, None)?;
        let mut value = DateTime { node, ..DateTime::default() };
        let mut found = false;
        if !tag.empty {
            self.descend(node)?;
            let mut inner = Frame::new(node);
            loop {
                match self.next(node)? {
                    Next::Start(child) => {
                        let expected =
                            child.ns == self.ds_ns || (self.unqualified && child.ns == Ns::None);
                        if child.local() == "DateTimeString" && expected && !found {
                            found = true;
                            let string = self.map.push(
                                node,
                                NodeName::Known("DateTimeString"),
                                0,
                                child.offset,
                            );
                            self.count_element();
                            value.format_code =
                                self.attributes(string, &child, Some("formatCode"))?;
                            value.text = if child.empty {
                                String::new()
                            } else {
                                let at = self.read_text(string)?;
                                self.text_of(at).to_owned()
                            };
                            self.map.close(string, self.position());
                            value.node = string;
                        } else {
                            self.unknown(&mut inner, &child)?;
                        }
                    }
                    Next::Text(text) => self.unexpected_text(node, &text),
                    Next::Char(_) => self.unexpected_text(node, "&"),
                    Next::End => break,
                    Next::Skip => {}
                    Next::Eof => return Err(self.unexpected_eof(node)),
                }
            }
            self.ascend();
        }
        self.map.close(node, self.position());
        if found {
            self.check_date_time(&mut value);
        } else {
            self.report(
                node,
                Finding::new(
                    codes::READ_MISSING_ELEMENT,
                    format!("`{}` has no `DateTimeString`", schema.name),
                )
                .with_dms_code("DMS10001"),
            );
        }
        Ok(value)
    }

    fn check_date_time(&mut self, value: &mut DateTime) {
        let Some(format_code) = value.format_code.clone() else {
            self.report(
                value.node,
                Finding::new(
                    codes::READ_MISSING_ATTRIBUTE,
                    "`DateTimeString` needs a `formatCode` (102 or 304)",
                )
                .with_dms_code("DMS10001"),
            );
            return;
        };
        if format_code != "102" && format_code != "304" {
            self.report(
                value.node,
                Finding::new(
                    codes::READ_INVALID_ATTRIBUTE,
                    format!("`formatCode` is `{format_code}`; it must be 102 (CCYYMMDD) or 304 (CCYYMMDDhhmmss with a zone)"),
                ),
            );
            return;
        }
        if let Some((date, time)) = parse_date_time(&value.text, &format_code) {
            value.date = Some(date);
            value.time = time;
        } else {
            let expected = if format_code == "102" {
                "CCYYMMDD"
            } else {
                "CCYYMMDDhhmmss followed by Z or ±hh"
            };
            self.report(
                value.node,
                Finding::new(
                    codes::READ_INVALID_DATE,
                    format!(
                        "`{}` is not a valid date in format {format_code} ({expected})",
                        value.text
                    ),
                ),
            );
        }
    }

    /// Reads a class element into `slot`.
    pub fn class<E: Element>(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
        schema: Option<&'static SchemaNode>,
        slot: &mut Option<E>,
    ) -> Result<(), Stop> {
        let occupied = slot.is_some();
        // Built in place: model types are large, and moving them costs more than reading.
        self.class_into(frame, tag, schema, occupied, || slot.insert(E::default()))
    }

    /// [`Cursor::class`] for a class kept in a box, as the DMS model keeps them: most of an
    /// element's classes are absent, and kept inline they made every goods item 3 KB to
    /// allocate, move and drop.
    pub fn class_boxed<E: Element>(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
        schema: Option<&'static SchemaNode>,
        slot: &mut Option<Box<E>>,
    ) -> Result<(), Stop> {
        let occupied = slot.is_some();
        self.class_into(frame, tag, schema, occupied, || slot.insert(Box::default()).as_mut())
    }

    /// Reads a class that may occur once into the element `insert` makes, or, when the slot
    /// is `occupied`, reports the repeat and reads it into nothing.
    fn class_into<'e, E: Element + 'e>(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
        schema: Option<&'static SchemaNode>,
        occupied: bool,
        insert: impl FnOnce() -> &'e mut E,
    ) -> Result<(), Stop> {
        let Some(schema) = schema else { return self.unknown(frame, tag) };
        if occupied {
            return self.duplicate_class::<E>(frame, tag, schema);
        }
        let node = self.enter(frame, tag, schema, 0)?;
        self.read_class_body(node, tag, schema, insert())
    }

    /// Reads a second occurrence of a class that may occur once: reported, and ignored.
    fn duplicate_class<E: Element>(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
        schema: &'static SchemaNode,
    ) -> Result<(), Stop> {
        self.ignoring += 1;
        let result = self.duplicate(frame, tag, schema).and_then(|node| {
            let mut ignored = E::default();
            self.read_class_body(node, tag, schema, &mut ignored)
        });
        self.ignoring -= 1;
        result
    }

    /// Reads a repeatable class element and appends it to `list`.
    pub fn repeated<E: Element>(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
        schema: Option<&'static SchemaNode>,
        list: &mut Vec<E>,
    ) -> Result<(), Stop> {
        let Some(schema) = schema else { return self.unknown(frame, tag) };
        let index = u32::try_from(list.len() + 1).unwrap_or(u32::MAX);
        let node = self.enter(frame, tag, schema, index)?;
        if index > self.limits.max_repeats {
            self.report(
                node,
                Finding::new(
                    codes::READ_LIMIT_EXCEEDED,
                    format!(
                        "`{}` occurs more than {} times; reading stops here",
                        schema.name, self.limits.max_repeats
                    ),
                ),
            );
            return Err(Stop);
        }
        if let Some(max) = schema.max
            && index > max
        {
            self.report(
                node,
                Finding::new(
                    codes::READ_TOO_MANY,
                    format!(
                        "`{}` occurs {index} times; the schema allows at most {max}",
                        schema.name
                    ),
                )
                .with_dms_code("DMS10003"),
            );
        }
        // Most repeated elements occur a few times per parent (an item's documents), and
        // siblings repeat them alike: a list starts with room for as many as the last list of
        // the same element held, and otherwise grows one at a time (spare room in lists of
        // model types of several hundred bytes was a fifth of the memory of a 999-item
        // declaration; growing them one at a time copied each list over and over). Longer
        // lists grow by doubling.
        let hint = self.list_lengths.entry(std::ptr::from_ref(schema) as usize).or_insert(0);
        if list.is_empty() {
            list.reserve_exact((*hint as usize).clamp(1, 16));
        } else if list.len() < 16 {
            list.reserve_exact(1);
        }
        *hint = index;
        // Built in place: model types are large, and moving them costs more than reading.
        list.push(E::default());
        match list.last_mut() {
            Some(element) => self.read_class_body(node, tag, schema, element),
            None => Ok(()),
        }
    }

    /// Reads the children of a class element whose node has been pushed.
    pub fn read_class_body<E: Element>(
        &mut self,
        node: NodeId,
        tag: &Tag<'_>,
        schema: &'static SchemaNode,
        element: &mut E,
    ) -> Result<(), Stop> {
        element.set_node(node);
        self.attributes(node, tag, None)?;
        if !tag.empty {
            self.descend(node)?;
            let mut frame = Frame::new(node);
            loop {
                match self.next(node)? {
                    Next::Start(child) => {
                        if self.is_data_element(&child) || E::wants_foreign(&child) {
                            element.read_child(self, &mut frame, schema, &child)?;
                        } else {
                            self.unknown(&mut frame, &child)?;
                        }
                    }
                    Next::Text(text) => self.unexpected_text(node, &text),
                    Next::Char(_) => self.unexpected_text(node, "&"),
                    Next::End => break,
                    Next::Skip => {}
                    Next::Eof => return Err(self.unexpected_eof(node)),
                }
            }
            self.ascend();
        }
        self.map.close(node, self.position());
        element.finish(self, schema);
        Ok(())
    }

    /// The namespace of a tag just read, with its bindings taken into scope, and where its
    /// local name starts.
    fn open_scope(
        &mut self,
        context: NodeId,
        start: &BytesStart<'_>,
        empty: bool,
        offset: usize,
    ) -> Result<(Ns, usize), Stop> {
        let colon = find_colon(start.name().into_inner().as_bytes());
        match self.scopes.open(start, empty, colon.is_some()) {
            Ok(ns) => Ok((ns, colon.map_or(0, |colon| colon + 1))),
            Err(error) => Err(self.not_well_formed(context, offset, &error.into())),
        }
    }

    /// Reports markup that cannot be read; reading stops there.
    fn not_well_formed(&mut self, context: NodeId, at: usize, error: &quick_xml::Error) -> Stop {
        self.report_at(
            context,
            at,
            Finding::new(
                codes::READ_NOT_WELL_FORMED,
                format!("the XML is not well-formed: {error}"),
            )
            .with_help("fix the markup at this position; nothing after it can be read"),
        );
        Stop
    }

    /// Whether a child tag is in the namespace of this document's data elements.
    pub fn is_data_element(&self, tag: &Tag<'_>) -> bool {
        tag.ns == self.data_ns || (self.unqualified && tag.ns == Ns::None)
    }

    /// The namespace URI of a tag that was just read (its bindings are still in scope).
    fn namespace_of(&self, tag: &Tag<'_>) -> String {
        match self.scopes.resolver().resolve_element(tag.start.name()).0 {
            ResolveResult::Bound(Namespace(uri)) => uri.to_owned(),
            ResolveResult::Unbound | ResolveResult::Unknown(_) => String::new(),
        }
    }

    /// Skips an element with its descendants, counting them as reported (the caller has
    /// said, or says, why); returns its node and how many descendants it had.
    pub fn skip_reported(
        &mut self,
        frame: &mut Frame,
        tag: &Tag<'_>,
    ) -> Result<(NodeId, usize), Stop> {
        let name = tag.local();
        let index = frame.next_index(name);
        let node = self.map.push(frame.node, NodeName::Other(name.into()), index, tag.offset);
        self.stats.reported_elements += 1;
        self.skipped_attributes(node, tag)?;
        let nested = if tag.empty { 0 } else { self.skip(node)? };
        self.map.close(node, self.position());
        Ok((node, nested))
    }

    /// Reports an element the model does not take, and skips it with its descendants.
    pub fn unknown(&mut self, frame: &mut Frame, tag: &Tag<'_>) -> Result<(), Stop> {
        let (node, nested) = self.skip_reported(frame, tag)?;
        let name = tag.local().to_owned();
        let parent = self
            .map
            .node(frame.node)
            .map(|parent| parent.name.as_str().to_owned())
            .unwrap_or_default();
        let finding = if self.is_data_element(tag) || tag.ns == Ns::None {
            Finding::new(
                codes::READ_UNKNOWN_ELEMENT,
                format!("`{name}` is not an element of `{parent}`; it is ignored"),
            )
            .with_help(
                "check the spelling and the place of the element against the declaration schema",
            )
            .with_dms_code("DMS10002")
        } else {
            let found = self.namespace_of(tag);
            let found = if found.is_empty() {
                "no namespace".to_owned()
            } else {
                format!("namespace `{found}`")
            };
            Finding::new(
                codes::READ_WRONG_NAMESPACE,
                format!(
                    "`{name}` is in {found}, not in the namespace of its schema; it is ignored"
                ),
            )
            .with_help(format!("declare it in `{}`", namespace_uri(self.data_ns)))
        };
        let finding = if nested > 0 {
            finding.with_detail(serde_json::json!({ "ignored_descendants": nested }))
        } else {
            finding
        };
        self.report(node, finding);
        Ok(())
    }

    /// Skips the content of an element whose start tag was read; returns how many
    /// descendant elements it had. Iterative, so deep nesting cannot exhaust the stack.
    fn skip(&mut self, node: NodeId) -> Result<usize, Stop> {
        let mut depth = 1u32;
        let mut descendants = 0usize;
        while depth > 0 {
            match self.next(node)? {
                Next::Start(tag) => {
                    descendants += 1;
                    self.stats.reported_elements += 1;
                    self.skipped_attributes(node, &tag)?;
                    if !tag.empty {
                        depth += 1;
                        if self.depth + depth > self.limits.max_depth {
                            self.report_at(
                                node,
                                tag.offset,
                                Finding::new(
                                    codes::READ_LIMIT_EXCEEDED,
                                    format!(
                                        "elements are nested more than {} deep",
                                        self.limits.max_depth
                                    ),
                                ),
                            );
                            return Err(Stop);
                        }
                    }
                }
                Next::End => depth -= 1,
                Next::Eof => return Err(self.unexpected_eof(node)),
                Next::Text(_) | Next::Char(_) | Next::Skip => {}
            }
        }
        Ok(descendants)
    }

    /// Counts the attributes of an element that is reported with its content, checking that
    /// they are well-formed.
    fn skipped_attributes(&mut self, node: NodeId, tag: &Tag<'_>) -> Result<(), Stop> {
        if !tag.has_attributes() {
            return Ok(());
        }
        for attribute in tag.start.attributes() {
            match attribute {
                Ok(attribute) if attribute.key.as_namespace_binding().is_some() => {}
                Ok(_) => self.stats.reported_attributes += 1,
                Err(error) => return Err(self.malformed_attribute(node, tag, "", &error)),
            }
        }
        Ok(())
    }

    /// Reports an attribute the XML reader could not read; reading stops there.
    fn malformed_attribute(
        &mut self,
        node: NodeId,
        tag: &Tag<'_>,
        part: &str,
        error: &dyn std::fmt::Display,
    ) -> Stop {
        self.report_at(
            node,
            tag.offset,
            Finding::new(
                codes::READ_NOT_WELL_FORMED,
                format!("malformed attribute{part}: {error}"),
            ),
        );
        Stop
    }

    fn descend(&mut self, node: NodeId) -> Result<(), Stop> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            self.report(
                node,
                Finding::new(
                    codes::READ_LIMIT_EXCEEDED,
                    format!("elements are nested more than {} deep", self.limits.max_depth),
                ),
            );
            return Err(Stop);
        }
        Ok(())
    }

    fn ascend(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Reads the text content of a data element up to its end tag; returns where the trimmed
    /// (and, past the limit, cut) value lies: in the input when it came in one piece, else in
    /// the scratch buffer, where its pieces were put together.
    fn read_text(&mut self, node: NodeId) -> Result<TextAt<'i>, Stop> {
        self.scratch.clear();
        let mut next = self.next(node)?;
        // Most values are one piece of text right after the start tag, then the end tag: that
        // text is the input's own and is used where it lies, not copied.
        if let Next::Text(Cow::Borrowed(text)) = next
            && self.skipped().is_empty()
        {
            next = self.next(node)?;
            if matches!(next, Next::End) && !text.bytes().any(|byte| byte == b'\r') {
                let (start, end) = self.bounded(node, text);
                return Ok(TextAt::Input(text.get(start..end).unwrap_or_default()));
            }
            self.scratch.push_str(text);
        }
        let mut inner: Option<Frame> = None;
        loop {
            // Whitespace between the pieces of a value is part of it (`a &amp; b`).
            let skipped = self.skipped();
            if !skipped.is_empty() {
                self.scratch.push_str(skipped);
            }
            match next {
                Next::Text(text) => self.scratch.push_str(&text),
                Next::Char(character) => self.scratch.push(character),
                Next::Start(child) => {
                    let frame = inner.get_or_insert_with(|| Frame::new(node));
                    self.unknown(frame, &child)?;
                }
                Next::End => break,
                Next::Skip => {}
                Next::Eof => return Err(self.unexpected_eof(node)),
            }
            next = self.next(node)?;
        }
        if self.scratch.bytes().any(|byte| byte == b'\r') {
            // XML line-end normalisation: CR LF and lone CR become LF.
            self.scratch = self.scratch.replace("\r\n", "\n").replace('\r', "\n");
        }
        let scratch = std::mem::take(&mut self.scratch);
        let (start, end) = self.bounded(node, &scratch);
        self.scratch = scratch;
        Ok(TextAt::Scratch(start, end))
    }

    /// Where the value lies in `text`: trimmed, and cut to [`ReadLimits::max_text_bytes`]
    /// with a finding when it is longer.
    #[inline]
    fn bounded(&mut self, node: NodeId, text: &str) -> (usize, usize) {
        let (start, trimmed) = trimmed(text);
        let length = trimmed.len();
        if length > self.limits.max_text_bytes {
            return (start, start + self.cut_text(node, trimmed));
        }
        (start, start + length)
    }

    /// How much of a value over the length limit is kept, after reporting it.
    #[cold]
    fn cut_text(&mut self, node: NodeId, text: &str) -> usize {
        let kept = shorten(text, self.limits.max_text_bytes).len();
        self.report(
            node,
            Finding::new(
                codes::READ_LIMIT_EXCEEDED,
                format!(
                    "the value is {} bytes long; only the first {} are kept",
                    text.len(),
                    self.limits.max_text_bytes
                ),
            ),
        );
        kept
    }

    /// The text of a value [`Cursor::read_text`] read.
    fn text_of(&self, at: TextAt<'i>) -> &str {
        match at {
            TextAt::Input(text) => text,
            TextAt::Scratch(start, end) => self.scratch.get(start..end).unwrap_or_default(),
        }
    }

    fn unexpected_text(&mut self, node: NodeId, text: &str) {
        if is_blank(text) {
            return;
        }
        let shown: String = text.trim().chars().take(40).collect();
        self.report(
            node,
            Finding::new(
                codes::READ_UNEXPECTED_TEXT,
                format!("text `{shown}` where only child elements are allowed; it is ignored"),
            ),
        );
    }

    fn unexpected_eof(&mut self, node: NodeId) -> Stop {
        let at = self.position();
        self.report_at(
            node,
            at,
            Finding::new(
                codes::READ_NOT_WELL_FORMED,
                "the input ends before this element is closed",
            ),
        );
        Stop
    }

    /// Checks a tag's attributes: namespace declarations and `xsi:` attributes are fine,
    /// `wanted` is returned, anything else is reported as ignored.
    #[inline]
    pub fn attributes(
        &mut self,
        node: NodeId,
        tag: &Tag<'_>,
        wanted: Option<&'static str>,
    ) -> Result<Option<String>, Stop> {
        // Most tags have none: answered where the reader asks, without a call.
        if !tag.has_attributes() {
            return Ok(None);
        }
        self.read_attributes(node, tag, wanted)
    }

    #[inline(never)]
    fn read_attributes(
        &mut self,
        node: NodeId,
        tag: &Tag<'_>,
        wanted: Option<&'static str>,
    ) -> Result<Option<String>, Stop> {
        let mut value = None;
        let mut unknown = Vec::new();
        for attribute in tag.start.attributes() {
            let attribute = match attribute {
                Ok(attribute) => attribute,
                Err(error) => return Err(self.malformed_attribute(node, tag, "", &error)),
            };
            let key = attribute.key;
            if key.as_namespace_binding().is_some() {
                continue;
            }
            let (resolved, local) = self.scopes.resolver().resolve_attribute(key);
            let local = local.into_inner();
            let in_xsi = matches!(resolved, ResolveResult::Bound(Namespace(uri)) if uri == NS_XSI);
            if in_xsi && matches!(local, "schemaLocation" | "noNamespaceSchemaLocation") {
                // A hint to a validator, carrying no data. Other `xsi:` attributes (`nil`,
                // `type`) change what the element means and are reported below.
                self.stats.schema_hints += 1;
                continue;
            }
            let unprefixed = matches!(resolved, ResolveResult::Unbound);
            if unprefixed && Some(local) == wanted && value.is_none() {
                if self.ignoring > 0 {
                    self.stats.reported_attributes += 1;
                } else {
                    self.stats.modelled_attributes += 1;
                }
                match attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                    Ok(text) => {
                        let text = self.cut_attribute(node, local, text);
                        let (_, trimmed) = trimmed(&text);
                        if trimmed.len() != text.len() {
                            self.report(
                                node,
                                Finding::new(
                                    codes::READ_INVALID_ATTRIBUTE,
                                    format!("`{local}` is `{text}`, with spaces around the value"),
                                )
                                .with_help(format!("write `{local}=\"{trimmed}\"`"))
                                .with_dms_code("DMS10020"),
                            );
                        }
                        value = Some(trimmed.to_owned());
                    }
                    Err(error) => {
                        return Err(self.malformed_attribute(node, tag, " value", &error));
                    }
                }
            } else {
                self.stats.reported_attributes += 1;
                unknown.push(shorten(key.as_ref(), 100));
            }
        }
        for name in unknown {
            self.report(
                node,
                Finding::new(
                    codes::READ_UNKNOWN_ATTRIBUTE,
                    format!("attribute `{name}` is not defined here; it is ignored"),
                ),
            );
        }
        Ok(value)
    }

    /// An attribute value cut to [`ReadLimits::max_attribute_bytes`], with a finding when it
    /// was longer.
    fn cut_attribute<'t>(&mut self, node: NodeId, name: &str, text: Cow<'t, str>) -> Cow<'t, str> {
        let limit = self.limits.max_attribute_bytes;
        if text.len() <= limit {
            return text;
        }
        self.report(
            node,
            Finding::new(
                codes::READ_LIMIT_EXCEEDED,
                format!("`{name}` is {} bytes long; only the first {limit} are kept", text.len()),
            ),
        );
        Cow::Owned(shorten(&text, limit))
    }

    /// Length facets on text values.
    #[inline]
    fn check_text_facets(&mut self, node: NodeId, schema: &SchemaNode, text: &str) {
        // Amounts, measures, quantities and numbers are checked as decimals instead.
        if matches!(schema.kind, ElementKind::Leaf(LeafKind::Text)) {
            self.check_text_value(node, schema, text);
        }
    }

    #[inline(never)]
    fn check_text_value(&mut self, node: NodeId, schema: &SchemaNode, text: &str) {
        // Every text type of the declaration schema requires a non-blank value (pattern
        // `.*[^\s].*`); hand-written models (notifications) are taken as published.
        if text.is_empty() && schema.path.starts_with("Declaration/") {
            self.report(
                node,
                Finding::new(
                    codes::READ_INVALID_VALUE,
                    format!("`{}` is empty; the schema requires a value", schema.name),
                )
                .with_help("write the value, or leave the element out")
                .with_dms_code("DMS10020"),
            );
            return;
        }
        let facets = &schema.facets;
        let chars = || u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
        if let Some(max) = facets.max_length
            && text.len() > max as usize
            && chars() > max
        {
            self.report(
                node,
                Finding::new(
                    codes::READ_TOO_LONG,
                    format!(
                        "`{}` is {} characters long; the schema allows at most {max}",
                        schema.name,
                        chars()
                    ),
                )
                .with_dms_code("DMS10020"),
            );
        }
        if let Some(length) = facets.length
            && chars() != length
        {
            self.report(
                node,
                Finding::new(
                    codes::READ_INVALID_VALUE,
                    format!(
                        "`{}` must be exactly {length} characters long; `{text}` is {}",
                        schema.name,
                        chars()
                    ),
                )
                .with_dms_code("DMS10020"),
            );
        }
        if !facets.enumeration.is_empty() && !facets.enumeration.contains(&text) {
            self.report(
                node,
                Finding::new(
                    codes::READ_INVALID_VALUE,
                    format!(
                        "`{}` must be one of {}; it is `{text}`",
                        schema.name,
                        facets.enumeration.join(", ")
                    ),
                )
                .with_dms_code("DMS10020"),
            );
        }
        if let Some(pattern) = facets.pattern {
            let ok = match pattern {
                "([a-zA-Z])*" => text.bytes().all(|byte| byte.is_ascii_alphabetic()),
                "([0-9])*" => text.bytes().all(|byte| byte.is_ascii_digit()),
                _ => true,
            };
            if !ok {
                let what = if pattern == "([0-9])*" { "digits" } else { "letters" };
                self.report(
                    node,
                    Finding::new(
                        codes::READ_INVALID_VALUE,
                        format!("`{}` may contain only {what}; it is `{text}`", schema.name),
                    )
                    .with_dms_code("DMS10020"),
                );
            }
        }
    }

    /// Parses a decimal value and checks its digit facets.
    fn decimal(
        &mut self,
        schema: &SchemaNode,
        node: NodeId,
        text: &str,
    ) -> Option<rust_decimal::Decimal> {
        match parse_decimal(text) {
            Ok((value, counts)) => {
                let facets = &schema.facets;
                if let Some(total) = facets.total_digits
                    && counts.total() > total
                {
                    self.report(
                        node,
                        Finding::new(
                            codes::READ_TOO_MANY_DIGITS,
                            format!(
                                "`{text}` has {} digits; `{}` allows at most {total}",
                                counts.total(),
                                schema.name
                            ),
                        )
                        .with_dms_code("DMS10020"),
                    );
                }
                if let Some(fraction) = facets.fraction_digits
                    && counts.fraction > fraction
                {
                    self.report(
                        node,
                        Finding::new(
                            codes::READ_TOO_MANY_DIGITS,
                            format!(
                                "`{text}` has {} decimals; `{}` allows at most {fraction}",
                                counts.fraction, schema.name
                            ),
                        )
                        .with_dms_code("DMS10020"),
                    );
                }
                Some(value)
            }
            Err(error) => {
                let (message, help) = match error {
                    NumberError::Syntax if text.is_empty() => (
                        format!("`{}` is empty; a number is required", schema.name),
                        "write the number, or leave the element out",
                    ),
                    NumberError::Syntax => (
                        format!("`{text}` is not a number"),
                        "write digits with a point for decimals (12.50), no thousands separators, no exponent",
                    ),
                    NumberError::Overflow => (
                        format!(
                            "`{text}` has more digits than Preclear can compute with exactly (28)"
                        ),
                        "check the value; the schema allows far fewer digits",
                    ),
                };
                let code = if error == NumberError::Overflow {
                    codes::READ_TOO_MANY_DIGITS
                } else {
                    codes::READ_INVALID_NUMBER
                };
                self.report(
                    node,
                    Finding::new(code, message).with_help(help).with_dms_code("DMS10020"),
                );
                None
            }
        }
    }

    /// Reports the required children of `schema` that are missing; `present` tells, per
    /// field of the model type, whether it was read.
    pub fn require_children(
        &mut self,
        parent: NodeId,
        schema: &'static SchemaNode,
        present: &[bool],
    ) {
        for (slot, present) in schema.slots.iter().zip(present) {
            let Some(child) = slot.and_then(|index| dms::SCHEMA.get(usize::from(index))) else {
                continue;
            };
            if child.min > 0 && !present {
                self.report(
                    parent,
                    Finding::new(
                        codes::READ_MISSING_ELEMENT,
                        format!(
                            "`{}` has no `{}`, which the schema requires",
                            schema.name, child.name
                        ),
                    )
                    .with_dms_code("DMS10001"),
                );
            }
        }
    }

    /// Reads events after the root element: whitespace and comments are fine, anything
    /// else is reported once and ignored.
    pub fn finish_document(&mut self, root: NodeId) {
        loop {
            let offset = self.position();
            match self.next(root) {
                Ok(Next::Eof) | Err(Stop) => return,
                Ok(Next::Skip) => {}
                Ok(Next::Text(text)) if is_blank(&text) => {}
                Ok(next) => {
                    // Point at the content itself, not at the whitespace before it.
                    let leading = self.skipped().len()
                        + match &next {
                            Next::Text(text) => text.len() - text.trim_start().len(),
                            _ => 0,
                        };
                    self.report_at(
                        root,
                        offset + leading,
                        Finding::new(
                            codes::READ_TRAILING_CONTENT,
                            "there is content after the root element; it is ignored",
                        ),
                    );
                    return;
                }
            }
        }
    }
}

/// The first `max_bytes` of `text`, cut at a character boundary.
fn shorten(text: &str, max_bytes: usize) -> String {
    let mut cut = max_bytes.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.get(..cut).unwrap_or_default().to_owned()
}

/// `text.trim()` and where it starts in `text`. Almost every value starts and ends with a
/// character that is not whitespace: those are answered from their first and last bytes
/// instead of two passes over `char`s.
fn trimmed(text: &str) -> (usize, &str) {
    let solid = |byte: Option<&u8>| {
        byte.is_some_and(|&byte| byte.is_ascii() && !char::from(byte).is_whitespace())
    };
    let bytes = text.as_bytes();
    if solid(bytes.first()) && solid(bytes.last()) {
        return (0, text);
    }
    let start = text.len() - text.trim_start().len();
    (start, text.trim())
}

/// Whether text is only XML whitespace (the space between elements).
#[must_use]
pub fn is_blank(text: &str) -> bool {
    text.bytes().all(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
}

/// The URI of a known namespace.
#[must_use]
pub fn namespace_uri(ns: Ns) -> &'static str {
    match ns {
        Ns::Declaration => NS_DECLARATION,
        Ns::DeclarationDs => NS_DECLARATION_DS,
        Ns::MetaData => NS_METADATA,
        Ns::Response => NS_RESPONSE,
        Ns::ResponseDs => NS_RESPONSE_DS,
        Ns::Xsi => NS_XSI,
        Ns::None | Ns::Other => "",
    }
}

/// Where the text of a value lies: in the input (a value in one piece), or in the cursor's
/// scratch buffer (a value put together from pieces, or normalised), between two offsets.
#[derive(Debug, Clone, Copy)]
enum TextAt<'i> {
    Input(&'i str),
    Scratch(usize, usize),
}

/// One reader event, as the models need it.
#[derive(Debug)]
pub enum Next<'i> {
    /// A start tag or an empty-element tag.
    Start(Tag<'i>),
    /// An end tag.
    End,
    /// Character data (text or CDATA).
    Text(Cow<'i, str>),
    /// A character from an entity or character reference.
    Char(char),
    /// A comment, processing instruction or XML declaration.
    Skip,
    /// The end of the input.
    Eof,
}

/// Where the first `:` of a name is. Names are short (10 to 40 bytes): eight bytes at a time
/// in a register costs less than a vector search takes to set up, or a byte at a time.
fn find_colon(name: &[u8]) -> Option<usize> {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const COLONS: u64 = 0x3A3A_3A3A_3A3A_3A3A;
    let mut words = name.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(word);
        // Bytes of `zeros` are 0 exactly where the word has a colon; their high bits end up
        // set in `found` (without carries between bytes, which shorter tricks allow).
        let zeros = u64::from_le_bytes(bytes) ^ COLONS;
        let found = !(((zeros & LOW) + LOW) | zeros | LOW);
        if found != 0 {
            return Some(base + (found.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    words.remainder().iter().position(|byte| *byte == b':').map(|index| base + index)
}

fn resolve_reference(reference: &BytesRef<'_>) -> Option<char> {
    if reference.is_char_ref() {
        return reference.resolve_char_ref().ok().flatten();
    }
    match &**reference {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

impl Leaf for Text {
    const ATTRIBUTE: Option<&'static str> = None;

    fn build(
        _: &mut Cursor<'_>,
        _: &SchemaNode,
        node: NodeId,
        text: &str,
        _: Option<String>,
    ) -> Self {
        Text { value: text.into(), node }
    }
}

impl Leaf for Amount {
    const ATTRIBUTE: Option<&'static str> = Some("currencyID");

    fn build(
        cx: &mut Cursor<'_>,
        schema: &SchemaNode,
        node: NodeId,
        text: &str,
        attribute: Option<String>,
    ) -> Self {
        let value = cx.decimal(schema, node, text);
        if let Some(currency) = &attribute
            && (currency.len() != 3 || !currency.bytes().all(|byte| byte.is_ascii_uppercase()))
        {
            cx.report(
                node,
                Finding::new(
                    codes::READ_INVALID_ATTRIBUTE,
                    format!(
                        "`currencyID` is `{currency}`; it must be three capital letters (ISO 4217)"
                    ),
                )
                .with_dms_code("DMS10020"),
            );
        }
        Amount { value, currency: attribute, node }
    }
}

impl Leaf for Measure {
    const ATTRIBUTE: Option<&'static str> = Some("unitCode");

    fn build(
        cx: &mut Cursor<'_>,
        schema: &SchemaNode,
        node: NodeId,
        text: &str,
        attribute: Option<String>,
    ) -> Self {
        let value = cx.decimal(schema, node, text);
        // Masses and quantities are amounts of goods: none is below zero (the schema's
        // xs:decimal allows a sign; CDS does not).
        if value.is_some_and(|value| value.is_sign_negative() && !value.is_zero())
            && schema.path.starts_with("Declaration/")
        {
            cx.report(
                node,
                Finding::new(
                    codes::READ_INVALID_VALUE,
                    format!("`{}` is `{text}`; a mass or quantity cannot be negative", schema.name),
                )
                .with_dms_code("DMS10020"),
            );
        }
        if let Some(unit) = &attribute
            && (unit.is_empty() || unit.chars().count() > 5)
        {
            cx.report(
                node,
                Finding::new(
                    codes::READ_INVALID_ATTRIBUTE,
                    format!("`unitCode` is `{unit}`; it must be 1 to 5 characters"),
                )
                .with_dms_code("DMS10020"),
            );
        }
        Measure { value, unit: attribute, node }
    }
}

impl Leaf for Numeric {
    const ATTRIBUTE: Option<&'static str> = None;

    fn build(
        cx: &mut Cursor<'_>,
        schema: &SchemaNode,
        node: NodeId,
        text: &str,
        _: Option<String>,
    ) -> Self {
        let value = cx.decimal(schema, node, text);
        Numeric { value, node }
    }
}

#[cfg(test)]
mod tests {
    use super::{find_colon, trimmed};

    #[test]
    fn values_are_trimmed_as_str_trim_does() {
        // ASCII and Unicode whitespace (no-break space, ideographic space, vertical tab) at
        // either end, inside, alone, and next to multi-byte letters.
        let pieces = ["", " ", "\t", "\n", "\u{b}", "\u{a0}", "\u{3000}", "a", "é", "a b", "東"];
        for first in pieces {
            for middle in pieces {
                for last in pieces {
                    let text = format!("{first}{middle}{last}");
                    let start = text.len() - text.trim_start().len();
                    assert_eq!(trimmed(&text), (start, text.trim()), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn the_first_colon_is_found_at_any_position() {
        // Bytes one bit away from a colon (`;`, `8`, and 0xBA inside `º`) around it, before
        // and after the eight-byte words, and in names with several colons.
        for len in 0..40 {
            let plain: String = "ab;8º".chars().cycle().take(len).collect();
            assert_eq!(find_colon(plain.as_bytes()), None, "{plain}");
            for at in 0..=plain.len() {
                if !plain.is_char_boundary(at) {
                    continue;
                }
                let name = format!("{}:{}:x", &plain[..at], &plain[at..]);
                assert_eq!(find_colon(name.as_bytes()), Some(at), "{name}");
            }
        }
    }
}
