//! Dates: the publication date of a document, from its metadata or its text.
//!
//! [`parse_date`] reads the date strings found in metadata (feeds, JSON
//! records, HTML `<meta>` tags); [`date_in_text`] finds the date a page
//! states about itself ("Published: Feb. 5, 2022", a date line under the
//! title, a dateline). Both give a [`Date`], a day of the Gregorian calendar
//! with no time and no time zone: the calendar date as written, in the
//! writer's time zone (`2022-02-05T23:30:00-05:00` is 2022-02-05).
//!
//! # Formats
//!
//! - `2022-02-05`, `2022/02/05`, `2022.02.05`, `2022-2-5`;
//! - with a time after it: RFC 3339 `2022-02-05T10:00:00Z`,
//!   `2022-02-05 10:00:00+09:00`, RFC 2822 `Sat, 05 Feb 2022 10:00:00 +0000`;
//! - `02/07/2022`, `02-07-2022`: month/day/year (US order), or day/month/year
//!   when the first number is above 12;
//! - `05.02.2022`: day.month.year (European order);
//! - `February 5, 2022`, `Feb. 5, 2022`, `Feb 5 2022`, `February 5th, 2022`;
//! - `5 February 2022`, `05 Feb 2022`, `5th of February, 2022`, `05-Feb-2022`;
//! - `20220205`;
//! - any of the named-month forms after a weekday (`Saturday, February 5,
//!   2022`, `Sat, 05 Feb 2022`); the weekday is not checked.
//!
//! Years must have four digits and lie within [`MIN_YEAR`]`..=`[`MAX_YEAR`];
//! a date without a year is no date (years are never guessed), and so are
//! impossible days (`2022-02-30`, `2023-02-29`). English month names only.

use std::fmt;

use crate::words::{MONTHS, WEEKDAYS};

/// Where a document's date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateSource {
    Metadata,
    Text,
}

impl DateSource {
    /// The name in the wire format (`date_source`).
    pub fn name(self) -> &'static str {
        match self {
            DateSource::Metadata => "metadata",
            DateSource::Text => "text",
        }
    }
}

/// Earliest year accepted from a text or metadata string.
pub const MIN_YEAR: i32 = 1800;
/// Latest year accepted from a text or metadata string.
pub const MAX_YEAR: i32 = 2200;

/// A day of the (proleptic) Gregorian calendar. Orders chronologically;
/// displays as `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to the length of the month.
    pub day: u8,
}

impl Date {
    /// The date, if `month` and `day` exist in `year` (February 29 only in
    /// leap years). Any year is accepted here; parsing limits years to
    /// [`MIN_YEAR`]`..=`[`MAX_YEAR`].
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// Days since 1970-01-01 (negative before it): the difference of two
    /// dates' `days()` is the number of days between them.
    pub fn days(&self) -> i64 {
        // Howard Hinnant's `days_from_civil`: years start in March, so the
        // leap day is the last day of a year.
        let (month, day) = (self.month as i64, self.day as i64);
        let year = self.year as i64 - (month <= 2) as i64;
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` days after 1970-01-01; the inverse of
    /// [`Date::days`] for years that fit in an `i32`.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
        let year = year_of_era + era * 400 + (month <= 2) as i64;
        Date { year: year as i32, month: month as u8, day: day as u8 }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date from a metadata string: the whole string (trimmed) must be a date
/// in one of the [formats](self#formats), optionally followed by a time of
/// day and anything after it (`T10:00:00Z`, ` 10:00:00 +0000`).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let (date, end) = date_at(s.as_bytes(), 0)?;
    let rest = &s.as_bytes()[end..];
    (rest.is_empty() || time_follows(rest)).then_some(date)
}

/// The publication date a page states, with its byte range in `text`.
///
/// 1. A **labelled** date, the first one in the text: a label (`Date`,
///    `Date Created`, `Published`, `Published on`, `Posted`, `Posted by …
///    on`, `Updated`, `Last updated`, `Dateline` …, in any case) followed on
///    the same line by a date; or a label alone on its line (a heading such
///    as `### Date Created`) and a date line right after it. A label counts
///    at the start of a line, after a separator (`|`, `·`, `-`, `(` …) or
///    when capitalized, so that prose ("the page was updated on …") does
///    not.
/// 2. Else a **date line** among the first ten lines that are not blank: a
///    date at the start of a line, after a byline (`By Jane Doe | `, `Jane
///    Doe · `) or a dateline city (`WASHINGTON, `), followed by nothing, a
///    time, a bracket or separator (`(Reuters) -`), or a few words without
///    a period (`3 min read`).
/// 3. Else none. A date inside the prose of the article ("troops crossed on
///    February 24, 2022, …") is never taken, nor a date without a year.
pub fn date_in_text(text: &str) -> Option<(Date, usize, usize)> {
    labelled_date(text).or_else(|| date_line_near_start(text))
}

/// Label words, longest first where one label begins another.
const LABELS: &[&[&str]] = &[
    &["date", "created"],
    &["date", "published"],
    &["date", "posted"],
    &["publication", "date"],
    &["published", "date"],
    &["first", "published"],
    &["last", "updated"],
    &["published"],
    &["posted"],
    &["updated"],
    &["dateline"],
    &["dated"],
    &["date"],
    &["created"],
];

/// Characters that may stand before a label at the start of a line
/// (Markdown and table markup).
fn is_markup(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'#' | b'*' | b'_' | b'>' | b'-' | b'|' | b'[' | b'(' | b'\r')
}

/// Bytes between a label and its date.
fn is_label_separator(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b':' | b'-' | b'|' | b'*' | b'_' | b'#' | b'=' | b'\r')
}

