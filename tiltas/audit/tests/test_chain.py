"""AU-02, AU-03, AU-04: audit entries commit with their change, the table is append-only, and
any edit, deletion, insertion, reordering or cut of the chain is detected."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tiltas.accounts.testing import persona
from tiltas.audit.chain import HASHED_FIELDS, checkpoint_read, entry_digest
from tiltas.audit.models import AuditEntry, AuditHead
from tiltas.audit.services import AuditEvent, actor_for_user, audit_record, system_actor
from tiltas.audit.verify import audit_chain_verify
from tiltas.people.identity import PersonInput
from tiltas.people.models import Person
from tiltas.people.services import person_create

pytestmark = pytest.mark.usefixtures("lt_profile")


def _write_chain(length: int, django_capture_on_commit_callbacks) -> None:
    actor = system_actor(organisation_code="LT-LCPB", channel="cli")
    for number in range(length):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            audit_record(
                actor=actor,
                event=AuditEvent(
                    "read", "people.person", f"id-{number}", "test", detail={"n": number}
                ),
            )


def _bypass_append_only_guard() -> None:
    """A database superuser can switch triggers off; the verifier must still catch them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")


def test_untouched_chain_verifies_and_the_command_says_ok(django_capture_on_commit_callbacks):
    _write_chain(12, django_capture_on_commit_callbacks)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "OK 12 entries"
    checkpoint = checkpoint_read()
    assert checkpoint is not None
    assert checkpoint["sequence"] == 12


def test_verify_command_names_the_first_bad_entry_and_exits_1(django_capture_on_commit_callbacks):
    _write_chain(5, django_capture_on_commit_callbacks)
    with transaction.atomic():
        _bypass_append_only_guard()
        AuditEntry.objects.filter(sequence=3).update(object_id="forged")
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify", stderr=err)
    assert exited.value.code == 1
    assert "#3" in err.getvalue()


def _mutate(kind: str, rng: random.Random, length: int) -> int:
    """Apply one tampering as a superuser would; return the first sequence it breaks."""
    target = rng.randint(1, length)
    if kind == "edit":
        field = rng.choice(["actor_username", "object_id", "purpose", "action", "detail"])
        value = {"tampered": True} if field == "detail" else "tampered"
        AuditEntry.objects.filter(sequence=target).update(**{field: value})
        return target
    if kind == "delete":
        AuditEntry.objects.filter(sequence=target).delete()
        return target
    if kind == "cut":
        AuditEntry.objects.filter(sequence__gte=target).delete()
        AuditHead.objects.filter(pk=1).update(
            sequence=target - 1,
            entry_hash=(
                AuditEntry.objects.get(sequence=target - 1).entry_hash if target > 1 else "0" * 64
            ),
        )
        return target
    if kind == "swap" and length >= 2:
        first = rng.randint(1, length - 1)
        a, b = AuditEntry.objects.get(sequence=first), AuditEntry.objects.get(sequence=first + 1)
        AuditEntry.objects.filter(pk=a.pk).update(sequence=10**9)
        AuditEntry.objects.filter(pk=b.pk).update(sequence=first)
        AuditEntry.objects.filter(pk=a.pk).update(sequence=first + 1)
        return first
    # "insert" / "rewrite": a forged entry with a correct-looking hash, and every later entry
    # and the head recomputed, as an attacker who knows the algorithm would do.
    last = AuditEntry.objects.get(sequence=length)
    fields = {name: getattr(last, name) for name in HASHED_FIELDS}
    fields["sequence"] = length + 1
    fields["object_id"] = "forged"
    forged_hash = entry_digest(last.entry_hash, fields)
    AuditEntry.objects.create(previous_hash=last.entry_hash, entry_hash=forged_hash, **fields)
    AuditHead.objects.filter(pk=1).update(sequence=length + 1, entry_hash=forged_hash)
    return length + 1


@pytest.mark.parametrize("kind", ["edit", "delete", "cut", "swap", "insert"])
def test_tampering_is_always_detected(kind, django_capture_on_commit_callbacks):
    length = 15
    _write_chain(length, django_capture_on_commit_callbacks)
    rng = random.Random(f"tamper-{kind}")
    for _round in range(40):
        with transaction.atomic():
            _bypass_append_only_guard()
            _mutate(kind, rng, length)
            result = audit_chain_verify()
            assert not result.ok, kind
            assert result.problem
            transaction.set_rollback(True)
    assert audit_chain_verify().ok


def test_a_full_rewrite_is_caught_by_the_external_checkpoint(django_capture_on_commit_callbacks):
    _write_chain(6, django_capture_on_commit_callbacks)
    with transaction.atomic():
        _bypass_append_only_guard()
        previous = AuditEntry.objects.get(sequence=2).entry_hash
        for entry in AuditEntry.objects.filter(sequence__gte=3).order_by("sequence"):
            fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
            if entry.sequence == 3:
                fields["object_id"] = "forged"
            new_hash = entry_digest(previous, fields)
            AuditEntry.objects.filter(pk=entry.pk).update(
                object_id=fields["object_id"], previous_hash=previous, entry_hash=new_hash
            )
            previous = new_hash
        AuditHead.objects.filter(pk=1).update(entry_hash=previous)
        result = audit_chain_verify()
    assert not result.ok
    assert "checkpoint" in result.problem


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers: PostgreSQL")
def test_the_application_cannot_update_or_delete_audit_entries():
    _write = system_actor(channel="cli")
    with transaction.atomic():
        audit_record(actor=_write, event=AuditEvent("read"))
    for operation in (
        lambda: AuditEntry.objects.update(purpose="x"),
        lambda: AuditEntry.objects.all().delete(),
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            operation()


def test_a_failing_audit_write_rolls_back_the_change():
    officer = persona("LT-LCPB", "caseworker")
    # A row squatting the next sequence number makes the audit insert fail inside the
    # transaction, as a real database fault would.
    head, _ = AuditHead.objects.get_or_create(pk=1)
    AuditEntry.objects.create(
        sequence=head.sequence + 1,
        occurred_at=timezone.now(),
        channel="system",
        action="squat",
        previous_hash="0" * 64,
        entry_hash="0" * 64,
    )
    with pytest.raises(IntegrityError):
        person_create(
            actor=actor_for_user(officer, channel="web"),
            owner=officer.organisation,
            data=PersonInput(family_name="Jonaitis"),
        )
    assert Person.objects.count() == 0


def test_a_failure_after_the_write_rolls_back_its_audit_entry():
    officer = persona("LT-LCPB", "caseworker")
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        person_create(
            actor=actor_for_user(officer, channel="web"),
            owner=officer.organisation,
            data=PersonInput(family_name="Jonaitis"),
        )
        raise RuntimeError("a later step of the same operation fails")
    assert Person.objects.count() == 0
    assert AuditEntry.objects.count() == before
