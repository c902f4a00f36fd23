//! Source positions: which element of the input a model value came from.
//!
//! While reading, every element gets a [`NodeId`] in a [`SourceMap`]: its parent, its name,
//! its sibling index and its byte span. Model values keep only the id, so the reader does no
//! formatting work; a path and a line:column are computed when a finding needs them.

use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};

use crate::finding::Location;

/// An element of the input, as an index into its [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct NodeId(u32);

impl NodeId {
    /// The id for a value that did not come from the input (defaults, computed values).
    pub const NONE: NodeId = NodeId(u32::MAX);

    /// Whether this id points at an element.
    #[must_use]
    pub fn is_some(self) -> bool {
        self != NodeId::NONE
    }

    fn index(self) -> Option<usize> {
        if self.is_some() { usize::try_from(self.0).ok() } else { None }
    }
}

/// The name of an element: static for names the schema knows, owned for the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeName {
    /// A name from the schema.
    Known(&'static str),
    /// Any other name, as written (without its prefix).
    Other(Box<str>),
}

impl NodeName {
    /// The local name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            NodeName::Known(name) => name,
            NodeName::Other(name) => name,
        }
    }
}

/// One element of the input.
#[derive(Debug, Clone)]
pub struct Node {
    /// The enclosing element, or [`NodeId::NONE`] for the root.
    pub parent: NodeId,
    /// The local name.
    pub name: NodeName,
    /// 1-based index among same-named siblings when the element may repeat (or is repeated
    /// in error); 0 when it occurs at most once and the path needs no index.
    pub index: u32,
    /// Byte offset of the `<` of the start tag.
    pub start: u32,
    /// Byte offset just after the end tag (or after the start tag while it is open).
    pub end: u32,
}

/// Positions of every element read from one input.
///
/// The map does not keep the input (copying it would cost more than reading it); the
/// methods that turn offsets into lines and columns take it as an argument.
#[derive(Debug, Default)]
pub struct SourceMap {
    nodes: Vec<Node>,
    /// Where lines start, found as locations are asked for (behind a lock because a map may
    /// be shared between threads).
    lines: Mutex<LineIndex>,
}

impl Clone for SourceMap {
    fn clone(&self) -> SourceMap {
        let lines = self.lines.lock().unwrap_or_else(PoisonError::into_inner).clone();
        SourceMap { nodes: self.nodes.clone(), lines: Mutex::new(lines) }
    }
}

impl SourceMap {
    /// An empty map.
    #[must_use]
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// An empty map with room for `elements` elements.
    #[must_use]
    pub fn with_capacity(elements: usize) -> SourceMap {
        SourceMap { nodes: Vec::with_capacity(elements), lines: Mutex::default() }
    }

    /// Adds an element and returns its id.
    pub fn push(&mut self, parent: NodeId, name: NodeName, index: u32, start: usize) -> NodeId {
        let id = NodeId(u32::try_from(self.nodes.len()).unwrap_or(u32::MAX - 1));
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        self.nodes.push(Node { parent, name, index, start, end: start });
        id
    }

    /// Records where an element ends.
    pub fn close(&mut self, id: NodeId, end: usize) {
        if let Some(node) = id.index().and_then(|index| self.nodes.get_mut(index)) {
            node.end = u32::try_from(end).unwrap_or(u32::MAX);
        }
    }

    /// The element with id `id`.
    #[must_use]
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        id.index().and_then(|index| self.nodes.get(index))
    }

    /// The number of elements read.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether no element was read.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// All elements, in document order.
    #[must_use]
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The XPath-like path of an element: `/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]/...`.
    #[must_use]
    pub fn path(&self, id: NodeId) -> String {
        // Declarations nest about eight deep, with names of about sixteen bytes.
        let mut chain = Vec::with_capacity(12);
        let mut current = id;
        // The parent chain is acyclic by construction; the bound guards against misuse.
        while let Some(node) = self.node(current) {
            chain.push(node);
            current = node.parent;
            if chain.len() > self.nodes.len() {
                break;
            }
        }
        let mut path = String::with_capacity(chain.len() * 20);
        for node in chain.iter().rev() {
            path.push('/');
            path.push_str(node.name.as_str());
            if node.index > 0 {
                let _ = write!(path, "[{}]", node.index);
            }
        }
        path
    }

    /// The 1-based line and column (in characters) of a byte offset of `text`, the input
    /// this map was read from.
    #[must_use]
    pub fn line_col(&self, text: &[u8], offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let (line_index, line_start) =
            self.lines.lock().unwrap_or_else(PoisonError::into_inner).line_of(text, offset);
        // Characters, not bytes: count the bytes that start a UTF-8 sequence.
        let column = text
            .get(line_start..offset)
            .map_or(0, |line| line.iter().filter(|byte| (**byte & 0xC0) != 0x80).count());
        let line = u32::try_from(line_index + 1).unwrap_or(u32::MAX);
        (line, u32::try_from(column + 1).unwrap_or(u32::MAX))
    }

    /// The location of an element: its path, and the line:column of its start tag in
    /// `text`, the input this map was read from.
    #[must_use]
    pub fn locate(&self, text: &[u8], id: NodeId) -> Option<Location> {
        let node = self.node(id)?;
        let (line, column) = self.line_col(text, node.start as usize);
        Some(Location {
            path: self.path(id),
            line,
            column,
            offset: node.start as usize,
            len: node.end.saturating_sub(node.start) as usize,
        })
    }

    /// The location of a byte offset of `text` inside an element (e.g. where XML stopped
    /// being well-formed).
    #[must_use]
    pub fn locate_offset(&self, text: &[u8], id: NodeId, offset: usize) -> Location {
        let (line, column) = self.line_col(text, offset);
        Location { path: self.path(id), line, column, offset, len: 1 }
    }
}

