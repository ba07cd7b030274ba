"""The home page and the layout: what each persona is shown, and nothing more."""

import pytest
from django.test import Client
from django.urls import reverse

from tiltas.accounts.testing import persona, verified_client
from tiltas.audit.services import actor_for_user
from tiltas.people.identity import PersonInput
from tiltas.people.services import person_create

pytestmark = pytest.mark.usefixtures("lt_profile")


def _record(user, status):
    return person_create(
        actor=actor_for_user(user, channel="web"),
        owner=user.organisation,
        data=PersonInput(family_name="Jonaitis", status=status),
        created_by=user,
    )


def test_anonymous_visitor_is_sent_to_login():
    response = Client().get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_alone_does_not_open_the_home_page():
    user = persona("LT-LCPB", "caseworker")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second_factor")


def test_caseworker_home_shows_organisation_roles_actions_and_own_counts():
    officer = persona("LT-LCPB", "caseworker")
    _record(officer, "potential")
    _record(officer, "potential")
    _record(officer, "identified")
    _record(persona("LT-NGO-CARITAS", "caseworker"), "presumed")
    response = verified_client(officer).get(reverse("web:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lithuanian Criminal Police Bureau" in body
    assert "Caseworker" in body
    assert f'href="{reverse("people:list")}"' in body
    assert f'href="{reverse("people:create")}"' in body
    assert f'href="{reverse("audit:list")}"' not in body
    counts = {str(item.label): item.count for item in response.context["status_counts"]}
    assert counts == {
        "Potential victim": 2,
        "Presumed victim": 0,
        "Identified victim": 1,
        "Not identified as a victim": 0,
    }
    assert response.context["total_persons"] == 3


@pytest.mark.parametrize(
    "organisation, role",
    [("LT-NR", "rapporteur"), ("LT-LCPB", "analyst"), ("LT-LCPB", "administrator")],
)
def test_roles_without_personal_access_see_no_person_link_or_count(organisation, role):
    _record(persona("LT-LCPB", "caseworker"), "potential")
    response = verified_client(persona(organisation, role)).get(reverse("web:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="{reverse("people:list")}"' not in body
    assert response.context["status_counts"] == []
    assert "Persons recorded by your organisation" not in body


def test_rapporteur_home_links_the_audit_trail():
    response = verified_client(persona("LT-NR", "rapporteur")).get(reverse("web:home"))
    body = response.content.decode()
    assert f'href="{reverse("audit:list")}"' in body
    assert "Rapporteur" in body


def test_layout_has_skip_link_language_switcher_and_post_logout():
    response = verified_client(persona("LT-LCPB", "caseworker")).get(reverse("web:home"))
    body = response.content.decode()
    assert '<a class="skip-link" href="#main">' in body
    assert 'action="/i18n/setlang/" method="post"' in body
    assert f'action="{reverse("accounts:logout")}" method="post"' in body
    assert '<main id="main"' in body
    assert "style=" not in body  # the CSP forbids inline styles
    assert "<script>" not in body  # and inline scripts


def test_language_switcher_turns_the_pages_lithuanian():
    client = verified_client(persona("LT-LCPB", "caseworker"))
    response = client.post(reverse("set_language"), {"language": "lt", "next": reverse("web:home")})
    assert response.status_code == 302
    page = client.get(reverse("web:home"))
    body = page.content.decode()
    assert '<html lang="lt">' in body
    assert "Lietuvos kriminalinės policijos biuras" in body
    assert "Atvejo vadybininkas" in body
    assert "Ką galite daryti" in body


def test_not_found_page_reveals_neither_path_nor_user():
    client = verified_client(persona("LT-LCPB", "caseworker"))
    first = client.get("/people/00000000-0000-0000-0000-000000000001/")
    second = client.get("/no/such/page/")
    assert first.status_code == second.status_code == 404
    assert first.content == second.content
    assert b"lt-lcpb" not in first.content.lower()
