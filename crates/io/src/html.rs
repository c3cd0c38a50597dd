//! The text of an HTML page: tags dropped, the contents of `script`,
//! `style`, `noscript`, `template`, `svg` and comments dropped, character
//! references decoded, block elements on lines of their own, runs of spaces
//! collapsed. This is text extraction, not main-content extraction: page
//! furniture (menus, footers) stays in.

use reprint_core::entity::decode_entity;

/// Elements whose contents are not text.
const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe", "object"];

/// Elements that start a new line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "ul",
];

/// Extracts the text of an HTML document.
pub fn html_to_text(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() / 2);
    let mut i = 0;
    let mut pending_space = false;
    let mut newlines = 2; // at the start, no leading blank line
    let push_text = |out: &mut String, c: char, pending_space: &mut bool, newlines: &mut usize| {
        if c.is_whitespace() {
            *pending_space = true;
            return;
        }
        if *pending_space && *newlines == 0 {
            out.push(' ');
        }
        *pending_space = false;
        *newlines = 0;
        out.push(c);
    };
    let newline = |out: &mut String, pending_space: &mut bool, newlines: &mut usize| {
        // Blocks are paragraphs: a blank line between them.
        while *newlines < 2 {
            out.push('\n');
            *newlines += 1;
        }
        *pending_space = false;
    };
    let mut no_close_from = usize::MAX;
    while i < bytes.len() {
        let b = bytes[i];
        let starts_tag = bytes.get(i + 1).is_some_and(|&n| n.is_ascii_alphabetic() || matches!(n, b'/' | b'!' | b'?'));
        if b == b'<' && starts_tag {
            if bytes[i..].starts_with(b"<!--") {
                i = find(bytes, i + 4, b"-->").map_or(bytes.len(), |e| e + 3);
                continue;
            }
            // Once no `>` follows some position, none follows any later one:
            // remembering it keeps a page of stray `<a` linear (found by
            // fuzzing: 2 MB of them took 28 s).
            let close = if i < no_close_from { memchr(b'>', bytes, i) } else { None };
            let Some(close) = close else {
                no_close_from = no_close_from.min(i);
                // A stray `<` without a tag: keep it as text.
                push_text(&mut out, '<', &mut pending_space, &mut newlines);
                i += 1;
                continue;
            };
            let tag = &html[i + 1..close];
            let name = tag_name(tag);
            i = close + 1;
            if name.is_empty() {
                continue;
            }
            let closing = tag.starts_with('/');
            if !closing && SKIPPED.contains(&name.as_str()) && !tag.ends_with('/') {
                let end_tag = format!("</{name}");
                i = find_ci(bytes, i, end_tag.as_bytes())
                    .map(|e| memchr(b'>', bytes, e).map_or(bytes.len(), |g| g + 1))
                    .unwrap_or(bytes.len());
                continue;
            }
            if BLOCKS.contains(&name.as_str()) {
                newline(&mut out, &mut pending_space, &mut newlines);
            }
            continue;
        }
        if b == b'&' {
            if let Some((c, len)) = decode_entity(bytes, i) {
                push_text(&mut out, c, &mut pending_space, &mut newlines);
                i += len;
                continue;
            }
        }
        let c = html[i..].chars().next().expect("in bounds");
        push_text(&mut out, c, &mut pending_space, &mut newlines);
        i += c.len_utf8();
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

fn tag_name(tag: &str) -> String {
    let t = tag.trim_start_matches('/');
    t.chars().take_while(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

fn memchr(needle: u8, bytes: &[u8], from: usize) -> Option<usize> {
    ::memchr::memchr(needle, &bytes[from..]).map(|p| p + from)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    ::memchr::memmem::find(&bytes[from..], needle).map(|p| p + from)
}

fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes[from..].windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, expected: &str) {
        assert_eq!(html_to_text(html), expected, "{html}");
    }

    #[test]
    fn extraction() {
        check("<p>Hello <b>world</b></p><p>Two</p>", "Hello world\n\nTwo");
        check("<script>var x = '<p>';</script><STYLE>p{}</STYLE>Text", "Text");
        check("a<!-- hidden -->b", "ab");
        check("Tom &amp; Jerry&rsquo;s &#8220;x&#8221;", "Tom & Jerry\u{2019}s \u{201C}x\u{201D}");
        check("1 < 2 and 3>2", "1 < 2 and 3>2");
        check("<div>\n  spaced   out \n</div>", "spaced out");
        check("line<br>break<br/>again", "line\n\nbreak\n\nagain");
        check("<svg><text>no</text></svg>yes", "yes");
        check("", "");
    }

    #[test]
    fn stray_tag_openings_stay_text() {
        check("a <b then <i and no closing", "a <b then <i and no closing");
        check("<p>x</p> <a <b", "x\n\n<a <b");
        // Many of them (once quadratic): every one kept, in order.
        let page = "<a".repeat(100_000);
        assert_eq!(html_to_text(&page), page);
    }
}
