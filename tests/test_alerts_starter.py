"""The starter saved queries against sentences they must and must not catch."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.alerts import load_rules, rule_hits

QUERIES = Path(__file__).resolve().parents[1] / "index_config" / "queries"
RULES = {rule.id: rule for rule in load_rules(QUERIES)[0]}

# (rule id, sentence, must match)
CASES = [
    # hoaxes and fraud claims about the vote count
    ("hoaks-penghitungan-suara", "Beredar hoaks Sirekap menggelembungkan suara paslon", True),
    ("hoaks-penghitungan-suara", "KPU bantah isu kecurangan rekapitulasi di kecamatan", True),
    ("hoaks-penghitungan-suara", "Video penggelembungan suara di TPS 12 ternyata hoax", True),
    ("hoaks-penghitungan-suara", "Bawaslu temukan dugaan manipulasi formulir C1", True),
    ("hoaks-penghitungan-suara", "Kabar bohong soal hasil quick count menyebar di WhatsApp", True),
    ("hoaks-penghitungan-suara", "KPU mulai rekapitulasi suara tingkat nasional hari ini", False),
    ("hoaks-penghitungan-suara", "Polisi tangkap penyebar hoaks soal vaksin", False),
    ("hoaks-penghitungan-suara", "Siswa dituduh curang saat ujian nasional", False),
    # vote buying
    ("politik-uang", "Bawaslu siaga serangan fajar menjelang hari pencoblosan", True),
    ("politik-uang", "Warga melaporkan praktik politik uang oleh tim sukses", True),
    ("politik-uang", "Caleg tertangkap bagi-bagi amplop di masjid", True),
    ("politik-uang", "Timses membagikan amplop berisi Rp50 ribu kepada pemilih", True),
    ("politik-uang", "Praktik jual-beli suara marak di daerah terpencil", True),
    ("politik-uang", "Pengantin menerima amplop dari para tamu undangan", False),
    ("politik-uang", "Harga sembako naik menjelang Ramadan", False),
    ("politik-uang", "Fajar menyingsing di ufuk timur saat serangan dimulai", False),
    # hate speech and SARA
    ("ujaran-kebencian-sara", "Polisi usut ujaran kebencian terhadap capres di media sosial", True),
    ("ujaran-kebencian-sara", "Kampanye bernuansa SARA dilaporkan ke Bawaslu", True),
    ("ujaran-kebencian-sara", "Tokoh agama imbau warga tidak terpancing isu SARA", True),
    ("ujaran-kebencian-sara", "Spanduk menyebut paslon antek asing dicopot petugas", True),
    ("ujaran-kebencian-sara", "Sara Wijayanto tampil dalam film horor terbaru", False),
    ("ujaran-kebencian-sara", "Pemerintah membangun rumah ibadah baru di kota itu", False),
    # clashes between supporters
    ("bentrok-pendukung", "Massa pendukung dua paslon bentrok usai kampanye akbar", True),
    ("bentrok-pendukung", "Kericuhan antara simpatisan partai pecah di depan TPS", True),
    ("bentrok-pendukung", "Relawan caleg dikeroyok sekelompok orang di pasar", True),
    ("bentrok-pendukung", "Suporter Persija dan pendukung Persib terlibat tawuran", False),
    ("bentrok-pendukung", "Kampanye berlangsung damai dan tertib tanpa insiden", False),
    # neutrality violations
    ("netralitas-asn-tni-polri", "Bawaslu periksa ASN yang ikut kampanye paslon", True),
    ("netralitas-asn-tni-polri", "Oknum polisi diduga tidak netral dalam pilkada", True),
    ("netralitas-asn-tni-polri", "Foto kepala desa pose jari dukung capres viral", True),
    ("netralitas-asn-tni-polri", "Prajurit TNI dilarang terlibat politik praktis", True),
    ("netralitas-asn-tni-polri", "TNI dan Polri amankan jalannya kampanye akbar", False),
    ("netralitas-asn-tni-polri", "Wasit dinilai tidak netral dalam final liga", False),
    # threats to election officials
    ("ancaman-petugas-pemilu", "Anggota KPPS diancam dibunuh usai penghitungan suara", True),
    ("ancaman-petugas-pemilu", "Kantor KPU daerah diteror orang tak dikenal", True),
    ("ancaman-petugas-pemilu", "Petugas Bawaslu mendapat intimidasi saat mengawasi TPS", True),
    ("ancaman-petugas-pemilu", "Ketua PPK melaporkan ancaman ke polisi", True),
    ("ancaman-petugas-pemilu", "Penyelenggara pemilu mengalami persekusi di media sosial", True),
    ("ancaman-petugas-pemilu", "KPPS menerima honor setelah pemungutan suara", False),
    ("ancaman-petugas-pemilu", "Banjir mengancam ribuan rumah warga", False),
    # the volume rule counts election hoaxes
    ("lonjakan-hoaks-pemilu", "Hoaks soal capres beredar di grup percakapan", True),
    ("lonjakan-hoaks-pemilu", "Hoaks kesehatan menyebar di media sosial", False),
]


def test_starter_set_loads_cleanly() -> None:
    rules, errors = load_rules(QUERIES)
    assert errors == []
    assert len(rules) >= 6


def test_every_starter_rule_has_cases_both_ways() -> None:
    for rule_id in RULES:
        expected = {must for rid, _, must in CASES if rid == rule_id}
        assert expected == {True, False}, rule_id


@pytest.mark.parametrize(("rule_id", "sentence", "must_match"), CASES)
def test_starter_query(rule_id: str, sentence: str, must_match: bool) -> None:
    rule = RULES[rule_id]
    as_title = rule_hits(rule, {"title": sentence, "body": "", "language": "id"})
    as_body = rule_hits(rule, {"title": "", "body": sentence, "language": "id"})
    assert (as_title is not None) is must_match
    assert (as_body is not None) is must_match


def test_starter_rules_are_for_indonesian_text() -> None:
    sentence = "Beredar hoaks Sirekap menggelembungkan suara paslon"
    rule = RULES["hoaks-penghitungan-suara"]
    assert rule_hits(rule, {"title": sentence, "language": "ms"}) is None
    assert rule_hits(rule, {"title": sentence, "language": "id"}) == ["hoaks", "suara", "sirekap"]