fn labelled_date(text: &str) -> Option<(Date, usize, usize)> {
    let bytes = text.as_bytes();
    let mut line_start = 0;
    while line_start < bytes.len() {
        let line_end = line_end(bytes, line_start);
        for i in line_start..line_end {
            let b = bytes[i];
            if !matches!(b.to_ascii_lowercase(), b'c' | b'd' | b'f' | b'l' | b'p' | b'u')
                || (i > line_start && is_word_byte(bytes[i - 1]))
            {
                continue;
            }
            let Some(label_end) = LABELS.iter().find_map(|label| match_label(bytes, i, line_end, label)) else {
                continue;
            };
            if !label_may_start(text, line_start, i) {
                continue;
            }
            if let Some(found) = date_after_label(text, label_end, line_end) {
                return Some(found);
            }
        }
        line_start = line_end + 1;
    }
    None
}

/// Whether a label at `at` stands where labels stand: at the start of its
/// line (after markup), after a separator, or capitalized.
fn label_may_start(text: &str, line_start: usize, at: usize) -> bool {
    let before = &text[line_start..at];
    text.as_bytes()[at].is_ascii_uppercase()
        || before.bytes().all(is_markup)
        || before.trim_end().ends_with(['|', '-', '(', '[', ',', ';', '·', '•', '–', '—'])
}

/// The end of `label` if its words start at `at` (any case, separated by
/// spaces) and end a word.
fn match_label(bytes: &[u8], at: usize, line_end: usize, label: &[&str]) -> Option<usize> {
    let mut p = at;
    for (k, word) in label.iter().enumerate() {
        if k > 0 {
            let spaces = skip_spaces(bytes, p, line_end);
            if spaces == p {
                return None;
            }
            p = spaces;
        }
        let end = p + word.len();
        if end > line_end || !bytes[p..end].eq_ignore_ascii_case(word.as_bytes()) {
            return None;
        }
        p = end;
    }
    (p == line_end || !is_word_byte(bytes[p])).then_some(p)
}

