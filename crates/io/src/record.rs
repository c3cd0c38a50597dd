//! Records: one document with its id, text and metadata, parsed from a raw
//! item. Parsing failures are [`Problem`]s naming file and line.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
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
                p.id = value_string(map.next_value()?);
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

/// Why a line is not a record, in words.
fn json_reason(e: &serde_json::Error, line: &str) -> String {
    let line_len = line.len();
    let object = line.trim_start().starts_with('{');
    let message = e.to_string();
    // serde_json appends " at line L column C"; keep the column only.
    let core = message.split(" at line ").next().unwrap_or(&message).to_string();
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
        return Err(problem(format!("no \"{}\" field", fields.text)));
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
        check_err(br#"{"id":"a","body":"x"}"#, "no \"text\" field");
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
}
