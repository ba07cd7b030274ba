"""Import of person records (RL-03 goal: a clean 10,000-row file stored in under 60 s), beside
the floor of writing the same rows with a bare ORM bulk insert (no validation, no encryption, no
blind indexes, no audit).

    .venv/bin/python bench/import_persons.py [--rows N]
"""

import argparse
import csv
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._setup import django_for_benchmark

GIVEN = ["Rūta", "Олена", "Jonas", "Юлія", "Sergei", "Mary", "Agnė", "Олександр"]
FAMILY = ["Šiaulienė", "Коваленко", "Petraitis", "Шевченко", "Ivanova", "Smith", "Kazlauskaitė"]


def clean_file(columns: list[str], rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, restval="")
    writer.writeheader()
    for number in range(rows):
        writer.writerow(
            {
                "external_id": f"BENCH-{number:06d}",
                "recorded_on": "2025-03-01",
                "status": "potential",
                "given_name": rng.choice(GIVEN),
                "family_name": rng.choice(FAMILY),
                "sex": rng.choice("FM"),
                "date_of_birth": f"{rng.randint(1960, 2008)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d}",
                "citizenships": rng.choice(["LTU", "UKR", "RUS"]),
                "languages": "lt",
                "document_numbers": f"AB{rng.randint(100000, 999999)}",
            }
        )
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    django_for_benchmark()

    from django.core.management import call_command
    from django.db import transaction

    from tiltas.accounts.models import Organisation
    from tiltas.audit.services import system_actor
    from tiltas.exchange.registry import kind_get
    from tiltas.exchange.services import import_file
    from tiltas.people.models import Person

    call_command("load_profile", "lt", verbosity=0)
    person_kind = kind_get("person")
    content = clean_file([column.name for column in person_kind.columns], args.rows)
    police = Organisation.objects.get(code="LT-LCPB")
    started = time.perf_counter()
    report = import_file(
        kind=kind_get("person"),
        organisation=police,
        content=content,
        dry_run=False,
        actor=system_actor(organisation_code=police.code, channel="cli"),
        channel="cli",
    )
    ours = time.perf_counter() - started
    assert not report.errors, report.errors[:3]
    assert Person.objects.filter(owner=police).count() == args.rows

    ngo = Organisation.objects.get(code="LT-NGO-CARITAS")
    started = time.perf_counter()
    with transaction.atomic():
        Person.objects.bulk_create(
            [
                Person(owner=ngo, external_id=f"FLOOR-{n}", identity_ciphertext="")
                for n in range(args.rows)
            ],
            batch_size=1000,
        )
    floor = time.perf_counter() - started
    print(f"rows                                  {args.rows:>10,}")
    print(f"tiltas import (validate, encrypt, index, audit) {ours:>6.1f} s  (goal: under 60)")
    print(f"bare bulk insert of the same rows (floor)       {floor:>6.1f} s")
    print(f"ratio                                           {ours / floor:>6.1f} x")


if __name__ == "__main__":
    main()
