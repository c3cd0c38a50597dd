//! Records: one document with its id, text and metadata, parsed from a raw
//! item. Parsing failures are [`Problem`]s naming file and line.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::html::html_to_text;
use crate::input::{io_reason, Format, InputFile};
use crate::{Location, Problem};

/// Which JSON fields hold the text and the id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    pub text: String,
    pub id: String,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields { text: "text".into(), id: "id".into() }
    }
}

/// One document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    pub id: String,
    /// The text matched on (for HTML, the page's text).
    pub text: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// Invalid UTF-8 was replaced with U+FFFD.
    pub lossy: bool,
    /// For file documents: the record `{"id","text"}` with the file's
    /// original content, as written to `kept.jsonl`. JSON Lines records keep
    /// their original line instead.
    pub raw_json: Option<Vec<u8>>,
}

/// The fields of one JSON object that reprint uses.
#[derive(Default)]
struct Parsed {
    text: Option<String>,
    id: Option<String>,
    title: Option<String>,
    date: Option<String>,
    url: Option<String>,
    source: Option<String>,
}

struct RecordSeed<'f>(&'f Fields);

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Parsed;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Parsed, D::Error> {
        deserializer.deserialize_map(self)
    }
}

/// A metadata value as a string: strings as they are, other values as JSON.
fn value_string(v: Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// An id as a string: a string as it is, a number as written (so that
/// `12345678901234567890123` or `1e3` stay what they are instead of going
/// through a float), anything else as compact JSON; `null` is no id.
fn id_string<E: de::Error>(raw: &RawValue) -> Result<Option<String>, E> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(text).map(Some).map_err(E::custom),
        Some(b'-' | b'0'..=b'9') => Ok(Some(text.to_string())),
        _ => Ok(value_string(serde_json::from_str(text).map_err(E::custom)?)),
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let mut p = Parsed::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.0.text.as_str() {
                let text: Value = map.next_value()?;
                match text {
                    Value::String(s) => p.text = Some(s),
                    other => {
                        return Err(de::Error::custom(format!(
                            "field \"{}\" is not a string (it is {})",
                            self.0.text,
                            kind(&other)
                        )))
                    }
                }
            } else if key == self.0.id.as_str() {
                p.id = id_string(map.next_value::<&RawValue>()?)?;
            } else {
                match key.as_ref() {
                    "title" => p.title = value_string(map.next_value()?),
                    "date" => p.date = value_string(map.next_value()?),
                    "url" => p.url = value_string(map.next_value()?),
                    "source" => p.source = value_string(map.next_value()?),
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }
        Ok(p)
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// How deeply JSON values may nest (`serde_json`'s limit, which keeps the
/// parser's stack bounded).
pub const MAX_DEPTH: usize = 128;

/// Field names listed in a "no field" reason, at most.
const FIELDS_LISTED: usize = 12;

/// The reason for a record without the text field: names the fields it has,
/// so that a wrong `--text-field` shows the right one. See
/// [`missing_field`] for the way back.
fn missing_field_reason(field: &str, line: &str) -> String {
    let keys = keys_of(line);
    if keys.is_empty() {
        return format!("no \"{field}\" field; the record has no fields");
    }
    format!("no \"{field}\" field; the record has: {}", list_fields(keys.iter().map(String::as_str)))
}

/// Field names for a message: each cut at 40 characters, at most
/// [`FIELDS_LISTED`] of them, then `…`.
pub fn list_fields<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut out = Vec::new();
    for (i, name) in names.enumerate() {
        if i == FIELDS_LISTED {
            out.push("…".to_string());
            break;
        }
        let mut short: String = name.chars().take(40).collect();
        if short.len() < name.len() {
            short.push('…');
        }
        out.push(short);
    }
    out.join(", ")
}

/// For a reason made by [`parse_line`] for a record without the text field:
/// that field and the fields the record has (as listed: at most
/// [`FIELDS_LISTED`], long names cut).
pub fn missing_field(reason: &str) -> Option<(&str, Vec<&str>)> {
    let rest = reason.strip_prefix("no \"")?;
    let (field, rest) = rest.split_once("\" field; the record has")?;
    let fields = match rest.strip_prefix(": ") {
        Some(list) => list.split(", ").filter(|f| *f != "…").collect(),
        None => Vec::new(),
    };
    Some((field, fields))
}

/// The keys of a JSON object, in order (values skipped); none if the line is
/// not one.
fn keys_of(line: &str) -> Vec<String> {
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
            let mut keys: Vec<String> = Vec::new();
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                map.next_value::<IgnoredAny>()?;
                if !keys.iter().any(|k| *k == key) {
                    keys.push(key.into_owned());
                }
            }
            Ok(keys)
        }
    }
    let mut de = serde_json::Deserializer::from_str(line);
    de::Deserializer::deserialize_map(&mut de, Keys).unwrap_or_default()
}

