"""The country profile is data: Lithuania is loaded from its file, and a fictional country works
the same way, proving nothing Lithuanian is hard-coded."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tiltas.accounts.access import permissions_of
from tiltas.accounts.models import Organisation
from tiltas.accounts.roles import Permission
from tiltas.accounts.testing import persona
from tiltas.audit.services import actor_for_user
from tiltas.people.identity import PersonInput
from tiltas.people.selectors import PersonSearch, persons_search, persons_visible_to
from tiltas.people.services import person_create
from tiltas.reference.models import (
    CountryProfile,
    Language,
    LegalArticle,
    Municipality,
    OrganisationType,
)

FICTIONAL = Path(__file__).resolve().parents[1] / "fixtures" / "profile-fictional.json"

REQUIRED_TYPES = {
    "police",
    "prosecution",
    "court",
    "labour_inspectorate",
    "border_guard",
    "migration",
    "child_protection",
    "ngo_service_provider",
    "shelter",
    "hotline",
    "municipal_social_services",
    "ministry",
    "national_rapporteur",
    "statistics_office",
}


@pytest.mark.django_db
def test_lithuanian_profile_holds_the_whole_reference():
    out = StringIO()
    call_command("load_profile", "lt", stdout=out)
    call_command("load_profile", "lt", stdout=StringIO())  # idempotent
    assert CountryProfile.objects.get().currency == "EUR"
    assert set(Language.objects.values_list("code", flat=True)) == {"lt", "en", "uk", "ru"}
    assert set(OrganisationType.objects.values_list("code", flat=True)) >= REQUIRED_TYPES
    assert Municipality.objects.count() == 60
    assert Municipality.objects.filter(area_class="urban").count() == 8
    assert Municipality.objects.get(code="LT-57").name == "Vilniaus miesto savivaldybė"
    assert set(LegalArticle.objects.values_list("code", flat=True)) == {
        "147",
        "147-1",
        "147-2",
        "157",
    }
    assert LegalArticle.objects.get(code="147").title == "Trafficking in human beings"
    named_in_report = {"LT-LCPB", "LT-GPO", "LT-SLI", "LT-SBGS", "LT-MIGD", "LT-CPS", "LT-MOI"}
    assert named_in_report <= set(Organisation.objects.values_list("code", flat=True))
    every_type_has_an_organisation = set(Organisation.objects.values_list("type__code", flat=True))
    assert every_type_has_an_organisation >= REQUIRED_TYPES


@pytest.mark.django_db
def test_organisations_command_prints_code_type_and_name():
    call_command("load_profile", "lt", stdout=StringIO())
    out = StringIO()
    call_command("organisations", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == Organisation.objects.count()
    assert "LT-SLI\tlabour_inspectorate\tState Labour Inspectorate" in lines


@pytest.mark.django_db
def test_a_fictional_country_works_without_anything_lithuanian():
    call_command("load_profile", str(FICTIONAL), stdout=StringIO())
    assert CountryProfile.objects.get().code == "FD"
    out = StringIO()
    call_command("organisations", stdout=out)
    assert out.getvalue().splitlines() == [
        "FD-GEN\tgendarmerie\tNational Gendarmerie",
        "FD-OMB\tombudsman\tOffice of the Ombudsman",
        "FD-RELIEF\trelief_society\tHill Relief Society",
    ]
    gendarme = persona("FD-GEN", "caseworker")
    relief = persona("FD-RELIEF", "supervisor")
    ombudsman = persona("FD-OMB", "caseworker")
    person = person_create(
        actor=actor_for_user(gendarme, channel="web"),
        owner=gendarme.organisation,
        data=PersonInput(given_name="Rufus", family_name="Firefly", citizenships=["FRA"]),
    )
    assert list(persons_search(user=gendarme, search=PersonSearch(name="firefly"))) == [person]
    assert list(persons_visible_to(relief)) == []
    # The ombudsman's type records no persons, whatever the role: the flag decides, not a name.
    assert Permission.PERSONAL_VIEW not in permissions_of(ombudsman)
    assert list(persons_visible_to(ombudsman)) == []


@pytest.mark.django_db
def test_a_broken_profile_is_refused_with_its_problem():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("load_profile", "/nonexistent/profile.json", stdout=StringIO())
