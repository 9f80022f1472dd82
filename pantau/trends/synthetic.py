"""A generated news corpus with known trends, for tests, benchmarks and demonstrations.

The corpus spans a baseline and a window ending at ``now``. Ordinary articles are drawn from a
filler vocabulary (or from real sentences, when given). On top of that it plants what a trends
report must find or must ignore:

* an emerging narrative: a phrase absent from the baseline that many outlets carry in the
  window, each in its own wording around the phrase;
* a steady phrase: in every ``steady_every``-th article, baseline and window alike;
* story clusters: one that spreads to new outlets in the window, one that spread only before it.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

FILLER = (
    "pemerintah daerah warga kota provinsi kabupaten desa jalan pasar harga beras minyak "
    "petani nelayan sekolah guru murid rumah sakit dokter pasien banjir hujan longsor gempa "
    "polisi jaksa hakim sidang perkara kasus korupsi anggaran proyek jembatan bandara pelabuhan "
    "kereta bus listrik air bersih sampah lingkungan hutan sungai laut pantai wisata hotel "
    "investasi ekspor impor rupiah saham bank kredit pajak usaha pedagang pabrik buruh upah "
    "menteri gubernur bupati wali camat lurah partai koalisi kampanye relawan pendukung survei "
    "elektabilitas debat program visi misi janji bantuan sosial subsidi pupuk tol kendaraan "
    "mudik libur festival budaya musik film atlet pertandingan klub pelatih liga stadion "
    "teknologi internet aplikasi digital data keamanan siber penipuan hoaks klarifikasi "
    "laporan rapat kunjungan peresmian pembangunan perbaikan penertiban sosialisasi pelatihan"
).split()
GLUE = "yang dan di ke dari untuk dengan pada dalam akan juga telah tidak ini itu oleh".split()
TOPICS = ("pemilu", "ekonomi", "hukum", "olahraga", "lingkungan")


@dataclass
class CorpusPlan:
    """What to generate; the defaults make a small corpus suitable for tests."""

    now: datetime
    window: timedelta = timedelta(hours=24)
    baseline: timedelta = timedelta(days=30)
    docs_per_day: int = 40
    outlets: int = 12
    seed: int = 7
    planted_phrase: str = "surat suara tercoblos"
    planted_docs: int = 24
    planted_outlets: int = 9
    steady_phrase: str = "debat calon presiden"
    steady_every: int = 4
    body_sentences: tuple[int, int] = (6, 10)
    sentences: list[str] = field(default_factory=list)  # real text to draw bodies from
    # Share of words of a drawn sentence swapped for another word of the sentences, so that a
    # small pool of real sentences does not repeat verbatim across thousands of articles.
    mutate: float = 0.0

    @property
    def sources(self) -> list[str]:
        return [f"outlet{n:02d}" for n in range(1, self.outlets + 1)]


def _doc(
    source: str, slug: str, when: datetime, title: str, body: str, topics: list[str], **extra: Any
) -> dict[str, Any]:
    url = f"https://{source}.example/{when:%Y/%m/%d}/{slug}"
    return {
        "id": hashlib.sha1(url.encode()).hexdigest(),
        "url": url,
        "canonical_url": url,
        "source": source,
        "source_type": "news",
        "title": title,
        "body": body,
        "published_at": when.isoformat(),
        "crawled_at": when.isoformat(),
        "language": "id",
        "topics": topics,
        **extra,
    }


class _Writer:
    def __init__(self, plan: CorpusPlan) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        # Zipf-like weights: a few filler words are common, most are rare.
        self.weights = [1 / (rank + 1) for rank in range(len(FILLER))]
        # Every word of the real sentences, repeats kept: drawing from it follows their frequency.
        self.pool = [word for text in plan.sentences for word in text.split()]

    def sentence(self) -> str:
        if self.plan.sentences:
            words = self.rng.choice(self.plan.sentences).split()
            if self.plan.mutate:
                rand, pool = self.rng.random, self.pool
                words = [self.rng.choice(pool) if rand() < self.plan.mutate else w for w in words]
            return " ".join(words)
        words = self.rng.choices(FILLER, self.weights, k=self.rng.randint(6, 12))
        for _ in range(3):
            words.insert(self.rng.randrange(1, len(words)), self.rng.choice(GLUE))
        return " ".join(words).capitalize() + "."

    def body(self, *inserted: str) -> str:
        low, high = self.plan.body_sentences
        parts = [self.sentence() for _ in range(self.rng.randint(low, high))]
        for text in inserted:
            parts.insert(self.rng.randrange(len(parts) + 1), text)
        return " ".join(parts)

    def title(self) -> str:
        return " ".join(self.rng.choices(FILLER, self.weights, k=5)).capitalize()

    def topics(self) -> list[str]:
        return self.rng.sample(TOPICS, self.rng.choice((1, 1, 2)))


# Each outlet words the planted narrative its own way; the phrase itself stays the same.
_PLANTED_FRAMES = (
    "Warga melaporkan temuan {p} di sebuah TPS {w}.",
    "Bawaslu menyelidiki dugaan {p} yang beredar {w}.",
    "Video {p} viral di media sosial, petugas {w} membantah.",
    "Saksi partai mengaku melihat {p} sebelum pemungutan {w}.",
    "KPU menyatakan kabar {p} perlu diverifikasi {w}.",
)


def generate_corpus(plan: CorpusPlan) -> list[dict[str, Any]]:
    """Items ready for ``SqliteStore.upsert``, oldest first."""
    writer, rng = _Writer(plan), random.Random(plan.seed + 1)
    window_start = plan.now - plan.window
    start = window_start - plan.baseline
    span = (plan.now - start).total_seconds()
    total = max(1, int(plan.docs_per_day * span / 86400))
    docs = []
    for n in range(total):
        # Evenly spread with jitter, so every period holds its share of articles.
        when = start + timedelta(seconds=(n + rng.random()) * span / total)
        source = plan.sources[n % len(plan.sources)]
        extra = []
        if n % plan.steady_every == 0:
            extra.append(f"Panitia menyiapkan {plan.steady_phrase} pekan depan.")
        docs.append(
            _doc(source, f"a{n}", when, writer.title(), writer.body(*extra), writer.topics())
        )
    # The emerging narrative: window only, spread over many outlets.
    for n in range(plan.planted_docs):
        when = window_start + timedelta(
            seconds=(n + 0.5) * plan.window.total_seconds() / (plan.planted_docs)
        )
        source = plan.sources[n % plan.planted_outlets]
        frame = _PLANTED_FRAMES[n % len(_PLANTED_FRAMES)]
        text = frame.format(p=plan.planted_phrase, w=rng.choice(FILLER))
        docs.append(_doc(source, f"p{n}", when, writer.title(), writer.body(text), ["pemilu"]))
    docs.extend(_stories(plan, writer, window_start))
    docs.sort(key=lambda d: d["published_at"])
    return docs


def _stories(plan: CorpusPlan, writer: _Writer, window_start: datetime) -> list[dict[str, Any]]:
    """A story spreading to new outlets in the window, and one that spread only before it."""
    docs = []
    growing_title = "Logistik pemilu terlambat tiba di pulau terluar"
    growing_body = writer.body()
    origin = window_start - timedelta(hours=30)
    docs.append(
        _doc(
            plan.sources[0],
            "story-grow",
            origin,
            growing_title,
            growing_body,
            ["pemilu"],
            cluster_id="story-grow",
        )
    )
    for k, source in enumerate(plan.sources[1:6]):
        when = window_start + timedelta(hours=2 + 3 * k)
        docs.append(
            _doc(
                source,
                "story-grow-copy",
                when,
                growing_title,
                growing_body,
                ["pemilu"],
                cluster_id="story-grow",
            )
        )
    old_title = "Harga beras naik menjelang musim tanam"
    old_body = writer.body()
    for k, source in enumerate(plan.sources[:4]):
        when = window_start - timedelta(days=5, hours=-k)
        docs.append(
            _doc(
                source, "story-old", when, old_title, old_body, ["ekonomi"], cluster_id="story-old"
            )
        )
    # The first outlet posts the old story again in the window: a repeat, not spread.
    docs.append(
        _doc(
            plan.sources[0],
            "story-old-again",
            window_start + timedelta(hours=1),
            old_title,
            old_body,
            ["ekonomi"],
            cluster_id="story-old",
        )
    )
    return docs
