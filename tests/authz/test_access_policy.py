"""The generic access policy: organisation type flags and roles decide, nothing else."""

import pytest
from django.http import Http404

from tiltas.accounts.access import get_scoped_or_404, permissions_of, scope_to_owner
from tiltas.accounts.models import Organisation
from tiltas.accounts.roles import Permission
from tiltas.accounts.testing import persona
from tiltas.audit.services import actor_for_user
from tiltas.people.identity import PersonInput
from tiltas.people.models import Person
from tiltas.people.services import person_create

pytestmark = pytest.mark.usefixtures("lt_profile")


def test_caseworker_reads_and_edits_only_their_own_organisations_records():
    police = persona("LT-LCPB", "caseworker")
    ngo = persona("LT-NGO-CARITAS", "caseworker")
    person = person_create(
        actor=actor_for_user(police, channel="web"),
        owner=police.organisation,
        data=PersonInput(family_name="Jonaitis"),
    )
    everyone = Person.objects.all()
    assert list(scope_to_owner(police, everyone, permission=Permission.PERSONAL_VIEW)) == [person]
    assert list(scope_to_owner(ngo, everyone, permission=Permission.PERSONAL_VIEW)) == []
    with pytest.raises(Http404):
        get_scoped_or_404(ngo, everyone, permission=Permission.PERSONAL_VIEW, pk=person.pk)
    with pytest.raises(Http404):
        get_scoped_or_404(police, everyone, permission=Permission.PERSONAL_VIEW, pk="not-a-uuid")


@pytest.mark.parametrize("role", ["analyst", "administrator", "rapporteur"])
def test_roles_without_casework_see_no_personal_records(role):
    user = persona("LT-LCPB", role)
    assert not permissions_of(user) & {
        Permission.PERSONAL_VIEW,
        Permission.PERSONAL_CREATE,
        Permission.PERSONAL_CHANGE,
    }


@pytest.mark.parametrize("code", ["LT-MOI", "LT-VDA", "LT-NR"])
def test_organisations_that_record_no_persons_never_get_personal_permissions(code):
    user = persona(code, "caseworker", "supervisor")
    assert Permission.PERSONAL_VIEW not in permissions_of(user)
    assert Permission.PERSONAL_IMPORT not in permissions_of(user)


def test_only_the_oversight_organisation_opens_the_audit_trail():
    assert Permission.AUDIT_VIEW in permissions_of(persona("LT-NR", "rapporteur"))
    assert Permission.AUDIT_VIEW not in permissions_of(persona("LT-LCPB", "rapporteur"))
    assert Permission.AUDIT_VIEW not in permissions_of(persona("LT-MOI", "rapporteur"))


def test_a_deactivated_user_or_organisation_loses_everything_at_once():
    user = persona("LT-LCPB", "supervisor")
    assert permissions_of(user)
    Organisation.objects.filter(pk=user.organisation_id).update(is_active=False)
    user.organisation.refresh_from_db()
    assert permissions_of(user) == frozenset()
    user.organisation.is_active = True
    user.is_active = False
    assert permissions_of(user) == frozenset()
