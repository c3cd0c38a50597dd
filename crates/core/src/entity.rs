//! HTML character references, for matching and for HTML text extraction.

/// Decodes an HTML character reference starting at `text[at]` (which is
/// `&`): numeric (`&#8217;`, `&#x2019;`) or one of the common named ones.
/// Returns the character and the reference's length in bytes, or `None`
/// when the bytes there are not a reference this function knows.
pub fn decode_entity(text: &[u8], at: usize) -> Option<(char, usize)> {
    let rest = &text[at + 1..];
    let end = rest.iter().take(12).position(|&b| b == b';')?;
    let body = &rest[..end];
    let len = end + 2;
    if let Some(num) = body.strip_prefix(b"#") {
        let (digits, radix) = match num.first() {
            Some(b'x' | b'X') => (&num[1..], 16),
            _ => (num, 10),
        };
        if digits.is_empty() {
            return None;
        }
        let s = std::str::from_utf8(digits).ok()?;
        let value = u32::from_str_radix(s, radix).ok()?;
        return char::from_u32(value).map(|c| (c, len));
    }
    let c = match body {
        b"amp" => '&',
        b"lt" => '<',
        b"gt" => '>',
        b"quot" => '"',
        b"apos" => '\'',
        b"nbsp" | b"ensp" | b"emsp" | b"thinsp" => ' ',
        b"rsquo" => '\u{2019}',
        b"lsquo" => '\u{2018}',
        b"rdquo" => '\u{201D}',
        b"ldquo" => '\u{201C}',
        b"ndash" => '\u{2013}',
        b"mdash" => '\u{2014}',
        b"hellip" => '\u{2026}',
        b"laquo" => '\u{00AB}',
        b"raquo" => '\u{00BB}',
        b"copy" => '\u{00A9}',
        b"reg" => '\u{00AE}',
        b"trade" => '\u{2122}',
        b"deg" => '\u{00B0}',
        b"middot" => '\u{00B7}',
        b"bull" => '\u{2022}',
        b"shy" => '\u{00AD}',
        b"eacute" => 'é',
        b"Eacute" => 'É',
        b"egrave" => 'è',
        b"aacute" => 'á',
        b"agrave" => 'à',
        b"iacute" => 'í',
        b"oacute" => 'ó',
        b"uacute" => 'ú',
        b"ntilde" => 'ñ',
        b"ccedil" => 'ç',
        b"auml" => 'ä',
        b"ouml" => 'ö',
        b"uuml" => 'ü',
        b"Auml" => 'Ä',
        b"Ouml" => 'Ö',
        b"Uuml" => 'Ü',
        b"szlig" => 'ß',
        b"euro" => '€',
        b"pound" => '£',
        _ => return None,
    };
    Some((c, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(s: &str, expected: Option<(char, usize)>) {
        assert_eq!(decode_entity(s.as_bytes(), 0), expected, "{s}");
    }

    #[test]
    fn references() {
        check("&amp;x", Some(('&', 5)));
        check("&#8217;", Some(('\u{2019}', 7)));
        check("&#x201D;", Some(('\u{201D}', 8)));
        check("&#X41;", Some(('A', 6)));
        check("&nosuch;", None);
        check("& amp;", None);
        check("&#;", None);
        check("&#xD800;", None);
        check("&amp", None);
    }
}
