"""A run's stored quality summary (engine.quality.quality_summary, JSON) as the run page shows
it: tables whose rows carry the length of an inline SVG bar, so the figures are readable as text
and at a glance alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from tiltas.linkage.models import LinkageRun

BAR_WIDTH = 160
REASON_LABELS = {
    "large": _("unusually large"),
    "conflicting_sex": _("one organisation recorded both sexes"),
}


@dataclass(frozen=True)
class BarRow:
    label: str
    count: int
    bar: int


@dataclass(frozen=True)
class UnusualCluster:
    distinct_person_id: str
    size: int
    reasons: list[str]


@dataclass(frozen=True)
class QualityView:
    records: int
    clusters: int
    singletons: int
    pairs_scored: int
    review_band_pairs: int
    weights: list[BarRow] = field(default_factory=list)
    sizes: list[BarRow] = field(default_factory=list)
    unusual: list[UnusualCluster] = field(default_factory=list)
    bar_width: int = BAR_WIDTH


def _bars(labelled: list[tuple[str, int]]) -> list[BarRow]:
    top = max((count for _label, count in labelled), default=0)
    return [
        BarRow(label, count, round(BAR_WIDTH * count / top) if top else 0)
        for label, count in labelled
    ]


def _weight_rows(histogram: dict[str, Any]) -> list[BarRow]:
    """The bins from the first to the last that holds a pair; the end bins are open-ended."""
    edges = [float(edge) for edge in histogram.get("bin_edges", [])]
    counts = [int(count) for count in histogram.get("counts", [])]
    filled = [index for index, count in enumerate(counts) if count]
    if not filled or len(edges) != len(counts) + 1:
        return []
    rows = []
    for index in range(filled[0], filled[-1] + 1):
        low, high = edges[index], edges[index + 1]
        if index == 0:
            label = str(_("below %(high)g") % {"high": high})
        elif index == len(counts) - 1:
            label = str(_("%(low)g and above") % {"low": low})
        else:
            label = f"{low:g} … {high:g}"
        rows.append((label, counts[index]))
    return _bars(rows)


def quality_view(run: LinkageRun) -> QualityView | None:
    """The run's quality summary for the page, or None when the run has none."""
    quality = run.quality or {}
    if not quality:
        return None
    sizes = [
        (str(item["size"]), int(item["clusters"])) for item in quality.get("cluster_sizes", [])
    ]
    unusual = [
        UnusualCluster(
            distinct_person_id=str(item.get("distinct_person_id", "")),
            size=int(item.get("size", 0)),
            reasons=[str(REASON_LABELS.get(reason, reason)) for reason in item.get("reasons", [])],
        )
        for item in quality.get("unusual_clusters", [])
    ]
    return QualityView(
        records=int(quality.get("records", 0)),
        clusters=int(quality.get("clusters", 0)),
        singletons=int(quality.get("singletons", 0)),
        pairs_scored=int(quality.get("pairs_scored", 0)),
        review_band_pairs=int(quality.get("review_band_pairs", 0)),
        weights=_weight_rows(quality.get("match_weights", {})),
        sizes=_bars(sizes),
        unusual=unusual,
    )
