"""The audit trail: append-only, hash-chained entries of every read and write of personal data."""

from django.db import models


class Channel(models.TextChoices):
    WEB = "web", "web"
    API = "api", "api"
    CLI = "cli", "command line"
    SYSTEM = "system", "system"


class AuditEntry(models.Model):
    """One event. `entry_hash` covers every other field and the previous entry's hash, so any
    edit, deletion, insertion or reordering breaks the chain."""

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.CharField(max_length=36, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    organisation_code = models.CharField(max_length=40, blank=True, db_index=True)
    roles = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    purpose = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=20, default="ok")
    # Never personal values: field names, counts, job ids.
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type} {self.object_id}"


class AuditHead(models.Model):
    """The chain's last sequence and hash in one row, locked while appending so concurrent
    writers form one chain without forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.sequence}"
