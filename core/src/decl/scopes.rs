//! Namespace scopes over quick-xml's plain event reader.
//!
//! A namespace-aware reader opens a resolver scope on every start tag and searches the
//! bindings for every name. Declarations bind their namespaces on one or two elements and
//! name almost every element without a prefix, so [`Scopes`] opens a scope only on a tag that
//! binds something and keeps the namespace of unprefixed names at hand. Prefixed names and
//! attributes still resolve through quick-xml's resolver, whose rules (the reserved `xml` and
//! `xmlns` prefixes, the limit on bindings) apply unchanged.

use quick_xml::events::BytesStart;
use quick_xml::name::{Namespace, NamespaceError, NamespaceResolver, ResolveResult};

use super::xml::Ns;

/// The namespace bindings in scope at the reader's position.
#[derive(Debug, Default)]
pub struct Scopes {
    resolver: NamespaceResolver,
    /// Open elements.
    depth: u32,
    /// Depths of the open elements whose tag opened a resolver scope, innermost last.
    bound: Vec<u32>,
    /// Whether the last tag was an empty-element tag that opened a scope: its bindings
    /// hold while its attributes are read and end before the next event.
    pending_close: bool,
    /// The namespace of unprefixed element names here.
    default: Ns,
}

impl Scopes {
    /// The resolver, for prefixed names and attributes of the tag just read.
    pub fn resolver(&self) -> &NamespaceResolver {
        &self.resolver
    }

    /// Ends the scope of an empty-element tag read last; called before each event.
    pub fn before_event(&mut self) {
        if self.pending_close {
            self.pending_close = false;
            self.close_scope();
        }
    }

    /// Enters a start tag (or an empty-element tag) and returns its element's namespace.
    ///
    /// # Errors
    ///
    /// A binding the namespace rules forbid (as quick-xml's resolver judges it).
    pub fn open(
        &mut self,
        start: &BytesStart<'_>,
        empty: bool,
        prefixed: bool,
    ) -> Result<Ns, NamespaceError> {
        if !empty {
            self.depth = self.depth.saturating_add(1);
        }
        // A binding is an attribute named `xmlns` or `xmlns:*`: without those letters in the
        // tag there is nothing to bind (a value that happens to contain them only opens an
        // empty scope).
        let attributes = start.attributes_raw().as_bytes();
        if !attributes.is_empty() && memchr::memmem::find(attributes, b"xmlns").is_some() {
            self.resolver.push(start)?;
            if empty {
                self.pending_close = true;
            } else {
                self.bound.push(self.depth);
            }
            self.default = self.resolve_default();
        }
        Ok(if prefixed {
            ns_of(&self.resolver.resolve_element(start.name()).0)
        } else {
            self.default
        })
    }

    /// Leaves the innermost open element.
    pub fn close(&mut self) {
        if self.bound.last() == Some(&self.depth) {
            self.bound.pop();
            self.close_scope();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    fn close_scope(&mut self) {
        self.resolver.pop();
        self.default = self.resolve_default();
    }

    fn resolve_default(&self) -> Ns {
        ns_of(&self.resolver.resolve_prefix(None, true))
    }
}

/// The namespace a resolved name is in.
pub fn ns_of(resolved: &ResolveResult<'_>) -> Ns {
    match resolved {
        ResolveResult::Bound(Namespace(uri)) => Ns::of_uri(uri),
        ResolveResult::Unbound => Ns::None,
        ResolveResult::Unknown(_) => Ns::Other,
    }
}

#[cfg(test)]
mod tests {
    use quick_xml::events::Event;
    use quick_xml::reader::{NsReader, Reader};

    use super::*;

    fn prefixed(start: &BytesStart<'_>) -> bool {
        start.name().into_inner().contains(':')
    }

    type Resolved = Vec<Result<Ns, String>>;

    /// The namespace of every start tag, as `Scopes` and as quick-xml's namespace-aware
    /// reader see it (up to the first error).
    fn both(xml: &str) -> (Resolved, Resolved) {
        let mut ours = Vec::new();
        let mut reader = Reader::from_str(xml);
        let mut scopes = Scopes::default();
        loop {
            scopes.before_event();
            match reader.read_event() {
                Ok(Event::Start(start)) => ours.push(scopes.open(&start, false, prefixed(&start))),
                Ok(Event::Empty(start)) => ours.push(scopes.open(&start, true, prefixed(&start))),
                Ok(Event::End(_)) => scopes.close(),
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => {}
            }
            if ours.last().is_some_and(Result::is_err) {
                break;
            }
        }
        let ours = ours
            .into_iter()
            .map(|ns| ns.map_err(|error| quick_xml::Error::from(error).to_string()))
            .collect();
        let mut theirs = Vec::new();
        let mut reader = NsReader::from_str(xml);
        loop {
            match reader.read_resolved_event() {
                Ok((resolved, Event::Start(_) | Event::Empty(_))) => {
                    theirs.push(Ok(ns_of(&resolved)));
                }
                Ok((_, Event::Eof)) => break,
                Err(error) => {
                    theirs.push(Err(error.to_string()));
                    break;
                }
                Ok(_) => {}
            }
        }
        (ours, theirs)
    }

    #[test]
    fn namespaces_resolve_as_the_namespace_aware_reader_resolves_them() {
        let documents = [
            // A declaration's usual shape: the envelope's prefix and the default namespace on
            // the root, the date namespace bound lower down.
            r#"<md:MetaData xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2" xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><md:WCOTypeName>DEC</md:WCOTypeName><Declaration xmlns:p1="urn:wco:datamodel:WCO:Declaration_DS:DMS:2"><IssueDateTime><p1:DateTimeString formatCode="304">20240101</p1:DateTimeString></IssueDateTime></Declaration><Other/></md:MetaData>"#,
            // Default namespaces changed, unbound and restored at several depths, and on
            // empty-element tags (whose bindings end with them).
            r#"<a xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><b xmlns=""><c/><d xmlns="urn:x"/><e/></b><f/><g xmlns="urn:wco:datamodel:WCO:RES-DMS:2"><h><i xmlns:q="urn:y"><q:j/></i></h></g><k/></a>"#,
            // Unknown prefixes, a prefix rebound inside its own scope, attribute values that
            // mention `xmlns` without binding anything.
            r#"<x:a xmlns:x="urn:x"><b note="xmlns"><x:c xmlns:x="urn:wco:datamodel:WCO:DEC-DMS:2"/><x:d/><y:e/></b></x:a>"#,
            // Bindings the namespace rules forbid.
            r#"<a xmlns:xml="urn:not-xml"/>"#,
            r#"<a><b xmlns:xmlns="urn:x"/></a>"#,
        ];
        for document in documents {
            let (ours, theirs) = both(document);
            assert!(!theirs.is_empty(), "{document}");
            assert_eq!(ours, theirs, "{document}");
        }
    }

    #[test]
    fn a_scope_ends_with_the_element_that_opened_it() {
        let (ours, _) =
            both(r#"<a xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><b xmlns="urn:x"></b><c/></a>"#);
        assert_eq!(ours, [Ok(Ns::Declaration), Ok(Ns::Other), Ok(Ns::Declaration)]);
    }
}
