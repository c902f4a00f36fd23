//! What the schema says about each element: WCO id, cardinality, format and facets.
//!
//! The table for the DMS declaration is generated from the schema tree (see
//! [`super::dms::SCHEMA`]); the reader consults it for order, cardinality and facet checks,
//! and later stages use it to decode the `Pointer`s of rejection notifications.

/// How a leaf value is typed in the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeafKind {
    /// `CodeType`, `IDType`, `TextType`: text.
    Text,
    /// `AmountType`: a decimal with an optional `currencyID`.
    Amount,
    /// `MeasureType`: a decimal with an optional `unitCode`.
    Measure,
    /// `QuantityType`: a decimal with an optional `unitCode`.
    Quantity,
    /// `NumericType`: a decimal.
    Numeric,
    /// `DateTimeType`: a `DateTimeString` child with a `formatCode`.
    DateTime,
}

/// Whether an element holds child elements or a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementKind {
    /// An aggregate (WCO class) of child elements.
    Class,
    /// A data element.
    Leaf(LeafKind),
}

/// The facets (restrictions) of a leaf's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facets {
    /// `maxLength`, in characters.
    pub max_length: Option<u32>,
    /// `length`, in characters.
    pub length: Option<u32>,
    /// `totalDigits`.
    pub total_digits: Option<u32>,
    /// `fractionDigits`.
    pub fraction_digits: Option<u32>,
    /// `pattern` (informational: checked by the reader only for the patterns it knows).
    pub pattern: Option<&'static str>,
    /// `enumeration`, empty when the type is not an enumeration.
    pub enumeration: &'static [&'static str],
}

impl Facets {
    /// No facets.
    pub const NONE: Facets = Facets {
        max_length: None,
        length: None,
        total_digits: None,
        fraction_digits: None,
        pattern: None,
        enumeration: &[],
    };
}

/// One element of the schema tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaNode {
    /// Path from `Declaration`, e.g. `Declaration/GoodsShipment/GovernmentAgencyGoodsItem`.
    pub path: &'static str,
    /// The local name.
    pub name: &'static str,
    /// The WCO Data Model id (class ids such as `68A`, element ids such as `006`); empty
    /// where the schema gives none.
    pub wco_id: &'static str,
    /// Minimum occurrences.
    pub min: u32,
    /// Maximum occurrences; `None` for unbounded.
    pub max: Option<u32>,
    /// The WCO format, e.g. `an..35`, `n..16,3`; empty for classes.
    pub format: &'static str,
    /// Class or leaf.
    pub kind: ElementKind,
    /// Restrictions on the value.
    pub facets: Facets,
    /// Position of the element in its parent's `xs:sequence`.
    pub position: u16,
    /// The schema's remark on the code list or format, e.g. `EDIFACT codes (1225)`.
    pub remarks: &'static str,
    /// For a class: the table index of the child behind each field of its model type, in
    /// field order (`None` where this element has no such child).
    pub slots: &'static [Option<u16>],
}

impl SchemaNode {
    /// Whether the element may occur more than once (its path then carries an index).
    #[must_use]
    pub fn repeats(&self) -> bool {
        self.max != Some(1)
    }
}

impl SchemaNode {
    /// The same node at another position in its parent's sequence.
    #[must_use]
    pub const fn at_position(self, position: u16) -> SchemaNode {
        SchemaNode { position, ..self }
    }

    /// A node for hand-written models: no facets, no order, optional.
    #[must_use]
    pub const fn lenient(name: &'static str, kind: ElementKind, max: Option<u32>) -> SchemaNode {
        SchemaNode {
            path: name,
            name,
            wco_id: "",
            min: 0,
            max,
            format: "",
            kind,
            facets: Facets::NONE,
            position: 0,
            remarks: "",
            slots: &[],
        }
    }
}
