"""Reads of linkage results, through the access policy.

Runs, counts and capture histories carry no identity: they open to whoever may read linkage
figures. The review queue opens to analysts (every pair, masked) and to supervisors of
organisations that record persons (the pairs touching their own records). An identity is only
ever shown through `people.selectors`, which audits the read."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, overload

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.http import Http404

from tiltas.accounts.access import AnyUser, has_permission
from tiltas.accounts.models import User
from tiltas.accounts.roles import Permission
from tiltas.core.encryption import open_json
from tiltas.linkage.facts import ADULT_AGE, LinkedFact
from tiltas.linkage.models import (
    Decision,
    LinkageRun,
    LinkDecision,
    LinkedRecord,
    ReviewPair,
    RunStatus,
)
from tiltas.people.models import Person
from tiltas.people.selectors import (
    IdentityUnavailableError,
    PersonIdentity,
    get_person_for_user,
    person_identity,
)
from tiltas.reference.models import OrganisationType

Breakdown = Literal["organisation_type", "sex", "age_group"]
BREAKDOWNS: tuple[Breakdown, ...] = ("organisation_type", "sex", "age_group")


def linkage_run_current() -> LinkageRun | None:
    """The latest finished run: the one whose clusters the rest of Tiltas counts."""
    return (
        LinkageRun.objects.filter(status=RunStatus.DONE)
        .order_by("-finished_at", "-created_at")
        .first()
    )


def linkage_runs_visible_to(user: AnyUser) -> QuerySet[LinkageRun]:
    """Every run, for those who may read linkage figures; none otherwise."""
    if not has_permission(user, Permission.LINKAGE_VIEW):
        return LinkageRun.objects.none()
    return LinkageRun.objects.select_related("started_by", "job")


def get_linkage_run_for_user(user: AnyUser, run_id: uuid.UUID | str) -> LinkageRun:
    try:
        return linkage_runs_visible_to(user).get(pk=run_id)
    except (LinkageRun.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def _records_in_period(
    run: LinkageRun, recorded_from: date | None, recorded_to: date | None
) -> QuerySet[LinkedRecord]:
    records = LinkedRecord.objects.filter(run=run)
    if recorded_from is not None:
        records = records.filter(person__recorded_on__gte=recorded_from)
    if recorded_to is not None:
        records = records.filter(person__recorded_on__lte=recorded_to)
    return records


def _cell(breakdown: Breakdown) -> Any:
    if breakdown == "organisation_type":
        return F("person__owner__type__code")
    if breakdown == "sex":
        return F("person__sex")
    # The age reached in the year of recording: birth years in clear are exact or estimated
    # years, never dates (the same rule as estimation's strata).
    return Case(
        When(person__birth_year__isnull=True, then=Value("unknown")),
        When(
            Q(person__birth_year__gt=ExtractYear("person__recorded_on") - ADULT_AGE),
            then=Value("child"),
        ),
        default=Value("adult"),
        output_field=CharField(),
    )


@overload
def distinct_persons_count(
    *,
    run: LinkageRun,
    recorded_from: date | None = None,
    recorded_to: date | None = None,
    breakdown: None = None,
) -> int: ...


@overload
def distinct_persons_count(
    *,
    run: LinkageRun,
    recorded_from: date | None = None,
    recorded_to: date | None = None,
    breakdown: Breakdown,
) -> dict[str, int]: ...


def distinct_persons_count(
    *,
    run: LinkageRun,
    recorded_from: date | None = None,
    recorded_to: date | None = None,
    breakdown: Breakdown | None = None,
) -> int | dict[str, int]:
    """Distinct persons with a record recorded in the period (bounds included). With a
    breakdown (owner organisation type, sex, or adult/child/unknown at recording), a person
    counts once in every cell where one of their records in the period falls, so the cells
    may add up to more than the total."""
    records = _records_in_period(run, recorded_from, recorded_to)
    if breakdown is None:
        return records.values("distinct_person_id").distinct().count()
    if breakdown not in BREAKDOWNS:
        raise ValueError(f"breakdown: expected one of {', '.join(BREAKDOWNS)}, got {breakdown!r}")
    rows = (
        records.annotate(cell=_cell(breakdown))
        .values("cell")
        .annotate(persons=Count("distinct_person_id", distinct=True))
        .order_by("cell")
    )
    return {str(row["cell"]): int(row["persons"]) for row in rows}


def linked_facts(
    *, run: LinkageRun, recorded_from: date | None = None, recorded_to: date | None = None
) -> Iterator[LinkedFact]:
    """Every linked record of the run recorded in the period (bounds included), as the clear
    facts the analytical apps may use: no identity is read."""
    rows = (
        _records_in_period(run, recorded_from, recorded_to)
        .values_list(
            "distinct_person_id",
            "person__owner__code",
            "person__owner__type__code",
            "person__recorded_on",
            "person__sex",
            "person__birth_year",
            "person__exploitation_forms",
        )
        .order_by("pk")
        .iterator(chunk_size=5000)
    )
    for distinct_person_id, organisation, organisation_type, recorded_on, sex, year, forms in rows:
        yield LinkedFact(
            distinct_person_id=distinct_person_id,
            organisation=organisation,
            organisation_type=organisation_type,
            recorded_on=recorded_on,
            sex=sex if sex in {"F", "M"} else "",
            birth_year=year,
            exploitation_forms=tuple(forms or ()),
        )


def capture_histories(
    *, run: LinkageRun, recorded_from: date | None, recorded_to: date | None
) -> dict[str, set[str]]:
    """Distinct person -> the codes of the organisations that recorded them in the period."""
    histories: dict[str, set[str]] = defaultdict(set)
    for fact in linked_facts(run=run, recorded_from=recorded_from, recorded_to=recorded_to):
        histories[fact.distinct_person_id].add(fact.organisation)
    return dict(histories)


def canonical_pair(left: Any, right: Any) -> tuple[str, str]:
    """Two record ids as strings, the smaller first (the order the database keeps)."""
    first, second = sorted((str(left), str(right)))
    return first, second


def link_decisions_in_force() -> dict[tuple[str, str], str]:
    """(record, record) -> "same" or "different": the latest decision of every decided pair."""
    in_force: dict[tuple[str, str], str] = {}
    rows = LinkDecision.objects.order_by("decided_at", "created_at").values_list(
        "person_a_id", "person_b_id", "decision"
    )
    for person_a, person_b, decision in rows.iterator(chunk_size=5000):
        in_force[canonical_pair(person_a, person_b)] = decision
    return in_force


def link_constraints(
    in_force: Mapping[tuple[str, str], str],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The decisions as the engine's (must_link, cannot_link) pairs."""
    must = [pair for pair, decision in in_force.items() if decision == Decision.SAME]
    cannot = [pair for pair, decision in in_force.items() if decision == Decision.DIFFERENT]
    return must, cannot


