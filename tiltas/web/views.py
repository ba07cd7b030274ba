"""Pages shared by every domain: health check and home."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tiltas.accounts.access import permissions_of
from tiltas.accounts.models import User
from tiltas.accounts.roles import Permission, Role
from tiltas.people.models import VictimStatus
from tiltas.people.selectors import persons_visible_to


@dataclass(frozen=True)
class Action:
    url: str
    label: str | Promise
    description: str | Promise


@dataclass(frozen=True)
class StatusCount:
    label: str | Promise
    count: int


# What a permission lets the user do from the home page; actions whose page is not installed are
# left out.
ACTIONS: tuple[tuple[str, str, str | Promise, str | Promise], ...] = (
    (
        Permission.PERSONAL_VIEW,
        "people:list",
        _("Persons of concern"),
        _("Browse and search the persons your organisation recorded."),
    ),
    (
        Permission.PERSONAL_CREATE,
        "people:create",
        _("Record a person"),
        _("Record a potential, presumed or identified victim."),
    ),
    (
        Permission.PERSONAL_IMPORT,
        "exchange:import",
        _("Import records"),
        _("Import a file of records on behalf of your organisation."),
    ),
    (
        Permission.JOBS_VIEW,
        "jobs:list",
        _("Background jobs"),
        _("Follow imports and other long jobs started in your organisation."),
    ),
    (
        Permission.AUDIT_VIEW,
        "audit:list",
        _("Audit trail"),
        _("Browse every read and change of personal data, by user, record and period."),
    ),
)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer; reveals nothing about the data."""
    return JsonResponse({"status": "ok"})


def _actions(granted: frozenset[str]) -> list[Action]:
    actions = []
    for permission, url_name, label, description in ACTIONS:
        if permission not in granted:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        actions.append(Action(url=url, label=label, description=description))
    return actions


def _status_counts(user: User) -> list[StatusCount]:
    rows = persons_visible_to(user).order_by().values("status").annotate(total=Count("pk"))
    counts = {row["status"]: row["total"] for row in rows}
    return [
        StatusCount(label=status.label, count=counts.get(status.value, 0))
        for status in VictimStatus
    ]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The user's organisation, roles and what they may do from here."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees a real user
    granted = permissions_of(user)
    sees_persons = Permission.PERSONAL_VIEW in granted
    status_counts = _status_counts(user) if sees_persons else []
    roles = sorted(str(Role(code).label) for code in user.role_codes() if code in Role.values)
    return render(
        request,
        "web/home.html",
        {
            "organisation": user.organisation,
            "roles": roles,
            "actions": _actions(granted),
            "sees_persons": sees_persons,
            "status_counts": status_counts,
            "total_persons": sum(item.count for item in status_counts),
        },
    )
