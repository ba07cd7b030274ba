"""A conflict between dates of birth is waived where two records share an address or an identity
document number (traits.py), on plain and on encoded records alike."""

import itertools
import os

import pytest

from tiltas.linkage.engine.birth_dates import birth_dates_of
from tiltas.linkage.engine.clustering import clusters_constrained
from tiltas.linkage.engine.pprl import records_encode
from tiltas.linkage.engine.standardise import PartialDate, RawRecord, records_standardise
from tiltas.linkage.engine.traits import clustering_traits

pytestmark = pytest.mark.nodb


def _records(*rows: tuple[str, str, tuple[str, ...]]):
    raw = [
        RawRecord(
            rid,
            "police",
            "Vytautas",
            "Sakalauskas",
            PartialDate(*(int(part) for part in iso.split("-"))),
            "M",
            "LTU",
            document_numbers=documents,
        )
        for rid, iso, documents in rows
    ]
    return records_standardise(raw)


ROWS = (
    ("a", "1992-03-27", ("25451896",)),
    # The same passport written with a space, and a date two errors away: one person.
    ("b", "2002-04-27", ("25 451896",)),
    # Another passport, and a date two errors away: a namesake.
    ("c", "2002-04-27", ("30112233",)),
    ("d", "1992-11-08", ()),
)


def test_a_shared_document_number_waives_a_date_conflict():
    records = _records(*ROWS)
    dates = birth_dates_of(records)
    traits = clustering_traits(records, dates)
    assert dates["a"].conflicts_with(dates["b"])
    assert not traits["a"].conflicts_with(traits["b"])
    assert traits["a"].conflicts_with(traits["c"])
    assert traits["a"].conflicts_with(traits["d"])
    clusters = clusters_constrained(
        "abcd", [("a", "b", 0.999), ("a", "c", 0.6), ("a", "d", 0.6)], threshold=0.5, traits=traits
    )
    assert clusters == {"a": "a", "b": "a", "c": "c", "d": "d"}


def test_encoded_document_numbers_waive_exactly_as_plain_ones():
    records = _records(*ROWS)
    encoded = records_encode(records, key=os.urandom(32))
    plain = clustering_traits(records, birth_dates_of(records))
    hashed = clustering_traits(records, birth_dates_of(records, encoded), encoded)
    for left, right in itertools.combinations("abcd", 2):
        assert hashed[left].conflicts_with(hashed[right]) == plain[left].conflicts_with(
            plain[right]
        ), (left, right)


def test_without_addresses_or_documents_the_birth_date_traits_are_unchanged():
    records = _records(("a", "1992-03-27", ()), ("b", "2002-04-27", ()))
    dates = birth_dates_of(records)
    assert clustering_traits(records, dates) is dates
