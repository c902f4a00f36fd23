//! Structure-aware mutations of real declarations, for the hostile-input tests.
//!
//! A declaration is parsed into a small tree ([`Element`]), changed in one way a trader's
//! system or an attacker might ([`Mutation`]), and written back as XML (or as bytes, for the
//! mutations that break the encoding). The generator is deterministic: the same seed gives
//! the same input, so a failing case is reproduced from its seed alone. Each mutation knows
//! the finding class it must produce ([`Mutation::expected`]); the schema table
//! ([`preclear::decl::dms::SCHEMA`]) tells which elements are required, singletons or numbers.

use std::fmt::Write as _;

use preclear::Code;
use preclear::codes;
use preclear::decl::dms::SCHEMA;
use preclear::decl::schema::{ElementKind, LeafKind, SchemaNode};

const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// A small deterministic generator (`SplitMix64`).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            return 0;
        }
        usize::try_from(self.next_u64() % (bound as u64)).unwrap_or(0)
    }

    /// One of `items`, when there is any.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// A node of the tree: an element or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// An element.
    Element(Element),
    /// Character data.
    Text(String),
}

/// An element with its namespace, attributes and children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The namespace URI, if any.
    pub ns: Option<String>,
    /// The local name.
    pub name: String,
    /// Attributes: namespace URI (if any), local name, value.
    pub attributes: Vec<(Option<String>, String, String)>,
    /// The children.
    pub children: Vec<Node>,
}

