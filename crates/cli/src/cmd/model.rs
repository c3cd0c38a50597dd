//! `reprint model pull|info`: download an embedding model into the user
//! cache and show which model reprint would use. `reprint model embed`
//! (hidden) embeds lines from standard input, for the parity check against
//! the Python reference (`bench/model_parity.py`).

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use reprint_core::embed::TokenIds;
use reprint_io::model::{
    cache_dir, find_model, known_model, load_model, read_manifest, sha256_file, write_manifest, FileCheck,
    DEFAULT_MODEL, MANIFEST_FILE, MODEL_ENV, MODEL_FILES,
};
use reprint_io::output::AtomicFile;
use sha2::{Digest, Sha256};

use crate::messages::download_bar;
use crate::Status;

#[derive(Args, Debug)]
pub struct ModelArgs {
    #[command(subcommand)]
    command: ModelCommand,
}

#[derive(Subcommand, Debug)]
enum ModelCommand {
    /// Download a model2vec model (default potion-base-8M) into the user cache and check its SHA-256 sums.
    #[command(after_help = "Files come from https://huggingface.co/minishlab/NAME/resolve/main/. Without network, \
copy a model directory (tokenizer.json, model.safetensors, config.json) by hand and pass --model DIR or set \
REPRINT_MODEL.")]
    Pull(PullArgs),
    /// Show which model reprint uses (--model, $REPRINT_MODEL, the user cache) and check its files.
    Info(InfoArgs),
    /// Embed each line of standard input (a JSON string) as a JSON array (for parity checks).
    #[command(hide = true)]
    Embed(EmbedArgs),
}

#[derive(Args, Debug)]
struct PullArgs {
    /// Model name on the HuggingFace hub, under minishlab/.
    #[arg(default_value = DEFAULT_MODEL, value_name = "NAME")]
    name: String,
    /// Directory to download into (default: the user cache, $XDG_CACHE_HOME/reprint/models/NAME).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Where models are downloaded from (for tests).
    #[arg(long, hide = true, default_value = "https://huggingface.co/minishlab", value_name = "URL")]
    base_url: String,
}

