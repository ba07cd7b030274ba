"""REST endpoints of estimation (mounted under /api/v1/ by tiltas.config.api_urls): the stored
runs, read-only, so that reports and other systems cite the same figure by its reference; counts
under the same disclosure control as the pages (estimation/disclosure.py)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tiltas.accounts.access import require_permission
from tiltas.accounts.roles import Permission
from tiltas.estimation.disclosure import (
    run_counts,
    sees_exact_counts,
    stratum_shown,
)
from tiltas.estimation.models import EstimationRun
from tiltas.estimation.selectors import estimation_runs_visible_to, get_estimation_run_for_user
from tiltas.reference.selectors import minimum_cell

RUNS_LISTED = 100


def _reader(request: Request) -> dict[str, Any]:
    return {"exact": sees_exact_counts(request.user), "minimum_cell": minimum_cell()}


class EstimationStratumSerializer(serializers.Serializer[dict[str, Any]]):
    """One stratum as the reader may see it (estimation/disclosure.py): counts of fewer people
    than the country's minimum cell, and what would give them away, are null."""

    stratum = serializers.CharField()
    outcome = serializers.CharField()
    observed = serializers.IntegerField(
        allow_null=True, help_text="People found by at least one list; null where withheld."
    )
    estimate = serializers.FloatField(
        allow_null=True, help_text="Null when refused, or withheld for a group too small."
    )
    dark_figure = serializers.FloatField(
        allow_null=True, help_text="Null also where the number found is withheld."
    )
    interval_95_low = serializers.FloatField(
        allow_null=True,
        help_text="The intervals are null also where the number found is withheld and they are "
        "Wald intervals, whose ends would give it back.",
    )
    interval_95_high = serializers.FloatField(allow_null=True)
    interval_80_low = serializers.FloatField(allow_null=True)
    interval_80_high = serializers.FloatField(allow_null=True)
    interval_kind = serializers.CharField()
    model = serializers.ListField(child=serializers.CharField())
    non_overlapping_pairs = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.DictField())
    capture_table = serializers.DictField(
        help_text='{"lists": [codes], "rows": [[0/1 per list..., count or null where withheld]]}'
    )
    figures_withheld = serializers.BooleanField(
        help_text="True when too few people were found in this group to show any figure."
    )


def _strata_shown(run: EstimationRun, *, exact: bool, minimum: int) -> list[dict[str, Any]]:
    strata = list(run.strata.all())
    counts = run_counts(run, strata, exact=exact, minimum=minimum)
    shown = []
    for stratum in strata:
        figures = stratum_shown(stratum, counts[stratum.stratum], exact=exact, minimum=minimum)
        shown.append(
            {
                **figures,
                "stratum": stratum.stratum,
                "outcome": stratum.outcome,
                "interval_kind": stratum.interval_kind,
                "model": stratum.model,
                "non_overlapping_pairs": stratum.non_overlapping_pairs,
                "capture_table": {
                    "lists": stratum.capture_table["lists"],
                    "rows": [[*marks, count] for marks, count in figures.pop("rows")],
                },
            }
        )
    return shown


class EstimationRunSerializer(serializers.ModelSerializer[EstimationRun]):
    """A run; the context gives `exact` (the reader sees exact counts) and `minimum_cell`."""

    strata = serializers.SerializerMethodField()

    class Meta:
        model = EstimationRun
        fields = [
            "reference",
            "title",
            "status",
            "period_start",
            "period_end",
            "list_definition",
            "stratify_by",
            "method",
            "threshold",
            "bootstrap",
            "seed",
            "linkage_run",
            "code_version",
            "created_at",
            "finished_at",
            "strata",
        ]
        read_only_fields = fields

    @extend_schema_field(EstimationStratumSerializer(many=True))
    def get_strata(self, run: EstimationRun) -> list[dict[str, Any]]:
        strata = _strata_shown(
            run, exact=self.context["exact"], minimum=self.context["minimum_cell"]
        )
        return [EstimationStratumSerializer(stratum).data for stratum in strata]


class EstimationRunListApi(APIView):
    @extend_schema(
        operation_id="estimates_list",
        summary="Stored estimates of the hidden number of victims, newest first",
        description=f"The latest {RUNS_LISTED} runs. For users who read aggregate figures; "
        "any other role gets 404, as on the web pages.",
        responses={
            200: EstimationRunSerializer(many=True),
            404: OpenApiResponse(description="Not available to this role."),
        },
        tags=["estimation"],
    )
    def get(self, request: Request) -> Response:
        require_permission(request.user, Permission.AGGREGATES_VIEW)
        runs = estimation_runs_visible_to(request.user).prefetch_related("strata")[:RUNS_LISTED]
        return Response(EstimationRunSerializer(runs, many=True, context=_reader(request)).data)


class EstimationRunDetailApi(APIView):
    @extend_schema(
        operation_id="estimates_retrieve",
        summary="One stored estimate by its citable reference",
        responses={200: EstimationRunSerializer, 404: OpenApiResponse(description="No such run.")},
        tags=["estimation"],
    )
    def get(self, request: Request, reference: str) -> Response:
        run = get_estimation_run_for_user(request.user, reference)
        return Response(EstimationRunSerializer(run, context=_reader(request)).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("estimates/", EstimationRunListApi.as_view(), name="estimate-list"),
    re_path(
        r"^estimates/(?P<reference>EST-[0-9]{4}-[0-9]{4,})/$",
        EstimationRunDetailApi.as_view(),
        name="estimate-detail",
    ),
]
