//! The HTML report in a real browser: `reprint scan` on the seed corpus,
//! then headless Chromium renders each view (`--dump-dom`) and takes
//! screenshots. `.ci/run` installs Chromium from Debian's packages; without
//! it (or without ../shared) the test fails in CI and says SKIPPED elsewhere
//! (`common::missing`).

mod common;

use common::{browser, dom, real_model_dir, require_chromium, seed_texts, seeds_dir, side, spans, url};

use std::path::Path;
use std::process::Command;

#[test]
fn seeds_report_in_chromium() {
    let Some(chromium) = require_chromium() else { return };
    let (Some(seeds), Some(model)) = (seeds_dir(), real_model_dir()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let files = seed_texts(&seeds);
    let o = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .env_remove("REPRINT_MODEL")
        .arg("scan")
        .args(&files)
        .args(["--out", out.to_str().unwrap(), "--model", model.to_str().unwrap(), "-q"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let html = out.join("report.html");
    let page = std::fs::read_to_string(&html).unwrap();

    // Nothing external: no element that loads, no CSS url(), no import.
    let lower = page.to_lowercase();
    for needle in ["<link", "<img", "<iframe", " src=", "url(", "@import", "fetch("] {
        assert!(!lower.contains(needle), "report.html contains {needle:?}");
    }

    let profile = dir.path().join("profile");
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let doc = |prefix: &str| names.iter().position(|n| n.contains(prefix)).unwrap();

    // Overview: counts and the story.
    let overview = dom(&chromium, &profile, &html, "/");
    assert!(overview.contains("id=\"stories\""), "{overview}");
    assert!(overview.contains("href=\"#/story/0\""));

    // The story: five versions, 000 on 2022-02-07 and 003 on 2022-02-05.
    let story = dom(&chromium, &profile, &html, "/story/0");
    assert_eq!(story.matches("data-doc=").count(), 5, "five versions");
    assert!(story.contains("class=\"timeline\""));
    let row = |d: usize| {
        let at = story.find(&format!("data-doc=\"{d}\"")).unwrap();
        story[at..at + story[at..].find("</tr>").unwrap()].to_string()
    };
    assert!(row(doc("000_")).contains("2022-02-07 (text)"), "{}", row(doc("000_")));
    assert!(row(doc("003_")).contains("2022-02-05 (text)"), "{}", row(doc("003_")));
    assert!(row(doc("001_")).contains("undated"));
    assert!(story.contains("id=\"pairs\""));

    // 000 against 001: the caption and the two Comment: paragraphs are
    // additions of 001; 000's page chrome is text 001 does not have.
    let compare = dom(&chromium, &profile, &html, &format!("/compare/0/{}/{}", doc("000_"), doc("001_")));
    let added_b = spans(side(&compare, "side-b"), "addition").join("\n");
    assert_eq!(added_b.matches("Comment:").count(), 2, "{added_b}");
    let text_b = std::fs::read_to_string(&files[doc("001_")]).unwrap();
    let caption = text_b.lines().find(|l| !l.trim().is_empty()).unwrap().trim();
    assert!(added_b.contains(caption), "the caption {caption:?}: {added_b}");
    let side_a = side(&compare, "side-a");
    let outside_a = [spans(side_a, "addition"), spans(side_a, "boiler")].concat().join("\n");
    for chrome in ["Description", "Date Created", "by Al Mayadeen"] {
        assert!(outside_a.contains(chrome), "000's {chrome:?} is not article text: {outside_a}");
    }
    assert!(compare.contains("class=\"p-verbatim\""));

    // 002's comment form is boilerplate.
    let with_002 = dom(&chromium, &profile, &html, &format!("/compare/0/{}/{}", doc("002_"), doc("003_")));
    let boiler = spans(side(&with_002, "side-a"), "boiler").join("\n");
    assert!(boiler.contains("Leave a Reply"), "{boiler}");
    assert!(boiler.contains("Connecting to %s"), "{boiler}");

    // 004 has paraphrase links to the others.
    for other in ["002_", "003_"] {
        let c = dom(&chromium, &profile, &html, &format!("/compare/0/{}/{}", doc(other), doc("004_")));
        assert!(side(&c, "side-a").contains("class=\"p-paraphrase\""), "{other} vs 004");
        assert!(side(&c, "side-b").contains("class=\"p-paraphrase\""), "{other} vs 004");
    }

    // Screenshots, for people to look at (target/report-screenshots).
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, fragment) in
        [("story", "/story/0".to_string()), ("compare", format!("/compare/0/{}/{}", doc("000_"), doc("001_")))]
    {
        let png = shots.join(format!("seeds-{name}.png"));
        let o = browser(&chromium, &profile)
            .arg(format!("--screenshot={}", png.display()))
            .arg("--window-size=1280,1000")
            .arg(url(&html, &fragment))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let bytes = std::fs::read(&png).unwrap();
        assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000, "{} is a real picture", png.display());
    }
}

/// The drawn view of a page's DOM: its `<main id="view">` element (the
/// pages differ elsewhere: data elements, the script loaded, the policy).
fn view_of(dom: &str) -> &str {
    let at = dom.find("<main id=\"view\"").unwrap_or_else(|| panic!("no view in {dom}"));
    let end = at + dom[at..].find("</main>").unwrap() + "</main>".len();
    &dom[at..end]
}

/// The folder layout of a large report (forced here on the seeds): the
/// index and the per-story data files draw exactly the views of the single
/// file, and report.html leads to the folder.
#[test]
fn folder_report_shows_the_same_views() {
    let Some(chromium) = require_chromium() else { return };
    let (Some(seeds), Some(model)) = (seeds_dir(), real_model_dir()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let files = seed_texts(&seeds);
    let scan = |out: &Path, layout: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_reprint"))
            .env_remove("REPRINT_MODEL")
            .arg("scan")
            .args(&files)
            .args(["--out", out.to_str().unwrap(), "--model", model.to_str().unwrap(), "-q"])
            .args(["--report-layout", layout])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let (file_out, folder_out) = (dir.path().join("file"), dir.path().join("folder"));
    scan(&file_out, "file");
    scan(&folder_out, "folder");
    let single = file_out.join("report.html");
    let index = folder_out.join("report").join("index.html");
    assert!(folder_out.join("report/data/b0.js").is_file());
    let redirect = std::fs::read_to_string(folder_out.join("report.html")).unwrap();
    assert!(redirect.contains("url=report/index.html"), "{redirect}");
    let page = std::fs::read_to_string(&index).unwrap();
    assert!(!page.contains("id=\"s0\""), "the index holds no story data");

    let profile = dir.path().join("profile");
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let doc = |prefix: &str| names.iter().position(|n| n.contains(prefix)).unwrap();
    let compare = format!("/compare/0/{}/{}", doc("000_"), doc("001_"));
    for fragment in ["/", "/story/0", compare.as_str()] {
        let (want, got) = (dom(&chromium, &profile, &single, fragment), dom(&chromium, &profile, &index, fragment));
        assert_eq!(
            view_of(&got),
            view_of(&want),
            "view {fragment}: the folder report draws what the single file draws"
        );
    }
    // The story view really has its data (drawn from data/b0.js).
    let story = dom(&chromium, &profile, &index, "/story/0");
    assert!(story.contains("id=\"pairs\"") && story.contains("id=\"provenance\""), "{story}");
}
