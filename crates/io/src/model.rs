//! Embedding model directories: where to find one, how to check its files
//! and how to load it into a [`StaticModel`].
//!
//! A model directory holds `tokenizer.json`, `model.safetensors` and
//! `config.json` (a model2vec model as published on the HuggingFace hub),
//! and optionally `MODEL-MANIFEST.json`, which `reprint model pull` writes:
//!
//! ```json
//! {"name": "potion-base-8M", "provider": "model2vec", "dimension": 256,
//!  "files": {"config.json": "sha256:58df…", "tokenizer.json": "sha256:273c…"},
//!  "source": "https://huggingface.co/minishlab/potion-base-8M"}
//! ```
//!
//! [`find_model`] looks, in order, at the directory given on the command line
//! (`--model DIR`), the `REPRINT_MODEL` environment variable and the user
//! cache, `$XDG_CACHE_HOME/reprint/models/potion-base-8M` (or
//! `$HOME/.cache/reprint/models/potion-base-8M`). A directory the user named
//! must be a model directory; a missing cache is "no model", reported with
//! every place looked at so the caller can fall back and say why.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use reprint_core::embed::{ModelError, StaticModel};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::output::AtomicFile;

/// The model reprint uses when none is named.
pub const DEFAULT_MODEL: &str = "potion-base-8M";
/// The environment variable naming a model directory.
pub const MODEL_ENV: &str = "REPRINT_MODEL";
/// The files a model directory must hold.
pub const MODEL_FILES: [&str; 3] = ["tokenizer.json", "model.safetensors", "config.json"];
/// The name of the checksum manifest in a model directory.
pub const MANIFEST_FILE: &str = "MODEL-MANIFEST.json";

/// A model reprint knows how to download, with the SHA-256 of each file.
#[derive(Clone, Copy, Debug)]
pub struct KnownModel {
    pub name: &'static str,
    /// Publisher on the HuggingFace hub.
    pub owner: &'static str,
    pub license: &'static str,
    /// Every file with its SHA-256 (hex); [`MODEL_FILES`] are required, the
    /// others (`README.md`, `modules.json`) are fetched when present.
    pub files: &'static [(&'static str, &'static str)],
}

/// Models with pinned checksums.
pub const KNOWN_MODELS: &[KnownModel] = &[KnownModel {
    name: "potion-base-8M",
    owner: "minishlab",
    license: "MIT",
    files: &[
        ("config.json", "58df0de760ffa5c117efc1fbe5d523b6365fe7ed799f4d981aff5f575e80d4b2"),
        ("tokenizer.json", "273ca9e28ec6990aea6206b0364443754d87e87a5dd28e94026ea9999ba3bf62"),
        ("model.safetensors", "f65d0f325faadc1e121c319e2faa41170d3fa07d8c89abd48ca5358d9a223de2"),
        ("README.md", "e6c78b2aa2c8d69a10a55c763b96f545bd60ff071cfc5921179b9251e9fcf0e0"),
        ("modules.json", "a68dcbed0429dcdd5bfdca92b0b03cc30d09122c0a3fcf4758787d4b244e45b2"),
    ],
}];

/// The pinned entry for `name`, if reprint knows it.
pub fn known_model(name: &str) -> Option<&'static KnownModel> {
    KNOWN_MODELS.iter().find(|m| m.name == name)
}

/// Where a model directory was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `--model DIR` on the command line.
    Flag,
    /// The `REPRINT_MODEL` environment variable.
    Environment,
    /// The user cache.
    Cache,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Origin::Flag => "--model",
            Origin::Environment => "$REPRINT_MODEL",
            Origin::Cache => "the user cache",
        })
    }
}

/// A model directory and how it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelDir {
    pub path: PathBuf,
    pub origin: Origin,
}

/// Why no model directory could be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindError {
    /// A directory the user named (`--model`, `REPRINT_MODEL`) is not a
    /// model directory.
    NotAModel { path: PathBuf, origin: Origin, reason: String },
    /// Nothing named and nothing in the cache: each place looked at, and
    /// what was there.
    NotFound { looked: Vec<String> },
}

impl fmt::Display for FindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FindError::NotAModel { path, origin, reason } => {
                write!(f, "{} (from {origin}) is not a model directory: {reason}", path.display())
            }
            FindError::NotFound { looked } => write!(
                f,
                "no embedding model found (looked at {}); `reprint model pull` downloads {DEFAULT_MODEL}, or pass \
                 --model DIR or set {MODEL_ENV}",
                looked.join("; ")
            ),
        }
    }
}

