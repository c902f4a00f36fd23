//! The report's JSON line, written straight into a byte buffer.
//!
//! `serde_json` escapes a string byte by byte, looking each one up in a table; a report is mostly
//! text that needs no escape (messages, paths, help, the tariff's version), and that loop was a
//! twentieth of a check. Here a string is checked whole first, in a loop the compiler
//! vectorises, and copied in one piece; only a string with something to escape, and every
//! number, boolean and non-string map key, is written by `serde_json` itself. The output is
//! `serde_json`'s compact form byte for byte: the tests hold it to that over every fixture's
//! report and over values built to reach every branch.

use serde::ser::{self, Serialize};

type Result<T = ()> = std::result::Result<T, serde_json::Error>;

/// Appends `value` as compact JSON to `out`, exactly as `serde_json::to_writer` would.
pub(crate) fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result {
    value.serialize(&mut Writer { out })
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl Writer<'_> {
    /// Opens the object `{"variant":` that holds an enum variant's content.
    fn open_variant(&mut self, variant: &str) -> Result {
        self.out.push(b'{');
        write_str(self.out, variant)?;
        self.out.push(b':');
        Ok(())
    }
}

/// Whether `serde_json` would escape any byte of `bytes`: a quote, a backslash or a control
/// character. Folded with bitwise ors: `any` and `||` branch on every byte, which keeps the
/// compiler from vectorising the loop.
#[allow(clippy::nonminimal_bool, clippy::needless_bitwise_bool)]
fn needs_escape(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(false, |found, &byte| found | (byte < 0x20) | (byte == b'"') | (byte == b'\\'))
}

fn write_str(out: &mut Vec<u8>, value: &str) -> Result {
    if needs_escape(value.as_bytes()) {
        return serde_json::to_writer(&mut *out, value);
    }
    out.reserve(value.len() + 2);
    out.push(b'"');
    out.extend_from_slice(value.as_bytes());
    out.push(b'"');
    Ok(())
}

/// A scalar, written by `serde_json`.
fn write_scalar<T: Serialize>(writer: &mut Writer<'_>, value: T) -> Result {
    serde_json::to_writer(&mut *writer.out, &value)
}

/// The serializer methods of the numbers, each handing its value to `$write`.
macro_rules! number_methods {
    ($write:ident) => {
        number_methods!($write: serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
            serialize_i64 i64, serialize_i128 i128, serialize_u8 u8, serialize_u16 u16,
            serialize_u32 u32, serialize_u64 u64, serialize_u128 u128, serialize_f32 f32,
            serialize_f64 f64);
    };
    ($write:ident: $($method:ident $type:ty),*) => {
        $(fn $method(self, value: $type) -> Result {
            $write(self, value)
        })*
    };
}

/// The serializer methods that write text (strings, characters, unit variants) or see through
/// a newtype: the same for values and for map keys.
macro_rules! text_methods {
    () => {
        fn serialize_char(self, value: char) -> Result {
            write_str(self.out, value.encode_utf8(&mut [0; 4]))
        }
        fn serialize_str(self, value: &str) -> Result {
            write_str(self.out, value)
        }
        fn serialize_unit_variant(
            self,
            _name: &'static str,
            _index: u32,
            variant: &'static str,
        ) -> Result {
            write_str(self.out, variant)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _name: &'static str,
            value: &T,
        ) -> Result {
            value.serialize(self)
        }
    };
}

