"""Clusters keep apart records whose dates of birth no single recording error explains, so that
namesakes linked through records without a date do not chain into one cluster; encoded records
are kept apart as plain ones are."""

import itertools
import os
import string

import pytest

from tiltas.linkage.engine.birth_dates import (
    PARTIAL_YEARS_APART,
    BirthDate,
    birth_date_encoded,
    birth_date_plain,
    birth_dates_of,
)
from tiltas.linkage.engine.clustering import clusters_constrained
from tiltas.linkage.engine.pprl import records_encode
from tiltas.linkage.engine.standardise import (
    PartialDate,
    RawRecord,
    StandardRecord,
    records_standardise,
)

pytestmark = pytest.mark.nodb


def born(*dates: str) -> list[StandardRecord]:
    """Namesakes born on `dates` (ISO, partial or empty), record ids a, b, c, ..."""
    raw = []
    for rid, iso in zip(string.ascii_lowercase, dates, strict=False):
        parts = [int(part) for part in iso.split("-")] if iso else []
        date_of_birth = PartialDate(*parts) if parts else None
        raw.append(RawRecord(rid, "police", "Otabek", "Karimov", date_of_birth, "M", "UZB"))
    return records_standardise(raw)


def traits(*dates: str) -> dict[str, BirthDate]:
    return {rid: birth_date for rid, birth_date in birth_dates_of(born(*dates)).items()}


CHAIN = [("a", "b", 0.99), ("b", "c", 0.97)]


def test_namesakes_born_years_apart_do_not_chain_through_a_record_without_a_date():
    clusters = clusters_constrained(
        "abc", CHAIN, threshold=0.9, traits=traits("1990-03-04", "", "1975-08-20")
    )
    # b is the most probable link of a; c would bring a second date of birth: it stays apart.
    assert clusters == {"a": "a", "b": "a", "c": "c"}


def test_a_probable_pair_with_conflicting_dates_of_birth_is_not_joined():
    clusters = clusters_constrained(
        "ab", [("a", "b", 0.999)], threshold=0.9, traits=traits("2001-01-09", "1984-04-07")
    )
    assert clusters == {"a": "a", "b": "b"}


@pytest.mark.parametrize(
    "other",
    [
        "1990-03-04",  # the same date
        "1990-04-03",  # day and month swapped
        "1991-03-04",  # the year off by one
        "1980-03-04",  # a digit typed wrong
        "1990-03-09",  # a wrong day
        "1990-03-31",  # a wrong day, two digits apart
        "1991-04-03",  # swapped, and the year off by one
        "1989-03-28",  # the year off by one, and a wrong day (an error on each record)
        "1990-11-04",  # a wrong month, two digits apart
        "1990-01-01",  # 1 January, perhaps a default
        "1986",  # a year only, within PARTIAL_YEARS_APART
        "",  # no date
    ],
)
def test_dates_one_recording_error_apart_let_the_chain_join(other):
    clusters = clusters_constrained(
        "abc", CHAIN, threshold=0.9, traits=traits("1990-03-04", "", other)
    )
    assert clusters == dict.fromkeys("abc", "a")


@pytest.mark.parametrize(
    "other",
    [
        "1990-08-20",  # the same year, another month and day
        "1988-03-04",  # the year two off (and two digits)
        "1989-05-06",  # the year and the day and month
        f"{1990 + PARTIAL_YEARS_APART + 1}",  # a year only, too far
    ],
)
def test_dates_that_need_two_errors_keep_the_chain_apart(other):
    clusters = clusters_constrained(
        "abc", CHAIN, threshold=0.9, traits=traits("1990-03-04", "", other)
    )
    assert clusters == {"a": "a", "b": "a", "c": "c"}


def test_each_record_without_a_date_joins_its_most_probable_namesake_whatever_the_order():
    dates = traits("1990-03-04", "", "1975-08-20", "")
    pairs = [("a", "b", 0.95), ("b", "c", 0.97), ("c", "d", 0.99), ("a", "d", 0.98)]
    for ordering in itertools.permutations(pairs):
        clusters = clusters_constrained("abcd", ordering, threshold=0.9, traits=dates)
        # c-d first, then a-d would join two dates: refused; b-c joins c, a-b then refused.
        assert clusters == {"a": "a", "b": "b", "c": "b", "d": "b"}


def test_a_reviewers_same_decision_joins_records_whatever_their_dates():
    dates = traits("1990-03-04", "", "1975-08-20")
    clusters = clusters_constrained(
        "abc", CHAIN, threshold=0.9, traits=dates, must_link=[("a", "c")]
    )
    assert clusters == dict.fromkeys("abc", "a")


def test_encoded_dates_conflict_exactly_as_plain_ones():
    dates = ["1990-03-04", "1990-04-03", "1991-03-04", "1980-03-04", "1990-03-09", "1990-08-20",
             "1992-03-04", "1989-05-06", "1991-04-03", "1990-01-01", "2019-12-31", "2020-01-01",
             "1990", "1990-03", ""]  # fmt: skip
    records = born(*dates)
    encoded = records_encode(records, key=os.urandom(32))
    plain = [birth_date_plain(record) for record in records]
    hashed = [birth_date_encoded(item) for item in encoded]
    for (p1, h1), (p2, h2) in itertools.combinations(zip(plain, hashed, strict=True), 2):
        # Encodings carry no year in plain: they are compared by their full dates only.
        expected = bool(p1.keys and p2.keys) and p1.conflicts_with(p2)
        assert h1.conflicts_with(h2) == expected
    assert sum(p1.conflicts_with(p2) for p1, p2 in itertools.combinations(plain, 2)) > 10
