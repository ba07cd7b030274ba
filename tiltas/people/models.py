"""Persons of concern: potential and identified victims, owned by the organisation that recorded
them. Identifying fields live only inside `identity_ciphertext` (AES-256-GCM, bound to this record);
what stays in clear is what statistics need and cannot identify a person alone."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiltas.accounts.models import Organisation
from tiltas.core.models import BaseModel


class VictimStatus(models.TextChoices):
    POTENTIAL = "potential", _("Potential victim")
    PRESUMED = "presumed", _("Presumed victim")
    IDENTIFIED = "identified", _("Identified victim")
    NOT_IDENTIFIED = "not_identified", _("Not identified as a victim")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")
    UNKNOWN = "", _("Unknown")


class ExploitationForm(models.TextChoices):
    """The forms of exploitation of the national and international statistics (Eurostat, UNODC
    GLOTIP, GRETA, the TIP report). "Not known" is no code: it is an empty list."""

    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Forced labour or services")
    CRIMINAL = "criminal", _("Forced criminal activity")
    BEGGING = "begging", _("Forced begging")
    MARRIAGE = "marriage", _("Forced or sham marriage")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    OTHER = "other", _("Other form of exploitation")


class Person(BaseModel):
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # When the owner first recorded the person: the reference date of per-agency counts.
    recorded_on = models.DateField(default=timezone.localdate, db_index=True)
    status = models.CharField(
        max_length=20, choices=VictimStatus.choices, default=VictimStatus.POTENTIAL
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, default="")
    # The year alone (exact or estimated) stays in clear for age breakdowns; the full date of
    # birth is encrypted with the identity.
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_year_estimated = models.BooleanField(default=False)
    citizenships = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    # Codes of ExploitationForm (a person may suffer several); empty while not known. In clear:
    # every breakdown of victims needs it, and it identifies nobody alone.
    exploitation_forms = models.JSONField(default=list, blank=True)
    # The owner's own stable id for the record, which makes re-imports idempotent.
    # NULL (not "") when absent, so the unique constraint ignores records without one.
    external_id = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    identity_ciphertext = models.TextField()
    # Optimistic locking: every update must name the version it started from (RL-01).
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "external_id"], name="person_external_id_unique_per_owner"
            ),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__gte=1900, birth_year__lte=2100),
                name="person_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"person {self.pk}"

    def exploitation_form_labels(self) -> list[str]:
        """The recorded forms of exploitation in words, in the order of the standard list."""
        return [str(ExploitationForm(code).label) for code in self.exploitation_forms]

    def identity_associated_data(self) -> str:
        return f"people.person:{self.pk}:identity"


class SearchTokenKind(models.TextChoices):
    NAME = "name", "name token"
    DATE_OF_BIRTH = "dob", "date of birth"
    DOCUMENT = "doc", "document number"


class PersonSearchToken(models.Model):
    """A keyed blind index entry: HMAC of one normalised value, so look-ups never decrypt."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_tokens")
    kind = models.CharField(max_length=4, choices=SearchTokenKind.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["kind", "digest"], name="person_token_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "digest"], name="person_token_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} token"
