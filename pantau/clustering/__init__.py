"""Duplicates and story clusters: which articles tell the same story, and who had it first."""

from pantau.clustering.index import (
    DEFAULT_PERMUTATIONS,
    DEFAULT_THRESHOLD,
    Assignment,
    ClusterIndex,
    IndexMismatch,
    SameSourceCopy,
)
from pantau.clustering.summary import cluster_summary
from pantau.clustering.text import body_shingles, normalize_words, shingles, strip_boilerplate

__all__ = [
    "DEFAULT_PERMUTATIONS",
    "DEFAULT_THRESHOLD",
    "Assignment",
    "ClusterIndex",
    "IndexMismatch",
    "SameSourceCopy",
    "body_shingles",
    "cluster_summary",
    "normalize_words",
    "shingles",
    "strip_boilerplate",
]