/// Lines found so far: points of the input whose line is known, from which others are
/// counted. Most findings are about the header, and indexing a large input to its end would
/// cost more than the rest of locating them; counting line ends from the nearest known point
/// before an offset reads each stretch of the input once at vector speed, whatever order
/// offsets are asked for in.
#[derive(Debug, Clone, Default)]
struct LineIndex {
    /// (offset, 0-based line, where that line starts), sorted by offset.
    known: Vec<(usize, usize, usize)>,
}

impl LineIndex {
    /// Points closer than this to a known one are not kept: counting from it is cheap.
    const SPACING: usize = 1024;
    /// Counting over a longer stretch keeps a point at every step of this length, so that
    /// offsets asked for backwards (each before the last) count a step at most, not the
    /// whole input before them.
    const STEP: usize = 64 * 1024;

    /// The 0-based line of `offset` (at most the input's length) and where that line starts.
    fn line_of(&mut self, text: &[u8], offset: usize) -> (usize, usize) {
        let mut at = self.known.partition_point(|&(known, _, _)| known <= offset);
        let (mut from, mut line, mut start) = at
            .checked_sub(1)
            .and_then(|before| self.known.get(before))
            .copied()
            .unwrap_or_default();
        while offset - from > Self::STEP {
            (line, start) = Self::count(text, from, from + Self::STEP, line, start);
            from += Self::STEP;
            self.known.insert(at, (from, line, start));
            at += 1;
        }
        (line, start) = Self::count(text, from, offset, line, start);
        if offset - from >= Self::SPACING {
            self.known.insert(at, (offset, line, start));
        }
        (line, start)
    }

    /// The line and line start at `to`, from those at `from`.
    fn count(text: &[u8], from: usize, to: usize, line: usize, start: usize) -> (usize, usize) {
        let between = text.get(from..to).unwrap_or_default();
        match memchr::memrchr(b'\n', between) {
            Some(last) => (line + memchr::memchr_iter(b'\n', between).count(), from + last + 1),
            None => (line, start),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_whatever_order_offsets_are_asked_in() {
        // Long enough that the index is extended several times; lines of every length,
        // including empty ones.
        let text: String = (0..6000).map(|line| "x".repeat(line % 13) + "\n").collect();
        let text = text.as_bytes();
        // The expected line and column of every offset, counted in one pass.
        let mut expected = Vec::with_capacity(text.len() + 1);
        let (mut line, mut column) = (1_u32, 1_u32);
        for byte in text {
            expected.push((line, column));
            (line, column) = if *byte == b'\n' { (line + 1, 1) } else { (line, column + 1) };
        }
        expected.push((line, column));
        let naive = |offset: usize| expected[offset.min(text.len())];
        let len = text.len();
        let orders: [Vec<usize>; 3] = [
            (0..=len + 2).collect(),
            (0..=len + 2).rev().collect(),
            (0..=len).map(|step| (step * 7919) % (len + 1)).collect(),
        ];
        for offsets in orders {
            let map = SourceMap::new();
            for offset in offsets {
                assert_eq!(map.line_col(text, offset), naive(offset), "offset {offset}");
            }
        }
    }

    #[test]
    fn lines_are_counted_across_steps_in_any_order() {
        // Several counting steps long, with a line longer than a step in the middle.
        let mut text: String = (0..40_000).map(|line| "y".repeat(line % 11) + "\n").collect();
        text.push_str(&"z".repeat(3 * LineIndex::STEP));
        text.extend((0..20_000).map(|line| "é".repeat(line % 5) + "\r\n"));
        let text = text.as_bytes();
        let mut expected = Vec::with_capacity(text.len() + 1);
        let (mut line, mut column) = (1_u32, 1_u32);
        for byte in text {
            expected.push((line, column));
            (line, column) = match byte {
                b'\n' => (line + 1, 1),
                byte if byte & 0xC0 == 0x80 => (line, column),
                _ => (line, column + 1),
            };
        }
        expected.push((line, column));
        let len = text.len();
        let stride = len / 2999;
        let forwards: Vec<usize> = (0..3000).map(|n| n * stride).collect();
        let orders = [
            forwards.clone(),
            forwards.iter().rev().copied().collect(),
            (0..3000).map(|n| (n * 7919 * stride + n) % (len + 1)).collect(),
        ];
        for offsets in orders {
            let map = SourceMap::new();
            for offset in offsets {
                assert_eq!(map.line_col(text, offset), expected[offset], "offset {offset}");
            }
        }
    }

    #[test]
    fn paths_show_indexes_only_where_given() {
        let input = b"<a>\n  <b><c/></b>\n  <b><c/></b>\n</a>";
        let mut map = SourceMap::new();
        let a = map.push(NodeId::NONE, NodeName::Known("a"), 0, 0);
        let b1 = map.push(a, NodeName::Known("b"), 1, 6);
        let _c1 = map.push(b1, NodeName::Known("c"), 0, 9);
        let b2 = map.push(a, NodeName::Known("b"), 2, 20);
        let c2 = map.push(b2, NodeName::Other("c".into()), 0, 23);
        assert_eq!(map.path(c2), "/a/b[2]/c");
        let location = map.locate(input, b2).unwrap();
        assert_eq!((location.line, location.column), (3, 3));
    }

    #[test]
    fn columns_count_characters() {
        let input = "<a>\n<é><b/></é></a>".as_bytes();
        let map = SourceMap::new();
        // `<b/>` starts after "<é>" on line 2: 3 characters, 4 bytes.
        let offset = input.windows(2).position(|w| w == b"<b").unwrap();
        assert_eq!(map.line_col(input, offset), (2, 4));
    }
}
