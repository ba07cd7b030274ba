"""Stored estimation runs: what went in (the capture-history tables of linked persons, the list
definition, the settings, the seed, the code version) and what came out, per stratum. A finished
run never changes: it is the citable object the national report quotes by its reference."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiltas.core.models import BaseModel


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Stratification(models.TextChoices):
    NONE = "", _("No breakdown")
    SEX = "sex", _("By sex")
    AGE_GROUP = "age_group", _("Adults and children")
    EXPLOITATION = "exploitation", _("By form of exploitation")


class EstimationRun(BaseModel):
    # The citable name of the run, e.g. EST-2026-0007: sequential within a year.
    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200, blank=True)
    linkage_run = models.ForeignKey(
        "linkage.LinkageRun", on_delete=models.PROTECT, related_name="estimation_runs"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    # [{"code": ..., "name": ..., "organisation_types": [...], "organisations": [...]}, ...]
    list_definition = models.JSONField()
    stratify_by = models.CharField(
        max_length=20, choices=Stratification.choices, blank=True, default=""
    )
    method = models.CharField(max_length=20)
    threshold = models.FloatField()
    bootstrap = models.PositiveIntegerField(default=0)
    seed = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Tiltas, NumPy and SciPy versions: with the inputs and the seed they reproduce the figures.
    code_version = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="estimation_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(threshold__gte=0) & models.Q(threshold__lte=1),
                name="estimation_threshold_probability",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Outcome(models.TextChoices):
    ESTIMATE = "estimate", pgettext_lazy("outcome of an estimation", "Estimate")
    REFUSED = "refused", _("No estimate: the data cannot support one")


class EstimationStratum(models.Model):
    """One estimate of a run: the whole population ("all") or one group of a breakdown."""

    run = models.ForeignKey(EstimationRun, on_delete=models.CASCADE, related_name="strata")
    stratum = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField(default=0)
    # The input: {"lists": [codes], "rows": [[0/1 per list..., count], ...]}.
    capture_table = models.JSONField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    observed = models.PositiveIntegerField()
    estimate = models.FloatField(null=True, blank=True)
    dark_figure = models.FloatField(null=True, blank=True)
    interval_95_low = models.FloatField(null=True, blank=True)
    interval_95_high = models.FloatField(null=True, blank=True)
    interval_80_low = models.FloatField(null=True, blank=True)
    interval_80_high = models.FloatField(null=True, blank=True)
    interval_kind = models.CharField(max_length=10, blank=True)
    model = models.JSONField(default=list, blank=True)
    non_overlapping_pairs = models.JSONField(default=list, blank=True)
    # [{"code": ..., ...parameters}]: explained in plain words at display (explain.py).
    warnings = models.JSONField(default=list, blank=True)
    diagnostics = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "stratum"], name="estimation_stratum_once"),
            models.CheckConstraint(
                condition=models.Q(outcome="refused") | models.Q(estimate__isnull=False),
                name="estimation_stratum_estimate_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run.reference} {self.stratum}"
