"""Privacy-preserving linkage: sources that may not share identities are linked by keyed
encodings alone, nearly as well as on plain fields."""

import csv
import dataclasses
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tiltas.linkage.engine.evaluation import pairwise_score
from tiltas.linkage.engine.model import LinkageResult, LinkageSettings, records_link
from tiltas.linkage.engine.pprl import (
    EncodedRecord,
    PprlKeyError,
    pprl_key_read,
    pprl_prepare,
    records_encode,
)
from tiltas.linkage.engine.records_file import records_read
from tiltas.linkage.engine.standardise import (
    PartialDate,
    RawRecord,
    record_standardise,
    records_standardise,
)

pytestmark = pytest.mark.nodb

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "persons-sample.csv"
KEY = b"an organisations' key of 32 bytes or more"
OTHER_KEY = b"another organisations' key, 32 bytes or more"
# About half the records (ngo 357, border 319, labour 224 of 1,504) are known only by encodings.
ENCODED_SOURCES = frozenset({"ngo", "border", "labour"})
SETTINGS = LinkageSettings(u_sampling_pairs=1e5)
# One person three times: in Cyrillic and in a Ukrainian transliteration by two encoded
# sources, in a Lithuanian rendering of the Russian form by a plain one.
KOVALCHUK = [
    RawRecord("x1", "ngo", "Олександр", "Ковальчук", PartialDate(1987, 11, 23), "M", "UKR"),
    RawRecord("x2", "border", "Oleksandr", "Kovalchuk", PartialDate(1987, 11, 23), "M", "UKR"),
    RawRecord("x3", "police", "Aleksandras", "Kovalčiukas", PartialDate(1987, 11, 23), "M"),
]
HEADER = "record_id,source,given_name,family_name,date_of_birth,sex,citizenship\n"
OLENA = RawRecord("r1", "ngo", "Олена", "Шевченко", PartialDate(1994, 3, 17), "F", "UKR")


@pytest.fixture(scope="module")
def truth() -> dict[str, str]:
    with (DATA / "persons-sample-truth.csv").open(encoding="utf-8") as stream:
        return {row["record_id"]: row["person_id"] for row in csv.DictReader(stream)}


@pytest.fixture(scope="module")
def plain_result() -> LinkageResult:
    records = records_standardise(records_read(SAMPLE).records)
    return records_link(records=records, settings=SETTINGS)


@pytest.fixture(scope="module")
def pprl_result() -> LinkageResult:
    prepared = pprl_prepare(
        [*records_read(SAMPLE).records, *KOVALCHUK], sources=ENCODED_SOURCES, key=KEY
    )
    return records_link(records=prepared.plain, encoded=prepared.encoded, settings=SETTINGS)


def test_encoding_is_deterministic_for_a_key_and_differs_for_another():
    record = record_standardise(OLENA)
    first, again = records_encode([record], key=KEY), records_encode([record], key=KEY)
    other = records_encode([record], key=OTHER_KEY)
    assert first == again
    assert first[0].tokens["given_key"] != other[0].tokens["given_key"]
    assert first[0].blooms["family_stem"] != other[0].blooms["family_stem"]
    assert set(first[0].blocks.values()).isdisjoint(other[0].blocks.values())


def test_an_encoded_record_holds_no_plain_identifying_value():
    record = record_standardise(dataclasses.replace(OLENA, document_numbers=("FX 482913",)))
    (encoded,) = records_encode([record], key=KEY)
    assert [field.name for field in dataclasses.fields(EncodedRecord)] == [
        "record_id", "source", "blooms", "tokens", "blocks", "token_sets"
    ]  # fmt: skip
    text = repr([encoded.blooms, encoded.tokens, encoded.blocks, encoded.token_sets])
    plain = {"Олена", "Шевченко", "Olena", "Shevchenko", "1994", "03-17", "UKR", "482913"}
    # Every standardised value long enough not to turn up in a hash by chance.
    plain |= {str(value) for value in dataclasses.astuple(record)[2:-1] if len(str(value)) >= 4}
    assert {"olen", "sevcenk", "1994-03-17", "FX482913"} <= plain
    assert not [value for value in plain if value.lower() in text.lower()]


def test_equal_keys_give_equal_encodings_across_scripts():
    cyrillic, latin, lithuanian = (record_standardise(raw) for raw in KOVALCHUK)
    encoded = records_encode([cyrillic, latin, lithuanian], key=KEY)
    assert encoded[0].tokens["given_key"] == encoded[1].tokens["given_key"]
    assert encoded[0].blooms["family_stem"] == encoded[2].blooms["family_stem"]
    assert encoded[0].blocks == encoded[1].blocks


def test_the_linkage_receives_only_encodings_of_the_encoded_sources():
    raw = records_read(SAMPLE).records
    prepared = pprl_prepare(raw, sources=ENCODED_SOURCES, key=KEY)
    assert {record.source for record in prepared.plain}.isdisjoint(ENCODED_SOURCES)
    assert len(prepared.plain) == sum(record.source not in ENCODED_SOURCES for record in raw)
    assert sorted(item.record_id for item in prepared.encoded) == sorted(r.record_id for r in raw)


def test_a_cyrillic_record_and_its_transliterations_link_to_one_cluster(pprl_result):
    clusters = {pprl_result.cluster_of[record.record_id] for record in KOVALCHUK}
    assert len(clusters) == 1


