"""What changes with the size of a file: a rule's oversized blocks are left to the other rules,
and a file above the training sample is trained on a sample of its records; a small file keeps
every pair and trains on every record."""

import csv
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type hints
import pytest

from tiltas.linkage.engine.blocking import GUARD_PREFIX, blocking_capped, blocking_rule_sql
from tiltas.linkage.engine.evaluation import pairwise_score
from tiltas.linkage.engine.incremental import records_link_incremental
from tiltas.linkage.engine.model import BLOCKING_RULES, LinkageSettings, records_link
from tiltas.linkage.engine.records_file import records_read
from tiltas.linkage.engine.standardise import records_standardise

pytestmark = pytest.mark.nodb

DATA = Path(__file__).parent / "data"
SAME = (("family", "family"),)
SAME_AND_YEAR = (("family", "family"), ("year", "year"))
ACROSS = (("given", "family"),)


def _records() -> pa.Table:
    # Three records of Kazlauskas (one block of 3 on the family name), two of Petraitis and
    # one without a family name.
    return pa.table(
        {
            "record_id": ["a", "b", "c", "d", "e", "f"],
            "given": ["Jonas", "Ona", "Rasa", "Kazlauskas", "Ieva", "Tomas"],
            "family": ["Kazlauskas", "Petraitis", "Kazlauskas", "Petraitis", "Kazlauskas", None],
            "year": [1990, 1990, 1991, 1990, 1990, 1990],
        }
    )


def test_rules_whose_blocks_fit_the_cap_are_kept_as_they_are():
    guards, rules_sql = blocking_capped(_records(), [SAME, SAME_AND_YEAR, ACROSS], max_block=3)
    assert guards == {}
    assert rules_sql == [
        "l.family = r.family",
        "l.family = r.family AND l.year = r.year",
        "l.given = r.family",
    ]


def test_an_oversized_block_is_left_out_of_its_rule_alone():
    guards, rules_sql = blocking_capped(_records(), [SAME, SAME_AND_YEAR, ACROSS], max_block=2)
    guard = f"{GUARD_PREFIX}0"
    # Kazlauskas (3 records) is out of the rule on the family name; Petraitis (2) stays in,
    # and a record without the key belongs to no block.
    assert {name: guard.to_pylist() for name, guard in guards.items()} == {
        guard: [None, 1, None, 1, None, None]
    }
    assert rules_sql == [
        f"l.family = r.family AND l.{guard} = r.{guard}",
        "l.family = r.family AND l.year = r.year",  # Kazlauskas of 1990: two records
        "l.given = r.family",  # across columns: not a block of shared keys
    ]


def test_a_rule_whose_every_block_is_oversized_is_left_out():
    guards, rules_sql = blocking_capped(_records(), [SAME, SAME_AND_YEAR], max_block=1)
    assert guards == {}
    assert rules_sql == []


@pytest.fixture(scope="module")
def sample_records():
    return records_standardise(records_read(DATA / "persons-sample.csv").records)


def test_a_file_above_the_training_sample_is_trained_on_a_sample_with_the_files_prior(
    sample_records,
):
    # The sample file (1,504 records) with a training sample of 600 records: the model keeps
    # the whole file's prior and links about as well as trained on every record.
    settings = LinkageSettings(u_sampling_pairs=1e5, training_sample_records=600)
    whole = records_link(records=sample_records, settings=LinkageSettings(u_sampling_pairs=1e5))
    sampled = records_link(records=sample_records, settings=settings)
    prior = "probability_two_random_records_match"
    assert sampled.model[prior] == whole.model[prior]
    assert sampled.model != whole.model
    truth = _truth()
    assert pairwise_score(predicted=sampled.cluster_of, truth=truth).f1 >= 0.97


def test_a_file_without_oversized_blocks_keeps_every_rule(sample_records):
    # No block of the sample file reaches the default cap.
    capped = records_link(records=sample_records, settings=LinkageSettings(u_sampling_pairs=1e5))
    rules = capped.model["blocking_rules_to_generate_predictions"]
    assert [rule["blocking_rule"] for rule in rules] == _plain_rules()


def _plain_rules() -> list[str]:
    return [blocking_rule_sql(rule) for rule in BLOCKING_RULES]


def _truth() -> dict[str, str]:
    with (DATA / "persons-sample-truth.csv").open(encoding="utf-8") as stream:
        return {row["record_id"]: row["person_id"] for row in csv.DictReader(stream)}


def test_new_records_link_incrementally_with_the_model_of_a_capped_run(sample_records):
    # A cap of 3 records gives the full run's rules guard columns; the incremental table has
    # none, and the new records still join their persons.
    settings = LinkageSettings(u_sampling_pairs=1e5, max_block_records=3)
    cut = len(sample_records) * 9 // 10
    existing, new = sample_records[:cut], sample_records[cut:]
    first = records_link(records=existing, settings=settings)
    rules = first.model["blocking_rules_to_generate_predictions"]
    assert any(GUARD_PREFIX in rule["blocking_rule"] for rule in rules)
    result = records_link_incremental(
        existing=existing,
        cluster_of=first.cluster_of,
        new=new,
        model=first.model,
        settings=settings,
    )
    truth = _truth()
    assert set(result.cluster_of) == set(truth)
    score = pairwise_score(predicted=result.cluster_of, truth=truth)
    assert score.precision >= 0.95
    joined = {result.cluster_of[record.record_id] for record in new} & set(
        first.cluster_of.values()
    )
    assert joined  # some new records joined the clusters of existing ones
