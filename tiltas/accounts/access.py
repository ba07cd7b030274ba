"""THE access policy: who may do what with which records. Every read of personal data goes
through it; each domain's selectors build on it (for example people.selectors.persons_visible_to).

Generic by design: it knows organisations, roles and an owner field, never a domain model. Later
rules (consent, sharing grants) are added here, once, for every domain.

Callers that fetch one object answer 404 for both missing and forbidden, so that no response ever
reveals that a victim record exists (AZ-03).
"""

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from tiltas.accounts.models import User
from tiltas.accounts.roles import OVERSIGHT_PERMISSIONS, PERSONAL_PERMISSIONS, ROLE_PERMISSIONS

ModelT = TypeVar("ModelT", bound=Model)
AnyUser = User | AnonymousUser


def permissions_of(user: AnyUser) -> frozenset[str]:
    """Everything the user may do now, from their roles and their organisation's type."""
    if not isinstance(user, User) or not user.is_active:
        return frozenset()
    organisation = user.organisation
    if not organisation.is_active:
        return frozenset()
    granted: set[str] = set()
    for role in user.role_codes():
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    if not organisation.type.records_persons:
        granted -= PERSONAL_PERMISSIONS
    if not organisation.type.oversight:
        granted -= OVERSIGHT_PERMISSIONS
    return frozenset(granted)


def has_permission(user: AnyUser, permission: str) -> bool:
    return permission in permissions_of(user)


def require_permission(user: AnyUser, permission: str) -> None:
    """Refuse with 404, the same answer as for a page that does not exist."""
    if not has_permission(user, permission):
        raise Http404


def scope_to_owner(
    user: AnyUser,
    queryset: QuerySet[ModelT],
    *,
    permission: str,
    owner_field: str = "owner",
) -> QuerySet[ModelT]:
    """The records of `queryset` the user may act on with `permission`: those owned by the
    user's organisation, or none at all."""
    if not has_permission(user, permission):
        return queryset.none()
    assert isinstance(user, User)  # noqa: S101 - has_permission is false for anonymous users
    filters: dict[str, Any] = {owner_field: user.organisation_id}
    return queryset.filter(**filters)


def get_scoped_or_404(
    user: AnyUser,
    queryset: QuerySet[ModelT],
    *,
    permission: str,
    owner_field: str = "owner",
    **lookup: Any,
) -> ModelT:
    """One record the user may act on, or 404 whether it is missing or forbidden."""
    try:
        return scope_to_owner(user, queryset, permission=permission, owner_field=owner_field).get(
            **lookup
        )
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
