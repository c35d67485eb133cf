"""Word shingles of an article's text and their MinHash signatures.

Texts are compared after the same normalisation quotes are verified with (`normalise_for_match`:
curly quotes, dashes, whitespace), lowercased, as runs of `SHINGLE_WORDS` words. A signature is
`NUM_PERM` 32-bit values (datasketch's affine32 scheme, fixed seed), stored as base64 text so SQLite
and PostgreSQL keep it alike.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

from extractor.textnorm import normalise_for_match

NUM_PERM = 128
SHINGLE_WORDS = 5
SCHEME = "affine32"
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(normalise_for_match(text).lower())


def shingles(text: str) -> set[str]:
    w = words(text)
    if len(w) < SHINGLE_WORDS:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i : i + SHINGLE_WORDS]) for i in range(len(w) - SHINGLE_WORDS + 1)}


@lru_cache(maxsize=1)
def _template() -> MinHash:
    # the permutations are drawn once; every signature uses the same ones (and so can be compared)
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)


def minhash(shingle_set: set[str]) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=1, permutations=_template().permutations, scheme=SCHEME)
    if shingle_set:
        m.update_batch([s.encode("utf-8") for s in shingle_set])
    return m


def encode(m: MinHash) -> str:
    return base64.b64encode(np.asarray(m.hashvalues, dtype=np.uint32).tobytes()).decode("ascii")


def decode(data: str) -> LeanMinHash:
    """A stored signature, as the lean form an index needs (no permutations: 15 times quicker)."""
    values = np.frombuffer(base64.b64decode(data), dtype=np.uint32)
    return LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)


def containment(inner: set[str], outer: set[str]) -> float:
    """The share of `inner`'s shingles found in `outer` (1.0: all of it)."""
    return len(inner & outer) / len(inner) if inner else 0.0
