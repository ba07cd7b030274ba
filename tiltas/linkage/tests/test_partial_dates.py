"""A record whose date of birth is only a year (a partial date, or an estimate from the apparent
age) links to the same person's dated record on its year, among namesakes born in other years,
and not to one born years apart."""

import dataclasses
from pathlib import Path

import pytest

from tiltas.linkage.engine.model import LinkageSettings, records_link
from tiltas.linkage.engine.records_file import records_read
from tiltas.linkage.engine.standardise import PartialDate, RawRecord, records_standardise

pytestmark = pytest.mark.nodb

SAMPLE = Path(__file__).parent / "data" / "persons-sample.csv"
SETTINGS = LinkageSettings(u_sampling_pairs=1e5)
COPIES = 40


def year_only(record: RawRecord, suffix: str, years: int) -> RawRecord:
    assert record.date_of_birth is not None
    return dataclasses.replace(
        record,
        record_id=f"{record.record_id}{suffix}",
        source="hotline",
        date_of_birth=PartialDate(record.date_of_birth.year + years),
    )


def namesakes(record: RawRecord) -> list[RawRecord]:
    """Other persons of the same name, born 13, 24 and 35 years earlier (more than one typed
    digit away)."""
    assert record.date_of_birth is not None
    return [
        dataclasses.replace(
            record,
            record_id=f"{record.record_id}-namesake{years}",
            source="police",
            date_of_birth=dataclasses.replace(
                record.date_of_birth, year=record.date_of_birth.year + years
            ),
        )
        for years in (-13, -24, -35)
    ]


@pytest.fixture(scope="module")
def linked() -> tuple[dict[str, str], list[tuple[str, str]], list[tuple[str, str]]]:
    records = records_read(SAMPLE).records
    # Persons with a full date, one record each: no other record of theirs competes.
    dated = [
        record
        for record in records
        if record.date_of_birth is not None and record.date_of_birth.day is not None
    ][:COPIES]
    same = [year_only(record, "-year", 0) for record in dated[: COPIES // 2]]
    apart = [year_only(record, "-older", -8) for record in dated[COPIES // 2 :]]
    others = [namesake for record in dated for namesake in namesakes(record)]
    result = records_link(
        records=records_standardise([*records, *others, *same, *apart]), settings=SETTINGS
    )
    pairs_same = [(r.record_id, c.record_id) for r, c in zip(dated, same, strict=False)]
    pairs_apart = [
        (r.record_id, c.record_id) for r, c in zip(dated[COPIES // 2 :], apart, strict=False)
    ]
    return result.cluster_of, pairs_same, pairs_apart


def test_a_record_with_only_the_birth_year_joins_the_dated_record_of_that_year(linked):
    cluster_of, same, _ = linked
    joined = sum(cluster_of[left] == cluster_of[right] for left, right in same)
    assert joined >= 0.9 * len(same)


def test_a_record_with_a_birth_year_eight_years_off_stays_apart(linked):
    cluster_of, _, apart = linked
    assert all(cluster_of[left] != cluster_of[right] for left, right in apart)
