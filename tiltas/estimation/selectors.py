"""Reads for estimation: the lists to count by, and the stored runs a user may read (the linked
facts a run counts from come from `linkage.selectors.linked_facts`).

Estimates are national aggregates: every user whose roles include reading aggregates sees every
finished run (they cite the same figure); nobody reads an identity through them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from tiltas.accounts.access import AnyUser, has_permission
from tiltas.accounts.models import Organisation
from tiltas.accounts.roles import Permission
from tiltas.estimation.disclosure import run_counts, sees_exact_counts, stratum_shown
from tiltas.estimation.lists import ALL, ListDefinition
from tiltas.estimation.models import EstimationRun, EstimationStratum, Outcome, RunStatus
from tiltas.reference.models import CountryProfile, OrganisationType
from tiltas.reference.services import ProfileError, profile_read


def list_members_unknown(lists: tuple[ListDefinition, ...]) -> list[str]:
    """The organisation types and organisation codes a list names that do not exist."""
    types = set(OrganisationType.objects.values_list("code", flat=True))
    organisations = set(Organisation.objects.values_list("code", flat=True))
    problems = []
    for item in lists:
        problems += [
            f"list {item.code}: no organisation type {code!r}"
            for code in item.organisation_types
            if code not in types
        ]
        problems += [
            f"list {item.code}: no organisation {code!r}"
            for code in item.organisations
            if code not in organisations
        ]
    return problems


def default_lists() -> tuple[ListDefinition, ...]:
    """The lists of the country profile (`estimation_lists`), or else one list per organisation
    type that records persons."""
    profile = CountryProfile.objects.first()
    if profile is not None:
        try:
            configured = profile_read(profile.code.lower()).get("estimation_lists", [])
        except ProfileError:
            configured = []
        if configured:
            return tuple(ListDefinition.from_json(item) for item in configured)
    return tuple(
        ListDefinition(code=org_type.code, name=org_type.name, organisation_types=(org_type.code,))
        for org_type in OrganisationType.objects.filter(records_persons=True).order_by("code")
    )


def estimation_runs_visible_to(user: AnyUser) -> QuerySet[EstimationRun]:
    if not has_permission(user, Permission.AGGREGATES_VIEW):
        return EstimationRun.objects.none()
    return EstimationRun.objects.select_related("linkage_run", "created_by")


def get_estimation_run_for_user(user: AnyUser, reference: str) -> EstimationRun:
    """One run by its reference, or 404 (missing and forbidden alike)."""
    try:
        return estimation_runs_visible_to(user).get(reference=reference)
    except EstimationRun.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class SeriesPoint:
    reference: str
    period_start: date
    period_end: date
    # None where withheld by disclosure control (estimation/disclosure.py).
    observed: int | None
    estimate: float
    low: float | None
    high: float | None


def estimate_series(
    user: AnyUser, *, list_codes: tuple[str, ...], minimum_cell: int
) -> list[SeriesPoint]:
    """The whole-population estimates of finished runs over the same lists, one per period (the
    latest run of a period wins), in period order: the figure over time, as each run's own page
    shows it to `user` (disclosure control below `minimum_cell`; a period whose figure is
    withheld is left out)."""
    exact = sees_exact_counts(user)
    strata = (
        EstimationStratum.objects.filter(
            run__in=estimation_runs_visible_to(user).filter(status=RunStatus.DONE),
            stratum=ALL,
            outcome=Outcome.ESTIMATE,
        )
        .select_related("run")
        .order_by("run__period_start", "run__period_end", "-run__created_at")
    )
    points: dict[tuple[date, date], SeriesPoint] = {}
    for stratum in strata:
        run = stratum.run
        codes = tuple(item["code"] for item in run.list_definition)
        key = (run.period_start, run.period_end)
        if codes != list_codes or key in points or stratum.estimate is None:
            continue
        # The same figures as the run's own page shows this reader (estimation/disclosure.py).
        counts = run_counts(run, list(run.strata.all()), exact=exact, minimum=minimum_cell)
        shown = stratum_shown(stratum, counts[ALL], exact=exact, minimum=minimum_cell)
        if shown["figures_withheld"]:
            continue
        points[key] = SeriesPoint(
            reference=run.reference,
            period_start=run.period_start,
            period_end=run.period_end,
            observed=shown["observed"],
            estimate=shown["estimate"],
            low=shown["interval_95_low"],
            high=shown["interval_95_high"],
        )
    return list(points.values())
