//! Static sentence embeddings in the model2vec format, in pure Rust.
//!
//! A model2vec model is a table of one vector per vocabulary entry of a BERT
//! WordPiece tokenizer. A text's embedding is the mean of the vectors of its
//! tokens (unknown tokens left out), L2-normalized when the model's config
//! says `normalize`. There is no network, no attention and no context: the
//! same word has the same vector everywhere, which is what makes embedding a
//! whole corpus cheap. [`StaticModel`] reproduces `model2vec`'s
//! `StaticModel.encode` (see "Parity" below).
//!
//! A model is three files, passed here as bytes (this crate does no I/O;
//! `reprint-io` finds and reads a model directory):
//!
//! - `tokenizer.json`: a HuggingFace `tokenizers` file with a
//!   `BertNormalizer`, a `BertPreTokenizer` and a `WordPiece` model. Other
//!   normalizers, pre-tokenizers and models (BPE, Unigram) are refused with
//!   an error naming the field, never tokenized approximately.
//! - `model.safetensors`: the `embeddings` matrix (F32, F16 or BF16,
//!   widened to f32 at load; or model2vec's unscaled I8), and optionally a per-token `weights` vector and
//!   a `mapping` from token id to row (vocabulary-quantized models).
//! - `config.json`: `normalize` (absent means false, as in model2vec).
//!
//! Principal items:
//!
//! - [`StaticModel::from_bytes`] loads and validates a model; the model is
//!   immutable and `Sync`, so one copy serves every thread;
//! - [`StaticModel::encode`] embeds one text;
//! - [`StaticModel::token_ids`] tokenizes a whole document once into a
//!   caller-owned [`TokenIds`] (ids and the byte offset where each token
//!   starts), and [`StaticModel::pool`] embeds any run of those ids: many
//!   sentences of one document cost one tokenization;
//! - [`cosine`] compares two vectors.
//!
//! # Example
//!
//! ```
//! use reprint_core::embed::safetensors::{serialize, Dtype};
//! use reprint_core::embed::{cosine, StaticModel, TokenIds};
//!
//! let tokenizer = r###"{
//!   "normalizer": {"type": "BertNormalizer", "lowercase": true},
//!   "pre_tokenizer": {"type": "BertPreTokenizer"},
//!   "model": {"type": "WordPiece", "unk_token": "[UNK]",
//!             "vocab": {"[UNK]": 0, "storm": 1, "##s": 2, "rain": 3, "calm": 4}}
//! }"###;
//! let rows: [[f32; 2]; 5] = [[0.0, 0.0], [1.0, 0.0], [0.0, 0.0], [1.0, 1.0], [-1.0, 0.0]];
//! let bytes: Vec<u8> = rows.iter().flatten().flat_map(|x| x.to_le_bytes()).collect();
//! let weights = serialize(&[("embeddings", Dtype::F32, &[5, 2], &bytes)]);
//! let model = StaticModel::from_bytes(tokenizer.as_bytes(), &weights, br#"{"normalize": true}"#)?;
//!
//! let (mut a, mut b) = (vec![0.0; model.dim()], vec![0.0; model.dim()]);
//! model.encode("Storms and rain", &mut a); // "storm ##s rain"; "and" is unknown
//! model.encode("STORM, rain!", &mut b);
//! assert!(cosine(&a, &b) > 0.99);
//!
//! // One tokenization, many sentences.
//! let text = "Rain. Calm storms.";
//! let mut tokens = TokenIds::default();
//! model.token_ids(text, &mut tokens);
//! assert_eq!(tokens.ids, [3, 4, 1, 2]);
//! assert_eq!(tokens.starts, [0, 6, 11, 16]);
//! let second = tokens.range(6..text.len());
//! model.pool(&tokens.ids[second], &mut a);
//! assert!(a[0].abs() < 1e-6); // calm and storm cancel out
//! # Ok::<(), reprint_core::embed::ModelError>(())
//! ```
//!
//! # Parity with model2vec
//!
//! Tokenization follows HuggingFace `tokenizers` rule for rule (see the
//! `wordpiece` module) and `bench/model_parity.py` compares whole embeddings
//! with the Python package on the real model. Two things differ on purpose:
//! model2vec's `encode` cuts texts to 512 tokens (and first to 512 × the
//! median token length in characters); [`StaticModel::encode`] embeds the
//! whole text. Sums run in f32 in token order, so results differ from
//! numpy's in the last bits.
//!
//! # Costs
//!
//! Memory: rows × dimension × 4 bytes for the vectors (potion-base-8M:
//! 29,528 × 256 → 30 MB) plus about 2 MB for the vocabulary tables. Time:
//! one table probe per candidate piece while tokenizing (ASCII text takes a
//! table-driven path), and `dimension` adds per token while pooling. With
//! potion-base-8M on the PAN 2013 source texts (English web text, 1.33
//! tokens per word), one thread of a shared 2-core machine tokenizes about
//! 105 MB/s and embeds whole documents at about 58 MB/s, or every sentence
//! of them at about 57 MB/s (350,000 sentences/s):
//! `cargo bench -p reprint-core --bench hot_paths -- embed`.

