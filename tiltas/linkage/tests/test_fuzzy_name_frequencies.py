"""Close-but-unequal names weighed down by the frequency of the commoner name
(comparisons.fuzzy_name_levels_weighed): Lê and Lý are one letter apart and both common."""

import copy
import dataclasses
import random

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from tiltas.linkage.engine.comparisons import (
    RARE_NAME_FREQUENCY,
    RARE_NAME_SUFFIX,
    SWAPPED_LABEL,
    fuzzy_name_levels_weighed,
)
from tiltas.linkage.engine.model import LinkageSettings, _settings, records_link
from tiltas.linkage.engine.standardise import (
    PartialDate,
    RawRecord,
    record_standardise,
    records_standardise,
)

pytestmark = pytest.mark.nodb


def _level(label, u, **extra):
    return {"sql_condition": f"<{label}>", "label_for_charts": label, "m_probability": 0.1,
            "u_probability": u, **extra}  # fmt: skip


def _model():
    family = [
        {"sql_condition": "x IS NULL", "label_for_charts": "null", "is_null_level": True},
        _level("exact", 6e-5, tf_adjustment_column="family_key_within"),
        _level("same stem", 6e-5, tf_adjustment_column="family_stem_within"),
        _level(SWAPPED_LABEL, 5e-5),
        _level("one typo", 1.8e-4),
        _level("alike", 6e-3),
        # A level no random pair reached: Splink keeps no u for it.
        _level("never seen", "level not observed in data"),
        {"sql_condition": "ELSE", "label_for_charts": "else", "m_probability": 0.04,
         "u_probability": 0.99},
    ]  # fmt: skip
    sex = [_level("exact", 0.5), {"sql_condition": "ELSE", "u_probability": 0.5}]
    return {
        "comparisons": [
            {"output_column_name": "family_name", "comparison_levels": family},
            {"output_column_name": "sex", "comparison_levels": sex},
        ]
    }


def test_only_the_close_levels_of_names_are_weighed_and_never_above_their_own_u():
    original = _model()
    weighed = fuzzy_name_levels_weighed(copy.deepcopy(original))
    levels = {
        level["label_for_charts"]: level for level in weighed["comparisons"][0]["comparison_levels"]
    }
    for label, u in (("one typo", 1.8e-4), ("alike", 6e-3)):
        # The stem's frequency (the last weighed level's column), floored at the level's u so
        # that Splink's adjustment log2(u) - log2(max(frequency, u)) can only lower the weight.
        assert levels[label]["tf_adjustment_column"] == "family_stem_within"
        assert levels[label]["tf_minimum_u_value"] == u
        assert levels[label]["disable_tf_exact_match_detection"] is True
    # The exact levels keep their own columns; the null, swapped, unobserved and else levels,
    # and the comparisons of other fields, are left as they were.
    assert levels["exact"]["tf_adjustment_column"] == "family_key_within"
    assert "tf_minimum_u_value" not in levels["exact"]
    for label in ("null", SWAPPED_LABEL, "never seen", "else"):
        assert levels[label] == next(
            level
            for level in original["comparisons"][0]["comparison_levels"]
            if level["label_for_charts"] == label
        )
    assert weighed["comparisons"][1] == original["comparisons"][1]


GIVEN = ("Rūta", "Asta", "Ieva", "Lina", "Agnė", "Marija", "Eglė", "Inga", "Jurgita", "Dalia",
         "Gintarė", "Laura", "Monika", "Simona", "Vaida", "Aistė", "Birutė", "Daiva", "Jolanta",
         "Kristina")  # fmt: skip
SYLLABLES = ("bar", "dau", "gel", "jur", "kal", "lin", "mar", "nor", "pet", "rad", "sau", "tum",
             "vai", "žal", "ber", "gin", "kel", "mil", "ras", "vil")  # fmt: skip


def _typo(name: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(name) - 4)  # within the stem, not the ending
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


