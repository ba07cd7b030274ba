"""Demo accounts: one per organisation type and role, so every screen can be tried at once.

They are marked `is_demo` (no second factor; production refuses to start while any exists) and
share one published password. Re-running recreates them idempotently; an existing account that is
not a demo account is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from tiltas.accounts.models import Organisation, User, UserRole
from tiltas.accounts.roles import Role
from tiltas.audit.models import Channel
from tiltas.audit.services import AuditEvent, audit_record_many, system_actor
from tiltas.demo.services import DemoRefusedError

# Published in the README and printed by `tiltas demo`: demo data only, never real persons.
DEMO_PASSWORD = "Bridge of 7 rivers, 2941"  # noqa: S105 - public demo credential
USERNAME_PREFIX = "demo"
OBJECT_TYPE = "accounts.user"

# Short, readable usernames for the common types; other types use their code.
TYPE_SLUGS = {
    "ngo_service_provider": "ngo",
    "labour_inspectorate": "labour",
    "border_guard": "border",
    "child_protection": "child",
    "municipal_social_services": "social",
    "national_rapporteur": "rapporteur",
    "statistics_office": "statistics",
    "other_public_body": "other",
}
# Types without personal data: which roles make sense there besides the administrator.
NON_RECORDING_ROLES = {
    "ministry": (Role.ANALYST,),
    "statistics_office": (Role.ANALYST,),
    "national_rapporteur": (Role.RAPPORTEUR,),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    organisation_code: str
    type_code: str
    roles: tuple[str, ...]


def demo_roles(*, type_code: str, records_persons: bool) -> tuple[str, ...]:
    """The roles one demo account each is made for in an organisation of this type."""
    if records_persons:
        return (Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR)
    return (*NON_RECORDING_ROLES.get(type_code, ()), Role.ADMINISTRATOR)


def demo_username(*, type_code: str, role: str) -> str:
    slug = TYPE_SLUGS.get(type_code, type_code.replace("_", "-"))
    return f"{USERNAME_PREFIX}-{slug}-{role}"


def demo_accounts_plan() -> list[DemoAccount]:
    """One account per (organisation type present, role), in the first active organisation of
    that type by code."""
    plan: list[DemoAccount] = []
    seen_types: set[str] = set()
    for organisation in (
        Organisation.objects.filter(is_active=True).select_related("type").order_by("code")
    ):
        type_code = organisation.type.code
        if type_code in seen_types:
            continue
        seen_types.add(type_code)
        for role in demo_roles(
            type_code=type_code, records_persons=organisation.type.records_persons
        ):
            plan.append(
                DemoAccount(
                    username=demo_username(type_code=type_code, role=role),
                    organisation_code=organisation.code,
                    type_code=type_code,
                    roles=(role,),
                )
            )
    return sorted(plan, key=lambda account: (account.type_code, account.username))


@transaction.atomic
def demo_accounts_ensure() -> list[DemoAccount]:
    """Create or reset every planned demo account (organisation, role, password, active)."""
    plan = demo_accounts_plan()
    if not plan:
        return []
    # One hash for all: Argon2 at production strength takes most of a second per hash, and the
    # password is public anyway.
    password_hash = make_password(DEMO_PASSWORD)
    organisations = {
        o.code: o for o in Organisation.objects.filter(code__in={a.organisation_code for a in plan})
    }
    existing = {u.username: u for u in User.objects.filter(username__in=[a.username for a in plan])}
    not_demo = sorted(name for name, user in existing.items() if not user.is_demo)
    if not_demo:
        raise DemoRefusedError(
            _("These usernames belong to real accounts, which the demo never changes: %(names)s")
            % {"names": ", ".join(not_demo)}
        )
    events = []
    for account in plan:
        user = existing.get(account.username) or User(username=account.username, is_demo=True)
        action = "update" if account.username in existing else "create"
        user.organisation = organisations[account.organisation_code]
        user.is_active = True
        user.is_demo = True
        validate_password(DEMO_PASSWORD, user)
        user.password = password_hash
        user.full_clean()
        user.save()
        UserRole.objects.filter(user=user).exclude(role__in=account.roles).delete()
        for role in account.roles:
            UserRole.objects.get_or_create(user=user, role=role)
        events.append(
            AuditEvent(action, OBJECT_TYPE, str(user.pk), "demo accounts", detail={"demo": True})
        )
    audit_record_many(actor=system_actor(channel=Channel.SYSTEM), events=events)
    return plan
