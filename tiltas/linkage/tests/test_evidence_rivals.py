"""The review evidence carries the probability clustering used: the model's, lowered by the
odds of rival candidates (evidence.with_rivals)."""

import pytest

from tiltas.linkage.engine.birth_dates import BirthDate, birth_date_plain
from tiltas.linkage.engine.evidence import PairEvidence, with_rivals
from tiltas.linkage.engine.standardise import PartialDate, RawRecord, records_standardise

pytestmark = pytest.mark.nodb


def _birth_dates(**born):
    records = records_standardise(
        [RawRecord(rid, given_name="Jonas", family_name="Kazlauskas", date_of_birth=date)
         for rid, date in born.items()]
    )  # fmt: skip
    return {record.record_id: birth_date_plain(record) for record in records}


def test_a_caller_without_a_date_and_two_namesakes_counts_each_namesake_as_the_others_rival():
    traits = _birth_dates(
        caller=None, born_1980=PartialDate(1980, 3, 14), born_1995=PartialDate(1995, 11, 2)
    )
    assert traits["caller"] == BirthDate()
    pairs = [("caller", "born_1980", 0.6), ("caller", "born_1995", 0.5)]
    evidence = [PairEvidence(left, right, probability, ()) for left, right, probability in pairs]

    [first, second] = with_rivals(evidence, pairs, traits)

    # Odds 1.5 divided by 1 + 1 (the rival's odds): 0.75 / 1.75.
    assert first.probability == 0.6 and first.probability_with_rivals == pytest.approx(0.75 / 1.75)
    assert second.probability_with_rivals == pytest.approx((1 / 2.5) / (1 + 1 / 2.5))


def test_without_rivals_the_probability_is_the_models():
    traits = _birth_dates(caller=None, born_1980=PartialDate(1980, 3, 14))
    pairs = [("caller", "born_1980", 0.6)]
    [only] = with_rivals([PairEvidence("caller", "born_1980", 0.6, ())], pairs, traits)
    assert only.probability_with_rivals == 0.6