pub mod safetensors;
mod wordpiece;

use std::fmt;
use std::ops::Range;

use serde_json::Value;

use self::safetensors::Tensors;
use self::wordpiece::WordPiece;

/// Why a model could not be loaded. Every variant names the file, and the
/// field or tensor, that is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    /// A JSON file does not parse.
    Json { file: &'static str, reason: String },
    /// A field is missing or has the wrong type or value.
    Field { file: &'static str, field: String, reason: String },
    /// A field names something reprint does not implement.
    Unsupported { file: &'static str, field: String, found: String, supported: &'static str },
    /// `model.safetensors` is not a valid safetensors file.
    Safetensors { reason: String },
    /// A tensor is missing or has the wrong type, shape or values.
    Tensor { name: String, reason: String },
    /// The tokenizer and the tensors do not fit together.
    Inconsistent { reason: String },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::Json { file, reason } => write!(f, "{file}: not valid JSON: {reason}"),
            ModelError::Field { file, field, reason } => write!(f, "{file}: {field}: {reason}"),
            ModelError::Unsupported { file, field, found, supported } => {
                write!(f, "{file}: {field} is {found}; reprint implements only {supported}")
            }
            ModelError::Safetensors { reason } => write!(f, "model.safetensors: {reason}"),
            ModelError::Tensor { name, reason } => write!(f, "model.safetensors: tensor {name:?}: {reason}"),
            ModelError::Inconsistent { reason } => write!(f, "model.safetensors and tokenizer.json disagree: {reason}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// The least [`TokenIds::coverage`] at which a model's embedding of a text
/// is used. English news under the English potion models: 0.92 to 0.96;
/// French, Spanish and German translations of the same articles: 0.37 to
/// 0.58; other scripts under 0.3 (`../shared/corpora/multilingual`, 32
/// languages). Under this share the model is spelling, not reading: the
/// text gets no embedding, so no semantic score and no paraphrase passages.
pub const MIN_COVERAGE: f32 = 0.75;

/// Token ids of one text and where each token starts, plus the scratch the
/// tokenizer reuses. Keep one per thread and pass it to
/// [`StaticModel::token_ids`] for every document: after the first few
/// documents nothing is allocated.
#[derive(Clone, Debug, Default)]
pub struct TokenIds {
    /// Known tokens in text order (unknown ones are left out, as model2vec
    /// leaves them out of the mean).
    pub ids: Vec<u32>,
    /// For each token, the byte offset in the original text of the
    /// character it starts at; non-decreasing.
    pub starts: Vec<u32>,
    /// Words of two characters or more in the text.
    pub words: u32,
    /// Of those, the words the vocabulary holds whole (one token).
    pub whole_words: u32,
    word: wordpiece::Word,
}

impl TokenIds {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The share of the text's words that the model's vocabulary holds
    /// whole: near 1 for text in a language the model was trained on, near
    /// 0 for a language or script it only spells out letter by letter
    /// (whose embeddings are noise that looks alike: two unrelated Russian
    /// texts score 0.98 under an English model). 0 for a text without
    /// words.
    pub fn coverage(&self) -> f32 {
        if self.words == 0 {
            0.0
        } else {
            self.whole_words as f32 / self.words as f32
        }
    }

    /// Whether the model reads this text: [`TokenIds::coverage`] is at least
    /// [`MIN_COVERAGE`].
    pub fn covered(&self) -> bool {
        self.coverage() >= MIN_COVERAGE
    }

    /// The indexes of the tokens that start inside `bytes` (a byte range of
    /// the text): `&ids[range(sentence)]` are a sentence's tokens.
    pub fn range(&self, bytes: Range<usize>) -> Range<usize> {
        let start = self.starts.partition_point(|&s| (s as usize) < bytes.start);
        let end = self.starts.partition_point(|&s| (s as usize) < bytes.end);
        start..end.max(start)
    }
}

/// A loaded model2vec model: tokenizer and vectors, immutable.
#[derive(Clone)]
pub struct StaticModel {
    tokenizer: WordPiece,
    /// Row-major, `rows × dim`; per-token weights already folded in when
    /// there is no mapping.
    vectors: Vec<f32>,
    dim: usize,
    /// Token id → row (vocabulary-quantized models).
    mapping: Option<Vec<u32>>,
    /// Per-token weight, kept apart only when rows are shared (mapping).
    weights: Option<Vec<f32>>,
    normalize: bool,
}

impl fmt::Debug for StaticModel {
    /// The shape, not the 30 MB of vectors.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticModel")
            .field("dim", &self.dim)
            .field("rows", &self.rows())
            .field("vocab_size", &self.vocab_size())
            .field("mapping", &self.mapping.is_some())
            .field("weights", &self.weights.is_some())
            .field("normalize", &self.normalize)
            .finish()
    }
}

fn parse_json(file: &'static str, bytes: &[u8]) -> Result<Value, ModelError> {
    match serde_json::from_slice(bytes) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(ModelError::Json { file, reason: "the top level is not an object".into() }),
        Err(e) => Err(ModelError::Json { file, reason: e.to_string() }),
    }
}

fn tensor_error(name: &str, reason: impl Into<String>) -> ModelError {
    ModelError::Tensor { name: name.to_string(), reason: reason.into() }
}

impl StaticModel {
    /// Loads a model from the bytes of its `tokenizer.json`,
    /// `model.safetensors` and `config.json`, checking that every token id
    /// has a vector.
    pub fn from_bytes(
        tokenizer_json: &[u8],
        safetensors: &[u8],
        config_json: &[u8],
    ) -> Result<StaticModel, ModelError> {
        let config = parse_json("config.json", config_json)?;
        let normalize = match config.get("normalize") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(ModelError::Field {
                    file: "config.json",
                    field: "normalize".into(),
                    reason: format!("expected true or false, found {other}"),
                })
            }
        };
        let tokenizer = WordPiece::from_json(&parse_json("tokenizer.json", tokenizer_json)?)?;
        let vocab_size = tokenizer.vocab_size();

        let tensors = Tensors::parse(safetensors)?;
        let Some(embeddings) = tensors.get("embeddings") else {
            let names: Vec<&str> = tensors.names().collect();
            return Err(tensor_error("embeddings", format!("missing (the file holds {names:?})")));
        };
        let [rows, dim] = embeddings.shape[..] else {
            return Err(tensor_error("embeddings", format!("shape {:?} is not 2-D", embeddings.shape)));
        };
        if rows == 0 || dim == 0 {
            return Err(tensor_error("embeddings", format!("shape {:?} is empty", embeddings.shape)));
        }
        let mut vectors = match embeddings.dtype {
            safetensors::Dtype::F32 | safetensors::Dtype::F16 | safetensors::Dtype::BF16 => embeddings.to_f32()?,
            // model2vec's int8 quantization stores rounded values without
            // their scale, and pools them as they are.
            safetensors::Dtype::I8 => embeddings.data.iter().map(|&b| b as i8 as f32).collect(),
            other => {
                return Err(tensor_error("embeddings", format!("dtype {} is not F32, F16, BF16 or I8", other.name())))
            }
        };

        let one_dimensional = |name: &str| -> Result<Option<usize>, ModelError> {
            let Some(t) = tensors.get(name) else { return Ok(None) };
            match t.shape[..] {
                [n] if n >= vocab_size => Ok(Some(n)),
                [n] => Err(tensor_error(name, format!("{n} entries for {vocab_size} token ids"))),
                _ => Err(tensor_error(name, format!("shape {:?} is not 1-D", t.shape))),
            }
        };
        let mapping = match one_dimensional("mapping")? {
            None => None,
            Some(_) => Some(tensors.get("mapping").expect("checked").to_indices(rows)?),
        };
        let mut weights = match one_dimensional("weights")? {
            None => None,
            Some(_) => Some(tensors.get("weights").expect("checked").to_f32()?),
        };
        if mapping.is_none() {
            if vocab_size > rows {
                return Err(ModelError::Inconsistent {
                    reason: format!("token ids go up to {} but \"embeddings\" has {rows} rows", vocab_size - 1),
                });
            }
            // Each row belongs to one token: fold its weight into it.
            if let Some(weights) = weights.take() {
                for (row, w) in vectors.chunks_exact_mut(dim).zip(weights) {
                    row.iter_mut().for_each(|x| *x *= w);
                }
            }
        }
        Ok(StaticModel { tokenizer, vectors, dim, mapping, weights, normalize })
    }

    /// Length of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of token ids (one more than the largest).
    pub fn vocab_size(&self) -> usize {
        self.tokenizer.vocab_size()
    }

    /// Number of vectors (fewer than [`StaticModel::vocab_size`] in a
    /// vocabulary-quantized model).
    pub fn rows(&self) -> usize {
        self.vectors.len() / self.dim
    }

    /// Whether embeddings are L2-normalized (the model's `config.json`).
    pub fn normalize(&self) -> bool {
        self.normalize
    }

    /// The id of the unknown token, which never appears in [`TokenIds`].
    pub fn unknown_id(&self) -> u32 {
        self.tokenizer.unknown()
    }

    /// Tokenizes `text` into `tokens` (cleared first): known token ids and
    /// the byte offset where each starts. Texts of 4 GiB or more are
    /// tokenized up to the last character before 4 GiB.
    pub fn token_ids(&self, text: &str, tokens: &mut TokenIds) {
        self.tokenizer.tokenize(text, tokens);
    }

    /// The mean of the vectors of `ids` into `out`, L2-normalized if the
    /// model says so; all zeros when `ids` is empty.
    ///
    /// # Panics
    ///
    /// If `out.len()` is not [`StaticModel::dim`] or an id is not below
    /// [`StaticModel::vocab_size`] (ids from [`StaticModel::token_ids`]
    /// always are).
    pub fn pool(&self, ids: &[u32], out: &mut [f32]) {
        assert_eq!(out.len(), self.dim, "output length must be the model's dimension");
        out.fill(0.0);
        if ids.is_empty() {
            return;
        }
        let dim = self.dim;
        match (&self.mapping, &self.weights) {
            (None, _) => {
                let row = |id: u32| &self.vectors[id as usize * dim..][..dim];
                // Four rows per pass over `out`: a quarter of the loads and
                // stores of `out`, and four independent adds.
                let mut quads = ids.chunks_exact(4);
                for quad in &mut quads {
                    let (a, b, c, d) = (row(quad[0]), row(quad[1]), row(quad[2]), row(quad[3]));
                    for ((((o, a), b), c), d) in out.iter_mut().zip(a).zip(b).zip(c).zip(d) {
                        *o += (a + b) + (c + d);
                    }
                }
                for &id in quads.remainder() {
                    out.iter_mut().zip(row(id)).for_each(|(o, x)| *o += x);
                }
            }
            (Some(mapping), weights) => {
                for &id in ids {
                    let row = &self.vectors[mapping[id as usize] as usize * dim..][..dim];
                    let w = weights.as_ref().map_or(1.0, |w| w[id as usize]);
                    out.iter_mut().zip(row).for_each(|(o, x)| *o += w * x);
                }
            }
        }
        let scale = 1.0 / ids.len() as f32;
        out.iter_mut().for_each(|o| *o *= scale);
        if self.normalize {
            let norm = out.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                out.iter_mut().for_each(|o| *o /= norm);
            }
        }
    }

    /// Embeds one text into `out` (length [`StaticModel::dim`]): the mean of
    /// its known tokens' vectors, normalized if the model says so; all zeros
    /// if no token is known. Allocates scratch; to embed many texts, use
    /// [`StaticModel::encode_with`].
    pub fn encode(&self, text: &str, out: &mut [f32]) {
        self.encode_with(text, &mut TokenIds::default(), out);
    }

    /// [`StaticModel::encode`] with caller-owned scratch.
    pub fn encode_with(&self, text: &str, tokens: &mut TokenIds, out: &mut [f32]) {
        self.token_ids(text, tokens);
        self.pool(&tokens.ids, out);
    }
}

