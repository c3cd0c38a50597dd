//! The PAN text-alignment format and its measures.
//!
//! A PAN corpus has `pairs` (one `suspicious-documentX.txt
//! source-documentY.txt` per line), `susp/`, `src/`, and truth XML files
//! `suspicious-documentX-source-documentY.xml` (in the corpus root or in
//! sub-folders, one per obfuscation type) whose `<feature name="plagiarism"
//! this_offset … source_length …/>` elements are the cases. Detections use
//! the same file names with `name="detected-plagiarism"`. Offsets and lengths
//! count Unicode code points.
//!
//! [`score`] computes the measures of Potthast et al. (COLING 2010) as the
//! PAN evaluation script does in its micro-averaged form: characters are
//! counted on both the suspicious and the source side and pooled over the
//! corpus (a character covered twice counts once); recall and precision
//! count the characters of cases covered by detections that overlap them on
//! both sides; granularity is the mean number of detections per detected
//! case; `plagdet = F1 / log2(1 + granularity)`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One case or detection: a span of the suspicious document aligned with a
/// span of the source document (code-point offsets).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Annotation {
    pub this_reference: String,
    pub this_offset: usize,
    pub this_length: usize,
    pub source_reference: String,
    pub source_offset: usize,
    pub source_length: usize,
}

/// The measures for a set of cases and detections.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measures {
    pub recall: f64,
    pub precision: f64,
    pub granularity: f64,
    pub plagdet: f64,
    pub cases: usize,
    pub detections: usize,
}

/// Reads the `pairs` file of a corpus.
pub fn read_pairs(corpus: &Path) -> std::io::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(corpus.join("pairs"))?;
    Ok(text
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            Some((parts.next()?.to_string(), parts.next()?.to_string()))
        })
        .collect())
}

/// The XML file name of a pair.
pub fn pair_file_name(susp: &str, src: &str) -> String {
    format!("{}-{}.xml", susp.trim_end_matches(".txt"), src.trim_end_matches(".txt"))
}

/// Detection XML for one pair.
pub fn detections_xml(susp: &str, src: &str, detections: &[(usize, usize, usize, usize)]) -> String {
    let mut xml = format!("<document reference=\"{}\">\n", escape(susp));
    for &(this_offset, this_length, source_offset, source_length) in detections {
        let _ = writeln!(
            xml,
            "<feature name=\"detected-plagiarism\" this_offset=\"{this_offset}\" this_length=\"{this_length}\" \
             source_reference=\"{}\" source_offset=\"{source_offset}\" source_length=\"{source_length}\" />",
            escape(src)
        );
    }
    xml.push_str("</document>\n");
    xml
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

/// The attributes of every element named `element` in `xml`.
fn elements<'x>(xml: &'x str, element: &str) -> Vec<HashMap<&'x str, &'x str>> {
    let open = format!("<{element}");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        let end = after.find('>').unwrap_or(after.len());
        let mut attrs = HashMap::new();
        let mut body = &after[..end];
        while let Some(eq) = body.find("=\"") {
            let key = body[..eq].trim();
            let value_start = eq + 2;
            let Some(close) = body[value_start..].find('"') else { break };
            attrs.insert(key, &body[value_start..value_start + close]);
            body = &body[value_start + close + 1..];
        }
        out.push(attrs);
        rest = &after[end..];
    }
    out
}

/// The annotations in one XML file whose `name` attribute is `name`.
pub fn parse_annotations(xml: &str, name: &str) -> Vec<Annotation> {
    let reference = elements(xml, "document").first().and_then(|d| d.get("reference").copied()).unwrap_or("");
    let this_reference = reference.trim_end_matches(".txt").to_string();
    elements(xml, "feature")
        .into_iter()
        .filter(|a| a.get("name") == Some(&name))
        .filter_map(|a| {
            let num = |k: &str| a.get(k).and_then(|v| v.parse::<usize>().ok());
            Some(Annotation {
                this_reference: this_reference.clone(),
                this_offset: num("this_offset")?,
                this_length: num("this_length")?,
                source_reference: a.get("source_reference")?.trim_end_matches(".txt").to_string(),
                source_offset: num("source_offset")?,
                source_length: num("source_length")?,
            })
        })
        .collect()
}

