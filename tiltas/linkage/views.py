"""Pages of linkage: runs with their progress, figures and quality summary; the review queue and
the pair page. Thin: parse, fetch through the selectors (the access policy), call one service,
render. A pair shows an identity only of the reviewer's own organisation's record, read through
people.selectors (audited); the rest is the masked comparison."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tiltas.accounts.access import has_permission, require_permission
from tiltas.accounts.models import User
from tiltas.accounts.roles import Permission
from tiltas.jobs.models import FINISHED_STATUSES, Job
from tiltas.lib.disclosure import breakdown_suppress
from tiltas.linkage.decisions import DecisionConflictError, link_decision_record
from tiltas.linkage.errors import LinkageNotAllowedError, LinkageRunRefusedError
from tiltas.linkage.forms import DecisionForm, RunStartForm
from tiltas.linkage.models import LinkageRun, ReviewPair, ReviewStatus, RunStatus
from tiltas.linkage.selectors import (
    PairSide,
    distinct_persons_count,
    get_linkage_run_for_user,
    get_review_pair_for_user,
    link_decision_note,
    linkage_run_current,
    linkage_runs_visible_to,
    review_pair_decisions,
    review_pair_sides,
    review_pairs_joined,
    review_queue,
)
from tiltas.linkage.services import (
    STAGE_LINKING,
    STAGE_READING,
    STAGE_STORING,
    linkage_run_start,
)
from tiltas.linkage.summary import QualityView, quality_view
from tiltas.reference.models import OrganisationType
from tiltas.reference.selectors import minimum_cell

CHANNEL = "web"
RUNS_SHOWN = 50
PAIRS_PER_PAGE = 25

STAGE_LABELS = {
    STAGE_READING: gettext_lazy("Reading and standardising the records"),
    STAGE_LINKING: gettext_lazy("Scoring and clustering pairs of records"),
    STAGE_STORING: gettext_lazy("Storing the distinct persons"),
}
FIELD_LABELS = {
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "sex": gettext_lazy("Sex"),
    "citizenship": gettext_lazy("Citizenship"),
    "address": gettext_lazy("Address"),
    "postcode": gettext_lazy("Postcode"),
    "locality": gettext_lazy("Locality"),
    "document_number": gettext_lazy("Identity document number"),
    # Whether the two records come from one organisation (not which).
    "source": gettext_lazy("Organisation"),
}
AGREEMENT_LABELS = {
    "agree": gettext_lazy("Agree"),
    "similar": gettext_lazy("Similar"),
    "disagree": gettext_lazy("Disagree"),
    "missing": gettext_lazy("Missing on one side"),
}
# Log2 Bayes factors: 4 bits multiply the odds of "same person" by 16.
STRONG_WEIGHT = 4.0
WEAK_WEIGHT = 1.0


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees a real user
    return user


@dataclass(frozen=True)
class RunProgress:
    """What the progress line of a run shows (from its job, which carries no personal data)."""

    run: LinkageRun
    job: Job | None

    @property
    def finished(self) -> bool:
        return self.run.status in (RunStatus.DONE, RunStatus.FAILED) or (
            self.job is not None and self.job.status in FINISHED_STATUSES
        )

    @property
    def stage_label(self) -> str:
        stage = self.job.stage if self.job is not None else ""
        return str(STAGE_LABELS.get(stage, stage))

    @property
    def percent(self) -> int:
        if self.run.status == RunStatus.DONE:
            return 100
        return self.job.percent if self.job is not None else 0


def _progress(run: LinkageRun) -> RunProgress:
    job = Job.objects.filter(pk=run.job_id).first() if run.job_id else None
    return RunProgress(run=run, job=job)


@dataclass(frozen=True)
class TypeFigure:
    organisation_type: OrganisationType | None
    code: str
    persons: int | None  # None: withheld (fewer than the minimum cell)


def _figures_by_type(run: LinkageRun, *, withhold_below: int | None) -> list[TypeFigure]:
    """Distinct persons per organisation type; with `withhold_below`, small counts withheld
    with those that would give them away beside the total (tiltas.lib.disclosure)."""
    counts = distinct_persons_count(run=run, breakdown="organisation_type")
    shown: dict[str, int | None] = dict(counts)
    if withhold_below is not None:
        shown = breakdown_suppress(counts, minimum=withhold_below)
    types = {item.code: item for item in OrganisationType.objects.filter(code__in=counts)}
    return [TypeFigure(types.get(code), code, shown[code]) for code in counts]


@login_required
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_permission(user, Permission.LINKAGE_VIEW)
    return _run_list_render(request, user, RunStartForm())


def _run_list_render(
    request: HttpRequest, user: User, form: RunStartForm, *, status: int = 200
) -> HttpResponse:
    current = linkage_run_current()
    minimum = minimum_cell()
    can_review = has_permission(user, Permission.LINKAGE_REVIEW)
    context: dict[str, Any] = {
        "runs": linkage_runs_visible_to(user)[:RUNS_SHOWN],
        "current": current,
        # Those who run linkage see exact counts; other readers (the rapporteur) see small
        # counts withheld, as for every aggregate outside the analysts' work.
        "by_type": _figures_by_type(
            current,
            withhold_below=None if has_permission(user, Permission.LINKAGE_RUN) else minimum,
        )
        if current is not None
        else [],
        "minimum_cell": minimum,
        "can_run": has_permission(user, Permission.LINKAGE_RUN),
        "can_review": can_review,
        "open_pairs": review_queue(user).count() if can_review else 0,
        "form": form,
    }
    return render(request, "linkage/run_list.html", context, status=status)


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_permission(user, Permission.LINKAGE_RUN)
    form = RunStartForm(request.POST)
    if not form.is_valid():
        return _run_list_render(request, user, form)
    try:
        run = linkage_run_start(user=user, kind=form.cleaned_data["kind"], channel=CHANNEL)
    except LinkageNotAllowedError as exc:
        raise Http404 from exc
    except LinkageRunRefusedError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("linkage:runs"))
    return HttpResponseRedirect(reverse("linkage:run", args=[run.pk]))


@login_required
@require_GET
def run_detail(request: HttpRequest, linkage_run_id: uuid.UUID) -> HttpResponse:
    run = get_linkage_run_for_user(_user(request), linkage_run_id)
    quality: QualityView | None = quality_view(run) if run.status == RunStatus.DONE else None
    return render(
        request,
        "linkage/run_detail.html",
        {"run": run, "progress": _progress(run), "quality": quality},
    )


@login_required
@require_GET
def run_progress(request: HttpRequest, linkage_run_id: uuid.UUID) -> HttpResponse:
    """The progress line alone, polled by htmx; once the run has finished the page reloads to
    show its figures."""
    run = get_linkage_run_for_user(_user(request), linkage_run_id)
    progress = _progress(run)
    response = render(request, "linkage/_run_progress.html", {"progress": progress})
    if progress.finished:
        response["HX-Refresh"] = "true"
    return response


def _require_reviewer(user: User) -> None:
    if not (
        has_permission(user, Permission.LINKAGE_REVIEW)
        or has_permission(user, Permission.LINKAGE_REVIEW_OWN)
    ):
        raise Http404


@dataclass(frozen=True)
class SideView:
    """One side of a pair on a page: the reviewer's own record (maybe with its identity), or
    another organisation's record shown by its type, or by nothing at all when that type does
    not share identities and the reviewer is not an analyst."""

    side: PairSide | None
    own: bool
    organisation_type: OrganisationType | None


def _side_view(user: User, person_owner_id: Any, organisation_type: OrganisationType) -> SideView:
    own = person_owner_id == user.organisation_id
    shown = (
        own
        or organisation_type.shares_identities
        or has_permission(user, Permission.LINKAGE_REVIEW)
    )
    return SideView(side=None, own=own, organisation_type=organisation_type if shown else None)


@dataclass(frozen=True)
class PairRow:
    pair: ReviewPair
    left: SideView
    right: SideView
    joined: bool  # whether the run put the two records into one distinct person


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_reviewer(user)
    pairs = review_queue(user)
    page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    joined = review_pairs_joined(page.object_list)
    rows = [
        PairRow(
            pair=pair,
            left=_side_view(user, pair.person_a.owner_id, pair.person_a.owner.type),
            right=_side_view(user, pair.person_b.owner_id, pair.person_b.owner.type),
            joined=joined[pair.pk],
        )
        for pair in page.object_list
    ]
    return render(
        request,
        "linkage/review_list.html",
        {"page": page, "rows": rows, "current": linkage_run_current()},
    )


@dataclass(frozen=True)
class EvidenceRow:
    field: str
    agreement: str
    weight: float

    @property
    def strength(self) -> str:
        if self.weight >= STRONG_WEIGHT:
            return _("strongly towards the same person")
        if self.weight >= WEAK_WEIGHT:
            return _("towards the same person")
        if self.weight <= -STRONG_WEIGHT:
            return _("strongly towards different persons")
        if self.weight <= -WEAK_WEIGHT:
            return _("towards different persons")
        return _("hardly either way")


def _rivals_lowered(pair: ReviewPair) -> bool:
    """Whether the records' rival candidates lowered the pair's probability by at least the
    half point the page's whole percentages can show."""
    with_rivals = pair.probability_with_rivals
    return with_rivals is not None and pair.probability - with_rivals >= 0.005