def test_close_surnames_of_one_common_family_name_do_not_make_namesakes_one_person():
    # 3,000 Lithuanian women of mostly rare surnames, a fifth of them recorded a second time,
    # half of those with a surname typo and some without the date (the model learns what a
    # typo is worth), and 600 Vietnamese women, half Lê and half Lý. Lê and Lý are one letter
    # apart: over the whole file that is rare, among the Vietnamese every other pair.
    rng = random.Random(5)
    records, typos = [], []
    for index in range(3000):
        born = PartialDate(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        family = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() + "aitė"
        given = rng.choice(GIVEN)
        records.append(RawRecord(f"lt{index}", "police", given, family, born, "F", "LTU"))
        if index % 5 == 0:
            again = _typo(family, rng) if index % 10 == 0 else family
            dated = born if index % 3 else None
            records.append(RawRecord(f"lt{index}b", "ngo", given, again, dated, "F", "LTU"))
            if again != family and dated is not None:
                typos.append(index)
    for index in range(600):
        born = PartialDate(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        given = f"Thi {rng.choice(GIVEN[:10])}"
        family = "Lê" if index % 2 else "Lý"
        records.append(RawRecord(f"vn{index}", "border", given, family, born, "F", "VNM"))
    # Two Vietnamese women of one given name, one Lê with her date, one Lý without.
    records.append(RawRecord("le", "border", "Thi Xuan", "Lê", PartialDate(1991, 2, 3), "F", "VNM"))
    records.append(RawRecord("ly", "ngo", "Thi Xuan", "Lý", None, "F", "VNM"))
    # Organisations drawn at random (from a stream of their own), so that whether two records
    # come from one says nothing here: the names alone must keep Lê and Lý apart.
    organisations = random.Random(7)
    records = [
        dataclasses.replace(record, source=organisations.choice(("police", "ngo", "border")))
        for record in records
    ]
    result = records_link(
        records=records_standardise(records), settings=LinkageSettings(u_sampling_pairs=1e5)
    )
    family = next(
        c for c in result.model["comparisons"] if c["output_column_name"] == "family_name"
    )
    weighed = [level for level in family["comparison_levels"] if "tf_minimum_u_value" in level]
    assert weighed, "the trained model weighs no close surname level"
    assert all(level["tf_minimum_u_value"] == level["u_probability"] for level in weighed)
    # Learnt from the file: a typing error between a rare surname and another is strong
    # evidence, one between two common surnames (Lê and Lý) weak, and it is not weighed down
    # by the commoner name's frequency.
    by_label = {level.get("label_for_charts"): level for level in family["comparison_levels"]}
    rare = by_label[f"one typing error apart{RARE_NAME_SUFFIX}"]
    common = by_label["one typing error apart (stem or whole name)"]
    assert "tf_adjustment_column" not in rare and common in weighed
    assert rare["m_probability"] / rare["u_probability"] > 10 * (
        common["m_probability"] / common["u_probability"]
    )
    # Within the Vietnamese, Lê or Lý is every other record: the two stay apart (weighed by
    # the whole file's u of a typo, the pair scored 0.86).
    assert result.cluster_of["le"] != result.cluster_of["ly"]
    assert [p for left, right, p in result.pairs if {left, right} == {"le", "ly"}] < [0.4]
    # A typo in a rare surname still links.
    assert all(
        result.cluster_of[f"lt{index}"] == result.cluster_of[f"lt{index}b"] for index in typos
    )


def _family_level(left: tuple[str, float], right: tuple[str, float]) -> str:
    """The label of the surname level at which two records fall, their surnames given with
    their frequencies within the citizenship."""
    settings = _settings(prior=1e-3, partial_share=0.1, present=frozenset(), blocking=["1=1"])
    [comparison] = [
        c
        for c in settings.get_settings("duckdb").comparisons
        if c.output_column_name == "family_name"
    ]
    pair = {}
    for side, (family, frequency) in (("l", left), ("r", right)):
        record = record_standardise(RawRecord("x", given_name="Asta", family_name=family))
        for field in ("given_key", "given_key_if_swapped", "family_key", "family_stem",
                      "family_stem_if_swapped", "family_phonetic"):  # fmt: skip
            pair[f"{field}_{side}"] = [getattr(record, field)]
        pair[f"family_stem_frequency_{side}"] = [frequency]
    connection = duckdb.connect()
    connection.register("pairs", pa.table(pair))
    [(gamma,)] = connection.execute(f"SELECT {comparison._case_statement} FROM pairs").fetchall()  # noqa: S608 - our SQL
    levels = [level for level in comparison.comparison_levels if not level.is_null_level]
    return str(levels[len(levels) - 1 - gamma].label_for_charts)


def test_close_names_of_which_one_is_rare_have_levels_of_their_own():
    # A common surname and a typing error of it (borne by one record in the file): one name
    # mistyped, most often. Two common surnames one letter apart: most often two names.
    rare = _family_level(("Kazlauskas", 0.01), ("Kazlasukas", 2e-5))
    assert rare.startswith("one typing error apart") and rare.endswith(RARE_NAME_SUFFIX)
    common = _family_level(("Lê", 0.4), ("Lý", 0.2))
    assert common.startswith("one typing error apart") and not common.endswith(RARE_NAME_SUFFIX)
    # The threshold is the rarer name's frequency.
    assert _family_level(("Kazlauskas", 0.01), ("Kazlasukas", RARE_NAME_FREQUENCY)) == common
    alike = _family_level(("Kazlauskas", 0.01), ("Kalzausks", 1e-5))
    assert alike.startswith("JaroWinklerLevel 0.9") and alike.endswith(RARE_NAME_SUFFIX)