#[derive(Args, Debug)]
struct InfoArgs {
    /// Model directory (default: $REPRINT_MODEL, then the user cache).
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct EmbedArgs {
    /// Model directory (default: $REPRINT_MODEL, then the user cache).
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Write the token ids (unknown tokens left out) instead of the embedding.
    #[arg(long)]
    ids: bool,
}

pub fn run(args: ModelArgs) -> Result<Status> {
    match args.command {
        ModelCommand::Pull(args) => pull(&args),
        ModelCommand::Info(args) => info(&args),
        ModelCommand::Embed(args) => embed(&args),
    }
}

/// The files to fetch: each with its pinned SHA-256 if the model is known,
/// and whether it is required.
fn files_to_fetch(name: &str) -> Vec<(&'static str, Option<&'static str>, bool)> {
    let required = |f: &str| MODEL_FILES.contains(&f);
    match known_model(name) {
        Some(known) => known.files.iter().map(|&(f, sum)| (f, Some(sum), required(f))).collect(),
        None => ["config.json", "tokenizer.json", "model.safetensors", "README.md", "modules.json"]
            .into_iter()
            .map(|f| (f, None, required(f)))
            .collect(),
    }
}

fn pull(args: &PullArgs) -> Result<Status> {
    let dir = match &args.dir {
        Some(dir) => dir.clone(),
        None => cache_dir(&args.name)
            .context("no user cache directory (neither $XDG_CACHE_HOME nor $HOME is set); pass --dir DIR")?,
    };
    let existed = dir.exists();
    let result = pull_into(args, &dir);
    if result.is_err() && !existed {
        // Leave no empty directory behind (remove_dir fails if files were saved).
        let _ = std::fs::remove_dir(&dir);
    }
    result
}

fn pull_into(args: &PullArgs, dir: &Path) -> Result<Status> {
    let name = args.name.as_str();
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        bail!("{name:?} is not a model name (expected a name like {DEFAULT_MODEL})");
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let base = args.base_url.trim_end_matches('/');
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_resolve(Some(Duration::from_secs(15)))
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        .user_agent(concat!("reprint/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let known = known_model(name);

    let mut sums = BTreeMap::new();
    for (file, pinned, required) in files_to_fetch(name) {
        let target = dir.join(file);
        if let Some(pinned) = pinned {
            if target.is_file() && sha256_file(&target).is_ok_and(|sum| sum == pinned) {
                if !args.quiet {
                    crate::messages::eprint_line(&format!("{file}: already present, sha256 ok"));
                }
                sums.insert(file.to_string(), pinned.to_string());
                continue;
            }
        }
        let url = format!("{base}/{name}/resolve/main/{file}");
        match download(&agent, &url, &target, file, pinned, args.quiet) {
            Ok(sum) => {
                sums.insert(file.to_string(), sum);
            }
            Err(Fetch::Missing(_)) if !required => {}
            Err(Fetch::Missing(reason) | Fetch::Failed(reason)) => bail!(
                "cannot download {name} from {url}: {reason}. Copy a model directory by hand and pass --model DIR \
                 or set {MODEL_ENV}."
            ),
            Err(Fetch::Local(e)) => return Err(e),
        }
    }

    let model = load_model(dir).context("the downloaded model does not load")?;
    let source = format!("{base}/{name}");
    write_manifest(dir, name, &source, model.dim(), known.map(|k| k.license), &sums)
        .with_context(|| format!("cannot write {}", dir.join(MANIFEST_FILE).display()))?;
    let check = if known.is_some() { "sha256 checked against reprint's table" } else { "sha256 recorded, not checked" };
    // Errors writing stdout (a closed pipe) end the command; main says nothing for those.
    let mut out = io::stdout().lock();
    writeln!(out, "{name}: {} (dimension {}, {} token ids; {check})", dir.display(), model.dim(), model.vocab_size())?;
    if args.dir.is_some() {
        writeln!(out, "use it with --model {} or {MODEL_ENV}={}", dir.display(), dir.display())?;
    }
    Ok(Status::Complete)
}

enum Fetch {
    /// The server has no such file (HTTP 404).
    Missing(String),
    /// Network or HTTP failure.
    Failed(String),
    /// Writing the local file failed, or its sum is not the pinned one.
    Local(anyhow::Error),
}

/// Downloads `url` into `target` atomically, returning its SHA-256; with a
/// `pinned` sum, the file is kept only if it has that sum.
fn download(
    agent: &ureq::Agent,
    url: &str,
    target: &Path,
    file: &str,
    pinned: Option<&str>,
    quiet: bool,
) -> Result<String, Fetch> {
    let mut response = match agent.get(url).call() {
        Ok(response) => response,
        Err(ureq::Error::StatusCode(404)) => return Err(Fetch::Missing("HTTP 404 not found".into())),
        Err(ureq::Error::StatusCode(code)) => return Err(Fetch::Failed(format!("HTTP status {code}"))),
        Err(e) => return Err(Fetch::Failed(e.to_string())),
    };
    let total = response.body().content_length();
    let local = |e: io::Error| Fetch::Local(anyhow!(e).context(format!("cannot write {}", target.display())));
    let mut out = AtomicFile::create(target).map_err(local)?;
    let bar = if quiet { None } else { download_bar(file, total) };
    let mut reader = response.body_mut().as_reader();
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Fetch::Failed(format!("reading the response: {e}"))),
        };
        hasher.update(&buffer[..n]);
        out.write_all(&buffer[..n]).map_err(local)?;
        if let Some(bar) = &bar {
            bar.inc(n as u64);
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let sum = reprint_io::model::hex(&hasher.finalize());
    if let Some(pinned) = pinned.filter(|&p| p != sum) {
        // Dropping `out` removes the temporary file.
        return Err(Fetch::Local(anyhow!("{url}: sha256 is {sum}, expected {pinned}; the file was not saved")));
    }
    out.commit().map_err(local)?;
    Ok(sum)
}

fn info(args: &InfoArgs) -> Result<Status> {
    use std::fmt::Write as _;
    let found = find_model(args.model.as_deref())?;
    let dir = &found.path;
    let model = load_model(dir)?;
    let mut text = String::new();
    writeln!(text, "model       {} (from {})", dir.display(), found.origin)?;
    writeln!(text, "dimension   {}", model.dim())?;
    writeln!(text, "vocabulary  {} token ids", model.vocab_size())?;
    if model.rows() != model.vocab_size() {
        writeln!(text, "vectors     {}", model.rows())?;
    }
    writeln!(text, "normalize   {}", model.normalize())?;
    let bad: Vec<String> = match read_manifest(dir).map_err(|e| anyhow!(e))? {
        None => {
            writeln!(text, "manifest    none ({MANIFEST_FILE} absent; files not checked)")?;
            Vec::new()
        }
        Some(manifest) => {
            let checks = manifest.verify(dir);
            let bad: Vec<String> = checks
                .iter()
                .filter_map(|(file, check)| match check {
                    FileCheck::Match => None,
                    FileCheck::Mismatch { actual } => {
                        Some(format!("{file}: sha256 {actual}, expected {}", manifest.files[file.as_str()]))
                    }
                    FileCheck::Unreadable(reason) => Some(format!("{file}: {reason}")),
                })
                .collect();
            if bad.is_empty() {
                writeln!(text, "manifest    {} files, sha256 ok", checks.len())?;
            } else {
                writeln!(text, "manifest    {} of {} files do not match {MANIFEST_FILE}", bad.len(), checks.len())?;
                for line in &bad {
                    writeln!(text, "            {line}")?;
                }
            }
            bad
        }
    };
    // A closed stdout (`reprint model info | head -1`) loses the text, not
    // the verdict: a mismatch still ends with exit status 1.
    let shown = io::stdout().lock().write_all(text.as_bytes());
    if !bad.is_empty() {
        bail!("{}: files do not match {MANIFEST_FILE}", dir.display());
    }
    shown?;
    Ok(Status::Complete)
}

fn embed(args: &EmbedArgs) -> Result<Status> {
    let found = find_model(args.model.as_deref())?;
    let model = load_model(&found.path)?;
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut tokens = TokenIds::default();
    let mut vector = vec![0.0f32; model.dim()];
    for (i, line) in stdin.lines().enumerate() {
        let line = line.context("cannot read standard input")?;
        let text: String =
            serde_json::from_str(&line).with_context(|| format!("stdin:{}: not a JSON string", i + 1))?;
        model.encode_with(&text, &mut tokens, &mut vector);
        if args.ids {
            serde_json::to_writer(&mut out, &tokens.ids)?;
        } else {
            serde_json::to_writer(&mut out, &vector)?;
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(Status::Complete)
}
