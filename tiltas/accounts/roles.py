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
    ESTIMATION_RUN = "estimation.run", "estimate the hidden number of victims from linked lists"
    LINKAGE_VIEW = "linkage.view", "read linkage runs, their figures and quality summaries"
    LINKAGE_RUN = "linkage.run", "start linkage runs over every organisation's records"
    LINKAGE_REVIEW = "linkage.review", "decide uncertain pairs of any organisation, masked"
    LINKAGE_REVIEW_OWN = (
        "linkage.review_own",
        "decide uncertain pairs that touch a record of the own organisation",
    )
    LINKAGE_LINKS_VIEW = (
        "linkage.links_view",
        "see on a person's page which other records are linked to it",
    )


PERSONAL_PERMISSIONS = frozenset(
    {
        Permission.PERSONAL_VIEW,
        Permission.PERSONAL_CREATE,
        Permission.PERSONAL_CHANGE,
        Permission.PERSONAL_IMPORT,
        Permission.LINKAGE_REVIEW_OWN,
        Permission.LINKAGE_LINKS_VIEW,
    }
)

# The whole audit trail shows who worked on which record in every organisation: it opens only to
# an organisation whose type oversees the system (OrganisationType.oversight).
OVERSIGHT_PERMISSIONS = frozenset({Permission.AUDIT_VIEW})

# Separation of duties: administrators manage accounts but do not read cases; analysts and the
# rapporteur see aggregates (and the rapporteur the audit trail), never identities.
#
# Linkage (the policy itself is generic, in access.py; these lines only say who holds what):
# - Analysts run linkage and read its figures and quality summaries: counts, histograms and
#   cluster sizes carry no identity. The rapporteur reads them too, to oversee data quality.
# - Analysts review every uncertain pair, but masked: which fields agree and how strongly, the
#   probability and the organisation type of each side, never a name or a date.
# - Supervisors of organisations that record persons review only the pairs that touch their own
#   organisation's records. They already may read those records (and that read is audited as
#   any other); the other side stays masked. Nobody sees another organisation's identities.
# - Caseworkers and supervisors see on their own person's page how many other records are
#   linked to it (by organisation type, where that type shares identities), to coordinate.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset(
        {
            Permission.PERSONAL_VIEW,
            Permission.PERSONAL_CREATE,
            Permission.PERSONAL_CHANGE,
            Permission.JOBS_VIEW,
            Permission.LINKAGE_LINKS_VIEW,
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
            Permission.LINKAGE_REVIEW_OWN,
            Permission.LINKAGE_LINKS_VIEW,
        }
    ),
    # Estimation reads only counts of linked persons per combination of lists, never an
    # identity: it is an analyst's tool. Its results are aggregates that everyone with
    # AGGREGATES_VIEW (the rapporteur included) may read and cite.
    Role.ANALYST: frozenset(
        {
            Permission.AGGREGATES_VIEW,
            Permission.ESTIMATION_RUN,
            Permission.LINKAGE_VIEW,
            Permission.LINKAGE_RUN,
            Permission.LINKAGE_REVIEW,
        }
    ),
    Role.ADMINISTRATOR: frozenset({Permission.ACCOUNTS_MANAGE, Permission.JOBS_VIEW}),
    Role.RAPPORTEUR: frozenset(
        {Permission.AGGREGATES_VIEW, Permission.AUDIT_VIEW, Permission.LINKAGE_VIEW}
    ),
}
