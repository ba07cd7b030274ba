"""Reads of imports, through the access policy: importers see their own organisation's runs."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from tiltas.accounts.access import AnyUser, get_scoped_or_404, permissions_of, scope_to_owner
from tiltas.accounts.roles import Permission
from tiltas.exchange.models import ImportRun
from tiltas.exchange.registry import RecordKind, kinds_all


def import_runs_visible_to(user: AnyUser) -> QuerySet[ImportRun]:
    """The imports run on behalf of the user's organisation, if the user may import."""
    return scope_to_owner(
        user,
        ImportRun.objects.select_related("job", "job__organisation"),
        permission=Permission.PERSONAL_IMPORT,
        owner_field="job__organisation",
    )


def get_import_run_for_user(user: AnyUser, *, job_id: uuid.UUID | str) -> ImportRun:
    """The import of one job, or 404 whether it is missing or someone else's."""
    return get_scoped_or_404(
        user,
        ImportRun.objects.select_related("job", "job__organisation"),
        permission=Permission.PERSONAL_IMPORT,
        owner_field="job__organisation",
        job_id=job_id,
    )


def kinds_importable_by(user: AnyUser) -> list[RecordKind]:
    """The record kinds the user may import."""
    granted = permissions_of(user)
    return [kind for kind in kinds_all() if kind.permission in granted]
