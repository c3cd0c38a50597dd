//! The files of `reprint scan`: `documents.jsonl`, `pairs.jsonl`,
//! `passages.jsonl`, `stories.jsonl`, `provenance.jsonl` and `report.html`,
//! each written atomically from a [`ScanOutput`] and the records it was
//! made from, in the shapes of `reprint-wire`.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use reprint_core::date::DateSource;
use reprint_core::pair::PairReport;
use reprint_core::provenance::Provenance;
use reprint_core::scanner::{cluster_count, ScanOutput, StoryLabel};
use reprint_wire::report::{
    write_report, OrderEntry, Overview, OverviewCounts, ReportPair, ReportProvenance, ReportText, StoryMeta,
    StoryPayload, Texts,
};
use reprint_wire::{
    relations_count, DocumentLine, PairLine, Passage as WirePassage, PassageLine, ProvenanceLine, StoryLine,
};
use serde::Serialize;

use crate::output::AtomicFile;
use crate::record::Record;

/// An error writing `path`, saying so.
fn cannot_write(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
}

/// Writes the outputs of one scan.
pub struct ScanWriter<'a> {
    records: &'a [Record],
    output: &'a ScanOutput,
    /// Each document's date as written, and where it came from.
    dates: Vec<Option<(String, DateSource)>>,
}

impl<'a> ScanWriter<'a> {
    /// `output` must be the scan of `records`, in the same order.
    pub fn new(records: &'a [Record], output: &'a ScanOutput) -> ScanWriter<'a> {
        let dates = output.dates.iter().map(|d| d.map(|(d, source)| (d.to_string(), source))).collect();
        ScanWriter { records, output, dates }
    }

    fn documents(&self) -> Documents<'_> {
        let o = self.output;
        Documents {
            records: self.records,
            dates: &self.dates,
            chars: &o.chars,
            clusters: &o.clusters,
            stories: &o.stories,
        }
    }

    /// Writes the JSON Lines files into `out`; returns the number of
    /// passages written.
    pub fn write_jsonl(&self, out: &Path) -> io::Result<usize> {
        let o = self.output;
        write_outputs(out, &self.documents(), &o.members, &o.labels, &o.reports, &o.provenances)
    }

    /// Writes `out/report.html`.
    pub fn write_report(&self, out: &Path) -> io::Result<()> {
        let o = self.output;
        let story_reports = o.story_reports();
        let report = Report {
            docs: &self.documents(),
            members: &o.members,
            labels: &o.labels,
            boilerplate: &o.boilerplate,
            story_reports: &story_reports,
            provenances: &o.provenances,
        };
        report.write(out, &relations_count(&o.reports))
    }
}

/// The documents of a run, as the outputs describe them.
struct Documents<'a> {
    records: &'a [Record],
    dates: &'a [Option<(String, DateSource)>],
    /// Characters (code points) of each text.
    chars: &'a [usize],
    clusters: &'a [u32],
    stories: &'a [u32],
}

impl Documents<'_> {
    fn id(&self, d: u32) -> String {
        self.records[d as usize].id.clone()
    }

    /// Document `i` on the wire; `documents.jsonl` names its cluster by
    /// id, the report by document number.
    fn line<C>(&self, i: usize, cluster: C) -> DocumentLine<C> {
        let r = &self.records[i];
        DocumentLine {
            id: r.id.clone(),
            title: r.title.clone(),
            date: self.dates[i].as_ref().map(|(d, _)| d.clone()),
            date_source: self.dates[i].as_ref().map(|(_, s)| s.name().to_string()),
            source: r.source.clone(),
            url: r.url.clone(),
            chars: self.chars[i],
            cluster,
            story: self.stories[i],
        }
    }
}

/// What the HTML report is made of.
struct Report<'a> {
    docs: &'a Documents<'a>,
    members: &'a [Vec<u32>],
    labels: &'a [StoryLabel],
    boilerplate: &'a [Vec<reprint_core::boilerplate::BoilerSpan>],
    /// The pairs of each story.
    story_reports: &'a [Vec<&'a PairReport>],
    provenances: &'a [Option<Provenance>],
}