/// Why a line is not a record, in words.
fn json_reason(e: &serde_json::Error, line: &str) -> String {
    let line_len = line.len();
    let object = line.trim_start().starts_with('{');
    let message = e.to_string();
    // serde_json appends " at line L column C"; keep the column only.
    let core = message.split(" at line ").next().unwrap_or(&message).to_string();
    if core == "recursion limit exceeded" {
        return format!("JSON nested more than {MAX_DEPTH} levels deep (at column {})", e.column());
    }
    match e.classify() {
        serde_json::error::Category::Eof => {
            format!("truncated JSON record (ends after {line_len} bytes while parsing)")
        }
        serde_json::error::Category::Syntax if !object => format!("not JSON: {core}"),
        _ if !object => format!("not a JSON object: {core}"),
        _ => format!("invalid JSON record: {core} at column {}", e.column()),
    }
}

/// Parses one JSON Lines line. `Ok(None)` for a blank line.
pub fn parse_line(bytes: &[u8], fields: &Fields, location: &Location) -> Result<Option<Record>, Problem> {
    let problem = |reason: String| Problem { location: location.clone(), reason };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let (text, lossy) = match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), false),
        Err(_) => (String::from_utf8_lossy(bytes), true),
    };
    let mut de = serde_json::Deserializer::from_str(&text);
    let parsed = RecordSeed(fields).deserialize(&mut de).map_err(|e| problem(json_reason(&e, &text)))?;
    de.end().map_err(|e| problem(format!("trailing data after the JSON record at column {}", e.column())))?;
    let Some(body) = parsed.text else {
        return Err(problem(missing_field_reason(&fields.text, &text)));
    };
    let id = parsed.id.unwrap_or_else(|| location.to_string());
    Ok(Some(Record {
        id,
        text: body,
        title: parsed.title,
        date: parsed.date,
        url: parsed.url,
        source: parsed.source,
        lossy,
        raw_json: None,
    }))
}

