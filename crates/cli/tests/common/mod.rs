//! Helpers shared by the end-to-end tests (each test file compiles its own
//! copy, and uses only some of them).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every line of a JSON Lines file, parsed.
pub fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// `../shared` beside the repository: reference corpora and the model.
/// `$REPRINT_SHARED`, when set and not empty, names another place (a
/// checkout elsewhere, or a missing path to check that CI fails without it).
pub fn shared() -> PathBuf {
    match std::env::var_os("REPRINT_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

/// How to provide [`shared`], for the messages of [`missing`].
pub const SHARED_HOW: &str = "put the project's shared data (corpora/seeds, models/potion-base-8M) beside the \
                              repository as ../shared, or set REPRINT_SHARED to where it is";

/// Whether the tests run in CI: `$CI` set to anything but empty, `0` or
/// `false` (GitHub Actions, GitLab CI and `.ci/run` set `CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// A resource the running test needs, `what`, is missing; `how` says how to
/// provide it. In CI ([`in_ci`]) the test fails here: a test that cannot
/// run must not pass. Elsewhere it says `SKIPPED: …` on stderr, written
/// past the test harness's output capture so that it shows in the output
/// of a plain `cargo test`, and the caller returns.
#[track_caller]
pub fn missing(what: &str, how: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    if in_ci() {
        panic!("{test}: {what} is missing (CI is set, so a missing resource fails the test); {how}");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {test}: {what} is missing; {how} (with CI=true this fails)");
}

/// `dir` if it is a directory; otherwise [`missing`] and `None`.
#[track_caller]
pub fn require_dir(dir: PathBuf, what: &str, how: &str) -> Option<PathBuf> {
    if dir.is_dir() {
        return Some(dir);
    }
    missing(&format!("{what} ({})", dir.display()), how);
    None
}

/// The seed corpus, `corpora/seeds` of [`shared`], or `None` after
/// [`missing`].
#[track_caller]
pub fn seeds_dir() -> Option<PathBuf> {
    require_dir(shared().join("corpora/seeds"), "the seed corpus", SHARED_HOW)
}

/// The real embedding model, `models/potion-base-8M` of [`shared`], or
/// `None` after [`missing`].
#[track_caller]
pub fn real_model_dir() -> Option<PathBuf> {
    require_dir(shared().join("models/potion-base-8M"), "the potion-base-8M model", SHARED_HOW)
}

/// The five seed texts (`*.txt` of `seeds`), sorted by name.
pub fn seed_texts(seeds: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

/// The write end of a pipe whose read end is already closed, for a child's
/// standard output: its first write fails with `EPIPE`, every time (what
/// `reprint … | head -1` does once `head` has exited). Made without libc:
/// the standard input of a `true` that has exited.
pub fn closed_pipe() -> std::process::Stdio {
    let mut reader = std::process::Command::new("true").stdin(std::process::Stdio::piped()).spawn().expect("true runs");
    let write_end = reader.stdin.take().expect("piped");
    reader.wait().expect("true exits");
    write_end.into()
}

// Headless Chromium, for the report's browser tests.

/// The Chromium binary: `$REPRINT_CHROMIUM`, or Debian's.
pub fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("REPRINT_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// [`chromium`], or [`missing`] (which fails under CI) and `None`.
pub fn require_chromium() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        missing(
            "Chromium (/usr/bin/chromium, chromium-browser or google-chrome)",
            "install it (`apt-get install chromium`, as .ci/run does) or set REPRINT_CHROMIUM to its path",
        );
    }
    found
}

/// Chromium as the environment notes require on this machine: headless, no
/// sandbox (root), and no background connections (the network is closed).
pub fn browser(chromium: &Path, profile: &Path) -> Command {
    let mut c = Command::new(chromium);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

pub fn url(html: &Path, fragment: &str) -> String {
    format!("file://{}#{fragment}", html.display())
}

/// The DOM of a view after the report's script ran.
pub fn dom(chromium: &Path, profile: &Path, html: &Path, fragment: &str) -> String {
    let o = browser(chromium, profile).arg("--dump-dom").arg(url(html, fragment)).output().expect("chromium runs");
    assert!(o.status.success(), "chromium failed: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Texts of the leaf elements `<span class="CLASS" …>text</span>`.
pub fn spans(dom: &str, class: &str) -> Vec<String> {
    let open = format!("<span class=\"{class}\"");
    let mut out = Vec::new();
    let mut rest = dom;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at..];
        let start = after.find('>').unwrap() + 1;
        let end = after[start..].find("</span>").unwrap() + start;
        out.push(after[start..end].replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"));
        rest = &after[end..];
    }
    out
}

/// The part of the DOM of one side of a comparison.
pub fn side<'d>(dom: &'d str, class: &str) -> &'d str {
    let at = dom.find(&format!("class=\"side {class}\"")).unwrap_or_else(|| panic!("no {class} in the DOM"));
    let rest = &dom[at..];
    let end = rest[1..].find("class=\"side ").map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

/// The text of a piece of DOM: tags dropped, the five entities decoded.
pub fn dom_text(dom: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in dom.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}
