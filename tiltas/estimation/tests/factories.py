"""A linked population for estimation tests: persons recorded by several organisations and one
finished linkage run that assigns them to distinct persons. Estimation never reads an identity,
so the records carry a placeholder instead of a sealed one."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from django.utils import timezone

from tiltas.accounts.models import Organisation
from tiltas.linkage.models import LinkageRun, LinkedRecord
from tiltas.people.models import Person

# (organisation code, probability that it finds a given person)
DEFAULT_CAPTURES = (("LT-PD", 0.35), ("LT-NGO-CARITAS", 0.4), ("LT-SLI", 0.3))


def linked_population(
    *,
    size: int,
    seed: int = 7,
    captures: Sequence[tuple[str, float]] = DEFAULT_CAPTURES,
    period_start: date = date(2025, 1, 1),
    days: int = 365,
) -> tuple[LinkageRun, int]:
    """A done linkage run over `size` simulated people, each found independently by each
    organisation with its probability; returns the run and how many people were found."""
    rng = random.Random(seed)
    # A stream of its own, so that the forms do not change the other draws.
    forms_rng = random.Random(seed + 1)
    organisations = {code: Organisation.objects.get(code=code) for code, _ in captures}
    persons: list[Person] = []
    cluster_of: list[str] = []
    found = 0
    for number in range(size):
        sex = rng.choice(["F", "M"])
        birth_year = rng.randint(1970, 2012)
        day = period_start + timedelta(days=rng.randrange(days))
        seen = [code for code, probability in captures if rng.random() < probability]
        forms = forms_rng.choice([["sexual"], ["labour"], ["labour"], []])
        found += bool(seen)
        for code in seen:
            persons.append(
                Person(
                    owner=organisations[code],
                    recorded_on=day,
                    sex=sex,
                    birth_year=birth_year,
                    exploitation_forms=forms,
                    identity_ciphertext="not read by estimation",
                )
            )
            cluster_of.append(f"DP-{number + 1:06d}")
    Person.objects.bulk_create(persons)
    run = LinkageRun.objects.create(
        status="done",
        record_count=len(persons),
        person_count=found,
        finished_at=timezone.now(),
    )
    LinkedRecord.objects.bulk_create(
        LinkedRecord(run=run, person=person, distinct_person_id=cluster)
        for person, cluster in zip(persons, cluster_of, strict=True)
    )
    return run, found
