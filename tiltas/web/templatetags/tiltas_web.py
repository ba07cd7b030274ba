"""Layout helpers: the navigation a user's permissions allow and names in the user's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tiltas.accounts.access import permissions_of
from tiltas.accounts.roles import Permission
from tiltas.reference.models import CountryProfile

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str | Promise
    current: bool


# (permission or None for everyone logged in, URL name, label). Entries whose page is not
# installed yet are left out rather than linking to a 404.
NAVIGATION: tuple[tuple[str | None, str, str | Promise], ...] = (
    (None, "web:home", _("Home")),
    (Permission.PERSONAL_VIEW, "people:list", _("People")),
    (Permission.PERSONAL_CREATE, "people:create", _("Record a person")),
    (Permission.PERSONAL_IMPORT, "exchange:import", _("Import")),
    (Permission.JOBS_VIEW, "jobs:list", _("Jobs")),
    (Permission.AUDIT_VIEW, "audit:list", _("Audit trail")),
    (Permission.AGGREGATES_VIEW, "estimation:list", _("Hidden number")),
    (Permission.LINKAGE_VIEW, "linkage:runs", _("Record linkage")),
    # Analysts reach the review queue from the linkage page; supervisors have only the queue.
    (Permission.LINKAGE_REVIEW_OWN, "linkage:review", _("Linkage review")),
)


def navigation_for(request: HttpRequest) -> list[NavItem]:
    """The links the user's permissions allow; the current section (the longest link that
    the page's path starts with) is marked."""
    granted = permissions_of(request.user)
    links: list[tuple[str, str | Promise]] = []
    for permission, url_name, label in NAVIGATION:
        if permission is not None and permission not in granted:
            continue
        try:
            links.append((reverse(url_name), label))
        except NoReverseMatch:
            continue
    matching = [
        url
        for url, _label in links
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    current = max(matching, key=len, default=None)
    return [NavItem(url=url, label=label, current=url == current) for url, label in links]


@register.simple_tag(takes_context=True)
def navigation(context: template.Context) -> list[NavItem]:
    request = context.get("request")
    if request is None or not session_complete(request):
        return []
    return navigation_for(request)


@register.filter
def local_name(obj: Any) -> str:
    """An organisation's (or type's) name in the country's language when the page is in it."""
    name = str(getattr(obj, "name", "") or "")
    name_local = str(getattr(obj, "name_local", "") or "")
    if not name_local:
        return name
    profile = CountryProfile.objects.only("default_language").first()
    language = (get_language() or "").split("-")[0]
    if profile is not None and language == profile.default_language:
        return name_local
    return name


def session_complete(request: HttpRequest | None) -> bool:
    """Logged in and past the second factor (demo accounts need none)."""
    if request is None or not request.user.is_authenticated:
        return False
    user = request.user
    if getattr(user, "is_demo", False):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


@register.simple_tag(takes_context=True)
def fully_logged_in(context: template.Context) -> bool:
    return session_complete(context.get("request"))
