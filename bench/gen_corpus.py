#!/usr/bin/env python3
"""Deterministic corpus generator for the reprint benchmark (stdlib only).

Two sources of base texts:

  --source DIR   windows of ~300-700 words cut (at whitespace) from the text
                 files of DIR, taken in sorted order, until --bases N bases
                 are collected (windows under 100 words are skipped);
  --synthetic    400-720-word texts (~3.3 KB) from a Zipf-Mandelbrot distributed
                 vocabulary of 50,000 pronounceable pseudo-words, with
                 sentences, commas and paragraphs; unrelated texts share
                 (almost) no word 5-grams. --docs N sets the total number of
                 documents (bases + variants).

About a third of the bases get 1-3 planted variants (exact copies, word
edits at 0.5-10 %, header/footer boilerplate, 60-95 % excerpts, inserted
commentary, and variants of variants). All documents are shuffled and get
ids d000000, d000001, ... in output order.

Outputs:
  OUT (JSONL)      one {"id": str, "text": str} per document;
  --truth (JSONL)  one line per planted family (a base with >= 1 variant):
                   {"family", "base", "members", "variants": [{"id",
                   "parent", "kind", ...params}]}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from bisect import bisect
from random import Random

import tok

SPAN_RE = re.compile(r"\S+")

# --------------------------------------------------------------------------
# pseudo-word vocabulary (synthetic mode; also the source of commentary text)

ONSETS = (["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r",
           "s", "t", "v", "w", "z"] * 3 +
          ["br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr",
           "sc", "sh", "sk", "sl", "sn", "sp", "st", "str", "th", "tr", "wh",
           ""])
VOWELS = ["a", "e", "i", "o", "u"] * 4 + ["ai", "ea", "ee", "ie", "oa", "oo",
                                          "ou", "io", "y"]
CODAS = [""] * 12 + ["n", "r", "s", "l", "t", "m", "d", "k", "ng", "nd", "st",
                     "rt", "ck", "sh", "x"]
SYLLABLE_WEIGHTS = [(1, 0.10), (2, 0.35), (3, 0.38), (4, 0.17)]


class Vocab:
    """Zipf-Mandelbrot vocabulary: P(rank k) ~ 1 / (k + q)^s."""

    def __init__(self, rng: Random, size: int = 50_000, s: float = 1.0,
                 q: float = 2.7):
        words: set[str] = set()
        nsyl = [n for n, _ in SYLLABLE_WEIGHTS]
        wsyl = [w for _, w in SYLLABLE_WEIGHTS]
        out: list[str] = []
        while len(out) < size:
            n = rng.choices(nsyl, wsyl)[0]
            w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) +
                        rng.choice(CODAS) for _ in range(n))
            if len(w) < 2 or w in words:
                continue
            words.add(w)
            out.append(w)
        # short words tend to be frequent, as in natural language
        keyed = sorted(out, key=lambda w: len(w) + 10.0 * rng.random())
        self.words = keyed
        cum, total = [], 0.0
        for k in range(1, size + 1):
            total += 1.0 / (k + q) ** s
            cum.append(total)
        self.cum = cum
        self.total = total

    def sample(self, rng: Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=k)

    def uniform(self, rng: Random) -> str:
        return self.words[rng.randrange(len(self.words))]

    def text(self, rng: Random, nwords: int) -> str:
        """nwords words arranged in sentences and paragraphs."""
        ws = self.sample(rng, nwords)
        paras, sents, cur = [], [], []
        target = rng.randint(5, 22)
        para_len = rng.randint(3, 7)
        for i, w in enumerate(ws):
            if not cur:
                w = w.capitalize()
            cur.append(w)
            if len(cur) >= target or i == nwords - 1:
                sents.append(" ".join(cur) + rng.choice(".........?!"))
                cur, target = [], rng.randint(5, 22)
                if len(sents) >= para_len:
                    paras.append(" ".join(sents))
                    sents, para_len = [], rng.randint(3, 7)
            elif rng.random() < 0.07:
                cur[-1] += ","
        if sents:
            paras.append(" ".join(sents))
        return "\n\n".join(paras)


# --------------------------------------------------------------------------
# base texts


def source_windows(src: str, rng: Random, nbases: int) -> list[str]:
    files = sorted(f for f in os.listdir(src)
                   if os.path.isfile(os.path.join(src, f)))
    out: list[str] = []
    for name in files:
        with open(os.path.join(src, name), encoding="utf-8",
                  errors="replace") as fh:
            text = fh.read()
        spans = [m.span() for m in SPAN_RE.finditer(text)]
        pos = 0
        while pos < len(spans):
            end = min(pos + rng.randint(300, 700), len(spans))
            if end - pos >= 100:
                out.append(text[spans[pos][0]:spans[end - 1][1]])
                if len(out) >= nbases:
                    return out
            pos = end
    print(f"gen_corpus: warning: {src} yields only {len(out)} windows "
          f"(asked for {nbases})", file=sys.stderr)
    return out


# --------------------------------------------------------------------------
# variants

HEADERS = [
    "Share this article", "Share on Facebook", "Tweet this",
    "Advertisement", "Skip to main content", "Home > News > Latest",
    "Sign in | Register", "Print this page", "Menu",
    "Listen to this article", "Updated 5 minutes ago",
]
FOOTERS = [
    "Subscribe to our newsletter", "Copyright 2024 Example Media",
    "Copyright 2023 Daily Example. All rights reserved.",
    "All rights reserved.", "Terms of use | Privacy policy",
    "Related articles", "Comments are closed.", "Back to top",
    "Follow us on social media", "Read more", "Report an error",
    "This article was originally published by The Sample Times.",
]

EDIT_RATES = [0.005, 0.01, 0.02, 0.03, 0.05, 0.10]
EDIT_RATE_WEIGHTS = [1.0, 2.0, 3.0, 3.0, 1.5, 1.0]
KINDS = ["copy", "edit", "boilerplate", "excerpt", "commentary"]
KIND_WEIGHTS = [0.08, 0.40, 0.14, 0.19, 0.19]


def _tokens(text: str) -> tuple[str, list[list[str]]]:
    """Split into leading whitespace + [word, following whitespace] pairs."""
    m = re.match(r"\s*", text)
    lead = m.group(0)
    pairs = [[a, b] for a, b in re.findall(r"(\S+)(\s*)", text[len(lead):])]
    return lead, pairs


def _join(lead: str, pairs: list[list[str]]) -> str:
    return (lead + "".join(a + b for a, b in pairs)).strip()


def v_edit(text: str, rng: Random, rate: float, word) -> str:
    lead, pairs = _tokens(text)
    n_ops = max(1, round(rate * len(pairs)))
    for _ in range(n_ops):
        op = rng.choices(("sub", "ins", "del"), (0.5, 0.25, 0.25))[0]
        if len(pairs) < 2:
            op = "ins"
        i = rng.randrange(len(pairs))
        if op == "sub":
            pairs[i][0] = word()
        elif op == "ins":
            pairs.insert(i, [word(), " "])
        else:
            del pairs[i]
    return _join(lead, pairs)


def v_boilerplate(text: str, rng: Random) -> tuple[str, int, int]:
    nh = rng.randint(0, 3)
    nf = rng.randint(1 if nh == 0 else 0, 4)
    head = rng.sample(HEADERS, nh)
    foot = rng.sample(FOOTERS, nf)
    return "\n".join(head + [text] + foot), nh, nf


def v_excerpt(text: str, rng: Random) -> tuple[str, float]:
    frac = rng.uniform(0.60, 0.95)
    spans = [m.span() for m in SPAN_RE.finditer(text)]
    k = max(1, round(frac * len(spans)))
    start = rng.randint(0, len(spans) - k)
    return text[spans[start][0]:spans[start + k - 1][1]], round(frac, 3)


def v_commentary(text: str, rng: Random, vocab: Vocab,
                 word) -> tuple[str, float]:
    frac = rng.uniform(0.05, 0.30)
    spans = [m.span() for m in SPAN_RE.finditer(text)]
    k = max(1, round(frac * len(spans)))
    if word is None:
        para = vocab.text(rng, k)
    else:  # source mode: new words drawn from the source's own vocabulary
        ws = [word() for _ in range(k)]
        ws[0] = ws[0].capitalize()
        para = " ".join(ws) + "."
    cut = spans[rng.randrange(len(spans))][1] if spans else 0
    return text[:cut] + "\n\n" + para + "\n\n" + text[cut:].lstrip(), \
        round(frac, 3)


def make_variant(parent: str, rng: Random, vocab: Vocab,
                 word, source_mode: bool) -> tuple[str, dict]:
    kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
    if kind == "copy":
        return parent, {"kind": "copy"}
    if kind == "edit":
        rate = rng.choices(EDIT_RATES, EDIT_RATE_WEIGHTS)[0]
        return v_edit(parent, rng, rate, word), {"kind": "edit", "rate": rate}
    if kind == "boilerplate":
        t, nh, nf = v_boilerplate(parent, rng)
        return t, {"kind": "boilerplate", "header_lines": nh,
                   "footer_lines": nf}
    if kind == "excerpt":
        t, frac = v_excerpt(parent, rng)
        return t, {"kind": "excerpt", "fraction": frac}
    t, frac = v_commentary(parent, rng, vocab,
                           word if source_mode else None)
    return t, {"kind": "commentary", "fraction": frac}


# --------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--source", metavar="DIR",
                   help="directory of plain UTF-8 text files")
    g.add_argument("--synthetic", action="store_true",
                   help="generate pseudo-word base texts")
    ap.add_argument("--bases", type=int, default=4500,
                    help="number of base texts (--source mode; default 4500)")
    ap.add_argument("--docs", type=int, default=20000,
                    help="total number of documents (--synthetic mode; "
                         "default 20000)")
    ap.add_argument("--seed", type=int, default=20240613)
    ap.add_argument("--variant-fraction", type=float, default=1 / 3,
                    help="fraction of bases that get variants (default 1/3)")
    ap.add_argument("--truth", metavar="PATH", help="write planted families")
    ap.add_argument("out", help="output corpus (JSONL)")
    args = ap.parse_args()

    rng = Random(args.seed)
    vocab = Vocab(Random(args.seed + 1))
    source_mode = args.source is not None

    if source_mode:
        bases = source_windows(args.source, Random(args.seed + 2), args.bases)
        pool = sorted({w for b in bases for w in tok.words(b)
                       if not w.isdigit()})

        def word() -> str:
            return pool[rng.randrange(len(pool))]

        bases.reverse()  # pop() from the end, i.e. in file order

        def next_base() -> str | None:
            return bases.pop() if bases else None
        limit = None
    else:
        def word() -> str:
            return vocab.uniform(rng)

        def next_base() -> str:
            return vocab.text(rng, rng.randint(400, 720))
        limit = args.docs

    docs: list[tuple[str, int]] = []  # (text, family index or -1)
    families: list[dict] = []  # {"base": doc index, "variants": [...]}
    nvar_choices, nvar_weights = (1, 2, 3), (0.5, 0.33, 0.17)
    while limit is None or len(docs) < limit:
        base = next_base()
        if base is None:
            break
        bidx = len(docs)
        if rng.random() >= args.variant_fraction:
            docs.append((base, -1))
            continue
        fam = len(families)
        docs.append((base, fam))
        members = [(bidx, base)]
        variants = []
        nvar = rng.choices(nvar_choices, nvar_weights)[0]
        for _ in range(nvar):
            if limit is not None and len(docs) >= limit:
                break
            # variants of variants: derive from an earlier variant sometimes
            if len(members) > 1 and rng.random() < 0.35:
                pidx, parent = members[rng.randrange(1, len(members))]
            else:
                pidx, parent = members[0]
            text, info = make_variant(parent, rng, vocab, word, source_mode)
            vidx = len(docs)
            docs.append((text, fam))
            members.append((vidx, text))
            variants.append(dict(doc=vidx, parent=pidx, **info))
        families.append({"base": bidx, "variants": variants})

    order = list(range(len(docs)))
    rng.shuffle(order)
    width = max(6, len(str(len(docs) - 1)))
    ident = [""] * len(docs)
    for pos, di in enumerate(order):
        ident[di] = f"d{pos:0{width}d}"

    nbytes = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for di in order:
            line = json.dumps({"id": ident[di], "text": docs[di][0]},
                              ensure_ascii=False) + "\n"
            nbytes += len(line.encode("utf-8"))
            out.write(line)

    kinds: dict[str, int] = {}
    if args.truth:
        with open(args.truth, "w", encoding="utf-8") as out:
            for fi, fam in enumerate(families):
                if not fam["variants"]:
                    continue
                vs = []
                for v in fam["variants"]:
                    d = {"id": ident[v["doc"]], "parent": ident[v["parent"]]}
                    d.update({k: x for k, x in v.items()
                              if k not in ("doc", "parent")})
                    if v["parent"] != fam["base"]:
                        d["of_variant"] = True
                    vs.append(d)
                    kinds[v["kind"]] = kinds.get(v["kind"], 0) + 1
                members = [ident[fam["base"]]] + [v["id"] for v in vs]
                out.write(json.dumps({"family": f"f{fi:05d}",
                                      "base": ident[fam["base"]],
                                      "members": members,
                                      "variants": vs}) + "\n")

    nbase = sum(1 for t, f in docs if f == -1) + len(families)
    print(json.dumps({"docs": len(docs), "bases": nbase,
                      "families": sum(1 for f in families if f["variants"]),
                      "variants": len(docs) - nbase, "kinds": kinds,
                      "bytes": nbytes,
                      "bytes_per_doc": round(nbytes / max(1, len(docs)))}),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