/// The date following a label that ends at `from` on a line ending at
/// `line_end`: on the same line, or on the next non-blank line when the
/// label is alone on its line.
fn date_after_label(text: &str, from: usize, line_end: usize) -> Option<(Date, usize, usize)> {
    let bytes = text.as_bytes();
    let mut p = from;
    loop {
        p = skip_while(bytes, p, line_end, is_label_separator);
        let word_end = skip_while(bytes, p, line_end, |b| b.is_ascii_alphabetic());
        let word = &bytes[p..word_end];
        if word.eq_ignore_ascii_case(b"on") || word.eq_ignore_ascii_case(b"at") {
            p = word_end;
        } else if word.eq_ignore_ascii_case(b"by") {
            // "Posted by Jane Doe on Feb. 5, 2022": the date after " on ".
            let window = &bytes[word_end..line_end.min(word_end + 80)];
            let on = window.windows(4).position(|w| w.eq_ignore_ascii_case(b" on "))?;
            p = word_end + on + 4;
        } else {
            break;
        }
    }
    if p == line_end {
        // A label alone on its line: the next line that is not blank.
        let mut next = line_end + 1;
        while next < bytes.len() {
            let end = self::line_end(bytes, next);
            if !text[next..end].trim().is_empty() {
                return date_line(text, next, end);
            }
            next = end + 1;
        }
        return None;
    }
    let (date, end) = date_at(bytes, p)?;
    Some((date, p, end))
}

/// Lines examined for a date line.
const NEAR_START_LINES: usize = 10;

fn date_line_near_start(text: &str) -> Option<(Date, usize, usize)> {
    let bytes = text.as_bytes();
    let mut line_start = 0;
    let mut lines = 0;
    while line_start < bytes.len() && lines < NEAR_START_LINES {
        let end = line_end(bytes, line_start);
        if !text[line_start..end].trim().is_empty() {
            lines += 1;
            if let Some(found) = date_line(text, line_start, end) {
                return Some(found);
            }
        }
        line_start = end + 1;
    }
    None
}

/// Where on a line the date of a date line may start, in bytes.
const DATE_LINE_PREFIX: usize = 80;

/// The date of the line `start..end` if the line is a date line: the first
/// date in its first 80 bytes, with only markup, a byline or a dateline city
/// before it and nothing much after it.
fn date_line(text: &str, start: usize, end: usize) -> Option<(Date, usize, usize)> {
    let bytes = text.as_bytes();
    let limit = end.min(start + DATE_LINE_PREFIX);
    let (date, date_start, date_end) = (start..limit)
        .filter(|&i| bytes[i].is_ascii_alphanumeric() && (i == start || !is_word_byte(bytes[i - 1])))
        .find_map(|i| date_at(bytes, i).map(|(d, e)| (d, i, e)))?;
    let prefix = text[start..date_start].trim_start_matches(|c: char| c.is_ascii() && is_markup(c as u8)).trim_end();
    let prefix_ok = prefix.is_empty() || {
        let words = prefix.split_whitespace().count();
        let by = prefix.get(..3).is_some_and(|start| start.eq_ignore_ascii_case("by "));
        words <= 8
            && match prefix.chars().next_back() {
                Some(',') => by || !prefix.chars().any(char::is_lowercase),
                Some('|' | '·' | '•' | '-' | '–' | '—' | ':' | '/') => true,
                _ => false,
            }
    };
    if !prefix_ok {
        return None;
    }
    let suffix = text[date_end..end].trim();
    let suffix_ok = suffix.is_empty()
        || time_follows(suffix.as_bytes())
        || suffix.starts_with(['(', '[', '|', '·', '•', '-', '–', '—'])
        || (suffix.split_whitespace().count() <= 4 && !suffix.ends_with(['.', '!', '?']));
    suffix_ok.then_some((date, date_start, date_end))
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |n| from + n)
}

/// Letters, digits, and bytes of non-ASCII characters (which may be letters).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

fn skip_while(bytes: &[u8], from: usize, end: usize, keep: impl Fn(u8) -> bool) -> usize {
    from + bytes[from..end].iter().take_while(|&&b| keep(b)).count()
}

/// Skips spaces, tabs and no-break spaces.
fn skip_spaces(bytes: &[u8], mut p: usize, end: usize) -> usize {
    loop {
        match bytes.get(p..end) {
            Some([b' ' | b'\t', ..]) => p += 1,
            Some([0xC2, 0xA0, ..]) => p += 2,
            _ => return p,
        }
    }
}

