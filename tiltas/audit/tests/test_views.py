"""The audit browser: only the rapporteur opens it, its filters work, and browsing it is itself
recorded."""

from datetime import datetime
from unittest.mock import patch

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tiltas.accounts.testing import persona, verified_client
from tiltas.audit.models import AuditEntry
from tiltas.audit.services import AuditEvent, actor_for_user, audit_record
from tiltas.people.identity import PersonInput
from tiltas.people.services import person_create

pytestmark = pytest.mark.usefixtures("lt_profile")


@pytest.fixture
def rapporteur():
    return persona("LT-NR", "rapporteur")


@pytest.fixture
def rapporteur_client(rapporteur):
    return verified_client(rapporteur)


def _sequences(response):
    return [entry.sequence for entry in response.context["entries"]]


def _record_person(user, family_name):
    return person_create(
        actor=actor_for_user(user, channel="web"),
        owner=user.organisation,
        data=PersonInput(family_name=family_name),
        created_by=user,
    )


def test_anonymous_visitor_is_sent_to_login():
    response = Client().get(reverse("audit:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "organisation, role",
    [
        ("LT-LCPB", "caseworker"),
        ("LT-LCPB", "supervisor"),
        ("LT-LCPB", "administrator"),
        ("LT-SADM", "analyst"),
        ("LT-NGO-CARITAS", "caseworker"),
    ],
)
def test_only_the_rapporteur_opens_the_audit_trail(organisation, role):
    client = verified_client(persona(organisation, role))
    response = client.get(reverse("audit:list"))
    missing = client.get("/audit/no-such-page/")
    assert response.status_code == 404
    assert response.content == missing.content
    assert not AuditEntry.objects.filter(action="audit_view").exists()


def test_rapporteur_sees_entries_of_every_organisation_newest_first(rapporteur_client):
    police = persona("LT-LCPB", "caseworker")
    ngo = persona("LT-NGO-CARITAS", "caseworker")
    first = _record_person(police, "Jonaitis")
    second = _record_person(ngo, "Petraitė")
    response = rapporteur_client.get(reverse("audit:list"))
    assert response.status_code == 200
    sequences = _sequences(response)
    assert sequences == sorted(sequences, reverse=True)
    body = response.content.decode()
    assert str(first.pk) in body and str(second.pk) in body
    assert "LT-LCPB" in body and "LT-NGO-CARITAS" in body
    # Identities never reach the audit trail, hence never its browser.
    assert "Jonaitis" not in body and "Petraitė" not in body


def test_opening_the_trail_is_itself_audited(rapporteur, rapporteur_client):
    rapporteur_client.get(reverse("audit:list"), {"user": "someone", "action": ""})
    entry = AuditEntry.objects.get(action="audit_view")
    assert entry.actor_username == rapporteur.username
    assert entry.organisation_code == "LT-NR"
    assert entry.channel == "web"
    assert entry.detail == {"filters": {"username": "someone"}}


def test_filter_by_user(rapporteur_client):
    police = persona("LT-LCPB", "caseworker")
    ngo = persona("LT-NGO-CARITAS", "caseworker")
    _record_person(police, "Jonaitis")
    _record_person(ngo, "Petraitė")
    response = rapporteur_client.get(reverse("audit:list"), {"user": police.username.upper()})
    entries = response.context["entries"]
    assert entries and {entry.actor_username for entry in entries} == {police.username}


def test_filter_by_record(rapporteur_client):
    police = persona("LT-LCPB", "caseworker")
    wanted = _record_person(police, "Jonaitis")
    _record_person(police, "Petraitis")
    verified_client(police).get(reverse("people:detail", args=[wanted.pk]))
    response = rapporteur_client.get(reverse("audit:list"), {"record": str(wanted.pk)})
    actions = [(entry.action, entry.object_id) for entry in response.context["entries"]]
    assert actions == [("read", str(wanted.pk)), ("create", str(wanted.pk))]


def test_filter_by_action(rapporteur_client):
    police = persona("LT-LCPB", "caseworker")
    person = _record_person(police, "Jonaitis")
    verified_client(police).get(reverse("people:detail", args=[person.pk]))
    response = rapporteur_client.get(reverse("audit:list"), {"action": "read"})
    assert {entry.action for entry in response.context["entries"]} == {"read"}


def _recorded_at(user, when):
    """An entry written while the clock says `when` (the clock is the outside world)."""
    with patch("django.utils.timezone.now", return_value=when):
        return audit_record(actor=actor_for_user(user, channel="web"), event=AuditEvent("read"))


def test_filter_by_period_counts_whole_local_days(rapporteur_client):
    police = persona("LT-LCPB", "caseworker")
    local = timezone.get_default_timezone()
    late = _recorded_at(police, datetime(2025, 1, 10, 23, 30, tzinfo=local))
    early = _recorded_at(police, datetime(2025, 1, 11, 0, 30, tzinfo=local))
    later = _recorded_at(police, datetime(2025, 1, 12, 12, 0, tzinfo=local))

    def found(**period):
        response = rapporteur_client.get(reverse("audit:list"), {"user": police.username, **period})
        return set(_sequences(response))

    assert found(date_from="2025-01-11", date_to="2025-01-11") == {early.sequence}
    assert found(date_from="2025-01-10", date_to="2025-01-11") == {late.sequence, early.sequence}
    assert found(date_from="2025-01-12") == {later.sequence}
    assert found(date_to="2025-01-10") == {late.sequence}


def test_period_ending_before_it_starts_is_refused_with_a_message(rapporteur_client):
    response = rapporteur_client.get(
        reverse("audit:list"), {"date_from": "2025-02-01", "date_to": "2025-01-01"}
    )
    assert response.status_code == 200
    assert response.context["entries"] == []
    assert "The end of the period is before its start." in response.content.decode()
    assert not AuditEntry.objects.filter(action="audit_view").exists()


def test_pages_are_cut_by_sequence_and_keep_the_filters(rapporteur_client):
    police = persona("LT-LCPB", "caseworker")
    actor = actor_for_user(police, channel="web")
    for _ in range(60):
        audit_record(actor=actor, event=AuditEvent("read", "people.person", "x"))
    first = rapporteur_client.get(reverse("audit:list"), {"action": "read"})
    assert len(first.context["entries"]) == 50
    assert first.context["has_older"]
    older_than = first.context["older_than"]
    assert f'href="?action=read&amp;before={older_than}"' in first.content.decode()
    second = rapporteur_client.get(reverse("audit:list"), {"action": "read", "before": older_than})
    assert len(second.context["entries"]) == 10
    assert not second.context["has_older"]
    assert set(_sequences(first)).isdisjoint(_sequences(second))


def test_actions_and_channels_are_shown_in_the_users_language(rapporteur_client):
    police = persona("LT-LCPB", "caseworker")
    _record_person(police, "Jonaitis")
    rapporteur_client.cookies["django_language"] = "lt"
    body = rapporteur_client.get(reverse("audit:list")).content.decode()
    assert '<td data-cell="action">Sukūrimas</td>' in body
    assert '<option value="create">Sukūrimas</option>' in body
