"""Clusters of linked records under reviewers' constraints, and distinct-person ids that stay
put from one run to the next while the evidence does not change (no Django)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Protocol, Self


class Trait(Hashable, Protocol):
    """Something known of a record that can rule out that two records are one person (such
    as a date of birth, birth_dates.py)."""

    def conflicts_with(self, other: Self) -> bool: ...

    def reconciles(self, first: Self, second: Self) -> bool:
        """Whether a record with this trait explains two whose traits conflict, each being one
        recording error away from it (the true date, and two records each mistyping it)."""
        ...


class ConstraintConflict(ValueError):
    """The must-link pairs join records that a cannot-link pair keeps apart."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        listed = ", ".join(f"{left}/{right}" for left, right in pairs)
        super().__init__(f"must-link pairs join records decided different: {listed}")
        self.pairs = pairs


class _Partition:
    """Union-find over record ids that remembers, for each set, which records it may not join
    and the distinct traits of its members."""

    def __init__(self, record_ids: Iterable[str], traits: Mapping[str, Trait]) -> None:
        self.parent = {rid: rid for rid in record_ids}
        self.size = dict.fromkeys(self.parent, 1)
        self.apart: dict[str, set[str]] = {}
        # Only the records of a scored pair have traits (a third of a large file's).
        self.traits: dict[str, set[Trait]] = {
            rid: {trait} for rid, trait in traits.items() if rid in self.parent
        }

    def find(self, rid: str) -> str:
        root = rid
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[rid] != root:  # path compression
            self.parent[rid], rid = root, self.parent[rid]
        return root

    def keep_apart(self, left: str, right: str) -> None:
        self.apart.setdefault(self.find(left), set()).add(right)
        self.apart.setdefault(self.find(right), set()).add(left)

    def may_join(self, left: str, right: str) -> bool:
        a, b = self.find(left), self.find(right)
        if a == b:
            return True
        smaller, other = sorted((a, b), key=lambda root: len(self.apart.get(root, ())))
        return all(self.find(rid) != other for rid in self.apart.get(smaller, ()))

    def traits_compatible(self, left: str, right: str) -> bool:
        """Whether each trait of a member of one set that conflicts with one of the other's is
        explained, with it, by a third member's (a date both are one error away from)."""
        a, b = self.find(left), self.find(right)
        if a == b:
            return True
        mine, theirs = self.traits.get(a, set()), self.traits.get(b, set())
        conflicts = [(x, y) for x in mine for y in theirs if x.conflicts_with(y)]
        members = mine | theirs
        return all(any(z.reconciles(x, y) for z in members) for x, y in conflicts)

    def join(self, left: str, right: str) -> None:
        a, b = self.find(left), self.find(right)
        if a == b:
            return
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size.pop(b)
        if b in self.apart:
            self.apart.setdefault(a, set()).update(self.apart.pop(b))
        if b in self.traits:
            self.traits.setdefault(a, set()).update(self.traits.pop(b))

    def clusters(self) -> dict[str, str]:
        """Record -> cluster key, the smallest member id (independent of the merge order)."""
        key: dict[str, str] = {}
        for rid in self.parent:
            root = self.find(rid)
            key[root] = min(key.get(root, rid), rid)
        return {rid: key[self.find(rid)] for rid in self.parent}


def _known(pairs: Iterable[tuple[str, str]], ids: Mapping[str, str]) -> list[tuple[str, str]]:
    # A decision may name a record that has since been removed: it no longer applies.
    return [(left, right) for left, right in pairs if left in ids and right in ids]


# Odds of a pair scored 1.0 (a probability that rounds to 1): large, but finite, so that two such
# competing alternatives still divide each other's odds.
_ODDS_CAP = 1e12


def _odds(probability: float) -> float:
    return _ODDS_CAP if probability >= 1.0 else min(probability / (1.0 - probability), _ODDS_CAP)