/// Whether a time of day (`10:00`, `T10:00:00Z`, `, at 9:30 am`) starts
/// `rest`.
fn time_follows(rest: &[u8]) -> bool {
    let mut p = skip_while(rest, 0, rest.len(), |b| matches!(b, b'T' | b't' | b' ' | b'\t' | b','));
    if rest[p..].len() >= 3 && rest[p..p + 3].eq_ignore_ascii_case(b"at ") {
        p = skip_spaces(rest, p + 3, rest.len());
    }
    let Some((_, hour_digits, colon)) = number(rest, p) else { return false };
    (1..=2).contains(&hour_digits)
        && rest.get(colon) == Some(&b':')
        && number(rest, colon + 1).is_some_and(|(_, digits, _)| digits == 2)
}

/// The run of ASCII digits at `p` (at most 9 are read): value, number of
/// digits, end.
fn number(bytes: &[u8], p: usize) -> Option<(u32, usize, usize)> {
    let digits = bytes.get(p..)?.iter().take(10).take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let value = bytes[p..p + digits].iter().fold(0u32, |v, &b| v * 10 + (b - b'0') as u32);
    Some((value, digits, p + digits))
}

/// The ASCII word at `p`: its end.
fn word_end(bytes: &[u8], p: usize) -> usize {
    skip_while(bytes, p, bytes.len(), |b| b.is_ascii_alphabetic())
}

/// `word` (any case) is `name` or its abbreviation: its first three letters
/// or more (`Sept`, `Tues`, `Thurs`).
fn abbreviates(word: &[u8], name: &str) -> bool {
    word.len() >= 3 && word.len() <= name.len() && word.eq_ignore_ascii_case(&name.as_bytes()[..word.len()])
}

/// A month name or abbreviation at `p`, with an optional period: the month
/// and the end.
fn month_at(bytes: &[u8], p: usize) -> Option<(u8, usize)> {
    let end = word_end(bytes, p);
    let word = &bytes[p..end];
    let month = MONTHS.iter().position(|m| abbreviates(word, m))?;
    let end = if bytes.get(end) == Some(&b'.') { end + 1 } else { end };
    Some((month as u8 + 1, end))
}

/// A weekday and what follows it up to the date (`Sat, `, `Saturday `).
fn after_weekday(bytes: &[u8], p: usize) -> Option<usize> {
    let end = word_end(bytes, p);
    if !WEEKDAYS.iter().any(|d| abbreviates(&bytes[p..end], d)) {
        return None;
    }
    let after = skip_while(bytes, end, bytes.len(), |b| b == b'.' || b == b',');
    let spaced = skip_spaces(bytes, after, bytes.len());
    (spaced > after).then_some(spaced)
}

/// A day of the month (one or two digits) with an optional ordinal suffix.
fn day_at(bytes: &[u8], p: usize) -> Option<(u32, usize)> {
    let (day, digits, end) = number(bytes, p)?;
    if digits > 2 {
        return None;
    }
    let suffix = word_end(bytes, end);
    let ordinal = &bytes[end..suffix];
    let end = if [&b"st"[..], b"nd", b"rd", b"th"].iter().any(|s| ordinal.eq_ignore_ascii_case(s)) {
        suffix
    } else if ordinal.is_empty() {
        end
    } else {
        return None;
    };
    Some((day, end))
}

/// A four-digit year at `p`.
fn year_at(bytes: &[u8], p: usize) -> Option<(i32, usize)> {
    let (year, digits, end) = number(bytes, p)?;
    (digits == 4).then_some((year as i32, end))
}

/// Skips what separates the parts of a written date: spaces, and commas or
/// one dash or slash. At least one separator is required.
fn separator(bytes: &[u8], p: usize) -> Option<usize> {
    let mut q = skip_spaces(bytes, p, bytes.len());
    if matches!(bytes.get(q), Some(b',' | b'-' | b'/')) {
        q = skip_spaces(bytes, q + 1, bytes.len());
    }
    (q > p).then_some(q)
}

