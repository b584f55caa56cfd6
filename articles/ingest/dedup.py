"""Content fingerprints that survive boilerplate and script differences.

SimHash over character 3-gram shingles of the folded body (NFKC, simplified,
letters and digits only), vectorised with NumPy. Near-duplicates differ in a few
bits; with four 16-bit bands, two fingerprints within Hamming distance 3 share at
least one band exactly, so an indexed equality lookup on the bands finds them.
"""
from __future__ import annotations

from functools import cache

import numpy as np

from .script import fold_text

_MASK16 = 0xFFFF
MAX_CHARS = 6000
# Four 16-bit bands: two fingerprints within 3 bits share at least one band, so a band lookup finds
# every near-duplicate. A larger distance would silently miss some (settings refuse one).
MAX_DISTANCE = 3


def fingerprint_text(text: str, folded: str | None = None) -> str:
    """What the fingerprint shingles: the letters and digits of fold_text(text).

    `folded` is fold_text(text) when the caller has it already.
    """
    return _letters_and_digits(fold_text(text) if folded is None else folded).tobytes().decode("utf-32-le")


def _letters_and_digits(folded: str) -> np.ndarray:
    """The code points of the text's letters and digits (str.isalnum: a regex's word characters less _), looked
    up in a table: a regex substitution would stop at every punctuation mark of a Chinese text."""
    codes = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    keep = _bmp_alnum()[np.minimum(codes, 0xFFFF)]
    astral = codes > 0xFFFF
    if astral.any():  # rare hanzi (extension B and on) and symbols: asked one distinct character at a time
        for code in np.unique(codes[astral]).tolist():
            keep[codes == code] = chr(code).isalnum()
    return codes[keep]


@cache
def _bmp_alnum() -> np.ndarray:
    return np.array([chr(code).isalnum() for code in range(0x10000)])


def _mix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def simhash(text: str, *, folded: str | None = None) -> int:
    """64-bit SimHash as a signed int64 (fits a database BigIntegerField)."""
    kept = _letters_and_digits(fold_text(text) if folded is None else folded)[:MAX_CHARS]
    cps = np.zeros(max(3, len(kept)), dtype=np.uint64)  # shorter than one shingle: padded with NULs
    cps[:len(kept)] = kept
    with np.errstate(over="ignore"):
        shingles = _mix(cps[:-2] * np.uint64(0x9E3779B97F4A7C15)
                        ^ _mix(cps[1:-1] + np.uint64(0x632BE59BD9B4E019))
                        ^ (cps[2:] << np.uint64(21)))
        # Bit i of every shingle, counted: unpack the little-endian bytes (bit 0 first) into 64 bytes of
        # 0 or 1 a shingle, then add them eight at a time as uint64 words, each byte a counter of its
        # own: in runs of at most 255 shingles, so that no counter carries into the next.
        octets = shingles.astype("<u8", copy=False).view(np.uint8)
        bits = np.unpackbits(octets, bitorder="little").view(np.uint64).reshape(-1, 8)
        partial = np.add.reduceat(bits, np.arange(0, len(bits), 255), axis=0)
        counts = partial.view(np.uint8).reshape(-1, 64).sum(axis=0, dtype=np.uint32)
    bits = counts * 2 > len(shingles)
    value = int(np.packbits(bits[::-1].astype(np.uint8)).view(">u8")[0])
    return value - (1 << 64) if value >= (1 << 63) else value


def bands(fingerprint: int) -> tuple[int, int, int, int]:
    u = fingerprint & ((1 << 64) - 1)
    return tuple((u >> (16 * i)) & _MASK16 for i in range(4))  # type: ignore[return-value]


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


class NearDuplicates:
    """Fingerprints indexed by band; `find` gives the value of the earliest added one within `distance` bits.

    The one near-duplicate matcher: the importer fills it with the stored candidates (earliest first)
    and then with the pages it writes, the previews with the files they have seen.
    """

    def __init__(self, distance: int = MAX_DISTANCE):
        if not 0 <= distance <= MAX_DISTANCE:
            raise ValueError(f"a near-duplicate distance must be between 0 and {MAX_DISTANCE} bits (got {distance}): "
                             "four 16-bit bands only guarantee to find fingerprints that close")
        self.distance = distance
        self._size = 0
        self._bands: dict[tuple[int, int], list[tuple[int, int, object]]] = {}

    def add(self, fingerprint: int, value, banded: tuple[int, int, int, int] | None = None) -> None:
        """Index a fingerprint; `banded` passes its bands when they are known already (stored rows)."""
        entry = (self._size, fingerprint, value)
        self._size += 1
        for key in enumerate(banded or bands(fingerprint)):
            self._bands.setdefault(key, []).append(entry)

    def find(self, fingerprint: int):
        best = None
        for key in enumerate(bands(fingerprint)):
            for entry in self._bands.get(key, ()):  # each list is in the order added
                if best is not None and entry[0] >= best[0]:
                    break
                if hamming(entry[1], fingerprint) <= self.distance:
                    best = entry
                    break
        return None if best is None else best[2]
