"""Shared tokenizer for the reprint benchmark (scorer and peer baselines).

Mirrors reprint's documented tokenization closely:

* NFKC-normalise, then casefold;
* map the typographic apostrophe U+2019 to ASCII ``'``;
* words are runs of letters/digits, optionally joined by internal
  apostrophes (``don't``, ``o'clock``): ``[^\\W_]+(?:['’][^\\W_]+)*``;
* shingles are consecutive n-word windows joined by one space; a document
  with fewer than n words (but at least one) has a single shingle made of
  all its words; a document without words has no shingles.

reprint splits on Unicode word boundaries (UAX #29), so a handful of edge
cases (e.g. ``3.14``, ``e.g.``, scripts without spaces) may tokenize
slightly differently. That does not matter for the benchmark.
"""

from __future__ import annotations

import re
import unicodedata

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(text: str) -> list[str]:
    """Normalised word tokens of ``text``."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return WORD_RE.findall(text)


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
    """Word n-gram shingles of ``text`` (with repetitions, in text order)."""
    return shingles_from_words(words(text), n)


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