/// The date written at byte `p` of `bytes`, and where it ends. The date
/// must not run on into a letter or digit (but `T` and a digit may follow,
/// as in RFC 3339).
fn date_at(bytes: &[u8], p: usize) -> Option<(Date, usize)> {
    let (year, month, day, end) = numeric_date(bytes, p).or_else(|| {
        let p = after_weekday(bytes, p).unwrap_or(p);
        month_first(bytes, p).or_else(|| day_first(bytes, p))
    })?;
    let runs_on = match bytes.get(end) {
        Some(b'T') => !bytes.get(end + 1).is_some_and(u8::is_ascii_digit),
        Some(&b) => is_word_byte(b) && b < 0x80,
        None => false,
    };
    if runs_on || !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return None;
    }
    Some((Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?)?, end))
}

/// `2022-02-05`, `02/07/2022`, `05.02.2022`, `20220205`.
fn numeric_date(bytes: &[u8], p: usize) -> Option<(i32, u32, u32, usize)> {
    let (first, first_digits, end) = number(bytes, p)?;
    if first_digits == 8 {
        return Some(((first / 10_000) as i32, first / 100 % 100, first % 100, end));
    }
    let separator = *bytes.get(end).filter(|b| matches!(b, b'-' | b'/' | b'.'))?;
    let (second, second_digits, end) = number(bytes, end + 1)?;
    if second_digits > 2 || bytes.get(end) != Some(&separator) {
        return None;
    }
    let (third, third_digits, end) = number(bytes, end + 1)?;
    match (first_digits, third_digits) {
        (4, 1..=2) => Some((first as i32, second, third, end)),
        (1..=2, 4) if separator == b'.' || first > 12 => Some((third as i32, second, first, end)),
        (1..=2, 4) => Some((third as i32, first, second, end)),
        _ => None,
    }
}

/// `February 5, 2022`, `Feb. 5th 2022`.
fn month_first(bytes: &[u8], p: usize) -> Option<(i32, u32, u32, usize)> {
    let (month, end) = month_at(bytes, p)?;
    let (day, end) = day_at(bytes, separator(bytes, end)?)?;
    let (year, end) = year_at(bytes, separator(bytes, end)?)?;
    Some((year, month as u32, day, end))
}

