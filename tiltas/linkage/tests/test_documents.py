"""Identity document numbers as linkage evidence: one number in common links records whose
names alone would not, a different number does not keep apart records that otherwise match, and
in privacy-preserving mode the numbers are compared on keyed hashes only."""

import csv
import dataclasses
import zlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tiltas.linkage.engine.backends import arrow_table
from tiltas.linkage.engine.blocking import blocking_capped
from tiltas.linkage.engine.evaluation import blocking_recall
from tiltas.linkage.engine.model import (
    BLOCKING_RULES,
    LinkageResult,
    LinkageSettings,
    records_link,
)
from tiltas.linkage.engine.pprl import pprl_prepare, records_encode
from tiltas.linkage.engine.records_file import records_parse, records_read
from tiltas.linkage.engine.standardise import (
    PartialDate,
    RawRecord,
    document_number_key,
    record_standardise,
    records_standardise,
)

pytestmark = pytest.mark.nodb

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "persons-sample.csv"
SETTINGS = LinkageSettings(u_sampling_pairs=1e5)
KEY = b"an organisations' key of 32 bytes or more"
# One woman recorded by the police under her maiden name and by an NGO under her married name,
# with day and month of her date of birth swapped (12.05 read as 5 December): the same given
# name, and the passport number, written with and without a space.
MELNYK = RawRecord(
    "m1", "police", "Oksana", "Melnyk", PartialDate(1991, 5, 12), "F", "UKR",
    document_numbers=("FX 482913",),
)  # fmt: skip
HRYTSENKO = RawRecord(
    "m2", "ngo", "Oksana", "Hrytsenko", PartialDate(1991, 12, 5), "F", "UKR",
    document_numbers=("fx482913",),
)  # fmt: skip
# One man with his passport at the border and his ID card at the labour inspectorate.
BONDARENKO_PASSPORT = RawRecord(
    "c1", "border", "Viktor", "Bondarenko", PartialDate(1988, 2, 27), "M", "UKR",
    document_numbers=("EK123456",),
)  # fmt: skip
BONDARENKO_ID_CARD = RawRecord(
    "c2", "labour", "Віктор", "Бондаренко", PartialDate(1988, 2, 27), "M", "UKR",
    document_numbers=("MP-654321",),
)  # fmt: skip
ADDED = [MELNYK, HRYTSENKO, BONDARENKO_PASSPORT, BONDARENKO_ID_CARD]


def _documents_of(person_id: str) -> list[str]:
    """A person's passport number, and for three persons in ten an ID card number too."""
    draw = zlib.crc32(person_id.encode())
    passport = f"LT{draw % 10**7:07d}"
    return [passport, f"{draw % 10**8:08d}"] if draw % 10 < 3 else [passport]