/// Truth XML files of a corpus, grouped by folder (`.` for the root).
pub fn truth_files(truth: &Path) -> std::io::Result<Vec<(String, Vec<PathBuf>)>> {
    let mut groups: Vec<(String, Vec<PathBuf>)> = Vec::new();
    let mut dirs = vec![(".".to_string(), truth.to_path_buf())];
    for entry in std::fs::read_dir(truth)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            dirs.push((entry.file_name().to_string_lossy().into_owned(), entry.path()));
        }
    }
    dirs.sort();
    for (name, dir) in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        if !files.is_empty() {
            groups.push((name, files));
        }
    }
    Ok(groups)
}

/// Characters covered by `ranges` of one document, overlaps counted once.
fn union_length(ranges: &mut [(usize, usize)]) -> usize {
    ranges.sort_unstable();
    let mut total = 0;
    let mut current: Option<(usize, usize)> = None;
    for &(s, e) in ranges.iter() {
        match current {
            Some((cs, ce)) if s <= ce => current = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                current = Some((s, e));
            }
            None => current = Some((s, e)),
        }
    }
    if let Some((cs, ce)) = current {
        total += ce - cs;
    }
    total
}

/// Characters covered on both sides, pooled per document.
fn count_chars(annotations: &[Annotation]) -> usize {
    let mut this: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    let mut source: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for a in annotations {
        this.entry(&a.this_reference).or_default().push((a.this_offset, a.this_offset + a.this_length));
        source.entry(&a.source_reference).or_default().push((a.source_offset, a.source_offset + a.source_length));
    }
    this.values_mut().chain(source.values_mut()).map(|r| union_length(r)).sum()
}

fn overlapping(case: &Annotation, det: &Annotation) -> bool {
    case.this_reference == det.this_reference
        && det.this_offset + det.this_length > case.this_offset
        && det.this_offset < case.this_offset + case.this_length
        && case.source_reference == det.source_reference
        && det.source_offset + det.source_length > case.source_offset
        && det.source_offset < case.source_offset + case.source_length
}

fn overlap(a_off: usize, a_len: usize, b_off: usize, b_len: usize) -> (usize, usize) {
    let start = a_off.max(b_off);
    let end = (a_off + a_len).min(b_off + b_len);
    if end > start {
        (start, end - start)
    } else {
        (0, 0)
    }
}

