"""Linkage runs and what they produce: a distinct-person id for every person record, the pairs a
reviewer should look at, and reviewers' decisions, which every later run obeys.

No identity is stored here: a run keeps record ids, cluster ids, probabilities and the masked
field-by-field evidence (which fields agree and how strongly), never a name or a date."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiltas.core.models import BaseModel
from tiltas.jobs.models import Job
from tiltas.people.models import Person


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RunKind(models.TextChoices):
    FULL = "full", _("Full (every record linked afresh)")
    INCREMENTAL = "incremental", _("Incremental (new records against the current clusters)")


class LinkageRun(BaseModel):
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    kind = models.CharField(max_length=12, choices=RunKind.choices, default=RunKind.FULL)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.OneToOneField(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="linkage_run"
    )
    # The run whose distinct-person ids this one carried over (and, for an incremental run,
    # whose clusters and trained model it extended).
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What reproduces the run: the engine settings, the Splink and Tiltas versions, the trained
    # model (an incremental run scores new records with it instead of retraining).
    settings = models.JSONField(default=dict, blank=True)
    splink_version = models.CharField(max_length=40, blank=True)
    code_version = models.CharField(max_length=40, blank=True)
    model = models.JSONField(default=dict, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    person_count = models.PositiveIntegerField(default=0)
    # The highest number of a distinct-person id (DP-000123 -> 123) issued up to this run, so
    # that a new id never repeats a retired one.
    last_distinct_person_number = models.PositiveIntegerField(default=0)
    # quality_summary of the engine: counts, histograms and unusual clusters, no identity.
    quality = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Why a run failed, without personal values (the server log has the details).
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values), name="linkage_run_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=RunKind.values), name="linkage_run_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"linkage run {self.pk} ({self.kind}, {self.status})"


class LinkedRecord(models.Model):
    """One person record in one run, with the distinct person it belongs to."""

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="records")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # Stable across runs while the evidence does not change, e.g. "DP-000123".
    distinct_person_id = models.CharField(max_length=20, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="linked_record_once_per_run")
        ]
        indexes = [
            models.Index(fields=["run", "distinct_person_id"], name="linked_record_by_cluster")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} -> {self.distinct_person_id}"


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    DECIDED = "decided", _("Decided")
    SUPERSEDED = "superseded", _("Replaced by a later run")


def _pair_in_canonical_order(prefix: str) -> models.CheckConstraint:
    # The smaller id first, so that one pair of records has one row whichever side was seen first.
    return models.CheckConstraint(
        condition=models.Q(person_a__lt=models.F("person_b")), name=f"{prefix}_canonical_order"
    )


class ReviewPair(BaseModel):
    """An uncertain pair of a run (probability in the review band) waiting for a reviewer."""

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="review_pairs")
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    # The probability clustering used, once the records' rival candidates were counted (a
    # record is at most one of two namesakes born at different times); null for runs made
    # before it was kept.
    probability_with_rivals = models.FloatField(null=True, blank=True)
    # The engine's FieldEvidence list: [{"field", "agreement", "weight"}, ...]; no values.
    evidence = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN, db_index=True
    )

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "person_a", "person_b"], name="review_pair_once_per_run"
            ),
            _pair_in_canonical_order("review_pair"),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0) & models.Q(probability__lte=1),
                name="review_pair_probability",
            ),
            models.CheckConstraint(
                condition=models.Q(probability_with_rivals__isnull=True)
                | (
                    models.Q(probability_with_rivals__gte=0)
                    & models.Q(probability_with_rivals__lte=1)
                ),
                name="review_pair_probability_with_rivals",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReviewStatus.values),
                name="review_pair_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"review pair {self.pk} ({self.status})"


class Decision(models.TextChoices):
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different persons")


class LinkDecision(BaseModel):
    """A reviewer's decision on a pair of records. Decisions are kept, never replaced: the
    latest one for a pair is in force (every run passes it to the engine as a must-link or
    cannot-link constraint), the earlier ones are its history."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The reviewer's note may name the person, so it is stored sealed like an identity
    # (JSON {"note": ...}, bound to this row).
    note_ciphertext = models.TextField()
    review_pair = models.ForeignKey(
        ReviewPair, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )

    class Meta:
        ordering = ["-decided_at", "-created_at"]
        constraints = [
            _pair_in_canonical_order("link_decision"),
            models.CheckConstraint(
                condition=models.Q(decision__in=Decision.values), name="link_decision_known"
            ),
        ]
        indexes = [
            models.Index(fields=["person_a", "person_b", "-decided_at"], name="link_decision_pair")
        ]

    def __str__(self) -> str:
        return f"{self.decision}: {self.person_a_id} / {self.person_b_id}"

    def note_associated_data(self) -> str:
        return f"linkage.linkdecision:{self.pk}:note"
