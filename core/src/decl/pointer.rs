//! DMS error pointers: where a rejection notification says the problem is.
//!
//! A notification's `Error` lists `Pointer`s from the declaration down: each names a class by
//! its WCO id (`DocumentSectionCode`: `42A` declaration, `67A` goods shipment, `68A` goods
//! item, ...), the occurrence (`SequenceNumeric`: for goods items, the item number), and the
//! last may name a data element (`TagID`: `006` sequence number, `128` net mass, ...).
//! [`pointer_path`] decodes them, with the schema table, into the path Preclear gives its own
//! findings, so a finding and the authority's error can be compared.

use std::fmt::Write as _;

use super::dms::{Declaration, SCHEMA};
use super::notification::Pointer;
use super::schema::{ElementKind, SchemaNode};
use super::value::Text;

/// The path of the element a list of pointers names, as Preclear writes finding paths
/// (`/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/SequenceNumeric`);
/// `None` when a pointer names nothing the schema has. `declaration` (the one the
/// notification answers) turns goods item numbers into positions.
#[must_use]
pub fn pointer_path(pointers: &[Pointer], declaration: Option<&Declaration>) -> Option<String> {
    let mut path = String::from("/MetaData");
    let mut current: Option<&SchemaNode> = None;
    for pointer in pointers {
        let section = pointer.document_section_code.as_ref().map(Text::as_str);
        if let Some(section) = section {
            let node = match current {
                None if section == "42A" => SCHEMA.first()?,
                None => return None,
                Some(parent) => child(parent, section, true)?,
            };
            path.push('/');
            path.push_str(node.name);
            if current.is_some() && node.repeats() {
                let sequence = pointer
                    .sequence_numeric
                    .as_ref()
                    .and_then(super::value::Numeric::as_u32)
                    .unwrap_or(1);
                let index = if node.name == "GovernmentAgencyGoodsItem" {
                    item_position(declaration, sequence).unwrap_or(sequence)
                } else {
                    sequence
                };
                let _ = write!(path, "[{index}]");
            }
            current = Some(node);
        }
        if let Some(tag) = pointer.tag_id.as_ref().map(Text::as_str) {
            let leaf = child(current?, tag, false)?;
            path.push('/');
            path.push_str(leaf.name);
        }
    }
    Some(path)
}

/// The child of `parent` with WCO id `id`, a class or a data element.
fn child(parent: &SchemaNode, id: &str, class: bool) -> Option<&'static SchemaNode> {
    SCHEMA.iter().find(|node| {
        node.wco_id == id
            && (node.kind == ElementKind::Class) == class
            && node
                .path
                .strip_prefix(parent.path)
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|rest| !rest.contains('/'))
    })
}

/// The 1-based position of the goods item numbered `sequence`.
fn item_position(declaration: Option<&Declaration>, sequence: u32) -> Option<u32> {
    let items = &declaration?.goods_shipment.as_ref()?.goods_items;
    let position = items.iter().position(|item| {
        item.sequence_numeric.as_ref().and_then(super::value::Numeric::as_u32) == Some(sequence)
    })?;
    u32::try_from(position + 1).ok()
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::decl::value::Numeric;

    fn pointer(section: &str, sequence: Option<i64>, tag: Option<&str>) -> Pointer {
        Pointer {
            document_section_code: Some(Text { value: section.into(), ..Text::default() }),
            sequence_numeric: sequence
                .map(|n| Numeric { value: Some(Decimal::from(n)), ..Numeric::default() }),
            tag_id: tag.map(|tag| Text { value: tag.into(), ..Text::default() }),
            ..Pointer::default()
        }
    }

    #[test]
    fn decodes_item_and_element_pointers() {
        let pointers = [
            pointer("42A", None, None),
            pointer("67A", Some(1), None),
            pointer("68A", Some(3), Some("006")),
        ];
        assert_eq!(
            pointer_path(&pointers, None).as_deref(),
            Some(
                "/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[3]/SequenceNumeric"
            )
        );
        let pointers = [
            pointer("42A", None, None),
            pointer("67A", Some(1), None),
            pointer("68A", Some(1), None),
            pointer("23A", None, None),
            pointer("65A", None, Some("128")),
        ];
        assert_eq!(
            pointer_path(&pointers, None).as_deref(),
            Some(
                "/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/GoodsMeasure/NetNetWeightMeasure"
            )
        );
        let pointers = [pointer("42A", None, None), pointer("17C", Some(1), Some("R144"))];
        assert_eq!(
            pointer_path(&pointers, None).as_deref(),
            Some("/MetaData/Declaration/AuthorisationHolder[1]/ID")
        );
        assert_eq!(pointer_path(&[pointer("99Z", None, None)], None), None);
    }
}
