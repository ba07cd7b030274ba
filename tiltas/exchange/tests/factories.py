"""Files of person rows for import tests: clean ones, and ones with known errors."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass

from tiltas.people.imports import COLUMNS

HEADER = [column.name for column in COLUMNS]
GIVEN = ["Rūta", "Олена", "Jonas", "Iryna", "Tomas", "Mariia", "Ona", "Dmytro"]
FAMILY = ["Šiaulienė", "Коваленко", "Petraitis", "Shevchenko", "Kazlauskas", "Бондар"]
COUNTRIES = ["LTU", "UKR", "BLR", "VNM", "UZB", "LTU;UKR"]


def person_row(index: int, rng: random.Random, *, prefix: str = "EXT") -> dict[str, str]:
    year = rng.randint(1960, 2010)
    return {
        "external_id": f"{prefix}-{index:06d}",
        "recorded_on": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "status": rng.choice(["potential", "presumed", "identified", ""]),
        "given_name": rng.choice(GIVEN),
        "family_name": rng.choice(FAMILY),
        "given_name_latin": "",
        "family_name_latin": "",
        "sex": rng.choice(["F", "M", "X", ""]),
        "date_of_birth": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "birth_year": "",
        "birth_year_estimated": "",
        "citizenships": rng.choice(COUNTRIES),
        "languages": rng.choice(["lt", "uk;ru", "en", ""]),
        # From the index, not the generator, so that the other columns stay as they were drawn.
        "exploitation_forms": ("", "labour", "sexual;labour", "criminal")[index % 4],
        "contacts": "",
        "document_numbers": f"FX{rng.randint(100000, 999999)}",
        "notes": "",
    }


def rows_csv(rows: list[dict[str, str]], *, header: list[str] | None = None) -> bytes:
    """The rows as a spreadsheet would save them (plain CSV, no formula escaping)."""
    columns = header or HEADER
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return buffer.getvalue().encode()


@dataclass(frozen=True)
class InjectedError:
    row: int
    column: str
    code: str


def clean_rows(count: int, *, seed: int = 7, prefix: str = "EXT") -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [person_row(index, rng, prefix=prefix) for index in range(1, count + 1)]


def rows_with_errors(
    count: int, errors: int, *, seed: int = 3
) -> tuple[list[dict[str, str]], list[InjectedError]]:
    """`count` rows of which `errors` carry exactly one known mistake each, at random rows:
    a bad date, an unknown citizenship, no name at all, or a repeated external id."""
    rng = random.Random(seed)
    rows = clean_rows(count, seed=seed)
    positions = sorted(rng.sample(range(2, count + 1), errors))
    injected: list[InjectedError] = []
    for position in positions:
        row = rows[position - 1]
        mistake = rng.choice(["date", "country", "name", "duplicate"])
        if mistake == "date":
            row["date_of_birth"] = rng.choice(["1990-02-30", "31.12.1990", "1990/01/01", "soon"])
            injected.append(InjectedError(position, "date_of_birth", "invalid_date"))
        elif mistake == "country":
            row["citizenships"] = rng.choice(["XXX", "LTU;ZZZ", "Lithuania"])
            injected.append(InjectedError(position, "citizenships", "unknown_country"))
        elif mistake == "name":
            for name in ("given_name", "family_name", "given_name_latin", "family_name_latin"):
                row[name] = ""
            injected.append(InjectedError(position, "family_name", "required"))
        else:
            # An id used on an earlier row that itself stays correct.
            earlier = rng.randrange(1, position)
            while earlier in positions:
                earlier = rng.randrange(1, position)
            row["external_id"] = rows[earlier - 1]["external_id"]
            injected.append(InjectedError(position, "external_id", "duplicate_external_id"))
    return rows, injected
