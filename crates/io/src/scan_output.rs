//! The files of `reprint scan`: `documents.jsonl`, `pairs.jsonl`,
//! `passages.jsonl`, `stories.jsonl`, `provenance.jsonl` and `report.html`,
//! each written atomically from a [`ScanOutput`] and the records it was
//! made from, in the shapes of `reprint-wire`.

use std::io::{self, Write};
use std::path::Path;

use reprint_core::date::DateSource;
use reprint_core::scanner::{cluster_count, ScanOutput};
use reprint_wire::report::{
    estimated_bytes, write_index, write_redirect, write_report, BlockWriter, OrderEntry, Overview, OverviewCounts,
    ReportPair, ReportProvenance, ReportText, StoryMeta, StoryPayload, Texts, FOLDER_ABOVE_BYTES,
};
use reprint_wire::{
    relations_count, DocumentLine, PairLine, Passage as WirePassage, PassageLine, ProvenanceLine, StoryLine, ThreadLine,
};

use crate::output::{cannot_write, write_jsonl, AtomicFile};
use crate::record::Record;

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
            chars: self.output.chars[i],
            language: self.output.languages[i].to_string(),
            cluster,
            story: self.output.stories[i],
            thread: self.output.threads[self.output.stories[i] as usize],
        }
    }

    /// Writes the JSON Lines files into `out`; returns the number of
    /// passages written.
    pub fn write_jsonl(&self, out: &Path) -> io::Result<usize> {
        let o = self.output;
        let id = |d: u32| self.id(d);
        write_jsonl(&out.join("documents.jsonl"), (0..self.records.len()).map(|i| self.line(i, id(o.clusters[i]))))?;
        write_jsonl(&out.join("pairs.jsonl"), o.reports.iter().map(|p| PairLine::new(p, id(p.a), id(p.b))))?;
        let passages = write_jsonl(
            &out.join("passages.jsonl"),
            o.reports.iter().flat_map(|p| {
                p.passages.iter().map(move |x| PassageLine {
                    a: id(p.a),
                    b: id(p.b),
                    passage: WirePassage::new(x, true),
                })
            }),
        )?;
        write_jsonl(
            &out.join("stories.jsonl"),
            o.members.iter().zip(&o.labels).enumerate().map(|(s, (m, l))| StoryLine {
                story: s as u32,
                thread: o.threads[s],
                documents: m.iter().map(|&d| id(d)).collect(),
                first_seen: l.first_seen.clone(),
                label: l.label.clone(),
            }),
        )?;
        write_jsonl(
            &out.join("threads.jsonl"),
            o.thread_members().into_iter().enumerate().map(|(t, stories)| {
                let dates = stories
                    .iter()
                    .flat_map(|&s| &o.members[s as usize])
                    .filter_map(|&d| self.dates[d as usize].as_ref());
                let (first_seen, last_seen) = dates.fold((None::<&String>, None::<&String>), |(lo, hi), (d, _)| {
                    (Some(lo.map_or(d, |x| x.min(d))), Some(hi.map_or(d, |x| x.max(d))))
                });
                let largest =
                    stories.iter().copied().max_by_key(|&s| (o.members[s as usize].len(), std::cmp::Reverse(s)));
                ThreadLine {
                    thread: t as u32,
                    documents: stories.iter().map(|&s| o.members[s as usize].len()).sum(),
                    first_seen: first_seen.cloned(),
                    last_seen: last_seen.cloned(),
                    label: largest.map(|s| o.labels[s as usize].label.clone()).unwrap_or_default(),
                    stories,
                }
            }),
        )?;
        write_jsonl(
            &out.join("provenance.jsonl"),
            o.provenances
                .iter()
                .enumerate()
                .filter_map(|(s, p)| Some((s, p.as_ref()?)))
                .flat_map(|(s, p)| p.edges.iter().map(move |e| ProvenanceLine::new(Some(s as u32), e, id, id))),
        )?;
        Ok(passages)
    }

    /// Writes the report: `out/report.html`, one self-contained file, or
    /// for a large scan (see [`ReportLayout::Auto`]) the folder
    /// `out/report/` (`index.html` and `data/bK.js`) with `out/report.html`
    /// a page that leads there. Returns the layout written.
    pub fn write_report(&self, out: &Path, layout: ReportLayout) -> io::Result<ReportLayout> {
        let o = self.output;
        let records = self.records;
        let relations = relations_count(&o.reports);
        let story_reports = o.story_reports();
        let documents: Vec<DocumentLine<u32>> = (0..records.len()).map(|i| self.line(i, o.clusters[i])).collect();
        let stories: Vec<StoryMeta> = o
            .members
            .iter()
            .zip(&o.labels)
            .enumerate()
            .map(|(s, (m, l))| StoryMeta {
                story: s as u32,
                thread: o.threads[s],
                size: m.len(),
                first_seen: l.first_seen.as_deref(),
                label: &l.label,
                documents: m,
            })
            .collect();
        let mut overview = Overview {
            summary: OverviewCounts {
                documents: records.len(),
                stories: o.members.len(),
                multi_stories: o.members.iter().filter(|m| m.len() > 1).count(),
                clusters: cluster_count(&o.clusters),
                relations: &relations,
            },
            documents,
            stories,
            blocks: None,
        };
        let payloads = o.members.iter().enumerate().filter(|(_, m)| m.len() > 1).map(|(s, m)| {
            let texts = Texts(
                m.iter()
                    .map(|&d| {
                        let boilerplate =
                            o.boilerplate[d as usize].iter().map(|b| [b.char_start, b.char_end]).collect();
                        (d, ReportText { text: &records[d as usize].text, boilerplate })
                    })
                    .collect(),
            );
            let pairs: Vec<ReportPair> = story_reports[s]
                .iter()
                .map(|p| ReportPair {
                    pair: PairLine::new(p, p.a, p.b),
                    passages: p.passages.iter().map(|x| WirePassage::new(x, false)).collect(),
                })
                .collect();
            let provenance = o.provenances[s].as_ref().map(|p| ReportProvenance {
                order: p.order.iter().map(|o| OrderEntry { doc: o.document }).collect(),
                edges: p.edges.iter().map(|e| ProvenanceLine::new(None, e, |d| d, |d| self.id(d))).collect(),
            });
            (s as u32, StoryPayload { texts, pairs, provenance })
        });
        let title = format!("{} documents, {} stories", records.len(), o.members.len());
        let path = out.join("report.html");
        let folder = match layout {
            ReportLayout::Auto => {
                let texts: usize =
                    o.members.iter().filter(|m| m.len() > 1).flatten().map(|&d| records[d as usize].text.len()).sum();
                let passages = o.reports.iter().map(|r| r.passages.len()).sum();
                estimated_bytes(texts, o.reports.len(), passages) > FOLDER_ABOVE_BYTES
            }
            ReportLayout::File => false,
            ReportLayout::Folder => true,
        };
        if !folder {
            let mut file = AtomicFile::create(&path).map_err(|e| cannot_write(&path, e))?;
            write_report(&mut file, &title, &overview, payloads).map_err(|e| cannot_write(&path, e))?;
            file.commit().map_err(|e| cannot_write(&path, e))?;
            return Ok(ReportLayout::File);
        }
        let dir = out.join("report");
        let data = dir.join("data");
        std::fs::create_dir_all(&data).map_err(|e| cannot_write(&data, e))?;
        let mut flush = |k: u32, bytes: &[u8]| {
            let path = data.join(format!("b{k}.js"));
            let mut file = AtomicFile::create(&path).map_err(|e| cannot_write(&path, e))?;
            file.write_all(bytes).map_err(|e| cannot_write(&path, e))?;
            file.commit().map_err(|e| cannot_write(&path, e))
        };
        let mut blocks = vec![None; o.members.len()];
        let mut writer = BlockWriter::default();
        for (s, payload) in payloads {
            blocks[s as usize] = Some(writer.add(s, &payload, &mut flush)?);
        }
        let count = writer.finish(&mut flush)?;
        remove_stale_blocks(&data, count);
        overview.blocks = Some(blocks);
        let index = dir.join("index.html");
        let mut file = AtomicFile::create(&index).map_err(|e| cannot_write(&index, e))?;
        write_index(&mut file, &title, &overview).map_err(|e| cannot_write(&index, e))?;
        file.commit().map_err(|e| cannot_write(&index, e))?;
        let mut file = AtomicFile::create(&path).map_err(|e| cannot_write(&path, e))?;
        write_redirect(&mut file, &title, "report/index.html").map_err(|e| cannot_write(&path, e))?;
        file.commit().map_err(|e| cannot_write(&path, e))?;
        Ok(ReportLayout::Folder)
    }
}

/// How `reprint scan` writes its report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportLayout {
    /// One file up to about [`FOLDER_ABOVE_BYTES`] of story data (texts,
    /// pairs, passages), a folder beyond.
    Auto,
    /// Always one file, `report.html`.
    File,
    /// Always a folder, `report/`.
    Folder,
}

impl std::str::FromStr for ReportLayout {
    type Err = String;

    /// `auto`, `file` or `folder`.
    fn from_str(s: &str) -> Result<ReportLayout, String> {
        match s {
            "auto" => Ok(ReportLayout::Auto),
            "file" => Ok(ReportLayout::File),
            "folder" => Ok(ReportLayout::Folder),
            _ => Err(format!("{s:?} is not a report layout (auto, file or folder)")),
        }
    }
}

/// Removes `bK.js` files of an earlier, larger report from `data`: only
/// files of that name, numbered `count` or more.
fn remove_stale_blocks(data: &Path, count: u32) {
    let Ok(entries) = std::fs::read_dir(data) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let stale = name
            .to_str()
            .and_then(|n| n.strip_prefix('b')?.strip_suffix(".js")?.parse::<u32>().ok())
            .is_some_and(|k| k >= count);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
