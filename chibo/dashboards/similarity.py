"""Near-identical resolutions (C16: meetings held for form's sake): Jaccard similarity of word shingles.

A text is lower-cased, its numbers replaced by one token (a copy that only changes the month and the
dates is still a copy) and cut into overlapping runs of SHINGLE_WORDS words. The similarity of two
texts is |A ∩ B| / |A ∪ B| over their sets of shingles, computed exactly: a cell has a few dozen
resolutions, so MinHash's estimate buys nothing here. The threshold is a rule-set setting
(warn_similarity_pct, 80 by default).
"""

import re
import unicodedata

SHINGLE_WORDS = 3
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE_WORDS) -> frozenset[tuple[str, ...]]:
    words = ["0" if w.isdigit() else w for w in _WORD.findall(unicodedata.normalize("NFC", text).lower())]
    if len(words) < k:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i : i + k]) for i in range(len(words) - k + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity_pct(a: str, b: str) -> float:
    return round(jaccard(shingles(a), shingles(b)) * 100, 1)