impl Report<'_> {
    fn write(&self, out: &Path, relations: &BTreeMap<String, usize>) -> io::Result<()> {
        let docs = self.docs;
        let records = docs.records;
        let documents: Vec<DocumentLine<u32>> = (0..records.len()).map(|i| docs.line(i, docs.clusters[i])).collect();
        let stories: Vec<StoryMeta> = self
            .members
            .iter()
            .zip(self.labels)
            .enumerate()
            .map(|(s, (m, l))| StoryMeta {
                story: s as u32,
                size: m.len(),
                first_seen: l.first_seen.as_deref(),
                label: &l.label,
                documents: m,
            })
            .collect();
        let overview = Overview {
            summary: OverviewCounts {
                documents: records.len(),
                stories: self.members.len(),
                multi_stories: self.members.iter().filter(|m| m.len() > 1).count(),
                clusters: cluster_count(docs.clusters),
                relations,
            },
            documents,
            stories,
        };
        let payloads = self.members.iter().enumerate().filter(|(_, m)| m.len() > 1).map(|(s, m)| {
            let texts = Texts(
                m.iter()
                    .map(|&d| {
                        let boilerplate =
                            self.boilerplate[d as usize].iter().map(|b| [b.char_start, b.char_end]).collect();
                        (d, ReportText { text: &records[d as usize].text, boilerplate })
                    })
                    .collect(),
            );
            let pairs: Vec<ReportPair> = self.story_reports[s]
                .iter()
                .map(|p| ReportPair {
                    pair: PairLine::new(p, p.a, p.b),
                    passages: p.passages.iter().map(|x| WirePassage::new(x, false)).collect(),
                })
                .collect();
            let provenance = self.provenances[s].as_ref().map(|p| ReportProvenance {
                order: p.order.iter().map(|o| OrderEntry { doc: o.document }).collect(),
                edges: p.edges.iter().map(|e| ProvenanceLine::new(None, e, |d| d, |d| docs.id(d))).collect(),
            });
            (s as u32, StoryPayload { texts, pairs, provenance })
        });
        let path = out.join("report.html");
        let mut file = AtomicFile::create(&path).map_err(|e| cannot_write(&path, e))?;
        let title = format!("{} documents, {} stories", records.len(), self.members.len());
        write_report(&mut file, &title, &overview, payloads).map_err(|e| cannot_write(&path, e))?;
        file.commit().map_err(|e| cannot_write(&path, e))?;
        Ok(())
    }
}

/// Writes `lines` to `out/name` as JSON Lines, atomically; returns how many.
fn write_jsonl<T: Serialize>(out: &Path, name: &str, lines: impl Iterator<Item = T>) -> io::Result<usize> {
    let path = out.join(name);
    let mut file = AtomicFile::create(&path).map_err(|e| cannot_write(&path, e))?;
    let mut count = 0;
    for line in lines {
        serde_json::to_writer(&mut file, &line).map_err(|e| cannot_write(&path, e.into()))?;
        file.write_all(b"\n").map_err(|e| cannot_write(&path, e))?;
        count += 1;
    }
    file.commit().map_err(|e| cannot_write(&path, e))?;
    Ok(count)
}

/// Writes the JSON Lines outputs; returns the number of passages.
fn write_outputs(
    out: &Path,
    docs: &Documents,
    members: &[Vec<u32>],
    labels: &[StoryLabel],
    reports: &[PairReport],
    provenances: &[Option<Provenance>],
) -> io::Result<usize> {
    let id = |d: u32| docs.id(d);
    write_jsonl(out, "documents.jsonl", (0..docs.records.len()).map(|i| docs.line(i, id(docs.clusters[i]))))?;
    write_jsonl(out, "pairs.jsonl", reports.iter().map(|p| PairLine::new(p, id(p.a), id(p.b))))?;
    let passages = write_jsonl(
        out,
        "passages.jsonl",
        reports.iter().flat_map(|p| {
            p.passages.iter().map(move |x| PassageLine { a: id(p.a), b: id(p.b), passage: WirePassage::new(x, true) })
        }),
    )?;
    write_jsonl(
        out,
        "stories.jsonl",
        members.iter().zip(labels).enumerate().map(|(s, (m, l))| StoryLine {
            story: s as u32,
            documents: m.iter().map(|&d| id(d)).collect(),
            first_seen: l.first_seen.clone(),
            label: l.label.clone(),
        }),
    )?;
    write_jsonl(
        out,
        "provenance.jsonl",
        provenances
            .iter()
            .enumerate()
            .filter_map(|(s, p)| Some((s, p.as_ref()?)))
            .flat_map(|(s, p)| p.edges.iter().map(move |e| ProvenanceLine::new(Some(s as u32), e, id, id))),
    )?;
    Ok(passages)
}
