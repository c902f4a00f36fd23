//! A macro for hand-written models (the `MetaData` header and notifications), which have no
//! generated schema table: each field names its element and how it is read.

/// Declares a model struct and its [`Element`](super::xml::Element) reader.
///
/// Field kinds: `text`, `amount`, `measure`, `numeric`, `date_time` (data elements),
/// `one Type` (an optional child class), `many Type` (a repeatable child class).
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident : $kind:ident $($ty:ident)? = $element:literal,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
        #[non_exhaustive]
        pub struct $name {
            /// The element this was read from.
            #[serde(skip)]
            pub node: $crate::source::NodeId,
            $(
                $(#[$field_meta])*
                #[serde(skip_serializing_if = "crate::decl::model::Empty::is_empty")]
                pub $field: $crate::decl::model::model_field_type!($kind $($ty)?),
            )*
        }

        impl $crate::decl::xml::Element for $name {
            fn set_node(&mut self, node: $crate::source::NodeId) {
                self.node = node;
            }

            fn read_child(
                &mut self,
                cx: &mut $crate::decl::xml::Cursor<'_>,
                frame: &mut $crate::decl::xml::Frame,
                _schema: &'static $crate::decl::schema::SchemaNode,
                tag: &$crate::decl::xml::Tag<'_>,
            ) -> Result<(), $crate::decl::xml::Stop> {
                // Element names in declaration order: their index is their schema position.
                const NAMES: &[&str] = &[$($element),*];
                match tag.local() {
                    $(
                        $element => {
                            static NODE: $crate::decl::schema::SchemaNode =
                                $crate::decl::model::model_schema_node!($element, $kind $($ty)?)
                                    .at_position($crate::decl::model::position_of(NAMES, $element));
                            $crate::decl::model::model_read!(cx, frame, tag, &NODE, &mut self.$field, $kind)
                        }
                    )*
                    _ => cx.unknown(frame, tag),
                }
            }

            fn finish(&self, _cx: &mut $crate::decl::xml::Cursor<'_>, _schema: &'static $crate::decl::schema::SchemaNode) {}
        }
    };
}

macro_rules! model_field_type {
    (text) => { Option<$crate::decl::value::Text> };
    (amount) => { Option<$crate::decl::value::Amount> };
    (measure) => { Option<$crate::decl::value::Measure> };
    (numeric) => { Option<$crate::decl::value::Numeric> };
    (date_time) => { Option<$crate::decl::value::DateTime> };
    (one $ty:ident) => { Option<$ty> };
    (many $ty:ident) => { Vec<$ty> };
}

macro_rules! model_schema_node {
    ($element:literal, text) => {
        $crate::decl::schema::SchemaNode::lenient(
            $element,
            $crate::decl::schema::ElementKind::Leaf($crate::decl::schema::LeafKind::Text),
            Some(1),
        )
    };
    ($element:literal, amount) => {
        $crate::decl::schema::SchemaNode::lenient(
            $element,
            $crate::decl::schema::ElementKind::Leaf($crate::decl::schema::LeafKind::Amount),
            Some(1),
        )
    };
    ($element:literal, measure) => {
        $crate::decl::schema::SchemaNode::lenient(
            $element,
            $crate::decl::schema::ElementKind::Leaf($crate::decl::schema::LeafKind::Measure),
            Some(1),
        )
    };
    ($element:literal, numeric) => {
        $crate::decl::schema::SchemaNode::lenient(
            $element,
            $crate::decl::schema::ElementKind::Leaf($crate::decl::schema::LeafKind::Numeric),
            Some(1),
        )
    };
    ($element:literal, date_time) => {
        $crate::decl::schema::SchemaNode::lenient(
            $element,
            $crate::decl::schema::ElementKind::Leaf($crate::decl::schema::LeafKind::DateTime),
            Some(1),
        )
    };
    ($element:literal, one $ty:ident) => {
        $crate::decl::schema::SchemaNode::lenient(
            $element,
            $crate::decl::schema::ElementKind::Class,
            Some(1),
        )
    };
    ($element:literal, many $ty:ident) => {
        $crate::decl::schema::SchemaNode::lenient(
            $element,
            $crate::decl::schema::ElementKind::Class,
            None,
        )
    };
}

macro_rules! model_read {
    ($cx:ident, $frame:ident, $tag:ident, $node:expr, $slot:expr, date_time) => {
        $cx.date_time($frame, $tag, Some($node), $slot)
    };
    ($cx:ident, $frame:ident, $tag:ident, $node:expr, $slot:expr, one) => {
        $cx.class($frame, $tag, Some($node), $slot)
    };
    ($cx:ident, $frame:ident, $tag:ident, $node:expr, $slot:expr, many) => {
        $cx.repeated($frame, $tag, Some($node), $slot)
    };
    ($cx:ident, $frame:ident, $tag:ident, $node:expr, $slot:expr, $leaf:ident) => {
        $cx.leaf($frame, $tag, Some($node), $slot)
    };
}

pub(crate) use {model, model_field_type, model_read, model_schema_node};

/// The index of `name` in `names`, at compile time (for schema positions).
// `get` is not const; the loop bounds keep every index in range.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn position_of(names: &[&str], name: &str) -> u16 {
    let mut index = 0;
    while index < names.len() {
        if str_eq(names[index], name) {
            // Models have a handful of fields; the cast cannot truncate.
            #[allow(clippy::cast_possible_truncation)]
            return index as u16;
        }
        index += 1;
    }
    0
}

// `get` is not const; the loop bounds keep every index in range.
#[allow(clippy::indexing_slicing)]
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

/// Emptiness, for skipping absent fields when serialising.
pub(crate) trait Empty {
    fn is_empty(&self) -> bool;
}

impl<T> Empty for Option<T> {
    fn is_empty(&self) -> bool {
        self.is_none()
    }
}

impl<T> Empty for Vec<T> {
    fn is_empty(&self) -> bool {
        Vec::is_empty(self)
    }
}
