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
//!
//! # Large reports: a folder
//!
//! A browser parses the whole page before it shows any of it, and one file
//! of hundreds of megabytes (a 40,000-document scan) opens slowly or not at
//! all. Past [`FOLDER_ABOVE_BYTES`] of story data the report is a folder
//! instead ([`write_index`], [`BlockWriter`]): `index.html` holds only the
//! overview, and the stories' data lies in `data/bK.js` files of about
//! [`BLOCK_BYTES`] each, which the page loads with a `<script>` element
//! when a story is opened (a `file:` page may load scripts beside it, but
//! not fetch data). `overview.blocks` maps each story to its file.

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
    /// Folder reports: per story, the number `K` of the `data/bK.js` file
    /// holding its data (`null` for a story of one document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocks: Option<Vec<Option<u32>>>,
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
    /// Its thread (topic).
    pub thread: u32,
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

/// Story data past which a report is a folder (an estimate, see
/// [`estimated_bytes`]): a single file stays under about 20 MB.
pub const FOLDER_ABOVE_BYTES: usize = 16 << 20;

/// Target size of one `data/bK.js` file of a folder report.
pub const BLOCK_BYTES: usize = 4 << 20;

/// An estimate of a story payload's size in the report: its texts, and
/// per pair and per passage their typical JSON size.
pub fn estimated_bytes(text_bytes: usize, pairs: usize, passages: usize) -> usize {
    text_bytes + 400 * pairs + 200 * passages
}

/// Sources a folder report's page may load scripts from: its own files
/// (`'self'` over HTTP; `file:` when opened from disk, which Chromium does
/// not count as `'self'`).
const FOLDER_SCRIPT_SOURCES: &str = " 'self' file:";

fn write_head<W: Write>(w: &mut W, title: &str, folder: bool) -> io::Result<&'static str> {
    let (head, tail) = TEMPLATE.split_once("{{BODY}}").expect("the template has a body marker");
    let head = head
        .replace("{{TITLE}}", &escape_html(title))
        .replace("{{STYLE}}", STYLE)
        .replace("{{SCRIPT_SOURCES}}", if folder { FOLDER_SCRIPT_SOURCES } else { "" });
    w.write_all(head.as_bytes())?;
    Ok(tail)
}

fn write_tail<W: Write>(w: &mut W, tail: &str) -> io::Result<()> {
    w.write_all(b"<script>\n")?;
    w.write_all(SCRIPT.as_bytes())?;
    w.write_all(b"\n</script>\n")?;
    w.write_all(tail.as_bytes())
}

/// Writes a folder report's `index.html`: the overview (whose `blocks`
/// name the data files) and the script, no story data.
pub fn write_index<W: Write, O: Serialize>(mut w: W, title: &str, overview: &O) -> io::Result<()> {
    let tail = write_head(&mut w, title, true)?;
    w.write_all(b"<script type=\"application/json\" id=\"data\">")?;
    write_script_json(&mut w, overview)?;
    w.write_all(b"</script>\n")?;
    write_tail(&mut w, tail)
}

/// Groups story payloads into the `data/bK.js` files of a folder report:
/// each file is `reprintBlock({"N": payload, ...});`, about
/// [`BLOCK_BYTES`] long (a single larger story gets a file of its own).
#[derive(Default)]
pub struct BlockWriter {
    buffer: Vec<u8>,
    stories: usize,
    blocks: u32,
}

impl BlockWriter {
    /// Adds story `story`; returns the number of its block. `flush` is
    /// called with each full block's number and bytes.
    pub fn add<P: Serialize>(
        &mut self,
        story: u32,
        payload: &P,
        flush: &mut impl FnMut(u32, &[u8]) -> io::Result<()>,
    ) -> io::Result<u32> {
        let json = serde_json::to_vec(payload).map_err(io::Error::other)?;
        if self.stories > 0 && self.buffer.len() + json.len() > BLOCK_BYTES {
            self.finish_block(flush)?;
        }
        self.buffer.extend_from_slice(if self.stories == 0 { b"reprintBlock({" } else { b",\n" });
        write!(self.buffer, "\"{story}\":")?;
        self.buffer.extend_from_slice(&json);
        self.stories += 1;
        Ok(self.blocks)
    }