impl std::error::Error for FindError {}

/// The user cache directory for model `name`:
/// `$XDG_CACHE_HOME/reprint/models/NAME`, else
/// `$HOME/.cache/reprint/models/NAME`. `None` if neither variable is set.
pub fn cache_dir(name: &str) -> Option<PathBuf> {
    cache_dir_from(name, std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME"))
}

fn cache_dir_from(name: &str, xdg_cache_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    // The XDG spec says relative values are to be ignored.
    let root = match xdg_cache_home.map(PathBuf::from).filter(|p| p.is_absolute()) {
        Some(xdg) => xdg,
        None => PathBuf::from(home.filter(|h| !h.is_empty())?).join(".cache"),
    };
    Some(root.join("reprint").join("models").join(name))
}

/// What a directory lacks to be a model directory; `None` if it is one.
fn missing_files(dir: &Path) -> Option<String> {
    if !dir.is_dir() {
        return Some(if dir.exists() { "not a directory".into() } else { "does not exist".into() });
    }
    let missing: Vec<&str> = MODEL_FILES.iter().copied().filter(|f| !dir.join(f).is_file()).collect();
    (!missing.is_empty()).then(|| format!("lacks {}", missing.join(", ")))
}

/// Finds the model directory: `explicit` (from `--model`), else
/// `$REPRINT_MODEL`, else the user cache of [`DEFAULT_MODEL`].
pub fn find_model(explicit: Option<&Path>) -> Result<ModelDir, FindError> {
    locate(explicit, std::env::var_os(MODEL_ENV), cache_dir(DEFAULT_MODEL))
}

/// [`find_model`] with the environment passed in.
pub fn locate(
    explicit: Option<&Path>,
    environment: Option<OsString>,
    cache: Option<PathBuf>,
) -> Result<ModelDir, FindError> {
    let named = match (explicit, environment.filter(|e| !e.is_empty())) {
        (Some(path), _) => Some((path.to_path_buf(), Origin::Flag)),
        (None, Some(env)) => Some((PathBuf::from(env), Origin::Environment)),
        (None, None) => None,
    };
    if let Some((path, origin)) = named {
        return match missing_files(&path) {
            None => Ok(ModelDir { path, origin }),
            Some(reason) => Err(FindError::NotAModel { path, origin, reason }),
        };
    }
    let mut looked = vec!["--model (not given)".to_string(), format!("${MODEL_ENV} (not set)")];
    match cache {
        None => looked.push("the user cache (neither $XDG_CACHE_HOME nor $HOME is set)".into()),
        Some(path) => match missing_files(&path) {
            None => return Ok(ModelDir { path, origin: Origin::Cache }),
            Some(reason) => looked.push(format!("{} ({reason})", path.display())),
        },
    }
    Err(FindError::NotFound { looked })
}

/// Why a model directory could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    Read { path: PathBuf, source: io::Error },
    Model { dir: PathBuf, source: ModelError },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Read { path, source } => write!(f, "{}: {source}", path.display()),
            LoadError::Model { dir, source } => write!(f, "{}: {source}", dir.display()),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Read { source, .. } => Some(source),
            LoadError::Model { source, .. } => Some(source),
        }
    }
}

/// What [`find_and_load`] found.
pub enum Found {
    /// The model, loaded.
    Model(Box<StaticModel>),
    /// No model anywhere ([`FindError::NotFound`], whose message says where
    /// it looked): a front door says so once and goes on without.
    Nothing(FindError),
}

/// Finds the model ([`find_model`]) and loads it. A directory that was
/// named but is not a model, or a model that does not load, is an error
/// (with the directory and where its name came from).
pub fn find_and_load(explicit: Option<&Path>) -> Result<Found, Box<dyn std::error::Error + Send + Sync>> {
    match find_model(explicit) {
        Ok(dir) => match load_model(&dir.path) {
            Ok(model) => Ok(Found::Model(Box::new(model))),
            Err(e) => Err(format!("cannot load the model in {} (from {}): {e}", dir.path.display(), dir.origin).into()),
        },
        Err(e @ FindError::NotFound { .. }) => Ok(Found::Nothing(e)),
        Err(e) => Err(e.into()),
    }
}

