"""Pages for persons of concern. Thin: parse, fetch through the selectors (the access policy), call
one service, render. Missing and forbidden records both answer 404 (AZ-03); names never travel in
a URL or query string (API-05)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tiltas.accounts.access import has_permission, require_permission
from tiltas.accounts.models import User
from tiltas.accounts.roles import Permission
from tiltas.audit.services import actor_for_user
from tiltas.people.forms import PersonEditForm, PersonForm, PersonSearchForm
from tiltas.people.models import Person
from tiltas.people.selectors import (
    IdentityUnavailableError,
    PersonIdentity,
    get_person_for_user,
    person_identity,
    persons_audit_read,
    persons_search,
    persons_visible_to,
)
from tiltas.people.services import (
    PersonValidationError,
    StaleEditError,
    person_create,
    person_update,
)

CHANNEL = "web"
PAGE_SIZE = 25
# A search answers with a bounded list: a search page is not a way to read the whole register
# (API-04); narrowing the search finds the rest.
MAX_SEARCH_RESULTS = 50


@dataclass(frozen=True)
class PersonRow:
    """One line of a list: what the page shows of a person."""

    person: Person
    identity: PersonIdentity | None

    @property
    def display_name(self) -> str:
        return self.identity.display_name if self.identity is not None else ""


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees a real user
    return user


def _identity_or_none(person: Person) -> PersonIdentity | None:
    """The decrypted identity, or None when it failed its integrity check (already logged)."""
    try:
        return person_identity(person)
    except IdentityUnavailableError:
        return None


def _rows(persons: list[Person]) -> list[PersonRow]:
    return [PersonRow(person=person, identity=_identity_or_none(person)) for person in persons]


def _changeable_person_or_404(user: User, person_id: UUID) -> Person:
    """The record the user may change, without reading its identity (so no read is audited)."""
    try:
        return persons_visible_to(user, permission=Permission.PERSONAL_CHANGE).get(pk=person_id)
    except Person.DoesNotExist as exc:
        raise Http404 from exc


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@login_required
@require_http_methods(["GET"])
def person_list(request: HttpRequest) -> HttpResponse:
    """The organisation's persons, newest first, 25 a page; every name shown is audited."""
    user = _user(request)
    require_permission(user, Permission.PERSONAL_VIEW)
    persons = persons_visible_to(user).order_by("-recorded_on", "-created_at", "pk")
    page: Page[Person] = Paginator(persons, PAGE_SIZE).get_page(_page_number(request))
    shown = list(page.object_list)
    persons_audit_read(user=user, persons=shown, channel=CHANNEL, purpose="list")
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            "rows": _rows(shown),
            "search_form": PersonSearchForm(),
            "can_create": has_permission(user, Permission.PERSONAL_CREATE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_search(request: HttpRequest) -> HttpResponse:
    """Search by POST; the results page is rendered from the POST, never redirected to a URL
    that would carry the name."""
    user = _user(request)
    require_permission(user, Permission.PERSONAL_VIEW)
    context: dict[str, Any] = {"searched": False, "rows": [], "truncated": False}
    if request.method == "POST":
        form = PersonSearchForm(request.POST)
        if form.is_valid():
            found = list(
                persons_search(user=user, search=form.search()).order_by(
                    "-recorded_on", "-created_at", "pk"
                )[: MAX_SEARCH_RESULTS + 1]
            )
            shown = found[:MAX_SEARCH_RESULTS]
            persons_audit_read(user=user, persons=shown, channel=CHANNEL, purpose="search")
            context.update(
                searched=True, rows=_rows(shown), truncated=len(found) > MAX_SEARCH_RESULTS
            )
    else:
        form = PersonSearchForm()
    context.update(form=form, max_results=MAX_SEARCH_RESULTS)
    template = (
        "people/_search.html"
        if request.headers.get("HX-Request") == "true"
        else "people/person_search.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET"])
def person_detail(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """One person with the decrypted identity; the read is audited."""
    user = _user(request)
    person = get_person_for_user(user=user, person_id=person_id, channel=CHANNEL, purpose="view")
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "identity": _identity_or_none(person),
            "can_change": has_permission(user, Permission.PERSONAL_CHANGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create_view(request: HttpRequest) -> HttpResponse:
    """Record a new person owned by the user's organisation."""
    user = _user(request)
    require_permission(user, Permission.PERSONAL_CREATE)
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid():
            data = form.person_input()
            try:
                person = person_create(
                    actor=actor_for_user(user, channel=CHANNEL),
                    owner=user.organisation,
                    data=data,
                    created_by=user,
                    purpose="record",
                )
            except PersonValidationError as exc:
                for error in exc.errors:
                    form.add_domain_error(error, data)
            else:
                messages.success(request, _("The person was recorded."))
                return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    else:
        form = PersonForm()
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Change a person; an edit based on an outdated version is refused, nothing overwritten
    (RL-01), and the user's input is kept on the page."""
    user = _user(request)
    require_permission(user, Permission.PERSONAL_CHANGE)
    stale_version: int | None = None
    if request.method == "POST":
        person = _changeable_person_or_404(user, person_id)
        form = PersonEditForm(request.POST)
        if form.is_valid():
            data = form.person_input()
            try:
                person_update(
                    actor=actor_for_user(user, channel=CHANNEL),
                    person=person,
                    expected_version=form.cleaned_data["version"],
                    data=data,
                    purpose="edit",
                )
            except StaleEditError as exc:
                stale_version = exc.current_version
            except PersonValidationError as exc:
                for error in exc.errors:
                    form.add_domain_error(error, data)
            else:
                messages.success(request, _("The changes were saved."))
                return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    else:
        person = get_person_for_user(
            user=user,
            person_id=person_id,
            channel=CHANNEL,
            purpose="edit",
            permission=Permission.PERSONAL_CHANGE,
        )
        identity = _identity_or_none(person)
        if identity is None:
            # Editing would replace an identity nobody can read: refuse rather than lose it.
            messages.error(
                request, _("This record's identity cannot be shown, so it cannot be edited.")
            )
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
        form = PersonEditForm(initial=PersonForm.initial_for(person, identity))
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "stale_version": stale_version},
    )
