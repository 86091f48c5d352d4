"""Text identity for deduplication: an exact fingerprint and a MinHash signature with LSH bands.

Pure functions of an article's text. Latin text is shingled in word 5-grams, Japanese in
character 4-grams (it has no spaces to split words on). Case, punctuation, whitespace and
full-width forms are normalised away first, so copies that differ only in typography, line breaks
or paragraphing are identical to the fingerprint and near-identical to MinHash. Credit lines and
editor's notes are already outside the body (crawler.normalize) and do not count.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS  # 4 rows a band: pairs above ~0.5 Jaccard share a band almost surely
SEED = 20261129
WORD_SHINGLE = 5
CHAR_SHINGLE = 4
# Signatures are stored: the hashing scheme is pinned so that a datasketch upgrade cannot
# silently make new signatures incomparable with the stored ones.
SCHEME = "affine32"

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_TEXT = re.compile(r"[\W_]+")
# A wire copy's dateline differs between outlets ("TOKYO (Kyodo) --" / "TOKYO --"): its words are
# not the story's.
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(?:\((?:Kyodo|Jiji|AP|AFP|Reuters)\))?\s*[-–—]+\s*",
                       re.M)


@dataclass(frozen=True)
class TextIdentity:
    fingerprint: str
    """Exact identity of the normalised text."""
    signature: bytes
    """MinHash values, NUM_PERM little-endian uint32."""
    bands: tuple[int, ...]
    """One signed 64-bit key per LSH band, for the Postgres index."""


def normalized_tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", _DATELINE.sub("", text)).lower()
    if is_japanese(text):
        return list(_NOT_TEXT.sub("", text))
    return _WORD.findall(text)


def is_japanese(text: str) -> bool:
    sample = text[:2000]
    return bool(sample) and len(_CJK.findall(sample)) > 0.2 * len(sample.replace(" ", ""))


def shingles(tokens: list[str], japanese: bool) -> list[bytes]:
    size = CHAR_SHINGLE if japanese else WORD_SHINGLE
    joiner = "" if japanese else " "
    if len(tokens) <= size:
        return [joiner.join(tokens).encode()] if tokens else []
    return list({joiner.join(tokens[i:i + size]).encode()
                 for i in range(len(tokens) - size + 1)})


@lru_cache(maxsize=1)
def _template() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


def identity(title: str, body: str) -> TextIdentity:
    """The text identity of an article's body (the title only when the body is empty)."""
    text = body or title
    tokens = normalized_tokens(text)
    japanese = is_japanese(text)
    fingerprint = hashlib.blake2b(("\x1f".join(tokens)).encode(), digest_size=16).hexdigest()
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_template().permutations,
                      scheme=SCHEME)
    minhash.update_batch(shingles(tokens, japanese))
    values = minhash.hashvalues.astype("<u4")
    return TextIdentity(fingerprint, values.tobytes(), band_keys(values))


def band_keys(values: np.ndarray) -> tuple[int, ...]:
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS:(band + 1) * ROWS].astype("<u4").tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=struct.pack("<H", band)).digest()
        keys.append(struct.unpack("<q", digest)[0])
    return tuple(keys)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures' shingle sets."""
    left = np.frombuffer(a, dtype="<u4")
    right = np.frombuffer(b, dtype="<u4")
    if left.shape != right.shape or not left.size:
        return 0.0
    return float(np.count_nonzero(left == right)) / left.size