/// Reads the three files of a model directory and loads the model.
pub fn load_model(dir: &Path) -> Result<StaticModel, LoadError> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|source| LoadError::Read { path, source })
    };
    let (tokenizer, weights, config) = (read("tokenizer.json")?, read("model.safetensors")?, read("config.json")?);
    StaticModel::from_bytes(&tokenizer, &weights, &config)
        .map_err(|source| LoadError::Model { dir: dir.to_path_buf(), source })
}

/// The SHA-256 of a file, as lowercase hex.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The checksums of a model directory, from its `MODEL-MANIFEST.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// File name → SHA-256 (lowercase hex).
    pub files: BTreeMap<String, String>,
}

/// The state of one file listed in a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileCheck {
    Match,
    Mismatch {
        actual: String,
    },
    /// Missing or unreadable: the reason.
    Unreadable(String),
}

/// Reads `dir/MODEL-MANIFEST.json`; `Ok(None)` if there is none.
pub fn read_manifest(dir: &Path) -> Result<Option<Manifest>, String> {
    let path = dir.join(MANIFEST_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    parse_manifest(&bytes).map(Some).map_err(|reason| format!("{}: {reason}", path.display()))
}

fn parse_manifest(bytes: &[u8]) -> Result<Manifest, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    let files = value.get("files").and_then(Value::as_object).ok_or("no \"files\" object")?;
    let mut out = BTreeMap::new();
    for (name, sum) in files {
        // Plain names only: a manifest must not point outside its directory.
        if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
            return Err(format!("file name {name:?} is not a plain file name"));
        }
        let hex = sum
            .as_str()
            .and_then(|s| s.strip_prefix("sha256:"))
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| format!("the sum of {name} is not \"sha256:\" and 64 hex digits"))?;
        out.insert(name.clone(), hex.to_ascii_lowercase());
    }
    Ok(Manifest { files: out })
}

impl Manifest {
    /// Hashes every listed file and compares.
    pub fn verify(&self, dir: &Path) -> Vec<(String, FileCheck)> {
        self.files
            .iter()
            .map(|(name, expected)| {
                let check = match sha256_file(&dir.join(name)) {
                    Ok(actual) if &actual == expected => FileCheck::Match,
                    Ok(actual) => FileCheck::Mismatch { actual },
                    Err(e) => FileCheck::Unreadable(e.to_string()),
                };
                (name.clone(), check)
            })
            .collect()
    }
}

