"""One import of one file: which kind, whether a dry run, how it ended. The uploaded file and the
error list can hold personal values, so both are kept only sealed (AES-256-GCM, bound to this
record); the upload is wiped once the job has read it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiltas.core.models import BaseModel
from tiltas.jobs.models import Job


class ImportOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting to run")
    STORED = "stored", _("Stored")
    VALID = "valid", _("Valid (dry run, nothing stored)")
    REFUSED = "refused", _("Refused (nothing stored)")
    FAILED = "failed", _("Stopped on an unexpected error (nothing stored)")


class ImportRun(BaseModel):
    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="import_run")
    kind = models.CharField(max_length=40)
    dry_run = models.BooleanField(default=False)
    file_format = models.CharField(max_length=10, blank=True)
    outcome = models.CharField(
        max_length=10, choices=ImportOutcome.choices, default=ImportOutcome.PENDING
    )
    rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # Sealed JSON {"content": base64}; sealed {} once read.
    upload_ciphertext = models.TextField()
    # Sealed JSON {"errors": [{"row", "column", "code", "message"}, ...]}.
    errors_ciphertext = models.TextField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=ImportOutcome.values),
                name="import_run_outcome_known",
            )
        ]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.kind}, {self.outcome})"

    def upload_associated_data(self) -> str:
        return f"exchange.importrun:{self.pk}:upload"

    def errors_associated_data(self) -> str:
        return f"exchange.importrun:{self.pk}:errors"
