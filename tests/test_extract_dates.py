"""parse_date / find_date: every form Indonesian outlets and feeds print, table-driven."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.extract import find_date, parse_date
from crawler.extract.dates import parse_offset

WIB = timezone(timedelta(hours=7))
# A fixed "now" for relative dates: Wednesday 18 January 2023, 15:00 WIB.
NOW = datetime(2023, 1, 18, 15, 0, 0, tzinfo=WIB)

PRINTED = [
    # Indonesian printed forms
    ("Rabu (18/1/2023)", "2023-01-18T00:00:00+07:00"),
    ("Rabu, 18 Januari 2023 14:32 WIB", "2023-01-18T14:32:00+07:00"),
    ("Rabu 18 Jan 2023 14:32 WIB", "2023-01-18T14:32:00+07:00"),
    ("18/01/2023, 14:32 WIB", "2023-01-18T14:32:00+07:00"),
    ("Kamis, 05 Nov 2015 14:56 WIB", "2015-11-05T14:56:00+07:00"),
    ("05 November 2015 | 14:56", "2015-11-05T14:56:00+07:00"),
    ("Kamis, 5 November 2015 - 15:56 wib", "2015-11-05T15:56:00+07:00"),
    ("Selasa, 23/02/2016 15:32 WIB", "2016-02-23T15:32:00+07:00"),
    ("Senin, 15 Februari 2016, 16:15 WIB", "2016-02-15T16:15:00+07:00"),
    ("Jumat , 17 February 2017, 13:16 WIB", "2017-02-17T13:16:00+07:00"),
    ("Jum'at, 17 Feb 2017 13:16", "2017-02-17T13:16:00+07:00"),
    ("Rabu, 18 Januari 2023 pukul 14.32 WIB", "2023-01-18T14:32:00+07:00"),
    ("Diperbarui: Rabu, 18 Januari 2023 14:32 WIB", "2023-01-18T14:32:00+07:00"),
    ("on 16 Feb 2016 at 09:10 WIB", "2016-02-16T09:10:00+07:00"),
    ("Wednesday, 04 November, 2015 |  07:28 WIB", "2015-11-04T07:28:00+07:00"),
    ("January 18, 2023 2:32 PM", "2023-01-18T14:32:00+07:00"),
    ("18-01-2023 14:32", "2023-01-18T14:32:00+07:00"),
    ("18.01.23", "2023-01-18T00:00:00+07:00"),
    ("2023/01/18 14:32:10", "2023-01-18T14:32:10+07:00"),
    # every Indonesian month, full and abbreviated, and the variants outlets use
    ("1 Januari 2023", "2023-01-01T00:00:00+07:00"),
    ("1 Februari 2023", "2023-02-01T00:00:00+07:00"),
    ("1 Pebruari 2023", "2023-02-01T00:00:00+07:00"),
    ("1 Maret 2023", "2023-03-01T00:00:00+07:00"),
    ("1 April 2023", "2023-04-01T00:00:00+07:00"),
    ("1 Mei 2023", "2023-05-01T00:00:00+07:00"),
    ("1 Juni 2023", "2023-06-01T00:00:00+07:00"),
    ("1 Juli 2023", "2023-07-01T00:00:00+07:00"),
    ("1 Agustus 2023", "2023-08-01T00:00:00+07:00"),
    ("1 September 2023", "2023-09-01T00:00:00+07:00"),
    ("1 Oktober 2023", "2023-10-01T00:00:00+07:00"),
    ("1 November 2023", "2023-11-01T00:00:00+07:00"),
    ("1 Nopember 2023", "2023-11-01T00:00:00+07:00"),
    ("1 Desember 2023", "2023-12-01T00:00:00+07:00"),
    ("2 Jan 2023", "2023-01-02T00:00:00+07:00"),
    ("2 Feb 2023", "2023-02-02T00:00:00+07:00"),
    ("2 Mar 2023", "2023-03-02T00:00:00+07:00"),
    ("2 Apr 2023", "2023-04-02T00:00:00+07:00"),
    ("2 Jun 2023", "2023-06-02T00:00:00+07:00"),
    ("2 Jul 2023", "2023-07-02T00:00:00+07:00"),
    ("2 Agu 2023", "2023-08-02T00:00:00+07:00"),
    ("2 Agt 2023", "2023-08-02T00:00:00+07:00"),
    ("2 Ags 2023", "2023-08-02T00:00:00+07:00"),
    ("2 Sep 2023", "2023-09-02T00:00:00+07:00"),
    ("2 Okt 2023", "2023-10-02T00:00:00+07:00"),
    ("2 Nov 2023", "2023-11-02T00:00:00+07:00"),
    ("2 Des 2023", "2023-12-02T00:00:00+07:00"),
    # English month names
    ("3 August 2023", "2023-08-03T00:00:00+07:00"),
    ("3 Oct 2023", "2023-10-03T00:00:00+07:00"),
    ("3 Dec. 2023", "2023-12-03T00:00:00+07:00"),
    ("3 May 2023", "2023-05-03T00:00:00+07:00"),
]

ZONES = [
    ("Rabu, 18 Januari 2023 14:32 WIB", "2023-01-18T14:32:00+07:00"),
    ("Rabu, 18 Januari 2023 14:32 WITA", "2023-01-18T14:32:00+08:00"),
    ("Rabu, 18 Januari 2023 14:32 WIT", "2023-01-18T14:32:00+09:00"),
    ("18 Jan 2023 14:32 GMT+7", "2023-01-18T14:32:00+07:00"),
    ("18 Jan 2023 14:32 GMT+07:00", "2023-01-18T14:32:00+07:00"),
    ("18 Jan 2023 14:32 (GMT+8)", "2023-01-18T14:32:00+08:00"),
    ("18 Jan 2023 14:32 UTC+9", "2023-01-18T14:32:00+09:00"),
    ("18 Jan 2023 07:32 UTC", "2023-01-18T07:32:00+00:00"),
]

MACHINE = [
    # ISO 8601 in the forms CMSs write, incl. the odd ones
    ("2023-01-18T14:32:00+07:00", "2023-01-18T14:32:00+07:00"),
    ("2023-01-18T07:32:00Z", "2023-01-18T07:32:00+00:00"),
    ("2023-01-18T14:32:00.000+07:00", "2023-01-18T14:32:00+07:00"),
    ("2016-02-16T13:01:52+0700", "2016-02-16T13:01:52+07:00"),
    ("2015-11-05 T10:08:58Z", "2015-11-05T10:08:58+00:00"),
    ("2017-02-17 13:30:08", "2017-02-17T13:30:08+07:00"),
    ("2023-01-18T14:32", "2023-01-18T14:32:00+07:00"),
    ("2023-01-18", "2023-01-18T00:00:00+07:00"),
    ("2023-01-18T14:32:00+08", "2023-01-18T14:32:00+08:00"),
    # RFC 822, as feeds write it
    ("Wed, 18 Jan 2023 14:32:00 +0700", "2023-01-18T14:32:00+07:00"),
    ("Wed, 18 Jan 2023 07:32:00 GMT", "2023-01-18T07:32:00+00:00"),
    ("Thu, 05 Nov 2015 15:08:01 +0700", "2015-11-05T15:08:01+07:00"),
    ("Wed, 18 Jan 2023 14:32:00 WIB", "2023-01-18T14:32:00+07:00"),
]

RELATIVE = [
    ("2 jam yang lalu", "2023-01-18T13:00:00+07:00"),
    ("30 menit lalu", "2023-01-18T14:30:00+07:00"),
    ("45 detik yang lalu", "2023-01-18T14:59:15+07:00"),
    ("sejam lalu", "2023-01-18T14:00:00+07:00"),
    ("3 hari lalu", "2023-01-15T15:00:00+07:00"),
    ("1 minggu yang lalu", "2023-01-11T15:00:00+07:00"),
    ("2 pekan lalu", "2023-01-04T15:00:00+07:00"),
    ("kemarin", "2023-01-17T00:00:00+07:00"),
    ("Kemarin, 14:32 WIB", "2023-01-17T14:32:00+07:00"),
    ("hari ini 09:15", "2023-01-18T09:15:00+07:00"),
    ("baru saja", "2023-01-18T15:00:00+07:00"),
    ("5 hours ago", "2023-01-18T10:00:00+07:00"),
    ("yesterday", "2023-01-17T00:00:00+07:00"),
]

MALFORMED = [
    "32/13/2023",  # no such day, no such month
    "31/02/2023",  # no 31 February
    "29/02/2023",  # not a leap year
    "Rabu (2/2). /14/2024)",  # the seed article's garbled date
    "Rabu (18/1)",  # no year: guessing one could be wrong
    "Senin, 18 Januari 2023",  # 18 January 2023 was a Wednesday
    "18 Januari 2023 25:10",  # no such hour
    "18 Januari 2023 14:75",
    "2023-13-01",
    "2023-02-30T10:00:00+07:00",
    "18 Jan 2023 14:32 +2500",  # no such offset
    "0000-00-00 00:00:00",  # a CMS's empty date
    "Januari 2023",  # no day
    "18 Brumaire 2023",
    "hello 18/1/2023",  # words that are not part of a date
    "Reporter: Budi, 18/01/2023",
    "2 bulan lalu",  # months and years ago: too coarse for a publication time
    "1 tahun yang lalu",
    "",
    "   ",
    "xyz",
]


@pytest.mark.parametrize(("text", "expected"), PRINTED + ZONES + MACHINE)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), RELATIVE)
def test_relative_dates_count_back_from_now(text: str, expected: str) -> None:
    assert parse_date(text, now=NOW) == expected


@pytest.mark.parametrize(("text", "_"), RELATIVE)
def test_relative_dates_need_now(text: str, _: str) -> None:
    assert parse_date(text) is None


def test_naive_now_is_local_time() -> None:
    assert (
        parse_date("2 jam yang lalu", now=NOW.replace(tzinfo=None)) == "2023-01-18T13:00:00+07:00"
    )


def test_kemarin_is_yesterday_in_local_time_whatever_zone_now_is_in() -> None:
    # 18:30 UTC on the 17th is already the 18th in Jakarta: yesterday is the 17th.
    utc_now = datetime(2023, 1, 17, 18, 30, tzinfo=UTC)
    assert parse_date("kemarin", now=utc_now) == "2023-01-17T00:00:00+07:00"


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_dates_give_none(text: str) -> None:
    assert parse_date(text, now=NOW) is None


@pytest.mark.parametrize(
    ("default_tz", "expected"),
    [
        ("+07:00", "2023-01-18T14:32:00+07:00"),
        ("WITA", "2023-01-18T14:32:00+08:00"),
        ("+0900", "2023-01-18T14:32:00+09:00"),
        ("UTC", "2023-01-18T14:32:00+00:00"),
    ],
)
def test_default_zone_applies_only_when_the_text_has_none(default_tz: str, expected: str) -> None:
    assert parse_date("18/01/2023 14:32", default_tz=default_tz) == expected
    assert parse_date("18/01/2023 14:32 WIT", default_tz=default_tz) == "2023-01-18T14:32:00+09:00"


@pytest.mark.parametrize("bad", ["Jakarta", "+25:00", "", "7"])
def test_bad_default_zone_is_an_error_naming_it(bad: str) -> None:
    with pytest.raises(ValueError, match="time zone"):
        parse_date("18/01/2023", default_tz=bad)


def test_parse_offset_reads_names_and_numbers() -> None:
    assert parse_offset("WITA") == timezone(timedelta(hours=8))
    assert parse_offset("GMT-3") == timezone(timedelta(hours=-3))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Selasa, 23 Februari 2016 15:06 WIB | 998 Views", "2016-02-23T15:06:00+07:00"),
        ("Reporter: Budi | Rabu, 18 Januari 2023 14:32 WIB", "2023-01-18T14:32:00+07:00"),
        ("detikNews | Minggu, 17 Sep 2017 15:34 WIB", "2017-09-17T15:34:00+07:00"),
        # a bare date in the text loses to the one with a time of day
        (
            "Jakarta, Rabu (18/1/2023). Diperbarui Kamis, 19/01/2023 10:00 WIB",
            "2023-01-19T10:00:00+07:00",
        ),
        ("Jakarta, Rabu (18/1/2023), kata dia.", "2023-01-18T00:00:00+07:00"),
        ("Dipublikasikan 2023-01-18T14:32:00+07:00 oleh Redaksi", "2023-01-18T14:32:00+07:00"),
        ("Tidak ada tanggal di sini", None),
        ("Rabu (2/2). /14/2024)", None),
    ],
)
def test_find_date_inside_longer_text(text: str, expected: str | None) -> None:
    assert find_date(text) == expected


def test_instants_are_exact_across_zones() -> None:
    a = datetime.fromisoformat(parse_date("Rabu, 18 Januari 2023 15:32 WITA"))
    b = datetime.fromisoformat(parse_date("2023-01-18T07:32:00Z"))
    assert a == b