/// Writes `dir/MODEL-MANIFEST.json` atomically.
pub fn write_manifest(
    dir: &Path,
    name: &str,
    source: &str,
    dimension: usize,
    license: Option<&str>,
    files: &BTreeMap<String, String>,
) -> io::Result<()> {
    let sums: serde_json::Map<String, Value> =
        files.iter().map(|(f, sum)| (f.clone(), Value::String(format!("sha256:{sum}")))).collect();
    let mut manifest = json!({
        "name": name,
        "provider": "model2vec",
        "dimension": dimension,
        "files": sums,
        "source": source,
    });
    if let Some(license) = license {
        manifest["license"] = Value::String(license.to_string());
    }
    let mut out = AtomicFile::create(&dir.join(MANIFEST_FILE))?;
    serde_json::to_writer_pretty(&mut out, &manifest)?;
    out.write_all(b"\n")?;
    out.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_dir(dir: &Path) {
        for f in MODEL_FILES {
            std::fs::write(dir.join(f), "x").unwrap();
        }
    }

    #[test]
    fn cache_location() {
        let os = |s: &str| Some(OsString::from(s));
        let expected = PathBuf::from("/xdg/reprint/models/m");
        assert_eq!(cache_dir_from("m", os("/xdg"), os("/home/u")), Some(expected));
        let home = PathBuf::from("/home/u/.cache/reprint/models/m");
        assert_eq!(cache_dir_from("m", os("relative"), os("/home/u")), Some(home.clone()));
        assert_eq!(cache_dir_from("m", None, os("/home/u")), Some(home));
        assert_eq!(cache_dir_from("m", None, None), None);
    }

    #[test]
    fn search_order() {
        let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for d in [&a, &b, &c] {
            model_dir(d.path());
        }
        let found = |explicit: Option<&Path>, env: Option<&Path>, cache: Option<&Path>| {
            locate(explicit, env.map(OsString::from), cache.map(Path::to_path_buf))
        };
        let dir = |path: &Path, origin| Ok(ModelDir { path: path.to_path_buf(), origin });
        assert_eq!(found(Some(a.path()), Some(b.path()), Some(c.path())), dir(a.path(), Origin::Flag));
        assert_eq!(found(None, Some(b.path()), Some(c.path())), dir(b.path(), Origin::Environment));
        assert_eq!(found(None, None, Some(c.path())), dir(c.path(), Origin::Cache));

        // A named directory must be a model: no falling back behind the user's back.
        std::fs::remove_file(a.path().join("config.json")).unwrap();
        let e = found(Some(a.path()), None, Some(c.path())).unwrap_err();
        assert!(e.to_string().contains("(from --model) is not a model directory: lacks config.json"), "{e}");
        let gone = a.path().join("nope");
        let e = found(None, Some(&gone), Some(c.path())).unwrap_err();
        assert!(e.to_string().contains("(from $REPRINT_MODEL) is not a model directory: does not exist"), "{e}");

        // Nothing anywhere: every place looked at is named.
        let e = found(None, None, Some(&gone)).unwrap_err().to_string();
        assert!(e.starts_with("no embedding model found (looked at --model (not given); $REPRINT_MODEL (not set); "));
        assert!(e.contains(&format!("{} (does not exist)", gone.display())), "{e}");
        assert!(e.contains("reprint model pull"));
        let e = found(None, None, None).unwrap_err().to_string();
        assert!(e.contains("neither $XDG_CACHE_HOME nor $HOME is set"), "{e}");
    }

    #[test]
    fn manifest_round_trip_and_checks() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.json"), "abc").unwrap();
        std::fs::write(dir.path().join("b.bin"), "xyz").unwrap();
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sha256_file(&dir.path().join("a.json")).unwrap(), abc);
        let mut files = BTreeMap::new();
        files.insert("a.json".to_string(), abc.to_string());
        files.insert("b.bin".to_string(), abc.to_string());
        files.insert("c.txt".to_string(), abc.to_string());
        write_manifest(dir.path(), "m", "https://example.invalid/m", 4, Some("MIT"), &files).unwrap();
        let manifest = read_manifest(dir.path()).unwrap().unwrap();
        assert_eq!(manifest.files, files);
        let checks = manifest.verify(dir.path());
        assert_eq!(checks[0], ("a.json".to_string(), FileCheck::Match));
        assert!(matches!(&checks[1].1, FileCheck::Mismatch { actual } if actual != abc));
        assert!(matches!(&checks[2].1, FileCheck::Unreadable(_)));

        assert_eq!(read_manifest(&dir.path().join("none")).unwrap(), None);
        let bad = |json: &str| parse_manifest(json.as_bytes()).unwrap_err();
        assert!(bad(r#"{"files": {"../x": "sha256:00"}}"#).contains("plain file name"));
        assert!(bad(r#"{"files": {"x": "md5:00"}}"#).contains("64 hex digits"));
        assert!(bad(r#"{"name": "x"}"#).contains("\"files\""));
        assert!(bad("{").contains("not valid JSON"));
    }

    /// `../shared` beside the repository, or `$REPRINT_SHARED` (as in the
    /// end-to-end tests' `common::shared`).
    fn shared() -> PathBuf {
        match std::env::var_os("REPRINT_SHARED") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        }
    }

    /// A resource this test needs is missing: the test fails under `CI`
    /// (set, and not empty, `0` or `false`), and elsewhere says `SKIPPED: …`
    /// on stderr past the harness's capture, and the caller returns (as
    /// `common::missing` of the end-to-end tests).
    #[track_caller]
    fn missing(what: &str, how: &str) {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"));
        if ci {
            panic!("{what} is missing (CI is set, so a missing resource fails the test); {how}");
        }
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "SKIPPED: {what} is missing; {how} (with CI=true this fails)");
    }

    #[test]
    fn the_real_manifest_matches_the_builtin_table() {
        let real = shared().join("models/potion-base-8M");
        let manifest = match read_manifest(&real) {
            Ok(Some(manifest)) => manifest,
            Ok(None) => {
                missing(
                    &format!("the manifest of potion-base-8M ({})", real.join(MANIFEST_FILE).display()),
                    "put the project's shared data beside the repository as ../shared, or set REPRINT_SHARED \
                     to where it is",
                );
                return;
            }
            Err(e) => panic!("{e}"),
        };
        let known = known_model(DEFAULT_MODEL).unwrap();
        let table: BTreeMap<String, String> = known.files.iter().map(|(f, s)| (f.to_string(), s.to_string())).collect();
        assert_eq!(manifest.files, table);
    }
}