/// Micro-averaged recall, precision, granularity and plagdet.
pub fn score(cases: &[Annotation], detections: &[Annotation]) -> Measures {
    let mut m = Measures {
        recall: 0.0,
        precision: 0.0,
        granularity: 1.0,
        plagdet: 0.0,
        cases: cases.len(),
        detections: detections.len(),
    };
    if cases.is_empty() && detections.is_empty() {
        m.recall = 1.0;
        m.precision = 1.0;
        m.plagdet = 1.0;
        return m;
    }
    if cases.is_empty() || detections.is_empty() {
        return m;
    }
    let mut by_doc: HashMap<&str, Vec<&Annotation>> = HashMap::new();
    for d in detections {
        by_doc.entry(&d.this_reference).or_default().push(d);
    }
    let mut true_detections = Vec::new();
    let mut per_case = Vec::new();
    for case in cases {
        let dets = by_doc.get(case.this_reference.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let mut count = 0;
        for d in dets.iter().filter(|d| overlapping(case, d)) {
            count += 1;
            let (to, tl) = overlap(case.this_offset, case.this_length, d.this_offset, d.this_length);
            let (so, sl) = overlap(case.source_offset, case.source_length, d.source_offset, d.source_length);
            true_detections.push(Annotation {
                this_reference: case.this_reference.clone(),
                this_offset: to,
                this_length: tl,
                source_reference: case.source_reference.clone(),
                source_offset: so,
                source_length: sl,
            });
        }
        per_case.push(count);
    }
    let plagiarized = count_chars(cases) as f64;
    let detected = count_chars(detections) as f64;
    let hit = count_chars(&true_detections) as f64;
    m.recall = if plagiarized > 0.0 { hit / plagiarized } else { 0.0 };
    m.precision = if detected > 0.0 { hit / detected } else { 0.0 };
    let detected_cases = per_case.iter().filter(|&&c| c > 0).count();
    if detected_cases > 0 {
        m.granularity = per_case.iter().sum::<usize>() as f64 / detected_cases as f64;
    }
    m.plagdet = plagdet(m.recall, m.precision, m.granularity);
    m
}

/// `F1 / log2(1 + granularity)`.
pub fn plagdet(recall: f64, precision: f64, granularity: f64) -> f64 {
    if recall + precision == 0.0 || granularity < 1.0 {
        return 0.0;
    }
    (2.0 * recall * precision / (recall + precision)) / (1.0 + granularity).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(t: &str, to: usize, tl: usize, s: &str, so: usize, sl: usize) -> Annotation {
        Annotation {
            this_reference: t.into(),
            this_offset: to,
            this_length: tl,
            source_reference: s.into(),
            source_offset: so,
            source_length: sl,
        }
    }

    #[test]
    #[allow(clippy::cloned_ref_to_slice_refs)] // one-element case lists read best inline
    fn measures_match_the_reference_definitions() {
        let a1 = ann("t1", 0, 100, "s1", 0, 100);
        let a3 = ann("t1", 100, 100, "s1", 100, 100);
        let a4 = ann("t1", 0, 200, "s1", 0, 200);
        let a7 = ann("t2", 0, 100, "s2", 0, 100);
        let a9 = ann("t2", 50, 100, "s2", 50, 100);
        let a10 = ann("t2", 25, 75, "s2", 25, 75);
        let m = score(&[a1.clone()], &[a1.clone()]);
        assert_eq!((m.recall, m.precision, m.granularity, m.plagdet), (1.0, 1.0, 1.0, 1.0));
        assert_eq!(score(&[a1.clone()], &[a7.clone()]).recall, 0.0);
        assert_eq!(score(&[a1.clone()], &[a4.clone()]).precision, 0.5);
        assert_eq!(score(&[a7.clone()], &[a9.clone()]).recall, 0.5);
        assert_eq!(score(&[a7.clone()], &[a10.clone()]).recall, 0.75);
        // Pooled: overlapping detections count their characters once.
        let m = score(&[a7.clone()], &[a9.clone(), a10.clone()]);
        assert_eq!(m.recall, 0.75);
        assert_eq!(m.precision, 150.0 / 250.0);
        assert_eq!(m.granularity, 2.0);
        // Granularity: case a1 found by a1 and a3? a3 does not overlap a1.
        assert_eq!(score(&[a1.clone()], &[a3.clone(), a4.clone()]).granularity, 1.0);
        assert_eq!(score(&[a1.clone(), a3.clone()], &[a4.clone()]).granularity, 1.0);
        assert_eq!(score(&[], &[]).plagdet, 1.0);
        assert_eq!(score(&[], &[a1]).plagdet, 0.0);
        assert!((plagdet(1.0, 1.0, 2.0) - 0.63092975).abs() < 1e-8);
        assert!((plagdet(0.25, 0.75, 2.0) - 0.23659865).abs() < 1e-8);
    }

    #[test]
    fn xml_round_trip() {
        let xml = detections_xml("suspicious-document00005.txt", "source-document01090.txt", &[(3593, 698, 1300, 698)]);
        let anns = parse_annotations(&xml, "detected-plagiarism");
        assert_eq!(anns, vec![ann("suspicious-document00005", 3593, 698, "source-document01090", 1300, 698)]);
        let truth = r#"<document reference="suspicious-document00005.txt">
<feature name="plagiarism" obfuscation="none" source_length="698" source_offset="1300" source_reference="source-document01090.txt" this_length="698" this_offset="3593" type="artificial" />
<feature name="about" authors="x" />
</document>"#;
        assert_eq!(parse_annotations(truth, "plagiarism"), anns);
        assert_eq!(
            pair_file_name("suspicious-document00005.txt", "source-document01090.txt"),
            "suspicious-document00005-source-document01090.xml"
        );
    }
}