def probabilities_exclusive(
    pairs: Iterable[tuple[str, str, float]], traits: Mapping[str, Trait]
) -> list[tuple[str, str, float]]:
    """The pairs' probabilities once a record's alternatives are counted: the model scores a
    pair as if neither record had any other candidate, but a record is at most one of two
    candidates whose traits conflict (born on days no recording error explains). The odds o of
    a pair (a, b) become o / (1 + S), where S sums the odds of a's other candidates that
    conflict with b and of b's that conflict with a: of a caller without a date and six
    namesakes born on different days, each scored 0.5, none is joined (1 / (1 + 5) each),
    while a caller with one namesake keeps 0.5. Two candidates whose traits the record's own
    reconciles (its date one error away from each of theirs) are not rivals: both may be it.
    Without such rivals a pair keeps its probability."""
    pairs = list(pairs)
    candidates: defaultdict[str, list[tuple[str, float]]] = defaultdict(list)
    for left, right, probability in pairs:
        odds = _odds(probability)
        candidates[left].append((right, odds))
        candidates[right].append((left, odds))

    def rivals(record: str, partner: str) -> float:
        trait = traits.get(partner)
        if trait is None:
            return 0.0
        own = traits.get(record)
        return sum(
            odds
            for other, odds in candidates[record]
            if other != partner
            and other in traits
            and traits[other].conflicts_with(trait)
            and not (own is not None and own.reconciles(traits[other], trait))
        )

    adjusted = []
    for left, right, probability in pairs:
        rival = rivals(left, right) + rivals(right, left)
        if rival == 0.0:
            adjusted.append((left, right, probability))
            continue
        odds = _odds(probability) / (1.0 + rival)
        adjusted.append((left, right, odds / (1.0 + odds)))
    return adjusted


def clusters_constrained(
    record_ids: Iterable[str],
    pairs: Iterable[tuple[str, str, float]],
    *,
    threshold: float,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    traits: Mapping[str, Trait] | None = None,
) -> dict[str, str]:
    """Record -> cluster key (smallest member id): must-link pairs joined first, then the
    pairs at or above `threshold`, most probable first, unless the join would put a
    cannot-link pair into one cluster, or two records whose `traits` conflict (such as dates
    of birth, birth_dates.py; a reviewer's must-link overrides them). With traits, the pairs'
    probabilities are first those of probabilities_exclusive. Without constraints and traits:
    the connected components."""
    partition = _Partition(record_ids, traits or {})
    must = _known(must_link, partition.parent)
    cannot = _known(cannot_link, partition.parent)
    for left, right in must:
        partition.join(left, right)
    conflicts = sorted(
        (min(pair), max(pair))
        for pair in cannot
        if partition.find(pair[0]) == partition.find(pair[1])
    )
    if conflicts:
        raise ConstraintConflict(conflicts)
    for left, right in cannot:
        partition.keep_apart(left, right)
    if traits:
        pairs = probabilities_exclusive(pairs, traits)
    # Descending probability, ties by ids, so that the result does not depend on input order.
    edges = sorted(
        (-probability, min(left, right), max(left, right))
        for left, right, probability in pairs
        if probability >= threshold
    )
    for _, left, right in edges:
        # A record without a date links to namesakes: its most probable link is taken, and a
        # later one that would join a person born at another time is not, so that namesakes
        # do not chain into one cluster.
        if partition.may_join(left, right) and partition.traits_compatible(left, right):
            partition.join(left, right)
    return partition.clusters()


def cluster_ids_carry(
    previous: Mapping[str, str], current: Mapping[str, str], *, id_new: Callable[[], str]
) -> dict[str, str]:
    """Record -> stable distinct-person id: each current cluster takes the previous id it
    shares most records with (ties: the smaller id, then the smaller cluster key), each
    previous id at most once; the others get `id_new()`, called in cluster-key order."""
    overlap = Counter((current[rid], previous[rid]) for rid in current if rid in previous)
    taken: dict[str, str] = {}
    used: set[str] = set()
    # A split keeps the id on the part holding most of the old cluster; a merge keeps the id
    # of the old cluster contributing most records and retires the other.
    for (cluster, old_id), _ in sorted(
        overlap.items(), key=lambda item: (-item[1], item[0][1], item[0][0])
    ):
        if cluster not in taken and old_id not in used:
            taken[cluster] = old_id
            used.add(old_id)
    for cluster in sorted(set(current.values()) - set(taken)):
        taken[cluster] = id_new()
    return {rid: taken[cluster] for rid, cluster in current.items()}
