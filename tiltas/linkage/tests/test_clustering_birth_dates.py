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
from tiltas.linkage.engine.clustering import clusters_constrained, probabilities_exclusive
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
        "abc", CHAIN, threshold=0.5, traits=traits("1990-03-04", "", "1975-08-20")
    )
    # a and c are rivals for b: a-b keeps odds 99 / (1 + 32), b-c only 32 / (1 + 99).
    assert clusters == {"a": "a", "b": "a", "c": "c"}


def test_a_probable_pair_with_conflicting_dates_of_birth_is_not_joined():
    clusters = clusters_constrained(
        "ab", [("a", "b", 0.999)], threshold=0.5, traits=traits("2001-01-09", "1984-04-07")
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
        "abc", CHAIN, threshold=0.5, traits=traits("1990-03-04", "", other)
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
        "abc", CHAIN, threshold=0.5, traits=traits("1990-03-04", "", other)
    )
    assert clusters == {"a": "a", "b": "a", "c": "c"}


def test_each_record_without_a_date_joins_its_most_probable_namesake_whatever_the_order():
    dates = traits("1990-03-04", "", "1975-08-20", "")
    pairs = [("a", "b", 0.95), ("b", "c", 0.97), ("c", "d", 0.99), ("a", "d", 0.98)]
    for ordering in itertools.permutations(pairs):
        clusters = clusters_constrained("abcd", ordering, threshold=0.5, traits=dates)
        # a and c are rivals for b and for d (their dates conflict): c-d (odds 99 against
        # a-d's 49) and b-c (32 against a-b's 19) remain more likely than not, a-d and a-b not.
        assert clusters == {"a": "a", "b": "b", "c": "b", "d": "b"}


def test_a_reviewers_same_decision_joins_records_whatever_their_dates():
    dates = traits("1990-03-04", "", "1975-08-20")
    clusters = clusters_constrained(
        "abc", CHAIN, threshold=0.5, traits=dates, must_link=[("a", "c")]
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


def test_a_record_without_a_date_is_at_most_one_of_its_namesakes_born_on_other_days():
    # The caller (a) and six namesakes born on days no recording error joins, each pair scored
    # 0.5 alone: the caller is one of them with odds 1 / (1 + 5) at most, and none is joined.
    dates = traits("", "1980-03-04", "1985-07-21", "1990-11-02", "1972-01-30", "1999-05-16",
                   "1966-09-09")  # fmt: skip
    pairs = [("a", rid, 0.5) for rid in "bcdefg"]
    exclusive = probabilities_exclusive(pairs, dates)
    assert [probability for _, _, probability in exclusive] == pytest.approx([1 / 7] * 6)
    clusters = clusters_constrained("abcdefg", pairs, threshold=0.5, traits=dates)
    assert len(set(clusters.values())) == 7


def test_a_record_keeps_its_probability_when_its_candidates_may_be_one_person():
    # Two records of one namesake, a typo apart in the date: not rivals, both joined.
    dates = traits("", "1980-03-04", "1980-03-14")
    pairs = [("a", "b", 0.8), ("a", "c", 0.7), ("b", "c", 0.9)]
    assert probabilities_exclusive(pairs, dates) == pairs
    clusters = clusters_constrained("abc", pairs, threshold=0.5, traits=dates)
    assert len(set(clusters.values())) == 1


def test_one_strong_candidate_outweighs_a_weak_rival():
    # Odds 9 against a rival of odds 1/4: 9 / 1.25 = 7.2, still joined; the rival is not.
    dates = traits("", "1980-03-04", "1991-12-25")
    pairs = [("a", "b", 0.9), ("a", "c", 0.2)]
    exclusive = dict(((left, right), p) for left, right, p in probabilities_exclusive(pairs, dates))
    assert exclusive[("a", "b")] == pytest.approx(7.2 / 8.2)
    assert exclusive[("a", "c")] == pytest.approx((0.25 / 10) / (1 + 0.25 / 10))
    clusters = clusters_constrained("abc", pairs, threshold=0.5, traits=dates)
    assert clusters["a"] == clusters["b"] != clusters["c"]


@pytest.mark.parametrize(
    ("true_date", "first", "second"),
    [
        ("1990-03-04", "1990-03-05", "1990-04-04"),  # a day off, and a month off
        ("2003-02-08", "2013-02-08", "2003"),  # a year mistyped, and a year alone
        ("1965-04-05", "1968", "1975-04-05"),  # an age estimate, and a year mistyped
    ],
)
def test_two_records_each_one_error_from_a_third_date_both_join_it(true_date, first, second):
    # The person's true date (a) and two records that each got it wrong in another way: they
    # are two errors apart from each other, but a's date explains both.
    dates = traits(true_date, first, second)
    assert dates["b"].conflicts_with(dates["c"])
    pairs = [("a", "b", 0.99), ("a", "c", 0.98)]
    # Neither is a rival of the other for a: no odds are taken from either pair.
    assert probabilities_exclusive(pairs, dates) == pairs
    for ordering in itertools.permutations(pairs):
        clusters = clusters_constrained("abc", ordering, threshold=0.5, traits=dates)
        assert clusters == dict.fromkeys("abc", "a")


def test_a_record_without_a_date_reconciles_no_two_dates():
    # The same two mistyped dates joined through a record that gives none (a namesake's
    # link): nothing explains both, and the less probable pair stays apart.
    dates = traits("", "1990-03-05", "1990-04-04")
    clusters = clusters_constrained(
        "abc", [("a", "b", 0.99), ("a", "c", 0.98)], threshold=0.5, traits=dates
    )
    assert clusters == {"a": "a", "b": "a", "c": "c"}