def _organisation_id(user: AnyUser) -> uuid.UUID | None:
    return user.organisation_id if isinstance(user, User) else None


def review_pairs_visible_to(user: AnyUser) -> QuerySet[ReviewPair]:
    """The pairs the user may review: every pair for analysts; for supervisors, the pairs with
    at least one record of their own organisation."""
    pairs = ReviewPair.objects.select_related(
        "run", "person_a__owner__type", "person_b__owner__type"
    )
    if has_permission(user, Permission.LINKAGE_REVIEW):
        return pairs
    if has_permission(user, Permission.LINKAGE_REVIEW_OWN):
        organisation = _organisation_id(user)
        return pairs.filter(Q(person_a__owner_id=organisation) | Q(person_b__owner_id=organisation))
    return pairs.none()


def review_queue(user: AnyUser) -> QuerySet[ReviewPair]:
    """The open pairs of the current run the user may review, most probable first."""
    current = linkage_run_current()
    if current is None:
        return ReviewPair.objects.none()
    return review_pairs_visible_to(user).filter(run=current, status="open")


def review_pairs_joined(pairs: Iterable[ReviewPair]) -> dict[uuid.UUID, bool]:
    """For each pair, whether its run put the two records into one distinct person: the review
    band reaches below the cluster threshold, so a queue holds pairs kept apart as well as
    pairs joined. One query for all the pairs (a page of the queue)."""
    pairs = list(pairs)
    people = {person for pair in pairs for person in (pair.person_a_id, pair.person_b_id)}
    runs = {pair.run_id for pair in pairs}
    distinct = {
        (run, person): distinct_person
        for run, person, distinct_person in LinkedRecord.objects.filter(
            run_id__in=runs, person_id__in=people
        ).values_list("run_id", "person_id", "distinct_person_id")
    }

    def joined(pair: ReviewPair) -> bool:
        left = distinct.get((pair.run_id, pair.person_a_id))
        return left is not None and left == distinct.get((pair.run_id, pair.person_b_id))

    return {pair.pk: joined(pair) for pair in pairs}


