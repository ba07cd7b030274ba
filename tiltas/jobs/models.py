"""Background jobs as the people who wait for them see them: what runs, for which organisation,
how far it got and how it ended. The work itself runs on django-tasks (see
docs/decisions/0002-background-jobs.md); this table only carries progress and outcome, so it
never holds personal data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiltas.accounts.models import Organisation
from tiltas.core.models import BaseModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


FINISHED_STATUSES = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED})

# Display names of the stage codes jobs report; an unknown code is shown as it is.
STAGE_LABELS = {
    "reading": _("Reading the file"),
    "validating": _("Checking rows"),
    "storing": _("Storing records"),
}


class Job(BaseModel):
    # What runs ("import", later "linkage", "estimation", "report"), and a human title without
    # personal data ("Import of person records").
    kind = models.CharField(max_length=40, db_index=True)
    title = models.CharField(max_length=200, blank=True)
    # The organisation on whose behalf the job runs: its staff may follow it.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, default="system")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # The current step ("validating", "storing"); done/total count that step's units.
    stage = models.CharField(max_length=40, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # Counts and codes only: never names, dates of birth or any other personal value.
    result = models.JSONField(default=dict, blank=True)
    error_message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The id django-tasks gave the queued work, to correlate with the worker's own records.
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="job_by_organisation")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=JobStatus.values), name="job_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(total=0) | models.Q(done__lte=models.F("total")),
                name="job_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"job {self.pk} ({self.kind}, {self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS.get(self.stage, self.stage))

    @property
    def percent(self) -> int:
        """Progress of the current stage, 0-100; a finished job that succeeded is at 100."""
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if self.total <= 0:
            return 0
        return min(100, (100 * self.done) // self.total)