impl Element {
    /// An element without attributes or children.
    #[must_use]
    pub fn new(ns: Option<&str>, name: &str) -> Element {
        Element {
            ns: ns.map(str::to_owned),
            name: name.to_owned(),
            attributes: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Parses a document into its root element (comments and processing instructions are
    /// dropped). `None` when it is not well-formed.
    #[must_use]
    pub fn parse(text: &str) -> Option<Element> {
        let document = roxmltree::Document::parse(text).ok()?;
        Some(Element::from_node(document.root_element()))
    }

    fn from_node(node: roxmltree::Node<'_, '_>) -> Element {
        let mut element = Element::new(node.tag_name().namespace(), node.tag_name().name());
        element.attributes = node
            .attributes()
            .map(|attribute| {
                (
                    attribute.namespace().map(str::to_owned),
                    attribute.name().to_owned(),
                    attribute.value().to_owned(),
                )
            })
            .collect();
        for child in node.children() {
            if child.is_element() {
                element.children.push(Node::Element(Element::from_node(child)));
            } else if let Some(text) = child.text().filter(|_| child.is_text()) {
                element.children.push(Node::Text(text.to_owned()));
            }
        }
        element
    }

    /// The element children.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    /// The first child element called `name`.
    #[must_use]
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|element| element.name == name)
    }

    /// The first child element called `name`, mutably.
    pub fn child_mut(&mut self, name: &str) -> Option<&mut Element> {
        self.children.iter_mut().find_map(|node| match node {
            Node::Element(element) if element.name == name => Some(element),
            _ => None,
        })
    }

    /// The element's text (its text children, joined).
    #[must_use]
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|node| match node {
                Node::Text(text) => Some(text.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }

    /// Replaces the element's content with `text`.
    pub fn set_text(&mut self, text: &str) {
        self.children = vec![Node::Text(text.to_owned())];
    }

    /// The element at a path of child positions (indexes into `children`).
    #[must_use]
    pub fn at(&self, path: &[usize]) -> Option<&Element> {
        let Some((first, rest)) = path.split_first() else { return Some(self) };
        match self.children.get(*first)? {
            Node::Element(element) => element.at(rest),
            Node::Text(_) => None,
        }
    }

    /// The element at a path of child positions, mutably.
    pub fn at_mut(&mut self, path: &[usize]) -> Option<&mut Element> {
        let Some((first, rest)) = path.split_first() else { return Some(self) };
        match self.children.get_mut(*first)? {
            Node::Element(element) => element.at_mut(rest),
            Node::Text(_) => None,
        }
    }

    /// Writes the document, the XML declaration first.
    #[must_use]
    pub fn to_xml(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        self.write(None, true, &mut out);
        out.push('\n');
        out
    }

    fn write(&self, parent_ns: Option<&str>, root: bool, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        if self.ns.as_deref() != parent_ns {
            let _ = write!(out, " xmlns=\"{}\"", escape(self.ns.as_deref().unwrap_or_default()));
        }
        if root {
            let _ = write!(out, " xmlns:xsi=\"{NS_XSI}\"");
        }
        for (index, (ns, name, value)) in self.attributes.iter().enumerate() {
            match ns.as_deref() {
                None => {
                    let _ = write!(out, " {name}=\"{}\"", escape(value));
                }
                Some(NS_XSI) => {
                    let _ = write!(out, " xsi:{name}=\"{}\"", escape(value));
                }
                Some(ns) => {
                    let _ = write!(
                        out,
                        " xmlns:a{index}=\"{}\" a{index}:{name}=\"{}\"",
                        escape(ns),
                        escape(value)
                    );
                }
            }
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for child in &self.children {
            match child {
                Node::Element(element) => element.write(self.ns.as_deref(), false, out),
                Node::Text(text) => out.push_str(&escape(text)),
            }
        }
        let _ = write!(out, "</{}>", self.name);
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The schema node of a path below `Declaration` (`Declaration/GoodsShipment/...`).
fn schema_of(path: &str) -> Option<&'static SchemaNode> {
    SCHEMA.iter().find(|node| node.path == path)
}

/// Every element under `Declaration`: its position path from the root, and its schema node.
fn declaration_elements(root: &Element) -> Vec<(Vec<usize>, &'static SchemaNode)> {
    fn walk(
        element: &Element,
        path: &mut Vec<usize>,
        schema_path: &str,
        out: &mut Vec<(Vec<usize>, &'static SchemaNode)>,
    ) {
        for (index, child) in element.children.iter().enumerate() {
            let Node::Element(child) = child else { continue };
            let child_path = format!("{schema_path}/{}", child.name);
            let Some(node) = schema_of(&child_path) else { continue };
            path.push(index);
            out.push((path.clone(), node));
            walk(child, path, &child_path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    let Some(declaration) = root
        .children
        .iter()
        .position(|node| matches!(node, Node::Element(e) if e.name == "Declaration"))
    else {
        return out;
    };
    if let Some(Node::Element(element)) = root.children.get(declaration) {
        if let Some(node) = schema_of("Declaration") {
            out.push((vec![declaration], node));
        }
        walk(element, &mut vec![declaration], "Declaration", &mut out);
    }
    out
}

/// The ways a declaration is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutation {
    /// Two neighbouring elements swapped, out of the schema's order.
    Swap,
    /// A required element removed.
    Missing,
    /// An element that may occur once, twice.
    Duplicate,
    /// A number with 28 digits: exact, but more than the schema's total digits.
    HugeNumber,
    /// A negative mass.
    NegativeMass,
    /// A number with 40 digits: more than can be computed with exactly.
    FortyDigits,
    /// A byte that is not UTF-8 inside a value.
    InvalidUtf8,
    /// An element moved into a foreign namespace.
    ForeignNamespace,
    /// An element the schema does not know, inside a known one.
    UnknownElement,
    /// An attribute the schema does not know.
    UnknownAttribute,
    /// The input cut short.
    Truncated,
    /// 999 goods items, numbered 1 to 999 (the schema's maximum).
    Items999,
    /// 1000 goods items: one more than the schema allows.
    Items1000,
    /// A 10 MB goods description.
    HugeDescription,
    /// Unknown elements nested 100,000 deep inside a goods item.
    DeepNesting,
}

impl Mutation {
    /// Every mutation.
    pub const ALL: &'static [Mutation] = &[
        Mutation::Swap,
        Mutation::Missing,
        Mutation::Duplicate,
        Mutation::HugeNumber,
        Mutation::NegativeMass,
        Mutation::FortyDigits,
        Mutation::InvalidUtf8,
        Mutation::ForeignNamespace,
        Mutation::UnknownElement,
        Mutation::UnknownAttribute,
        Mutation::Truncated,
        Mutation::Items999,
        Mutation::Items1000,
        Mutation::HugeDescription,
        Mutation::DeepNesting,
    ];

    /// The mutations that build large inputs (run once each, not for every seed).
    #[must_use]
    pub fn is_large(self) -> bool {
        matches!(
            self,
            Mutation::Items999
                | Mutation::Items1000
                | Mutation::HugeDescription
                | Mutation::DeepNesting
        )
    }

    /// The finding class the mutated input must produce; `None` for the 999 items, which
    /// must read without an item-count finding.
    #[must_use]
    pub fn expected(self) -> Option<Code> {
        Some(match self {
            Mutation::Swap => codes::READ_MISPLACED_ELEMENT,
            Mutation::Missing => codes::READ_MISSING_ELEMENT,
            Mutation::Duplicate | Mutation::Items1000 => codes::READ_TOO_MANY,
            Mutation::HugeNumber | Mutation::FortyDigits => codes::READ_TOO_MANY_DIGITS,
            Mutation::NegativeMass => codes::READ_INVALID_VALUE,
            Mutation::InvalidUtf8 => codes::READ_INVALID_ENCODING,
            Mutation::ForeignNamespace => codes::READ_WRONG_NAMESPACE,
            Mutation::UnknownElement => codes::READ_UNKNOWN_ELEMENT,
            Mutation::UnknownAttribute => codes::READ_UNKNOWN_ATTRIBUTE,
            Mutation::Truncated => codes::READ_NOT_WELL_FORMED,
            Mutation::HugeDescription | Mutation::DeepNesting => codes::READ_LIMIT_EXCEEDED,
            Mutation::Items999 => return None,
        })
    }

    /// Applies the mutation to `root` (a declaration's `MetaData`); `None` when the
    /// declaration has nowhere to apply it.
    #[must_use]
    pub fn apply(self, root: &Element, rng: &mut Rng) -> Option<Vec<u8>> {
        let mut root = root.clone();
        let elements = declaration_elements(&root);
        match self {
            Mutation::Swap => swap(&mut root, &elements, rng)?,
            Mutation::Missing => remove_required(&mut root, &elements, rng)?,
            Mutation::Duplicate => {
                let candidates: Vec<&Vec<usize>> = elements
                    .iter()
                    .filter(|(path, node)| node.max == Some(1) && path.len() > 1)
                    .map(|(path, _)| path)
                    .collect();
                let path = (*rng.pick(&candidates)?).clone();
                let (last, parent) = path.split_last()?;
                let copy = Node::Element(root.at(&path)?.clone());
                root.at_mut(parent)?.children.insert(last + 1, copy);
            }
            Mutation::HugeNumber | Mutation::FortyDigits | Mutation::NegativeMass => {
                set_number(self, &mut root, &elements, rng)?;
            }
            Mutation::InvalidUtf8 => {
                let xml = root.to_xml();
                let marker = "</";
                let cuts: Vec<usize> = xml.match_indices(marker).map(|(index, _)| index).collect();
                let at = *rng.pick(&cuts)?;
                let mut bytes = xml.into_bytes();
                bytes.splice(at..at, [0xC3, 0x28, 0xFF]);
                return Some(bytes);
            }
            Mutation::ForeignNamespace => {
                let candidates: Vec<&Vec<usize>> = elements
                    .iter()
                    .filter(|(path, _)| path.len() > 1)
                    .map(|(path, _)| path)
                    .collect();
                let path = (*rng.pick(&candidates)?).clone();
                root.at_mut(&path)?.ns = Some("urn:example:not-dms".to_owned());
            }
            Mutation::UnknownElement => {
                let candidates: Vec<&Vec<usize>> = elements
                    .iter()
                    .filter(|(_, node)| node.kind == ElementKind::Class)
                    .map(|(path, _)| path)
                    .collect();
                let path = (*rng.pick(&candidates)?).clone();
                let target = root.at_mut(&path)?;
                let mut unknown = Element::new(target.ns.as_deref(), "PreclearUnknownElement");
                unknown.set_text("surprise");
                let at = rng.below(target.children.len() + 1);
                target.children.insert(at, Node::Element(unknown));
            }
            Mutation::UnknownAttribute => {
                let path = rng.pick(&elements)?.0.clone();
                let target = root.at_mut(&path)?;
                target.attributes.push((None, "surprise".to_owned(), "1".to_owned()));
            }
            Mutation::Truncated => {
                let xml = root.to_xml().into_bytes();
                let end = xml.windows(2).rposition(|pair| pair == b"</")?;
                let cut = 1 + rng.below(end.max(1));
                return Some(xml.get(..cut)?.to_vec());
            }
            Mutation::Items999 | Mutation::Items1000 => {
                let count = if self == Mutation::Items999 { 999 } else { 1000 };
                set_item_count(&mut root, count)?;
            }
            Mutation::HugeDescription => {
                let item = items_mut(&mut root)?.into_iter().next()?;
                let description = item.child_mut("Commodity")?.child_mut("Description")?;
                description.set_text(&"Widgets of many kinds. ".repeat(10 * 1024 * 1024 / 23));
            }
            Mutation::DeepNesting => {
                // Written as text: the tree writer recurses, and this is 100,000 deep.
                let xml = root.to_xml();
                let at = xml.find("<GovernmentAgencyGoodsItem")?;
                let at = at + xml.get(at..)?.find('>')? + 1;
                let depth = 100_000;
                let mut nested = String::with_capacity(depth * 12);
                nested.push_str(&"<Nest>".repeat(depth));
                nested.push_str(&"</Nest>".repeat(depth));
                let mut out = String::with_capacity(xml.len() + nested.len());
                out.push_str(xml.get(..at)?);
                out.push_str(&nested);
                out.push_str(xml.get(at..)?);
                return Some(out.into_bytes());
            }
        }
        Some(root.to_xml().into_bytes())
    }
}

/// Swaps two neighbouring known elements that are in schema order, so that the second comes
/// early.
fn swap(
    root: &mut Element,
    elements: &[(Vec<usize>, &'static SchemaNode)],
    rng: &mut Rng,
) -> Option<()> {
    // Neighbouring known elements in schema order: swapped, the second is early.
    let mut pairs = Vec::new();
    for (path, node) in elements {
        let Some((last, parent)) = path.split_last() else { continue };
        let parent = root.at(parent)?;
        let next =
            parent.children.iter().enumerate().skip(last + 1).find_map(
                |(index, child)| match child {
                    Node::Element(element) => Some((index, element)),
                    Node::Text(_) => None,
                },
            );
        let Some((next_index, next)) = next else { continue };
        let parent_path = node.path.rsplit_once('/').map(|(parent, _)| parent)?;
        let next_node = schema_of(&format!("{parent_path}/{}", next.name));
        if next_node.is_some_and(|next| next.position > node.position) {
            pairs.push((path.clone(), next_index));
        }
    }
    let (path, next_index) = rng.pick(&pairs)?.clone();
    let (last, parent) = path.split_last()?;
    root.at_mut(parent)?.children.swap(*last, next_index);
    Some(())
}

/// Removes a required element that occurs once under its parent.
fn remove_required(
    root: &mut Element,
    elements: &[(Vec<usize>, &'static SchemaNode)],
    rng: &mut Rng,
) -> Option<()> {
    let candidates: Vec<&Vec<usize>> = elements
        .iter()
        .filter(|(path, node)| {
            node.min > 0
                && path.split_last().and_then(|(_, parent)| root.at(parent)).is_some_and(|parent| {
                    parent.elements().filter(|e| e.name == node.name).count() == 1
                })
        })
        .map(|(path, _)| path)
        .collect();
    let path = (*rng.pick(&candidates)?).clone();
    let (last, parent) = path.split_last()?;
    root.at_mut(parent)?.children.remove(*last);
    Some(())
}

/// Writes a huge, a 40-digit or a negative number into a numeric leaf (a mass for the
/// negative one).
fn set_number(
    mutation: Mutation,
    root: &mut Element,
    elements: &[(Vec<usize>, &'static SchemaNode)],
    rng: &mut Rng,
) -> Option<()> {
    let candidates: Vec<(&Vec<usize>, &SchemaNode)> = elements
        .iter()
        .filter(|(_, node)| match mutation {
            Mutation::NegativeMass => node.name.ends_with("MassMeasure"),
            _ => {
                matches!(
                    node.kind,
                    ElementKind::Leaf(
                        LeafKind::Amount
                            | LeafKind::Measure
                            | LeafKind::Quantity
                            | LeafKind::Numeric
                    )
                ) && node.facets.total_digits.is_some_and(|digits| digits < 28)
            }
        })
        .map(|(path, node)| (path, *node))
        .collect();
    let (path, _) = rng.pick(&candidates)?;
    let value = match mutation {
        Mutation::HugeNumber => "9".repeat(28),
        Mutation::FortyDigits => format!("{}.{}", "1".repeat(30), "5".repeat(10)),
        _ => "-12.5".to_owned(),
    };
    root.at_mut(path)?.set_text(&value);
    Some(())
}

/// The goods items of a declaration's `MetaData`.
fn items_mut(root: &mut Element) -> Option<Vec<&mut Element>> {
    let shipment = root.child_mut("Declaration")?.child_mut("GoodsShipment")?;
    Some(
        shipment
            .children
            .iter_mut()
            .filter_map(|node| match node {
                Node::Element(element) if element.name == "GovernmentAgencyGoodsItem" => {
                    Some(element)
                }
                _ => None,
            })
            .collect(),
    )
}

/// Makes the declaration hold `count` copies of its first goods item, numbered 1 to `count`,
/// with the item count (DE 1/9) to match.
fn set_item_count(root: &mut Element, count: usize) -> Option<()> {
    let declaration = root.child_mut("Declaration")?;
    if let Some(quantity) = declaration.child_mut("GoodsItemQuantity") {
        quantity.set_text(&count.to_string());
    }
    let shipment = declaration.child_mut("GoodsShipment")?;
    let first = shipment.children.iter().position(
        |node| matches!(node, Node::Element(element) if element.name == "GovernmentAgencyGoodsItem"),
    )?;
    let Some(Node::Element(template)) = shipment.children.get(first).cloned() else { return None };
    shipment.children.retain(
        |node| !matches!(node, Node::Element(element) if element.name == "GovernmentAgencyGoodsItem"),
    );
    let items = (1..=count).map(|sequence| {
        let mut item = template.clone();
        if let Some(number) = item.child_mut("SequenceNumeric") {
            number.set_text(&sequence.to_string());
        }
        Node::Element(item)
    });
    let at = first.min(shipment.children.len());
    shipment.children.splice(at..at, items);
    Some(())
}
