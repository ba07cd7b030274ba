"""`tiltas demo` against a real database: what it writes, what it refuses, the demo accounts."""

import csv
import io
import uuid
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import BaseCommand
from django.test import override_settings
from django.urls import reverse

from tiltas.accounts.access import has_permission
from tiltas.accounts.models import Organisation, User
from tiltas.accounts.roles import Permission
from tiltas.accounts.services import user_create
from tiltas.accounts.testing import TEST_PASSWORD
from tiltas.audit.models import AuditEntry
from tiltas.audit.services import system_actor
from tiltas.demo.accounts import DEMO_PASSWORD, demo_accounts_plan
from tiltas.demo.management.commands.demo import Command
from tiltas.people.identity import PersonInput
from tiltas.people.models import Person, PersonSearchToken
from tiltas.people.selectors import person_identity
from tiltas.people.services import person_create

pytestmark = pytest.mark.usefixtures("lt_profile")

TODAY = "2026-06-30"
PERSONS = 200


def _one_person():
    person_create(
        actor=system_actor(organisation_code="LT-PD"),
        owner=Organisation.objects.get(code="LT-PD"),
        data=PersonInput(family_name="Jonaitis"),
    )


def _demo(tmp_path, *extra, persons=PERSONS, seed=1, truth_name="truth.csv"):
    out = io.StringIO()
    call_command(
        "demo",
        f"--persons={persons}",
        f"--seed={seed}",
        f"--today={TODAY}",
        f"--truth={tmp_path / truth_name}",
        "--no-linkage",  # linked once, in test_the_demo_ends_with_a_linkage_run
        *extra,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def _truth(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _identities_by_case():
    """Decrypted identity and clear fields of every record, keyed by owner and case number."""
    result = {}
    for person in Person.objects.select_related("owner"):
        identity = person_identity(person)
        result[(person.owner.code, person.external_id)] = (
            identity,
            person.status,
            person.sex,
            person.birth_year,
            person.citizenships,
            person.languages,
            person.recorded_on,
        )
    return result


def _without_record_ids(rows):
    return [{key: value for key, value in row.items() if key != "record_id"} for row in rows]


def test_writes_persons_records_and_a_truth_row_per_record(tmp_path):
    output = _demo(tmp_path)
    rows = _truth(tmp_path / "truth.csv")
    assert len(rows) == Person.objects.count()
    assert {row["record_id"] for row in rows} == {
        str(pk) for pk in Person.objects.values_list("pk", flat=True)
    }
    assert len({row["person_id"] for row in rows}) == PERSONS
    assert {row["name_origin"] for row in rows} <= {"lt", "uk", "ru", "en", "other"}
    owners = dict(Person.objects.values_list("pk", "owner__code"))
    assert all(owners[uuid.UUID(row["record_id"])] == row["source"] for row in rows)
    assert PersonSearchToken.objects.exists()
    assert f"{PERSONS} persons" in output
    assert "demo-police-caseworker" in output


def test_records_name_the_true_forms_of_exploitation_or_none_as_the_truth_says(tmp_path):
    _demo(tmp_path)
    stored = {
        str(pk): forms for pk, forms in Person.objects.values_list("pk", "exploitation_forms")
    }
    by_person: dict[str, set[str]] = {}
    for row in _truth(tmp_path / "truth.csv"):
        truth = row["exploitation_forms"].split(";")
        missing = "missing_exploitation_forms" in row["variations"].split(";")
        assert stored[row["record_id"]] == ([] if missing else truth)
        by_person.setdefault(row["person_id"], set()).add(row["exploitation_forms"])
    assert all(len(forms) == 1 for forms in by_person.values())
    assert any(stored.values()) and not all(stored.values())


def test_only_organisations_that_record_persons_get_records(tmp_path):
    _demo(tmp_path)
    owner_types = set(Person.objects.values_list("owner__type__records_persons", flat=True))
    assert owner_types == {True}
    assert not Person.objects.filter(owner__code__in=["LT-MOI", "LT-NR", "LT-VDA"]).exists()


def test_same_seed_gives_the_same_truth_and_identities_and_another_seed_differs(tmp_path):
    _demo(tmp_path, truth_name="first.csv")
    first_truth, first_people = _truth(tmp_path / "first.csv"), _identities_by_case()
    _demo(tmp_path, "--replace", truth_name="again.csv")
    again_truth, again_people = _truth(tmp_path / "again.csv"), _identities_by_case()
    # Record ids derive from the seeded case numbers: the truth file is the same, byte for byte.
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "first.csv").read_bytes()
    assert again_truth == first_truth
    assert again_people == first_people
    _demo(tmp_path, "--replace", seed=2, truth_name="other.csv")
    assert _without_record_ids(_truth(tmp_path / "other.csv")) != _without_record_ids(first_truth)
    assert _identities_by_case() != first_people


def test_records_span_the_three_previous_years_and_this_year_to_date(tmp_path):
    _demo(tmp_path)
    years = set(Person.objects.values_list("recorded_on__year", flat=True))
    assert years == {2023, 2024, 2025, 2026}
    assert Person.objects.filter(recorded_on__gt=date.fromisoformat(TODAY)).count() == 0


def test_a_database_with_persons_is_refused_without_replace(tmp_path):
    _demo(tmp_path, persons=20)
    before = Person.objects.count()
    with pytest.raises(CommandError, match="--replace"):
        _demo(tmp_path, persons=20, truth_name="second.csv")
    assert Person.objects.count() == before
    assert not (tmp_path / "second.csv").exists()


def test_the_refusal_exits_non_zero_with_a_clear_message(tmp_path, capsys):
    _one_person()
    command = Command()
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(
            ["tiltas", "demo", "--persons=20", f"--today={TODAY}", f"--truth={tmp_path / 'x'}"]
        )
    assert exited.value.code != 0
    assert "already holds person records" in capsys.readouterr().err


def test_replace_deletes_persons_and_tokens_but_keeps_the_audit_trail(tmp_path):
    _demo(tmp_path, persons=40)
    old_ids = set(Person.objects.values_list("pk", flat=True))
    audit_before = AuditEntry.objects.count()
    output = _demo(tmp_path, "--replace", persons=30, seed=3)
    assert not Person.objects.filter(pk__in=old_ids).exists()
    assert not PersonSearchToken.objects.filter(person_id__in=old_ids).exists()
    assert AuditEntry.objects.count() > audit_before
    deletions = AuditEntry.objects.filter(action="delete", object_type="people.person")
    assert set(deletions.values_list("object_id", flat=True)) == {str(pk) for pk in old_ids}
    assert "Deleted" in output
    assert len({row["person_id"] for row in _truth(tmp_path / "truth.csv")}) == 30


def test_if_empty_keeps_existing_persons_and_still_prints_the_logins(tmp_path):
    _one_person()
    ids = set(Person.objects.values_list("pk", flat=True))
    output = _demo(tmp_path, "--if-empty", persons=50, truth_name="kept.csv")
    assert set(Person.objects.values_list("pk", flat=True)) == ids
    assert "kept them" in output
    assert "demo-ngo-caseworker" in output


def test_a_date_after_the_real_today_is_refused(tmp_path):
    with pytest.raises(CommandError, match="today"):
        call_command("demo", "--persons=5", "--today=2999-01-01", stdout=io.StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("demo", "--persons=5", "--today=30.06.2026", stdout=io.StringIO())
    assert not Person.objects.exists()


@override_settings(PRODUCTION=True)
def test_production_refuses_the_demo(tmp_path):
    with pytest.raises(CommandError, match="production"):
        _demo(tmp_path, persons=5)
    assert not User.objects.filter(is_demo=True).exists()


def test_demo_accounts_one_per_type_and_role(tmp_path):
    _demo(tmp_path, persons=5)
    demo_users = {u.username: u for u in User.objects.filter(is_demo=True)}
    assert set(demo_users) == {account.username for account in demo_accounts_plan()}
    expected = {
        "demo-police-caseworker": ("LT-LCPB", {"caseworker"}),
        "demo-police-supervisor": ("LT-LCPB", {"supervisor"}),
        "demo-ngo-caseworker": ("LT-NGO-CARITAS", {"caseworker"}),
        "demo-ministry-analyst": ("LT-ATCC", {"analyst"}),
        "demo-statistics-analyst": ("LT-VDA", {"analyst"}),
        "demo-rapporteur-rapporteur": ("LT-NR", {"rapporteur"}),
        "demo-other-administrator": ("LT-NSA", {"administrator"}),
    }
    for username, (organisation, roles) in expected.items():
        user = demo_users[username]
        assert user.organisation.code == organisation
        assert set(user.role_codes()) == roles
    assert demo_users["demo-police-caseworker"].check_password(DEMO_PASSWORD)
    assert len({user.password for user in demo_users.values()}) == 1
    types = set(Organisation.objects.values_list("type__code", flat=True))
    administrators = {
        u.organisation.type.code for u in demo_users.values() if "administrator" in u.role_codes()
    }
    assert administrators == types
    # No caseworker where persons are not recorded, no analyst where they are.
    assert "demo-ministry-caseworker" not in demo_users
    assert "demo-police-analyst" not in demo_users
    assert not has_permission(demo_users["demo-ministry-analyst"], Permission.PERSONAL_VIEW)
    assert has_permission(demo_users["demo-police-caseworker"], Permission.PERSONAL_VIEW)
    assert len(DEMO_PASSWORD) >= 15


def test_a_printed_demo_login_opens_tiltas_without_a_second_factor(tmp_path, client):
    output = _demo(tmp_path, persons=5)
    assert DEMO_PASSWORD in output
    response = client.post(
        reverse("accounts:login"),
        {"username": "demo-ngo-caseworker", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200


def test_demo_accounts_are_recreated_idempotently(tmp_path):
    _demo(tmp_path, persons=5)
    user = User.objects.get(username="demo-police-caseworker")
    user.set_password("something else entirely 123")
    user.is_active = False
    user.save()
    _demo(tmp_path, "--replace", persons=5)
    again = User.objects.get(username="demo-police-caseworker")
    assert again.pk == user.pk
    assert again.is_active
    assert again.check_password(DEMO_PASSWORD)
    assert User.objects.filter(is_demo=True).count() == len(demo_accounts_plan())


def test_a_real_account_with_a_demo_username_is_never_touched(tmp_path):
    real = user_create(
        username="demo-police-caseworker",
        organisation=Organisation.objects.get(code="LT-PD"),
        roles=["supervisor"],
        password=TEST_PASSWORD,
    )
    with pytest.raises(CommandError, match="demo-police-caseworker"):
        _demo(tmp_path, persons=5)
    real.refresh_from_db()
    assert not real.is_demo
    assert real.organisation.code == "LT-PD"
    assert real.check_password(TEST_PASSWORD)


def test_help_says_persons_are_individuals_not_records():
    parser = BaseCommand.create_parser(Command(), "tiltas", "demo")
    assert "individuals (not records" in parser.format_help()
