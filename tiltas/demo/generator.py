"""Synthetic individuals and the records agencies keep about them (no database access).

Each individual is drawn from its own random generator seeded by (seed, index), so an individual
does not change when the number of persons changes, and the same seed gives the same records on
every machine. Most individuals are recorded by one organisation and about 30 % by two or more;
each record is written with the habits of its organisation's type (see variation.py). The forms
of exploitation are drawn from a second generator of the individual (see exploitation.py), so that
adding them left every earlier draw, and so every name, date and case number, as it was.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta

from tiltas.demo.exploitation import exploitation_forms_draw, exploitation_known_draw
from tiltas.demo.individuals import DemoIndividual, individual_draw
from tiltas.demo.names import MALE
from tiltas.demo.records import DemoOrganisation, DemoRecord, record_render

# 1 record: 70 %, 2 or more: 30 %.
RECORD_COUNT_WEIGHTS = ((1, 70), (2, 20), (3, 7), (4, 3))
# Later records of one person follow the first contact within this many days.
FOLLOW_UP_DAYS = 300


# How many records an organisation type keeps, relative to the others (split equally between
# the organisations of one type). NGOs meet most persons; courts see few.
TYPE_WEIGHTS = {
    "ngo_service_provider": 30.0,
    "police": 18.0,
    "shelter": 12.0,
    "hotline": 8.0,
    "municipal_social_services": 8.0,
    "child_protection": 6.0,
    "border_guard": 5.0,
    "labour_inspectorate": 5.0,
    "migration": 4.0,
    "prosecution": 3.0,
    "court": 1.5,
}
DEFAULT_TYPE_WEIGHT = 3.0


class CaseNumbers:
    """Organisation case numbers that look random but never repeat: a keyed 4-round Feistel
    permutation of the record's serial number over 48 bits. Sequential numbers would let a
    linkage method pair records of one person by their order of creation."""

    HALF_BITS = 24

    def __init__(self, seed: int) -> None:
        self._key = hashlib.sha256(f"tiltas-demo-case-numbers:{seed}".encode()).digest()

    def _round(self, number: int, half: int) -> int:
        digest = hashlib.blake2b(
            half.to_bytes(4, "big") + bytes([number]), key=self._key, digest_size=4
        ).digest()
        return int.from_bytes(digest, "big") & ((1 << self.HALF_BITS) - 1)

    def make(self, serial: int, year: int) -> str:
        mask = (1 << self.HALF_BITS) - 1
        if not 0 <= serial < 1 << (2 * self.HALF_BITS):
            raise ValueError("serial: out of the 48-bit range of case numbers")
        left, right = serial >> self.HALF_BITS, serial & mask
        for number in range(4):
            left, right = right, left ^ self._round(number, right)
        return f"{year}-{(left << self.HALF_BITS) | right:012X}"


def _organisation_weight(
    organisation: DemoOrganisation, *, type_size: int, child: bool, foreign: bool, male: bool
) -> float:
    weight = TYPE_WEIGHTS.get(organisation.type_code, DEFAULT_TYPE_WEIGHT) / type_size
    if organisation.type_code == "child_protection":
        weight *= 8.0 if child else 0.2
    elif organisation.type_code in ("border_guard", "migration"):
        weight *= 3.0 if foreign else 0.1
    elif organisation.type_code == "labour_inspectorate" and (child or not male):
        weight *= 0.5
    return weight


def organisations_choose(
    rng: random.Random,
    individual: DemoIndividual,
    organisations: Sequence[DemoOrganisation],
    *,
    today: date,
) -> list[tuple[DemoOrganisation, date]]:
    """The organisations that record `individual` and the day each did, earliest first."""
    count = min(
        rng.choices([n for n, _ in RECORD_COUNT_WEIGHTS], [w for _, w in RECORD_COUNT_WEIGHTS])[0],
        len(organisations),
    )
    type_sizes: dict[str, int] = {}
    for organisation in organisations:
        type_sizes[organisation.type_code] = type_sizes.get(organisation.type_code, 0) + 1
    child = individual.is_child
    foreign = "LTU" not in individual.citizenships
    male = individual.sex == MALE
    remaining = list(organisations)
    weights = [
        _organisation_weight(
            o, type_size=type_sizes[o.type_code], child=child, foreign=foreign, male=male
        )
        for o in remaining
    ]
    chosen: list[DemoOrganisation] = []
    for _ in range(count):
        position = rng.choices(range(len(remaining)), weights)[0]
        chosen.append(remaining.pop(position))
        weights.pop(position)
    dated = [(chosen[0], individual.first_contact)]
    for organisation in chosen[1:]:
        follow_up = individual.first_contact + timedelta(days=rng.randrange(FOLLOW_UP_DAYS))
        dated.append((organisation, min(follow_up, today)))
    return sorted(dated, key=lambda pair: (pair[1], pair[0].code))


def demo_records(
    *,
    seed: int,
    persons: int,
    organisations: Sequence[DemoOrganisation],
    today: date,
) -> Iterator[list[DemoRecord]]:
    """The records of each of `persons` individuals in turn (one list per individual)."""
    if not organisations:
        raise ValueError("organisations: none records persons")
    ordered = sorted(organisations, key=lambda organisation: organisation.code)
    numbers = CaseNumbers(seed)
    serial = 0
    for index in range(persons):
        # A string seed is hashed with SHA-512: stable across runs and Python versions.
        rng = random.Random(f"tiltas-demo:{seed}:{index}")
        individual = individual_draw(rng, index=index, today=today)
        forms_rng = random.Random(f"tiltas-demo-exploitation:{seed}:{index}")
        individual = replace(
            individual, exploitation_forms=exploitation_forms_draw(forms_rng, individual)
        )
        records = []
        for organisation, recorded_on in organisations_choose(
            rng, individual, ordered, today=today
        ):
            serial += 1
            records.append(
                record_render(
                    rng,
                    individual,
                    organisation,
                    recorded_on=recorded_on,
                    external_id=numbers.make(serial, recorded_on.year),
                    exploitation_known=exploitation_known_draw(forms_rng, organisation.type_code),
                )
            )
        yield records
