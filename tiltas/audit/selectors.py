"""Reads of the audit trail, for those who oversee it (the national rapporteur)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tiltas.accounts.access import AnyUser, has_permission
from tiltas.accounts.roles import Permission
from tiltas.audit.models import AuditEntry
from tiltas.audit.services import AuditEvent, actor_for_user, audit_record

OBJECT_TYPE = "audit.trail"


@dataclass(frozen=True)
class AuditFilter:
    """What the overseer is looking for; every given criterion must match."""

    username: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    action: str = ""

    def as_detail(self) -> dict[str, str]:
        """The criteria for the audit entry of the browsing itself (no personal values: user
        names are staff accounts, object ids are opaque)."""
        return {
            key: value.isoformat() if isinstance(value, date) else str(value)
            for key, value in asdict(self).items()
            if value
        }


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries_visible_to(
    user: AnyUser, *, filters: AuditFilter | None = None
) -> QuerySet[AuditEntry]:
    """The entries the user may browse that match `filters`, newest first (none without the
    audit permission). Periods are whole days in the installation's time zone, both ends
    included."""
    if not has_permission(user, Permission.AUDIT_VIEW):
        return AuditEntry.objects.none()
    filters = filters or AuditFilter()
    entries = AuditEntry.objects.all()
    if filters.username.strip():
        entries = entries.filter(actor_username__iexact=filters.username.strip())
    if filters.object_id.strip():
        entries = entries.filter(object_id=filters.object_id.strip())
    if filters.date_from is not None:
        entries = entries.filter(occurred_at__gte=_start_of_day(filters.date_from))
    if filters.date_to is not None:
        entries = entries.filter(occurred_at__lt=_start_of_day(filters.date_to + timedelta(days=1)))
    if filters.action.strip():
        entries = entries.filter(action=filters.action.strip())
    return entries.order_by("-sequence")


def audit_actions_visible_to(user: AnyUser) -> list[str]:
    """The actions that occur in the trail, for the filter's choices."""
    return sorted(
        set(audit_entries_visible_to(user).order_by().values_list("action", flat=True).distinct())
    )


def audit_trail_open(*, user: AnyUser, filters: AuditFilter, channel: str) -> None:
    """Record that the user browsed the trail with these criteria: oversight is overseen too."""
    with transaction.atomic():
        audit_record(
            actor=actor_for_user(user, channel=channel),
            event=AuditEvent(
                "audit_view", OBJECT_TYPE, "", "oversight", detail={"filters": filters.as_detail()}
            ),
        )