def sample_with_documents() -> list[RawRecord]:
    """The sample's records, about six in ten with one of their person's document numbers
    (some with a space after its letters, as agencies write it), and the four records above."""
    with (DATA / "persons-sample-truth.csv").open(encoding="utf-8") as stream:
        person_of = {row["record_id"]: row["person_id"] for row in csv.DictReader(stream)}
    records = []
    for record in records_read(SAMPLE).records:
        draw = zlib.crc32(record.record_id.encode())
        if draw % 10 < 6:
            held = _documents_of(person_of[record.record_id])
            number = held[draw // 10 % len(held)]
            written = f"{number[:2]} {number[2:]}" if draw % 10 < 2 else number
            record = dataclasses.replace(record, document_numbers=(written,))
        records.append(record)
    return [*records, *ADDED]


def without_documents(records: list[RawRecord], ids: set[str]) -> list[RawRecord]:
    return [
        dataclasses.replace(record, document_numbers=()) if record.record_id in ids else record
        for record in records
    ]


@pytest.fixture(scope="module")
def with_numbers() -> LinkageResult:
    return records_link(records=records_standardise(sample_with_documents()), settings=SETTINGS)


@pytest.fixture(scope="module")
def without_numbers() -> LinkageResult:
    records = without_documents(sample_with_documents(), {"m1", "m2", "c1", "c2"})
    return records_link(records=records_standardise(records), settings=SETTINGS)


def probability(result: LinkageResult, left: str, right: str) -> float:
    scored = {(a, b): p for a, b, p in result.pairs} | {(b, a): p for a, b, p in result.pairs}
    return scored.get((left, right), 0.0)


def test_document_numbers_are_compared_without_case_spaces_or_separators():
    assert document_number_key("AB 123456") == "AB123456"
    assert document_number_key(" ab-123.456/ ") == "AB123456"
    assert document_number_key("ＡＢ１２３４５６") == "AB123456"  # full-width
    assert document_number_key("КВ 123456") == "KV123456"  # a Cyrillic series, as in Latin
    for placeholder in ("", "-", "0", "n/a", "nėra", "12 3-4"):
        assert document_number_key(placeholder) is None


def test_a_record_carries_its_distinct_numbers_sorted_and_its_blocking_keys():
    record = record_standardise(
        dataclasses.replace(MELNYK, document_numbers=("fx482913", "n/a", "AA 000111", "FX 482913"))
    )
    assert record.document_numbers == ("AA000111", "FX482913")
    assert (record.document_first, record.document_second) == ("AA000111", "FX482913")
    alone = record_standardise(MELNYK)
    assert (alone.document_first, alone.document_second) == ("FX482913", None)
    nothing = record_standardise(dataclasses.replace(MELNYK, document_numbers=("-",)))
    assert nothing.document_numbers is None
    assert nothing.document_first is None


def test_a_shared_document_is_strong_evidence_and_a_different_one_weak(with_numbers):
    # Trained by EM on the sample, as the other comparisons are.
    [documents] = [
        comparison
        for comparison in with_numbers.model["comparisons"]
        if comparison["output_column_name"] == "document_number"
    ]
    null, shared, different = documents["comparison_levels"]
    assert null["is_null_level"]
    bayes_factor_shared = shared["m_probability"] / shared["u_probability"]
    bayes_factor_different = different["m_probability"] / different["u_probability"]
    assert bayes_factor_shared > 2**8
    # People hold several documents: two different numbers weigh less than one in common.
    assert bayes_factor_different < 1
    assert bayes_factor_shared * bayes_factor_different > 1


def test_a_shared_document_number_links_a_married_name_to_the_maiden_name(
    with_numbers, without_numbers
):
    assert without_numbers.cluster_of["m1"] != without_numbers.cluster_of["m2"]
    assert with_numbers.cluster_of["m1"] == with_numbers.cluster_of["m2"]
    assert probability(with_numbers, "m1", "m2") > probability(without_numbers, "m1", "m2")


def test_a_different_document_number_does_not_separate_records_that_otherwise_match(
    with_numbers, without_numbers
):
    assert without_numbers.cluster_of["c1"] == without_numbers.cluster_of["c2"]
    assert with_numbers.cluster_of["c1"] == with_numbers.cluster_of["c2"]
    assert probability(with_numbers, "c1", "c2") >= SETTINGS.cluster_threshold


def test_records_sharing_a_document_are_candidates_whatever_their_names_and_dates():
    first = RawRecord("a", "police", "Iryna", "Sydorenko", PartialDate(1979, 8, 30), "F",
                      document_numbers=("GH 777123",))  # fmt: skip
    second = RawRecord("b", "ngo", "Marta", "Kowalska", PartialDate(1981, 1, 2), "F",
                       document_numbers=("PL0000001", "gh777123"))  # fmt: skip
    truth = {"a": "one", "b": "one"}
    rows = [dataclasses.asdict(record_standardise(record)) for record in (first, second)]
    assert blocking_recall(rows=rows, truth=truth, rules=BLOCKING_RULES) == 1.0
    plain = [
        dataclasses.asdict(record_standardise(dataclasses.replace(record, document_numbers=())))
        for record in (first, second)
    ]
    assert blocking_recall(rows=plain, truth=truth, rules=BLOCKING_RULES) == 0.0


def test_a_placeholder_many_records_give_as_their_number_is_no_block():
    records = [
        record_standardise(
            RawRecord(f"r{index}", "police", f"Name{index}", document_numbers=("NEZINOMA",))
        )
        for index in range(50)
    ]
    table = arrow_table({"document_first": [r.document_first for r in records],
                         "document_second": [r.document_second for r in records]})  # fmt: skip
    rules = [(("document_first", "document_first"),)]
    guards, sql = blocking_capped(table, rules, max_block=40)
    assert sql == []  # no block of the rule within the cap: the rule makes no pair
    assert guards == {}


def test_link_reads_the_document_column_and_warns_without_refusing(tmp_path):
    text = (
        "record_id,source,given_name,family_name,date_of_birth,sex,citizenship,document_number\n"
        "a,police,Jonas,Jonaitis,1945-04-03,M,LTU,LT 1234567;AB#99\n"
        "b,ngo,Jonas,Jonaitis,1945-04-03,M,LTU,lt1234567\n"
        "c,border,Olena,Shevchenko,,,UKR,\n"
    )
    parsed = records_parse(StringIO(text))
    assert [r.document_numbers for r in parsed.records] == [("LT 1234567",), ("lt1234567",), ()]
    assert parsed.warnings == [
        "row 2: document_number 2 treated as unknown (expected 1 to 40 letters, digits, "
        "spaces, '-', '/' or '.'; several separated by ';')"
    ]
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8")
    out, stderr = tmp_path / "out.csv", StringIO()
    call_command("link", str(source), "--out", str(out), stderr=stderr, stdout=StringIO())
    assert "row 2: document_number 2 treated as unknown" in stderr.getvalue()
    assert "AB#99" not in stderr.getvalue()  # a document number is not echoed
    rows = out.read_text(encoding="utf-8").splitlines()
    assert [row.split(",")[0] for row in rows[1:]] == ["a", "b", "c"]


def test_encodings_hold_no_document_number_in_plain():
    encoded = records_encode(records_standardise([MELNYK, HRYTSENKO]), key=KEY)
    for item in encoded:
        text = repr(dataclasses.astuple(item))
        for plain in ("FX482913", "FX 482913", "fx482913", "482913"):
            assert plain not in text
        assert len(item.token_sets["document_numbers"]) == 1
    assert encoded[0].token_sets == encoded[1].token_sets


def test_encoded_and_plain_records_with_one_number_agree_and_link():
    """The NGO's records known only by their encodings: the married name links to the
    maiden name of the police's plain record by the hashed number, as it does in plain."""
    prepared = pprl_prepare(sample_with_documents(), sources={"ngo", "border"}, key=KEY)
    assert "m2" not in {record.record_id for record in prepared.plain}
    encoding = {item.record_id: item for item in prepared.encoded}
    assert encoding["m1"].token_sets == encoding["m2"].token_sets
    assert encoding["c1"].token_sets != encoding["c2"].token_sets
    result = records_link(records=prepared.plain, encoded=prepared.encoded, settings=SETTINGS)
    assert result.cluster_of["m1"] == result.cluster_of["m2"]
    assert result.cluster_of["c1"] == result.cluster_of["c2"]
