"""Shared tokenizer for the reprint benchmark (scorer and peer baselines).

Mirrors reprint's documented tokenization and shingles, so that the
scorer's "true Jaccard" and the peers' shingles are the same sets reprint
uses:

* NFKC-normalise, then casefold; map U+2019 to ASCII ``'``;
* words follow UAX #29 word boundaries for Latin text: runs of letters,
  digits and ``_``, joined across ``.``, ``:``, ``'`` and ``’`` between
  letters and across ``.``, ``,``, ``;``, ``'`` between digits (``e.g``,
  ``3,197``, ``don't``); runs of ``_`` alone are not words;
* shingles are consecutive n-word windows joined by one space, and never
  cross a paragraph break (a blank line: two line feeds with only white
  space between them); a paragraph with fewer than n words (but at least
  one) is one shingle made of all its words.

reprint also decodes HTML character references, skips Markdown link
targets and bigrams CJK/Thai text; the benchmark corpora have none of those.
"""

from __future__ import annotations

import re
import unicodedata

WORD_RE = re.compile(
    r"\w+(?:(?:(?<=[^\W\d_])[.:'’](?=[^\W\d_])|(?<=\d)[.,;'’](?=\d))\w+)*"
)
PARAGRAPH_RE = re.compile(r"\n[^\S\n]*\n")


def words(text: str) -> list[str]:
    """Normalised word tokens of ``text``."""
    found = WORD_RE.findall(text)
    out = []
    for w in found:
        if w.strip("_"):
            out.append(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", w).casefold()).replace("’", "'"))
    return out


def shingles_from_words(ws: list[str], n: int = 5) -> list[str]:
    """Word n-gram shingles (with repetitions, in text order)."""
    if not ws:
        return []
    if len(ws) < n:
        return [" ".join(ws)]
    if n == 1:
        return list(ws)
    # zip of n shifted views is much faster than slicing in a loop
    return [" ".join(t) for t in zip(*(ws[i:] for i in range(n)))]


def shingles(text: str, n: int = 5) -> list[str]:
    """Word n-gram shingles of ``text`` (with repetitions, in text order),
    paragraph by paragraph."""
    out: list[str] = []
    for paragraph in PARAGRAPH_RE.split(text):
        out.extend(shingles_from_words(words(paragraph), n))
    return out


def shingle_set(text: str, n: int = 5) -> set[str]:
    return set(shingles(text, n))


if __name__ == "__main__":  # tiny self-check
    t = "Don’t PANIC: the ﬁle’s 42 words_here are fine. Ünïcode café"
    print(words(t))
    print(shingles(t, 5)[:3])
    assert words("Don’t stop") == ["don't", "stop"]
    assert shingles("a b", 5) == ["a b"]
    assert shingles("", 5) == []
    assert shingles("a b c d e f", 5) == ["a b c d e", "b c d e f"]
    assert shingles("a b c d e f\n \n g h", 5) == ["a b c d e", "b c d e f", "g h"]
    assert words("e.g. 3,197 a_b __ x:y 1.a") == ["e.g", "3,197", "a_b", "x:y", "1", "a"]