def test_pprl_is_within_3_points_of_plain_linkage_on_the_sample(plain_result, pprl_result, truth):
    plain = pairwise_score(predicted=plain_result.cluster_of, truth=truth)
    encoded = pairwise_score(predicted=pprl_result.cluster_of, truth=truth)
    assert encoded.f1 >= plain.f1 - 0.03  # measured 0.987 plain, 0.982 with half encoded
    persons, found = len(set(truth.values())), len({pprl_result.cluster_of[r] for r in truth})
    assert abs(found - persons) / persons <= 0.015


def test_every_plain_record_needs_its_encoding():
    records = [record_standardise(raw) for raw in KOVALCHUK]
    with pytest.raises(ValueError, match="without their encoding"):
        records_link(records=records[1:], encoded=records_encode(records[:1], key=KEY))


def test_pprl_runs_on_duckdb_only():
    records = [record_standardise(raw) for raw in KOVALCHUK]
    with pytest.raises(ValueError, match="duckdb"):
        records_link(
            records=records,
            encoded=records_encode(records, key=KEY),
            settings=LinkageSettings(backend="spark"),
        )


def test_a_key_file_is_read_with_its_text_white_space_dropped(tmp_path):
    key = tmp_path / "pprl.key"
    key.write_text("0123456789abcdef" * 4 + "\n", encoding="ascii")
    assert pprl_key_read(key) == b"0123456789abcdef" * 4
    key.write_bytes(bytes(range(200, 240)))
    assert pprl_key_read(key) == bytes(range(200, 240))


@pytest.mark.parametrize("content", [None, b"", b"short key\n", b" " * 40])
def test_a_missing_or_short_key_is_refused_clearly(tmp_path, content):
    key = tmp_path / "pprl.key"
    if content is not None:
        key.write_bytes(content)
    with pytest.raises(PprlKeyError, match="key"):
        pprl_key_read(key)
    with pytest.raises(PprlKeyError):
        records_encode([record_standardise(OLENA)], key=(content or b"").strip())


def write_sample_head(path: Path, rows: int) -> Path:
    with SAMPLE.open(encoding="utf-8") as stream:
        lines = stream.readlines()[: rows + 1]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_the_command_links_encoded_sources_as_the_engine_does(tmp_path):
    source = write_sample_head(tmp_path / "in.csv", 300)
    key = tmp_path / "pprl.key"
    key.write_bytes(KEY)
    out, stderr = tmp_path / "out.csv", StringIO()
    call_command(
        "link", str(source), "--out", str(out), "--pprl", "ngo, border,nobody",
        "--pprl-key-file", str(key), stdout=StringIO(), stderr=stderr,
    )  # fmt: skip
    assert "--pprl: no record has the source nobody" in stderr.getvalue()
    with out.open(encoding="utf-8") as stream:
        written = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(stream)}
    prepared = pprl_prepare(
        records_read(source).records, sources={"ngo", "border", "nobody"}, key=KEY
    )
    expected = records_link(records=prepared.plain, encoded=prepared.encoded)
    assert written == expected.cluster_of


@pytest.mark.parametrize(
    "arguments",
    [
        ("--pprl", "ngo"),
        ("--pprl-key-file", "{key}"),
        ("--pprl", "ngo", "--pprl-key-file", "{short}"),
        ("--pprl", "ngo", "--pprl-key-file", "{missing}"),
        ("--pprl", " , ", "--pprl-key-file", "{key}"),
    ],
)
def test_wrong_pprl_usage_exits_2(tmp_path, arguments):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "a,ngo,Jonas,,,,\nb,police,Jonas,,,,\n", encoding="utf-8")
    (tmp_path / "key").write_bytes(KEY)
    (tmp_path / "short").write_bytes(b"0123456789")
    paths = {name: str(tmp_path / name) for name in ("key", "short", "missing")}
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError) as caught:
        call_command(
            "link", str(source), "--out", str(out), *(arg.format(**paths) for arg in arguments)
        )
    assert caught.value.returncode == 2
    assert not out.exists()


def test_wrong_pprl_usage_is_exit_status_2_on_the_command_line(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "a,ngo,Jonas,,,,\n", encoding="utf-8")
    (tmp_path / "short").write_bytes(b"0123456789")
    completed = subprocess.run(
        [sys.executable, "-m", "tiltas", "link", str(source), "--out", str(tmp_path / "o.csv"),
         "--pprl", "ngo", "--pprl-key-file", str(tmp_path / "short")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 2
    assert "at least 32" in completed.stderr


def test_encodings_are_compared_on_the_same_date_levels_as_plain_records():
    # One model in two forms: a date known only to its year must weigh the same whether the
    # record is plain or encoded (the year-only levels were once missing from the encoded form).
    from tiltas.linkage.engine.comparisons import date_comparison as plain_dates
    from tiltas.linkage.engine.pprl_comparisons import _date_comparison as encoded_dates

    def levels(comparison):
        created = comparison.get_comparison("duckdb")
        return [
            (level.label_for_charts, level.m_probability)
            for level in created.comparison_levels
            if not level.is_null_level
        ]

    assert levels(encoded_dates(0.2)) == levels(plain_dates(0.2))
    labels = [label for label, _ in levels(encoded_dates(0.2))]
    assert labels[1:4] == [
        "only a year known, the same",
        "only a year known, one off",
        "only a year known, three off",
    ]
