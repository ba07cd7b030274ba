"""Names weighed by their frequency within the record's citizenship (term_frequencies.py)."""

import random
from itertools import combinations

import pytest

from tiltas.linkage.engine.birth_dates import birth_date_plain
from tiltas.linkage.engine.model import LinkageSettings, records_link
from tiltas.linkage.engine.standardise import PartialDate, RawRecord, records_standardise
from tiltas.linkage.engine.term_frequencies import PSEUDO_RECORDS, frequencies_within, within

pytestmark = pytest.mark.nodb


def _frequency_of(result, name, value):
    [frequency] = {
        row[f"tf_{within(name)}"]
        for row in result.lookups[within(name)].to_pylist()
        if row[within(name)] == value
    }
    return frequency


def test_a_name_is_counted_among_the_records_of_its_citizenship_shrunk_to_the_whole_file():
    # 3,000 Tajik records, 300 of them Karimov; 7,000 Lithuanian records, none; 1,000 without
    # a citizenship, 10 of them Karimov.
    family = ["karimov"] * 300 + ["rahmonov"] * 2700 + ["kazlauskas"] * 7000
    family += ["karimov"] * 10 + ["jonaitis"] * 990
    citizenship = ["TJK"] * 3000 + ["LTU"] * 7000 + [None] * 1000
    result = frequencies_within(
        {"family_key": family, "citizenship": citizenship},
        names=["family_key"],
        condition="citizenship",
    )
    overall = 310 / 11000
    within_tajiks = (300 + PSEUDO_RECORDS * overall) / (3000 + PSEUDO_RECORDS)
    assert _frequency_of(result, "family_key", "karimov\x1fTJK") == pytest.approx(within_tajiks)
    # 300 in 3,000 is 3.5 times the whole file's share (310 in 11,000); shrunk towards it by
    # the 1,000 pseudo-records, still 2.9 times.
    assert within_tajiks > 2.5 * overall
    # Without a citizenship: the whole file's frequency.
    assert _frequency_of(result, "family_key", "karimov\x1f") == pytest.approx(overall)
    # Every record gets the value it is looked up by, in file order.
    values = result.columns[within("family_key")].to_pylist()
    assert values[0] == "karimov\x1fTJK" and values[3000] == "kazlauskas\x1fLTU"
    assert values[10000] == "karimov\x1f" and len(values) == len(family)


def test_a_small_group_counts_mostly_as_the_whole_file():
    # Three records of one Olena Kovalenko among five Ukrainians: within the group the name
    # would be 3/5 and count for nothing; shrunk, it stays near the whole file's frequency.
    family = ["kovalenko"] * 3 + ["melnyk", "boyko"] + ["petraitis"] * 995
    citizenship = ["UKR"] * 5 + ["LTU"] * 995
    result = frequencies_within(
        {"family_key": family, "citizenship": citizenship},
        names=["family_key"],
        condition="citizenship",
    )
    frequency = _frequency_of(result, "family_key", "kovalenko\x1fUKR")
    assert frequency == pytest.approx((3 + PSEUDO_RECORDS * 3 / 1000) / (5 + PSEUDO_RECORDS))
    assert frequency < 2 * 3 / 1000


def test_a_record_without_the_name_gets_no_value():
    result = frequencies_within(
        {"given_key": ["olena", None, "olena"], "citizenship": ["UKR", "UKR", None]},
        names=["given_key"],
        condition="citizenship",
    )
    assert result.columns[within("given_key")].to_pylist() == ["olena\x1fUKR", None, "olena\x1f"]
    assert len(result.lookups[within("given_key")]) == 2


def test_a_file_without_any_recording_error_links():
    # Every person recorded once, exactly: EM blocked on the date finds no match at some level
    # and drives its m-probability to 0, which Splink refuses; that block is left out and the
    # run goes on.
    rng = random.Random(7)
    records = []
    given_names = [f"Nigina{letter}" for letter in "ABCDEFGHIJKL"]
    family_names = [f"Karimzoda{letter}" for letter in "ABCDEFGHIJKLMNOPQRST"]
    for index in range(1200):
        given, family = rng.choice(given_names), rng.choice(family_names)
        born = PartialDate(rng.randint(1960, 2005), rng.randint(1, 12), rng.randint(1, 28))
        records.append(RawRecord(f"tj{index}", "border", given, family, born, "F", "TJK"))
    for index in range(4000):
        born = PartialDate(rng.randint(1960, 2005), rng.randint(1, 12), rng.randint(1, 28))
        records.append(
            RawRecord(
                f"lt{index}", "police", f"Lina{index}", f"Petraitienė{index}", born, "F", "LTU"
            )
        )
    standard = records_standardise(records)
    result = records_link(records=standard, settings=LinkageSettings(u_sampling_pairs=1e5))
    # Namesakes whose dates no single recording error explains stay apart.
    dates = {record.record_id: birth_date_plain(record) for record in standard}
    members: dict[str, list[str]] = {}
    for record_id, cluster in result.cluster_of.items():
        members.setdefault(cluster, []).append(record_id)
    assert len(result.cluster_of) == len(records)
    assert not any(
        dates[left].conflicts_with(dates[right])
        for group in members.values()
        for left, right in combinations(group, 2)
    )