impl<'a, 'b> ser::Serializer for &'a mut Writer<'b> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Compound<'a, 'b>;
    type SerializeTuple = Compound<'a, 'b>;
    type SerializeTupleStruct = Compound<'a, 'b>;
    type SerializeTupleVariant = Compound<'a, 'b>;
    type SerializeMap = Compound<'a, 'b>;
    type SerializeStruct = Compound<'a, 'b>;
    type SerializeStructVariant = Compound<'a, 'b>;

    fn serialize_bool(self, value: bool) -> Result {
        self.out.extend_from_slice(if value { b"true" } else { b"false" });
        Ok(())
    }
    number_methods!(write_scalar);
    text_methods!();
    fn serialize_bytes(self, value: &[u8]) -> Result {
        write_scalar(self, value)
    }
    fn serialize_none(self) -> Result {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_none()
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.open_variant(variant)?;
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'b>> {
        Ok(Compound::open(self, b"[", b"]"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'b>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, 'b>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>> {
        self.open_variant(variant)?;
        Ok(Compound::open(self, b"[", b"]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'b>> {
        Ok(Compound::open(self, b"{", b"}"))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, 'b>> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>> {
        self.open_variant(variant)?;
        Ok(Compound::open(self, b"{", b"}}"))
    }
}

/// An array or object being written: a comma goes before every element but the first.
pub(crate) struct Compound<'a, 'b> {
    writer: &'a mut Writer<'b>,
    first: bool,
    close: &'static [u8],
}

impl<'a, 'b> Compound<'a, 'b> {
    fn open(writer: &'a mut Writer<'b>, open: &[u8], close: &'static [u8]) -> Self {
        writer.out.extend_from_slice(open);
        Compound { writer, first: true, close }
    }

    fn separate(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.writer.out.push(b',');
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.separate();
        value.serialize(&mut *self.writer)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.separate();
        write_str(self.writer.out, key)?;
        self.writer.out.push(b':');
        value.serialize(&mut *self.writer)
    }

    fn close(self) {
        self.writer.out.extend_from_slice(self.close);
    }
}

/// The compound traits whose elements are values alone, and those whose elements are fields.
macro_rules! compound_impls {
    (elements: $($trait:ident $method:ident),*; fields: $($fields:ident),*) => {
        $(impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = serde_json::Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
                self.element(value)
            }
            fn end(self) -> Result {
                self.close();
                Ok(())
            }
        })*
        $(impl ser::$fields for Compound<'_, '_> {
            type Ok = ();
            type Error = serde_json::Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
                self.field(key, value)
            }
            fn end(self) -> Result {
                self.close();
                Ok(())
            }
        })*
    };
}

compound_impls!(
    elements: SerializeSeq serialize_element, SerializeTuple serialize_element,
        SerializeTupleStruct serialize_field, SerializeTupleVariant serialize_field;
    fields: SerializeStruct, SerializeStructVariant
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.separate();
        key.serialize(MapKey { out: self.writer.out })
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.writer.out.push(b':');
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result {
        self.close();
        Ok(())
    }
}

/// A map key: JSON keys are strings. A string key is written here, numbers and booleans by
/// [`by_serde_json`].
struct MapKey<'a> {
    out: &'a mut Vec<u8>,
}

/// A key that is not a string, written by `serde_json` (which quotes numbers and booleans) as
/// the only key of a map whose braces and value are then cut off.
fn by_serde_json<T: Serialize>(key_writer: MapKey<'_>, key: T) -> Result {
    struct OneKey<T>(T);
    impl<T: Serialize> Serialize for OneKey<T> {
        fn serialize<S: ser::Serializer>(
            &self,
            serializer: S,
        ) -> std::result::Result<S::Ok, S::Error> {
            use ser::SerializeMap;
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(&self.0, &())?;
            map.end()
        }
    }
    let object = serde_json::to_vec(&OneKey(key))?;
    // `{KEY:null}`: the key lies between the opening brace and `:null}`.
    let key = object.get(1..object.len().saturating_sub(6)).unwrap_or_default();
    let MapKey { out } = key_writer;
    out.extend_from_slice(key);
    Ok(())
}