/// Cosine similarity of two vectors of equal length, in `[-1, 1]`; 0 if
/// either is all zeros.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let (mut dot, mut aa, mut bb) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa == 0.0 || bb == 0.0 {
        return 0.0;
    }
    // f32 rounding can take the ratio of parallel vectors past 1 (found by
    // fuzzing); scores are documented as within [-1, 1].
    (dot / (aa.sqrt() * bb.sqrt())).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::safetensors::{serialize, Dtype};
    use super::*;

    /// Vocabulary of the tiny test model; a token's id is its index.
    const VOCAB: &[&str] = &[
        "[PAD]",
        "[UNK]",
        "[CLS]",
        "the",
        "cat",
        "sat",
        "un",
        "##believ",
        "##able",
        "cafe",
        "naive",
        ".",
        ",",
        "!",
        "中",
        "国",
        "##s",
        "uber",
        "straße",
        "#",
        "a",
        "internationalize",
        "supercalifragilistic",
        "##expialidocious",
    ];
    const DIM: usize = 4;

    fn tokenizer_json(max_chars: usize) -> String {
        let vocab: serde_json::Map<String, Value> =
            VOCAB.iter().enumerate().map(|(i, t)| (t.to_string(), Value::from(i))).collect();
        serde_json::json!({
            "version": "1.0",
            "truncation": null,
            "padding": null,
            "added_tokens": [
                {"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                {"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
            ],
            "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
            "pre_tokenizer": {"type": "BertPreTokenizer"},
            "post_processor": null,
            "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
            "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": max_chars, "vocab": vocab},
        })
        .to_string()
    }

    /// Row i: small integers (exact in F16 and BF16), distinct per token.
    fn row(i: usize) -> [f32; DIM] {
        [i as f32, 1.0, -(i as f32) / 2.0, (i % 3) as f32]
    }

    fn embeddings(dtype: Dtype, rows: usize) -> Vec<u8> {
        let values: Vec<f32> = (0..rows).flat_map(row).collect();
        match dtype {
            Dtype::F32 => values.iter().flat_map(|v| v.to_le_bytes()).collect(),
            Dtype::BF16 => values.iter().flat_map(|v| ((v.to_bits() >> 16) as u16).to_le_bytes()).collect(),
            Dtype::F16 => values.iter().flat_map(|&v| f32_to_f16(v).to_le_bytes()).collect(),
            _ => unreachable!(),
        }
    }

    /// Exact for the small integers and halves the tests use.
    fn f32_to_f16(v: f32) -> u16 {
        if v == 0.0 {
            return 0;
        }
        let bits = v.to_bits();
        let sign = ((bits >> 16) & 0x8000) as u16;
        let exponent = ((bits >> 23) & 0xff) as i32 - 127 + 15;
        assert!((1..31).contains(&exponent) && bits & 0x1fff == 0, "{v} is not exact in f16");
        sign | ((exponent as u16) << 10) | ((bits >> 13) & 0x3ff) as u16
    }

    fn model_with(dtype: Dtype, config: &str) -> StaticModel {
        let data = embeddings(dtype, VOCAB.len());
        let st = serialize(&[("embeddings", dtype, &[VOCAB.len(), DIM], &data)]);
        StaticModel::from_bytes(tokenizer_json(100).as_bytes(), &st, config.as_bytes()).unwrap()
    }

    fn model() -> StaticModel {
        model_with(Dtype::F32, r#"{"normalize": true}"#)
    }

    fn tokens(model: &StaticModel, text: &str) -> Vec<String> {
        let mut t = TokenIds::default();
        model.token_ids(text, &mut t);
        t.ids.iter().map(|&id| VOCAB[id as usize].to_string()).collect()
    }

    #[track_caller]
    fn check(text: &str, expected: &[&str]) {
        assert_eq!(tokens(&model(), text), expected, "{text:?}");
    }

    #[test]
    fn coverage_is_the_share_of_words_known_whole() {
        let m = model();
        let mut t = TokenIds::default();
        let coverage = |text: &str, t: &mut TokenIds| {
            m.token_ids(text, t);
            (t.words, t.whole_words, t.coverage(), t.covered())
        };
        // Single letters and punctuation are no words; "cats" and
        // "unbelievable" are split, so not known whole.
        assert_eq!(coverage("The cat sat, a cat!", &mut t), (4, 4, 1.0, true));
        assert_eq!(coverage("the cat sat unbelievable cats", &mut t), (5, 3, 0.6, false));
        // Letters the vocabulary does not hold: words, none known.
        assert_eq!(coverage("кошка сидела", &mut t), (2, 0, 0.0, false));
        // CJK characters are words of their own, never known whole, even
        // when the vocabulary holds them.
        assert_eq!(coverage("中国", &mut t), (2, 0, 0.0, false));
        assert_eq!(coverage("", &mut t), (0, 0, 0.0, false));
        // Counts start again with each text.
        assert_eq!(coverage("the cat", &mut t), (2, 2, 1.0, true));
    }

    #[test]
    fn tokenization() {
        check("The CAT sat.", &["the", "cat", "sat", "."]);
        check("the,cat!", &["the", ",", "cat", "!"]);
        check("  the\t\tcat\r\n\nsat  ", &["the", "cat", "sat"]);
        check("Café NAÏVE Über", &["cafe", "naive", "uber"]);
        check("cafe\u{301}", &["cafe"]); // combining acute accent
        check("Straße", &["straße"]);
        check("unbelievable cats", &["un", "##believ", "##able", "cat", "##s"]);
        check("Internationalize internationalizes", &["internationalize", "internationalize", "##s"]); // 16 bytes
        check("supercalifragilisticexpialidocious", &["supercalifragilistic", "##expialidocious"]); // > 16 bytes
        check("supercalifragilisti", &[]);
        check("unbelievably the", &["the"]); // "ly" uncovered: the whole word is unknown
        check("dog the", &["the"]);
        check("中国人", &["中", "国"]);
        check("the中cat", &["the", "中", "cat"]);
        check("c\u{ad}at", &["cat"]); // soft hyphen (Cf) removed
        check("c\u{0}a\u{fffd}t\u{7}", &["cat"]);
        check("the\u{a0}cat\u{3000}sat", &["the", "cat", "sat"]); // Unicode white space
        check("the—cat", &["the", "cat"]); // em dash is punctuation (unknown here)
        check("#the", &["#", "the"]);
        check("[CLS] the [UNK] cat", &["[CLS]", "the", "cat"]);
        check("the[CLS]cat", &["the", "[CLS]", "cat"]);
        check("[cls]", &[]); // added tokens match case-sensitively
        check("😀 the", &["the"]);
        check("", &[]);
    }

    #[test]
    fn long_words_are_unknown() {
        let tokenizer = tokenizer_json(11);
        let st = serialize(&[("embeddings", Dtype::F32, &[VOCAB.len(), DIM], &embeddings(Dtype::F32, VOCAB.len()))]);
        let model = StaticModel::from_bytes(tokenizer.as_bytes(), &st, b"{}").unwrap();
        assert_eq!(tokens(&model, "unbelievable cats"), ["cat", "##s"]); // 12 characters > 11
        assert_eq!(tokens(&model, &format!("the {}a cat", "a".repeat(5000))), ["the", "cat"]);
        let model = model_with(Dtype::F32, "{}");
        assert_eq!(tokens(&model, &"a".repeat(100)), [] as [&str; 0]); // "a" has no "##a"
        assert_eq!(tokens(&model, &"a".repeat(101)), [] as [&str; 0]);
    }

    #[test]
    fn offsets_point_into_the_original() {
        let model = model();
        let text = "Über the unbelievable CATS, naïve 中国.";
        let mut t = TokenIds::default();
        model.token_ids(text, &mut t);
        let at: Vec<String> = t.starts.iter().map(|&s| text[s as usize..].chars().take(4).collect()).collect();
        assert_eq!(at, ["Über", "the ", "unbe", "beli", "able", "CATS", "S, n", ", na", "naïv", "中国.", "国.", "."]);
        assert_eq!(t.range(0..4), 0..1);
        assert_eq!(t.range(9..27), 2..7);
        assert_eq!(t.range(text.len()..text.len()), 12..12);
    }

    #[test]
    fn mean_and_normalization() {
        let raw = model_with(Dtype::F32, r#"{"normalize": false}"#);
        let mut out = [0.0; DIM];
        raw.encode("the cat unknownword", &mut out);
        let (the, cat) = (row(3), row(4));
        let mean: Vec<f32> = the.iter().zip(&cat).map(|(a, b)| (a + b) / 2.0).collect();
        assert_eq!(out.to_vec(), mean);

        let normalized = model();
        normalized.encode("the cat unknownword", &mut out);
        let norm = mean.iter().map(|x| x * x).sum::<f32>().sqrt();
        for (o, m) in out.iter().zip(&mean) {
            assert!((o - m / norm).abs() < 1e-6);
        }
        assert!((out.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-6);

        // Nothing known: zeros, not NaN.
        normalized.encode("dog 😀 [UNK]", &mut out);
        assert_eq!(out, [0.0; DIM]);
        // Absent normalize means false (as in model2vec).
        let absent = model_with(Dtype::F32, "{}");
        assert!(!absent.normalize());
        absent.encode("the", &mut out);
        assert_eq!(out, row(3));
    }

    #[test]
    fn half_precision_models_match() {
        let reference = model();
        let text = "The unbelievable cats sat, naïve, in 中国!";
        let mut expected = vec![0.0; DIM];
        reference.encode(text, &mut expected);
        for dtype in [Dtype::F16, Dtype::BF16] {
            let mut out = vec![0.0; DIM];
            model_with(dtype, r#"{"normalize": true}"#).encode(text, &mut out);
            assert_eq!(out, expected, "{dtype:?}");
        }
    }

    #[test]
    fn mapping_and_weights() {
        // Three rows shared by all tokens: id → id % 3, weight id / 4.
        let rows = 3;
        let data = embeddings(Dtype::F32, rows);
        let mapping: Vec<u8> = (0..VOCAB.len() as i64).flat_map(|i| (i % 3).to_le_bytes()).collect();
        let weights: Vec<u8> = (0..VOCAB.len()).flat_map(|i| (i as f32 / 4.0).to_le_bytes()).collect();
        let n = VOCAB.len();
        let st = serialize(&[
            ("embeddings", Dtype::F32, &[rows, DIM], &data),
            ("mapping", Dtype::I64, &[n], &mapping),
            ("weights", Dtype::F32, &[n], &weights),
        ]);
        let model = StaticModel::from_bytes(tokenizer_json(100).as_bytes(), &st, b"{}").unwrap();
        assert_eq!((model.vocab_size(), model.rows()), (n, 3));
        let mut out = [0.0; DIM];
        model.encode("the cat", &mut out); // ids 3 and 4 → rows 0 and 1, weights 0.75 and 1
        let expected: Vec<f32> = row(0).iter().zip(row(1)).map(|(a, b)| (0.75 * a + b) / 2.0).collect();
        assert_eq!(out.to_vec(), expected);

        // Weights without a mapping are folded into the rows.
        let data = embeddings(Dtype::F32, n);
        let st = serialize(&[("embeddings", Dtype::F32, &[n, DIM], &data), ("weights", Dtype::F32, &[n], &weights)]);
        let model = StaticModel::from_bytes(tokenizer_json(100).as_bytes(), &st, b"{}").unwrap();
        model.encode("the cat", &mut out);
        let expected: Vec<f32> = row(3).iter().zip(row(4)).map(|(a, b)| (0.75 * a + b) / 2.0).collect();
        assert_eq!(out.to_vec(), expected);
    }

    #[test]
    fn malformed_models_are_errors() {
        let tokenizer = tokenizer_json(100);
        let n = VOCAB.len();
        let data = embeddings(Dtype::F32, n);
        let good = serialize(&[("embeddings", Dtype::F32, &[n, DIM], &data)]);
        let load = |tokenizer: &str, st: &[u8], config: &str| {
            StaticModel::from_bytes(tokenizer.as_bytes(), st, config.as_bytes()).unwrap_err().to_string()
        };
        let check = |error: String, needle: &str| assert!(error.contains(needle), "{error:?} lacks {needle:?}");

        for cut in [0, 7, 8, 20, good.len() / 2, good.len() - 1] {
            check(load(&tokenizer, &good[..cut], "{}"), "model.safetensors");
        }
        let short = serialize(&[("embeddings", Dtype::F32, &[n - 1, DIM], &data[..(n - 1) * DIM * 4])]);
        check(
            load(&tokenizer, &short, "{}"),
            &format!("token ids go up to {} but \"embeddings\" has {} rows", n - 1, n - 1),
        );
        let flat = serialize(&[("embeddings", Dtype::F32, &[n * DIM], &data)]);
        check(load(&tokenizer, &flat, "{}"), "not 2-D");
        let other = serialize(&[("vectors", Dtype::F32, &[n, DIM], &data)]);
        check(load(&tokenizer, &other, "{}"), "tensor \"embeddings\": missing");
        let ints = serialize(&[("embeddings", Dtype::I32, &[n, DIM], &data)]);
        check(load(&tokenizer, &ints, "{}"), "dtype I32 is not F32, F16, BF16 or I8");
        let bad_mapping: Vec<u8> = (0..n as i32).flat_map(|i| i.to_le_bytes()).collect();
        let st = serialize(&[
            ("embeddings", Dtype::F32, &[2, DIM], &data[..2 * DIM * 4]),
            ("mapping", Dtype::I32, &[n], &bad_mapping),
        ]);
        check(load(&tokenizer, &st, "{}"), "tensor \"mapping\": element 2 is 2, outside 0..2");
        let st = serialize(&[("embeddings", Dtype::F32, &[n, DIM], &data), ("weights", Dtype::F32, &[3], &data[..12])]);
        check(load(&tokenizer, &st, "{}"), &format!("tensor \"weights\": 3 entries for {n} token ids"));

        check(load(&tokenizer, &good, "{"), "config.json: not valid JSON");
        check(load(&tokenizer, &good, "[]"), "config.json: not valid JSON: the top level is not an object");
        check(load(&tokenizer, &good, r#"{"normalize": "yes"}"#), "config.json: normalize: expected true or false");
        check(load("{\"model\":", &good, "{}"), "tokenizer.json: not valid JSON");
        let replace = |from: &str, to: &str| {
            assert!(tokenizer.contains(from), "{from}");
            tokenizer.replacen(from, to, 1)
        };
        check(
            load(&replace(r#""type":"WordPiece","unk_token""#, r#""type":"BPE","unk_token""#), &good, "{}"),
            "tokenizer.json: model.type is \"BPE\"; reprint implements only WordPiece",
        );
        check(
            load(&replace(r#""type":"BertNormalizer""#, r#""type":"NFKC""#), &good, "{}"),
            "normalizer.type is \"NFKC\"",
        );
        check(
            load(&replace(r#""type":"BertPreTokenizer""#, r#""type":"Metaspace""#), &good, "{}"),
            "pre_tokenizer.type",
        );
        check(
            load(&replace(r#""unk_token":"[UNK]""#, r#""unk_token":"<unk>""#), &good, "{}"),
            "\"<unk>\" is not in model.vocab",
        );
        check(load(&replace(r#""[UNK]":1"#, r#""[UNK]":-1"#), &good, "{}"), "model.vocab");
        check(
            load(&replace(r#""normalized":false"#, r#""normalized":true"#), &good, "{}"),
            "added_tokens[0].normalized",
        );
        check(load(&replace(r#""lowercase":true"#, r#""lowercase":1"#), &good, "{}"), "normalizer.lowercase");
    }

    #[test]
    fn int8_models_pool_unscaled_values() {
        let n = VOCAB.len();
        let data: Vec<u8> = (0..n).flat_map(|i| [i as i8, 1, -(i as i8), 0]).map(|v| v as u8).collect();
        let st = serialize(&[("embeddings", Dtype::I8, &[n, DIM], &data)]);
        let model = StaticModel::from_bytes(tokenizer_json(100).as_bytes(), &st, b"{}").unwrap();
        let mut out = [0.0; DIM];
        model.encode("the cat", &mut out);
        assert_eq!(out, [3.5, 1.0, -3.5, 0.0]);
    }

    proptest::proptest! {
        #[test]
        fn offsets_are_ordered_char_boundaries(text in "(?s).{0,200}") {
            let model = model();
            let mut t = TokenIds::default();
            model.token_ids(&text, &mut t);
            proptest::prop_assert_eq!(t.ids.len(), t.starts.len());
            proptest::prop_assert!(t.starts.windows(2).all(|w| w[0] <= w[1]));
            for &s in &t.starts {
                proptest::prop_assert!((s as usize) < text.len() && text.is_char_boundary(s as usize));
            }
            proptest::prop_assert!(t.ids.iter().all(|&id| id != model.unknown_id() && (id as usize) < model.vocab_size()));
        }
    }

    #[test]
    fn debug_shows_the_shape() {
        let shown = format!("{:?}", model());
        assert_eq!(
            shown,
            format!(
                "StaticModel {{ dim: 4, rows: {n}, vocab_size: {n}, mapping: false, weights: false, normalize: true }}",
                n = VOCAB.len()
            )
        );
    }

    proptest::proptest! {
        /// Damaged model files are errors or models, never panics.
        #[test]
        fn damaged_files_never_panic(at in 0usize..4096, byte in 0u8..=255, cut in 0usize..4096) {
            let n = VOCAB.len();
            let data = embeddings(Dtype::F32, n);
            let mut st = serialize(&[("embeddings", Dtype::F32, &[n, DIM], &data)]);
            let at = at % st.len();
            st[at] = byte;
            st.truncate(st.len() - cut % 64);
            let mut tokenizer = tokenizer_json(100).into_bytes();
            let at = at % tokenizer.len();
            tokenizer[at] = byte;
            let _ = StaticModel::from_bytes(&tokenizer_json(100).into_bytes(), &st, b"{}");
            let _ = StaticModel::from_bytes(&tokenizer, &embeddings_file(), b"{}");
        }
    }

    fn embeddings_file() -> Vec<u8> {
        let n = VOCAB.len();
        serialize(&[("embeddings", Dtype::F32, &[n, DIM], &embeddings(Dtype::F32, n))])
    }

    #[test]
    fn cosine_similarity() {
        assert_eq!(cosine(&[1.0, 0.0], &[2.0, 0.0]), 1.0);
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 3.0]), 0.0);
        assert!((cosine(&[1.0, 1.0], &[-1.0, -1.0]) + 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
    }

    #[test]
    fn model_is_shared_across_threads() {
        fn sync_and_send<T: Sync + Send>() {}
        sync_and_send::<StaticModel>();
        let model = model();
        let texts = ["the cat", "cafe", "unbelievable"];
        let expected: Vec<Vec<f32>> = texts
            .iter()
            .map(|t| {
                let mut out = vec![0.0; DIM];
                model.encode(t, &mut out);
                out
            })
            .collect();
        std::thread::scope(|s| {
            for (text, expected) in texts.iter().zip(&expected) {
                let model = &model;
                s.spawn(move || {
                    let mut out = vec![0.0; DIM];
                    model.encode(text, &mut out);
                    assert_eq!(&out, expected);
                });
            }
        });
    }
}
