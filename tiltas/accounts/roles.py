"""The roles a user can hold within their organisation, and what each may do.

This is data for the access policy (access.py); it names no domain model. Personal-data actions
apply only in organisations whose type records persons (see OrganisationType.records_persons).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")
    RAPPORTEUR = "rapporteur", _("Rapporteur (oversight, read-only)")


class Permission(models.TextChoices):
    PERSONAL_VIEW = "personal.view", "read personal records of the own organisation"
    PERSONAL_CREATE = "personal.create", "record new persons"
    PERSONAL_CHANGE = "personal.change", "edit personal records of the own organisation"
    PERSONAL_IMPORT = "personal.import", "import records on behalf of the own organisation"
    AGGREGATES_VIEW = "aggregates.view", "read aggregate, disclosure-controlled figures"
    AUDIT_VIEW = "audit.view", "browse the whole audit trail"
    ACCOUNTS_MANAGE = "accounts.manage", "manage the accounts of the own organisation"
    JOBS_VIEW = "jobs.view", "follow background jobs started in the own organisation"


PERSONAL_PERMISSIONS = frozenset(
    {
        Permission.PERSONAL_VIEW,
        Permission.PERSONAL_CREATE,
        Permission.PERSONAL_CHANGE,
        Permission.PERSONAL_IMPORT,
    }
)

# The whole audit trail shows who worked on which record in every organisation: it opens only to
# an organisation whose type oversees the system (OrganisationType.oversight).
OVERSIGHT_PERMISSIONS = frozenset({Permission.AUDIT_VIEW})

# Separation of duties: administrators manage accounts but do not read cases; analysts and the
# rapporteur see aggregates (and the rapporteur the audit trail), never identities.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset(
        {
            Permission.PERSONAL_VIEW,
            Permission.PERSONAL_CREATE,
            Permission.PERSONAL_CHANGE,
            Permission.JOBS_VIEW,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.PERSONAL_VIEW,
            Permission.PERSONAL_CREATE,
            Permission.PERSONAL_CHANGE,
            Permission.PERSONAL_IMPORT,
            Permission.AGGREGATES_VIEW,
            Permission.JOBS_VIEW,
        }
    ),
    Role.ANALYST: frozenset({Permission.AGGREGATES_VIEW}),
    Role.ADMINISTRATOR: frozenset({Permission.ACCOUNTS_MANAGE, Permission.JOBS_VIEW}),
    Role.RAPPORTEUR: frozenset({Permission.AGGREGATES_VIEW, Permission.AUDIT_VIEW}),
}
