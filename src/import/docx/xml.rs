//! The XML of a part, parsed with roxmltree within limits (no DTD, so no entity
//! expansion; a bound on nodes and on depth, checked before anything recurses),
//! and small helpers that match elements and attributes by local name, so that
//! Transitional and Strict files read alike.

use roxmltree::{Document, Node, ParsingOptions};

use super::package::{Rel, Rels};
use super::{Fault, Limits};

pub(super) fn parse<'a>(text: &'a str, part: &str, limits: &Limits) -> Result<Document<'a>, Fault> {
    let options = ParsingOptions { allow_dtd: false, nodes_limit: limits.nodes, ..ParsingOptions::default() };
    let doc = Document::parse_with_options(text, options)
        .map_err(|e| Fault::Xml { part: part.to_owned(), why: e.to_string() })?;
    // Depth, in one pass: a node's depth is its parent's plus one.
    let mut depth: Vec<u16> = vec![0; doc.descendants().count() + 1];
    for node in doc.descendants() {
        let d = node.parent().map_or(0, |p| depth[p.id().get_usize()] + 1);
        if usize::from(d) > limits.depth {
            return Err(Fault::TooDeep { part: part.to_owned(), limit: limits.depth });
        }
        depth[node.id().get_usize()] = d;
    }
    Ok(doc)
}

/// An attribute by its local name, whatever its namespace.
pub(super) fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes().find(|a| a.name() == name).map(|a| a.value())
}

/// An attribute of the relationships namespace (`r:embed`, `r:id`).
pub(super) fn rel_attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name && a.namespace().is_some_and(|ns| ns.contains("relationships")))
        .map(|a| a.value())
}

pub(super) fn is(node: Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name
}

/// The first child element of that local name.
pub(super) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(*c, name))
}

/// The child elements.
pub(super) fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

/// `w:val` of a child element (`<w:numId w:val="3"/>`).
pub(super) fn val<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(node, name).and_then(|c| attr(c, "val"))
}

/// Whether a toggle property (`<w:vanish/>`, `<w:vanish w:val="false"/>`) is on.
pub(super) fn on(node: Node, name: &str) -> bool {
    child(node, name).is_some_and(|c| !matches!(attr(c, "val"), Some("0" | "false" | "off")))
}

/// A relationships part.
pub(super) fn rels(text: &str, part: &str, limits: &Limits) -> Result<Rels, Fault> {
    let doc = parse(text, part, limits)?;
    let mut out = Rels::new();
    for r in doc.root_element().children().filter(|n| is(*n, "Relationship")) {
        let (Some(id), Some(kind), Some(target)) = (attr(r, "Id"), attr(r, "Type"), attr(r, "Target")) else {
            continue;
        };
        let kind = kind.rsplit('/').next().unwrap_or(kind).to_owned();
        let external = attr(r, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
        out.insert(id.to_owned(), Rel { kind, target: target.to_owned(), external });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_and_dtd_are_refused() {
        let limits = Limits { depth: 10, ..Limits::default() };
        let deep = format!("{}{}", "<a>".repeat(20), "</a>".repeat(20));
        assert!(matches!(parse(&deep, "p", &limits), Err(Fault::TooDeep { .. })));
        let shallow = format!("{}{}", "<a>".repeat(5), "</a>".repeat(5));
        assert!(parse(&shallow, "p", &limits).is_ok());
        let bomb = "<!DOCTYPE a [<!ENTITY x \"xxxxxxxx\"><!ENTITY y \"&x;&x;&x;&x;\">]><a>&y;</a>";
        assert!(matches!(parse(bomb, "p", &limits), Err(Fault::Xml { .. })));
    }

    #[test]
    fn toggles() {
        let doc = Document::parse("<r><a/><b val=\"0\"/><c val=\"true\"/></r>").unwrap();
        let r = doc.root_element();
        assert!(on(r, "a") && !on(r, "b") && on(r, "c") && !on(r, "d"));
    }
}
