//! The investigator's report: one self-contained HTML file.
//!
//! The page is a template with inline CSS and JavaScript (`report/`) and the
//! data as JSON in `<script type="application/json">` elements, which the
//! browser parses as plain text and the script reads only when needed:
//!
//! - `#data`: the overview — counts, every document's metadata and every
//!   story's label, size and date (parsed on load);
//! - `#s{N}`, one per story of two or more documents: its texts,
//!   boilerplate spans, pairs with passages, and provenance (parsed when the
//!   story is opened).
//!
//! Nothing is fetched: no script, style sheet, image or font comes from
//! anywhere but the file itself. Views are addressed by the URL fragment
//! (`#/`, `#/story/N`, `#/compare/N/A/B`), so a view can be cited by link.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::{DocumentLine, PairLine, Passage, ProvenanceLine};

/// The `#data` element: counts, every document, every story.
#[derive(Serialize)]
pub struct Overview<'a> {
    pub summary: OverviewCounts<'a>,
    /// Clusters named by document number.
    pub documents: Vec<DocumentLine<u32>>,
    pub stories: Vec<StoryMeta<'a>>,
}

/// `summary` of the overview.
#[derive(Serialize)]
pub struct OverviewCounts<'a> {
    pub documents: usize,
    pub stories: usize,
    /// Stories of two or more documents.
    pub multi_stories: usize,
    pub clusters: usize,
    pub relations: &'a BTreeMap<String, usize>,
}

/// A story in the overview.
#[derive(Serialize)]
pub struct StoryMeta<'a> {
    pub story: u32,
    pub size: usize,
    pub first_seen: Option<&'a str>,
    pub label: &'a str,
    /// Member numbers.
    pub documents: &'a [u32],
}

/// A `#sN` element: one story's texts, pairs and provenance.
#[derive(Serialize)]
pub struct StoryPayload<'a> {
    pub texts: Texts<'a>,
    pub pairs: Vec<ReportPair>,
    pub provenance: Option<ReportProvenance>,
}

/// A story's texts by document number (a JSON object keyed `"N"`, in
/// member order).
pub struct Texts<'a>(pub Vec<(u32, ReportText<'a>)>);

impl Serialize for Texts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (d, text) in &self.0 {
            map.serialize_entry(&d.to_string(), text)?;
        }
        map.end()
    }
}

/// A text of the report, borrowed, with its boilerplate spans (characters).
#[derive(Serialize)]
pub struct ReportText<'a> {
    pub text: &'a str,
    pub boilerplate: Vec<[usize; 2]>,
}

/// A pair of the report: the pair, then its passages (no byte offsets).
#[derive(Serialize)]
pub struct ReportPair {
    #[serde(flatten)]
    pub pair: PairLine<u32>,
    pub passages: Vec<Passage>,
}

/// A story's provenance: its documents in date order, and the edges.
#[derive(Serialize)]
pub struct ReportProvenance {
    pub order: Vec<OrderEntry>,
    pub edges: Vec<ProvenanceLine<u32>>,
}

/// A document in a provenance order.
#[derive(Serialize)]
pub struct OrderEntry {
    pub doc: u32,
}

const TEMPLATE: &str = include_str!("report/report.html");
const STYLE: &str = include_str!("report/report.css");
const SCRIPT: &str = include_str!("report/report.js");

/// Writes `value` as JSON that is safe inside a `<script>` element: `</`
/// and `<!--` cannot end or open anything (`<\/` is the same string in JSON).
fn write_script_json<W: Write, T: Serialize + ?Sized>(w: &mut W, value: &T) -> io::Result<()> {
    let json = serde_json::to_string(value).map_err(io::Error::other)?;
    let mut rest = json.as_str();
    while let Some(at) = rest.find('<') {
        w.write_all(&rest.as_bytes()[..at])?;
        w.write_all(b"\\u003c")?;
        rest = &rest[at + 1..];
    }
    w.write_all(rest.as_bytes())
}

/// Writes the report. `overview` is the `#data` object; `stories` yields,
/// for every story of two or more documents, its number and its payload.
pub fn write_report<W: Write, O: Serialize, P: Serialize>(
    mut w: W,
    title: &str,
    overview: &O,
    stories: impl IntoIterator<Item = (u32, P)>,
) -> io::Result<()> {
    let (head, tail) = TEMPLATE.split_once("{{BODY}}").expect("the template has a body marker");
    let head = head.replace("{{TITLE}}", &escape_html(title)).replace("{{STYLE}}", STYLE);
    w.write_all(head.as_bytes())?;
    w.write_all(b"<script type=\"application/json\" id=\"data\">")?;
    write_script_json(&mut w, overview)?;
    w.write_all(b"</script>\n")?;
    for (story, payload) in stories {
        write!(w, "<script type=\"application/json\" id=\"s{story}\">")?;
        write_script_json(&mut w, &payload)?;
        w.write_all(b"</script>\n")?;
    }
    w.write_all(b"<script>\n")?;
    w.write_all(SCRIPT.as_bytes())?;
    w.write_all(b"\n</script>\n")?;
    w.write_all(tail.as_bytes())
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn render(overview: Value, stories: Vec<(u32, Value)>) -> String {
        let mut out = Vec::new();
        write_report(&mut out, "t <&>", &overview, stories).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn data_cannot_close_its_script_element() {
        let html = render(json!({"x": "</script><script>alert(1)</script><!--"}), vec![(3, json!({"t": "</SCRIPT>"}))]);
        // Only the template's own script elements close.
        assert_eq!(html.matches("</script>").count(), 3);
        assert!(!html.contains("<!--"));
        assert!(html.contains("id=\"s3\""));
        // The data still parses to the same value.
        let start = html.find("id=\"data\">").unwrap() + "id=\"data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        let back: Value = serde_json::from_str(&html[start..end]).unwrap();
        assert_eq!(back["x"], "</script><script>alert(1)</script><!--");
        assert!(html.contains("<title>t &lt;&amp;&gt; — reprint report</title>"));
    }

    #[test]
    fn no_external_resources() {
        let html = render(json!({}), vec![]);
        // The SVG namespace is a name, not a resource; nothing else may
        // look like an address.
        let lower = html.to_lowercase().replace("\"http://www.w3.org/2000/svg\"", "");
        for needle in
            ["<link", "src=", "url(", "@import", "http://", "https://", "<img", "<iframe", "fetch(", "xmlhttprequest"]
        {
            assert!(!lower.contains(needle), "the report must not load anything: found {needle:?}");
        }
    }
}