    fn finish_block(&mut self, flush: &mut impl FnMut(u32, &[u8]) -> io::Result<()>) -> io::Result<()> {
        self.buffer.extend_from_slice(b"});\n");
        flush(self.blocks, &self.buffer)?;
        self.buffer.clear();
        self.stories = 0;
        self.blocks += 1;
        Ok(())
    }

    /// Writes the last block; returns how many there are.
    pub fn finish(mut self, flush: &mut impl FnMut(u32, &[u8]) -> io::Result<()>) -> io::Result<u32> {
        if self.stories > 0 {
            self.finish_block(flush)?;
        }
        Ok(self.blocks)
    }
}

/// Writes the report. `overview` is the `#data` object; `stories` yields,
/// for every story of two or more documents, its number and its payload.
pub fn write_report<W: Write, O: Serialize, P: Serialize>(
    mut w: W,
    title: &str,
    overview: &O,
    stories: impl IntoIterator<Item = (u32, P)>,
) -> io::Result<()> {
    let tail = write_head(&mut w, title, false)?;
    w.write_all(b"<script type=\"application/json\" id=\"data\">")?;
    write_script_json(&mut w, overview)?;
    w.write_all(b"</script>\n")?;
    for (story, payload) in stories {
        write!(w, "<script type=\"application/json\" id=\"s{story}\">")?;
        write_script_json(&mut w, &payload)?;
        w.write_all(b"</script>\n")?;
    }
    write_tail(&mut w, tail)
}

/// Writes the `report.html` of a folder report: a page that leads to the
/// folder's index (`target`, relative), so the report has the same name
/// whatever its size.
pub fn write_redirect<W: Write>(mut w: W, title: &str, target: &str) -> io::Result<()> {
    let (title, target) = (escape_html(title), escape_html(target));
    write!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n<title>{title} — reprint report</title>\n\
         </head>\n<body>\n<p>This report is a folder: open <a href=\"{target}\">{target}</a>.</p>\n</body>\n</html>\n"
    )
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
    fn blocks_hold_whole_stories_and_parse_back() {
        let mut files: Vec<(u32, Vec<u8>)> = Vec::new();
        let mut flush = |k: u32, bytes: &[u8]| {
            files.push((k, bytes.to_vec()));
            Ok(())
        };
        let mut w = BlockWriter::default();
        let big = "x".repeat(BLOCK_BYTES / 3);
        let mut blocks = Vec::new();
        for story in 0..7u32 {
            blocks.push(w.add(story, &json!({"text": big, "n": story, "bad": "</script>"}), &mut flush).unwrap());
        }
        let count = w.finish(&mut flush).unwrap();
        // Three stories of a third of a block fit in none but the last
        // block alone: 2 + 2 + 2 + 1.
        assert_eq!(blocks, vec![0, 0, 1, 1, 2, 2, 3]);
        assert_eq!(count, 4);
        assert_eq!(files.iter().map(|f| f.0).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
        for (k, bytes) in &files {
            let text = std::str::from_utf8(bytes).unwrap();
            let inner = text.strip_prefix("reprintBlock(").unwrap().strip_suffix(");\n").unwrap();
            let value: Value = serde_json::from_str(inner).unwrap();
            let stories: Vec<u32> = value.as_object().unwrap().keys().map(|s| s.parse().unwrap()).collect();
            for s in &stories {
                assert_eq!(blocks[*s as usize], *k);
                assert_eq!(value[s.to_string()]["n"], *s);
            }
            assert!(bytes.len() <= BLOCK_BYTES + 100, "block {k}: {} bytes", bytes.len());
        }
    }

    #[test]
    fn folder_index_loads_only_its_own_files() {
        let mut out = Vec::new();
        write_index(&mut out, "t", &json!({"blocks": [0, null]})).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("script-src 'unsafe-inline' 'self' file:;"));
        assert!(!html.contains("{{"));
        let single = render(json!({}), vec![]);
        assert!(single.contains("script-src 'unsafe-inline';"));
        let mut out = Vec::new();
        write_redirect(&mut out, "a <b>", "report/index.html").unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.contains("url=report/index.html") && page.contains("a &lt;b&gt;"));
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