/// Reads a text or HTML file as one record.
pub fn read_file(input: &InputFile) -> Result<Record, Problem> {
    let location = Location { file: input.display.clone(), line: None };
    let path = input.path.as_ref().expect("files have paths");
    let bytes =
        std::fs::read(path).map_err(|e| Problem { location, reason: format!("cannot read: {}", io_reason(&e)) })?;
    let (content, lossy) = match String::from_utf8(bytes) {
        Ok(s) => (s, false),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
    };
    let raw_json = serde_json::to_vec(&serde_json::json!({ "id": input.id, "text": content })).expect("serializable");
    let text = if input.format == Format::Html { html_to_text(&content) } else { content };
    Ok(Record { id: input.id.clone(), text, lossy, raw_json: Some(raw_json), ..Record::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc() -> Location {
        Location { file: "in.jsonl".into(), line: Some(7) }
    }

    fn check_err(line: &[u8], expected: &str) {
        let e = parse_line(line, &Fields::default(), &loc()).unwrap_err();
        assert!(e.to_string().starts_with("in.jsonl:7: "), "{e}");
        assert!(e.reason.contains(expected), "{:?} should contain {expected:?}", e.reason);
    }

    #[test]
    fn good_records() {
        let r = parse_line(
            br#"{"id":"a","text":"hi","date":"2022-02-05","extra":[1,{"x":2}],"url":null}"#,
            &Fields::default(),
            &loc(),
        )
        .unwrap()
        .unwrap();
        assert_eq!((r.id.as_str(), r.text.as_str(), r.date.as_deref(), r.url), ("a", "hi", Some("2022-02-05"), None));
        let r = parse_line(br#"{"id":17,"text":"x"}"#, &Fields::default(), &loc()).unwrap().unwrap();
        assert_eq!(r.id, "17");
        let r =
            parse_line(br#"{"body":"x"}"#, &Fields { text: "body".into(), id: "id".into() }, &loc()).unwrap().unwrap();
        assert_eq!(r.id, "in.jsonl:7", "no id field: FILE:LINE");
        assert_eq!(parse_line(b"  ", &Fields::default(), &loc()).unwrap(), None);
    }

    #[test]
    fn bad_records() {
        check_err(br#"{"id":"a","text":"cut of"#, "truncated JSON record");
        check_err(b"this is not json", "not JSON");
        check_err(br#"{"id":"a","body":"x"}"#, "no \"text\" field; the record has: id, body");
        check_err(br#"{}"#, "no \"text\" field; the record has no fields");
        check_err(br#"{"id":"a","text":5}"#, "is not a string (it is a number)");
        check_err(br#"["text"]"#, "not a JSON object");
        check_err(br#"{"text" 1}"#, "invalid JSON record: expected `:` at column 9");
        check_err(br#"{"text":"a"} {"text":"b"}"#, "trailing data");
    }

    #[test]
    fn invalid_utf8_is_lossy() {
        let r = parse_line(b"{\"id\":\"a\",\"text\":\"caf\xe9 ok\"}", &Fields::default(), &loc()).unwrap().unwrap();
        assert!(r.lossy);
        assert_eq!(r.text, "caf\u{FFFD} ok");
    }

    #[test]
    fn ids_as_written() {
        let id = |json: &str| parse_line(json.as_bytes(), &Fields::default(), &loc()).unwrap().unwrap().id;
        assert_eq!(id(r#"{"id": 17, "text": "x"}"#), "17");
        assert_eq!(id(r#"{"id": 12345678901234567890123, "text": "x"}"#), "12345678901234567890123");
        assert_eq!(id(r#"{"id": 1e3, "text": "x"}"#), "1e3");
        assert_eq!(id(r#"{"id": -0.50, "text": "x"}"#), "-0.50");
        assert_eq!(id(r#"{"id": "a\"b\u00e9", "text": "x"}"#), "a\"bé");
        assert_eq!(id(r#"{"id": { "n" : [1, true] }, "text": "x"}"#), r#"{"n":[1,true]}"#);
        assert_eq!(id(r#"{"id": null, "text": "x"}"#), "in.jsonl:7");
        let long = "é".repeat(500_000);
        assert_eq!(id(&format!(r#"{{"id": "{long}", "text": "x"}}"#)), long);
    }

    #[test]
    fn deep_nesting_never_overflows_the_stack() {
        let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        // Fields reprint ignores are skipped without recursion: any depth.
        for depth in [MAX_DEPTH + 1, 1_000_000] {
            let line = format!(r#"{{"text": "x", "meta": {}}}"#, nested(depth));
            assert_eq!(parse_line(line.as_bytes(), &Fields::default(), &loc()).unwrap().unwrap().text, "x");
        }
        // Fields it reads (id, title, date, url, source, text) are parsed
        // up to serde_json's depth limit, then reported.
        let line = format!(r#"{{"title": {}, "text": "x"}}"#, nested(MAX_DEPTH - 2));
        assert!(parse_line(line.as_bytes(), &Fields::default(), &loc()).unwrap().is_some());
        for field in ["id", "title", "text"] {
            let line = format!(r#"{{"{field}": {}, "text": "x"}}"#, nested(1_000_000));
            let e = parse_line(line.as_bytes(), &Fields::default(), &loc()).unwrap_err();
            assert!(e.reason.starts_with("JSON nested more than 128 levels deep"), "{field}: {e}");
        }
    }

    #[test]
    fn missing_field_round_trip() {
        let fields = Fields { text: "body".into(), id: "id".into() };
        let many: String = (0..20).map(|i| format!("\"f{i}\": {i}, ")).collect();
        let line = format!("{{{many}\"text\": \"x\"}}");
        let e = parse_line(line.as_bytes(), &fields, &loc()).unwrap_err();
        assert!(e.reason.ends_with("f10, f11, …"), "{e}");
        let (field, seen) = missing_field(&e.reason).unwrap();
        assert_eq!(field, "body");
        assert_eq!(seen.len(), 12);
        assert_eq!(missing_field("not JSON: x"), None);
    }
}