def get_review_pair_for_user(user: AnyUser, pair_id: uuid.UUID | str) -> ReviewPair:
    """One pair the user may review, or 404 whether it is missing or out of their scope."""
    try:
        return review_pairs_visible_to(user).get(pk=pair_id)
    except (ReviewPair.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class PairSide:
    """One record of a pair as a reviewer may see it. `identity` is set only for a record of
    the reviewer's own organisation that they may read (the read is audited)."""

    person: Person
    organisation_type: OrganisationType
    own: bool
    identity: PersonIdentity | None = None
    identity_unavailable: bool = False

    @property
    def shares_identities(self) -> bool:
        return self.organisation_type.shares_identities


def review_pair_sides(
    *, user: AnyUser, pair: ReviewPair, channel: str
) -> tuple[PairSide, PairSide]:
    """Both sides of a pair the user obtained through `get_review_pair_for_user`."""
    organisation = _organisation_id(user)
    may_read_own = has_permission(user, Permission.LINKAGE_REVIEW_OWN) and has_permission(
        user, Permission.PERSONAL_VIEW
    )

    def side(person: Person) -> PairSide:
        own = person.owner_id == organisation
        if not (own and may_read_own):
            return PairSide(person=person, organisation_type=person.owner.type, own=own)
        readable = get_person_for_user(
            user=user, person_id=person.pk, channel=channel, purpose="linkage review"
        )
        try:
            identity = person_identity(readable)
        except IdentityUnavailableError:
            return PairSide(
                person=person,
                organisation_type=person.owner.type,
                own=True,
                identity_unavailable=True,
            )
        return PairSide(
            person=readable, organisation_type=person.owner.type, own=True, identity=identity
        )

    return side(pair.person_a), side(pair.person_b)


def review_pair_decisions(pair: ReviewPair) -> QuerySet[LinkDecision]:
    """Every decision ever taken on the pair's two records, latest first (the one in force)."""
    return LinkDecision.objects.filter(
        person_a=pair.person_a_id, person_b=pair.person_b_id
    ).select_related("decided_by")


def link_decision_note(decision: LinkDecision) -> str:
    """The reviewer's note of a decision the caller obtained through the review policy."""
    return str(open_json(decision.note_ciphertext, decision.note_associated_data()).get("note", ""))


@dataclass(frozen=True)
class TypeCount:
    organisation_type: OrganisationType
    records: int


@dataclass(frozen=True)
class PersonLinks:
    """What a person's page may show of the other records linked to it in the current run."""

    run: LinkageRun
    distinct_person_id: str
    own_records: list[Person]
    by_type: list[TypeCount]
    # Some linked record belongs to an organisation that does not share identities: only
    # that much is said.
    not_shared: bool

    @property
    def has_links(self) -> bool:
        return bool(self.own_records or self.by_type or self.not_shared)


def person_links(*, user: AnyUser, person: Person) -> PersonLinks | None:
    """The other records linked to `person` (obtained by the caller through the policy): those
    of the user's organisation, a count per organisation type for organisations that share
    identities, and only the fact of a link otherwise. None when the user may not see links or
    the person is in no finished run."""
    if not has_permission(user, Permission.LINKAGE_LINKS_VIEW):
        return None
    if person.owner_id != _organisation_id(user):
        return None
    run = linkage_run_current()
    if run is None:
        return None
    mine = LinkedRecord.objects.filter(run=run, person=person).first()
    if mine is None:
        return None
    others = (
        LinkedRecord.objects.filter(run=run, distinct_person_id=mine.distinct_person_id)
        .exclude(person=person)
        .select_related("person__owner__type")
        .order_by("person__recorded_on", "person_id")
    )
    own_records: list[Person] = []
    type_counts: dict[int, int] = defaultdict(int)
    types: dict[int, OrganisationType] = {}
    not_shared = False
    for record in others:
        other = record.person
        if other.owner_id == person.owner_id:
            own_records.append(other)
        elif other.owner.type.shares_identities:
            types[other.owner.type.pk] = other.owner.type
            type_counts[other.owner.type.pk] += 1
        else:
            not_shared = True
    by_type = sorted(
        (TypeCount(types[pk], count) for pk, count in type_counts.items()),
        key=lambda item: item.organisation_type.code,
    )
    return PersonLinks(
        run=run,
        distinct_person_id=mine.distinct_person_id,
        own_records=own_records,
        by_type=by_type,
        not_shared=not_shared,
    )
