"""Pages of estimation: the stored runs with the estimate over time, a new run, one run with its
figure, what it means and why it may be weak. Thin: parse, fetch through the selectors, call one
service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tiltas.accounts.access import has_permission, require_permission
from tiltas.accounts.models import User
from tiltas.accounts.roles import Permission
from tiltas.estimation.chart import chart_build
from tiltas.estimation.disclosure import (
    run_counts,
    sees_exact_counts,
    stratum_shown,
)
from tiltas.estimation.explain import message_for, stratum_label
from tiltas.estimation.forms import EstimationForm
from tiltas.estimation.selectors import (
    default_lists,
    estimate_series,
    estimation_runs_visible_to,
    get_estimation_run_for_user,
)
from tiltas.estimation.services import (
    EstimationRefusedError,
    EstimationRequest,
    estimation_run_start,
)
from tiltas.linkage.selectors import linkage_run_current
from tiltas.reference.selectors import minimum_cell

CHANNEL = "web"
RUNS_SHOWN = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees a real user
    return user


@login_required
@require_http_methods(["GET"])
def estimation_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_permission(user, Permission.AGGREGATES_VIEW)
    lists = default_lists()
    minimum = minimum_cell()
    series = estimate_series(
        user, list_codes=tuple(item.code for item in lists), minimum_cell=minimum
    )
    return render(
        request,
        "estimation/estimation_list.html",
        {
            "runs": estimation_runs_visible_to(user)[:RUNS_SHOWN],
            "chart": chart_build(series),
            "series": series,
            "lists": lists,
            "can_run": has_permission(user, Permission.ESTIMATION_RUN),
            "minimum_cell": minimum,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def estimation_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_permission(user, Permission.ESTIMATION_RUN)
    lists = default_lists()
    linkage_run = linkage_run_current()
    form = EstimationForm(request.POST or None, lists=lists)
    if request.method == "POST" and form.is_valid() and linkage_run is not None:
        data = form.cleaned_data
        try:
            run = estimation_run_start(
                user=user,
                request=EstimationRequest(
                    linkage_run=linkage_run,
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    lists=form.chosen_lists(),
                    stratify_by=data.get("stratify_by") or "",
                    method=data["method"],
                    threshold=data["threshold"],
                    bootstrap=data["bootstrap"],
                    seed=data["seed"],
                    title=data.get("title") or "",
                ),
                channel=CHANNEL,
            )
        except EstimationRefusedError as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("The estimation run %(reference)s was started.") % {"reference": run.reference},
            )
            return HttpResponseRedirect(reverse("estimation:detail", args=[run.reference]))
    return render(
        request,
        "estimation/estimation_form.html",
        {"form": form, "linkage_run": linkage_run},
    )


@login_required
@require_http_methods(["GET"])
def estimation_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    run = get_estimation_run_for_user(user, reference)
    list_names = {item["code"]: item.get("name") or item["code"] for item in run.list_definition}
    strata_stored = list(run.strata.all())
    exact = sees_exact_counts(user)
    minimum = minimum_cell()
    counts = run_counts(run, strata_stored, exact=exact, minimum=minimum)
    strata: list[dict[str, Any]] = []
    for stratum in strata_stored:
        shown = stratum_shown(stratum, counts[stratum.stratum], exact=exact, minimum=minimum)
        strata.append(
            {
                "stratum": stratum,
                "shown": shown,
                "label": stratum_label(stratum.stratum),
                "messages": [message_for(item, list_names) for item in shown["warnings"]],
                "table_lists": [
                    list_names.get(code, code) for code in stratum.capture_table["lists"]
                ],
                # A single list recorded everyone: there is no table of overlaps to show.
                "table_rows": [
                    {"marks": marks, "count": count}
                    for marks, count in sorted(
                        shown["rows"], key=lambda row: (-sum(row[0]), row[0])
                    )
                ]
                if len(stratum.capture_table["lists"]) >= 2
                else [],
            }
        )
    return render(
        request,
        "estimation/estimation_detail.html",
        {
            "run": run,
            "strata": strata,
            "list_names": list_names,
            "exact_counts": exact,
            "minimum_cell": minimum,
        },
    )
