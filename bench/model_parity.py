#!/usr/bin/env python3
"""Parity of reprint's static embeddings with the Python reference (model2vec).

    model_parity.py --reprint CMD [--model DIR] [--seeds DIR] [--extra DIR] [--json FILE]

Embeds the same sentences with `model2vec.StaticModel.from_pretrained(DIR)`
and with `CMD model embed --model DIR` (one JSON string per input line, one
JSON array per output line), compares token ids and vectors, and prints max
absolute difference and minimum cosine. Sentences: lines of the seed corpus
(`../shared/corpora/seeds/*.txt`) and of 20 PAN 2013 source texts (both
split into sentences too), plus hand-written tricky ones (accents,
CJK, emoji, controls, punctuation, special-token strings, words over 100
characters).

model2vec cuts every input to 512 x median-token-length characters (3,072
for potion-base-8M) and then to 512 tokens; reprint does not cut. The main
comparison uses inputs short enough for neither cut to apply; a few long
inputs are reported apart to show what the cut changes.

Exit status: 0 if every short input has identical token ids and cosine >=
0.99999; 1 otherwise; 3 if the model directory is missing.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = REPO.parent / "shared" / "models" / "potion-base-8M"
DEFAULT_SEEDS = REPO.parent / "shared" / "corpora" / "seeds"
DEFAULT_EXTRA = REPO.parent / "shared" / "eval" / "pan13-train" / "src"

TRICKY = [
    "Café au lait, naïve résumé — déjà vu!",
    "ÀÉÎÕÜ àéîõü ÇçÑñ Øø Åå Ææ Œœ ß",
    "Straße STRASSE straße",
    "İstanbul'da ıspanak ISPANAK",
    "Ελληνικά: Καλημέρα κόσμε, ΣΊΣΥΦΟΣ.",
    "Русский текст: Привет, мир! Ёжик в тумане.",
    "中文测试：北京欢迎你。",
    "日本語のテキスト、カタカナとひらがな。",
    "한국어 문장입니다.",
    "Hangul jamo ᄀᄁ and compatibility ㄱㄴ",
    "compat ideographs 豈 更 車 and CJK ext B 𠀀𠀁 𪜀",
    "emoji 😀🎉👍🏽 family 👨\u200d👩\u200d👧 flags 🇫🇷",
    "a😀b c🥺d e\u2764\ufe0ff",
    "zero\u200bwidth\u200djoiner soft\u00adhyphen word\u2060joiner",
    "tabs\tand\u00a0nbsp\u2003em-space\u3000ideographic\u2028line\u2029para",
    "control\x01chars\x7fhere\x0bvt\x0cff\x1cfs\x85nel",
    "fullwidth ＡＢＣ １２３ ！？ halfwidth ｶﾀｶﾅ",
    "ligatures ﬁne ﬂow ﬀ",
    "math ∑ ∫ √ ≈ ≠ ± × ÷ ∞",
    "quotes “double” ‘single’ «guillemets» „low“ ‹one›",
    "dashes – — ‑ ‒ ― and ellipsis… and middle·dot",
    "URLs https://example.com/path?q=1&x=2#frag and someone@example.org",
    "numbers 3.14159 1,000,000 2024-06-13 10:30am $5.99 €12,50 ¥100 £7",
    "hashtags #BreakingNews @reporter ##double ###",
    "[CLS] special [SEP] tokens [MASK] [UNK] [PAD] in text",
    "[cls] lowercase [sep] specials and [CLS][SEP]glued[MASK]",
    "combining: e\u0301 a\u0300 n\u0303 o\u0308 q\u0323\u0307",
    "Arabic: مرحبا بالعالم",
    "Hebrew: שלום עולם",
    "Thai: สวัสดีครับ",
    "Devanagari: नमस्ते दुनिया",
    "mixed CASE WoRdS and CamelCaseWords and snake_case_words",
    "Ⅻ roman numeral ½ fraction ² superscript ₂ subscript",
    "private use \ue000\uf8ff chars",
    "tag chars \U000e0001\U000e0041 and variation selectors \ufe0e\ufe0f",
    "replacement \ufffd char and nul \x00 char",
    "\ufeffBOM at the start",
    "Ǆ ǅ ǆ titlecase digraphs",
    "Å Ω K angstrom ohm kelvin signs",
    "‼ ⁉ punctuation emoji and ¿Qué? ¡Hola!",
    "Pneumonoultramicroscopicsilicovolcanoconiosis is long",
    "a" * 150,
    "ab" * 50,
    "ab" * 50 + "a",
    "super" + "califragilistic" * 8 + " expialidocious",
    "é" * 100 + " and " + "é" * 101,
    "",
    " ",
    "...",
    "😀",
]


def corpus_lines(folder: Path, limit: int, files: int):
    """Lines (and their sentences) of up to `files` .txt files of `folder`,
    spread evenly, at most `limit` of them."""
    out, seen = [], set()
    if not folder.is_dir():
        print(f"model_parity: {folder} not found; skipped", file=sys.stderr)
        return out
    paths = sorted(folder.glob("*.txt"))
    if len(paths) > files:
        paths = [paths[int(i * len(paths) / files)] for i in range(files)]
    for path in paths:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            pieces = [line] + ([p.strip() + "." for p in line.split(". ")] if ". " in line else [])
            for piece in pieces:
                if len(piece) > 1 and piece not in seen and len(piece) < 2000:
                    seen.add(piece)
                    out.append(piece)
    # Spread the choice over all files rather than taking the first ones.
    if len(out) > limit:
        out = [out[int(i * len(out) / limit)] for i in range(limit)]
    return out


def run_reprint(cmd, model, sentences, ids):
    args = shlex.split(cmd) + ["model", "embed", "--model", str(model)] + (["--ids"] if ids else [])
    stdin = "".join(json.dumps(s) + "\n" for s in sentences)
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        sys.exit(f"model_parity: {' '.join(args)} failed (exit {done.returncode}):\n{done.stderr}")
    lines = done.stdout.splitlines()
    if len(lines) != len(sentences):
        sys.exit(f"model_parity: reprint wrote {len(lines)} lines for {len(sentences)} sentences")
    return [json.loads(line) for line in lines]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reprint", default=str(REPO / "target" / "release" / "reprint"), help="reprint command")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="model2vec model directory")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of .txt files")
    parser.add_argument("--extra", type=Path, default=DEFAULT_EXTRA, help="more .txt files (PAN 2013 sources)")
    parser.add_argument("--sentences", type=int, default=150, help="seed lines and sentences to use")
    parser.add_argument("--extra-sentences", type=int, default=100, help="lines and sentences of --extra to use")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    if not (args.model / "model.safetensors").is_file():
        print(
            f"model_parity: model directory not found: {args.model} (expected potion-base-8M "
            "beside the repository, at ../shared/models/potion-base-8M; pass --model DIR)",
            file=sys.stderr,
        )
        return 3

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import numpy as np
    from model2vec import StaticModel
    import model2vec

    model = StaticModel.from_pretrained(str(args.model))
    limit_chars = 512 * model.median_token_length

    seeds = corpus_lines(args.seeds, args.sentences, files=1000)
    extra = corpus_lines(args.extra, args.extra_sentences, files=20)
    sentences = seeds + extra + TRICKY
    long_inputs = [
        " ".join(sentences[: len(sentences) // 2]),
        "word " * 700,
    ]

    py_ids = model.tokenize(sentences)
    py = model.encode(sentences)
    rs_ids = run_reprint(args.reprint, args.model, sentences, ids=True)
    rs = np.asarray(run_reprint(args.reprint, args.model, sentences, ids=False), dtype=np.float64)
    py = py.astype(np.float64)

    def cosines(a, b):
        na, nb = np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1)
        both_zero = (na == 0) & (nb == 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            c = (a * b).sum(axis=1) / (na * nb)
        return np.where(both_zero, 1.0, np.nan_to_num(c, nan=0.0))

    cos = cosines(py, rs)
    diff = np.abs(py - rs).max(axis=1)
    id_mismatch = [i for i, (a, b) in enumerate(zip(py_ids, rs_ids)) if list(a) != list(b)]
    too_long = [i for i, s in enumerate(sentences) if len(s) > limit_chars or len(py_ids[i]) > 512]

    print(f"model2vec {model2vec.__version__}, model {args.model}")
    print(f"{len(sentences)} inputs ({len(seeds)} seed lines and sentences, {len(extra)} from {args.extra.name}, "
          f"{len(TRICKY)} tricky), "
          f"{sum(len(i) for i in py_ids)} tokens")
    print(f"token ids identical: {len(sentences) - len(id_mismatch)}/{len(sentences)}")
    print(f"max abs difference:  {diff.max():.3g} (mean over inputs {diff.mean():.3g})")
    print(f"min cosine:          {cos.min():.9f} (1 - {1 - cos.min():.2g})")
    for i in id_mismatch[:10]:
        print(f"  ids differ: {sentences[i][:70]!r}\n    python  {list(py_ids[i])[:20]}\n    reprint {rs_ids[i][:20]}")
    worst = np.argsort(cos)[:3]
    print("lowest cosines: " + ", ".join(f"{cos[i]:.9f} ({sentences[i][:30]!r})" for i in worst))
    if too_long:
        print(f"note: {len(too_long)} inputs were long enough for model2vec to cut them")

    # Long inputs: model2vec cuts, reprint does not.
    py_long = model.encode(long_inputs).astype(np.float64)
    rs_long = np.asarray(run_reprint(args.reprint, args.model, long_inputs, ids=False), dtype=np.float64)
    py_full = model.encode(long_inputs, max_length=None).astype(np.float64)
    cos_cut = cosines(py_long, rs_long)
    cos_full = cosines(py_full, rs_long)
    print(f"long inputs ({', '.join(str(len(s)) for s in long_inputs)} chars; model2vec cuts at {limit_chars} chars "
          f"and 512 tokens): cosine with model2vec's default {', '.join(f'{c:.6f}' for c in cos_cut)}; "
          f"with max_length=None {', '.join(f'{c:.9f}' for c in cos_full)}")

    figures = {
        "model2vec": model2vec.__version__,
        "inputs": len(sentences),
        "ids_identical": len(sentences) - len(id_mismatch),
        "max_abs_difference": float(diff.max()),
        "min_cosine": float(cos.min()),
        "long_cosine_default": [float(c) for c in cos_cut],
        "long_cosine_uncut": [float(c) for c in cos_full],
    }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    ok = not id_mismatch and cos.min() >= 0.99999 and all(c >= 0.99999 for c in cos_full)
    print("PARITY OK" if ok else "PARITY FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
