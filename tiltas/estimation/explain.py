"""Why an estimate is weak or impossible, in words a ministry official understands.

Runs store codes with their parameters (so that a stored run reads in any language); these
functions turn them into sentences at display time.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiltas.estimation.methods import CaptureTable
from tiltas.people.models import ExploitationForm

# Fewer people than this seen by two or more lists make any estimate of the unseen very shaky.
FEW_OVERLAPS = 10
# An upper limit this many times the observed number means the data say little.
WIDE_INTERVAL_RATIO = 5.0


def stratum_label(code: str) -> str:
    """The heading of a stratum: everyone, a sex, an age group or a form of exploitation."""
    labels = {
        "all": _("Everyone"),
        "F": _("Women and girls"),
        "M": _("Men and boys"),
        "child": _("Children"),
        "adult": _("Adults"),
        "multiple": _("Several forms of exploitation"),
        "unknown": _("Not known"),
    }
    if code in labels:
        return labels[code]
    if code in ExploitationForm.values:
        return str(ExploitationForm(code).label)
    return code


def overlap_count(table: CaptureTable) -> int:
    """How many people were seen by at least two lists."""
    return int(table.counts[table.patterns.sum(axis=1) >= 2].sum())


def table_warnings(table: CaptureTable) -> list[dict[str, Any]]:
    """Warnings about the data, before any model is fitted."""
    warnings: list[dict[str, Any]] = []
    overlaps = overlap_count(table)
    if overlaps < FEW_OVERLAPS:
        warnings.append({"code": "few_overlaps", "overlaps": overlaps})
    for i, code in enumerate(table.lists):
        on_list = table.patterns[:, i] == 1
        shared = on_list & (table.patterns.sum(axis=1) >= 2)
        if not table.counts[shared].sum():
            warnings.append({"code": "list_isolated", "list": code})
    return warnings


def result_warnings(
    *, observed: int, high_95: float, converged: bool, non_overlapping: list[str]
) -> list[dict[str, Any]]:
    warnings: list[dict[str, Any]] = []
    if observed and high_95 / observed >= WIDE_INTERVAL_RATIO:
        warnings.append({"code": "wide_interval", "ratio": round(high_95 / observed, 1)})
    if not converged:
        warnings.append({"code": "not_converged"})
    if non_overlapping:
        warnings.append({"code": "non_overlapping", "pairs": non_overlapping})
    return warnings


def message_for(item: dict[str, Any], list_names: dict[str, str]) -> str:
    """The sentence for one stored warning or refusal."""

    def name(code: str) -> str:
        return list_names.get(code, code)

    code = item.get("code", "")
    if code == "nobody":
        return _("No linked person was recorded in this period: there is nothing to estimate from.")
    if code == "too_few_lists":
        return _(
            "Fewer than two lists recorded anyone in this period. An estimate of the people "
            "nobody found needs at least two lists that could have found the same people; no "
            "figure is given."
        )
    if code == "no_estimate":
        return _(
            "The lists overlap too little: too few people were found by more than one list to "
            "tell how many were missed by all. No figure is given, because any figure would "
            "be meaningless."
        )
    if code == "chapman_needs_two_lists":
        return _("The two-list (Chapman) method needs exactly two lists with people on them.")
    if code == "bootstrap_failed":
        return _("No resample of the data gave an estimate, so no interval can be given.")
    if code == "list_dropped":
        return _("%(list)s recorded no one in this period and was left out.") % {
            "list": name(item["list"])
        }
    if code == "few_overlaps" and item.get("fewer_than"):
        return _(
            "Fewer than %(minimum)d people were found by more than one list. The estimate rests "
            "on very little evidence: read it as an order of magnitude at most."
        ) % {"minimum": item["fewer_than"]}
    if code == "few_overlaps":
        return ngettext(
            "Only %(count)d person was found by more than one list. The estimate rests on very "
            "little evidence: read it as an order of magnitude at most.",
            "Only %(count)d people were found by more than one list. The estimate rests on very "
            "little evidence: read it as an order of magnitude at most.",
            item["overlaps"],
        ) % {"count": item["overlaps"]}
    if code == "list_isolated":
        return _(
            "No one on %(list)s was found by any other list, so nothing can be learnt about "
            "how many people %(list)s missed; the estimate leans entirely on the other lists."
        ) % {"list": name(item["list"])}
    if code == "wide_interval" and item.get("ratio") is None:
        return _(
            "The interval is very wide: the data are consistent with a hidden number from "
            "small to very large."
        )
    if code == "wide_interval":
        return _(
            "The interval is very wide (its upper end is %(ratio)s times the number of people "
            "found): the data are consistent with a hidden number from small to very large."
        ) % {"ratio": item["ratio"]}
    if code == "not_converged":
        return _("The model fit did not settle on a solution; treat the figure with caution.")
    if code == "non_overlapping":
        return _(
            "Some pairs of lists share no one at all (%(pairs)s); the model treats them as "
            "lists that never find the same people."
        ) % {"pairs": ", ".join(item["pairs"])}
    if code == "unlisted_persons" and item.get("fewer_than"):
        return _(
            "Fewer than %(minimum)d people were recorded only by organisations that are on none "
            "of the lists and are not counted."
        ) % {"minimum": item["fewer_than"]}
    if code == "unlisted_persons":
        return ngettext(
            "%(count)d person was recorded only by organisations that are on none of the lists "
            "and is not counted.",
            "%(count)d people were recorded only by organisations that are on none of the lists "
            "and are not counted.",
            item["count"],
        ) % {"count": item["count"]}
    return str(item.get("message") or code)
