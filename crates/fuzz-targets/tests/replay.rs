//! Replays the fuzz corpora and regressions on stable Rust: every file of
//! `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`, plus a few
//! hand-written inputs per target (mixed scripts, emoji sequences,
//! combining marks, CRLF, a BOM, lone CRs), through the same functions the
//! fuzzer runs. A target's corpus folder must exist and hold files.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use reprint_fuzz_targets::{FIELD_SEPARATOR, SEPARATOR, TARGETS};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files of `dir`, sorted; none if it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.expect("readable folder").path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    out.sort();
    out
}

fn target(name: &str) -> fn(&[u8]) {
    TARGETS.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no target {name}")).1
}

/// Runs `name` on its corpus, its regressions and `seeds`; fails with the
/// list of inputs that panicked.
fn replay(name: &str) {
    let run = target(name);
    let corpus = files(&fuzz_dir().join("corpus").join(name));
    assert!(!corpus.is_empty(), "fuzz/corpus/{name}/ is missing or empty: seed it (see fuzz/README.md)");
    let regressions = files(&fuzz_dir().join("regressions").join(name));
    let mut inputs: Vec<(String, Vec<u8>)> = corpus
        .iter()
        .chain(&regressions)
        // A running fuzzer replaces corpus files as it shrinks them: one
        // listed a moment ago may be gone.
        .filter_map(|p| match std::fs::read(p) {
            Ok(data) => Some((p.display().to_string(), data)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => panic!("{}: {e}", p.display()),
        })
        .collect();
    inputs.extend(seeds(name).into_iter().enumerate().map(|(i, data)| (format!("seed {i} of {name}"), data)));
    let mut failed = Vec::new();
    for (label, data) in &inputs {
        if catch_unwind(AssertUnwindSafe(|| run(data))).is_err() {
            failed.push(label.clone());
        }
    }
    assert!(
        failed.is_empty(),
        "{name}: {} of {} inputs panicked:\n  {}",
        failed.len(),
        inputs.len(),
        failed.join("\n  ")
    );
}

/// Texts in many scripts and shapes.
const TEXTS: &[&str] = &[
    "",
    " \n\t ",
    "The harbor bridge in Millbrook reopened on Monday after two years of repairs. Mayor Dana Whitfield cut the \
     ribbon at 7 a.m., the city said.\n\nEngineers had closed it when inspectors found corrosion in three of its \
     steel supports.",
    "港の橋が月曜日、二年間の修理を経て再開した。市長がテープを切った。\n\n技術者は腐食を見つけて橋を閉鎖していた。",
    "北京市政府周一宣布，新的地铁线路将于明年开通。市长表示这是重要的一步。",
    "สะพานท่าเรือเปิดอีกครั้งเมื่อวันจันทร์หลังการซ่อมแซมสองปี นายกเทศมนตรีตัดริบบิ้น",
    "أعيد افتتاح جسر الميناء يوم الاثنين بعد عامين من الإصلاحات. وقص رئيس البلدية الشريط.",
    "Family 👩‍👩‍👧‍👦, flags 🇫🇷🇩🇪, a thumb 👍🏽 and a keycap 1️⃣ in one line.",
    "Cafe\u{301} re\u{301}sume\u{301}, n\u{303}o, A\u{30a}ngstro\u{308}m, ﬁne ligature, Ｆｕｌｌ width.",
    "\u{feff}Line one\r\nLine two\r\n\r\nA new paragraph\rafter a lone CR\r",
    "Published: Feb. 5, 2022\n\nBy Jane Doe | 2022-02-05 10:00 | 3 min read\n\nWASHINGTON (Reuters) - Text.",
    "Posted by J. Smith on 5th of February, 2022\nUpdated: 2023-02-29\nDate: 2024-02-29",
    "Dr. Smith arrived at 5 p.m. on Jan. 3. He said \"It's fine.\" Then U.S. officials left.\n- item one\n- item two\n\
     ## A heading\n1) numbered",
    "<p>Tom &amp; Jerry&rsquo;s <b>bold</b> &#x1F600; &#0; &#xD800; &#99999999;</p><script>x<y</script><!--",
    "[a link](https://example.com/path) and &lt;tags&gt; and a < b > c and &unknown; &",
    "Leave a Reply\nYour email address will not be published.\nShare this: Facebook Twitter\n© 2022 Gazette",
];

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let texts = TEXTS.iter().map(|t| t.as_bytes().to_vec());
    let with_flag = |flag: u8, parts: &[&[u8]]| -> Vec<u8> {
        let mut out = vec![flag];
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.push(SEPARATOR);
            }
            out.extend_from_slice(p);
        }
        out
    };
    match target {
        "html_to_text" | "tokenizer" | "sentence" | "date" => {
            let mut out: Vec<Vec<u8>> = texts.collect();
            out.push(vec![0xff, 0xfe, b'a', 0xc3, b' ', 0xe2, 0x82]); // invalid UTF-8
            out
        }
        "jsonl_record" => {
            let mut out: Vec<Vec<u8>> = TEXTS
                .iter()
                .map(|t| {
                    let line = serde_json::json!({"id": 7, "text": t, "title": t, "date": "2022-02-05", "x": [1, {}]});
                    with_flag(0, &[line.to_string().as_bytes()])
                })
                .collect();
            for line in [
                &b"{\"content\": \"body\", \"url\": null, \"text\": 3}"[..],
                b"{\"text\": \"a\", \"text\": \"b\"} ",
                b"{\"text\": \"\\ud800\"}",
                b"{\"text\": \"x\"} {",
                b"[1, 2]",
                b"   \t\r\n",
                b"{\"text\": \"caf\xe9\"}",
            ] {
                out.push(with_flag(0, &[line]));
                out.push(with_flag(1, &[line]));
            }
            out
        }
        "align" => {
            let mut out = Vec::new();
            for (i, t) in TEXTS.iter().enumerate() {
                for flag in 0..16u8 {
                    out.push(with_flag(flag, &[t.as_bytes()]));
                }
                let other = TEXTS[(i + 2) % TEXTS.len()];
                out.push(with_flag(1, &[t.as_bytes(), format!("{other}\n\n{t}").as_bytes()]));
            }
            out
        }
        "scan" => {
            let mut out = Vec::new();
            let joined: Vec<u8> = TEXTS.join("\n\n").into_bytes();
            for flag in [0u8, 1, 2, 8, 16, 24, 25, 56, 64 | 16, 255] {
                out.push(with_flag(flag, &[&joined]));
                let docs: Vec<Vec<u8>> = TEXTS[2..8]
                    .iter()
                    .map(|t| {
                        let mut d = format!("{t}\n\n{}", TEXTS[2]).into_bytes();
                        d.push(FIELD_SEPARATOR);
                        d.extend_from_slice("A title".as_bytes());
                        d.push(FIELD_SEPARATOR);
                        d.extend_from_slice(b"Sat, 05 Feb 2022 10:00:00 +0000");
                        d
                    })
                    .collect();
                let parts: Vec<&[u8]> = docs.iter().map(Vec::as_slice).collect();
                out.push(with_flag(flag, &parts));
            }
            out
        }
        "model_files" => {
            let mut out = Vec::new();
            // Built models: every flag bit, vocabulary and text in many scripts.
            let vocab = "the harbor bridge ##s ##ed 港 橋 北 京 สะพาน جسر 👩 e\u{301} [CLS] café";
            for f0 in [0u8, 1, 2, 4, 8, 0x10, 0x20, 0x30, 0x40, 0x80, 0xff] {
                for f1 in [0u8, 7, 8, 0x18, 0x38] {
                    for t in TEXTS {
                        let flags = [f0, f1, 5, 9];
                        out.push(with_flag(1, &[&flags, vocab.as_bytes(), t.as_bytes()]));
                    }
                }
            }
            // Raw files: a valid model, then broken variants.
            let tokenizer =
                br###"{"normalizer": {"type": "BertNormalizer"}, "pre_tokenizer": {"type": "BertPreTokenizer"},
                "model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "rain": 1, "##s": 2}}}"###;
            let config = br#"{"normalize": true}"#;
            let data: Vec<u8> = [1f32, 0.0, 0.5, 0.5, 0.0, 1.0].iter().flat_map(|x| x.to_le_bytes()).collect();
            let header = br#"{"embeddings": {"dtype": "F32", "shape": [3, 2], "data_offsets": [0, 24]}}"#;
            let mut safetensors = (header.len() as u64).to_le_bytes().to_vec();
            safetensors.extend_from_slice(header);
            safetensors.extend_from_slice(&data);
            let raw = |tokenizer: &[u8], config: &[u8], safetensors: &[u8]| {
                let mut out = vec![0u8];
                out.extend_from_slice(&(tokenizer.len() as u16).to_le_bytes());
                out.extend_from_slice(&(config.len() as u16).to_le_bytes());
                out.extend_from_slice(tokenizer);
                out.extend_from_slice(config);
                out.extend_from_slice(safetensors);
                out
            };
            out.push(raw(tokenizer, config, &safetensors));
            out.push(raw(tokenizer, b"{\"normalize\": 1}", &safetensors));
            out.push(raw(tokenizer, config, &safetensors[..safetensors.len() - 1]));
            out.push(raw(b"[]", config, &safetensors));
            out.push(raw(tokenizer, config, &(u64::MAX).to_le_bytes()));
            let mut st = vec![2u8];
            st.extend_from_slice(&safetensors);
            out.push(st);
            out.push(vec![2u8, 1, 0, 0, 0, 0, 0, 0, 0, b'{']);
            out
        }
        other => panic!("no seeds for {other}"),
    }
}

#[test]
fn every_target_is_replayed_here() {
    let names: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        ["jsonl_record", "html_to_text", "tokenizer", "sentence", "date", "align", "scan", "model_files"]
    );
    for name in names {
        let wrapper = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        assert!(wrapper.is_file(), "{} is missing", wrapper.display());
    }
}

#[test]
fn jsonl_record() {
    replay("jsonl_record");
}

#[test]
fn html_to_text() {
    replay("html_to_text");
}

#[test]
fn tokenizer() {
    replay("tokenizer");
}

#[test]
fn sentence() {
    replay("sentence");
}

#[test]
fn date() {
    replay("date");
}

#[test]
fn align() {
    replay("align");
}

#[test]
fn scan() {
    replay("scan");
}

#[test]
fn model_files() {
    replay("model_files");
}
