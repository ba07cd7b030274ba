"""Reviewers' decisions on uncertain pairs: the latest decision of a pair is in force and every
later linkage run obeys it as a must-link or cannot-link constraint; a decision that contradicts
the others (records decided different joined through records decided the same) is refused."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiltas.accounts.models import User
from tiltas.audit.services import AuditEvent, actor_for_user, audit_record
from tiltas.core.encryption import seal_json
from tiltas.linkage.errors import LinkageNotAllowedError
from tiltas.linkage.models import Decision, LinkDecision, ReviewPair, ReviewStatus
from tiltas.linkage.selectors import (
    canonical_pair,
    link_constraints,
    link_decisions_in_force,
    review_pairs_visible_to,
)

DECISION_OBJECT_TYPE = "linkage.decision"
MAX_NOTE_LENGTH = 2_000


class DecisionConflictError(Exception):
    """The decision contradicts decisions in force; the message says why, for the reviewer."""


def _conflict_check(in_force: Mapping[tuple[str, str], str]) -> None:
    """Refuse a set of decisions the engine could not obey (a pair decided different that
    decisions 'same' join through other records)."""
    from tiltas.linkage.engine.clustering import ConstraintConflict, clusters_constrained

    must, cannot = link_constraints(in_force)
    record_ids = {rid for pair in in_force for rid in pair}
    try:
        clusters_constrained(record_ids, [], threshold=1.0, must_link=must, cannot_link=cannot)
    except ConstraintConflict as exc:
        raise DecisionConflictError(
            _(
                "This decision contradicts earlier ones: records decided to be different "
                "would be joined through records decided to be the same. Change one of those "
                "decisions first."
            )
        ) from exc


def link_decision_record(
    *, user: User, pair: ReviewPair, decision: str, note: str = "", channel: str
) -> LinkDecision:
    """Record a reviewer's decision on a pair (the latest decision of a pair is in force, and
    every later run obeys it); the pair leaves the queue."""
    if not review_pairs_visible_to(user).filter(pk=pair.pk).exists():
        raise LinkageNotAllowedError
    if decision not in Decision.values:
        raise ValueError(f"decision: expected one of {', '.join(Decision.values)}")
    if len(note) > MAX_NOTE_LENGTH:
        raise ValueError(f"note: at most {MAX_NOTE_LENGTH} characters")
    if pair.status == ReviewStatus.SUPERSEDED:
        raise DecisionConflictError(
            _("This pair belongs to an earlier run; decide it in the current review queue.")
        )
    key = canonical_pair(pair.person_a_id, pair.person_b_id)
    with transaction.atomic():
        in_force = link_decisions_in_force()
        in_force[key] = decision
        _conflict_check(in_force)
        record = LinkDecision(
            person_a_id=pair.person_a_id,
            person_b_id=pair.person_b_id,
            decision=decision,
            decided_by=user,
            decided_at=timezone.now(),
            review_pair=pair,
        )
        record.note_ciphertext = seal_json({"note": note}, record.note_associated_data())
        record.full_clean()
        record.save()
        ReviewPair.objects.filter(
            person_a=pair.person_a_id, person_b=pair.person_b_id, status=ReviewStatus.OPEN
        ).update(status=ReviewStatus.DECIDED, updated_at=timezone.now())
        audit_record(
            actor=actor_for_user(user, channel=channel),
            event=AuditEvent(
                "decide",
                DECISION_OBJECT_TYPE,
                str(record.pk),
                "linkage review",
                detail={
                    "decision": decision,
                    "person_a": key[0],
                    "person_b": key[1],
                    "review_pair": str(pair.pk),
                    "note": bool(note),
                },
            ),
        )
    pair.refresh_from_db()
    return record