fn key_must_be_a_string() -> serde_json::Error {
    ser::Error::custom("key must be a string")
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = ser::Impossible<(), serde_json::Error>;
    type SerializeTuple = ser::Impossible<(), serde_json::Error>;
    type SerializeTupleStruct = ser::Impossible<(), serde_json::Error>;
    type SerializeTupleVariant = ser::Impossible<(), serde_json::Error>;
    type SerializeMap = ser::Impossible<(), serde_json::Error>;
    type SerializeStruct = ser::Impossible<(), serde_json::Error>;
    type SerializeStructVariant = ser::Impossible<(), serde_json::Error>;

    text_methods!();
    fn serialize_bool(self, value: bool) -> Result {
        by_serde_json(self, value)
    }
    number_methods!(by_serde_json);
    fn serialize_bytes(self, _value: &[u8]) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Serialize;

    fn ours<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
        let mut out = Vec::new();
        super::write(&mut out, value).map_err(|error| error.to_string())?;
        String::from_utf8(out).map_err(|error| error.to_string())
    }

    fn theirs<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
        serde_json::to_string(value).map_err(|error| error.to_string())
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(String),
        Tuple(i32, Option<f64>),
        Struct { name: &'static str, sides: Vec<u8> },
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Wrapped(u64);

    #[derive(Serialize)]
    struct Pair(bool, char);

    #[derive(Serialize)]
    struct Everything {
        shapes: Vec<Shape>,
        empty_list: Vec<u8>,
        empty_map: BTreeMap<String, u8>,
        numbers: (i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, f32, f64),
        not_finite: f64,
        unit: (),
        unit_struct: Unit,
        wrapped: Wrapped,
        pair: Pair,
        none: Option<u8>,
        bytes: &'static [u8],
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        #[serde(rename = "type")]
        renamed: &'static str,
        int_keys: BTreeMap<i32, &'static str>,
        bool_keys: BTreeMap<bool, u8>,
        char_keys: BTreeMap<char, u8>,
        value: serde_json::Value,
    }

    #[test]
    fn every_kind_of_value_is_written_as_serde_json_writes_it() {
        let everything = Everything {
            shapes: vec![
                Shape::Unit,
                Shape::Newtype("a \"quoted\" word".to_owned()),
                Shape::Tuple(-7, None),
                Shape::Tuple(7, Some(0.1)),
                Shape::Struct { name: "tri\\angle", sides: vec![3, 4, 5] },
            ],
            empty_list: Vec::new(),
            empty_map: BTreeMap::new(),
            numbers: (-8, -16, -32, -64, -128, 8, 16, 32, 64, 128, 1.5, -2.25e-300),
            not_finite: f64::NAN,
            unit: (),
            unit_struct: Unit,
            wrapped: Wrapped(u64::MAX),
            pair: Pair(false, '"'),
            none: None,
            bytes: b"\x00\xff",
            skipped: None,
            renamed: "tab\there",
            int_keys: BTreeMap::from([(-1, "minus one"), (2, "two")]),
            bool_keys: BTreeMap::from([(false, 0), (true, 1)]),
            char_keys: BTreeMap::from([('\n', 1), ('é', 2)]),
            value: serde_json::json!({
                "nested": [1, -2, 3.5, null, true, "line\nbreak", {"": []}],
                "unicode": "ünïcødé \u{1F600} \u{7f} \u{1f}",
                "big": 18_446_744_073_709_551_615_u64,
            }),
        };
        assert_eq!(ours(&everything), theirs(&everything));
        assert!(
            ours(&everything)
                .is_ok_and(|json| json.contains(r#""int_keys":{"-1":"minus one","2":"two"}"#))
        );
    }

    #[test]
    fn escapes_are_found_at_every_position_and_nothing_else_is() {
        for length in 1..=24 {
            for position in 0..length {
                for byte in 0..=u8::MAX {
                    let mut bytes = vec![b'a'; length];
                    bytes[position] = byte;
                    let expected = byte < 0x20 || byte == b'"' || byte == b'\\';
                    assert_eq!(
                        super::needs_escape(&bytes),
                        expected,
                        "{byte:#x} at {position} of {length}"
                    );
                }
            }
        }
        assert!(!super::needs_escape(b""));
    }

    #[test]
    fn keys_that_are_not_strings_fail_as_in_serde_json() {
        let map = BTreeMap::from([(vec![1_u8], 1_u8)]);
        assert_eq!(ours(&map), Err("key must be a string".to_owned()));
        assert!(theirs(&map).is_err());
        let map = BTreeMap::from([(None::<u8>, 1_u8)]);
        assert!(ours(&map).is_err() && theirs(&map).is_err());
    }

    #[test]
    fn every_fixture_report_is_written_as_serde_json_writes_it() {
        let tariffs = crate::Tariffs::bundled();
        let checker = crate::Checker::new(&tariffs, crate::CheckOptions::default());
        for path in crate::test_files::fixtures() {
            let input = std::fs::read(&path).unwrap();
            let report = checker.check(&path.display().to_string(), &input);
            let line = report.to_json_line().unwrap();
            assert_eq!(Ok(line), theirs(&report), "{}", path.display());
        }
    }

    proptest! {
        #[test]
        fn any_string_is_written_as_serde_json_writes_it(text in any::<String>(), key in any::<String>()) {
            prop_assert_eq!(ours(&text), theirs(&text));
            let map = BTreeMap::from([(key, text)]);
            prop_assert_eq!(ours(&map), theirs(&map));
        }

        #[test]
        fn escapes_anywhere_in_a_string_are_written_as_serde_json_writes_them(
            parts in proptest::collection::vec(prop_oneof![
                Just("\"".to_owned()), Just("\\".to_owned()), Just("\u{0}".to_owned()),
                Just("\u{1f}".to_owned()), Just("\n".to_owned()), Just("é".to_owned()),
                "[a-z ]{0,40}",
            ], 0..12),
        ) {
            let text = parts.concat();
            prop_assert_eq!(ours(&text), theirs(&text));
        }
    }
}