/// `5 February 2022`, `5th of February, 2022`, `05-Feb-2022`.
fn day_first(bytes: &[u8], p: usize) -> Option<(i32, u32, u32, usize)> {
    let (day, end) = day_at(bytes, p)?;
    let mut end = separator(bytes, end)?;
    if bytes.get(end..end + 3).is_some_and(|w| w.eq_ignore_ascii_case(b"of ")) {
        end = skip_spaces(bytes, end + 3, bytes.len());
    }
    let (month, end) = month_at(bytes, end)?;
    let (year, end) = year_at(bytes, separator(bytes, end)?)?;
    Some((year, month as u32, day, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u8, day: u8) -> Date {
        Date::new(year, month, day).expect("a valid date")
    }

    fn check_parse(s: &str, expected: Option<&str>) {
        assert_eq!(parse_date(s).map(|d| d.to_string()).as_deref(), expected, "parse_date({s:?})");
    }

    /// `expected`: the date and the text it was read from.
    fn check_text(text: &str, expected: Option<(&str, &str)>) {
        let found = date_in_text(text).map(|(d, start, end)| (d.to_string(), &text[start..end]));
        assert_eq!(found.as_ref().map(|(d, s)| (d.as_str(), *s)), expected, "date_in_text({text:?})");
    }

    #[test]
    fn parse_valid() {
        for (s, expected) in [
            ("2022-02-05", "2022-02-05"),
            ("  2022-02-05\n", "2022-02-05"),
            ("2022-2-5", "2022-02-05"),
            ("2022/02/05", "2022-02-05"),
            ("2022.02.05", "2022-02-05"),
            ("2022-02-05T10:00:00Z", "2022-02-05"),
            ("2022-02-05T23:30:00.123-05:00", "2022-02-05"),
            ("2022-02-05 10:00:00+09:00", "2022-02-05"),
            ("Sat, 05 Feb 2022 10:00:00 +0000", "2022-02-05"),
            ("05 Feb 2022 10:00 GMT", "2022-02-05"),
            ("02/07/2022", "2022-02-07"),
            ("02-07-2022", "2022-02-07"),
            ("13/07/2022", "2022-07-13"),
            ("05.02.2022", "2022-02-05"),
            ("5.2.2022", "2022-02-05"),
            ("February 5, 2022", "2022-02-05"),
            ("february 5 2022", "2022-02-05"),
            ("Feb. 5, 2022", "2022-02-05"),
            ("Sept. 30, 2021", "2021-09-30"),
            ("February 5th, 2022", "2022-02-05"),
            ("Saturday, February 5, 2022", "2022-02-05"),
            ("5 February 2022", "2022-02-05"),
            ("5th of February, 2022", "2022-02-05"),
            ("05-Feb-2022", "2022-02-05"),
            ("20220205", "2022-02-05"),
            ("2024-02-29", "2024-02-29"),
            ("2000-02-29", "2000-02-29"),
            ("1800-01-01", "1800-01-01"),
            ("2200-12-31", "2200-12-31"),
            ("February 5, 2022, at 9:30 am", "2022-02-05"),
        ] {
            check_parse(s, Some(expected));
        }
    }

    #[test]
    fn parse_invalid() {
        for s in [
            "",
            "2022",
            "today",
            "2022-02-30",
            "2023-02-29",
            "1900-02-29",
            "2022-13-01",
            "2022-00-10",
            "2022-02-00",
            "13/13/2022",
            "02/07/22",
            "1799-12-31",
            "2201-01-01",
            "February 30, 2022",
            "Feb 5",
            "February 2022",
            "5 Febtember 2022",
            "20221305",
            "12022-02-05",
            "2022-02-05x",
            "2022-02-05 and more",
            "2022-02/05",
            "5 Fe 2022",
        ] {
            check_parse(s, None);
        }
    }

    #[test]
    fn days_since_epoch() {
        assert_eq!(date(1970, 1, 1).days(), 0);
        assert_eq!(date(1970, 1, 2).days(), 1);
        assert_eq!(date(1969, 12, 31).days(), -1);
        assert_eq!(date(2000, 3, 1).days(), 11_017);
        assert_eq!(date(2022, 2, 7).days() - date(2022, 2, 5).days(), 2);
        assert_eq!(date(2024, 3, 1).days() - date(2024, 2, 28).days(), 2);
        assert_eq!(date(2023, 3, 1).days() - date(2023, 2, 28).days(), 1);
        let mut previous = date(1799, 12, 31);
        for days in date(1800, 1, 1).days()..=date(2200, 12, 31).days() {
            let d = Date::from_days(days);
            assert_eq!(d.days(), days);
            assert_eq!(Date::new(d.year, d.month, d.day), Some(d));
            assert!(d > previous);
            previous = d;
        }
    }

    #[test]
    fn display_and_order() {
        assert_eq!(date(2022, 2, 5).to_string(), "2022-02-05");
        assert_eq!(date(987, 12, 31).to_string(), "0987-12-31");
        assert!(date(2022, 2, 5) < date(2022, 2, 7));
        assert!(date(2021, 12, 31) < date(2022, 1, 1));
        assert_eq!(Date::new(2022, 2, 29), None);
        assert_eq!(Date::new(2022, 4, 31), None);
    }

    #[test]
    fn labelled_dates() {
        check_text(" date 2022-02-05 The United States has called", Some(("2022-02-05", "2022-02-05")));
        check_text("Date Created 02/07/2022", Some(("2022-02-07", "02/07/2022")));
        check_text("text\n\n### Date Created\n\n02/07/2022\n", Some(("2022-02-07", "02/07/2022")));
        check_text(
            "Published: Saturday, February 5, 2022 10:00 GMT\nText",
            Some(("2022-02-05", "Saturday, February 5, 2022")),
        );
        check_text("PUBLISHED ON 5 Feb 2022", Some(("2022-02-05", "5 Feb 2022")));
        check_text("Posted by Jane Doe on Feb. 5, 2022", Some(("2022-02-05", "Feb. 5, 2022")));
        check_text("Last updated: 2022-02-07T10:00:00Z", Some(("2022-02-07", "2022-02-07")));
        check_text("Reuters | Updated 2022-02-07", Some(("2022-02-07", "2022-02-07")));
        check_text("Dateline: February 5, 2022", Some(("2022-02-05", "February 5, 2022")));
        let late = format!("{}Updated: 2022-03-01", "A line of prose here.\n".repeat(30));
        check_text(&late, Some(("2022-03-01", "2022-03-01")));
    }

    #[test]
    fn first_label_wins() {
        check_text("Published 2022-02-05 | Updated 2022-02-07", Some(("2022-02-05", "2022-02-05")));
        check_text("Updated 2022-02-07\nPublished 2022-02-05", Some(("2022-02-07", "2022-02-07")));
        // A label without a valid date is passed over.
        check_text("Date: 2022-02-30\nPublished: 2022-02-05", Some(("2022-02-05", "2022-02-05")));
        check_text("Published: Feb. 5\nUpdated: 2022-02-07", Some(("2022-02-07", "2022-02-07")));
        // A labelled date beats a date line nearer the start.
        check_text("February 4, 2022\nPublished 2022-02-05", Some(("2022-02-05", "2022-02-05")));
    }

    #[test]
    fn date_lines_near_the_start() {
        check_text("Japan rejects sanctions\nFebruary 5, 2022\n\nThe text.", Some(("2022-02-05", "February 5, 2022")));
        check_text("## Title\n\n*05.02.2022, 14:32*\n\nText.", Some(("2022-02-05", "05.02.2022")));
        check_text("By Jane Doe | February 5, 2022\nText.", Some(("2022-02-05", "February 5, 2022")));
        check_text("Jane Doe · Feb 5, 2022 · 3 min read\nText.", Some(("2022-02-05", "Feb 5, 2022")));
        check_text(
            "WASHINGTON, Feb. 5, 2022 (Reuters) - The United States urged Japan to act.",
            Some(("2022-02-05", "Feb. 5, 2022")),
        );
        check_text("Saturday, 5 February 2022\n", Some(("2022-02-05", "Saturday, 5 February 2022")));
        // Found by the property test: a prefix starting with a 4-byte char.
        check_text("🎉 | 2022-02-05", Some(("2022-02-05", "2022-02-05")));
    }

    #[test]
    fn no_date() {
        check_text("", None);
        check_text("No date anywhere in this text.", None);
        // Year-less datelines: years are never guessed.
        check_text("WASHINGTON, Feb. 5 (Reuters) - The United States urged Japan.", None);
        check_text("Kyodo News reported on February 5 that the United States is urging Japan.", None);
        // Dates in prose.
        check_text("Troops crossed the border on February 24, 2022, officials said.", None);
        check_text("Kyodo News reported on February 5, 2022 that Japan waited.", None);
        check_text("Title\n\nIn Tokyo, February 5, 2022 was cold and wet, the agency said.", None);
        check_text("February 24, 2022, was the day the war began.", None);
        check_text("The page was updated on 2022-02-05 by staff.", None);
        check_text("Two candidates 2022-02-05 met.", None);
        // A date line too far from the start.
        let late = format!("{}February 5, 2022\n", "A line of prose here.\n".repeat(10));
        check_text(&late, None);
        // Impossible and implausible dates.
        check_text("Date: 2022-02-30", None);
        check_text("Date: 1066-10-14", None);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn display_round_trips(days in -62_091i64..84_006) {
                let d = Date::from_days(days);
                prop_assert_eq!(parse_date(&d.to_string()), Some(d));
                prop_assert_eq!(d.days(), days);
            }

            /// Any text: no panic, and what is found is a date on its own.
            #[test]
            fn found_dates_parse_alone(
                text in "(\\PC|[ \n:|,.T-]|date |Published |Feb\\. |5 |2022|02/07/|2022-02-05|\u{a0}){0,40}"
            ) {
                if let Some((d, start, end)) = date_in_text(&text) {
                    prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
                    prop_assert_eq!(parse_date(&text[start..end]), Some(d));
                }
                let _ = parse_date(&text);
            }
        }
    }
}