def _evidence_rows(pair: ReviewPair) -> list[EvidenceRow]:
    rows = []
    for item in pair.evidence:
        name, agreement = str(item.get("field", "")), str(item.get("agreement", ""))
        rows.append(
            EvidenceRow(
                field=str(FIELD_LABELS.get(name, name)),
                agreement=str(AGREEMENT_LABELS.get(agreement, agreement)),
                weight=float(item.get("weight", 0.0)),
            )
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def pair_detail(request: HttpRequest, review_pair_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    pair = get_review_pair_for_user(user, review_pair_id)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        try:
            link_decision_record(
                user=user,
                pair=pair,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                channel=CHANNEL,
            )
        except LinkageNotAllowedError as exc:
            raise Http404 from exc
        except DecisionConflictError as exc:
            conflict = str(exc)
        else:
            messages.success(request, _("Your decision was recorded; every later run obeys it."))
            return HttpResponseRedirect(reverse("linkage:review"))
    side_a, side_b = review_pair_sides(user=user, pair=pair, channel=CHANNEL)
    sides = []
    for side in (side_a, side_b):
        view = _side_view(user, side.person.owner_id, side.organisation_type)
        sides.append(SideView(side=side, own=view.own, organisation_type=view.organisation_type))
    decisions = [
        (decision, link_decision_note(decision)) for decision in review_pair_decisions(pair)
    ]
    return render(
        request,
        "linkage/pair_detail.html",
        {
            "pair": pair,
            "joined": review_pairs_joined([pair])[pair.pk],
            "rivals_lowered": _rivals_lowered(pair),
            "sides": sides,
            "evidence": _evidence_rows(pair),
            "decisions": decisions,
            "form": form,
            "conflict": conflict,
            "can_decide": pair.status != ReviewStatus.SUPERSEDED,
        },
    )
