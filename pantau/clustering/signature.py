"""MinHash signatures of article bodies and their LSH band keys (datasketch does the hashing).

A signature is datasketch's ``affine32`` MinHash: ``num_perm`` uint32 values, stored as a
little-endian blob. LSH splits it into ``bands`` groups of ``rows`` values; two articles whose
values agree on a whole band share that band's bucket key, which is how candidates are found in
an SQLite index without loading every signature.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from pantau.clustering.text import DEFAULT_SHINGLE_SIZES, body_shingles

SCHEME = "affine32"  # datasketch >= 2.0 default; stored blobs are only comparable within it
_BLOB_DTYPE = np.dtype("<u4")
# Shingles are hashed with CRC-32 (C speed, stable across processes; datasketch's affine32
# scheme mixes it with the MurmurHash3 finalizer before permuting), not SHA-1: hashing is most
# of the cost of a signature. Changing it invalidates stored signatures (see HASH_NAME).
HASH_NAME = "crc32"
# False negatives lose a republication for good; false candidates only cost one comparison, so
# the band layout leans towards recall.
LSH_WEIGHTS = (0.3, 0.7)


@dataclass(frozen=True)
class BandLayout:
    bands: int
    rows: int

    @classmethod
    def for_threshold(cls, threshold: float, num_perm: int) -> BandLayout:
        """datasketch's optimal (bands, rows) for a Jaccard threshold, weighted for recall."""
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"cluster threshold must be between 0 and 1, got {threshold!r}")
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
        return cls(bands=lsh.b, rows=lsh.r)

    def candidate_probability(self, jaccard: float) -> float:
        """Chance that a pair with this true Jaccard similarity shares at least one bucket."""
        return 1.0 - (1.0 - jaccard**self.rows) ** self.bands


class Signer:
    """Turns bodies into MinHash signatures with fixed permutations (made once, reused)."""

    def __init__(
        self,
        num_perm: int = 128,
        seed: int = 1,
        shingle_sizes: Iterable[int] = DEFAULT_SHINGLE_SIZES,
    ) -> None:
        if num_perm < 16:
            raise ValueError(f"cluster permutations must be at least 16, got {num_perm!r}")
        self.num_perm = num_perm
        self.seed = seed
        self.shingle_sizes = tuple(sorted(set(shingle_sizes)))
        # Generating permutations costs more than hashing a short post; do it once.
        self._permutations = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations

    def sign_shingles(self, shingles: set[str]) -> LeanMinHash | None:
        if not shingles:
            return None
        minhash = MinHash(
            num_perm=self.num_perm,
            seed=self.seed,
            hashfunc=zlib.crc32,
            permutations=self._permutations,
            scheme=SCHEME,
        )
        minhash.update_batch([s.encode("utf-8") for s in shingles])
        return LeanMinHash(minhash)

    def sign(self, body: str | None) -> tuple[LeanMinHash | None, int]:
        """The body's signature (None when it has no words) and its number of shingles."""
        found = body_shingles(body, self.shingle_sizes)
        return self.sign_shingles(found), len(found)

    def to_blob(self, signature: LeanMinHash) -> bytes:
        return signature.hashvalues.astype(_BLOB_DTYPE, copy=False).tobytes()

    def from_blob(self, blob: bytes) -> LeanMinHash:
        values = np.frombuffer(blob, dtype=_BLOB_DTYPE)
        if len(values) != self.num_perm:
            raise ValueError(
                f"stored signature has {len(values)} values, this index uses {self.num_perm}"
            )
        return LeanMinHash(seed=self.seed, hashvalues=values, scheme=SCHEME)


def band_keys(signature: LeanMinHash, layout: BandLayout) -> list[int]:
    """One signed 64-bit bucket key per band (band number mixed in, so bands never collide)."""
    values = signature.hashvalues.astype(_BLOB_DTYPE, copy=False)
    keys = []
    for band in range(layout.bands):
        chunk = values[band * layout.rows : (band + 1) * layout.rows].tobytes()
        digest = hashlib.blake2b(struct.pack("<H", band) + chunk, digest_size=8).digest()
        keys.append(struct.unpack("<q", digest)[0])
    return keys
